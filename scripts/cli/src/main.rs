//! `openledger`: deploys the suite to a wasmd-based chain, drives it, and holds the project's
//! other tools (attribution trees, snapshots for the upgrade test, the quality tables, schema
//! descriptions). `openledger help` lists every command; `openledger help COMMAND` its flags.
//!
//! The chain is configured by the environment (`CHAIN_BIN`, `CHAIN_HOME`, `CHAIN_NODE`,
//! `CHAIN_ID`, `CHAIN_GAS_PRICE`, `CHAIN_KEYRING_BACKEND`; `DEPLOYER_KEY`); the scripts in
//! `scripts/` set it for the local chain.

mod attribution_tree;
mod bench;
mod chain;
mod deploy;
mod flow_escrow;
mod flow_influence;
mod flow_model;
mod flows;
mod load;
mod localchain;
mod manifest;
mod quality;
mod receipt;
mod reconcile;
mod rpc;
mod schema_describe;
mod smoke;
mod story;
mod tools;
mod upgrade_check;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::chain::{Chain, ChainConfig};
use crate::deploy::Deployer;

/// Deploys the OpenLedger suite to a wasmd-based chain and drives it.
#[derive(Parser, Debug)]
#[command(name = "openledger", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Every command: those that talk to the chain through its binary, and the others.
#[derive(Subcommand, Debug)]
enum Command {
    #[command(flatten)]
    Chain(ChainCommand),
    #[command(flatten)]
    Offline(tools::ToolCommand),
    /// Signs an inference receipt as a model host (offline).
    SignReceipt(receipt::SignArgs),
    /// Builds, proves and verifies influence-attribution Merkle trees (offline).
    #[command(subcommand)]
    AttributionTree(attribution_tree::TreeCommand),
    /// Runs the local single-node chain (scripts/chain.sh): start, stop, status, reset,
    /// accounts, env.
    #[command(name = "chain", subcommand)]
    LocalChain(localchain::ChainAction),
}

