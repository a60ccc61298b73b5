//! Version-scoped rewards of weight-mode datanets.
//!
//! A fee for version `v` of a datanet reaches exactly the contributors of `v`, by their weight
//! in `v`. The pool keeps, per datanet:
//! - one **slot** per published version (`slot` = version for datanets registered since
//!   versions scope rewards; see below for datanets of 0.2.0), with the version's total weight
//!   `W(s)` frozen at publication;
//! - the reward per unit of weight each slot received, `r(s)` (scaled by `math::SCALE`), kept
//!   in a Fenwick tree, so a prefix sum `P(s) = r(1) + … + r(s)` costs O(log S) reads and a
//!   fee for slot `s` costs one write per node above it (one for the newest slot);
//! - the sum over all slots, `T = P(S)`, in the datanet's pool record.
//!
//! A contributor holds **ranges**: runs of consecutive slots in which its weight was the same.
//! Its weight changes for the next, unpublished slot; a change closes the open range at that
//! slot (the closed range keeps earning from fees for its slots, forever) and opens another.
//! A range `[a, b)` has earned `weight · (P(b − 1) − P(a − 1) − index)` since it was last
//! settled at `index` (`T − P(a − 1)` while open), so a claim costs O(log S) per range and
//! nothing per other contributor.
//!
//! **Datanets of 0.2.0.** Their contributors earned from every fee, whatever its version; their
//! positions (`state::POSITIONS`) and accumulator (`DatanetPool::reward_per_weight`) stay as
//! they were until the pool first meets the datanet after the upgrade (`sync`). Then the
//! accumulator freezes, every version published before becomes slot 1 (one contributor set:
//! the one the datanet has at that moment, which is the set 0.2.0 paid), and each contributor's
//! position turns into an open range from slot 1 the first time it is touched, carrying what it
//! had earned. Nothing a contributor was owed changes.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Order, QuerierWrapper, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::{Bound, Map};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::RegistryHandle;
use openledger_common::msg::reward_pool::{EarningSource, RangeEarnings};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::math::{self, SCALE};
use crate::state::{DatanetPool, Position, POSITIONS};

/// The total weight of each published slot of each datanet, frozen at publication.
pub const SLOT_WEIGHTS: Map<(DatanetId, u32), u64> = Map::new("slot_weights");
/// The Fenwick tree of each datanet's per-slot reward per weight (node `i` holds the sum of
/// `r` over `(i − lowbit(i), i]`).
pub const FENWICK: Map<(DatanetId, u32), Uint256> = Map::new("fenwick");
/// Contributors' version ranges, keyed by (contributor, datanet, first slot).
pub const RANGES: Map<(&Addr, DatanetId, u32), Range> = Map::new("ranges");
/// What weight-mode claims paid per datanet since version scoping, kept apart from the
/// datanet's record so a claim writes a few bytes instead of the whole record (the datanet's
/// `total_claimed` holds what was claimed before; the answers add both).
pub const CLAIMED_SINCE: Map<DatanetId, Uint128> = Map::new("claimed_since");
/// Each account's credits (`Allocation::Account`): earned and claimed.
pub const CREDITS: Map<&Addr, AccountCredits> = Map::new("credits");
/// What each source credited each account: (account, source kind, source id).
pub const EARNINGS: Map<(&Addr, u8, u64), Uint128> = Map::new("earnings");

/// A run of slots in which a contributor held the same weight. Stored with one-letter keys: a
/// claim reads and writes one per range, and storage is priced by the byte.
#[cw_serde]
#[derive(Default)]
pub struct Range {
    /// The weight in each slot of the range.
    #[serde(rename = "w")]
    pub weight: u64,
    /// The slot the range ends before; `None` while open.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u32>,
    /// The range's reward-per-weight sum at its last settlement.
    #[serde(rename = "i")]
    pub index: Uint256,
    /// Settled and unpaid rewards, scaled by `math::SCALE`.
    #[serde(rename = "a")]
    pub accrued_scaled: Uint256,
    /// Paid out so far.
    #[serde(rename = "c")]
    pub claimed: Uint128,
}

/// An account's credits.
#[cw_serde]
#[derive(Default)]
pub struct AccountCredits {
    /// Credited so far.
    pub earned: Uint128,
    /// Paid out so far.
    pub claimed: Uint128,
}

impl AccountCredits {
    /// What the account can claim now.
    pub fn claimable(&self) -> StdResult<Uint128> {
        Ok(self.earned.checked_sub(self.claimed)?)
    }
}

