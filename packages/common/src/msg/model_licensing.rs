//! Messages of model licensing: models with lineage, licences, paid inferences, receipts.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, HexBinary, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_ownable::cw_ownable_query;

use crate::ownership::OwnershipAction;

use crate::attribution::{AttributionShare, DatanetId};
use crate::fee::{FeeSplit, FeeSplitAmounts};

/// Model ids are assigned from 1 upwards.
pub type ModelId = u64;

/// The most lineage entries a model may declare.
pub const MAX_LINEAGE: usize = 16;
/// The most licence tiers a model may offer.
pub const MAX_TIERS: usize = 8;
/// The most hosts a model may register.
pub const MAX_HOSTS: usize = 8;
/// The most inferences one `pay_inferences` may pay.
pub const MAX_BATCH: usize = 50;
/// Longest inference id, in bytes.
pub const MAX_INFERENCE_ID_LEN: usize = 64;
/// Shortest licence tier duration, in seconds (one minute).
pub const MIN_TIER_DURATION: u64 = 60;
/// Longest licence tier duration, in seconds (3 650 days, about ten years).
pub const MAX_TIER_DURATION: u64 = 3_650 * 86_400;
/// Longest a licence may run from now after an extension, in seconds (two maximal tiers):
/// stacking extensions can never overflow a timestamp.
pub const MAX_LICENSE_TERM: u64 = 2 * MAX_TIER_DURATION;
/// Largest inference quota of a tier (10^12): with [`MAX_LICENSE_TERM`] and
/// [`MIN_TIER_DURATION`], the quotas a licence accumulates by extensions cannot overflow.
pub const MAX_TIER_QUOTA: u64 = 1_000_000_000_000;

/// One datanet version a model was trained on, with its share of the model's attribution.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LineageEntry {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// A published version of it (from 1).
    pub version: u32,
    /// Its share in basis points; the lineage sums to exactly 10 000.
    pub weight_bps: u16,
}

/// A licence tier a model sells.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LicenseTier {
    /// Tier id, unique within the model.
    pub id: u32,
    /// Price in fee-token base units (non-zero).
    pub price: Uint128,
    /// How long a licence of this tier lasts, in seconds (60..=315 360 000: one minute to
    /// 3 650 days).
    pub duration: u64,
    /// How many licensed inferences it allows (1..=10^12); unlimited when absent. Zero is
    /// refused: a licence must allow something.
    pub inference_quota: Option<u64>,
    /// Whether it allows commercial use.
    pub commercial: bool,
}

impl LicenseTier {
    /// The terms a buyer of this tier states in `purchase_license`.
    pub fn terms(&self) -> LicenseTerms {
        LicenseTerms {
            price: self.price,
            duration: self.duration,
            inference_quota: self.inference_quota,
            commercial: self.commercial,
        }
    }
}

/// The terms of a tier as the buyer saw them (in the `model` query). A purchase binds them: it
/// is refused with `TermsChanged` naming the first field that differs from the tier's current
/// terms, so a tier rewritten in front of the purchase cannot sell other terms.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct LicenseTerms {
    /// The price; the amount sent must equal it.
    pub price: Uint128,
    /// The duration, in seconds.
    pub duration: u64,
    /// The inference quota; unlimited when absent.
    pub inference_quota: Option<u64>,
    /// Whether commercial use is allowed.
    pub commercial: bool,
}

/// An inference host: its account and the secp256k1 key it signs receipts with.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// The host's account.
    pub address: String,
    /// secp256k1 public key, 33 bytes compressed (or 65 uncompressed), hex.
    pub pubkey: HexBinary,
}

/// Lifecycle of a model.
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(Copy, Eq)]
pub enum ModelStatus {
    /// Sells licences and takes payments.
    Active,
    /// Temporarily takes nothing.
    Paused,
    /// Permanently takes nothing.
    Retired,
}

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
    /// How fees are split; the protocol default (datanets 50 %, owner 20 %, stakers 20 %,
    /// treasury 10 %) when absent.
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
    /// Attribution over the model's lineage datanets, signed by a host; the lineage weights
    /// apply when absent.
    pub attribution: Option<Vec<AttributionShare>>,
    /// 64-byte secp256k1 signature (r ‖ s, hex) by one of the model's hosts over the receipt
    /// hash; required exactly when `attribution` is given.
    pub receipt_signature: Option<HexBinary>,
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
    /// Registers a model owned by the sender.
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
    /// Pays the sender the model-owner shares credited to them.
    WithdrawEarnings {},
    /// Contract owner: changes the fee split or the wired contracts.
    UpdateConfig {
        /// New fee split (must sum to 10 000).
        fee_split: Option<FeeSplit>,
        /// New reward pool.
        reward_pool: Option<String>,
        /// New datanet registry.
        registry: Option<String>,
    },
}

