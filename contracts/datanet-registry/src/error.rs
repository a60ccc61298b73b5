//! Errors of the datanet registry.

use cosmwasm_std::{Timestamp, Uint128};
use openledger_common::msg::datanet_registry::{ContributionId, ContributionStatus};
use openledger_common::version_tree::VersionTreeError;

openledger_common::contract_error! {
    /// Errors of the datanet registry: the suite's shared variants, then the registry's own.
    pub enum ContractError {
        /// No datanet has this id.
        #[error("datanet {id} does not exist")]
        DatanetNotFound { id: u64 },

        /// No contribution has this id.
        #[error("contribution {id} does not exist")]
        ContributionNotFound { id: ContributionId },

        /// The datanet has not published this version.
        #[error("version {version} of datanet {datanet_id} does not exist")]
        VersionNotFound { datanet_id: u64, version: u32 },

        /// The sender is not the datanet's owner.
        #[error("only the owner of datanet {datanet_id} may do this")]
        NotDatanetOwner { datanet_id: u64 },

        /// The sender is neither the datanet's owner nor one of its curators.
        #[error("only the owner or a curator of datanet {datanet_id} may do this")]
        NotCurator { datanet_id: u64 },

        /// The sender is not the contribution's contributor.
        #[error("only the contributor of contribution {contribution_id} may do this")]
        NotContributor { contribution_id: ContributionId },

        /// The sender accepts a datanet's ownership without being its proposed owner.
        #[error("only the proposed owner of datanet {datanet_id} may accept it (is there a pending transfer?)")]
        NotPendingOwner { datanet_id: u64 },

        /// The datanet is closed to new contributions.
        #[error("datanet {id} is closed: it takes no new contributions")]
        DatanetClosed { id: u64 },

        /// The datanet has an allowlist and the sender is not on it.
        #[error("{address} is not on the allowlist of datanet {datanet_id}")]
        NotAllowlisted { datanet_id: u64, address: String },

        /// The data hash was already contributed to the datanet.
        #[error("data_hash {data_hash} was already contributed to datanet {datanet_id}")]
        DuplicateDataHash { datanet_id: u64, data_hash: String },

        /// The contribution is reviewed or withdrawn though it is no longer pending.
        #[error(
            "contribution {id} is {status}, only a pending contribution can be reviewed or withdrawn"
        )]
        ContributionNotPending {
            id: ContributionId,
            status: ContributionStatus,
        },

        /// The contribution is removed though it is not accepted.
        #[error("contribution {id} is {status}, only an accepted contribution can be removed")]
        ContributionNotAccepted {
            id: ContributionId,
            status: ContributionStatus,
        },

        /// A review names a contribution of another datanet.
        #[error("contribution {id} does not belong to datanet {datanet_id}")]
        ContributionNotInDatanet { id: ContributionId, datanet_id: u64 },

        /// An acceptance gives a weight of zero or above the maximum.
        #[error("weight {weight} is out of range: a contribution weighs 1 to {max}")]
        InvalidWeight { weight: u64, max: u64 },

        /// A batch carries no item.
        #[error("the batch is empty: give at least one item")]
        EmptyBatch,

        /// A batch carries more items than allowed.
        #[error("the batch holds {got} items, at most {max} are allowed")]
        BatchTooLarge { got: u64, max: u64 },

        /// A batch names the same contribution twice.
        #[error("contribution {id} appears more than once in the batch")]
        DuplicateInBatch { id: ContributionId },

        /// The datanet would have more curators than allowed.
        #[error("a datanet may have at most {max} curators, this would make {got}")]
        TooManyCurators { got: u64, max: u64 },

        /// A curator is named twice, or is added while already a curator.
        #[error("{address} is listed twice as a curator")]
        DuplicateCurator { address: String },

        /// A curator to remove is not a curator of the datanet.
        #[error("{address} is not a curator of datanet {datanet_id}")]
        CuratorNotFound { datanet_id: u64, address: String },

        /// The datanet requires a bond and the contribution came without one.
        #[error(
            "this datanet requires a bond of {bond}: send it with the cw20 `send` hook `contribute`"
        )]
        BondRequired { bond: Uint128 },

        /// The bond sent with a contribution is not the datanet's bond.
        #[error("the contribution bond is {expected}, but {received} was sent")]
        BondMismatch {
            expected: Uint128,
            received: Uint128,
        },

        /// Creating a datanet costs a fee and none was sent.
        #[error("creating a datanet costs {fee}: send it with the cw20 `send` hook `create_datanet`")]
        CreationFeeRequired { fee: Uint128 },

        /// The fee sent to create a datanet is not the creation fee.
        #[error("the creation fee is {expected}, but {received} was sent")]
        FeeMismatch {
            expected: Uint128,
            received: Uint128,
        },

        /// A contribution declares a size of zero bytes.
        #[error("size_bytes must be greater than zero")]
        ZeroSize,

        /// An update that changes nothing.
        #[error("nothing to update: give at least one field")]
        NothingToUpdate,

        /// The sender has no bond to withdraw.
        #[error("no bonds to withdraw")]
        NothingToWithdraw,

        /// The contributor already holds this commitment in the datanet.
        #[error("{contributor} already holds commitment {commitment} in datanet {datanet_id}")]
        DuplicateCommitment {
            datanet_id: u64,
            contributor: String,
            commitment: String,
        },

        /// The contributor holds the most open commitments allowed in the datanet.
        #[error("at most {max} commitments may be open per contributor and datanet: reveal one or wait until one expires")]
        TooManyCommitments { max: u64 },

        /// A reveal matches no commitment of the sender in the datanet.
        #[error("{contributor} holds no commitment {commitment} in datanet {datanet_id} (the commitment is sha256(data_hash ‖ contributor): is the data hash or the sender wrong?)")]
        CommitmentNotFound {
            datanet_id: u64,
            contributor: String,
            commitment: String,
        },

        /// A commitment is revealed in the block that made it.
        #[error("commitment {commitment} was made at {committed_at}: reveal it in a later block")]
        RevealTooEarly {
            commitment: String,
            committed_at: Timestamp,
        },

        /// A commitment is revealed after it expired.
        #[error("commitment {commitment} expired at {expired_at}: commit again")]
        CommitmentExpired {
            commitment: String,
            expired_at: Timestamp,
        },

        /// A leaf cannot be hashed (shared check of `openledger_common::version_tree`).
        #[error("{0}")]
        VersionTree(#[from] VersionTreeError),

        /// A stored subtree of the event log is missing (never expected: the log is
        /// append-only and each complete subtree is written once).
        #[error("the event log of datanet {datanet_id} lacks its subtree at level {level}, index {index}")]
        TreeNodeMissing {
            datanet_id: u64,
            level: u8,
            index: u64,
        },

        /// A version is published while a datanet migrated from 0.3.0 owes a backfill.
        #[error("datanet {datanet_id} has {remaining} contributions accepted before the event log to go through: call backfill_version_tree until none remain, then publish")]
        BackfillIncomplete { datanet_id: u64, remaining: u64 },

        /// A backfill of a datanet that owes none.
        #[error("datanet {datanet_id} has nothing to backfill: its event log holds every acceptance")]
        NothingToBackfill { datanet_id: u64 },

        /// A proof is asked for a contribution that was never accepted.
        #[error("contribution {id} is {status}: it was never accepted, so no version holds it")]
        ContributionNeverAccepted {
            id: ContributionId,
            status: ContributionStatus,
        },

        /// A proof is asked for a contribution accepted by 0.3.0 and removed before the
        /// backfill gave it a leaf: no version of format event_log_v1 holds it.
        #[error("contribution {id} was accepted before the event log of datanet {datanet_id} existed and removed before the backfill reached it: no version of format event_log_v1 holds it")]
        RemovedBeforeEventLog { id: ContributionId, datanet_id: u64 },

        /// A proof is asked for a contribution accepted by 0.3.0 and not backfilled yet.
        #[error("contribution {id} was accepted before the event log of datanet {datanet_id} existed and is not backfilled yet: call backfill_version_tree")]
        ContributionNotBackfilled { id: ContributionId, datanet_id: u64 },

        /// A proof is asked for a version published before the contribution was accepted.
        #[error("contribution {id} was accepted after version {version} of datanet {datanet_id} (leaf {accepted_seq}, the version holds {tree_size} leaves)")]
        AcceptedAfterVersion {
            id: ContributionId,
            datanet_id: u64,
            version: u32,
            accepted_seq: u64,
            tree_size: u64,
        },

        /// A proof is asked for a version published after the contribution was removed.
        #[error("contribution {id} was removed before version {version} of datanet {datanet_id} (leaf {removed_seq}, the version holds {tree_size} leaves): it is not in that version")]
        RemovedBeforeVersion {
            id: ContributionId,
            datanet_id: u64,
            version: u32,
            removed_seq: u64,
            tree_size: u64,
        },

        /// A proof is asked against a version whose root is 0.3.0's hash chain.
        #[error("version {version} of datanet {datanet_id} is in format hash_chain_v0 (published by 0.3.0 or earlier): nothing can be proven against its root")]
        VersionNotProvable { datanet_id: u64, version: u32 },
    }
}
