//! Timeouts: when a window runs out with nobody acting (the agent does not accept or deliver,
//! the arbiter does not rule), anyone refunds the task's unsettled amounts to the client.

use cosmwasm_std::{DepsMut, Env, Response, Storage, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{MilestoneStatus, RefundReason, TaskId, TaskStatus};
use openledger_common::Checked;

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
            if t < task.delivery_deadline {
                return Err(ContractError::DeadlineNotReached {
                    task_id,
                    deadline: task.delivery_deadline,
                });
            }
            Ok(RefundReason::DeliveryDeadlineMissed)
        }
        MilestoneStatus::Submitted => Err(ContractError::MilestoneUnderReview {
            task_id,
            milestone: index,
            review_deadline: ms.review_deadline.unwrap_or_default(),
        }),
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

/// Refunds every unsettled amount of a task whose time ran out, always to the client.
pub fn refund(deps: DepsMut, env: Env, task_id: TaskId) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut task = Task::load(deps.storage, task_id)?;
    let t = now(&env);
    let reason = refund_reason(deps.storage, t, task_id, &task)?;

    let mut totals = TOTALS.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    let amount = refund_remaining(deps.storage, t, task_id, &mut task, &mut totals)?;
    let released = task.close(&mut agent, TaskStatus::Refunded, Some(reason), t)?;
    if reason != RefundReason::ArbiterSilent {
        agent.stats.missed.increment()?;
    }
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&task.client, amount)?)
        .add_attribute("action", "refund")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("reason", reason.as_str())
        .add_attribute("client", task.client)
        .add_attribute("refunded", amount)
        .add_attribute("bond_released", released))
}
