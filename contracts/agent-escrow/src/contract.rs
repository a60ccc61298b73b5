//! Entry points. Every handler lives in `execute`, `query` or `reply`; no message takes native
//! coins (bonds and deposits arrive as cw20 through `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};
use openledger_common::msg::agent_escrow::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::error::ContractError;
use crate::state::REPLY_MODEL_FEE;
use crate::{execute, query, reply, CONTRACT_NAME, CONTRACT_VERSION};

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    cw_utils::nonpayable(&info)?;
    execute::instantiate(deps, env, info, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Receive(wrapper) => execute::receive(deps, env, info, wrapper),
        ExecuteMsg::AcceptTask { task_id } => execute::accept_task(deps, env, info, task_id),
        ExecuteMsg::DeclineTask { task_id } => execute::decline_task(deps, env, info, task_id),
        ExecuteMsg::CancelTask { task_id } => execute::cancel_task(deps, env, info, task_id),
        ExecuteMsg::SubmitMilestone {
            task_id,
            milestone,
            result_hash,
            result_uri,
            inferences,
        } => execute::submit_milestone(
            deps,
            env,
            info,
            task_id,
            milestone,
            result_hash,
            result_uri,
            inferences,
        ),
        ExecuteMsg::ApproveMilestone { task_id, milestone } => {
            execute::approve_milestone(deps, env, info, task_id, milestone)
        }
        ExecuteMsg::DisputeMilestone {
            task_id,
            milestone,
            reason,
        } => execute::dispute_milestone(deps, env, info, task_id, milestone, reason),
        ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps,
        } => execute::resolve(deps, env, info, task_id, milestone, agent_share_bps),
        ExecuteMsg::Finalize { task_id, milestone } => {
            execute::finalize(deps, env, task_id, milestone)
        }
        ExecuteMsg::Refund { task_id } => execute::refund(deps, env, task_id),
        ExecuteMsg::UpdateAgent {
            name,
            metadata_uri,
            models,
        } => execute::update_agent(deps, info, name, metadata_uri, models),
        ExecuteMsg::Unbond {} => execute::unbond(deps, env, info),
        ExecuteMsg::WithdrawBond {} => execute::withdraw_bond(deps, env, info),
        ExecuteMsg::UpdateConfig {
            model_licensing,
            reward_pool,
            min_agent_bond,
            protocol_fee_bps,
            default_arbiter,
            arbitration_window,
            unbonding_period,
            slash_bps,
        } => execute::update_config(
            deps,
            env,
            info,
            execute::ConfigUpdate {
                model_licensing,
                reward_pool,
                min_agent_bond,
                protocol_fee_bps,
                default_arbiter,
                arbitration_window,
                unbonding_period,
                slash_bps,
            },
        ),
        ExecuteMsg::UpdateOwnership(action) => {
            execute::update_ownership(deps, env, info, action.into())
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        REPLY_MODEL_FEE => reply::model_fee_failed(deps, env, msg),
        id => Err(ContractError::UnknownReplyId { id }),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    match msg {
        QueryMsg::Config {} => query::config(deps),
        QueryMsg::Agent { address } => query::agent(deps, address),
        QueryMsg::Agents { start_after, limit } => query::agents(deps, start_after, limit),
        QueryMsg::Task { task_id } => query::task(deps, task_id),
        QueryMsg::TasksByClient {
            client,
            start_after,
            limit,
        } => query::tasks_by_client(deps, client, start_after, limit),
        QueryMsg::TasksByAgent {
            agent,
            start_after,
            limit,
        } => query::tasks_by_agent(deps, agent, start_after, limit),
        QueryMsg::TasksByStatus {
            status,
            start_after,
            limit,
        } => query::tasks_by_status(deps, status, start_after, limit),
        QueryMsg::Solvency {} => query::solvency(deps, env),
        QueryMsg::Ownership {} => query::ownership(deps),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from =
        openledger_common::migrate::ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let reserved = execute::reserve_for_unreserved_tasks(deps.storage)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from)
        .add_attribute("to_version", CONTRACT_VERSION)
        .add_attribute("tasks_reserved", reserved.to_string()))
}
