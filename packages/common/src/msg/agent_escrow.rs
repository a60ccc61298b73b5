//! Messages of the agent escrow: bonded agents, milestone tasks, reviews, disputes, timeouts and
//! settlement.
//!
//! Times are whole seconds since the Unix epoch (block time, rounded down to the second);
//! windows are durations in seconds. A window of `w` seconds opened at `t0` is open while
//! `t0 ≤ now < t0 + w`: the action it guards is refused from `t0 + w` on, and the action that
//! ends it (finalize, refund) is allowed from `t0 + w` on (inclusive).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::cw_ownable_query;

use crate::ownership::OwnershipAction;

use crate::bps::Bps;
use crate::msg::model_licensing::{InferencePayment, ModelId};

/// Task ids are assigned from 1 upwards.
pub type TaskId = u64;

/// The most models an agent may declare.
pub const MAX_AGENT_MODELS: usize = 8;
/// The most milestones a task may have.
pub const MAX_MILESTONES: usize = 10;
/// The most paid inferences one milestone submission may carry.
pub const MAX_INFERENCES: usize = 10;
/// Longest agent name, in bytes (at least 1).
pub const MAX_NAME_LEN: usize = 64;
/// Longest URI (agent metadata, task spec, milestone result), in bytes.
pub const MAX_URI_LEN: usize = 512;
/// Longest milestone description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 256;
/// Longest dispute reason, in bytes (at least 1).
pub const MAX_REASON_LEN: usize = 512;
/// Longest window (accept, review, arbitration) and unbonding period: 90 days, in seconds.
pub const MAX_WINDOW: u64 = 90 * 24 * 3600;
/// Latest delivery deadline, counted from the task's creation: 2 years (730 days), in seconds.
pub const MAX_TASK_DURATION: u64 = 730 * 24 * 3600;
/// Highest protocol fee: 30 % of a milestone, in basis points.
pub const MAX_PROTOCOL_FEE_BPS: Bps = 3_000;

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Owner of the contract (configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN): bonds, task deposits and every payment.
    pub token: String,
    /// Model licensing: model fees are quoted and paid there when a milestone is submitted
    /// (in the same transaction).
    pub model_licensing: String,
    /// The reward pool: receives the protocol fee of every settled milestone.
    pub reward_pool: String,
    /// The smallest bond an agent registers with, and the free bond (bond not reserved for
    /// accepted tasks) an agent must hold to accept a task (may be zero: any positive bond).
    /// Fixed on a task when it is created.
    pub min_agent_bond: Uint128,
    /// Protocol fee in basis points of each settled amount (at most 3 000), rounded up. Fixed
    /// on a task when it is created.
    pub protocol_fee_bps: Bps,
    /// The arbiter of tasks that do not name one.
    pub default_arbiter: String,
    /// Seconds the arbiter has to rule once a milestone is disputed (1..=90 days). Fixed on a
    /// task when it is created.
    pub arbitration_window: u64,
    /// Seconds between `unbond` and the moment `withdraw_bond` pays (0..=90 days).
    pub unbonding_period: u64,
    /// Share of the agent's free bond, in basis points (at most 10 000), reserved when the
    /// agent accepts a task (at most the task's deposit) and paid to the client when the
    /// arbiter rules fully for the client (`agent_share_bps` = 0). Fixed on a task when it is
    /// created.
    pub slash_bps: Bps,
}

/// One milestone of a new task.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct NewMilestone {
    /// What the milestone pays, in fee-token base units (non-zero).
    pub amount: Uint128,
    /// What is to be delivered (at most 256 bytes).
    pub description: String,
}

