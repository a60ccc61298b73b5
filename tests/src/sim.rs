//! A simulation of the whole suite driven by random action sequences (see
//! `tests/tests/properties.rs`): every user action of the five contracts, performed by a fixed
//! set of accounts with random amounts, a model of what each successful action must move and
//! credit, and the protocol's invariants checked after every step.
//!
//! An action the contracts refuse must change nothing: no balance (the ledger is left as it
//! was and checked against every real balance) and none of the contracts' totals. The model
//! only records what succeeded; for the actions whose outcome it can decide (acceptance with
//! the free bond, submission, settlement, refund, reveal, publication of a version, a derived
//! model) a refusal of an action it says must succeed is a failure too.
//!
//! The model follows 0.3.0: model fees paid at submission, protocol fees rounded up, a bond
//! reservation per accepted task (slashed by a ruling of 0, released when the task ends),
//! stakers allocations streamed over the staking reward period, remainders counted until they
//! reach the treasury, licence terms bound at purchase, and commit-reveal contributions that
//! displace a later pending copy. Three invariants were added with it: what the pool owes
//! equals what can be claimed, a stake's share of any release is at most its time-weighted
//! share, and an agent's reserved bond covers its open tasks.
//!
//! And exact provenance (issue 15, `provenance` and `derived`): a weight-mode datanet's
//! contributors are paid by version. Each such datanet's rewards are modelled with
//! `econ::VersionedRewards` (every acceptance and removal sets the contributor's weight for the
//! next version, every `publish_version` freezes it, every fee goes to the version it names:
//! a model's lineage version, or the latest published one for a `distribute` without a
//! version); models are registered on the latest published versions (or, to exercise the
//! refusal, on one not published yet), and derived models (one parent, a royalty) pay their
//! ancestors' owners as pool credits and their ancestors' lineage data, as model licensing's
//! README sets out. The eleventh invariant, checked after every step, holds the pool's version
//! ranges of every account to that model to the unit: every fee reaches only contributors of
//! the versions its model names. The eleven invariants are listed in `INVARIANTS`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Event, Uint128, Uint256};
use cw20::{Cw20ExecuteMsg, Cw20QueryMsg, TokenInfoResponse};
use cw_multi_test::{AppResponse, Executor};
use openledger_common::msg::agent_escrow::{
    self as escrow, AgentResponse, EscrowSolvencyResponse, MilestoneStatus, TaskResponse,
    TaskStatus, TasksResponse,
};
use openledger_common::msg::datanet_registry::{
    self as registry, contribution_commitment, AttributionMode, ContributionPolicy,
    DatanetResponse, NewContribution, NewDatanet, RegistrySolvencyResponse, ReviewDecision,
    REVEAL_WINDOW_SECONDS,
};
use openledger_common::msg::model_licensing::{
    self as ml, Host, InferencePayment, LicenseTier, LicensingSolvencyResponse, LineageEntry,
    NewModel,
};
use openledger_common::msg::reward_pool::{
    self as pool, Allocation, DatanetPoolResponse, PendingRewardsResponse, SolvencyResponse,
    StakerResponse, StakingPoolResponse, DEFAULT_STAKING_REWARD_PERIOD, MAX_STAKING_REWARD_PERIOD,
    MIN_STAKING_REWARD_PERIOD,
};
use openledger_economics::{self as econ, FeeSplit, Payments, VersionedRewards, REWARD_SCALE};

use crate::escrow::{world, World, MIN_BOND, MODEL_FEE};
use crate::models::{receipt, shares, HostKey};
use crate::{data_hash, SUPPLY};

/// The lineage weights of every model of the simulation: datanet 1 60 %, datanet 2 40 %, each on
/// the version the model names (model 1: version 1 of each).
const LINEAGE: [(u64, u16); 2] = [(1, 6_000), (2, 4_000)];
/// A paid fee and its attribution (datanet, bps).
pub type Item = (u128, Vec<(u64, u16)>);
/// OPEN every actor holds at the start (on top of what `world()` gave them).
pub const ACTOR_FUNDS: u128 = 2_000_000;
/// Names of the actors: the accounts of `world()` first (datanet owner, model owner, client,
/// agent, arbiter, a contributor), then two newcomers.
pub const ACTOR_NAMES: [&str; 8] = [
    "datanet-owner",
    "model-owner",
    "client",
    "agent",
    "arbiter",
    "contributor-0",
    "alice",
    "bob",
];

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

/// A random amount, resolved against the state when the action runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Zero,
    One,
    /// A small amount.
    Small(u16),
    /// Thousands.
    Large(u32),
    /// Everything the actor holds.
    All,
    /// Far more than anyone holds.
    Max,
}

/// Who performs an action on an object: the party entitled to (owner, curator, client, agent,
/// arbiter), or any actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Right,
    Actor(u8),
}

/// How an action picks its object (a datanet, a task), by index modulo how many there are:
/// among those in the state the action needs (`Fit`; as `Any` if none is), or regardless of
/// that (`Any`: for tasks, among the live ones), so that refusals stay exercised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Fit(u8),
    Any(u8),
}

impl Target {
    fn index(self) -> u8 {
        match self {
            Target::Fit(i) | Target::Any(i) => i,
        }
    }
}

/// One user action. Objects (datanets, contributions, models, tasks) are picked by index
/// modulo how many exist when the action runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Transfer {
        from: u8,
        to: u8,
        amount: Amount,
    },
    CreateDatanet {
        who: u8,
        bond: Amount,
        influence: bool,
    },
    /// `exact`: the bond sent is the datanet's bond (otherwise one more).
    Contribute {
        who: u8,
        /// `Fit`: a datanet that asks for a bond.
        datanet: Target,
        exact: bool,
    },
    /// Decisions: contribution pick and `Some(weight)` to accept or `None` to reject.
    /// `Fit`: a datanet with pending bonded contributions, reviewing those.
    Review {
        who: Who,
        datanet: Target,
        decisions: Vec<(u8, Option<u64>)>,
    },
    RemoveContribution {
        who: Who,
        contribution: u8,
    },
    /// Funds a datanet's bucket, and with `stakers` the stakers too. `version`: `None` for the
    /// latest published version, `Some(k)` for version `k` modulo (published + 1), plus 1 (so
    /// sometimes one not published yet, which the pool refuses).
    Distribute {
        who: u8,
        datanet: u8,
        amount: Amount,
        stakers: Amount,
        version: Option<u8>,
    },
    /// Claims from one datanet, or from all positions.
    Claim {
        who: u8,
        datanet: Option<u8>,
    },
    Stake {
        who: u8,
        amount: Amount,
    },
    Unstake {
        who: u8,
        amount: Amount,
    },
    WithdrawUnbonded {
        who: u8,
    },
    ClaimStakingRewards {
        who: u8,
    },
    WithdrawBonds {
        who: u8,
    },
    /// A model on datanets 1 and 2 (60 % / 40 %): `lineage` `None` trains it on each one's
    /// latest published version; `Some(k)` on version `k` modulo (published + 1), plus 1, of
    /// each (sometimes one not published yet, which model licensing refuses).
    RegisterModel {
        who: u8,
        fee: Amount,
        price: Amount,
        lineage: Option<u8>,
    },
    /// A model derived from one parent (`Target`; `Fit`: one within the depth limit) at
    /// `royalty_bps` of its creator value, on the latest published versions: `Who::Right` is
    /// the parent's owner (another actor may derive with a commercial licence of it). Its fees
    /// pay the parent's (and its ancestors') owners as pool credits and their lineage data.
    RegisterDerivedModel {
        who: Who,
        parent: Target,
        royalty_bps: u16,
        fee: Amount,
    },
    /// Publishes the next version of a datanet (`publish_version`): `Who::Right` is its owner.
    /// `Fit`: a datanet whose weights changed since its latest version.
    PublishVersion {
        who: Who,
        datanet: Target,
    },
    /// `exact`: the price sent is the tier's price (otherwise one more).
    PurchaseLicense {
        who: u8,
        model: u8,
        exact: bool,
    },
    /// One inference: `attribution` is the share of datanet 1 in bps (rest to datanet 2) of a
    /// host-signed attribution, `None` for the lineage; `forged` signs with a key that is not
    /// the model's host.
    PayInference {
        who: u8,
        model: u8,
        attribution: Option<u16>,
        forged: bool,
    },
    /// A batch of inferences (model pick, signed attribution as in `PayInference`).
    PayInferences {
        who: u8,
        items: Vec<(u8, Option<u16>)>,
    },
    WithdrawEarnings {
        who: u8,
    },
    RegisterAgent {
        who: u8,
        bond: Amount,
    },
    UnbondAgent {
        who: u8,
    },
    WithdrawAgentBond {
        who: u8,
    },
    /// `exact`: the deposit is the sum of the milestones (otherwise one less). `evaluator`: the
    /// actor named as the task's evaluator (8 and above: a registered evaluator with the
    /// minimum bond free that is none of the parties); `arbiter`: the actor named as its
    /// arbiter (the escrow's default arbiter when `None`).
    CreateTask {
        client: u8,
        agent: u8,
        milestones: Vec<Amount>,
        exact: bool,
        evaluator: Option<u8>,
        arbiter: Option<u8>,
    },
    /// Registers an actor as an evaluator with `bond` and a fee per verdict or ruling.
    RegisterEvaluator {
        who: u8,
        bond: Amount,
        fee: Amount,
    },
    /// The agent of a task (`Who::Right`) funds a sub-task out of its current milestone
    /// (`Fit`: one pending with fewer than 8 sub-tasks, at any depth): `agent` is the
    /// sub-task's agent (an actor; 8 and above: one able to take it), its deposit `share_bps`
    /// of what the milestone can still spend (above 10 000: over budget), split in 1 +
    /// `milestones` modulo 3 milestones, with `evaluator` as its evaluator (picked as
    /// `CreateTask` picks it).
    DelegateTask {
        who: Who,
        task: Target,
        agent: u8,
        share_bps: u16,
        milestones: u8,
        evaluator: Option<u8>,
    },
    /// The task's evaluator (`Who::Right`) approves or rejects the current milestone;
    /// `exact` false names another result than the one delivered.
    EvaluateMilestone {
        who: Who,
        task: Target,
        approve: bool,
        exact: bool,
    },
    /// Anyone hands a milestone whose evaluator let its window pass to the arbiter.
    Escalate {
        who: u8,
        task: Target,
    },
    /// The task's evaluator on duty (`Who::Right`), or with `arbiter` its bonded arbiter on
    /// duty, resigns from it (`resign_oversight`). `Fit`: a task with that overseer on duty
    /// whose current milestone is pending.
    ResignOversight {
        who: Who,
        task: Target,
        arbiter: bool,
    },
    /// The agent (`Who::Right`) appeals its evaluator's rejection.
    Appeal {
        who: Who,
        task: Target,
    },
    /// The client (`Who::Right`) of an ended task rates its agent or (`evaluator`) its
    /// evaluator. `Fit`: an ended task whose subject is not rated yet.
    GiveFeedback {
        who: Who,
        task: Target,
        evaluator: bool,
        rating: u8,
    },
    AcceptTask {
        who: Who,
        task: Target,
    },
    /// Inferences of model 1 as in `PayInference` (signed by its host, the escrow as payer).
    SubmitMilestone {
        who: Who,
        task: Target,
        inferences: Vec<Option<u16>>,
    },
    ApproveMilestone {
        who: Who,
        task: Target,
    },
    DisputeMilestone {
        who: Who,
        task: Target,
    },
    /// `Who::Right` is the task's arbiter.
    Resolve {
        who: Who,
        task: Target,
        share_bps: u16,
    },
    Finalize {
        who: u8,
        task: Target,
    },
    Refund {
        who: u8,
        task: Target,
    },
    Advance {
        seconds: u64,
    },
    /// Moves the chain to the `nth` nearest pending deadline (modulo how many there are): a
    /// task's accept window, delivery deadline, evaluation, review (or appeal) or arbitration
    /// window, the end of the
    /// stakers' reward stream, or the end of an unbonding (a stake's or an agent's bond); one
    /// hour on when none is pending.
    Jump {
        nth: u8,
    },
    /// Takes the `nth` live task (modulo how many there are; the furthest along first, the
    /// deepest first among equals) one step further along its life, as its party would (see
    /// `progress`): accept it, delegate part of its milestone (registering an agent to take it
    /// first if none can), submit its milestone, approve, dispute or let the review window
    /// pass, the evaluator's verdict or its silence and the escalation, the agent's appeal of
    /// a rejection or the appeal window passing, resolve the dispute or let the arbitration
    /// window pass, or refund it after a deadline; with `choice` picking among the ways on and
    /// their details. Now and then, or without a live task, a client gives the world's agent a
    /// task (with an evaluator, registered first if none is free, or a named arbiter
    /// sometimes), or rates an ended task. Runs (and is counted) as that action.
    Progress {
        nth: u8,
        choice: u8,
    },
    /// `Progress` through the escrow's newer workflows: every new task has an evaluator (one
    /// registered first if none is free), a named arbiter more often, delegation twice as
    /// often (deeper trees), more ratings, and now and then an overseer resigning from a task
    /// whose current milestone is pending. Runs (and is counted) as the action it stands for.
    Workflows {
        nth: u8,
        choice: u8,
    },
    /// Takes stakes and agents' bonds along their unbonding, as their holders would: claims
    /// staking rewards, else withdraws a matured unbonding (a stake's, else an agent's bond),
    /// else lets the nearest unbonding mature, else unstakes everything, unbonds an agent (not
    /// the world's) or funds the stakers, else stakes or registers an agent (`choice` picks who
    /// and which). Runs (and is counted) as that action.
    Unbonding {
        choice: u8,
    },
    /// Takes contribution bonds along their life, as their parties would: withdraws returned
    /// bonds, else accepts a pending bonded contribution, else contributes to a datanet that
    /// asks for a bond, else creates one (`choice` picks who). Runs (and is counted) as that
    /// action.
    Bonds {
        choice: u8,
    },
    /// Commits to a fresh data hash for datanet `datanet` (picked by index) without revealing
    /// it (`commit_contribution`).
    Commit {
        who: u8,
        datanet: u8,
    },
    /// Reveals a commitment (`reveal_contribution`, with the datanet's bond): `Who::Right` is
    /// its committer. `Fit`: an open commitment that can be revealed now.
    Reveal {
        who: Who,
        commitment: Target,
    },
    /// A plain `contribute` of the data hash behind an open commitment (a copy sent in front
    /// of its reveal), by `who`. Counted as `contribute`.
    Copy {
        who: u8,
        commitment: u8,
    },
    /// The pool's owner (`Who::Right`) sets the staking reward period
    /// (`update_config { staking_reward_period }`).
    SetRewardPeriod {
        who: Who,
        seconds: u64,
    },
    /// Takes commitments along their life: reveals one that can be revealed (after a copy of
    /// its hash, sometimes), else lets its block pass, else commits (`choice` picks who, where
    /// and whether a copy is sent first). Runs (and is counted) as that action.
    Reveals {
        choice: u8,
    },
    /// Exercises the stakers' reward stream: a stake just before a stakers distribution, a
    /// distribution, time passing within the stream, a claim, an unstake or a change of the
    /// period (`choice` picks). Runs (and is counted) as that action.
    Streams {
        choice: u8,
    },
    /// Takes the lineage datanets (1 and 2) and their models along versions, as their parties
    /// would: accepts a pending contribution, else publishes a version with changes, else
    /// registers a model on the latest versions when none is, else (`choice` picks)
    /// contributes, removes a contribution, pays an inference of a model on the latest versions,
    /// or derives a model from one (or pays a derived model). Runs (and is counted) as that
    /// action.
    Versions {
        choice: u8,
    },
}

