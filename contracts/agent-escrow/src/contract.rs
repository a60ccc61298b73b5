//! Entry points. Every handler lives in `instantiate`, `execute`, `query`, `reply` or
//! `migrate`; no message takes native coins (bonds and deposits arrive as cw20 through
//! `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Reply, Response};
use openledger_common::migrate::upgrade;
use openledger_common::msg::agent_escrow::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use openledger_common::ownership;

use crate::error::ContractError;
use crate::state::REPLY_MODEL_FEE;
use crate::{execute, migrate as migration, query, reply, CONTRACT_NAME, CONTRACT_VERSION};

/// Records the cw2 version and the configuration; takes no coins.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    cw_utils::nonpayable(&info)?;
    crate::instantiate::instantiate(deps, env, info, msg)
}

/// Runs an execute message; takes no coins (tokens arrive through the cw20 hook).
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
        ExecuteMsg::AcceptTask { task_id } => execute::tasks::accept_task(deps, env, info, task_id),
        ExecuteMsg::DeclineTask { task_id } => {
            execute::tasks::decline_task(deps, env, info, task_id)
        }
        ExecuteMsg::CancelTask { task_id } => execute::tasks::cancel_task(deps, env, info, task_id),
        ExecuteMsg::SubmitMilestone {
            task_id,
            milestone,
            result_hash,
            result_uri,
            inferences,
            input_hash,
        } => execute::delivery::submit_milestone(
            deps,
            env,
            info,
            (task_id, milestone),
            execute::delivery::Delivery {
                result_hash,
                result_uri,
                inferences,
                input_hash,
            },
        ),
        ExecuteMsg::DelegateTask {
            task_id,
            milestone,
            task,
        } => execute::delegation::delegate_task(deps, env, info, (task_id, milestone), task),
        ExecuteMsg::EvaluateMilestone {
            task_id,
            milestone,
            result_hash,
            approve,
            reason_hash,
        } => execute::evaluation::evaluate_milestone(
            deps,
            env,
            info,
            (task_id, milestone),
            (result_hash, approve, reason_hash),
        ),
        ExecuteMsg::Escalate { task_id, milestone } => {
            execute::evaluation::escalate(deps, env, task_id, milestone)
        }
        ExecuteMsg::ResignOversight { task_id } => {
            execute::oversight::resign_oversight(deps, info, task_id)
        }
        ExecuteMsg::GiveFeedback {
            task_id,
            subject,
            rating,
            tag,
        } => execute::feedback::give_feedback(deps, env, info, task_id, (subject, rating, tag)),
        ExecuteMsg::ApproveMilestone { task_id, milestone } => {
            execute::review::approve_milestone(deps, env, info, task_id, milestone)
        }
        ExecuteMsg::DisputeMilestone {
            task_id,
            milestone,
            reason,
        } => execute::review::dispute_milestone(deps, env, info, task_id, milestone, reason),
        ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps,
        } => execute::review::resolve(deps, env, info, task_id, milestone, agent_share_bps),
        ExecuteMsg::Finalize { task_id, milestone } => {
            execute::review::finalize(deps, env, task_id, milestone)
        }
        ExecuteMsg::Refund { task_id } => execute::refunds::refund(deps, env, task_id),
        msg @ (ExecuteMsg::UpdateAgent { .. }
        | ExecuteMsg::UpdateEvaluator { .. }
        | ExecuteMsg::UnbondEvaluator {}
        | ExecuteMsg::WithdrawEvaluatorBond {}
        | ExecuteMsg::Unbond {}
        | ExecuteMsg::WithdrawBond {}
        | ExecuteMsg::UpdateConfig { .. }
        | ExecuteMsg::UpdateOwnership(_)) => execute_profiles(deps, env, info, msg),
    }
}

