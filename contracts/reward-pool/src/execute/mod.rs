//! The execute handlers, one file per group of operations:
//! - `distribute`: the cw20 hook (`distribute`, and the dispatch of every hook);
//! - `datanets`: what the registry calls (`register_datanet`, `update_weights`);
//! - `claims`: contributors' claims of weight-mode rewards;
//! - `staking`: stake, unstake, withdrawal of unbonded tokens, staking rewards;
//! - `admin`: the owner's treasury, settings and ownership;
//! - `attestors`: attestation settings, the attestor set and attestor bonds;
//! - `roots`: posting attribution roots and claiming by them;
//! - `challenges`: challenging roots, resolving and settling challenges.

pub mod admin;
pub mod attestors;
pub mod challenges;
pub mod claims;
pub mod datanets;
pub mod distribute;
pub mod roots;
pub mod staking;

use cosmwasm_std::{Response, StdResult, Storage, Uint128, Uint256};

use crate::math;
use crate::state::{add_to_treasury, Totals};

/// Counts `dropped` (scaled remainders of removed contributor positions, or unheld rounding)
/// as held by nobody, and moves the whole units that adds up to from the contributors'
/// liability to the treasury; returns them.
fn forfeit_contributor_remainder(
    storage: &mut dyn Storage,
    totals: &mut Totals,
    dropped: Uint256,
) -> StdResult<Uint128> {
    totals.dropped_scaled = totals.dropped_scaled.checked_add(dropped)?;
    let units = math::take_whole(&mut totals.dropped_scaled)?;
    totals.contributor_outstanding = totals.contributor_outstanding.checked_sub(units)?;
    add_to_treasury(storage, units)?;
    Ok(units)
}

/// Adds the `remainders_to_treasury` attribute when remainders were forfeited to the treasury.
fn with_forfeited(res: Response, forfeited: Uint128) -> Response {
    if forfeited.is_zero() {
        res
    } else {
        res.add_attribute("remainders_to_treasury", forfeited)
    }
}
