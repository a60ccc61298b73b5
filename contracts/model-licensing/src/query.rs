//! Query handlers. Each returns the JSON of its `…Response`; list queries take `start_after`
//! (exclusive) and `limit` (1..=50, default 10; anything else is refused).

use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, Timestamp, Uint128};
use cw_storage_plus::Bound;
use openledger_common::attribution::{AttributionShare, DatanetId};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::model_licensing::{
    ConfigResponse, Host, InferenceResponse, LicenseResponse, LicensesResponse,
    LicensingSolvencyResponse, ModelId, ModelResponse, ModelStatsResponse, ModelsResponse,
};
use openledger_common::{page_limit, validate_addr};

use crate::error::ContractError;
use crate::execute::{check_attribution, load_model};
use crate::split::quote;
use crate::state::{
    legacy_inference, License, Model, PayerInference, CONFIG, EARNINGS, INFERENCES, LICENSES,
    MODELS, MODELS_BY_DATANET, MODEL_STATS, OWED_EARNINGS,
};

pub fn config(deps: Deps) -> Result<Binary, ContractError> {
    let c = CONFIG.load(deps.storage)?;
    Ok(to_json_binary(&ConfigResponse {
        token: c.token,
        registry: c.registry,
        reward_pool: c.reward_pool,
        fee_split: c.fee_split,
        model_count: c.model_count,
    })?)
}

fn model_response(id: ModelId, m: Model) -> ModelResponse {
    ModelResponse {
        id,
        owner: m.owner,
        pending_owner: m.pending_owner,
        name: m.name,
        metadata_uri: m.metadata_uri,
        weights_hash: m.weights_hash,
        base_model: m.base_model,
        lineage: m.lineage,
        inference_fee: m.inference_fee,
        tiers: m.tiers,
        hosts: m
            .hosts
            .into_iter()
            .map(|h| Host {
                address: h.address.into_string(),
                pubkey: h.pubkey,
            })
            .collect(),
        status: m.status,
        created_at: m.created_at,
    }
}

pub fn model(deps: Deps, model_id: ModelId) -> Result<Binary, ContractError> {
    let m = load_model(deps.storage, model_id)?;
    Ok(to_json_binary(&model_response(model_id, m))?)
}

pub fn models(
    deps: Deps,
    owner: Option<String>,
    datanet_id: Option<DatanetId>,
    start_after: Option<ModelId>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    let min = start_after.map(Bound::exclusive);
    let page: Vec<(ModelId, Model)> = match (owner, datanet_id) {
        (Some(_), Some(_)) => return Err(ContractError::ConflictingFilters),
        (Some(owner), None) => {
            let owner = validate_addr(deps.api, "owner", &owner)?;
            MODELS
                .idx
                .owner
                .prefix(owner)
                .range(deps.storage, min, None, Order::Ascending)
                .take(limit)
                .collect::<Result<_, _>>()?
        }
        (None, Some(datanet_id)) => MODELS_BY_DATANET
            .prefix(datanet_id)
            .keys(deps.storage, min, None, Order::Ascending)
            .take(limit)
            .map(|id| {
                let id = id?;
                Ok((id, load_model(deps.storage, id)?))
            })
            .collect::<Result<_, ContractError>>()?,
        (None, None) => MODELS
            .range(deps.storage, min, None, Order::Ascending)
            .take(limit)
            .collect::<Result<_, _>>()?,
    };
    let models = page
        .into_iter()
        .map(|(id, m)| model_response(id, m))
        .collect();
    Ok(to_json_binary(&ModelsResponse { models })?)
}

fn license_response(model_id: ModelId, licensee: Addr, l: License) -> LicenseResponse {
    LicenseResponse {
        model_id,
        licensee,
        tier_id: l.tier_id,
        expires_at: l.expires_at,
        inference_quota: l.inference_quota,
        inferences_used: l.inferences_used,
        commercial: l.commercial,
    }
}

pub fn license(deps: Deps, model_id: ModelId, licensee: String) -> Result<Binary, ContractError> {
    let licensee = validate_addr(deps.api, "licensee", &licensee)?;
    let l = LICENSES
        .may_load(deps.storage, (&licensee, model_id))?
        .ok_or(ContractError::NoLicense { model_id })?;
    Ok(to_json_binary(&license_response(model_id, licensee, l))?)
}

