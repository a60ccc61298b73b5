//! Entry points. Every handler lives in `execute` or `query`; no execute message takes native
//! coins (fees and licence prices arrive as cw20 through `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Order, Response};
use openledger_common::msg::model_licensing::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

use crate::error::ContractError;
use crate::state::{HAS_LEGACY_INFERENCES, LEGACY_INFERENCES};
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
            execute::update_ownership(deps, env, info, action.into())
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    match msg {
        QueryMsg::Config {} => query::config(deps),
        QueryMsg::Model { model_id } => query::model(deps, model_id),
        QueryMsg::Models {
            owner,
            datanet_id,
            start_after,
            limit,
        } => query::models(deps, owner, datanet_id, start_after, limit),
        QueryMsg::License { model_id, licensee } => query::license(deps, model_id, licensee),
        QueryMsg::Licenses {
            licensee,
            start_after,
            limit,
        } => query::licenses(deps, licensee, start_after, limit),
        QueryMsg::ModelStats { model_id } => query::model_stats(deps, model_id),
        QueryMsg::Inference {
            model_id,
            payer,
            inference_id,
        } => query::inference(deps, model_id, payer, inference_id),
        QueryMsg::FeeQuote {
            model_id,
            attribution,
        } => query::fee_quote(deps, model_id, attribution),
        QueryMsg::Earnings { address } => query::earnings(deps, address),
        QueryMsg::Solvency {} => query::solvency(deps, env),
        QueryMsg::Ownership {} => query::ownership(deps),
    }
}

/// Upgrades in place. Inference records of 0.2.0 (keyed by model and id) are not moved: one
/// read finds whether there are any, and only then do payments also look there (a 0.2.0
/// record still blocks a replay by its own payer).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from =
        openledger_common::migrate::ensure_upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let legacy = LEGACY_INFERENCES
        .keys_raw(deps.storage, None, None, Order::Ascending)
        .next()
        .is_some();
    HAS_LEGACY_INFERENCES.save(deps.storage, &legacy)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", from)
        .add_attribute("to_version", CONTRACT_VERSION)
        .add_attribute("legacy_inferences", legacy.to_string()))
}
