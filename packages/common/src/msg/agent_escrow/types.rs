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
/// Deepest delegation: a root task has depth 0, its sub-tasks 1, theirs 2, and so on.
pub const MAX_DELEGATION_DEPTH: u8 = 3;
/// The most sub-tasks one milestone may fund over its life.
pub const MAX_SUBTASKS_PER_MILESTONE: usize = 8;
/// The most capability tags an agent or an evaluator declares.
pub const MAX_CAPABILITIES: usize = 8;
/// Longest capability tag or feedback tag, in bytes (at least 1; lower-case ASCII letters,
/// digits and `-`).
pub const MAX_TAG_LEN: usize = 32;
/// Highest client rating.
pub const MAX_RATING: u8 = 100;
/// Cut of the bond an agent must hold free to accept a task, per proven task (a completed task
/// that paid the agent at least the escrow's minimum free bond), in basis points of the task's
/// minimum (a good record lowers it).
pub const BOND_DISCOUNT_PER_COMPLETED_BPS: Bps = 250;
/// Largest cut a good record earns: the required free bond never falls below half the minimum.
pub const MAX_BOND_DISCOUNT_BPS: Bps = 5_000;
/// Rise of the required free bond per lost ruling, missed deadline or upheld rejection, in
/// basis points of the task's minimum.
pub const BOND_SURCHARGE_PER_LOSS_BPS: Bps = 2_500;
/// Largest rise: the required free bond never exceeds three times the minimum.
pub const MAX_BOND_SURCHARGE_BPS: Bps = 20_000;

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
    /// The evaluator rejected a milestone and the agent did not appeal in time.
    Rejected,
}

crate::wire_names!(RefundReason { AcceptWindowExpired => "accept_window_expired", DeliveryDeadlineMissed => "delivery_deadline_missed", ArbiterSilent => "arbiter_silent", Rejected => "rejected" });

/// Where a milestone is in its life.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum MilestoneStatus {
    /// Not yet delivered.
    Pending,
    /// Delivered; in review.
    Submitted,
    /// Disputed by the client, appealed by the agent after a rejection, or escalated from a
    /// silent evaluator; waiting for the arbiter.
    Disputed,
    /// Rejected by the task's evaluator: the agent may appeal until the review deadline, then
    /// `finalize` returns what remains of the task to its client.
    Rejected,
    /// Approved by the client and settled.
    Approved,
    /// Settled by `finalize` after an undisputed review window.
    Finalized,
    /// Settled by the arbiter's ruling (`agent_share_bps`).
    Resolved,
    /// Returned to the client by `refund`, or with a declined, cancelled or expired task.
    Refunded,
}

crate::wire_names!(MilestoneStatus { Pending => "pending", Submitted => "submitted", Disputed => "disputed", Rejected => "rejected", Approved => "approved", Finalized => "finalized", Resolved => "resolved", Refunded => "refunded" });

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
    /// Accepted tasks whose delivery deadline the agent missed (a task it never accepted is not
    /// held against it: anyone can open a task for any agent and let it expire).
    pub missed: u64,
    /// Everything paid to the agent for its work.
    pub earned: Uint128,
    /// Everything slashed from its bond.
    pub slashed: Uint128,
    /// Milestones its evaluator rejected (whatever an appeal later decided).
    #[serde(default)]
    pub rejected: u64,
    /// Settled volume: the milestone amounts settled for the agent (approval, evaluation,
    /// finalization, or its share of a ruling), before fees.
    #[serde(default)]
    pub volume: Uint128,
    /// Client ratings of its ended tasks.
    #[serde(default)]
    pub ratings: Ratings,
    /// Proven tasks: completed tasks that paid the agent at least the escrow's minimum free
    /// bond (`min_agent_bond` of the configuration when the task completed). Only these lower
    /// the bond it must hold, so a record cannot be bought with tiny self-dealt tasks: each
    /// proven task costs its client the protocol fee on at least that amount.
    #[serde(default)]
    pub proven: u64,
}

