//! Curators' share of their datanets' income.
//!
//! Of every allocation a datanet receives (`Allocation::Datanet`, whatever pays it), its `n`
//! curators earn `curators_bps` together, split equally in whole units
//! (`openledger_common::curation::curators_cut`):
//!
//! ```text
//! per_curator = ⌊⌊amount × curators_bps / 10 000⌋ / n⌋
//! curators    = per_curator × n
//! rest        = amount − curators      → the contributors, exactly as a whole allocation
//! ```
//!
//! No curator (`n = 0`) or a zero rate takes nothing. The pool keeps, per datanet, one counter,
//! `DatanetPool::earned_per_curator`: the sum of every allocation's `per_curator`; and, per
//! curator and datanet, the value of that counter when the curator joined or was last paid
//! (`CURATOR_SNAPSHOTS`). A curator is owed `earned_per_curator − snapshot`: an allocation costs
//! one addition whatever the number of curators, and settling a curator one read and one write.
//!
//! The set changes only with `set_curators` (the registry), or once when the pool learns the
//! set of a datanet stored by an earlier release from the registry, and a change settles
//! exactly the curators it concerns: one who leaves has what it is owed moved to its account
//! credits (source `curator { datanet_id }`, as an `Allocation::Account` credit); one who joins
//! snapshots the counter as it is (it earns from the next allocation on); one who stays is not
//! touched. Between changes the set is fixed, so the sum over current curators of
//! `earned_per_curator − snapshot` is exactly what the pool owes them; `Totals::
//! curators_outstanding` holds that sum over all datanets.

use cosmwasm_std::{Addr, Api, Order, QuerierWrapper, StdError, StdResult, Storage, Uint128};
use cw_storage_plus::{Bound, Map};
use openledger_common::attribution::DatanetId;
use openledger_common::curation::{curators_cut, CuratorsCut};
use openledger_common::handles::RegistryHandle;
use openledger_common::msg::datanet_registry::MAX_CURATORS;
use openledger_common::msg::reward_pool::{EarningSource, MAX_CURATORS_BPS};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{DatanetPool, Totals};
use crate::versions;

/// Each datanet's curator set, in the order the registry gave it (at most `MAX_CURATORS`
/// addresses; no entry: none).
pub const CURATOR_SETS: Map<DatanetId, Vec<Addr>> = Map::new("curator_sets");
/// Each current curator's snapshot of its datanet's `earned_per_curator`, keyed by (curator,
/// datanet) so one curator's positions can be paged; the entry exists exactly while the
/// address is in the datanet's set.
pub const CURATOR_SNAPSHOTS: Map<(&Addr, DatanetId), Uint128> = Map::new("curator_snapshots");

/// Refuses a curators' share above `MAX_CURATORS_BPS`.
pub fn check_curators_bps(bps: u16) -> Result<(), ContractError> {
    if bps > MAX_CURATORS_BPS {
        return Err(ContractError::InvalidCuratorsBps {
            bps,
            max: MAX_CURATORS_BPS,
        });
    }
    Ok(())
}

/// The curator set `curators` as addresses: at most `MAX_CURATORS`, each valid, each once.
pub fn validate_set(api: &dyn Api, curators: &[String]) -> Result<Vec<Addr>, ContractError> {
    if curators.len() > MAX_CURATORS {
        return Err(ContractError::TooManyCurators {
            got: curators.len(),
            max: MAX_CURATORS,
        });
    }
    let mut set: Vec<Addr> = Vec::with_capacity(curators.len());
    for c in curators {
        let addr = validate_addr(api, "curator", c)?;
        if set.contains(&addr) {
            return Err(ContractError::DuplicateCurator { address: c.clone() });
        }
        set.push(addr);
    }
    Ok(set)
}

/// What a change of a datanet's curator set did.
#[derive(Debug, Default, PartialEq)]
pub struct SetChange {
    /// Curators who joined.
    pub added: Vec<Addr>,
    /// Curators who left, each with what it was owed (moved to its account credits).
    pub removed: Vec<(Addr, Uint128)>,
}

/// Moves `amount` that `addr` earned as curator of datanet `id` to its account credits.
fn credit_curator(
    storage: &mut dyn Storage,
    addr: &Addr,
    id: DatanetId,
    amount: Uint128,
    totals: &mut Totals,
) -> StdResult<()> {
    if amount.is_zero() {
        return Ok(());
    }
    versions::add_credit(
        storage,
        addr,
        &EarningSource::Curator { datanet_id: id },
        amount,
    )?;
    totals.curators_outstanding = totals.curators_outstanding.checked_sub(amount)?;
    totals.credits_outstanding = totals.credits_outstanding.checked_add(amount)?;
    Ok(())
}

/// What current curator `addr` of datanet `id` (whose pool is `pool`) is owed now, or `None`
/// when it is not one of its curators.
pub fn pending(
    storage: &dyn Storage,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
) -> StdResult<Option<Uint128>> {
    CURATOR_SNAPSHOTS
        .may_load(storage, (addr, id))?
        .map(|snapshot| Ok(pool.earned_per_curator.checked_sub(snapshot)?))
        .transpose()
}

