use cosmwasm_std::{
    Addr, DepsMut, Env, MessageInfo, Order, Response, StdResult, Storage, Uint128, Uint256, Uint64,
};
use cw20::Cw20ReceiveMsg;
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::hook::receive;
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, ReceiveMsg, UnbondingEntry, WeightUpdate, MAX_ALLOCATIONS,
    MAX_CLAIM_DATANETS, MAX_STAKING_REWARD_PERIOD, MAX_UNBONDING_ENTRIES, MAX_UNBONDING_PERIOD,
    MAX_WEIGHT_UPDATES, MIN_STAKING_REWARD_PERIOD,
};
use openledger_common::{reserved_name, validate_addr};

use crate::error::ContractError;
use crate::state::{
    influence_state, Config, DatanetPool, Position, StakingPool, Totals, CONFIG, DATANETS,
    INFLUENCE, POSITIONS, STAKERS, STAKING, TOTALS, TREASURY, UNBONDING,
};
use crate::{attribution, math};

fn add_treasury(storage: &mut dyn Storage, amount: Uint128) -> StdResult<()> {
    if amount.is_zero() {
        return Ok(());
    }
    TREASURY.update(storage, |t| -> StdResult<_> { Ok(t.checked_add(amount)?) })?;
    Ok(())
}

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

/// The staking pool with its reward stream released up to `now`: what the stream released
/// joins the accumulator (or, with nothing staked, the treasury, credited here with the
/// rounding). The caller saves the pool. Returns it with what the release did.
fn staking_at(storage: &mut dyn Storage, now: u64) -> StdResult<(StakingPool, math::Streamed)> {
    let mut staking = STAKING.load(storage)?;
    let streamed = math::stream_to(&mut staking, now)?;
    add_treasury(storage, streamed.to_treasury)?;
    Ok((staking, streamed))
}

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
    add_treasury(storage, units)?;
    Ok(units)
}

fn ensure_registry(config: &Config, sender: &Addr, action: &str) -> Result<(), ContractError> {
    match &config.registry {
        None => Err(ContractError::RegistryNotSet),
        Some(r) if r == sender => Ok(()),
        Some(_) => Err(ContractError::NotRegistry {
            action: action.to_string(),
            sender: sender.to_string(),
        }),
    }
}

pub fn receive_cw20(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let received = receive::<ReceiveMsg>(&config.token, &info.sender, wrapper)?;
    let sender = validate_addr(deps.api, "sender", &received.sender)?;
    match received.msg {
        ReceiveMsg::Distribute { allocations } => {
            distribute(deps, env, sender, received.amount, allocations)
        }
        ReceiveMsg::Stake {} => stake(deps, env, sender, received.amount),
        ReceiveMsg::BondAttestor {} => attribution::bond_attestor(deps, sender, received.amount),
        ReceiveMsg::ChallengeRoot { datanet_id, epoch } => {
            attribution::challenge_root(deps, env, sender, received.amount, datanet_id, epoch)
        }
    }
}

