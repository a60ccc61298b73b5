//! Entry points. Every handler lives in `instantiate`, `execute`, `query` or `migrate`; no
//! execute message takes native coins (bonds and fees arrive as cw20 through `receive`).

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};
use openledger_common::msg::datanet_registry::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use openledger_common::ownership;

use crate::error::ContractError;
use crate::execute::{
    admin, bonds, commitments, contributions, curation, datanets, receive, versions,
};
use crate::{query, CONTRACT_NAME, CONTRACT_VERSION};

/// Records the cw2 version, refuses native coins and instantiates the registry.
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

/// Refuses native coins and dispatches each message to its handler.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    match msg {
        ExecuteMsg::Receive(wrapper) => receive::receive(deps, env, info, wrapper),
        ExecuteMsg::CreateDatanet(new) => {
            datanets::create_datanet(deps, env, info.sender, None, new)
        }
        ExecuteMsg::UpdateDatanet {
            datanet_id,
            description,
            metadata_uri,
            policy,
        } => datanets::update_datanet(deps, info, datanet_id, description, metadata_uri, policy),
        ExecuteMsg::UpdateCurators {
            datanet_id,
            add,
            remove,
        } => datanets::update_curators(deps, info, datanet_id, add, remove),
        ExecuteMsg::UpdateAllowlist {
            datanet_id,
            add,
            remove,
        } => datanets::update_allowlist(deps, info, datanet_id, add, remove),
        ExecuteMsg::CloseDatanet { datanet_id } => datanets::close_datanet(deps, info, datanet_id),
        ExecuteMsg::TransferDatanet {
            datanet_id,
            new_owner,
        } => datanets::transfer_datanet(deps, info, datanet_id, new_owner),
        ExecuteMsg::AcceptDatanet { datanet_id } => {
            datanets::accept_datanet(deps, info, datanet_id)
        }
        ExecuteMsg::Contribute(new) => {
            contributions::contribute(deps, env, info.sender, None, new, false)
        }
        ExecuteMsg::CommitContribution {
            datanet_id,
            commitment,
        } => commitments::commit_contribution(deps, env, info, datanet_id, commitment),
        ExecuteMsg::RevealContribution(new) => {
            contributions::contribute(deps, env, info.sender, None, new, true)
        }
        ExecuteMsg::WithdrawContribution { contribution_id } => {
            contributions::withdraw_contribution(deps, info, contribution_id)
        }
        ExecuteMsg::ReviewContributions {
            datanet_id,
            decisions,
        } => curation::review_contributions(deps, env, info, datanet_id, decisions),
        ExecuteMsg::RemoveContribution {
            contribution_id,
            reason,
        } => curation::remove_contribution(deps, env, info, contribution_id, reason),
        ExecuteMsg::PublishVersion { datanet_id } => {
            versions::publish_version(deps, env, info, datanet_id)
        }
        ExecuteMsg::BackfillVersionTree { datanet_id, limit } => {
            versions::backfill_version_tree(deps, datanet_id, limit)
        }
        ExecuteMsg::WithdrawBonds {} => bonds::withdraw_bonds(deps, info),
        ExecuteMsg::UpdateConfig {
            creation_fee,
            reward_pool,
        } => admin::update_config(deps, env, info, creation_fee, reward_pool),
        ExecuteMsg::UpdateOwnership(action) => {
            Ok(ownership::update(deps, &env, &info.sender, action)?)
        }
    }
}

/// Dispatches each query to its handler and serialises the typed answer.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::Config {} => to_json_binary(&query::config(deps)?),
        QueryMsg::Datanet { datanet_id } => to_json_binary(&query::datanet(deps, datanet_id)?),
        QueryMsg::Datanets {
            owner,
            start_after,
            limit,
        } => to_json_binary(&query::datanets(deps, owner, start_after, limit)?),
        QueryMsg::Contribution { contribution_id } => {
            to_json_binary(&query::contribution(deps, contribution_id)?)
        }
        QueryMsg::ContributionsByDatanet {
            datanet_id,
            status,
            start_after,
            limit,
        } => to_json_binary(&query::contributions_by_datanet(
            deps,
            datanet_id,
            status,
            start_after,
            limit,
        )?),
        QueryMsg::ContributionsByContributor {
            contributor,
            start_after,
            limit,
        } => to_json_binary(&query::contributions_by_contributor(
            deps,
            contributor,
            start_after,
            limit,
        )?),
        QueryMsg::Contributor {
            datanet_id,
            address,
        } => to_json_binary(&query::contributor(deps, datanet_id, address)?),
        QueryMsg::IsAllowed {
            datanet_id,
            address,
        } => to_json_binary(&query::is_allowed(deps, datanet_id, address)?),
        QueryMsg::Version {
            datanet_id,
            version,
        } => to_json_binary(&query::version(deps, datanet_id, version)?),
        QueryMsg::Versions {
            datanet_id,
            start_after,
            limit,
        } => to_json_binary(&query::versions(deps, datanet_id, start_after, limit)?),
        QueryMsg::ContributionProof {
            contribution_id,
            version,
        } => to_json_binary(&query::contribution_proof(deps, contribution_id, version)?),
        QueryMsg::WithdrawableBonds { address } => {
            to_json_binary(&query::withdrawable_bonds(deps, address)?)
        }
        QueryMsg::Solvency {} => to_json_binary(&query::solvency(deps, env)?),
        QueryMsg::Commitment {
            datanet_id,
            contributor,
            commitment,
        } => to_json_binary(&query::commitment(
            deps,
            env,
            datanet_id,
            contributor,
            commitment,
        )?),
        QueryMsg::Commitments {
            datanet_id,
            contributor,
            start_after,
            limit,
        } => to_json_binary(&query::commitments(
            deps,
            env,
            datanet_id,
            contributor,
            start_after,
            limit,
        )?),
        QueryMsg::Ownership {} => to_json_binary(&query::ownership(deps)?),
    }?)
}

/// Checks the stored cw2 name and version and moves stored data to the current layout.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    crate::migrate::migrate(deps)
}
