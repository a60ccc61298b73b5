//! Storage of model licensing, and the loaders and checks that read it.
//!
//! A model is kept in two parts: its description (`MODELS`, indexed by owner, written only by
//! its owner) and its counters (`MODEL_STATS`, written by payments), so that the busy path never
//! rewrites the owner index. Paid inferences are the one record written per item of a batch, so
//! `PayerInference` is stored with one-letter field names and without default values.
//!
//! Inference ids are per payer (0.3): `INFERENCES` is keyed (model, payer, id). The 0.2.0
//! records, keyed (model, id) with the payer in the value, stay where they were
//! (`LEGACY_INFERENCES`): they are read, never written, and still block a replay by their own
//! payer. `migrate` records whether there are any, so a contract without them never pays for
//! the second lookup.
//!
//! The id counter lives in its own item (`MODEL_COUNT`), apart from the configuration; 0.2.0
//! kept it inside the configuration (`LEGACY_CONFIG`), which `migrate` splits.
//!
//! A derived model's parents and flattened ancestry live apart from it (`ANCESTRY`), written
//! once at registration; a model without parents — every model registered before derived
//! models existed — has no entry there, which reads as no parents.

use cosmwasm_schema::cw_serde;
use cosmwasm_schema::serde::{Deserialize, Serialize};
use cosmwasm_std::{
    Addr, Empty, HexBinary, OverflowError, OverflowOperation, StdResult, Storage, Timestamp,
    Uint128,
};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use openledger_common::attribution::{Attribution, AttributionShare, DatanetId};
use openledger_common::bps::{Bps, BPS_DENOMINATOR};
use openledger_common::fee::FeeSplit;
use openledger_common::item_owner::OwnedItem;
use openledger_common::msg::model_licensing::{
    LicenseTier, LineageEntry, ModelId, ModelStatus, ParentModel,
};
use openledger_common::Checked;

use crate::error::ContractError;

/// The contract's configuration.
#[cw_serde]
pub struct Config {
    /// The fee token.
    pub token: Addr,
    /// The datanet registry lineage is checked against.
    pub registry: Addr,
    /// The reward pool.
    pub reward_pool: Addr,
    /// How fees are split (validated). A configuration stored before hosts were paid has no
    /// `hosts_bps` and reads with a hosts' share of 0 (its figures unchanged).
    pub fee_split: FeeSplit,
}

impl Config {
    /// The fee split as the `fee_split` event attribute writes it.
    pub fn fee_split_attr(&self) -> String {
        let s = &self.fee_split;
        format!(
            "datanets:{},model_owner:{},hosts:{},stakers:{},treasury:{}",
            s.datanets_bps, s.model_owner_bps, s.hosts_bps, s.stakers_bps, s.treasury_bps
        )
    }
}

/// The configuration.
pub const CONFIG: Item<Config> = Item::new("cfg");

/// Models registered so far (the last id).
pub const MODEL_COUNT: Item<u64> = Item::new("model_count");

/// The configuration as 0.2.0 (and 0.3.0 before the counter moved out) stored it: today's
/// fields and the id counter. Read once by `migrate`, then removed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(crate = "cosmwasm_schema::serde")]
pub struct LegacyConfig {
    /// Today's fields.
    #[serde(flatten)]
    pub config: Config,
    /// Models registered so far (the last id).
    pub model_count: u64,
}

/// Where 0.2.0 stored its configuration.
pub const LEGACY_CONFIG: Item<LegacyConfig> = Item::new("config");

/// A host with a validated address; the key was checked for its SEC1 form at registration.
#[cw_serde]
pub struct HostRecord {
    /// The host's account: credited the hosts' part of each fee whose receipt its key signs.
    pub address: Addr,
    /// secp256k1 public key (33 or 65 bytes).
    pub pubkey: HexBinary,
}

/// What describes a model and who controls it.
#[cw_serde]
pub struct Model {
    /// Its owner (receives the model-owner share of every fee as credited earnings here, the
    /// hosts' part of the fees no host signed for, and its share of derived models' fees as
    /// credits in the reward pool).
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
    /// Lineage (permanent).
    pub lineage: Vec<LineageEntry>,
    /// Fee per inference.
    pub inference_fee: Uint128,
    /// Licence tiers.
    pub tiers: Vec<LicenseTier>,
    /// Hosts allowed to sign receipts (each paid the hosts' part of the fees it signs for).
    pub hosts: Vec<HostRecord>,
    /// Status.
    pub status: ModelStatus,
    /// When it was registered.
    pub created_at: Timestamp,
}

