//! Contributors' claims of what weight-mode datanets credited them, version range by version
//! range, of what they earned as curators, and of their account credits.

use cosmwasm_std::{
    Addr, DepsMut, MessageInfo, QuerierWrapper, Response, StdResult, Storage, Uint128, Uint256,
};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{AttributionMode, MAX_CLAIM_RANGES};

use super::{forfeit_contributor_remainder, with_forfeited};
use crate::curators;
use crate::error::ContractError;
use crate::math::SCALE;
use crate::state::{claim_targets, DatanetPool, Totals, CONFIG, DATANETS, TOTALS};
use crate::versions::{self, CLAIMED_SINCE, CREDITS, RANGES};

/// What claiming one datanet's ranges did.
#[derive(Default)]
struct Claimed {
    /// Whole units paid.
    paid: Uint128,
    /// Scaled remainders of ranges that can never pay again, for the treasury.
    dropped: Uint256,
    /// Ranges settled.
    settled: usize,
    /// The first slot of the last range settled, when more ranges follow it.
    more_after: Option<u32>,
    /// Where `claim_ranges` continues when more ranges follow (`<datanet>:<first version>`).
    next_range: Option<String>,
}

/// Settles and pays `addr`'s ranges of datanet `id` (whose pool, as loaded, is `pool`) after
/// first slot `start_after`, at most `budget` of them. Saves the datanet's pool.
fn claim_datanet(
    storage: &mut dyn Storage,
    querier: &QuerierWrapper,
    registry: Option<&Addr>,
    (addr, id, mut pool): (&Addr, DatanetId, DatanetPool),
    start_after: Option<u32>,
    budget: usize,
) -> Result<Claimed, ContractError> {
    let mut out = Claimed::default();
    if pool.mode != AttributionMode::Weight || budget == 0 {
        return Ok(out);
    }
    let was_synced = pool.synced;
    pool.sync(querier, registry, id, None, storage)?;
    versions::convert_legacy(storage, &pool, addr, id)?;
    let page = versions::ranges_page(storage, addr, id, start_after, budget + 1)?;
    for (i, (from, mut range)) in page.into_iter().enumerate() {
        if i == budget {
            break;
        }
        versions::settle(storage, &pool, id, from, &mut range)?;
        out.paid = out.paid.checked_add(versions::take_payout(&mut range)?)?;
        // An empty range (from a 0.2.0 position whose weight left before any version) can
        // never pay again once less than a unit is left.
        if range.to == Some(from) && range.accrued_scaled < SCALE {
            out.dropped = out.dropped.checked_add(range.accrued_scaled)?;
            RANGES.remove(storage, (addr, id, from));
        } else {
            RANGES.save(storage, (addr, id, from), &range)?;
        }
        out.settled = i + 1;
        out.more_after = Some(from);
    }
    if out.settled < budget || !has_range_after(storage, addr, id, out.more_after)? {
        out.more_after = None;
    }
    out.next_range = out
        .more_after
        .map(|after| format!("{id}:{}", pool.version_of(after)));
    if !was_synced {
        DATANETS.save(storage, id, &pool)?;
    }
    if !out.paid.is_zero() {
        let since = CLAIMED_SINCE.may_load(storage, id)?.unwrap_or_default();
        CLAIMED_SINCE.save(storage, id, &since.checked_add(out.paid)?)?;
    }
    Ok(out)
}

fn has_range_after(
    storage: &dyn Storage,
    addr: &Addr,
    id: DatanetId,
    after: Option<u32>,
) -> StdResult<bool> {
    Ok(!versions::ranges_page(storage, addr, id, after, 1)?.is_empty())
}

/// Pays the sender's account credits into `total`; returns what they paid.
fn claim_credits(
    storage: &mut dyn Storage,
    addr: &Addr,
    totals: &mut Totals,
) -> Result<Uint128, ContractError> {
    let Some(mut credits) = CREDITS.may_load(storage, addr)? else {
        return Ok(Uint128::zero());
    };
    let paid = credits.claimable()?;
    if !paid.is_zero() {
        credits.claimed = credits.earned;
        CREDITS.save(storage, addr, &credits)?;
        totals.credits_outstanding = totals.credits_outstanding.checked_sub(paid)?;
    }
    Ok(paid)
}

