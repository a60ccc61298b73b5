//! Storage of the escrow.
//!
//! A task is kept in two parts: its summary (`TASKS`, indexed by client, agent and status) and
//! its milestones (`MILESTONES`, one entry each), so that a review or a settlement rewrites one
//! milestone, not the whole task, and the indexes stay small. Each stored type has its loader
//! beside it (`Agent::load`, `Task::load`, `Milestone::load`), which names what is missing.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, OverflowError, Storage, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use openledger_common::bps::Bps;
use openledger_common::msg::agent_escrow::{
    AgentStats, AgentStatus, MilestoneStatus, ModelFeeStatus, ParentRef, RecordedInference,
    RefundReason, TaskId, TaskStatus, Verdict,
};
use openledger_common::msg::model_licensing::ModelId;
use openledger_common::Checked;

use crate::error::ContractError;
pub use crate::state_overseers::{
    subject_key, Evaluation, Evaluator, Feedback, Oversight, EVALUATORS, FEEDBACK,
};

/// Reply id of a model-fee `send`; its payload is a [`ModelFeePayload`].
pub const REPLY_MODEL_FEE: u64 = 1;

/// The context a model-fee submessage carries to `reply`: which recorded fee it paid.
#[cw_serde]
pub struct ModelFeePayload {
    /// The task.
    pub task_id: TaskId,
    /// The milestone's index.
    pub milestone: u32,
    /// The index of the inference in the milestone's list.
    pub item: u32,
    /// The amount sent.
    pub amount: Uint128,
}

/// The escrow's configuration (the task counter lives in `TASK_COUNT`).
#[cw_serde]
pub struct Config {
    /// The fee token.
    pub token: Addr,
    /// Model licensing (quotes and is paid for model fees of new submissions).
    pub model_licensing: Addr,
    /// The reward pool (receives protocol fees).
    pub reward_pool: Addr,
    /// Smallest bond to register and to be given a task.
    pub min_agent_bond: Uint128,
    /// Protocol fee of new tasks.
    pub protocol_fee_bps: Bps,
    /// Arbiter of tasks that name none.
    pub default_arbiter: Addr,
    /// Arbitration window of new tasks, in seconds.
    pub arbitration_window: u64,
    /// Unbonding period, in seconds.
    pub unbonding_period: u64,
    /// Slash share of new tasks.
    pub slash_bps: Bps,
}

/// The configuration. (Until 0.3.0 it also held the task counter; `migrate` moves it out.)
pub const CONFIG: Item<Config> = Item::new("config");

/// Tasks created so far: the last task id.
pub const TASK_COUNT: Item<u64> = Item::new("task_count");

/// Counts a new task and returns its id (from 1).
pub fn next_task_id(storage: &mut dyn Storage) -> Result<TaskId, ContractError> {
    let id = TASK_COUNT.load(storage)?.add_checked(1)?;
    TASK_COUNT.save(storage, &id)?;
    Ok(id)
}

/// A registered agent.
#[cw_serde]
pub struct Agent {
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Declared models.
    pub models: Vec<ModelId>,
    /// Declared capability tags (none in state stored before they existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
    /// Current bond.
    pub bond: Uint128,
    /// Part of the bond reserved for accepted tasks not yet ended: the sum of their
    /// `bond_reserved` (0 in 0.2.0 state, whose tasks reserved nothing).
    #[serde(default)]
    pub reserved: Uint128,
    /// Bond state.
    pub status: AgentStatus,
    /// Tasks not yet in a final state.
    pub open_tasks: u32,
    /// Record of work.
    pub stats: AgentStats,
    /// First registration, seconds since the epoch.
    pub registered_at: u64,
}

/// Agents by address.
pub const AGENTS: Map<&Addr, Agent> = Map::new("agents");

/// Capability index of agents: (tag, agent) → ().
pub const AGENT_CAPABILITIES: Map<(&str, &Addr), ()> = Map::new("agent_caps");

/// Capability index of evaluators: (tag, evaluator) → ().
pub const EVALUATOR_CAPABILITIES: Map<(&str, &Addr), ()> = Map::new("evaluator_caps");

/// Sub-tasks of each workflow: (root task, sub-task) → (). The root itself is not listed.
pub const WORKFLOWS: Map<(TaskId, TaskId), ()> = Map::new("workflows");

