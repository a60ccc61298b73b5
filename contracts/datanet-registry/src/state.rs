//! Storage of the registry, with the loaders of each stored type.
//!
//! A datanet is kept in two parts: its description (`DATANETS`, indexed by owner, rarely
//! written) and its tallies (`DATANET_TALLIES`, written by every contribution and review), so
//! that the busy path never rewrites the owner index. The id counters live in items of their
//! own (`DATANET_COUNT`, `CONTRIBUTION_COUNT`), not in the configuration. A contribution is kept
//! in two parts too: its submission (`CONTRIBUTIONS`, written once) and its review state
//! (`REVIEWS`, a few dozen bytes written by each change), with its entry in the
//! `(datanet, status)` index (`CONTRIBUTIONS_BY_STATUS`), so a review never rewrites what the
//! contributor submitted. A datanet's event log (the leaves its versions commit to) is stored by
//! `crate::tree`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Empty, HexBinary, StdResult, Storage, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use openledger_common::attribution::DatanetId;
use openledger_common::item_owner::OwnedItem;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionId, ContributionPolicy, DatanetStatus, VersionFormat,
};
use openledger_common::Checked;

use crate::error::ContractError;

mod contribution;

pub use contribution::*;

/// The registry's configuration.
#[cw_serde]
pub struct Config {
    /// The fee token (bonds and creation fees).
    pub token: Addr,
    /// The reward pool: weight changes and treasury payments go there.
    pub reward_pool: Addr,
    /// Fee to create a datanet; zero for none.
    pub creation_fee: Uint128,
}

/// The configuration. Its key is new in 0.3.0: the key `config` held the configuration with
/// the id counters inside, and `migrate` moves it here and the counters to their own items.
pub const CONFIG: Item<Config> = Item::new("config_v2");

/// Datanets created so far (the last id).
pub const DATANET_COUNT: Item<u64> = Item::new("datanet_count");

/// Contributions submitted so far (the last id).
pub const CONTRIBUTION_COUNT: Item<u64> = Item::new("contribution_count");

/// Counts one more in `counter` and returns the new value: the next id.
pub fn next_id(storage: &mut dyn Storage, counter: &Item<u64>) -> Result<u64, ContractError> {
    let id = counter
        .may_load(storage)?
        .unwrap_or_default()
        .add_checked(1)?;
    counter.save(storage, &id)?;
    Ok(id)
}

/// The value of `counter` (zero before the first id).
pub fn count(storage: &dyn Storage, counter: &Item<u64>) -> StdResult<u64> {
    Ok(counter.may_load(storage)?.unwrap_or_default())
}

/// What describes a datanet and who controls it.
#[cw_serde]
pub struct Datanet {
    /// Its owner.
    pub owner: Addr,
    /// An owner proposed by `transfer_datanet`, until accepted.
    pub pending_owner: Option<Addr>,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// Curators (at most `MAX_CURATORS`, distinct).
    pub curators: Vec<Addr>,
    /// Who may contribute.
    pub policy: ContributionPolicy,
    /// Bond each contribution carries.
    pub contribution_bond: Uint128,
    /// How rewards reach contributors.
    pub attribution_mode: AttributionMode,
    /// Open or closed.
    pub status: DatanetStatus,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Datanet {
    /// Datanet `id`, or `DatanetNotFound`.
    pub fn load(storage: &dyn Storage, id: DatanetId) -> Result<Self, ContractError> {
        DATANETS
            .may_load(storage, id)?
            .ok_or(ContractError::DatanetNotFound { id })
    }

    /// The owner or one of the curators.
    pub fn may_curate(&self, addr: &Addr) -> bool {
        self.owner == *addr || self.curators.contains(addr)
    }

    /// Datanet `id` when `sender` owns it; else `DatanetNotFound` or `NotDatanetOwner`.
    pub fn load_as_owner(
        storage: &dyn Storage,
        id: DatanetId,
        sender: &Addr,
    ) -> Result<Self, ContractError> {
        let datanet = Self::load(storage, id)?;
        if datanet.owner != *sender {
            return Err(ContractError::NotDatanetOwner { datanet_id: id });
        }
        Ok(datanet)
    }

    /// Datanet `id` when `sender` owns or curates it; else `DatanetNotFound` or `NotCurator`.
    pub fn load_as_curator(
        storage: &dyn Storage,
        id: DatanetId,
        sender: &Addr,
    ) -> Result<Self, ContractError> {
        let datanet = Self::load(storage, id)?;
        if !datanet.may_curate(sender) {
            return Err(ContractError::NotCurator { datanet_id: id });
        }
        Ok(datanet)
    }

    /// Checks that this datanet (`id`) is open and that `contributor` may contribute to it.
    pub fn assert_may_contribute(
        &self,
        storage: &dyn Storage,
        id: DatanetId,
        contributor: &Addr,
    ) -> Result<(), ContractError> {
        if self.status == DatanetStatus::Closed {
            return Err(ContractError::DatanetClosed { id });
        }
        if self.policy == ContributionPolicy::Allowlist
            && !ALLOWLIST.has(storage, (id, contributor))
        {
            return Err(ContractError::NotAllowlisted {
                datanet_id: id,
                address: contributor.to_string(),
            });
        }
        Ok(())
    }
}

impl OwnedItem for Datanet {
    fn owner(&self) -> &Addr {
        &self.owner
    }

