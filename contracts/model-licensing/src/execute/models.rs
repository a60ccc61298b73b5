//! Models: registration, updates by the owner, status and the two-step transfer.

use cosmwasm_std::{DepsMut, Empty, Env, MessageInfo, Response, Uint128};
use openledger_common::item_owner::{accept, offer};
use openledger_common::msg::model_licensing::{
    Host, LicenseTier, ModelId, ModelStatus, NewModel, MAX_BASE_MODEL_LEN, MAX_NAME_LEN,
    MAX_URI_LEN,
};
use openledger_common::{normalize_hash, validate_addr, validate_text, Checked};

use crate::ancestry::derive;
use crate::error::ContractError;
use crate::state::{
    HostRecord, Model, ModelStats, ANCESTRY, CONFIG, MODELS, MODELS_BY_DATANET, MODEL_COUNT,
    MODEL_STATS,
};
use crate::validate::{check_lineage_published, validate_hosts, validate_lineage, validate_tiers};

/// Checks everything a new model carries that needs no query, in the order errors are
/// reported: texts, weights hash, lineage, fee, tiers, hosts. Returns the lower-case weights
/// hash and the validated hosts.
fn check_new_model(
    deps: &DepsMut,
    new: &mut NewModel,
) -> Result<(String, Vec<HostRecord>), ContractError> {
    validate_text("name", &new.name, 1, MAX_NAME_LEN)?;
    validate_text("metadata_uri", &new.metadata_uri, 0, MAX_URI_LEN)?;
    let weights_hash = normalize_hash("weights_hash", &new.weights_hash)?;
    if let Some(base) = &new.base_model {
        validate_text("base_model", base, 1, MAX_BASE_MODEL_LEN)?;
    }
    validate_lineage(&new.lineage)?;
    if new.inference_fee.is_zero() {
        return Err(ContractError::ZeroFee);
    }
    validate_tiers(&new.tiers)?;
    let hosts = validate_hosts(deps.api, std::mem::take(&mut new.hosts))?;
    Ok((weights_hash, hosts))
}

/// Registers a model owned by the sender. Cheap checks first, then the parents (see
/// `ancestry::derive`: a derived model's flattened ancestry is stored with it); the registry is
/// queried last (one query per lineage entry).
pub fn register_model(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    mut new: NewModel,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let (weights_hash, hosts) = check_new_model(&deps, &mut new)?;
    let now = env.block.time;
    let ancestry = derive(deps.storage, now, &info.sender, &new.lineage, &new.parents)?;
    check_lineage_published(&deps.querier, &config.registry, &new.lineage)?;

    let id = MODEL_COUNT.load(deps.storage)?.increment()?;
    MODEL_COUNT.save(deps.storage, &id)?;
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
    let (parents_attr, depth) = match &ancestry {
        Some(a) => {
            ANCESTRY.save(deps.storage, id, a)?;
            let parents = a
                .parents
                .iter()
                .map(|p| format!("{}:{}", p.model_id, p.royalty_bps));
            (parents.collect::<Vec<_>>().join(","), a.depth)
        }
        None => (String::new(), 0),
    };

    Ok(Response::new()
        .add_attribute("action", "register_model")
        .add_attribute("model_id", id.to_string())
        .add_attribute("owner", info.sender)
        .add_attribute("name", model.name)
        .add_attribute("weights_hash", model.weights_hash)
        .add_attribute("lineage", lineage_attr)
        .add_attribute("parents", parents_attr)
        .add_attribute("depth", depth.to_string())
        .add_attribute("inference_fee", model.inference_fee)
        .add_attribute("tiers", model.tiers.len().to_string())
        .add_attribute("hosts", model.hosts.len().to_string()))
}

/// The owner changes what may change (not the lineage) of a model that is not retired; at
/// least one field. `tiers` and `hosts` replace the old lists.
pub fn update_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
    metadata_uri: Option<String>,
    inference_fee: Option<Uint128>,
    tiers: Option<Vec<LicenseTier>>,
    hosts: Option<Vec<Host>>,
) -> Result<Response, ContractError> {
    let mut model = Model::load_owned(deps.storage, model_id, &info.sender)?;
    model.ensure_not_retired(model_id)?;
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
    let mut model = Model::load_owned(deps.storage, model_id, &info.sender)?;
    model.ensure_not_retired(model_id)?;
    let previous = std::mem::replace(&mut model.status, status);
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "set_model_status")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("previous_status", previous.as_str())
        .add_attribute("status", status.as_str()))
}

/// Proposes a new owner; proposing the current owner cancels a pending transfer.
pub fn transfer_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
    new_owner: String,
) -> Result<Response, ContractError> {
    let mut model = Model::load_owned(deps.storage, model_id, &info.sender)?;
    let new_owner = validate_addr(deps.api, "new_owner", &new_owner)?;
    let attributes = offer(&mut model, new_owner);
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_model")
        .add_attribute("model_id", model_id.to_string())
        .add_attributes(attributes))
}

/// The proposed owner takes the model; its future owner shares are credited to them.
pub fn accept_model(
    deps: DepsMut,
    info: MessageInfo,
    model_id: ModelId,
) -> Result<Response, ContractError> {
    let mut model = Model::load(deps.storage, model_id)?;
    let attributes =
        accept(&mut model, &info.sender).ok_or(ContractError::NotPendingOwner { model_id })?;
    MODELS.save(deps.storage, model_id, &model)?;
    Ok(Response::new()
        .add_attribute("action", "accept_model")
        .add_attribute("model_id", model_id.to_string())
        .add_attributes(attributes))
}
