//! Execute handlers.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use cosmwasm_std::{
    Addr, Api, DepsMut, Empty, Env, MessageInfo, OverflowError, OverflowOperation, QuerierWrapper,
    Response, Storage, SubMsg, Timestamp, Uint128,
};
use cw20::Cw20ReceiveMsg;
use openledger_common::attribution::{Attribution, AttributionShare};
use openledger_common::fee::FeeSplit;
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::datanet_registry::{QueryMsg as RegistryQueryMsg, VersionResponse};
use openledger_common::msg::model_licensing::{
    Host, InferencePayment, InstantiateMsg, LicenseTerms, LicenseTier, LineageEntry, ModelId,
    ModelStatus, NewModel, Receipt, ReceiveMsg, MAX_BATCH, MAX_HOSTS, MAX_INFERENCE_ID_LEN,
    MAX_LICENSE_TERM, MAX_TIERS, MAX_TIER_DURATION, MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
use openledger_common::msg::reward_pool::Allocation;
use openledger_common::{reserved_name, validate_addr};

use crate::error::{status_name, ContractError};
use crate::split::{quote, Ledger};
use crate::state::{
    inference_used, Config, HostRecord, License, Model, ModelStats, PayerInference, CONFIG,
    EARNINGS, HAS_LEGACY_INFERENCES, INFERENCES, LICENSES, MODELS, MODELS_BY_DATANET, MODEL_STATS,
    OWED_EARNINGS,
};

/// Longest model name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest metadata URI, in bytes.
pub const MAX_URI_LEN: usize = 512;
/// Longest base-model name, in bytes.
pub const MAX_BASE_MODEL_LEN: usize = 128;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Checks that `value` is `min..=max` bytes long.
pub fn validate_text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ContractError> {
    if (min..=max).contains(&value.len()) {
        Ok(())
    } else {
        Err(ContractError::InvalidText {
            field: field.to_string(),
            min: min as u64,
            max: max as u64,
        })
    }
}

/// Checks that `weights_hash` is a SHA-256 in hex and returns it lower-case.
pub fn normalize_weights_hash(weights_hash: &str) -> Result<String, ContractError> {
    if weights_hash.len() == 64 && weights_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(weights_hash.to_ascii_lowercase())
    } else {
        Err(ContractError::InvalidWeightsHash {
            weights_hash: weights_hash.to_string(),
        })
    }
}

fn validate_inference_id(inference_id: &str) -> Result<(), ContractError> {
    if (1..=MAX_INFERENCE_ID_LEN).contains(&inference_id.len()) {
        Ok(())
    } else {
        Err(ContractError::InvalidInferenceId {
            max: MAX_INFERENCE_ID_LEN as u64,
        })
    }
}

fn add_u64(a: u64, b: u64) -> Result<u64, OverflowError> {
    a.checked_add(b)
        .ok_or(OverflowError::new(OverflowOperation::Add))
}

/// The lineage as an attribution vector, validated: 1..=16 distinct datanets, non-zero
/// weights, sum 10 000.
fn lineage_attribution(lineage: &[LineageEntry]) -> Result<Attribution, ContractError> {
    let attribution = Attribution(
        lineage
            .iter()
            .map(|e| AttributionShare {
                datanet_id: e.datanet_id,
                weight_bps: e.weight_bps,
            })
            .collect(),
    );
    attribution.validate()?;
    Ok(attribution)
}

/// Every lineage entry must name a version the registry has published (one query each; the
/// lineage holds at most 16 entries).
fn check_lineage_published(
    querier: &QuerierWrapper,
    registry: &Addr,
    lineage: &[LineageEntry],
) -> Result<(), ContractError> {
    for e in lineage {
        let published: Result<VersionResponse, _> = querier.query_wasm_smart(
            registry,
            &RegistryQueryMsg::Version {
                datanet_id: e.datanet_id,
                version: e.version,
            },
        );
        if published.is_err() {
            return Err(ContractError::LineageVersionNotPublished {
                datanet_id: e.datanet_id,
                version: e.version,
            });
        }
    }
    Ok(())
}