    fn owners_mut(&mut self) -> (&mut Addr, &mut Option<Addr>) {
        (&mut self.owner, &mut self.pending_owner)
    }
}

/// The running numbers of a datanet.
#[cw_serde]
pub struct DatanetTally {
    /// The rolling hash chain of 0.3.0, present only in a tally 0.3.0 stored: `load` then
    /// drops it and owes the datanet a backfill (its versions keep their roots).
    #[serde(default, rename = "root", skip_serializing_if = "Option::is_none")]
    pub legacy_root: Option<HexBinary>,
    /// Sum of the weights of accepted, not removed contributions.
    pub total_weight: u64,
    /// Contributions accepted so far (including those removed since).
    pub accepted_count: u64,
    /// Contributions awaiting review.
    pub pending_count: u64,
    /// Versions published so far (the last version number).
    pub version_count: u32,
    /// Leaves in the event log: the `seq` of the next one (absent in 0.3.0 state).
    #[serde(default)]
    pub log_size: u64,
    /// The backfill a datanet migrated from 0.3.0 still owes; none for every other datanet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill: Option<Backfill>,
}

/// How far the backfill of a datanet migrated from 0.3.0 has gone. The contributions it
/// accepted before the upgrade are exactly those accepted or removed now without an
/// `accepted_seq`; the backfill goes through them by id.
#[cw_serde]
pub struct Backfill {
    /// Contributions accepted before the upgrade (including those removed since) that the
    /// backfill has not gone through yet.
    pub remaining: u64,
    /// The last contribution it went through (none before the first).
    pub after: Option<ContributionId>,
}

impl DatanetTally {
    /// The tally of a new datanet: nothing counted, an empty log, nothing to backfill.
    pub fn empty() -> Self {
        DatanetTally {
            legacy_root: None,
            total_weight: 0,
            accepted_count: 0,
            pending_count: 0,
            version_count: 0,
            log_size: 0,
            backfill: None,
        }
    }

    /// The tally of datanet `id`, or `DatanetNotFound`. A tally stored by 0.3.0 comes back
    /// converted: no hash chain, an empty log, and a backfill of its `accepted_count`
    /// contributions when it has any (stored at the next `save`, before anything changes it).
    pub fn load(storage: &dyn Storage, id: DatanetId) -> Result<Self, ContractError> {
        let mut tally = DATANET_TALLIES
            .may_load(storage, id)?
            .ok_or(ContractError::DatanetNotFound { id })?;
        if tally.legacy_root.take().is_some() {
            tally.log_size = 0;
            tally.backfill = (tally.accepted_count > 0).then_some(Backfill {
                remaining: tally.accepted_count,
                after: None,
            });
        }
        Ok(tally)
    }

    /// Stores the tally of datanet `id`.
    pub fn save(&self, storage: &mut dyn Storage, id: DatanetId) -> StdResult<()> {
        DATANET_TALLIES.save(storage, id, self)
    }

    /// Refuses to publish a version while the datanet owes a backfill.
    pub fn assert_backfilled(&self, datanet_id: DatanetId) -> Result<(), ContractError> {
        match &self.backfill {
            Some(b) => Err(ContractError::BackfillIncomplete {
                datanet_id,
                remaining: b.remaining,
            }),
            None => Ok(()),
        }
    }
}

/// Secondary indexes of `DATANETS`.
pub struct DatanetIndexes<'a> {
    /// Datanets by owner.
    pub owner: MultiIndex<'a, Addr, Datanet, DatanetId>,
}

impl IndexList<Datanet> for DatanetIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Datanet>> + '_> {
        let v: Vec<&dyn Index<Datanet>> = vec![&self.owner];
        Box::new(v.into_iter())
    }
}

/// Datanets by id, indexed by owner.
pub const DATANETS: IndexedMap<DatanetId, Datanet, DatanetIndexes> = IndexedMap::new(
    "datanets",
    DatanetIndexes {
        owner: MultiIndex::new(
            |_pk, d: &Datanet| d.owner.clone(),
            "datanets",
            "datanets__owner",
        ),
    },
);

/// Tallies of each datanet, by id (load with `DatanetTally::load`, which converts 0.3.0 state).
pub const DATANET_TALLIES: Map<DatanetId, DatanetTally> = Map::new("datanet_tallies");

/// Allowlisted contributors: (datanet, address) present = allowed.
pub const ALLOWLIST: Map<(DatanetId, &Addr), Empty> = Map::new("allowlist");

