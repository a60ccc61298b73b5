//! `openledger story`: the coordination story of the suite, told on a real chain with the
//! local chain's named accounts and checked against an exact ledger.
//!
//! Two datanets: `A` in weight mode with a contribution bond (owner curator1, curator
//! curator2) and `B` in influence mode (owner curator2). Contributors submit data; curator2
//! accepts all of it but one contribution, whose bond goes to the treasury; both datanets
//! publish version 1. model_owner registers a model trained on both (lineage 60 / 40) and
//! served with the host's key; client buys a licence and pays signed inferences singly and in a
//! batch. agent takes client's two-milestone task whose work used the model (receipts signed
//! for payer = the escrow): one milestone is approved, the other disputed and ruled 70 % by the
//! arbiter. The attestor posts datanet B's root of its contributors' cumulative entitlements;
//! after the (shortened) challenge window they claim with Merkle proofs. Contributors claim
//! their weight-mode rewards and withdraw their bonds, stakers claim, the model owner withdraws
//! its earnings, and the pool owner moves the story's treasury intake to the treasury account.
//!
//! The ledger predicts every OPEN balance of every actor and contract from the protocol's rules
//! alone (the fee split and `Attribution::apportion`, the pool's accumulator arithmetic, the
//! escrow's settlement order) and asserts all of them after every step. The rules' parameters
//! (the licensing fee split, the escrow's protocol fee and minimum bond, the pool's attestor
//! bond, the stakes already in the pool) are read from the chain; results never are.
//!
//! Exactness needs a clean start, so before the story each participant collects what earlier
//! runs (or other tools) left it: returned bonds, staking rewards, model earnings. Datanet A's
//! total weight (1 000) divides 10^18, and the story's stakes are chosen so that every staking
//! reward is a whole number of units (`stake_plan`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, bail, ensure, Context, Result};
use cosmwasm_std::Uint128;
use cw20::{BalanceResponse, Cw20QueryMsg, TokenInfoResponse};
use openledger_common::attribution::{Attribution, AttributionShare};
use openledger_common::fee::FeeSplit;
use openledger_common::merkle::Entry;
use openledger_common::msg::agent_escrow::{self as escrow, AgentStatus, NewMilestone, NewTask};
use openledger_common::msg::datanet_registry::{
    self as registry, AttributionMode, ContributionPolicy, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::model_licensing::{
    self as models, Host, InferencePayment, LicenseTier, LineageEntry, NewModel, Receipt,
};
use openledger_common::msg::reward_pool as pool;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::chain::{Chain, TxResult};
use crate::flow_influence::{self as influence, Tree};
use crate::flows::{attr_u64, Suite};
use crate::manifest::Manifest;
use crate::receipt::HostKey;
use crate::rpc::Rpc;

/// Numbered steps of the story.
const TOTAL_STEPS: usize = 24;
/// The pool's accumulator scale.
const SCALE: u128 = 1_000_000_000_000_000_000;
/// Datanet A's contribution bond.
const BOND: u128 = 250;
/// The model's inference fee.
const FEE: u128 = 1_000;
/// The licence tier the client buys.
const LICENCE_TIER: u32 = 1;
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
/// Datanet B's contributors and their influence shares, in bps of what B received.
const INFLUENCE: [(&str, u128); 3] = [
    ("contributor2", 5_000),
    ("contributor3", 3_000),
    ("contributor4", 2_000),
];
/// The stakers and the least each stakes in the story.
const STAKERS: [(&str, u128); 2] = [("staker1", 3_000), ("staker2", 1_000)];
/// Every stakers' allocation of the story is a multiple of this (a fifth of a 1 000 fee).
const STAKE_QUANTUM: u128 = 200;
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

/// `10000` → `10 000`.
fn units(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn signed(n: i128) -> String {
    let sign = if n < 0 { "-" } else { "+" };
    format!("{sign}{}", units(n.unsigned_abs()))
}

fn percent(bps: u128) -> String {
    if bps % 100 == 0 {
        format!("{} %", bps / 100)
    } else {
        format!("{:.2} %", bps as f64 / 100.0)
    }
}

fn vector(a: u64, b: u64, bps: [u16; 2]) -> Vec<AttributionShare> {
    vec![
        AttributionShare {
            datanet_id: a,
            weight_bps: bps[0],
        },
        AttributionShare {
            datanet_id: b,
            weight_bps: bps[1],
        },
    ]
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The story's new stakes `[d1, d2]` and the pool's total stake `T` during the payments, such
/// that every staking reward of the story is a whole number of units:
/// - `T = 2^a·5^b` divides `STAKE_QUANTUM·10^18`, so each increment `⌊a·10^18 / T⌋` is exact;
/// - each story staker's whole stake `w_i` is a multiple of `T / gcd(T, STAKE_QUANTUM)`, so
///   `w_i · a / T` is whole for every allocation `a` (a multiple of the quantum).
///
/// `others` is what other accounts stake, `held` what the two stakers already stake, `least`
/// the least each adds. The smallest such `T` is taken.
fn stake_plan(others: u128, held: [u128; 2], least: [u128; 2]) -> Result<(u128, [u128; 2])> {
    let mut totals: Vec<u128> = Vec::new();
    for a in 0..=21u32 {
        for b in 0..=20u32 {
            if let Some(t) = 2u128
                .checked_pow(a)
                .and_then(|x| x.checked_mul(5u128.pow(b)))
            {
                if t <= 1_000_000_000_000_000 {
                    totals.push(t);
                }
            }
        }
    }
    totals.sort_unstable();
    for t in totals {
        let step = t / gcd(t, STAKE_QUANTUM);
        let Some(free) = t.checked_sub(others) else {
            continue;
        };
        if free % step != 0 {
            continue;
        }
        let w1 = (held[0] + least[0]).div_ceil(step) * step;
        let Some(w2) = free.checked_sub(w1) else {
            continue;
        };
        if w2 < held[1] + least[1] {
            continue;
        }
        return Ok((t, [w1 - held[0], w2 - held[1]]));
    }
    bail!(
        "no stake plan makes the staking rewards whole: other accounts stake {others}, which no \
         total of the form 2^a·5^b leaves a multiple of the stakers' step; unstake them or tell \
         the story on a chain of its own"
    )
}

/// A reward-per-weight accumulator, as the pool computes it (`contracts/reward-pool/src/math.rs`).
#[derive(Default)]
struct Accumulator {
    total: u128,
    acc: u128,
    weights: BTreeMap<String, u128>,
    credited: u128,
}

impl Accumulator {
    /// Credits `amount` to the holders; returns the dust (to the treasury). With nothing to
    /// pay, all of it is dust.
    fn distribute(&mut self, amount: u128) -> Result<u128> {
        if self.total == 0 {
            return Ok(amount);
        }
        let inc = amount.checked_mul(SCALE).context("accumulator overflow")? / self.total;
        let credited = inc
            .checked_mul(self.total)
            .context("accumulator overflow")?
            .div_ceil(SCALE);
        self.acc = self.acc.checked_add(inc).context("accumulator overflow")?;
        self.credited += credited;
        Ok(amount - credited)
    }

    /// What `holder` earned since the story started, in scaled units.
    fn earned_scaled(&self, holder: &str) -> Result<u128> {
        let w = self
            .weights
            .get(holder)
            .with_context(|| format!("{holder} holds no weight in the ledger"))?;
        w.checked_mul(self.acc).context("accumulator overflow")
    }
}

enum DatanetModel {
    Weight(Accumulator),
    Influence { received: u128, paid: u128 },
}

/// The expected state: every balance, and the protocol's internal figures the story asserts.
struct Ledger {
    /// Address → display name.
    names: BTreeMap<String, String>,
    start: BTreeMap<String, u128>,
    expected: BTreeMap<String, u128>,
    /// Per address, what moved by category (first-seen order).
    lines: BTreeMap<String, Vec<(String, i128)>>,
    /// The pool's treasury at the start, the story's intake by source, and what was withdrawn.
    treasury_start: u128,
    intake: Vec<(String, u128)>,
    treasury_withdrawn: u128,
    datanets: BTreeMap<u64, DatanetModel>,
    staking: Accumulator,
    /// Credited to the model owner in model licensing, not withdrawn.
    earnings: u128,
    fee_split: FeeSplit,
    registry: String,
    pool: String,
    models: String,
    escrow: String,
}

impl Ledger {
    fn name<'a>(&'a self, addr: &'a str) -> &'a str {
        self.names.get(addr).map(String::as_str).unwrap_or(addr)
    }

    fn note(&mut self, addr: &str, what: &str, amount: i128) {
        let lines = self.lines.entry(addr.to_string()).or_default();
        match lines.iter_mut().find(|(w, _)| w == what) {
            Some(l) => l.1 += amount,
            None => lines.push((what.to_string(), amount)),
        }
    }

    fn relabel(&mut self, addr: &str, from: &str, to: &str) {
        if let Some(l) = self
            .lines
            .get_mut(addr)
            .and_then(|ls| ls.iter_mut().find(|(w, _)| w == from))
        {
            l.0 = to.to_string();
        }
    }

    /// Moves `amount` from `from` to `to`, noting it under `out` and `into`.
    fn mv(&mut self, from: &str, to: &str, amount: u128, out: &str, into: &str) -> Result<()> {
        let name = self.name(from).to_string();
        let f = self
            .expected
            .get_mut(from)
            .with_context(|| format!("{name} is not in the ledger"))?;
        *f = f.checked_sub(amount).with_context(|| {
            format!("the ledger has {name} pay {amount} OPEN units it does not hold")
        })?;
        let to_name = self.name(to).to_string();
        *self
            .expected
            .get_mut(to)
            .with_context(|| format!("{to_name} is not in the ledger"))? += amount;
        self.note(from, out, -(amount as i128));
        self.note(to, into, amount as i128);
        Ok(())
    }

    fn take_intake(&mut self, source: &str, amount: u128) {
        if amount == 0 {
            return;
        }
        match self.intake.iter_mut().find(|(s, _)| s == source) {
            Some(e) => e.1 += amount,
            None => self.intake.push((source.to_string(), amount)),
        }
    }

    fn intake_total(&self) -> u128 {
        self.intake.iter().map(|(_, a)| a).sum()
    }

    /// The pool's treasury as the ledger expects it.
    fn treasury(&self) -> u128 {
        self.treasury_start + self.intake_total() - self.treasury_withdrawn
    }

    /// What the pool does with one `distribute` whose tokens the ledger already moved to it:
    /// datanet allocations (ascending ids), then stakers, then treasury.
    fn distribute(
        &mut self,
        datanets: &BTreeMap<u64, u128>,
        stakers: u128,
        treasury: &[(&str, u128)],
    ) -> Result<()> {
        for (&id, &amount) in datanets {
            if amount == 0 {
                continue;
            }
            match self.datanets.get_mut(&id) {
                Some(DatanetModel::Weight(acc)) => {
                    let dust = acc.distribute(amount)?;
                    let source = if acc.total == 0 {
                        "datanet shares with no accepted weight"
                    } else {
                        "rounding dust"
                    };
                    self.take_intake(source, dust);
                }
                Some(DatanetModel::Influence { received, .. }) => *received += amount,
                None => bail!("datanet {id} is not in the ledger"),
            }
        }
        if stakers > 0 {
            ensure!(
                stakers % STAKE_QUANTUM == 0,
                "the story's plan sends {stakers} to stakers, not a multiple of {STAKE_QUANTUM}"
            );
            let nothing_staked = self.staking.total == 0;
            let before = self.staking.acc;
            let dust = self.staking.distribute(stakers)?;
            let inc = self.staking.acc - before;
            for (who, w) in &self.staking.weights {
                ensure!(
                    (w * inc) % SCALE == 0,
                    "the story's stake plan leaves {who} a fraction of a unit ({w} of {} staked, {stakers} to stakers)",
                    self.staking.total
                );
            }
            self.take_intake(
                if nothing_staked {
                    "stakers' shares with nothing staked"
                } else {
                    "rounding dust"
                },
                dust,
            );
        }
        for (source, amount) in treasury {
            self.take_intake(source, *amount);
        }
        Ok(())
    }

    /// One message to model licensing paying `items` (fee, attribution): `payer` sends the
    /// fees, model licensing keeps the owner's share and sends the rest to the pool in one
    /// `distribute`.
    fn model_payment(
        &mut self,
        payer: &str,
        items: &[(u128, Vec<AttributionShare>)],
        what: &str,
    ) -> Result<()> {
        let mut datanets: BTreeMap<u64, u128> = BTreeMap::new();
        let (mut stakers, mut share, mut dust, mut owner, mut total) = (0, 0, 0, 0, 0);
        for (fee, attribution) in items {
            let split = self.fee_split.split(Uint128::new(*fee))?;
            let spread = Attribution(attribution.clone()).apportion(split.datanets)?;
            for (id, part) in spread.parts {
                *datanets.entry(id).or_default() += part.u128();
            }
            stakers += split.stakers.u128();
            share += split.treasury.u128() - split.dust.u128();
            dust += split.dust.u128() + spread.dust.u128();
            owner += split.model_owner.u128();
            total += fee;
        }
        let (models, pool) = (self.models.clone(), self.pool.clone());
        self.mv(payer, &models, total, what, "fees received")?;
        let to_pool = total - owner;
        if to_pool > 0 {
            self.mv(&models, &pool, to_pool, "sent to the pool", "fee splits")?;
        }
        self.earnings += owner;
        self.distribute(
            &datanets,
            stakers,
            &[
                ("treasury share of model fees and licences", share),
                ("rounding dust", dust),
            ],
        )
    }

    /// The escrow settles `settled_bps` of a milestone of `amount` whose work used `fees` (paid
    /// to model licensing when the milestone was delivered).
    #[allow(clippy::too_many_arguments)]
    fn settle_milestone(
        &mut self,
        task_id: u64,
        amount: u128,
        settled_bps: u16,
        fees: &[(u128, Vec<AttributionShare>)],
        protocol_bps: u16,
        client: &str,
        agent: &str,
    ) -> Result<(u128, u128)> {
        let escrow = self.escrow.clone();
        let pool = self.pool.clone();
        let settled = amount * u128::from(settled_bps) / 10_000;
        let mut model_fees = 0;
        for (fee, attribution) in fees {
            // Each fee is its own cw20 send to model licensing, made at delivery: the data is
            // paid whatever the ruling.
            self.model_payment(
                &escrow,
                &[(*fee, attribution.clone())],
                "model fees paid for agents",
            )?;
            model_fees += fee;
        }
        // The protocol fee rounds up (a non-zero amount at a non-zero rate never pays 0).
        let protocol = (settled * u128::from(protocol_bps)).div_ceil(10_000);
        if protocol > 0 {
            self.mv(
                &escrow,
                &pool,
                protocol,
                "protocol fees",
                "escrow protocol fees",
            )?;
            self.take_intake("escrow protocol fees", protocol);
        }
        let (to_agent, back) = if settled == 0 {
            (0, amount - model_fees)
        } else {
            let to_agent = settled
                .checked_sub(model_fees + protocol)
                .context("the ruling does not cover the model and protocol fees")?;
            (to_agent, amount - settled)
        };
        if to_agent > 0 {
            self.mv(
                &escrow,
                agent,
                to_agent,
                "paid to agents",
                &format!("escrow payouts, task {task_id}"),
            )?;
        }
        if back > 0 {
            self.mv(
                &escrow,
                client,
                back,
                "returned to clients",
                &format!("ruling refund, task {task_id}"),
            )?;
        }
        Ok((to_agent, back))
    }
}

/// What the agent needs before it can take the task.
enum AgentPlan {
    Register { bond: u128 },
    TopUp { amount: u128 },
    Update,
}

struct Story<'a> {
    chain: &'a Chain,
    s: Suite<'a>,
    /// Fast queries over the node's RPC for the checks, when the node address allows.
    rpc: Option<Rpc>,
    repo: PathBuf,
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
    // Rules read from the chain.
    protocol_fee_bps: u16,
    creation_fee: u128,
    agent_plan: AgentPlan,
    attestor_approved: bool,
    attestor_missing: u128,
    staking_total: u128,
    new_stakes: [u128; 2],
    /// OPEN's total supply when the story started.
    supply_start: u128,
    // Ids of this run.
    a: u64,
    b: u64,
    model: u64,
    task: u64,
}

pub fn run(chain: &Chain, repo: &Path) -> Result<()> {
    let started = Instant::now();
    let mut story = Story::prepare(chain, repo)?;
    let told = story.tell();
    let restored = story.restore_window();
    told?;
    restored?;
    story.account()?;
    eprintln!(
        "[story] told in {:.0?}: {TOTAL_STEPS} steps, every balance as the ledger predicted",
        started.elapsed()
    );
    Ok(())
}

/// The gas of transactions sent at once: `N each` when equal, else the list; and the least
/// (for the gas table: the others did extra work, e.g. promoting a root).
fn gas_each(results: &[TxResult]) -> (String, u64) {
    let gas: Vec<u64> = results.iter().map(|r| r.gas_used).collect();
    let least = gas.iter().copied().min().unwrap_or_default();
    if gas.iter().all(|g| *g == least) {
        (format!("{least} each"), least)
    } else {
        let list: Vec<String> = gas.iter().map(u64::to_string).collect();
        (list.join(", "), least)
    }
}

/// Runs `f` on every item at once (one thread each) and returns the results in order.
fn par<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> Result<T> + Sync) -> Result<Vec<T>> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.iter().map(|i| scope.spawn(move || f(i))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow!("a worker thread panicked"))
                    .and_then(|r| r)
            })
            .collect()
    })
}