#[cw_ownable_query]
#[cw_serde]
#[serde(deny_unknown_fields)]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The contract's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// One model.
    #[returns(ModelResponse)]
    Model {
        /// The model.
        model_id: ModelId,
    },
    /// Models by id, optionally only those of one owner or trained on one datanet (not both).
    #[returns(ModelsResponse)]
    Models {
        /// Only models of this owner.
        owner: Option<String>,
        /// Only models whose lineage includes this datanet.
        datanet_id: Option<DatanetId>,
        /// Start after this id.
        start_after: Option<ModelId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// One licence.
    #[returns(LicenseResponse)]
    License {
        /// The model.
        model_id: ModelId,
        /// The licensee.
        licensee: String,
    },
    /// Licences of one licensee, by model id.
    #[returns(LicensesResponse)]
    Licenses {
        /// The licensee.
        licensee: String,
        /// Start after this model id.
        start_after: Option<ModelId>,
        /// Page size (1..=50, default 10).
        limit: Option<u32>,
    },
    /// A model's usage and revenue.
    #[returns(ModelStatsResponse)]
    ModelStats {
        /// The model.
        model_id: ModelId,
    },
    /// The record of an inference: paid or licensed, by whom, with which attribution.
    /// Inference ids are per payer, so the payer is part of the question.
    #[returns(InferenceResponse)]
    Inference {
        /// The model.
        model_id: ModelId,
        /// Who paid it (the cw20 sender) or recorded it (the licensee).
        payer: String,
        /// The inference id.
        inference_id: String,
    },
    /// The exact split a payment of the model's inference fee would produce.
    #[returns(FeeQuoteResponse)]
    FeeQuote {
        /// The model.
        model_id: ModelId,
        /// The attribution the payment would carry; the lineage weights when absent.
        attribution: Option<Vec<AttributionShare>>,
    },
    /// Model-owner shares credited to an address and not yet withdrawn.
    #[returns(Uint128)]
    Earnings {
        /// The address.
        address: String,
    },
    /// Token balance against the earnings the contract holds.
    #[returns(LicensingSolvencyResponse)]
    Solvency {},
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// The fee token.
    pub token: Addr,
    /// The datanet registry.
    pub registry: Addr,
    /// The reward pool.
    pub reward_pool: Addr,
    /// The fee split.
    pub fee_split: FeeSplit,
    /// Models registered so far.
    pub model_count: u64,
}

#[cw_serde]
pub struct ModelResponse {
    /// Its id.
    pub id: ModelId,
    /// Its owner.
    pub owner: Addr,
    /// An owner proposed by `transfer_model`, until accepted.
    pub pending_owner: Option<Addr>,
    /// Display name.
    pub name: String,
    /// Metadata URI.
    pub metadata_uri: String,
    /// SHA-256 of the weights, lower-case hex.
    pub weights_hash: String,
    /// Base model.
    pub base_model: Option<String>,
    /// Lineage.
    pub lineage: Vec<LineageEntry>,
    /// Fee per inference.
    pub inference_fee: Uint128,
    /// Licence tiers.
    pub tiers: Vec<LicenseTier>,
    /// Hosts.
    pub hosts: Vec<Host>,
    /// Status.
    pub status: ModelStatus,
    /// When it was registered.
    pub created_at: Timestamp,
}

#[cw_serde]
pub struct ModelsResponse {
    /// The page.
    pub models: Vec<ModelResponse>,
}

