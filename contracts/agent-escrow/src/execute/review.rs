//! Review of a submitted milestone: the client approves or disputes it within the review
//! window, anyone finalizes it after an undisputed window, and the arbiter rules on a dispute
//! within the arbitration window. Approval, finalization and rulings settle the milestone
//! (`settlement`).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use openledger_common::bps::Bps;
use openledger_common::msg::agent_escrow::{MilestoneStatus, TaskId, MAX_REASON_LEN};
use openledger_common::{validate_bps, validate_text, Checked};

use super::settlement::{settle_milestone, Outcome};
use super::{live_milestone, now, task_of, Party};
use crate::error::ContractError;
use crate::state::{Agent, Milestone, Task, AGENTS, MILESTONES};

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
        // A client may also approve a milestone it disputed: it concedes fully.
        MilestoneStatus::Submitted | MilestoneStatus::Disputed => {}
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

/// The client disputes the current milestone within its review window; the arbiter rules.
pub fn dispute_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    reason: String,
) -> Result<Response, ContractError> {
    let task = task_of(deps.storage, task_id, &info.sender, Party::Client)?;
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    assert_submitted(task_id, milestone, &ms)?;
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
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    agent.stats.disputed.increment()?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    Ok(Response::new()
        .add_attribute("action", "dispute_milestone")
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
    let task = task_of(deps.storage, task_id, &info.sender, Party::Arbiter)?;
    validate_bps("agent_share_bps", agent_share_bps)?;
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
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
    settle_milestone(
        deps,
        t,
        (task_id, task),
        (milestone, ms),
        Outcome::Resolved(agent_share_bps),
    )
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
    assert_submitted(task_id, milestone, &ms)?;
    let t = now(&env);
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
