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
    AttributionMode, ContributionId, ContributionPolicy, ContributionStatus, DatanetStatus,
    VersionFormat,
};
use openledger_common::Checked;

use crate::error::ContractError;

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

/// A contribution as it was submitted, stored under `contributions` once, when it is made, and
/// never written again. Everything that changes afterwards (status, weight, reviewer, leaf
/// positions, …) is its `ReviewState`, stored apart (`REVIEWS`), so a review writes a few dozen
/// bytes instead of the whole record.
///
/// A record stored by 0.2.0 or 0.3.0 has the same fields followed by the fields a review
/// changes (`status` … `displaced_by` below), as they stood at the upgrade; a record stored
/// since has none of them. They are read only while the contribution has no `ReviewState`
/// (`ReviewState::from_submission`): its first change stores one, and from then on they are
/// never looked at.
#[cw_serde]
pub struct Submission {
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
    /// When it was submitted.
    pub submitted_at: Timestamp,
    /// When its commitment was made, for a revealed contribution (absent in 0.2.0 state and
    /// for a contribution that revealed nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_at: Option<Timestamp>,
    /// 0.2.0 / 0.3.0 records only: the status at the upgrade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ContributionStatus>,
    /// 0.2.0 / 0.3.0 records only: the weight at the upgrade.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub weight: u64,
    /// 0.2.0 / 0.3.0 records only: the rejection or removal reason at the upgrade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 0.2.0 / 0.3.0 records only: who had reviewed or removed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<Addr>,
    /// 0.2.0 / 0.3.0 records only: when it was last reviewed or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<Timestamp>,
    /// 0.3.0 records only: the contribution that had displaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displaced_by: Option<ContributionId>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What happened to a contribution after its submission: written by every review, removal,
/// withdrawal, displacement and backfill of it. Stored with one-letter keys, leaving out what
/// is absent: a review of 50 writes 50 of them, and storage is priced by the byte (an
/// acceptance is about 110 bytes).
#[cw_serde]
pub struct ReviewState {
    /// Where it is in its lifecycle.
    #[serde(rename = "s")]
    pub status: ContributionStatus,
    /// Accepted weight (zero until accepted; kept after removal as a record).
    #[serde(rename = "w", default, skip_serializing_if = "is_zero")]
    pub weight: u64,
    /// Rejection or removal reason.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who reviewed or removed it.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<Addr>,
    /// When it was last reviewed or removed.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<Timestamp>,
    /// The contribution that displaced it.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub displaced_by: Option<ContributionId>,
    /// The `seq` of its acceptance leaf in its datanet's event log (absent until accepted, and
    /// for contributions accepted by 0.3.0 until backfilled).
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub accepted_seq: Option<u64>,
    /// The `seq` of its removal leaf (a removed contribution whose acceptance is in the log).
    #[serde(rename = "x", default, skip_serializing_if = "Option::is_none")]
    pub removed_seq: Option<u64>,
}

impl ReviewState {
    /// The state of a contribution that has no `ReviewState` stored: pending with nothing
    /// reviewed for a record stored since 0.3.0, the fields the record holds for one stored by
    /// 0.2.0 or 0.3.0 (which had no event log: no leaf positions).
    pub fn from_submission(s: &Submission) -> Self {
        ReviewState {
            status: s.status.unwrap_or(ContributionStatus::Pending),
            weight: s.weight,
            reason: s.reason.clone(),
            reviewed_by: s.reviewed_by.clone(),
            reviewed_at: s.reviewed_at,
            displaced_by: s.displaced_by,
            accepted_seq: None,
            removed_seq: None,
        }
    }
}

/// One contribution as the handlers and queries see it: its submission and what happened to
/// it since.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// What its contributor submitted (never changes).
    pub submission: Submission,
    /// Its status and what reviews changed.
    pub review: ReviewState,
}

impl Contribution {
    /// Contribution `id`, or `ContributionNotFound`: two reads, its submission and its review
    /// state (taken from the submission when none is stored).
    pub fn load(storage: &dyn Storage, id: ContributionId) -> Result<Self, ContractError> {
        let submission = CONTRIBUTIONS
            .may_load(storage, id)?
            .ok_or(ContractError::ContributionNotFound { id })?;
        let review = match REVIEWS.may_load(storage, id)? {
            Some(review) => review,
            None => ReviewState::from_submission(&submission),
        };
        Ok(Contribution { submission, review })
    }

