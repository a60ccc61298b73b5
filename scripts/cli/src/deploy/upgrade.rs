//! `upgrade`: new code for the contracts already deployed, migrated in place; it never
//! instantiates.

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::{sha256_hex, Deployer};

/// One contract `upgrade` looked at.
#[derive(Debug)]
pub struct Upgraded {
    /// The contract's name in the manifest (`reward_pool`, ...).
    pub name: String,
    /// Its address.
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
            let label = self.label(name);
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
