use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::TokenHandle;
use openledger_common::msg::reward_pool::{
    ConfigResponse, DatanetPoolResponse, PendingReward, PendingRewardsResponse, PoolLiabilities,
    PositionResponse, SolvencyResponse, StakerResponse, StakingPoolResponse,
};
use openledger_common::validate_addr;

use crate::error::ContractError;
use crate::execute::{claim_targets, settled};
use crate::math;
use crate::state::{CONFIG, DATANETS, POSITIONS, STAKERS, STAKING, TOTALS, TREASURY, UNBONDING};

type QueryResult = Result<Binary, ContractError>;

pub fn config(deps: Deps) -> QueryResult {
    let c = CONFIG.load(deps.storage)?;
    Ok(to_json_binary(&ConfigResponse {
        token: c.token,
        registry: c.registry,
        unbonding_period: c.unbonding_period,
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

pub fn staker(deps: Deps, address: String) -> QueryResult {
    let addr = validate_addr(deps.api, "address", &address)?;
    let staking = STAKING.load(deps.storage)?;
    let pos = STAKERS.may_load(deps.storage, &addr)?.unwrap_or_default();
    let s = settled(&pos, staking.reward_per_stake)?;
    Ok(to_json_binary(&StakerResponse {
        staked: pos.weight,
        claimable_rewards: math::claimable(&s)?,
        unbonding: UNBONDING.may_load(deps.storage, &addr)?.unwrap_or_default(),
        address: addr,
    })?)
}

pub fn staking_pool(deps: Deps) -> QueryResult {
    let s = STAKING.load(deps.storage)?;
    Ok(to_json_binary(&StakingPoolResponse {
        total_staked: s.total_staked,
        total_unbonding: s.total_unbonding,
        reward_per_stake: s.reward_per_stake,
        total_distributed: s.total_distributed,
        total_claimed: s.total_claimed,
    })?)
}

pub fn solvency(deps: Deps, env: Env) -> QueryResult {
    let config = CONFIG.load(deps.storage)?;
    let staking = STAKING.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let liabilities = PoolLiabilities {
        treasury: TREASURY.load(deps.storage)?,
        staked: staking.total_staked,
        unbonding: staking.total_unbonding,
        staking_rewards: staking
            .total_distributed
            .checked_sub(staking.total_claimed)?,
        contributor_rewards: totals.contributor_outstanding,
        influence_buckets: totals.influence_outstanding,
    };
    let total_liabilities = [
        liabilities.staked,
        liabilities.unbonding,
        liabilities.staking_rewards,
        liabilities.contributor_rewards,
        liabilities.influence_buckets,
    ]
    .into_iter()
    .try_fold(liabilities.treasury, |acc, x| acc.checked_add(x))?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    Ok(to_json_binary(&SolvencyResponse {
        balance,
        solvent: balance >= total_liabilities,
        liabilities,
        total_liabilities,
    })?)
}
