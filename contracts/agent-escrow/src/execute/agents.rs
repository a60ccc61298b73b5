//! Agents: registration with a bond, top-ups, profile updates and the two steps of leaving
//! (`unbond`, then `withdraw_bond` once the unbonding period has passed).

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, QuerierWrapper, Response, Storage, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{
    AgentStats, AgentStatus, MAX_AGENT_MODELS, MAX_NAME_LEN, MAX_URI_LEN,
};
use openledger_common::msg::model_licensing::ModelId;
use openledger_common::{validate_text, Checked};

use super::capabilities::{check_capabilities, reindex};
use super::{now, query_model};
use crate::error::ContractError;
use crate::state::{Agent, Config, Totals, AGENTS, AGENT_CAPABILITIES, CONFIG, TOTALS};
use crate::validate::assert_not_reserved;

/// What an agent declares when it registers.
pub struct Profile {
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Declared models.
    pub models: Vec<ModelId>,
    /// Capability tags.
    pub capabilities: Vec<String>,
}

/// Checks a display name (agents and evaluators).
pub fn check_name(name: &str) -> Result<(), ContractError> {
    Ok(validate_text("name", name, 1, MAX_NAME_LEN)?)
}

/// Checks a metadata URI (agents and evaluators).
pub fn check_metadata_uri(metadata_uri: &str) -> Result<(), ContractError> {
    Ok(validate_text("metadata_uri", metadata_uri, 0, MAX_URI_LEN)?)
}

/// Validates an agent's model list: at most `MAX_AGENT_MODELS`, distinct, each existing.
fn validate_models(
    querier: &QuerierWrapper,
    contract: &Addr,
    models: Vec<ModelId>,
) -> Result<Vec<ModelId>, ContractError> {
    if models.len() > MAX_AGENT_MODELS {
        return Err(ContractError::TooManyModels {
            count: models.len() as u64,
            max: MAX_AGENT_MODELS as u64,
        });
    }
    for (i, model_id) in models.iter().enumerate() {
        if models[..i].contains(model_id) {
            return Err(ContractError::DuplicateModel {
                model_id: *model_id,
            });
        }
        query_model(querier, contract, *model_id)?;
    }
    Ok(models)
}

