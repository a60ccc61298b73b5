use cosmwasm_std::{OverflowError, StdError, Timestamp, Uint128};
use cw_ownable::OwnershipError;
use cw_utils::PaymentError;
use openledger_common::msg::datanet_registry::{ContributionId, ContributionStatus};
use openledger_common::{AddressError, HookError, MigrateError, PaginationError};
use thiserror::Error;

/// The wire name of a contribution status, for error messages.
pub fn status_name(status: &ContributionStatus) -> &'static str {
    match status {
        ContributionStatus::Pending => "pending",
        ContributionStatus::Accepted => "accepted",
        ContributionStatus::Rejected => "rejected",
        ContributionStatus::Withdrawn => "withdrawn",
        ContributionStatus::Removed => "removed",
        ContributionStatus::Displaced => "displaced",
    }
}

/// Errors of the datanet registry.
#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Ownership(#[from] OwnershipError),

    #[error("{0}")]
    Overflow(#[from] OverflowError),

    #[error("{0}")]
    Hook(#[from] HookError),

    #[error("{0}")]
    Pagination(#[from] PaginationError),

    #[error("{0}")]
    Migrate(#[from] MigrateError),

    #[error("invalid {field} address '{address}': {reason}")]
    InvalidAddress {
        field: String,
        address: String,
        reason: String,
    },

    #[error("datanet {id} does not exist")]
    DatanetNotFound { id: u64 },

    #[error("contribution {id} does not exist")]
    ContributionNotFound { id: ContributionId },

    #[error("version {version} of datanet {datanet_id} does not exist")]
    VersionNotFound { datanet_id: u64, version: u32 },

    #[error("only the owner of datanet {datanet_id} may do this")]
    NotDatanetOwner { datanet_id: u64 },

    #[error("only the owner or a curator of datanet {datanet_id} may do this")]
    NotCurator { datanet_id: u64 },

    #[error("only the contributor of contribution {contribution_id} may do this")]
    NotContributor { contribution_id: ContributionId },

    #[error("only the proposed owner of datanet {datanet_id} may accept it (is there a pending transfer?)")]
    NotPendingOwner { datanet_id: u64 },

    #[error("datanet {id} is closed: it takes no new contributions")]
    DatanetClosed { id: u64 },

    #[error("{address} is not on the allowlist of datanet {datanet_id}")]
    NotAllowlisted { datanet_id: u64, address: String },

    #[error("data_hash `{data_hash}` is not a SHA-256: expected exactly 64 hex characters")]
    InvalidDataHash { data_hash: String },

    #[error("data_hash {data_hash} was already contributed to datanet {datanet_id}")]
    DuplicateDataHash { datanet_id: u64, data_hash: String },

    #[error("contribution {id} is {}, only a pending contribution can be reviewed or withdrawn", status_name(.status))]
    ContributionNotPending {
        id: ContributionId,
        status: ContributionStatus,
    },

    #[error("contribution {id} is {}, only an accepted contribution can be removed", status_name(.status))]
    ContributionNotAccepted {
        id: ContributionId,
        status: ContributionStatus,
    },

    #[error("contribution {id} does not belong to datanet {datanet_id}")]
    ContributionNotInDatanet { id: ContributionId, datanet_id: u64 },

    #[error("weight {weight} is out of range: a contribution weighs 1 to {max}")]
    InvalidWeight { weight: u64, max: u64 },

    #[error("the batch is empty: give at least one item")]
    EmptyBatch,

    #[error("the batch holds {got} items, at most {max} are allowed")]
    BatchTooLarge { got: u64, max: u64 },

    #[error("contribution {id} appears more than once in the batch")]
    DuplicateInBatch { id: ContributionId },

    #[error("a datanet may have at most {max} curators, this would make {got}")]
    TooManyCurators { got: u64, max: u64 },

    #[error("{address} is listed twice as a curator")]
    DuplicateCurator { address: String },

    #[error("{address} is not a curator of datanet {datanet_id}")]
    CuratorNotFound { datanet_id: u64, address: String },

    #[error(
        "this datanet requires a bond of {bond}: send it with the cw20 `send` hook `contribute`"
    )]
    BondRequired { bond: Uint128 },

    #[error("the contribution bond is {expected}, but {received} was sent")]
    BondMismatch {
        expected: Uint128,
        received: Uint128,
    },

    #[error("creating a datanet costs {fee}: send it with the cw20 `send` hook `create_datanet`")]
    CreationFeeRequired { fee: Uint128 },

    #[error("the creation fee is {expected}, but {received} was sent")]
    FeeMismatch {
        expected: Uint128,
        received: Uint128,
    },

    #[error("{field} must be {min} to {max} bytes long")]
    InvalidText { field: String, min: u64, max: u64 },

    #[error("size_bytes must be greater than zero")]
    ZeroSize,

    #[error("nothing to update: give at least one field")]
    NothingToUpdate,

    #[error("no bonds to withdraw")]
    NothingToWithdraw,

    #[error("commitment `{commitment}` is not a SHA-256: expected exactly 64 hex characters")]
    InvalidCommitment { commitment: String },

    #[error("{contributor} already holds commitment {commitment} in datanet {datanet_id}")]
    DuplicateCommitment {
        datanet_id: u64,
        contributor: String,
        commitment: String,
    },

    #[error("at most {max} commitments may be open per contributor and datanet: reveal one or wait until one expires")]
    TooManyCommitments { max: u64 },

    #[error("{contributor} holds no commitment {commitment} in datanet {datanet_id} (the commitment is sha256(data_hash ‖ contributor): is the data hash or the sender wrong?)")]
    CommitmentNotFound {
        datanet_id: u64,
        contributor: String,
        commitment: String,
    },

    #[error("commitment {commitment} was made at {committed_at}: reveal it in a later block")]
    RevealTooEarly {
        commitment: String,
        committed_at: Timestamp,
    },

    #[error("commitment {commitment} expired at {expired_at}: commit again")]
    CommitmentExpired {
        commitment: String,
        expired_at: Timestamp,
    },
}

impl From<AddressError> for ContractError {
    fn from(e: AddressError) -> Self {
        ContractError::InvalidAddress {
            field: e.field,
            address: e.address,
            reason: e.reason,
        }
    }
}