/// One tier's terms: a non-zero price, a duration of `MIN_TIER_DURATION..=MAX_TIER_DURATION`
/// and a quota of `1..=MAX_TIER_QUOTA` or none. Also run on a stored tier at purchase, so a
/// tier 0.2.0 accepted (a zero quota, a 1-second or overflowing term) is never sold.
fn validate_tier(t: &LicenseTier) -> Result<(), ContractError> {
    if t.price.is_zero() {
        return Err(ContractError::ZeroTierPrice { tier_id: t.id });
    }
    if !(MIN_TIER_DURATION..=MAX_TIER_DURATION).contains(&t.duration) {
        return Err(ContractError::TierDurationOutOfRange {
            tier_id: t.id,
            duration: t.duration,
            min: MIN_TIER_DURATION,
            max: MAX_TIER_DURATION,
        });
    }
    match t.inference_quota {
        Some(0) => Err(ContractError::ZeroTierQuota { tier_id: t.id }),
        Some(quota) if quota > MAX_TIER_QUOTA => Err(ContractError::TierQuotaTooLarge {
            tier_id: t.id,
            quota,
            max: MAX_TIER_QUOTA,
        }),
        _ => Ok(()),
    }
}

/// At most `MAX_TIERS` tiers with distinct ids, each valid (`validate_tier`).
fn validate_tiers(tiers: &[LicenseTier]) -> Result<(), ContractError> {
    if tiers.len() > MAX_TIERS {
        return Err(ContractError::TooManyTiers {
            got: tiers.len() as u64,
            max: MAX_TIERS as u64,
        });
    }
    for (i, t) in tiers.iter().enumerate() {
        if tiers[..i].iter().any(|o| o.id == t.id) {
            return Err(ContractError::DuplicateTier { id: t.id });
        }
        validate_tier(t)?;
    }
    Ok(())
}

fn quota_text(quota: Option<u64>) -> String {
    quota.map_or_else(|| "unlimited".to_string(), |q| q.to_string())
}

/// The first field in which the buyer's `terms` differ from the tier's current ones, as
/// (field, offered, current).
fn terms_difference(
    terms: &LicenseTerms,
    tier: &LicenseTier,
) -> Option<(&'static str, String, String)> {
    if terms.price != tier.price {
        return Some(("price", terms.price.to_string(), tier.price.to_string()));
    }
    if terms.duration != tier.duration {
        return Some((
            "duration",
            terms.duration.to_string(),
            tier.duration.to_string(),
        ));
    }
    if terms.inference_quota != tier.inference_quota {
        return Some((
            "inference_quota",
            quota_text(terms.inference_quota),
            quota_text(tier.inference_quota),
        ));
    }
    if terms.commercial != tier.commercial {
        return Some((
            "commercial",
            terms.commercial.to_string(),
            tier.commercial.to_string(),
        ));
    }
    None
}

/// Whether `pubkey` has the SEC1 shape of a secp256k1 key: 33 bytes compressed (02/03) or 65
/// bytes uncompressed (04).
pub fn is_sec1_pubkey(pubkey: &[u8]) -> bool {
    matches!(
        (pubkey.len(), pubkey.first()),
        (33, Some(0x02 | 0x03)) | (65, Some(0x04))
    )
}

/// At most `MAX_HOSTS` hosts with valid, distinct addresses and SEC1 public keys.
fn validate_hosts(api: &dyn Api, hosts: Vec<Host>) -> Result<Vec<HostRecord>, ContractError> {
    if hosts.len() > MAX_HOSTS {
        return Err(ContractError::TooManyHosts {
            got: hosts.len() as u64,
            max: MAX_HOSTS as u64,
        });
    }
    let mut out: Vec<HostRecord> = Vec::with_capacity(hosts.len());
    for h in hosts {
        let address = validate_addr(api, "hosts", &h.address)?;
        if !is_sec1_pubkey(h.pubkey.as_slice()) {
            return Err(ContractError::InvalidPubkey {
                host: address.into_string(),
            });
        }
        if out.iter().any(|o| o.address == address) {
            return Err(ContractError::DuplicateHost {
                host: address.into_string(),
            });
        }
        out.push(HostRecord {
            address,
            pubkey: h.pubkey,
        });
    }
    Ok(out)
}

pub(crate) fn load_model(storage: &dyn Storage, model_id: ModelId) -> Result<Model, ContractError> {
    MODELS
        .may_load(storage, model_id)?
        .ok_or(ContractError::ModelNotFound { model_id })
}

