//! Checks of what messages carry: ids, lineages, tiers, hosts and the wiring of the contract to
//! its siblings. Text and hashes are checked by `openledger_common`'s `validate_text` and
//! `normalize_hash`, whose `ValidationError` the contract reports as `ContractError::Validation`.

use cosmwasm_std::{Addr, Api, QuerierWrapper};
use openledger_common::attribution::Attribution;
use openledger_common::handles::RegistryHandle;
use openledger_common::msg::model_licensing::{
    Host, LicenseTier, LineageEntry, MAX_HOSTS, MAX_INFERENCE_ID_LEN, MAX_TIERS, MAX_TIER_DURATION,
    MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
use openledger_common::validate::{check_not_reserved, validate_addr};

use crate::error::ContractError;
use crate::state::{lineage_attribution, Config, HostRecord};

/// Checks that an inference id is `1..=MAX_INFERENCE_ID_LEN` bytes long.
pub fn validate_inference_id(inference_id: &str) -> Result<(), ContractError> {
    if (1..=MAX_INFERENCE_ID_LEN).contains(&inference_id.len()) {
        Ok(())
    } else {
        Err(ContractError::InvalidInferenceId {
            max: MAX_INFERENCE_ID_LEN as u64,
        })
    }
}

/// The lineage as an attribution vector, validated: 1..=16 distinct datanets, non-zero
/// weights, sum 10 000.
pub fn validate_lineage(lineage: &[LineageEntry]) -> Result<Attribution, ContractError> {
    let attribution = lineage_attribution(lineage);
    attribution.validate()?;
    Ok(attribution)
}

/// Every lineage entry must name a version the registry has published (one query each; the
/// lineage holds at most 16 entries).
pub fn check_lineage_published(
    querier: &QuerierWrapper,
    registry: &Addr,
    lineage: &[LineageEntry],
) -> Result<(), ContractError> {
    let registry = RegistryHandle(registry.clone());
    for e in lineage {
        if registry.version(querier, e.datanet_id, e.version).is_err() {
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
pub fn validate_tier(t: &LicenseTier) -> Result<(), ContractError> {
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
pub fn validate_tiers(tiers: &[LicenseTier]) -> Result<(), ContractError> {
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

/// Whether `pubkey` has the SEC1 shape of a secp256k1 key: 33 bytes compressed (02/03) or 65
/// bytes uncompressed (04).
pub fn is_sec1_pubkey(pubkey: &[u8]) -> bool {
    matches!(
        (pubkey.len(), pubkey.first()),
        (33, Some(0x02 | 0x03)) | (65, Some(0x04))
    )
}

/// At most `MAX_HOSTS` hosts with valid, distinct addresses and SEC1 public keys.
pub fn validate_hosts(api: &dyn Api, hosts: Vec<Host>) -> Result<Vec<HostRecord>, ContractError> {
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

/// Model licensing pays every split into the reward pool and checks lineage in the registry:
/// neither may be model licensing itself (`this`), the token, or the other one, or every
/// payment would fail.
pub fn check_wiring(config: &Config, this: &Addr) -> Result<(), ContractError> {
    let this = ("model_licensing", this);
    let token = ("token", &config.token);
    let registry = ("registry", &config.registry);
    check_not_reserved("reward_pool", &config.reward_pool, &[this, token, registry])?;
    check_not_reserved("registry", &config.registry, &[this, token])?;
    Ok(())
}
