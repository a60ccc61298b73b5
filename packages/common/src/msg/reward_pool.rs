//! Messages of the reward pool: fee distribution, contributor rewards by weight, staking,
//! treasury.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;
use cw_ownable::{cw_ownable_execute, cw_ownable_query};

use crate::attribution::DatanetId;

/// How a datanet's share reaches its contributors.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum AttributionMode {
    /// In proportion to curator-accepted weights, through a reward-per-weight accumulator.
    Weight,
    /// By attested, challengeable Merkle roots of influence-based entitlements; the datanet's
    /// share accrues to an unallocated bucket that roots may allocate.
    Influence,
}

/// The most allocations one `distribute` may carry.
pub const MAX_ALLOCATIONS: usize = 32;
/// The most datanets one `claim` may name.
pub const MAX_CLAIM_DATANETS: usize = 30;
/// The most weight updates one `update_weights` may carry (one review batch).
pub const MAX_WEIGHT_UPDATES: usize = 50;
/// The most unbonding entries a staker may have at once.
pub const MAX_UNBONDING_ENTRIES: usize = 16;

#[cw_serde]
pub struct InstantiateMsg {
    /// Owner of the pool (treasury withdrawals, configuration); defaults to the sender.
    pub owner: Option<String>,
    /// The fee token (OPEN) this pool holds and pays out.
    pub token: String,
    /// The datanet registry, the only account allowed to register datanets and update weights.
    /// May be set later with `update_config` (the two contracts refer to each other).
    pub registry: Option<String>,
    /// Seconds between `unstake` and the moment the tokens can be withdrawn.
    pub unbonding_period: u64,
}

/// One part of a `distribute`.
#[cw_serde]
pub enum Allocation {
    /// For a datanet's contributors.
    Datanet {
        /// The datanet.
        id: DatanetId,
        /// Amount in token base units.
        amount: Uint128,
    },
    /// For OPEN stakers, in proportion to their stake.
    Stakers {
        /// Amount in token base units.
        amount: Uint128,
    },
    /// For the protocol treasury.
    Treasury {
        /// Amount in token base units.
        amount: Uint128,
    },
}

/// Messages that travel inside a cw20 `send` of the fee token to the pool.
#[cw_serde]
pub enum ReceiveMsg {
    /// Splits the tokens sent over datanets, stakers and the treasury. The allocations (at
    /// most 32) must sum exactly to the amount sent.
    Distribute {
        /// Where the tokens go.
        allocations: Vec<Allocation>,
    },
    /// Stakes the tokens sent for the sender of the cw20 `send`.
    Stake {},
}

/// A contributor's new total weight in one datanet.
#[cw_serde]
pub struct WeightUpdate {
    /// The contributor.
    pub address: String,
    /// Their new total accepted weight in the datanet (absolute, not a delta).
    pub weight: u64,
}

#[cw_ownable_execute]
#[cw_serde]
pub enum ExecuteMsg {
    /// cw20 hook: only the configured token may call it.
    Receive(Cw20ReceiveMsg),
    /// Registry only: a datanet was created with this attribution mode.
    RegisterDatanet {
        /// The new datanet.
        datanet_id: DatanetId,
        /// How its share reaches its contributors.
        mode: AttributionMode,
    },
    /// Registry only: new total weights of contributors of one weight-mode datanet. The
    /// accumulator is settled for each before the change, so nobody earns for time before
    /// they held the weight.
    UpdateWeights {
        /// The datanet.
        datanet_id: DatanetId,
        /// At most 50 updates, each address at most once.
        updates: Vec<WeightUpdate>,
    },
    /// Pays the sender everything earned in the given datanets (at most 30), or in the first
    /// 30 datanets they hold a position in when omitted.
    Claim {
        /// Datanets to claim from.
        datanet_ids: Option<Vec<DatanetId>>,
    },
    /// Starts unbonding `amount` of the sender's stake; rewards stop accruing on it now.
    Unstake {
        /// Amount to unstake, at most the current stake.
        amount: Uint128,
    },
    /// Pays the sender every unbonding entry whose unbonding period has passed.
    WithdrawUnbonded {},
    /// Pays the sender's accrued staking rewards.
    ClaimStakingRewards {},
    /// Owner only: pays `amount` of the treasury to `recipient`.
    WithdrawTreasury {
        /// Amount to withdraw, at most the treasury balance.
        amount: Uint128,
        /// Recipient; defaults to the owner.
        recipient: Option<String>,
    },
    /// Owner only: changes the registry or the unbonding period (applies to new unbondings).
    UpdateConfig {
        /// New datanet registry.
        registry: Option<String>,
        /// New unbonding period in seconds.
        unbonding_period: Option<u64>,
    },
}