fn load_stats(storage: &dyn Storage, model_id: ModelId) -> Result<ModelStats, ContractError> {
    Ok(MODEL_STATS.may_load(storage, model_id)?.unwrap_or_default())
}

fn assert_model_owner(
    model: &Model,
    model_id: ModelId,
    sender: &Addr,
) -> Result<(), ContractError> {
    if model.owner == *sender {
        Ok(())
    } else {
        Err(ContractError::NotModelOwner { model_id })
    }
}

fn assert_active(model: &Model, model_id: ModelId) -> Result<(), ContractError> {
    if model.status == ModelStatus::Active {
        Ok(())
    } else {
        Err(ContractError::ModelNotActive {
            model_id,
            status: model.status,
        })
    }
}

/// A supplied attribution: a valid vector over the model's lineage datanets only.
pub(crate) fn check_attribution(
    model: &Model,
    model_id: ModelId,
    shares: &[AttributionShare],
) -> Result<Attribution, ContractError> {
    let attribution = Attribution(shares.to_vec());
    attribution.validate()?;
    if let Some(outside) = shares.iter().find(|s| !model.in_lineage(s.datanet_id)) {
        return Err(ContractError::AttributionOutsideLineage {
            model_id,
            datanet_id: outside.datanet_id,
        });
    }
    Ok(attribution)
}

/// Whether `signature` (64 bytes, r ‖ s) is one of the model's hosts' signature over the
/// receipt's hash. Hosts are tried in their registered order.
fn receipt_signed_by_host(api: &dyn Api, model: &Model, hash: &[u8], signature: &[u8]) -> bool {
    signature.len() == 64
        && model.hosts.iter().any(|h| {
            matches!(
                api.secp256k1_verify(hash, signature, h.pubkey.as_slice()),
                Ok(true)
            )
        })
}

/// Credits the owners' shares as earnings and sends the pool's part as one `distribute`
/// submessage (no reply: if the pool refuses it, the whole payment reverts). `allocations` are
/// `ledger.allocations()`, computed by the caller before it writes anything.
fn settle(
    storage: &mut dyn Storage,
    config: &Config,
    ledger: &Ledger,
    allocations: Vec<Allocation>,
    mut res: Response,
) -> Result<Response, ContractError> {
    let owners_total = ledger.owners_total()?;
    for (owner, amount) in &ledger.owners {
        if amount.is_zero() {
            continue;
        }
        let balance = EARNINGS
            .may_load(storage, owner)?
            .unwrap_or_default()
            .checked_add(*amount)?;
        EARNINGS.save(storage, owner, &balance)?;
    }
    if !owners_total.is_zero() {
        let owed = OWED_EARNINGS.load(storage)?.checked_add(owners_total)?;
        OWED_EARNINGS.save(storage, &owed)?;
    }
    let pool_total = ledger.fees.checked_sub(owners_total)?;
    if !pool_total.is_zero() {
        let msg = RewardPoolHandle(config.reward_pool.clone()).distribute(
            &config.token,
            pool_total,
            allocations,
        )?;
        res = res.add_submessage(SubMsg::new(msg));
    }
    res = res
        .add_attribute("model_owner_amount", owners_total)
        .add_attribute(
            "model_owners",
            ledger
                .owners
                .iter()
                .map(|(a, x)| format!("{a}:{x}"))
                .collect::<Vec<_>>()
                .join(","),
        )
        .add_attribute("datanets_amount", ledger.datanets_total()?)
        .add_attribute("stakers_amount", ledger.stakers)
        .add_attribute("treasury_amount", ledger.treasury)
        .add_attribute("pool_amount", pool_total);
    for (id, amount) in &ledger.datanets {
        res = res.add_attribute(format!("datanet_{id}"), *amount);
    }
    Ok(res)
}

// ---------------------------------------------------------------------------------------------
// Instantiate and the cw20 hook
// ---------------------------------------------------------------------------------------------

/// Model licensing pays every split into the reward pool and checks lineage in the registry:
/// neither may be model licensing itself, the token, or the other one, or every payment would
/// fail.
fn check_wiring(config: &Config, env: &Env) -> Result<(), ContractError> {
    let this = ("model_licensing", &env.contract.address);
    let token = ("token", &config.token);
    let registry = ("registry", &config.registry);
    for (role, addr, reserved) in [
        (
            "reward_pool",
            &config.reward_pool,
            &[this, token, registry][..],
        ),
        ("registry", &config.registry, &[this, token][..]),
    ] {
        if let Some(contract) = reserved_name(addr, reserved) {
            return Err(ContractError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: addr.to_string(),
            });
        }
    }
    Ok(())
}

pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let owner = match &msg.owner {
        Some(owner) => validate_addr(deps.api, "owner", owner)?,
        None => info.sender,
    };
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner.as_str()))?;
    let fee_split = msg.fee_split.unwrap_or_default();
    fee_split.validate()?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        registry: validate_addr(deps.api, "registry", &msg.registry)?,
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        fee_split,
        model_count: 0,
    };
    check_wiring(&config, &env)?;
    CONFIG.save(deps.storage, &config)?;
    OWED_EARNINGS.save(deps.storage, &Uint128::zero())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("registry", config.registry)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("fee_split", split_attr(&config.fee_split)))
}

fn split_attr(s: &FeeSplit) -> String {
    format!(
        "datanets:{},model_owner:{},stakers:{},treasury:{}",
        s.datanets_bps, s.model_owner_bps, s.stakers_bps, s.treasury_bps
    )
}

/// The cw20 hook: only the configured token may deliver it; the payer is the cw20 `sender`.
pub fn receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let received =
        openledger_common::hook::receive::<ReceiveMsg>(&config.token, &info.sender, wrapper)?;
    let payer = validate_addr(deps.api, "sender", &received.sender)?;
    match received.msg {
        ReceiveMsg::PurchaseLicense {
            model_id,
            tier_id,
            terms,
        } => purchase_license(
            deps,
            env,
            config,
            payer,
            received.amount,
            (model_id, tier_id),
            &terms,
        ),
        ReceiveMsg::PayInference(item) => pay_inferences(
            deps,
            env,
            config,
            payer,
            received.amount,
            vec![item],
            "pay_inference",
        ),
        ReceiveMsg::PayInferences { items } => pay_inferences(
            deps,
            env,
            config,
            payer,
            received.amount,
            items,
            "pay_inferences",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/// Registers a model owned by the sender. Cheap checks first; the registry is queried last
/// (one query per lineage entry).
pub fn register_model(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    new: NewModel,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    validate_text("name", &new.name, 1, MAX_NAME_LEN)?;
    validate_text("metadata_uri", &new.metadata_uri, 0, MAX_URI_LEN)?;
    let weights_hash = normalize_weights_hash(&new.weights_hash)?;
    if let Some(base) = &new.base_model {
        validate_text("base_model", base, 1, MAX_BASE_MODEL_LEN)?;
    }
    lineage_attribution(&new.lineage)?;
    if new.inference_fee.is_zero() {
        return Err(ContractError::ZeroFee);
    }
    validate_tiers(&new.tiers)?;
    let hosts = validate_hosts(deps.api, new.hosts)?;
    check_lineage_published(&deps.querier, &config.registry, &new.lineage)?;

    config.model_count = add_u64(config.model_count, 1)?;
    let id = config.model_count;
    CONFIG.save(deps.storage, &config)?;

    let lineage_attr = new
        .lineage
        .iter()
        .map(|e| format!("{}:{}:{}", e.datanet_id, e.version, e.weight_bps))
        .collect::<Vec<_>>()
        .join(",");
    for e in &new.lineage {
        MODELS_BY_DATANET.save(deps.storage, (e.datanet_id, id), &Empty {})?;
    }
    let model = Model {
        owner: info.sender.clone(),
        pending_owner: None,
        name: new.name,
        metadata_uri: new.metadata_uri,
        weights_hash,
        base_model: new.base_model,
        lineage: new.lineage,
        inference_fee: new.inference_fee,
        tiers: new.tiers,
        hosts,
        status: ModelStatus::Active,
        created_at: env.block.time,
    };
    MODELS.save(deps.storage, id, &model)?;
    MODEL_STATS.save(deps.storage, id, &ModelStats::default())?;

    Ok(Response::new()
        .add_attribute("action", "register_model")
        .add_attribute("model_id", id.to_string())
        .add_attribute("owner", info.sender)
        .add_attribute("name", model.name)
        .add_attribute("weights_hash", model.weights_hash)
        .add_attribute("lineage", lineage_attr)
        .add_attribute("inference_fee", model.inference_fee)
        .add_attribute("tiers", model.tiers.len().to_string())
        .add_attribute("hosts", model.hosts.len().to_string()))
}

pub fn update_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
    metadata_uri: Option<String>,
    inference_fee: Option<Uint128>,
    tiers: Option<Vec<LicenseTier>>,
    hosts: Option<Vec<Host>>,
) -> Result<Response, ContractError> {
    let mut model = load_model(deps.storage, model_id)?;
    assert_model_owner(&model, model_id, &info.sender)?;
    if model.status == ModelStatus::Retired {
        return Err(ContractError::ModelRetired { model_id });
    }
    if metadata_uri.is_none() && inference_fee.is_none() && tiers.is_none() && hosts.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut res = Response::new()
        .add_attribute("action", "update_model")
        .add_attribute("model_id", model_id.to_string());
    if let Some(uri) = metadata_uri {
        validate_text("metadata_uri", &uri, 0, MAX_URI_LEN)?;
        res = res.add_attribute("metadata_uri", &uri);
        model.metadata_uri = uri;
    }
    if let Some(fee) = inference_fee {
        if fee.is_zero() {
            return Err(ContractError::ZeroFee);
        }
        model.inference_fee = fee;
        res = res.add_attribute("inference_fee", fee);
    }
    if let Some(tiers) = tiers {
        validate_tiers(&tiers)?;
        res = res.add_attribute("tiers", tiers.len().to_string());
        model.tiers = tiers;
    }
    if let Some(hosts) = hosts {
        model.hosts = validate_hosts(deps.api, hosts)?;
        res = res.add_attribute("hosts", model.hosts.len().to_string());
    }
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(res)
}

/// Retiring is final: a retired model takes no status change.
pub fn set_model_status(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
    status: ModelStatus,
) -> Result<Response, ContractError> {
    let mut model = load_model(deps.storage, model_id)?;
    assert_model_owner(&model, model_id, &info.sender)?;
    if model.status == ModelStatus::Retired {
        return Err(ContractError::ModelRetired { model_id });
    }
    let previous = std::mem::replace(&mut model.status, status);
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "set_model_status")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("previous_status", status_name(&previous))
        .add_attribute("status", status_name(&status)))
}

