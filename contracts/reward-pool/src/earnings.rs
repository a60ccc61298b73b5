//! The queries of what contributors, curators and accounts earned: pending rewards,
//! positions, version ranges, earnings by source and a datanet's curators.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Deps, Order, StdResult, Uint128};
use cw_storage_plus::Bound;
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{
    AttributionMode, CuratorInfo, CuratorsResponse, EarningSource, EarningsResponse, PendingReward,
    PendingRewardsResponse, PositionResponse, RangeEarnings, RangeKey, RangesResponse,
    SourceEarnings, MAX_CLAIM_DATANETS, MAX_CLAIM_RANGES,
};
use openledger_common::pagination::page_limit;
use openledger_common::validate_addr;

use crate::curators;
use crate::error::ContractError;
use crate::state::{claim_targets, DatanetPool};
use crate::versions::{self, Range, CREDITS, EARNINGS};

/// `addr`'s ranges of datanet `id` after first slot `after`, at most `limit`, as a claim would
/// see them (a position of 0.2.0 counts as its converted range), and whether more follow.
fn ranges_of(
    deps: Deps,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
    after: Option<u32>,
    limit: usize,
) -> Result<(Vec<RangeEarnings>, bool), ContractError> {
    let mut out = Vec::new();
    if pool.mode != AttributionMode::Weight {
        return Ok((out, false));
    }
    let mut legacy: Option<(u32, Range)> = None;
    if after.is_none() {
        if let Some(r) = versions::legacy_as_range(deps.storage, pool, addr, id)? {
            if pool.synced {
                legacy = Some((1, r));
            } else {
                // Not met since the upgrade: the position still follows the 0.2.0
                // accumulator, which `legacy_as_range` settled.
                let claimable = Uint128::try_from(r.accrued_scaled / crate::math::SCALE)
                    .map_err(cosmwasm_std::StdError::from)?;
                out.push(RangeEarnings {
                    datanet_id: id,
                    from_version: 1,
                    to_version: None,
                    weight: r.weight,
                    earned: r.claimed.checked_add(claimable)?,
                    claimed: r.claimed,
                    claimable,
                });
            }
        }
    }
    let stored = versions::ranges_page(deps.storage, addr, id, after, limit + 1)?;
    let mut all: Vec<(u32, Range)> = legacy.into_iter().chain(stored).collect();
    let more = all.len() + out.len() > limit;
    all.truncate(limit.saturating_sub(out.len()));
    for (from, r) in all {
        out.push(versions::range_earnings(deps.storage, pool, id, from, r)?);
    }
    Ok((out, more))
}

/// `position`: a contributor's weight for the next version and what its first ranges hold.
pub fn position(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<PositionResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let pool = DatanetPool::load(deps.storage, datanet_id)?;
    let (ranges, _) = ranges_of(deps, &pool, &addr, datanet_id, None, MAX_CLAIM_RANGES)?;
    let (claimable, claimed) = ranges.iter().try_fold(
        (Uint128::zero(), Uint128::zero()),
        |(a, b), r| -> StdResult<_> {
            Ok((a.checked_add(r.claimable)?, b.checked_add(r.claimed)?))
        },
    )?;
    let weight = next_weight(deps, &pool, &addr, datanet_id)?;
    Ok(PositionResponse {
        datanet_id,
        address: addr,
        weight,
        claimable,
        claimed,
    })
}

/// The weight `addr` holds for the next version of datanet `id`.
fn next_weight(
    deps: Deps,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
) -> Result<u64, ContractError> {
    if let Some(r) = versions::legacy_as_range(deps.storage, pool, addr, id)? {
        return Ok(r.weight);
    }
    Ok(match versions::last_range(deps.storage, addr, id)? {
        Some((_, r)) if r.to.is_none() => r.weight,
        _ => 0,
    })
}

/// `pending_rewards`: what an address can claim in the given datanets (or a page of those it
/// holds ranges or curates), as a contributor and as a curator, and its account credits.
pub fn pending_rewards(
    deps: Deps,
    address: String,
    datanet_ids: Option<Vec<DatanetId>>,
    start_after: Option<DatanetId>,
    limit: Option<u32>,
) -> Result<PendingRewardsResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let ids = match datanet_ids {
        Some(ids) => claim_targets(deps.storage, &addr, Some(ids))?,
        None => {
            let limit = limit.map_or(10, |l| l as usize).min(MAX_CLAIM_DATANETS);
            curators::positions_and_curated(deps.storage, &addr, start_after, limit)?
        }
    };
    let mut rewards = Vec::with_capacity(ids.len());
    let mut total = Uint128::zero();
    let mut curator_total = Uint128::zero();
    for id in ids {
        let pool = DatanetPool::load(deps.storage, id)?;
        let (ranges, more_ranges) = ranges_of(deps, &pool, &addr, id, None, MAX_CLAIM_RANGES)?;
        let amount = ranges
            .iter()
            .try_fold(Uint128::zero(), |a, r| a.checked_add(r.claimable))?;
        let curator = curators::pending(deps.storage, &pool, &addr, id)?.unwrap_or_default();
        total = total.checked_add(amount)?;
        curator_total = curator_total.checked_add(curator)?;
        rewards.push(PendingReward {
            datanet_id: id,
            amount,
            more_ranges,
            curator,
        });
    }
    let credits = CREDITS
        .may_load(deps.storage, &addr)?
        .unwrap_or_default()
        .claimable()?;
    Ok(PendingRewardsResponse {
        rewards,
        total,
        curator_total,
        credits,
    })
}