/// Splits `amount` over the allocations; they must sum to it exactly.
fn distribute(
    deps: DepsMut,
    env: Env,
    sender: Addr,
    amount: Uint128,
    allocations: Vec<Allocation>,
) -> Result<Response, ContractError> {
    if allocations.is_empty() || allocations.len() > MAX_ALLOCATIONS {
        return Err(ContractError::AllocationCount {
            got: allocations.len(),
            max: MAX_ALLOCATIONS,
        });
    }
    let mut allocated = Uint128::zero();
    for (index, a) in allocations.iter().enumerate() {
        let part = match a {
            Allocation::Datanet { amount, .. }
            | Allocation::Stakers { amount }
            | Allocation::Treasury { amount } => *amount,
        };
        if part.is_zero() {
            return Err(ContractError::ZeroAllocation { index });
        }
        allocated = allocated.checked_add(part)?;
    }
    if allocated != amount {
        return Err(ContractError::AllocationSumMismatch {
            sent: amount,
            allocated,
        });
    }

    let config = CONFIG.load(deps.storage)?;
    let now = env.block.time.seconds();
    let mut totals = TOTALS.load(deps.storage)?;
    // Loaded (and its stream released up to now) at the first stakers allocation.
    let mut staking: Option<StakingPool> = None;
    let mut to_treasury = Uint128::zero();
    let mut streamed_to_treasury = Uint128::zero();
    let mut unheld = Uint256::zero();
    let mut res = Response::new()
        .add_attribute("action", "distribute")
        .add_attribute("sender", sender.as_str())
        .add_attribute("amount", amount);
    for a in allocations {
        match a {
            Allocation::Datanet { id, amount } => {
                let mut pool = DATANETS
                    .may_load(deps.storage, id)?
                    .ok_or(ContractError::UnknownDatanet { id })?;
                let (credited, dust) = match pool.mode {
                    AttributionMode::Influence => {
                        // What arrived bounds what roots may allocate.
                        let mut state = influence_state(deps.storage, id, &pool)?;
                        state.total_received = state.total_received.checked_add(amount)?;
                        INFLUENCE.save(deps.storage, id, &state)?;
                        pool.unallocated = pool.unallocated.checked_add(amount)?;
                        totals.influence_outstanding =
                            totals.influence_outstanding.checked_add(amount)?;
                        (amount, Uint128::zero())
                    }
                    // Nobody holds weight: nobody can earn it, so the treasury takes it.
                    AttributionMode::Weight if pool.total_weight == 0 => (Uint128::zero(), amount),
                    AttributionMode::Weight => {
                        let c = math::increment(amount, Uint128::from(pool.total_weight))?;
                        pool.reward_per_weight = pool.reward_per_weight.checked_add(c.inc)?;
                        pool.total_distributed = pool.total_distributed.checked_add(c.credited)?;
                        totals.contributor_outstanding =
                            totals.contributor_outstanding.checked_add(c.credited)?;
                        unheld = unheld.checked_add(c.unheld_scaled)?;
                        (c.credited, amount.checked_sub(c.credited)?)
                    }
                };
                DATANETS.save(deps.storage, id, &pool)?;
                to_treasury = to_treasury.checked_add(dust)?;
                res = res.add_attribute(format!("datanet_{id}"), credited);
            }
            Allocation::Stakers { amount } => {
                let pool = match staking.take() {
                    Some(pool) => pool,
                    None => {
                        let (pool, streamed) = staking_at(deps.storage, now)?;
                        res = res.add_attribute("streamed", streamed.released);
                        // Credited to the treasury by `staking_at` already.
                        streamed_to_treasury = streamed.to_treasury;
                        pool
                    }
                };
                let pool = staking.insert(pool);
                // Nobody staked: nobody can earn it, so the treasury takes it (as in 0.2.0).
                // Otherwise it streams: a stake made just before earns only its share of what
                // is released while it is staked.
                let streaming = if pool.total_staked.is_zero() {
                    to_treasury = to_treasury.checked_add(amount)?;
                    Uint128::zero()
                } else {
                    math::extend(&mut pool.stream, amount, now, config.staking_reward_period)?;
                    amount
                };
                res = res.add_attribute("stakers", streaming);
            }
            Allocation::Treasury { amount } => {
                to_treasury = to_treasury.checked_add(amount)?;
            }
        }
    }
    let forfeited = forfeit_contributor_remainder(deps.storage, &mut totals, unheld)?;
    TOTALS.save(deps.storage, &totals)?;
    if let Some(pool) = staking {
        res = res.add_attribute("stream_end", pool.stream.end.to_string());
        STAKING.save(deps.storage, &pool)?;
    }
    add_treasury(deps.storage, to_treasury)?;
    let treasury = to_treasury
        .checked_add(forfeited)?
        .checked_add(streamed_to_treasury)?;
    Ok(res.add_attribute("treasury", treasury))
}

pub fn register_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    mode: AttributionMode,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_registry(&config, &info.sender, "register datanets")?;
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
        .add_attribute(
            "mode",
            match mode {
                AttributionMode::Weight => "weight",
                AttributionMode::Influence => "influence",
            },
        ))
}