/// A task's summary (its milestones live in `MILESTONES`).
#[cw_serde]
pub struct Task {
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
    /// What is still held for this task.
    pub escrowed: Uint128,
    /// Status.
    pub status: TaskStatus,
    /// Why it was refunded.
    pub refund_reason: Option<RefundReason>,
    /// Number of milestones.
    pub milestone_count: u32,
    /// The milestone being worked on or reviewed.
    pub current_milestone: u32,
    /// Protocol fee, fixed at creation.
    pub protocol_fee_bps: Bps,
    /// Arbitration window, fixed at creation.
    pub arbitration_window: u64,
    /// Slash share, fixed at creation.
    pub slash_bps: Bps,
    /// What 0.3.0 added to a task (bond terms, its place in a workflow, its overseers), decoded
    /// apart so that the task's decoder stays within the chain's limit of 100 locals per wasm
    /// function; a task stored by 0.2.0 reads it as the defaults.
    #[serde(default, deserialize_with = "decode_apart")]
    pub ext: Box<TaskExt>,
    /// Review window.
    pub review_window: u64,
    /// Creation time.
    pub created_at: u64,
    /// End of the accept window (exclusive).
    pub accept_deadline: u64,
    /// Delivery deadline (exclusive).
    pub delivery_deadline: u64,
    /// Acceptance time.
    pub accepted_at: Option<u64>,
    /// When it reached its final state.
    pub closed_at: Option<u64>,
    /// Paid to the agent.
    pub paid_to_agent: Uint128,
    /// Model fees paid.
    pub model_fees_paid: Uint128,
    /// Model fees refused and returned to the client.
    pub model_fees_refunded: Uint128,
    /// Protocol fees paid.
    pub protocol_fees: Uint128,
    /// Returned to the client (refunds, the client's part of rulings).
    pub refunded: Uint128,
    /// Slashed from the agent's bond to the client.
    pub slashed: Uint128,
}

/// The part of a task that 0.3.0 added (see `Task::ext`). Every field defaults to the value a
/// task stored by 0.2.0 has.
#[cw_serde]
#[derive(Default)]
pub struct TaskExt {
    /// Free bond required to accept, fixed at creation (`None`: created under 0.2.0, the
    /// configured minimum applies).
    #[serde(default)]
    pub min_agent_bond: Option<Uint128>,
    /// The agent's bond still reserved for this task: set at acceptance, taken by a ruling of
    /// 0, released (0) when the task ends. `None` before acceptance and for a task accepted
    /// under 0.2.0 (then a ruling of 0 slashes `bond × slash_bps`, at most the free bond).
    #[serde(default)]
    pub bond_reserved: Option<Uint128>,
    /// The most the work may spend on model fees over the whole task, fixed by the client at
    /// creation (`None`: a task created under 0.2.0, no bound).
    #[serde(default)]
    pub max_model_fees: Option<Uint128>,
    /// The least bond the agent must reserve when it accepts, set by the client (`None`: no
    /// floor).
    #[serde(default)]
    pub min_bond_reserved: Option<Uint128>,
    /// The parent milestone funding this sub-task (`None`: a root task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentRef>,
    /// The root of its workflow (`None`: this task is a root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<TaskId>,
    /// Depth in its workflow (0: a root task).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub depth: u8,
    /// The evaluator and its terms, if the task names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// The arbiter's fee per ruling and bond reserved for the task, when the arbiter is a
    /// registered evaluator (`None`: an unregistered default arbiter, unpaid and unbonded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbitration: Option<Oversight>,
}

impl Task {
    /// The root of the task's workflow.
    pub fn root_id(&self, own_id: TaskId) -> TaskId {
        self.ext.root.unwrap_or(own_id)
    }

    /// The evaluator that judges the task's deliveries, unless it resigned.
    pub fn evaluator_on_duty(&self) -> Option<&Evaluation> {
        self.ext.evaluation.as_ref().filter(|e| !e.terms.resigned)
    }

    /// The evaluator on duty, to book its verdict, fee or slash.
    pub fn evaluator_on_duty_mut(&mut self) -> Option<&mut Evaluation> {
        self.ext.evaluation.as_mut().filter(|e| !e.terms.resigned)
    }

    /// The bonded arbiter's terms, unless it resigned (then the default arbiter rules, unpaid).
    pub fn arbitration_on_duty_mut(&mut self) -> Option<&mut Oversight> {
        self.ext.arbitration.as_mut().filter(|a| !a.resigned)
    }

    /// The evaluator's fee per verdict (0 without one on duty).
    pub fn evaluation_fee(&self) -> Uint128 {
        self.evaluator_on_duty()
            .map_or(Uint128::zero(), |e| e.terms.fee)
    }

    /// The arbiter's fee per ruling (0 for an unregistered default arbiter or one that
    /// resigned).
    pub fn arbitration_fee(&self) -> Uint128 {
        self.ext
            .arbitration
            .as_ref()
            .filter(|a| !a.resigned)
            .map_or(Uint128::zero(), |a| a.fee)
    }

    /// Loads task `task_id`.
    pub fn load(storage: &dyn Storage, task_id: TaskId) -> Result<Self, ContractError> {
        TASKS
            .may_load(storage, task_id)?
            .ok_or(ContractError::TaskNotFound { task_id })
    }

