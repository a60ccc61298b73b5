//! Uploads the suite's artifacts, instantiates and wires the contracts, and keeps the manifest.
//! Every step first checks the chain: code already stored with the same checksum and contracts
//! already instantiated with the same label and code are left alone.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use cosmwasm_std::Uint128;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxRejected};
use crate::manifest::{CodeEntry, ContractEntry, Manifest};
use openledger_common::msg::{
    agent_escrow as escrow, datanet_registry as registry, model_licensing as models,
    reward_pool as pool,
};

/// What a deploy run did, for its summary line.
#[derive(Default, Debug)]
pub struct Report {
    pub stored: Vec<String>,
    pub instantiated: Vec<String>,
    pub migrated: Vec<String>,
    pub wired: Vec<String>,
    /// Found on the chain but missing from the manifest (an interrupted deploy), now recorded.
    pub recovered: Vec<String>,
    pub unchanged: Vec<String>,
}

impl Report {
    /// Nothing was stored, instantiated, migrated or wired.
    pub fn is_unchanged(&self) -> bool {
        self.stored.is_empty()
            && self.instantiated.is_empty()
            && self.migrated.is_empty()
            && self.wired.is_empty()
            && self.recovered.is_empty()
    }
}

pub struct Deployer<'a> {
    pub chain: &'a Chain,
    pub artifacts: PathBuf,
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    /// Key that signs and becomes every contract's wasm admin.
    pub key: String,
    pub key_address: String,
    /// Appended to every label, so several suites can live on one chain.
    pub label_suffix: String,
    pub report: Report,
}

fn log(msg: impl AsRef<str>) {
    eprintln!("[deploy] {}", msg.as_ref());
}

pub fn sha256_hex(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "artifact {} is missing: run scripts/build.sh",
            path.display()
        )
    })?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