impl<'a> Story<'a> {
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
    ) -> Result<TxResult> {
        self.chain
            .execute(contract, msg, key, None)
            .with_context(|| format!("{key}: {what}"))
    }

    fn send<T: Serialize>(
        &self,
        key: &str,
        contract: &str,
        amount: u128,
        hook: &T,
        what: &str,
    ) -> Result<TxResult> {
        self.s
            .send(key, contract, amount, hook)
            .with_context(|| format!("{key}: {what}"))
    }

    fn query<Q: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        contract: &str,
        msg: &Q,
        what: &str,
    ) -> Result<R> {
        self.chain
            .query(contract, msg)
            .with_context(|| format!("query {what}"))
    }

    fn gas(&mut self, what: impl Into<String>, res: &TxResult) -> u64 {
        self.gas.push((what.into(), res.gas_used));
        res.gas_used
    }

    fn data_hash(&self, what: &str) -> String {
        hex::encode(Sha256::digest(format!("story-{}-{what}", self.tag)))
    }

    /// Connects to the suite, settles what earlier runs left, reads the rules and takes the
    /// start snapshot.
    fn prepare(chain: &'a Chain, repo: &Path) -> Result<Self> {
        let s = Suite::load(chain, repo)?;
        let manifest = Manifest::of_chain(repo, chain)?;
        let models_addr = manifest.address("model_licensing")?;
        let escrow_addr = manifest.address("agent_escrow")?;
        let keys = ACTORS
            .iter()
            .map(|k| Ok((*k, chain.key_address(k)?)))
            .collect::<Result<BTreeMap<_, _>>>()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let tag = hex::encode(&Sha256::digest(format!("{nanos}-{}", std::process::id()))[..4]);
        eprintln!(
            "[story] the OpenLedger coordination story on {} ({}), run {tag}",
            chain.cfg.chain_id, chain.cfg.node
        );

        let period_to_restore = flush_staking_stream(&s)?;
        settle_leftovers(&s, &keys, &s.registry, &models_addr)?;

        // The rules.
        let licensing: models::ConfigResponse =
            chain.query(&models_addr, &models::QueryMsg::Config {})?;
        let escrow_cfg: escrow::ConfigResponse =
            chain.query(&escrow_addr, &escrow::QueryMsg::Config {})?;
        let registry_cfg: registry::ConfigResponse =
            chain.query(&s.registry, &registry::QueryMsg::Config {})?;
        let pool_cfg: pool::ConfigResponse = chain.query(&s.pool, &pool::QueryMsg::Config {})?;
        let staking: pool::StakingPoolResponse =
            chain.query(&s.pool, &pool::QueryMsg::StakingPool {})?;
        let mut held = [0u128; 2];
        for (i, (k, _)) in STAKERS.iter().enumerate() {
            let st: pool::StakerResponse = chain.query(
                &s.pool,
                &pool::QueryMsg::Staker {
                    address: keys[k].clone(),
                },
            )?;
            held[i] = st.staked.u128();
        }
        let others = staking.total_staked.u128() - held[0] - held[1];
        let (staking_total, new_stakes) = stake_plan(others, held, [STAKERS[0].1, STAKERS[1].1])?;

        let agent: Option<escrow::AgentResponse> = match chain.query(
            &escrow_addr,
            &escrow::QueryMsg::Agent {
                address: keys["agent"].clone(),
            },
        ) {
            Ok(a) => Some(a),
            Err(e) if format!("{e:#}").contains("not a registered agent") => None,
            Err(e) => return Err(e.context("query the agent")),
        };
        let min_bond = escrow_cfg.min_agent_bond.u128().max(1);
        let agent_plan = match agent {
            None => AgentPlan::Register { bond: min_bond },
            Some(a) if a.status == AgentStatus::Withdrawn => AgentPlan::Register { bond: min_bond },
            Some(a) if matches!(a.status, AgentStatus::Unbonding { .. }) => {
                bail!("agent is unbonding from the escrow and cannot take the story's task")
            }
            Some(a) if a.bond.u128() < min_bond => AgentPlan::TopUp {
                amount: min_bond - a.bond.u128(),
            },
            Some(_) => AgentPlan::Update,
        };
        let attestor: pool::AttestorResponse = chain.query(
            &s.pool,
            &pool::QueryMsg::Attestor {
                address: keys["attestor"].clone(),
            },
        )?;
        let attestor_missing = pool_cfg
            .attestor_bond
            .u128()
            .saturating_sub(attestor.bond.u128());
        eprintln!(
            "[story] rules read from the chain: fee split {}/{}/{}/{} bps (datanets/owner/stakers/treasury), escrow protocol fee {} bps, minimum agent bond {}, attestor bond {}, datanet creation fee {}; other accounts stake {others}",
            licensing.fee_split.datanets_bps,
            licensing.fee_split.model_owner_bps,
            licensing.fee_split.stakers_bps,
            licensing.fee_split.treasury_bps,
            escrow_cfg.protocol_fee_bps,
            units(min_bond),
            units(pool_cfg.attestor_bond.u128()),
            units(registry_cfg.creation_fee.u128()),
        );

        // The start snapshot.
        let mut names: BTreeMap<String, String> = keys
            .iter()
            .map(|(k, a)| (a.clone(), k.to_string()))
            .collect();
        for (n, a) in [
            ("datanet registry", &s.registry),
            ("reward pool", &s.pool),
            ("model licensing", &models_addr),
            ("agent escrow", &escrow_addr),
        ] {
            names.insert(a.clone(), n.to_string());
        }
        let rpc = connect_rpc(chain, &s.token);
        let addrs: Vec<String> = names.keys().cloned().collect();
        let balances = par(&addrs, |a| balance(&s, rpc.as_ref(), a))?;
        let start: BTreeMap<String, u128> = addrs.into_iter().zip(balances).collect();
        let supply: TokenInfoResponse = chain
            .query(&s.token, &Cw20QueryMsg::TokenInfo {})
            .context("query OPEN's token info")?;
        let solvency: Value = chain.query(&s.pool, &pool::QueryMsg::Solvency {})?;
        let treasury_start = amount_field(&solvency["liabilities"]["treasury"])
            .context("the pool's solvency has no liabilities.treasury")?;
        let ledger = Ledger {
            names,
            expected: start.clone(),
            start,
            lines: BTreeMap::new(),
            treasury_start,
            intake: vec![],
            treasury_withdrawn: 0,
            datanets: BTreeMap::new(),
            staking: Accumulator::default(),
            earnings: 0,
            fee_split: licensing.fee_split,
            registry: s.registry.clone(),
            pool: s.pool.clone(),
            models: models_addr,
            escrow: escrow_addr,
        };
        Ok(Story {
            chain,
            s,
            rpc,
            repo: repo.to_path_buf(),
            keys,
            ledger,
            step: 0,
            gas: vec![],
            tag,
            window_to_restore: None,
            period_to_restore,
            host: HostKey::derived("host"),
            protocol_fee_bps: escrow_cfg.protocol_fee_bps,
            creation_fee: registry_cfg.creation_fee.u128(),
            agent_plan,
            attestor_approved: attestor.approved,
            attestor_missing,
            staking_total,
            new_stakes,
            supply_start: supply.total_supply.u128(),
            a: 0,
            b: 0,
            model: 0,
            task: 0,
        })
    }

    /// Checks every balance and the pool's treasury against the ledger, then prints the step.
    fn done(&mut self, text: String) -> Result<()> {
        self.step += 1;
        let addrs: Vec<String> = self.ledger.expected.keys().cloned().collect();
        let rpc = self.rpc.as_ref();
        let balances = par(&addrs, |a| balance(&self.s, rpc, a))?;
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
        let solvency: Value =
            fast_query(self.chain, rpc, &self.s.pool, &pool::QueryMsg::Solvency {})?;
        let treasury = amount_field(&solvency["liabilities"]["treasury"])
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
        self.influence()?;
        self.collect()?;
        ensure!(
            self.step == TOTAL_STEPS,
            "the story told {} steps, not {TOTAL_STEPS}",
            self.step
        );
        Ok(())
    }

    /// 1: the deployer gives every actor what the story has it pay.
    fn fund(&mut self) -> Result<()> {
        let client_needs =
            LICENCE_PRICE + FEE * (1 + BATCH as u128) + MILESTONES.iter().sum::<u128>();
        let mut plan: Vec<(&str, u128)> = vec![];
        for c in [
            "contributor1",
            "contributor2",
            "contributor3",
            "contributor4",
        ] {
            plan.push((c, BOND));
        }
        plan.push(("client", client_needs));
        plan.push((STAKERS[0].0, self.new_stakes[0]));
        plan.push((STAKERS[1].0, self.new_stakes[1]));
        match self.agent_plan {
            AgentPlan::Register { bond } => plan.push(("agent", bond)),
            AgentPlan::TopUp { amount } => plan.push(("agent", amount)),
            AgentPlan::Update => {}
        }
        plan.push(("attestor", self.attestor_missing));
        plan.push(("curator1", self.creation_fee));
        plan.push(("curator2", self.creation_fee));
        plan.retain(|(_, a)| *a > 0);
        let deployer = self.addr("deployer")?;
        let mut gas = 0;
        for (key, amount) in &plan {
            let to = self.addr(key)?;
            let res = self
                .s
                .transfer("deployer", &to, *amount)
                .with_context(|| format!("deployer: transfer {amount} to {key}"))?;
            if gas == 0 {
                gas = self.gas("OPEN transfer (the anchor)", &res);
            }
            self.ledger.mv(
                &deployer,
                &to,
                *amount,
                "funding of the story's actors",
                "funded by deployer",
            )?;
        }
        let list = plan
            .iter()
            .map(|(k, a)| format!("{k} {}", units(*a)))
            .collect::<Vec<_>>()
            .join(", ");
        self.done(format!(
            "deployer funds what each actor will pay: {list} (gas {gas} per transfer)"
        ))
    }

    fn create_datanet(&mut self, key: &'static str, d: NewDatanet, what: &str) -> Result<TxResult> {
        let res = if self.creation_fee > 0 {
            let res = self.send(
                key,
                &self.s.registry,
                self.creation_fee,
                &registry::ReceiveMsg::CreateDatanet(d),
                what,
            )?;
            let (from, registry, pool) = (
                self.addr(key)?,
                self.s.registry.clone(),
                self.s.pool.clone(),
            );
            let fee = self.creation_fee;
            self.ledger.mv(
                &from,
                &registry,
                fee,
                "datanet creation fee",
                "creation fees",
            )?;
            self.ledger
                .mv(&registry, &pool, fee, "creation fees", "creation fees")?;
            self.ledger.take_intake("datanet creation fees", fee);
            res
        } else {
            self.exec(
                &self.s.registry,
                &registry::ExecuteMsg::CreateDatanet(d),
                key,
                what,
            )?
        };
        Ok(res)
    }

    /// 2–3: the two datanets.
    fn datanets(&mut self) -> Result<()> {
        let curator2 = self.addr("curator2")?;
        let res = self.create_datanet(
            "curator1",
            NewDatanet {
                name: "clinical-notes".into(),
                description: "De-identified clinical notes, curated and weighted".into(),
                metadata_uri: format!("ipfs://story-{}/clinical-notes", self.tag),
                curators: vec![curator2],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(BOND),
                attribution_mode: AttributionMode::Weight,
            },
            "create the weight-mode datanet",
        )?;
        self.a = attr_u64(&res, "datanet_id")?;
        self.ledger
            .datanets
            .insert(self.a, DatanetModel::Weight(Accumulator::default()));
        let gas = self.gas("create_datanet (weight mode, bond, 1 curator)", &res);
        self.done(format!(
            "curator1 creates datanet {} \"clinical-notes\": weight mode, bond {BOND}, curator2 as curator (gas {gas})",
            self.a
        ))?;

        let res = self.create_datanet(
            "curator2",
            NewDatanet {
                name: "code-reviews".into(),
                description: "Code review threads, rewarded by attested influence".into(),
                metadata_uri: format!("ipfs://story-{}/code-reviews", self.tag),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::zero(),
                attribution_mode: AttributionMode::Influence,
            },
            "create the influence-mode datanet",
        )?;
        self.b = attr_u64(&res, "datanet_id")?;
        self.ledger.datanets.insert(
            self.b,
            DatanetModel::Influence {
                received: 0,
                paid: 0,
            },
        );
        let gas = self.gas("create_datanet (influence mode)", &res);
        self.done(format!(
            "curator2 creates datanet {} \"code-reviews\": influence mode, no bond (gas {gas})",
            self.b
        ))
    }

    /// 4–8: contributions, reviews, versions.
    fn contributions(&mut self) -> Result<()> {
        let (a, b) = (self.a, self.b);
        // Datanet A: four contributions with a bond, one per contributor, sent at once.
        let contributors_a: Vec<&str> = WEIGHTS.iter().map(|(k, _)| *k).chain([REJECTED]).collect();
        let results = par(&contributors_a, |key| {
            self.send(
                key,
                &self.s.registry,
                BOND,
                &registry::ReceiveMsg::Contribute(NewContribution {
                    datanet_id: a,
                    data_hash: self.data_hash(&format!("{a}-{key}")),
                    uri: format!("ipfs://story-{}/clinical-notes/{key}.jsonl", self.tag),
                    size_bytes: 1 << 20,
                    license_note: Some("CC-BY-4.0".into()),
                }),
                "contribute to datanet A with a bond",
            )
        })?;
        let mut ids_a = BTreeMap::new();
        for (key, res) in contributors_a.iter().zip(&results) {
            ids_a.insert(*key, attr_u64(res, "contribution_id")?);
            let (from, registry) = (self.addr(key)?, self.s.registry.clone());
            self.ledger.mv(
                &from,
                &registry,
                BOND,
                &format!("bond, datanet {a}"),
                "bonds held",
            )?;
        }
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("contribute (cw20 send with bond)".into(), least));
        self.done(format!(
            "contributor1..4 each contribute a file to datanet {a} with a bond of {BOND} (gas {gas})"
        ))?;

        // Datanet B: three contributions without bond.
        let contributors_b: Vec<&str> = INFLUENCE.iter().map(|(k, _)| *k).collect();
        let results = par(&contributors_b, |key| {
            self.exec(
                &self.s.registry,
                &registry::ExecuteMsg::Contribute(NewContribution {
                    datanet_id: b,
                    data_hash: self.data_hash(&format!("{b}-{key}")),
                    uri: format!("ipfs://story-{}/code-reviews/{key}.jsonl", self.tag),
                    size_bytes: 512 << 10,
                    license_note: None,
                }),
                key,
                "contribute to datanet B",
            )
        })?;
        let ids_b = results
            .iter()
            .map(|r| attr_u64(r, "contribution_id"))
            .collect::<Result<Vec<_>>>()?;
        let (gas, least) = gas_each(&results);
        self.gas.push(("contribute (no bond)".into(), least));
        self.done(format!(
            "contributor2..4 contribute to datanet {b}, no bond (gas {gas})"
        ))?;

        // curator2 reviews A: three accepted, contributor4's rejected.
        let mut decisions: Vec<ReviewDecision> = WEIGHTS
            .iter()
            .map(|(k, w)| ReviewDecision::Accept {
                contribution_id: ids_a[k],
                weight: *w,
            })
            .collect();
        decisions.push(ReviewDecision::Reject {
            contribution_id: ids_a[REJECTED],
            reason: "near-duplicate of an accepted record".into(),
        });
        let res = self.exec(
            &self.s.registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id: a,
                decisions,
            },
            "curator2",
            "review datanet A",
        )?;
        let mut acc = Accumulator::default();
        for (k, w) in WEIGHTS {
            acc.weights.insert(self.addr(k)?, u128::from(w));
            acc.total += u128::from(w);
        }
        self.ledger.datanets.insert(a, DatanetModel::Weight(acc));
        let (rejected, registry, pool) = (
            self.addr(REJECTED)?,
            self.s.registry.clone(),
            self.s.pool.clone(),
        );
        self.ledger
            .mv(&registry, &pool, BOND, "rejected bonds", "rejected bonds")?;
        self.ledger.take_intake("rejected contribution bonds", BOND);
        self.ledger.relabel(
            &rejected,
            &format!("bond, datanet {a}"),
            &format!("bond, datanet {a} (rejected: to the treasury)"),
        );
        let gas = self.gas("review_contributions (3 accepts, 1 reject)", &res);
        self.done(format!(
            "curator2 reviews datanet {a}: accepts contributor1 (weight 500), contributor2 (300), contributor3 (200); rejects contributor4's (bond {BOND} to the treasury) (gas {gas})"
        ))?;

        let res = self.exec(
            &self.s.registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id: b,
                decisions: ids_b
                    .iter()
                    .map(|&contribution_id| ReviewDecision::Accept {
                        contribution_id,
                        weight: 100,
                    })
                    .collect(),
            },
            "curator2",
            "review datanet B",
        )?;
        let gas = self.gas("review_contributions (3 accepts, influence mode)", &res);
        self.done(format!(
            "curator2 accepts datanet {b}'s 3 contributions (gas {gas})"
        ))?;

        let res_a = self.exec(
            &self.s.registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id: a },
            "curator1",
            "publish datanet A's version",
        )?;
        let res_b = self.exec(
            &self.s.registry,
            &registry::ExecuteMsg::PublishVersion { datanet_id: b },
            "curator2",
            "publish datanet B's version",
        )?;
        for (d, res) in [(a, &res_a), (b, &res_b)] {
            let v = attr_u64(res, "version")?;
            ensure!(
                v == 1,
                "datanet {d} published version {v}; a fresh datanet's first is 1"
            );
        }
        let gas = self.gas("publish_version", &res_a);
        self.done(format!(
            "curator1 publishes datanet {a} v1 (root of 3 records, weight 1 000), curator2 datanet {b} v1 (gas {gas})"
        ))
    }

    /// 9: both stakers stake before any payment, so the stake is constant while fees arrive.
    fn stake(&mut self) -> Result<()> {
        let stakers: Vec<(&str, u128)> = STAKERS
            .iter()
            .zip(self.new_stakes)
            .map(|((k, _), d)| (*k, d))
            .collect();
        let results = par(&stakers, |(key, amount)| {
            self.send(
                key,
                &self.s.pool,
                *amount,
                &pool::ReceiveMsg::Stake {},
                "stake",
            )
        })?;
        let pool_addr = self.s.pool.clone();
        for (key, amount) in &stakers {
            let addr = self.addr(key)?;
            self.ledger
                .mv(&addr, &pool_addr, *amount, "staked", "stakes")?;
        }
        // Each staker earns on its whole stake: what it held before plus the story's.
        let mut weights = BTreeMap::new();
        for (key, _) in &stakers {
            let st: pool::StakerResponse = self.query(
                &self.s.pool,
                &pool::QueryMsg::Staker {
                    address: self.addr(key)?,
                },
                "staker",
            )?;
            weights.insert(self.addr(key)?, st.staked.u128());
        }
        let total: pool::StakingPoolResponse = self.query(
            &self.s.pool,
            &pool::QueryMsg::StakingPool {},
            "staking pool",
        )?;
        ensure!(
            total.total_staked.u128() == self.staking_total,
            "the pool's total stake is {} after the story's stakes; the plan expected {}{CONCURRENCY_HINT}",
            total.total_staked,
            self.staking_total
        );
        self.ledger.staking = Accumulator {
            total: self.staking_total,
            weights,
            ..Accumulator::default()
        };
        let (gas, least) = gas_each(&results);
        self.gas.push(("stake (cw20 send)".into(), least));
        let whole = stakers
            .iter()
            .map(|(k, _)| Ok(units(self.ledger.staking.weights[&self.addr(k)?])))
            .collect::<Result<Vec<_>>>()?;
        self.done(format!(
            "staker1 stakes {} and staker2 {} (their stakes now {} of the pool's {}) before any fee arrives (gas {gas})",
            units(stakers[0].1),
            units(stakers[1].1),
            whole.join(" and "),
            units(self.staking_total)
        ))
    }

    fn signed(&self, payer: &str, inference_id: String, bps: [u16; 2]) -> Result<InferencePayment> {
        let attribution = vector(self.a, self.b, bps);
        let receipt = Receipt {
            chain_id: self.chain.cfg.chain_id.clone(),
            contract: self.ledger.models.clone(),
            model_id: self.model,
            inference_id: inference_id.clone(),
            payer: payer.to_string(),
            fee: Uint128::new(FEE),
            attribution: attribution.clone(),
        };
        Ok(InferencePayment {
            model_id: self.model,
            inference_id,
            attribution: Some(attribution),
            receipt_signature: Some(self.host.sign(&receipt)?),
        })
    }

    /// 10–13: the model, a licence, a signed inference, a batch.
    fn model_and_payments(&mut self) -> Result<()> {
        let (a, b) = (self.a, self.b);
        let models_addr = self.ledger.models.clone();
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::RegisterModel(NewModel {
                name: "med-coder-7b".into(),
                metadata_uri: format!("ipfs://story-{}/med-coder-7b.json", self.tag),
                weights_hash: self.data_hash("weights"),
                base_model: Some("llama-2-7b".into()),
                lineage: vec![
                    LineageEntry {
                        datanet_id: a,
                        version: 1,
                        weight_bps: LINEAGE[0],
                    },
                    LineageEntry {
                        datanet_id: b,
                        version: 1,
                        weight_bps: LINEAGE[1],
                    },
                ],
                inference_fee: Uint128::new(FEE),
                tiers: vec![LicenseTier {
                    id: LICENCE_TIER,
                    price: Uint128::new(LICENCE_PRICE),
                    duration: LICENCE_DAYS * 86_400,
                    inference_quota: Some(LICENCE_QUOTA),
                    commercial: true,
                }],
                hosts: vec![Host {
                    address: self.addr("host")?,
                    pubkey: self.host.pubkey(),
                }],
            }),
            "model_owner",
            "register the model",
        )?;
        self.model = attr_u64(&res, "model_id")?;
        let m = self.model;
        let gas = self.gas("register_model (2 lineage entries, 1 tier, 1 host)", &res);
        self.done(format!(
            "model_owner registers model {m} \"med-coder-7b\" on datanet {a} v1 (60 %) and {b} v1 (40 %): {FEE} per inference, served with the host's key (gas {gas})"
        ))?;

        let client = self.addr("client")?;
        let res = self.send(
            "client",
            &models_addr,
            LICENCE_PRICE,
            &models::ReceiveMsg::PurchaseLicense {
                model_id: m,
                tier_id: LICENCE_TIER,
                terms: models::LicenseTerms {
                    price: Uint128::new(LICENCE_PRICE),
                    duration: LICENCE_DAYS * 86_400,
                    inference_quota: Some(LICENCE_QUOTA),
                    commercial: true,
                },
            },
            "buy a licence",
        )?;
        self.ledger.model_payment(
            &client,
            &[(LICENCE_PRICE, vector(a, b, LINEAGE))],
            &format!("licence, model {m}"),
        )?;
        let gas = self.gas("purchase_license", &res);
        self.done(format!(
            "client buys a licence of model {m}: tier {LICENCE_TIER}, {} for {LICENCE_DAYS} days and {LICENCE_QUOTA} inferences, split by the lineage (gas {gas})",
            units(LICENCE_PRICE)
        ))?;

        let item = self.signed(
            &client,
            format!("story-{}-single", self.tag),
            SINGLE_ATTRIBUTION,
        )?;
        let res = self.send(
            "client",
            &models_addr,
            FEE,
            &models::ReceiveMsg::PayInference(item),
            "pay a signed inference",
        )?;
        self.ledger.model_payment(
            &client,
            &[(FEE, vector(a, b, SINGLE_ATTRIBUTION))],
            &format!("inference fees, model {m}"),
        )?;
        let gas = self.gas("pay_inference (signed receipt)", &res);
        self.done(format!(
            "client pays 1 inference with the host's signed receipt (datanet {a} 70 %, {b} 30 %) (gas {gas})"
        ))?;

        let items = (0..BATCH)
            .map(|i| {
                self.signed(
                    &client,
                    format!("story-{}-batch-{i}", self.tag),
                    BATCH_ATTRIBUTION,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let res = self.send(
            "client",
            &models_addr,
            FEE * BATCH as u128,
            &models::ReceiveMsg::PayInferences { items },
            "pay a batch of signed inferences",
        )?;
        let batch: Vec<(u128, Vec<AttributionShare>)> = (0..BATCH)
            .map(|_| (FEE, vector(a, b, BATCH_ATTRIBUTION)))
            .collect();
        self.ledger
            .model_payment(&client, &batch, &format!("inference fees, model {m}"))?;
        let gas = self.gas(format!("pay_inferences ({BATCH} signed, one tx)"), &res);
        self.done(format!(
            "client pays {BATCH} signed inferences in one batch (datanets {a} and {b} 50 % each) (gas {gas}, {} per inference)",
            gas / BATCH as u64
        ))
    }

    /// 14–17: the agent, the task, an approval, a dispute and a ruling.
    fn task(&mut self) -> Result<()> {
        let (a, b, m) = (self.a, self.b, self.model);
        let escrow_addr = self.ledger.escrow.clone();
        let agent = self.addr("agent")?;
        let client = self.addr("client")?;
        let text = match self.agent_plan {
            AgentPlan::Register { bond } => {
                let res = self.send(
                    "agent",
                    &escrow_addr,
                    bond,
                    &escrow::ReceiveMsg::RegisterAgent {
                        name: "research-agent".into(),
                        metadata_uri: "ipfs://story/research-agent.json".into(),
                        models: vec![m],
                    },
                    "register as an agent",
                )?;
                self.ledger
                    .mv(&agent, &escrow_addr, bond, "agent bond", "agent bonds")?;
                let gas = self.gas("register_agent (cw20 send with bond)", &res);
                format!(
                    "agent registers with a bond of {}, offering model {m} (gas {gas})",
                    units(bond)
                )
            }
            AgentPlan::TopUp { amount } => {
                self.send(
                    "agent",
                    &escrow_addr,
                    amount,
                    &escrow::ReceiveMsg::TopUpBond {},
                    "top up the agent bond",
                )?;
                self.ledger
                    .mv(&agent, &escrow_addr, amount, "agent bond", "agent bonds")?;
                let res = self.update_agent(m)?;
                format!(
                    "agent (registered before) tops its bond up by {} and now offers model {m} (gas {res})",
                    units(amount)
                )
            }
            AgentPlan::Update => {
                let gas = self.update_agent(m)?;
                format!("agent (registered and bonded before) now offers model {m} (gas {gas})")
            }
        };
        self.done(text)?;

        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let deposit: u128 = MILESTONES.iter().sum();
        let res = self.send(
            "client",
            &escrow_addr,
            deposit,
            &escrow::ReceiveMsg::CreateTask(NewTask {
                agent: agent.clone(),
                spec_hash: self.data_hash("task-spec"),
                spec_uri: format!("ipfs://story-{}/task-spec.md", self.tag),
                milestones: vec![
                    NewMilestone {
                        amount: Uint128::new(MILESTONES[0]),
                        description: "draft coding report".into(),
                    },
                    NewMilestone {
                        amount: Uint128::new(MILESTONES[1]),
                        description: "final coding report".into(),
                    },
                ],
                accept_window: 3_600,
                delivery_deadline: now + 86_400,
                review_window: 3_600,
                arbiter: Some(self.addr("arbiter")?),
                // The three inferences the work will pay for, at the model's fee.
                max_model_fees: Uint128::new(3 * FEE),
                min_bond_reserved: None,
            }),
            "create a task",
        )?;
        self.task = attr_u64(&res, "task_id")?;
        let t = self.task;
        self.ledger.mv(
            &client,
            &escrow_addr,
            deposit,
            &format!("deposit, task {t}"),
            "escrowed",
        )?;
        let create_gas = self.gas("create_task (cw20 send, 2 milestones)", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::AcceptTask { task_id: t },
            "agent",
            "accept the task",
        )?;
        let accept_gas = self.gas("accept_task", &res);
        self.done(format!(
            "client opens task {t} for agent: {} + {} in two milestones, arbiter = arbiter; agent accepts (gas {create_gas}, {accept_gas})",
            units(MILESTONES[0]),
            units(MILESTONES[1])
        ))?;

        // Milestone 0: two inferences, one with the lineage weights, one with a receipt the host
        // signed for payer = the escrow; approved.
        let signed0 = self.signed(
            &escrow_addr,
            format!("story-{}-t{t}-m0-b", self.tag),
            TASK_M0_ATTRIBUTION,
        )?;
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::SubmitMilestone {
                task_id: t,
                milestone: 0,
                result_hash: self.data_hash("draft"),
                result_uri: format!("ipfs://story-{}/draft.md", self.tag),
                inferences: vec![
                    InferencePayment {
                        model_id: m,
                        inference_id: format!("story-{}-t{t}-m0-a", self.tag),
                        attribution: None,
                        receipt_signature: None,
                    },
                    signed0,
                ],
            },
            "agent",
            "submit milestone 0",
        )?;
        let submit_gas = self.gas("submit_milestone (2 inferences, 1 signed)", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::ApproveMilestone {
                task_id: t,
                milestone: 0,
            },
            "client",
            "approve milestone 0",
        )?;
        let (to_agent, _) = self.ledger.settle_milestone(
            t,
            MILESTONES[0],
            10_000,
            &[
                (FEE, vector(a, b, LINEAGE)),
                (FEE, vector(a, b, TASK_M0_ATTRIBUTION)),
            ],
            self.protocol_fee_bps,
            &client,
            &agent,
        )?;
        let approve_gas = self.gas("approve_milestone (2 model fees)", &res);
        self.done(format!(
            "agent delivers milestone 0 of task {t} with 2 inferences of model {m} (one receipt signed for the escrow); client approves: 2 model fees through model licensing, protocol fee {} bps, agent +{} (gas submit {submit_gas}, approve {approve_gas})",
            self.protocol_fee_bps,
            units(to_agent)
        ))?;

        // Milestone 1: one signed inference; disputed and ruled.
        let signed1 = self.signed(
            &escrow_addr,
            format!("story-{}-t{t}-m1-a", self.tag),
            TASK_M1_ATTRIBUTION,
        )?;
        self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::SubmitMilestone {
                task_id: t,
                milestone: 1,
                result_hash: self.data_hash("final"),
                result_uri: format!("ipfs://story-{}/final.md", self.tag),
                inferences: vec![signed1],
            },
            "agent",
            "submit milestone 1",
        )?;
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::DisputeMilestone {
                task_id: t,
                milestone: 1,
                reason: "two of the five sections are missing".into(),
            },
            "client",
            "dispute milestone 1",
        )?;
        let dispute_gas = self.gas("dispute_milestone", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::Resolve {
                task_id: t,
                milestone: 1,
                agent_share_bps: RULING_BPS,
            },
            "arbiter",
            "rule on milestone 1",
        )?;
        let (to_agent, back) = self.ledger.settle_milestone(
            t,
            MILESTONES[1],
            RULING_BPS,
            &[(FEE, vector(a, b, TASK_M1_ATTRIBUTION))],
            self.protocol_fee_bps,
            &client,
            &agent,
        )?;
        let resolve_gas = self.gas("resolve (70 %, 1 model fee)", &res);
        let task: escrow::TaskResponse =
            self.query(&escrow_addr, &escrow::QueryMsg::Task { task_id: t }, "task")?;
        ensure!(
            task.task.status == escrow::TaskStatus::Completed,
            "task {t} ended {:?}, not completed",
            task.task.status
        );
        self.done(format!(
            "agent delivers milestone 1 (1 signed inference); client disputes it; arbiter rules {}: agent +{}, client gets {} back; task {t} completed (gas dispute {dispute_gas}, resolve {resolve_gas})",
            percent(u128::from(RULING_BPS)),
            units(to_agent),
            units(back)
        ))
    }

    fn update_agent(&mut self, model: u64) -> Result<u64> {
        let escrow_addr = self.ledger.escrow.clone();
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::UpdateAgent {
                name: None,
                metadata_uri: None,
                models: Some(vec![model]),
            },
            "agent",
            "update the agent's models",
        )?;
        Ok(self.gas("update_agent", &res))
    }

    /// 18–19: datanet B's attested root and the proof claims.
    fn influence(&mut self) -> Result<()> {
        let b = self.b;
        let pool_addr = self.s.pool.clone();
        let attestor = self.addr("attestor")?;
        let mut setup = vec![];
        if !self.attestor_approved {
            self.exec(
                &pool_addr,
                &pool::ExecuteMsg::UpdateAttestors {
                    add: vec![attestor.clone()],
                    remove: vec![],
                },
                "deployer",
                "approve the attestor",
            )?;
            setup.push("deployer approves attestor".to_string());
        }
        if self.attestor_missing > 0 {
            let missing = self.attestor_missing;
            self.send(
                "attestor",
                &pool_addr,
                missing,
                &pool::ReceiveMsg::BondAttestor {},
                "bond as an attestor",
            )?;
            self.ledger.mv(
                &attestor,
                &pool_addr,
                missing,
                "attestor bond",
                "attestor bonds",
            )?;
            setup.push(format!("attestor bonds {}", units(missing)));
        }
        if setup.is_empty() {
            setup.push("attestor (approved and bonded before)".into());
        }
        let config: pool::ConfigResponse =
            self.query(&pool_addr, &pool::QueryMsg::Config {}, "pool config")?;
        if config.challenge_window > CHALLENGE_WINDOW {
            self.set_window(CHALLENGE_WINDOW)?;
            self.window_to_restore = Some(config.challenge_window);
            setup.push(format!(
                "deployer shortens the challenge window to {CHALLENGE_WINDOW} s (from {} s)",
                config.challenge_window
            ));
        }

        // The entitlements: each contributor's share of what datanet B received, by the
        // ledger.
        let received = match self.ledger.datanets.get(&b) {
            Some(DatanetModel::Influence { received, .. }) => *received,
            _ => bail!("datanet {b} is not an influence datanet in the ledger"),
        };
        let root: pool::AttributionRootResponse = self.query(
            &pool_addr,
            &pool::QueryMsg::AttributionRoot { datanet_id: b },
            "attribution root",
        )?;
        ensure!(
            root.total_received.u128() == received,
            "datanet {b}'s bucket received {}; the ledger expects {}{CONCURRENCY_HINT}",
            root.total_received,
            received
        );
        let entries = INFLUENCE
            .iter()
            .map(|(k, bps)| {
                Ok(Entry {
                    address: self.addr(k)?,
                    cumulative_amount: received * bps / 10_000,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tree = Tree::new(b, entries)?;
        let addrs: Vec<String> = tree.entries.iter().map(|e| e.address.clone()).collect();
        let mut proofs = addrs
            .iter()
            .map(|a| tree.proof(a))
            .collect::<Result<Vec<_>>>()?;
        if let Some(bin) = influence::tool_binary(&self.repo) {
            let dir = std::env::temp_dir().join(format!("openledger-story-{}-{}", self.tag, b));
            std::fs::create_dir_all(&dir)?;
            let refs: Vec<&str> = addrs.iter().map(String::as_str).collect();
            let r = influence::cross_check_with_tool(&bin, &dir, &tree, &refs);
            let _ = std::fs::remove_dir_all(&dir);
            proofs = r?.0;
            setup.push(
                "attestor builds the tree with attribution-tree (root and proofs match)".into(),
            );
        }
        let res = self.exec(
            &pool_addr,
            &pool::ExecuteMsg::PostAttributionRoot {
                datanet_id: b,
                epoch: root.next_epoch,
                root: cosmwasm_std::HexBinary::from(tree.tree.root().as_slice()),
                cumulative_total: Uint128::new(tree.total),
            },
            "attestor",
            "post datanet B's root",
        )?;
        let epoch = root.next_epoch;
        let gas = self.gas("post_attribution_root", &res);
        self.done(format!(
            "{}; attestor posts datanet {b}'s root for epoch {epoch}: 3 contributors' cumulative entitlements, {} of the {} it received, root {} (gas {gas})",
            setup.join("; "),
            units(tree.total),
            units(received),
            &tree.root_hex()[..16]
        ))?;

        influence::wait_claimable(&self.s, b, epoch)?;
        self.restore_window()?;
        let keys: Vec<(&str, usize)> = INFLUENCE
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (*k, i))
            .collect();
        let results = par(&keys, |(key, i)| {
            let amount = tree.amount(&addrs[*i])?;
            self.exec(
                &self.s.pool,
                &pool::ExecuteMsg::ClaimAttribution {
                    datanet_id: b,
                    epoch,
                    cumulative_amount: Uint128::new(amount),
                    proof: influence::to_hex_binaries(&proofs[*i])?,
                },
                key,
                "claim with a proof",
            )
        })?;
        let mut paid = vec![];
        for ((key, bps), addr) in INFLUENCE.iter().zip(&addrs) {
            let amount = tree.amount(addr)?;
            self.ledger.mv(
                &pool_addr,
                addr,
                amount,
                "influence claims",
                &format!("influence claim, datanet {b} ({})", percent(*bps)),
            )?;
            if let Some(DatanetModel::Influence { paid: p, .. }) = self.ledger.datanets.get_mut(&b)
            {
                *p += amount;
            }
            paid.push(format!("{key} +{}", units(amount)));
        }
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("claim_attribution (3-leaf tree)".into(), least));
        self.done(format!(
            "the challenge window passed unchallenged; contributor2..4 claim with Merkle proofs: {} (gas {gas}; the first claim after the window also promotes the root)",
            paid.join(", ")
        ))
    }

    fn set_window(&self, window: u64) -> Result<()> {
        self.exec(
            &self.s.pool,
            &pool::ExecuteMsg::UpdateAttributionConfig {
                challenge_window: Some(window),
                attestor_bond: None,
                challenge_bond: None,
            },
            "deployer",
            "set the challenge window",
        )?;
        Ok(())
    }

    /// Restores the pool's challenge window and staking reward period if the story shortened
    /// them.
    fn restore_window(&mut self) -> Result<()> {
        if let Some(w) = self.window_to_restore.take() {
            self.set_window(w)
                .with_context(|| format!("restore the challenge window to {w} s"))?;
            eprintln!("[story] challenge window restored to {w} s");
        }
        if let Some(p) = self.period_to_restore.take() {
            set_staking_period(&self.s, p)
                .with_context(|| format!("restore the staking reward period to {p} s"))?;
            eprintln!("[story] staking reward period restored to {p} s");
        }
        Ok(())
    }

    /// 20–24: everyone collects.
    fn collect(&mut self) -> Result<()> {
        let a = self.a;
        let pool_addr = self.s.pool.clone();
        let registry_addr = self.s.registry.clone();

        // Weight-mode rewards: ⌊Σ credited × w / W⌋ each; asserted first against the pool's
        // own view, then by the claims.
        let mut expected = vec![];
        for (key, w) in WEIGHTS {
            let addr = self.addr(key)?;
            let scaled = match self.ledger.datanets.get(&a) {
                Some(DatanetModel::Weight(acc)) => acc.earned_scaled(&addr)?,
                _ => bail!("datanet {a} is not a weight datanet in the ledger"),
            };
            let amount = scaled / SCALE;
            let pending: pool::PendingRewardsResponse = self.query(
                &pool_addr,
                &pool::QueryMsg::PendingRewards {
                    address: addr.clone(),
                    datanet_ids: Some(vec![a]),
                },
                "pending rewards",
            )?;
            ensure!(
                pending.total.u128() == amount,
                "the pool reports {} claimable for {key} in datanet {a}; the ledger expects {amount}{CONCURRENCY_HINT}",
                pending.total
            );
            expected.push((key, addr, w, amount));
        }
        let results = par(&expected, |(key, _, _, _)| {
            self.exec(
                &self.s.pool,
                &pool::ExecuteMsg::Claim {
                    datanet_ids: Some(vec![a]),
                },
                key,
                "claim weight-mode rewards",
            )
        })?;
        let mut paid = vec![];
        for (key, addr, w, amount) in &expected {
            self.ledger.mv(
                &pool_addr,
                addr,
                *amount,
                "contributor rewards",
                &format!("rewards, datanet {a} (weight {w} of 1 000)"),
            )?;
            paid.push(format!("{key} +{}", units(*amount)));
        }
        let credited = match self.ledger.datanets.get(&a) {
            Some(DatanetModel::Weight(acc)) => acc.credited,
            _ => 0,
        };
        let (gas, least) = gas_each(&results);
        self.gas
            .push(("claim (weight mode, 1 datanet)".into(), least));
        self.done(format!(
            "contributor1..3 claim their shares of the {} datanet {a} was credited: {} (gas {gas})",
            units(credited),
            paid.join(", ")
        ))?;

        let keys: Vec<&str> = WEIGHTS.iter().map(|(k, _)| *k).collect();
        let results = par(&keys, |key| {
            self.exec(
                &self.s.registry,
                &registry::ExecuteMsg::WithdrawBonds {},
                key,
                "withdraw returned bonds",
            )
        })?;
        for key in &keys {
            let addr = self.addr(key)?;
            self.ledger.mv(
                &registry_addr,
                &addr,
                BOND,
                "bonds returned",
                &format!("bond returned, datanet {a}"),
            )?;
        }
        let (gas, least) = gas_each(&results);
        self.gas.push(("withdraw_bonds".into(), least));
        self.done(format!(
            "contributor1..3 withdraw the bonds their accepted contributions returned, {BOND} each; contributor4's stays with the treasury (gas {gas})"
        ))?;

        // Staking rewards: Σ stakers' allocations × stake / total stake, whole by the plan.
        let mut expected = vec![];
        for (key, _) in STAKERS {
            let addr = self.addr(key)?;
            let scaled = self.ledger.staking.earned_scaled(&addr)?;
            ensure!(
                scaled % SCALE == 0,
                "{key}'s staking reward is not a whole number of units"
            );
            let amount = scaled / SCALE;
            let st: pool::StakerResponse = self.query(
                &pool_addr,
                &pool::QueryMsg::Staker {
                    address: addr.clone(),
                },
                "staker",
            )?;
            ensure!(
                st.claimable_rewards.u128() == amount,
                "the pool reports {} staking rewards claimable for {key}; the ledger expects {amount}{CONCURRENCY_HINT}",
                st.claimable_rewards
            );
            expected.push((key, addr, amount));
        }
        let results = par(&expected, |(key, _, _)| {
            self.exec(
                &self.s.pool,
                &pool::ExecuteMsg::ClaimStakingRewards {},
                key,
                "claim staking rewards",
            )
        })?;
        let mut paid = vec![];
        for (key, addr, amount) in &expected {
            self.ledger.mv(
                &pool_addr,
                addr,
                *amount,
                "staking rewards",
                "staking rewards",
            )?;
            paid.push(format!("{key} +{}", units(*amount)));
        }
        let (gas, least) = gas_each(&results);
        self.gas.push(("claim_staking_rewards".into(), least));
        self.done(format!(
            "staker1 and staker2 claim their staking rewards on the {} the stakers received: {} (gas {gas})",
            units(self.ledger.staking.credited),
            paid.join(", ")
        ))?;

        let owner = self.addr("model_owner")?;
        let models_addr = self.ledger.models.clone();
        let earnings = self.ledger.earnings;
        let credited: Uint128 = self.query(
            &models_addr,
            &models::QueryMsg::Earnings {
                address: owner.clone(),
            },
            "earnings",
        )?;
        ensure!(
            credited.u128() == earnings,
            "model licensing credits model_owner {credited}; the ledger expects {earnings}{CONCURRENCY_HINT}"
        );
        let res = self.exec(
            &models_addr,
            &models::ExecuteMsg::WithdrawEarnings {},
            "model_owner",
            "withdraw earnings",
        )?;
        self.ledger.mv(
            &models_addr,
            &owner,
            earnings,
            "owner earnings paid",
            &format!("model earnings, model {}", self.model),
        )?;
        self.ledger.earnings = 0;
        let gas = self.gas("withdraw_earnings", &res);
        self.done(format!(
            "model_owner withdraws the owner's shares credited to model {}: +{} (gas {gas})",
            self.model,
            units(earnings)
        ))?;

        let intake = self.ledger.intake_total();
        let treasury = self.addr("treasury")?;
        let res = self.exec(
            &pool_addr,
            &pool::ExecuteMsg::WithdrawTreasury {
                amount: Uint128::new(intake),
                recipient: Some(treasury.clone()),
            },
            "deployer",
            "withdraw the story's treasury intake",
        )?;
        self.ledger.mv(
            &pool_addr,
            &treasury,
            intake,
            "treasury withdrawn",
            "the story's treasury intake, withdrawn by the pool owner",
        )?;
        self.ledger.treasury_withdrawn += intake;
        let gas = self.gas("withdraw_treasury", &res);
        self.done(format!(
            "deployer, the pool's owner, moves the story's treasury intake ({}) to the treasury account (gas {gas})",
            units(intake)
        ))
    }

    /// The readable account: a table per actor, the contracts, the treasury's intake, every
    /// contract's solvency, OPEN's supply and the gas of the main steps.
    fn account(&self) -> Result<()> {
        let l = &self.ledger;
        let (a, b, m, t) = (self.a, self.b, self.model, self.task);
        let roles: BTreeMap<&str, String> = [
            (
                "deployer",
                "deployed the suite and owns the pool; funded the story".to_string(),
            ),
            ("curator1", format!("owner of datanet {a} (weight mode)")),
            (
                "curator2",
                format!("curator of datanet {a}, owner of datanet {b} (influence mode)"),
            ),
            ("contributor1", format!("datanet {a}: weight 500")),
            (
                "contributor2",
                format!("datanet {a}: weight 300; datanet {b}: 50 % influence"),
            ),
            (
                "contributor3",
                format!("datanet {a}: weight 200; datanet {b}: 30 % influence"),
            ),
            (
                "contributor4",
                format!("datanet {a}: rejected; datanet {b}: 20 % influence"),
            ),
            ("model_owner", format!("owner of model {m}")),
            (
                "host",
                format!(
                    "serves model {m}; signed {} receipts (client: {}, escrow: 2)",
                    1 + BATCH + 2,
                    1 + BATCH
                ),
            ),
            ("agent", format!("did task {t}")),
            (
                "client",
                format!(
                    "licensee of model {m}, paid {} inferences, client of task {t}",
                    1 + BATCH
                ),
            ),
            (
                "arbiter",
                format!(
                    "ruled milestone 1 of task {t} at {}",
                    percent(u128::from(RULING_BPS))
                ),
            ),
            ("attestor", format!("attested datanet {b}'s influence root")),
            ("staker1", "staker".into()),
            ("staker2", "staker".into()),
            ("treasury", "the protocol treasury's account".into()),
        ]
        .into_iter()
        .collect();

        let mut out = String::new();
        out += &format!(
            "\n== The account of story {} on {} (OPEN base units) ==\n",
            self.tag, self.chain.cfg.chain_id
        );
        let width = 62;
        let mut idle = vec![];
        for key in ACTORS {
            let addr = &self.keys[key];
            let lines = l.lines.get(addr).cloned().unwrap_or_default();
            let role = roles.get(key).cloned().unwrap_or_default();
            if lines.is_empty() {
                idle.push(format!("{key}: {role}"));
                continue;
            }
            let (start, end) = (l.start[addr], l.expected[addr]);
            out += &format!("\n{key} — {role}\n  {addr}\n");
            out += &format!("  {:<width$}{:>14}\n", "start balance", units(start));
            for (what, amount) in &lines {
                out += &format!("  {:<width$}{:>14}\n", what, signed(*amount));
            }
            out += &format!(
                "  {:<width$}{:>14}   net {}\n",
                "end balance",
                units(end),
                signed(end as i128 - start as i128)
            );
            let sum: i128 = lines.iter().map(|(_, v)| v).sum();
            ensure!(
                sum == end as i128 - start as i128,
                "{key}'s lines do not add up to its net"
            );
        }
        if !idle.is_empty() {
            out += "\nNo OPEN moved for\n";
            for line in &idle {
                out += &format!("  {line}\n");
            }
        }

        out += "\nContracts            start balance    end balance        net\n";
        for (name, addr) in [
            ("datanet registry", &l.registry),
            ("reward pool", &l.pool),
            ("model licensing", &l.models),
            ("agent escrow", &l.escrow),
        ] {
            let (start, end) = (l.start[addr], l.expected[addr]);
            out += &format!(
                "  {name:<18}{:>15}{:>15}{:>11}\n",
                units(start),
                units(end),
                signed(end as i128 - start as i128)
            );
        }

        out += "\nThe treasury's intake during the story\n";
        for (source, amount) in &l.intake {
            out += &format!("  {source:<46}{:>10}\n", units(*amount));
        }
        out += &format!(
            "  {:<46}{:>10}   (withdrawn to the treasury account)\n",
            "total",
            units(l.intake_total())
        );

        out += "\nSolvency (balance vs liabilities, read from each contract)\n";
        for (name, addr) in [
            ("datanet registry", &l.registry),
            ("reward pool", &l.pool),
            ("model licensing", &l.models),
            ("agent escrow", &l.escrow),
        ] {
            let v: Value = self
                .chain
                .query(addr, &registry::QueryMsg::Solvency {})
                .with_context(|| format!("query {name}'s solvency"))?;
            let balance = amount_field(&v["balance"]).context("solvency without balance")?;
            let (liabilities, parts) = liabilities(&v)?;
            ensure!(v["solvent"] == true, "{name} is insolvent: {v}");
            ensure!(
                balance == l.expected[addr],
                "{name}'s solvency reports a balance of {balance}; the ledger expects {}",
                l.expected[addr]
            );
            out += &format!(
                "  {name:<18}{:>15} vs {:>15}  solvent  ({parts})\n",
                units(balance),
                units(liabilities),
            );
        }

        let supply_end: TokenInfoResponse = self
            .chain
            .query(&self.s.token, &Cw20QueryMsg::TokenInfo {})
            .context("query OPEN's token info")?;
        ensure!(
            supply_end.total_supply.u128() == self.supply_start,
            "OPEN's total supply moved during the story: {} → {}",
            self.supply_start,
            supply_end.total_supply
        );
        out += &format!(
            "\nOPEN total supply: {} at the start, {} at the end: unchanged\n",
            units(self.supply_start),
            units(supply_end.total_supply.u128())
        );

        let anchor = self.gas.first().map(|g| g.1).unwrap_or(1).max(1);
        out += &format!(
            "\n{:<54}{:>10}{:>17}\n",
            "Gas of the main steps", "gas used", "× OPEN transfer"
        );
        for (what, gas) in &self.gas {
            out += &format!(
                "  {what:<52}{:>10}{:>17.2}\n",
                units(u128::from(*gas)),
                *gas as f64 / anchor as f64
            );
        }
        print!("{out}");
        Ok(())
    }
}

/// A smart query over the node's RPC when there is one, else through the chain's binary.
fn fast_query<Q: Serialize, R: serde::de::DeserializeOwned>(
    chain: &Chain,
    rpc: Option<&Rpc>,
    contract: &str,
    msg: &Q,
) -> Result<R> {
    match rpc {
        Some(r) => r.smart(contract, msg),
        None => chain.query(contract, msg),
    }
}

fn balance(s: &Suite, rpc: Option<&Rpc>, addr: &str) -> Result<u128> {
    let r: BalanceResponse = fast_query(
        s.chain,
        rpc,
        &s.token,
        &Cw20QueryMsg::Balance {
            address: addr.to_string(),
        },
    )
    .with_context(|| format!("query the OPEN balance of {addr}"))?;
    Ok(r.balance.u128())
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

/// An amount in a JSON response (`"123"` or `123`).
fn amount_field(v: &Value) -> Option<u128> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64().map(u128::from),
        _ => None,
    }
}

