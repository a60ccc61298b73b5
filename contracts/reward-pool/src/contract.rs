#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, Uint128};
use cw_utils::nonpayable;
use openledger_common::msg::reward_pool::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, DEFAULT_STAKING_REWARD_PERIOD,
};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{
    AttributionConfig, BondTotals, Config, StakingPool, Totals, ATTRIBUTION_CONFIG, BOND_TOTALS,
    CONFIG, STAKING, TOTALS, TREASURY,
};
use crate::{attribution, execute, query, CONTRACT_NAME, CONTRACT_VERSION};

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
    execute::check_unbonding_period(msg.unbonding_period)?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        registry: msg
            .registry
            .map(|r| validate_addr(deps.api, "registry", &r))
            .transpose()?,
        unbonding_period: msg.unbonding_period,
        staking_reward_period: DEFAULT_STAKING_REWARD_PERIOD,
    };
    CONFIG.save(deps.storage, &config)?;
    TREASURY.save(deps.storage, &Uint128::zero())?;
    TOTALS.save(deps.storage, &Totals::default())?;
    STAKING.save(deps.storage, &StakingPool::default())?;
    ATTRIBUTION_CONFIG.save(deps.storage, &AttributionConfig::default())?;
    BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token.as_str())
        .add_attribute(
            "registry",
            config.registry.as_ref().map_or("", |r| r.as_str()),
        )
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute(
            "staking_reward_period",
            config.staking_reward_period.to_string(),
        ))
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
        ExecuteMsg::Receive(wrapper) => execute::receive_cw20(deps, env, info, wrapper),
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
        ExecuteMsg::ClaimStakingRewards {} => execute::claim_staking_rewards(deps, env, info),
        ExecuteMsg::WithdrawTreasury { amount, recipient } => {
            execute::withdraw_treasury(deps, env, info, amount, recipient)
        }
        ExecuteMsg::UpdateConfig {
            registry,
            unbonding_period,
            staking_reward_period,
        } => execute::update_config(
            deps,
            env,
            info,
            registry,
            unbonding_period,
            staking_reward_period,
        ),
        ExecuteMsg::UpdateAttributionConfig {
            challenge_window,
            attestor_bond,
            challenge_bond,
        } => attribution::update_attribution_config(
            deps,
            info,
            challenge_window,
            attestor_bond,
            challenge_bond,
        ),
        ExecuteMsg::UpdateAttestors { add, remove } => {
            attribution::update_attestors(deps, env, info, add, remove)
        }
        ExecuteMsg::PostAttributionRoot {
            datanet_id,
            epoch,
            root,
            cumulative_total,
        } => attribution::post_root(deps, env, info, datanet_id, epoch, root, cumulative_total),
        ExecuteMsg::ChallengeRoot { .. } => attribution::refuse_unbonded_challenge(deps),
        ExecuteMsg::ResolveChallenge {
            datanet_id,
            epoch,
            void,
        } => attribution::resolve_challenge(deps, env, info, datanet_id, epoch, void),
        ExecuteMsg::WithdrawChallenge { datanet_id } => {
            attribution::withdraw_challenge(deps, info, datanet_id)
        }
        ExecuteMsg::ClaimAttribution {
            datanet_id,
            epoch,
            cumulative_amount,
            proof,
        } => attribution::claim(deps, env, info, datanet_id, epoch, cumulative_amount, proof),
        ExecuteMsg::UpdateOwnership(action) => {
            execute::update_ownership(deps, env, info, action.into())
        }
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
        QueryMsg::Staker { address } => query::staker(deps, env, address),
        QueryMsg::StakingPool {} => query::staking_pool(deps, env),
        QueryMsg::Solvency {} => query::solvency(deps, env),
        QueryMsg::AttributionRoot { datanet_id } => query::attribution_root(deps, env, datanet_id),
        QueryMsg::Claimed {
            datanet_id,
            address,
        } => query::claimed(deps, datanet_id, address),
        QueryMsg::AttributionClaimable {
            datanet_id,
            address,
            cumulative_amount,
            proof,
        } => query::attribution_claimable(deps, env, datanet_id, address, cumulative_amount, proof),
        QueryMsg::Challenge {
            datanet_id,
            address,
        } => query::challenge(deps, datanet_id, address),
        QueryMsg::Attestors { start_after, limit } => {
            query::attestors(deps, env, start_after, limit)
        }
        QueryMsg::Attestor { address } => query::attestor(deps, env, address),
        QueryMsg::Ownership {} => Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from =
        openledger_common::migrate::ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    // Pools instantiated before influence attribution existed get its settings (defaults:
    // window 1 h, bonds 1 000 000 units) and zero bond totals; later runs keep what is stored.
    let mut res = Response::new();
    if !ATTRIBUTION_CONFIG.exists(deps.storage) {
        ATTRIBUTION_CONFIG.save(deps.storage, &AttributionConfig::default())?;
        res = res.add_attribute("attribution_config", "defaults");
    }
    if !BOND_TOTALS.exists(deps.storage) {
        BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    }
    // A config of 0.2.0 has no staking reward period: it reads as the default (seven days)
    // and is stored so. Stakes, positions and accumulators keep their values; the staking
    // pool has no stream until its next stakers allocation.
    let config = CONFIG.load(deps.storage)?;
    CONFIG.save(deps.storage, &config)?;
    res = res.add_attribute(
        "staking_reward_period",
        config.staking_reward_period.to_string(),
    );
    Ok(res
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from)
        .add_attribute("to_version", CONTRACT_VERSION))
}