/// Every action kind, in the order the counts are printed.
pub const KINDS: [&str; 40] = [
    "transfer",
    "create_datanet",
    "contribute",
    "review",
    "remove_contribution",
    "distribute",
    "claim",
    "stake",
    "unstake",
    "withdraw_unbonded",
    "claim_staking_rewards",
    "withdraw_bonds",
    "commit_contribution",
    "reveal_contribution",
    "set_reward_period",
    "publish_version",
    "register_model",
    "register_derived_model",
    "purchase_license",
    "pay_inference",
    "pay_inferences",
    "withdraw_earnings",
    "register_agent",
    "unbond_agent",
    "withdraw_agent_bond",
    "create_task",
    "accept_task",
    "submit_milestone",
    "approve_milestone",
    "dispute_milestone",
    "resolve",
    "finalize",
    "refund",
    "register_evaluator",
    "delegate_task",
    "evaluate_milestone",
    "escalate",
    "appeal",
    "give_feedback",
    "resign_oversight",
];

impl Action {
    /// The kind counted; time advances are not counted among the user actions.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Transfer { .. } => "transfer",
            Action::CreateDatanet { .. } => "create_datanet",
            Action::Contribute { .. } => "contribute",
            Action::Review { .. } => "review",
            Action::RemoveContribution { .. } => "remove_contribution",
            Action::Distribute { .. } => "distribute",
            Action::Claim { .. } => "claim",
            Action::Stake { .. } => "stake",
            Action::Unstake { .. } => "unstake",
            Action::WithdrawUnbonded { .. } => "withdraw_unbonded",
            Action::ClaimStakingRewards { .. } => "claim_staking_rewards",
            Action::WithdrawBonds { .. } => "withdraw_bonds",
            Action::Commit { .. } => "commit_contribution",
            Action::Reveal { .. } => "reveal_contribution",
            Action::Copy { .. } => "contribute",
            Action::SetRewardPeriod { .. } => "set_reward_period",
            Action::RegisterModel { .. } => "register_model",
            Action::PublishVersion { .. } => "publish_version",
            Action::RegisterDerivedModel { .. } => "register_derived_model",
            Action::PurchaseLicense { .. } => "purchase_license",
            Action::PayInference { .. } => "pay_inference",
            Action::PayInferences { .. } => "pay_inferences",
            Action::WithdrawEarnings { .. } => "withdraw_earnings",
            Action::RegisterAgent { .. } => "register_agent",
            Action::UnbondAgent { .. } => "unbond_agent",
            Action::WithdrawAgentBond { .. } => "withdraw_agent_bond",
            Action::CreateTask { .. } => "create_task",
            Action::AcceptTask { .. } => "accept_task",
            Action::SubmitMilestone { .. } => "submit_milestone",
            Action::ApproveMilestone { .. } => "approve_milestone",
            Action::DisputeMilestone { .. } => "dispute_milestone",
            Action::Resolve { .. } => "resolve",
            Action::Finalize { .. } => "finalize",
            Action::Refund { .. } => "refund",
            Action::RegisterEvaluator { .. } => "register_evaluator",
            Action::DelegateTask { .. } => "delegate_task",
            Action::EvaluateMilestone { .. } => "evaluate_milestone",
            Action::Escalate { .. } => "escalate",
            Action::Appeal { .. } => "appeal",
            Action::GiveFeedback { .. } => "give_feedback",
            Action::ResignOversight { .. } => "resign_oversight",
            Action::Advance { .. } | Action::Jump { .. } => "advance",
            Action::Progress { .. } => "progress",
            Action::Workflows { .. } => "workflows",
            Action::Unbonding { .. } => "unbonding",
            Action::Bonds { .. } => "bonds",
            Action::Reveals { .. } => "reveals",
            Action::Streams { .. } => "streams",
            Action::Versions { .. } => "versions",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct DatanetModel {
    pub id: u64,
    pub owner: Addr,
    pub mode: AttributionMode,
    pub bond: u128,
    /// Versions published.
    pub versions: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContributionState {
    Pending,
    Accepted(u64),
    Rejected,
    Removed,
    /// Its data hash was taken by the reveal of an earlier commitment.
    Displaced,
}

#[derive(Clone, Debug)]
pub struct ContributionModel {
    pub id: u64,
    pub datanet: u64,
    pub contributor: Addr,
    pub bond: u128,
    pub state: ContributionState,
    /// Its data hash (hex).
    pub hash: String,
    /// When it claimed the hash: its commitment's time if revealed, else its own.
    pub claimed_at: u64,
}

/// A commitment to a data hash (`commit_contribution`).
#[derive(Clone, Debug)]
pub struct CommitModel {
    pub datanet: u64,
    pub committer: Addr,
    /// The hidden data hash (hex).
    pub hash: String,
    pub committed_at: u64,
    pub revealed: bool,
}

impl CommitModel {
    /// Whether its committer can reveal it at `now`: in a later block, within the window.
    fn in_window(&self, now: u64) -> bool {
        now > self.committed_at && now <= self.committed_at + REVEAL_WINDOW_SECONDS
    }
}

pub struct ModelModel {
    pub id: u64,
    pub owner: Addr,
    pub fee: u128,
    pub price: Option<u128>,
    pub host: HostKey,
    /// Its lineage: (datanet, version, bps).
    pub lineage: Vec<(u64, u32, u16)>,
    /// 0 without parents, else 1 + its parent's.
    pub depth: u32,
    /// The royalty it pays its parent (0 without one).
    pub royalty: u16,
    /// Its ancestors: (model, reach, share) in bps of its creator value.
    pub ancestors: Vec<(u64, u16, u16)>,
    /// The share of its creator value it keeps (10 000 without parents).
    pub own_share: u16,
}

/// The invariants, as the figures name them, in the order they are printed.
pub const INVARIANTS: [&str; 14] = [
    SUPPLY_AND_LEDGER,
    SOLVENT,
    FEE_SPLITS,
    NO_DOUBLE_PAYOUT,
    NO_RETROACTIVE_REWARDS,
    ONE_STATE_PER_TASK,
    POOL_WEIGHTS,
    NOTHING_STRANDED,
    TIME_WEIGHTED_SHARE,
    RESERVED_BOND,
    FEES_REACH_VERSIONS,
    ESCROW_OWES_TREES,
    SETTLED_ONCE,
    DELEGATED_NET,
];
pub const SUPPLY_AND_LEDGER: &str = "supply constant, ledger = balances";
pub const SOLVENT: &str = "contracts solvent, escrow exact";
pub const FEE_SPLITS: &str = "fee splits add up";
pub const NO_DOUBLE_PAYOUT: &str = "nobody paid twice";
pub const NO_RETROACTIVE_REWARDS: &str = "no retroactive rewards";
pub const ONE_STATE_PER_TASK: &str = "every task in one state";
pub const POOL_WEIGHTS: &str = "pool weights = registry weights";
pub const NOTHING_STRANDED: &str = "pool owes what can be claimed";
pub const TIME_WEIGHTED_SHARE: &str = "stake share <= time-weighted share";
pub const RESERVED_BOND: &str = "reserved bond covers open tasks";
pub const FEES_REACH_VERSIONS: &str = "fees reach only their versions";
pub const ESCROW_OWES_TREES: &str = "escrow = tasks' escrowed + bonds";
pub const SETTLED_ONCE: &str = "every milestone settled once";
pub const DELEGATED_NET: &str = "delegated = sub-tasks' net deposits";

/// Counts over a whole run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub cases: u64,
    pub steps: u64,
    /// Invariant checks, all invariants together (the sum of `invariants`).
    pub checks: u64,
    pub fee_splits: u64,
    /// Checks per invariant (`INVARIANTS`).
    pub invariants: BTreeMap<&'static str, u64>,
    /// Pending copies displaced by a reveal.
    pub displaced: u64,
    /// Stakers allocations that reached the stream in the block of a stake (a stake just
    /// before a distribution).
    pub jit: u64,
    /// Intervals in which the stream released something to stakers (checked against the
    /// schedule and each stake's share).
    pub releases: u64,
    /// Rulings of 0 that slashed a reservation (checked to the unit).
    pub slashes: u64,
    /// Acceptances refused because the agent's free bond was below the task's minimum
    /// (`FreeBondTooLow`, checked to the field).
    pub bond_refusals: u64,
    /// Fees credited to a version after the first of a datanet (models on later versions,
    /// checked to the unit).
    pub later_versions: u64,
    /// Fees that reached a contributor removed since the version they name (checked to the
    /// unit).
    pub removed_paid: u64,
    /// Payments of derived models that credited an ancestor's owner in the pool (checked to
    /// the unit).
    pub royalties: u64,
    /// Sub-tasks created (delegations).
    pub subtasks: u64,
    /// Sub-tasks created at the depth bound.
    pub deepest: u64,
    /// Delegations refused over budget (`DelegationOverBudget`, checked to the field).
    pub over_budget: u64,
    /// Delegations refused beyond the bond the agent reserved for the task
    /// (`DelegationAboveBond`, checked to the field).
    pub above_bond: u64,
    /// Refunds that paid the client back what a milestone's sub-tasks spent, out of the
    /// agent's reserved bond.
    pub compensations: u64,
    /// Delegations refused because the sub-agent oversees the parent task
    /// (`SubagentOverseesParent`).
    pub overseer_hires: u64,
    /// Delegations refused beyond the depth bound (`DelegationTooDeep`, checked to the field).
    pub too_deep: u64,
    /// Sub-tasks that gave everything back into their parent milestone (refunds, rejections
    /// that stood).
    pub subtask_refunds: u64,
    /// Rejections that stood (`finalize` after the appeal window).
    pub rejections_stood: u64,
    /// Rulings above 0 after a rejection (an appeal won).
    pub overturned: u64,
    /// Escalations that slashed an evaluator's reservation.
    pub evaluator_slashes: u64,
    /// Rulings that paid a bonded arbiter.
    pub bonded_rulings: u64,
    /// Evaluators that resigned from a task (`resign_oversight`, checked to the unit).
    pub evaluator_resignations: u64,
    /// Bonded arbiters that resigned from a task (the default arbiter took over).
    pub arbiter_resignations: u64,
    /// Resignations refused while the current milestone was not pending (`OverseerBusy`,
    /// checked to the field).
    pub overseer_busy: u64,
    /// Arbiters' resignations refused because the default arbiter is one of the task's
    /// parties or its evaluator (`ArbiterIsParty`, checked to the field).
    pub default_arbiter_party: u64,
    pub attempts: BTreeMap<&'static str, u64>,
    pub successes: BTreeMap<&'static str, u64>,
}

impl Stats {
    pub fn merge(&mut self, other: &Stats) {
        self.cases += other.cases;
        self.steps += other.steps;
        self.checks += other.checks;
        self.fee_splits += other.fee_splits;
        self.displaced += other.displaced;
        self.jit += other.jit;
        self.releases += other.releases;
        self.slashes += other.slashes;
        self.bond_refusals += other.bond_refusals;
        self.later_versions += other.later_versions;
        self.removed_paid += other.removed_paid;
        self.royalties += other.royalties;
        self.subtasks += other.subtasks;
        self.deepest += other.deepest;
        self.over_budget += other.over_budget;
        self.above_bond += other.above_bond;
        self.compensations += other.compensations;
        self.overseer_hires += other.overseer_hires;
        self.too_deep += other.too_deep;
        self.subtask_refunds += other.subtask_refunds;
        self.rejections_stood += other.rejections_stood;
        self.overturned += other.overturned;
        self.evaluator_slashes += other.evaluator_slashes;
        self.bonded_rulings += other.bonded_rulings;
        self.evaluator_resignations += other.evaluator_resignations;
        self.arbiter_resignations += other.arbiter_resignations;
        self.overseer_busy += other.overseer_busy;
        self.default_arbiter_party += other.default_arbiter_party;
        for (k, v) in &other.invariants {
            *self.invariants.entry(k).or_default() += v;
        }
        for (k, v) in &other.attempts {
            *self.attempts.entry(k).or_default() += v;
        }
        for (k, v) in &other.successes {
            *self.successes.entry(k).or_default() += v;
        }
    }

    /// Counts `n` checks of `invariant`.
    fn checked(&mut self, invariant: &'static str, n: u64) {
        self.checks += n;
        *self.invariants.entry(invariant).or_default() += n;
    }
}

/// What the stakers' side of the pool looks like after a step (as of its block time): the
/// staking pool and each actor's stake and claimable rewards.
#[derive(Clone, Debug)]
pub struct StakeView {
    pub now: u64,
    /// The staking reward period the model expects.
    pub period: u64,
    pub pool: StakingPoolResponse,
    /// (actor, staked, claimable rewards).
    pub stakers: Vec<(Addr, u128, u128)>,
}

/// What a refused action must leave as it was, next to the balances (the ledger).
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub pool: SolvencyResponse,
    pub pool_config: pool::ConfigResponse,
    pub registry: RegistrySolvencyResponse,
    pub models: LicensingSolvencyResponse,
    pub escrow: EscrowSolvencyResponse,
    pub staking: StakingPoolResponse,
    pub registry_config: registry::ConfigResponse,
    pub models_config: ml::ConfigResponse,
    pub escrow_config: escrow::ConfigResponse,
}

/// The outcome of one action: refused by the contracts, or done.
type Outcome = Result<bool, String>;

macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!($($arg)+));
        }
    };
}

macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($arg:tt)+) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            return Err(format!("{}: {:?} != {:?}", format!($($arg)+), l, r));
        }
    }};
}

/// Executes, or reports a refusal (`Ok(false)`) from the enclosing action; a refusal of an
/// action the model says must succeed (`$allowed`) is a failure.
macro_rules! expect_ok {
    ($res:expr, $allowed:expr, $($arg:tt)+) => {
        match $res {
            Ok(res) => res,
            Err(e) if $allowed => {
                return Err(format!("{} was refused: {e:#}", format!($($arg)+)));
            }
            Err(_) => return Ok(false),
        }
    };
}

/// Executes or reports a refusal (`Ok(false)`) from the enclosing action.
macro_rules! attempt {
    ($res:expr) => {
        match $res {
            Ok(res) => res,
            Err(_) => return Ok(false),
        }
    };
}

mod delegation;
mod derived;
mod oversight;
mod progress;
mod provenance;
mod tasks;
mod trees;
pub use delegation::Delegation;
pub use provenance::{
    fees_reach_only_their_versions, payment_event, pool_holdings, Earned, Holdings,
};
pub use tasks::EVALUATION;
use tasks::{Need, Settle};
pub use trees::{
    delegated_equals_net_subtask_deposits, escrow_owes_its_trees_and_bonds,
    every_milestone_settled_once, EvaluatorModel, MilestoneMoney, TaskModel, Terms,
};

