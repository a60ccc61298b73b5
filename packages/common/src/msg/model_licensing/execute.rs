//! What model licensing is sent: instantiation, the cw20 hook messages (licences and paid
//! inferences), execution and migration.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{HexBinary, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::attribution::AttributionShare;
use crate::fee::FeeSplit;
use crate::ownership::OwnershipAction;

use super::types::{
    Host, LicenseTerms, LicenseTier, LineageEntry, ModelId, ModelStatus, ParentModel,
};

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Owner of the contract (protocol configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN).
    pub token: String,
    /// The datanet registry that lineage is checked against.
    pub registry: String,
    /// The reward pool that receives every fee's datanet, staker and treasury shares.
    pub reward_pool: String,
    /// How fees are split; the protocol default (datanets 50 %, owner 20 %, hosts 0 %,
    /// stakers 20 %, treasury 10 %) when absent.
    pub fee_split: Option<FeeSplit>,
}

/// Everything that describes a new model.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct NewModel {
    /// Display name (1..=64 bytes).
    pub name: String,
    /// Where its metadata lives (at most 512 bytes).
    pub metadata_uri: String,
    /// SHA-256 of the weights: 64 hex characters.
    pub weights_hash: String,
    /// The base model it was fine-tuned from, if any (at most 128 bytes).
    pub base_model: Option<String>,
    /// 1..=16 published datanet versions, distinct datanets, weights summing to 10 000.
    pub lineage: Vec<LineageEntry>,
    /// Fee per inference in fee-token base units (non-zero).
    pub inference_fee: Uint128,
    /// Licence tiers (at most 8, distinct ids).
    pub tiers: Vec<LicenseTier>,
    /// Hosts that may sign receipts (at most 8).
    pub hosts: Vec<Host>,
    /// The models this one derives from (at most 4, distinct, each existing and owned by the
    /// registrant or licensed to it with an unexpired commercial licence), each with its
    /// royalty (1..=5 000 bps, together at most 5 000). The whole ancestry may be at most 4
    /// deep and hold at most 16 models, and one fee must fit one `distribute`. Permanent.
    /// Absent or empty: the model derives from no registered model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<ParentModel>,
}

/// One paid inference.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InferencePayment {
    /// The model.
    pub model_id: ModelId,
    /// Unique per model and payer (1..=64 bytes): a second payment of the same id by the same
    /// payer is refused; another payer's use of the id does not block it.
    pub inference_id: String,
    /// Attribution over the model's own lineage datanets (each part goes to the version its
    /// lineage names), signed by a host; the lineage weights apply when absent. A derived
    /// model's ancestors are always paid by their own lineage weights.
    pub attribution: Option<Vec<AttributionShare>>,
    /// 64-byte secp256k1 signature (r ‖ s, hex) by one of the model's hosts over the receipt
    /// hash; required exactly when `attribution` is given. The host whose key verifies it
    /// served the inference and is credited the hosts' part of the fee; without a signature
    /// the model's owner is.
    pub receipt_signature: Option<HexBinary>,
    /// What the inference computed: the SHA-256 of its input and of its output. When given,
    /// both hashes are checked (64 hex characters, kept lower-case), recorded with the
    /// inference and emitted in its events, and a receipt signature must sign them too (the
    /// receipt's `io`, lower-case). Absent: the payment commits to no input or output, exactly
    /// as before the field existed (and it is left out of the JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io: Option<InferenceIo>,
}

/// The SHA-256 hashes of an inference's input and output, which a payment, its record and its
/// receipt commit to.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InferenceIo {
    /// SHA-256 of the inference's input (the request the host served): 64 hex characters.
    pub input_hash: String,
    /// SHA-256 of the inference's output (the response the host returned): 64 hex characters.
    pub output_hash: String,
}

/// Messages that travel inside a cw20 `send` of the fee token to model licensing.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    /// Buys (or extends) a licence; the amount sent must equal the tier's price.
    PurchaseLicense {
        /// The model.
        model_id: ModelId,
        /// The tier.
        tier_id: u32,
        /// The tier's terms as the buyer saw them; refused (`TermsChanged`) if the tier's
        /// current terms differ in any field.
        terms: LicenseTerms,
    },
    /// Pays one inference; the amount sent must equal the model's inference fee.
    PayInference(InferencePayment),
    /// Pays up to 50 inferences; the amount sent must equal the sum of their fees.
    PayInferences {
        /// The payments.
        items: Vec<InferencePayment>,
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
    /// Registers a model owned by the sender, derived from `parents` when it names any.
    RegisterModel(NewModel),
    /// Model owner: changes metadata, pricing, tiers or hosts (lineage is permanent).
    UpdateModel {
        /// The model.
        model_id: ModelId,
        /// New metadata URI.
        metadata_uri: Option<String>,
        /// New inference fee.
        inference_fee: Option<Uint128>,
        /// New tiers (replace the old ones; existing licences keep their terms, and a purchase
        /// stating the old terms is refused).
        tiers: Option<Vec<LicenseTier>>,
        /// New hosts (replace the old ones).
        hosts: Option<Vec<Host>>,
    },
    /// Model owner: activates, pauses or retires the model (retiring is final).
    SetModelStatus {
        /// The model.
        model_id: ModelId,
        /// The new status.
        status: ModelStatus,
    },
    /// Model owner: proposes a new owner, who must accept.
    TransferModel {
        /// The model.
        model_id: ModelId,
        /// The proposed owner.
        new_owner: String,
    },
    /// The proposed owner accepts a model.
    AcceptModel {
        /// The model.
        model_id: ModelId,
    },
    /// Licensee: records an inference covered by their licence (within its term and quota).
    RecordLicensedInference {
        /// The model.
        model_id: ModelId,
        /// Unique per model and licensee (1..=64 bytes); ids of other payers are theirs.
        inference_id: String,
    },
    /// Pays the sender everything credited to them: model-owner shares, and the hosts' parts of
    /// the fees they served.
    WithdrawEarnings {},
    /// Contract owner: changes the fee split or the wired contracts.
    UpdateConfig {
        /// New fee split (the five shares must sum to 10 000, the hosts' share at most
        /// `MAX_HOSTS_BPS`).
        fee_split: Option<FeeSplit>,
        /// New reward pool.
        reward_pool: Option<String>,
        /// New datanet registry.
        registry: Option<String>,
    },
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}
