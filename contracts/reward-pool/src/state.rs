use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128, Uint256};
use cw_storage_plus::{Item, Map};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{AttributionMode, UnbondingEntry};

#[cw_serde]
pub struct Config {
    /// The only token this pool takes and pays.
    pub token: Addr,
    /// The only account that may register datanets and update weights.
    pub registry: Option<Addr>,
    /// Seconds from `unstake` to withdrawable.
    pub unbonding_period: u64,
}

/// One datanet's reward state.
#[cw_serde]
pub struct DatanetPool {
    pub mode: AttributionMode,
    /// Sum of contributors' weights (weight mode).
    pub total_weight: u64,
    /// Rewards per unit of weight since the start, scaled by `math::SCALE`.
    pub reward_per_weight: Uint256,
    /// Credited to contributors so far (weight mode).
    pub total_distributed: Uint128,
    /// Claimed by contributors so far.
    pub total_claimed: Uint128,
    /// Influence mode: arrived and not yet allocated by an attested root.
    pub unallocated: Uint128,
}

/// A contributor's position in a weight-mode datanet (or a staker's in the staking pool).
#[cw_serde]
#[derive(Default)]
pub struct Position {
    /// Weight (or stake) that earns.
    pub weight: Uint128,
    /// The accumulator value at the last settlement.
    pub index: Uint256,
    /// Settled and unpaid rewards, scaled by `math::SCALE`: the sub-unit remainder of each
    /// payout stays here, so a recipient never loses more than one unit in total.
    pub accrued_scaled: Uint256,
    /// Paid out so far.
    pub claimed: Uint128,
}

/// Totals of the staking pool.
#[cw_serde]
#[derive(Default)]
pub struct StakingPool {
    pub total_staked: Uint128,
    pub total_unbonding: Uint128,
    pub reward_per_stake: Uint256,
    pub total_distributed: Uint128,
    pub total_claimed: Uint128,
}

/// Running totals the solvency check reads without iterating.
#[cw_serde]
#[derive(Default)]
pub struct Totals {
    /// Credited to weight-mode contributors and not yet claimed, all datanets.
    pub contributor_outstanding: Uint128,
    /// Arrived in influence-mode buckets and not yet paid, all datanets.
    pub influence_outstanding: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
/// Treasury balance.
pub const TREASURY: Item<Uint128> = Item::new("treasury");
pub const TOTALS: Item<Totals> = Item::new("totals");
/// Datanets registered by the registry.
pub const DATANETS: Map<DatanetId, DatanetPool> = Map::new("datanets");
/// Contributor positions, keyed by (contributor, datanet) so one contributor's positions can be
/// listed in order.
pub const POSITIONS: Map<(&Addr, DatanetId), Position> = Map::new("positions");
pub const STAKING: Item<StakingPool> = Item::new("staking");
pub const STAKERS: Map<&Addr, Position> = Map::new("stakers");
/// Unbonding entries per staker, oldest first (at most `MAX_UNBONDING_ENTRIES`).
pub const UNBONDING: Map<&Addr, Vec<UnbondingEntry>> = Map::new("unbonding");
