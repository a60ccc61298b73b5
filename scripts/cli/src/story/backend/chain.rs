//! The real chain behind [`Backend`]: transactions through the chain's binary ([`Chain`]),
//! the many checks as smart queries over the node's RPC when it answers them, actors as the
//! keys of the keyring, and time that passes by itself.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use cw20::{Cw20QueryMsg, TokenInfoResponse};
use serde_json::Value;

use super::{Backend, Call, Contracts, Executed};
use crate::attribution_tree::TreeTool;
use crate::chain::{par, Chain, TxResult};
use crate::manifest::Manifest;
use crate::rpc::Rpc;

/// The suite deployed on a chain (its manifest), driven through the chain's binary.
pub struct ChainBackend<'a> {
    chain: &'a Chain,
    contracts: Contracts,
    /// Fast queries over the node's RPC, when the node address allows and it answers.
    rpc: Option<Rpc>,
    /// Key → address, filled as keys are used.
    keys: Mutex<BTreeMap<String, String>>,
}

impl<'a> ChainBackend<'a> {
    /// The suite of the manifest of `chain` in `repo`.
    pub fn connect(chain: &'a Chain, repo: &Path) -> Result<Self> {
        let m = Manifest::of_chain(repo, chain)?;
        let contracts = Contracts {
            token: m.address("open_token")?,
            registry: m.address("datanet_registry")?,
            pool: m.address("reward_pool")?,
            models: m.address("model_licensing")?,
            escrow: m.address("agent_escrow")?,
        };
        Ok(Self::from_parts(chain, contracts))
    }

    /// The suite at `contracts` on `chain` (no manifest read).
    pub fn from_parts(chain: &'a Chain, contracts: Contracts) -> Self {
        let rpc = connect_rpc(chain, &contracts.token);
        ChainBackend {
            chain,
            contracts,
            rpc,
            keys: Mutex::new(BTreeMap::new()),
        }
    }
}

/// The node's RPC, if it answers smart queries.
fn connect_rpc(chain: &Chain, token: &str) -> Option<Rpc> {
    let rpc = Rpc::from_node(&chain.cfg.node)?;
    match rpc.smart::<_, TokenInfoResponse>(token, &Cw20QueryMsg::TokenInfo {}) {
        Ok(_) => Some(rpc),
        Err(e) => {
            eprintln!("[story] the node's RPC does not answer queries ({e:#}); querying through the chain's binary");
            None
        }
    }
}

/// Gas units of native coin a new actor receives, at the configured gas price.
const GAS_GRANT: u128 = 2_000_000_000;
/// Gas units of native coin below which an actor receives another grant.
const GAS_FLOOR: u128 = 200_000_000;

/// `(amount, denom)` of a coin such as `500000000inj`.
fn split_coin(coin: &str) -> Option<(u128, String)> {
    let digits = coin.find(|c: char| !c.is_ascii_digit())?;
    let amount = coin[..digits].parse().ok()?;
    Some((amount, coin[digits..].to_string()))
}

impl ChainBackend<'_> {
    /// The deployer sends `actor` native coin for `GAS_GRANT` gas units when it holds less than
    /// `GAS_FLOOR` (nothing on a chain whose gas is free).
    fn ensure_gas(&self, actor: &str, address: &str) -> Result<()> {
        let price = &self.chain.cfg.gas_price;
        let (per_gas, denom) =
            split_coin(price).with_context(|| format!("unreadable gas price '{price}'"))?;
        if per_gas == 0 {
            return Ok(());
        }
        let node = self.chain.cfg.node.clone();
        let v = self
            .chain
            .run_json(&["q", "bank", "balances", address, "--node", &node], true)?;
        let held: u128 = v["balances"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["denom"] == denom.as_str())
            .and_then(|c| c["amount"].as_str()?.parse().ok())
            .unwrap_or(0);
        let floor = per_gas
            .checked_mul(GAS_FLOOR)
            .context("gas floor overflow")?;
        if held >= floor {
            return Ok(());
        }
        let grant = per_gas
            .checked_mul(GAS_GRANT)
            .context("gas grant overflow")?;
        let coins = format!("{grant}{denom}");
        self.chain
            .tx(
                &["tx", "bank", "send", "deployer", address, &coins],
                "deployer",
            )
            .with_context(|| format!("deployer: send {coins} to {actor} for gas"))?;
        eprintln!("[story] deployer sends {actor} {coins} for gas");
        Ok(())
    }
}

/// A transaction's events in the backend's form.
fn executed(res: TxResult) -> Executed {
    let events = res
        .events
        .iter()
        .map(|e| {
            let attrs = e["attributes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    (text(&a["key"]), text(&a["value"]))
                })
                .collect();
            (e["type"].as_str().unwrap_or_default().to_string(), attrs)
        })
        .collect();
    Executed {
        hash: res.hash,
        gas_used: res.gas_used,
        events,
    }
}