impl Model {
    /// The model `model_id` (`ModelNotFound` when there is none).
    pub fn load(storage: &dyn Storage, model_id: ModelId) -> Result<Self, ContractError> {
        MODELS
            .may_load(storage, model_id)?
            .ok_or(ContractError::ModelNotFound { model_id })
    }

    /// The model `model_id` if `sender` owns it (`NotModelOwner` otherwise).
    pub fn load_owned(
        storage: &dyn Storage,
        model_id: ModelId,
        sender: &Addr,
    ) -> Result<Self, ContractError> {
        let model = Self::load(storage, model_id)?;
        if model.owner == *sender {
            Ok(model)
        } else {
            Err(ContractError::NotModelOwner { model_id })
        }
    }

    /// The model `model_id` if it takes payments and licensed inferences (`ModelNotActive`
    /// otherwise).
    pub fn load_active(storage: &dyn Storage, model_id: ModelId) -> Result<Self, ContractError> {
        let model = Self::load(storage, model_id)?;
        if model.status == ModelStatus::Active {
            Ok(model)
        } else {
            Err(ContractError::ModelNotActive {
                model_id,
                status: model.status,
            })
        }
    }

    /// `ModelRetired` when the model is retired: nothing changes a retired model.
    pub fn ensure_not_retired(&self, model_id: ModelId) -> Result<(), ContractError> {
        if self.status == ModelStatus::Retired {
            Err(ContractError::ModelRetired { model_id })
        } else {
            Ok(())
        }
    }

    /// The lineage weights as an attribution vector (valid: checked at registration).
    pub fn lineage_attribution(&self) -> Attribution {
        lineage_attribution(&self.lineage)
    }

    /// Whether `datanet_id` is one of the lineage's datanets.
    pub fn in_lineage(&self, datanet_id: DatanetId) -> bool {
        self.lineage.iter().any(|e| e.datanet_id == datanet_id)
    }

    /// `attribution` (checked to cover only lineage datanets) with each datanet's lineage
    /// version: (datanet, version, weight) in the attribution's order.
    pub fn versioned(&self, attribution: &Attribution) -> Vec<(DatanetId, u32, Bps)> {
        attribution
            .0
            .iter()
            .filter_map(|s| {
                self.lineage
                    .iter()
                    .find(|e| e.datanet_id == s.datanet_id)
                    .map(|e| (s.datanet_id, e.version, s.weight_bps))
            })
            .collect()
    }

    /// A supplied attribution: a valid vector over the model's lineage datanets only.
    pub fn check_attribution(
        &self,
        model_id: ModelId,
        shares: &[AttributionShare],
    ) -> Result<Attribution, ContractError> {
        let attribution = Attribution(shares.to_vec());
        attribution.validate()?;
        if let Some(outside) = shares.iter().find(|s| !self.in_lineage(s.datanet_id)) {
            return Err(ContractError::AttributionOutsideLineage {
                model_id,
                datanet_id: outside.datanet_id,
            });
        }
        Ok(attribution)
    }

    /// Licence tier `tier_id` (`UnknownTier` when the model has none).
    pub fn tier(&self, model_id: ModelId, tier_id: u32) -> Result<&LicenseTier, ContractError> {
        self.tiers
            .iter()
            .find(|t| t.id == tier_id)
            .ok_or(ContractError::UnknownTier { model_id, tier_id })
    }
}

/// `lineage` as an attribution vector (not validated).
pub fn lineage_attribution(lineage: &[LineageEntry]) -> Attribution {
    Attribution(
        lineage
            .iter()
            .map(|e| AttributionShare {
                datanet_id: e.datanet_id,
                weight_bps: e.weight_bps,
            })
            .collect(),
    )
}

impl OwnedItem for Model {
    fn owner(&self) -> &Addr {
        &self.owner
    }

    fn owners_mut(&mut self) -> (&mut Addr, &mut Option<Addr>) {
        (&mut self.owner, &mut self.pending_owner)
    }
}

/// Secondary indexes of `MODELS`.
pub struct ModelIndexes<'a> {
    /// Models by owner.
    pub owner: MultiIndex<'a, Addr, Model, ModelId>,
}

impl IndexList<Model> for ModelIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Model>> + '_> {
        let v: Vec<&dyn Index<Model>> = vec![&self.owner];
        Box::new(v.into_iter())
    }
}