/// Proposes a new owner; proposing the current owner cancels a pending transfer.
pub fn transfer_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
    new_owner: String,
) -> Result<Response, ContractError> {
    let mut model = load_model(deps.storage, model_id)?;
    assert_model_owner(&model, model_id, &info.sender)?;
    let new_owner = validate_addr(deps.api, "new_owner", &new_owner)?;
    let cancelled = new_owner == model.owner;
    model.pending_owner = if cancelled {
        None
    } else {
        Some(new_owner.clone())
    };
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_model")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("owner", info.sender)
        .add_attribute("pending_owner", new_owner)
        .add_attribute("cancelled", cancelled.to_string()))
}

/// The proposed owner takes the model; its future owner shares are credited to them.
pub fn accept_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
) -> Result<Response, ContractError> {
    let mut model = load_model(deps.storage, model_id)?;
    if model.pending_owner.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotPendingOwner { model_id });
    }
    let previous = std::mem::replace(&mut model.owner, info.sender.clone());
    model.pending_owner = None;
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "accept_model")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("previous_owner", previous)
        .add_attribute("owner", info.sender))
}

// ---------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------

/// Pays 1..=50 inferences with the `amount` that came with the hook. Everything is checked
/// before anything is written: models active, ids valid and unused, the amount equal to the sum
/// of the fees, then each attribution and its receipt signature, then that the aggregated
/// allocations fit one `distribute`.
pub fn pay_inferences(
    deps: DepsMut,
    env: Env,
    config: Config,
    payer: Addr,
    amount: Uint128,
    items: Vec<InferencePayment>,
    action: &str,
) -> Result<Response, ContractError> {
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(ContractError::BatchSize {
            got: items.len() as u64,
            max: MAX_BATCH as u64,
        });
    }

    // Pass 1: models, ids, replay (ids are per payer), the fee. Each model is loaded once per
    // message.
    let legacy = HAS_LEGACY_INFERENCES
        .may_load(deps.storage)?
        .unwrap_or(false);
    let mut models: BTreeMap<ModelId, (Model, ModelStats)> = BTreeMap::new();
    let mut seen: BTreeSet<(ModelId, &str)> = BTreeSet::new();
    let mut expected = Uint128::zero();
    for item in &items {
        let model_id = item.model_id;
        let fee = match models.entry(model_id) {
            Entry::Occupied(e) => e.get().0.inference_fee,
            Entry::Vacant(e) => {
                let model = load_model(deps.storage, model_id)?;
                assert_active(&model, model_id)?;
                let stats = load_stats(deps.storage, model_id)?;
                e.insert((model, stats)).0.inference_fee
            }
        };
        validate_inference_id(&item.inference_id)?;
        if !seen.insert((model_id, item.inference_id.as_str())) {
            return Err(ContractError::DuplicateInference {
                model_id,
                inference_id: item.inference_id.clone(),
            });
        }
        if inference_used(deps.storage, legacy, model_id, &payer, &item.inference_id)? {
            return Err(ContractError::InferenceAlreadyPaid {
                model_id,
                payer: payer.to_string(),
                inference_id: item.inference_id.clone(),
            });
        }
        expected = expected.checked_add(fee)?;
    }
    if amount != expected {
        return Err(ContractError::FeeMismatch {
            expected,
            received: amount,
        });
    }

    // Pass 2: attributions and receipts, the split, the records (nothing written yet).
    let recorded_at = env.block.time.nanos();
    let mut ledger = Ledger::default();
    let mut records: Vec<(ModelId, &str, PayerInference)> = Vec::with_capacity(items.len());
    let mut signed = 0u64;
    let mut res = Response::new()
        .add_attribute("action", action)
        .add_attribute("payer", payer.as_str())
        .add_attribute("fee", amount)
        .add_attribute("count", items.len().to_string());
    if let [item] = items.as_slice() {
        res = res
            .add_attribute("model_id", item.model_id.to_string())
            .add_attribute("inference_id", &item.inference_id);
    }
    for item in &items {
        let model_id = item.model_id;
        let Some((model, stats)) = models.get_mut(&model_id) else {
            return Err(ContractError::ModelNotFound { model_id });
        };
        let fee = model.inference_fee;
        let attribution = match (&item.attribution, &item.receipt_signature) {
            (None, None) => model.lineage_attribution(),
            (None, Some(_)) => return Err(ContractError::UnexpectedReceiptSignature),
            (Some(shares), signature) => {
                let attribution = check_attribution(model, model_id, shares)?;
                let signature = signature
                    .as_ref()
                    .ok_or(ContractError::MissingReceiptSignature)?;
                let receipt = Receipt {
                    chain_id: env.block.chain_id.clone(),
                    contract: env.contract.address.to_string(),
                    model_id,
                    inference_id: item.inference_id.clone(),
                    payer: payer.to_string(),
                    fee,
                    attribution: shares.clone(),
                };
                let hash = receipt.hash()?;
                if !receipt_signed_by_host(deps.api, model, &hash, signature.as_slice()) {
                    return Err(ContractError::InvalidReceiptSignature {
                        model_id,
                        inference_id: item.inference_id.clone(),
                    });
                }
                signed += 1;
                attribution
            }
        };
        let q = quote(&config.fee_split, fee, &attribution)?;
        ledger.add(&model.owner, &q)?;
        stats.paid_inferences = add_u64(stats.paid_inferences, 1)?;
        stats.inference_revenue = stats.inference_revenue.checked_add(fee)?;
        records.push((
            model_id,
            item.inference_id.as_str(),
            PayerInference {
                fee,
                attribution: item
                    .attribution
                    .as_ref()
                    .map(|a| a.iter().map(|s| (s.datanet_id, s.weight_bps)).collect()),
                licensed: false,
                recorded_at,
            },
        ));
        res = res.add_attribute("inference", format!("{model_id}:{}", item.inference_id));
    }
    let allocations = ledger.allocations()?;

    // Pass 3: write.
    for (model_id, inference_id, record) in &records {
        INFERENCES.save(deps.storage, (*model_id, &payer, inference_id), record)?;
    }
    for (model_id, (_, stats)) in &models {
        MODEL_STATS.save(deps.storage, *model_id, stats)?;
    }
    res = res.add_attribute("signed", signed.to_string());
    settle(deps.storage, &config, &ledger, allocations, res)
}

