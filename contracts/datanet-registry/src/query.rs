//! Query handlers. Each returns the JSON of its `…Response`; list queries take `start_after`
//! (exclusive) and `limit` (1..=50, default 10; anything else is refused).

use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, Uint128};
use cw_storage_plus::Bound;
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::datanet_registry::{
    CommitmentResponse, CommitmentsResponse, ConfigResponse, ContributionId, ContributionResponse,
    ContributionStatus, ContributionsResponse, ContributorResponse, DatanetResponse,
    DatanetsResponse, RegistrySolvencyResponse, VersionResponse, VersionsResponse,
};
use openledger_common::{page_limit, validate_addr};

use crate::error::ContractError;
use crate::execute::{load_contribution, load_datanet, load_tally, normalize_commitment};
use crate::state::{
    status_key, Commitment, Contribution, Datanet, Version, ALLOWLIST, BOND_TOTALS, COMMITMENTS,
    CONFIG, CONTRIBUTIONS, CONTRIBUTORS, DATANETS, VERSIONS, WITHDRAWABLE_BONDS,
};

pub fn config(deps: Deps) -> Result<Binary, ContractError> {
    let c = CONFIG.load(deps.storage)?;
    Ok(to_json_binary(&ConfigResponse {
        token: c.token,
        reward_pool: c.reward_pool,
        creation_fee: c.creation_fee,
        datanet_count: c.datanet_count,
        contribution_count: c.contribution_count,
    })?)
}

fn datanet_response(
    deps: Deps,
    id: DatanetId,
    d: Datanet,
) -> Result<DatanetResponse, ContractError> {
    let t = load_tally(deps.storage, id)?;
    Ok(DatanetResponse {
        id,
        owner: d.owner,
        pending_owner: d.pending_owner,
        name: d.name,
        description: d.description,
        metadata_uri: d.metadata_uri,
        curators: d.curators,
        policy: d.policy,
        contribution_bond: d.contribution_bond,
        attribution_mode: d.attribution_mode,
        status: d.status,
        root: t.root,
        total_weight: t.total_weight,
        accepted_count: t.accepted_count,
        pending_count: t.pending_count,
        version_count: t.version_count,
        created_at: d.created_at,
    })
}

pub fn datanet(deps: Deps, datanet_id: DatanetId) -> Result<Binary, ContractError> {
    let d = load_datanet(deps.storage, datanet_id)?;
    Ok(to_json_binary(&datanet_response(deps, datanet_id, d)?)?)
}

pub fn datanets(
    deps: Deps,
    owner: Option<String>,
    start_after: Option<DatanetId>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    let min = start_after.map(Bound::exclusive);
    let page: Vec<(DatanetId, Datanet)> = match owner {
        Some(owner) => {
            let owner = validate_addr(deps.api, "owner", &owner)?;
            DATANETS
                .idx
                .owner
                .prefix(owner)
                .range(deps.storage, min, None, Order::Ascending)
                .take(limit)
                .collect::<Result<_, _>>()?
        }
        None => DATANETS
            .range(deps.storage, min, None, Order::Ascending)
            .take(limit)
            .collect::<Result<_, _>>()?,
    };
    let datanets = page
        .into_iter()
        .map(|(id, d)| datanet_response(deps, id, d))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&DatanetsResponse { datanets })?)
}

fn contribution_response(id: ContributionId, c: Contribution) -> ContributionResponse {
    ContributionResponse {
        id,
        datanet_id: c.datanet_id,
        contributor: c.contributor,
        data_hash: c.data_hash,
        uri: c.uri,
        size_bytes: c.size_bytes,
        license_note: c.license_note,
        bond: c.bond,
        status: c.status,
        weight: c.weight,
        reason: c.reason,
        submitted_at: c.submitted_at,
        reviewed_by: c.reviewed_by,
        reviewed_at: c.reviewed_at,
        committed_at: c.committed_at,
        displaced_by: c.displaced_by,
    }
}

pub fn contribution(deps: Deps, contribution_id: ContributionId) -> Result<Binary, ContractError> {
    let c = load_contribution(deps.storage, contribution_id)?;
    Ok(to_json_binary(&contribution_response(contribution_id, c))?)
}

pub fn contributions_by_datanet(
    deps: Deps,
    datanet_id: DatanetId,
    status: ContributionStatus,
    start_after: Option<ContributionId>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    load_datanet(deps.storage, datanet_id)?;
    let contributions = CONTRIBUTIONS
        .idx
        .datanet_status
        .prefix((datanet_id, status_key(status)))
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|r| r.map(|(id, c)| contribution_response(id, c)))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&ContributionsResponse { contributions })?)
}

