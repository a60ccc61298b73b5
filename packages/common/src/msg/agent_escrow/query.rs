//! What the agent escrow answers: its queries and their responses.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128};
use cw_ownable::cw_ownable_query;

use crate::bps::Bps;
use crate::msg::model_licensing::ModelId;

use super::types::{
    AgentStats, AgentStatus, EvaluatorStats, FeedbackSubject, MilestoneStatus, ParentRef, Ratings,
    RecordedInference, RefundReason, TaskId, TaskStatus, Verdict,
};

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
    /// One evaluator.
    #[returns(EvaluatorResponse)]
    Evaluator {
        /// The evaluator's address.
        address: String,
    },
    /// Evaluators by address.
    #[returns(EvaluatorsResponse)]
    Evaluators {
        /// Start after this address.
        start_after: Option<String>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// What an address earned as an agent and as an evaluator: its record of paid work, its
    /// ratings, and the bond it must hold free to accept a task.
    #[returns(ReputationResponse)]
    Reputation {
        /// The address.
        address: String,
    },
    /// Agents that declared a capability, by address, each with its reputation.
    #[returns(CapableAgentsResponse)]
    AgentsByCapability {
        /// The tag.
        capability: String,
        /// Start after this address.
        start_after: Option<String>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// Evaluators that declared a capability, by address, each with its reputation.
    #[returns(CapableEvaluatorsResponse)]
    EvaluatorsByCapability {
        /// The tag.
        capability: String,
        /// Start after this address.
        start_after: Option<String>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// The tree of a root task: the root and every sub-task below it, by id, each with its
    /// parent, its milestones and every payment made in it.
    #[returns(WorkflowResponse)]
    Workflow {
        /// The root task (a sub-task's id answers with its root's tree).
        task_id: TaskId,
        /// Start after this task id.
        start_after: Option<TaskId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// The ratings given on a task.
    #[returns(FeedbackResponse)]
    Feedback {
        /// The task.
        task_id: TaskId,
    },
}

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
    /// Declared capability tags.
    pub capabilities: Vec<String>,
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

#[cw_serde]
pub struct EvaluatorResponse {
    /// The evaluator.
    pub address: Addr,
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Declared capability tags.
    pub capabilities: Vec<String>,
    /// Fee per verdict or ruling for tasks created from now on.
    pub fee: Uint128,
    /// Current bond.
    pub bond: Uint128,
    /// Part of the bond reserved for tasks that name it and are not ended.
    pub reserved: Uint128,
    /// `bond − reserved`.
    pub free: Uint128,
    /// Bond state.
    pub status: AgentStatus,
    /// Tasks naming it (as evaluator or arbiter) not yet ended.
    pub open_tasks: u32,
    /// Record of work.
    pub stats: EvaluatorStats,
    /// When it first registered.
    pub registered_at: u64,
}

#[cw_serde]
pub struct EvaluatorsResponse {
    /// The page.
    pub evaluators: Vec<EvaluatorResponse>,
}

/// An agent's reputation: its record of paid work and what it changes.
#[cw_serde]
pub struct AgentReputation {
    /// Tasks completed.
    pub completed: u64,
    /// Completed tasks that paid it at least the escrow's minimum free bond: the record that
    /// lowers the bond it must hold.
    pub proven: u64,
    /// Milestones disputed by clients.
    pub disputed: u64,
    /// Rulings fully for the client.
    pub lost: u64,
    /// Delivery deadlines missed on tasks it accepted.
    pub missed: u64,
    /// Milestones its evaluators rejected.
    pub rejected: u64,
    /// Slashed from its bond.
    pub slashed: Uint128,
    /// Settled volume.
    pub volume: Uint128,
    /// Paid to it.
    pub earned: Uint128,
    /// Client ratings.
    pub ratings: Ratings,
    /// Volume-weighted average rating (0..=100), once rated.
    pub score: Option<u8>,
    /// The free bond it must hold to accept a task, in basis points of the task's minimum:
    /// 10 000 less 250 per proven task (at most 5 000 off), plus 2 500 per lost ruling, missed
    /// delivery deadline or rejection that stood (at most 20 000 more).
    pub bond_multiplier_bps: u32,
}

/// An evaluator's reputation.
#[cw_serde]
pub struct EvaluatorReputation {
    /// Its record.
    pub stats: EvaluatorStats,
    /// Volume-weighted average rating (0..=100), once rated.
    pub score: Option<u8>,
}

#[cw_serde]
pub struct ReputationResponse {
    /// The address.
    pub address: Addr,
    /// As an agent, if it ever registered as one.
    pub agent: Option<AgentReputation>,
    /// As an evaluator, if it ever registered as one.
    pub evaluator: Option<EvaluatorReputation>,
}

/// An agent found by capability.
#[cw_serde]
pub struct CapableAgent {
    /// The agent.
    pub address: Addr,
    /// Display name.
    pub name: String,
    /// Its capability tags.
    pub capabilities: Vec<String>,
    /// Its free bond.
    pub free: Uint128,
    /// Bond state (only active agents take tasks).
    pub status: AgentStatus,
    /// Its reputation.
    pub reputation: AgentReputation,
}

#[cw_serde]
pub struct CapableAgentsResponse {
    /// The page.
    pub agents: Vec<CapableAgent>,
}

/// An evaluator found by capability.
#[cw_serde]
pub struct CapableEvaluator {
    /// The evaluator.
    pub address: Addr,
    /// Display name.
    pub name: String,
    /// Its capability tags.
    pub capabilities: Vec<String>,
    /// Its fee.
    pub fee: Uint128,
    /// Its free bond.
    pub free: Uint128,
    /// Bond state.
    pub status: AgentStatus,
    /// Its reputation.
    pub reputation: EvaluatorReputation,
}

#[cw_serde]
pub struct CapableEvaluatorsResponse {
    /// The page.
    pub evaluators: Vec<CapableEvaluator>,
}

/// A task of a workflow with its milestones.
#[cw_serde]
pub struct WorkflowNode {
    /// The task (its `parent` links it into the tree).
    pub task: TaskInfo,
    /// Its milestones, in order.
    pub milestones: Vec<MilestoneInfo>,
}

#[cw_serde]
pub struct WorkflowResponse {
    /// The root task.
    pub root: TaskId,
    /// The page of its tree, by task id (the root first).
    pub tasks: Vec<WorkflowNode>,
}

/// One rating.
#[cw_serde]
pub struct FeedbackEntry {
    /// Whom it is about.
    pub subject: FeedbackSubject,
    /// Their address.
    pub address: Addr,
    /// 0..=100.
    pub rating: u8,
    /// The tag.
    pub tag: String,
    /// What the task paid the rated party: the rating's weight.
    pub weight: Uint128,
    /// When it was given.
    pub at: u64,
}

#[cw_serde]
pub struct FeedbackResponse {
    /// The task.
    pub task_id: TaskId,
    /// Its ratings (at most one per subject).
    pub entries: Vec<FeedbackEntry>,
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
    /// The parent milestone that funds this sub-task (absent on a root task).
    pub parent: Option<ParentRef>,
    /// The root task of its workflow (its own id for a root task).
    pub root: TaskId,
    /// Its depth: 0 for a root task.
    pub depth: u8,
    /// The evaluator, if the task names one.
    pub evaluator: Option<Addr>,
    /// Its window per delivery, in seconds.
    pub evaluation_window: Option<u64>,
    /// Its fee per verdict, fixed at creation.
    pub evaluation_fee: Uint128,
    /// The evaluator's bond reserved for this task (slashed if it lets a window pass).
    pub evaluator_reserved: Uint128,
    /// The arbiter's fee per ruling, fixed at creation (its fee as a registered evaluator, 0
    /// for an unregistered default arbiter).
    pub arbitration_fee: Uint128,
    /// Paid to the evaluator.
    pub evaluation_fees_paid: Uint128,
    /// Paid to the arbiter.
    pub arbitration_fees_paid: Uint128,
    /// The evaluator resigned (`resign_oversight`): the client reviews the deliveries.
    #[serde(default)]
    pub evaluator_resigned: bool,
    /// The named bonded arbiter resigned: `arbiter` is now the configured default arbiter,
    /// unpaid (`arbitration_fees_paid` keeps what the one that resigned was paid).
    #[serde(default)]
    pub arbiter_resigned: bool,
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
    /// SHA-256 of the input the work consumed, if the delivery named it.
    pub input_hash: Option<String>,
    /// End of the evaluation window (exclusive), on a task with an evaluator.
    pub evaluation_deadline: Option<u64>,
    /// The evaluator's verdict.
    pub verdict: Option<Verdict>,
    /// Net amount moved to sub-tasks (their deposits less what they returned).
    pub delegated: Uint128,
    /// The sub-tasks it funded, by id.
    pub subtasks: Vec<TaskId>,
    /// How many of them are not yet ended.
    pub open_subtasks: u32,
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
    /// Bonds of active and unbonding agents and evaluators.
    pub bonds: Uint128,
    /// `escrowed + bonds`. Nothing else is owed: every payment is pushed in the transaction
    /// that settles it.
    pub total_liabilities: Uint128,
    /// `balance >= total_liabilities`.
    pub solvent: bool,
}
