//! Review of a submitted milestone: the client approves or disputes it within the review
//! window, anyone finalizes it after an undisputed window, and the arbiter rules on a dispute
//! within the arbitration window. Approval, finalization and rulings settle the milestone
//! (`settlement`).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Storage, Uint128};
use openledger_common::bps::Bps;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{MilestoneStatus, RefundReason, TaskId, MAX_REASON_LEN};
use openledger_common::{validate_bps, validate_text, Checked};

use super::refunds::end_with_refund;
use super::settlement::{settle_milestone, Outcome};
use super::{live_milestone, now, task_of, Party};
use crate::error::ContractError;
use crate::state::{
    Agent, Evaluator, Milestone, Task, AGENTS, CONFIG, EVALUATORS, MILESTONES, TOTALS,
};

/// Refuses a milestone that is not submitted and undisputed (for dispute and finalize).
fn assert_submitted(task_id: TaskId, milestone: u32, ms: &Milestone) -> Result<(), ContractError> {
    match ms.status {
        MilestoneStatus::Submitted => Ok(()),
        MilestoneStatus::Disputed => Err(ContractError::MilestoneDisputed { task_id, milestone }),
        _ => Err(ContractError::MilestoneNotSubmitted { task_id, milestone }),
    }
}

/// The client approves the current milestone: the whole amount is settled for the agent.
pub fn approve_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
) -> Result<Response, ContractError> {
    let task = task_of(deps.storage, task_id, &info.sender, Party::Client)?;
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    match ms.status {
        // A client may also approve a milestone it disputed, or one its evaluator has not
        // judged yet or rejected: it concedes fully.
        MilestoneStatus::Submitted | MilestoneStatus::Disputed | MilestoneStatus::Rejected => {}
        _ => return Err(ContractError::MilestoneNotSubmitted { task_id, milestone }),
    }
    settle_milestone(
        deps,
        now(&env),
        (task_id, task),
        (milestone, ms),
        Outcome::Approved,
    )
}

/// Refuses a client's review of a milestone that is with the task's evaluator.
fn assert_not_in_evaluation(
    task_id: TaskId,
    milestone: u32,
    task: &Task,
    ms: &Milestone,
) -> Result<(), ContractError> {
    match (task.evaluator_on_duty(), ms.status) {
        (Some(_), MilestoneStatus::Submitted) => Err(ContractError::InEvaluation {
            task_id,
            milestone,
            evaluation_deadline: ms.evaluation_deadline.unwrap_or_default(),
        }),
        _ => Ok(()),
    }
}

/// The client disputes the current milestone within its review window, or the agent appeals
/// a rejection by the task's evaluator until the review deadline; the arbiter rules.
pub fn dispute_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    reason: String,
) -> Result<Response, ContractError> {
    let task = Task::load(deps.storage, task_id)?;
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    // The agent appeals a rejection; anything else is the client's to dispute.
    let appeal = info.sender == task.agent && ms.status == MilestoneStatus::Rejected;
    if !appeal {
        task_of(deps.storage, task_id, &info.sender, Party::Client)?;
        assert_not_in_evaluation(task_id, milestone, &task, &ms)?;
        assert_submitted(task_id, milestone, &ms)?;
    }
    let t = now(&env);
    let review_deadline = ms.review_deadline.unwrap_or_default();
    if t >= review_deadline {
        return Err(ContractError::ReviewWindowClosed {
            task_id,
            milestone,
            review_deadline,
        });
    }
    validate_text("reason", &reason, 1, MAX_REASON_LEN)?;
    let arbitration_deadline = t.add_checked(task.arbitration_window)?;
    ms.status = MilestoneStatus::Disputed;
    ms.dispute_reason = Some(reason);
    ms.disputed_at = Some(t);
    ms.arbitration_deadline = Some(arbitration_deadline);
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    if !appeal {
        let mut agent = Agent::load(deps.storage, &task.agent)?;
        agent.stats.disputed.increment()?;
        AGENTS.save(deps.storage, &task.agent, &agent)?;
    }
    Ok(Response::new()
        .add_attribute("action", "dispute_milestone")
        .add_attribute("by", if appeal { "agent" } else { "client" })
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("arbiter", task.arbiter)
        .add_attribute("arbitration_deadline", arbitration_deadline.to_string()))
}

