//! What the datanet registry calls: registering datanets, updating contributors' weights,
//! publishing versions and setting curators.

use cosmwasm_std::{Addr, DepsMut, MessageInfo, Response, Uint128, Uint256};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{AttributionMode, WeightUpdate, MAX_WEIGHT_UPDATES};
use openledger_common::validate_addr;

use crate::curators;
use crate::error::ContractError;
use crate::state::{DatanetPool, CONFIG, DATANETS, TOTALS};
use crate::versions;

/// `register_datanet` (registry only): opens datanet `datanet_id`'s pool in `mode`.
pub fn register_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    mode: AttributionMode,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    config.ensure_registry(&info.sender, "register datanets")?;
    if DATANETS.has(deps.storage, datanet_id) {
        return Err(ContractError::DatanetExists { id: datanet_id });
    }
    let pool = DatanetPool {
        mode,
        total_weight: 0,
        reward_per_weight: Default::default(),
        total_distributed: Uint128::zero(),
        total_claimed: Uint128::zero(),
        unallocated: Uint128::zero(),
        synced: true,
        legacy_versions: 0,
        slots: 0,
        slots_sum: Uint256::zero(),
        legacy: false,
        earned_per_curator: Uint128::zero(),
        curators: 0,
        // The registry names its curators with `set_curators`.
        curators_known: true,
    };
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "register_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("mode", mode.as_str()))
}

/// `update_weights` (registry only): sets contributors' weights in a weight-mode datanet for
/// its next version. A contributor whose weight changes after a version was published keeps
/// its range of the published versions (which keeps earning from their fees) and opens a new
/// one.
pub fn update_weights(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    updates: Vec<WeightUpdate>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    config.ensure_registry(&info.sender, "update weights")?;
    if updates.is_empty() {
        return Err(ContractError::EmptyUpdates);
    }
    if updates.len() > MAX_WEIGHT_UPDATES {
        return Err(ContractError::TooManyUpdates {
            got: updates.len(),
            max: MAX_WEIGHT_UPDATES,
        });
    }
    let mut pool = DatanetPool::load(deps.storage, datanet_id)?;
    if pool.mode != AttributionMode::Weight {
        return Err(ContractError::NotWeightMode { id: datanet_id });
    }
    pool.sync(
        &deps.querier,
        config.registry.as_ref(),
        datanet_id,
        None,
        deps.storage,
    )?;
    let mut seen: Vec<Addr> = Vec::with_capacity(updates.len());
    for u in &updates {
        let addr = validate_addr(deps.api, "contributor", &u.address)?;
        if seen.contains(&addr) {
            return Err(ContractError::DuplicateAddress {
                address: u.address.clone(),
            });
        }
        versions::set_weight(deps.storage, &mut pool, &addr, datanet_id, u.weight)?;
        seen.push(addr);
    }
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "update_weights")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("updates", updates.len().to_string())
        .add_attribute("total_weight", pool.total_weight.to_string()))
}

/// `publish_version` (registry only): version `version` of the datanet holds the weights the
/// pool holds now; fees for it reach exactly their holders.
pub fn publish_version(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    version: u32,
    total_weight: u64,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    config.ensure_registry(&info.sender, "publish versions")?;
    let mut pool = DatanetPool::load(deps.storage, datanet_id)?;
    // A datanet of 0.2.0 met for the first time: every version before this one is legacy.
    let legacy = version.checked_sub(1);
    pool.sync(
        &deps.querier,
        config.registry.as_ref(),
        datanet_id,
        legacy,
        deps.storage,
    )?;
    let expected = pool.versions().saturating_add(1);
    if version != expected {
        return Err(ContractError::VersionOutOfOrder {
            datanet_id,
            expected,
            got: version,
        });
    }
    let held = match pool.mode {
        AttributionMode::Weight => pool.total_weight,
        AttributionMode::Influence => 0,
    };
    if total_weight != held {
        return Err(ContractError::VersionWeightMismatch {
            datanet_id,
            version,
            reported: total_weight,
            held,
        });
    }
    let slot = pool.publish_slot(deps.storage, datanet_id)?;
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "publish_version")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("version", version.to_string())
        .add_attribute("slot", slot.to_string())
        .add_attribute("total_weight", total_weight.to_string()))
}

/// `set_curators` (registry only): the registered datanet's curators are now exactly
/// `curators` (at most `MAX_CURATORS`, valid, distinct). Leavers' earnings become account
/// credits, joiners earn from the next allocation, the others are untouched (see `curators`).
pub fn set_curators(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    curators: Vec<String>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    config.ensure_registry(&info.sender, "set curators")?;
    let set = curators::validate_set(deps.api, &curators)?;
    let mut pool = DatanetPool::load(deps.storage, datanet_id)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let change = curators::replace_set(deps.storage, &mut pool, datanet_id, set, &mut totals)?;
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    TOTALS.save(deps.storage, &totals)?;
    let mut res = Response::new()
        .add_attribute("action", "set_curators")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("curators", pool.curators.to_string());
    for addr in &change.added {
        res = res.add_attribute("added", addr.as_str());
    }
    for (addr, credited) in &change.removed {
        res = res
            .add_attribute("removed", addr.as_str())
            .add_attribute(format!("credited_{addr}"), *credited);
    }
    Ok(res)
}
