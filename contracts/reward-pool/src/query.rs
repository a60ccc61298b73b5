use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, HexBinary, Order, Uint128};
use cw_storage_plus::Bound;
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{
    AttestorResponse, AttestorsResponse, AttributionClaimableResponse, AttributionRootInfo,
    AttributionRootResponse, ChallengeInfo, ChallengeResponse, ChallengeStatus, ClaimedResponse,
    ConfigResponse, DatanetPoolResponse, PendingReward, PendingRewardsResponse, PoolLiabilities,
    PositionResponse, RewardRemainders, RootStatus, SolvencyResponse, StakerResponse,
    StakingPoolResponse, CHALLENGER_REWARD_BPS, MAX_ATTESTOR_PENDING_ROOTS,
};
use openledger_common::{page_limit, validate_addr};

use crate::attribution::{
    challenge_entry, claimable_amount, claimable_root, load_influence, reward_share, standing,
    verify_leaf,
};
use crate::error::ContractError;
use crate::execute::{claim_targets, settled};
use crate::math;
use crate::state::{
    attribution_config, bond_totals, Attestor, RootRecord, StakingPool, ATTESTORS,
    ATTRIBUTION_CLAIMED, CONFIG, DATANETS, POSITIONS, STAKERS, STAKING, TOTALS, TREASURY,
    UNBONDING,
};

type QueryResult = Result<Binary, ContractError>;

pub fn config(deps: Deps) -> QueryResult {
    let c = CONFIG.load(deps.storage)?;
    let a = attribution_config(deps.storage)?;
    Ok(to_json_binary(&ConfigResponse {
        token: c.token,
        registry: c.registry,
        unbonding_period: c.unbonding_period,
        staking_reward_period: c.staking_reward_period,
        challenge_window: a.challenge_window,
        attestor_bond: a.attestor_bond,
        challenge_bond: a.challenge_bond,
        challenger_reward_bps: CHALLENGER_REWARD_BPS,
    })?)
}

pub fn datanet_pool(deps: Deps, datanet_id: DatanetId) -> QueryResult {
    let p = DATANETS
        .may_load(deps.storage, datanet_id)?
        .ok_or(ContractError::UnknownDatanet { id: datanet_id })?;
    Ok(to_json_binary(&DatanetPoolResponse {
        datanet_id,
        mode: p.mode,
        total_weight: p.total_weight,
        reward_per_weight: p.reward_per_weight,
        total_distributed: p.total_distributed,
        total_claimed: p.total_claimed,
        unallocated: p.unallocated,
    })?)
}

fn claimable_in(
    deps: Deps,
    addr: &cosmwasm_std::Addr,
    id: DatanetId,
) -> Result<(Uint128, Uint128, Uint128), ContractError> {
    let pool = DATANETS
        .may_load(deps.storage, id)?
        .ok_or(ContractError::UnknownDatanet { id })?;
    let pos = POSITIONS
        .may_load(deps.storage, (addr, id))?
        .unwrap_or_default();
    let s = settled(&pos, pool.reward_per_weight)?;
    Ok((math::claimable(&s)?, pos.weight, pos.claimed))
}

pub fn position(deps: Deps, datanet_id: DatanetId, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (claimable, weight, claimed) = claimable_in(deps, &addr, datanet_id)?;
    Ok(to_json_binary(&PositionResponse {
        datanet_id,
        address: addr,
        weight: cosmwasm_std::Uint64::try_from(weight)
            .map_err(cosmwasm_std::StdError::from)?
            .u64(),
        claimable,
        claimed,
    })?)
}

pub fn pending_rewards(
    deps: Deps,
    address: String,
    datanet_ids: Option<Vec<DatanetId>>,
) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let ids = claim_targets(deps.storage, &addr, datanet_ids)?;
    let mut rewards = Vec::with_capacity(ids.len());
    let mut total = Uint128::zero();
    for id in ids {
        let (amount, _, _) = claimable_in(deps, &addr, id)?;
        total = total.checked_add(amount)?;
        rewards.push(PendingReward {
            datanet_id: id,
            amount,
        });
    }
    Ok(to_json_binary(&PendingRewardsResponse { rewards, total })?)
}

/// The staking pool as the next message would see it: its stream released up to the block
/// time (nothing is written). Returns it with the whole units that release sends to the
/// treasury.
fn staking_now(deps: Deps, env: &Env) -> Result<(StakingPool, Uint128), ContractError> {
    let mut staking = STAKING.load(deps.storage)?;
    let streamed = math::stream_to(&mut staking, env.block.time.seconds())?;
    Ok((staking, streamed.to_treasury))
}

