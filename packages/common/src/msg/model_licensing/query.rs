//! What model licensing answers: its queries and their responses.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Timestamp, Uint128};
use cw_ownable::cw_ownable_query;

use crate::attribution::{AttributionShare, DatanetId};
use crate::fee::{FeeSplit, FeeSplitAmounts};

use super::execute::InferenceIo;
use super::types::{Host, LicenseTier, LineageEntry, ModelId, ModelStatus, ParentModel};

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
    /// The exact split a payment of the model's inference fee would produce: every datanet
    /// version, the model's owner, the hosts' part, each ancestor's owner (a derived model),
    /// stakers, treasury.
    #[returns(FeeQuoteResponse)]
    FeeQuote {
        /// The model.
        model_id: ModelId,
        /// The attribution the payment would carry; the lineage weights when absent.
        attribution: Option<Vec<AttributionShare>>,
    },
    /// A model's parents and its whole ancestry, flattened (at most 16 models): what each
    /// ancestor receives of the model's fees.
    #[returns(ModelAncestryResponse)]
    ModelAncestry {
        /// The model.
        model_id: ModelId,
    },
    /// What is credited to an address and not yet withdrawn: its model-owner shares and the
    /// hosts' parts of the fees it served (as a host, or as a model's owner without a receipt).
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
    /// Whether commercial use is allowed, including registering models derived from this one
    /// while the licence runs.
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
    /// The hosts' parts of its inference fees credited to the hosts that signed their receipts
    /// (the hosts' parts of unsigned payments and licences are its owner's and not counted
    /// here).
    pub hosts_revenue: Uint128,
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
    /// The hashes of the inference's input and output (lower-case hex) its payment carried;
    /// `None` when it carried none (always for a licensed inference).
    pub io: Option<InferenceIo>,
}

/// One datanet version's part of a fee.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct DatanetShare {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The version of it the paying model (or an ancestor) was trained on: the amount reaches
    /// exactly that version's contributors.
    pub version: u32,
    /// Its amount.
    pub amount: Uint128,
}

/// What one ancestor of a derived model receives of a fee: its owner's part, credited in the
/// reward pool, and its lineage's part (listed in `datanets`, merged by datanet version).
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct RoyaltyShare {
    /// The ancestor model (paid whatever its status: its owners earned it).
    pub model_id: ModelId,
    /// Its owner now, credited in the reward pool (`Allocation::Account` with source
    /// `model_owner { model_id }`; claimed there).
    pub owner: Addr,
    /// Its effective share of the paying model's creator value, in basis points.
    pub share_bps: u16,
    /// Its owner's amount: `share_bps` of the fee's model-owner share, rounded down.
    pub owner_amount: Uint128,
    /// What its lineage datanets receive: `share_bps` of the fee's datanets share, rounded
    /// down, spread by its lineage weights (each part rounded down).
    pub datanets_amount: Uint128,
}

#[cw_serde]
pub struct FeeQuoteResponse {
    /// The fee.
    pub fee: Uint128,
    /// The split as paid: `datanets` is what every datanet version receives (the model's own
    /// and its ancestors'), `model_owner` what this model's owner is credited as its owner,
    /// `hosts` what the host that signs the payment's receipt is credited (the model's owner
    /// without a receipt; never shared with ancestors), `treasury` its share plus every
    /// rounding dust (`dust` is the protocol split's own). With the ancestors' `owner_amount`s
    /// they add up to the fee exactly.
    pub split: FeeSplitAmounts,
    /// Each datanet version reached, once: the payment's attribution over the model's own
    /// lineage in its order, then its ancestors' lineage versions not listed yet.
    pub datanets: Vec<DatanetShare>,
    /// A derived model's ancestors with a non-zero share, by ascending id (empty for a model
    /// without parents).
    pub royalties: Vec<RoyaltyShare>,
    /// Dust of spreading datanet amounts over the attribution and the ancestors' lineages,
    /// added to the treasury (already in `split.treasury`).
    pub attribution_dust: Uint128,
    /// Dust of taking each ancestor's and the model's own share of the owner and datanets
    /// shares, added to the treasury (already in `split.treasury`); 0 without parents.
    pub royalty_dust: Uint128,
}

/// One model of a derived model's flattened ancestry.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct AncestorResponse {
    /// The ancestor.
    pub model_id: ModelId,
    /// Its owner now (who its share is credited to).
    pub owner: Addr,
    /// Its status; a paused or retired ancestor still receives its share.
    pub status: ModelStatus,
    /// The fewest parent links from the model to it (1 = a parent, 2 = a grandparent).
    pub depth: u32,
    /// Basis points of the model's creator value that flow into this ancestor (the royalties
    /// along every path to it, multiplied): what it splits as its own fee would be split.
    pub reach_bps: u16,
    /// Basis points of the model's creator value its owner and lineage receive: `reach_bps`
    /// less what it passes on to its own parents.
    pub share_bps: u16,
    /// Its lineage, which its datanet part is spread over.
    pub lineage: Vec<LineageEntry>,
}

#[cw_serde]
pub struct ModelAncestryResponse {
    /// The model.
    pub model_id: ModelId,
    /// 0 without parents; else 1 + its deepest parent's depth.
    pub depth: u32,
    /// Its parents with their royalties, as registered.
    pub parents: Vec<ParentModel>,
    /// Basis points of its creator value its own owner and lineage receive: 10 000 less the
    /// ancestors' `share_bps`.
    pub own_share_bps: u16,
    /// Every ancestor once, by ascending id.
    pub ancestors: Vec<AncestorResponse>,
}

#[cw_serde]
pub struct LicensingSolvencyResponse {
    /// The contract's balance of the fee token.
    pub balance: Uint128,
    /// Earnings credited (model-owner shares and hosts' parts) and not withdrawn.
    pub owed_earnings: Uint128,
    /// `balance >= owed_earnings`.
    pub solvent: bool,
}
