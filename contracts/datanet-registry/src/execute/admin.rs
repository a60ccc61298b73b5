//! Administration of the registry by its owner: configuration and ownership.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::{reserved_name, validate_addr};

use crate::error::ContractError;
use crate::state::CONFIG;

/// Changes the creation fee and/or the reward pool (registry owner only).
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    creation_fee: Option<Uint128>,
    reward_pool: Option<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if creation_fee.is_none() && reward_pool.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(fee) = creation_fee {
        config.creation_fee = fee;
    }
    if let Some(pool) = reward_pool {
        let pool = validate_addr(deps.api, "reward_pool", &pool)?;
        // The registry calls the pool in every creation and review: itself or the token there
        // would make them all fail, and rejected bonds would be sent where nobody counts them.
        let reserved = [
            ("the registry itself", &env.contract.address),
            ("the fee token contract", &config.token),
        ];
        if let Some(what) = reserved_name(&pool, &reserved) {
            return Err(ContractError::InvalidAddress {
                field: "reward_pool".to_string(),
                address: pool.into_string(),
                reason: format!("{what} cannot be the reward_pool"),
            });
        }
        config.reward_pool = pool;
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("creation_fee", config.creation_fee)
        .add_attribute("reward_pool", config.reward_pool))
}