/// Everything that describes a new task; the client is the sender of the cw20 `send` and the
/// deposit is the amount sent.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// The registered, active agent asked to do the work.
    pub agent: String,
    /// SHA-256 of the task specification: 64 hex characters.
    pub spec_hash: String,
    /// Where the specification lives (at most 512 bytes).
    pub spec_uri: String,
    /// 1..=10 milestones, delivered in order; their amounts sum exactly to the deposit.
    pub milestones: Vec<NewMilestone>,
    /// Seconds the agent has to accept (1..=90 days): acceptance is possible while
    /// `now < created_at + accept_window`.
    pub accept_window: u64,
    /// Absolute delivery deadline, seconds since the epoch: milestones may be submitted while
    /// `now < delivery_deadline`. It must lie after the end of the accept window and at most
    /// 730 days after creation.
    pub delivery_deadline: u64,
    /// Seconds the client has to review each submitted milestone (1..=90 days): a dispute is
    /// possible while `now < submitted_at + review_window`, `finalize` from then on.
    pub review_window: u64,
    /// Who rules on disputes; the configured default arbiter when absent. Neither the client,
    /// the agent, nor one of the protocol's contracts.
    pub arbiter: Option<String>,
    /// The most the work may spend on model fees over the whole task: they are paid at delivery
    /// out of the milestones' amounts, whatever a ruling later decides, so the client bounds
    /// them here (0: the work may not pay for model use). At most the deposit.
    pub max_model_fees: Uint128,
    /// The least bond the agent must reserve for this task when it accepts (what a ruling of 0
    /// on it can slash): acceptance is refused while `min(deposit, slash_bps × free bond)` is
    /// below it, so an agent cannot thin the task's cover by first accepting other tasks. At
    /// most the deposit; no floor when absent.
    pub min_bond_reserved: Option<Uint128>,
}

