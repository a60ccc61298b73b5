//! OPEN's entry points: cw20-base's, behind the suite's checks.

use cosmwasm_schema::cw_serde;
#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    Binary, Deps, DepsMut, Env, MessageInfo, Response, StdError, StdResult, Uint128,
};
use cw20::Cw20ExecuteMsg;
use cw20_base::msg::InstantiateMsg;
use openledger_common::migrate::upgrade;

use crate::msg::{ExecuteMsg, QueryMsg};

use crate::error::ContractError;
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

/// Refuses native coins: no message of OPEN takes them, and cw20-base would keep them.
fn nonpayable(info: &MessageInfo) -> Result<(), ContractError> {
    if info.funds.is_empty() {
        return Ok(());
    }
    let sent = info
        .funds
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(",");
    Err(ContractError::NativeCoinsRefused { sent })
}

/// `a + b`, or an overflow error. cw20-base adds with `+=`, which panics past `u128::MAX`, when
/// it sums the initial balances, raises an allowance and mints: OPEN checks those sums first, so
/// such input is refused with an error instead of aborting the contract.
fn checked_sum(a: Uint128, b: Uint128) -> Result<Uint128, ContractError> {
    Ok(a.checked_add(b).map_err(StdError::from)?)
}

/// Message of `migrate`: nothing to configure; the stored name and version are checked.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

/// Instantiates OPEN with cw20-base (no native coins; initial balances that overflow are
/// refused) and records the suite's cw2 name.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    msg.initial_balances
        .iter()
        .try_fold(Uint128::zero(), |sum, coin| checked_sum(sum, coin.amount))?;
    // cw20-base records its own cw2 name; the suite's name replaces it so that `migrate` can
    // tell OPEN apart from any other cw20 code.
    let res = cw20_base::contract::instantiate(deps.branch(), env, info, msg)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(res)
}

/// Refuses the sums cw20-base would overflow with a panic: an allowance raised past
/// `u128::MAX` and a mint past the largest total supply.
fn refuse_overflows(
    deps: Deps,
    info: &MessageInfo,
    msg: &Cw20ExecuteMsg,
) -> Result<(), ContractError> {
    match msg {
        Cw20ExecuteMsg::IncreaseAllowance {
            spender, amount, ..
        } => {
            let current = cw20_base::allowances::query_allowance(
                deps,
                info.sender.to_string(),
                spender.clone(),
            )?;
            checked_sum(current.allowance, *amount)?;
        }
        Cw20ExecuteMsg::Mint { amount, .. } => {
            if let Some(token) = cw20_base::state::TOKEN_INFO.may_load(deps.storage)? {
                checked_sum(token.total_supply, *amount)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Executes a cw20 message with cw20-base (no native coins).
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    nonpayable(&info)?;
    let msg = Cw20ExecuteMsg::from(msg);
    refuse_overflows(deps.as_ref(), &info, &msg)?;
    Ok(cw20_base::contract::execute(deps, env, info, msg)?)
}

/// Answers a cw20 query with cw20-base.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    cw20_base::contract::query(deps, env, msg.into())
}

/// Migrates OPEN: checks the stored cw2 name and refuses downgrades.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    Ok(upgrade(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?)
}
