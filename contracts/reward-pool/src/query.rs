//! The queries: each returns its typed response; the `query` entry point serialises it.

use cosmwasm_std::{Addr, Deps, Env, HexBinary, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{
    AttestorResponse, AttestorsResponse, AttributionClaimableResponse, AttributionRootInfo,
    AttributionRootResponse, ChallengeInfo, ChallengeResponse, ChallengeStatus, ClaimedResponse,
    ConfigResponse, DatanetPoolResponse, PoolLiabilities, RewardRemainders, RootStatus,
    SolvencyResponse, StakerResponse, StakingPoolResponse, CHALLENGER_REWARD_BPS,
    MAX_ATTESTOR_PENDING_ROOTS,
};
use openledger_common::pagination::addr_page;
use openledger_common::validate_addr;

use crate::attribution::{challenge_entry, leaf_claim, reward_share, standing, Leaf};
use crate::error::ContractError;
use crate::math;
use crate::state::{
    Attestor, AttributionConfig, BondTotals, DatanetPool, InfluenceState, RootRecord, StakingPool,
    ATTESTORS, ATTRIBUTION_CLAIMED, CONFIG, STAKERS, STAKING, TOTALS, TREASURY, UNBONDING,
};

/// `config`: the pool's settings and the attribution settings.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let c = CONFIG.load(deps.storage)?;
    let a = AttributionConfig::load(deps.storage)?;
    Ok(ConfigResponse {
        token: c.token,
        registry: c.registry,
        unbonding_period: c.unbonding_period,
        staking_reward_period: c.staking_reward_period,
        challenge_window: a.challenge_window,
        attestor_bond: a.attestor_bond,
        challenge_bond: a.challenge_bond,
        challenger_reward_bps: CHALLENGER_REWARD_BPS,
        curators_bps: c.curators_bps,
    })
}

/// `datanet_pool`: a registered datanet's reward state.
pub fn datanet_pool(
    deps: Deps,
    datanet_id: DatanetId,
) -> Result<DatanetPoolResponse, ContractError> {
    let p = DatanetPool::load(deps.storage, datanet_id)?;
    Ok(DatanetPoolResponse {
        datanet_id,
        mode: p.mode,
        total_weight: p.total_weight,
        reward_per_weight: p.reward_per_weight,
        total_distributed: p.total_distributed,
        total_claimed: p.claimed(deps.storage, datanet_id)?,
        unallocated: p.unallocated,
        versions: p.versions(),
        legacy_versions: p.legacy_versions,
    })
}

/// The staking pool as the next message would see it: its stream released up to the block
/// time (nothing is written). Returns it with the whole units that release sends to the
/// treasury.
fn staking_now(deps: Deps, env: &Env) -> Result<(StakingPool, Uint128), ContractError> {
    let mut staking = STAKING.load(deps.storage)?;
    let streamed = math::stream_to(&mut staking, env.block.time.seconds())?;
    Ok((staking, streamed.to_treasury))
}

/// `staker`: a staker's stake, claimable rewards (as of the block time) and unbonding
/// entries.
pub fn staker(deps: Deps, env: Env, address: String) -> Result<StakerResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (staking, _) = staking_now(deps, &env)?;
    let pos = STAKERS.may_load(deps.storage, &addr)?.unwrap_or_default();
    let s = pos.settled(staking.reward_per_stake)?;
    Ok(StakerResponse {
        staked: pos.weight,
        claimable_rewards: math::claimable(&s)?,
        unbonding: UNBONDING.may_load(deps.storage, &addr)?.unwrap_or_default(),
        address: addr,
    })
}

/// `staking_pool`: the staking pool's totals and stream, as of the block time.
pub fn staking_pool(deps: Deps, env: Env) -> Result<StakingPoolResponse, ContractError> {
    let (s, _) = staking_now(deps, &env)?;
    Ok(StakingPoolResponse {
        total_staked: s.total_staked,
        total_unbonding: s.total_unbonding,
        reward_per_stake: s.reward_per_stake,
        total_distributed: s.total_distributed,
        total_claimed: s.total_claimed,
        total_forfeited: s.total_forfeited,
        streaming: math::unreleased(&s.stream)?,
        stream_end: s.stream.end,
    })
}

