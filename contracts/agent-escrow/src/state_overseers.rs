//! Storage of the escrow's overseers: registered evaluators (who judge deliveries and may
//! arbitrate), their terms on each task they oversee, and the clients' ratings.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, OverflowError, Storage, Uint128};
use cw_storage_plus::Map;
use openledger_common::msg::agent_escrow::{AgentStatus, EvaluatorStats, FeedbackSubject, TaskId};

use crate::error::ContractError;

/// A registered evaluator: verifies deliveries of the tasks that name it, and may be named as
/// a task's arbiter. Bonded like an agent; part of its bond is reserved for each task that
/// names it, and slashed if it lets an evaluation window (or, as arbiter, an arbitration
/// window) pass.
#[cw_serde]
pub struct Evaluator {
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Declared capability tags.
    pub capabilities: Vec<String>,
    /// Fee per verdict or ruling, fixed on a task when it is created.
    pub fee: Uint128,
    /// Current bond.
    pub bond: Uint128,
    /// Part of the bond reserved for tasks naming it that have not ended.
    pub reserved: Uint128,
    /// Bond state.
    pub status: AgentStatus,
    /// Tasks naming it that have not ended.
    pub open_tasks: u32,
    /// Record of work.
    pub stats: EvaluatorStats,
    /// First registration, seconds since the epoch.
    pub registered_at: u64,
}

/// Evaluators by address.
pub const EVALUATORS: Map<&Addr, Evaluator> = Map::new("evaluators");

/// A rating a client gave on one of its tasks.
#[cw_serde]
pub struct Feedback {
    /// The rated address.
    pub address: Addr,
    /// 0..=100.
    pub rating: u8,
    /// The tag.
    pub tag: String,
    /// What the task paid the rated party.
    pub weight: Uint128,
    /// When it was given.
    pub at: u64,
}

/// Ratings: (task, subject key) → rating; one per task and subject.
pub const FEEDBACK: Map<(TaskId, u8), Feedback> = Map::new("feedback");

/// The storage key of a feedback subject.
pub fn subject_key(subject: FeedbackSubject) -> u8 {
    match subject {
        FeedbackSubject::Agent => 0,
        FeedbackSubject::Evaluator => 1,
    }
}

impl Evaluator {
    /// Loads the evaluator registered at `address`.
    pub fn load(storage: &dyn Storage, address: &Addr) -> Result<Self, ContractError> {
        EVALUATORS
            .may_load(storage, address)?
            .ok_or_else(|| ContractError::EvaluatorNotFound {
                address: address.to_string(),
            })
    }

    /// The bond not reserved for tasks.
    pub fn free_bond(&self) -> Result<Uint128, OverflowError> {
        self.bond.checked_sub(self.reserved)
    }
}

/// A bonded overseer's terms on one task (evaluator or arbiter): its fee, fixed at creation,
/// what it was paid, and its bond reserved for the task.
#[cw_serde]
pub struct Oversight {
    /// Fee per verdict or ruling.
    pub fee: Uint128,
    /// Paid so far.
    pub paid: Uint128,
    /// Bond still reserved for the task.
    pub reserved: Uint128,
    /// It stepped down (`resign_oversight`): it has no more duty on the task, is paid nothing
    /// more by it, and reserves nothing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub resigned: bool,
}

/// The evaluator of a task.
#[cw_serde]
pub struct Evaluation {
    /// The evaluator.
    pub evaluator: Addr,
    /// Seconds it has per delivery.
    pub window: u64,
    /// Its fee, payments and reservation.
    pub terms: Oversight,
}

fn is_false(value: &bool) -> bool {
    !*value
}