/// Profiles, bonds, configuration and ownership: the messages `execute` hands over.
fn execute_profiles(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::UpdateAgent {
            name,
            metadata_uri,
            models,
            capabilities,
        } => execute::agents::update_agent(deps, info, name, metadata_uri, (models, capabilities)),
        ExecuteMsg::UpdateEvaluator {
            name,
            metadata_uri,
            capabilities,
            fee,
        } => execute::evaluators::update_evaluator(
            deps,
            info,
            (name, metadata_uri),
            (capabilities, fee),
        ),
        ExecuteMsg::UnbondEvaluator {} => execute::evaluators::unbond_evaluator(deps, env, info),
        ExecuteMsg::WithdrawEvaluatorBond {} => {
            execute::evaluators::withdraw_evaluator_bond(deps, env, info)
        }
        ExecuteMsg::Unbond {} => execute::agents::unbond(deps, env, info),
        ExecuteMsg::WithdrawBond {} => execute::agents::withdraw_bond(deps, env, info),
        ExecuteMsg::UpdateConfig {
            model_licensing,
            reward_pool,
            min_agent_bond,
            protocol_fee_bps,
            default_arbiter,
            arbitration_window,
            unbonding_period,
            slash_bps,
        } => execute::admin::update_config(
            deps,
            env,
            info,
            execute::admin::ConfigUpdate {
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
            Ok(ownership::update(deps, &env, &info.sender, action)?)
        }
        // `execute` hands over only the messages above.
        _ => unreachable!("execute_profiles is given profile, bond and configuration messages"),
    }
}

/// Handles the reply to a failed model-fee payment; any other reply id is an error.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, env: Env, msg: Reply) -> Result<Response, ContractError> {
    match msg.id {
        REPLY_MODEL_FEE => reply::model_fee_failed(deps, env, msg),
        id => Err(ContractError::UnknownReplyId { id }),
    }
}

/// Answers a query with the JSON of its typed response.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Agent { address } => to_json_binary(&query::agent(deps, address)?),
        QueryMsg::Agents { start_after, limit } => {
            to_json_binary(&query::agents(deps, start_after, limit)?)
        }
        QueryMsg::Task { task_id } => to_json_binary(&query::task(deps, task_id)?),
        QueryMsg::TasksByClient {
            client,
            start_after,
            limit,
        } => to_json_binary(&query::tasks_by_client(deps, client, start_after, limit)?),
        QueryMsg::TasksByAgent {
            agent,
            start_after,
            limit,
        } => to_json_binary(&query::tasks_by_agent(deps, agent, start_after, limit)?),
        QueryMsg::TasksByStatus {
            status,
            start_after,
            limit,
        } => to_json_binary(&query::tasks_by_status(deps, status, start_after, limit)?),
        QueryMsg::Solvency {} => to_json_binary(&query::solvency(deps, env)?),
        QueryMsg::Evaluator { address } => to_json_binary(&query::evaluator(deps, address)?),
        QueryMsg::Evaluators { start_after, limit } => {
            to_json_binary(&query::evaluators(deps, start_after, limit)?)
        }
        QueryMsg::Reputation { address } => to_json_binary(&query::reputation(deps, address)?),
        QueryMsg::AgentsByCapability {
            capability,
            start_after,
            limit,
        } => to_json_binary(&query::agents_by_capability(
            deps,
            capability,
            start_after,
            limit,
        )?),
        QueryMsg::EvaluatorsByCapability {
            capability,
            start_after,
            limit,
        } => to_json_binary(&query::evaluators_by_capability(
            deps,
            capability,
            start_after,
            limit,
        )?),
        QueryMsg::Workflow {
            task_id,
            start_after,
            limit,
        } => to_json_binary(&query::workflow(deps, task_id, start_after, limit)?),
        QueryMsg::Feedback { task_id } => to_json_binary(&query::feedback(deps, task_id)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
    }?)
}

/// Checks the stored name and version, then migrates stored state (see `migrate.rs`).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let res = upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    migration::move_task_counter(deps.storage)?;
    let reserved = migration::reserve_for_unreserved_tasks(deps.storage)?;
    Ok(res.add_attribute("tasks_reserved", reserved.to_string()))
}
