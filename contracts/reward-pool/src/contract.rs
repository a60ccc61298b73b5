#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, Uint128};
use cw_utils::nonpayable;
use openledger_common::msg::reward_pool::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{Config, StakingPool, Totals, CONFIG, STAKING, TOTALS, TREASURY};
use crate::{execute, query, CONTRACT_NAME, CONTRACT_VERSION};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    nonpayable(&info)?;
    let owner = msg.owner.as_deref().unwrap_or(info.sender.as_str());
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner))?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        registry: msg
            .registry
            .map(|r| validate_addr(deps.api, "registry", &r))
            .transpose()?,
        unbonding_period: msg.unbonding_period,
    };
    CONFIG.save(deps.storage, &config)?;
    TREASURY.save(deps.storage, &Uint128::zero())?;
    TOTALS.save(deps.storage, &Totals::default())?;
    STAKING.save(deps.storage, &StakingPool::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    match msg {
        ExecuteMsg::Receive(wrapper) => execute::receive_cw20(deps, info, wrapper),
        ExecuteMsg::RegisterDatanet { datanet_id, mode } => {
            execute::register_datanet(deps, info, datanet_id, mode)
        }
        ExecuteMsg::UpdateWeights {
            datanet_id,
            updates,
        } => execute::update_weights(deps, info, datanet_id, updates),
        ExecuteMsg::Claim { datanet_ids } => execute::claim(deps, info, datanet_ids),
        ExecuteMsg::Unstake { amount } => execute::unstake(deps, env, info, amount),
        ExecuteMsg::WithdrawUnbonded {} => execute::withdraw_unbonded(deps, env, info),
        ExecuteMsg::ClaimStakingRewards {} => execute::claim_staking_rewards(deps, info),
        ExecuteMsg::WithdrawTreasury { amount, recipient } => {
            execute::withdraw_treasury(deps, info, amount, recipient)
        }
        ExecuteMsg::UpdateConfig {
            registry,
            unbonding_period,
        } => execute::update_config(deps, info, registry, unbonding_period),
        ExecuteMsg::UpdateOwnership(action) => execute::update_ownership(deps, env, info, action),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    match msg {
        QueryMsg::Config {} => query::config(deps),
        QueryMsg::PendingRewards {
            address,
            datanet_ids,
        } => query::pending_rewards(deps, address, datanet_ids),
        QueryMsg::DatanetPool { datanet_id } => query::datanet_pool(deps, datanet_id),
        QueryMsg::Position {
            datanet_id,
            address,
        } => query::position(deps, datanet_id, address),
        QueryMsg::Staker { address } => query::staker(deps, address),
        QueryMsg::StakingPool {} => query::staking_pool(deps),
        QueryMsg::Solvency {} => query::solvency(deps, env),
        QueryMsg::Ownership {} => Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from =
        openledger_common::migrate::ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from)
        .add_attribute("to_version", CONTRACT_VERSION))
}