    /// Whether the task reached a final state.
    pub fn is_final(&self) -> bool {
        !matches!(self.status, TaskStatus::Open | TaskStatus::InProgress)
    }

    /// Puts the task into its final state, frees the agent's open-task slot and releases what
    /// remains of the bond reserved for the task. Every way a task ends goes through here.
    /// Returns the bond released.
    pub fn close(
        &mut self,
        agent: &mut Agent,
        status: TaskStatus,
        reason: Option<RefundReason>,
        now: u64,
    ) -> Result<Uint128, ContractError> {
        self.status = status;
        self.refund_reason = reason;
        self.closed_at = Some(now);
        agent.open_tasks = agent.open_tasks.sub_checked(1)?;
        let released = self.ext.bond_reserved.unwrap_or_default();
        if self.ext.bond_reserved.is_some() {
            self.ext.bond_reserved = Some(Uint128::zero());
        }
        agent.reserved = agent.reserved.checked_sub(released)?;
        Ok(released)
    }
}

impl Agent {
    /// Loads the agent registered at `address`.
    pub fn load(storage: &dyn Storage, address: &Addr) -> Result<Self, ContractError> {
        AGENTS
            .may_load(storage, address)?
            .ok_or_else(|| ContractError::AgentNotFound {
                address: address.to_string(),
            })
    }

    /// The bond not reserved for accepted tasks.
    pub fn free_bond(&self) -> Result<Uint128, OverflowError> {
        self.bond.checked_sub(self.reserved)
    }

    /// Refuses an agent that is unbonding or withdrawn (`address` is the agent's).
    pub fn ensure_active(&self, address: &Addr) -> Result<(), ContractError> {
        if self.status == AgentStatus::Active {
            Ok(())
        } else {
            Err(ContractError::AgentNotActive {
                address: address.to_string(),
            })
        }
    }

    /// Refuses an agent that still counts open tasks.
    pub fn ensure_no_open_tasks(&self) -> Result<(), ContractError> {
        if self.open_tasks > 0 {
            return Err(ContractError::AgentHasOpenTasks {
                open_tasks: self.open_tasks,
            });
        }
        Ok(())
    }
}

impl Milestone {
    /// A milestone of a new task, pending delivery.
    pub fn new(amount: Uint128, description: String) -> Self {
        Milestone {
            amount,
            description,
            status: MilestoneStatus::Pending,
            result_hash: None,
            result_uri: None,
            submitted_at: None,
            review_deadline: None,
            inferences: vec![],
            model_fees: Uint128::zero(),
            models_contract: None,
            dispute_reason: None,
            disputed_at: None,
            arbitration_deadline: None,
            agent_share_bps: None,
            closed_at: None,
            input_hash: None,
            evaluation_deadline: None,
            verdict: None,
            delegated: Uint128::zero(),
            subtasks: vec![],
            open_subtasks: 0,
            evaluation_paid: Uint128::zero(),
            arbitration_paid: Uint128::zero(),
        }
    }

    /// Loads milestone `index` of `task` (task `task_id`).
    pub fn load(
        storage: &dyn Storage,
        task_id: TaskId,
        task: &Task,
        index: u32,
    ) -> Result<Self, ContractError> {
        let missing = ContractError::MilestoneNotFound {
            task_id,
            milestone: index,
        };
        if index >= task.milestone_count {
            return Err(missing);
        }
        MILESTONES
            .may_load(storage, (task_id, index))?
            .ok_or(missing)
    }

    /// Whether its model fees wait for settlement: a milestone submitted under 0.2.0 whose
    /// fees were recorded, not paid. Fees of later submissions are paid at submission.
    pub fn fees_due_at_settlement(&self) -> bool {
        self.inferences
            .iter()
            .any(|i| i.status == ModelFeeStatus::Recorded)
    }

    /// What this unsettled milestone already spent out of its amount: the model fees paid at
    /// submission (not those of a 0.2.0 submission, paid at settlement), the net amount moved
    /// to its sub-tasks, and the evaluator's and arbiter's fees.
    pub fn spent(&self) -> Result<Uint128, OverflowError> {
        let fees = if self.fees_due_at_settlement() {
            Uint128::zero()
        } else {
            self.model_fees
        };
        fees.checked_add(self.delegated)?
            .checked_add(self.evaluation_paid)?
            .checked_add(self.arbitration_paid)
    }

    /// What the escrow still holds for this unsettled milestone: its amount less what it spent.
    pub fn held(&self) -> Result<Uint128, OverflowError> {
        self.amount.checked_sub(self.spent()?)
    }

    /// Marks the model fees a 0.2.0 submission recorded (and did not pay) as waived.
    pub fn waive_recorded_fees(&mut self) {
        for inference in self.inferences.iter_mut() {
            if inference.status == ModelFeeStatus::Recorded {
                inference.status = ModelFeeStatus::Waived;
            }
        }
    }
}