pub struct Sim {
    pub w: World,
    pub actors: Vec<Addr>,
    /// Every account whose rewards are checked: the actors and `world()`'s second contributor.
    pub accounts: Vec<Addr>,
    pub datanets: Vec<DatanetModel>,
    pub contributions: Vec<ContributionModel>,
    /// Accepted weight per (datanet, contributor), as the model expects it.
    pub weights: BTreeMap<(u64, Addr), u64>,
    /// Rewards credited per (datanet, contributor), exact up to 10^-18 (scaled by 10^18): each
    /// fee's exact share of the contributor's weight in the version the fee names.
    pub credited: BTreeMap<(u64, Addr), Uint256>,
    /// Version-scoped rewards of each weight-mode datanet, as the pool computes them
    /// (`econ::VersionedRewards`): every acceptance and removal sets the contributor's weight
    /// for the next version, every publication freezes it, every fee goes to the version it
    /// names.
    pub rewards: BTreeMap<u64, VersionedRewards<Addr>>,
    /// The versions of each weight-mode datanet that fees were credited to.
    pub named: BTreeMap<u64, BTreeSet<u32>>,
    /// Account credits in the pool (`Allocation::Account`: royalties of derived models) per
    /// account and source model, as the model expects them.
    pub credits: BTreeMap<(Addr, u64), u128>,
    /// Account credits claimed, per account.
    pub credits_claimed: BTreeMap<Addr, u128>,
    /// Licences: when each (licensee, model) licence expires.
    pub licences: BTreeMap<(Addr, u64), u64>,
    /// Paid out per (datanet, contributor).
    pub claimed: BTreeMap<(u64, Addr), u128>,
    /// Returned bonds not yet withdrawn, per contributor.
    pub withdrawable: BTreeMap<Addr, u128>,
    pub models: Vec<ModelModel>,
    /// Model owners' earnings not yet withdrawn.
    pub earnings: BTreeMap<Addr, u128>,
    /// Every task, root or sub-task, by id from 1: its parties, terms and money.
    pub tasks: Vec<TaskModel>,
    /// Registered evaluators: their bonds and fees.
    pub evaluators: BTreeMap<Addr, EvaluatorModel>,
    /// Settlements the escrow reported, per (task, milestone).
    pub settlements: BTreeMap<(u64, u32), u32>,
    /// Ratings given, per (task, of its evaluator).
    pub rated: BTreeSet<(u64, bool)>,
    /// Ratings per (rated address, as evaluator), as the model weighs them.
    pub ratings: BTreeMap<(Addr, bool), econ::Ratings>,
    pub commitments: Vec<CommitModel>,
    pub next_inference: u64,
    /// The pool's staking reward period, as the model expects it.
    pub period: u64,
    pub stats: Stats,
    last: Option<Snapshot>,
    /// The stakers' side after the last step.
    view: Option<StakeView>,
    /// What this step's stakers allocations put into the stream (the pool's `distribute`
    /// events: `stakers`, 0 when nothing was staked).
    step_streamed: u128,
    /// How many stakers allocations reached the stream in this step.
    step_allocations: u32,
    /// Staking rewards paid to each actor in this step.
    step_staking_paid: BTreeMap<Addr, u128>,
    /// The block time of the last successful stake.
    last_stake_at: Option<u64>,
    /// Settlements the escrow reported in this step.
    step_settlements: Vec<(u64, u32)>,
    /// Tasks as the escrow showed them since the last message.
    task_cache: RefCell<BTreeMap<u64, TaskResponse>>,
}

fn event_attr<'a>(e: &'a Event, key: &str) -> Option<&'a str> {
    e.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

