//! A client for any wasmd-based chain, driving its command-line binary (`tx wasm`, `q wasm`,
//! `q tx`): those sub-commands are the same on every such chain, so the binary, node, chain id,
//! gas price and keys are all configuration.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// Where and how to reach the chain.
#[derive(Debug, Clone)]
pub struct ChainConfig {
    /// The chain's command-line binary (injectived, wasmd, neutrond, ...).
    pub binary: PathBuf,
    /// The binary's home (holds the keyring).
    pub home: PathBuf,
    /// RPC endpoint, e.g. `tcp://127.0.0.1:36657`.
    pub node: String,
    /// The chain id transactions are signed for (`CHAIN_ID`).
    pub chain_id: String,
    /// Gas price with denom, e.g. `500000000inj`.
    pub gas_price: String,
    /// Multiplier on simulated gas.
    pub gas_adjustment: f64,
    /// The keyring backend of the signing keys (`test`, `file`, `os`).
    pub keyring_backend: String,
    /// How long to wait for a transaction to be included.
    pub tx_timeout: Duration,
}

impl ChainConfig {
    /// Reads the configuration from the environment (`eval "$(scripts/chain.sh env)"` sets the
    /// local chain's values); `repo` locates the local chain's defaults.
    pub fn from_env(repo: &Path) -> Result<Self> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let home = var("CHAIN_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join(".localchain"));
        let binary = var("CHAIN_BIN").map(PathBuf::from).ok_or_else(|| {
            anyhow!("CHAIN_BIN is not set: run through scripts/deploy.sh or eval \"$(scripts/chain.sh env)\"")
        })?;
        Ok(ChainConfig {
            binary,
            home,
            node: var("CHAIN_NODE").unwrap_or_else(|| "tcp://127.0.0.1:36657".into()),
            chain_id: var("CHAIN_ID").unwrap_or_else(|| "openledger-local-1".into()),
            gas_price: var("CHAIN_GAS_PRICE").unwrap_or_else(|| "500000000inj".into()),
            gas_adjustment: var("CHAIN_GAS_ADJUSTMENT")
                .map(|v| v.parse())
                .transpose()
                .context("CHAIN_GAS_ADJUSTMENT must be a number")?
                .unwrap_or(1.4),
            keyring_backend: var("CHAIN_KEYRING_BACKEND").unwrap_or_else(|| "test".into()),
            tx_timeout: Duration::from_secs(
                var("CHAIN_TX_TIMEOUT_SECS")
                    .map(|v| v.parse())
                    .transpose()
                    .context("CHAIN_TX_TIMEOUT_SECS must be a whole number")?
                    .unwrap_or(60),
            ),
        })
    }
}

mod query;
mod tx;

pub use tx::{TxRejected, TxResult};

/// A client of one chain through its command-line binary.
pub struct Chain {
    /// How the binary is run and which node it talks to.
    pub cfg: ChainConfig,
}

impl Chain {
    /// Connects: checks that the binary exists and that the node answers.
    pub fn connect(cfg: ChainConfig) -> Result<Self> {
        if !cfg.binary.exists() {
            bail!("chain binary not found: {}", cfg.binary.display());
        }
        let chain = Chain { cfg };
        let status = chain
            .run(&["status", "--node", &chain.cfg.node], false)
            .map_err(|_| {
                anyhow!(
                    "chain at {} is not reachable (start the local chain with scripts/chain.sh start)",
                    chain.cfg.node
                )
            })?;
        let network = status["node_info"]["network"]
            .as_str()
            .or_else(|| status["NodeInfo"]["network"].as_str())
            .unwrap_or_default()
            .to_string();
        if network != chain.cfg.chain_id {
            bail!(
                "node {} runs chain '{}', not the configured '{}'",
                chain.cfg.node,
                network,
                chain.cfg.chain_id
            );
        }
        Ok(chain)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.cfg.binary);
        cmd.args(args).arg("--home").arg(&self.cfg.home);
        cmd
    }

    /// Runs the binary and parses its JSON output (stdout, or stderr for commands that print
    /// there). A non-zero exit is an error carrying the binary's last line.
    fn run(&self, args: &[&str], json_flag: bool) -> Result<Value> {
        let mut cmd = self.command(args);
        if json_flag {
            cmd.args(["--output", "json"]);
        }
        let out = cmd
            .output()
            .with_context(|| format!("cannot run {}", self.cfg.binary.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            let line = stderr
                .lines()
                .chain(stdout.lines())
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output")
                .trim()
                .to_string();
            bail!("{}", line);
        }
        let text = if stdout.trim().is_empty() {
            stderr
        } else {
            stdout
        };
        // Some binaries print notes before the JSON document: parse from its first brace.
        let start = text
            .find('{')
            .ok_or_else(|| anyhow!("no JSON in output: {text}"))?;
        serde_json::from_str(&text[start..]).with_context(|| format!("unparsable output: {text}"))
    }

    /// The address of a key in the keyring.
    pub fn key_address(&self, name: &str) -> Result<String> {
        let v = self
            .run(
                &[
                    "keys",
                    "show",
                    name,
                    "--keyring-backend",
                    &self.cfg.keyring_backend,
                ],
                true,
            )
            .map_err(|_| {
                anyhow!(
                    "key '{}' not found in the {} keyring at {}",
                    name,
                    self.cfg.keyring_backend,
                    self.cfg.home.display()
                )
            })?;
        v["address"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("key '{name}' has no address"))
    }

    /// Runs the binary with `args` and returns its standard output as text.
    pub fn run_raw(&self, args: &[&str]) -> Result<String> {
        let out = self
            .command(args)
            .output()
            .with_context(|| format!("cannot run {}", self.cfg.binary.display()))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let line = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output");
            bail!("{}", line.trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs the binary with `args` and returns its JSON output (for commands this client has
    /// no method for).
    pub fn run_json(&self, args: &[&str], json_flag: bool) -> Result<Value> {
        self.run(args, json_flag)
    }
}

/// A number given as a JSON number or a decimal string.
pub fn number(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// The first number under `key` anywhere in `v` (account types nest differently per chain).
fn find_number(v: &Value, key: &str) -> Option<u64> {
    match v {
        Value::Object(m) => m
            .get(key)
            .and_then(number)
            .or_else(|| m.values().find_map(|x| find_number(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find_number(x, key)),
        _ => None,
    }
}

/// The error of a command that could not reach the node at all.
pub fn is_unreachable(e: &anyhow::Error) -> bool {
    let m = format!("{e:#}");
    m.contains("connection refused") || m.contains("connect: ") || m.contains("no such host")
}

/// Checksums come as hex or base64 depending on the chain version: always compare hex.
pub fn normalize_checksum(raw: &str) -> String {
    if raw.len() == 64 && raw.chars().all(|c| c.is_ascii_hexdigit()) {
        return raw.to_ascii_lowercase();
    }
    use cosmwasm_std::Binary;
    Binary::from_base64(raw)
        .map(|b| hex::encode(b.as_slice()))
        .unwrap_or_else(|_| raw.to_ascii_lowercase())
}

/// Runs `f` on every item at once (one thread each) and returns the results in order.
pub fn par<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> Result<T> + Sync) -> Result<Vec<T>> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.iter().map(|i| scope.spawn(move || f(i))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow!("a worker thread panicked"))
                    .and_then(|r| r)
            })
            .collect()
    })
}
