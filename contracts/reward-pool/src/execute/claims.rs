//! Contributors' claims of what weight-mode datanets credited them.

use cosmwasm_std::{DepsMut, MessageInfo, Response, Uint128, Uint256};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;

use super::datanets::store_position;
use super::{forfeit_contributor_remainder, with_forfeited};
use crate::error::ContractError;
use crate::math;
use crate::state::{claim_targets, DatanetPool, CONFIG, DATANETS, POSITIONS, TOTALS};

/// `claim`: pays the sender what it can be paid in the given datanets (or its first
/// positions), in one transfer.
pub fn claim(
    deps: DepsMut,
    info: MessageInfo,
    datanet_ids: Option<Vec<DatanetId>>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let ids = claim_targets(deps.storage, &info.sender, datanet_ids)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let mut total = Uint128::zero();
    let mut dropped = Uint256::zero();
    let mut res = Response::new()
        .add_attribute("action", "claim")
        .add_attribute("claimant", info.sender.as_str());
    for id in ids {
        let mut pool = DatanetPool::load(deps.storage, id)?;
        let Some(mut pos) = POSITIONS.may_load(deps.storage, (&info.sender, id))? else {
            continue;
        };
        math::settle(&mut pos, pool.reward_per_weight)?;
        let paid = math::take_payout(&mut pos)?;
        dropped = dropped.checked_add(store_position(deps.storage, &info.sender, id, &pos)?)?;
        if paid.is_zero() {
            continue;
        }
        pool.total_claimed = pool.total_claimed.checked_add(paid)?;
        DATANETS.save(deps.storage, id, &pool)?;
        totals.contributor_outstanding = totals.contributor_outstanding.checked_sub(paid)?;
        total = total.checked_add(paid)?;
        res = res.add_attribute(format!("datanet_{id}"), paid);
    }
    if total.is_zero() {
        return Err(ContractError::NothingToClaim);
    }
    let forfeited = forfeit_contributor_remainder(deps.storage, &mut totals, dropped)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(with_forfeited(res, forfeited)
        .add_attribute("amount", total)
        .add_message(TokenHandle(config.token).transfer(&info.sender, total)?))
}
