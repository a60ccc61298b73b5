//! Instantiation: the owner, the configuration and the empty counters.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::msg::model_licensing::InstantiateMsg;
use openledger_common::ownership;
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{Config, CONFIG, MODEL_COUNT, OWED_EARNINGS};
use crate::validate::check_wiring;

/// Records the owner (the sender unless `owner` is given) and the validated configuration.
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let owner = ownership::initialize::<ContractError>(
        deps.storage,
        deps.api,
        info.sender,
        msg.owner.as_deref(),
    )?;
    let fee_split = msg.fee_split.unwrap_or_default();
    fee_split.validate()?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        registry: validate_addr(deps.api, "registry", &msg.registry)?,
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        fee_split,
    };
    check_wiring(&config, &env.contract.address)?;
    CONFIG.save(deps.storage, &config)?;
    MODEL_COUNT.save(deps.storage, &0)?;
    OWED_EARNINGS.save(deps.storage, &Uint128::zero())?;
    let fee_split = config.fee_split_attr();
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("registry", config.registry)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("fee_split", fee_split))
}