/// Messages that travel inside a cw20 `send` of the fee token to the escrow.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    /// Registers the sender as an agent; the amount sent is the bond (at least the configured
    /// minimum). An agent that withdrew its bond registers again with this message (its stats
    /// are kept).
    RegisterAgent {
        /// Display name (1..=64 bytes).
        name: String,
        /// Where the agent's metadata lives (at most 512 bytes).
        metadata_uri: String,
        /// The models (model-licensing ids) the agent's work uses: at most 8, distinct, each
        /// existing. A submission may only name these models.
        models: Vec<ModelId>,
    },
    /// Adds the amount sent to the sender's bond (an active agent).
    TopUpBond {},
    /// Creates a task; the amount sent is the deposit, held in escrow per milestone.
    CreateTask(NewTask),
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Two-step transfer of the contract's ownership: `transfer_ownership` (owner), then
    /// `accept_ownership` (the proposed owner), or `renounce_ownership`.
    UpdateOwnership(OwnershipAction),
    /// cw20 hook: only the configured token may call it.
    Receive(Cw20ReceiveMsg),
    /// Agent: takes an open task, while its accept window is open. The agent's free bond
    /// (bond − reserved) must be at least the task's `min_agent_bond`; `min(deposit, free ×
    /// slash_bps / 10 000)` of it is reserved for the task until the task ends.
    AcceptTask {
        /// The task.
        task_id: TaskId,
    },
    /// Agent: turns down an open task; the whole deposit goes back to the client.
    DeclineTask {
        /// The task.
        task_id: TaskId,
    },
    /// Client: withdraws an open (not yet accepted) task; the whole deposit comes back.
    CancelTask {
        /// The task.
        task_id: TaskId,
    },
    /// Agent: delivers the current milestone before the delivery deadline, with the paid model
    /// usage it incurred, and pays its model fees out of the milestone in the same transaction
    /// (a fee that model licensing refuses fails the submission). The review window starts now.
    SubmitMilestone {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0); it must be the current one.
        milestone: u32,
        /// SHA-256 of the result: 64 hex characters.
        result_hash: String,
        /// Where the result lives (at most 512 bytes).
        result_uri: String,
        /// At most 10 inferences the work used, each on a model the agent declared, distinct.
        /// Each model's current inference fee is paid now, out of the milestone, with a cw20
        /// `send` by the escrow, so a signed receipt must name the escrow's address as `payer`.
        /// The fees plus the protocol fee may not exceed the milestone's amount.
        inferences: Vec<InferencePayment>,
    },
    /// Client: accepts a submitted (or disputed) milestone and settles it at once.
    ApproveMilestone {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
    },
    /// Client: disputes a submitted milestone while its review window is open. The arbiter
    /// then has `arbitration_window` seconds to rule.
    DisputeMilestone {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
        /// Why (1..=512 bytes).
        reason: String,
    },
    /// The task's arbiter: rules on a disputed milestone before the arbitration deadline. The
    /// agent's share of the milestone pays the model fees paid at delivery, the protocol fee
    /// and the agent, and the rest goes back to the client; a ruling of 0 returns the
    /// milestone less its model fees to the client with the bond reserved for the task.
    Resolve {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
        /// The agent's share of the milestone, in basis points (0..=10 000).
        agent_share_bps: Bps,
    },
    /// Anyone: settles a submitted, undisputed milestone once its review window has passed.
    Finalize {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
    },
    /// Anyone: ends a task whose time ran out and returns every unsettled amount to the
    /// client: an open task after its accept window, an accepted task whose current milestone
    /// was not submitted by the delivery deadline, or one whose arbiter did not rule by the
    /// arbitration deadline.
    Refund {
        /// The task.
        task_id: TaskId,
    },
    /// Agent: changes its profile (absent fields are kept).
    UpdateAgent {
        /// New display name (1..=64 bytes).
        name: Option<String>,
        /// New metadata URI (at most 512 bytes).
        metadata_uri: Option<String>,
        /// New model list (at most 8, distinct, each existing); applies to later submissions.
        models: Option<Vec<ModelId>>,
    },
    /// Agent with no open task: starts unbonding. From now on it gets no new task, and its
    /// bond can be withdrawn `unbonding_period` seconds later.
    Unbond {},
    /// Agent: pays out the whole bond once the unbonding period has passed (at
    /// `release_at`, inclusive). The agent record and its stats are kept.
    WithdrawBond {},
    /// Owner: changes the configuration. Fields fixed on tasks (protocol fee, arbitration
    /// window, slash share, minimum bond, arbiter) apply to tasks created afterwards.
    UpdateConfig {
        /// New model-licensing contract (submissions from now on are quoted and paid there).
        model_licensing: Option<String>,
        /// New reward pool.
        reward_pool: Option<String>,
        /// New minimum bond (registration now; acceptance of tasks created from now on).
        min_agent_bond: Option<Uint128>,
        /// New protocol fee (at most 3 000 bps).
        protocol_fee_bps: Option<Bps>,
        /// New default arbiter.
        default_arbiter: Option<String>,
        /// New arbitration window in seconds (1..=90 days).
        arbitration_window: Option<u64>,
        /// New unbonding period in seconds (0..=90 days); applies to later `unbond`s.
        unbonding_period: Option<u64>,
        /// New slash share (at most 10 000 bps).
        slash_bps: Option<Bps>,
    },
}

/// Where a task is in its life. `open` and `in_progress` are live; the other four are final
/// and a task reaches exactly one of them.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum TaskStatus {
    /// Created, waiting for the agent to accept.
    Open,
    /// Accepted: milestones are delivered and reviewed in order.
    InProgress,
    /// Every milestone was settled (approved, finalized or resolved).
    Completed,
    /// The agent declined it; the deposit went back to the client.
    Declined,
    /// The client cancelled it before acceptance; the deposit went back.
    Cancelled,
    /// Time ran out (see `refund_reason`); every unsettled amount went back to the client.
    Refunded,
}

/// Why a task was refunded.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum RefundReason {
    /// The agent did not accept within the accept window.
    AcceptWindowExpired,
    /// The current milestone was not submitted by the delivery deadline.
    DeliveryDeadlineMissed,
    /// The arbiter did not rule by the arbitration deadline.
    ArbiterSilent,
}

