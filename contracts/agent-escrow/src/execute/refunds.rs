//! Timeouts: when a window runs out with nobody acting (the agent does not accept or deliver,
//! the arbiter does not rule), anyone refunds the task's unsettled amounts to the client.

use cosmwasm_std::{DepsMut, Env, Response, Storage, Uint128};
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::agent_escrow::{MilestoneStatus, RefundReason, TaskId, TaskStatus};
use openledger_common::Checked;

use super::lifecycle::{close_task, return_funds, slash_overseer};
use super::now;
use crate::error::ContractError;
use crate::state::{Agent, Milestone, Task, Totals, AGENTS, CONFIG, MILESTONES, TASKS, TOTALS};

/// Closes every milestone from the current one on as refunded (model fees recorded by a 0.2.0
/// submission are waived; fees paid at submission stay paid) and books the task's whole
/// escrowed amount as returned to the client. Returns the amount to transfer. At most
/// `MAX_MILESTONES` milestones.
pub fn refund_remaining(
    storage: &mut dyn Storage,
    now: u64,
    task_id: TaskId,
    task: &mut Task,
    totals: &mut Totals,
) -> Result<Uint128, ContractError> {
    for index in task.current_milestone..task.milestone_count {
        let mut ms = Milestone::load(storage, task_id, task, index)?;
        if ms.status.is_closed() {
            continue;
        }
        ms.status = MilestoneStatus::Refunded;
        ms.closed_at = Some(now);
        ms.waive_recorded_fees();
        MILESTONES.save(storage, (task_id, index), &ms)?;
    }
    let amount = task.escrowed;
    task.escrowed = Uint128::zero();
    task.refunded = task.refunded.checked_add(amount)?;
    totals.escrowed = totals.escrowed.checked_sub(amount)?;
    Ok(amount)
}

/// Why the current milestone of a task in progress may be refunded at `t`, or the error that
/// says when it may.
fn in_progress_reason(
    storage: &dyn Storage,
    t: u64,
    task_id: TaskId,
    task: &Task,
) -> Result<RefundReason, ContractError> {
    let index = task.current_milestone;
    let ms = Milestone::load(storage, task_id, task, index)?;
    match ms.status {
        MilestoneStatus::Pending => {
            if ms.open_subtasks > 0 {
                return Err(ContractError::SubtasksOpen {
                    task_id,
                    milestone: index,
                    open: ms.open_subtasks,
                });
            }
            if t < task.delivery_deadline {
                return Err(ContractError::DeadlineNotReached {
                    task_id,
                    deadline: task.delivery_deadline,
                });
            }
            Ok(RefundReason::DeliveryDeadlineMissed)
        }
        MilestoneStatus::Submitted | MilestoneStatus::Rejected => {
            Err(ContractError::MilestoneUnderReview {
                task_id,
                milestone: index,
                review_deadline: ms
                    .review_deadline
                    .or(ms.evaluation_deadline)
                    .unwrap_or_default(),
            })
        }
        MilestoneStatus::Disputed => {
            let arbitration_deadline = ms.arbitration_deadline.unwrap_or_default();
            if t < arbitration_deadline {
                return Err(ContractError::ArbitrationWindowOpen {
                    task_id,
                    milestone: index,
                    arbitration_deadline,
                });
            }
            Ok(RefundReason::ArbiterSilent)
        }
        status => Err(ContractError::MilestoneAlreadySettled {
            task_id,
            milestone: index,
            status,
        }),
    }
}

/// Why a task may be refunded at `t`, or the error that says when it may.
fn refund_reason(
    storage: &dyn Storage,
    t: u64,
    task_id: TaskId,
    task: &Task,
) -> Result<RefundReason, ContractError> {
    match task.status {
        TaskStatus::Open => {
            if t < task.accept_deadline {
                return Err(ContractError::AcceptWindowOpen {
                    task_id,
                    accept_deadline: task.accept_deadline,
                });
            }
            Ok(RefundReason::AcceptWindowExpired)
        }
        TaskStatus::InProgress => in_progress_reason(storage, t, task_id, task),
        status => Err(ContractError::TaskFinished { task_id, status }),
    }
}

