//! Query handlers. Each returns its typed `…Response`; the entry point serialises it. List
//! queries take `start_after` (exclusive) and `limit` (1..=50, default 10; anything else is
//! refused).

use cosmwasm_std::{Addr, Deps, Env, HexBinary, Order, StdResult, Uint128};
use cw_ownable::Ownership;

use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::datanet_registry::{
    CommitmentResponse, CommitmentsResponse, ConfigResponse, ContributionId,
    ContributionProofResponse, ContributionResponse, ContributionStatus, ContributionsResponse,
    ContributorResponse, DatanetResponse, DatanetsResponse, LeafKind, RegistrySolvencyResponse,
    VersionFormat, VersionLeaf, VersionResponse, VersionsResponse,
};
use openledger_common::pagination::{after, page};
use openledger_common::{normalize_hash, page_limit, validate_addr, Checked};

use crate::error::ContractError;
use crate::state::{
    count, status_key, Commitment, Contribution, ContributorStats, Datanet, DatanetTally, Version,
    ALLOWLIST, BOND_TOTALS, COMMITMENTS, CONFIG, CONTRIBUTIONS, CONTRIBUTIONS_BY_STATUS,
    CONTRIBUTION_COUNT, DATANETS, DATANET_COUNT, VERSIONS,
};
use crate::tree;

/// The configuration and the id counters.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        token: c.token,
        reward_pool: c.reward_pool,
        creation_fee: c.creation_fee,
        datanet_count: count(deps.storage, &DATANET_COUNT)?,
        contribution_count: count(deps.storage, &CONTRIBUTION_COUNT)?,
    })
}

fn datanet_response(
    deps: Deps,
    id: DatanetId,
    d: Datanet,
) -> Result<DatanetResponse, ContractError> {
    let t = DatanetTally::load(deps.storage, id)?;
    let root = tree::root(deps.storage, id, t.log_size)?;
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
        root: HexBinary::from(root.as_slice()),
        log_size: t.log_size,
        backfill_remaining: t.backfill.map(|b| b.remaining),
        total_weight: t.total_weight,
        accepted_count: t.accepted_count,
        pending_count: t.pending_count,
        version_count: t.version_count,
        created_at: d.created_at,
    })
}

/// One datanet with its tallies and the root of its log (O(log n) reads).
pub fn datanet(deps: Deps, datanet_id: DatanetId) -> Result<DatanetResponse, ContractError> {
    let d = Datanet::load(deps.storage, datanet_id)?;
    datanet_response(deps, datanet_id, d)
}

/// Datanets by id, all or those of `owner`.
pub fn datanets(
    deps: Deps,
    owner: Option<String>,
    start_after: Option<DatanetId>,
    limit: Option<u32>,
) -> Result<DatanetsResponse, ContractError> {
    let limit = page_limit(limit)?;
    let min = after(start_after);
    let entries = match owner {
        Some(owner) => {
            let owner = validate_addr(deps.api, "owner", &owner)?;
            let by_owner = DATANETS.idx.owner.prefix(owner);
            by_owner.range(deps.storage, min, None, Order::Ascending)
        }
        None => DATANETS.range(deps.storage, min, None, Order::Ascending),
    };
    let datanets = page(entries, limit, |id, d| datanet_response(deps, id, d))?
        .into_iter()
        .collect::<Result<_, _>>()?;
    Ok(DatanetsResponse { datanets })
}

fn contribution_response(id: ContributionId, c: Contribution) -> ContributionResponse {
    let (s, r) = (c.submission, c.review);
    ContributionResponse {
        id,
        datanet_id: s.datanet_id,
        contributor: s.contributor,
        data_hash: s.data_hash,
        uri: s.uri,
        size_bytes: s.size_bytes,
        license_note: s.license_note,
        bond: s.bond,
        status: r.status,
        weight: r.weight,
        reason: r.reason,
        submitted_at: s.submitted_at,
        reviewed_by: r.reviewed_by,
        reviewed_at: r.reviewed_at,
        committed_at: s.committed_at,
        displaced_by: r.displaced_by,
        accepted_seq: r.accepted_seq,
        removed_seq: r.removed_seq,
    }
}

/// The contributions whose ids `ids` yields, made into responses: each loaded with its review
/// state (two reads).
fn contribution_page(
    deps: Deps,
    ids: impl Iterator<Item = StdResult<ContributionId>>,
    limit: usize,
) -> Result<Vec<ContributionResponse>, ContractError> {
    ids.take(limit)
        .map(|id| {
            let id = id?;
            Ok(contribution_response(
                id,
                Contribution::load(deps.storage, id)?,
            ))
        })
        .collect()
}

