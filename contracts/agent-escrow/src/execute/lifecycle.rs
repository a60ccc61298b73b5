//! How a task ends and where its money goes back: every way a task ends goes through
//! [`close_task`], which frees the agent's slot and bond, releases the reservations of its
//! evaluator and arbiter, and tells a sub-task's parent milestone that one sub-task fewer is
//! open; every amount a task returns goes through [`return_funds`], to the client of a root
//! task or back into the parent milestone of a sub-task (nothing leaves the escrow then).

use cosmwasm_std::{Addr, CosmosMsg, Storage, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{ParentRef, RefundReason, TaskStatus};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::{Agent, Evaluator, Milestone, Task, Totals, EVALUATORS, MILESTONES, TASKS};

/// Releases what remains of an overseer's reservation for a task it no longer oversees (the
/// task ended or the overseer resigned) and frees its slot.
pub fn release_overseer(
    storage: &mut dyn Storage,
    address: &Addr,
    reserved: Uint128,
) -> Result<(), ContractError> {
    let mut evaluator = Evaluator::load(storage, address)?;
    evaluator.reserved = evaluator.reserved.checked_sub(reserved)?;
    evaluator.open_tasks = evaluator.open_tasks.sub_checked(1)?;
    EVALUATORS
        .save(storage, address, &evaluator)
        .map_err(ContractError::from)
}

/// Puts the task into its final state (see [`Task::close`]), releases the bond its evaluator
/// and its bonded arbiter still reserve for it, and, for a sub-task, counts one open sub-task
/// fewer on the parent milestone. The caller saves the task and the agent. Returns the agent's
/// bond released.
pub fn close_task(
    storage: &mut dyn Storage,
    task: &mut Task,
    agent: &mut Agent,
    (status, reason): (TaskStatus, Option<RefundReason>),
    now: u64,
) -> Result<Uint128, ContractError> {
    let released = task.close(agent, status, reason, now)?;
    // An overseer that resigned was released then.
    if let Some(evaluation) = task.evaluator_on_duty_mut() {
        release_overseer(storage, &evaluation.evaluator, evaluation.terms.reserved)?;
        evaluation.terms.reserved = Uint128::zero();
    }
    let arbiter = task.arbiter.clone();
    if let Some(arbitration) = task.arbitration_on_duty_mut() {
        release_overseer(storage, &arbiter, arbitration.reserved)?;
        arbitration.reserved = Uint128::zero();
    }
    if let Some(parent) = task.ext.parent {
        let mut ms = parent_milestone(storage, parent)?;
        ms.open_subtasks = ms.open_subtasks.sub_checked(1)?;
        MILESTONES.save(storage, (parent.task_id, parent.milestone), &ms)?;
    }
    Ok(released)
}

/// The parent milestone of a sub-task.
fn parent_milestone(storage: &dyn Storage, parent: ParentRef) -> Result<Milestone, ContractError> {
    let task = Task::load(storage, parent.task_id)?;
    Milestone::load(storage, parent.task_id, &task, parent.milestone)
}

/// Returns `amount` that a task gives back (a refund, the client's part of a ruling) to where
/// it came from: a transfer to the client of a root task (the escrow's liabilities fall by
/// it), or, for a sub-task, back into its parent milestone, which may spend it again (the
/// liabilities stay). The caller has already taken `amount` out of `task.escrowed` and out of
/// `totals.escrowed`.
pub fn return_funds(
    storage: &mut dyn Storage,
    token: &Addr,
    task: &Task,
    totals: &mut Totals,
    amount: Uint128,
) -> Result<Option<CosmosMsg>, ContractError> {
    if amount.is_zero() {
        return Ok(None);
    }
    let Some(parent) = task.ext.parent else {
        return Ok(Some(
            TokenHandle(token.clone()).transfer(&task.client, amount)?,
        ));
    };
    let mut parent_task = Task::load(storage, parent.task_id)?;
    let mut ms = Milestone::load(storage, parent.task_id, &parent_task, parent.milestone)?;
    ms.delegated = ms.delegated.checked_sub(amount)?;
    parent_task.escrowed = parent_task.escrowed.checked_add(amount)?;
    totals.escrowed = totals.escrowed.checked_add(amount)?;
    MILESTONES.save(storage, (parent.task_id, parent.milestone), &ms)?;
    TASKS.save(storage, parent.task_id, &parent_task)?;
    Ok(None)
}

/// Slashes what an overseer (evaluator or bonded arbiter) of task `task_id` still reserves for
/// it, after it let its window pass; the bond leaves the escrow's liabilities. Returns the
/// amount slashed (to be sent to the reward pool's treasury).
pub fn slash_overseer(
    storage: &mut dyn Storage,
    address: &Addr,
    reserved: &mut Uint128,
    totals: &mut Totals,
) -> Result<Uint128, ContractError> {
    let amount = *reserved;
    let mut evaluator = Evaluator::load(storage, address)?;
    evaluator.bond = evaluator.bond.checked_sub(amount)?;
    evaluator.reserved = evaluator.reserved.checked_sub(amount)?;
    evaluator.stats.missed.increment()?;
    evaluator.stats.slashed = evaluator.stats.slashed.checked_add(amount)?;
    EVALUATORS.save(storage, address, &evaluator)?;
    totals.bonds = totals.bonds.checked_sub(amount)?;
    *reserved = Uint128::zero();
    Ok(amount)
}