    /// Stores new contribution `id` (a fresh id: nothing to replace), pending: its submission,
    /// its entry in the contributor index and in the (datanet, status) index.
    pub fn create(
        storage: &mut dyn Storage,
        id: ContributionId,
        submission: &Submission,
    ) -> StdResult<()> {
        CONTRIBUTIONS.replace(storage, id, Some(submission), None)?;
        let key = status_index_key(submission.datanet_id, ContributionStatus::Pending, id);
        CONTRIBUTIONS_BY_STATUS.save(storage, key, &STATUS_INDEX_VALUE)
    }

    /// Stores the review state of contribution `id`, and moves it in the (datanet, status)
    /// index when its status is no longer `was` (its status when loaded). The submission is
    /// not written.
    pub fn save_review(
        &self,
        storage: &mut dyn Storage,
        id: ContributionId,
        was: ContributionStatus,
    ) -> StdResult<()> {
        REVIEWS.save(storage, id, &self.review)?;
        if was != self.review.status {
            let d = self.submission.datanet_id;
            CONTRIBUTIONS_BY_STATUS.remove(storage, status_index_key(d, was, id));
            let key = status_index_key(d, self.review.status, id);
            CONTRIBUTIONS_BY_STATUS.save(storage, key, &STATUS_INDEX_VALUE)?;
        }
        Ok(())
    }

    /// Checks that this contribution (`id`) is pending.
    pub fn assert_pending(&self, id: ContributionId) -> Result<(), ContractError> {
        if self.review.status != ContributionStatus::Pending {
            return Err(ContractError::ContributionNotPending {
                id,
                status: self.review.status,
            });
        }
        Ok(())
    }

    /// When this contribution claimed its data hash: its commitment's time if it was revealed
    /// from one, else its submission time. The earlier claim wins a displacement.
    pub fn claimed_at(&self) -> Timestamp {
        self.submission
            .committed_at
            .unwrap_or(self.submission.submitted_at)
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
    /// Contributions by contributor.
    pub contributor: MultiIndex<'a, Addr, Submission, ContributionId>,
}

impl IndexList<Submission> for ContributionIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Submission>> + '_> {
        let v: Vec<&dyn Index<Submission>> = vec![&self.contributor];
        Box::new(v.into_iter())
    }
}

/// Contributions by id (global, from 1): their submissions, indexed by contributor. Load a
/// contribution with `Contribution::load`, which adds its review state.
pub const CONTRIBUTIONS: IndexedMap<ContributionId, Submission, ContributionIndexes> =
    IndexedMap::new(
        "contributions",
        ContributionIndexes {
            contributor: MultiIndex::new(
                |_pk, s: &Submission| s.contributor.clone(),
                "contributions",
                "contributions__contributor",
            ),
        },
    );

/// Review states by contribution id (absent until a contribution first changes; see
/// `Submission`).
pub const REVIEWS: Map<ContributionId, ReviewState> = Map::new("reviews");

/// Contributions by (datanet, status key, id), kept by `Contribution::create` and
/// `Contribution::save_review`. Its keys and values are those of the `MultiIndex` on the
/// contribution records that 0.2.0 and 0.3.0 kept under the same name, so their entries need
/// no migration.
pub const CONTRIBUTIONS_BY_STATUS: Map<(DatanetId, u8, ContributionId), u32> =
    Map::new("contributions__datanet_status");

/// The value of every `CONTRIBUTIONS_BY_STATUS` entry: the length of the id in the key, as the
/// `MultiIndex` of 0.3.0 stored it (only the keys are read).
pub const STATUS_INDEX_VALUE: u32 = 8;

/// The key of contribution `id` of datanet `datanet_id` with `status` in
/// `CONTRIBUTIONS_BY_STATUS`.
pub fn status_index_key(
    datanet_id: DatanetId,
    status: ContributionStatus,
    id: ContributionId,
) -> (DatanetId, u8, ContributionId) {
    (datanet_id, status_key(status), id)
}

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