/// `solvency`: the pool's token balance against everything it owes, as of the block time.
pub fn solvency(deps: Deps, env: Env) -> Result<SolvencyResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    // As of the block time: what the stream released since the last update is counted where
    // the next message will put it.
    let (staking, streamed_to_treasury) = staking_now(deps, &env)?;
    let totals = TOTALS.load(deps.storage)?;
    let bonds = BondTotals::load(deps.storage)?;
    let liabilities = PoolLiabilities {
        treasury: TREASURY
            .load(deps.storage)?
            .checked_add(streamed_to_treasury)?,
        staked: staking.total_staked,
        unbonding: staking.total_unbonding,
        staking_rewards: math::staking_rewards_owed(&staking)?,
        staking_stream: math::unreleased(&staking.stream)?,
        contributor_rewards: totals.contributor_outstanding,
        account_credits: totals.credits_outstanding,
        curator_earnings: totals.curators_outstanding,
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
        liabilities.account_credits,
        liabilities.curator_earnings,
        liabilities.influence_buckets,
        liabilities.attestor_bonds,
        liabilities.challenge_bonds,
        liabilities.challenge_rewards,
    ]
    .into_iter()
    .try_fold(liabilities.treasury, |acc, x| acc.checked_add(x))?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    Ok(SolvencyResponse {
        balance,
        solvent: balance >= total_liabilities,
        liabilities,
        total_liabilities,
        remainders: RewardRemainders {
            contributors: totals.dropped_scaled,
            stakers: staking.dropped_scaled,
        },
    })
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
        version: r.version,
    }
}

/// The datanet's roots as they stand now (a pending root whose window passed unchallenged is
/// reported claimable, as the next message touching the datanet will make it).
pub fn attribution_root(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
) -> Result<AttributionRootResponse, ContractError> {
    let (pool, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    state.promote(env.block.time.seconds());
    Ok(AttributionRootResponse {
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
    })
}

/// `claimed`: what an address has claimed from an influence datanet.
pub fn claimed(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<ClaimedResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    InfluenceState::load(deps.storage, datanet_id)?;
    let claimed = ATTRIBUTION_CLAIMED
        .may_load(deps.storage, (datanet_id, &addr))?
        .unwrap_or_default();
    Ok(ClaimedResponse {
        datanet_id,
        address: addr,
        claimed,
    })
}

/// `attribution_claimable`: what a leaf may claim now against the datanet's claimable root.
pub fn attribution_claimable(
    deps: Deps,
    env: Env,
    datanet_id: DatanetId,
    address: String,
    cumulative_amount: Uint128,
    proof: Vec<HexBinary>,
) -> Result<AttributionClaimableResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (pool, mut state) = InfluenceState::load(deps.storage, datanet_id)?;
    state.promote(env.block.time.seconds());
    let epoch = state
        .claimable
        .as_ref()
        .map(|c| c.epoch)
        .ok_or(ContractError::NoClaimableRoot { datanet_id })?;
    let leaf = Leaf {
        address: &addr,
        cumulative_amount,
        proof: &proof,
    };
    let (claimed, claimable) = leaf_claim(deps.storage, &pool, &state, datanet_id, epoch, &leaf)?;
    Ok(AttributionClaimableResponse {
        datanet_id,
        epoch,
        address: addr,
        cumulative_amount,
        claimed,
        claimable,
    })
}

/// `challenge`: an address's unsettled challenge in a datanet and what it may withdraw.
pub fn challenge(
    deps: Deps,
    datanet_id: DatanetId,
    address: String,
) -> Result<ChallengeResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let (_, state) = InfluenceState::load(deps.storage, datanet_id)?;
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
    Ok(ChallengeResponse {
        datanet_id,
        address: addr,
        epoch: entry.epoch,
        bond: entry.bond,
        challenged_at: entry.challenged_at,
        status,
        reward,
        withdrawable,
    })
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

/// `attestor`: an address's attestor record (not approved: an empty one).
pub fn attestor(deps: Deps, env: Env, address: String) -> Result<AttestorResponse, ContractError> {
    let addr = validate_addr(deps.api, "address", &address)?;
    let a = ATTESTORS.may_load(deps.storage, &addr)?;
    let required = AttributionConfig::load(deps.storage)?.attestor_bond;
    let now = env.block.time.seconds();
    attestor_response(addr, a, required, now)
}

/// `attestors`: approved attestors by address, a page at a time.
pub fn attestors(
    deps: Deps,
    env: Env,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<AttestorsResponse, ContractError> {
    let page =
        addr_page::<_, ContractError>(deps.storage, deps.api, &ATTESTORS, start_after, limit)?;
    let required = AttributionConfig::load(deps.storage)?.attestor_bond;
    let now = env.block.time.seconds();
    let attestors = page
        .into_iter()
        .map(|(addr, a)| attestor_response(addr, Some(a), required, now))
        .collect::<Result<Vec<_>, ContractError>>()?;
    Ok(AttestorsResponse { attestors })
}
