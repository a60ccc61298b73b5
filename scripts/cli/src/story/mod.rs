//! `openledger story`: the coordination story of the suite, told with named accounts and
//! checked against an exact ledger, on the real chain (`openledger story`) or on cw-multi-test
//! (`cargo test`), from the same code (see [`backend`]).
//!
//! Two datanets: `A` in weight mode with a contribution bond (owner curator1, curator
//! curator2) and `B` in influence mode (owner curator2). Contributors submit data; curator2
//! accepts all of it but one contribution, whose bond goes to the treasury; both datanets
//! publish version 1. model_owner registers a model trained on both (lineage 60 / 40) and
//! served with the host's key; client buys a licence and pays signed inferences singly and in a
//! batch. agent takes client's two-milestone task whose work used the model (receipts signed
//! for payer = the escrow): one milestone is approved, the other disputed and ruled 70 % by the
//! arbiter. Then exact provenance: datanet A's version 2 adds contributor4 and drops
//! contributor3; model_owner registers a model on v2 and one derived from the first model
//! (royalty 20 %); one inference of each reaches exactly the contributors of the versions its
//! model names (contributor3 keeps earning from v1), the derived one also the parent's owner
//! (a pool credit) and data; contributor3 reads its earnings by version and contributor1
//! proves its contribution in v1 with the tree tool. The attestor posts datanet B's root of its contributors' cumulative entitlements;
//! after the (shortened) challenge window they claim with Merkle proofs. Contributors claim
//! their weight-mode rewards and withdraw their bonds, stakers claim, the model owner withdraws
//! its earnings and claims its royalties, curator2 claims its curators' share of datanet A's
//! income (the pool's `curators_bps`) and the host withdraws the hosts' part of the inferences
//! it served with signed receipts, and the pool owner moves the story's treasury intake to the
//! treasury account. Last, a multi-agent workflow (see `workflow`): client hires a coordinator
//! agent, which finds three specialists and an evaluator by capability and delegates research,
//! legal and risk sub-tasks out of its milestone; each delivery pays one inference whose
//! receipt commits to its input and output; the evaluator approves two and rejects one, whose
//! remainder returns to the coordinator's milestone; the client approves the coordinator's
//! report, ratings follow, and `workflow` shows the money tree.
//!
//! The ledger predicts every OPEN balance of every actor and contract from the protocol's rules
//! alone (the fee split and `Attribution::apportion`, the pool's accumulator arithmetic, the
//! escrow's settlement order) and asserts all of them after every step. The rules' parameters
//! (the licensing fee split, the escrow's protocol fee and minimum bond, the pool's attestor
//! bond, the stakes already in the pool) are read from the contracts; results never are.
//!
//! Exactness needs a clean start, so before the story each participant collects what earlier
//! runs (or other tools) left it: returned bonds, staking rewards, model earnings. Datanet A's
//! total weight (1 000) divides 10^18, and the story's stakes are chosen so that every staking
//! reward is a whole number of units (`plan::stake_plan`).

mod account;
pub(crate) mod agents;
pub mod backend;
mod collect;
mod contributions;
mod influence;
mod ledger;
mod paths;
mod payments;
mod plan;
mod prepare;
mod provenance;
mod task;
#[cfg(test)]
mod tests;
mod workflow;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

use self::agents::AgentPlan;
use self::backend::chain::ChainBackend;
use self::backend::{Backend, Call, Contracts, Executed};
use self::ledger::Ledger;
use self::plan::{signed, units};
use self::workflow::WORKFLOW_ACTORS;
use crate::chain::Chain;
use crate::receipt::HostKey;
use openledger_common::bps::Bps;
use openledger_common::msg::reward_pool as pool;

