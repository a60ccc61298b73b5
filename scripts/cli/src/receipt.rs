//! Inference receipts: a host signs the SHA-256 of a receipt's canonical JSON with its
//! secp256k1 key (64-byte r ‖ s, low-S), exactly what model licensing verifies.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use cosmwasm_std::{HexBinary, Uint128};
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::model_licensing::{InferenceIo, Receipt};
use openledger_common::normalize_hash;

/// A host's signing key.
pub struct HostKey(SigningKey);

impl HostKey {
    /// From 32 secret bytes in hex.
    pub fn from_hex(secret: &str) -> Result<Self> {
        let bytes = hex::decode(secret.trim()).context("host secret is not hex")?;
        Ok(HostKey(
            SigningKey::from_slice(&bytes).context("host secret is not a valid secp256k1 key")?,
        ))
    }

    /// A key derived from a label: for local chains and tests only, never for real hosts.
    pub fn derived(label: &str) -> Self {
        use sha2::{Digest, Sha256};
        let seed = Sha256::digest(format!("openledger test host key: {label}").as_bytes());
        HostKey(SigningKey::from_slice(&seed).expect("a sha256 digest is a valid key"))
    }

    /// The compressed public key (33 bytes) the model registers.
    pub fn pubkey(&self) -> HexBinary {
        HexBinary::from(self.0.verifying_key().to_encoded_point(true).as_bytes())
    }

    /// The receipt signature: 64 bytes r ‖ s over SHA-256 of the canonical JSON.
    pub fn sign(&self, receipt: &Receipt) -> Result<HexBinary> {
        let hash = receipt.hash()?;
        let sig: Signature = self.0.sign_prehash(&hash).context("signing failed")?;
        let sig = sig.normalize_s().unwrap_or(sig);
        Ok(HexBinary::from(sig.to_bytes().as_slice()))
    }
}

/// Parses `1:6000,2:4000` into an attribution vector.
pub fn parse_attribution(s: &str) -> Result<Vec<AttributionShare>> {
    s.split(',')
        .map(|part| {
            let (id, bps) = part
                .split_once(':')
                .with_context(|| format!("'{part}' is not datanet_id:weight_bps"))?;
            Ok(AttributionShare {
                datanet_id: id.trim().parse().context("datanet id")?,
                weight_bps: bps.trim().parse().context("weight in bps")?,
            })
        })
        .collect()
}

/// The arguments of `openledger sign-receipt`.
#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// The host's secret key, 32 bytes in hex.
    #[arg(
        long,
        conflicts_with = "secret_file",
        required_unless_present = "secret_file"
    )]
    secret: Option<String>,
    /// A file holding the host's secret key in hex.
    #[arg(long)]
    secret_file: Option<PathBuf>,
    /// The chain the receipt is valid on.
    #[arg(long)]
    chain_id: String,
    /// The model licensing contract.
    #[arg(long)]
    contract: String,
    /// The model.
    #[arg(long)]
    model_id: u64,
    /// The inference, unique per payer.
    #[arg(long)]
    inference_id: String,
    /// The account that pays.
    #[arg(long)]
    payer: String,
    /// The fee in OPEN base units.
    #[arg(long)]
    fee: u128,
    /// The attribution vector: `datanet_id:weight_bps,...`.
    #[arg(long)]
    attribution: String,
    /// SHA-256 of the inference's input (64 hex characters): the receipt then commits to the
    /// inference's input and output (its `io`, lower-case). Needs `--output-hash`.
    #[arg(long, requires = "output_hash")]
    input_hash: Option<String>,
    /// SHA-256 of the inference's output (64 hex characters). Needs `--input-hash`.
    #[arg(long, requires = "input_hash")]
    output_hash: Option<String>,
}

/// The receipt's `io` from `--input-hash` / `--output-hash`: each checked to be a SHA-256 in
/// hex and lower-cased, as the contract puts them in the receipt it verifies; `None` without
/// them.
pub fn parse_io(
    input_hash: Option<&str>,
    output_hash: Option<&str>,
) -> Result<Option<InferenceIo>> {
    match (input_hash, output_hash) {
        (None, None) => Ok(None),
        (Some(input), Some(output)) => Ok(Some(InferenceIo {
            input_hash: normalize_hash("input_hash", input)?,
            output_hash: normalize_hash("output_hash", output)?,
        })),
        _ => bail!("give both --input-hash and --output-hash, or neither"),
    }
}

