//! `openledger reconcile --tx-log FILE [--supply N]`: after a node crashed under a running tool,
//! checks every transaction the tool logged (`OPENLEDGER_TX_LOG`) against the chain:
//!
//! - each is either included with code 0 and its effects present (a paid inference is recorded
//!   for its payer, a created datanet or registered model exists, the block is in the app's
//!   state), or included with a failure or absent, with no effect (no inference recorded);
//! - every signer's account sequence is one past its last included logged transaction, so no
//!   transaction the tool gave up on slipped in afterwards;
//! - OPEN's supply is unchanged (`--supply`), the balances of all holders sum to it and every
//!   holder is a known account or contract, and every contract is solvent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};
use cosmwasm_std::from_json;
use cw20::{AllAccountsResponse, Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::datanet_registry as registry;
use openledger_common::msg::model_licensing as models;
use serde_json::Value;

use crate::chain::{number, Chain, TxRejected, TxResult};
use crate::flows::Suite;
use crate::manifest::Manifest;

fn say(msg: impl AsRef<str>) {
    eprintln!("[reconcile] {}", msg.as_ref());
}

/// The paid inferences a logged `tx wasm execute` of a cw20 send to model licensing carries.
fn inferences_of(args: &[String], models_addr: &str) -> Vec<(u64, String)> {
    let Some(json) = args.get(4) else {
        return vec![];
    };
    let Ok(Cw20ExecuteMsg::Send { contract, msg, .. }) = serde_json::from_str(json) else {
        return vec![];
    };
    if contract != models_addr {
        return vec![];
    }
    match from_json::<models::ReceiveMsg>(&msg) {
        Ok(models::ReceiveMsg::PayInference(p)) => vec![(p.model_id, p.inference_id)],
        Ok(models::ReceiveMsg::PayInferences { items }) => items
            .into_iter()
            .map(|p| (p.model_id, p.inference_id))
            .collect(),
        _ => vec![],
    }
}

/// The deployed suite being reconciled.
struct Reconcile<'a> {
    chain: &'a Chain,
    s: Suite<'a>,
    manifest: Manifest,
    models_addr: String,
    escrow_addr: String,
    /// The app's height when the reconciliation started.
    app_height: u64,
}

/// What the logged transactions came to.
#[derive(Default)]
struct Tally {
    ok: usize,
    failed: usize,
    absent: usize,
    /// Signer key → highest included sequence.
    last_seq: BTreeMap<String, u64>,
}

/// `openledger reconcile ARGS`: checks the logged transactions against the chain and prints the
/// tally; fails on any transaction whose outcome and effects disagree.
pub fn run(chain: &Chain, repo: &Path, args: &[String]) -> Result<()> {
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let log_path =
        get("--tx-log").context("usage: openledger reconcile --tx-log FILE [--supply N]")?;
    let supply_before: Option<u128> = get("--supply")
        .map(|v| v.parse().context("--supply needs a whole number"))
        .transpose()?;
    let s = Suite::load(chain, repo)?;
    let manifest = Manifest::of_chain(repo, chain)?;
    let models_addr = manifest.address("model_licensing")?;
    let escrow_addr = manifest.address("agent_escrow")?;

    let text = std::fs::read_to_string(&log_path)
        .with_context(|| format!("cannot read the transaction log {log_path}"))?;
    let status = chain.run_json(&["status", "--node", &chain.cfg.node], false)?;
    let app_height = number(&status["sync_info"]["latest_block_height"])
        .or_else(|| number(&status["SyncInfo"]["latest_block_height"]))
        .context("status has no height")?;
    let r = Reconcile {
        chain,
        s,
        manifest,
        models_addr,
        escrow_addr,
        app_height,
    };

    let mut tally = Tally::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        r.logged(line, &mut tally)?;
    }
    r.sequences(&tally.last_seq)?;
    say(format!(
        "{} logged transactions: {} included with their effects, {} failed and {} absent with no effect; {} signers' sequences match",
        tally.ok + tally.failed + tally.absent,
        tally.ok,
        tally.failed,
        tally.absent,
        tally.last_seq.len()
    ));
    r.supply(supply_before)
}