/// `ranges`: one page of a contributor's version ranges in a datanet.
pub fn ranges(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
    start_after: Option<u32>,
    limit: Option<u32>,
) -> Result<RangesResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let pool = DatanetPool::load(deps.storage, datanet_id)?;
    let after = start_after.map(|v| pool.slot_at(v));
    let (ranges, _) = ranges_of(deps, &pool, &addr, datanet_id, after, page_limit(limit)?)?;
    Ok(RangesResponse {
        datanet_id,
        address: addr,
        ranges,
    })
}

/// `earnings`: an address's ranges across datanets and its credits by source, one page each.
pub fn earnings(
    deps: Deps,
    address: String,
    start_after_range: Option<RangeKey>,
    start_after_source: Option<EarningSource>,
    limit: Option<u32>,
) -> Result<EarningsResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let limit = page_limit(limit)?;
    let mut ranges = Vec::new();
    let (mut datanet_after, mut slot_after) = match &start_after_range {
        Some(k) => {
            let pool = DatanetPool::load(deps.storage, k.datanet_id)?;
            (Some(k.datanet_id), Some(pool.slot_at(k.from_version)))
        }
        None => (None, None),
    };
    // The datanet of the cursor first (its later ranges), then the following datanets.
    while ranges.len() < limit {
        let id = match (datanet_after, slot_after) {
            (Some(d), Some(_)) => d,
            _ => match versions::held_datanets(deps.storage, &addr, datanet_after, 1)?.first() {
                Some(d) => *d,
                None => break,
            },
        };
        let pool = DatanetPool::load(deps.storage, id)?;
        let (page, _) = ranges_of(deps, &pool, &addr, id, slot_after, limit - ranges.len())?;
        ranges.extend(page);
        datanet_after = Some(id);
        slot_after = None;
    }
    let sources = sources_page(deps, &addr, start_after_source, limit)?;
    let credits = CREDITS.may_load(deps.storage, &addr)?.unwrap_or_default();
    Ok(EarningsResponse {
        address: addr,
        ranges,
        sources,
        credits_earned: credits.earned,
        credits_claimed: credits.claimed,
        credits_claimable: credits.claimable()?,
    })
}

/// One page of `addr`'s earning sources after `start_after`: every source that credited its
/// account, and every datanet it curates now (a curator source, with what it is owed there as
/// `pending`, even before anything reached its credits), ascending by source.
fn sources_page(
    deps: Deps,
    addr: &Addr,
    start_after: Option<EarningSource>,
    limit: usize,
) -> Result<Vec<SourceEarnings>, ContractError> {
    let after = start_after.as_ref().map(versions::source_key);
    let mut keys: BTreeMap<(u8, u64), Uint128> = EARNINGS
        .sub_prefix(addr)
        .range(
            deps.storage,
            after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .collect::<StdResult<_>>()?;
    // The curated datanets that follow the cursor, as curator sources.
    let (curator_kind, _) = versions::source_key(&EarningSource::Curator { datanet_id: 0 });
    let curated_after = match after {
        None => Some(None),
        Some((kind, _)) if kind < curator_kind => Some(None),
        Some((kind, id)) if kind == curator_kind => Some(Some(id)),
        Some(_) => None,
    };
    if let Some(start) = curated_after {
        for id in curators::curated_datanets(deps.storage, addr, start, limit)? {
            keys.entry((curator_kind, id)).or_default();
        }
    }
    let mut sources = Vec::with_capacity(limit);
    for ((kind, id), credited) in keys.into_iter().take(limit) {
        let Some(source) = versions::source_of(kind, id) else {
            continue;
        };
        let pending = match source {
            EarningSource::Curator { datanet_id } => {
                let pool = DatanetPool::load(deps.storage, datanet_id)?;
                curators::pending(deps.storage, &pool, addr, datanet_id)?.unwrap_or_default()
            }
            EarningSource::ModelOwner { .. } | EarningSource::Host { .. } => Uint128::zero(),
        };
        sources.push(SourceEarnings {
            source,
            earned: credited.checked_add(pending)?,
            pending,
        });
    }
    Ok(sources)
}

/// `curators`: a datanet's curator set, what each curator is owed there now, and the
/// datanet's earned-per-curator counter.
pub fn curators(deps: Deps, datanet_id: DatanetId) -> Result<CuratorsResponse, ContractError> {
    let pool = DatanetPool::load(deps.storage, datanet_id)?;
    let set = curators::CURATOR_SETS
        .may_load(deps.storage, datanet_id)?
        .unwrap_or_default();
    let curators = set
        .into_iter()
        .map(|address| {
            let pending =
                curators::pending(deps.storage, &pool, &address, datanet_id)?.unwrap_or_default();
            Ok(CuratorInfo { address, pending })
        })
        .collect::<StdResult<Vec<_>>>()?;
    Ok(CuratorsResponse {
        datanet_id,
        known: pool.curators_known,
        earned_per_curator: pool.earned_per_curator,
        curators,
    })
}
