//! `openledger`: deploys the suite to a wasmd-based chain and drives it.
//!
//!   openledger deploy [--expect-unchanged]   upload, instantiate, wire; write the manifest
//!   openledger upgrade [NAME...]              upload new code, migrate the manifest's contracts (never instantiates)
//!   openledger smoke                          transfer OPEN between two accounts and check both balances
//!   openledger sign-receipt --secret HEX ...   sign an inference receipt as a model host (offline)
//!   openledger flow-datanet                   datanet → contribute → accept → distribute → claim, balances checked
//!   openledger flow-escrow                    a two-milestone task: model fees, approval, dispute and ruling
//!   openledger bench                          gas of every user step and artifact sizes → scripts/bench-results/
//!   openledger flow-model                     model on a published version, signed inference + batch of 50, gas printed
//!   openledger flow-influence                 influence datanet, attested roots of 2^4 and 2^20 leaves, proof claims, gas printed
//!   openledger load [--inferences N] [--payers P] [--per-tx M]   P payers pay N signed inferences at once; throughput, gas, exact reconciliation
//!   openledger reconcile --tx-log FILE [--supply N]   after a crash: every logged transaction included with its effects or absent; supply and solvency
//!   openledger story                          the whole coordination story with named accounts, every balance asserted, and its account
//!
//! The chain is configured by the environment (`CHAIN_BIN`, `CHAIN_HOME`, `CHAIN_NODE`,
//! `CHAIN_ID`, `CHAIN_GAS_PRICE`, `CHAIN_KEYRING_BACKEND`; `DEPLOYER_KEY`); the scripts in
//! `scripts/` set it for the local chain.

mod bench;
mod chain;
mod deploy;
mod flow_escrow;
mod flow_influence;
mod flow_model;
mod flows;
mod load;
mod manifest;
mod receipt;
mod reconcile;
mod rpc;
mod smoke;
mod story;

use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::chain::{Chain, ChainConfig};
use crate::deploy::Deployer;

fn repo_root() -> PathBuf {
    let root = std::env::var("OPENLEDGER_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    root.canonicalize().unwrap_or(root)
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo = repo_root();
    let cmd = args.first().map(String::as_str).unwrap_or("help");
    if cmd == "sign-receipt" {
        // Offline: needs no chain.
        return receipt::sign_command(&args[1..]);
    }
    if !matches!(
        cmd,
        "deploy"
            | "upgrade"
            | "smoke"
            | "flow-datanet"
            | "flow-model"
            | "flow-influence"
            | "flow-escrow"
            | "bench"
            | "story"
            | "load"
            | "reconcile"
    ) {
        bail!("usage: openledger deploy [--expect-unchanged] | upgrade [NAME...] | smoke | flow-datanet | flow-model | flow-influence | flow-escrow | bench | story | load [--inferences N] [--payers P] [--per-tx M] | reconcile --tx-log FILE [--supply N] | sign-receipt");
    }
    let chain = Chain::connect(ChainConfig::from_env(&repo)?)?;
    let key = std::env::var("DEPLOYER_KEY").unwrap_or_else(|_| "deployer".into());
    match cmd {
        "deploy" => {
            let mut d = Deployer::new(&chain, &repo, &key)?;
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
            if args.iter().any(|a| a == "--expect-unchanged") {
                deploy::ensure_nothing_new(r)?;
            }
        }
        "upgrade" => {
            let mut d = Deployer::new(&chain, &repo, &key)?;
            let done = d.upgrade_suite(&args[1..])?;
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
        }
        "smoke" => smoke::run(&chain, &repo, &key)?,
        "flow-datanet" => flows::datanet(&chain, &repo)?,
        "flow-model" => flow_model::run(&chain, &repo)?,
        "bench" => bench::Bench::run(&chain, &repo)?,
        "flow-escrow" => flow_escrow::run(&chain, &repo)?,
        "flow-influence" => flow_influence::run(&chain, &repo)?,
        "story" => story::run(&chain, &repo)?,
        "load" => load::run(&chain, &repo, &args[1..])?,
        "reconcile" => reconcile::run(&chain, &repo, &args[1..])?,
        _ => unreachable!("checked above"),
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        // One line: the chain of causes joined.
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
