//! After the story: the paths the story itself does not take, each on the same backend and
//! each with the exact OPEN movement of every party it touches asserted (every other watched
//! party must not move).
//!
//! - the registry: `withdraw_contribution`, `remove_contribution`, `close_datanet`;
//! - the escrow: `refund` after the accept window, `finalize` after the review window, and the
//!   slash of the reserved bond by a ruling of 0 bps;
//! - model licensing: `record_licensed_inference` on the story's licence;
//! - the pool: `challenge_root`, voided by the owner with the attestor's slash and the
//!   challenger's reward (`resolve_challenge`, `withdraw_challenge`), and `unstake` then
//!   `withdraw_unbonded`.
//!
//! Settings the paths shorten (the challenge window, the pool's unbonding period) are restored
//! however they end, and the slashed agent and attestor bond again what they lost, so later
//! flows and stories find them as they were (a smaller stake the next story plans around).

mod escrow;
mod pool;
mod registry;

use anyhow::{ensure, Context, Result};
use sha2::{Digest, Sha256};

use super::backend::{Backend, Contracts};
use super::plan::{signed, units};

/// The walk through the paths.
struct Paths<'a> {
    b: &'a dyn Backend,
    c: Contracts,
    /// Unique to this run: data hashes and ids carry it.
    tag: String,
    done: usize,
}

/// OPEN balances of some parties before a step.
struct Watch {
    /// (name, address, balance before).
    parties: Vec<(String, String, u128)>,
}

/// Walks every path on `backend`; `model` is the story's model, which the client holds a
/// licence of.
pub fn walk(backend: &dyn Backend, model: u64) -> Result<()> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let tag = hex::encode(&Sha256::digest(format!("paths-{nanos}-{}", std::process::id()))[..4]);
    let mut p = Paths {
        b: backend,
        c: backend.contracts().clone(),
        tag,
        done: 0,
    };
    p.registry_paths()?;
    p.escrow_paths()?;
    p.record_licensed_inference(model)?;
    p.challenge_void_and_slash()?;
    p.withdraw_unbonded()?;
    eprintln!(
        "[paths] {} paths off the story's way, every OPEN movement as expected",
        p.done
    );
    Ok(())
}

impl Paths<'_> {
    /// The address of an actor or of one of the suite's contracts.
    fn who(&self, name: &str) -> Result<String> {
        Ok(match name {
            "registry" => self.c.registry.clone(),
            "pool" => self.c.pool.clone(),
            "models" => self.c.models.clone(),
            "escrow" => self.c.escrow.clone(),
            actor => self.b.address(actor)?,
        })
    }

    /// The deployer gives `actor` `amount` OPEN for what it will pay.
    fn fund(&self, actor: &str, amount: u128) -> Result<()> {
        let to = self.who(actor)?;
        self.b
            .transfer("deployer", &to, amount)
            .with_context(|| format!("deployer: fund {actor} with {amount}"))?;
        Ok(())
    }

    fn data_hash(&self, what: &str) -> String {
        hex::encode(Sha256::digest(format!("paths-{}-{what}", self.tag)))
    }

    /// The balances of `names` now.
    fn watch(&self, names: &[&str]) -> Result<Watch> {
        let addrs = names
            .iter()
            .map(|n| self.who(n))
            .collect::<Result<Vec<_>>>()?;
        let balances = self.b.balances(&addrs)?;
        Ok(Watch {
            parties: names
                .iter()
                .zip(addrs)
                .zip(balances)
                .map(|((n, a), v)| (n.to_string(), a, v))
                .collect(),
        })
    }

    /// Every watched party moved by exactly its `deltas` entry (0 when absent); prints the
    /// path.
    fn expect(&mut self, w: &Watch, deltas: &[(&str, i128)], text: String) -> Result<()> {
        let addrs: Vec<String> = w.parties.iter().map(|p| p.1.clone()).collect();
        let now = self.b.balances(&addrs)?;
        let mut wrong = vec![];
        let mut moved = vec![];
        for ((name, _, before), after) in w.parties.iter().zip(now) {
            let want = deltas
                .iter()
                .find(|(n, _)| n == name)
                .map(|d| d.1)
                .unwrap_or(0);
            let got = after as i128 - *before as i128;
            if got != want {
                wrong.push(format!(
                    "{name} moved {}, expected {}",
                    signed(got),
                    signed(want)
                ));
            } else if got != 0 {
                moved.push(format!("{name} {}", signed(got)));
            }
        }
        ensure!(wrong.is_empty(), "{text}: {}", wrong.join("; "));
        self.done += 1;
        let moved = if moved.is_empty() {
            "no OPEN moved".to_string()
        } else {
            moved.join(", ")
        };
        eprintln!("[paths] {}. {text}: {moved}", self.done);
        Ok(())
    }
}

/// `n` as a signed amount.
fn i(n: u128) -> i128 {
    n as i128
}

/// `n` grouped by thousands, for the printed lines.
fn u(n: u128) -> String {
    units(n)
}