/// The attribution of datanet 1's share `b` (rest to datanet 2).
fn attribution(b: u16) -> Vec<openledger_common::attribution::AttributionShare> {
    match b {
        0 => shares(&[(2, 10_000)]),
        10_000.. => shares(&[(1, 10_000)]),
        b => shares(&[(1, b), (2, 10_000 - b)]),
    }
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    /// `world()` with every actor funded, and its state in the model.
    pub fn new() -> Self {
        let mut w = world();
        let actors: Vec<Addr> = ACTOR_NAMES.iter().map(|n| w.s.addr(n)).collect();
        for a in &actors {
            w.s.fund(a, ACTOR_FUNDS);
        }
        let owner = actors[0].clone();
        let contributor_1 = w.s.addr("contributor-1");
        let mut accounts = actors.clone();
        accounts.push(contributor_1.clone());
        let datanets = (1..=2)
            .map(|id| DatanetModel {
                id,
                owner: owner.clone(),
                mode: AttributionMode::Weight,
                bond: 0,
                versions: 1,
            })
            .collect();
        let contributions = vec![
            ContributionModel {
                id: 1,
                datanet: 1,
                contributor: actors[5].clone(),
                bond: 0,
                state: ContributionState::Accepted(100),
                hash: data_hash(actors[5].as_str()),
                claimed_at: w.now(),
            },
            ContributionModel {
                id: 2,
                datanet: 2,
                contributor: contributor_1.clone(),
                bond: 0,
                state: ContributionState::Accepted(100),
                hash: data_hash(contributor_1.as_str()),
                claimed_at: w.now(),
            },
        ];
        let mut weights = BTreeMap::new();
        weights.insert((1, actors[5].clone()), 100);
        weights.insert((2, contributor_1), 100);
        // Version 1 of each: its one contributor, weight 100.
        let mut rewards = BTreeMap::new();
        for ((id, holder), w) in &weights {
            let r = rewards.entry(*id).or_insert_with(provenance::no_versions);
            r.set_weight(holder.clone(), u128::from(*w));
            r.publish().expect("version 1");
        }
        let models = vec![ModelModel {
            id: 1,
            owner: w.model_owner.clone(),
            fee: MODEL_FEE,
            price: None,
            host: HostKey::new("escrow-host"),
            lineage: LINEAGE.iter().map(|&(d, b)| (d, 1, b)).collect(),
            depth: 0,
            royalty: 0,
            ancestors: vec![],
            own_share: 10_000,
        }];
        let mut sim = Sim {
            w,
            actors,
            accounts,
            datanets,
            contributions,
            weights,
            credited: BTreeMap::new(),
            rewards,
            named: BTreeMap::new(),
            credits: BTreeMap::new(),
            credits_claimed: BTreeMap::new(),
            licences: BTreeMap::new(),
            claimed: BTreeMap::new(),
            withdrawable: BTreeMap::new(),
            models,
            earnings: BTreeMap::new(),
            tasks: vec![],
            evaluators: BTreeMap::new(),
            settlements: BTreeMap::new(),
            rated: BTreeSet::new(),
            ratings: BTreeMap::new(),
            commitments: vec![],
            next_inference: 0,
            period: DEFAULT_STAKING_REWARD_PERIOD,
            stats: Stats {
                cases: 1,
                ..Stats::default()
            },
            last: None,
            view: None,
            step_streamed: 0,
            step_allocations: 0,
            step_staking_paid: BTreeMap::new(),
            last_stake_at: None,
            step_settlements: vec![],
            task_cache: RefCell::new(BTreeMap::new()),
        };
        sim.check_all()
            .expect("the initial world holds every invariant");
        sim
    }

    fn actor(&self, i: u8) -> Addr {
        self.actors[usize::from(i) % self.actors.len()].clone()
    }

    /// Actor `i`, or for `i` ≥ 8 the first actor `fits` (actor `i` modulo 8 if none does).
    fn fitting(&self, i: u8, fits: impl Fn(&Self, &Addr) -> bool) -> Addr {
        if usize::from(i) < self.actors.len() {
            return self.actor(i);
        }
        self.actors
            .iter()
            .find(|a| fits(self, a))
            .cloned()
            .unwrap_or_else(|| self.actor(i))
    }

    fn who(&self, who: Who, right: &Addr) -> Addr {
        match who {
            Who::Right => right.clone(),
            Who::Actor(i) => self.actor(i),
        }
    }

    fn amount(&self, actor: &Addr, a: Amount) -> u128 {
        match a {
            Amount::Zero => 0,
            Amount::One => 1,
            Amount::Small(x) => u128::from(x),
            Amount::Large(x) => u128::from(x) * 1_000,
            Amount::All => self.w.s.ledger.get(actor).copied().unwrap_or(0),
            Amount::Max => u128::MAX,
        }
    }

    fn moved(&mut self, from: &Addr, to: &Addr, amount: u128) {
        self.w.s.moved(from, to, amount);
    }

    fn pick<T>(items: &[T], i: u8) -> Option<&T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[usize::from(i) % items.len()])
        }
    }

    fn inference_id(&mut self) -> String {
        self.next_inference += 1;
        format!("inf-{}", self.next_inference)
    }

    fn now(&self) -> u64 {
        self.w.now()
    }

    fn exec<M: serde::Serialize + std::fmt::Debug>(
        &mut self,
        who: &Addr,
        contract: &Addr,
        msg: &M,
    ) -> AnyResult<AppResponse> {
        self.task_cache.get_mut().clear();
        let res = self
            .w
            .s
            .app
            .execute_contract(who.clone(), contract.clone(), msg, &[])?;
        self.observe(&res);
        Ok(res)
    }

    fn send<M: serde::Serialize>(
        &mut self,
        who: &Addr,
        contract: &Addr,
        amount: u128,
        hook: &M,
    ) -> AnyResult<AppResponse> {
        self.task_cache.get_mut().clear();
        let res = self.w.s.send(who, contract, amount, hook)?;
        self.observe(&res);
        Ok(res)
    }

    /// Adds what the pool's `distribute`s in `res` put into the stakers' stream (directly, or
    /// from model licensing's fee splits) to this step's total.
    fn observe(&mut self, res: &AppResponse) {
        self.record_settlements(&res.events);
        let pool = self.w.s.pool.to_string();
        for e in &res.events {
            if e.ty == "wasm"
                && event_attr(e, "_contract_address") == Some(pool.as_str())
                && event_attr(e, "action") == Some("distribute")
            {
                if let Some(v) = event_attr(e, "stakers") {
                    // An unreadable amount breaks the stream's accounts, visibly.
                    let streamed = v.parse::<u128>().unwrap_or(u128::MAX / 4);
                    self.step_streamed += streamed;
                    if streamed > 0 {
                        self.step_allocations += 1;
                        if self.last_stake_at == Some(self.now()) {
                            self.stats.jit += 1;
                        }
                    }
                }
            }
        }
    }

    fn pending(&self, who: &Addr) -> PendingRewardsResponse {
        self.w.s.query_pool(&pool::QueryMsg::PendingRewards {
            address: who.to_string(),
            datanet_ids: None,
            start_after: None,
            limit: Some(pool::MAX_CLAIM_DATANETS as u32),
        })
    }

    fn pending_in(&self, who: &Addr, datanet_id: u64) -> u128 {
        let p: PendingRewardsResponse = self.w.s.query_pool(&pool::QueryMsg::PendingRewards {
            address: who.to_string(),
            datanet_ids: Some(vec![datanet_id]),
            start_after: None,
            limit: None,
        });
        p.total.u128()
    }

    // -----------------------------------------------------------------------------------------
    // One step
    // -----------------------------------------------------------------------------------------

    /// Runs `action`; checks that a refused action changed nothing, and every invariant.
    pub fn step(&mut self, action: &Action) -> Result<(), String> {
        let guided;
        let action = match *action {
            Action::Progress { .. }
            | Action::Workflows { .. }
            | Action::Unbonding { .. }
            | Action::Bonds { .. }
            | Action::Reveals { .. }
            | Action::Streams { .. }
            | Action::Versions { .. } => {
                guided = self.guided(action);
                &guided
            }
            _ => action,
        };
        self.stats.steps += 1;
        self.step_streamed = 0;
        self.step_allocations = 0;
        self.step_staking_paid.clear();
        self.step_settlements.clear();
        let kind = action.kind();
        *self.stats.attempts.entry(kind).or_default() += 1;
        let ledger = self.w.s.ledger.clone();
        let done = self.run(action)?;
        // A refusal's snapshot is the state the invariants are checked in.
        let mut refused = None;
        if done {
            *self.stats.successes.entry(kind).or_default() += 1;
        } else {
            ensure_eq!(
                self.w.s.ledger,
                ledger,
                "the model moved tokens for a refusal"
            );
            let now = self.snapshot();
            ensure_eq!(
                Some(&now),
                self.last.as_ref(),
                "refused {action:?} changed a contract's totals"
            );
            refused = Some(now);
        }
        self.check(refused)
            .map_err(|e| format!("after {action:?}: {e}"))
    }

    fn run(&mut self, action: &Action) -> Outcome {
        match action.clone() {
            Action::Transfer { from, to, amount } => {
                let (from, to) = (self.actor(from), self.actor(to));
                let amount = self.amount(&from, amount);
                let token = self.w.s.token.clone();
                attempt!(self.exec(
                    &from,
                    &token,
                    &Cw20ExecuteMsg::Transfer {
                        recipient: to.to_string(),
                        amount: Uint128::new(amount),
                    },
                ));
                self.moved(&from, &to, amount);
                Ok(true)
            }
            Action::CreateDatanet {
                who,
                bond,
                influence,
            } => self.create_datanet(who, bond, influence),
            Action::Contribute {
                who,
                datanet,
                exact,
            } => self.contribute(who, datanet, exact),
            Action::Review {
                who,
                datanet,
                decisions,
            } => self.review(who, datanet, &decisions),
            Action::RemoveContribution { who, contribution } => {
                self.remove_contribution(who, contribution)
            }
            Action::Distribute {
                who,
                datanet,
                amount,
                stakers,
                version,
            } => self.distribute(who, datanet, amount, stakers, version),
            Action::Claim { who, datanet } => self.claim(who, datanet),
            Action::Stake { who, amount } => {
                let who = self.actor(who);
                let amount = self.amount(&who, amount);
                let pool = self.w.s.pool.clone();
                attempt!(self.send(&who, &pool, amount, &pool::ReceiveMsg::Stake {}));
                self.moved(&who, &pool, amount);
                self.last_stake_at = Some(self.now());
                Ok(true)
            }
            Action::Unstake { who, amount } => {
                let who = self.fitting(who, |s, a| !s.staker(a).staked.is_zero());
                let staker = self.staker(&who);
                let amount = match amount {
                    Amount::All => staker.staked.u128(),
                    a => self.amount(&who, a),
                };
                let pool = self.w.s.pool.clone();
                attempt!(self.exec(
                    &who,
                    &pool,
                    &pool::ExecuteMsg::Unstake {
                        amount: Uint128::new(amount)
                    }
                ));
                ensure!(
                    amount <= staker.staked.u128(),
                    "unstaked {amount} of a stake of {}",
                    staker.staked
                );
                Ok(true)
            }
            Action::WithdrawUnbonded { who } => {
                let now = self.now();
                let who = self.fitting(who, |s, a| {
                    s.staker(a).unbonding.iter().any(|e| e.release_at <= now)
                });
                let due: u128 = self
                    .staker(&who)
                    .unbonding
                    .iter()
                    .filter(|e| e.release_at <= now)
                    .map(|e| e.amount.u128())
                    .sum();
                let pool = self.w.s.pool.clone();
                attempt!(self.exec(&who, &pool, &pool::ExecuteMsg::WithdrawUnbonded {}));
                ensure!(due > 0, "withdraw_unbonded paid with nothing due");
                self.moved(&pool, &who, due);
                Ok(true)
            }
            Action::ClaimStakingRewards { who } => {
                let who = self.fitting(who, |s, a| !s.staker(a).claimable_rewards.is_zero());
                let due = self.staker(&who).claimable_rewards.u128();
                let pool = self.w.s.pool.clone();
                attempt!(self.exec(&who, &pool, &pool::ExecuteMsg::ClaimStakingRewards {}));
                ensure!(due > 0, "claim_staking_rewards paid with nothing claimable");
                self.moved(&pool, &who, due);
                *self.step_staking_paid.entry(who).or_default() += due;
                Ok(true)
            }
            Action::WithdrawBonds { who } => {
                let who = self.fitting(who, |s, a| s.withdrawable.contains_key(a));
                let due = self.withdrawable.get(&who).copied().unwrap_or(0);
                let registry = self.w.s.registry.clone();
                attempt!(self.exec(&who, &registry, &registry::ExecuteMsg::WithdrawBonds {}));
                ensure!(due > 0, "withdraw_bonds paid with no bond returned");
                self.withdrawable.remove(&who);
                self.moved(&registry, &who, due);
                Ok(true)
            }
            Action::Commit { who, datanet } => self.commit(who, datanet),
            Action::Reveal { who, commitment } => self.reveal(who, commitment),
            Action::Copy { who, commitment } => self.copy(who, commitment),
            Action::SetRewardPeriod { who, seconds } => self.set_reward_period(who, seconds),
            Action::RegisterModel {
                who,
                fee,
                price,
                lineage,
            } => self.register_model(who, fee, price, lineage),
            Action::PublishVersion { who, datanet } => self.publish_version(who, datanet),
            Action::RegisterDerivedModel {
                who,
                parent,
                royalty_bps,
                fee,
            } => self.register_derived_model(who, parent, royalty_bps, fee),
            Action::PurchaseLicense { who, model, exact } => {
                self.purchase_license(who, model, exact)
            }
            Action::PayInference {
                who,
                model,
                attribution,
                forged,
            } => {
                let who = self.actor(who);
                let Some(m) = Self::pick(&self.models, model) else {
                    return Ok(false);
                };
                let model_id = m.id;
                let item = self.payment(&who, model_id, attribution, forged);
                let fee = self.models[(model_id - 1) as usize].fee;
                let models = self.w.models.clone();
                let res =
                    attempt!(self.send(&who, &models, fee, &ml::ReceiveMsg::PayInference(item)));
                ensure!(
                    !(forged && attribution.is_some()),
                    "a forged receipt was accepted"
                );
                self.model_fees_paid(&who, &[(model_id, attribution)], &res)?;
                Ok(true)
            }
            Action::PayInferences { who, items } => {
                let who = self.actor(who);
                if self.models.is_empty() {
                    return Ok(false);
                }
                let mut payments = vec![];
                let mut paid = vec![];
                let mut total = 0u128;
                for (model, attribution) in items {
                    let model_id = Self::pick(&self.models, model).map(|m| m.id).unwrap_or(1);
                    payments.push(self.payment(&who, model_id, attribution, false));
                    paid.push((model_id, attribution));
                    total += self.models[(model_id - 1) as usize].fee;
                }
                let models = self.w.models.clone();
                let res = attempt!(self.send(
                    &who,
                    &models,
                    total,
                    &ml::ReceiveMsg::PayInferences { items: payments }
                ));
                self.model_fees_paid(&who, &paid, &res)?;
                Ok(true)
            }
            Action::WithdrawEarnings { who } => {
                let who = self.fitting(who, |s, a| s.earnings.contains_key(a));
                let due = self.earnings.get(&who).copied().unwrap_or(0);
                let models = self.w.models.clone();
                attempt!(self.exec(&who, &models, &ml::ExecuteMsg::WithdrawEarnings {}));
                ensure!(due > 0, "withdraw_earnings paid with no earnings");
                self.earnings.remove(&who);
                self.moved(&models, &who, due);
                Ok(true)
            }
            Action::RegisterAgent { who, bond } => {
                let who = self.actor(who);
                let bond = self.amount(&who, bond);
                self.task_cache.get_mut().clear();
                attempt!(self.w.register(&who, bond, vec![1]));
                ensure!(
                    bond >= MIN_BOND,
                    "an agent registered with a bond of {bond}"
                );
                Ok(true)
            }
            Action::UnbondAgent { who } => {
                // The world's agent, who most tasks name, is left out of the fitting ones.
                let who = self.fitting(who, |s, a| {
                    *a != s.w.agent
                        && s.agent(a).is_some_and(|g| {
                            g.status == escrow::AgentStatus::Active && g.open_tasks == 0
                        })
                });
                let escrow = self.w.escrow.clone();
                attempt!(self.exec(&who, &escrow, &escrow::ExecuteMsg::Unbond {}));
                Ok(true)
            }
            Action::WithdrawAgentBond { who } => {
                let who = self.fitting(who, |s, a| {
                    s.agent(a)
                        .is_some_and(|g| matches!(g.status, escrow::AgentStatus::Unbonding { .. }))
                });
                let bond = self.agent(&who).map(|a| a.bond.u128()).unwrap_or(0);
                let escrow = self.w.escrow.clone();
                attempt!(self.exec(&who, &escrow, &escrow::ExecuteMsg::WithdrawBond {}));
                self.moved(&escrow, &who, bond);
                Ok(true)
            }
            Action::CreateTask {
                client,
                agent,
                milestones,
                exact,
                evaluator,
                arbiter,
            } => self.create_task((client, agent), &milestones, exact, (evaluator, arbiter)),
            Action::AcceptTask { who, task } => self.accept_task(who, task),
            Action::SubmitMilestone {
                who,
                task,
                inferences,
            } => self.submit_milestone(who, task, inferences),
            Action::ApproveMilestone { who, task } => {
                let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Approve, task) else {
                    return Ok(false);
                };
                let who = self.who(who, &t.client);
                self.settle(t.id, &who, Settle::Approve)
            }
            Action::Finalize { who, task } => {
                let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Finalize, task)
                else {
                    return Ok(false);
                };
                let who = self.actor(who);
                let r = self.task(t.id);
                let rejected = r
                    .milestones
                    .get(r.task.current_milestone as usize)
                    .is_some_and(|m| m.status == MilestoneStatus::Rejected);
                if rejected && r.task.status == TaskStatus::InProgress {
                    self.finalize_rejection(t.id, &who)
                } else {
                    self.settle(t.id, &who, Settle::Finalize)
                }
            }
            Action::Resolve {
                who,
                task,
                share_bps,
            } => {
                let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Resolve, task) else {
                    return Ok(false);
                };
                let who = self.who(who, &t.arbiter);
                self.settle(t.id, &who, Settle::Resolve(share_bps))
            }
            Action::DisputeMilestone { who, task } => {
                let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Dispute, task) else {
                    return Ok(false);
                };
                let who = self.who(who, &t.client);
                let before = self.task(t.id);
                let milestone = before.task.current_milestone;
                let allowed = who == t.client && Need::Dispute.fits(&before, self.now());
                expect_ok!(
                    self.exec(
                        &who,
                        &self.w.escrow.clone(),
                        &escrow::ExecuteMsg::DisputeMilestone {
                            task_id: t.id,
                            milestone,
                            reason: "the result misses the spec".into(),
                        }
                    ),
                    allowed,
                    "disputing task {} milestone {milestone}",
                    t.id
                );
                ensure!(allowed, "task {} disputed by {who} out of its window", t.id);
                Ok(true)
            }
            Action::Refund { who, task } => self.refund(who, task),
            Action::RegisterEvaluator { who, bond, fee } => self.register_evaluator(who, bond, fee),
            Action::DelegateTask {
                who,
                task,
                agent,
                share_bps,
                milestones,
                evaluator,
            } => self.delegate(
                who,
                task,
                Delegation {
                    agent,
                    share_bps,
                    milestones,
                    evaluator,
                },
            ),
            Action::EvaluateMilestone {
                who,
                task,
                approve,
                exact,
            } => self.evaluate(who, task, approve, exact),
            Action::Escalate { who, task } => self.escalate(who, task),
            Action::Appeal { who, task } => self.appeal(who, task),
            Action::ResignOversight { who, task, arbiter } => self.resign(who, task, arbiter),
            Action::GiveFeedback {
                who,
                task,
                evaluator,
                rating,
            } => self.give_feedback(who, task, evaluator, rating),
            Action::Advance { seconds } => {
                self.w.s.advance(seconds);
                Ok(true)
            }
            Action::Progress { .. }
            | Action::Workflows { .. }
            | Action::Unbonding { .. }
            | Action::Bonds { .. }
            | Action::Reveals { .. }
            | Action::Streams { .. }
            | Action::Versions { .. } => {
                let action = self.guided(action);
                self.run(&action)
            }
            Action::Jump { nth } => {
                let now = self.now();
                let deadlines = self.deadlines();
                let seconds = Self::pick(&deadlines, nth).map_or(3_600, |d| d - now);
                self.w.s.advance(seconds);
                Ok(true)
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Datanets and rewards
    // -----------------------------------------------------------------------------------------

    fn create_datanet(&mut self, who: u8, bond: Amount, influence: bool) -> Outcome {
        let who = self.actor(who);
        let bond = match bond {
            Amount::All | Amount::Max => 1_000_000,
            a => self.amount(&who, a),
        };
        let n = self.datanets.len() + 1;
        let mode = if influence {
            AttributionMode::Influence
        } else {
            AttributionMode::Weight
        };
        let registry = self.w.s.registry.clone();
        let res = attempt!(self.exec(
            &who,
            &registry,
            &registry::ExecuteMsg::CreateDatanet(NewDatanet {
                name: format!("datanet-{n}"),
                description: String::new(),
                metadata_uri: format!("ipfs://datanet-{n}"),
                curators: vec![],
                policy: ContributionPolicy::Open,
                contribution_bond: Uint128::new(bond),
                attribution_mode: mode,
            })
        ));
        let id: u64 = crate::escrow::attr(&res, "datanet_id")
            .parse()
            .map_err(|e| format!("datanet id: {e}"))?;
        ensure_eq!(id, n as u64, "new datanet id");
        self.datanets.push(DatanetModel {
            id,
            owner: who,
            mode,
            bond,
            versions: 0,
        });
        if mode == AttributionMode::Weight {
            self.rewards.insert(id, provenance::no_versions());
        }
        Ok(true)
    }

    fn contribute(&mut self, who: u8, datanet: Target, exact: bool) -> Outcome {
        let who = self.actor(who);
        let bonded: Vec<DatanetModel> = match datanet {
            Target::Fit(_) => self
                .datanets
                .iter()
                .filter(|d| d.bond > 0)
                .cloned()
                .collect(),
            Target::Any(_) => vec![],
        };
        let from = if bonded.is_empty() {
            &self.datanets
        } else {
            &bonded
        };
        let Some(d) = Self::pick(from, datanet.index()).cloned() else {
            return Ok(false);
        };
        let paid = if exact { d.bond } else { d.bond + 1 };
        let id = self.contributions.len() as u64 + 1;
        let hash = data_hash(&format!("contribution-{id}"));
        let res = attempt!(self.send_contribution(&who, &d, &hash, paid, false));
        ensure_eq!(paid, d.bond, "contribution accepted with a wrong bond");
        self.contributed(&who, &d, hash, &res, None)
    }

    /// `who` contributes `hash` to `d`, paying `paid` (a direct call when 0), plainly or
    /// revealing its commitment.
    fn send_contribution(
        &mut self,
        who: &Addr,
        d: &DatanetModel,
        hash: &str,
        paid: u128,
        reveal: bool,
    ) -> AnyResult<AppResponse> {
        let new = NewContribution {
            datanet_id: d.id,
            data_hash: hash.to_string(),
            uri: "ipfs://data".into(),
            size_bytes: 1,
            license_note: None,
        };
        let registry = self.w.s.registry.clone();
        match (paid, reveal) {
            (0, false) => self.exec(who, &registry, &registry::ExecuteMsg::Contribute(new)),
            (0, true) => self.exec(
                who,
                &registry,
                &registry::ExecuteMsg::RevealContribution(new),
            ),
            (_, false) => self.send(who, &registry, paid, &registry::ReceiveMsg::Contribute(new)),
            (_, true) => self.send(
                who,
                &registry,
                paid,
                &registry::ReceiveMsg::RevealContribution(new),
            ),
        }
    }

    /// Records the contribution `res` made: `who` paid `d`'s bond for `hash`, claimed now or,
    /// revealed, as of its commitment.
    fn contributed(
        &mut self,
        who: &Addr,
        d: &DatanetModel,
        hash: String,
        res: &AppResponse,
        committed_at: Option<u64>,
    ) -> Outcome {
        let id = self.contributions.len() as u64 + 1;
        let got: u64 = crate::escrow::attr(res, "contribution_id")
            .parse()
            .map_err(|e| format!("contribution id: {e}"))?;
        ensure_eq!(got, id, "new contribution id");
        let registry = self.w.s.registry.clone();
        self.moved(who, &registry, d.bond);
        let claimed_at = committed_at.unwrap_or(self.now());
        self.contributions.push(ContributionModel {
            id,
            datanet: d.id,
            contributor: who.clone(),
            bond: d.bond,
            state: ContributionState::Pending,
            hash,
            claimed_at,
        });
        Ok(true)
    }

    /// The contribution holding `hash` in datanet `datanet_id` (a displaced one handed it on),
    /// by index.
    fn holder(&self, datanet_id: u64, hash: &str) -> Option<usize> {
        self.contributions.iter().position(|c| {
            c.datanet == datanet_id && c.hash == hash && c.state != ContributionState::Displaced
        })
    }

    /// Open commitments (not revealed) by index, and among them those whose hash nobody
    /// holds yet.
    fn open_commitments(&self) -> (Vec<usize>, Vec<usize>) {
        let open: Vec<usize> = (0..self.commitments.len())
            .filter(|&i| !self.commitments[i].revealed)
            .collect();
        let free = open
            .iter()
            .copied()
            .filter(|&i| {
                let c = &self.commitments[i];
                self.holder(c.datanet, &c.hash).is_none()
            })
            .collect();
        (open, free)
    }

    fn commit(&mut self, who: u8, datanet: u8) -> Outcome {
        let who = self.actor(who);
        let Some(d) = Self::pick(&self.datanets, datanet).cloned() else {
            return Ok(false);
        };
        let now = self.now();
        let hash = data_hash(&format!("committed-{}", self.commitments.len() + 1));
        let commitment = contribution_commitment(&hash, who.as_str());
        let open = self
            .commitments
            .iter()
            .filter(|c| {
                c.datanet == d.id
                    && c.committer == who
                    && !c.revealed
                    && now <= c.committed_at + REVEAL_WINDOW_SECONDS
            })
            .count();
        let registry = self.w.s.registry.clone();
        attempt!(self.exec(
            &who,
            &registry,
            &registry::ExecuteMsg::CommitContribution {
                datanet_id: d.id,
                commitment,
            }
        ));
        ensure!(
            open < registry::MAX_OPEN_COMMITMENTS,
            "a commitment beyond {open} open ones was accepted"
        );
        self.commitments.push(CommitModel {
            datanet: d.id,
            committer: who,
            hash,
            committed_at: now,
            revealed: false,
        });
        Ok(true)
    }

    /// A plain contribution of the hash behind an open commitment (preferably one nobody
    /// holds yet).
    fn copy(&mut self, who: u8, pick: u8) -> Outcome {
        let who = self.actor(who);
        let (open, free) = self.open_commitments();
        let from = if free.is_empty() { open } else { free };
        let Some(&i) = Self::pick(&from, pick) else {
            return Ok(false);
        };
        let c = self.commitments[i].clone();
        let d = self.datanets[(c.datanet - 1) as usize].clone();
        let held = self.holder(d.id, &c.hash);
        let res = attempt!(self.send_contribution(&who, &d, &c.hash, d.bond, false));
        ensure!(
            held.is_none(),
            "a copy of a hash held by contribution {:?} was accepted",
            held.map(|h| self.contributions[h].id)
        );
        self.contributed(&who, &d, c.hash, &res, None)
    }

    /// Reveals a commitment. The model decides whether the reveal must succeed (by the
    /// committer, in a later block within the window, with the bond, the hash free or held by
    /// a displaceable contribution: pending, another's, claimed strictly after the
    /// commitment): a refusal of such a reveal is a failure too.
    fn reveal(&mut self, who: Who, target: Target) -> Outcome {
        let now = self.now();
        let fit: Vec<usize> = (0..self.commitments.len())
            .filter(|&i| !self.commitments[i].revealed && self.commitments[i].in_window(now))
            .collect();
        let from = match target {
            Target::Fit(_) if !fit.is_empty() => fit,
            _ => (0..self.commitments.len()).collect(),
        };
        let Some(&i) = Self::pick(&from, target.index()) else {
            return Ok(false);
        };
        let c = self.commitments[i].clone();
        let who = self.who(who, &c.committer);
        let d = self.datanets[(c.datanet - 1) as usize].clone();
        let held = self.holder(d.id, &c.hash);
        let displaceable = held.map(|h| {
            let h = &self.contributions[h];
            h.state == ContributionState::Pending
                && h.contributor != who
                && h.claimed_at > c.committed_at
        });
        let funded = self.w.s.ledger.get(&who).copied().unwrap_or(0) >= d.bond;
        let allowed = who == c.committer
            && !c.revealed
            && c.in_window(now)
            && displaceable != Some(false)
            && funded;
        let res = match self.send_contribution(&who, &d, &c.hash, d.bond, true) {
            Ok(res) => res,
            Err(e) => {
                ensure!(
                    !allowed,
                    "the reveal of {c:?} at {now} (holder {:?}) was refused: {e}",
                    held.map(|h| &self.contributions[h])
                );
                return Ok(false);
            }
        };
        ensure!(
            allowed,
            "a reveal by {who} of {c:?} at {now} was accepted (holder {:?})",
            held.map(|h| &self.contributions[h])
        );
        let displaced_id = res
            .events
            .iter()
            .find_map(|e| event_attr(e, "displaced_id"))
            .map(str::to_string);
        match held {
            Some(h) => {
                let old = self.contributions[h].clone();
                ensure_eq!(
                    displaced_id,
                    Some(old.id.to_string()),
                    "the contribution displaced by a reveal"
                );
                self.contributions[h].state = ContributionState::Displaced;
                if old.bond > 0 {
                    *self
                        .withdrawable
                        .entry(old.contributor.clone())
                        .or_default() += old.bond;
                }
                self.stats.displaced += 1;
            }
            None => ensure_eq!(displaced_id, None, "a reveal of a free hash displaced"),
        }
        self.commitments[i].revealed = true;
        self.contributed(&who, &d, c.hash, &res, Some(c.committed_at))?;
        let r: registry::ContributionResponse =
            self.w.s.query_registry(&registry::QueryMsg::Contribution {
                contribution_id: self.contributions.len() as u64,
            });
        ensure_eq!(
            r.committed_at.map(|t| t.seconds()),
            Some(c.committed_at),
            "a revealed contribution's claim time"
        );
        if let Some(h) = held {
            let old: registry::ContributionResponse =
                self.w.s.query_registry(&registry::QueryMsg::Contribution {
                    contribution_id: self.contributions[h].id,
                });
            ensure_eq!(
                (old.status, old.displaced_by),
                (
                    registry::ContributionStatus::Displaced,
                    Some(self.contributions.len() as u64)
                ),
                "the displaced contribution"
            );
        }
        Ok(true)
    }

    fn review(&mut self, who: Who, datanet: Target, decisions: &[(u8, Option<u64>)]) -> Outcome {
        let bonded_only = matches!(datanet, Target::Fit(_));
        let pending_of = |d: &DatanetModel, bonded: bool| -> Vec<ContributionModel> {
            self.contributions
                .iter()
                .filter(|c| {
                    c.datanet == d.id
                        && c.state == ContributionState::Pending
                        && (!bonded || c.bond > 0)
                })
                .cloned()
                .collect()
        };
        let with_pending = |bonded: bool| -> Vec<DatanetModel> {
            self.datanets
                .iter()
                .filter(|d| !pending_of(d, bonded).is_empty())
                .cloned()
                .collect()
        };
        // Datanets with pending bonded contributions (`Fit`), else with pending ones, else any.
        let mut from = if bonded_only {
            with_pending(true)
        } else {
            vec![]
        };
        if from.is_empty() {
            from = with_pending(false);
        }
        if from.is_empty() {
            from = self.datanets.clone();
        }
        let Some(d) = Self::pick(&from, datanet.index()).cloned() else {
            return Ok(false);
        };
        let bonded = if bonded_only {
            pending_of(&d, true)
        } else {
            vec![]
        };
        let who = self.who(who, &d.owner);
        // Prefer its pending bonded contributions (`Fit`), then its pending ones; fall back on any
        // of it.
        let mine: Vec<ContributionModel> = self
            .contributions
            .iter()
            .filter(|c| c.datanet == d.id)
            .cloned()
            .collect();
        let pending: Vec<ContributionModel> = mine
            .iter()
            .filter(|c| c.state == ContributionState::Pending)
            .cloned()
            .collect();
        let from = if !bonded.is_empty() {
            &bonded
        } else if pending.is_empty() {
            &mine
        } else {
            &pending
        };
        if from.is_empty() {
            return Ok(false);
        }
        // Distinct contributions: the k-th decision takes the next one not taken yet.
        let mut batch: Vec<(ContributionModel, Option<u64>)> = vec![];
        for (p, w) in decisions.iter().take(from.len()) {
            let mut k = usize::from(*p) % from.len();
            while batch.iter().any(|(c, _)| c.id == from[k].id) {
                k = (k + 1) % from.len();
            }
            batch.push((from[k].clone(), *w));
        }
        let msgs = batch
            .iter()
            .map(|(c, w)| match w {
                Some(weight) => ReviewDecision::Accept {
                    contribution_id: c.id,
                    weight: *weight,
                },
                None => ReviewDecision::Reject {
                    contribution_id: c.id,
                    reason: "off topic".into(),
                },
            })
            .collect();
        let touched: Vec<Addr> = batch.iter().map(|(c, _)| c.contributor.clone()).collect();
        let before: Vec<u128> = touched.iter().map(|a| self.pending_in(a, d.id)).collect();
        let registry = self.w.s.registry.clone();
        attempt!(self.exec(
            &who,
            &registry,
            &registry::ExecuteMsg::ReviewContributions {
                datanet_id: d.id,
                decisions: msgs,
            }
        ));
        ensure_eq!(who, d.owner, "datanet {} reviewed by a non-curator", d.id);
        let mut rejected = 0u128;
        for (c, w) in &batch {
            ensure_eq!(
                c.state,
                ContributionState::Pending,
                "contribution {} reviewed twice",
                c.id
            );
            let m = &mut self.contributions[(c.id - 1) as usize];
            match w {
                Some(weight) => {
                    m.state = ContributionState::Accepted(*weight);
                    if d.mode == AttributionMode::Weight {
                        let held = self
                            .weights
                            .entry((d.id, c.contributor.clone()))
                            .or_default();
                        *held += weight;
                        let held = u128::from(*held);
                        self.versioned(d.id)?
                            .set_weight(c.contributor.clone(), held);
                    }
                    if c.bond > 0 {
                        *self.withdrawable.entry(c.contributor.clone()).or_default() += c.bond;
                    }
                }
                None => {
                    m.state = ContributionState::Rejected;
                    rejected += c.bond;
                }
            }
        }
        let pool = self.w.s.pool.clone();
        self.moved(&registry, &pool, rejected);
        for (a, b) in touched.iter().zip(before) {
            newcomers_earn_nothing_retroactively(b, self.pending_in(a, d.id), a, d.id)?;
            self.stats.checked(NO_RETROACTIVE_REWARDS, 1);
        }
        Ok(true)
    }

    fn remove_contribution(&mut self, who: Who, pick: u8) -> Outcome {
        let accepted: Vec<ContributionModel> = self
            .contributions
            .iter()
            .filter(|c| matches!(c.state, ContributionState::Accepted(_)))
            .cloned()
            .collect();
        let c = match Self::pick(&accepted, pick) {
            Some(c) => c.clone(),
            None => match Self::pick(&self.contributions, pick) {
                Some(c) => c.clone(),
                None => return Ok(false),
            },
        };
        let d = self.datanets[(c.datanet - 1) as usize].clone();
        let who = self.who(who, &d.owner);
        let before = self.pending_in(&c.contributor, d.id);
        let registry = self.w.s.registry.clone();
        attempt!(self.exec(
            &who,
            &registry,
            &registry::ExecuteMsg::RemoveContribution {
                contribution_id: c.id,
                reason: "duplicate".into(),
            }
        ));
        ensure_eq!(who, d.owner, "contribution removed by a non-curator");
        let ContributionState::Accepted(weight) = c.state else {
            return Err(format!(
                "removed contribution {} in state {:?}",
                c.id, c.state
            ));
        };
        self.contributions[(c.id - 1) as usize].state = ContributionState::Removed;
        if d.mode == AttributionMode::Weight {
            let w = self
                .weights
                .entry((d.id, c.contributor.clone()))
                .or_default();
            *w = w
                .checked_sub(weight)
                .ok_or("removed more weight than accepted")?;
            let held = u128::from(*w);
            self.versioned(d.id)?
                .set_weight(c.contributor.clone(), held);
        }
        let after = self.pending_in(&c.contributor, d.id);
        ensure_eq!(after, before, "removal changed what was earned");
        Ok(true)
    }

    fn distribute(
        &mut self,
        who: u8,
        datanet: u8,
        amount: Amount,
        stakers: Amount,
        version: Option<u8>,
    ) -> Outcome {
        let who = self.actor(who);
        let Some(d) = Self::pick(&self.datanets, datanet).cloned() else {
            return Ok(false);
        };
        let a = self.amount(&who, amount);
        let s = match stakers {
            Amount::All | Amount::Max => 0,
            x => self.amount(&who, x),
        };
        // A version by number: a published one, or the next (not published yet).
        let version = version.map(|k| u32::from(k) % (d.versions + 1) + 1);
        let mut allocations = vec![Allocation::Datanet {
            id: d.id,
            amount: Uint128::new(a),
            version,
        }];
        if s > 0 {
            allocations.push(Allocation::Stakers {
                amount: Uint128::new(s),
            });
        }
        let Some(total) = a.checked_add(s) else {
            return Ok(false);
        };
        let pool = self.w.s.pool.clone();
        attempt!(self.send(
            &who,
            &pool,
            total,
            &pool::ReceiveMsg::Distribute { allocations }
        ));
        ensure!(a > 0, "a zero allocation was accepted");
        ensure!(
            version.map_or(true, |v| v <= d.versions),
            "a fee for version {version:?} of datanet {} ({} published) was accepted",
            d.id,
            d.versions
        );
        self.moved(&who, &pool, total);
        self.credit(d.id, version, a)?;
        Ok(true)
    }

    /// The datanet shares of a payment of model `model_id`: its lineage, or datanet 1's share
    /// `b` of a signed attribution.
    fn shares_of(b: Option<u16>) -> Vec<(u64, u16)> {
        match b {
            None => LINEAGE.to_vec(),
            Some(b) => attribution(b)
                .iter()
                .map(|s| (s.datanet_id, s.weight_bps))
                .collect(),
        }
    }

    /// Claims rewards (of one datanet, or of the first datanets held) and account credits.
    fn claim(&mut self, who: u8, datanet: Option<u8>) -> Outcome {
        let who = self.fitting(who, |s, a| {
            let p = s.pending(a);
            !p.total.is_zero() || !p.credits.is_zero()
        });
        let ids = match datanet {
            Some(i) => match Self::pick(&self.datanets, i) {
                Some(d) => Some(vec![d.id]),
                None => return Ok(false),
            },
            None => None,
        };
        let due: PendingRewardsResponse = self.w.s.query_pool(&pool::QueryMsg::PendingRewards {
            address: who.to_string(),
            datanet_ids: ids.clone(),
            start_after: None,
            limit: Some(pool::MAX_CLAIM_DATANETS as u32),
        });
        let pool = self.w.s.pool.clone();
        attempt!(self.exec(&who, &pool, &pool::ExecuteMsg::Claim { datanet_ids: ids }));
        let paid = due.total.u128() + due.credits.u128();
        ensure!(paid > 0, "a claim paid with nothing pending");
        for r in &due.rewards {
            *self.claimed.entry((r.datanet_id, who.clone())).or_default() += r.amount.u128();
        }
        *self.credits_claimed.entry(who.clone()).or_default() += due.credits.u128();
        self.moved(&pool, &who, paid);
        Ok(true)
    }

    fn staker(&self, who: &Addr) -> StakerResponse {
        self.w.s.query_pool(&pool::QueryMsg::Staker {
            address: who.to_string(),
        })
    }

    // -----------------------------------------------------------------------------------------
    // Models
    // -----------------------------------------------------------------------------------------

    /// The lineage a new model names: datanets 1 and 2 (60 % / 40 %), each on its latest
    /// published version, or (`Some(k)`) on version `k` modulo (published + 1), plus 1.
    fn new_lineage(&self, pick: Option<u8>) -> Vec<(u64, u32, u16)> {
        LINEAGE
            .iter()
            .map(|&(d, bps)| {
                let published = self.datanets[(d - 1) as usize].versions;
                let version = match pick {
                    None => published,
                    Some(k) => u32::from(k) % (published + 1) + 1,
                };
                (d, version, bps)
            })
            .collect()
    }

    fn register_model(
        &mut self,
        who: u8,
        fee: Amount,
        price: Amount,
        lineage: Option<u8>,
    ) -> Outcome {
        let who = self.actor(who);
        let fee = match fee {
            Amount::All | Amount::Max => 1_000_000,
            a => self.amount(&who, a),
        };
        let price = match price {
            Amount::All | Amount::Max => 10_000_000,
            a => self.amount(&who, a),
        };
        let id = self.models.len() as u64 + 1;
        let host = HostKey::new(&format!("host-{id}"));
        let lineage = self.new_lineage(lineage);
        let models = self.w.models.clone();
        attempt!(self.exec(
            &who,
            &models,
            &ml::ExecuteMsg::RegisterModel(NewModel {
                name: format!("model-{id}"),
                parents: vec![],
                metadata_uri: "ipfs://model".into(),
                weights_hash: data_hash(&format!("weights-{id}")),
                base_model: None,
                lineage: lineage
                    .iter()
                    .map(|&(datanet_id, version, weight_bps)| LineageEntry {
                        datanet_id,
                        version,
                        weight_bps,
                    })
                    .collect(),
                inference_fee: Uint128::new(fee),
                tiers: vec![LicenseTier {
                    id: 1,
                    price: Uint128::new(price),
                    duration: 30 * 24 * 3600,
                    inference_quota: None,
                    commercial: true,
                }],
                hosts: vec![Host {
                    address: who.to_string(),
                    pubkey: host.pubkey(),
                }],
            })
        ));
        for &(d, version, _) in &lineage {
            let published = self.datanets[(d - 1) as usize].versions;
            ensure!(
                version >= 1 && version <= published,
                "a model on version {version} of datanet {d} ({published} published) was registered"
            );
        }
        self.models.push(ModelModel {
            id,
            owner: who,
            fee,
            price: Some(price),
            host,
            lineage,
            depth: 0,
            royalty: 0,
            ancestors: vec![],
            own_share: 10_000,
        });
        Ok(true)
    }

    fn purchase_license(&mut self, who: u8, model: u8, exact: bool) -> Outcome {
        let who = self.actor(who);
        let with_tiers: Vec<(u64, u128)> = self
            .models
            .iter()
            .filter_map(|m| m.price.map(|p| (m.id, p)))
            .collect();
        let Some(&(model_id, price)) = Self::pick(&with_tiers, model) else {
            return Ok(false);
        };
        let paid = if exact { price } else { price + 1 };
        let models = self.w.models.clone();
        let res = attempt!(self.send(
            &who,
            &models,
            paid,
            &ml::ReceiveMsg::PurchaseLicense {
                model_id,
                tier_id: 1,
                terms: ml::LicenseTerms {
                    price: Uint128::new(price),
                    duration: 30 * 24 * 3600,
                    inference_quota: None,
                    commercial: true,
                },
            }
        ));
        ensure_eq!(paid, price, "licence sold at a wrong price");
        let item = (price, LINEAGE.to_vec());
        let derived = self.settle_payments(
            &who,
            &[(model_id, item.clone())],
            payment_event(&res, None)?,
        )?;
        // A model without a share for its ancestors splits as the economics model does.
        let n = if derived {
            1
        } else {
            fee_splits_add_up(&res, &[item])?
        };
        self.stats.fee_splits += n;
        self.stats.checked(FEE_SPLITS, n);
        self.licensed(&who, model_id)?;
        Ok(true)
    }

    /// A direct payment of one inference of `model_id` by `payer`.
    fn payment(
        &mut self,
        payer: &Addr,
        model_id: u64,
        b: Option<u16>,
        forged: bool,
    ) -> InferencePayment {
        let inference_id = self.inference_id();
        match b {
            None => InferencePayment {
                model_id,
                inference_id,
                attribution: None,
                receipt_signature: None,
                io: None,
            },
            Some(b) => {
                let m = &self.models[(model_id - 1) as usize];
                let shares = attribution(b);
                let r = receipt(
                    &self.w.s,
                    &self.w.models,
                    model_id,
                    &inference_id,
                    payer,
                    m.fee,
                    shares.clone(),
                );
                let signature = if forged {
                    HostKey::new("not-a-host").sign(&r)
                } else {
                    m.host.sign(&r)
                };
                InferencePayment {
                    model_id,
                    inference_id,
                    attribution: Some(shares),
                    receipt_signature: Some(signature),
                    io: None,
                }
            }
        }
    }

    /// `payer` paid the fees of `items` (model, signed attribution of datanet 1's share or the
    /// lineage) in one message.
    fn model_fees_paid(
        &mut self,
        payer: &Addr,
        items: &[(u64, Option<u16>)],
        res: &AppResponse,
    ) -> Result<(), String> {
        let fees: Vec<Item> = items
            .iter()
            .map(|&(model_id, b)| (self.models[(model_id - 1) as usize].fee, Self::shares_of(b)))
            .collect();
        let paid: Vec<(u64, Item)> = items.iter().map(|(m, _)| *m).zip(fees.clone()).collect();
        let derived = self.settle_payments(payer, &paid, payment_event(res, None)?)?;
        // Models without a share for their ancestors split as the economics model does.
        let n = if derived {
            1
        } else {
            fee_splits_add_up(res, &fees)?
        };
        self.stats.fee_splits += n;
        self.stats.checked(FEE_SPLITS, n);
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Agents and tasks
    // -----------------------------------------------------------------------------------------

    fn agent(&self, who: &Addr) -> Option<AgentResponse> {
        self.w
            .s
            .app
            .wrap()
            .query_wasm_smart(
                &self.w.escrow,
                &escrow::QueryMsg::Agent {
                    address: who.to_string(),
                },
            )
            .ok()
    }

    /// For `Target::Fit`, a task `need` applies to if there is any; otherwise a task in one of
    /// `statuses` if there is any (most actions only apply to live tasks), otherwise any task.
    fn pick_task(&self, statuses: &[TaskStatus], need: Need, target: Target) -> Option<TaskModel> {
        let i = target.index();
        if let Target::Fit(_) = target {
            let now = self.now();
            let fit: Vec<TaskModel> = self
                .tasks
                .iter()
                .filter(|t| need.fits(&self.task(t.id), now))
                .cloned()
                .collect();
            if let Some(t) = Self::pick(&fit, i) {
                return Some(t.clone());
            }
        }
        let mut live = vec![];
        for status in statuses {
            let page: TasksResponse = self.w.query(&escrow::QueryMsg::TasksByStatus {
                status: *status,
                start_after: None,
                limit: Some(50),
            });
            live.extend(
                page.tasks
                    .iter()
                    .map(|t| self.tasks[(t.id - 1) as usize].clone()),
            );
        }
        match Self::pick(&live, i) {
            Some(t) => Some(t.clone()),
            None => Self::pick(&self.tasks, i).cloned(),
        }
    }

    /// Task `id` as the escrow shows it (read once per state: a task changes only with a
    /// message, and the cache is cleared before every one).
    fn task(&self, id: u64) -> TaskResponse {
        if let Some(r) = self.task_cache.borrow().get(&id) {
            return r.clone();
        }
        let r = self.w.task(id);
        self.task_cache.borrow_mut().insert(id, r.clone());
        r
    }

    /// The action a guided action (`Progress`, `Unbonding`, `Bonds`) stands for in the
    /// current state; any other action is itself.
    fn guided(&self, action: &Action) -> Action {
        match *action {
            Action::Progress { nth, choice } => self.progress((nth, choice), false),
            Action::Workflows { nth, choice } => self.progress((nth, choice), true),
            Action::Unbonding { choice } => self.unbonding(choice),
            Action::Bonds { choice } => self.bonds(choice),
            Action::Reveals { choice } => self.reveals(choice),
            Action::Streams { choice } => self.streams(choice),
            Action::Versions { choice } => self.versions_guide(choice),
            ref a => a.clone(),
        }
    }

    /// The index of the first actor that `fits`.
    fn first(&self, fits: impl Fn(&Addr) -> bool) -> Option<u8> {
        self.actors.iter().position(fits).map(|i| i as u8)
    }

    fn unbonding(&self, choice: u8) -> Action {
        let now = self.now();
        let agent_release = |a: &Addr| match self.agent(a).map(|g| g.status) {
            Some(escrow::AgentStatus::Unbonding { release_at }) => Some(release_at),
            _ => None,
        };
        if let Some(who) = self.first(|a| !self.staker(a).claimable_rewards.is_zero()) {
            return Action::ClaimStakingRewards { who };
        }
        if let Some(who) =
            self.first(|a| self.staker(a).unbonding.iter().any(|e| e.release_at <= now))
        {
            return Action::WithdrawUnbonded { who };
        }
        if let Some(who) = self.first(|a| agent_release(a).is_some_and(|r| r <= now)) {
            return Action::WithdrawAgentBond { who };
        }
        let releases = self.actors.iter().flat_map(|a| {
            let mut r: Vec<u64> = self
                .staker(a)
                .unbonding
                .iter()
                .map(|e| e.release_at)
                .collect();
            r.extend(agent_release(a));
            r
        });
        if let Some(release) = releases.min() {
            return Action::Advance {
                seconds: release - now,
            };
        }
        let world_agent = self.w.agent.clone();
        let stakers = self.first(|a| !self.staker(a).staked.is_zero());
        let agents = self.first(|a| {
            *a != world_agent
                && self
                    .agent(a)
                    .is_some_and(|g| g.status == escrow::AgentStatus::Active && g.open_tasks == 0)
        });
        let who = choice % 8;
        match (choice % 5, stakers, agents) {
            (4, Some(_), _) => Action::Distribute {
                who,
                datanet: 0,
                amount: Amount::One,
                stakers: Amount::Large(5),
                version: None,
            },
            (0 | 1, Some(who), _) => Action::Unstake {
                who,
                amount: Amount::All,
            },
            (2 | 3, _, Some(who)) => Action::UnbondAgent { who },
            (0 | 1 | 4, None, _) => Action::Stake {
                who,
                amount: Amount::Large(10),
            },
            // The world's agent (3) keeps its bond for the tasks.
            _ => Action::RegisterAgent {
                who: if who == 3 { 6 } else { who },
                bond: Amount::Large(10),
            },
        }
    }

    fn bonds(&self, choice: u8) -> Action {
        let who = choice % 8;
        if let Some(who) = self.first(|a| self.withdrawable.contains_key(a)) {
            return Action::WithdrawBonds { who };
        }
        let bonded_pending = self
            .contributions
            .iter()
            .any(|c| c.bond > 0 && c.state == ContributionState::Pending);
        if bonded_pending {
            return Action::Review {
                who: Who::Right,
                datanet: Target::Fit(choice),
                decisions: vec![(0, Some(1 + u64::from(choice)))],
            };
        }
        if self.datanets.iter().any(|d| d.bond > 0) {
            return Action::Contribute {
                who,
                datanet: Target::Fit(choice),
                exact: true,
            };
        }
        Action::CreateDatanet {
            who,
            bond: Amount::Large(1 + u32::from(choice % 4)),
            influence: false,
        }
    }

    fn set_reward_period(&mut self, who: Who, seconds: u64) -> Outcome {
        let owner = self.w.s.deployer.clone();
        let who = self.who(who, &owner);
        let now = self.now();
        let before: StakingPoolResponse = self.w.s.query_pool(&pool::QueryMsg::StakingPool {});
        let pool = self.w.s.pool.clone();
        attempt!(self.exec(
            &who,
            &pool,
            &pool::ExecuteMsg::UpdateConfig {
                registry: None,
                unbonding_period: None,
                staking_reward_period: Some(seconds),
                curators_bps: None,
            }
        ));
        ensure_eq!(who, owner, "the staking reward period set by another");
        ensure!(
            (MIN_STAKING_REWARD_PERIOD..=MAX_STAKING_REWARD_PERIOD).contains(&seconds),
            "a staking reward period of {seconds} s was accepted"
        );
        let after: StakingPoolResponse = self.w.s.query_pool(&pool::QueryMsg::StakingPool {});
        ensure_eq!(
            after.streaming,
            before.streaming,
            "setting the period changed what the stream holds"
        );
        // A lower period brings the running stream's end to now + period at the latest; a
        // higher one applies to later allocations.
        let latest = now + seconds;
        ensure_eq!(
            after.stream_end,
            before.stream_end.min(latest),
            "the stream's end after setting the period to {seconds} s"
        );
        self.period = seconds;
        Ok(true)
    }

    /// The index of an actor other than `a`, from `choice`.
    fn other_than(&self, a: &Addr, choice: u8) -> u8 {
        let n = self.actors.len();
        (0..n)
            .map(|k| (usize::from(choice) + k) % n)
            .find(|&i| self.actors[i] != *a)
            .unwrap_or(0) as u8
    }

    fn reveals(&self, choice: u8) -> Action {
        let now = self.now();
        let (open, free) = self.open_commitments();
        let in_window: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| self.commitments[i].in_window(now))
            .collect();
        // Revealable: the hash is free, or held by a displaceable copy.
        let revealable = in_window.iter().copied().find(|&i| {
            let c = &self.commitments[i];
            match self.holder(c.datanet, &c.hash) {
                None => true,
                Some(h) => {
                    let h = &self.contributions[h];
                    h.state == ContributionState::Pending
                        && h.contributor != c.committer
                        && h.claimed_at > c.committed_at
                }
            }
        });
        let position =
            |list: &[usize], i: usize| list.iter().position(|&j| j == i).unwrap_or(0) as u8;
        if let Some(i) = revealable {
            let c = &self.commitments[i];
            if free.contains(&i) && choice % 3 != 0 {
                // A copy sent in front of the reveal, in a later block: the reveal displaces it.
                return Action::Copy {
                    who: self.other_than(&c.committer, choice / 2),
                    commitment: position(&free, i),
                };
            }
            return Action::Reveal {
                who: Who::Right,
                commitment: Target::Fit(position(&in_window, i)),
            };
        }
        // A commitment of this block: let the block pass (sometimes after a copy in the same
        // block, which the reveal cannot displace).
        if let Some(&i) = free
            .iter()
            .find(|&&i| self.commitments[i].committed_at == now)
        {
            if choice % 5 == 0 {
                return Action::Copy {
                    who: self.other_than(&self.commitments[i].committer, choice),
                    commitment: position(&free, i),
                };
            }
            return Action::Advance {
                seconds: 1 + u64::from(choice % 30),
            };
        }
        Action::Commit {
            who: choice % 8,
            datanet: choice / 8,
        }
    }

    fn streams(&self, choice: u8) -> Action {
        let now = self.now();
        let sp: StakingPoolResponse = self.w.s.query_pool(&pool::QueryMsg::StakingPool {});
        let who = choice % 8;
        match choice % 8 {
            // A stake just before a stakers distribution in the same block.
            0 | 1 if self.last_stake_at == Some(now) => Action::Distribute {
                who: (who + 1) % 8,
                datanet: 0,
                amount: Amount::One,
                stakers: Amount::Large(1 + u32::from(choice % 10)),
                version: None,
            },
            0 | 1 => Action::Stake {
                who,
                amount: Amount::Large(1 + u32::from(choice % 20)),
            },
            2 => Action::Distribute {
                who,
                datanet: 0,
                amount: Amount::One,
                stakers: Amount::Small(1 + u16::from(choice) * 7),
                version: None,
            },
            // Time passing within the stream.
            3 | 4 if !sp.streaming.is_zero() && sp.stream_end > now => Action::Advance {
                seconds: ((sp.stream_end - now) * (1 + u64::from(choice % 7)) / 8).max(1),
            },
            3 | 4 => Action::Advance {
                seconds: 1 + u64::from(choice) * 60,
            },
            5 => match self.first(|a| !self.staker(a).claimable_rewards.is_zero()) {
                Some(who) => Action::ClaimStakingRewards { who },
                None => Action::Advance {
                    seconds: 1 + u64::from(choice) * 600,
                },
            },
            6 => match self.first(|a| !self.staker(a).staked.is_zero()) {
                Some(who) => Action::Unstake {
                    who,
                    amount: if choice % 16 < 8 {
                        Amount::Large(1)
                    } else {
                        Amount::All
                    },
                },
                None => Action::Stake {
                    who,
                    amount: Amount::Large(5),
                },
            },
            _ => Action::SetRewardPeriod {
                who: Who::Right,
                seconds: [
                    3_600,
                    24 * 3_600,
                    DEFAULT_STAKING_REWARD_PERIOD,
                    30 * 24 * 3_600,
                ][usize::from(choice / 8) % 4],
            },
        }
    }

    // -----------------------------------------------------------------------------------------
    // Invariants
    // -----------------------------------------------------------------------------------------

    fn snapshot(&self) -> Snapshot {
        let q = self.w.s.app.wrap();
        Snapshot {
            pool: self.w.s.query_pool(&pool::QueryMsg::Solvency {}),
            pool_config: self.w.s.query_pool(&pool::QueryMsg::Config {}),
            registry: self.w.s.query_registry(&registry::QueryMsg::Solvency {}),
            models: q
                .query_wasm_smart(&self.w.models, &ml::QueryMsg::Solvency {})
                .unwrap(),
            escrow: self.w.solvency(),
            staking: self.w.s.query_pool(&pool::QueryMsg::StakingPool {}),
            registry_config: self.w.s.query_registry(&registry::QueryMsg::Config {}),
            models_config: q
                .query_wasm_smart(&self.w.models, &ml::QueryMsg::Config {})
                .unwrap(),
            escrow_config: self.w.query(&escrow::QueryMsg::Config {}),
        }
    }

    /// Every invariant; keeps the snapshot a refused action is compared with.
    pub fn check_all(&mut self) -> Result<(), String> {
        self.check(None)
    }

    /// Every invariant, in the state `snap` was taken in (now, when `None`).
    fn check(&mut self, snap: Option<Snapshot>) -> Result<(), String> {
        let snap = match snap {
            Some(snap) => snap,
            None => self.snapshot(),
        };
        supply_constant_and_ledger_matches_balances(self)?;
        self.stats.checked(SUPPLY_AND_LEDGER, 1);
        contracts_solvent_and_escrow_exact(self, &snap)?;
        self.stats.checked(SOLVENT, 1);
        let pending: Vec<(Addr, PendingRewardsResponse)> = self
            .accounts
            .iter()
            .map(|a| (a.clone(), self.pending(a)))
            .collect();
        let earned = self.earned_all(&pending)?;
        no_double_payout(self, &pending, &earned)?;
        self.stats.checked(NO_DOUBLE_PAYOUT, 1);
        let tasks = every_task_in_exactly_one_state(self, &snap)?;
        self.stats.checked(ONE_STATE_PER_TASK, 1);
        let datanets = pool_weights_equal_registry_weights(self)?;
        self.stats.checked(POOL_WEIGHTS, 1);
        let view = self.stake_view(&snap.staking);
        pool_owes_what_can_be_claimed(self, &snap, &pending, &earned, &view)?;
        self.stats.checked(NOTHING_STRANDED, 1);
        if let Some(before) = &self.view {
            if stake_share_at_most_time_weighted(self, before, &view)? {
                self.stats.releases += 1;
            }
            self.stats.checked(TIME_WEIGHTED_SHARE, 1);
        }
        self.view = Some(view);
        let (agents, evaluators) = trees::bonded(self);
        reserved_bond_covers_open_tasks(&tasks, &agents)?;
        self.stats.checked(RESERVED_BOND, 1);
        fees_reach_only_their_versions(self, &datanets, &earned)?;
        self.stats.checked(FEES_REACH_VERSIONS, 1);
        let trees = self.trees()?;
        escrow_owes_its_trees_and_bonds(self, &snap, &trees, (&agents, &evaluators))?;
        self.stats.checked(ESCROW_OWES_TREES, 1);
        every_milestone_settled_once(self, &trees)?;
        self.stats.checked(SETTLED_ONCE, 1);
        delegated_equals_net_subtask_deposits(self, &trees)?;
        self.stats.checked(DELEGATED_NET, 1);
        self.last = Some(snap);
        Ok(())
    }

    /// The stakers' side of the pool now (`pool`: the staking pool now).
    fn stake_view(&self, pool: &StakingPoolResponse) -> StakeView {
        StakeView {
            now: self.now(),
            period: self.period,
            pool: pool.clone(),
            stakers: self
                .actors
                .iter()
                .map(|a| {
                    let s = self.staker(a);
                    (a.clone(), s.staked.u128(), s.claimable_rewards.u128())
                })
                .collect(),
        }
    }
}