/// `openledger sign-receipt --secret HEX --chain-id C --contract A --model-id N
/// --inference-id I --payer P --fee F --attribution 1:6000,2:4000 [--input-hash H
/// --output-hash H]`: prints the receipt's canonical JSON, its hash, the host's public key and
/// the signature.
pub fn sign_command(args: &SignArgs) -> Result<()> {
    let key = match (&args.secret, &args.secret_file) {
        (Some(s), _) => HostKey::from_hex(s)?,
        (_, Some(f)) => HostKey::from_hex(
            &std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?,
        )?,
        _ => bail!("give the host key with --secret HEX or --secret-file PATH"),
    };
    let receipt = Receipt {
        chain_id: args.chain_id.clone(),
        contract: args.contract.clone(),
        model_id: args.model_id,
        inference_id: args.inference_id.clone(),
        payer: args.payer.clone(),
        fee: Uint128::new(args.fee),
        attribution: parse_attribution(&args.attribution)?,
        io: parse_io(args.input_hash.as_deref(), args.output_hash.as_deref())?,
    };
    let out = serde_json::json!({
        "receipt": String::from_utf8(receipt.canonical_json()?)?,
        "hash": hex::encode(receipt.hash()?),
        "pubkey": key.pubkey().to_hex(),
        "signature": key.sign(&receipt)?.to_hex(),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_verifies_with_the_registered_pubkey() {
        let key = HostKey::derived("host");
        let receipt = Receipt {
            chain_id: "c".into(),
            contract: "k".into(),
            model_id: 1,
            inference_id: "i".into(),
            payer: "p".into(),
            fee: Uint128::new(10),
            attribution: parse_attribution("1:6000,2:4000").unwrap(),
            io: None,
        };
        let sig = key.sign(&receipt).unwrap();
        assert_eq!(sig.len(), 64);
        let api = cosmwasm_std::testing::MockApi::default();
        use cosmwasm_std::Api;
        let hash = receipt.hash().unwrap();
        assert!(api.secp256k1_verify(&hash, &sig, &key.pubkey()).unwrap());
        let mut other = receipt.clone();
        other.fee = Uint128::new(11);
        assert!(!api
            .secp256k1_verify(&other.hash().unwrap(), &sig, &key.pubkey())
            .unwrap());
    }

    #[test]
    fn attribution_parsing() {
        assert_eq!(parse_attribution("3:10000").unwrap().len(), 1);
        assert!(parse_attribution("3-10000").is_err());
    }

    #[test]
    fn io_receipts_sign_the_lower_case_hashes() {
        let key = HostKey::derived("host");
        let io = parse_io(Some(&"AB".repeat(32)), Some(&"cd".repeat(32)))
            .unwrap()
            .unwrap();
        assert_eq!(io.input_hash, "ab".repeat(32));
        assert_eq!(io.output_hash, "cd".repeat(32));
        let receipt = Receipt {
            chain_id: "c".into(),
            contract: "k".into(),
            model_id: 1,
            inference_id: "i".into(),
            payer: "p".into(),
            fee: Uint128::new(10),
            attribution: parse_attribution("1:10000").unwrap(),
            io: Some(io),
        };
        let json = String::from_utf8(receipt.canonical_json().unwrap()).unwrap();
        assert!(json.ends_with(&format!(
            r#""io":{{"input_hash":"{}","output_hash":"{}"}}}}"#,
            "ab".repeat(32),
            "cd".repeat(32)
        )));
        let sig = key.sign(&receipt).unwrap();
        let api = cosmwasm_std::testing::MockApi::default();
        use cosmwasm_std::Api;
        assert!(api
            .secp256k1_verify(&receipt.hash().unwrap(), &sig, &key.pubkey())
            .unwrap());
        let mut other = receipt.clone();
        other.io.as_mut().unwrap().output_hash = "ce".repeat(32);
        assert!(!api
            .secp256k1_verify(&other.hash().unwrap(), &sig, &key.pubkey())
            .unwrap());
        other.io = None;
        assert!(!api
            .secp256k1_verify(&other.hash().unwrap(), &sig, &key.pubkey())
            .unwrap());
    }

    #[test]
    fn io_arguments_are_checked() {
        assert_eq!(parse_io(None, None).unwrap(), None);
        let err = parse_io(Some("abc"), Some(&"cd".repeat(32))).unwrap_err();
        assert!(err.to_string().contains("input_hash `abc`"), "{err}");
        let err = parse_io(Some(&"ab".repeat(32)), Some("zz")).unwrap_err();
        assert!(err.to_string().contains("output_hash `zz`"), "{err}");
        assert!(parse_io(Some(&"ab".repeat(32)), None).is_err());

        #[derive(clap::Parser)]
        struct Line {
            #[command(flatten)]
            args: SignArgs,
        }
        use clap::Parser;
        let base = "sign --secret 01 --chain-id c --contract k --model-id 1 --inference-id i \
                    --payer p --fee 10 --attribution 1:10000";
        let parse = |extra: &str| Line::try_parse_from(format!("{base}{extra}").split(' '));
        let line = parse("").unwrap();
        assert_eq!((line.args.input_hash, line.args.output_hash), (None, None));
        let line = parse(&format!(
            " --input-hash {} --output-hash {}",
            "ab".repeat(32),
            "cd".repeat(32)
        ))
        .unwrap();
        assert_eq!(line.args.input_hash, Some("ab".repeat(32)));
        assert_eq!(line.args.output_hash, Some("cd".repeat(32)));
        assert!(parse(&format!(" --input-hash {}", "ab".repeat(32))).is_err());
        assert!(parse(&format!(" --output-hash {}", "cd".repeat(32))).is_err());
    }
}
