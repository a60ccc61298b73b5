//! Instantiation: the owner, the configuration, an empty task counter and empty totals.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use openledger_common::msg::agent_escrow::{InstantiateMsg, MAX_WINDOW};
use openledger_common::ownership;
use openledger_common::{validate_addr, validate_bps};

use crate::error::ContractError;
use crate::state::{Config, Totals, CONFIG, TASK_COUNT, TOTALS};
use crate::validate::{assert_not_reserved, check_fee, check_window, check_wiring};

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
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        model_licensing: validate_addr(deps.api, "model_licensing", &msg.model_licensing)?,
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        min_agent_bond: msg.min_agent_bond,
        protocol_fee_bps: check_fee(msg.protocol_fee_bps)?,
        default_arbiter: validate_addr(deps.api, "default_arbiter", &msg.default_arbiter)?,
        arbitration_window: check_window(
            "arbitration_window",
            msg.arbitration_window,
            1,
            MAX_WINDOW,
        )?,
        unbonding_period: check_window("unbonding_period", msg.unbonding_period, 0, MAX_WINDOW)?,
        slash_bps: validate_bps("slash_bps", msg.slash_bps)?,
    };
    check_wiring(&config, &env)?;
    assert_not_reserved(&config, &env, "default_arbiter", &config.default_arbiter)?;
    CONFIG.save(deps.storage, &config)?;
    TASK_COUNT.save(deps.storage, &0)?;
    TOTALS.save(deps.storage, &Totals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("model_licensing", config.model_licensing)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("min_agent_bond", config.min_agent_bond)
        .add_attribute("protocol_fee_bps", config.protocol_fee_bps.to_string())
        .add_attribute("default_arbiter", config.default_arbiter)
        .add_attribute("arbitration_window", config.arbitration_window.to_string())
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute("slash_bps", config.slash_bps.to_string()))
}
