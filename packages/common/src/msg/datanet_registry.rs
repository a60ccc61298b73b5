//! Messages of the datanet registry: datanets, contributions, curation, versions.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::cw_ownable_query;

use crate::ownership::OwnershipAction;

use crate::attribution::DatanetId;
pub use crate::msg::reward_pool::AttributionMode;

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

/// The commitment that `commit_contribution` records and a `reveal_contribution` by
/// `contributor` opens: the lower-case hex of
/// `sha256(utf8(lower-case 64-hex data_hash) ‖ utf8(contributor address))`, 64 characters.
///
/// `data_hash` is lower-cased first, so any case of the same hash gives the same commitment; the
/// address is taken as given (use the bech32 address the chain reports, lower-case). Both parts
/// have fixed meaning and the hash part a fixed length, so the concatenation is unambiguous.
pub fn contribution_commitment(data_hash: &str, contributor: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(data_hash.to_ascii_lowercase().as_bytes());
    hasher.update(contributor.as_bytes());
    HexBinary::from(hasher.finalize().to_vec()).to_hex()
}

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

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Owner of the registry (configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN) used for bonds and creation fees.
    pub token: String,
    /// The reward pool that receives weight changes and treasury payments.
    pub reward_pool: String,
    /// Fee to create a datanet, paid into the treasury; zero for none.
    pub creation_fee: Uint128,
}

/// Everything that describes a new datanet.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct NewDatanet {
    /// Display name (1..=64 bytes).
    pub name: String,
    /// Description (at most 1 024 bytes).
    pub description: String,
    /// Where its metadata lives (at most 512 bytes).
    pub metadata_uri: String,
    /// Curators (at most 16); the owner may always curate too.
    pub curators: Vec<String>,
    /// Who may contribute.
    pub policy: ContributionPolicy,
    /// Bond each contribution must carry, returned on acceptance or withdrawal.
    pub contribution_bond: Uint128,
    /// How rewards reach contributors.
    pub attribution_mode: AttributionMode,
}

/// A data contribution.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct NewContribution {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// SHA-256 of the data: 64 hex characters (stored lower-case).
    pub data_hash: String,
    /// Where the data lives (at most 512 bytes).
    pub uri: String,
    /// Size of the data in bytes (non-zero).
    pub size_bytes: u64,
    /// Optional licence note (at most 256 bytes).
    pub license_note: Option<String>,
}

/// Messages that travel inside a cw20 `send` of the fee token to the registry.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    /// Creates a datanet, paying the creation fee (the amount sent must equal it).
    CreateDatanet(NewDatanet),
    /// Contributes, paying the datanet's bond (the amount sent must equal it).
    Contribute(NewContribution),
    /// Contributes, revealing the sender's open commitment to this data hash (see
    /// `commit_contribution`), paying the datanet's bond (the amount sent must equal it).
    RevealContribution(NewContribution),
}

/// A curator's decision on one pending contribution.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReviewDecision {
    /// Accept with a quality weight (1..=10 000).
    Accept {
        /// The contribution.
        contribution_id: ContributionId,
        /// Its weight.
        weight: u64,
    },
    /// Reject with a reason (1..=256 bytes).
    Reject {
        /// The contribution.
        contribution_id: ContributionId,
        /// Why.
        reason: String,
    },
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Two-step transfer of the contract's ownership: `transfer_ownership` (owner), then
    /// `accept_ownership` (the proposed owner), or `renounce_ownership`.
    UpdateOwnership(OwnershipAction),
    /// cw20 hook: only the configured token may call it.
    Receive(Cw20ReceiveMsg),
    /// Creates a datanet owned by the sender (only when the creation fee is zero; otherwise
    /// send the fee with the `create_datanet` hook).
    CreateDatanet(NewDatanet),
    /// Owner of the datanet: changes its description, metadata URI or policy.
    UpdateDatanet {
        /// The datanet.
        datanet_id: DatanetId,
        /// New description.
        description: Option<String>,
        /// New metadata URI.
        metadata_uri: Option<String>,
        /// New contribution policy.
        policy: Option<ContributionPolicy>,
    },
    /// Owner of the datanet: adds and removes curators (the result holds at most 16).
    UpdateCurators {
        /// The datanet.
        datanet_id: DatanetId,
        /// Curators to add.
        add: Vec<String>,
        /// Curators to remove.
        remove: Vec<String>,
    },
    /// Owner or curator of the datanet: adds and removes allowlisted contributors (at most 50
    /// each).
    UpdateAllowlist {
        /// The datanet.
        datanet_id: DatanetId,
        /// Addresses to allow.
        add: Vec<String>,
        /// Addresses to disallow.
        remove: Vec<String>,
    },
    /// Owner of the datanet: takes no new contributions from now on.
    CloseDatanet {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Owner of the datanet: proposes a new owner, who must accept.
    TransferDatanet {
        /// The datanet.
        datanet_id: DatanetId,
        /// The proposed owner.
        new_owner: String,
    },
    /// The proposed owner accepts a datanet.
    AcceptDatanet {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Contributes (only to datanets without a bond; otherwise send the bond with the
    /// `contribute` hook).
    Contribute(NewContribution),
    /// Commits to a future contribution without showing its data hash: `commitment` is
    /// `sha256(data_hash ‖ sender)` (see [`contribution_commitment`]). A `reveal_contribution`
    /// of that data hash by the sender, in a later block and within `REVEAL_WINDOW_SECONDS`,
    /// then takes the hash even from a pending contribution of another address that claimed it
    /// after this commitment (a copy made from the reveal). Costs no bond; at most
    /// `MAX_OPEN_COMMITMENTS` open per contributor and datanet.
    CommitContribution {
        /// The datanet.
        datanet_id: DatanetId,
        /// 64 hex characters (any case; stored lower-case).
        commitment: String,
    },
    /// Contributes, revealing the sender's open commitment to this data hash (only to datanets
    /// without a bond; otherwise send the bond with the `reveal_contribution` hook). The
    /// commitment is used up.
    RevealContribution(NewContribution),
    /// Contributor: withdraws a pending contribution; its bond becomes withdrawable.
    WithdrawContribution {
        /// The contribution.
        contribution_id: ContributionId,
    },
    /// Curator or owner: accepts or rejects up to 50 pending contributions of one datanet.
    ReviewContributions {
        /// The datanet all decisions belong to.
        datanet_id: DatanetId,
        /// The decisions, each contribution at most once.
        decisions: Vec<ReviewDecision>,
    },
    /// Curator or owner: removes an accepted contribution (it keeps what it earned).
    RemoveContribution {
        /// The contribution.
        contribution_id: ContributionId,
        /// Why (1..=256 bytes).
        reason: String,
    },
    /// Owner or curator: freezes the datanet's current commitment as its next version.
    PublishVersion {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Pays the sender every bond returned to them (accepted, withdrawn or displaced
    /// contributions).
    WithdrawBonds {},
    /// Registry owner: changes the creation fee or the reward pool.
    UpdateConfig {
        /// New creation fee.
        creation_fee: Option<Uint128>,
        /// New reward pool.
        reward_pool: Option<String>,
    },
}

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
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

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
    /// Rolling commitment over accepted contributions: `sha256(root ‖ data_hash ‖ weight)`,
    /// starting from 32 zero bytes; `weight` as 8 big-endian bytes.
    pub root: HexBinary,
    /// Sum of the weights of its accepted, not removed contributions.
    pub total_weight: u64,
    /// Contributions accepted so far (each extended the root once).
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

#[cw_serde]
pub struct VersionsResponse {
    /// The page.
    pub versions: Vec<VersionResponse>,
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
