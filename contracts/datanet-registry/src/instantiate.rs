//! Instantiation: the owner, the fee token, the reward pool and the creation fee.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use openledger_common::msg::datanet_registry::InstantiateMsg;
use openledger_common::ownership;
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{BondTotals, Config, BOND_TOTALS, CONFIG, CONTRIBUTION_COUNT, DATANET_COUNT};

/// Records the configuration (the owner defaults to the sender) and zero counters and totals.
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let owner = ownership::initialize::<ContractError>(
        deps.storage,
        deps.api,
        info.sender,
        msg.owner.as_deref(),
    )?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        creation_fee: msg.creation_fee,
    };
    CONFIG.save(deps.storage, &config)?;
    DATANET_COUNT.save(deps.storage, &0)?;
    CONTRIBUTION_COUNT.save(deps.storage, &0)?;
    BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("creation_fee", config.creation_fee))
}
