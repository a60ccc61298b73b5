//! Administration: the owner changes the configuration (terms of new tasks, the wiring of the
//! protocol's contracts) and hands over ownership in two steps (`cw-ownable`).

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::bps::Bps;
use openledger_common::msg::agent_escrow::MAX_WINDOW;
use openledger_common::{validate_addr, validate_bps};

use crate::error::ContractError;
use crate::state::CONFIG;
use crate::validate::{assert_not_reserved, check_fee, check_window, check_wiring};

/// The optional fields of `update_config`.
pub struct ConfigUpdate {
    /// New model licensing.
    pub model_licensing: Option<String>,
    /// New reward pool.
    pub reward_pool: Option<String>,
    /// New smallest bond.
    pub min_agent_bond: Option<Uint128>,
    /// New protocol fee of new tasks.
    pub protocol_fee_bps: Option<Bps>,
    /// New default arbiter.
    pub default_arbiter: Option<String>,
    /// New arbitration window of new tasks, in seconds.
    pub arbitration_window: Option<u64>,
    /// New unbonding period, in seconds.
    pub unbonding_period: Option<u64>,
    /// New slash share of new tasks.
    pub slash_bps: Option<Bps>,
}

/// The owner changes the given fields; each change is an attribute of the event.
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    let mut changes: Vec<(&str, String)> = Vec::with_capacity(8);
    if let Some(addr) = update.model_licensing {
        config.model_licensing = validate_addr(deps.api, "model_licensing", &addr)?;
        changes.push(("model_licensing", config.model_licensing.to_string()));
    }
    if let Some(addr) = update.reward_pool {
        config.reward_pool = validate_addr(deps.api, "reward_pool", &addr)?;
        changes.push(("reward_pool", config.reward_pool.to_string()));
    }
    if let Some(bond) = update.min_agent_bond {
        config.min_agent_bond = bond;
        changes.push(("min_agent_bond", bond.to_string()));
    }
    if let Some(bps) = update.protocol_fee_bps {
        config.protocol_fee_bps = check_fee(bps)?;
        changes.push(("protocol_fee_bps", bps.to_string()));
    }
    if let Some(addr) = update.default_arbiter {
        config.default_arbiter = validate_addr(deps.api, "default_arbiter", &addr)?;
        changes.push(("default_arbiter", config.default_arbiter.to_string()));
    }
    if let Some(window) = update.arbitration_window {
        config.arbitration_window = check_window("arbitration_window", window, 1, MAX_WINDOW)?;
        changes.push(("arbitration_window", window.to_string()));
    }
    if let Some(period) = update.unbonding_period {
        config.unbonding_period = check_window("unbonding_period", period, 0, MAX_WINDOW)?;
        changes.push(("unbonding_period", period.to_string()));
    }
    if let Some(bps) = update.slash_bps {
        config.slash_bps = validate_bps("slash_bps", bps)?;
        changes.push(("slash_bps", bps.to_string()));
    }
    if changes.is_empty() {
        return Err(ContractError::NothingToUpdate);
    }
    check_wiring(&config, &env)?;
    // The default arbiter may not become (or stay, after a contract moved) a protocol contract.
    assert_not_reserved(&config, &env, "default_arbiter", &config.default_arbiter)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attributes(changes))
}