impl<'a> Deployer<'a> {
    pub fn new(chain: &'a Chain, repo: &Path, key: &str) -> Result<Self> {
        let key_address = chain.key_address(key)?;
        let manifest_path = Manifest::path(&Manifest::dir(repo), &chain.cfg.chain_id);
        let manifest = Manifest::load_or_new(&manifest_path, &chain.cfg.chain_id, &chain.cfg.node)?;
        Ok(Deployer {
            chain,
            artifacts: std::env::var("ARTIFACTS_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|_| repo.join("artifacts")),
            manifest_path,
            manifest,
            key: key.to_string(),
            key_address,
            label_suffix: std::env::var("DEPLOY_LABEL_SUFFIX").unwrap_or_default(),
            report: Report::default(),
        })
    }

    fn save(&self) -> Result<()> {
        self.manifest.save(&self.manifest_path)
    }

    /// Makes sure the artifact `name.wasm` is stored on the chain; returns its code id.
    pub fn ensure_code(&mut self, name: &str) -> Result<u64> {
        let path = self.artifacts.join(format!("{name}.wasm"));
        let checksum = sha256_hex(&path)?;
        if let Some(entry) = self.manifest.codes.get(name).cloned() {
            if entry.checksum == checksum {
                match entry.code_id {
                    Some(id) if self.chain.code_checksum(id)?.as_deref() == Some(&checksum) => {
                        log(format!(
                            "{name}: code {id} already stored (checksum {})",
                            &checksum[..12]
                        ));
                        self.report.unchanged.push(format!("{name} code"));
                        return Ok(id);
                    }
                    None => {
                        if let Some(res) = self.chain.find_tx(&entry.tx_hash)? {
                            let id = code_id_of(&res)?;
                            self.finish_code(name, checksum, id, &res.hash, res.gas_used)?;
                            return Ok(id);
                        }
                    }
                    _ => log(format!(
                        "{name}: code {:?} is not on this chain any more",
                        entry.code_id
                    )),
                }
            }
        }
        // The manifest may be behind the chain (a deploy interrupted between the inclusion of
        // its store and the manifest's update, a lost manifest): the chain's code with this
        // checksum, stored by this key, is the artifact already.
        if let Some(id) = self.code_on_chain(&checksum)? {
            log(format!(
                "{name}: found on the chain as code {id} (checksum {})",
                &checksum[..12]
            ));
            self.manifest.codes.insert(
                name.to_string(),
                CodeEntry {
                    checksum,
                    code_id: Some(id),
                    tx_hash: String::new(),
                    gas_used: None,
                },
            );
            self.report.recovered.push(format!("{name} code"));
            self.save()?;
            return Ok(id);
        }
        log(format!(
            "{name}: storing {} ({} bytes)",
            path.display(),
            std::fs::metadata(&path)?.len()
        ));
        let hash = self
            .chain
            .broadcast_store(&path, &self.key)
            .map_err(|e| reject_context(e, &path))?;
        self.manifest.codes.insert(
            name.to_string(),
            CodeEntry {
                checksum: checksum.clone(),
                code_id: None,
                tx_hash: hash.clone(),
                gas_used: None,
            },
        );
        self.save()?;
        let res = self
            .chain
            .wait_tx(&hash)
            .map_err(|e| reject_context(e, &path))?;
        let id = code_id_of(&res)?;
        self.finish_code(name, checksum, id, &hash, res.gas_used)?;
        Ok(id)
    }

    /// The lowest code id the deploying key stored with `checksum`, if any.
    fn code_on_chain(&self, checksum: &str) -> Result<Option<u64>> {
        Ok(self
            .chain
            .list_codes()?
            .into_iter()
            .find(|(_, sum, creator)| sum == checksum && *creator == self.key_address)
            .map(|(id, _, _)| id))
    }

    /// The contract the deploying key instantiated from `code_id` under `label`, if any (it
    /// still runs that code). Two are an error: the deploy cannot tell which is the suite's.
    fn contract_on_chain(&self, code_id: u64, label: &str) -> Result<Option<String>> {
        let mut found = Vec::new();
        for addr in self.chain.contracts_by_code(code_id)? {
            if let Some((code, l, creator)) = self.chain.contract_details(&addr)? {
                if code == code_id && l == label && creator == self.key_address {
                    found.push(addr);
                }
            }
        }
        if found.len() > 1 {
            bail!(
                "code {code_id} has {} contracts labelled '{label}' by {}: {}; record the suite's in {}",
                found.len(),
                self.key_address,
                found.join(", "),
                self.manifest_path.display()
            );
        }
        Ok(found.pop())
    }

    fn finish_code(
        &mut self,
        name: &str,
        checksum: String,
        id: u64,
        hash: &str,
        gas: u64,
    ) -> Result<()> {
        log(format!(
            "{name}: stored as code {id} (gas {gas}, tx {hash})"
        ));
        self.manifest.codes.insert(
            name.to_string(),
            CodeEntry {
                checksum,
                code_id: Some(id),
                tx_hash: hash.to_string(),
                gas_used: Some(gas),
            },
        );
        self.report.stored.push(name.to_string());
        self.save()
    }

    /// Makes sure contract `name` runs `code_id`: instantiates it with `msg` if absent, migrates
    /// it with `migrate_msg` if it runs other code. Returns its address.
    pub fn ensure_contract<I: Serialize, M: Serialize>(
        &mut self,
        name: &str,
        code_id: u64,
        msg: &I,
        migrate_msg: &M,
    ) -> Result<String> {
        let label = format!("openledger-{}{}", name.replace('_', "-"), self.label_suffix);
        if let Some(entry) = self.manifest.contracts.get(name).cloned() {
            match &entry.address {
                Some(addr) => match self.chain.contract_info(addr)? {
                    Some((current, l)) if l == label => {
                        if let Some(target) = entry.pending_migration {
                            if current == target {
                                self.record_contract(
                                    name,
                                    &label,
                                    addr,
                                    current,
                                    &entry.tx_hash,
                                    None,
                                )?;
                            }
                        }
                        if current == code_id {
                            log(format!("{name}: already at {addr} running code {code_id}"));
                            self.report.unchanged.push(name.to_string());
                            return Ok(addr.clone());
                        }
                        log(format!(
                            "{name}: migrating {addr} from code {current} to {code_id}"
                        ));
                        let hash =
                            self.chain
                                .broadcast_migrate(addr, code_id, migrate_msg, &self.key)?;
                        self.record_contract(name, &label, addr, current, &hash, Some(code_id))?;
                        let res = self.chain.wait_tx(&hash)?;
                        self.record_contract(name, &label, addr, code_id, &res.hash, None)?;
                        self.report.migrated.push(name.to_string());
                        return Ok(addr.clone());
                    }
                    _ => log(format!("{name}: {addr} is not on this chain any more")),
                },
                None => {
                    if let Some(res) = self.chain.find_tx(&entry.tx_hash)? {
                        let addr = address_of(&res)?;
                        self.record_contract(name, &label, &addr, entry.code_id, &res.hash, None)?;
                        self.report.instantiated.push(name.to_string());
                        return self.ensure_contract(name, code_id, msg, migrate_msg);
                    }
                }
            }
        }
        // Likewise a contract instantiated by this key from this code under this label.
        if let Some(addr) = self.contract_on_chain(code_id, &label)? {
            log(format!(
                "{name}: found on the chain at {addr} running code {code_id}"
            ));
            self.record_contract(name, &label, &addr, code_id, "", None)?;
            self.report.recovered.push(name.to_string());
            return Ok(addr);
        }
        log(format!("{name}: instantiating code {code_id} as '{label}'"));
        let hash =
            self.chain
                .broadcast_instantiate(code_id, msg, &label, &self.key_address, &self.key)?;
        self.manifest.contracts.insert(
            name.to_string(),
            ContractEntry {
                label: label.clone(),
                address: None,
                code_id,
                tx_hash: hash.clone(),
                pending_migration: None,
            },
        );
        self.save()?;
        let res = self.chain.wait_tx(&hash)?;
        let addr = address_of(&res)?;
        log(format!(
            "{name}: instantiated at {addr} (gas {})",
            res.gas_used
        ));
        self.record_contract(name, &label, &addr, code_id, &hash, None)?;
        self.report.instantiated.push(name.to_string());
        Ok(addr)
    }

    fn record_contract(
        &mut self,
        name: &str,
        label: &str,
        addr: &str,
        code_id: u64,
        hash: &str,
        pending_migration: Option<u64>,
    ) -> Result<()> {
        self.manifest.contracts.insert(
            name.to_string(),
            ContractEntry {
                label: label.to_string(),
                address: Some(addr.to_string()),
                code_id,
                tx_hash: hash.to_string(),
                pending_migration,
            },
        );
        self.save()
    }

    /// Deploys the whole suite in dependency order and wires the contracts to each other.
    pub fn deploy_suite(&mut self) -> Result<()> {
        let supply: u128 = env_number("OPEN_INITIAL_SUPPLY", 1_000_000_000_000_000)?;
        let token_code = self.ensure_code("open_token")?;
        let token_msg = open_token::InstantiateMsg {
            name: "OpenLedger".into(),
            symbol: "OPEN".into(),
            decimals: 6,
            initial_balances: vec![cw20::Cw20Coin {
                address: self.key_address.clone(),
                amount: Uint128::new(supply),
            }],
            mint: None,
            marketing: None,
        };
        let token = self.ensure_contract(
            "open_token",
            token_code,
            &token_msg,
            &open_token::contract::MigrateMsg {},
        )?;

        // The pool and the registry refer to each other: the pool is instantiated first and
        // learns the registry's address through `update_config`.
        let pool_code = self.ensure_code("reward_pool")?;
        let pool = self.ensure_contract(
            "reward_pool",
            pool_code,
            &pool::InstantiateMsg {
                owner: None,
                token: token.clone(),
                registry: None,
                unbonding_period: env_number("POOL_UNBONDING_PERIOD", 7 * 24 * 3600)?,
            },
            &pool::MigrateMsg {},
        )?;
        let registry_code = self.ensure_code("datanet_registry")?;
        let registry = self.ensure_contract(
            "datanet_registry",
            registry_code,
            &registry::InstantiateMsg {
                owner: None,
                token: token.clone(),
                reward_pool: pool.clone(),
                creation_fee: Uint128::new(env_number("DATANET_CREATION_FEE", 0)?),
            },
            &registry::MigrateMsg {},
        )?;
        let models_code = self.ensure_code("model_licensing")?;
        let models_addr = self.ensure_contract(
            "model_licensing",
            models_code,
            &models::InstantiateMsg {
                owner: None,
                token: token.clone(),
                registry: registry.clone(),
                reward_pool: pool.clone(),
                fee_split: None,
            },
            &models::MigrateMsg {},
        )?;
        let escrow_code = self.ensure_code("agent_escrow")?;
        let arbiter = match std::env::var("ESCROW_DEFAULT_ARBITER") {
            Ok(a) if !a.is_empty() => a,
            _ => self
                .chain
                .key_address("arbiter")
                .unwrap_or_else(|_| self.key_address.clone()),
        };
        self.ensure_contract(
            "agent_escrow",
            escrow_code,
            &escrow::InstantiateMsg {
                owner: None,
                token: token.clone(),
                model_licensing: models_addr.clone(),
                reward_pool: pool.clone(),
                min_agent_bond: Uint128::new(env_number("ESCROW_MIN_AGENT_BOND", 1_000)?),
                protocol_fee_bps: env_number("ESCROW_PROTOCOL_FEE_BPS", 500)?,
                default_arbiter: arbiter,
                arbitration_window: env_number("ESCROW_ARBITRATION_WINDOW", 3 * 24 * 3600)?,
                unbonding_period: env_number("ESCROW_UNBONDING_PERIOD", 7 * 24 * 3600)?,
                slash_bps: env_number("ESCROW_SLASH_BPS", 5_000)?,
            },
            &escrow::MigrateMsg {},
        )?;
        // Only the field this step needs, so the check reads any version of the pool's config.
        #[derive(serde::Deserialize)]
        struct PoolRegistry {
            registry: Option<String>,
        }
        let config: PoolRegistry = self.chain.query(&pool, &pool::QueryMsg::Config {})?;
        if config.registry.as_deref() == Some(registry.as_str()) {
            log("reward_pool: already wired to the registry");
        } else {
            let res = self.chain.execute(
                &pool,
                &pool::ExecuteMsg::UpdateConfig {
                    registry: Some(registry.clone()),
                    unbonding_period: None,
                    staking_reward_period: None,
                },
                &self.key,
                None,
            )?;
            log(format!(
                "reward_pool: wired to the registry {registry} (tx {})",
                res.hash
            ));
            self.report.wired.push("reward_pool.registry".into());
        }
        Ok(())
    }
}

/// A whole number from the environment, or `default`.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v
            .parse()
            .with_context(|| format!("{name} must be a whole number, not '{v}'")),
        _ => Ok(default),
    }
}

