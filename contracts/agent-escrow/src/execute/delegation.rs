//! Delegation: the agent of a task in progress hires another agent for part of its current
//! milestone. The sub-task is funded out of that milestone (nothing leaves the escrow); what
//! it returns goes back there (`lifecycle::return_funds`), and the milestone can be neither
//! delivered nor refunded while one of its sub-tasks is open, so a sub-task never outlives
//! the milestone that pays it. What a milestone delegates leaves its client's reach before the
//! client reviews anything, so the agent's bond reserved for the task must cover it: a task
//! that ends against the agent (missed deadline, rejection that stood, ruling of 0) gives the
//! client what its sub-tasks spent back out of that bond.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::msg::agent_escrow::{
    MilestoneStatus, NewTask, ParentRef, TaskId, MAX_DELEGATION_DEPTH, MAX_SUBTASKS_PER_MILESTONE,
};
use openledger_common::Checked;

use super::delivery::spendable;
use super::tasks::{open_new_task, Funding};
use super::{live_milestone, task_of, Party};
use crate::error::ContractError;
use crate::state::{Task, CONFIG, MILESTONES, TASKS, WORKFLOWS};

/// The agent of task `task_id` funds a sub-task out of its current, undelivered milestone.
pub fn delegate_task(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    (task_id, milestone): (TaskId, u32),
    new: NewTask,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut parent = task_of(deps.storage, task_id, &info.sender, Party::Agent)?;
    let mut ms = live_milestone(deps.storage, task_id, &parent, milestone)?;
    if ms.status != MilestoneStatus::Pending {
        return Err(ContractError::MilestoneAlreadySubmitted {
            task_id,
            milestone,
            status: ms.status,
        });
    }
    let depth = parent.ext.depth.saturating_add(1);
    if depth > MAX_DELEGATION_DEPTH {
        return Err(ContractError::DelegationTooDeep {
            task_id,
            depth: parent.ext.depth,
            max: MAX_DELEGATION_DEPTH,
        });
    }
    if ms.subtasks.len() >= MAX_SUBTASKS_PER_MILESTONE {
        return Err(ContractError::TooManySubtasks {
            task_id,
            milestone,
            max: MAX_SUBTASKS_PER_MILESTONE as u64,
        });
    }
    let deposit = new
        .milestones
        .iter()
        .try_fold(Uint128::zero(), |sum, m| sum.checked_add(m.amount))?;
    let available = spendable(&parent, &ms)?;
    if deposit > available {
        return Err(ContractError::DelegationOverBudget {
            task_id,
            milestone,
            requested: deposit,
            available,
        });
    }

    assert_not_overseer(&parent, &new.agent)?;
    let bond_reserved = parent.ext.bond_reserved.unwrap_or_default();
    if ms.delegated.checked_add(deposit)? > bond_reserved {
        return Err(ContractError::DelegationAboveBond {
            task_id,
            milestone,
            delegated: ms.delegated,
            requested: deposit,
            bond_reserved,
        });
    }
    let root = parent.root_id(task_id);
    let funding = Funding {
        client: info.sender,
        deposit,
        parent: Some((
            ParentRef { task_id, milestone },
            root,
            depth,
            parent.delivery_deadline,
            parent.review_window.max(
                parent
                    .evaluator_on_duty()
                    .map_or(0, |evaluation| evaluation.window),
            ),
        )),
    };
    let (sub_id, _, res) = open_new_task(
        deps.branch(),
        &env,
        &config,
        ("delegate_task", funding),
        new,
    )?;
    ms.delegated = ms.delegated.checked_add(deposit)?;
    ms.open_subtasks = ms.open_subtasks.add_checked(1)?;
    ms.subtasks.push(sub_id);
    parent.escrowed = parent.escrowed.checked_sub(deposit)?;
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    TASKS.save(deps.storage, task_id, &parent)?;
    WORKFLOWS.save(deps.storage, (root, sub_id), &())?;
    Ok(res
        .add_attribute("parent_task_id", task_id.to_string())
        .add_attribute("parent_milestone", milestone.to_string())
        .add_attribute("root_task_id", root.to_string())
        .add_attribute("depth", depth.to_string())
        .add_attribute("milestone_left", available.checked_sub(deposit)?))
}

/// Refuses a sub-agent that oversees the parent task (its evaluator on duty or its arbiter):
/// paying one of them out of the milestone it judges would be a bribe.
fn assert_not_overseer(parent: &Task, agent: &str) -> Result<(), ContractError> {
    let overseers = [
        (
            "evaluator",
            parent.evaluator_on_duty().map(|e| e.evaluator.as_str()),
        ),
        ("arbiter", Some(parent.arbiter.as_str())),
    ];
    match overseers.iter().find(|(_, a)| *a == Some(agent)) {
        Some((role, _)) => Err(ContractError::SubagentOverseesParent {
            role: role.to_string(),
            address: agent.to_string(),
        }),
        None => Ok(()),
    }
}