pub fn licenses(
    deps: Deps,
    licensee: String,
    start_after: Option<ModelId>,
    limit: Option<u32>,
) -> Result<Binary, ContractError> {
    let limit = page_limit(limit)?;
    let licensee = validate_addr(deps.api, "licensee", &licensee)?;
    let licenses = LICENSES
        .prefix(&licensee)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|r| r.map(|(id, l)| license_response(id, licensee.clone(), l)))
        .collect::<Result<_, _>>()?;
    Ok(to_json_binary(&LicensesResponse { licenses })?)
}

pub fn model_stats(deps: Deps, model_id: ModelId) -> Result<Binary, ContractError> {
    load_model(deps.storage, model_id)?;
    let s = MODEL_STATS
        .may_load(deps.storage, model_id)?
        .unwrap_or_default();
    Ok(to_json_binary(&ModelStatsResponse {
        model_id,
        paid_inferences: s.paid_inferences,
        licensed_inferences: s.licensed_inferences,
        licenses_sold: s.licenses_sold,
        inference_revenue: s.inference_revenue,
        license_revenue: s.license_revenue,
    })?)
}

/// The inference `payer` paid or recorded under `inference_id`: its record, or a 0.2.0 record
/// of that id whose payer it is.
pub fn inference(
    deps: Deps,
    model_id: ModelId,
    payer: String,
    inference_id: String,
) -> Result<Binary, ContractError> {
    let payer = validate_addr(deps.api, "payer", &payer)?;
    let record = match INFERENCES.may_load(deps.storage, (model_id, &payer, &inference_id))? {
        Some(r) => Some(r),
        None => legacy_inference(deps.storage, model_id, &payer, &inference_id)?.map(|r| {
            PayerInference {
                fee: r.fee,
                attribution: r.attribution,
                licensed: r.licensed,
                recorded_at: r.recorded_at,
            }
        }),
    };
    let r = record.ok_or_else(|| ContractError::InferenceNotFound {
        model_id,
        payer: payer.to_string(),
        inference_id: inference_id.clone(),
    })?;
    Ok(to_json_binary(&InferenceResponse {
        model_id,
        inference_id,
        payer,
        fee: r.fee,
        attribution: r.attribution.map(|a| {
            a.into_iter()
                .map(|(datanet_id, weight_bps)| AttributionShare {
                    datanet_id,
                    weight_bps,
                })
                .collect()
        }),
        licensed: r.licensed,
        recorded_at: Timestamp::from_nanos(r.recorded_at),
    })?)
}

/// The split a payment of the model's inference fee with `attribution` (or the lineage
/// weights) would produce. The attribution is checked like a payment's (vector and lineage);
/// no signature is needed and the model's status is not checked.
pub fn fee_quote(
    deps: Deps,
    model_id: ModelId,
    attribution: Option<Vec<AttributionShare>>,
) -> Result<Binary, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let m = load_model(deps.storage, model_id)?;
    let attribution = match attribution {
        Some(shares) => check_attribution(&m, model_id, &shares)?,
        None => m.lineage_attribution(),
    };
    Ok(to_json_binary(&quote(
        &config.fee_split,
        m.inference_fee,
        &attribution,
    )?)?)
}

pub fn earnings(deps: Deps, address: String) -> Result<Binary, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    let amount: Uint128 = EARNINGS
        .may_load(deps.storage, &address)?
        .unwrap_or_default();
    Ok(to_json_binary(&amount)?)
}

pub fn solvency(deps: Deps, env: Env) -> Result<Binary, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let owed_earnings = OWED_EARNINGS.load(deps.storage)?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    Ok(to_json_binary(&LicensingSolvencyResponse {
        balance,
        owed_earnings,
        solvent: balance >= owed_earnings,
    })?)
}

pub fn ownership(deps: Deps) -> Result<Binary, ContractError> {
    Ok(to_json_binary(&cw_ownable::get_ownership(deps.storage)?)?)
}
