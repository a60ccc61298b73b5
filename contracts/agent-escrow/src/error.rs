//! Errors of the agent escrow.

use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{MilestoneStatus, TaskId, TaskStatus};
use openledger_common::msg::model_licensing::{ModelId, ModelStatus};

openledger_common::contract_error! {
    /// Errors of the agent escrow: the suite's shared variants, then the escrow's own.
    pub enum ContractError {
        // ----- replies -----------------------------------------------------------------------
        /// A reply arrived with an id the escrow never used.
        #[error("unknown reply id {id}")]
        UnknownReplyId { id: u64 },

        /// A reply reports a success, though the escrow only asks to hear of failures.
        #[error("reply {id} reports a success, but only failures are replied to")]
        UnexpectedReply { id: u64 },

        /// A failed model-fee payment's reply names no model fee that was sent.
        #[error("reply for task {task_id}, milestone {milestone}, item {item} does not match a model fee that was sent")]
        ReplyMismatch {
            task_id: TaskId,
            milestone: u32,
            item: u32,
        },

        // ----- addresses and roles -----------------------------------------------------------
        /// The arbiter named for a task is its client or its agent.
        #[error("the arbiter cannot be the task's {role} ({address}): name an independent arbiter")]
        ArbiterIsParty { role: String, address: String },

        /// A task names its own client as the agent.
        #[error("a client cannot give a task to itself")]
        ClientIsAgent,

        /// The sender is not the task's agent.
        #[error("only the agent of task {task_id} may do this")]
        NotAgent { task_id: TaskId },

        /// The sender is not the task's client.
        #[error("only the client of task {task_id} may do this")]
        NotClient { task_id: TaskId },

        /// The sender is not the task's arbiter.
        #[error("only the arbiter of task {task_id} may do this")]
        NotArbiter { task_id: TaskId },

        // ----- agents ------------------------------------------------------------------------
        /// The address has not registered as an agent.
        #[error("{address} is not a registered agent")]
        AgentNotFound { address: String },

        /// The address registers as an agent a second time.
        #[error("{address} is already a registered agent: use top_up_bond to add to the bond")]
        AgentAlreadyRegistered { address: String },

        /// The agent is unbonding or withdrawn and is asked to take a task or a top-up.
        #[error("agent {address} is unbonding or withdrawn: it takes no task and no top-up")]
        AgentNotActive { address: String },

        /// An agent registers, or is given a task, with a bond below the minimum agent bond.
        #[error("the bond is {bond}, at least {required} is required")]
        BondTooLow { bond: Uint128, required: Uint128 },

        /// The agent's bond not reserved by accepted tasks is too small to accept another.
        #[error("the free bond is {free} (bond {bond}, of which {reserved} is reserved for accepted tasks), at least {required} is required to accept: top up the bond or finish a task first")]
        FreeBondTooLow {
            bond: Uint128,
            reserved: Uint128,
            free: Uint128,
            required: Uint128,
        },

        /// An agent declares more models than allowed.
        #[error("an agent declares at most {max} models, got {count}")]
        TooManyModels { count: u64, max: u64 },

        /// An agent declares the same model twice.
        #[error("model {model_id} is listed twice")]
        DuplicateModel { model_id: ModelId },

        /// An agent declares a model that model licensing does not know.
        #[error("model {model_id} does not exist in model licensing")]
        UnknownModel { model_id: ModelId },

        /// The agent unbonds while tasks of it are still open.
        #[error("the agent has {open_tasks} open tasks: finish them before unbonding")]
        AgentHasOpenTasks { open_tasks: u32 },

        /// The agent withdraws its bond without having unbonded.
        #[error("the agent is not unbonding: call unbond first")]
        NotUnbonding,

        /// The agent withdraws its bond before the unbonding period ends.
        #[error("the bond is unbonding until {release_at} (seconds since the epoch, inclusive)")]
        BondLocked { release_at: u64 },

        // ----- task creation -----------------------------------------------------------------
        /// A task has no milestone or more than allowed.
        #[error("a task has 1 to {max} milestones, got {count}")]
        MilestoneCount { count: u64, max: u64 },

        /// A milestone of a new task has a zero amount.
        #[error("milestone {index} has a zero amount")]
        ZeroMilestone { index: u32 },

        /// The milestones of a new task do not add up to its deposit.
        #[error("the milestones sum to {sum}, but the deposit is {deposit}: they must be equal")]
        MilestoneSumMismatch { deposit: Uint128, sum: Uint128 },

        /// A window or period (accept, review, arbitration, unbonding) is outside its bounds.
        #[error("{field} is {value} seconds, it must be {min} to {max}")]
        WindowOutOfRange {
            field: String,
            value: u64,
            min: u64,
            max: u64,
        },

        /// A task's delivery deadline is not in the future.
        #[error("the delivery deadline {deadline} is not in the future (now is {now})")]
        DeadlineNotInFuture { deadline: u64, now: u64 },

        /// A task's delivery deadline lies beyond the latest allowed.
        #[error("the delivery deadline {deadline} is too far: the latest allowed is {latest}")]
        DeadlineTooFar { deadline: u64, latest: u64 },

        /// A task's delivery deadline falls inside its accept window.
        #[error("the delivery deadline {deadline} must lie after the end of the accept window ({accept_deadline})")]
        DeadlineWithinAcceptWindow { deadline: u64, accept_deadline: u64 },

        /// The protocol fee is above its cap.
        #[error("the protocol fee is {bps} bps, at most {max} is allowed")]
        FeeTooHigh { bps: u16, max: u16 },

        // ----- task life ---------------------------------------------------------------------
        /// No task has this id.
        #[error("task {task_id} does not exist")]
        TaskNotFound { task_id: TaskId },

        /// The task has no milestone of this index.
        #[error("task {task_id} has no milestone {milestone}")]
        MilestoneNotFound { task_id: TaskId, milestone: u32 },

        /// The task is completed, refunded or cancelled.
        #[error("task {task_id} is {status}: it is finished")]
        TaskFinished { task_id: TaskId, status: TaskStatus },

        /// The agent accepts a task a second time.
        #[error("task {task_id} was already accepted")]
        TaskAlreadyAccepted { task_id: TaskId },

        /// The task is acted on as accepted before the agent accepted it.
        #[error("task {task_id} has not been accepted yet")]
        TaskNotAccepted { task_id: TaskId },

        /// The agent accepts after the accept window closed.
        #[error("the accept window of task {task_id} closed at {accept_deadline}")]
        AcceptWindowClosed {
            task_id: TaskId,
            accept_deadline: u64,
        },

        /// The client asks for a refund of an unaccepted task while the agent may still accept.
        #[error(
            "the accept window of task {task_id} is open until {accept_deadline}: refund from then on"
        )]
        AcceptWindowOpen {
            task_id: TaskId,
            accept_deadline: u64,
        },

        /// The milestone acted on is not the task's current one.
        #[error("milestone {milestone} of task {task_id} is not the current one ({current})")]
        NotCurrentMilestone {
            task_id: TaskId,
            milestone: u32,
            current: u32,
        },

        /// The milestone was already paid out.
        #[error("milestone {milestone} of task {task_id} is already {status}: it is paid out once")]
        MilestoneAlreadySettled {
            task_id: TaskId,
            milestone: u32,
            status: MilestoneStatus,
        },

        /// The milestone was already submitted.
        #[error("milestone {milestone} of task {task_id} is already {status}")]
        MilestoneAlreadySubmitted {
            task_id: TaskId,
            milestone: u32,
            status: MilestoneStatus,
        },

        /// The milestone is reviewed before the agent submitted it.
        #[error("milestone {milestone} of task {task_id} has not been submitted")]
        MilestoneNotSubmitted { task_id: TaskId, milestone: u32 },

        /// The milestone is disputed: only the arbiter's ruling settles it.
        #[error("milestone {milestone} of task {task_id} is disputed: the arbiter rules on it")]
        MilestoneDisputed { task_id: TaskId, milestone: u32 },

        /// The arbiter rules on a milestone that is not disputed.
        #[error("milestone {milestone} of task {task_id} is {status}: the arbiter acts only on a disputed milestone")]
        MilestoneNotDisputed {
            task_id: TaskId,
            milestone: u32,
            status: MilestoneStatus,
        },

        /// A refund is asked while the current milestone is in review.
        #[error("milestone {milestone} of task {task_id} is in review until {review_deadline}: nothing to refund")]
        MilestoneUnderReview {
            task_id: TaskId,
            milestone: u32,
            review_deadline: u64,
        },

        /// The agent submits after the delivery deadline.
        #[error("the delivery deadline of task {task_id} passed at {deadline}")]
        DeliveryDeadlinePassed { task_id: TaskId, deadline: u64 },

        /// The client asks for a refund before the delivery deadline.
        #[error("the delivery deadline of task {task_id} is {deadline}: refund from then on")]
        DeadlineNotReached { task_id: TaskId, deadline: u64 },

        /// The client reviews after the review window closed.
        #[error(
            "the review window of milestone {milestone} of task {task_id} closed at {review_deadline}"
        )]
        ReviewWindowClosed {
            task_id: TaskId,
            milestone: u32,
            review_deadline: u64,
        },

        /// A milestone is finalized while the client may still review it.
        #[error("the review window of milestone {milestone} of task {task_id} is open until {review_deadline}: finalize from then on")]
        ReviewWindowOpen {
            task_id: TaskId,
            milestone: u32,
            review_deadline: u64,
        },

        /// The arbiter rules after the arbitration window closed.
        #[error("the arbitration window of milestone {milestone} of task {task_id} closed at {arbitration_deadline}")]
        ArbitrationWindowClosed {
            task_id: TaskId,
            milestone: u32,
            arbitration_deadline: u64,
        },

        /// A refund is asked while the arbiter may still rule on the disputed milestone.
        #[error("the arbiter of task {task_id} may rule on milestone {milestone} until {arbitration_deadline}: refund from then on")]
        ArbitrationWindowOpen {
            task_id: TaskId,
            milestone: u32,
            arbitration_deadline: u64,
        },

        // ----- submissions and settlement ----------------------------------------------------
        /// A submission carries more inferences than allowed.
        #[error("a submission carries at most {max} inferences, got {count}")]
        TooManyInferences { count: u64, max: u64 },

        /// An inference id is empty or too long.
        #[error("inference id `{inference_id}` must be 1 to {max} bytes long")]
        InvalidInferenceId { inference_id: String, max: u64 },

        /// A submission lists the same inference twice.
        #[error("inference {inference_id} of model {model_id} is listed twice")]
        DuplicateInference {
            model_id: ModelId,
            inference_id: String,
        },

        /// A submission names a model the agent did not declare.
        #[error("model {model_id} is not one of the agent's declared models")]
        ModelNotDeclared { model_id: ModelId },

        /// A submission names a model that takes no payments.
        #[error("model {model_id} is {status}: it takes no payments")]
        ModelNotActive {
            model_id: ModelId,
            status: ModelStatus,
        },

        /// A submission names a model whose fee is zero.
        #[error("model {model_id} quotes a zero fee")]
        ZeroModelFee { model_id: ModelId },

        /// A submission's model fees would exceed the task's model-fee budget.
        #[error("task {task_id} may spend at most {budget} on model fees; {spent} are spent and this delivery would pay {requested}")]
        ModelFeeBudgetExceeded {
            task_id: TaskId,
            budget: Uint128,
            spent: Uint128,
            requested: Uint128,
        },

        /// The agent's free bond cannot cover the task's reservation floor.
        #[error("task {task_id} needs {floor} of the agent's bond reserved; accepting now would reserve {reservable}: top up the bond or finish other tasks first")]
        ReservationBelowFloor {
            task_id: TaskId,
            floor: Uint128,
            reservable: Uint128,
        },

        /// A new task's bond reservation floor exceeds its deposit.
        #[error("a bond reservation floor of {floor} exceeds the deposit {deposit}")]
        ReservationFloorAboveDeposit { floor: Uint128, deposit: Uint128 },

        /// A new task's model-fee budget exceeds its deposit.
        #[error("a model-fee budget of {budget} exceeds the deposit {deposit}")]
        ModelFeeBudgetAboveDeposit { budget: Uint128, deposit: Uint128 },

        /// A submission's model fees exceed what its milestone leaves after the protocol fee.
        #[error("the model fees ({model_fees}) exceed what the milestone leaves after the protocol fee ({available})")]
        ModelFeesExceedMilestone {
            model_fees: Uint128,
            available: Uint128,
        },

        /// An arbiter's ruling leaves the agent too little to pay the model fees and the fee.
        #[error("an agent share of {agent_share} cannot pay the recorded model fees ({model_fees}) and its protocol fee ({protocol_fee}): rule 0 or a larger share")]
        AgentShareBelowCosts {
            agent_share: Uint128,
            model_fees: Uint128,
            protocol_fee: Uint128,
        },

        /// An update that changes nothing.
        #[error("nothing to update: give at least one field")]
        NothingToUpdate,

        // ----- evaluators --------------------------------------------------------------------
        /// The address has not registered as an evaluator.
        #[error("{address} is not a registered evaluator")]
        EvaluatorNotFound { address: String },

        /// The address registers as an evaluator a second time.
        #[error("{address} is already a registered evaluator: use top_up_evaluator_bond to add to the bond")]
        EvaluatorAlreadyRegistered { address: String },

        /// The evaluator is unbonding or withdrawn.
        #[error("evaluator {address} is unbonding or withdrawn: it takes no task and no top-up")]
        EvaluatorNotActive { address: String },

        /// The evaluator still oversees tasks.
        #[error("the evaluator oversees {open_tasks} open tasks: wait until they end before unbonding")]
        EvaluatorHasOpenTasks { open_tasks: u32 },

        /// The evaluator named for a task is one of its parties or its arbiter.
        #[error("the evaluator cannot be the task's {role} ({address}): name an independent evaluator")]
        EvaluatorIsParty { role: String, address: String },

        /// A task names an arbiter that is not a registered, active evaluator (only the
        /// configured default arbiter may be unregistered).
        #[error("arbiter {address} is not a registered, active evaluator: a named arbiter must be bonded")]
        ArbiterNotBonded { address: String },

        /// The sender is not the task's evaluator.
        #[error("only the evaluator of task {task_id} may do this")]
        NotEvaluator { task_id: TaskId },

        /// An evaluation window without an evaluator, or an evaluator without a window.
        #[error("evaluator and evaluation_window go together: give both or neither")]
        EvaluationTermsIncomplete,

        /// The task has no evaluator.
        #[error("task {task_id} has no evaluator")]
        NoEvaluator { task_id: TaskId },

        /// `resign_oversight` from an address that is neither the task's evaluator nor its
        /// bonded arbiter (or that resigned already).
        #[error("only the evaluator or the bonded arbiter of task {task_id} on duty may resign from it")]
        NotOverseer { task_id: TaskId },

        /// `resign_oversight` while a delivery waits for a verdict or a dispute for a ruling.
        #[error("task {task_id}'s milestone {milestone} is {status}: an overseer resigns only while the current milestone is pending")]
        OverseerBusy {
            task_id: TaskId,
            milestone: u32,
            status: MilestoneStatus,
        },

        /// The task's evaluator reviews its deliveries: the client neither disputes nor waits
        /// for a review window.
        #[error("milestone {milestone} of task {task_id} is with the task's evaluator until {evaluation_deadline}")]
        InEvaluation {
            task_id: TaskId,
            milestone: u32,
            evaluation_deadline: u64,
        },

        /// A verdict after the evaluation deadline.
        #[error("the evaluation window of milestone {milestone} of task {task_id} closed at {evaluation_deadline}: escalate it to the arbiter")]
        EvaluationWindowClosed {
            task_id: TaskId,
            milestone: u32,
            evaluation_deadline: u64,
        },

        /// An escalation before the evaluation deadline.
        #[error("the evaluator of task {task_id} may judge milestone {milestone} until {evaluation_deadline}: escalate from then on")]
        EvaluationWindowOpen {
            task_id: TaskId,
            milestone: u32,
            evaluation_deadline: u64,
        },

        /// A verdict about another result than the one delivered.
        #[error("the verdict is about result {given}, but the delivered result is {delivered}")]
        ResultHashMismatch { given: String, delivered: String },

        /// A milestone cannot pay its fixed fees.
        #[error("milestone {index} ({amount}) cannot pay its protocol, evaluation and arbitration fees ({fees})")]
        MilestoneBelowFees {
            index: u32,
            amount: Uint128,
            fees: Uint128,
        },

        // ----- delegation --------------------------------------------------------------------
        /// A sub-task below the deepest allowed level.
        #[error("a workflow is at most {max} levels deep: task {task_id} is at depth {depth}")]
        DelegationTooDeep { task_id: TaskId, depth: u8, max: u8 },

        /// A milestone that already funded the most sub-tasks.
        #[error("milestone {milestone} of task {task_id} already funded {max} sub-tasks")]
        TooManySubtasks {
            task_id: TaskId,
            milestone: u32,
            max: u64,
        },

        /// A sub-task larger than what its parent milestone can still spend.
        #[error("milestone {milestone} of task {task_id} can still fund {available}, the sub-task needs {requested}")]
        DelegationOverBudget {
            task_id: TaskId,
            milestone: u32,
            requested: Uint128,
            available: Uint128,
        },

        /// A sub-task that would move more of the milestone out of its client's reach than the
        /// agent's bond reserved for the task covers.
        #[error("milestone {milestone} of task {task_id} has delegated {delegated}; another {requested} would exceed the {bond_reserved} of bond the agent reserved for the task, which covers what it delegates")]
        DelegationAboveBond {
            task_id: TaskId,
            milestone: u32,
            delegated: Uint128,
            requested: Uint128,
            bond_reserved: Uint128,
        },

        /// The evaluator's or named arbiter's current fee is above the client's cap.
        #[error("the {role}'s fee is {fee}, above the {max} the task accepts")]
        OverseerFeeAboveCap {
            role: String,
            fee: Uint128,
            max: Uint128,
        },

        /// A sub-task for the evaluator or the arbiter of the task it is funded from.
        #[error("the sub-task's agent {address} is the parent task's {role}: an overseer cannot be paid out of the milestone it judges")]
        SubagentOverseesParent { role: String, address: String },

        /// A sub-task reviewed (or evaluated) longer than its parent's longest review window.
        #[error("a sub-task's {window} of {seconds} s is longer than its parent's longest review window ({parent_window} s)")]
        SubtaskWindowTooLong {
            window: String,
            seconds: u64,
            parent_window: u64,
        },

        /// A sub-task due after its parent.
        #[error("a sub-task's delivery deadline {deadline} lies after its parent's ({parent_deadline})")]
        SubtaskOutlivesParent { deadline: u64, parent_deadline: u64 },

        /// A milestone delivered or refunded while sub-tasks it funds are open.
        #[error("milestone {milestone} of task {task_id} has {open} open sub-tasks: they end first")]
        SubtasksOpen {
            task_id: TaskId,
            milestone: u32,
            open: u32,
        },

        // ----- tags and feedback -------------------------------------------------------------
        /// A capability or feedback tag that is not 1..=32 lower-case letters, digits or `-`.
        #[error("tag `{tag}` must be 1 to {max} lower-case letters, digits or '-'")]
        InvalidTag { tag: String, max: u64 },

        /// Too many capability tags.
        #[error("at most {max} capability tags, got {count}")]
        TooManyCapabilities { count: u64, max: u64 },

        /// A capability tag listed twice.
        #[error("capability `{tag}` is listed twice")]
        DuplicateCapability { tag: String },

        /// A rating above 100.
        #[error("a rating is 0 to {max}, got {rating}")]
        InvalidRating { rating: u8, max: u8 },

        /// Feedback on a task that has not ended.
        #[error("task {task_id} is {status}: rate it once it has ended")]
        TaskNotEnded { task_id: TaskId, status: TaskStatus },

        /// Feedback on a party the task paid nothing.
        #[error("task {task_id} paid its {subject} nothing: there is nothing to rate")]
        NothingToRate { task_id: TaskId, subject: String },

        /// A second rating of the same party on the same task.
        #[error("the {subject} of task {task_id} was already rated")]
        AlreadyRated { task_id: TaskId, subject: String },
    }
}