/// The liabilities of a solvency response: its total and its parts as text. Read generically so
/// every contract's (and every version's) response works.
fn liabilities(v: &Value) -> Result<(u128, String)> {
    let total = amount_field(&v["total_liabilities"]).or_else(|| amount_field(&v["owed_earnings"]));
    let total = total.with_context(|| format!("solvency without liabilities: {v}"))?;
    let parts: Vec<String> = match v["liabilities"].as_object() {
        Some(o) => o
            .iter()
            .filter_map(|(k, x)| amount_field(x).map(|a| (k, a)))
            .filter(|(_, a)| *a > 0)
            .map(|(k, a)| format!("{} {}", k.replace('_', " "), units(a)))
            .collect(),
        None => v
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !matches!(k.as_str(), "balance" | "total_liabilities" | "solvent"))
            .filter_map(|(k, x)| {
                amount_field(x).map(|a| format!("{} {}", k.replace('_', " "), units(a)))
            })
            .collect(),
    };
    Ok((total, parts.join(", ")))
}

/// The staking reward period during the story: stakers' allocations reach the stakes in place
/// within a second, so the ledger's reward-per-stake arithmetic is exact (the stake is constant
/// while fees arrive; the pool releases each allocation whole once its second has passed).
const STORY_STAKING_PERIOD: u64 = 1;

