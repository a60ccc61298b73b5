//! Query handlers. Each returns its typed `…Response` (the entry point serialises it); list
//! queries take `start_after` (exclusive) and `limit` (1..=50, default 10; anything else is
//! refused).

use cosmwasm_std::{Addr, Deps, Env, Order, StdResult, Timestamp, Uint128};
use cw_storage_plus::Bound;
use openledger_common::attribution::{AttributionShare, DatanetId};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::model_licensing::{
    AncestorResponse, ConfigResponse, FeeQuoteResponse, Host, InferenceIo, InferenceResponse,
    LicenseResponse, LicensesResponse, LicensingSolvencyResponse, ModelAncestryResponse, ModelId,
    ModelResponse, ModelStatsResponse, ModelsResponse,
};
use openledger_common::pagination::{after, page};
use openledger_common::{page_limit, validate_addr};

use crate::error::ContractError;
use crate::split::{quote, Ancestors};
use crate::state::{
    legacy_inference, Ancestry, License, Model, ModelStats, CONFIG, EARNINGS, INFERENCES, LICENSES,
    MODELS, MODELS_BY_DATANET, MODEL_COUNT, OWED_EARNINGS,
};

/// The configuration and the number of models registered.
pub fn config(deps: Deps) -> StdResult<ConfigResponse> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        token: c.token,
        registry: c.registry,
        reward_pool: c.reward_pool,
        fee_split: c.fee_split,
        model_count: MODEL_COUNT.load(deps.storage)?,
    })
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

/// One model (`ModelNotFound`).
pub fn model(deps: Deps, model_id: ModelId) -> Result<ModelResponse, ContractError> {
    Ok(model_response(
        model_id,
        Model::load(deps.storage, model_id)?,
    ))
}

/// Models by id: all, an owner's, or those trained on a datanet (not both filters).
pub fn models(
    deps: Deps,
    owner: Option<String>,
    datanet_id: Option<DatanetId>,
    start_after: Option<ModelId>,
    limit: Option<u32>,
) -> Result<ModelsResponse, ContractError> {
    let limit = page_limit(limit)?;
    let min = after(start_after);
    let entries = match (owner, datanet_id) {
        (Some(_), Some(_)) => return Err(ContractError::ConflictingFilters),
        (Some(owner), None) => {
            let owner = validate_addr(deps.api, "owner", &owner)?;
            let by_owner = MODELS.idx.owner.prefix(owner);
            by_owner.range(deps.storage, min, None, Order::Ascending)
        }
        (None, Some(datanet_id)) => return models_trained_on(deps, datanet_id, min, limit),
        (None, None) => MODELS.range(deps.storage, min, None, Order::Ascending),
    };
    let models = page(entries, limit, model_response)?;
    Ok(ModelsResponse { models })
}