/// What each datanet receives of the paid fees: its bps of the datanets' share of each fee,
/// rounded down per payment.
pub fn datanet_parts(items: &[Item]) -> Result<BTreeMap<u64, u128>, String> {
    Ok(payments(items)?.datanets)
}

/// The fee splits of `items` under the protocol's default split, added up. The default split
/// gives hosts nothing, so who served a payment changes no figure; the owner is named.
pub fn payments(items: &[Item]) -> Result<Payments, String> {
    let items: Vec<econ::PaymentItem> = items
        .iter()
        .map(|(fee, attribution)| (*fee, attribution.clone(), econ::ServedBy::Owner))
        .collect();
    model(Payments::of(&FeeSplit::default(), &items))
}

/// A figure of the economics model, or why it could not be computed.
fn model<T>(r: econ::Result<T>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// The invariants, each on its own
// ---------------------------------------------------------------------------------------------

/// 1. The token's total supply never changes, and every account holds exactly what the
///    model's ledger says (and the ledger sums to the supply).
pub fn supply_constant_and_ledger_matches_balances(sim: &Sim) -> Result<(), String> {
    let s = &sim.w.s;
    let info: TokenInfoResponse = s
        .app
        .wrap()
        .query_wasm_smart(&s.token, &Cw20QueryMsg::TokenInfo {})
        .unwrap();
    ensure_eq!(info.total_supply.u128(), SUPPLY, "total supply");
    ensure_eq!(s.ledger.values().sum::<u128>(), SUPPLY, "ledger sum");
    for (who, expected) in &s.ledger {
        ensure_eq!(s.balance(who), *expected, "balance of {who}");
    }
    Ok(())
}

/// 2. Every contract holds at least what it owes (its `solvency` query, against the ledger),
///    and the escrow holds exactly what it owes.
pub fn contracts_solvent_and_escrow_exact(sim: &Sim, snap: &Snapshot) -> Result<(), String> {
    let l = &sim.w.s.ledger;
    ensure!(snap.pool.solvent, "pool insolvent: {:?}", snap.pool);
    ensure!(
        snap.pool.balance >= snap.pool.total_liabilities,
        "pool: {:?}",
        snap.pool
    );
    ensure_eq!(snap.pool.balance.u128(), l[&sim.w.s.pool], "pool balance");
    ensure!(
        snap.registry.solvent,
        "registry insolvent: {:?}",
        snap.registry
    );
    ensure!(
        snap.registry.balance >= snap.registry.total_liabilities,
        "registry: {:?}",
        snap.registry
    );
    ensure_eq!(
        snap.registry.balance.u128(),
        l[&sim.w.s.registry],
        "registry balance"
    );
    let bonds: u128 = sim.withdrawable.values().sum();
    ensure_eq!(
        snap.registry.withdrawable_bonds.u128(),
        bonds,
        "withdrawable bonds"
    );
    ensure!(snap.models.solvent, "models insolvent: {:?}", snap.models);
    ensure!(
        snap.models.balance >= snap.models.owed_earnings,
        "models: {:?}",
        snap.models
    );
    ensure_eq!(
        snap.models.balance.u128(),
        l[&sim.w.models],
        "models balance"
    );
    let earnings: u128 = sim.earnings.values().sum();
    ensure_eq!(snap.models.owed_earnings.u128(), earnings, "owed earnings");
    ensure!(snap.escrow.solvent, "escrow insolvent: {:?}", snap.escrow);
    ensure_eq!(
        snap.escrow.balance.u128(),
        l[&sim.w.escrow],
        "escrow balance"
    );
    ensure_eq!(
        snap.escrow.balance,
        snap.escrow.total_liabilities,
        "escrow holds other than it owes: {:?}",
        snap.escrow
    );
    Ok(())
}

/// 3. Every fee split in `res` (model licensing's payment events, of `items` = (fee, number of
///    attribution datanets) per payment) adds up: owner + stakers + datanets + treasury share +
///    dust = fee, the shares are the split's, and the dust is below the number of recipients
///    (owner, stakers, treasury, each datanet). Returns how many splits were checked.
pub fn fee_splits_add_up(res: &AppResponse, items: &[Item]) -> Result<u64, String> {
    let events: Vec<&Event> = payment_events(res);
    ensure_eq!(events.len(), 1, "payment events");
    check_split(events[0], items)?;
    Ok(1)
}

/// 3, for a response holding one payment event per settled model fee (the escrow's): checks
/// the payment of `inference_id`; returns 1 if it was found.
pub fn fee_splits_add_up_one(
    res: &AppResponse,
    inference_id: &str,
    item: &Item,
) -> Result<u64, String> {
    let mut found = 0;
    for e in payment_events(res) {
        if event_attr(e, "inference_id") == Some(inference_id) {
            check_split(e, std::slice::from_ref(item))?;
            found += 1;
        }
    }
    Ok(found)
}

fn payment_events(res: &AppResponse) -> Vec<&Event> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm" && event_attr(e, "model_owner_amount").is_some())
        .collect()
}

