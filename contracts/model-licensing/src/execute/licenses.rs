//! Licences: purchases and extensions (cw20 hook) and the inferences a licence covers.

use cosmwasm_std::{
    Addr, DepsMut, Env, MessageInfo, OverflowError, OverflowOperation, Response, Timestamp, Uint128,
};
use openledger_common::msg::model_licensing::{
    LicenseTerms, LicenseTier, ModelId, MAX_LICENSE_TERM,
};
use openledger_common::Checked;

use crate::error::ContractError;
use crate::execute::earnings::settle;
use crate::split::{quote, Ancestors, Ledger};
use crate::state::{
    has_legacy_inferences, inference_used, Ancestry, Config, License, Model, ModelStats,
    PayerInference, INFERENCES, LICENSES, MODEL_STATS,
};
use crate::validate::{validate_inference_id, validate_tier};

/// Buys or extends a licence. The buyer's `terms` must equal the tier's current terms (a tier
/// rewritten in front of the purchase is refused, naming the field) and the amount its price.
/// An unexpired licence of the same tier is extended (term and quota added) when its kind of
/// terms matches the tier's (same `commercial`, both limited or both unlimited) and the new end
/// is at most `MAX_LICENSE_TERM` from now; an unexpired licence of another tier is refused;
/// otherwise a new licence starts now. The price is split like an inference fee, with the
/// lineage weights (a derived model's price also pays its ancestors); no host serves a
/// purchase, so its hosts' part goes to the model's owner. A commercial licence is also the
/// right to register models derived from this one while it runs.
pub fn purchase_license(
    deps: DepsMut,
    env: Env,
    config: Config,
    licensee: Addr,
    amount: Uint128,
    (model_id, tier_id): (ModelId, u32),
    terms: &LicenseTerms,
) -> Result<Response, ContractError> {
    let model = Model::load_active(deps.storage, model_id)?;
    let tier = model.tier(model_id, tier_id)?;
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
    let ancestry = Ancestry::load(deps.storage, model_id)?;
    let attribution = model.lineage_attribution();
    let payout = Ancestors::default().payout(deps.storage, &model, &ancestry, &attribution)?;
    let q = quote(&config.fee_split, amount, &payout)?;
    ledger.add(&model.owner, None, &q)?;
    let allocations = ledger.allocations()?;

    LICENSES.save(deps.storage, (&licensee, model_id), &license)?;
    let mut stats = ModelStats::load(deps.storage, model_id)?;
    stats.licenses_sold.increment()?;
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

/// A quota as events and errors print it: a number, or `unlimited`.
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
        (Some(a), Some(b)) => Some(a.add_checked(b)?),
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

/// `t` plus `seconds`, or an overflow error.
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
    Model::load_active(deps.storage, model_id)?;
    let mut license = License::load(deps.storage, &info.sender, model_id)?;
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
    let legacy = has_legacy_inferences(deps.storage)?;
    if inference_used(deps.storage, legacy, model_id, &info.sender, &inference_id)? {
        return Err(ContractError::InferenceAlreadyPaid {
            model_id,
            payer: info.sender.to_string(),
            inference_id,
        });
    }
    license.inferences_used.increment()?;
    LICENSES.save(deps.storage, (&info.sender, model_id), &license)?;
    INFERENCES.save(
        deps.storage,
        (model_id, &info.sender, &inference_id),
        &PayerInference {
            fee: Uint128::zero(),
            attribution: None,
            licensed: true,
            recorded_at: env.block.time.nanos(),
            io: None,
        },
    )?;
    let mut stats = ModelStats::load(deps.storage, model_id)?;
    stats.licensed_inferences.increment()?;
    MODEL_STATS.save(deps.storage, model_id, &stats)?;
    Ok(Response::new()
        .add_attribute("action", "record_licensed_inference")
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("inference_id", inference_id)
        .add_attribute("licensee", info.sender)
        .add_attribute("inferences_used", license.inferences_used.to_string()))
}