/// Buys or extends a licence. The buyer's `terms` must equal the tier's current terms (a tier
/// rewritten in front of the purchase is refused, naming the field) and the amount its price.
/// An unexpired licence of the same tier is extended (term and quota added) when its kind of
/// terms matches the tier's (same `commercial`, both limited or both unlimited) and the new end
/// is at most `MAX_LICENSE_TERM` from now; an unexpired licence of another tier is refused;
/// otherwise a new licence starts now. The price is split like an inference fee, with the
/// lineage weights.
pub fn purchase_license(
    deps: DepsMut,
    env: Env,
    config: Config,
    licensee: Addr,
    amount: Uint128,
    (model_id, tier_id): (ModelId, u32),
    terms: &LicenseTerms,
) -> Result<Response, ContractError> {
    let model = load_model(deps.storage, model_id)?;
    assert_active(&model, model_id)?;
    let tier = model
        .tiers
        .iter()
        .find(|t| t.id == tier_id)
        .ok_or(ContractError::UnknownTier { model_id, tier_id })?;
    validate_tier(tier)?;
    if let Some((field, expected, current)) = terms_difference(terms, tier) {
        return Err(ContractError::TermsChanged {
            model_id,
            tier_id,
            field: field.to_string(),
            expected,
            current,
        });
    }
    if amount != tier.price {
        return Err(ContractError::FeeMismatch {
            expected: tier.price,
            received: amount,
        });
    }
    let now = env.block.time;
    let current = LICENSES
        .may_load(deps.storage, (&licensee, model_id))?
        .filter(|l| now < l.expires_at);
    let (license, extended) = match current {
        Some(l) if l.tier_id == tier_id => (extend_license(&l, tier, model_id, now)?, true),
        Some(l) => {
            return Err(ContractError::LicenseActive {
                model_id,
                expires_at: l.expires_at,
            })
        }
        None => (
            License {
                tier_id,
                expires_at: add_seconds(now, tier.duration)?,
                inference_quota: tier.inference_quota,
                inferences_used: 0,
                commercial: tier.commercial,
            },
            false,
        ),
    };
    let mut ledger = Ledger::default();
    let q = quote(&config.fee_split, amount, &model.lineage_attribution())?;
    ledger.add(&model.owner, &q)?;
    let allocations = ledger.allocations()?;

    LICENSES.save(deps.storage, (&licensee, model_id), &license)?;
    let mut stats = load_stats(deps.storage, model_id)?;
    stats.licenses_sold = add_u64(stats.licenses_sold, 1)?;
    stats.license_revenue = stats.license_revenue.checked_add(amount)?;
    MODEL_STATS.save(deps.storage, model_id, &stats)?;

    let res = Response::new()
        .add_attribute("action", "purchase_license")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("tier_id", tier_id.to_string())
        .add_attribute("licensee", licensee)
        .add_attribute("fee", amount)
        .add_attribute("duration", tier.duration.to_string())
        .add_attribute("commercial", license.commercial.to_string())
        .add_attribute("extended", extended.to_string())
        .add_attribute("expires_at", license.expires_at.to_string())
        .add_attribute("inference_quota", quota_text(license.inference_quota));
    settle(deps.storage, &config, &ledger, allocations, res)
}

