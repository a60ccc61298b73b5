use cosmwasm_std::{OverflowError, StdError, Uint128};
use cw_ownable::OwnershipError;
use cw_utils::PaymentError;
use openledger_common::msg::agent_escrow::{MilestoneStatus, TaskId, TaskStatus};
use openledger_common::msg::model_licensing::{ModelId, ModelStatus};
use openledger_common::{AddressError, HookError, MigrateError, PaginationError};
use thiserror::Error;

/// The wire name of a task status, for error messages.
pub fn task_status_name(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => "open",
        TaskStatus::InProgress => "in_progress",
        TaskStatus::Completed => "completed",
        TaskStatus::Declined => "declined",
        TaskStatus::Cancelled => "cancelled",
        TaskStatus::Refunded => "refunded",
    }
}

/// The wire name of a milestone status, for error messages.
pub fn milestone_status_name(status: &MilestoneStatus) -> &'static str {
    match status {
        MilestoneStatus::Pending => "pending",
        MilestoneStatus::Submitted => "submitted",
        MilestoneStatus::Disputed => "disputed",
        MilestoneStatus::Approved => "approved",
        MilestoneStatus::Finalized => "finalized",
        MilestoneStatus::Resolved => "resolved",
        MilestoneStatus::Refunded => "refunded",
    }
}

/// The wire name of a model status, for error messages.
pub fn model_status_name(status: &ModelStatus) -> &'static str {
    match status {
        ModelStatus::Active => "active",
        ModelStatus::Paused => "paused",
        ModelStatus::Retired => "retired",
    }
}

