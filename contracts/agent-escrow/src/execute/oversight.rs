//! Overseers of a new task: its evaluator (optional) and its arbiter. Both must be independent
//! of the task's parties; a named arbiter and every evaluator must be registered, active
//! evaluators with the minimum free bond, and part of their bond is reserved for the task
//! (`min(deposit, free × slash_bps)`, like an agent's at acceptance) until it ends. The
//! configured default arbiter may be unregistered: then it is neither paid nor bonded.

use cosmwasm_std::{Addr, Storage, Uint128};
use openledger_common::bps::apply_bps;
use openledger_common::msg::agent_escrow::{AgentStatus, MAX_WINDOW};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::{Config, Evaluation, Evaluator, Oversight, EVALUATORS};
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