impl Reconcile<'_> {
    /// Checks one logged transaction and counts it.
    fn logged(&self, line: &str, tally: &mut Tally) -> Result<()> {
        let chain = self.chain;
        let entry: Value =
            serde_json::from_str(line).with_context(|| format!("bad log line {line}"))?;
        let hash = entry["hash"].as_str().context("log line without hash")?;
        let from = entry["from"].as_str().unwrap_or_default().to_string();
        let args: Vec<String> = entry["args"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect();
        let raw = chain
            .run_json(&["q", "tx", hash, "--node", &chain.cfg.node], true)
            .ok();
        let inferences = inferences_of(&args, &self.models_addr);
        let payer = chain.key_address(&from)?;
        let Some(raw) = raw else {
            tally.absent += 1;
            if let Some((model_id, inference_id)) = self.first_recorded(&inferences, &payer)? {
                bail!("tx {hash} is not on the chain, yet inference {inference_id} of model {model_id} is recorded");
            }
            return Ok(());
        };
        let height = number(&raw["height"]).unwrap_or_default();
        ensure!(
            height <= self.app_height,
            "tx {hash} is in block {height}, beyond the app's height {}",
            self.app_height
        );
        let seq = raw["tx"]["auth_info"]["signer_infos"][0]["sequence"]
            .as_str()
            .and_then(|v| v.parse().ok())
            .or_else(|| number(&raw["tx"]["auth_info"]["signer_infos"][0]["sequence"]))
            .with_context(|| format!("tx {hash}: no signer sequence"))?;
        let e = tally.last_seq.entry(from).or_insert(seq);
        *e = (*e).max(seq);
        match chain.find_tx(hash) {
            Ok(Some(res)) => {
                tally.ok += 1;
                self.effects(hash, &res, &inferences, &payer)
            }
            Err(e) if e.downcast_ref::<TxRejected>().is_some() => {
                tally.failed += 1;
                if let Some((_, inference_id)) = self.first_recorded(&inferences, &payer)? {
                    bail!("tx {hash} failed, yet inference {inference_id} is recorded");
                }
                Ok(())
            }
            Ok(None) => bail!("tx {hash} disappeared while reconciling"),
            Err(e) => Err(e),
        }
    }

    /// The first of `inferences` recorded for `payer`, if any (a transaction with no effect
    /// has none).
    fn first_recorded(
        &self,
        inferences: &[(u64, String)],
        payer: &str,
    ) -> Result<Option<(u64, String)>> {
        for (model_id, inference_id) in inferences {
            if inference(
                self.chain,
                &self.models_addr,
                *model_id,
                payer,
                inference_id,
            )?
            .is_some()
            {
                return Ok(Some((*model_id, inference_id.clone())));
            }
        }
        Ok(None)
    }

    /// An included transaction's effects are there: its inferences recorded for its payer,
    /// the datanet it created or the model it registered.
    fn effects(
        &self,
        hash: &str,
        res: &TxResult,
        inferences: &[(u64, String)],
        payer: &str,
    ) -> Result<()> {
        let chain = self.chain;
        for (model_id, inference_id) in inferences {
            let rec = inference(chain, &self.models_addr, *model_id, payer, inference_id)?
                .with_context(|| {
                    format!("tx {hash} was included, but inference {inference_id} is not recorded")
                })?;
            ensure!(
                rec.payer.as_str() == payer,
                "inference {inference_id} recorded for {}, not {payer}",
                rec.payer
            );
        }
        if res.attr("wasm", "action").as_deref() == Some("create_datanet") {
            let id: u64 = res
                .attr("wasm", "datanet_id")
                .context("datanet id")?
                .parse()?;
            chain
                .query::<_, Value>(
                    &self.s.registry,
                    &registry::QueryMsg::Datanet { datanet_id: id },
                )
                .with_context(|| format!("tx {hash} created datanet {id}, which is missing"))?;
        }
        if res.attr("wasm", "action").as_deref() == Some("register_model") {
            let id: u64 = res.attr("wasm", "model_id").context("model id")?.parse()?;
            chain
                .query::<_, Value>(&self.models_addr, &models::QueryMsg::Model { model_id: id })
                .with_context(|| format!("tx {hash} registered model {id}, which is missing"))?;
        }
        Ok(())
    }

    /// No transaction beyond the last included one of each signer executed.
    fn sequences(&self, last_seq: &BTreeMap<String, u64>) -> Result<()> {
        for (key, seq) in last_seq {
            let address = self.chain.key_address(key)?;
            let (_, next) = self.chain.account(&address)?;
            ensure!(
                next == seq + 1,
                "{key}: account sequence {next}, but its last included logged transaction had sequence {seq}: a transaction outside the log executed"
            );
        }
        Ok(())
    }

    /// The contracts' addresses and every key in the keyring.
    fn known_accounts(&self) -> Result<BTreeSet<String>> {
        let chain = self.chain;
        let mut known: BTreeSet<String> = self
            .manifest
            .contracts
            .values()
            .filter_map(|c| c.address.clone())
            .collect();
        let keys = chain.run_raw(&[
            "keys",
            "list",
            "--keyring-backend",
            &chain.cfg.keyring_backend,
            "--output",
            "json",
        ])?;
        let keys: Value = serde_json::from_str(keys.trim()).context("unparsable key list")?;
        known.extend(
            keys.as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|k| k["address"].as_str().map(str::to_string)),
        );
        Ok(known)
    }

    /// Every OPEN holder.
    fn holders(&self) -> Result<Vec<String>> {
        let mut holders = vec![];
        let mut start_after = None;
        loop {
            let page: AllAccountsResponse = self.chain.query(
                &self.s.token,
                &Cw20QueryMsg::AllAccounts {
                    start_after: start_after.clone(),
                    limit: Some(30),
                },
            )?;
            if page.accounts.is_empty() {
                break;
            }
            start_after = page.accounts.last().cloned();
            holders.extend(page.accounts);
        }
        Ok(holders)
    }

    /// Supply, holders and solvency.
    fn supply(&self, supply_before: Option<u128>) -> Result<()> {
        let (chain, s) = (self.chain, &self.s);
        let info: TokenInfoResponse = chain.query(&s.token, &Cw20QueryMsg::TokenInfo {})?;
        let supply = info.total_supply.u128();
        if let Some(before) = supply_before {
            ensure!(
                supply == before,
                "OPEN supply is {supply}, it was {before} before the crash"
            );
        }
        let known = self.known_accounts()?;
        let holders = self.holders()?;
        let mut sum = 0u128;
        let mut unknown = vec![];
        for h in &holders {
            sum += s.balance(h)?;
            if !known.contains(h) {
                unknown.push(h.clone());
            }
        }
        ensure!(
            sum == supply,
            "the {} holders' balances sum to {sum}, the supply is {supply}",
            holders.len()
        );
        ensure!(
            unknown.is_empty(),
            "unknown OPEN holders: {}",
            unknown.join(", ")
        );
        s.assert_solvent()?;
        let es: escrow::EscrowSolvencyResponse =
            chain.query(&self.escrow_addr, &escrow::QueryMsg::Solvency {})?;
        ensure!(es.solvent, "agent escrow insolvent: {es:?}");
        say(format!(
            "OPEN supply {supply}{}; {} holders, all known, sum to it; every contract solvent",
            if supply_before.is_some() {
                " (unchanged)"
            } else {
                ""
            },
            holders.len()
        ));
        Ok(())
    }
}
/// The record of `payer`'s inference `inference_id` of `model_id` (ids are per payer).
fn inference(
    chain: &Chain,
    models_addr: &str,
    model_id: u64,
    payer: &str,
    inference_id: &str,
) -> Result<Option<models::InferenceResponse>> {
    match chain.query::<_, models::InferenceResponse>(
        models_addr,
        &models::QueryMsg::Inference {
            model_id,
            payer: payer.to_string(),
            inference_id: inference_id.to_string(),
        },
    ) {
        Ok(r) => Ok(Some(r)),
        Err(e) if format!("{e:#}").to_lowercase().contains("not found") => Ok(None),
        Err(e) => Err(e),
    }
}