/// A contributor's standing in one datanet.
#[cw_serde]
#[derive(Default)]
pub struct ContributorStats {
    /// Total weight of accepted, not removed contributions.
    pub weight: u64,
    /// Contributions pending.
    pub pending: u32,
    /// Contributions accepted (including later removed).
    pub accepted: u32,
    /// Contributions rejected.
    pub rejected: u32,
    /// Contributions removed.
    pub removed: u32,
    /// Contributions displaced by an earlier commitment's reveal (absent in 0.2.0 state).
    #[serde(default)]
    pub displaced: u32,
}

/// Contributor standings: (datanet, contributor) → stats.
pub const CONTRIBUTORS: Map<(DatanetId, &Addr), ContributorStats> = Map::new("contributors");

impl ContributorStats {
    /// The standing of `contributor` in `datanet_id` (all zero before its first contribution).
    pub fn load(
        storage: &dyn Storage,
        datanet_id: DatanetId,
        contributor: &Addr,
    ) -> StdResult<Self> {
        Ok(CONTRIBUTORS
            .may_load(storage, (datanet_id, contributor))?
            .unwrap_or_default())
    }

    /// Stores the standing of `contributor` in `datanet_id`.
    pub fn save(
        &self,
        storage: &mut dyn Storage,
        datanet_id: DatanetId,
        contributor: &Addr,
    ) -> StdResult<()> {
        CONTRIBUTORS.save(storage, (datanet_id, contributor), self)
    }
}

/// A published version of a datanet.
#[cw_serde]
pub struct Version {
    /// `event_log_v1`: the Merkle Tree Hash of the first `tree_size` leaves of the event log;
    /// `hash_chain_v0` (0.3.0 state): the rolling hash chain.
    pub root: HexBinary,
    /// What `root` commits to (absent in 0.3.0 state: `hash_chain_v0`).
    #[serde(default = "hash_chain_v0")]
    pub format: VersionFormat,
    /// Leaves of the event log the version holds (absent in 0.3.0 state: 0).
    #[serde(default)]
    pub tree_size: u64,
    /// Total weight when published.
    pub total_weight: u64,
    /// Contributions accepted by then (including those removed before it).
    pub accepted_count: u64,
    /// When it was published.
    pub published_at: Timestamp,
    /// Block height of publication.
    pub height: u64,
}

impl Version {
    /// Version `version` of datanet `datanet_id`, or `VersionNotFound`.
    pub fn load(
        storage: &dyn Storage,
        datanet_id: DatanetId,
        version: u32,
    ) -> Result<Self, ContractError> {
        VERSIONS
            .may_load(storage, (datanet_id, version))?
            .ok_or(ContractError::VersionNotFound {
                datanet_id,
                version,
            })
    }
}

/// The format of a version stored without one (by 0.3.0).
fn hash_chain_v0() -> VersionFormat {
    VersionFormat::HashChainV0
}

/// Published versions: (datanet, version from 1) → version.
pub const VERSIONS: Map<(DatanetId, u32), Version> = Map::new("versions");

/// A contributor's commitment to a data hash it has not shown yet.
#[cw_serde]
pub struct Commitment {
    /// When it was made (the reveal must come strictly later).
    pub committed_at: Timestamp,
    /// The last moment it can be revealed (fixed when made).
    pub expires_at: Timestamp,
}

impl Commitment {
    /// The open commitment `commitment` (lower-case hex) of `contributor` in `datanet_id`, or
    /// `CommitmentNotFound`.
    pub fn load(
        storage: &dyn Storage,
        datanet_id: DatanetId,
        contributor: &Addr,
        commitment: &str,
    ) -> Result<Self, ContractError> {
        COMMITMENTS
            .may_load(storage, (datanet_id, contributor, commitment))?
            .ok_or_else(|| ContractError::CommitmentNotFound {
                datanet_id,
                contributor: contributor.to_string(),
                commitment: commitment.to_string(),
            })
    }

    /// Whether the reveal window has passed at `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now > self.expires_at
    }
}

/// Open commitments: (datanet, contributor, lower-case hex commitment) → commitment. At most
/// `MAX_OPEN_COMMITMENTS` per (datanet, contributor); removed when revealed, pruned when
/// expired by the contributor's next commitment in the datanet.
pub const COMMITMENTS: Map<(DatanetId, &Addr, &str), Commitment> = Map::new("commitments");

/// Bonds returned (accepted, withdrawn or displaced contributions) and not yet paid out, by
/// address.
pub const WITHDRAWABLE_BONDS: Map<&Addr, Uint128> = Map::new("withdrawable_bonds");

/// The bonds `owner` may withdraw (zero when none).
pub fn withdrawable_bonds(storage: &dyn Storage, owner: &Addr) -> StdResult<Uint128> {
    Ok(WITHDRAWABLE_BONDS
        .may_load(storage, owner)?
        .unwrap_or_default())
}

/// What the registry owes, for the solvency check.
#[cw_serde]
#[derive(Default)]
pub struct BondTotals {
    /// Bonds of pending contributions.
    pub pending: Uint128,
    /// Sum of `WITHDRAWABLE_BONDS`.
    pub withdrawable: Uint128,
}

/// The registry's liabilities.
pub const BOND_TOTALS: Item<BondTotals> = Item::new("bond_totals");