/// Numbered steps of the story.
const TOTAL_STEPS: usize = 41;
/// Datanet A's contribution bond.
const BOND: u128 = 250;
/// The model's inference fee.
const FEE: u128 = 1_000;
/// The licence tier the client buys.
const LICENCE_TIER: u32 = 1;
/// The licence's price, term and quota.
const LICENCE_PRICE: u128 = 5_000;
const LICENCE_DAYS: u64 = 30;
const LICENCE_QUOTA: u64 = 100;
/// Inferences in the client's batch.
const BATCH: usize = 10;
/// The task's milestones.
const MILESTONES: [u128; 2] = [10_000, 5_000];
/// The arbiter's ruling on the disputed milestone, for the agent.
const RULING_BPS: u16 = 7_000;
/// Datanet A's accepted contributions and their weights; the total (1 000) divides 10^18, so
/// every reward-per-weight increment is exact.
const WEIGHTS: [(&str, u64); 3] = [
    ("contributor1", 500),
    ("contributor2", 300),
    ("contributor3", 200),
];
/// The contribution to datanet A that curator2 rejects.
const REJECTED: &str = "contributor4";
/// Everyone who contributes to datanet A: contributor4's second contribution is accepted in
/// version 2.
const A_CONTRIBUTORS: [&str; 4] = [
    "contributor1",
    "contributor2",
    "contributor3",
    "contributor4",
];
/// Datanet B's contributors and their influence shares, in bps of what B received.
const INFLUENCE: [(&str, Bps); 3] = [
    ("contributor2", 5_000),
    ("contributor3", 3_000),
    ("contributor4", 2_000),
];
/// The stakers and the least each stakes in the story.
const STAKERS: [(&str, u128); 2] = [("staker1", 3_000), ("staker2", 1_000)];
/// The challenge window while the story's root is pending, in seconds.
const CHALLENGE_WINDOW: u64 = 2;
/// Lineage and attribution vectors over (A, B), in bps.
const LINEAGE: [u16; 2] = [6_000, 4_000];
const SINGLE_ATTRIBUTION: [u16; 2] = [7_000, 3_000];
const BATCH_ATTRIBUTION: [u16; 2] = [5_000, 5_000];
const TASK_M0_ATTRIBUTION: [u16; 2] = [8_000, 2_000];
const TASK_M1_ATTRIBUTION: [u16; 2] = [5_000, 5_000];

/// Every named key of the local chain, in the order of the final account.
const ACTORS: [&str; 16] = [
    "deployer",
    "curator1",
    "curator2",
    "contributor1",
    "contributor2",
    "contributor3",
    "contributor4",
    "model_owner",
    "host",
    "agent",
    "client",
    "arbiter",
    "attestor",
    "staker1",
    "staker2",
    "treasury",
];

const CONCURRENCY_HINT: &str = " (the story assumes nobody else moves OPEN with these keys or \
    pays into the pool meanwhile; on a shared chain, tell it on a chain of its own)";

/// The story being told: where, who, the ledger, and what it has done so far.
struct Story<'a> {
    b: &'a dyn Backend,
    c: Contracts,
    /// Key → address.
    keys: BTreeMap<&'static str, String>,
    ledger: Ledger,
    step: usize,
    /// (what, gas used) of the main transactions.
    gas: Vec<(String, u64)>,
    /// A tag unique to this run: data hashes, inference ids and names carry it.
    tag: String,
    /// The challenge window to restore, once the story changed it.
    window_to_restore: Option<u64>,
    /// The staking reward period to restore, once the story changed it.
    period_to_restore: Option<u64>,
    host: HostKey,
    /// The rules read from the contracts.
    rules: prepare::Rules,
    /// OPEN's total supply when the story started.
    supply_start: u128,
    // Ids of this run.
    /// Datanet A's contributions, by contributor.
    ids_a: BTreeMap<&'static str, u64>,
    a: u64,
    b_id: u64,
    model: u64,
    task: u64,
}

/// `openledger story`: tells the story on the chain of the manifest.
pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    let backend = ChainBackend::connect(chain, repo)?;
    let model = tell(&backend)?;
    paths::walk(&backend, model)
}

/// Tells the whole story on `backend`, prints its account, and fails on the first balance
/// that is not what the ledger predicts. Returns the story's model.
pub fn tell(backend: &dyn Backend) -> Result<u64> {
    let started = Instant::now();
    let mut story = Story::prepare(backend)?;
    let told = story.tell();
    let restored = story.restore_window();
    told?;
    restored?;
    story.account()?;
    eprintln!(
        "[story] told in {:.0?}: {TOTAL_STEPS} steps, every balance as the ledger predicted",
        started.elapsed()
    );
    Ok(story.model)
}