fn check_split(e: &Event, items: &[Item]) -> Result<(), String> {
    let num = |k: &str| -> Result<u128, String> {
        event_attr(e, k)
            .ok_or(format!("no {k} in {e:?}"))?
            .parse::<u128>()
            .map_err(|x| format!("{k}: {x}"))
    };
    let fee = num("fee")?;
    let owner = num("model_owner_amount")?;
    let datanets = num("datanets_amount")?;
    let stakers = num("stakers_amount")?;
    let treasury = num("treasury_amount")?;
    let hosts = num("hosts_amount")?;
    let parts: BTreeMap<u64, u128> = e
        .attributes
        .iter()
        .filter_map(|a| {
            let id = a.key.strip_prefix("datanet_")?.parse::<u64>().ok()?;
            Some((id, a.value.parse::<u128>().unwrap_or(u128::MAX / 4)))
        })
        .collect();
    let expected = payments(items)?;
    ensure_eq!(parts, expected.datanets, "datanet parts");
    let per_datanet: u128 = parts.values().sum();
    let expected_fee: u128 = items.iter().map(|(f, _)| f).sum();
    ensure_eq!(fee, expected_fee, "fee paid");
    ensure_eq!(per_datanet, datanets, "datanet parts vs datanets_amount");
    ensure_eq!(
        owner + hosts + datanets + stakers + treasury,
        fee,
        "split parts vs fee in {e:?}"
    );
    ensure_eq!(owner, expected.model_owner, "owner share");
    ensure_eq!(stakers, expected.stakers, "stakers share");
    ensure!(
        datanets <= expected.datanets_share,
        "datanets got more than their share"
    );
    let treasury_share = expected.treasury_share;
    let dust = treasury.checked_sub(treasury_share).ok_or(format!(
        "treasury {treasury} below its share {treasury_share}"
    ))?;
    ensure_eq!(
        owner + stakers + datanets + treasury_share + dust,
        fee,
        "shares + dust vs fee"
    );
    let recipients: u128 = items.iter().map(|(_, s)| 3 + s.len() as u128).sum();
    ensure!(
        dust < recipients,
        "dust {dust} not below {recipients} recipients"
    );
    Ok(())
}

