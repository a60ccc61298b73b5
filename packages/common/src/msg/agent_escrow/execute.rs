//! What the agent escrow is sent: instantiation, the cw20 hook messages, execution and
//! migration.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;
use cw20::Cw20ReceiveMsg;

use crate::bps::Bps;
use crate::msg::model_licensing::{InferencePayment, ModelId};
use crate::ownership::OwnershipAction;

use super::types::{FeedbackSubject, TaskId};

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
    /// A registered, active evaluator who verifies each delivery (`evaluate_milestone`) and is
    /// paid its fee (fixed now) out of each milestone it evaluates, whatever its verdict.
    /// Neither the client nor the agent. Without one, the client reviews.
    pub evaluator: Option<String>,
    /// Seconds the evaluator has for each delivery (1..=90 days; required with an evaluator).
    /// When it passes without a verdict, `escalate` slashes the evaluator's reservation and
    /// hands the milestone to the arbiter.
    pub evaluation_window: Option<u64>,
    /// The most the client accepts to pay its evaluator per verdict: creation is refused if the
    /// evaluator's fee (read now) is above it, so an evaluator cannot raise its fee between the
    /// client's reading and the task's creation. No cap when absent.
    #[serde(default)]
    pub max_evaluation_fee: Option<Uint128>,
    /// The same cap for the named arbiter's fee per ruling.
    #[serde(default)]
    pub max_arbitration_fee: Option<Uint128>,
}

/// Messages that travel inside a cw20 `send` of the fee token to the escrow.
// A message is decoded once per call, so the size of its largest variant (`create_task`) costs
// nothing worth a box in every caller's code.
#[allow(clippy::large_enum_variant)]
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
        /// What the agent does, for discovery (`agents_by_capability`): at most 8 distinct
        /// tags of 1..=32 lower-case letters, digits or `-`.
        capabilities: Option<Vec<String>>,
    },
    /// Adds the amount sent to the sender's bond (an active agent).
    TopUpBond {},
    /// Registers the sender as an evaluator (who verifies deliveries and may be named as an
    /// arbiter); the amount sent is the bond (at least the configured minimum bond). An
    /// evaluator that withdrew registers again with this message (its record is kept).
    RegisterEvaluator {
        /// Display name (1..=64 bytes).
        name: String,
        /// Where the evaluator's metadata lives (at most 512 bytes).
        metadata_uri: String,
        /// What it evaluates: at most 8 distinct tags, as for agents.
        capabilities: Vec<String>,
        /// Its fee per verdict or ruling, fixed on each task that names it when the task is
        /// created (may be 0).
        fee: Uint128,
    },
    /// Adds the amount sent to the sender's evaluator bond (an active evaluator).
    TopUpEvaluatorBond {},
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
        /// SHA-256 of the input the work consumed (64 hex characters), so that a verdict refers
        /// to exactly what was computed from what.
        input_hash: Option<String>,
    },
    /// Agent of a task in progress: funds a sub-task for another agent out of its current,
    /// not yet submitted milestone; nothing leaves the escrow. The sub-task's client is the
    /// sender; its deposit is the sum of its milestones and must fit in what the milestone
    /// can still spend (its amount less its protocol fee, evaluation and arbitration fees,
    /// and what it already delegated). Depth at most 3, at most 8 sub-tasks per milestone,
    /// delivery deadline no later than the parent's. What a sub-task returns (refunds, a
    /// ruling's client part) goes back to the parent milestone, and the parent milestone can
    /// be neither submitted nor refunded while one of its sub-tasks is open.
    DelegateTask {
        /// The parent task.
        task_id: TaskId,
        /// Its current milestone (from 0).
        milestone: u32,
        /// The sub-task, as `create_task` takes it.
        task: NewTask,
    },
    /// The task's evaluator: gives its verdict on the current submitted milestone before the
    /// evaluation deadline, and is paid its fee out of the milestone. An approval settles the
    /// milestone for the agent; a rejection lets the agent appeal (`dispute_milestone`) until
    /// the review deadline.
    EvaluateMilestone {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
        /// The result hash the verdict is about: must equal the delivered one.
        result_hash: String,
        /// Approve or reject.
        approve: bool,
        /// SHA-256 of the evaluator's reasons: 64 hex characters.
        reason_hash: String,
    },
    /// The task's evaluator or bonded arbiter: steps down from a task it was named on without
    /// being asked (anyone may name a registered evaluator), while the task is open or its
    /// current milestone is pending (no delivery waiting for its verdict, no dispute waiting
    /// for its ruling). Its reservation for the task is released and it is paid nothing more
    /// by it. Without an evaluator the client reviews the deliveries (within the review
    /// window); without a bonded arbiter the configured default arbiter rules, unpaid.
    ResignOversight {
        /// The task.
        task_id: TaskId,
    },
    /// Anyone: once a submitted milestone's evaluation deadline has passed without a verdict,
    /// slashes the evaluator's reservation for the task (to the reward pool's treasury) and
    /// hands the milestone to the task's arbiter, who then has `arbitration_window` seconds.
    Escalate {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
    },
    /// Client of an ended task that paid the rated party: rates its agent or its evaluator
    /// once (0..=100 with a tag). The rating counts in proportion to what the task paid.
    GiveFeedback {
        /// The task.
        task_id: TaskId,
        /// Whom the rating is about.
        subject: FeedbackSubject,
        /// 0..=100.
        rating: u8,
        /// 1..=32 lower-case letters, digits or `-` (for example `on-time`).
        tag: String,
    },
    /// Client: accepts a submitted (or disputed) milestone and settles it at once.
    ApproveMilestone {
        /// The task.
        task_id: TaskId,
        /// The milestone's index (from 0).
        milestone: u32,
    },
    /// Client: disputes a submitted milestone while its review window is open; or agent:
    /// appeals a milestone its evaluator rejected, until the review deadline. The arbiter then
    /// has `arbitration_window` seconds to rule.
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
        /// New capability tags (at most 8, distinct).
        capabilities: Option<Vec<String>>,
    },
    /// Evaluator: changes its profile (absent fields are kept). A new fee applies to tasks
    /// created afterwards.
    UpdateEvaluator {
        /// New display name (1..=64 bytes).
        name: Option<String>,
        /// New metadata URI (at most 512 bytes).
        metadata_uri: Option<String>,
        /// New capability tags (at most 8, distinct).
        capabilities: Option<Vec<String>>,
        /// New fee per verdict or ruling.
        fee: Option<Uint128>,
    },
    /// Evaluator with no open task: starts unbonding (`withdraw_evaluator_bond` pays
    /// `unbonding_period` seconds later).
    UnbondEvaluator {},
    /// Evaluator: pays out the whole evaluator bond once the unbonding period has passed.
    WithdrawEvaluatorBond {},
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

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}