/// One contribution.
pub fn contribution(
    deps: Deps,
    contribution_id: ContributionId,
) -> Result<ContributionResponse, ContractError> {
    let c = Contribution::load(deps.storage, contribution_id)?;
    Ok(contribution_response(contribution_id, c))
}

/// Contributions of a datanet in one status, by id.
pub fn contributions_by_datanet(
    deps: Deps,
    datanet_id: DatanetId,
    status: ContributionStatus,
    start_after: Option<ContributionId>,
    limit: Option<u32>,
) -> Result<ContributionsResponse, ContractError> {
    let limit = page_limit(limit)?;
    Datanet::load(deps.storage, datanet_id)?;
    let ids = CONTRIBUTIONS_BY_STATUS
        .prefix((datanet_id, status_key(status)))
        .keys(deps.storage, after(start_after), None, Order::Ascending);
    let contributions = contribution_page(deps, ids, limit)?;
    Ok(ContributionsResponse { contributions })
}

/// Contributions of one contributor across datanets, by id.
pub fn contributions_by_contributor(
    deps: Deps,
    contributor: String,
    start_after: Option<ContributionId>,
    limit: Option<u32>,
) -> Result<ContributionsResponse, ContractError> {
    let limit = page_limit(limit)?;
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let ids = CONTRIBUTIONS.idx.contributor.prefix(contributor).keys(
        deps.storage,
        after(start_after),
        None,
        Order::Ascending,
    );
    let contributions = contribution_page(deps, ids, limit)?;
    Ok(ContributionsResponse { contributions })
}

