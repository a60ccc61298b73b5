//! Transactions: broadcasting through the chain's binary (which signs them), waiting for their
//! inclusion, and their outcome.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use serde::Serialize;
use serde_json::Value;

use super::{is_unreachable, Chain};

/// The outcome of an included transaction.
#[derive(Debug, Clone)]
pub struct TxResult {
    /// The transaction hash (hex).
    pub hash: String,
    /// Gas the transaction used.
    pub gas_used: u64,
    /// Its events as the node reports them (`{type, attributes: [{key, value}]}`).
    pub events: Vec<Value>,
}

impl TxResult {
    /// The first value of `key` in an event of type `ty`.
    pub fn attr(&self, ty: &str, key: &str) -> Option<String> {
        self.events
            .iter()
            .filter(|e| e["type"] == ty)
            .flat_map(|e| e["attributes"].as_array().cloned().unwrap_or_default())
            .find(|a| a["key"] == key)
            .and_then(|a| a["value"].as_str().map(str::to_string))
    }
}

/// A failed transaction, kept apart so callers can tell a chain's refusal from a transport error.
#[derive(Debug)]
pub struct TxRejected {
    /// The hash, when the chain accepted it into a block or its mempool.
    pub hash: Option<String>,
    /// The chain's result code (non-zero).
    pub code: u64,
    /// The chain's log: why it refused the transaction.
    pub log: String,
}

impl std::fmt::Display for TxRejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.hash {
            Some(h) => write!(
                f,
                "transaction {h} refused (code {}): {}",
                self.code, self.log
            ),
            None => write!(f, "transaction refused (code {}): {}", self.code, self.log),
        }
    }
}
impl std::error::Error for TxRejected {}

impl Chain {
    fn tx_flags(&self, from: &str) -> Vec<String> {
        vec![
            "--from".into(),
            from.into(),
            "--keyring-backend".into(),
            self.cfg.keyring_backend.clone(),
            "--chain-id".into(),
            self.cfg.chain_id.clone(),
            "--node".into(),
            self.cfg.node.clone(),
            "--gas".into(),
            "auto".into(),
            "--gas-adjustment".into(),
            self.cfg.gas_adjustment.to_string(),
            "--gas-prices".into(),
            self.cfg.gas_price.clone(),
            "--broadcast-mode".into(),
            "sync".into(),
            "-y".into(),
        ]
    }