/// Refunds every unsettled amount of a task whose time ran out, always to the client (into
/// the parent milestone for a sub-task). A bonded arbiter that let its window pass loses what
/// it reserved for the task, to the reward pool's treasury.
pub fn refund(deps: DepsMut, env: Env, task_id: TaskId) -> Result<Response, ContractError> {
    let task = Task::load(deps.storage, task_id)?;
    let t = now(&env);
    let reason = refund_reason(deps.storage, t, task_id, &task)?;
    end_with_refund(deps, t, (task_id, task), reason, "refund")
}

/// Ends a task with a refund of everything it still holds (see `refund`; also the end of a
/// rejection that stood).
pub fn end_with_refund(
    deps: DepsMut,
    t: u64,
    (task_id, mut task): (TaskId, Task),
    reason: RefundReason,
    action: &str,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    // A task that ends against its agent gives its client what the current milestone's
    // sub-tasks spent, out of the agent's reserved bond (which covered the delegation).
    let compensation = match reason {
        RefundReason::DeliveryDeadlineMissed | RefundReason::Rejected => {
            let index = task.current_milestone;
            let delegated = Milestone::load(deps.storage, task_id, &task, index)?.delegated;
            compensate(&mut task, &mut agent, &mut totals, delegated)?
        }
        RefundReason::AcceptWindowExpired | RefundReason::ArbiterSilent => Uint128::zero(),
    };
    let amount = refund_remaining(deps.storage, t, task_id, &mut task, &mut totals)?;
    let mut slashed = Uint128::zero();
    if reason == RefundReason::ArbiterSilent {
        // (borrowing the field alone, as `Task::arbitration_on_duty_mut` would borrow the task)
        if let Some(arbitration) = task.ext.arbitration.as_mut().filter(|a| !a.resigned) {
            slashed = slash_overseer(
                deps.storage,
                &task.arbiter,
                &mut arbitration.reserved,
                &mut totals,
            )?;
        }
    }
    let released = close_task(
        deps.storage,
        &mut task,
        &mut agent,
        (TaskStatus::Refunded, Some(reason)),
        t,
    )?;
    // Only what the agent answered for counts against it: a task it never accepted (anyone can
    // open one for any agent) and an arbiter's silence do not.
    match reason {
        RefundReason::AcceptWindowExpired | RefundReason::ArbiterSilent => 0,
        RefundReason::Rejected => agent.stats.rejected.increment()?,
        RefundReason::DeliveryDeadlineMissed => agent.stats.missed.increment()?,
    };
    let payment = return_funds(deps.storage, &config.token, &task, &mut totals, amount)?;
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;
    let mut res = Response::new().add_messages(payment);
    if !compensation.is_zero() {
        res = res
            .add_message(TokenHandle(config.token.clone()).transfer(&task.client, compensation)?)
            .add_attribute("slashed", compensation);
    }
    if !slashed.is_zero() {
        let pool = RewardPoolHandle(config.reward_pool.clone());
        res = res
            .add_message(pool.to_treasury(&config.token, slashed)?)
            .add_attribute("arbiter_slashed", slashed);
    }
    Ok(res
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("reason", reason.as_str())
        .add_attribute("client", task.client)
        .add_attribute("refunded", amount)
        .add_attribute("bond_released", released))
}

/// Takes what the ending milestone's sub-tasks spent (`delegated`, at most the bond the agent
/// still reserves for the task) out of the agent's bond for the client. Returns the amount.
fn compensate(
    task: &mut Task,
    agent: &mut Agent,
    totals: &mut Totals,
    delegated: Uint128,
) -> Result<Uint128, ContractError> {
    let reserved = task.ext.bond_reserved.unwrap_or_default();
    let amount = delegated.min(reserved);
    if amount.is_zero() {
        return Ok(amount);
    }
    task.ext.bond_reserved = Some(reserved.checked_sub(amount)?);
    task.slashed = task.slashed.checked_add(amount)?;
    agent.reserved = agent.reserved.checked_sub(amount)?;
    agent.bond = agent.bond.checked_sub(amount)?;
    agent.stats.slashed = agent.stats.slashed.checked_add(amount)?;
    totals.bonds = totals.bonds.checked_sub(amount)?;
    Ok(amount)
}