fn set_staking_period(s: &Suite, period: u64) -> Result<()> {
    s.chain.execute(
        &s.pool,
        &pool::ExecuteMsg::UpdateConfig {
            registry: None,
            unbonding_period: None,
            staking_reward_period: Some(period),
        },
        "deployer",
        None,
    )?;
    Ok(())
}

/// Before the story: the deployer (the pool's owner on a local chain) lowers the staking reward
/// period to `STORY_STAKING_PERIOD`, which also brings the end of a stream other tools left
/// running (a week by default) to within a second; the story waits until it has been released,
/// so that what the stakers collect first is all that earlier runs left them. Returns the
/// period to restore at the end.
fn flush_staking_stream(s: &Suite) -> Result<Option<u64>> {
    let cfg: pool::ConfigResponse = s.chain.query(&s.pool, &pool::QueryMsg::Config {})?;
    let restore = if cfg.staking_reward_period > STORY_STAKING_PERIOD {
        set_staking_period(s, STORY_STAKING_PERIOD)
            .context("lower the staking reward period for the story")?;
        eprintln!(
            "[story] deployer lowers the staking reward period to {STORY_STAKING_PERIOD} s (from {} s) for the story",
            cfg.staking_reward_period
        );
        Some(cfg.staking_reward_period)
    } else {
        None
    };
    for _ in 0..60 {
        let staking: pool::StakingPoolResponse =
            s.chain.query(&s.pool, &pool::QueryMsg::StakingPool {})?;
        if staking.streaming.is_zero() {
            return Ok(restore);
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    bail!("the stakers' reward stream still holds rewards 30 s after the period was lowered")
}

/// Before the story: every participant collects what earlier runs (or other tools) left it in
/// the pull-based balances the story pays out of, so each later payout is exactly the story's.
fn settle_leftovers(
    s: &Suite,
    keys: &BTreeMap<&'static str, String>,
    registry_addr: &str,
    models_addr: &str,
) -> Result<()> {
    let mut settled = vec![];
    for key in [
        "contributor1",
        "contributor2",
        "contributor3",
        "contributor4",
    ] {
        let owed: Uint128 = s.chain.query(
            registry_addr,
            &registry::QueryMsg::WithdrawableBonds {
                address: keys[key].clone(),
            },
        )?;
        if !owed.is_zero() {
            s.chain
                .execute(
                    registry_addr,
                    &registry::ExecuteMsg::WithdrawBonds {},
                    key,
                    None,
                )
                .with_context(|| format!("{key}: withdraw earlier bonds"))?;
            settled.push(format!("{key} withdrew {owed} in earlier bonds"));
        }
    }
    for (key, _) in STAKERS {
        let st: pool::StakerResponse = s.chain.query(
            &s.pool,
            &pool::QueryMsg::Staker {
                address: keys[key].clone(),
            },
        )?;
        if !st.claimable_rewards.is_zero() {
            s.chain
                .execute(
                    &s.pool,
                    &pool::ExecuteMsg::ClaimStakingRewards {},
                    key,
                    None,
                )
                .with_context(|| format!("{key}: claim earlier staking rewards"))?;
            settled.push(format!(
                "{key} claimed {} in earlier staking rewards",
                st.claimable_rewards
            ));
        }
    }
    let earned: Uint128 = s.chain.query(
        models_addr,
        &models::QueryMsg::Earnings {
            address: keys["model_owner"].clone(),
        },
    )?;
    if !earned.is_zero() {
        s.chain
            .execute(
                models_addr,
                &models::ExecuteMsg::WithdrawEarnings {},
                "model_owner",
                None,
            )
            .context("model_owner: withdraw earlier earnings")?;
        settled.push(format!("model_owner withdrew {earned} in earlier earnings"));
    }
    if settled.is_empty() {
        eprintln!("[story] before the story: nothing left over from earlier runs");
    } else {
        eprintln!(
            "[story] before the story, collecting what earlier runs left: {}",
            settled.join("; ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stake_plan_on_a_fresh_pool_is_three_to_one() {
        assert_eq!(
            stake_plan(0, [0, 0], [3_000, 1_000]).unwrap(),
            (4_000, [3_000, 1_000])
        );
    }

    #[test]
    fn stake_plan_makes_every_reward_whole() {
        for (others, held) in [
            (0u128, [4_000u128, 0u128]),
            (0, [7_000, 1_000]),
            (400, [123, 77]),
            (5_000, [10_001, 3]),
        ] {
            let (t, d) = stake_plan(others, held, [3_000, 1_000]).unwrap();
            let w = [held[0] + d[0], held[1] + d[1]];
            assert_eq!(others + w[0] + w[1], t);
            assert!(d[0] >= 3_000 && d[1] >= 1_000);
            for a in [200u128, 1_000, 2_000, 400] {
                let inc = a * SCALE / t;
                assert_eq!(inc * t, a * SCALE, "T {t} a {a}");
                for wi in w {
                    assert_eq!((wi * inc) % SCALE, 0, "T {t} w {wi} a {a}");
                }
            }
        }
    }

    #[test]
    fn stake_plan_refuses_what_cannot_be_whole() {
        // 1 unit staked by someone else: no 2^a·5^b total leaves a multiple of the step.
        assert!(stake_plan(1, [0, 0], [3_000, 1_000]).is_err());
    }

    #[test]
    fn accumulator_matches_the_pool_arithmetic() {
        let mut acc = Accumulator {
            total: 3,
            ..Accumulator::default()
        };
        acc.weights.insert("x".into(), 1);
        // 10 over 3: inc = 3.333…·10^18, credited ⌈10 − 10^-18⌉ = 10, no dust.
        assert_eq!(acc.distribute(10).unwrap(), 0);
        assert_eq!(acc.earned_scaled("x").unwrap() / SCALE, 3);
        let mut empty = Accumulator::default();
        assert_eq!(empty.distribute(7).unwrap(), 7);
    }

    #[test]
    fn amounts_are_grouped() {
        assert_eq!(units(0), "0");
        assert_eq!(units(1_000), "1 000");
        assert_eq!(units(1_234_567), "1 234 567");
        assert_eq!(signed(-2_500), "-2 500");
        assert_eq!(percent(7_000), "70 %");
    }
}
