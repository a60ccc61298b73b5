//! Attestation settings, the attestor set and attestors' bonds.

use std::cmp::max;

use cosmwasm_std::{Addr, Api, DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{
    MAX_ATTESTOR_UPDATES, MAX_CHALLENGE_WINDOW, MIN_CHALLENGE_WINDOW,
};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::state::{
    Attestor, AttributionConfig, BondTotals, ATTESTORS, ATTRIBUTION_CONFIG, BOND_TOTALS, CONFIG,
};

/// `update_attribution_config` (owner only): sets the challenge window and the attestor and
/// challenge bonds, each if given.
pub fn update_attribution_config(
    deps: DepsMut,
    info: MessageInfo,
    challenge_window: Option<u64>,
    attestor_bond: Option<Uint128>,
    challenge_bond: Option<Uint128>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let mut config = AttributionConfig::load(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_attribution_config");
    if let Some(w) = challenge_window {
        if !(MIN_CHALLENGE_WINDOW..=MAX_CHALLENGE_WINDOW).contains(&w) {
            return Err(ContractError::InvalidChallengeWindow {
                window: w,
                min: MIN_CHALLENGE_WINDOW,
                max: MAX_CHALLENGE_WINDOW,
            });
        }
        config.challenge_window = w;
        res = res.add_attribute("challenge_window", w.to_string());
    }
    for (field, value, slot) in [
        ("attestor_bond", attestor_bond, &mut config.attestor_bond),
        ("challenge_bond", challenge_bond, &mut config.challenge_bond),
    ] {
        if let Some(v) = value {
            if v.is_zero() {
                return Err(ContractError::ZeroBond {
                    field: field.to_string(),
                });
            }
            *slot = v;
            res = res.add_attribute(field, v);
        }
    }
    ATTRIBUTION_CONFIG.save(deps.storage, &config)?;
    Ok(res)
}

/// Validates the addresses to add and to remove: at most `MAX_ATTESTOR_UPDATES` each, none
/// named twice in either list or across them. Returns them, those to add first.
fn attestor_updates(
    api: &dyn Api,
    add: &[String],
    remove: &[String],
) -> Result<Vec<Addr>, ContractError> {
    let longest = max(add.len(), remove.len());
    if longest > MAX_ATTESTOR_UPDATES {
        return Err(ContractError::TooManyAttestorUpdates {
            got: longest,
            max: MAX_ATTESTOR_UPDATES,
        });
    }
    let mut seen: Vec<Addr> = Vec::with_capacity(add.len() + remove.len());
    for a in add.iter().chain(remove) {
        let addr = validate_addr(api, "attestor", a)?;
        if seen.contains(&addr) {
            return Err(ContractError::DuplicateAddress { address: a.clone() });
        }
        seen.push(addr);
    }
    Ok(seen)
}

/// `update_attestors` (owner only): approves the `add` addresses and removes the `remove`
/// ones, returning their bonds; an attestor with an open challenge or a locked bond stays.
pub fn update_attestors(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let seen = attestor_updates(deps.api, &add, &remove)?;
    let (added, removed) = seen.split_at(add.len());
    let token = TokenHandle(CONFIG.load(deps.storage)?.token);
    let mut bonds = BondTotals::load(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_attestors");
    for addr in added {
        if !ATTESTORS.has(deps.storage, addr) {
            ATTESTORS.save(deps.storage, addr, &Attestor::default())?;
        }
        res = res.add_attribute("added", addr.as_str());
    }
    let now = env.block.time.seconds();
    for addr in removed {
        let a = Attestor::load(deps.storage, addr)?;
        if a.open_challenges > 0 {
            return Err(ContractError::AttestorHasOpenChallenges {
                address: addr.to_string(),
                open: a.open_challenges,
            });
        }
        if now < a.locked_until {
            return Err(ContractError::AttestorBondLocked {
                address: addr.to_string(),
                until: a.locked_until,
            });
        }
        ATTESTORS.remove(deps.storage, addr);
        res = res.add_attribute("removed", addr.as_str());
        if !a.bond.is_zero() {
            bonds.attestor_bonds = bonds.attestor_bonds.checked_sub(a.bond)?;
            res = res
                .add_attribute(format!("bond_returned_{addr}"), a.bond)
                .add_message(token.transfer(addr, a.bond)?);
        }
    }
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(res)
}

/// `bond_attestor` hook: `amount` joins `sender`'s attestor bond.
pub fn bond_attestor(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut a = Attestor::load(deps.storage, &sender)?;
    a.bond = a.bond.checked_add(amount)?;
    ATTESTORS.save(deps.storage, &sender, &a)?;
    let mut bonds = BondTotals::load(deps.storage)?;
    bonds.attestor_bonds = bonds.attestor_bonds.checked_add(amount)?;
    BOND_TOTALS.save(deps.storage, &bonds)?;
    Ok(Response::new()
        .add_attribute("action", "bond_attestor")
        .add_attribute("attestor", sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("bond", a.bond))
}
