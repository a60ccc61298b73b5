//! Uploads the suite's artifacts, instantiates and wires the contracts, and keeps the manifest.
//! Every step first checks the chain: code already stored with the same checksum and contracts
//! already instantiated with the same label and code are left alone.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxRejected};
use crate::manifest::{CodeEntry, ContractEntry, Manifest};

/// The suite's contracts, their settings and instantiate messages.
pub mod suite;
mod upgrade;

/// What a deploy run did, for its summary line.
#[derive(Default, Debug)]
pub struct Report {
    /// Artifacts stored.
    pub stored: Vec<String>,
    /// Contracts instantiated.
    pub instantiated: Vec<String>,
    /// Contracts migrated to new code.
    pub migrated: Vec<String>,
    /// Links set between contracts (`reward_pool.registry`).
    pub wired: Vec<String>,
    /// Found on the chain but missing from the manifest (an interrupted deploy), now recorded.
    pub recovered: Vec<String>,
    /// Codes and contracts already as wanted.
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

/// Deploys the suite to one chain and keeps its manifest up to date.
pub struct Deployer<'a> {
    /// The chain deployed to.
    pub chain: &'a Chain,
    /// Where the `.wasm` artifacts are (`ARTIFACTS_DIR`, or `<repo>/artifacts`).
    pub artifacts: PathBuf,
    /// The manifest's file.
    pub manifest_path: PathBuf,
    /// What is deployed, as far as the deploy knows.
    pub manifest: Manifest,
    /// Key that signs and becomes every contract's wasm admin.
    pub key: String,
    /// The signing key's address.
    pub key_address: String,
    /// Appended to every label, so several suites can live on one chain.
    pub label_suffix: String,
    /// What this run did.
    pub report: Report,
}

fn log(msg: impl AsRef<str>) {
    eprintln!("[deploy] {}", msg.as_ref());
}

/// The sha256 of the file at `path`, lower-case hex (an artifact's checksum).
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
    /// A deployer signing with `key`, reading and writing the manifest of `chain` in `repo`.
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

    /// The on-chain label of contract `name`: `openledger-<name>` plus `DEPLOY_LABEL_SUFFIX`.
    pub fn label(&self, name: &str) -> String {
        format!("openledger-{}{}", name.replace('_', "-"), self.label_suffix)
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
        let label = self.label(name);
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