/// Models by id, indexed by owner.
pub const MODELS: IndexedMap<ModelId, Model, ModelIndexes> = IndexedMap::new(
    "models",
    ModelIndexes {
        owner: MultiIndex::new(|_pk, m: &Model| m.owner.clone(), "models", "models__owner"),
    },
);

/// Models by lineage datanet: (datanet, model) present = the model was trained on it. Written
/// once at registration (lineage never changes).
pub const MODELS_BY_DATANET: Map<(DatanetId, ModelId), Empty> = Map::new("models_by_datanet");

/// One model of a derived model's flattened ancestry.
#[cw_serde]
pub struct AncestorRecord {
    /// The ancestor.
    pub model_id: ModelId,
    /// The fewest parent links from the model to it (1 = a parent).
    pub depth: u32,
    /// Basis points of the model's creator value flowing into it (see `ancestry::derive`).
    pub reach_bps: Bps,
    /// Basis points of the model's creator value its owner and lineage receive.
    pub share_bps: Bps,
}

/// A derived model's parents and its ancestry, flattened so that a payment needs no recursion.
#[cw_serde]
#[derive(Default)]
pub struct Ancestry {
    /// The parents as registered.
    pub parents: Vec<ParentModel>,
    /// 1 + the deepest parent's depth (0 without parents).
    pub depth: u32,
    /// Every ancestor once, ascending ids.
    pub ancestors: Vec<AncestorRecord>,
}

impl Ancestry {
    /// The ancestry of `model_id`; empty (no parents, depth 0) when none was stored.
    pub fn load(storage: &dyn Storage, model_id: ModelId) -> StdResult<Self> {
        Ok(ANCESTRY.may_load(storage, model_id)?.unwrap_or_default())
    }

    /// What the model keeps of its creator value after its parents' royalties, in bps.
    pub fn keep_bps(&self) -> Result<Bps, OverflowError> {
        rest_of_whole(self.parents.iter().map(|p| p.royalty_bps))
    }

    /// What the model's own owner and lineage receive of its creator value, in bps: the whole
    /// less every ancestor's share.
    pub fn own_share_bps(&self) -> Result<Bps, OverflowError> {
        rest_of_whole(self.ancestors.iter().map(|a| a.share_bps))
    }
}

/// 10 000 less the sum of `parts` (an overflow error when they exceed the whole).
fn rest_of_whole(mut parts: impl Iterator<Item = Bps>) -> Result<Bps, OverflowError> {
    let sum = parts.try_fold(0u32, |acc, p| acc.add_checked(u32::from(p)))?;
    let rest = u32::from(BPS_DENOMINATOR).sub_checked(sum)?;
    Bps::try_from(rest).map_err(|_| OverflowError::new(OverflowOperation::Sub))
}

/// Derived models' ancestries, by model id: written once at registration, never changed.
pub const ANCESTRY: Map<ModelId, Ancestry> = Map::new("ancestry");

/// A model's counters.
#[cw_serde]
#[derive(Default)]
pub struct ModelStats {
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
    /// (absent in counters stored before hosts were paid: 0).
    #[serde(default)]
    pub hosts_revenue: Uint128,
}

impl ModelStats {
    /// The counters of `model_id` (all zero when none were stored).
    pub fn load(storage: &dyn Storage, model_id: ModelId) -> StdResult<Self> {
        Ok(MODEL_STATS.may_load(storage, model_id)?.unwrap_or_default())
    }
}

/// Counters of each model, by id.
pub const MODEL_STATS: Map<ModelId, ModelStats> = Map::new("model_stats");

fn is_false(b: &bool) -> bool {
    !*b
}

/// The record of one inference as 0.2.0 stored it, keyed (model, id): the payer, then the
/// fields of today's record. Read only (`LEGACY_INFERENCES`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(crate = "cosmwasm_schema::serde")]
pub struct InferenceRecord {
    /// Who paid (or the licensee).
    #[serde(rename = "p")]
    pub payer: Addr,
    /// Fee, attribution, licensed, time: stored as today's record stores them.
    #[serde(flatten)]
    pub record: PayerInference,
}

/// 0.2.0 inferences: (model, inference id) → record. Never written since 0.3; a record here
/// blocks a replay of its id by its own payer only.
pub const LEGACY_INFERENCES: Map<(ModelId, &str), InferenceRecord> = Map::new("inf");

