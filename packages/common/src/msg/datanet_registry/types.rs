//! Contribution ids, limits, and the states of datanets and contributions.

use cosmwasm_schema::cw_serde;

pub use crate::msg::reward_pool::AttributionMode;
pub use crate::version_tree::LeafKind;

/// Contribution ids are assigned by the registry from 1 upwards, across all datanets.
pub type ContributionId = u64;

/// The most curators a datanet may have.
pub const MAX_CURATORS: usize = 16;
/// The most decisions one `review_contributions` may carry.
pub const MAX_REVIEW_BATCH: usize = 50;
/// The most addresses one `update_allowlist` may add or remove.
pub const MAX_ALLOWLIST_BATCH: usize = 50;
/// Largest accepted weight of one contribution.
pub const MAX_CONTRIBUTION_WEIGHT: u64 = 10_000;
/// Longest name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 1_024;
/// Longest URI, in bytes.
pub const MAX_URI_LEN: usize = 512;
/// Longest licence note or rejection reason, in bytes.
pub const MAX_NOTE_LEN: usize = 256;
/// How long a contribution commitment can be revealed, in seconds after the block that made it
/// (one day). The reveal must also come in a later block than the commitment.
pub const REVEAL_WINDOW_SECONDS: u64 = 86_400;
/// The most commitments one contributor may hold open in one datanet (expired ones are pruned
/// by the contributor's next `commit_contribution`).
pub const MAX_OPEN_COMMITMENTS: usize = 10;
/// The most contributions one `backfill_version_tree` goes through (and its default).
pub const MAX_BACKFILL_BATCH: u32 = 50;

/// Who may contribute to a datanet.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ContributionPolicy {
    /// Anyone.
    Open,
    /// Only addresses on the datanet's allowlist.
    Allowlist,
}

crate::wire_names!(ContributionPolicy { Open => "open", Allowlist => "allowlist" });

/// Lifecycle of a datanet.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum DatanetStatus {
    /// Takes contributions.
    Open,
    /// Takes no new contributions; pending ones can still be reviewed or withdrawn.
    Closed,
}

crate::wire_names!(DatanetStatus { Open => "open", Closed => "closed" });

/// Lifecycle of a contribution: `pending` → `accepted` | `rejected` | `withdrawn` |
/// `displaced`; `accepted` → `removed`.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ContributionStatus {
    /// Submitted, awaiting review; its bond is held.
    Pending,
    /// Accepted by a curator: counts with its weight, bond returned.
    Accepted,
    /// Rejected by a curator: bond sent to the treasury.
    Rejected,
    /// Withdrawn by its contributor while pending: bond returned.
    Withdrawn,
    /// Removed after acceptance (poisoned data, deletion request): keeps what it earned, stops
    /// earning.
    Removed,
    /// Was pending when a `reveal_contribution` of the same data hash, committed before this
    /// contribution claimed the hash, took the hash; its bond went back to its contributor
    /// (withdrawable). Final.
    Displaced,
}

crate::wire_names!(ContributionStatus { Pending => "pending", Accepted => "accepted", Rejected => "rejected", Withdrawn => "withdrawn", Removed => "removed", Displaced => "displaced" });

/// What a version's `root` commits to.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum VersionFormat {
    /// Published by 0.3.0 or earlier: `root` is the rolling `sha256(root ‖ data_hash ‖
    /// weight)` over acceptances in review order. Nothing can be proven against it.
    HashChainV0,
    /// `root` is the Merkle Tree Hash (RFC 9162) of the first `tree_size` leaves of the
    /// datanet's event log (`openledger_common::version_tree`); `contribution_proof` proves a
    /// contribution in it.
    EventLogV1,
}

crate::wire_names!(VersionFormat { HashChainV0 => "hash_chain_v0", EventLogV1 => "event_log_v1" });