#[cw_serde]
pub struct LicenseResponse {
    /// The model.
    pub model_id: ModelId,
    /// The licensee.
    pub licensee: Addr,
    /// The tier bought last.
    pub tier_id: u32,
    /// End of the term (exclusive): licensed inferences are recorded while block time < this.
    pub expires_at: Timestamp,
    /// Inferences allowed in total; unlimited when absent.
    pub inference_quota: Option<u64>,
    /// Licensed inferences recorded so far.
    pub inferences_used: u64,
    /// Whether commercial use is allowed.
    pub commercial: bool,
}

#[cw_serde]
pub struct LicensesResponse {
    /// The page.
    pub licenses: Vec<LicenseResponse>,
}

#[cw_serde]
pub struct ModelStatsResponse {
    /// The model.
    pub model_id: ModelId,
    /// Paid inferences.
    pub paid_inferences: u64,
    /// Licensed inferences recorded.
    pub licensed_inferences: u64,
    /// Licences sold (purchases and extensions).
    pub licenses_sold: u64,
    /// Revenue from inference fees.
    pub inference_revenue: Uint128,
    /// Revenue from licences.
    pub license_revenue: Uint128,
}

#[cw_serde]
pub struct InferenceResponse {
    /// The model.
    pub model_id: ModelId,
    /// The inference id.
    pub inference_id: String,
    /// Who paid (or the licensee).
    pub payer: Addr,
    /// Fee paid (zero for a licensed inference).
    pub fee: Uint128,
    /// The signed attribution, or `None` when the lineage weights applied.
    pub attribution: Option<Vec<AttributionShare>>,
    /// Whether it was covered by a licence instead of paid.
    pub licensed: bool,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// One datanet's part of a fee.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct DatanetShare {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Its amount.
    pub amount: Uint128,
}

#[cw_serde]
pub struct FeeQuoteResponse {
    /// The fee.
    pub fee: Uint128,
    /// The split into datanets, model owner, stakers and treasury (treasury includes dust).
    pub split: FeeSplitAmounts,
    /// How the datanets' amount is spread.
    pub datanets: Vec<DatanetShare>,
    /// Dust of spreading the datanets' amount, added to the treasury (already in
    /// `split.treasury`).
    pub attribution_dust: Uint128,
}

#[cw_serde]
pub struct LicensingSolvencyResponse {
    /// The contract's balance of the fee token.
    pub balance: Uint128,
    /// Model-owner earnings credited and not withdrawn.
    pub owed_earnings: Uint128,
    /// `balance >= owed_earnings`.
    pub solvent: bool,
}

/// What a host signs: the canonical JSON of these fields, in this order, without whitespace
/// (as `cosmwasm_std::to_json_vec` writes it), hashed with SHA-256.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Chain id the payment is made on.
    pub chain_id: String,
    /// Address of the model-licensing contract.
    pub contract: String,
    /// The model.
    pub model_id: ModelId,
    /// The inference id.
    pub inference_id: String,
    /// The payer (the cw20 sender).
    pub payer: String,
    /// The fee paid.
    pub fee: Uint128,
    /// The attribution vector, in the order it is sent.
    pub attribution: Vec<AttributionShare>,
}

impl Receipt {
    /// The canonical bytes a host signs the hash of.
    pub fn canonical_json(&self) -> cosmwasm_std::StdResult<Vec<u8>> {
        cosmwasm_std::to_json_vec(self)
    }

    /// SHA-256 of the canonical JSON: the message hash passed to `secp256k1_verify`.
    pub fn hash(&self) -> cosmwasm_std::StdResult<[u8; 32]> {
        use sha2::{Digest, Sha256};
        Ok(Sha256::digest(self.canonical_json()?).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_canonical_json_is_fixed() {
        let r = Receipt {
            chain_id: "openledger-local-1".into(),
            contract: "inj1contract".into(),
            model_id: 3,
            inference_id: "inf-7".into(),
            payer: "inj1payer".into(),
            fee: Uint128::new(1_000),
            attribution: vec![
                AttributionShare {
                    datanet_id: 1,
                    weight_bps: 6_000,
                },
                AttributionShare {
                    datanet_id: 2,
                    weight_bps: 4_000,
                },
            ],
        };
        assert_eq!(
            String::from_utf8(r.canonical_json().unwrap()).unwrap(),
            r#"{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{"datanet_id":1,"weight_bps":6000},{"datanet_id":2,"weight_bps":4000}]}"#
        );
        assert_eq!(r.hash().unwrap().len(), 32);
    }
}
