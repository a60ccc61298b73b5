//! Entry points. Every handler lives in `execute` or `query`; no execute message takes native
//! coins (bonds and fees arrive as cw20 through `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response};
use openledger_common::msg::datanet_registry::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

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
        ExecuteMsg::CreateDatanet(new) => {
            execute::create_datanet(deps, env, info.sender, None, new)
        }
        ExecuteMsg::UpdateDatanet {
            datanet_id,
            description,
            metadata_uri,
            policy,
        } => execute::update_datanet(deps, info, datanet_id, description, metadata_uri, policy),
        ExecuteMsg::UpdateCurators {
            datanet_id,
            add,
            remove,
        } => execute::update_curators(deps, info, datanet_id, add, remove),
        ExecuteMsg::UpdateAllowlist {
            datanet_id,
            add,
            remove,
        } => execute::update_allowlist(deps, info, datanet_id, add, remove),
        ExecuteMsg::CloseDatanet { datanet_id } => execute::close_datanet(deps, info, datanet_id),
        ExecuteMsg::TransferDatanet {
            datanet_id,
            new_owner,
        } => execute::transfer_datanet(deps, info, datanet_id, new_owner),
        ExecuteMsg::AcceptDatanet { datanet_id } => execute::accept_datanet(deps, info, datanet_id),
        ExecuteMsg::Contribute(new) => {
            execute::contribute(deps, env, info.sender, None, new, false)
        }
        ExecuteMsg::CommitContribution {
            datanet_id,
            commitment,
        } => execute::commit_contribution(deps, env, info, datanet_id, commitment),
        ExecuteMsg::RevealContribution(new) => {
            execute::contribute(deps, env, info.sender, None, new, true)
        }
        ExecuteMsg::WithdrawContribution { contribution_id } => {
            execute::withdraw_contribution(deps, info, contribution_id)
        }
        ExecuteMsg::ReviewContributions {
            datanet_id,
            decisions,
        } => execute::review_contributions(deps, env, info, datanet_id, decisions),
        ExecuteMsg::RemoveContribution {
            contribution_id,
            reason,
        } => execute::remove_contribution(deps, env, info, contribution_id, reason),
        ExecuteMsg::PublishVersion { datanet_id } => {
            execute::publish_version(deps, env, info, datanet_id)
        }
        ExecuteMsg::WithdrawBonds {} => execute::withdraw_bonds(deps, info),
        ExecuteMsg::UpdateConfig {
            creation_fee,
            reward_pool,
        } => execute::update_config(deps, env, info, creation_fee, reward_pool),
        ExecuteMsg::UpdateOwnership(action) => {
            execute::update_ownership(deps, env, info, action.into())
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    match msg {
        QueryMsg::Config {} => query::config(deps),
        QueryMsg::Datanet { datanet_id } => query::datanet(deps, datanet_id),
        QueryMsg::Datanets {
            owner,
            start_after,
            limit,
        } => query::datanets(deps, owner, start_after, limit),
        QueryMsg::Contribution { contribution_id } => query::contribution(deps, contribution_id),
        QueryMsg::ContributionsByDatanet {
            datanet_id,
            status,
            start_after,
            limit,
        } => query::contributions_by_datanet(deps, datanet_id, status, start_after, limit),
        QueryMsg::ContributionsByContributor {
            contributor,
            start_after,
            limit,
        } => query::contributions_by_contributor(deps, contributor, start_after, limit),
        QueryMsg::Contributor {
            datanet_id,
            address,
        } => query::contributor(deps, datanet_id, address),
        QueryMsg::IsAllowed {
            datanet_id,
            address,
        } => query::is_allowed(deps, datanet_id, address),
        QueryMsg::Version {
            datanet_id,
            version,
        } => query::version(deps, datanet_id, version),
        QueryMsg::Versions {
            datanet_id,
            start_after,
            limit,
        } => query::versions(deps, datanet_id, start_after, limit),
        QueryMsg::WithdrawableBonds { address } => query::withdrawable_bonds(deps, address),
        QueryMsg::Solvency {} => query::solvency(deps, env),
        QueryMsg::Commitment {
            datanet_id,
            contributor,
            commitment,
        } => query::commitment(deps, env, datanet_id, contributor, commitment),
        QueryMsg::Commitments {
            datanet_id,
            contributor,
            start_after,
            limit,
        } => query::commitments(deps, env, datanet_id, contributor, start_after, limit),
        QueryMsg::Ownership {} => query::ownership(deps),
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
