//! Errors of model licensing.

use cosmwasm_std::{Timestamp, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::model_licensing::{ModelId, ModelStatus};
use openledger_common::{AttributionError, FeeSplitError};

openledger_common::contract_error! {
    /// Errors of model licensing: the suite's shared variants, then the contract's own.
    pub enum ContractError {
        /// A fee split whose shares do not sum to 10 000 bps.
        #[error("{0}")]
        FeeSplit(#[from] FeeSplitError),

        /// A lineage or an attribution that is not a valid attribution vector.
        #[error("{0}")]
        Attribution(#[from] AttributionError),

        /// No model has this id.
        #[error("model {model_id} does not exist")]
        ModelNotFound { model_id: ModelId },

        /// The sender is not the model's owner.
        #[error("only the owner of model {model_id} may do this")]
        NotModelOwner { model_id: ModelId },

        /// The sender accepts a model's ownership without being its proposed owner.
        #[error(
            "only the proposed owner of model {model_id} may accept it (is there a pending transfer?)"
        )]
        NotPendingOwner { model_id: ModelId },

        /// The model is retired: nothing changes it any more.
        #[error("model {model_id} is retired: it can no longer be changed, paid or licensed")]
        ModelRetired { model_id: ModelId },

        /// The model is paused or retired and is paid or licensed.
        #[error(
            "model {model_id} is {status}: only an active model takes payments and licensed inferences"
        )]
        ModelNotActive {
            model_id: ModelId,
            status: ModelStatus,
        },

        /// A lineage names a datanet version the registry has not published.
        #[error("lineage names version {version} of datanet {datanet_id}, which the registry has not published")]
        LineageVersionNotPublished { datanet_id: DatanetId, version: u32 },

        /// A model's inference fee is zero.
        #[error("the inference fee must be greater than zero")]
        ZeroFee,

        /// A model offers more licence tiers than allowed.
        #[error("a model offers at most {max} licence tiers; got {got}")]
        TooManyTiers { got: u64, max: u64 },

        /// Two licence tiers share an id.
        #[error("licence tier {id} is listed more than once")]
        DuplicateTier { id: u32 },

        /// A licence tier is priced at zero.
        #[error("licence tier {tier_id} has a zero price: a tier must cost something")]
        ZeroTierPrice { tier_id: u32 },

        /// A licence tier's duration is outside its bounds.
        #[error("licence tier {tier_id} lasts {duration} s: a tier lasts {min} to {max} seconds")]
        TierDurationOutOfRange {
            tier_id: u32,
            duration: u64,
            min: u64,
            max: u64,
        },

        /// A licence tier has an inference quota of zero.
        #[error("licence tier {tier_id} has an inference quota of 0: give a quota of at least 1, or none for unlimited")]
        ZeroTierQuota { tier_id: u32 },

        /// A licence tier's inference quota is above the maximum.
        #[error("licence tier {tier_id} has an inference quota of {quota}: at most {max}, or none for unlimited")]
        TierQuotaTooLarge { tier_id: u32, quota: u64, max: u64 },

        /// A purchase offered terms that are no longer the tier's.
        #[error("the terms of tier {tier_id} of model {model_id} changed: {field} is {current}, you offered to buy {expected}")]
        TermsChanged {
            model_id: ModelId,
            tier_id: u32,
            field: String,
            expected: String,
            current: String,
        },

        /// A licence is extended with a tier whose terms are now of another kind.
        #[error("your licence of model {model_id} has other terms than tier {tier_id} now has ({field}: licence {licence}, tier {tier}): it cannot be extended with them; buy the tier once the licence expires")]
        ExtensionTermsDiffer {
            model_id: ModelId,
            tier_id: u32,
            field: String,
            licence: String,
            tier: String,
        },

        /// An extension would make a licence run longer than the longest term allowed.
        #[error("extending your licence of model {model_id} would make it run until {expires_at}, past the longest term allowed from now ({max_expires_at}): extend it later")]
        LicenseTermTooLong {
            model_id: ModelId,
            expires_at: Timestamp,
            max_expires_at: Timestamp,
        },

        /// A model names more hosts than allowed.
        #[error("a model has at most {max} hosts; got {got}")]
        TooManyHosts { got: u64, max: u64 },

        /// A model names the same host twice.
        #[error("host {host} is listed more than once")]
        DuplicateHost { host: String },

        /// A host's public key is not a SEC1 secp256k1 key.
        #[error("the public key of host {host} is not a secp256k1 key: expected 33 bytes starting with 02 or 03 (compressed) or 65 bytes starting with 04 (uncompressed)")]
        InvalidPubkey { host: String },

        /// An update that changes nothing.
        #[error("nothing to update: give at least one field")]
        NothingToUpdate,

        /// An inference id is empty or too long.
        #[error("inference_id must be 1 to {max} bytes long")]
        InvalidInferenceId { max: u64 },

        /// A batch payment carries no inference or more than allowed.
        #[error("a batch pays 1 to {max} inferences; got {got}")]
        BatchSize { got: u64, max: u64 },

        /// A batch payment names the same inference twice.
        #[error("inference {inference_id} of model {model_id} appears more than once in the batch")]
        DuplicateInference {
            model_id: ModelId,
            inference_id: String,
        },

        /// The payer already paid or recorded this inference.
        #[error(
            "inference {inference_id} of model {model_id} was already paid or recorded by {payer}"
        )]
        InferenceAlreadyPaid {
            model_id: ModelId,
            payer: String,
            inference_id: String,
        },

        /// The amount sent is not the fee or the price asked.
        #[error("the fee is {expected}, but {received} was sent: send exactly {expected}")]
        FeeMismatch {
            expected: Uint128,
            received: Uint128,
        },

        /// An inference's attribution names a datanet outside the model's lineage.
        #[error("the attribution of model {model_id} names datanet {datanet_id}, which is not in its lineage")]
        AttributionOutsideLineage {
            model_id: ModelId,
            datanet_id: DatanetId,
        },

        /// An inference's attribution comes without a host's receipt signature.
        #[error("an attribution must come with a receipt_signature by one of the model's hosts")]
        MissingReceiptSignature,

        /// A receipt signature comes without an attribution.
        #[error("a receipt_signature is only accepted together with an attribution")]
        UnexpectedReceiptSignature,

        /// A receipt signature is not a valid signature by one of the model's hosts.
        #[error("the receipt signature of inference {inference_id} of model {model_id} is not a valid 64-byte signature by any of the model's hosts over this receipt (chain, contract, model, inference, payer, fee, attribution, io)")]
        InvalidReceiptSignature {
            model_id: ModelId,
            inference_id: String,
        },

        /// A message's payments would reach more recipients than one distribution carries.
        #[error("this message would pay {got} recipients in the reward pool (datanet versions and ancestors' owners); one distribute pays at most {max} besides stakers and treasury: split the batch")]
        TooManyRecipients { got: u64, max: u64 },

        /// A derived model names more parents than allowed.
        #[error("a model names at most {max} parents; got {got}")]
        TooManyParents { got: u64, max: u64 },

        /// A derived model names the same parent twice.
        #[error("parent model {model_id} is listed more than once")]
        DuplicateParent { model_id: ModelId },

        /// A parent's royalty is outside its bounds.
        #[error("the royalty of parent model {model_id} is {royalty_bps} bps: it must be {min} to {max}")]
        RoyaltyOutOfRange {
            model_id: ModelId,
            royalty_bps: u16,
            min: u16,
            max: u16,
        },

        /// The parents' royalties sum to more than allowed.
        #[error("the parents' royalties sum to {sum} bps; together they may take at most {max}")]
        RoyaltySum { sum: u64, max: u64 },

        /// A derived model names a parent that does not exist.
        #[error("parent model {model_id} does not exist")]
        UnknownParent { model_id: ModelId },

        /// The registrant neither owns a parent nor holds a licence of it.
        #[error("you neither own model {model_id} nor hold a licence of it: only its owner, or the holder of an unexpired commercial licence, may register models derived from it")]
        NotEntitledToDerive { model_id: ModelId },

        /// The registrant's licence of a parent is not commercial.
        #[error("your licence of model {model_id} is not commercial: only its owner, or the holder of an unexpired commercial licence, may register models derived from it")]
        LicenseNotCommercial { model_id: ModelId },

        /// The ancestry of a derived model would be deeper than allowed.
        #[error("this model's ancestry would be {depth} deep; at most {max} is allowed")]
        AncestryTooDeep { depth: u64, max: u64 },

        /// The ancestry of a derived model would hold more models than allowed.
        #[error("this model would have {got} distinct ancestors; at most {max} are allowed")]
        TooManyAncestors { got: u64, max: u64 },

        /// A derived model's fee could pay more recipients than one distribution carries.
        #[error("one fee of this model could pay {recipients} recipients in the reward pool (distinct datanet versions of its and its ancestors' lineages, and ancestors with a share); one distribute pays at most {max} besides stakers and treasury: name fewer parents or a shorter lineage")]
        PayoutTooWide { recipients: u64, max: u64 },

        /// The model has no licence tier of this id.
        #[error("model {model_id} has no licence tier {tier_id}")]
        UnknownTier { model_id: ModelId, tier_id: u32 },

        /// The buyer holds an unexpired licence of another tier.
        #[error("your licence of model {model_id} (another tier) runs until {expires_at}: buy the same tier to extend it, or wait until it expires")]
        LicenseActive {
            model_id: ModelId,
            expires_at: Timestamp,
        },

        /// The sender holds no licence of the model.
        #[error("you hold no licence of model {model_id}: buy one with purchase_license")]
        NoLicense { model_id: ModelId },

        /// The sender's licence of the model has expired.
        #[error("your licence of model {model_id} expired at {expired_at}: buy or extend it")]
        LicenseExpired {
            model_id: ModelId,
            expired_at: Timestamp,
        },

        /// The sender's licence has used up its inference quota.
        #[error("your licence of model {model_id} has used its quota of {quota} inferences: extend it or buy another tier")]
        QuotaExhausted { model_id: ModelId, quota: u64 },

        /// The payer neither paid nor recorded this inference.
        #[error(
            "inference {inference_id} of model {model_id} was neither paid nor recorded by {payer}"
        )]
        InferenceNotFound {
            model_id: ModelId,
            payer: String,
            inference_id: String,
        },

        /// The sender has no earnings to withdraw.
        #[error("no earnings to withdraw")]
        NothingToWithdraw,

        /// A model list is filtered by owner and by datanet at once.
        #[error("filter models by owner or by datanet_id, not both")]
        ConflictingFilters,
    }
}
