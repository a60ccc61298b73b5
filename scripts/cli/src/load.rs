//! `openledger load --inferences N --payers P [--per-tx M]`: P payers pay N signed inferences
//! of one model at the same time, one `pay_inference` (a cw20 `send` with a host's receipt) per
//! message, M messages per transaction; then every balance the payments touch is reconciled
//! exactly against the fee split.
//!
//! What is measured is the chain, not the client: each payer's transactions are first signed
//! offline with explicit account sequences (the chain binary's `tx sign-batch --offline`,
//! encoded with the Cosmos SDK's protobuf types), then the timed phase broadcasts the signed
//! bytes over the node's RPC (`broadcast_tx_sync`, one thread per payer, no process per
//! transaction) and waits until every one is included.

mod broadcast;
mod check;
mod encode;
mod sign;

use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::Cw20ExecuteMsg;
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::model_licensing::{self as models, InferencePayment, Receipt};
use serde_json::json;

use crate::chain::Chain;
use crate::flow_model::model_on_new_datanet;
use crate::flows::Suite;
use crate::manifest::Manifest;
use crate::receipt::HostKey;
use crate::rpc::Rpc;

/// The model's inference fee.
const FEE: u128 = 1_000;
/// Gas a transaction asks for beyond its messages' (signature, fee, bytes).
const TX_GAS: u64 = 60_000;

fn say(msg: impl AsRef<str>) {
    eprintln!("[load] {}", msg.as_ref());
}

/// The command's options.
struct Options {
    inferences: usize,
    payers: usize,
    /// Messages per transaction; 0 = as many as let two transactions share a block.
    per_tx: usize,
}

fn options(args: &[String]) -> Result<Options> {
    let heavy = std::env::var("OPENLEDGER_HEAVY").is_ok_and(|v| v == "1");
    let mut o = Options {
        inferences: if heavy { 3_000 } else { 1_000 },
        payers: 5,
        per_tx: 0,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .with_context(|| format!("{flag} needs a value"))?
            .parse::<usize>()
            .with_context(|| format!("{flag} needs a whole number"))?;
        match flag.as_str() {
            "--inferences" => o.inferences = value,
            "--payers" => o.payers = value,
            "--per-tx" => o.per_tx = value,
            _ => bail!("usage: openledger load [--inferences N] [--payers P] [--per-tx M]"),
        }
    }
    ensure!(
        o.inferences > 0 && o.payers > 0,
        "--inferences and --payers must be positive"
    );
    ensure!(
        o.payers <= 50,
        "at most 50 payers (each is a key in the keyring)"
    );
    Ok(o)
}

/// One payer's share of the load.
struct Payer {
    key: String,
    address: String,
    inferences: usize,
    /// Signed transactions (base64 bytes) and their message counts, in sequence order.
    txs: Vec<(String, usize)>,
}

/// The deployed suite, the model the load pays for and how its payments are made.
struct Load<'a> {
    chain: &'a Chain,
    s: Suite<'a>,
    models_addr: String,
    escrow_addr: String,
    rpc: Rpc,
    host: HostKey,
    datanet_id: u64,
    model_id: u64,
    /// The model owner's address.
    owner: String,
    /// The host's address (it signs every receipt of the load).
    host_addr: String,
    attribution: Vec<AttributionShare>,
    /// Prefix of this run's inference ids.
    tag: String,
}

impl<'a> Load<'a> {
    /// Loads the suite and registers a model on a datanet of its own for this run.
    fn setup(chain: &'a Chain, repo: &Path) -> Result<Self> {
        let s = Suite::load(chain, repo)?;
        let manifest = Manifest::of_chain(repo, chain)?;
        let models_addr = manifest.address("model_licensing")?;
        let escrow_addr = manifest.address("agent_escrow")?;
        let rpc = Rpc::from_node(&chain.cfg.node).context(
            "the load broadcasts over the node's RPC: CHAIN_NODE must be tcp:// or http://",
        )?;
        let host = HostKey::derived("host");
        let (datanet_id, model_id) = model_on_new_datanet(
            chain,
            &s,
            &models_addr,
            &host,
            FEE,
            ("curator2", "contributor3", "model_owner"),
        )?;
        let owner = chain.key_address("model_owner")?;
        let host_addr = chain.key_address("host")?;
        Ok(Load {
            chain,
            s,
            models_addr,
            escrow_addr,
            rpc,
            host,
            datanet_id,
            model_id,
            owner,
            host_addr,
            attribution: vec![AttributionShare {
                datanet_id,
                weight_bps: 10_000,
            }],
            tag: format!("load-{model_id}"),
        })
    }

    /// `payer`'s cw20 send paying inference `inference_id` with the host's signed receipt.
    fn send_msg(&self, payer: &str, inference_id: String) -> Result<Cw20ExecuteMsg> {
        let receipt = Receipt {
            chain_id: self.chain.cfg.chain_id.clone(),
            contract: self.models_addr.clone(),
            model_id: self.model_id,
            inference_id,
            payer: payer.to_string(),
            fee: Uint128::new(FEE),
            attribution: self.attribution.clone(),
            io: None,
        };
        let payment = signed_payment(&self.host, receipt)?;
        Ok(Cw20ExecuteMsg::Send {
            contract: self.models_addr.clone(),
            amount: Uint128::new(FEE),
            msg: cosmwasm_std::to_json_binary(&models::ReceiveMsg::PayInference(payment))?,
        })
    }