    /// Broadcasts a transaction and returns its hash once the node accepted it into the mempool.
    /// A refusal in simulation or `CheckTx` (a contract error, too little fee) is a `TxRejected`.
    pub fn broadcast(&self, args: &[&str], from: &str) -> Result<String> {
        // A node indexes a transaction (so `q tx` finds it) a moment before its state, with the
        // signer's new sequence, is visible to the next simulation. A refusal for a sequence
        // mismatch means nothing was included, so it is safe to try again shortly.
        let mut attempt = 0;
        loop {
            match self.broadcast_once(args, from) {
                Err(e)
                    if attempt < 20
                        && e.downcast_ref::<TxRejected>()
                            .is_some_and(|r| r.log.contains("account sequence mismatch")) =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(250));
                }
                other => return other,
            }
        }
    }

    fn broadcast_once(&self, args: &[&str], from: &str) -> Result<String> {
        let flags = self.tx_flags(from);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(flags.iter().map(String::as_str));
        let v = match self.run(&all, true) {
            Ok(v) => v,
            Err(e) => {
                let msg = e.to_string();
                if msg.contains("key not found") || msg.contains("not a valid name or address") {
                    return Err(anyhow!(
                        "key '{}' not found in the {} keyring at {}",
                        from,
                        self.cfg.keyring_backend,
                        self.cfg.home.display()
                    ));
                }
                return Err(TxRejected {
                    hash: None,
                    code: 1,
                    log: msg,
                }
                .into());
            }
        };
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
        log_broadcast(&hash, from, args)?;
        Ok(hash)
    }

    /// Waits for a transaction to be included and returns its result; a transaction included
    /// with a non-zero code is a `TxRejected`.
    pub fn wait_tx(&self, hash: &str) -> Result<TxResult> {
        let deadline = Instant::now() + self.cfg.tx_timeout;
        // A node that stops answering (crashed, stopped) ends the wait after a few seconds:
        // the transaction's fate is then only known once the node is back (`find_tx`).
        let mut unreachable = 0;
        loop {
            match self.run(&["q", "tx", hash, "--node", &self.cfg.node], true) {
                Ok(v) => return tx_result(hash, &v),
                Err(e) if is_unreachable(&e) => {
                    unreachable += 1;
                    if unreachable >= 12 {
                        bail!(
                            "node {} stopped answering while transaction {hash} was pending: {e}",
                            self.cfg.node
                        );
                    }
                }
                Err(_) => unreachable = 0,
            }
            if Instant::now() > deadline {
                bail!(
                    "transaction {hash} not included within {:?}",
                    self.cfg.tx_timeout
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Looks a transaction up once: `None` if the chain does not know it.
    pub fn find_tx(&self, hash: &str) -> Result<Option<TxResult>> {
        match self.run(&["q", "tx", hash, "--node", &self.cfg.node], true) {
            Ok(v) => tx_result(hash, &v).map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Broadcasts and waits.
    pub fn tx(&self, args: &[&str], from: &str) -> Result<TxResult> {
        let hash = self.broadcast(args, from)?;
        self.wait_tx(&hash)
    }

    /// `tx wasm store`: broadcast only (callers record the hash before waiting).
    pub fn broadcast_store(&self, wasm: &Path, from: &str) -> Result<String> {
        let path = wasm.to_string_lossy();
        self.broadcast(&["tx", "wasm", "store", &path], from)
    }

    /// `tx wasm instantiate` of `code_id` with `msg` under `label`, `admin` as its wasm admin:
    /// broadcast only; returns the hash.
    pub fn broadcast_instantiate<T: Serialize>(
        &self,
        code_id: u64,
        msg: &T,
        label: &str,
        admin: &str,
        from: &str,
    ) -> Result<String> {
        let json = serde_json::to_string(msg)?;
        let id = code_id.to_string();
        self.broadcast(
            &[
                "tx",
                "wasm",
                "instantiate",
                &id,
                &json,
                "--label",
                label,
                "--admin",
                admin,
            ],
            from,
        )
    }

    /// `tx wasm migrate` of `contract` to `code_id` with `msg`: broadcast only; returns the hash.
    pub fn broadcast_migrate<T: Serialize>(
        &self,
        contract: &str,
        code_id: u64,
        msg: &T,
        from: &str,
    ) -> Result<String> {
        let json = serde_json::to_string(msg)?;
        let id = code_id.to_string();
        self.broadcast(&["tx", "wasm", "migrate", contract, &id, &json], from)
    }

    /// `tx wasm execute` with optional native funds (e.g. `10inj`), waiting for inclusion.
    pub fn execute<T: Serialize>(
        &self,
        contract: &str,
        msg: &T,
        from: &str,
        funds: Option<&str>,
    ) -> Result<TxResult> {
        let json = serde_json::to_string(msg)?;
        let mut args = vec!["tx", "wasm", "execute", contract, json.as_str()];
        if let Some(f) = funds {
            args.extend(["--amount", f]);
        }
        self.tx(&args, from)
    }
}

/// Appends `hash from message` to the file named by `OPENLEDGER_TX_LOG` (when set), once the
/// node accepted the transaction, so a crash's aftermath can be reconciled hash by hash.
fn log_broadcast(hash: &str, from: &str, args: &[&str]) -> Result<()> {
    let Some(path) = std::env::var_os("OPENLEDGER_TX_LOG").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    use std::io::Write;
    let line = serde_json::json!({ "hash": hash, "from": from, "args": args });
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open OPENLEDGER_TX_LOG {}", path.to_string_lossy()))?;
    writeln!(f, "{line}")?;
    f.sync_data()?;
    Ok(())
}

fn tx_result(hash: &str, v: &Value) -> Result<TxResult> {
    let code = v["code"].as_u64().unwrap_or(0);
    if code != 0 {
        return Err(TxRejected {
            hash: Some(hash.to_string()),
            code,
            log: v["raw_log"].as_str().unwrap_or_default().to_string(),
        }
        .into());
    }
    let gas_used = match &v["gas_used"] {
        Value::String(s) => s.parse()?,
        Value::Number(n) => n.as_u64().unwrap_or_default(),
        _ => 0,
    };
    Ok(TxResult {
        hash: hash.to_string(),
        gas_used,
        events: v["events"].as_array().cloned().unwrap_or_default(),
    })
}
