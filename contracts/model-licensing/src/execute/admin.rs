//! Contract administration by its owner: the configuration and the two-step ownership.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use openledger_common::fee::FeeSplit;
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::CONFIG;
use crate::validate::check_wiring;

/// The owner changes the fee split, the reward pool or the registry (at least one); applies to
/// later messages.
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    fee_split: Option<FeeSplit>,
    reward_pool: Option<String>,
    registry: Option<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if fee_split.is_none() && reward_pool.is_none() && registry.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(split) = fee_split {
        split.validate()?;
        config.fee_split = split;
    }
    if let Some(pool) = reward_pool {
        config.reward_pool = validate_addr(deps.api, "reward_pool", &pool)?;
    }
    if let Some(registry) = registry {
        config.registry = validate_addr(deps.api, "registry", &registry)?;
    }
    check_wiring(&config, &env.contract.address)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("fee_split", config.fee_split_attr())
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("registry", config.registry))
}