/// The arbiter rules on a disputed milestone within the arbitration window: `agent_share_bps`
/// of it is settled for the agent, the rest returned to the client.
pub fn resolve(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    agent_share_bps: Bps,
) -> Result<Response, ContractError> {
    let mut task = task_of(deps.storage, task_id, &info.sender, Party::Arbiter)?;
    validate_bps("agent_share_bps", agent_share_bps)?;
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    if ms.status != MilestoneStatus::Disputed {
        return Err(ContractError::MilestoneNotDisputed {
            task_id,
            milestone,
            status: ms.status,
        });
    }
    let t = now(&env);
    let arbitration_deadline = ms.arbitration_deadline.unwrap_or_default();
    if t >= arbitration_deadline {
        return Err(ContractError::ArbitrationWindowClosed {
            task_id,
            milestone,
            arbitration_deadline,
        });
    }
    let fee = pay_arbiter(deps.storage, &mut task, &mut ms, agent_share_bps)?;
    let config = CONFIG.load(deps.storage)?;
    let res = settle_milestone(
        deps,
        t,
        (task_id, task),
        (milestone, ms),
        Outcome::Resolved(agent_share_bps),
    )?;
    Ok(match fee {
        Some(fee) => res
            .add_message(TokenHandle(config.token).transfer(&info.sender, fee)?)
            .add_attribute("arbitration_fee", fee),
        None => res,
    })
}

/// Books the arbiter's fee out of the milestone it rules on (a bonded arbiter's, fixed at
/// creation), and, when the ruling overturns its evaluator's rejection, counts it on the
/// evaluator. Returns the fee to pay, if any.
fn pay_arbiter(
    storage: &mut dyn Storage,
    task: &mut Task,
    ms: &mut Milestone,
    share: Bps,
) -> Result<Option<Uint128>, ContractError> {
    if let (Some(evaluation), Some(verdict)) = (&task.ext.evaluation, &ms.verdict) {
        if !verdict.approve && share > 0 {
            let mut evaluator = Evaluator::load(storage, &evaluation.evaluator)?;
            evaluator.stats.overturned.increment()?;
            EVALUATORS.save(storage, &evaluation.evaluator, &evaluator)?;
        }
    }
    let Some(arbitration) = task.ext.arbitration.as_mut().filter(|a| !a.resigned) else {
        return Ok(None);
    };
    let fee = arbitration.fee;
    let mut arbiter = Evaluator::load(storage, &task.arbiter)?;
    arbiter.stats.arbitrated.increment()?;
    arbiter.stats.earned = arbiter.stats.earned.checked_add(fee)?;
    EVALUATORS.save(storage, &task.arbiter, &arbiter)?;
    if fee.is_zero() {
        return Ok(None);
    }
    arbitration.paid = arbitration.paid.checked_add(fee)?;
    ms.arbitration_paid = ms.arbitration_paid.checked_add(fee)?;
    task.escrowed = task.escrowed.checked_sub(fee)?;
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_sub(fee)?;
        Ok(totals)
    })?;
    Ok(Some(fee))
}

/// Anyone settles an undisputed milestone for the agent once its review window has passed.
pub fn finalize(
    deps: DepsMut,
    env: Env,
    task_id: TaskId,
    milestone: u32,
) -> Result<Response, ContractError> {
    let task = Task::load(deps.storage, task_id)?;
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    let t = now(&env);
    if ms.status == MilestoneStatus::Rejected {
        // A rejection the agent did not appeal stands: what the task holds goes back.
        let review_deadline = ms.review_deadline.unwrap_or(u64::MAX);
        if t < review_deadline {
            return Err(ContractError::ReviewWindowOpen {
                task_id,
                milestone,
                review_deadline,
            });
        }
        return end_with_refund(deps, t, (task_id, task), RefundReason::Rejected, "finalize");
    }
    assert_not_in_evaluation(task_id, milestone, &task, &ms)?;
    assert_submitted(task_id, milestone, &ms)?;
    // Always set on a submitted milestone; were it missing, the window would never close.
    let review_deadline = ms.review_deadline.unwrap_or(u64::MAX);
    if t < review_deadline {
        return Err(ContractError::ReviewWindowOpen {
            task_id,
            milestone,
            review_deadline,
        });
    }
    settle_milestone(
        deps,
        t,
        (task_id, task),
        (milestone, ms),
        Outcome::Finalized,
    )
}
