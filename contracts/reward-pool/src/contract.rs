//! The entry points: each a flat dispatch to the module that handles the message.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use cw_utils::nonpayable;
use openledger_common::msg::reward_pool::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use openledger_common::ownership;

use crate::error::ContractError;
use crate::execute::{admin, attestors, challenges, claims, datanets, distribute, roots, staking};
use crate::{earnings, query};

/// Instantiates the pool (no funds).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    crate::instantiate::instantiate(deps, info, msg)
}

/// Executes a message (no native funds: tokens arrive through the cw20 hook).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    match msg {
        ExecuteMsg::Receive(wrapper) => distribute::receive_cw20(deps, env, info, wrapper),
        ExecuteMsg::RegisterDatanet { datanet_id, mode } => {
            datanets::register_datanet(deps, info, datanet_id, mode)
        }
        ExecuteMsg::UpdateWeights {
            datanet_id,
            updates,
        } => datanets::update_weights(deps, info, datanet_id, updates),
        ExecuteMsg::PublishVersion {
            datanet_id,
            version,
            total_weight,
        } => datanets::publish_version(deps, info, datanet_id, version, total_weight),
        ExecuteMsg::SetCurators {
            datanet_id,
            curators,
        } => datanets::set_curators(deps, info, datanet_id, curators),
        ExecuteMsg::Claim { datanet_ids } => claims::claim(deps, info, datanet_ids),
        ExecuteMsg::ClaimRanges {
            datanet_id,
            start_after,
            limit,
        } => claims::claim_ranges(deps, info, datanet_id, start_after, limit),
        ExecuteMsg::Unstake { amount } => staking::unstake(deps, env, info, amount),
        ExecuteMsg::WithdrawUnbonded {} => staking::withdraw_unbonded(deps, env, info),
        ExecuteMsg::ClaimStakingRewards {} => staking::claim_staking_rewards(deps, env, info),
        ExecuteMsg::WithdrawTreasury { amount, recipient } => {
            admin::withdraw_treasury(deps, env, info, amount, recipient)
        }
        ExecuteMsg::UpdateConfig {
            registry,
            unbonding_period,
            staking_reward_period,
            curators_bps,
        } => admin::update_config(
            deps,
            env,
            info,
            admin::ConfigUpdate {
                registry,
                unbonding_period,
                staking_reward_period,
                curators_bps,
            },
        ),
        ExecuteMsg::UpdateAttributionConfig {
            challenge_window,
            attestor_bond,
            challenge_bond,
        } => attestors::update_attribution_config(
            deps,
            info,
            challenge_window,
            attestor_bond,
            challenge_bond,
        ),
        ExecuteMsg::UpdateAttestors { add, remove } => {
            attestors::update_attestors(deps, env, info, add, remove)
        }
        ExecuteMsg::PostAttributionRoot {
            datanet_id,
            epoch,
            root,
            cumulative_total,
            version,
        } => {
            let new = roots::NewRoot::new(datanet_id, epoch, root, cumulative_total, version);
            roots::post_root(deps, env, info, new)
        }
        ExecuteMsg::ChallengeRoot { .. } => challenges::refuse_unbonded_challenge(deps),
        ExecuteMsg::ResolveChallenge {
            datanet_id,
            epoch,
            void,
        } => challenges::resolve_challenge(deps, env, info, datanet_id, epoch, void),
        ExecuteMsg::WithdrawChallenge { datanet_id } => {
            challenges::withdraw_challenge(deps, info, datanet_id)
        }
        ExecuteMsg::ClaimAttribution {
            datanet_id,
            epoch,
            cumulative_amount,
            proof,
        } => roots::claim(deps, env, info, datanet_id, epoch, cumulative_amount, proof),
        ExecuteMsg::UpdateOwnership(action) => {
            Ok(ownership::update(deps, &env, &info.sender, action)?)
        }
    }
}

/// Answers a query; each answer is a typed response, serialised here.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::PendingRewards {
            address,
            datanet_ids,
            start_after,
            limit,
        } => to_json_binary(&earnings::pending_rewards(
            deps,
            address,
            datanet_ids,
            start_after,
            limit,
        )?),
        QueryMsg::Earnings {
            address,
            start_after_range,
            start_after_source,
            limit,
        } => to_json_binary(&earnings::earnings(
            deps,
            address,
            start_after_range,
            start_after_source,
            limit,
        )?),
        QueryMsg::Ranges {
            datanet_id,
            address,
            start_after,
            limit,
        } => to_json_binary(&earnings::ranges(
            deps,
            datanet_id,
            address,
            start_after,
            limit,
        )?),
        QueryMsg::DatanetPool { datanet_id } => {
            to_json_binary(&query::datanet_pool(deps, datanet_id)?)
        }
        QueryMsg::Position {
            datanet_id,
            address,
        } => to_json_binary(&earnings::position(deps, datanet_id, address)?),
        QueryMsg::Staker { address } => to_json_binary(&query::staker(deps, env, address)?),
        QueryMsg::StakingPool {} => to_json_binary(&query::staking_pool(deps, env)?),
        QueryMsg::Solvency {} => to_json_binary(&query::solvency(deps, env)?),
        QueryMsg::AttributionRoot { datanet_id } => {
            to_json_binary(&query::attribution_root(deps, env, datanet_id)?)
        }
        QueryMsg::Claimed {
            datanet_id,
            address,
        } => to_json_binary(&query::claimed(deps, datanet_id, address)?),
        QueryMsg::AttributionClaimable {
            datanet_id,
            address,
            cumulative_amount,
            proof,
        } => to_json_binary(&query::attribution_claimable(
            deps,
            env,
            datanet_id,
            address,
            cumulative_amount,
            proof,
        )?),
        QueryMsg::Challenge {
            datanet_id,
            address,
        } => to_json_binary(&query::challenge(deps, datanet_id, address)?),
        QueryMsg::Curators { datanet_id } => to_json_binary(&earnings::curators(deps, datanet_id)?),
        QueryMsg::Attestors { start_after, limit } => {
            to_json_binary(&query::attestors(deps, env, start_after, limit)?)
        }
        QueryMsg::Attestor { address } => to_json_binary(&query::attestor(deps, env, address)?),
        QueryMsg::Ownership {} => to_json_binary(&cw_ownable::get_ownership(deps.storage)?),
    }?)
}

/// Migrates a deployed pool to this version (see `migrate`).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrate::migrate(deps)
}