fn code_id_of(res: &crate::chain::TxResult) -> Result<u64> {
    res.attr("store_code", "code_id")
        .context("store transaction has no store_code.code_id event")?
        .parse()
        .context("code id is not a number")
}

fn address_of(res: &crate::chain::TxResult) -> Result<String> {
    res.attr("instantiate", "_contract_address")
        .context("instantiate transaction has no _contract_address event")
}

fn reject_context(e: anyhow::Error, path: &Path) -> anyhow::Error {
    match e.downcast_ref::<TxRejected>() {
        Some(r) => anyhow::anyhow!("the chain rejected {}: {}", path.display(), r.log),
        None => e,
    }
}

/// Fails unless the run stored nothing; used by callers that expect an idempotent re-run.
pub fn ensure_nothing_new(report: &Report) -> Result<()> {
    if !report.is_unchanged() {
        bail!("expected nothing new, but the deploy changed {:?}", report);
    }
    Ok(())
}

/// One contract `upgrade` looked at.
#[derive(Debug)]
pub struct Upgraded {
    pub name: String,
    pub address: String,
    /// The code it ran before.
    pub from_code: u64,
    /// The code it runs now.
    pub to_code: u64,
    /// cw2 versions `(from, to)` from the `migrate` event; `None` when it already ran the code.
    pub versions: Option<(String, String)>,
}