/// The storage key of a status in the status index.
pub fn status_key(status: TaskStatus) -> u8 {
    match status {
        TaskStatus::Open => 0,
        TaskStatus::InProgress => 1,
        TaskStatus::Completed => 2,
        TaskStatus::Declined => 3,
        TaskStatus::Cancelled => 4,
        TaskStatus::Refunded => 5,
    }
}

/// Secondary indexes of `TASKS`.
pub struct TaskIndexes<'a> {
    /// Tasks by client.
    pub client: MultiIndex<'a, Addr, Task, TaskId>,
    /// Tasks by agent.
    pub agent: MultiIndex<'a, Addr, Task, TaskId>,
    /// Tasks by status.
    pub status: MultiIndex<'a, u8, Task, TaskId>,
}

impl IndexList<Task> for TaskIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Task>> + '_> {
        let v: Vec<&dyn Index<Task>> = vec![&self.client, &self.agent, &self.status];
        Box::new(v.into_iter())
    }
}

/// Tasks by id (from 1), indexed by client, agent and status.
pub const TASKS: IndexedMap<TaskId, Task, TaskIndexes> = IndexedMap::new(
    "tasks",
    TaskIndexes {
        client: MultiIndex::new(|_pk, t: &Task| t.client.clone(), "tasks", "tasks__client"),
        agent: MultiIndex::new(|_pk, t: &Task| t.agent.clone(), "tasks", "tasks__agent"),
        status: MultiIndex::new(
            |_pk, t: &Task| status_key(t.status),
            "tasks",
            "tasks__status",
        ),
    },
);

/// One milestone of a task.
#[cw_serde]
pub struct Milestone {
    /// Its amount.
    pub amount: Uint128,
    /// What is to be delivered.
    pub description: String,
    /// Status.
    pub status: MilestoneStatus,
    /// SHA-256 of the result, lower-case hex.
    pub result_hash: Option<String>,
    /// Result URI.
    pub result_uri: Option<String>,
    /// Submission time.
    pub submitted_at: Option<u64>,
    /// End of the review window (exclusive).
    pub review_deadline: Option<u64>,
    /// Model fees quoted and paid at submission (recorded, paid at settlement, for a 0.2.0
    /// submission).
    #[serde(deserialize_with = "decode_apart")]
    pub inferences: Vec<RecordedInference>,
    /// Their sum.
    pub model_fees: Uint128,
    /// The model-licensing contract that quoted them and is paid.
    pub models_contract: Option<Addr>,
    /// The client's reason.
    pub dispute_reason: Option<String>,
    /// Dispute time.
    pub disputed_at: Option<u64>,
    /// End of the arbitration window (exclusive).
    pub arbitration_deadline: Option<u64>,
    /// The ruling.
    pub agent_share_bps: Option<Bps>,
    /// When it was settled or refunded.
    pub closed_at: Option<u64>,
    /// SHA-256 of the input the work consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_hash: Option<String>,
    /// End of the evaluation window (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_deadline: Option<u64>,
    /// The evaluator's verdict.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "decode_apart"
    )]
    pub verdict: Option<Box<Verdict>>,
    /// Net amount moved to sub-tasks (deposits less what came back).
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub delegated: Uint128,
    /// Sub-tasks funded by this milestone.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "decode_apart"
    )]
    pub subtasks: Vec<TaskId>,
    /// Sub-tasks not yet ended.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub open_subtasks: u32,
    /// Paid to the evaluator out of this milestone.
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub evaluation_paid: Uint128,
    /// Paid to the arbiter out of this milestone.
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub arbitration_paid: Uint128,
}

/// Whether a stored counter is 0 (then it is left out of the stored record).
/// Decodes a part of a stored record in a function of its own, never inlined into the record's
/// decoder: the fields of a large record, all decoded in one function, would take more than the
/// 100 locals per function that the chain's VM accepts.
#[inline(never)]
fn decode_apart<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: cosmwasm_schema::serde::Deserializer<'de>,
    T: cosmwasm_schema::serde::Deserialize<'de>,
{
    T::deserialize(deserializer)
}

fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Milestones: (task, index from 0) → milestone.
pub const MILESTONES: Map<(TaskId, u32), Milestone> = Map::new("milestones");

/// What the escrow owes, for the solvency check.
#[cw_serde]
#[derive(Default)]
pub struct Totals {
    /// Sum of `escrowed` over all tasks.
    pub escrowed: Uint128,
    /// Sum of the bonds of active and unbonding agents and evaluators.
    pub bonds: Uint128,
}

/// The escrow's liabilities.
pub const TOTALS: Item<Totals> = Item::new("totals");
