//! `migrate`: from 0.2.0 (or any earlier 0.3 build) to this version.

use cosmwasm_std::{DepsMut, Response};
use openledger_common::migrate::upgrade;

use crate::error::ContractError;
use crate::state::{AttributionConfig, BondTotals, ATTRIBUTION_CONFIG, BOND_TOTALS, CONFIG};
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Checks the stored cw2 name and refuses downgrades, then brings the stored state to this
/// version's layout: the attribution settings and bond totals where they are missing, and the
/// staking reward period and curators' share in the config.
pub fn migrate(deps: DepsMut) -> Result<Response, ContractError> {
    let upgraded = upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    // Pools instantiated before influence attribution existed get its settings (defaults:
    // window 1 h, bonds 1 000 000 units) and zero bond totals; later runs keep what is stored.
    let mut res = Response::new();
    if !ATTRIBUTION_CONFIG.exists(deps.storage) {
        ATTRIBUTION_CONFIG.save(deps.storage, &AttributionConfig::default())?;
        res = res.add_attribute("attribution_config", "defaults");
    }
    if !BOND_TOTALS.exists(deps.storage) {
        BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    }
    // A config of 0.2.0 has no staking reward period: it reads as the default (seven days)
    // and is stored so. Stakes, positions and accumulators keep their values; the staking
    // pool has no stream until its next stakers allocation. A config of 0.2.0 or 0.3.0 has
    // no curators' share: it reads as 0 and is stored so (the figures stay as they were);
    // datanets learn their curator sets later (see `curators`).
    let config = CONFIG.load(deps.storage)?;
    CONFIG.save(deps.storage, &config)?;
    res = res.add_attribute(
        "staking_reward_period",
        config.staking_reward_period.to_string(),
    );
    // The pool's own attributes come first, then `action`, `from_version` and `to_version`.
    Ok(res.add_attributes(upgraded.attributes))
}