/// A model list as an event value: the ids, comma-separated.
fn models_attr(models: &[ModelId]) -> String {
    models
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Adds `added` to and takes `taken` from the bonds the escrow holds.
pub fn book_bonds(
    storage: &mut dyn Storage,
    added: Uint128,
    taken: Uint128,
) -> Result<Totals, ContractError> {
    TOTALS.update(storage, |mut totals| -> Result<_, ContractError> {
        totals.bonds = totals.bonds.checked_add(added)?.checked_sub(taken)?;
        Ok(totals)
    })
}

/// Registers `sender` (or a withdrawn agent again) with the `bond` that came with the hook.
pub fn register_agent(
    deps: DepsMut,
    env: Env,
    config: Config,
    sender: Addr,
    bond: Uint128,
    profile: Profile,
) -> Result<Response, ContractError> {
    assert_not_reserved(&config, &env, "agent", &sender)?;
    let existing = AGENTS.may_load(deps.storage, &sender)?;
    if let Some(agent) = &existing {
        if agent.status != AgentStatus::Withdrawn {
            return Err(ContractError::AgentAlreadyRegistered {
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
    let models = validate_models(&deps.querier, &config.model_licensing, profile.models)?;

    // A returning agent keeps its record of work and its first registration time.
    let (stats, registered_at, old_tags) = match existing {
        Some(agent) => (agent.stats, agent.registered_at, agent.capabilities),
        None => (AgentStats::default(), now(&env), vec![]),
    };
    reindex(
        deps.storage,
        &AGENT_CAPABILITIES,
        &sender,
        &old_tags,
        &profile.capabilities,
    )?;
    let agent = Agent {
        name: profile.name,
        metadata_uri: profile.metadata_uri,
        models,
        capabilities: profile.capabilities,
        bond,
        reserved: Uint128::zero(),
        status: AgentStatus::Active,
        open_tasks: 0,
        stats,
        registered_at,
    };
    AGENTS.save(deps.storage, &sender, &agent)?;
    book_bonds(deps.storage, bond, Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "register_agent")
        .add_attribute("agent", sender)
        .add_attribute("bond", bond)
        .add_attribute("models", models_attr(&agent.models)))
}

/// Adds `amount` to the bond of the active agent `sender`.
pub fn top_up_bond(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut agent = Agent::load(deps.storage, &sender)?;
    agent.ensure_active(&sender)?;
    agent.bond = agent.bond.checked_add(amount)?;
    AGENTS.save(deps.storage, &sender, &agent)?;
    book_bonds(deps.storage, amount, Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "top_up_bond")
        .add_attribute("agent", sender)
        .add_attribute("amount", amount)
        .add_attribute("bond", agent.bond))
}

/// Changes the given fields of the caller's profile.
pub fn update_agent(
    deps: DepsMut,
    info: MessageInfo,
    name: Option<String>,
    metadata_uri: Option<String>,
    (models, capabilities): (Option<Vec<ModelId>>, Option<Vec<String>>),
) -> Result<Response, ContractError> {
    let mut agent = Agent::load(deps.storage, &info.sender)?;
    if name.is_none() && metadata_uri.is_none() && models.is_none() && capabilities.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut res = Response::new()
        .add_attribute("action", "update_agent")
        .add_attribute("agent", info.sender.as_str());
    if let Some(name) = name {
        check_name(&name)?;
        res = res.add_attribute("name", &name);
        agent.name = name;
    }
    if let Some(metadata_uri) = metadata_uri {
        check_metadata_uri(&metadata_uri)?;
        res = res.add_attribute("metadata_uri", &metadata_uri);
        agent.metadata_uri = metadata_uri;
    }
    if let Some(models) = models {
        let config = CONFIG.load(deps.storage)?;
        agent.models = validate_models(&deps.querier, &config.model_licensing, models)?;
        res = res.add_attribute("models", models_attr(&agent.models));
    }
    if let Some(tags) = capabilities {
        check_capabilities(&tags)?;
        reindex(
            deps.storage,
            &AGENT_CAPABILITIES,
            &info.sender,
            &agent.capabilities,
            &tags,
        )?;
        res = res.add_attribute("capabilities", tags.join(","));
        agent.capabilities = tags;
    }
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    Ok(res)
}

/// Step 1 of leaving: an active agent without open tasks starts unbonding.
pub fn unbond(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &info.sender)?;
    agent.ensure_active(&info.sender)?;
    agent.ensure_no_open_tasks()?;
    let release_at = now(&env).add_checked(config.unbonding_period)?;
    agent.status = AgentStatus::Unbonding { release_at };
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    Ok(Response::new()
        .add_attribute("action", "unbond")
        .add_attribute("agent", info.sender)
        .add_attribute("bond", agent.bond)
        .add_attribute("release_at", release_at.to_string()))
}

/// Step 2 of leaving: from `release_at` on (inclusive), the whole bond is paid out.
pub fn withdraw_bond(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &info.sender)?;
    assert_unbonded(&agent.status, now(&env))?;
    // Unbonding agents get no task, so this held since `unbond`; checked again all the same.
    agent.ensure_no_open_tasks()?;
    let amount = agent.bond;
    agent.bond = Uint128::zero();
    agent.status = AgentStatus::Withdrawn;
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    book_bonds(deps.storage, Uint128::zero(), amount)?;
    let mut res = Response::new();
    if !amount.is_zero() {
        res = res.add_message(TokenHandle(config.token).transfer(&info.sender, amount)?);
    }
    Ok(res
        .add_attribute("action", "withdraw_bond")
        .add_attribute("agent", info.sender)
        .add_attribute("amount", amount))
}

/// Refuses a withdrawal of a bond (an agent's or an evaluator's) that is not unbonding, or
/// whose `release_at` is still ahead of `now`.
pub fn assert_unbonded(status: &AgentStatus, now: u64) -> Result<(), ContractError> {
    match *status {
        AgentStatus::Unbonding { release_at } if now < release_at => {
            Err(ContractError::BondLocked { release_at })
        }
        AgentStatus::Unbonding { .. } => Ok(()),
        _ => Err(ContractError::NotUnbonding),
    }
}
