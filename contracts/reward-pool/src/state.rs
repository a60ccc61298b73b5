use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::{Item, Map};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{
    AttributionMode, UnbondingEntry, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW,
};

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

/// Influence-attribution settings (a key of their own: pools instantiated before attribution
/// roots existed get it in `migrate`).
#[cw_serde]
pub struct AttributionConfig {
    /// Seconds from posting a root to the moment it becomes claimable.
    pub challenge_window: u64,
    /// Minimum bond an attestor must hold to post.
    pub attestor_bond: Uint128,
    /// Minimum bond of a challenge.
    pub challenge_bond: Uint128,
}

impl Default for AttributionConfig {
    fn default() -> Self {
        AttributionConfig {
            challenge_window: DEFAULT_CHALLENGE_WINDOW,
            attestor_bond: DEFAULT_ATTESTOR_BOND,
            challenge_bond: DEFAULT_CHALLENGE_BOND,
        }
    }
}

/// Bonds the pool holds for attestation, read by `solvency` without iterating.
#[cw_serde]
#[derive(Default)]
pub struct BondTotals {
    /// Sum of all attestors' bonds.
    pub attestor_bonds: Uint128,
    /// Sum of the bonds of open challenges.
    pub challenge_bonds: Uint128,
}

/// An approved attestor (the record exists exactly while it is approved).
#[cw_serde]
#[derive(Default)]
pub struct Attestor {
    /// Its bond.
    pub bond: Uint128,
    /// Open challenges against its roots.
    pub open_challenges: u32,
    /// End of the challenge window of its latest root: the bond stays until then.
    pub locked_until: u64,
}

/// An open challenge of a pending root.
#[cw_serde]
pub struct Challenge {
    pub challenger: Addr,
    pub bond: Uint128,
    pub challenged_at: u64,
}

/// A posted attribution root.
#[cw_serde]
pub struct RootRecord {
    pub epoch: u64,
    /// 32 bytes.
    pub root: HexBinary,
    pub cumulative_total: Uint128,
    pub attestor: Addr,
    pub posted_at: u64,
    /// `posted_at + challenge_window` at posting: challengeable strictly before, claimable from
    /// then on (inclusive) unless challenged.
    pub claimable_at: u64,
    pub challenge: Option<Challenge>,
}

/// An influence datanet's attribution state: constant size, whatever the number of epochs.
#[cw_serde]
#[derive(Default)]
pub struct InfluenceState {
    /// Everything the datanet's bucket has received.
    pub total_received: Uint128,
    /// The last epoch posted (0: none yet).
    pub last_epoch: u64,
    /// The most recently voided epoch.
    pub last_voided: Option<u64>,
    /// The newest claimable root.
    pub claimable: Option<RootRecord>,
    /// The newest root while it is in its window or challenged.
    pub pending: Option<RootRecord>,
}

impl InfluenceState {
    /// Promotes the pending root to claimable if its window has passed unchallenged; returns
    /// whether it did (the caller saves the state).
    pub fn promote(&mut self, now: u64) -> bool {
        let ready =
            matches!(&self.pending, Some(p) if p.challenge.is_none() && now >= p.claimable_at);
        if ready {
            self.claimable = self.pending.take();
        }
        ready
    }

    /// The cumulative total of the newest root that is not void (pending or claimable).
    pub fn allocated(&self) -> Uint128 {
        self.pending
            .as_ref()
            .or(self.claimable.as_ref())
            .map_or(Uint128::zero(), |r| r.cumulative_total)
    }
}

pub const ATTRIBUTION_CONFIG: Item<AttributionConfig> = Item::new("attribution_config");
pub const BOND_TOTALS: Item<BondTotals> = Item::new("bond_totals");
/// Approved attestors.
pub const ATTESTORS: Map<&Addr, Attestor> = Map::new("attestors");
/// Attribution state of influence datanets. A datanet registered before this key existed has
/// no entry: it reads as `InfluenceState { total_received: its unallocated bucket, .. }` (no root
/// could have been posted then, so everything that arrived is still unallocated).
pub const INFLUENCE: Map<DatanetId, InfluenceState> = Map::new("influence");
/// Cumulative amount each contributor has claimed from each influence datanet.
pub const ATTRIBUTION_CLAIMED: Map<(DatanetId, &Addr), Uint128> = Map::new("attribution_claimed");

/// The attribution settings (defaults if `migrate` has not stored them yet).
pub fn attribution_config(storage: &dyn Storage) -> StdResult<AttributionConfig> {
    Ok(ATTRIBUTION_CONFIG.may_load(storage)?.unwrap_or_default())
}

/// The bond totals (zero if never stored).
pub fn bond_totals(storage: &dyn Storage) -> StdResult<BondTotals> {
    Ok(BOND_TOTALS.may_load(storage)?.unwrap_or_default())
}

/// The attribution state of influence datanet `id` whose pool is `pool`.
pub fn influence_state(
    storage: &dyn Storage,
    id: DatanetId,
    pool: &DatanetPool,
) -> StdResult<InfluenceState> {
    Ok(INFLUENCE
        .may_load(storage, id)?
        .unwrap_or_else(|| InfluenceState {
            total_received: pool.unallocated,
            ..InfluenceState::default()
        }))
}