impl AgentStats {
    /// Losses that raise the bond the agent must hold: rulings fully for the client, missed
    /// deadlines and rejections that stood.
    pub fn losses(&self) -> u64 {
        self.lost
            .saturating_add(self.missed)
            .saturating_add(self.rejected)
    }

    /// The free bond the agent must hold to accept a task, in basis points of the task's
    /// minimum: 10 000, less `BOND_DISCOUNT_PER_COMPLETED_BPS` per proven task (at most
    /// `MAX_BOND_DISCOUNT_BPS`), plus `BOND_SURCHARGE_PER_LOSS_BPS` per loss (at most
    /// `MAX_BOND_SURCHARGE_BPS`).
    pub fn bond_multiplier_bps(&self) -> u32 {
        let discount = self
            .proven
            .saturating_mul(BOND_DISCOUNT_PER_COMPLETED_BPS as u64)
            .min(MAX_BOND_DISCOUNT_BPS as u64) as u32;
        let surcharge = self
            .losses()
            .saturating_mul(BOND_SURCHARGE_PER_LOSS_BPS as u64)
            .min(MAX_BOND_SURCHARGE_BPS as u64) as u32;
        10_000 - discount + surcharge
    }

    /// The free bond required to accept a task whose minimum is `minimum` (rounded up).
    pub fn required_bond(
        &self,
        minimum: Uint128,
    ) -> Result<Uint128, cosmwasm_std::CheckedMultiplyFractionError> {
        let multiplier = Uint128::from(self.bond_multiplier_bps());
        minimum.checked_mul_ceil((multiplier, Uint128::new(10_000)))
    }
}

/// Client ratings, one per ended task that paid the rated party: their count, plain sum and
/// the sum weighted by what each task paid, so that a rating counts as much as the money that
/// stands behind it (many tiny tasks from one client weigh what one task of their total does).
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Default)]
pub struct Ratings {
    /// Ratings given.
    pub count: u64,
    /// Sum of the ratings (0..=100 each).
    pub sum: u64,
    /// Sum of rating × the task's payment to the rated party.
    pub weighted_sum: Uint128,
    /// Sum of those payments.
    pub weight: Uint128,
}

impl Ratings {
    /// The volume-weighted average rating (0..=100), `None` before any weighted rating.
    pub fn score(&self) -> Option<u8> {
        if self.weight.is_zero() {
            return None;
        }
        let avg = self.weighted_sum.checked_div(self.weight).ok()?;
        u8::try_from(avg.u128()).ok()
    }
}

/// An evaluator's record of work.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Default)]
pub struct EvaluatorStats {
    /// Verdicts given within their windows.
    pub evaluated: u64,
    /// Of which approvals.
    pub approved: u64,
    /// Of which rejections.
    pub rejected: u64,
    /// Rejections the arbiter overturned on appeal (a ruling above 0 for the agent).
    pub overturned: u64,
    /// Disputes it ruled as a named arbiter.
    pub arbitrated: u64,
    /// Evaluation windows it let pass: its reservation for the task was slashed.
    pub missed: u64,
    /// Fees paid to it for verdicts and rulings.
    pub earned: Uint128,
    /// Everything slashed from its bond.
    pub slashed: Uint128,
    /// Client ratings of its tasks.
    pub ratings: Ratings,
}

/// Whom a rating is about.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum FeedbackSubject {
    /// The task's agent.
    Agent,
    /// The task's evaluator.
    Evaluator,
}

crate::wire_names!(FeedbackSubject { Agent => "agent", Evaluator => "evaluator" });

/// An evaluator's verdict on a delivery.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// Whether the delivery was approved.
    pub approve: bool,
    /// SHA-256 of the evaluator's reasons, lower-case hex.
    pub reason_hash: String,
    /// When it was given.
    pub at: u64,
}

/// Where a sub-task's funds came from: a milestone of its parent task.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub struct ParentRef {
    /// The parent task.
    pub task_id: TaskId,
    /// The parent's milestone that funds the sub-task.
    pub milestone: u32,
}
