//! Overseers of a new task: its evaluator (optional) and its arbiter. Both must be independent
//! of the task's parties; a named arbiter and every evaluator must be registered, active
//! evaluators with the minimum free bond, and part of their bond is reserved for the task
//! (`min(deposit, free × slash_bps)`, like an agent's at acceptance) until it ends. The
//! configured default arbiter may be unregistered: then it is neither paid nor bonded.
//! Anyone may name a registered evaluator without asking it, so an overseer may resign from a
//! task (`resign_oversight`) while no delivery waits for its verdict and no dispute for its
//! ruling: nobody can hold its bond or keep it from unbonding against its will.

use cosmwasm_std::{Addr, DepsMut, MessageInfo, Response, Storage, Uint128};
use openledger_common::bps::apply_bps;
use openledger_common::msg::agent_escrow::{
    AgentStatus, MilestoneStatus, TaskId, TaskStatus, MAX_WINDOW,
};
use openledger_common::Checked;

use super::lifecycle::release_overseer;
use crate::error::ContractError;
use crate::state::{
    Config, Evaluation, Evaluator, Milestone, Oversight, Task, CONFIG, EVALUATORS, TASKS,
};
use crate::validate::check_window;

/// The overseers a new task names, checked, with their terms for it.
pub struct Overseers {
    /// The evaluator and its terms.
    pub evaluation: Option<Evaluation>,
    /// The arbiter.
    pub arbiter: Addr,
    /// The arbiter's terms, when it is a registered evaluator.
    pub arbitration: Option<Oversight>,
}

/// An active evaluator's record, if `address` is one.
fn active_evaluator(
    storage: &dyn Storage,
    address: &Addr,
) -> Result<Option<Evaluator>, ContractError> {
    Ok(EVALUATORS
        .may_load(storage, address)?
        .filter(|e| e.status == AgentStatus::Active))
}

/// Reserves part of an overseer's free bond for a task of `deposit` and returns its terms.
fn reserve(
    storage: &mut dyn Storage,
    config: &Config,
    address: &Addr,
    mut evaluator: Evaluator,
    deposit: Uint128,
) -> Result<Oversight, ContractError> {
    let free = evaluator.free_bond()?;
    if free < config.min_agent_bond {
        return Err(ContractError::FreeBondTooLow {
            bond: evaluator.bond,
            reserved: evaluator.reserved,
            free,
            required: config.min_agent_bond,
        });
    }
    let reserved = deposit.min(apply_bps(free, config.slash_bps)?);
    evaluator.reserved = evaluator.reserved.checked_add(reserved)?;
    evaluator.open_tasks = evaluator.open_tasks.add_checked(1)?;
    EVALUATORS.save(storage, address, &evaluator)?;
    Ok(Oversight {
        fee: evaluator.fee,
        paid: Uint128::zero(),
        reserved,
        resigned: false,
    })
}

/// Refuses an overseer that is one of the task's parties (`role` names the overseer).
fn assert_independent(
    overseer: &Addr,
    parties: &[(&str, &Addr)],
    error: impl Fn(String, String) -> ContractError,
) -> Result<(), ContractError> {
    match parties.iter().find(|(_, a)| *a == overseer) {
        Some((role, _)) => Err(error(role.to_string(), overseer.to_string())),
        None => Ok(()),
    }
}

/// Checks the evaluator and the arbiter of a new task between `client` and `agent`, and
/// reserves their bonds for a task of `deposit`.
pub fn appoint(
    storage: &mut dyn Storage,
    config: &Config,
    (client, agent): (&Addr, &Addr),
    (evaluator, window): (Option<Addr>, Option<u64>),
    named_arbiter: Option<Addr>,
    deposit: Uint128,
) -> Result<Overseers, ContractError> {
    let arbiter = named_arbiter
        .clone()
        .unwrap_or_else(|| config.default_arbiter.clone());
    let parties = [("agent", agent), ("client", client)];
    assert_independent(&arbiter, &parties, |role, address| {
        ContractError::ArbiterIsParty { role, address }
    })?;
    let evaluation = match (evaluator, window) {
        (None, None) => None,
        (Some(evaluator), Some(window)) => {
            let window = check_window("evaluation_window", window, 1, MAX_WINDOW)?;
            let with_arbiter = [("agent", agent), ("client", client), ("arbiter", &arbiter)];
            assert_independent(&evaluator, &with_arbiter, |role, address| {
                ContractError::EvaluatorIsParty { role, address }
            })?;
            let record = active_evaluator(storage, &evaluator)?.ok_or_else(|| {
                ContractError::EvaluatorNotActive {
                    address: evaluator.to_string(),
                }
            })?;
            let terms = reserve(storage, config, &evaluator, record, deposit)?;
            Some(Evaluation {
                evaluator,
                window,
                terms,
            })
        }
        _ => return Err(ContractError::EvaluationTermsIncomplete),
    };
    let arbitration = match active_evaluator(storage, &arbiter)? {
        Some(record) => Some(reserve(storage, config, &arbiter, record, deposit)?),
        None if named_arbiter.is_some() => {
            return Err(ContractError::ArbiterNotBonded {
                address: arbiter.into_string(),
            })
        }
        None => None,
    };
    Ok(Overseers {
        evaluation,
        arbiter,
        arbitration,
    })
}