/// An executed message as the chain client reports a transaction (for the tools that keep
/// [`TxResult`]s, such as the benchmark).
pub fn tx_result(e: &Executed) -> TxResult {
    let events = e
        .events
        .iter()
        .map(|(ty, attrs)| {
            let attributes: Vec<Value> = attrs
                .iter()
                .map(|(k, v)| serde_json::json!({ "key": k, "value": v }))
                .collect();
            serde_json::json!({ "type": ty, "attributes": attributes })
        })
        .collect();
    TxResult {
        hash: e.hash.clone(),
        gas_used: e.gas_used,
        events,
    }
}

/// Seconds since the epoch of an RFC 3339 UTC time (`2026-12-02T17:31:56.123Z`).
fn rfc3339_seconds(t: &str) -> Option<u64> {
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut c = time.get(..8)?.split(':').map(|x| x.parse::<i64>().ok());
    let (h, min, s) = (c.next()??, c.next()??, c.next()??);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3_600 + min * 60 + s).ok()
}

impl Backend for ChainBackend<'_> {
    fn describe(&self) -> String {
        format!("{} ({})", self.chain.cfg.chain_id, self.chain.cfg.node)
    }

    fn chain_id(&self) -> String {
        self.chain.cfg.chain_id.clone()
    }

    fn address(&self, actor: &str) -> Result<String> {
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| anyhow!("the key cache is poisoned"))?;
        if let Some(a) = keys.get(actor) {
            return Ok(a.clone());
        }
        let a = self.chain.key_address(actor)?;
        keys.insert(actor.to_string(), a.clone());
        Ok(a)
    }

    fn contracts(&self) -> &Contracts {
        &self.contracts
    }

    fn execute_json(&self, actor: &str, contract: &str, msg: Value) -> Result<Executed> {
        self.chain
            .execute(contract, &msg, actor, None)
            .map(executed)
    }

    fn execute_all(&self, calls: Vec<Call>) -> Result<Vec<Executed>> {
        par(&calls, |(actor, contract, msg)| {
            self.execute_json(actor, contract, msg.clone())
        })
    }

    fn query_json(&self, contract: &str, msg: Value) -> Result<Value> {
        self.chain.query(contract, &msg)
    }

    fn query_fast(&self, contract: &str, msg: Value) -> Result<Value> {
        match &self.rpc {
            Some(r) => r.smart(contract, &msg),
            None => self.chain.query(contract, &msg),
        }
    }

    fn balances(&self, addrs: &[String]) -> Result<Vec<u128>> {
        par(addrs, |a| self.fast_balance_of(a))
    }

    fn block_time(&self) -> Result<u64> {
        let status = self
            .chain
            .run_json(&["status", "--node", &self.chain.cfg.node], false)?;
        let info = status
            .get("sync_info")
            .or_else(|| status.get("SyncInfo"))
            .context("the node's status has no sync_info")?;
        let time = info["latest_block_time"].as_str().unwrap_or_default();
        rfc3339_seconds(time).with_context(|| format!("unreadable block time '{time}'"))
    }

    fn advance(&self, seconds: u64) -> Result<()> {
        let until = self.block_time()? + seconds;
        for _ in 0..(4 * seconds + 120) {
            std::thread::sleep(Duration::from_millis(250));
            if self.block_time()? >= until {
                return Ok(());
            }
        }
        anyhow::bail!("the chain's block time did not pass {until} within a minute of waiting")
    }

    fn ensure_actor(&self, actor: &str) -> Result<bool> {
        let created = if self.chain.key_address(actor).is_ok() {
            false
        } else {
            let backend = self.chain.cfg.keyring_backend.clone();
            self.chain
                .run_raw(&[
                    "keys",
                    "add",
                    actor,
                    "--keyring-backend",
                    &backend,
                    "--output",
                    "json",
                ])
                .with_context(|| format!("add the key '{actor}' to the keyring"))?;
            true
        };
        let address = self.address(actor)?;
        self.ensure_gas(actor, &address)?;
        Ok(created)
    }

    fn attribution_tool(&self) -> Option<TreeTool> {
        // `ATTRIBUTION_TREE_BIN`, else this binary's own `attribution-tree` command.
        TreeTool::locate().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{rfc3339_seconds, split_coin};

    #[test]
    fn gas_prices_split_into_amount_and_denom() {
        assert_eq!(
            split_coin("500000000inj"),
            Some((500_000_000, "inj".into()))
        );
        assert_eq!(split_coin("0stake"), Some((0, "stake".into())));
        assert_eq!(split_coin("inj"), None);
        assert_eq!(split_coin("25"), None);
    }

    #[test]
    fn block_times_are_read_as_unix_seconds() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_seconds("2024-02-29T12:34:56.123456789Z"),
            Some(1_709_210_096)
        );
    }
}
