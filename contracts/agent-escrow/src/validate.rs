//! Checks of the escrow's own parameters: windows, the protocol fee and the wiring of the
//! protocol's contracts. Text, hashes and shares are checked by `openledger_common`'s
//! `validate_text`, `normalize_hash` and `validate_bps`, whose `ValidationError` the escrow
//! reports as `ContractError::Validation`.

use cosmwasm_std::{Addr, Env};
use openledger_common::bps::Bps;
use openledger_common::msg::agent_escrow::MAX_PROTOCOL_FEE_BPS;
use openledger_common::validate::check_not_reserved;

use crate::error::ContractError;
use crate::state::Config;

/// Checks that the window `value` (seconds, given in `field`) is `min..=max`.
pub fn check_window(field: &str, value: u64, min: u64, max: u64) -> Result<u64, ContractError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ContractError::WindowOutOfRange {
            field: field.to_string(),
            value,
            min,
            max,
        })
    }
}

/// Checks that a protocol fee is at most `MAX_PROTOCOL_FEE_BPS`.
pub fn check_fee(bps: Bps) -> Result<Bps, ContractError> {
    if bps > MAX_PROTOCOL_FEE_BPS {
        return Err(ContractError::FeeTooHigh {
            bps,
            max: MAX_PROTOCOL_FEE_BPS,
        });
    }
    Ok(bps)
}

/// The escrow pays model fees into model licensing and protocol fees into the reward pool:
/// neither may be the escrow itself, the token, or the other one, or every settlement would
/// fail and the deposits of submitted milestones would wait for the owner to re-wire it.
pub fn check_wiring(config: &Config, env: &Env) -> Result<(), ContractError> {
    let (escrow, token) = (("escrow", &env.contract.address), ("token", &config.token));
    let pool = ("reward_pool", &config.reward_pool);
    check_not_reserved(
        "model_licensing",
        &config.model_licensing,
        &[escrow, token, pool],
    )?;
    check_not_reserved("reward_pool", &config.reward_pool, &[escrow, token])?;
    Ok(())
}

/// Refuses `addr` as the `role` (agent, arbiter) when it is one of the protocol's contracts:
/// the escrow itself, the token, the reward pool or model licensing.
pub fn assert_not_reserved(
    config: &Config,
    env: &Env,
    role: &str,
    addr: &Addr,
) -> Result<(), ContractError> {
    let reserved = [
        ("escrow", &env.contract.address),
        ("token", &config.token),
        ("reward_pool", &config.reward_pool),
        ("model_licensing", &config.model_licensing),
    ];
    Ok(check_not_reserved(role, addr, &reserved)?)
}
