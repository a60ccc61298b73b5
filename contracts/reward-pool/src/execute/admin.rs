//! The owner's operations: treasury withdrawals, settings, ownership.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Storage, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{
    MAX_STAKING_REWARD_PERIOD, MAX_UNBONDING_PERIOD, MIN_STAKING_REWARD_PERIOD,
};
use openledger_common::{reserved_name, validate_addr, Checked};

use super::staking::staking_at;
use crate::curators::check_curators_bps;
use crate::error::ContractError;
use crate::math;
use crate::state::{Config, CONFIG, STAKING, TREASURY};

/// Refuses an unbonding period above `MAX_UNBONDING_PERIOD`.
pub fn check_unbonding_period(period: u64) -> Result<(), ContractError> {
    if period > MAX_UNBONDING_PERIOD {
        return Err(ContractError::InvalidUnbondingPeriod {
            period,
            max: MAX_UNBONDING_PERIOD,
        });
    }
    Ok(())
}

/// Refuses a staking reward period outside `MIN_STAKING_REWARD_PERIOD..=MAX_STAKING_REWARD_PERIOD`.
pub fn check_staking_reward_period(period: u64) -> Result<(), ContractError> {
    if !(MIN_STAKING_REWARD_PERIOD..=MAX_STAKING_REWARD_PERIOD).contains(&period) {
        return Err(ContractError::InvalidStakingRewardPeriod {
            period,
            min: MIN_STAKING_REWARD_PERIOD,
            max: MAX_STAKING_REWARD_PERIOD,
        });
    }
    Ok(())
}

/// Refuses `addr` in `field` when it is one of the `reserved` protocol contracts: tokens sent
/// to the pool itself, the token or the registry could never be paid out again (the pool does
/// not count them, the token holds them for nobody, the registry pays out bonds only), and a
/// registry at the pool's or the token's address would make every registry-only entry point
/// unusable.
fn refuse_reserved(
    field: &str,
    addr: &Addr,
    reserved: &[(&str, &Addr)],
) -> Result<(), ContractError> {
    match reserved_name(addr, reserved) {
        None => Ok(()),
        Some(what) => Err(ContractError::InvalidAddress {
            field: field.to_string(),
            address: addr.to_string(),
            reason: format!("{what} cannot be the {field}"),
        }),
    }
}

/// The pool itself and the fee token, as [`refuse_reserved`] names them.
fn pool_and_token<'a>(env: &'a Env, config: &'a Config) -> Vec<(&'static str, &'a Addr)> {
    vec![
        ("the reward pool itself", &env.contract.address),
        ("the fee token contract", &config.token),
    ]
}

/// `withdraw_treasury` (owner only): pays `amount` of the treasury to `recipient` (default:
/// the owner).
pub fn withdraw_treasury(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: Uint128,
    recipient: Option<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount);
    }
    let config = CONFIG.load(deps.storage)?;
    let recipient = match recipient {
        Some(r) => validate_addr(deps.api, "recipient", &r)?,
        None => info.sender.clone(),
    };
    let mut reserved = pool_and_token(&env, &config);
    if let Some(registry) = &config.registry {
        reserved.push(("the datanet registry", registry));
    }
    refuse_reserved("recipient", &recipient, &reserved)?;
    // What the stream released with nothing staked belongs to the treasury already.
    let (staking, _) = staking_at(deps.storage, env.block.time.seconds())?;
    STAKING.save(deps.storage, &staking)?;
    let available = TREASURY.load(deps.storage)?;
    if available < amount {
        return Err(ContractError::InsufficientTreasury {
            available,
            requested: amount,
        });
    }
    TREASURY.save(deps.storage, &available.checked_sub(amount)?)?;
    Ok(Response::new()
        .add_attribute("action", "withdraw_treasury")
        .add_attribute("recipient", recipient.as_str())
        .add_attribute("amount", amount)
        .add_message(TokenHandle(config.token).transfer(&recipient, amount)?))
}

/// The settings an `update_config` changes (each if given).
pub struct ConfigUpdate {
    /// New datanet registry.
    pub registry: Option<String>,
    /// New unbonding period in seconds.
    pub unbonding_period: Option<u64>,
    /// New staking reward period in seconds.
    pub staking_reward_period: Option<u64>,
    /// New curators' share of datanet allocations, in basis points.
    pub curators_bps: Option<u16>,
}

/// `update_config` (owner only): sets the registry, the unbonding period, the staking reward
/// period and the curators' share, each if given.
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let ConfigUpdate {
        registry,
        unbonding_period,
        staking_reward_period,
        curators_bps,
    } = update;
    if registry.is_none()
        && unbonding_period.is_none()
        && staking_reward_period.is_none()
        && curators_bps.is_none()
    {
        return Err(ContractError::NothingToUpdate);
    }
    let mut config = CONFIG.load(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_config");
    if let Some(r) = registry {
        let addr = validate_addr(deps.api, "registry", &r)?;
        refuse_reserved("registry", &addr, &pool_and_token(&env, &config))?;
        res = res.add_attribute("registry", addr.as_str());
        config.registry = Some(addr);
    }
    if let Some(p) = unbonding_period {
        check_unbonding_period(p)?;
        config.unbonding_period = p;
        res = res.add_attribute("unbonding_period", p.to_string());
    }
    if let Some(p) = staking_reward_period {
        check_staking_reward_period(p)?;
        config.staking_reward_period = p;
        res = set_staking_reward_period(deps.storage, &env, p, res)?;
    }
    if let Some(bps) = curators_bps {
        check_curators_bps(bps)?;
        config.curators_bps = bps;
        res = res.add_attribute("curators_bps", bps.to_string());
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(res)
}

/// Applies a new staking reward period `p` to the running stream; adds its attributes.
fn set_staking_reward_period(
    storage: &mut dyn Storage,
    env: &Env,
    p: u64,
    res: Response,
) -> Result<Response, ContractError> {
    // The period is the longest any allocation takes to reach stakers: a lower one also
    // brings the running stream's end forward; a higher one applies to later allocations.
    let now = env.block.time.seconds();
    let latest = now.add_checked(p)?;
    let (mut staking, streamed) = staking_at(storage, now)?;
    if staking.stream.end > latest {
        math::shorten(&mut staking.stream, now, latest)?;
    }
    STAKING.save(storage, &staking)?;
    Ok(res
        .add_attribute("staking_reward_period", p.to_string())
        .add_attribute("streamed", streamed.released)
        .add_attribute("stream_end", staking.stream.end.to_string()))
}
