//! Storage of the registry.
//!
//! A datanet is kept in two parts: its description (`DATANETS`, indexed by owner, rarely
//! written) and its tallies (`DATANET_TALLIES`, written by every contribution and review), so
//! that the busy path never rewrites the owner index.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Empty, HexBinary, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionId, ContributionPolicy, ContributionStatus, DatanetStatus,
};

/// The registry's configuration and id counters.
#[cw_serde]
pub struct Config {
    /// The fee token (bonds and creation fees).
    pub token: Addr,
    /// The reward pool: weight changes and treasury payments go there.
    pub reward_pool: Addr,
    /// Fee to create a datanet; zero for none.
    pub creation_fee: Uint128,
    /// Datanets created so far (the last id).
    pub datanet_count: u64,
    /// Contributions submitted so far (the last id).
    pub contribution_count: u64,
}

/// The configuration.
pub const CONFIG: Item<Config> = Item::new("config");

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
    /// The owner or one of the curators.
    pub fn may_curate(&self, addr: &Addr) -> bool {
        self.owner == *addr || self.curators.contains(addr)
    }
}

/// The running numbers of a datanet.
#[cw_serde]
pub struct DatanetTally {
    /// Rolling commitment over accepted contributions (32 bytes).
    pub root: HexBinary,
    /// Sum of the weights of accepted, not removed contributions.
    pub total_weight: u64,
    /// Contributions accepted so far (each extended the root once).
    pub accepted_count: u64,
    /// Contributions awaiting review.
    pub pending_count: u64,
    /// Versions published so far (the last version number).
    pub version_count: u32,
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

/// Tallies of each datanet, by id.
pub const DATANET_TALLIES: Map<DatanetId, DatanetTally> = Map::new("datanet_tallies");

/// Allowlisted contributors: (datanet, address) present = allowed.
pub const ALLOWLIST: Map<(DatanetId, &Addr), Empty> = Map::new("allowlist");

/// One contribution.
#[cw_serde]
pub struct Contribution {
    /// Its datanet.
    pub datanet_id: DatanetId,
    /// Who contributed it.
    pub contributor: Addr,
    /// SHA-256 of the data, lower-case hex.
    pub data_hash: String,
    /// Where the data lives.
    pub uri: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Licence note.
    pub license_note: Option<String>,
    /// Bond paid with it.
    pub bond: Uint128,
    /// Where it is in its lifecycle.
    pub status: ContributionStatus,
    /// Accepted weight (zero until accepted; kept after removal as a record).
    pub weight: u64,
    /// Rejection or removal reason.
    pub reason: Option<String>,
    /// When it was submitted.
    pub submitted_at: Timestamp,
    /// Who reviewed or removed it.
    pub reviewed_by: Option<Addr>,
    /// When it was last reviewed or removed.
    pub reviewed_at: Option<Timestamp>,
    /// When its commitment was made, for a revealed contribution (absent in 0.2.0 state).
    #[serde(default)]
    pub committed_at: Option<Timestamp>,
    /// The contribution that displaced it (absent in 0.2.0 state).
    #[serde(default)]
    pub displaced_by: Option<ContributionId>,
}

impl Contribution {
    /// When this contribution claimed its data hash: its commitment's time if it was revealed
    /// from one, else its submission time. The earlier claim wins a displacement.
    pub fn claimed_at(&self) -> Timestamp {
        self.committed_at.unwrap_or(self.submitted_at)
    }
}

/// The storage key of a status in the `(datanet, status)` index.
pub fn status_key(status: ContributionStatus) -> u8 {
    match status {
        ContributionStatus::Pending => 0,
        ContributionStatus::Accepted => 1,
        ContributionStatus::Rejected => 2,
        ContributionStatus::Withdrawn => 3,
        ContributionStatus::Removed => 4,
        ContributionStatus::Displaced => 5,
    }
}

/// Secondary indexes of `CONTRIBUTIONS`.
pub struct ContributionIndexes<'a> {
    /// Contributions by (datanet, status).
    pub datanet_status: MultiIndex<'a, (DatanetId, u8), Contribution, ContributionId>,
    /// Contributions by contributor.
    pub contributor: MultiIndex<'a, Addr, Contribution, ContributionId>,
}

impl IndexList<Contribution> for ContributionIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Contribution>> + '_> {
        let v: Vec<&dyn Index<Contribution>> = vec![&self.datanet_status, &self.contributor];
        Box::new(v.into_iter())
    }
}

/// Contributions by id (global, from 1), indexed by (datanet, status) and by contributor.
pub const CONTRIBUTIONS: IndexedMap<ContributionId, Contribution, ContributionIndexes> =
    IndexedMap::new(
        "contributions",
        ContributionIndexes {
            datanet_status: MultiIndex::new(
                |_pk, c: &Contribution| (c.datanet_id, status_key(c.status)),
                "contributions",
                "contributions__datanet_status",
            ),
            contributor: MultiIndex::new(
                |_pk, c: &Contribution| c.contributor.clone(),
                "contributions",
                "contributions__contributor",
            ),
        },
    );

/// Data hashes taken in a datanet: (datanet, lower-case hash) → the contribution holding it.
/// Freed when a pending contribution is withdrawn; kept for every other outcome.
pub const DATA_HASHES: Map<(DatanetId, &str), ContributionId> = Map::new("data_hashes");

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

/// A published version of a datanet.
#[cw_serde]
pub struct Version {
    /// The datanet's commitment when published.
    pub root: HexBinary,
    /// Total weight when published.
    pub total_weight: u64,
    /// Accepted contributions folded into `root`.
    pub accepted_count: u64,
    /// When it was published.
    pub published_at: Timestamp,
    /// Block height of publication.
    pub height: u64,
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
