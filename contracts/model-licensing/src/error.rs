use cosmwasm_std::{OverflowError, StdError, Timestamp, Uint128};
use cw_ownable::OwnershipError;
use cw_utils::PaymentError;
use openledger_common::attribution::DatanetId;
use openledger_common::msg::model_licensing::{ModelId, ModelStatus};
use openledger_common::{
    AddressError, AttributionError, FeeSplitError, HookError, MigrateError, PaginationError,
};
use thiserror::Error;

/// The wire name of a model status, for error messages and events.
pub fn status_name(status: &ModelStatus) -> &'static str {
    match status {
        ModelStatus::Active => "active",
        ModelStatus::Paused => "paused",
        ModelStatus::Retired => "retired",
    }
}

/// Errors of model licensing.
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

    #[error("{0}")]
    FeeSplit(#[from] FeeSplitError),

    #[error("{0}")]
    Attribution(#[from] AttributionError),

    #[error("invalid {field} address '{address}': {reason}")]
    InvalidAddress {
        field: String,
        address: String,
        reason: String,
    },

    #[error("{address} is the {contract} of the protocol and cannot be the {role}")]
    ReservedAddress {
        role: String,
        contract: String,
        address: String,
    },

    #[error("model {model_id} does not exist")]
    ModelNotFound { model_id: ModelId },

    #[error("only the owner of model {model_id} may do this")]
    NotModelOwner { model_id: ModelId },

    #[error(
        "only the proposed owner of model {model_id} may accept it (is there a pending transfer?)"
    )]
    NotPendingOwner { model_id: ModelId },

    #[error("model {model_id} is retired: it can no longer be changed, paid or licensed")]
    ModelRetired { model_id: ModelId },

    #[error("model {model_id} is {}: only an active model takes payments and licensed inferences", status_name(.status))]
    ModelNotActive {
        model_id: ModelId,
        status: ModelStatus,
    },

    #[error("{field} must be {min} to {max} bytes long")]
    InvalidText { field: String, min: u64, max: u64 },

    #[error("weights_hash `{weights_hash}` is not a SHA-256: expected exactly 64 hex characters")]
    InvalidWeightsHash { weights_hash: String },

    #[error("lineage names version {version} of datanet {datanet_id}, which the registry has not published")]
    LineageVersionNotPublished { datanet_id: DatanetId, version: u32 },

    #[error("the inference fee must be greater than zero")]
    ZeroFee,

    #[error("a model offers at most {max} licence tiers; got {got}")]
    TooManyTiers { got: u64, max: u64 },

    #[error("licence tier {id} is listed more than once")]
    DuplicateTier { id: u32 },

    #[error("licence tier {tier_id} has a zero price: a tier must cost something")]
    ZeroTierPrice { tier_id: u32 },

    #[error("licence tier {tier_id} lasts {duration} s: a tier lasts {min} to {max} seconds")]
    TierDurationOutOfRange {
        tier_id: u32,
        duration: u64,
        min: u64,
        max: u64,
    },

    #[error("licence tier {tier_id} has an inference quota of 0: give a quota of at least 1, or none for unlimited")]
    ZeroTierQuota { tier_id: u32 },

    #[error("licence tier {tier_id} has an inference quota of {quota}: at most {max}, or none for unlimited")]
    TierQuotaTooLarge { tier_id: u32, quota: u64, max: u64 },

    #[error("the terms of tier {tier_id} of model {model_id} changed: {field} is {current}, you offered to buy {expected}")]
    TermsChanged {
        model_id: ModelId,
        tier_id: u32,
        field: String,
        expected: String,
        current: String,
    },

    #[error("your licence of model {model_id} has other terms than tier {tier_id} now has ({field}: licence {licence}, tier {tier}): it cannot be extended with them; buy the tier once the licence expires")]
    ExtensionTermsDiffer {
        model_id: ModelId,
        tier_id: u32,
        field: String,
        licence: String,
        tier: String,
    },

    #[error("extending your licence of model {model_id} would make it run until {expires_at}, past the longest term allowed from now ({max_expires_at}): extend it later")]
    LicenseTermTooLong {
        model_id: ModelId,
        expires_at: Timestamp,
        max_expires_at: Timestamp,
    },

    #[error("a model has at most {max} hosts; got {got}")]
    TooManyHosts { got: u64, max: u64 },

    #[error("host {host} is listed more than once")]
    DuplicateHost { host: String },

    #[error("the public key of host {host} is not a secp256k1 key: expected 33 bytes starting with 02 or 03 (compressed) or 65 bytes starting with 04 (uncompressed)")]
    InvalidPubkey { host: String },

    #[error("nothing to update: give at least one field")]
    NothingToUpdate,

    #[error("inference_id must be 1 to {max} bytes long")]
    InvalidInferenceId { max: u64 },

    #[error("a batch pays 1 to {max} inferences; got {got}")]
    BatchSize { got: u64, max: u64 },

    #[error("inference {inference_id} of model {model_id} appears more than once in the batch")]
    DuplicateInference {
        model_id: ModelId,
        inference_id: String,
    },

    #[error(
        "inference {inference_id} of model {model_id} was already paid or recorded by {payer}"
    )]
    InferenceAlreadyPaid {
        model_id: ModelId,
        payer: String,
        inference_id: String,
    },

    #[error("the fee is {expected}, but {received} was sent: send exactly {expected}")]
    FeeMismatch {
        expected: Uint128,
        received: Uint128,
    },

    #[error("the attribution of model {model_id} names datanet {datanet_id}, which is not in its lineage")]
    AttributionOutsideLineage {
        model_id: ModelId,
        datanet_id: DatanetId,
    },

    #[error("an attribution must come with a receipt_signature by one of the model's hosts")]
    MissingReceiptSignature,

    #[error("a receipt_signature is only accepted together with an attribution")]
    UnexpectedReceiptSignature,

    #[error("the receipt signature of inference {inference_id} of model {model_id} is not a valid 64-byte signature by any of the model's hosts over this receipt (chain, contract, model, inference, payer, fee, attribution)")]
    InvalidReceiptSignature {
        model_id: ModelId,
        inference_id: String,
    },

    #[error("this payment would reach {got} datanets; one message reaches at most {max}: split the batch")]
    TooManyDatanets { got: u64, max: u64 },

    #[error("model {model_id} has no licence tier {tier_id}")]
    UnknownTier { model_id: ModelId, tier_id: u32 },

    #[error("your licence of model {model_id} (another tier) runs until {expires_at}: buy the same tier to extend it, or wait until it expires")]
    LicenseActive {
        model_id: ModelId,
        expires_at: Timestamp,
    },

    #[error("you hold no licence of model {model_id}: buy one with purchase_license")]
    NoLicense { model_id: ModelId },

    #[error("your licence of model {model_id} expired at {expired_at}: buy or extend it")]
    LicenseExpired {
        model_id: ModelId,
        expired_at: Timestamp,
    },

    #[error("your licence of model {model_id} has used its quota of {quota} inferences: extend it or buy another tier")]
    QuotaExhausted { model_id: ModelId, quota: u64 },

    #[error(
        "inference {inference_id} of model {model_id} was neither paid nor recorded by {payer}"
    )]
    InferenceNotFound {
        model_id: ModelId,
        payer: String,
        inference_id: String,
    },

    #[error("no earnings to withdraw")]
    NothingToWithdraw,

    #[error("filter models by owner or by datanet_id, not both")]
    ConflictingFilters,
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