/// A page of the models trained on datanet `datanet_id` (through the lineage index), by id.
fn models_trained_on(
    deps: Deps,
    datanet_id: DatanetId,
    min: Option<Bound<ModelId>>,
    limit: usize,
) -> Result<ModelsResponse, ContractError> {
    let models = MODELS_BY_DATANET
        .prefix(datanet_id)
        .keys(deps.storage, min, None, Order::Ascending)
        .take(limit)
        .map(|id| {
            let id = id?;
            Ok(model_response(id, Model::load(deps.storage, id)?))
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(ModelsResponse { models })
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

/// `licensee`'s licence of a model (`NoLicense`).
pub fn license(
    deps: Deps,
    model_id: ModelId,
    licensee: String,
) -> Result<LicenseResponse, ContractError> {
    let licensee = validate_addr(deps.api, "licensee", &licensee)?;
    let l = License::load(deps.storage, &licensee, model_id)?;
    Ok(license_response(model_id, licensee, l))
}

/// A licensee's licences by model id.
pub fn licenses(
    deps: Deps,
    licensee: String,
    start_after: Option<ModelId>,
    limit: Option<u32>,
) -> Result<LicensesResponse, ContractError> {
    let limit = page_limit(limit)?;
    let licensee = validate_addr(deps.api, "licensee", &licensee)?;
    let entries =
        LICENSES
            .prefix(&licensee)
            .range(deps.storage, after(start_after), None, Order::Ascending);
    let licenses = page(entries, limit, |id, l| {
        license_response(id, licensee.clone(), l)
    })?;
    Ok(LicensesResponse { licenses })
}

/// A model's counters (`ModelNotFound`).
pub fn model_stats(deps: Deps, model_id: ModelId) -> Result<ModelStatsResponse, ContractError> {
    Model::load(deps.storage, model_id)?;
    let s = ModelStats::load(deps.storage, model_id)?;
    Ok(ModelStatsResponse {
        model_id,
        paid_inferences: s.paid_inferences,
        licensed_inferences: s.licensed_inferences,
        licenses_sold: s.licenses_sold,
        inference_revenue: s.inference_revenue,
        license_revenue: s.license_revenue,
        hosts_revenue: s.hosts_revenue,
    })
}

/// The inference `payer` paid or recorded under `inference_id`: its record, or a 0.2.0 record
/// of that id whose payer it is.
pub fn inference(
    deps: Deps,
    model_id: ModelId,
    payer: String,
    inference_id: String,
) -> Result<InferenceResponse, ContractError> {
    let payer = validate_addr(deps.api, "payer", &payer)?;
    let record = match INFERENCES.may_load(deps.storage, (model_id, &payer, &inference_id))? {
        Some(r) => Some(r),
        None => legacy_inference(deps.storage, model_id, &payer, &inference_id)?.map(|r| r.record),
    };
    let r = record.ok_or_else(|| ContractError::InferenceNotFound {
        model_id,
        payer: payer.to_string(),
        inference_id: inference_id.clone(),
    })?;
    Ok(InferenceResponse {
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
        io: r.io.map(|(input_hash, output_hash)| InferenceIo {
            input_hash,
            output_hash,
        }),
    })
}

/// The split a payment of the model's inference fee with `attribution` (or the lineage
/// weights) would produce, a derived model's ancestors included. The attribution is checked like
/// a payment's (vector and lineage); no signature is needed and the model's status is not
/// checked.
pub fn fee_quote(
    deps: Deps,
    model_id: ModelId,
    attribution: Option<Vec<AttributionShare>>,
) -> Result<FeeQuoteResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let m = Model::load(deps.storage, model_id)?;
    let attribution = match attribution {
        Some(shares) => m.check_attribution(model_id, &shares)?,
        None => m.lineage_attribution(),
    };
    let ancestry = Ancestry::load(deps.storage, model_id)?;
    let payout = Ancestors::default().payout(deps.storage, &m, &ancestry, &attribution)?;
    Ok(quote(&config.fee_split, m.inference_fee, &payout)?)
}

/// A model's parents and flattened ancestry (`ModelNotFound`); at most 16 ancestors, each
/// loaded once.
pub fn model_ancestry(
    deps: Deps,
    model_id: ModelId,
) -> Result<ModelAncestryResponse, ContractError> {
    Model::load(deps.storage, model_id)?;
    let ancestry = Ancestry::load(deps.storage, model_id)?;
    let own_share_bps = ancestry.own_share_bps()?;
    let ancestors = ancestry
        .ancestors
        .into_iter()
        .map(|a| {
            let m = Model::load(deps.storage, a.model_id)?;
            Ok(AncestorResponse {
                model_id: a.model_id,
                owner: m.owner,
                status: m.status,
                depth: a.depth,
                reach_bps: a.reach_bps,
                share_bps: a.share_bps,
                lineage: m.lineage,
            })
        })
        .collect::<Result<_, ContractError>>()?;
    Ok(ModelAncestryResponse {
        model_id,
        depth: ancestry.depth,
        parents: ancestry.parents,
        own_share_bps,
        ancestors,
    })
}

/// What is credited to `address` and not yet withdrawn: its owner shares and the hosts' parts
/// of the fees it served.
pub fn earnings(deps: Deps, address: String) -> Result<Uint128, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    Ok(EARNINGS
        .may_load(deps.storage, &address)?
        .unwrap_or_default())
}

/// The token balance against the owed earnings.
pub fn solvency(deps: Deps, env: Env) -> StdResult<LicensingSolvencyResponse> {
    let config = CONFIG.load(deps.storage)?;
    let owed_earnings = OWED_EARNINGS.load(deps.storage)?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    Ok(LicensingSolvencyResponse {
        balance,
        owed_earnings,
        solvent: balance >= owed_earnings,
    })
}

/// The contract's ownership (cw-ownable).
pub fn ownership(deps: Deps) -> StdResult<cw_ownable::Ownership<Addr>> {
    cw_ownable::get_ownership(deps.storage)
}