/// The instantiate message `upgrade` hands to `ensure_contract`: serializing it fails, so an
/// upgrade can never broadcast an instantiation, whatever the chain answers.
struct NeverInstantiate;

impl Serialize for NeverInstantiate {
    fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("upgrade never instantiates"))
    }
}

impl Deployer<'_> {
    /// Uploads the current artifact of every contract in the manifest (or of those in `only`)
    /// and migrates each contract whose code differs; instantiates nothing. Every contract is
    /// checked before anything is sent: one missing from the manifest or from the chain, still
    /// pending, under another label, or without an artifact is an error and nothing changes.
    pub fn upgrade_suite(&mut self, only: &[String]) -> Result<Vec<Upgraded>> {
        let names: Vec<String> = if only.is_empty() {
            self.manifest.contracts.keys().cloned().collect()
        } else {
            only.to_vec()
        };
        if names.is_empty() {
            bail!(
                "nothing to upgrade: no contract in {} (deploy first with scripts/deploy.sh)",
                self.manifest_path.display()
            );
        }
        let mut current = Vec::new();
        for name in &names {
            let entry = self.manifest.contracts.get(name).with_context(|| {
                format!(
                    "{name} is not in {}: upgrade only migrates deployed contracts (deploy it with scripts/deploy.sh)",
                    self.manifest_path.display()
                )
            })?;
            let addr = entry.address.clone().with_context(|| {
                format!(
                    "{name}: its instantiation (tx {}) is still pending: finish it with scripts/deploy.sh",
                    entry.tx_hash
                )
            })?;
            // ensure_contract knows a contract by this label; another one would be instantiated.
            let label = format!("openledger-{}{}", name.replace('_', "-"), self.label_suffix);
            match self.chain.contract_info(&addr)? {
                Some((code, l)) if l == label => current.push((name.clone(), addr, code)),
                Some((_, l)) => bail!(
                    "{name}: {addr} is labelled '{l}', not '{label}' (is DEPLOY_LABEL_SUFFIX the deploy's?)"
                ),
                None => bail!(
                    "{name}: {addr} from {} is not on chain {}",
                    self.manifest_path.display(),
                    self.chain.cfg.chain_id
                ),
            }
            sha256_hex(&self.artifacts.join(format!("{name}.wasm")))?;
        }
        let mut out = Vec::new();
        for (name, address, from_code) in current {
            let to_code = self.ensure_code(&name)?;
            let migrated_before = self.report.migrated.len();
            // Every contract's MigrateMsg is the empty object.
            self.ensure_contract(&name, to_code, &NeverInstantiate, &serde_json::json!({}))?;
            if !self.report.instantiated.is_empty() {
                bail!("{name}: the upgrade instantiated a contract, which it must never do");
            }
            let versions = if self.report.migrated.len() > migrated_before {
                let hash = self.manifest.contracts[&name].tx_hash.clone();
                let res = self
                    .chain
                    .find_tx(&hash)?
                    .with_context(|| format!("{name}: migration tx {hash} not found"))?;
                let v = |k| res.attr("wasm", k).unwrap_or_else(|| "?".into());
                Some((v("from_version"), v("to_version")))
            } else {
                None
            };
            out.push(Upgraded {
                name,
                address,
                from_code,
                to_code,
                versions,
            });
        }
        Ok(out)
    }
}