pub fn staker(deps: Deps, env: Env, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (staking, _) = staking_now(deps, &env)?;
    let pos = STAKERS.may_load(deps.storage, &addr)?.unwrap_or_default();
    let s = settled(&pos, staking.reward_per_stake)?;
    Ok(to_json_binary(&StakerResponse {
        staked: pos.weight,
        claimable_rewards: math::claimable(&s)?,
        unbonding: UNBONDING.may_load(deps.storage, &addr)?.unwrap_or_default(),
        address: addr,
    })?)
}

pub fn staking_pool(deps: Deps, env: Env) -> QueryResult {
    let (s, _) = staking_now(deps, &env)?;
    Ok(to_json_binary(&StakingPoolResponse {
        total_staked: s.total_staked,
        total_unbonding: s.total_unbonding,
        reward_per_stake: s.reward_per_stake,
        total_distributed: s.total_distributed,
        total_claimed: s.total_claimed,
        total_forfeited: s.total_forfeited,
        streaming: math::unreleased(&s.stream)?,
        stream_end: s.stream.end,
    })?)
}

pub fn solvency(deps: Deps, env: Env) -> QueryResult {
    let config = CONFIG.load(deps.storage)?;
    // As of the block time: what the stream released since the last update is counted where
    // the next message will put it.
    let (staking, streamed_to_treasury) = staking_now(deps, &env)?;
    let totals = TOTALS.load(deps.storage)?;
    let bonds = bond_totals(deps.storage)?;
    let liabilities = PoolLiabilities {
        treasury: TREASURY
            .load(deps.storage)?
            .checked_add(streamed_to_treasury)?,
        staked: staking.total_staked,
        unbonding: staking.total_unbonding,
        staking_rewards: math::staking_rewards_owed(&staking)?,
        staking_stream: math::unreleased(&staking.stream)?,
        contributor_rewards: totals.contributor_outstanding,
        influence_buckets: totals.influence_outstanding,
        attestor_bonds: bonds.attestor_bonds,
        challenge_bonds: bonds.challenge_bonds,
        challenge_rewards: bonds.challenge_rewards,
    };
    let total_liabilities = [
        liabilities.staked,
        liabilities.unbonding,
        liabilities.staking_rewards,
        liabilities.staking_stream,
        liabilities.contributor_rewards,
        liabilities.influence_buckets,
        liabilities.attestor_bonds,
        liabilities.challenge_bonds,
        liabilities.challenge_rewards,
    ]
    .into_iter()
    .try_fold(liabilities.treasury, |acc, x| acc.checked_add(x))?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    Ok(to_json_binary(&SolvencyResponse {
        balance,
        solvent: balance >= total_liabilities,
        liabilities,
        total_liabilities,
        remainders: RewardRemainders {
            contributors: totals.dropped_scaled,
            stakers: staking.dropped_scaled,
        },
    })?)
}

fn root_info(r: &RootRecord, status: RootStatus) -> AttributionRootInfo {
    AttributionRootInfo {
        epoch: r.epoch,
        root: r.root.clone(),
        cumulative_total: r.cumulative_total,
        attestor: r.attestor.clone(),
        posted_at: r.posted_at,
        claimable_at: r.claimable_at,
        status,
        challenge: r.challenge.as_ref().map(|c| ChallengeInfo {
            challenger: c.challenger.clone(),
            bond: c.bond,
            challenged_at: c.challenged_at,
        }),
        // A root challenged under 0.2.0 counts its one challenge until it is normalised.
        challengers: match &r.challenge {
            Some(_) if r.challengers == 0 => 1,
            _ => r.challengers,
        },
        challenge_bonds: match &r.challenge {
            Some(c) if r.challengers == 0 => c.bond,
            _ => r.challenge_bonds,
        },
        stake: r.stake,
    }
}

/// The datanet's roots as they stand now (a pending root whose window passed unchallenged is
/// reported claimable, as the next message touching the datanet will make it).
pub fn attribution_root(deps: Deps, env: Env, datanet_id: DatanetId) -> QueryResult {
    let (pool, mut state) = load_influence(deps.storage, datanet_id)?;
    state.promote(env.block.time.seconds());
    Ok(to_json_binary(&AttributionRootResponse {
        datanet_id,
        total_received: state.total_received,
        total_paid: pool.total_claimed,
        unallocated: pool.unallocated,
        last_epoch: state.last_epoch,
        next_epoch: state.next_epoch(),
        last_voided_epoch: state.last_voided,
        claimable: state
            .claimable
            .as_ref()
            .map(|r| root_info(r, RootStatus::Claimable)),
        pending: state.pending.as_ref().map(|r| {
            let status = match r.challenge {
                Some(_) => RootStatus::Challenged,
                None => RootStatus::InChallengeWindow,
            };
            root_info(r, status)
        }),
    })?)
}

