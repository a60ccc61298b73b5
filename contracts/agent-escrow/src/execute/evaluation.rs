//! Evaluation of deliveries by a task's evaluator: a verdict within the evaluation window,
//! paid whatever it says, about exactly the result that was delivered; or, once the window
//! has passed without one, escalation to the arbiter at the evaluator's expense.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::agent_escrow::{MilestoneStatus, TaskId, Verdict};
use openledger_common::{normalize_hash, Checked};

use super::lifecycle::{release_overseer, slash_overseer};
use super::settlement::{settle_milestone, Outcome};
use super::{live_milestone, now};
use crate::error::ContractError;
use crate::state::{Evaluator, Milestone, Task, CONFIG, EVALUATORS, MILESTONES, TASKS, TOTALS};

/// Loads the task and its current submitted milestone still awaiting a verdict; returns the
/// evaluation deadline too.
fn awaiting_verdict(
    deps: &DepsMut,
    task_id: TaskId,
    milestone: u32,
) -> Result<(Task, Milestone, u64), ContractError> {
    let task = Task::load(deps.storage, task_id)?;
    if task.evaluator_on_duty().is_none() {
        return Err(ContractError::NoEvaluator { task_id });
    }
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    if ms.status != MilestoneStatus::Submitted {
        return Err(ContractError::MilestoneNotSubmitted { task_id, milestone });
    }
    let deadline = ms.evaluation_deadline.unwrap_or_default();
    Ok((task, ms, deadline))
}

/// The task's evaluator judges the current submitted milestone (the delivered `result_hash`)
/// before its evaluation deadline, approving or rejecting it for the reasons whose SHA-256 is
/// `reason_hash`, and is paid its fee out of it. An approval settles the milestone for the agent; a rejection
/// opens the agent's appeal window (the task's review window, from now).
pub fn evaluate_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    (task_id, milestone): (TaskId, u32),
    (result_hash, approve, reason_hash): (String, bool, String),
) -> Result<Response, ContractError> {
    let (mut task, mut ms, evaluation_deadline) = awaiting_verdict(&deps, task_id, milestone)?;
    let Some(evaluation) = task.evaluator_on_duty_mut() else {
        return Err(ContractError::NoEvaluator { task_id });
    };
    if info.sender != evaluation.evaluator {
        return Err(ContractError::NotEvaluator { task_id });
    }
    let t = now(&env);
    if t >= evaluation_deadline {
        return Err(ContractError::EvaluationWindowClosed {
            task_id,
            milestone,
            evaluation_deadline,
        });
    }
    let given = normalize_hash("result_hash", &result_hash)?;
    let delivered = ms.result_hash.clone().unwrap_or_default();
    if given != delivered {
        return Err(ContractError::ResultHashMismatch { given, delivered });
    }
    let reason_hash = normalize_hash("reason_hash", &reason_hash)?;

    // The fee, whatever the verdict: out of the milestone, to the evaluator.
    let fee = evaluation.terms.fee;
    evaluation.terms.paid = evaluation.terms.paid.checked_add(fee)?;
    ms.evaluation_paid = ms.evaluation_paid.checked_add(fee)?;
    task.escrowed = task.escrowed.checked_sub(fee)?;
    let mut evaluator = Evaluator::load(deps.storage, &info.sender)?;
    evaluator.stats.evaluated.increment()?;
    evaluator.stats.earned = evaluator.stats.earned.checked_add(fee)?;
    match approve {
        true => evaluator.stats.approved.increment()?,
        false => evaluator.stats.rejected.increment()?,
    };
    EVALUATORS.save(deps.storage, &info.sender, &evaluator)?;
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_sub(fee)?;
        Ok(totals)
    })?;
    ms.verdict = Some(Box::new(Verdict {
        approve,
        reason_hash: reason_hash.clone(),
        at: t,
    }));
    let token = CONFIG.load(deps.storage)?.token;
    let pay = (!fee.is_zero())
        .then(|| TokenHandle(token).transfer(&info.sender, fee))
        .transpose()?;

    if approve {
        let res = settle_milestone(
            deps,
            t,
            (task_id, task),
            (milestone, ms),
            Outcome::Evaluated,
        )?;
        return Ok(res
            .add_messages(pay)
            .add_attribute("evaluation_fee", fee)
            .add_attribute("reason_hash", reason_hash));
    }
    let review_deadline = t.add_checked(task.review_window)?;
    ms.status = MilestoneStatus::Rejected;
    ms.review_deadline = Some(review_deadline);
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    TASKS.save(deps.storage, task_id, &task)?;
    Ok(Response::new()
        .add_messages(pay)
        .add_attribute("action", "evaluate_milestone")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("verdict", "rejected")
        .add_attribute("evaluation_fee", fee)
        .add_attribute("reason_hash", reason_hash)
        .add_attribute("appeal_deadline", review_deadline.to_string()))
}

/// Anyone, once the evaluation deadline of a submitted milestone has passed without a verdict:
/// the evaluator's reservation for the task is slashed to the reward pool's treasury and the
/// milestone goes to the arbiter, who has the task's arbitration window from now. The agent's
/// delivery stands: neither party loses anything to the evaluator's silence.
pub fn escalate(
    deps: DepsMut,
    env: Env,
    task_id: TaskId,
    milestone: u32,
) -> Result<Response, ContractError> {
    let (mut task, mut ms, evaluation_deadline) = awaiting_verdict(&deps, task_id, milestone)?;
    let t = now(&env);
    if t < evaluation_deadline {
        return Err(ContractError::EvaluationWindowOpen {
            task_id,
            milestone,
            evaluation_deadline,
        });
    }
    let config = CONFIG.load(deps.storage)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let Some(evaluation) = task.evaluator_on_duty_mut() else {
        return Err(ContractError::NoEvaluator { task_id });
    };
    let slashed = slash_overseer(
        deps.storage,
        &evaluation.evaluator,
        &mut evaluation.terms.reserved,
        &mut totals,
    )?;
    // A slashed evaluator has nothing left at stake on the task: it is taken off it (its slot
    // freed), and the client reviews the later deliveries.
    release_overseer(deps.storage, &evaluation.evaluator, Uint128::zero())?;
    evaluation.terms.resigned = true;
    let arbitration_deadline = t.add_checked(task.arbitration_window)?;
    ms.status = MilestoneStatus::Disputed;
    ms.dispute_reason = Some("evaluator_silent".to_string());
    ms.disputed_at = Some(t);
    ms.arbitration_deadline = Some(arbitration_deadline);
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    TASKS.save(deps.storage, task_id, &task)?;
    TOTALS.save(deps.storage, &totals)?;
    let mut res = Response::new();
    if !slashed.is_zero() {
        let pool = RewardPoolHandle(config.reward_pool);
        res = res.add_message(pool.to_treasury(&config.token, slashed)?);
    }
    Ok(res
        .add_attribute("action", "escalate")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("evaluator_slashed", slashed)
        .add_attribute("arbiter", task.arbiter)
        .add_attribute("arbitration_deadline", arbitration_deadline.to_string()))
}
