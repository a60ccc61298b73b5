use cosmwasm_std::{OverflowError, StdError, Uint128};
use cw_utils::PaymentError;
use openledger_common::merkle::MerkleError;
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

    #[error("{0}")]
    Merkle(#[from] MerkleError),

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

    #[error("update_weights carries no update")]
    EmptyUpdates,

    #[error("nothing to update: give at least one field")]
    NothingToUpdate,

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

    #[error("unbonding period {period} s is out of range: at most {max} s")]
    InvalidUnbondingPeriod { period: u64, max: u64 },

    #[error("staking reward period {period} s is out of range: {min} to {max} s")]
    InvalidStakingRewardPeriod { period: u64, min: u64, max: u64 },

    #[error("no unbonding entry has matured yet (next release at {next_release:?})")]
    NothingUnbonded { next_release: Option<u64> },

    #[error("treasury holds {available}; cannot withdraw {requested}")]
    InsufficientTreasury {
        available: Uint128,
        requested: Uint128,
    },

    #[error("datanet {id} is not in influence mode: its rewards are paid by weight")]
    NotInfluenceMode { id: u64 },

    #[error("challenge window {window} s is out of range: {min} to {max} s")]
    InvalidChallengeWindow { window: u64, min: u64, max: u64 },

    #[error("{field} must be positive")]
    ZeroBond { field: String },

    #[error("at most {max} attestors may be added and {max} removed per call; got {got}")]
    TooManyAttestorUpdates { got: usize, max: usize },

    #[error("{address} is not an approved attestor")]
    NotAttestor { address: String },

    #[error("attestor {address} holds a bond of {bonded}, {reserved} of it reserved by its pending roots; posting needs at least {required} (reserved + attestor_bond)")]
    AttestorBondTooLow {
        address: String,
        required: Uint128,
        bonded: Uint128,
        reserved: Uint128,
    },

    #[error("attestor {address} has {max} roots pending (in their window or challenged): wait for one to settle")]
    TooManyPendingRoots { address: String, max: usize },

    #[error("attestor {address} has {open} open challenge(s): resolve them before removing it")]
    AttestorHasOpenChallenges { address: String, open: u32 },

    #[error("attestor {address}'s bond is locked until {until}: a root of it is still in its challenge window")]
    AttestorBondLocked { address: String, until: u64 },

    #[error("an attribution root must be 32 bytes; got {len}")]
    InvalidRoot { len: usize },

    #[error("datanet {datanet_id}'s next root must carry epoch {expected}; got {epoch}")]
    UnexpectedEpoch {
        datanet_id: u64,
        epoch: u64,
        expected: u64,
    },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is still in its challenge window (claimable at {claimable_at}); post after that")]
    PendingRootInWindow {
        datanet_id: u64,
        epoch: u64,
        claimable_at: u64,
    },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is challenged: the owner must resolve the challenge first")]
    PendingRootChallenged { datanet_id: u64, epoch: u64 },

    #[error(
        "cumulative total {got} is below the claimable root's {previous}: totals never decrease"
    )]
    CumulativeTotalDecreased { previous: Uint128, got: Uint128 },

    #[error("cumulative total {cumulative_total} exceeds the {received} datanet {datanet_id} has received")]
    RootExceedsBucket {
        datanet_id: u64,
        cumulative_total: Uint128,
        received: Uint128,
    },

    #[error("a challenge needs a bond of at least {required}: send it with the challenge_root hook of a cw20 send of the fee token")]
    ChallengeBondRequired { required: Uint128 },

    #[error("a challenge needs a bond of at least {required}; {sent} was sent")]
    ChallengeBondTooLow { required: Uint128, sent: Uint128 },

    #[error("datanet {datanet_id} has no root of epoch {epoch} to act on")]
    UnknownRoot { datanet_id: u64, epoch: u64 },

    #[error("the challenge window of datanet {datanet_id}'s root of epoch {epoch} closed at {closed_at}")]
    ChallengeWindowClosed {
        datanet_id: u64,
        epoch: u64,
        closed_at: u64,
    },

    #[error("{challenger} has already challenged datanet {datanet_id}'s root of epoch {epoch}")]
    DuplicateChallenge {
        datanet_id: u64,
        epoch: u64,
        challenger: String,
    },

    #[error("{address} has no challenge to settle in datanet {datanet_id}")]
    NoChallenge { datanet_id: u64, address: String },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is still challenged: the owner has not resolved it")]
    ChallengeNotResolved { datanet_id: u64, epoch: u64 },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is in its challenge window until {closes_at}: challenges are resolved after it")]
    ChallengeWindowOpen {
        datanet_id: u64,
        epoch: u64,
        closes_at: u64,
    },

    #[error("datanet {datanet_id}'s root of epoch {epoch} has no open challenge")]
    NoOpenChallenge { datanet_id: u64, epoch: u64 },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is in its challenge window: claimable from {claimable_at}")]
    RootInChallengeWindow {
        datanet_id: u64,
        epoch: u64,
        claimable_at: u64,
    },

    #[error("datanet {datanet_id}'s root of epoch {epoch} is challenged: claimable only if the owner upholds it")]
    RootChallenged { datanet_id: u64, epoch: u64 },

    #[error("datanet {datanet_id}'s root of epoch {epoch} was voided")]
    RootVoided { datanet_id: u64, epoch: u64 },

    #[error(
        "datanet {datanet_id}'s root of epoch {epoch} is superseded: claim against epoch {current}"
    )]
    RootSuperseded {
        datanet_id: u64,
        epoch: u64,
        current: u64,
    },

    #[error("datanet {datanet_id} has no claimable root yet")]
    NoClaimableRoot { datanet_id: u64 },

    #[error("a proof has at most {max} elements; got {len}")]
    ProofTooLong { len: usize, max: usize },

    #[error("proof element #{index} has {len} bytes; each must be 32")]
    InvalidProofElement { index: usize, len: usize },

    #[error("the proof does not lead from the sender's leaf to datanet {datanet_id}'s root of epoch {epoch}")]
    InvalidProof { datanet_id: u64, epoch: u64 },

    #[error("datanet {datanet_id}'s root of epoch {epoch} allocates {cumulative_total}; {paid} is paid and {requested} more would exceed it")]
    RootTotalExceeded {
        datanet_id: u64,
        epoch: u64,
        cumulative_total: Uint128,
        paid: Uint128,
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
