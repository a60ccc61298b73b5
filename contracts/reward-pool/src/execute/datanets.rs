//! What the datanet registry calls: registering datanets and updating contributors' weights.

use cosmwasm_std::{
    Addr, DepsMut, MessageInfo, Response, StdError, StdResult, Storage, Uint128, Uint256, Uint64,
};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{AttributionMode, WeightUpdate, MAX_WEIGHT_UPDATES};
use openledger_common::{validate_addr, Checked};

use super::forfeit_contributor_remainder;
use crate::error::ContractError;
use crate::math;
use crate::state::{DatanetPool, Position, CONFIG, DATANETS, POSITIONS, TOTALS};

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
    };
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "register_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("mode", mode.as_str()))
}

/// `update_weights` (registry only): sets contributors' weights in a weight-mode datanet,
/// settling each position first.
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
    let mut seen: Vec<Addr> = Vec::with_capacity(updates.len());
    let mut dropped = Uint256::zero();
    for u in &updates {
        let addr = validate_addr(deps.api, "contributor", &u.address)?;
        if seen.contains(&addr) {
            return Err(ContractError::DuplicateAddress {
                address: u.address.clone(),
            });
        }
        let mut pos = POSITIONS
            .may_load(deps.storage, (&addr, datanet_id))?
            .unwrap_or_default();
        // Settle first: the old weight earned everything up to now, the new one earns from now.
        math::settle(&mut pos, pool.reward_per_weight)?;
        let old = Uint64::try_from(pos.weight).map_err(StdError::from)?.u64();
        pool.total_weight = pool.total_weight.sub_checked(old)?.add_checked(u.weight)?;
        pos.weight = Uint128::from(u.weight);
        dropped = dropped.checked_add(store_position(deps.storage, &addr, datanet_id, &pos)?)?;
        seen.push(addr);
    }
    DATANETS.save(deps.storage, datanet_id, &pool)?;
    let mut res = Response::new()
        .add_attribute("action", "update_weights")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("updates", updates.len().to_string())
        .add_attribute("total_weight", pool.total_weight.to_string());
    if !dropped.is_zero() {
        let mut totals = TOTALS.load(deps.storage)?;
        let units = forfeit_contributor_remainder(deps.storage, &mut totals, dropped)?;
        TOTALS.save(deps.storage, &totals)?;
        res = res.add_attribute("remainders_to_treasury", units);
    }
    Ok(res)
}

/// Saves a contributor's position, or removes it once it can never pay anything again: no
/// weight left and less than one whole unit settled. Such a sub-unit remainder could only
/// become payable through more weight; dropping the entry keeps a contributor's listed
/// positions (and `claim` without ids) to those that matter. Returns the dropped remainder
/// (scaled), which the caller hands to the treasury (`forfeit_contributor_remainder`): it
/// was counted as owed.
pub(super) fn store_position(
    storage: &mut dyn Storage,
    addr: &Addr,
    datanet_id: DatanetId,
    pos: &Position,
) -> StdResult<Uint256> {
    if pos.is_spent() {
        POSITIONS.remove(storage, (addr, datanet_id));
        Ok(pos.accrued_scaled)
    } else {
        POSITIONS.save(storage, (addr, datanet_id), pos)?;
        Ok(Uint256::zero())
    }
}