/// 4. Nobody is paid twice: what every account has claimed from a datanet plus what it could
///    claim now never exceeds what the model credited it (each fee's exact share of its weight
///    in the version the fee names, rounded down once), nor falls short of it by more than one
///    unit per version range the account holds there (the pool rounds each range down on its
///    own).
///    (`pending`: every account's pending rewards; `earned`: its ranges.)
pub fn no_double_payout(
    sim: &Sim,
    pending: &[(Addr, PendingRewardsResponse)],
    earned: &[(Addr, Earned)],
) -> Result<(), String> {
    for ((who, p), (_, e)) in pending.iter().zip(earned) {
        let mut seen = vec![];
        for r in &p.rewards {
            seen.push(r.datanet_id);
            let key = (r.datanet_id, who.clone());
            let claimed = sim.claimed.get(&key).copied().unwrap_or(0);
            let credited =
                sim.credited.get(&key).copied().unwrap_or_default() / Uint256::from(REWARD_SCALE);
            let credited = Uint128::try_from(credited)
                .map_err(|e| e.to_string())?
                .u128();
            let total = claimed + r.amount.u128();
            let ranges = e.ranges_in(r.datanet_id).count().max(1) as u128;
            ensure!(
                total <= credited,
                "{who} in datanet {}: claimed {claimed} + claimable {} > credited {credited}",
                r.datanet_id,
                r.amount
            );
            ensure!(
                total + ranges >= credited,
                "{who} in datanet {}: claimed {claimed} + claimable {} short of credited \
                 {credited} by more than {ranges} (its ranges)",
                r.datanet_id,
                r.amount
            );
        }
        // Positions the pool no longer reports were paid out (up to one unit).
        for ((d, a), c) in &sim.credited {
            if a == who && !seen.contains(d) {
                let credited = Uint128::try_from(*c / Uint256::from(REWARD_SCALE))
                    .map_err(|e| e.to_string())?
                    .u128();
                let claimed = sim.claimed.get(&(*d, a.clone())).copied().unwrap_or(0);
                ensure!(
                    claimed <= credited && claimed + 1 >= credited,
                    "{who} in datanet {d}: claimed {claimed} vs credited {credited}"
                );
            }
        }
    }
    Ok(())
}

/// 5. A weight change (acceptance or removal) settles before it applies: it changes nobody's
///    pending rewards, so a contributor accepted after a distribution has nothing from it.
pub fn newcomers_earn_nothing_retroactively(
    before: u128,
    after: u128,
    who: &Addr,
    datanet_id: u64,
) -> Result<(), String> {
    ensure_eq!(
        after,
        before,
        "{who}'s pending rewards in datanet {datanet_id} changed with a review"
    );
    Ok(())
}