/// Errors of the agent escrow.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Ownership(#[from] OwnershipError),

    #[error("{0}")]
    Overflow(#[from] OverflowError),

    #[error("{0}")]
    Hook(#[from] HookError),

    #[error("{0}")]
    Pagination(#[from] PaginationError),

    #[error("{0}")]
    Migrate(#[from] MigrateError),

    #[error("invalid {field} address '{address}': {reason}")]
    InvalidAddress {
        field: String,
        address: String,
        reason: String,
    },

    // ----- replies ---------------------------------------------------------------------------
    #[error("unknown reply id {id}")]
    UnknownReplyId { id: u64 },

    #[error("reply {id} reports a success, but only failures are replied to")]
    UnexpectedReply { id: u64 },

    #[error("reply for task {task_id}, milestone {milestone}, item {item} does not match a model fee that was sent")]
    ReplyMismatch {
        task_id: TaskId,
        milestone: u32,
        item: u32,
    },

    // ----- addresses and roles ---------------------------------------------------------------
    #[error("{address} is the {contract} of the protocol and cannot be the {role}")]
    ReservedAddress {
        role: String,
        contract: String,
        address: String,
    },

    #[error("the arbiter cannot be the task's {role} ({address}): name an independent arbiter")]
    ArbiterIsParty { role: String, address: String },

    #[error("a client cannot give a task to itself")]
    ClientIsAgent,

    #[error("only the agent of task {task_id} may do this")]
    NotAgent { task_id: TaskId },

    #[error("only the client of task {task_id} may do this")]
    NotClient { task_id: TaskId },

    #[error("only the arbiter of task {task_id} may do this")]
    NotArbiter { task_id: TaskId },

    // ----- agents ----------------------------------------------------------------------------
    #[error("{address} is not a registered agent")]
    AgentNotFound { address: String },

    #[error("{address} is already a registered agent: use top_up_bond to add to the bond")]
    AgentAlreadyRegistered { address: String },

    #[error("agent {address} is unbonding or withdrawn: it takes no task and no top-up")]
    AgentNotActive { address: String },

    #[error("the bond is {bond}, at least {required} is required")]
    BondTooLow { bond: Uint128, required: Uint128 },

    #[error("the free bond is {free} (bond {bond}, of which {reserved} is reserved for accepted tasks), at least {required} is required to accept: top up the bond or finish a task first")]
    FreeBondTooLow {
        bond: Uint128,
        reserved: Uint128,
        free: Uint128,
        required: Uint128,
    },

    #[error("an agent declares at most {max} models, got {count}")]
    TooManyModels { count: u64, max: u64 },

    #[error("model {model_id} is listed twice")]
    DuplicateModel { model_id: ModelId },

    #[error("model {model_id} does not exist in model licensing")]
    UnknownModel { model_id: ModelId },

    #[error("the agent has {open_tasks} open tasks: finish them before unbonding")]
    AgentHasOpenTasks { open_tasks: u32 },

    #[error("the agent is not unbonding: call unbond first")]
    NotUnbonding,

    #[error("the bond is unbonding until {release_at} (seconds since the epoch, inclusive)")]
    BondLocked { release_at: u64 },

    // ----- task creation ---------------------------------------------------------------------
    #[error("{field} must be {min} to {max} bytes long")]
    InvalidText { field: String, min: u64, max: u64 },

    #[error("{field} `{value}` is not a SHA-256: expected exactly 64 hex characters")]
    InvalidHash { field: String, value: String },

    #[error("a task has 1 to {max} milestones, got {count}")]
    MilestoneCount { count: u64, max: u64 },

    #[error("milestone {index} has a zero amount")]
    ZeroMilestone { index: u32 },

    #[error("the milestones sum to {sum}, but the deposit is {deposit}: they must be equal")]
    MilestoneSumMismatch { deposit: Uint128, sum: Uint128 },

    #[error("{field} is {value} seconds, it must be {min} to {max}")]
    WindowOutOfRange {
        field: String,
        value: u64,
        min: u64,
        max: u64,
    },

    #[error("the delivery deadline {deadline} is not in the future (now is {now})")]
    DeadlineNotInFuture { deadline: u64, now: u64 },

    #[error("the delivery deadline {deadline} is too far: the latest allowed is {latest}")]
    DeadlineTooFar { deadline: u64, latest: u64 },

    #[error("the delivery deadline {deadline} must lie after the end of the accept window ({accept_deadline})")]
    DeadlineWithinAcceptWindow { deadline: u64, accept_deadline: u64 },

    #[error("the protocol fee is {bps} bps, at most {max} is allowed")]
    FeeTooHigh { bps: u16, max: u16 },

    #[error("{field} is {bps} bps, at most 10000 is allowed")]
    InvalidBps { field: String, bps: u16 },

    // ----- task life -------------------------------------------------------------------------
    #[error("task {task_id} does not exist")]
    TaskNotFound { task_id: TaskId },

    #[error("task {task_id} has no milestone {milestone}")]
    MilestoneNotFound { task_id: TaskId, milestone: u32 },

    #[error("task {task_id} is {}: it is finished", task_status_name(.status))]
    TaskFinished { task_id: TaskId, status: TaskStatus },

    #[error("task {task_id} was already accepted")]
    TaskAlreadyAccepted { task_id: TaskId },

    #[error("task {task_id} has not been accepted yet")]
    TaskNotAccepted { task_id: TaskId },

    #[error("the accept window of task {task_id} closed at {accept_deadline}")]
    AcceptWindowClosed {
        task_id: TaskId,
        accept_deadline: u64,
    },

    #[error(
        "the accept window of task {task_id} is open until {accept_deadline}: refund from then on"
    )]
    AcceptWindowOpen {
        task_id: TaskId,
        accept_deadline: u64,
    },

    #[error("milestone {milestone} of task {task_id} is not the current one ({current})")]
    NotCurrentMilestone {
        task_id: TaskId,
        milestone: u32,
        current: u32,
    },

    #[error("milestone {milestone} of task {task_id} is already {}: it is paid out once", milestone_status_name(.status))]
    MilestoneAlreadySettled {
        task_id: TaskId,
        milestone: u32,
        status: MilestoneStatus,
    },

    #[error("milestone {milestone} of task {task_id} is already {}", milestone_status_name(.status))]
    MilestoneAlreadySubmitted {
        task_id: TaskId,
        milestone: u32,
        status: MilestoneStatus,
    },

    #[error("milestone {milestone} of task {task_id} has not been submitted")]
    MilestoneNotSubmitted { task_id: TaskId, milestone: u32 },

    #[error("milestone {milestone} of task {task_id} is disputed: the arbiter rules on it")]
    MilestoneDisputed { task_id: TaskId, milestone: u32 },

    #[error("milestone {milestone} of task {task_id} is {}: the arbiter acts only on a disputed milestone", milestone_status_name(.status))]
    MilestoneNotDisputed {
        task_id: TaskId,
        milestone: u32,
        status: MilestoneStatus,
    },

    #[error("milestone {milestone} of task {task_id} is in review until {review_deadline}: nothing to refund")]
    MilestoneUnderReview {
        task_id: TaskId,
        milestone: u32,
        review_deadline: u64,
    },

    #[error("the delivery deadline of task {task_id} passed at {deadline}")]
    DeliveryDeadlinePassed { task_id: TaskId, deadline: u64 },

    #[error("the delivery deadline of task {task_id} is {deadline}: refund from then on")]
    DeadlineNotReached { task_id: TaskId, deadline: u64 },

    #[error(
        "the review window of milestone {milestone} of task {task_id} closed at {review_deadline}"
    )]
    ReviewWindowClosed {
        task_id: TaskId,
        milestone: u32,
        review_deadline: u64,
    },

    #[error("the review window of milestone {milestone} of task {task_id} is open until {review_deadline}: finalize from then on")]
    ReviewWindowOpen {
        task_id: TaskId,
        milestone: u32,
        review_deadline: u64,
    },

    #[error("the arbitration window of milestone {milestone} of task {task_id} closed at {arbitration_deadline}")]
    ArbitrationWindowClosed {
        task_id: TaskId,
        milestone: u32,
        arbitration_deadline: u64,
    },

    #[error("the arbiter of task {task_id} may rule on milestone {milestone} until {arbitration_deadline}: refund from then on")]
    ArbitrationWindowOpen {
        task_id: TaskId,
        milestone: u32,
        arbitration_deadline: u64,
    },

    // ----- submissions and settlement --------------------------------------------------------
    #[error("a submission carries at most {max} inferences, got {count}")]
    TooManyInferences { count: u64, max: u64 },

    #[error("inference id `{inference_id}` must be 1 to {max} bytes long")]
    InvalidInferenceId { inference_id: String, max: u64 },

    #[error("inference {inference_id} of model {model_id} is listed twice")]
    DuplicateInference {
        model_id: ModelId,
        inference_id: String,
    },

    #[error("model {model_id} is not one of the agent's declared models")]
    ModelNotDeclared { model_id: ModelId },

    #[error("model {model_id} is {}: it takes no payments", model_status_name(.status))]
    ModelNotActive {
        model_id: ModelId,
        status: ModelStatus,
    },

    #[error("model {model_id} quotes a zero fee")]
    ZeroModelFee { model_id: ModelId },

    #[error("task {task_id} may spend at most {budget} on model fees; {spent} are spent and this delivery would pay {requested}")]
    ModelFeeBudgetExceeded {
        task_id: TaskId,
        budget: Uint128,
        spent: Uint128,
        requested: Uint128,
    },

    #[error("task {task_id} needs {floor} of the agent's bond reserved; accepting now would reserve {reservable}: top up the bond or finish other tasks first")]
    ReservationBelowFloor {
        task_id: TaskId,
        floor: Uint128,
        reservable: Uint128,
    },

    #[error("a bond reservation floor of {floor} exceeds the deposit {deposit}")]
    ReservationFloorAboveDeposit { floor: Uint128, deposit: Uint128 },

    #[error("a model-fee budget of {budget} exceeds the deposit {deposit}")]
    ModelFeeBudgetAboveDeposit { budget: Uint128, deposit: Uint128 },

    #[error("the model fees ({model_fees}) exceed what the milestone leaves after the protocol fee ({available})")]
    ModelFeesExceedMilestone {
        model_fees: Uint128,
        available: Uint128,
    },

    #[error("an agent share of {agent_share} cannot pay the recorded model fees ({model_fees}) and its protocol fee ({protocol_fee}): rule 0 or a larger share")]
    AgentShareBelowCosts {
        agent_share: Uint128,
        model_fees: Uint128,
        protocol_fee: Uint128,
    },

    #[error("nothing to update: give at least one field")]
    NothingToUpdate,
}

impl From<AddressError> for ContractError {
    fn from(e: AddressError) -> Self {
        ContractError::InvalidAddress {
            field: e.field,
            address: e.address,
            reason: e.reason,
        }
    }
}
