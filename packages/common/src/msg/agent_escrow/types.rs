//! Task ids, limits, and the states of tasks, milestones, model fees and agents.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::Uint128;

use crate::bps::Bps;
use crate::msg::model_licensing::InferencePayment;

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

crate::wire_names!(TaskStatus { Open => "open", InProgress => "in_progress", Completed => "completed", Declined => "declined", Cancelled => "cancelled", Refunded => "refunded" });

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

crate::wire_names!(RefundReason { AcceptWindowExpired => "accept_window_expired", DeliveryDeadlineMissed => "delivery_deadline_missed", ArbiterSilent => "arbiter_silent" });

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

crate::wire_names!(MilestoneStatus { Pending => "pending", Submitted => "submitted", Disputed => "disputed", Approved => "approved", Finalized => "finalized", Resolved => "resolved", Refunded => "refunded" });

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

crate::wire_names!(ModelFeeStatus { Recorded => "recorded", Paid => "paid", Refunded => "refunded", Waived => "waived" });

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