/// Settles curator `addr` of datanet `id` (whose pool is `pool`): moves what it is owed to its
/// account credits and snapshots the counter. Returns what it moved, or `None` when `addr` is
/// not one of the datanet's curators (nothing is read for a datanet without curators, the
/// snapshot only otherwise).
pub fn settle(
    storage: &mut dyn Storage,
    pool: &DatanetPool,
    addr: &Addr,
    id: DatanetId,
    totals: &mut Totals,
) -> Result<Option<Uint128>, ContractError> {
    if pool.curators == 0 {
        return Ok(None);
    }
    let Some(snapshot) = CURATOR_SNAPSHOTS.may_load(storage, (addr, id))? else {
        return Ok(None);
    };
    let counter = pool.earned_per_curator;
    let owed = counter.checked_sub(snapshot)?;
    if !owed.is_zero() {
        CURATOR_SNAPSHOTS.save(storage, (addr, id), &counter)?;
        credit_curator(storage, addr, id, owed, totals)?;
    }
    Ok(Some(owed))
}

/// Makes `set` the curator set of datanet `id` (see the module doc): leavers' earnings go to
/// their account credits, joiners snapshot the counter, the others stay as they are. Saves the
/// set and the snapshots; updates `pool` and `totals`, which the caller saves.
pub fn replace_set(
    storage: &mut dyn Storage,
    pool: &mut DatanetPool,
    id: DatanetId,
    set: Vec<Addr>,
    totals: &mut Totals,
) -> Result<SetChange, ContractError> {
    let old = CURATOR_SETS.may_load(storage, id)?.unwrap_or_default();
    let mut change = SetChange::default();
    for addr in old.iter().filter(|a| !set.contains(a)) {
        let snapshot = CURATOR_SNAPSHOTS.load(storage, (addr, id))?;
        let owed = pool.earned_per_curator.checked_sub(snapshot)?;
        CURATOR_SNAPSHOTS.remove(storage, (addr, id));
        credit_curator(storage, addr, id, owed, totals)?;
        change.removed.push((addr.clone(), owed));
    }
    for addr in set.iter().filter(|a| !old.contains(a)) {
        CURATOR_SNAPSHOTS.save(storage, (addr, id), &pool.earned_per_curator)?;
        change.added.push(addr.clone());
    }
    pool.curators = u32::try_from(set.len())
        .map_err(|_| StdError::generic_err("a curator set above u32::MAX"))?;
    pool.curators_known = true;
    if set.is_empty() {
        CURATOR_SETS.remove(storage, id);
    } else {
        CURATOR_SETS.save(storage, id, &set)?;
    }
    Ok(change)
}

/// Takes the curators' share of an allocation of `amount` to datanet `id`, whose pool is
/// `pool`, at `bps`. A datanet whose set the pool does not know yet (stored by an earlier
/// release) first learns it from `registry`, once, while `bps > 0`; returns the cut (its `rest`
/// reaches the contributors) and how many curators were learned, if the set was learned.
/// Updates `pool` and `totals`, which the caller saves.
pub fn take_cut(
    (storage, api, querier): (&mut dyn Storage, &dyn Api, &QuerierWrapper),
    registry: Option<&Addr>,
    (pool, id): (&mut DatanetPool, DatanetId),
    amount: Uint128,
    bps: u16,
    totals: &mut Totals,
) -> Result<(CuratorsCut, Option<usize>), ContractError> {
    let mut learned = None;
    if bps > 0 && !pool.curators_known {
        let registry = registry.ok_or(ContractError::RegistryNotSet)?;
        let listed = RegistryHandle(registry.clone()).curators(querier, id)?;
        let set = validate_set(api, &listed)?;
        learned = Some(set.len());
        replace_set(storage, pool, id, set, totals)?;
    }
    let cut = curators_cut(amount, bps, pool.curators)?;
    if !cut.curators.is_zero() {
        pool.earned_per_curator = pool.earned_per_curator.checked_add(cut.per_curator)?;
        totals.curators_outstanding = totals.curators_outstanding.checked_add(cut.curators)?;
    }
    Ok((cut, learned))
}

/// The datanets `addr` curates, ascending, after `start_after`, at most `limit`.
pub fn curated_datanets(
    storage: &dyn Storage,
    addr: &Addr,
    start_after: Option<DatanetId>,
    limit: usize,
) -> StdResult<Vec<DatanetId>> {
    CURATOR_SNAPSHOTS
        .prefix(addr)
        .keys(
            storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .collect()
}

/// The datanets `addr` holds a position in, as a contributor (ranges, a position of 0.2.0) or
/// as a curator, ascending, after `start_after`, at most `limit`: O(limit) reads.
pub fn positions_and_curated(
    storage: &dyn Storage,
    addr: &Addr,
    start_after: Option<DatanetId>,
    limit: usize,
) -> StdResult<Vec<DatanetId>> {
    let mut ids = versions::held_datanets(storage, addr, start_after, limit)?;
    for id in curated_datanets(storage, addr, start_after, limit)? {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.truncate(limit);
    Ok(ids)
}
