//! Staking: stake (a cw20 hook), unstake into unbonding, withdraw what matured, claim
//! staking rewards.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, StdResult, Storage, Uint128};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{UnbondingEntry, MAX_UNBONDING_ENTRIES};
use openledger_common::Checked;

use super::with_forfeited;
use crate::error::ContractError;
use crate::math;
use crate::state::{add_to_treasury, Position, StakingPool, CONFIG, STAKERS, STAKING, UNBONDING};

/// The staking pool with its reward stream released up to `now`: what the stream released
/// joins the accumulator (or, with nothing staked, the treasury, credited here with the
/// rounding). The caller saves the pool. Returns it with what the release did.
pub(crate) fn staking_at(
    storage: &mut dyn Storage,
    now: u64,
) -> StdResult<(StakingPool, math::Streamed)> {
    let mut staking = STAKING.load(storage)?;
    let streamed = math::stream_to(&mut staking, now)?;
    add_to_treasury(storage, streamed.to_treasury)?;
    Ok((staking, streamed))
}

/// Saves a staker's position, or removes it when the staker has left (no stake) with less
/// than one whole unit of rewards: that remainder is counted as held by nobody, and its whole
/// units go to the treasury once such remainders add up. Returns the whole units forfeited.
fn store_staker(
    storage: &mut dyn Storage,
    staking: &mut StakingPool,
    addr: &Addr,
    pos: &Position,
) -> StdResult<Uint128> {
    if pos.is_spent() {
        STAKERS.remove(storage, addr);
        let units = math::forfeit_staker_remainder(staking, pos.accrued_scaled)?;
        add_to_treasury(storage, units)?;
        Ok(units)
    } else {
        STAKERS.save(storage, addr, pos)?;
        Ok(Uint128::zero())
    }
}

/// `stake` hook: `amount` joins `staker`'s stake.
pub fn stake(
    deps: DepsMut,
    env: Env,
    staker: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let (mut staking, streamed) = staking_at(deps.storage, env.block.time.seconds())?;
    let streamed = streamed.released;
    let mut pos = STAKERS.may_load(deps.storage, &staker)?.unwrap_or_default();
    math::settle(&mut pos, staking.reward_per_stake)?;
    pos.weight = pos.weight.checked_add(amount)?;
    staking.total_staked = staking.total_staked.checked_add(amount)?;
    STAKERS.save(deps.storage, &staker, &pos)?;
    STAKING.save(deps.storage, &staking)?;
    Ok(Response::new()
        .add_attribute("action", "stake")
        .add_attribute("staker", staker.as_str())
        .add_attribute("amount", amount)
        .add_attribute("staked", pos.weight)
        .add_attribute("streamed", streamed))
}

/// `unstake`: moves `amount` of the sender's stake into unbonding until the unbonding period
/// has passed.
pub fn unstake(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount);
    }
    let config = CONFIG.load(deps.storage)?;
    let (mut staking, streamed) = staking_at(deps.storage, env.block.time.seconds())?;
    let streamed = streamed.released;
    let mut pos = STAKERS
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if pos.weight < amount {
        return Err(ContractError::InsufficientStake {
            staked: pos.weight,
            requested: amount,
        });
    }
    let mut entries = UNBONDING
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if entries.len() >= MAX_UNBONDING_ENTRIES {
        return Err(ContractError::TooManyUnbonding {
            max: MAX_UNBONDING_ENTRIES,
        });
    }
    math::settle(&mut pos, staking.reward_per_stake)?;
    pos.weight = pos.weight.checked_sub(amount)?;
    staking.total_staked = staking.total_staked.checked_sub(amount)?;
    staking.total_unbonding = staking.total_unbonding.checked_add(amount)?;
    let release_at = env
        .block
        .time
        .seconds()
        .add_checked(config.unbonding_period)?;
    entries.push(UnbondingEntry { amount, release_at });
    let forfeited = store_staker(deps.storage, &mut staking, &info.sender, &pos)?;
    STAKING.save(deps.storage, &staking)?;
    UNBONDING.save(deps.storage, &info.sender, &entries)?;
    let res = Response::new()
        .add_attribute("action", "unstake")
        .add_attribute("staker", info.sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("release_at", release_at.to_string())
        .add_attribute("streamed", streamed);
    Ok(with_forfeited(res, forfeited))
}

/// `withdraw_unbonded`: pays the sender its matured unbonding entries.
pub fn withdraw_unbonded(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let entries = UNBONDING
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    let (matured, waiting): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|e| e.release_at <= now);
    if matured.is_empty() {
        return Err(ContractError::NothingUnbonded {
            next_release: waiting.iter().map(|e| e.release_at).min(),
        });
    }
    let mut total = Uint128::zero();
    for e in &matured {
        total = total.checked_add(e.amount)?;
    }
    STAKING.update(deps.storage, |mut s| -> StdResult<_> {
        s.total_unbonding = s.total_unbonding.checked_sub(total)?;
        Ok(s)
    })?;
    if waiting.is_empty() {
        UNBONDING.remove(deps.storage, &info.sender);
    } else {
        UNBONDING.save(deps.storage, &info.sender, &waiting)?;
    }
    Ok(Response::new()
        .add_attribute("action", "withdraw_unbonded")
        .add_attribute("staker", info.sender.as_str())
        .add_attribute("amount", total)
        .add_message(TokenHandle(config.token).transfer(&info.sender, total)?))
}

/// `claim_staking_rewards`: pays the sender the staking rewards it can be paid.
pub fn claim_staking_rewards(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut pos = STAKERS
        .may_load(deps.storage, &info.sender)?
        .ok_or(ContractError::NothingToClaim)?;
    let (mut staking, streamed) = staking_at(deps.storage, env.block.time.seconds())?;
    let streamed = streamed.released;
    math::settle(&mut pos, staking.reward_per_stake)?;
    let paid = math::take_payout(&mut pos)?;
    if paid.is_zero() {
        return Err(ContractError::NothingToClaim);
    }
    staking.total_claimed = staking.total_claimed.checked_add(paid)?;
    let forfeited = store_staker(deps.storage, &mut staking, &info.sender, &pos)?;
    STAKING.save(deps.storage, &staking)?;
    let res = Response::new()
        .add_attribute("action", "claim_staking_rewards")
        .add_attribute("staker", info.sender.as_str())
        .add_attribute("amount", paid)
        .add_attribute("streamed", streamed);
    Ok(with_forfeited(res, forfeited)
        .add_message(TokenHandle(config.token).transfer(&info.sender, paid)?))
}
