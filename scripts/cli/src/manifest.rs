//! The deployment manifest: what was deployed on one chain (code ids, checksums, addresses,
//! transaction hashes). It is rewritten atomically after every step, and a step whose
//! transaction was broadcast but not yet seen included is recorded as pending with its hash, so
//! an interrupted deploy resumes without sending anything twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The suite's contracts, in deployment order: the names of their artifacts (`artifacts/<name>.wasm`)
/// and of their entries in the manifest.
pub const CONTRACTS: [&str; 5] = [
    "open_token",
    "reward_pool",
    "datanet_registry",
    "model_licensing",
    "agent_escrow",
];

/// One stored artifact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CodeEntry {
    /// sha256 of the artifact, lower-case hex.
    pub checksum: String,
    /// `None` while the store transaction is pending.
    pub code_id: Option<u64>,
    /// The store transaction (empty when the code was found on the chain).
    pub tx_hash: String,
    /// Gas the store used, once known.
    pub gas_used: Option<u64>,
}

/// One instantiated contract.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ContractEntry {
    /// Its on-chain label (`openledger-<name>` and the deploy's suffix).
    pub label: String,
    /// `None` while the instantiate transaction is pending.
    pub address: Option<String>,
    /// The code the contract runs (after the last migration).
    pub code_id: u64,
    /// The last transaction that instantiated or migrated it.
    pub tx_hash: String,
    /// A migration broadcast but not yet seen included: the code it migrates to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_migration: Option<u64>,
}

/// What the deploy tool stored and instantiated on one chain (`deployments/<chain_id>.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The chain it describes.
    pub chain_id: String,
    /// The node the deploy talked to.
    pub node: String,
    /// Artifacts by contract name (`open_token`, ...).
    pub codes: BTreeMap<String, CodeEntry>,
    /// Instances by contract name.
    pub contracts: BTreeMap<String, ContractEntry>,
}

impl Manifest {
    /// The manifest of `chain_id` under `dir` (`deployments/<chain_id>.json`).
    pub fn path(dir: &Path, chain_id: &str) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Where the manifests live: `DEPLOY_DIR`, or `<repo>/deployments`.
    pub fn dir(repo: &Path) -> PathBuf {
        std::env::var("DEPLOY_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo.join("deployments"))
    }

    /// The manifest of the chain `chain` talks to.
    pub fn of_chain(repo: &Path, chain: &crate::chain::Chain) -> Result<Self> {
        Self::load_or_new(
            &Self::path(&Self::dir(repo), &chain.cfg.chain_id),
            &chain.cfg.chain_id,
            &chain.cfg.node,
        )
    }

    /// The manifest at `path`, or an empty one for `chain_id` and `node` when there is none.
    pub fn load_or_new(path: &Path, chain_id: &str, node: &str) -> Result<Self> {
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let m: Manifest = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid manifest", path.display()))?;
            Ok(m)
        } else {
            Ok(Manifest {
                chain_id: chain_id.to_string(),
                node: node.to_string(),
                ..Default::default()
            })
        }
    }

    /// Writes to a temporary file beside the target, syncs it and renames it over the target,
    /// so a reader (or a crash) only ever sees the old or the new manifest whole.
    pub fn save(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = path.with_extension("json.partial.tmp");
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// The address of a deployed contract.
    pub fn address(&self, name: &str) -> Result<String> {
        self.contracts
            .get(name)
            .and_then(|c| c.address.clone())
            .with_context(|| format!("{name} is not deployed on {}", self.chain_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_is_atomic_and_round_trips() {
        let dir = std::env::temp_dir().join(format!("manifest-test-{}", std::process::id()));
        let path = Manifest::path(&dir, "c-1");
        let mut m = Manifest::load_or_new(&path, "c-1", "tcp://127.0.0.1:1").unwrap();
        m.codes.insert(
            "open_token".into(),
            CodeEntry {
                checksum: "ab".into(),
                code_id: Some(3),
                tx_hash: "H".into(),
                gas_used: Some(10),
            },
        );
        m.save(&path).unwrap();
        assert!(!path.with_extension("json.partial.tmp").exists());
        assert_eq!(Manifest::load_or_new(&path, "x", "y").unwrap(), m);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