/// Credits `amount` to `addr`'s account for `source`: what it earned in all and from that
/// source grows; the caller counts it in `Totals::credits_outstanding`.
pub fn add_credit(
    storage: &mut dyn Storage,
    addr: &Addr,
    source: &EarningSource,
    amount: Uint128,
) -> StdResult<()> {
    let mut credits = CREDITS.may_load(storage, addr)?.unwrap_or_default();
    credits.earned = credits.earned.checked_add(amount)?;
    CREDITS.save(storage, addr, &credits)?;
    let (kind, id) = source_key(source);
    let earned = EARNINGS
        .may_load(storage, (addr, kind, id))?
        .unwrap_or_default();
    EARNINGS.save(storage, (addr, kind, id), &earned.checked_add(amount)?)
}

/// The key of an earning source: (kind, id), ordered.
pub fn source_key(source: &EarningSource) -> (u8, u64) {
    match source {
        EarningSource::ModelOwner { model_id } => (0, *model_id),
        EarningSource::Host { model_id } => (1, *model_id),
        EarningSource::Curator { datanet_id } => (2, *datanet_id),
    }
}

/// The earning source of a key (`None` for a kind this version does not know).
pub fn source_of(kind: u8, id: u64) -> Option<EarningSource> {
    match kind {
        0 => Some(EarningSource::ModelOwner { model_id: id }),
        1 => Some(EarningSource::Host { model_id: id }),
        2 => Some(EarningSource::Curator { datanet_id: id }),
        _ => None,
    }
}

fn lowbit(i: u32) -> u32 {
    i & i.wrapping_neg()
}

/// `P(s)`: the sum of `r` over slots `1..=s` (0 for `s = 0`).
pub fn prefix(storage: &dyn Storage, id: DatanetId, s: u32) -> StdResult<Uint256> {
    let mut sum = Uint256::zero();
    let mut i = s;
    while i > 0 {
        sum = sum.checked_add(FENWICK.may_load(storage, (id, i))?.unwrap_or_default())?;
        i -= lowbit(i);
    }
    Ok(sum)
}