/// 6. Every task is in exactly one state: listing the tasks by status finds each task once,
///    and the counts per status add up to the task count.
///    Returns every task as listed.
pub fn every_task_in_exactly_one_state(
    sim: &Sim,
    snap: &Snapshot,
) -> Result<Vec<escrow::TaskInfo>, String> {
    let mut tasks = vec![];
    let count = snap.escrow_config.task_count;
    ensure_eq!(count, sim.tasks.len() as u64, "task count");
    let mut seen = vec![0u32; count as usize];
    let mut total = 0u64;
    for status in [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Completed,
        TaskStatus::Declined,
        TaskStatus::Cancelled,
        TaskStatus::Refunded,
    ] {
        let mut start_after = None;
        loop {
            let page: TasksResponse = sim.w.query(&escrow::QueryMsg::TasksByStatus {
                status,
                start_after,
                limit: Some(50),
            });
            for t in &page.tasks {
                ensure_eq!(
                    t.status,
                    status,
                    "task {} listed under another status",
                    t.id
                );
                ensure!(t.id >= 1 && t.id <= count, "task {} beyond the count", t.id);
                seen[(t.id - 1) as usize] += 1;
                total += 1;
            }
            tasks.extend(page.tasks.iter().cloned());
            if page.tasks.len() < 50 {
                break;
            }
            start_after = page.tasks.last().map(|t| t.id);
        }
    }
    ensure_eq!(total, count, "tasks listed by status");
    ensure!(
        seen.iter().all(|n| *n == 1),
        "a task listed twice or never: {seen:?}"
    );
    Ok(tasks)
}

/// 7. For every datanet, the weight the pool rewards equals the weight the registry accepted
///    (and the model's); influence datanets hold no weight in the pool.
///    Returns each datanet as the pool and the registry answer for it.
pub fn pool_weights_equal_registry_weights(
    sim: &Sim,
) -> Result<Vec<(DatanetPoolResponse, DatanetResponse)>, String> {
    let mut datanets = Vec::with_capacity(sim.datanets.len());
    for d in &sim.datanets {
        let p: DatanetPoolResponse = sim
            .w
            .s
            .query_pool(&pool::QueryMsg::DatanetPool { datanet_id: d.id });
        let r: DatanetResponse = sim
            .w
            .s
            .query_registry(&registry::QueryMsg::Datanet { datanet_id: d.id });
        let accepted: u64 = sim
            .contributions
            .iter()
            .filter(|c| c.datanet == d.id)
            .map(|c| match c.state {
                ContributionState::Accepted(w) => w,
                _ => 0,
            })
            .sum();
        ensure_eq!(
            r.total_weight,
            accepted,
            "registry weight of datanet {}",
            d.id
        );
        match d.mode {
            AttributionMode::Weight => {
                ensure_eq!(
                    p.total_weight,
                    r.total_weight,
                    "pool weight of datanet {}",
                    d.id
                )
            }
            AttributionMode::Influence => {
                ensure_eq!(
                    p.total_weight,
                    0,
                    "pool weight of influence datanet {}",
                    d.id
                )
            }
        }
        datanets.push((p, r));
    }
    Ok(datanets)
}

/// 8. What the pool owes equals what can still be claimed (nothing stranded). For weight-mode
///    contributors, `contributor_rewards · 10^18 = Σ version ranges' (and 0.2.0 positions')
///    settled accrued_scaled + remainders.contributors`; for stakers, `staking_rewards · 10^18
///    = Σ stakers' settled accrued_scaled + remainders.stakers` (read from the pool's raw
///    storage, settled against each datanet's per-version reward sums / the `staking_pool`
///    query's `reward_per_stake`); both remainders below one unit; the stream's unreleased rest
///    owed in full (`staking_stream`); account credits owed as the model credited and not
///    claimed (`account_credits`); and every position listed is stored, and can still pay:
///    weight for the next version, something to claim, or a range over published versions
///    (a removed contributor keeps earning from later fees for the versions it was in).
///    (`pending`: every account's pending rewards; `earned`: its ranges; `view`: the stakers
///    now.)
pub fn pool_owes_what_can_be_claimed(
    sim: &Sim,
    snap: &Snapshot,
    pending: &[(Addr, PendingRewardsResponse)],
    earned: &[(Addr, Earned)],
    view: &StakeView,
) -> Result<(), String> {
    let s = &snap.pool;
    let st = &snap.staking;
    let scale = Uint256::from(REWARD_SCALE);
    let h = pool_holdings(&sim.w.s.app, &sim.w.s.pool, st)?;
    ensure!(
        s.remainders.contributors < scale,
        "contributors' unheld remainder of a unit or more: {:?}",
        s.remainders
    );
    ensure!(
        s.remainders.stakers < scale,
        "stakers' unheld remainder of a unit or more: {:?}",
        s.remainders
    );
    ensure_eq!(
        Uint256::from(s.liabilities.contributor_rewards) * scale,
        h.contributors_scaled + s.remainders.contributors,
        "contributor rewards owed · 10^18 vs ranges' settled rewards + remainder ({h:?})"
    );
    ensure_eq!(
        Uint256::from(s.liabilities.staking_rewards) * scale,
        h.stakers_scaled + s.remainders.stakers,
        "staking rewards owed · 10^18 vs stakers' settled rewards + remainder ({h:?})"
    );
    let credits: u128 =
        sim.credits.values().sum::<u128>() - sim.credits_claimed.values().sum::<u128>();
    ensure_eq!(
        (s.liabilities.account_credits.u128(), h.credits),
        (credits, credits),
        "account credits owed (solvency, stored) vs credited − claimed"
    );
    let owed = st
        .total_distributed
        .u128()
        .checked_sub(st.total_claimed.u128() + st.total_forfeited.u128())
        .ok_or(format!(
            "stakers claimed or forfeited more than released: {st:?}"
        ))?;
    ensure_eq!(
        s.liabilities.staking_rewards.u128(),
        owed,
        "staking rewards owed vs released − claimed − forfeited"
    );
    ensure_eq!(
        s.liabilities.staking_stream,
        st.streaming,
        "the stream's unreleased rest owed"
    );
    // Nothing is sent to the pool but through its own messages, so every token it holds is
    // owed to someone (treasury included): nothing is stranded in it.
    ensure_eq!(
        s.balance,
        s.total_liabilities,
        "pool holds other than it owes: {s:?}"
    );
    ensure_eq!(
        snap.registry.balance,
        snap.registry.total_liabilities,
        "registry holds other than it owes: {:?}",
        snap.registry
    );
    ensure_eq!(
        snap.models.balance,
        snap.models.owed_earnings,
        "model licensing holds other than it owes: {:?}",
        snap.models
    );
    // Every position listed can still pay something.
    let mut listed = 0;
    let mut capped = false;
    for ((who, p), (_, e)) in pending.iter().zip(earned) {
        capped |= p.rewards.len() >= pool::MAX_CLAIM_DATANETS;
        listed += p.rewards.len();
        for r in &p.rewards {
            let weight = sim
                .weights
                .get(&(r.datanet_id, who.clone()))
                .copied()
                .unwrap_or(0);
            let published = sim.datanets[(r.datanet_id - 1) as usize].versions;
            let in_a_version = e
                .ranges_in(r.datanet_id)
                .any(|x| x.from_version <= published);
            ensure!(
                weight > 0 || !r.amount.is_zero() || in_a_version,
                "{who} keeps a position in datanet {} with no weight, nothing to claim and no \
                 published version",
                r.datanet_id
            );
            ensure!(
                h.held.contains(&(who.clone(), r.datanet_id)),
                "{who}'s position in datanet {} listed and not stored",
                r.datanet_id
            );
        }
    }
    if !capped {
        ensure_eq!(
            h.held.len(),
            listed,
            "contributor positions stored vs listed"
        );
    }
    let stakers = view
        .stakers
        .iter()
        .filter(|(_, staked, claimable)| *staked > 0 || *claimable > 0)
        .count();
    ensure_eq!(
        h.stakers,
        stakers,
        "staker positions stored vs actors with a stake or a unit to claim"
    );
    Ok(())
}

/// 9. A stake's share of any distribution is at most its time-weighted share. Between two
///    steps (`before`, `after`; stakes are constant while time passes, and nothing is released
///    within a block):
///    - what the stream released (`streaming` before + this step's stakers allocations −
///      `streaming` after) is 0 within a block, and while time passes at most what its
///      schedule allows: `streaming` evenly until `stream_end`,
///      `released · left ≤ (streaming + 1) · elapsed + left`, everything by the end; an
///      allocation ends the stream between
///      the time the rest had left and the period (a fresh stream: exactly the period);
///    - all of it is credited to the stakers (`total_distributed`), or to nobody when nothing
///      is staked;
///    - each staker's claimable rewards (plus what it was paid) grow by at most
///      `⌈released × stake / total stake⌉ + 1`, and by nothing when nothing was released.
///
///    Returns whether anything was released.
pub fn stake_share_at_most_time_weighted(
    sim: &Sim,
    before: &StakeView,
    after: &StakeView,
) -> Result<bool, String> {
    let (p0, p1) = (&before.pool, &after.pool);
    let added = sim.step_streamed;
    let (u0, u1) = (p0.streaming.u128(), p1.streaming.u128());
    let released = (u0 + added).checked_sub(u1).ok_or(format!(
        "the stream grew by more than its allocations: {u0} + {added} < {u1}"
    ))?;
    let elapsed = after.now - before.now;
    let left0 = p0.stream_end.saturating_sub(before.now);
    if elapsed == 0 {
        ensure_eq!(released, 0, "the stream released within a block");
        if added > 0 {
            let left1 = p1.stream_end.checked_sub(after.now).ok_or(format!(
                "an allocation left the stream ending in the past: {p1:?}"
            ))?;
            let period = sim.period;
            if left0 == 0 {
                ensure_eq!(left1, period, "a new stream's duration");
            } else {
                ensure!(
                    left1 >= left0.min(period) && left1 <= left0.max(period),
                    "an allocation moved the stream's end to {left1} s from now, outside {left0} s \
                     (left) and {period} s (the period)"
                );
                // One allocation `A` releases at most `A / period` per second on top of the
                // rate already running (`streaming / left`), up to the rounding of the units
                // and of the end: (u0 + A − 1) / (left1 + 1) < (u0 + 1) / left0 + A / period.
                if sim.step_allocations == 1 {
                    let (l0, l1, p) = (u128::from(left0), u128::from(left1), u128::from(period));
                    ensure!(
                        (u0 + added).saturating_sub(1) * l0 * p
                            < ((u0 + 1) * p + added * l0) * (l1 + 1),
                        "an allocation of {added} on a stream of {u0} with {left0} s left ends in \
                         {left1} s: released faster than {added} over {period} s on top"
                    );
                }
            }
        } else if after.period == before.period {
            ensure_eq!(p1.stream_end, p0.stream_end, "the stream's end moved");
        }
    } else {
        ensure_eq!(added, 0, "an allocation while time passed");
        ensure_eq!(
            p1.stream_end,
            p0.stream_end,
            "the stream's end moved with time"
        );
        if left0 == 0 {
            ensure_eq!(u0, 0, "the stream kept {u0} past its end");
            ensure_eq!(released, 0, "the stream released past its end");
        } else {
            let within = u128::from(elapsed.min(left0));
            let left = u128::from(left0);
            ensure!(
                released * left <= (u0 + 1) * within + left,
                "the stream released {released} in {elapsed} s, above its schedule ({u0} over {left0} s)"
            );
            if elapsed >= left0 {
                ensure_eq!(released, u0, "the stream's release by its end");
            }
        }
    }
    let total: u128 = before.stakers.iter().map(|(_, s, _)| s).sum();
    ensure_eq!(
        total,
        p0.total_staked.u128(),
        "the actors' stakes vs total staked"
    );
    let credited = p1
        .total_distributed
        .u128()
        .checked_sub(p0.total_distributed.u128())
        .ok_or("stakers' total distributed fell")?;
    ensure_eq!(
        credited,
        if total > 0 { released } else { 0 },
        "stakers' rewards credited by a release of {released} over {total} staked"
    );
    let mut gained_total = 0;
    let mut holders = 0;
    for ((a, stake, c0), (a1, _, c1)) in before.stakers.iter().zip(&after.stakers) {
        ensure_eq!(a, a1, "stakers listed in another order");
        let paid = sim.step_staking_paid.get(a).copied().unwrap_or(0);
        let gained = (c1 + paid).checked_sub(*c0).ok_or(format!(
            "{a}'s staking rewards fell: {c0} → {c1} with {paid} paid"
        ))?;
        let bound = if released == 0 || *stake == 0 {
            0
        } else {
            (released * stake).div_ceil(total) + 1
        };
        ensure!(
            gained <= bound,
            "{a} staking {stake} of {total} gained {gained} of a release of {released} (at most {bound})"
        );
        gained_total += gained;
        holders += u128::from(*stake > 0);
    }
    ensure!(
        gained_total <= released + holders,
        "stakers gained {gained_total} of a release of {released}"
    );
    Ok(released > 0)
}

/// 10. An agent's reserved bond covers the slashable exposure of its open tasks: for every
///     agent, `reserved` = Σ `bond_reserved` over its in-progress tasks, `reserved ≤ bond`,
///     `free = bond − reserved`; every in-progress task holds a reservation of at most its
///     deposit; an open task reserves nothing and a task that ended keeps nothing reserved.
///     (A ruling of 0 paying the client exactly the task's reservation is checked in
///     `settle`; the evaluators' reservations, with the escrow's liabilities, in 12.)
///     (`tasks`: every task, as listed; `agents`: every agent.)
pub fn reserved_bond_covers_open_tasks(
    tasks: &[escrow::TaskInfo],
    agents: &[AgentResponse],
) -> Result<(), String> {
    let mut exposure: BTreeMap<Addr, u128> = BTreeMap::new();
    for t in tasks {
        let reserved = t.bond_reserved.map(|x| x.u128());
        match t.status {
            TaskStatus::InProgress => {
                let x = reserved.ok_or(format!("in-progress task {} reserved nothing", t.id))?;
                ensure!(
                    x <= t.deposit.u128(),
                    "task {} reserves {x} above its deposit {}",
                    t.id,
                    t.deposit
                );
                *exposure.entry(t.agent.clone()).or_default() += x;
            }
            TaskStatus::Open => ensure_eq!(reserved, None, "open task {} reserves", t.id),
            status => ensure!(
                reserved.unwrap_or(0) == 0,
                "task {} ({status:?}) keeps {reserved:?} reserved",
                t.id
            ),
        }
    }
    for a in exposure.keys() {
        ensure!(
            agents.iter().any(|g| g.address == *a),
            "{a} has reservations and no agent record"
        );
    }
    for g in agents {
        let a = &g.address;
        let (bond, reserved) = (g.bond.u128(), g.reserved.u128());
        ensure_eq!(
            reserved,
            exposure.get(a).copied().unwrap_or(0),
            "{a}'s reserved bond vs its in-progress tasks' reservations"
        );
        ensure!(
            reserved <= bond,
            "{a} reserves {reserved} of a bond of {bond}"
        );
        ensure_eq!(g.free.u128(), bond - reserved, "{a}'s free bond");
    }
    Ok(())
}
