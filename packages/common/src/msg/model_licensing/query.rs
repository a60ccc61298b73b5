//! What model licensing answers: its queries and their responses.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_ownable::cw_ownable_query;

use crate::attribution::{AttributionShare, DatanetId};
use crate::fee::{FeeSplit, FeeSplitAmounts};

use super::types::{Host, LicenseTier, LineageEntry, ModelId, ModelStatus};

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
