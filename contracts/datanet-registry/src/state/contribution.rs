//! Contributions: the submission record written once, the review state every change
//! writes, and the indexes kept beside them (see the parent module's doc).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, StdResult, Storage, Timestamp, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Map, MultiIndex};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{ContributionId, ContributionStatus};

use crate::error::ContractError;

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