/// Where a milestone is in its life.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum MilestoneStatus {
    /// Not yet delivered.
    Pending,
    /// Delivered; in review.
    Submitted,
    /// Disputed by the client; waiting for the arbiter.
    Disputed,
    /// Approved by the client and settled.
    Approved,
    /// Settled by `finalize` after an undisputed review window.
    Finalized,
    /// Settled by the arbiter's ruling (`agent_share_bps`).
    Resolved,
    /// Returned to the client by `refund`, or with a declined, cancelled or expired task.
    Refunded,
}

impl MilestoneStatus {
    /// Whether the milestone's amount has left the escrow (settled or refunded).
    pub fn is_closed(&self) -> bool {
        matches!(
            self,
            MilestoneStatus::Approved
                | MilestoneStatus::Finalized
                | MilestoneStatus::Resolved
                | MilestoneStatus::Refunded
        )
    }
}

/// What became of one model fee recorded on a milestone. Fees are paid at submission
/// (`paid`); `recorded`, `refunded` and `waived` occur only on milestones submitted under
/// 0.2.0, whose fees are paid at settlement.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ModelFeeStatus {
    /// Submitted under 0.2.0: recorded, not yet paid (paid when the milestone settles).
    Recorded,
    /// Paid to model licensing (at submission; at settlement for a 0.2.0 submission).
    Paid,
    /// 0.2.0 submission: sent at settlement, refused by model licensing (paused or retired
    /// model, replayed id, bad receipt, changed fee...): the fee went back to the client.
    Refunded,
    /// 0.2.0 submission: not paid because the milestone was not settled for the agent (a
    /// ruling of 0, or a refund).
    Waived,
}

/// A model fee recorded on a milestone.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct RecordedInference {
    /// The payment as submitted (model, inference id, attribution, receipt signature).
    pub payment: InferencePayment,
    /// The model's inference fee when the milestone was submitted (what was paid).
    pub fee: Uint128,
    /// What became of it.
    pub status: ModelFeeStatus,
    /// Why model licensing refused it, when `refunded`.
    pub error: Option<String>,
}

/// The bond state of an agent.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum AgentStatus {
    /// Takes tasks.
    Active,
    /// Unbonding: takes no new task; `withdraw_bond` pays from `release_at` (inclusive).
    Unbonding {
        /// Seconds since the epoch.
        release_at: u64,
    },
    /// Bond withdrawn; `register_agent` makes it active again.
    Withdrawn,
}

/// An agent's record of work.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Default)]
pub struct AgentStats {
    /// Tasks completed (every milestone settled).
    pub completed: u64,
    /// Milestones settled by approval or finalization.
    pub milestones_settled: u64,
    /// Milestones disputed by a client.
    pub disputed: u64,
    /// Disputes ruled fully for the agent (10 000 bps).
    pub won: u64,
    /// Disputes ruled with a split (1..=9 999 bps).
    pub split: u64,
    /// Disputes ruled fully for the client (0 bps): the bond was slashed.
    pub lost: u64,
    /// Tasks declined.
    pub declined: u64,
    /// Tasks the agent let expire (accept window) or whose delivery deadline it missed.
    pub missed: u64,
    /// Everything paid to the agent for its work.
    pub earned: Uint128,
    /// Everything slashed from its bond.
    pub slashed: Uint128,
}