/// `claim`: pays the sender what it can be paid in the given datanets (or its first
/// datanets), at most `MAX_CLAIM_RANGES` positions (its curator positions, then its ranges),
/// and its account credits, in one transfer. What it earned as a curator moves to its
/// account credits first (recorded in `EARNINGS` under `curator { datanet_id }`), so the
/// credits paid include it.
pub fn claim(
    deps: DepsMut,
    info: MessageInfo,
    datanet_ids: Option<Vec<DatanetId>>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let ids = claim_targets(deps.storage, &info.sender, datanet_ids)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let mut total = Uint128::zero();
    let mut dropped = Uint256::zero();
    let mut budget = MAX_CLAIM_RANGES;
    let mut res = Response::new()
        .add_attribute("action", "claim")
        .add_attribute("claimant", info.sender.as_str());
    for id in ids {
        let pool = DatanetPool::load(deps.storage, id)?;
        // The curator position first (one of the budget): the ranges of a contributor who
        // holds many can never crowd it out.
        if budget > 0 {
            if let Some(owed) =
                curators::settle(deps.storage, &pool, &info.sender, id, &mut totals)?
            {
                budget -= 1;
                if !owed.is_zero() {
                    res = res.add_attribute(format!("curator_{id}"), owed);
                }
            }
        }
        let c = claim_datanet(
            deps.storage,
            &deps.querier,
            config.registry.as_ref(),
            (&info.sender, id, pool),
            None,
            budget,
        )?;
        budget -= c.settled;
        dropped = dropped.checked_add(c.dropped)?;
        if let Some(next) = c.next_range {
            res = res.add_attribute("next_range", next);
        }
        if !c.paid.is_zero() {
            totals.contributor_outstanding = totals.contributor_outstanding.checked_sub(c.paid)?;
            total = total.checked_add(c.paid)?;
            res = res.add_attribute(format!("datanet_{id}"), c.paid);
        }
    }
    let credits = claim_credits(deps.storage, &info.sender, &mut totals)?;
    if !credits.is_zero() {
        total = total.checked_add(credits)?;
        res = res.add_attribute("credits", credits);
    }
    finish(
        deps,
        &config.token,
        &info.sender,
        res,
        totals,
        dropped,
        total,
    )
}

/// `claim_ranges`: pays the sender what it earned in datanet `datanet_id`'s ranges after the
/// one starting at version `start_after`, at most `limit` of them.
pub fn claim_ranges(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    start_after: Option<u32>,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let budget = limit
        .map_or(MAX_CLAIM_RANGES, |l| l as usize)
        .min(MAX_CLAIM_RANGES);
    let pool = DatanetPool::load(deps.storage, datanet_id)?;
    let after = start_after.map(|v| pool.slot_at(v));
    let mut totals = TOTALS.load(deps.storage)?;
    let c = claim_datanet(
        deps.storage,
        &deps.querier,
        config.registry.as_ref(),
        (&info.sender, datanet_id, pool),
        after,
        budget,
    )?;
    let mut res = Response::new()
        .add_attribute("action", "claim_ranges")
        .add_attribute("claimant", info.sender.as_str())
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("ranges", c.settled.to_string());
    if let Some(next) = c.next_range {
        res = res.add_attribute("next_range", next);
    }
    totals.contributor_outstanding = totals.contributor_outstanding.checked_sub(c.paid)?;
    finish(
        deps,
        &config.token,
        &info.sender,
        res,
        totals,
        c.dropped,
        c.paid,
    )
}

/// Refuses a claim of nothing; hands remainders to the treasury, saves the totals and adds
/// the transfer.
fn finish(
    deps: DepsMut,
    token: &Addr,
    claimant: &Addr,
    res: Response,
    mut totals: Totals,
    dropped: Uint256,
    total: Uint128,
) -> Result<Response, ContractError> {
    if total.is_zero() {
        return Err(ContractError::NothingToClaim);
    }
    let forfeited = forfeit_contributor_remainder(deps.storage, &mut totals, dropped)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(with_forfeited(res, forfeited)
        .add_attribute("amount", total)
        .add_message(TokenHandle(token.clone()).transfer(claimant, total)?))
}