/// The gas of transactions sent at once: `N each` when equal, else the list; and the least
/// (for the gas table: the others did extra work, e.g. promoting a root).
fn gas_each(results: &[Executed]) -> (String, u64) {
    let gas: Vec<u64> = results.iter().map(|r| r.gas_used).collect();
    let least = gas.iter().copied().min().unwrap_or_default();
    if gas.iter().all(|g| *g == least) {
        (format!("{least} each"), least)
    } else {
        let list: Vec<String> = gas.iter().map(u64::to_string).collect();
        (list.join(", "), least)
    }
}

impl Story<'_> {
    fn addr(&self, key: &str) -> Result<String> {
        self.keys
            .get(key)
            .cloned()
            .with_context(|| format!("key {key} is not one of the story's actors"))
    }

    fn exec<T: Serialize>(
        &self,
        contract: &str,
        msg: &T,
        key: &str,
        what: &str,
    ) -> Result<Executed> {
        self.b.exec_ctx(key, contract, msg, what)
    }

    fn send<T: Serialize>(
        &self,
        key: &str,
        contract: &str,
        amount: u128,
        hook: &T,
        what: &str,
    ) -> Result<Executed> {
        self.b.send_ctx(key, contract, amount, hook, what)
    }

    /// The message `msg` to `contract` as `key`, to send with others ([`Story::all`]).
    fn call<T: Serialize>(&self, key: &str, contract: &str, msg: &T) -> Result<Call> {
        Ok((
            key.to_string(),
            contract.to_string(),
            serde_json::to_value(msg)?,
        ))
    }

    /// Independent messages sent at once (on the chain; in turn on the mock).
    fn all(&self, calls: Vec<Call>, what: &str) -> Result<Vec<Executed>> {
        let who: Vec<String> = calls.iter().map(|c| c.0.clone()).collect();
        self.b
            .execute_all(calls)
            .with_context(|| format!("{}: {what}", who.join(", ")))
    }

    fn query<Q: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
        what: &str,
    ) -> Result<R> {
        self.b.query_ctx(contract, msg, what)
    }

    fn gas(&mut self, what: impl Into<String>, res: &Executed) -> u64 {
        self.gas.push((what.into(), res.gas_used));
        res.gas_used
    }

    fn data_hash(&self, what: &str) -> String {
        hex::encode(Sha256::digest(format!("story-{}-{what}", self.tag)))
    }

    /// Checks every balance and the pool's treasury against the ledger, then prints the step.
    fn done(&mut self, text: String) -> Result<()> {
        self.step += 1;
        let addrs: Vec<String> = self.ledger.expected.keys().cloned().collect();
        let balances = self.b.balances(&addrs)?;
        let mut wrong = vec![];
        for (a, got) in addrs.iter().zip(balances) {
            let want = self.ledger.expected[a];
            if got != want {
                wrong.push(format!(
                    "{} holds {} OPEN units, the ledger expects {} ({})",
                    self.ledger.name(a),
                    units(got),
                    units(want),
                    signed(got as i128 - want as i128)
                ));
            }
        }
        let solvency: serde_json::Value = self
            .b
            .query_quick(&self.c.pool, &pool::QueryMsg::Solvency {})?;
        let treasury = account::amount_field(&solvency["liabilities"]["treasury"])
            .context("the pool's solvency has no liabilities.treasury")?;
        if treasury != self.ledger.treasury() {
            wrong.push(format!(
                "the pool's treasury is {}, the ledger expects {}",
                units(treasury),
                units(self.ledger.treasury())
            ));
        }
        ensure!(
            wrong.is_empty(),
            "after step {}/{TOTAL_STEPS} ({text}): {}{CONCURRENCY_HINT}",
            self.step,
            wrong.join("; ")
        );
        eprintln!("[story] {}/{TOTAL_STEPS} {text}", self.step);
        Ok(())
    }

    fn tell(&mut self) -> Result<()> {
        self.fund()?;
        self.datanets()?;
        self.contributions()?;
        self.stake()?;
        self.model_and_payments()?;
        self.task()?;
        self.provenance()?;
        self.influence()?;
        self.collect()?;
        self.workflow()?;
        ensure!(
            self.step == TOTAL_STEPS,
            "the story told {} steps, not {TOTAL_STEPS}",
            self.step
        );
        Ok(())
    }
}
