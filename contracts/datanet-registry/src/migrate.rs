//! Migration: the cw2 check, then the moves of stored data whose layout changed.
//!
//! 0.2.0 (and 0.3.0 before the counters left it) stored the configuration under the key
//! `config` with the id counters inside. `migrate` moves the counters to `DATANET_COUNT` and
//! `CONTRIBUTION_COUNT` and the rest to `CONFIG`. Once moved, the old key is gone, so running
//! `migrate` again changes nothing.
//!
//! The event log (version trees) needs nothing here, so `migrate` stays O(1) whatever the
//! number of datanets: a datanet's tally stored by 0.3.0 (with its hash chain `root`) is
//! converted by `DatanetTally::load` the first time it is read, and then owes a backfill of the
//! contributions it had accepted (`backfill_version_tree`, bounded, permissionless) before it
//! can publish again. Versions stored by 0.3.0 load as they are, as versions of format
//! `hash_chain_v0`.
//!
//! Contributions are migrated lazily, one at a time, so `migrate` loops over none of them. A
//! contribution is now kept in two records: its submission (`contributions`, the key 0.2.0 and
//! 0.3.0 stored the whole record under, never rewritten) and its review state (`reviews`,
//! written by each review, removal, withdrawal, displacement and backfill). A record stored by
//! 0.2.0 or 0.3.0 loads as a `Submission` whose review fields are set; while the contribution
//! has no review state, `Contribution::load` takes status, weight, reason, reviewer and
//! displacement from those fields (without leaf positions), and its first change stores them,
//! changed, as its review state. The `(datanet, status)` index keeps the keys and values of the
//! `MultiIndex` 0.3.0 kept, and the contributor index is unchanged: neither needs a move.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, DepsMut, Response, Storage, Uint128};
use cw_storage_plus::Item;
use openledger_common::migrate::upgrade;

use crate::error::ContractError;
use crate::state::{Config, CONFIG, CONTRIBUTION_COUNT, DATANET_COUNT};
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

/// The configuration as 0.2.0 stored it: with the id counters.
#[cw_serde]
pub struct ConfigWithCounters {
    /// The fee token.
    pub token: Addr,
    /// The reward pool.
    pub reward_pool: Addr,
    /// Fee to create a datanet.
    pub creation_fee: Uint128,
    /// Datanets created so far.
    pub datanet_count: u64,
    /// Contributions submitted so far.
    pub contribution_count: u64,
}

/// Where 0.2.0 stored its configuration.
pub const CONFIG_WITH_COUNTERS: Item<ConfigWithCounters> = Item::new("config");

/// Checks the stored cw2 name and version (no other contract, no downgrade), records the new
/// version and moves the stored data to the current layout.
pub fn migrate(deps: DepsMut) -> Result<Response, ContractError> {
    let res = upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    move_counters(deps.storage)?;
    Ok(res)
}

/// Moves a configuration stored with its counters (under `config`) to `CONFIG`,
/// `DATANET_COUNT` and `CONTRIBUTION_COUNT`. Returns whether there was one to move.
pub fn move_counters(storage: &mut dyn Storage) -> Result<bool, ContractError> {
    let Some(old) = CONFIG_WITH_COUNTERS.may_load(storage)? else {
        return Ok(false);
    };
    CONFIG.save(
        storage,
        &Config {
            token: old.token,
            reward_pool: old.reward_pool,
            creation_fee: old.creation_fee,
        },
    )?;
    DATANET_COUNT.save(storage, &old.datanet_count)?;
    CONTRIBUTION_COUNT.save(storage, &old.contribution_count)?;
    CONFIG_WITH_COUNTERS.remove(storage);
    Ok(true)
}
