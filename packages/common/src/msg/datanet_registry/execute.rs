//! What the datanet registry is sent: instantiation, the cw20 hook messages, execution and
//! migration, with the commitment that `commit_contribution` carries.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::attribution::DatanetId;
use crate::ownership::OwnershipAction;

use super::types::{AttributionMode, ContributionId, ContributionPolicy};

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
    /// Owner or curator: publishes the datanet's next version: the root (RFC 9162 Merkle Tree
    /// Hash) of its event log as it stands, with the log's size and the total weight, and tells
    /// the reward pool. Refused while a datanet migrated from 0.3.0 has contributions to
    /// backfill (`backfill_version_tree`).
    PublishVersion {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// Anyone: appends up to `limit` contributions that a datanet accepted before its event log
    /// existed (0.3.0 state) to its log, as acceptance leaves in id order, skipping those
    /// removed since. Only datanets migrated from 0.3.0 have anything to backfill.
    BackfillVersionTree {
        /// The datanet.
        datanet_id: DatanetId,
        /// How many contributions to go through (1..=50, default 50).
        limit: Option<u32>,
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

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}
