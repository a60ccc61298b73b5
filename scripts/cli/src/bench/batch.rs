//! Set-up in bulk: many `MsgExecuteContract` of one signer in one transaction (the chain binary
//! builds one message's JSON form with `--generate-only`, signs the transaction of all of them
//! with `tx sign` and broadcasts it with `tx broadcast`). Only the benchmark's set-up uses it
//! (1 024 published versions would otherwise be 1 024 transactions); nothing measured is
//! batched this way.

use anyhow::{bail, ensure, Context, Result};
use serde::Serialize;
use serde_json::{json, Value};

use crate::chain::{Chain, TxRejected, TxResult};

/// The gas limit of one batch transaction: below the local chain's block limit (10 000 000).
const BATCH_GAS_LIMIT: u64 = 9_500_000;
/// The share of the gas limit the messages may be estimated at (a margin for estimates that
/// grow with the state).
const BATCH_GAS_BUDGET: u64 = 7_000_000;
/// The most messages in one batch transaction.
const MAX_BATCH_MESSAGES: usize = 100;

/// How many messages of `per_message` gas one batch transaction takes (1..=100).
pub(super) fn messages_per_tx(per_message: u64) -> usize {
    usize::try_from(BATCH_GAS_BUDGET / per_message.max(1))
        .unwrap_or(1)
        .clamp(1, MAX_BATCH_MESSAGES)
}

/// The gas price as (amount per gas unit, denom), e.g. `500000000inj`.
fn gas_price(chain: &Chain) -> Result<(u128, String)> {
    let p = &chain.cfg.gas_price;
    let split = p
        .find(|c: char| !c.is_ascii_digit())
        .context("the gas price has no denom")?;
    let amount: u128 = p[..split]
        .parse()
        .with_context(|| format!("gas price {p}"))?;
    Ok((amount, p[split..].to_string()))
}

impl super::Bench<'_> {
    /// Executes `msgs` on `contract` signed by key `from`, `per_tx` messages per transaction,
    /// each transaction waited for before the next; returns their results.
    pub(super) fn execute_many<T: Serialize>(
        &self,
        contract: &str,
        msgs: &[T],
        from: &str,
        per_tx: usize,
    ) -> Result<Vec<TxResult>> {
        let chain = self.chain;
        let work = std::env::temp_dir().join(format!("openledger-bench-{}", std::process::id()));
        std::fs::create_dir_all(&work)?;
        let template = unsigned_template(chain, contract, &msgs[0], from)?;
        let (price, denom) = gas_price(chain)?;
        let mut results = vec![];
        for (i, chunk) in msgs.chunks(per_tx.max(1)).enumerate() {
            let mut tx = template.clone();
            let message = tx["body"]["messages"][0].clone();
            tx["body"]["messages"] = Value::Array(
                chunk
                    .iter()
                    .map(|m| {
                        let mut v = message.clone();
                        v["msg"] = serde_json::to_value(m)?;
                        Ok(v)
                    })
                    .collect::<Result<Vec<_>>>()?,
            );
            tx["auth_info"]["fee"] = json!({
                "amount": [{ "denom": denom, "amount": (u128::from(BATCH_GAS_LIMIT) * price).to_string() }],
                "gas_limit": BATCH_GAS_LIMIT.to_string(),
                "payer": "",
                "granter": "",
            });
            let unsigned = work.join(format!("batch-{i}.json"));
            let signed = work.join(format!("batch-{i}.signed.json"));
            std::fs::write(&unsigned, serde_json::to_vec(&tx)?)?;
            let hash = self.sign_and_broadcast(&unsigned, &signed, from)?;
            results.push(
                chain
                    .wait_tx(&hash)
                    .with_context(|| format!("batch transaction {i} ({} messages)", chunk.len()))?,
            );
        }
        let _ = std::fs::remove_dir_all(&work);
        Ok(results)
    }

    /// Signs the transaction in `unsigned` with key `from` (account and sequence from the
    /// node) and broadcasts it; returns its hash once the node took it into the mempool.
    fn sign_and_broadcast(
        &self,
        unsigned: &std::path::Path,
        signed: &std::path::Path,
        from: &str,
    ) -> Result<String> {
        let chain = self.chain;
        chain.run_raw(&[
            "tx",
            "sign",
            &unsigned.to_string_lossy(),
            "--from",
            from,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
            "--chain-id",
            &chain.cfg.chain_id,
            "--node",
            &chain.cfg.node,
            "--output-document",
            &signed.to_string_lossy(),
        ])?;
        let v = chain.run_json(
            &[
                "tx",
                "broadcast",
                &signed.to_string_lossy(),
                "--node",
                &chain.cfg.node,
                "--broadcast-mode",
                "sync",
            ],
            true,
        )?;
        let code = v["code"].as_u64().unwrap_or(0);
        let hash = v["txhash"].as_str().unwrap_or_default().to_string();
        if code != 0 {
            return Err(TxRejected {
                hash: Some(hash),
                code,
                log: v["raw_log"].as_str().unwrap_or_default().to_string(),
            }
            .into());
        }
        ensure!(!hash.is_empty(), "tx broadcast answered no hash: {v}");
        Ok(hash)
    }
}

/// The chain binary's unsigned transaction of one execute of `msg` on `contract` by `from`.
fn unsigned_template<T: Serialize>(
    chain: &Chain,
    contract: &str,
    msg: &T,
    from: &str,
) -> Result<Value> {
    let json = serde_json::to_string(msg)?;
    let v = chain.run_json(
        &[
            "tx",
            "wasm",
            "execute",
            contract,
            &json,
            "--from",
            from,
            "--keyring-backend",
            &chain.cfg.keyring_backend,
            "--chain-id",
            &chain.cfg.chain_id,
            "--gas",
            "200000",
            "--generate-only",
        ],
        true,
    )?;
    if !v["body"]["messages"][0].is_object() {
        bail!("the unsigned transaction has no message: {v}");
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_fits_the_budget() {
        assert_eq!(messages_per_tx(100_000), 70);
        assert_eq!(messages_per_tx(0), 100);
        assert_eq!(messages_per_tx(10_000_000), 1);
    }
}
