//! Inference receipts: a host signs the SHA-256 of a receipt's canonical JSON with its
//! secp256k1 key (64-byte r ‖ s, low-S), exactly what model licensing verifies.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use cosmwasm_std::{HexBinary, Uint128};
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::model_licensing::Receipt;

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
}

/// `openledger sign-receipt --secret HEX --chain-id C --contract A --model-id N
/// --inference-id I --payer P --fee F --attribution 1:6000,2:4000`: prints the receipt's
/// canonical JSON, its hash, the host's public key and the signature.
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
}
