use cosmwasm_std::{OverflowError, StdError, Uint128};
use cw_utils::PaymentError;
use openledger_common::{AddressError, HookError, MigrateError};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] PaymentError),

    #[error("{0}")]
    Ownership(#[from] cw_ownable::OwnershipError),

    #[error("{0}")]
    Overflow(#[from] OverflowError),

    #[error("{0}")]
    Hook(#[from] HookError),

    #[error("{0}")]
    Pagination(#[from] openledger_common::PaginationError),

    #[error("{0}")]
    Migrate(#[from] MigrateError),

    #[error("invalid {field} address '{address}': {reason}")]
    InvalidAddress {
        field: String,
        address: String,
        reason: String,
    },

    #[error("only the datanet registry may {action}; {sender} is not it")]
    NotRegistry { action: String, sender: String },

    #[error("the datanet registry is not set yet: the owner sets it with update_config")]
    RegistryNotSet,

    #[error("datanet {id} is not registered in the reward pool")]
    UnknownDatanet { id: u64 },

    #[error("datanet {id} is already registered")]
    DatanetExists { id: u64 },

    #[error("datanet {id} is not in weight mode: its rewards are paid by attribution roots")]
    NotWeightMode { id: u64 },

    #[error("allocations sum to {allocated} but {sent} was sent: they must match exactly")]
    AllocationSumMismatch { sent: Uint128, allocated: Uint128 },

    #[error("a distribution needs 1 to {max} allocations; got {got}")]
    AllocationCount { got: usize, max: usize },

    #[error("allocation #{index} is zero; every allocation must carry a positive amount")]
    ZeroAllocation { index: usize },

    #[error("amount must be positive")]
    ZeroAmount,

    #[error("at most {max} datanets per call; got {got}")]
    TooManyDatanets { got: usize, max: usize },

    #[error("datanet {id} is named twice")]
    DuplicateDatanet { id: u64 },

    #[error("at most {max} weight updates per call; got {got}")]
    TooManyUpdates { got: usize, max: usize },

    #[error("address {address} is updated twice in one call")]
    DuplicateAddress { address: String },

    #[error("nothing to claim")]
    NothingToClaim,

    #[error("cannot unstake {requested}: only {staked} is staked")]
    InsufficientStake { staked: Uint128, requested: Uint128 },

    #[error("at most {max} unbonding entries at once: withdraw matured ones first")]
    TooManyUnbonding { max: usize },

    #[error("no unbonding entry has matured yet (next release at {next_release:?})")]
    NothingUnbonded { next_release: Option<u64> },

    #[error("treasury holds {available}; cannot withdraw {requested}")]
    InsufficientTreasury {
        available: Uint128,
        requested: Uint128,
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