#[cw_ownable_query]
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The pool's configuration.
    #[returns(ConfigResponse)]
    Config {},
    /// What `address` could claim now, per datanet (the given ones, at most 30, or the first
    /// 30 positions).
    #[returns(PendingRewardsResponse)]
    PendingRewards {
        /// The contributor.
        address: String,
        /// Datanets to look at.
        datanet_ids: Option<Vec<DatanetId>>,
    },
    /// One datanet's reward state.
    #[returns(DatanetPoolResponse)]
    DatanetPool {
        /// The datanet.
        datanet_id: DatanetId,
    },
    /// One contributor's position in one datanet.
    #[returns(PositionResponse)]
    Position {
        /// The datanet.
        datanet_id: DatanetId,
        /// The contributor.
        address: String,
    },
    /// One staker's stake, rewards and unbonding entries.
    #[returns(StakerResponse)]
    Staker {
        /// The staker.
        address: String,
    },
    /// Totals of the staking pool.
    #[returns(StakingPoolResponse)]
    StakingPool {},
    /// Token balance against everything the pool owes.
    #[returns(SolvencyResponse)]
    Solvency {},
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct ConfigResponse {
    /// The fee token.
    pub token: Addr,
    /// The datanet registry, once wired.
    pub registry: Option<Addr>,
    /// Unbonding period in seconds.
    pub unbonding_period: u64,
}

#[cw_serde]
pub struct DatanetPoolResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Its attribution mode.
    pub mode: AttributionMode,
    /// Sum of its contributors' weights in the pool.
    pub total_weight: u64,
    /// Accumulated rewards per unit of weight, scaled by 10^18.
    pub reward_per_weight: Uint256,
    /// Everything credited to its contributors so far (weight mode).
    pub total_distributed: Uint128,
    /// Everything its contributors have claimed so far.
    pub total_claimed: Uint128,
    /// Influence mode: what arrived and awaits allocation by attested roots.
    pub unallocated: Uint128,
}

#[cw_serde]
pub struct PositionResponse {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// The contributor.
    pub address: Addr,
    /// Their current weight.
    pub weight: u64,
    /// What they could claim now.
    pub claimable: Uint128,
    /// What they have claimed so far.
    pub claimed: Uint128,
}

#[cw_serde]
pub struct PendingReward {
    /// The datanet.
    pub datanet_id: DatanetId,
    /// Claimable amount.
    pub amount: Uint128,
}

#[cw_serde]
pub struct PendingRewardsResponse {
    /// Per datanet.
    pub rewards: Vec<PendingReward>,
    /// Their sum.
    pub total: Uint128,
}

#[cw_serde]
pub struct UnbondingEntry {
    /// Amount unbonding.
    pub amount: Uint128,
    /// Seconds since the epoch from which it can be withdrawn (inclusive).
    pub release_at: u64,
}

#[cw_serde]
pub struct StakerResponse {
    /// The staker.
    pub address: Addr,
    /// Current stake.
    pub staked: Uint128,
    /// Staking rewards claimable now.
    pub claimable_rewards: Uint128,
    /// Pending unbondings, oldest first.
    pub unbonding: Vec<UnbondingEntry>,
}

#[cw_serde]
pub struct StakingPoolResponse {
    /// Sum of all stakes.
    pub total_staked: Uint128,
    /// Sum of all unbonding entries.
    pub total_unbonding: Uint128,
    /// Accumulated rewards per staked unit, scaled by 10^18.
    pub reward_per_stake: Uint256,
    /// Everything credited to stakers so far.
    pub total_distributed: Uint128,
    /// Everything stakers have claimed so far.
    pub total_claimed: Uint128,
}

/// What the pool owes, by kind.
#[cw_serde]
pub struct PoolLiabilities {
    /// Treasury balance.
    pub treasury: Uint128,
    /// Active stakes.
    pub staked: Uint128,
    /// Unbonding stakes.
    pub unbonding: Uint128,
    /// Staking rewards credited and not yet claimed.
    pub staking_rewards: Uint128,
    /// Contributor rewards credited and not yet claimed (all datanets).
    pub contributor_rewards: Uint128,
    /// Influence-mode buckets not yet claimed.
    pub influence_buckets: Uint128,
}

#[cw_serde]
pub struct SolvencyResponse {
    /// The pool's balance of the fee token.
    pub balance: Uint128,
    /// What it owes, by kind.
    pub liabilities: PoolLiabilities,
    /// Sum of the liabilities.
    pub total_liabilities: Uint128,
    /// `balance >= total_liabilities`.
    pub solvent: bool,
}