    /// The payers: keys of their own, funded with gas money and exactly their fees.
    fn payers(&self, o: &Options, denom: &str) -> Result<Vec<Payer>> {
        let chain = self.chain;
        let mut payers = Vec::new();
        for i in 0..o.payers {
            let key = format!("load_payer{}", i + 1);
            let address = ensure_key(chain, &key)?;
            let inferences = o.inferences / o.payers + usize::from(i < o.inferences % o.payers);
            payers.push(Payer {
                key,
                address,
                inferences,
                txs: vec![],
            });
        }
        let mut gas_needs = vec![];
        for p in &payers {
            if native_balance(chain, &p.address, denom)? < 10u128.pow(21) {
                gas_needs.push(p.address.as_str());
            }
        }
        if !gas_needs.is_empty() {
            let mut args = vec!["tx", "bank", "multi-send", "deployer"];
            args.extend(gas_needs.iter().copied());
            let amount = format!("{}{denom}", 10u128.pow(22));
            args.push(&amount);
            chain.tx(&args, "deployer")?;
            say(format!("funded {} payers with gas money", gas_needs.len()));
        }
        for p in &payers {
            self.s
                .transfer("deployer", &p.address, p.inferences as u128 * FEE)?;
        }
        Ok(payers)
    }

    /// Pays one inference outside the count to learn a message's gas; sets the messages per
    /// transaction when not given (two transactions per block); returns the gas a message asks
    /// for.
    fn probe(&self, o: &mut Options) -> Result<u64> {
        let deployer = self.chain.key_address("deployer")?;
        let probe = self.chain.execute(
            &self.s.token,
            &self.send_msg(&deployer, format!("{}-probe", self.tag))?,
            "deployer",
            None,
        )?;
        let gas_per_msg = probe.gas_used;
        // A block takes transactions up to its gas limit by the gas they ask for.
        let params = self.rpc.call("consensus_params", json!({}))?;
        let block_gas = params["consensus_params"]["block"]["max_gas"]
            .as_str()
            .and_then(|g| g.parse::<i64>().ok())
            .filter(|g| *g > 0)
            .map(|g| g as u64);
        let msg_gas = gas_per_msg * 115 / 100;
        if o.per_tx == 0 {
            o.per_tx = match block_gas {
                Some(g) => ((g / 2).saturating_sub(TX_GAS) / msg_gas).max(1) as usize,
                None => 50,
            };
        }
        say(format!(
            "model {} on datanet {}: one signed pay_inference uses {gas_per_msg} gas; block gas limit {}; {} messages per transaction",
            self.model_id,
            self.datanet_id,
            block_gas.map_or("none".to_string(), |g| g.to_string()),
            o.per_tx
        ));
        Ok(msg_gas)
    }
}

/// The payment of `receipt`'s inference, with the receipt signed by `host`.
pub(crate) fn signed_payment(host: &HostKey, receipt: Receipt) -> Result<InferencePayment> {
    let signature = host.sign(&receipt)?;
    Ok(InferencePayment {
        model_id: receipt.model_id,
        inference_id: receipt.inference_id,
        attribution: Some(receipt.attribution),
        receipt_signature: Some(signature),
        io: None,
    })
}

/// `openledger load ARGS`: the load run on the chain of the manifest (see the module's flags).
pub fn run(chain: &Chain, repo: &Path, args: &[String]) -> Result<()> {
    let mut o = options(args)?;
    let load = Load::setup(chain, repo)?;
    let (denom, gas_price) = gas_price(&chain.cfg.gas_price)?;
    let mut payers = load.payers(&o, &denom)?;
    let msg_gas = load.probe(&mut o)?;
    let tx_count = sign::sign_all(&load, &mut payers, &o, msg_gas, (&denom, gas_price))?;
    let before = check::snapshot(&load, &payers)?;
    let timing = broadcast::broadcast_all(&load, &payers, &o)?;
    let after = check::snapshot(&load, &payers)?;
    check::reconcile(&load, &payers, &o, &before, &after)?;
    timing.report(&o, tx_count);
    Ok(())
}

/// The address of `key`, adding it to the (test) keyring first if it is not there.
fn ensure_key(chain: &Chain, key: &str) -> Result<String> {
    if let Ok(a) = chain.key_address(key) {
        return Ok(a);
    }
    chain.run_json(
        &[
            "keys",
            "add",
            key,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
        ],
        true,
    )?;
    chain.key_address(key)
}

/// `500000000inj` → (`inj`, 500000000).
fn gas_price(s: &str) -> Result<(String, u128)> {
    let digits = s
        .find(|c: char| !c.is_ascii_digit())
        .with_context(|| format!("gas price '{s}' has no denom"))?;
    ensure!(
        digits > 0 && s[digits..].starts_with(|c: char| c.is_ascii_alphabetic()),
        "the load needs a whole-number gas price with a denom, not '{s}'"
    );
    Ok((s[digits..].to_string(), s[..digits].parse()?))
}

fn native_balance(chain: &Chain, address: &str, denom: &str) -> Result<u128> {
    let v = chain.run_json(
        &["q", "bank", "balances", address, "--node", &chain.cfg.node],
        true,
    )?;
    Ok(v["balances"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .find(|c| c["denom"] == denom)
        .and_then(|c| c["amount"].as_str().and_then(|a| a.parse().ok()))
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gas_price_is_split_into_amount_and_denom() {
        assert_eq!(
            gas_price("500000000inj").unwrap(),
            ("inj".into(), 500_000_000)
        );
        assert!(gas_price("0.025uatom").is_err());
        assert!(gas_price("inj").is_err());
    }
}
