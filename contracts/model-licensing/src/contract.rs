//! Entry points. Every handler lives in `instantiate`, `execute`, `query` or `migrate`; no
//! execute message takes native coins (fees and licence prices arrive as cw20 through
//! `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use openledger_common::msg::model_licensing::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use openledger_common::ownership;

use crate::error::ContractError;
use crate::{execute, query, CONTRACT_NAME, CONTRACT_VERSION};

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
        ExecuteMsg::RegisterModel(new) => execute::register_model(deps, env, info, new),
        ExecuteMsg::UpdateModel {
            model_id,
            metadata_uri,
            inference_fee,
            tiers,
            hosts,
        } => execute::update_model(
            deps,
            info,
            model_id,
            metadata_uri,
            inference_fee,
            tiers,
            hosts,
        ),
        ExecuteMsg::SetModelStatus { model_id, status } => {
            execute::set_model_status(deps, info, model_id, status)
        }
        ExecuteMsg::TransferModel {
            model_id,
            new_owner,
        } => execute::transfer_model(deps, info, model_id, new_owner),
        ExecuteMsg::AcceptModel { model_id } => execute::accept_model(deps, info, model_id),
        ExecuteMsg::RecordLicensedInference {
            model_id,
            inference_id,
        } => execute::record_licensed_inference(deps, env, info, model_id, inference_id),
        ExecuteMsg::WithdrawEarnings {} => execute::withdraw_earnings(deps, info),
        ExecuteMsg::UpdateConfig {
            fee_split,
            reward_pool,
            registry,
        } => execute::update_config(deps, env, info, fee_split, reward_pool, registry),
        ExecuteMsg::UpdateOwnership(action) => {
            Ok(ownership::update(deps, &env, &info.sender, action)?)
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let binary = match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Model { model_id } => to_json_binary(&query::model(deps, model_id)?),
        QueryMsg::Models {
            owner,
            datanet_id,
            start_after,
            limit,
        } => to_json_binary(&query::models(deps, owner, datanet_id, start_after, limit)?),
        QueryMsg::License { model_id, licensee } => {
            to_json_binary(&query::license(deps, model_id, licensee)?)
        }
        QueryMsg::Licenses {
            licensee,
            start_after,
            limit,
        } => to_json_binary(&query::licenses(deps, licensee, start_after, limit)?),
        QueryMsg::ModelStats { model_id } => to_json_binary(&query::model_stats(deps, model_id)?),
        QueryMsg::Inference {
            model_id,
            payer,
            inference_id,
        } => to_json_binary(&query::inference(deps, model_id, payer, inference_id)?),
        QueryMsg::FeeQuote {
            model_id,
            attribution,
        } => to_json_binary(&query::fee_quote(deps, model_id, attribution)?),
        QueryMsg::ModelAncestry { model_id } => {
            to_json_binary(&query::model_ancestry(deps, model_id)?)
        }
        QueryMsg::Earnings { address } => to_json_binary(&query::earnings(deps, address)?),
        QueryMsg::Solvency {} => to_json_binary(&query::solvency(deps, env)?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
    }?;
    Ok(binary)
}

/// Upgrades in place (see `migrate`): checks the stored cw2 record, moves the id counter out
/// of a 0.2.0 configuration and records whether 0.2.0 inference records exist.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrate::migrate(deps)
}
