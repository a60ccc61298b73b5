//! A client for any wasmd-based chain, driving its command-line binary (`tx wasm`, `q wasm`,
//! `q tx`): those sub-commands are the same on every such chain, so the binary, node, chain id,
//! gas price and keys are all configuration.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
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
    pub chain_id: String,
    /// Gas price with denom, e.g. `500000000inj`.
    pub gas_price: String,
    /// Multiplier on simulated gas.
    pub gas_adjustment: f64,
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

/// The outcome of an included transaction.
#[derive(Debug, Clone)]
pub struct TxResult {
    pub hash: String,
    pub gas_used: u64,
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
    pub hash: Option<String>,
    pub code: u64,
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

pub struct Chain {
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

    /// A smart query, decoded into `R`.
    pub fn query<Q: Serialize, R: DeserializeOwned>(&self, contract: &str, msg: &Q) -> Result<R> {
        let json = serde_json::to_string(msg)?;
        let v = self.run(
            &[
                "q",
                "wasm",
                "contract-state",
                "smart",
                contract,
                &json,
                "--node",
                &self.cfg.node,
            ],
            true,
        )?;
        serde_json::from_value(v["data"].clone())
            .with_context(|| format!("unexpected query response {}", v["data"]))
    }

    /// The checksum (lower-case hex) of stored code, or `None` if there is no such code.
    pub fn code_checksum(&self, code_id: u64) -> Result<Option<String>> {
        let id = code_id.to_string();
        match self.run(
            &["q", "wasm", "code-info", &id, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let raw = v["checksum"]
                    .as_str()
                    .or_else(|| v["data_hash"].as_str())
                    .unwrap_or_default();
                Ok(Some(normalize_checksum(raw)))
            }
            Err(_) => Ok(None),
        }
    }

    /// `(code_id, label)` of a contract, or `None` if there is no contract at that address.
    pub fn contract_info(&self, address: &str) -> Result<Option<(u64, String)>> {
        match self.run(
            &["q", "wasm", "contract", address, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let info = &v["contract_info"];
                let code_id = match &info["code_id"] {
                    Value::String(s) => s.parse()?,
                    Value::Number(n) => n.as_u64().unwrap_or_default(),
                    _ => bail!("contract {address}: no code id in {v}"),
                };
                Ok(Some((
                    code_id,
                    info["label"].as_str().unwrap_or_default().to_string(),
                )))
            }
            Err(_) => Ok(None),
        }
    }

    /// Every stored code: `(code_id, checksum hex, creator)`, in id order.
    pub fn list_codes(&self) -> Result<Vec<(u64, String, String)>> {
        let mut out = Vec::new();
        let mut page_key: Option<String> = None;
        loop {
            let mut args = vec!["q", "wasm", "list-code", "--node", &self.cfg.node];
            let key;
            if let Some(k) = &page_key {
                key = k.clone();
                args.extend(["--page-key", key.as_str()]);
            }
            args.extend(["--limit", "100"]);
            let v = self.run(&args, true)?;
            for info in v["code_infos"].as_array().cloned().unwrap_or_default() {
                let id = number(&info["code_id"])
                    .with_context(|| format!("list-code: no code id in {info}"))?;
                let raw = info["data_hash"]
                    .as_str()
                    .or_else(|| info["checksum"].as_str())
                    .unwrap_or_default();
                out.push((
                    id,
                    normalize_checksum(raw),
                    info["creator"].as_str().unwrap_or_default().to_string(),
                ));
            }
            match v["pagination"]["next_key"].as_str() {
                Some(k) if !k.is_empty() => page_key = Some(k.to_string()),
                _ => return Ok(out),
            }
        }
    }

    /// Addresses of every contract instantiated from (or migrated to) `code_id`.
    pub fn contracts_by_code(&self, code_id: u64) -> Result<Vec<String>> {
        let id = code_id.to_string();
        let mut out = Vec::new();
        let mut page_key: Option<String> = None;
        loop {
            let mut args = vec![
                "q",
                "wasm",
                "list-contract-by-code",
                &id,
                "--node",
                &self.cfg.node,
            ];
            let key;
            if let Some(k) = &page_key {
                key = k.clone();
                args.extend(["--page-key", key.as_str()]);
            }
            args.extend(["--limit", "100"]);
            let v = self.run(&args, true)?;
            out.extend(
                v["contracts"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_string)),
            );
            match v["pagination"]["next_key"].as_str() {
                Some(k) if !k.is_empty() => page_key = Some(k.to_string()),
                _ => return Ok(out),
            }
        }
    }

    /// `(code_id, label, creator)` of a contract, or `None` if there is no contract there.
    pub fn contract_details(&self, address: &str) -> Result<Option<(u64, String, String)>> {
        match self.run(
            &["q", "wasm", "contract", address, "--node", &self.cfg.node],
            true,
        ) {
            Ok(v) => {
                let info = &v["contract_info"];
                let code_id = number(&info["code_id"])
                    .with_context(|| format!("contract {address}: no code id in {v}"))?;
                Ok(Some((
                    code_id,
                    info["label"].as_str().unwrap_or_default().to_string(),
                    info["creator"].as_str().unwrap_or_default().to_string(),
                )))
            }
            Err(_) => Ok(None),
        }
    }

    /// `(account_number, sequence)` of an account.
    pub fn account(&self, address: &str) -> Result<(u64, u64)> {
        let v = self
            .run(
                &["q", "auth", "account", address, "--node", &self.cfg.node],
                true,
            )
            .with_context(|| format!("account {address}"))?;
        let find = |key: &str| find_number(&v, key);
        Ok((
            find("account_number").unwrap_or(0),
            find("sequence").unwrap_or(0),
        ))
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