/// A contributor's standing in one datanet.
pub fn contributor(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<ContributorResponse, ContractError> {
    Datanet::load(deps.storage, datanet_id)?;
    let address = validate_addr(deps.api, "address", &address)?;
    let s = ContributorStats::load(deps.storage, datanet_id, &address)?;
    Ok(ContributorResponse {
        datanet_id,
        address,
        weight: s.weight,
        pending: s.pending,
        accepted: s.accepted,
        rejected: s.rejected,
        removed: s.removed,
        displaced: s.displaced,
    })
}

/// Whether `address` is on the allowlist of a datanet.
pub fn is_allowed(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<bool, ContractError> {
    Datanet::load(deps.storage, datanet_id)?;
    let address = validate_addr(deps.api, "address", &address)?;
    Ok(ALLOWLIST.has(deps.storage, (datanet_id, &address)))
}

fn version_response(datanet_id: DatanetId, version: u32, v: Version) -> VersionResponse {
    VersionResponse {
        datanet_id,
        version,
        format: v.format,
        root: v.root,
        tree_size: v.tree_size,
        total_weight: v.total_weight,
        accepted_count: v.accepted_count,
        published_at: v.published_at,
        height: v.height,
    }
}

/// One published version of a datanet.
pub fn version(
    deps: Deps,
    datanet_id: DatanetId,
    version: u32,
) -> Result<VersionResponse, ContractError> {
    let v = Version::load(deps.storage, datanet_id, version)?;
    Ok(version_response(datanet_id, version, v))
}

/// Published versions of a datanet, by number.
pub fn versions(
    deps: Deps,
    datanet_id: DatanetId,
    start_after: Option<u32>,
    limit: Option<u32>,
) -> Result<VersionsResponse, ContractError> {
    let limit = page_limit(limit)?;
    Datanet::load(deps.storage, datanet_id)?;
    let entries =
        VERSIONS
            .prefix(datanet_id)
            .range(deps.storage, after(start_after), None, Order::Ascending);
    let versions = page(entries, limit, |n, v| version_response(datanet_id, n, v))?;
    Ok(VersionsResponse { versions })
}

/// The inclusion proof of contribution `contribution_id`'s acceptance leaf in `version` of its
/// datanet: O(log n) reads of stored subtrees, plus O(log V) versions to name the first one
/// without it when it was removed later.
pub fn contribution_proof(
    deps: Deps,
    contribution_id: ContributionId,
    version: u32,
) -> Result<ContributionProofResponse, ContractError> {
    let c = Contribution::load(deps.storage, contribution_id)?;
    let datanet_id = c.submission.datanet_id;
    let (accepted_seq, removed_seq) = (c.review.accepted_seq, c.review.removed_seq);
    let accepted_seq = match (accepted_seq, c.review.status) {
        (Some(seq), _) => seq,
        (None, ContributionStatus::Accepted) => {
            return Err(ContractError::ContributionNotBackfilled {
                id: contribution_id,
                datanet_id,
            })
        }
        (None, ContributionStatus::Removed) => {
            return Err(ContractError::RemovedBeforeEventLog {
                id: contribution_id,
                datanet_id,
            })
        }
        (None, status) => {
            return Err(ContractError::ContributionNeverAccepted {
                id: contribution_id,
                status,
            })
        }
    };
    let v = Version::load(deps.storage, datanet_id, version)?;
    if v.format != VersionFormat::EventLogV1 {
        return Err(ContractError::VersionNotProvable {
            datanet_id,
            version,
        });
    }
    if accepted_seq >= v.tree_size {
        return Err(ContractError::AcceptedAfterVersion {
            id: contribution_id,
            datanet_id,
            version,
            accepted_seq,
            tree_size: v.tree_size,
        });
    }
    if let Some(removed_seq) = removed_seq.filter(|seq| *seq < v.tree_size) {
        return Err(ContractError::RemovedBeforeVersion {
            id: contribution_id,
            datanet_id,
            version,
            removed_seq,
            tree_size: v.tree_size,
        });
    }
    let leaf_hash = tree::leaf_hash(accepted_seq, LeafKind::Accept, contribution_id, &c)?;
    let proof = tree::inclusion_proof(deps.storage, datanet_id, accepted_seq, v.tree_size)?;
    let removed_in_version = match removed_seq {
        Some(seq) => first_version_after(deps, datanet_id, seq)?,
        None => None,
    };
    Ok(ContributionProofResponse {
        format: v.format,
        datanet_id,
        version,
        root: v.root,
        tree_size: v.tree_size,
        leaf_index: accepted_seq,
        leaf: VersionLeaf {
            datanet_id,
            seq: accepted_seq,
            kind: LeafKind::Accept,
            contribution_id,
            data_hash: HexBinary::from(tree::data_hash_bytes(&c)?.as_slice()),
            contributor: c.submission.contributor,
            weight: c.review.weight,
        },
        leaf_hash: HexBinary::from(leaf_hash.as_slice()),
        proof: proof
            .iter()
            .map(|h| HexBinary::from(h.as_slice()))
            .collect(),
        removed_seq,
        removed_in_version,
    })
}

/// The first version of `datanet_id` that holds leaf `seq` (tree sizes only grow from version
/// to version; `hash_chain_v0` versions hold none): a binary search, O(log V) reads.
fn first_version_after(
    deps: Deps,
    datanet_id: DatanetId,
    seq: u64,
) -> Result<Option<u32>, ContractError> {
    let versions = DatanetTally::load(deps.storage, datanet_id)?.version_count;
    let (mut lo, mut hi) = (1u32, versions.add_checked(1)?);
    // Invariant: every version below `lo` lacks the leaf, every version from `hi` holds it.
    while lo < hi {
        let mid = lo.add_checked(hi.sub_checked(lo)? / 2)?;
        if Version::load(deps.storage, datanet_id, mid)?.tree_size > seq {
            hi = mid;
        } else {
            lo = mid.add_checked(1)?;
        }
    }
    Ok((lo <= versions).then_some(lo))
}

/// The bonds `address` may withdraw.
pub fn withdrawable_bonds(deps: Deps, address: String) -> Result<Uint128, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    Ok(crate::state::withdrawable_bonds(deps.storage, &address)?)
}

/// The registry's token balance against what it owes.
pub fn solvency(deps: Deps, env: Env) -> Result<RegistrySolvencyResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let totals = BOND_TOTALS.load(deps.storage)?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    let total_liabilities = totals.pending.checked_add(totals.withdrawable)?;
    Ok(RegistrySolvencyResponse {
        balance,
        pending_bonds: totals.pending,
        withdrawable_bonds: totals.withdrawable,
        total_liabilities,
        solvent: balance >= total_liabilities,
    })
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

/// One open commitment.
pub fn commitment(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    contributor: String,
    commitment: String,
) -> Result<CommitmentResponse, ContractError> {
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let commitment = normalize_hash("commitment", &commitment)?;
    let c = Commitment::load(deps.storage, datanet_id, &contributor, &commitment)?;
    Ok(commitment_response(
        &env,
        datanet_id,
        &contributor,
        commitment,
        c,
    ))
}

/// The open (and expired, not yet pruned) commitments of a contributor in a datanet.
pub fn commitments(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    contributor: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<CommitmentsResponse, ContractError> {
    let limit = page_limit(limit)?;
    Datanet::load(deps.storage, datanet_id)?;
    let contributor = validate_addr(deps.api, "contributor", &contributor)?;
    let start = start_after.map(|s| s.to_ascii_lowercase());
    let entries = COMMITMENTS.prefix((datanet_id, &contributor)).range(
        deps.storage,
        after(start.as_deref()),
        None,
        Order::Ascending,
    );
    let commitments = page(entries, limit, |k, c| {
        commitment_response(&env, datanet_id, &contributor, k, c)
    })?;
    Ok(CommitmentsResponse { commitments })
}

/// The registry's owner and pending owner.
pub fn ownership(deps: Deps) -> StdResult<Ownership<Addr>> {
    cw_ownable::get_ownership(deps.storage)
}
