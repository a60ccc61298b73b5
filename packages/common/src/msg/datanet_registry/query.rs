//! What the datanet registry answers: its queries and their responses.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Timestamp, Uint128};
use cw_ownable::cw_ownable_query;

use crate::attribution::DatanetId;

use super::types::{
    AttributionMode, ContributionId, ContributionPolicy, ContributionStatus, DatanetStatus,
    LeafKind, VersionFormat,
};

#[cw_ownable_query]
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The registry's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// One datanet.
    #[returns(DatanetResponse)]
    Datanet {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Datanets by id, optionally only those of one owner.
    #[returns(DatanetsResponse)]
    Datanets {
        /// Only datanets of this owner.
        owner: Option<String>,
        /// Start after this id.
        start_after: Option<DatanetId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// One contribution.
    #[returns(ContributionResponse)]
    Contribution {
        /// The contribution.
        contribution_id: ContributionId,
    },
    /// Contributions of one datanet with one status, by id.
    #[returns(ContributionsResponse)]
    ContributionsByDatanet {
        /// The datanet.
        datanet_id: DatanetId,
        /// The status.
        status: ContributionStatus,
        /// Start after this id.
        start_after: Option<ContributionId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// Contributions of one contributor, by id.
    #[returns(ContributionsResponse)]
    ContributionsByContributor {
        /// The contributor.
        contributor: String,
        /// Start after this id.
        start_after: Option<ContributionId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// A contributor's standing in one datanet.
    #[returns(ContributorResponse)]
    Contributor {
        /// The datanet.
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
    },
    /// Whether an address is on a datanet's allowlist.
    #[returns(bool)]
    IsAllowed {
        /// The datanet.
        datanet_id: DatanetId,
        /// The address.
        address: String,
    },
    /// One published version.
    #[returns(VersionResponse)]
    Version {
        /// The datanet.
        datanet_id: DatanetId,
        /// The version number (from 1).
        version: u32,
    },
    /// Published versions of a datanet.
    #[returns(VersionsResponse)]
    Versions {
        /// The datanet.
        datanet_id: DatanetId,
        /// Start after this version.
        start_after: Option<u32>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// The inclusion proof of a contribution's acceptance in a version of its datanet (format
    /// `event_log_v1`): the leaf with every field, and the audit path to the version's root.
    #[returns(ContributionProofResponse)]
    ContributionProof {
        /// The contribution.
        contribution_id: ContributionId,
        /// A published version of its datanet.
        version: u32,
    },
    /// Bonds the address can withdraw now.
    #[returns(Uint128)]
    WithdrawableBonds {
        /// The address.
        address: String,
    },
    /// Token balance against the bonds the registry holds.
    #[returns(RegistrySolvencyResponse)]
    Solvency {},
    /// One open (or expired, not yet pruned) contribution commitment.
    #[returns(CommitmentResponse)]
    Commitment {
        /// The datanet.
        datanet_id: DatanetId,
        /// Who committed.
        contributor: String,
        /// The commitment (64 hex characters, any case).
        commitment: String,
    },
    /// A contributor's commitments in one datanet, by commitment.
    #[returns(CommitmentsResponse)]
    Commitments {
        /// The datanet.
        datanet_id: DatanetId,
        /// Who committed.
        contributor: String,
        /// Start after this commitment (lower-case hex).
        start_after: Option<String>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
}

#[cw_serde]
pub struct ConfigResponse {
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

#[cw_serde]
pub struct DatanetResponse {
    /// Its id.
    pub id: DatanetId,
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
    /// Curators.
    pub curators: Vec<Addr>,
    /// Who may contribute.
    pub policy: ContributionPolicy,
    /// Bond per contribution.
    pub contribution_bond: Uint128,
    /// How rewards reach contributors.
    pub attribution_mode: AttributionMode,
    /// Open or closed.
    pub status: DatanetStatus,
    /// The root (RFC 9162 Merkle Tree Hash) of its event log as it stands: what a version
    /// published now would commit to (`sha256()` of nothing while the log is empty).
    pub root: HexBinary,
    /// Leaves in its event log (acceptances and removals so far).
    pub log_size: u64,
    /// A datanet migrated from 0.3.0: how many contributions it accepted before the event log
    /// `backfill_version_tree` has still to go through (none: nothing to backfill).
    pub backfill_remaining: Option<u64>,
    /// Sum of the weights of its accepted, not removed contributions.
    pub total_weight: u64,
    /// Contributions accepted so far (including those removed since).
    pub accepted_count: u64,
    /// Contributions awaiting review.
    pub pending_count: u64,
    /// Versions published so far.
    pub version_count: u32,
    /// When it was created.
    pub created_at: Timestamp,
}

#[cw_serde]
pub struct DatanetsResponse {
    /// The page.
    pub datanets: Vec<DatanetResponse>,
}

#[cw_serde]
pub struct ContributionResponse {
    /// Its id.
    pub id: ContributionId,
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
    /// Its accepted weight (zero unless accepted).
    pub weight: u64,
    /// Rejection or removal reason.
    pub reason: Option<String>,
    /// When it was submitted.
    pub submitted_at: Timestamp,
    /// Who reviewed (or removed) it, and when.
    pub reviewed_by: Option<Addr>,
    /// When it was last reviewed or removed.
    pub reviewed_at: Option<Timestamp>,
    /// When its commitment was made, if it was revealed from one (its claim on the data hash
    /// dates from then; otherwise from `submitted_at`).
    pub committed_at: Option<Timestamp>,
    /// The contribution that displaced it (status `displaced`).
    pub displaced_by: Option<ContributionId>,
    /// The position of its acceptance leaf in its datanet's event log (none until accepted, and
    /// for a contribution accepted before the log existed until it is backfilled).
    pub accepted_seq: Option<u64>,
    /// The position of its removal leaf (removed contributions whose acceptance is in the log).
    pub removed_seq: Option<u64>,
}

#[cw_serde]
pub struct ContributionsResponse {
    /// The page.
    pub contributions: Vec<ContributionResponse>,
}

#[cw_serde]
pub struct ContributorResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The contributor.
    pub address: Addr,
    /// Total weight of their accepted, not removed contributions.
    pub weight: u64,
    /// Contributions pending.
    pub pending: u32,
    /// Contributions accepted (including later removed).
    pub accepted: u32,
    /// Contributions rejected.
    pub rejected: u32,
    /// Contributions removed.
    pub removed: u32,
    /// Contributions displaced by an earlier commitment's reveal.
    pub displaced: u32,
}

#[cw_serde]
pub struct VersionResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Version number (from 1).
    pub version: u32,
    /// What `root` commits to: `event_log_v1` (provable), or `hash_chain_v0` for versions
    /// published by 0.3.0 or earlier.
    pub format: VersionFormat,
    /// `event_log_v1`: the Merkle Tree Hash of the first `tree_size` leaves of the datanet's
    /// event log. `hash_chain_v0`: the rolling hash chain at publication.
    pub root: HexBinary,
    /// `event_log_v1`: how many leaves of the event log the version holds (0 for
    /// `hash_chain_v0`).
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

#[cw_serde]
pub struct VersionsResponse {
    /// The page.
    pub versions: Vec<VersionResponse>,
}

/// One leaf of a datanet's event log, with every field its hash covers
/// (`openledger_common::version_tree::Leaf`).
#[cw_serde]
pub struct VersionLeaf {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Its position in the log.
    pub seq: u64,
    /// Acceptance or removal.
    pub kind: LeafKind,
    /// The contribution.
    pub contribution_id: ContributionId,
    /// The contributor.
    pub contributor: Addr,
    /// SHA-256 of the data (32 bytes, hex).
    pub data_hash: HexBinary,
    /// The accepted weight.
    pub weight: u64,
}

#[cw_serde]
pub struct ContributionProofResponse {
    /// Always `event_log_v1`.
    pub format: VersionFormat,
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The version.
    pub version: u32,
    /// The version's root.
    pub root: HexBinary,
    /// The version's tree size (leaves of the log it holds).
    pub tree_size: u64,
    /// The leaf's index in the tree: its `seq`.
    pub leaf_index: u64,
    /// The contribution's acceptance leaf.
    pub leaf: VersionLeaf,
    /// The leaf's hash.
    pub leaf_hash: HexBinary,
    /// The audit path (RFC 9162 §2.1.3): sibling hashes from the leaf up to the root.
    pub proof: Vec<HexBinary>,
    /// The position of the contribution's removal leaf, if it was removed after this version.
    pub removed_seq: Option<u64>,
    /// The first version published after the removal (the first without the contribution), if
    /// any.
    pub removed_in_version: Option<u32>,
}

#[cw_serde]
pub struct RegistrySolvencyResponse {
    /// The registry's balance of the fee token.
    pub balance: Uint128,
    /// Bonds of pending contributions.
    pub pending_bonds: Uint128,
    /// Bonds returned and not yet withdrawn.
    pub withdrawable_bonds: Uint128,
    /// Sum of the two.
    pub total_liabilities: Uint128,
    /// `balance >= total_liabilities`.
    pub solvent: bool,
}

#[cw_serde]
pub struct CommitmentResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Who committed.
    pub contributor: Addr,
    /// The commitment (lower-case hex).
    pub commitment: String,
    /// When it was made: the reveal must come strictly later (a later block).
    pub committed_at: Timestamp,
    /// The last moment it can be revealed (`committed_at + REVEAL_WINDOW_SECONDS`).
    pub expires_at: Timestamp,
    /// Whether the window has passed (it can no longer be revealed).
    pub expired: bool,
}

#[cw_serde]
pub struct CommitmentsResponse {
    /// The page.
    pub commitments: Vec<CommitmentResponse>,
}
