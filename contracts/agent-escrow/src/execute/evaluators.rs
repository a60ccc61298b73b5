//! Evaluators: registration with a bond and a fee, top-ups, profile updates and the two steps
//! of leaving (`unbond_evaluator`, then `withdraw_evaluator_bond` once the unbonding period
//! has passed). An evaluator may leave only when no task that names it is open.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{AgentStatus, EvaluatorStats};
use openledger_common::Checked;

use super::agents::{assert_unbonded, book_bonds, check_metadata_uri, check_name};
use super::capabilities::{check_capabilities, reindex};
use super::now;
use crate::error::ContractError;
use crate::state::{Config, Evaluator, CONFIG, EVALUATORS, EVALUATOR_CAPABILITIES};
use crate::validate::assert_not_reserved;

/// What an evaluator declares when it registers.
pub struct EvaluatorProfile {
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Capability tags.
    pub capabilities: Vec<String>,
    /// Fee per verdict or ruling.
    pub fee: Uint128,
}

/// Refuses an evaluator that is unbonding or withdrawn.
fn ensure_active(evaluator: &Evaluator, address: &Addr) -> Result<(), ContractError> {
    if evaluator.status == AgentStatus::Active {
        Ok(())
    } else {
        Err(ContractError::EvaluatorNotActive {
            address: address.to_string(),
        })
    }
}

/// Registers `sender` (or a withdrawn evaluator again) with the `bond` that came with the hook.
pub fn register_evaluator(
    deps: DepsMut,
    env: Env,
    config: Config,
    (sender, bond): (Addr, Uint128),
    profile: EvaluatorProfile,
) -> Result<Response, ContractError> {
    assert_not_reserved(&config, &env, "evaluator", &sender)?;
    let existing = EVALUATORS.may_load(deps.storage, &sender)?;
    if let Some(evaluator) = &existing {
        if evaluator.status != AgentStatus::Withdrawn {
            return Err(ContractError::EvaluatorAlreadyRegistered {
                address: sender.into_string(),
            });
        }
    }
    if bond < config.min_agent_bond {
        return Err(ContractError::BondTooLow {
            bond,
            required: config.min_agent_bond,
        });
    }
    check_name(&profile.name)?;
    check_metadata_uri(&profile.metadata_uri)?;
    check_capabilities(&profile.capabilities)?;
    let (stats, registered_at, old_tags) = match existing {
        Some(e) => (e.stats, e.registered_at, e.capabilities),
        None => (EvaluatorStats::default(), now(&env), vec![]),
    };
    reindex(
        deps.storage,
        &EVALUATOR_CAPABILITIES,
        &sender,
        &old_tags,
        &profile.capabilities,
    )?;
    let evaluator = Evaluator {
        name: profile.name,
        metadata_uri: profile.metadata_uri,
        capabilities: profile.capabilities,
        fee: profile.fee,
        bond,
        reserved: Uint128::zero(),
        status: AgentStatus::Active,
        open_tasks: 0,
        stats,
        registered_at,
    };
    EVALUATORS.save(deps.storage, &sender, &evaluator)?;
    book_bonds(deps.storage, bond, Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "register_evaluator")
        .add_attribute("evaluator", sender)
        .add_attribute("bond", bond)
        .add_attribute("fee", evaluator.fee)
        .add_attribute("capabilities", evaluator.capabilities.join(",")))
}

/// Adds `amount` to the bond of the active evaluator `sender`.
pub fn top_up_evaluator_bond(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut evaluator = Evaluator::load(deps.storage, &sender)?;
    ensure_active(&evaluator, &sender)?;
    evaluator.bond = evaluator.bond.checked_add(amount)?;
    EVALUATORS.save(deps.storage, &sender, &evaluator)?;
    book_bonds(deps.storage, amount, Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "top_up_evaluator_bond")
        .add_attribute("evaluator", sender)
        .add_attribute("amount", amount)
        .add_attribute("bond", evaluator.bond))
}

/// Changes the given fields of the caller's evaluator profile.
pub fn update_evaluator(
    deps: DepsMut,
    info: MessageInfo,
    (name, metadata_uri): (Option<String>, Option<String>),
    (capabilities, fee): (Option<Vec<String>>, Option<Uint128>),
) -> Result<Response, ContractError> {
    let mut evaluator = Evaluator::load(deps.storage, &info.sender)?;
    if name.is_none() && metadata_uri.is_none() && capabilities.is_none() && fee.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut res = Response::new()
        .add_attribute("action", "update_evaluator")
        .add_attribute("evaluator", info.sender.as_str());
    if let Some(name) = name {
        check_name(&name)?;
        res = res.add_attribute("name", &name);
        evaluator.name = name;
    }
    if let Some(metadata_uri) = metadata_uri {
        check_metadata_uri(&metadata_uri)?;
        res = res.add_attribute("metadata_uri", &metadata_uri);
        evaluator.metadata_uri = metadata_uri;
    }
    if let Some(tags) = capabilities {
        check_capabilities(&tags)?;
        let old = &evaluator.capabilities;
        reindex(
            deps.storage,
            &EVALUATOR_CAPABILITIES,
            &info.sender,
            old,
            &tags,
        )?;
        res = res.add_attribute("capabilities", tags.join(","));
        evaluator.capabilities = tags;
    }
    if let Some(fee) = fee {
        res = res.add_attribute("fee", fee);
        evaluator.fee = fee;
    }
    EVALUATORS.save(deps.storage, &info.sender, &evaluator)?;
    Ok(res)
}

/// Step 1 of leaving: an active evaluator that oversees no open task starts unbonding.
pub fn unbond_evaluator(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut evaluator = Evaluator::load(deps.storage, &info.sender)?;
    ensure_active(&evaluator, &info.sender)?;
    if evaluator.open_tasks > 0 {
        return Err(ContractError::EvaluatorHasOpenTasks {
            open_tasks: evaluator.open_tasks,
        });
    }
    let release_at = now(&env).add_checked(config.unbonding_period)?;
    evaluator.status = AgentStatus::Unbonding { release_at };
    EVALUATORS.save(deps.storage, &info.sender, &evaluator)?;
    Ok(Response::new()
        .add_attribute("action", "unbond_evaluator")
        .add_attribute("evaluator", info.sender)
        .add_attribute("bond", evaluator.bond)
        .add_attribute("release_at", release_at.to_string()))
}

/// Step 2 of leaving: from `release_at` on (inclusive), the whole evaluator bond is paid out.
pub fn withdraw_evaluator_bond(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut evaluator = Evaluator::load(deps.storage, &info.sender)?;
    assert_unbonded(&evaluator.status, now(&env))?;
    let amount = evaluator.bond;
    evaluator.bond = Uint128::zero();
    evaluator.status = AgentStatus::Withdrawn;
    EVALUATORS.save(deps.storage, &info.sender, &evaluator)?;
    book_bonds(deps.storage, Uint128::zero(), amount)?;
    let mut res = Response::new();
    if !amount.is_zero() {
        res = res.add_message(TokenHandle(config.token).transfer(&info.sender, amount)?);
    }
    Ok(res
        .add_attribute("action", "withdraw_evaluator_bond")
        .add_attribute("evaluator", info.sender)
        .add_attribute("amount", amount))
}