pub fn claimed(deps: Deps, datanet_id: DatanetId, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    load_influence(deps.storage, datanet_id)?;
    let claimed = ATTRIBUTION_CLAIMED
        .may_load(deps.storage, (datanet_id, &addr))?
        .unwrap_or_default();
    Ok(to_json_binary(&ClaimedResponse {
        datanet_id,
        address: addr,
        claimed,
    })?)
}

pub fn attribution_claimable(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    address: String,
    cumulative_amount: Uint128,
    proof: Vec<HexBinary>,
) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (pool, mut state) = load_influence(deps.storage, datanet_id)?;
    state.promote(env.block.time.seconds());
    let epoch = state
        .claimable
        .as_ref()
        .map(|c| c.epoch)
        .ok_or(ContractError::NoClaimableRoot { datanet_id })?;
    let root = claimable_root(&state, datanet_id, epoch)?;
    verify_leaf(root, datanet_id, &addr, cumulative_amount, &proof)?;
    let claimed = ATTRIBUTION_CLAIMED
        .may_load(deps.storage, (datanet_id, &addr))?
        .unwrap_or_default();
    let claimable = claimable_amount(
        root,
        datanet_id,
        pool.total_claimed,
        claimed,
        cumulative_amount,
    )?;
    Ok(to_json_binary(&AttributionClaimableResponse {
        datanet_id,
        epoch,
        address: addr,
        cumulative_amount,
        claimed,
        claimable,
    })?)
}

pub fn challenge(deps: Deps, datanet_id: DatanetId, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (_, state) = load_influence(deps.storage, datanet_id)?;
    let entry = challenge_entry(deps.storage, datanet_id, &addr, &state)?.ok_or_else(|| {
        ContractError::NoChallenge {
            datanet_id,
            address: addr.to_string(),
        }
    })?;
    let (status, voided) = standing(deps.storage, datanet_id, &entry, &state)?;
    let reward = match &voided {
        Some(v) => reward_share(v, entry.bond)?,
        None => Uint128::zero(),
    };
    let withdrawable = match status {
        ChallengeStatus::Void => entry.bond.checked_add(reward)?,
        ChallengeStatus::Open | ChallengeStatus::Upheld => Uint128::zero(),
    };
    Ok(to_json_binary(&ChallengeResponse {
        datanet_id,
        address: addr,
        epoch: entry.epoch,
        bond: entry.bond,
        challenged_at: entry.challenged_at,
        status,
        reward,
        withdrawable,
    })?)
}

fn attestor_response(
    address: Addr,
    a: Option<Attestor>,
    attestor_bond: Uint128,
    now: u64,
) -> Result<AttestorResponse, ContractError> {
    let approved = a.is_some();
    let a = a.unwrap_or_default();
    let (pending, reserved) = a.reserved(now)?;
    let required = reserved.checked_add(attestor_bond)?;
    Ok(AttestorResponse {
        address,
        approved,
        can_post: approved && a.bond >= required && pending < MAX_ATTESTOR_PENDING_ROOTS,
        bond: a.bond,
        open_challenges: a.open_challenges,
        locked_until: a.locked_until,
        // At most `MAX_ATTESTOR_PENDING_ROOTS`.
        pending_roots: u32::try_from(pending).unwrap_or(u32::MAX),
        reserved,
    })
}

pub fn attestor(deps: Deps, env: Env, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let a = ATTESTORS.may_load(deps.storage, &addr)?;
    let required = attribution_config(deps.storage)?.attestor_bond;
    let now = env.block.time.seconds();
    Ok(to_json_binary(&attestor_response(addr, a, required, now)?)?)
}

pub fn attestors(
    deps: Deps,
    env: Env,
    start_after: Option<String>,
    limit: Option<u32>,
) -> QueryResult {
    let limit = page_limit(limit)?;
    let required = attribution_config(deps.storage)?.attestor_bond;
    let now = env.block.time.seconds();
    let start = start_after
        .map(|s| validate_addr(deps.api, "start_after", &s))
        .transpose()?;
    let attestors = ATTESTORS
        .range(
            deps.storage,
            start.as_ref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(limit)
        .map(|item| {
            let (addr, a) = item?;
            attestor_response(addr, Some(a), required, now)
        })
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(to_json_binary(&AttestorsResponse { attestors })?)
}