/// An unexpired licence `l` of `tier` extended by one more purchase of it: the term runs on
/// from the old end and the quotas add up. Refused when the licence's terms are of another kind
/// than the tier's now (merging would take commercial use or an unlimited quota away from the
/// paid remainder, or give them to the extension for free), or when the new end would be more
/// than `MAX_LICENSE_TERM` from `now`.
fn extend_license(
    l: &License,
    tier: &LicenseTier,
    model_id: ModelId,
    now: Timestamp,
) -> Result<License, ContractError> {
    let differs =
        |field: &str, licence: String, tier_value: String| ContractError::ExtensionTermsDiffer {
            model_id,
            tier_id: tier.id,
            field: field.to_string(),
            licence,
            tier: tier_value,
        };
    if l.commercial != tier.commercial {
        return Err(differs(
            "commercial",
            l.commercial.to_string(),
            tier.commercial.to_string(),
        ));
    }
    let inference_quota = match (l.inference_quota, tier.inference_quota) {
        (Some(a), Some(b)) => Some(add_u64(a, b)?),
        (None, None) => None,
        (a, b) => return Err(differs("inference_quota", quota_text(a), quota_text(b))),
    };
    let expires_at = add_seconds(l.expires_at, tier.duration)?;
    let max_expires_at = add_seconds(now, MAX_LICENSE_TERM)?;
    if expires_at > max_expires_at {
        return Err(ContractError::LicenseTermTooLong {
            model_id,
            expires_at,
            max_expires_at,
        });
    }
    Ok(License {
        tier_id: tier.id,
        expires_at,
        inference_quota,
        inferences_used: l.inferences_used,
        commercial: l.commercial,
    })
}

