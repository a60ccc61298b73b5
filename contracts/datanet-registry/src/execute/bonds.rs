//! Contribution bonds: returned to a withdrawable balance, paid out on request.

use cosmwasm_std::{Addr, DepsMut, MessageInfo, Response, Storage, Uint128};
use openledger_common::handles::TokenHandle;

use crate::error::ContractError;
use crate::state::{withdrawable_bonds, BondTotals, BOND_TOTALS, CONFIG, WITHDRAWABLE_BONDS};

/// Moves a pending bond to `owner`'s withdrawable balance (pull-based: paid by
/// `withdraw_bonds`, so a review costs storage writes, not token transfers).
pub fn return_bond(
    storage: &mut dyn Storage,
    totals: &mut BondTotals,
    owner: &Addr,
    amount: Uint128,
) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Ok(());
    }
    totals.pending = totals.pending.checked_sub(amount)?;
    totals.withdrawable = totals.withdrawable.checked_add(amount)?;
    let balance = withdrawable_bonds(storage, owner)?.checked_add(amount)?;
    WITHDRAWABLE_BONDS.save(storage, owner, &balance)?;
    Ok(())
}

/// Pays the sender every bond returned to them, in one cw20 transfer.
pub fn withdraw_bonds(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let amount = withdrawable_bonds(deps.storage, &info.sender)?;
    if amount.is_zero() {
        return Err(ContractError::NothingToWithdraw);
    }
    WITHDRAWABLE_BONDS.remove(deps.storage, &info.sender);
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    totals.withdrawable = totals.withdrawable.checked_sub(amount)?;
    BOND_TOTALS.save(deps.storage, &totals)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&info.sender, amount)?)
        .add_attribute("action", "withdraw_bonds")
        .add_attribute("recipient", info.sender)
        .add_attribute("amount", amount))
}
