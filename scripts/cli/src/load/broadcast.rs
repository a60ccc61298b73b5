//! The timed phase: every payer broadcasts its signed transactions at once over the node's
//! RPC, then the load waits until every one is included.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Binary;
use serde_json::json;

use super::{say, Load, Options, Payer};
use crate::chain::number;
use crate::chain::par;
use crate::rpc::Rpc;

/// What the timed phase measured.
pub(super) struct Timing {
    /// The chain's height when the broadcasts started.
    start_height: u64,
    /// Seconds until every broadcast was accepted.
    broadcast_secs: f64,
    /// Seconds until every transaction was included.
    wall: f64,
    /// The heights of the blocks that included them.
    heights: BTreeSet<u64>,
    total_gas: u64,
}

/// Broadcasts every payer's transactions (one thread per payer) and waits for their inclusion.
pub(super) fn broadcast_all(load: &Load, payers: &[Payer], o: &Options) -> Result<Timing> {
    let rpc = &load.rpc;
    let start_height = height(rpc)?;
    let started = Instant::now();
    let hashes = par(payers, |p| {
        p.txs
            .iter()
            .map(|(tx, _)| broadcast(rpc, tx).with_context(|| p.key.clone()))
            .collect::<Result<Vec<String>>>()
    })?;
    let pending: Vec<String> = hashes.into_iter().flatten().collect();
    let broadcast_secs = started.elapsed().as_secs_f64();
    let deadline =
        Instant::now() + load.chain.cfg.tx_timeout + Duration::from_secs(o.inferences as u64 / 10);
    let (heights, total_gas) = wait_included(rpc, pending, deadline)?;
    Ok(Timing {
        start_height,
        broadcast_secs,
        wall: started.elapsed().as_secs_f64(),
        heights,
        total_gas,
    })
}

/// Waits until every transaction of `pending` is included (each with code 0) or `deadline`
/// passes; the heights of their blocks and the gas they used.
fn wait_included(
    rpc: &Rpc,
    mut pending: Vec<String>,
    deadline: Instant,
) -> Result<(BTreeSet<u64>, u64)> {
    let mut heights = BTreeSet::new();
    let mut total_gas = 0u64;
    while !pending.is_empty() {
        let mut still = vec![];
        for h in pending {
            match included(rpc, &h)? {
                Some((height, code, gas, log)) => {
                    ensure!(code == 0, "transaction {h} failed (code {code}): {log}");
                    heights.insert(height);
                    total_gas += gas;
                }
                None => still.push(h),
            }
        }
        pending = still;
        if !pending.is_empty() {
            ensure!(
                Instant::now() < deadline,
                "{} transactions not included in time",
                pending.len()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    Ok((heights, total_gas))
}

impl Timing {
    /// Prints the method and the figures, and the JSON line the scripts read.
    pub(super) fn report(&self, o: &Options, tx_count: usize) {
        let wall = self.wall;
        let last_height = self.heights.last().copied().unwrap_or(self.start_height);
        let rate = o.inferences as f64 / wall;
        let gas_per_inference = self.total_gas / o.inferences as u64;
        say(format!(
            "method: {} payers at once, each its own key and account sequence; {} pay_inference messages per transaction, signed offline beforehand, broadcast over RPC (broadcast_tx_sync)",
            o.payers, o.per_tx
        ));
        say(format!(
            "inferences {}, txs {tx_count}, blocks {} (heights {}..={last_height}), wall {wall:.1} s (broadcasts done after {:.1} s), {rate:.1} inferences/s, total gas {}, {gas_per_inference} gas/inference",
            o.inferences,
            self.heights.len(),
            self.heights.first().copied().unwrap_or(self.start_height),
            self.broadcast_secs,
            self.total_gas,
        ));
        println!(
            "{}",
            json!({
                "inferences": o.inferences,
                "payers": o.payers,
                "txs": tx_count,
                "blocks": self.heights.len(),
                "wall_seconds": wall,
                "inferences_per_second": rate,
                "total_gas": self.total_gas,
                "gas_per_inference": gas_per_inference,
            })
        );
    }
}

fn height(rpc: &Rpc) -> Result<u64> {
    let v = rpc.call("status", json!({}))?;
    number(&v["sync_info"]["latest_block_height"]).context("status has no height")
}

/// The node refused a transaction because its mempool (or a mempool lane) holds its maximum.
fn mempool_full(e: &anyhow::Error) -> bool {
    let m = format!("{e:#}");
    m.contains("mempool is full") || m.contains("is full: number of txs")
}

/// Broadcasts signed bytes (base64) in sync mode: the hash once `CheckTx` accepted them.
/// A full mempool is back-pressure: the broadcast waits and tries again (for up to 10 minutes).
fn broadcast(rpc: &Rpc, tx: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(600);
    let v = loop {
        match rpc.call("broadcast_tx_sync", json!({ "tx": tx })) {
            Err(e) if mempool_full(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(250));
            }
            other => break other?,
        }
    };
    let code = v["code"].as_u64().unwrap_or(0);
    ensure!(
        code == 0,
        "broadcast refused (code {code}): {}",
        v["log"].as_str().unwrap_or_default()
    );
    Ok(v["hash"]
        .as_str()
        .context("broadcast without a hash")?
        .to_string())
}

/// `(height, code, gas_used, log)` of an included transaction, or `None` while it is not.
fn included(rpc: &Rpc, hash: &str) -> Result<Option<(u64, u32, u64, String)>> {
    let bytes = hex::decode(hash).with_context(|| format!("hash {hash} is not hex"))?;
    match rpc.call(
        "tx",
        json!({ "hash": Binary::from(bytes).to_base64(), "prove": false }),
    ) {
        Ok(v) => {
            let r = &v["tx_result"];
            Ok(Some((
                number(&v["height"]).unwrap_or_default(),
                r["code"].as_u64().unwrap_or(0) as u32,
                number(&r["gas_used"]).unwrap_or_default(),
                r["log"].as_str().unwrap_or_default().to_string(),
            )))
        }
        Err(e) if format!("{e:#}").contains("cannot reach") => Err(e),
        Err(_) => Ok(None),
    }
}