/// Adds `inc` to slot `s` of a datanet whose newest slot is `slots`.
fn fenwick_add(
    storage: &mut dyn Storage,
    id: DatanetId,
    s: u32,
    slots: u32,
    inc: Uint256,
) -> StdResult<()> {
    let mut i = s;
    while i > 0 && i <= slots {
        let node = FENWICK.may_load(storage, (id, i))?.unwrap_or_default();
        FENWICK.save(storage, (id, i), &node.checked_add(inc)?)?;
        match i.checked_add(lowbit(i)) {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(())
}

impl DatanetPool {
    /// Everything its contributors have claimed (weight mode; influence claims count in
    /// `total_claimed`).
    pub fn claimed(&self, storage: &dyn Storage, id: DatanetId) -> StdResult<Uint128> {
        let since = CLAIMED_SINCE.may_load(storage, id)?.unwrap_or_default();
        Ok(self.total_claimed.checked_add(since)?)
    }

    /// The number of versions published, as the pool knows them.
    pub fn versions(&self) -> u32 {
        match self.legacy_versions {
            0 => self.slots,
            l => self.slots.saturating_sub(1).saturating_add(l),
        }
    }

    /// The slot of published version `version`, or `UnknownVersion`.
    pub fn slot_of(&self, id: DatanetId, version: u32) -> Result<u32, ContractError> {
        let versions = self.versions();
        if version == 0 || version > versions {
            return Err(ContractError::UnknownVersion {
                datanet_id: id,
                version,
                versions,
            });
        }
        Ok(self.slot_at(version))
    }

    /// The first version of slot `s`.
    pub fn version_of(&self, s: u32) -> u32 {
        match self.legacy_versions {
            0 => s,
            _ if s <= 1 => 1,
            l => s + l - 1,
        }
    }

    /// The reward-per-weight sum of the range `[from, to)` now.
    pub fn range_sum(
        &self,
        storage: &dyn Storage,
        id: DatanetId,
        from: u32,
        to: Option<u32>,
    ) -> StdResult<Uint256> {
        let end = match to {
            None => self.slots_sum,
            Some(t) => prefix(storage, id, t.saturating_sub(1))?,
        };
        Ok(end.checked_sub(prefix(storage, id, from.saturating_sub(1))?)?)
    }

    /// Brings a datanet of 0.2.0 under version-scoped rewards the first time the pool meets it
    /// after the upgrade: `legacy_versions` versions were published before (`None`: asks the
    /// registry). Every one of them becomes slot 1, whose weight is the datanet's weight now.
    pub fn sync(
        &mut self,
        querier: &QuerierWrapper,
        registry: Option<&Addr>,
        id: DatanetId,
        legacy_versions: Option<u32>,
        storage: &mut dyn Storage,
    ) -> Result<(), ContractError> {
        if self.synced {
            return Ok(());
        }
        let l = match (legacy_versions, registry) {
            (Some(l), _) => l,
            (None, Some(registry)) => {
                RegistryHandle(registry.clone()).version_count(querier, id)?
            }
            (None, None) => return Err(ContractError::RegistryNotSet),
        };
        self.synced = true;
        self.legacy_versions = l;
        if l > 0 {
            self.slots = 1;
            SLOT_WEIGHTS.save(storage, (id, 1), &self.total_weight)?;
        }
        Ok(())
    }

    /// Credits `amount` to the contributors of slot `s`: returns the accumulator credit, or
    /// `None` when nobody holds weight in it.
    pub fn credit_slot(
        &mut self,
        storage: &mut dyn Storage,
        id: DatanetId,
        s: u32,
        amount: Uint128,
    ) -> StdResult<Option<math::Credit>> {
        let weight = SLOT_WEIGHTS.may_load(storage, (id, s))?.unwrap_or_default();
        if weight == 0 {
            return Ok(None);
        }
        let c = math::increment(amount, Uint128::from(weight))?;
        fenwick_add(storage, id, s, self.slots, c.inc)?;
        self.slots_sum = self.slots_sum.checked_add(c.inc)?;
        self.total_distributed = self.total_distributed.checked_add(c.credited)?;
        Ok(Some(c))
    }

    /// Publishes the next slot with the datanet's current total weight; initialises its
    /// Fenwick node from the slots below it.
    pub fn publish_slot(&mut self, storage: &mut dyn Storage, id: DatanetId) -> StdResult<u32> {
        let s = self
            .slots
            .checked_add(1)
            .ok_or_else(|| cosmwasm_std::StdError::generic_err("slot overflow"))?;
        let low = s - lowbit(s);
        let node = prefix(storage, id, s - 1)?.checked_sub(prefix(storage, id, low)?)?;
        if !node.is_zero() {
            FENWICK.save(storage, (id, s), &node)?;
        }
        SLOT_WEIGHTS.save(storage, (id, s), &self.total_weight)?;
        self.slots = s;
        Ok(s)
    }
}

/// Settles `range` (first slot `from`) of datanet `id` against the tree now.
pub fn settle(
    storage: &dyn Storage,
    pool: &DatanetPool,
    id: DatanetId,
    from: u32,
    range: &mut Range,
) -> StdResult<()> {
    let sum = pool.range_sum(storage, id, from, range.to)?;
    let earned = Uint256::from(range.weight).checked_mul(sum.checked_sub(range.index)?)?;
    range.accrued_scaled = range.accrued_scaled.checked_add(earned)?;
    range.index = sum;
    Ok(())
}

/// Pays out a settled range: the whole units, keeping the remainder.
pub fn take_payout(range: &mut Range) -> StdResult<Uint128> {
    let units = Uint128::try_from(range.accrued_scaled.checked_div(SCALE)?)?;
    range.accrued_scaled = range
        .accrued_scaled
        .checked_sub(Uint256::from(units).checked_mul(SCALE)?)?;
    range.claimed = range.claimed.checked_add(units)?;
    Ok(units)
}

/// Turns `addr`'s position of 0.2.0 in synced datanet `id` (if it has one) into an open range
/// from slot 1 with what it had earned: its weight counted in every slot since the pool met
/// the datanet, and nothing reached the tree before. Returns whether there was one.
pub fn convert_legacy(
    storage: &mut dyn Storage,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
) -> Result<bool, ContractError> {
    if !pool.legacy {
        return Ok(false);
    }
    let Some(mut pos) = POSITIONS.may_load(storage, (addr, id))? else {
        return Ok(false);
    };
    math::settle(&mut pos, pool.reward_per_weight)?;
    POSITIONS.remove(storage, (addr, id));
    let range = Range {
        weight: u64::try_from(pos.weight.u128())
            .map_err(|_| cosmwasm_std::StdError::generic_err("a 0.2.0 weight above u64::MAX"))?,
        // A position whose weight left before the upgrade holds only what it earned.
        to: if pos.weight.is_zero() { Some(1) } else { None },
        index: Uint256::zero(),
        accrued_scaled: pos.accrued_scaled,
        claimed: pos.claimed,
    };
    RANGES.save(storage, (addr, id, 1), &range)?;
    Ok(true)
}

/// `addr`'s newest range in datanet `id`, with its first slot.
pub fn last_range(
    storage: &dyn Storage,
    addr: &Addr,
    id: DatanetId,
) -> StdResult<Option<(u32, Range)>> {
    RANGES
        .prefix((addr, id))
        .range(storage, None, None, Order::Descending)
        .next()
        .transpose()
}

/// Sets `addr`'s weight for the next slot of synced weight-mode datanet `id` to `weight`;
/// returns its weight before. Updates `pool.total_weight`; the caller saves the pool.
pub fn set_weight(
    storage: &mut dyn Storage,
    pool: &mut DatanetPool,
    addr: &Addr,
    id: DatanetId,
    weight: u64,
) -> Result<u64, ContractError> {
    convert_legacy(storage, pool, addr, id)?;
    let next = pool.slots.add_checked(1)?;
    let last = last_range(storage, addr, id)?;
    let old = match &last {
        Some((_, r)) if r.to.is_none() => r.weight,
        _ => 0,
    };
    match last {
        // A range that starts at the next slot, which no fee can reach yet: change it in place
        // (one that holds nothing disappears when its weight goes to 0; one that holds a
        // converted remainder stays, empty).
        Some((from, mut r)) if from == next => {
            if weight == 0 && r.accrued_scaled.is_zero() && r.claimed.is_zero() {
                RANGES.remove(storage, (addr, id, from));
            } else {
                r.weight = weight;
                r.to = if weight == 0 { Some(next) } else { None };
                RANGES.save(storage, (addr, id, from), &r)?;
            }
        }
        last => {
            if let Some((from, mut r)) = last.filter(|(_, r)| r.to.is_none()) {
                r.to = Some(next);
                RANGES.save(storage, (addr, id, from), &r)?;
            }
            if weight > 0 {
                let r = Range {
                    weight,
                    ..Range::default()
                };
                RANGES.save(storage, (addr, id, next), &r)?;
            }
        }
    }
    pool.total_weight = pool.total_weight.sub_checked(old)?.add_checked(weight)?;
    Ok(old)
}

/// What a range answers in queries: settled now, in versions.
pub fn range_earnings(
    storage: &dyn Storage,
    pool: &DatanetPool,
    id: DatanetId,
    from: u32,
    mut range: Range,
) -> StdResult<RangeEarnings> {
    settle(storage, pool, id, from, &mut range)?;
    let claimable = Uint128::try_from(range.accrued_scaled.checked_div(SCALE)?)?;
    Ok(RangeEarnings {
        datanet_id: id,
        from_version: pool.version_of(from),
        to_version: range.to.map(|t| pool.version_of(t)),
        weight: range.weight,
        earned: range.claimed.checked_add(claimable)?,
        claimed: range.claimed,
        claimable,
    })
}

/// Up to `limit` ranges of `addr` in datanet `id` after first slot `start_after`.
pub fn ranges_page(
    storage: &dyn Storage,
    addr: &Addr,
    id: DatanetId,
    start_after: Option<u32>,
    limit: usize,
) -> StdResult<Vec<(u32, Range)>> {
    RANGES
        .prefix((addr, id))
        .range(
            storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .collect()
}

/// The legacy position of `addr` in `id` as it would convert now (for queries).
pub fn legacy_as_range(
    storage: &dyn Storage,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
) -> StdResult<Option<Range>> {
    if !pool.legacy {
        return Ok(None);
    }
    let Some(pos) = POSITIONS.may_load(storage, (addr, id))? else {
        return Ok(None);
    };
    let pos: Position = pos.settled(pool.reward_per_weight)?;
    Ok(Some(Range {
        weight: u64::try_from(pos.weight.u128()).unwrap_or(u64::MAX),
        to: if pos.weight.is_zero() { Some(1) } else { None },
        index: Uint256::zero(),
        accrued_scaled: pos.accrued_scaled,
        claimed: pos.claimed,
    }))
}

/// The datanets `addr` holds ranges or positions of 0.2.0 in, ascending, after `start_after`,
/// at most `limit`: O(limit) reads whatever the number of ranges.
pub fn held_datanets(
    storage: &dyn Storage,
    addr: &Addr,
    start_after: Option<DatanetId>,
    limit: usize,
) -> StdResult<Vec<DatanetId>> {
    let mut ids: Vec<DatanetId> = POSITIONS
        .prefix(addr)
        .keys(
            storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .collect::<StdResult<_>>()?;
    let mut after = start_after;
    for _ in 0..limit {
        let min = after.map(|d| Bound::exclusive((d, u32::MAX)));
        let Some((id, _)) = RANGES
            .sub_prefix(addr)
            .keys(storage, min, None, Order::Ascending)
            .next()
            .transpose()?
        else {
            break;
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
        after = Some(id);
    }
    ids.sort_unstable();
    ids.truncate(limit);
    Ok(ids)
}

impl DatanetPool {
    /// The slot a version falls in (for pagination: no bounds check).
    pub fn slot_at(&self, version: u32) -> u32 {
        match self.legacy_versions {
            0 => version,
            l if version <= l => 1,
            l => version - l + 1,
        }
    }
}