pub fn update_weights(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    updates: Vec<WeightUpdate>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    ensure_registry(&config, &info.sender, "update weights")?;
    if updates.is_empty() {
        return Err(ContractError::EmptyUpdates);
    }
    if updates.len() > MAX_WEIGHT_UPDATES {
        return Err(ContractError::TooManyUpdates {
            got: updates.len(),
            max: MAX_WEIGHT_UPDATES,
        });
    }
    let mut pool = DATANETS
        .may_load(deps.storage, datanet_id)?
        .ok_or(ContractError::UnknownDatanet { id: datanet_id })?;
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
        let old = Uint64::try_from(pos.weight).map_err(cosmwasm_std::StdError::from)?;
        pool.total_weight = Uint64::new(pool.total_weight)
            .checked_sub(old)?
            .checked_add(Uint64::new(u.weight))?
            .u64();
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
fn store_position(
    storage: &mut dyn Storage,
    addr: &Addr,
    datanet_id: DatanetId,
    pos: &Position,
) -> StdResult<Uint256> {
    if pos.weight.is_zero() && pos.accrued_scaled < math::SCALE {
        POSITIONS.remove(storage, (addr, datanet_id));
        Ok(pos.accrued_scaled)
    } else {
        POSITIONS.save(storage, (addr, datanet_id), pos)?;
        Ok(Uint256::zero())
    }
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
    if pos.weight.is_zero() && pos.accrued_scaled < math::SCALE {
        STAKERS.remove(storage, addr);
        let units = math::forfeit_staker_remainder(staking, pos.accrued_scaled)?;
        add_treasury(storage, units)?;
        Ok(units)
    } else {
        STAKERS.save(storage, addr, pos)?;
        Ok(Uint128::zero())
    }
}

/// The datanets a claim or query covers: the given ones (at most 30, distinct) or the first 30
/// positions of `addr`.
pub fn claim_targets(
    storage: &dyn Storage,
    addr: &Addr,
    datanet_ids: Option<Vec<DatanetId>>,
) -> Result<Vec<DatanetId>, ContractError> {
    match datanet_ids {
        Some(ids) => {
            if ids.len() > MAX_CLAIM_DATANETS {
                return Err(ContractError::TooManyDatanets {
                    got: ids.len(),
                    max: MAX_CLAIM_DATANETS,
                });
            }
            for (i, id) in ids.iter().enumerate() {
                if ids[..i].contains(id) {
                    return Err(ContractError::DuplicateDatanet { id: *id });
                }
            }
            Ok(ids)
        }
        None => Ok(POSITIONS
            .prefix(addr)
            .keys(storage, None, None, Order::Ascending)
            .take(MAX_CLAIM_DATANETS)
            .collect::<StdResult<Vec<_>>>()?),
    }
}

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
        let mut pool = DATANETS
            .may_load(deps.storage, id)?
            .ok_or(ContractError::UnknownDatanet { id })?;
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
    if !forfeited.is_zero() {
        res = res.add_attribute("remainders_to_treasury", forfeited);
    }
    TOTALS.save(deps.storage, &totals)?;
    Ok(res
        .add_attribute("amount", total)
        .add_message(TokenHandle(config.token).transfer(&info.sender, total)?))
}

fn stake(
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
    let release_at = Uint64::new(env.block.time.seconds())
        .checked_add(Uint64::new(config.unbonding_period))?
        .u64();
    entries.push(UnbondingEntry { amount, release_at });
    let forfeited = store_staker(deps.storage, &mut staking, &info.sender, &pos)?;
    STAKING.save(deps.storage, &staking)?;
    UNBONDING.save(deps.storage, &info.sender, &entries)?;
    let mut res = Response::new()
        .add_attribute("action", "unstake")
        .add_attribute("staker", info.sender.as_str())
        .add_attribute("amount", amount)
        .add_attribute("release_at", release_at.to_string())
        .add_attribute("streamed", streamed);
    if !forfeited.is_zero() {
        res = res.add_attribute("remainders_to_treasury", forfeited);
    }
    Ok(res)
}

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
    let mut res = Response::new()
        .add_attribute("action", "claim_staking_rewards")
        .add_attribute("staker", info.sender.as_str())
        .add_attribute("amount", paid)
        .add_attribute("streamed", streamed);
    if !forfeited.is_zero() {
        res = res.add_attribute("remainders_to_treasury", forfeited);
    }
    Ok(res.add_message(TokenHandle(config.token).transfer(&info.sender, paid)?))
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

pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    registry: Option<String>,
    unbonding_period: Option<u64>,
    staking_reward_period: Option<u64>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if registry.is_none() && unbonding_period.is_none() && staking_reward_period.is_none() {
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
        res = res.add_attribute("staking_reward_period", p.to_string());
        // The period is the longest any allocation takes to reach stakers: a lower one also
        // brings the running stream's end forward; a higher one applies to later allocations.
        let now = env.block.time.seconds();
        let latest = Uint64::new(now).checked_add(Uint64::new(p))?.u64();
        let (mut staking, streamed) = staking_at(deps.storage, now)?;
        if staking.stream.end > latest {
            math::shorten(&mut staking.stream, now, latest)?;
        }
        STAKING.save(deps.storage, &staking)?;
        res = res
            .add_attribute("streamed", streamed.released)
            .add_attribute("stream_end", staking.stream.end.to_string());
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(res)
}

pub fn update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, &info.sender, action)?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}

/// Kept for queries: a position settled against the current accumulator, without saving.
pub fn settled(pos: &Position, acc: cosmwasm_std::Uint256) -> StdResult<Position> {
    let mut p = pos.clone();
    math::settle(&mut p, acc)?;
    Ok(p)
}