/// Whether `LEGACY_INFERENCES` holds anything (set by `migrate`; absent = no).
pub const HAS_LEGACY_INFERENCES: Item<bool> = Item::new("inf_legacy");

/// The record of one inference, paid or licensed; the payer is in the key. Stored compactly:
/// one-letter keys, the time as nanoseconds, the attribution as `[datanet_id, weight_bps]`
/// pairs, the input and output hashes as an `[input, output]` pair, and `licensed` /
/// `attribution` / `io` left out when false / absent. A paid inference with lineage weights and
/// no io is about 45 bytes.
#[cw_serde]
pub struct PayerInference {
    /// Fee paid (zero for a licensed inference).
    #[serde(rename = "f")]
    pub fee: Uint128,
    /// The signed attribution; absent when the lineage weights applied.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Vec<(DatanetId, u16)>>,
    /// Covered by a licence instead of paid.
    #[serde(rename = "l", default, skip_serializing_if = "is_false")]
    pub licensed: bool,
    /// Block time when it was recorded, in nanoseconds.
    #[serde(rename = "t")]
    pub recorded_at: u64,
    /// The SHA-256 of the inference's input and output (lower-case hex) when the payment
    /// carried them, as `[input_hash, output_hash]`; absent otherwise (and in every record
    /// written before they existed).
    #[serde(rename = "h", default, skip_serializing_if = "Option::is_none")]
    pub io: Option<(String, String)>,
}

/// Inferences: (model, payer, inference id) → record. Its presence is the replay protection;
/// the payer is the cw20 sender of a paid inference or the licensee of a licensed one.
pub const INFERENCES: Map<(ModelId, &Addr, &str), PayerInference> = Map::new("infp");

/// Whether a 0.2.0 contract's inference records must be looked at too (`HAS_LEGACY_INFERENCES`).
pub fn has_legacy_inferences(storage: &dyn Storage) -> StdResult<bool> {
    Ok(HAS_LEGACY_INFERENCES.may_load(storage)?.unwrap_or(false))
}

/// Whether `payer` already used `inference_id` on `model_id`: a record under its key, or (only
/// when `legacy` — see `HAS_LEGACY_INFERENCES`) a 0.2.0 record of that id paid by `payer`.
pub fn inference_used(
    storage: &dyn Storage,
    legacy: bool,
    model_id: ModelId,
    payer: &Addr,
    inference_id: &str,
) -> StdResult<bool> {
    if INFERENCES.has(storage, (model_id, payer, inference_id)) {
        return Ok(true);
    }
    Ok(legacy && legacy_inference(storage, model_id, payer, inference_id)?.is_some())
}

/// The 0.2.0 record of `inference_id` on `model_id` if `payer` paid or recorded it.
pub fn legacy_inference(
    storage: &dyn Storage,
    model_id: ModelId,
    payer: &Addr,
    inference_id: &str,
) -> StdResult<Option<InferenceRecord>> {
    Ok(LEGACY_INFERENCES
        .may_load(storage, (model_id, inference_id))?
        .filter(|r| r.payer == *payer))
}

/// A licence a licensee holds for one model.
#[cw_serde]
pub struct License {
    /// The tier bought last.
    pub tier_id: u32,
    /// End of the term (exclusive).
    pub expires_at: Timestamp,
    /// Inferences allowed in total; unlimited when absent.
    pub inference_quota: Option<u64>,
    /// Licensed inferences recorded so far.
    pub inferences_used: u64,
    /// Whether commercial use is allowed; while the licence runs, a commercial one is also the
    /// right to register models derived from the model.
    pub commercial: bool,
}

impl License {
    /// `licensee`'s licence of `model_id` (`NoLicense` when there is none).
    pub fn load(
        storage: &dyn Storage,
        licensee: &Addr,
        model_id: ModelId,
    ) -> Result<Self, ContractError> {
        LICENSES
            .may_load(storage, (licensee, model_id))?
            .ok_or(ContractError::NoLicense { model_id })
    }
}

/// Licences: (licensee, model) → licence.
pub const LICENSES: Map<(&Addr, ModelId), License> = Map::new("licenses");

/// What is credited to an address and not yet withdrawn: model-owner shares, and the hosts'
/// parts of the fees it served (as a signing host, or as a model's owner without a receipt).
pub const EARNINGS: Map<&Addr, Uint128> = Map::new("earnings");

/// Sum of `EARNINGS`: what the contract owes (its only liability).
pub const OWED_EARNINGS: Item<Uint128> = Item::new("owed_earnings");