/// The commands that need the chain (its binary and a node that answers).
#[derive(Subcommand, Debug)]
enum ChainCommand {
    /// Uploads, instantiates and wires the suite; writes the manifest.
    Deploy {
        /// Fails unless the run stored, instantiated, migrated and wired nothing.
        #[arg(long)]
        expect_unchanged: bool,
    },
    /// Uploads new code and migrates the manifest's contracts (never instantiates).
    Upgrade {
        /// Only these contracts (default: every contract in the manifest).
        names: Vec<String>,
    },
    /// Transfers OPEN between two accounts and checks both balances.
    Smoke,
    /// Datanet → contribute → accept → distribute → claim, balances checked.
    FlowDatanet,
    /// A two-milestone task: model fees, approval, dispute and ruling.
    FlowEscrow,
    /// Gas of every user step and artifact sizes → docs/figures/.
    Bench,
    /// A model on a published version, a signed inference and a batch of 50, gas printed.
    FlowModel,
    /// An influence datanet, attested roots of 2^4 and 2^20 leaves, proof claims, gas printed.
    FlowInfluence,
    /// P payers pay N signed inferences at once: throughput, gas, exact reconciliation
    /// (`--inferences N --payers P --per-tx M`).
    Load {
        /// The load's flags, as `load` reads them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// After a crash: every logged transaction included with its effects or absent; supply and
    /// solvency (`--tx-log FILE [--supply N]`).
    Reconcile {
        /// The reconciliation's flags, as `reconcile` reads them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The whole coordination story with named accounts, every balance asserted, and its account.
    Story,
}

/// The repository: `OPENLEDGER_REPO`, or the one this tool was built from.
pub fn repo_root() -> PathBuf {
    let root = std::env::var("OPENLEDGER_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    root.canonicalize().unwrap_or(root)
}

fn deploy(chain: &Chain, repo: &std::path::Path, key: &str, expect_unchanged: bool) -> Result<()> {
    let mut d = Deployer::new(chain, repo, key)?;
    d.deploy_suite()?;
    let r = &d.report;
    if r.is_unchanged() {
        eprintln!(
            "[deploy] nothing new: every artifact and contract was already on {} ({})",
            chain.cfg.chain_id,
            d.manifest_path.display()
        );
    } else {
        eprintln!(
            "[deploy] stored {:?}, instantiated {:?}, migrated {:?}, wired {:?}, recovered from the chain {:?}; manifest {}",
            r.stored,
            r.instantiated,
            r.migrated,
            r.wired,
            r.recovered,
            d.manifest_path.display()
        );
    }
    if expect_unchanged {
        deploy::ensure_nothing_new(r)?;
    }
    Ok(())
}

fn upgrade(chain: &Chain, repo: &std::path::Path, key: &str, names: &[String]) -> Result<()> {
    let mut d = Deployer::new(chain, repo, key)?;
    let done = d.upgrade_suite(names)?;
    for u in &done {
        match &u.versions {
            Some((from, to)) => eprintln!(
                "[upgrade] migrated {} ({}): code {} -> {}, version {from} -> {to}",
                u.name, u.address, u.from_code, u.to_code
            ),
            None => eprintln!(
                "[upgrade] unchanged {} ({}): already runs code {}",
                u.name, u.address, u.to_code
            ),
        }
    }
    let migrated = done.iter().filter(|u| u.versions.is_some()).count();
    eprintln!(
        "[upgrade] migrated {migrated} of {} contracts on {}; stored {:?}; manifest {}",
        done.len(),
        chain.cfg.chain_id,
        d.report.stored,
        d.manifest_path.display()
    );
    Ok(())
}

impl ChainCommand {
    fn run(self) -> Result<()> {
        let repo = repo_root();
        let chain = Chain::connect(ChainConfig::from_env(&repo)?)?;
        let key = std::env::var("DEPLOYER_KEY").unwrap_or_else(|_| "deployer".into());
        match self {
            ChainCommand::Deploy { expect_unchanged } => {
                deploy(&chain, &repo, &key, expect_unchanged)
            }
            ChainCommand::Upgrade { names } => upgrade(&chain, &repo, &key, &names),
            ChainCommand::Smoke => smoke::run(&chain, &repo, &key),
            ChainCommand::FlowDatanet => flows::datanet(&chain, &repo),
            ChainCommand::FlowModel => flow_model::run(&chain, &repo),
            ChainCommand::Bench => bench::Bench::run(&chain, &repo),
            ChainCommand::FlowEscrow => flow_escrow::run(&chain, &repo),
            ChainCommand::FlowInfluence => flow_influence::run(&chain, &repo),
            ChainCommand::Story => story::run(&chain, &repo),
            ChainCommand::Load { args } => load::run(&chain, &repo, &args),
            ChainCommand::Reconcile { args } => reconcile::run(&chain, &repo, &args),
        }
    }
}

fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Chain(c) => c.run(),
        Command::Offline(t) => t.run(),
        Command::SignReceipt(args) => receipt::sign_command(&args),
        Command::AttributionTree(t) => attribution_tree::run(t),
        Command::LocalChain(a) => std::process::exit(localchain::run(a)),
    }
}

fn main() {
    if let Err(e) = run() {
        // One line: the chain of causes joined.
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn existing_command_lines_parse() {
        for line in [
            "openledger deploy --expect-unchanged",
            "openledger upgrade reward_pool open_token",
            "openledger load --inferences 10 --payers 2 --per-tx 5",
            "openledger reconcile --tx-log f --supply 3",
            "openledger attribution-tree build --datanet-id 1 --input a --out b --no-proofs",
            "openledger contracts",
            "openledger chain start",
            "openledger chain env",
        ] {
            Cli::try_parse_from(line.split(' ')).unwrap();
        }
    }
}