#[cw_ownable_query]
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The contract's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// One agent.
    #[returns(AgentResponse)]
    Agent {
        /// The agent's address.
        address: String,
    },
    /// Agents by address.
    #[returns(AgentsResponse)]
    Agents {
        /// Start after this address.
        start_after: Option<String>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// One task with its milestones.
    #[returns(TaskResponse)]
    Task {
        /// The task.
        task_id: TaskId,
    },
    /// Tasks of one client, by id (without milestones).
    #[returns(TasksResponse)]
    TasksByClient {
        /// The client.
        client: String,
        /// Start after this task id.
        start_after: Option<TaskId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// Tasks of one agent, by id (without milestones).
    #[returns(TasksResponse)]
    TasksByAgent {
        /// The agent.
        agent: String,
        /// Start after this task id.
        start_after: Option<TaskId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// Tasks in one status, by id (without milestones).
    #[returns(TasksResponse)]
    TasksByStatus {
        /// The status.
        status: TaskStatus,
        /// Start after this task id.
        start_after: Option<TaskId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// Token balance against everything the escrow holds for others.
    #[returns(EscrowSolvencyResponse)]
    Solvency {},
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// The fee token.
    pub token: Addr,
    /// Model licensing.
    pub model_licensing: Addr,
    /// The reward pool.
    pub reward_pool: Addr,
    /// Smallest bond.
    pub min_agent_bond: Uint128,
    /// Protocol fee for new tasks, in basis points.
    pub protocol_fee_bps: Bps,
    /// Default arbiter.
    pub default_arbiter: Addr,
    /// Arbitration window for new tasks, in seconds.
    pub arbitration_window: u64,
    /// Unbonding period, in seconds.
    pub unbonding_period: u64,
    /// Slash share for new tasks, in basis points.
    pub slash_bps: Bps,
    /// Tasks created so far (the last id).
    pub task_count: u64,
}

#[cw_serde]
pub struct AgentResponse {
    /// The agent.
    pub address: Addr,
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Declared models.
    pub models: Vec<ModelId>,
    /// Current bond.
    pub bond: Uint128,
    /// Part of the bond reserved for accepted tasks still in progress (what rulings of 0 on
    /// them can slash).
    pub reserved: Uint128,
    /// `bond − reserved`: what a new task's acceptance checks and reserves from.
    pub free: Uint128,
    /// Bond state.
    pub status: AgentStatus,
    /// Tasks not yet in a final state (open or in progress).
    pub open_tasks: u32,
    /// Record of work.
    pub stats: AgentStats,
    /// When it first registered (seconds since the epoch).
    pub registered_at: u64,
}

#[cw_serde]
pub struct AgentsResponse {
    /// The page.
    pub agents: Vec<AgentResponse>,
}

/// A task without its milestones.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct TaskInfo {
    /// Its id.
    pub id: TaskId,
    /// Who pays.
    pub client: Addr,
    /// Who works.
    pub agent: Addr,
    /// Who rules on disputes.
    pub arbiter: Addr,
    /// SHA-256 of the specification, lower-case hex.
    pub spec_hash: String,
    /// Specification URI.
    pub spec_uri: String,
    /// The deposit.
    pub deposit: Uint128,
    /// What is still held for this task (unsettled milestones, less the model fees already
    /// paid at their submission).
    pub escrowed: Uint128,
    /// Status.
    pub status: TaskStatus,
    /// Why it was refunded, when `refunded`.
    pub refund_reason: Option<RefundReason>,
    /// Number of milestones.
    pub milestone_count: u32,
    /// Index of the milestone being worked on or reviewed; equals `milestone_count` once all
    /// are settled.
    pub current_milestone: u32,
    /// Protocol fee of this task, in basis points.
    pub protocol_fee_bps: Bps,
    /// Arbitration window of this task, in seconds.
    pub arbitration_window: u64,
    /// Slash share of this task, in basis points.
    pub slash_bps: Bps,
    /// The free bond the agent must hold to accept this task, fixed at creation (absent on a
    /// task created under 0.2.0: the current configuration's minimum applies).
    pub min_agent_bond: Option<Uint128>,
    /// The agent's bond still reserved for this task: set when the agent accepts it
    /// (`min(deposit, free × slash_bps / 10 000)`), taken whole by a ruling of 0, released
    /// (0) when the task ends. Absent before acceptance and on a task accepted under 0.2.0
    /// (a ruling of 0 then slashes `bond × slash_bps / 10 000`, at most the free bond).
    pub bond_reserved: Option<Uint128>,
    /// The most the work may spend on model fees over the whole task; `None` for a task
    /// created under 0.2.0 (no bound).
    pub max_model_fees: Option<Uint128>,
    /// The least bond the agent had to reserve when accepting (`None`: no floor).
    pub min_bond_reserved: Option<Uint128>,
    /// Review window, in seconds.
    pub review_window: u64,
    /// Creation time.
    pub created_at: u64,
    /// End of the accept window (exclusive): acceptance while `now < accept_deadline`.
    pub accept_deadline: u64,
    /// Delivery deadline (exclusive): submission while `now < delivery_deadline`.
    pub delivery_deadline: u64,
    /// When the agent accepted.
    pub accepted_at: Option<u64>,
    /// When the task reached its final state.
    pub closed_at: Option<u64>,
    /// Paid to the agent.
    pub paid_to_agent: Uint128,
    /// Model fees paid to model licensing (at submission; at settlement for 0.2.0
    /// submissions).
    pub model_fees_paid: Uint128,
    /// Model fees of 0.2.0 submissions refused by model licensing at settlement and returned
    /// to the client.
    pub model_fees_refunded: Uint128,
    /// Protocol fees paid to the reward pool.
    pub protocol_fees: Uint128,
    /// Returned to the client (refunds and the client's part of rulings, not counting
    /// `model_fees_refunded` and `slashed`).
    pub refunded: Uint128,
    /// Taken from the agent's bond and paid to the client.
    pub slashed: Uint128,
}

/// One milestone of a task.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MilestoneInfo {
    /// Its index (from 0).
    pub index: u32,
    /// Its amount.
    pub amount: Uint128,
    /// What is to be delivered.
    pub description: String,
    /// Status.
    pub status: MilestoneStatus,
    /// SHA-256 of the result, lower-case hex, once submitted.
    pub result_hash: Option<String>,
    /// Result URI, once submitted.
    pub result_uri: Option<String>,
    /// When it was submitted.
    pub submitted_at: Option<u64>,
    /// End of the review window (exclusive for disputes; `finalize` from this second on).
    pub review_deadline: Option<u64>,
    /// The model fees quoted and paid at submission.
    pub inferences: Vec<RecordedInference>,
    /// Their sum.
    pub model_fees: Uint128,
    /// The model-licensing contract that quoted and was paid the fees.
    pub models_contract: Option<Addr>,
    /// The client's reason, once disputed.
    pub dispute_reason: Option<String>,
    /// When it was disputed.
    pub disputed_at: Option<u64>,
    /// End of the arbitration window (exclusive for `resolve`; `refund` from this second on).
    pub arbitration_deadline: Option<u64>,
    /// The arbiter's ruling, once resolved.
    pub agent_share_bps: Option<Bps>,
    /// When it was settled or refunded.
    pub closed_at: Option<u64>,
}

#[cw_serde]
pub struct TaskResponse {
    /// The task.
    pub task: TaskInfo,
    /// Its milestones, in order.
    pub milestones: Vec<MilestoneInfo>,
}

#[cw_serde]
pub struct TasksResponse {
    /// The page.
    pub tasks: Vec<TaskInfo>,
}

#[cw_serde]
pub struct EscrowSolvencyResponse {
    /// The escrow's balance of the fee token.
    pub balance: Uint128,
    /// Unsettled task funds.
    pub escrowed: Uint128,
    /// Bonds of active and unbonding agents.
    pub bonds: Uint128,
    /// `escrowed + bonds`. Nothing else is owed: every payment is pushed in the transaction
    /// that settles it.
    pub total_liabilities: Uint128,
    /// `balance >= total_liabilities`.
    pub solvent: bool,
}