/// Refuses overseers whose fee is above what the client accepts (`max_evaluation_fee`,
/// `max_arbitration_fee`): a fee is read when the task is created, so a cap keeps an overseer
/// from raising it between the client's reading and the creation.
pub fn check_fee_caps(
    overseers: &Overseers,
    (max_evaluation_fee, max_arbitration_fee): (Option<Uint128>, Option<Uint128>),
) -> Result<(), ContractError> {
    let fees = [
        (
            "evaluator",
            overseers.evaluation.as_ref().map(|e| e.terms.fee),
            max_evaluation_fee,
        ),
        (
            "arbiter",
            overseers.arbitration.as_ref().map(|a| a.fee),
            max_arbitration_fee,
        ),
    ];
    for (role, fee, max) in fees {
        if let (Some(fee), Some(max)) = (fee, max) {
            if fee > max {
                return Err(ContractError::OverseerFeeAboveCap {
                    role: role.to_string(),
                    fee,
                    max,
                });
            }
        }
    }
    Ok(())
}

/// The task's evaluator or bonded arbiter steps down while the task is open or in progress and
/// its current milestone is pending. Its reservation is released; the task keeps what it paid
/// it. Without its evaluator the client reviews the next deliveries; without its bonded
/// arbiter the configured default arbiter rules (unpaid), which must not be one of the task's
/// parties or its evaluator.
pub fn resign_oversight(
    deps: DepsMut,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let mut task = Task::load(deps.storage, task_id)?;
    if !matches!(task.status, TaskStatus::Open | TaskStatus::InProgress) {
        return Err(ContractError::TaskFinished {
            task_id,
            status: task.status,
        });
    }
    let is_evaluator = task
        .evaluator_on_duty()
        .is_some_and(|e| e.evaluator == info.sender);
    let is_arbiter = info.sender == task.arbiter && task.arbitration_on_duty_mut().is_some();
    if !is_evaluator && !is_arbiter {
        return Err(ContractError::NotOverseer { task_id });
    }
    let index = task.current_milestone;
    let ms = Milestone::load(deps.storage, task_id, &task, index)?;
    if ms.status != MilestoneStatus::Pending {
        return Err(ContractError::OverseerBusy {
            task_id,
            milestone: index,
            status: ms.status,
        });
    }
    let (role, released) = if is_evaluator {
        let evaluation = task.evaluator_on_duty_mut().expect("checked above");
        let released = step_down(deps.storage, &info.sender, &mut evaluation.terms)?;
        ("evaluator", released)
    } else {
        let default = CONFIG.load(deps.storage)?.default_arbiter;
        let mut parties = vec![("agent", &task.agent), ("client", &task.client)];
        if let Some(evaluation) = task.evaluator_on_duty() {
            parties.push(("evaluator", &evaluation.evaluator));
        }
        assert_independent(&default, &parties, |role, address| {
            ContractError::ArbiterIsParty { role, address }
        })?;
        let terms = task.arbitration_on_duty_mut().expect("checked above");
        let released = step_down(deps.storage, &info.sender, terms)?;
        task.arbiter = default;
        ("arbiter", released)
    };
    TASKS.save(deps.storage, task_id, &task)?;
    Ok(Response::new()
        .add_attribute("action", "resign_oversight")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("overseer", info.sender)
        .add_attribute("role", role)
        .add_attribute("released", released)
        .add_attribute("arbiter", task.arbiter))
}

/// Releases an overseer's reservation and marks its terms resigned.
fn step_down(
    storage: &mut dyn Storage,
    overseer: &Addr,
    terms: &mut Oversight,
) -> Result<Uint128, ContractError> {
    let released = terms.reserved;
    release_overseer(storage, overseer, released)?;
    terms.reserved = Uint128::zero();
    terms.resigned = true;
    Ok(released)
}