fn add_seconds(t: Timestamp, seconds: u64) -> Result<Timestamp, ContractError> {
    let nanos = seconds
        .checked_mul(1_000_000_000)
        .and_then(|n| t.nanos().checked_add(n))
        .ok_or(OverflowError::new(OverflowOperation::Add))?;
    Ok(Timestamp::from_nanos(nanos))
}

/// The licensee records an inference its licence covers (within term and quota). Its id is
/// the licensee's: it cannot block an id another payer uses.
pub fn record_licensed_inference(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    model_id: ModelId,
    inference_id: String,
) -> Result<Response, ContractError> {
    let model = load_model(deps.storage, model_id)?;
    assert_active(&model, model_id)?;
    let mut license = LICENSES
        .may_load(deps.storage, (&info.sender, model_id))?
        .ok_or(ContractError::NoLicense { model_id })?;
    if env.block.time >= license.expires_at {
        return Err(ContractError::LicenseExpired {
            model_id,
            expired_at: license.expires_at,
        });
    }
    if let Some(quota) = license.inference_quota {
        if license.inferences_used >= quota {
            return Err(ContractError::QuotaExhausted { model_id, quota });
        }
    }
    validate_inference_id(&inference_id)?;
    let legacy = HAS_LEGACY_INFERENCES
        .may_load(deps.storage)?
        .unwrap_or(false);
    if inference_used(deps.storage, legacy, model_id, &info.sender, &inference_id)? {
        return Err(ContractError::InferenceAlreadyPaid {
            model_id,
            payer: info.sender.to_string(),
            inference_id,
        });
    }
    license.inferences_used = add_u64(license.inferences_used, 1)?;
    LICENSES.save(deps.storage, (&info.sender, model_id), &license)?;
    INFERENCES.save(
        deps.storage,
        (model_id, &info.sender, &inference_id),
        &PayerInference {
            fee: Uint128::zero(),
            attribution: None,
            licensed: true,
            recorded_at: env.block.time.nanos(),
        },
    )?;
    let mut stats = load_stats(deps.storage, model_id)?;
    stats.licensed_inferences = add_u64(stats.licensed_inferences, 1)?;
    MODEL_STATS.save(deps.storage, model_id, &stats)?;
    Ok(Response::new()
        .add_attribute("action", "record_licensed_inference")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("inference_id", inference_id)
        .add_attribute("licensee", info.sender)
        .add_attribute("inferences_used", license.inferences_used.to_string()))
}

/// Pays the sender every model-owner share credited to them, in one cw20 transfer.
pub fn withdraw_earnings(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let amount = EARNINGS
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if amount.is_zero() {
        return Err(ContractError::NothingToWithdraw);
    }
    EARNINGS.remove(deps.storage, &info.sender);
    let owed = OWED_EARNINGS.load(deps.storage)?.checked_sub(amount)?;
    OWED_EARNINGS.save(deps.storage, &owed)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&info.sender, amount)?)
        .add_attribute("action", "withdraw_earnings")
        .add_attribute("recipient", info.sender)
        .add_attribute("amount", amount))
}

// ---------------------------------------------------------------------------------------------
// Contract administration
// ---------------------------------------------------------------------------------------------

pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    fee_split: Option<FeeSplit>,
    reward_pool: Option<String>,
    registry: Option<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if fee_split.is_none() && reward_pool.is_none() && registry.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(split) = fee_split {
        split.validate()?;
        config.fee_split = split;
    }
    if let Some(pool) = reward_pool {
        config.reward_pool = validate_addr(deps.api, "reward_pool", &pool)?;
    }
    if let Some(registry) = registry {
        config.registry = validate_addr(deps.api, "registry", &registry)?;
    }
    check_wiring(&config, &env)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("fee_split", split_attr(&config.fee_split))
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("registry", config.registry))
}

pub fn update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, &info.sender, action)?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}