pub fn contributions_by_contributor(
    deps: Deps,
    contributor: String,
    start_after: Option<ContributionId>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let contributions = CONTRIBUTIONS
        .idx
        .contributor
        .prefix(contributor)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|r| r.map(|(id, c)| contribution_response(id, c)))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&ContributionsResponse { contributions })?)
}

pub fn contributor(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<Binary, ContractError> {
    load_datanet(deps.storage, datanet_id)?;
    let address = validate_addr(deps.api, "address", &address)?;
    let s = CONTRIBUTORS
        .may_load(deps.storage, (datanet_id, &address))?
        .unwrap_or_default();
    Ok(to_json_binary(&ContributorResponse {
        datanet_id,
        address,
        weight: s.weight,
        pending: s.pending,
        accepted: s.accepted,
        rejected: s.rejected,
        removed: s.removed,
        displaced: s.displaced,
    })?)
}

pub fn is_allowed(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<Binary, ContractError> {
    load_datanet(deps.storage, datanet_id)?;
    let address = validate_addr(deps.api, "address", &address)?;
    Ok(to_json_binary(
        &ALLOWLIST.has(deps.storage, (datanet_id, &address)),
    )?)
}

fn version_response(datanet_id: DatanetId, version: u32, v: Version) -> VersionResponse {
    VersionResponse {
        datanet_id,
        version,
        root: v.root,
        total_weight: v.total_weight,
        accepted_count: v.accepted_count,
        published_at: v.published_at,
        height: v.height,
    }
}

pub fn version(deps: Deps, datanet_id: DatanetId, version: u32) -> Result<Binary, ContractError> {
    let v = VERSIONS
        .may_load(deps.storage, (datanet_id, version))?
        .ok_or(ContractError::VersionNotFound {
            datanet_id,
            version,
        })?;
    Ok(to_json_binary(&version_response(datanet_id, version, v))?)
}

pub fn versions(
    deps: Deps,
    datanet_id: DatanetId,
    start_after: Option<u32>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    load_datanet(deps.storage, datanet_id)?;
    let versions = VERSIONS
        .prefix(datanet_id)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|r| r.map(|(n, v)| version_response(datanet_id, n, v)))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&VersionsResponse { versions })?)
}

pub fn withdrawable_bonds(deps: Deps, address: String) -> Result<Binary, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    let amount: Uint128 = WITHDRAWABLE_BONDS
        .may_load(deps.storage, &address)?
        .unwrap_or_default();
    Ok(to_json_binary(&amount)?)
}

pub fn solvency(deps: Deps, env: Env) -> Result<Binary, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let totals = BOND_TOTALS.load(deps.storage)?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    let total_liabilities = totals.pending.checked_add(totals.withdrawable)?;
    Ok(to_json_binary(&RegistrySolvencyResponse {
        balance,
        pending_bonds: totals.pending,
        withdrawable_bonds: totals.withdrawable,
        total_liabilities,
        solvent: balance >= total_liabilities,
    })?)
}

fn commitment_response(
    env: &Env,
    datanet_id: DatanetId,
    contributor: &Addr,
    commitment: String,
    c: Commitment,
) -> CommitmentResponse {
    CommitmentResponse {
        datanet_id,
        contributor: contributor.clone(),
        commitment,
        committed_at: c.committed_at,
        expires_at: c.expires_at,
        expired: c.is_expired(env.block.time),
    }
}

pub fn commitment(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    contributor: String,
    commitment: String,
) -> Result<Binary, ContractError> {
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let commitment = normalize_commitment(&commitment)?;
    let c = COMMITMENTS
        .may_load(deps.storage, (datanet_id, &contributor, &commitment))?
        .ok_or_else(|| ContractError::CommitmentNotFound {
            datanet_id,
            contributor: contributor.to_string(),
            commitment: commitment.clone(),
        })?;
    Ok(to_json_binary(&commitment_response(
        &env,
        datanet_id,
        &contributor,
        commitment,
        c,
    ))?)
}

pub fn commitments(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    contributor: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    load_datanet(deps.storage, datanet_id)?;
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let start = start_after.map(|s| s.to_ascii_lowercase());
    let commitments = COMMITMENTS
        .prefix((datanet_id, &contributor))
        .range(
            deps.storage,
            start.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|r| r.map(|(k, c)| commitment_response(&env, datanet_id, &contributor, k, c)))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&CommitmentsResponse { commitments })?)
}

pub fn ownership(deps: Deps) -> Result<Binary, ContractError> {
    Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?)
}
