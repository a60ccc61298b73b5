//! The pool's stored state, with the loaders that read it.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, HexBinary, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::{Item, Map};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::reward_pool::{
    AttributionMode, UnbondingEntry, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW, DEFAULT_STAKING_REWARD_PERIOD, MAX_CLAIM_DATANETS,
};

use crate::error::ContractError;
use crate::math;

/// The pool's settings (a config of 0.2.0 has no `staking_reward_period`).
#[cw_serde]
pub struct Config {
    /// The only token this pool takes and pays.
    pub token: Addr,
    /// The only account that may register datanets and update weights.
    pub registry: Option<Addr>,
    /// Seconds from `unstake` to withdrawable.
    pub unbonding_period: u64,
    /// Seconds over which a stakers allocation streams to the stakers (a config of 0.2.0
    /// reads as the default, seven days; `migrate` stores it).
    #[serde(default = "default_staking_reward_period")]
    pub staking_reward_period: u64,
    /// The share of every datanet allocation that goes to the datanet's curators, in basis
    /// points (a config of 0.2.0 or 0.3.0 reads as 0: no share, as then).
    #[serde(default)]
    pub curators_bps: u16,
}

impl Config {
    /// The registry, if `sender` is it; refuses anyone else (`action` names what was tried).
    pub fn ensure_registry(&self, sender: &Addr, action: &str) -> Result<(), ContractError> {
        match &self.registry {
            None => Err(ContractError::RegistryNotSet),
            Some(r) if r == sender => Ok(()),
            Some(_) => Err(ContractError::NotRegistry {
                action: action.to_string(),
                sender: sender.to_string(),
            }),
        }
    }
}

fn default_staking_reward_period() -> u64 {
    DEFAULT_STAKING_REWARD_PERIOD
}

/// One datanet's reward state.
#[cw_serde]
pub struct DatanetPool {
    /// How the datanet's contributors are paid: by weight or by attribution roots.
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
    /// Whether the pool scopes the datanet's rewards by version: false for a datanet of 0.2.0
    /// until the pool first meets it after the upgrade (`versions::sync`).
    #[serde(default)]
    pub synced: bool,
    /// Versions published before the pool scoped rewards by version; they share slot 1.
    #[serde(default)]
    pub legacy_versions: u32,
    /// Published slots (see `versions`).
    #[serde(default)]
    pub slots: u32,
    /// The sum of every slot's reward per weight, scaled by `math::SCALE`.
    #[serde(default)]
    pub slots_sum: Uint256,
    /// Whether contributors may still hold 0.2.0 positions here (true for a datanet stored by
    /// 0.2.0; a datanet registered since never has any, so nothing looks for them).
    #[serde(default = "stored_by_0_2_0")]
    pub legacy: bool,
    /// Whole units each curator of the datanet has earned since the start: the sum of every
    /// allocation's `per_curator` (see `curators`). A curator is owed this minus its snapshot.
    #[serde(default, rename = "ce", skip_serializing_if = "Uint128::is_zero")]
    pub earned_per_curator: Uint128,
    /// How many curators the datanet has now: the size of its set in `curators::CURATOR_SETS`.
    #[serde(default, rename = "cn", skip_serializing_if = "is_zero_u32")]
    pub curators: u32,
    /// Whether the pool knows the datanet's curator set: false for a datanet stored by 0.2.0 or
    /// 0.3.0 until the registry sets it or the pool learns it from the registry (once, at an
    /// allocation while `curators_bps > 0`).
    #[serde(default, rename = "ck", skip_serializing_if = "is_false")]
    pub curators_known: bool,
}

// The curator fields are stored with short keys and left out while empty: the datanet's record
// and the totals are read (and the totals written) by every claim, and storage is priced by the
// byte.
fn is_zero_u32(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn stored_by_0_2_0() -> bool {
    true
}

impl DatanetPool {
    /// Datanet `id`'s pool, or `UnknownDatanet`.
    pub fn load(storage: &dyn Storage, id: DatanetId) -> Result<Self, ContractError> {
        DATANETS
            .may_load(storage, id)?
            .ok_or(ContractError::UnknownDatanet { id })
    }
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

impl Position {
    /// This position settled against the accumulator value `acc`, without saving.
    pub fn settled(&self, acc: Uint256) -> StdResult<Position> {
        let mut p = self.clone();
        math::settle(&mut p, acc)?;
        Ok(p)
    }

    /// Whether the position can never pay anything again: no weight left and less than one
    /// whole unit settled.
    pub fn is_spent(&self) -> bool {
        self.weight.is_zero() && self.accrued_scaled < math::SCALE
    }
}

/// The stakers' reward stream: what stakers allocations brought and the stream has not
/// released yet, released evenly from `start` to `end`, exactly (in units scaled by
/// `math::SCALE`; see `math::release` and `math::extend`). Zero for a pool of 0.2.0 until its
/// first stakers allocation.
#[cw_serde]
#[derive(Default)]
pub struct RewardStream {
    /// Scaled units to release from `start` to `end`.
    pub amount_scaled: Uint256,
    /// Scaled units of `amount_scaled` released so far: `⌊amount · (t − start) / (end − start)⌋`.
    pub emitted_scaled: Uint256,
    /// Released scaled units not yet credited as whole units (below `SCALE`).
    pub carry_scaled: Uint256,
    /// When the current segment began (the last stakers allocation).
    pub start: u64,
    /// When everything will have been released.
    pub end: u64,
}

/// Totals of the staking pool.
#[cw_serde]
#[derive(Default)]
pub struct StakingPool {
    /// Tokens staked and earning.
    pub total_staked: Uint128,
    /// Tokens unstaked and not yet withdrawn.
    pub total_unbonding: Uint128,
    /// Rewards per unit of stake since the start, scaled by `math::SCALE`.
    pub reward_per_stake: Uint256,
    /// Whole units the stream released to the accumulator (credited, rounded up).
    pub total_distributed: Uint128,
    /// Paid out to stakers so far.
    pub total_claimed: Uint128,
    /// Stakers allocations not released yet.
    #[serde(default)]
    pub stream: RewardStream,
    /// Scaled units counted in `total_distributed − total_claimed − total_forfeited` that no
    /// staker holds: the remainders of stakers who left and the accumulator's rounding up
    /// (below `SCALE`; whole units move to the treasury).
    #[serde(default)]
    pub dropped_scaled: Uint256,
    /// Whole units of such remainders moved to the treasury.
    #[serde(default)]
    pub total_forfeited: Uint128,
}

/// Running totals the solvency check reads without iterating.
#[cw_serde]
#[derive(Default)]
pub struct Totals {
    /// Credited to weight-mode contributors and not yet claimed, all datanets.
    pub contributor_outstanding: Uint128,
    /// Arrived in influence-mode buckets and not yet paid, all datanets.
    pub influence_outstanding: Uint128,
    /// Scaled units counted in `contributor_outstanding` that no position holds: remainders
    /// of removed positions and the accumulators' rounding up (below `SCALE`; whole units
    /// move to the treasury).
    #[serde(default)]
    pub dropped_scaled: Uint256,
    /// Account credits (`Allocation::Account`, and curators' earnings moved to their accounts)
    /// not yet claimed.
    #[serde(default)]
    pub credits_outstanding: Uint128,
    /// Curators' earnings not yet moved to their account credits: for every datanet,
    /// `earned_per_curator` minus each current curator's snapshot, summed.
    #[serde(default, rename = "co", skip_serializing_if = "Uint128::is_zero")]
    pub curators_outstanding: Uint128,
}

/// The pool's settings.
pub const CONFIG: Item<Config> = Item::new("config");
/// Treasury balance.
pub const TREASURY: Item<Uint128> = Item::new("treasury");
/// Running totals of what contributors are owed.
pub const TOTALS: Item<Totals> = Item::new("totals");
/// Datanets registered by the registry.
pub const DATANETS: Map<DatanetId, DatanetPool> = Map::new("datanets");
/// Contributor positions, keyed by (contributor, datanet) so one contributor's positions can be
/// listed in order.
pub const POSITIONS: Map<(&Addr, DatanetId), Position> = Map::new("positions");
/// The staking pool's totals and reward stream.
pub const STAKING: Item<StakingPool> = Item::new("staking");
/// Stakers' positions (the weight is the stake).
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

impl AttributionConfig {
    /// The attribution settings (defaults if `migrate` has not stored them yet).
    pub fn load(storage: &dyn Storage) -> StdResult<Self> {
        Ok(ATTRIBUTION_CONFIG.may_load(storage)?.unwrap_or_default())
    }
}

/// Bonds the pool holds for attestation, read by `solvency` without iterating.
#[cw_serde]
#[derive(Default)]
pub struct BondTotals {
    /// Sum of all attestors' bonds.
    pub attestor_bonds: Uint128,
    /// Sum of the bonds of challenges not yet settled: open ones, and those of voided roots
    /// not yet withdrawn by their challengers.
    pub challenge_bonds: Uint128,
    /// Challengers' rewards of voided roots not yet withdrawn, with their rounding dust.
    #[serde(default)]
    pub challenge_rewards: Uint128,
}

impl BondTotals {
    /// The bond totals (zero if never stored).
    pub fn load(storage: &dyn Storage) -> StdResult<Self> {
        Ok(BOND_TOTALS.may_load(storage)?.unwrap_or_default())
    }
}

/// The stake one pending root of an attestor reserves from its bond.
#[cw_serde]
pub struct Reservation {
    /// The datanet of the root.
    pub datanet_id: DatanetId,
    /// The root's epoch.
    pub epoch: u64,
    /// The attestor bond configured when the root was posted: what voiding it slashes.
    pub stake: Uint128,
    /// The root's `claimable_at`: unchallenged, the root can no longer be slashed from then on.
    pub claimable_at: u64,
    /// Challenged: reserved until the owner resolves the challenge.
    pub challenged: bool,
}

impl Reservation {
    /// Whether the root can still be slashed at `now`.
    pub fn live(&self, now: u64) -> bool {
        self.challenged || now < self.claimable_at
    }
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
    /// The stakes of its roots that can still be slashed (at most
    /// `MAX_ATTESTOR_PENDING_ROOTS`; entries whose window passed unchallenged are dropped at
    /// the next post, and never counted). Empty for records of 0.2.0.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
}

impl Attestor {
    /// Approved attestor `address`'s record, or `NotAttestor`.
    pub fn load(storage: &dyn Storage, address: &Addr) -> Result<Self, ContractError> {
        ATTESTORS
            .may_load(storage, address)?
            .ok_or_else(|| ContractError::NotAttestor {
                address: address.to_string(),
            })
    }

    /// Drops the reservations of roots that can no longer be slashed at `now`.
    pub fn prune(&mut self, now: u64) {
        self.reservations.retain(|r| r.live(now));
    }

    /// The roots that can still be slashed at `now`: (count, sum of their stakes).
    pub fn reserved(&self, now: u64) -> StdResult<(usize, Uint128)> {
        self.reservations
            .iter()
            .filter(|r| r.live(now))
            .try_fold((0, Uint128::zero()), |(n, sum), r| {
                Ok((n + 1, sum.checked_add(r.stake)?))
            })
    }

    /// Removes the reservation of the root `epoch` of `datanet_id` (settled by the owner).
    pub fn release(&mut self, datanet_id: DatanetId, epoch: u64) {
        self.reservations
            .retain(|r| (r.datanet_id, r.epoch) != (datanet_id, epoch));
    }
}

/// The first challenge of a pending root (under 0.2.0: its only one, with no
/// `CHALLENGES` entry; see `RootRecord::challengers`).
#[cw_serde]
pub struct Challenge {
    /// Who challenged first.
    pub challenger: Addr,
    /// The bond of that challenge.
    pub bond: Uint128,
    /// When (seconds).
    pub challenged_at: u64,
}

/// A posted attribution root.
#[cw_serde]
pub struct RootRecord {
    /// The root's epoch.
    pub epoch: u64,
    /// 32 bytes.
    pub root: HexBinary,
    /// Everything the root allocates since the first epoch.
    pub cumulative_total: Uint128,
    /// Who posted it.
    pub attestor: Addr,
    /// When (seconds).
    pub posted_at: u64,
    /// `posted_at + challenge_window` at posting: challengeable strictly before, claimable from
    /// then on (inclusive) unless challenged.
    pub claimable_at: u64,
    /// The first challenge: `Some` exactly when the root is challenged (frozen).
    pub challenge: Option<Challenge>,
    /// The datanet's posting sequence number of this root (1, 2, ...; 0 for a root posted by
    /// 0.2.0): tells a challenge of this root from one of an earlier root of the same epoch.
    #[serde(default)]
    pub seq: u64,
    /// The attestor bond this root reserved at posting: what voiding it slashes (0 for a root
    /// posted by 0.2.0: voiding slashes up to the configured `attestor_bond`, as then).
    #[serde(default)]
    pub stake: Uint128,
    /// How many addresses challenged it, each with a `CHALLENGES` entry (0 for a root
    /// challenged under 0.2.0 whose challenge has not been normalised yet).
    #[serde(default)]
    pub challengers: u32,
    /// The sum of their bonds.
    #[serde(default)]
    pub challenge_bonds: Uint128,
    /// The datanet version the attribution was computed over, if named.
    #[serde(default)]
    pub version: Option<u32>,
}

/// An influence datanet's attribution state: constant size, whatever the number of epochs.
#[cw_serde]
#[derive(Default)]
pub struct InfluenceState {
    /// Everything the datanet's bucket has received.
    pub total_received: Uint128,
    /// The last epoch posted, voided or not (0: none yet). Informational: the next epoch
    /// follows the claimable root (`next_epoch`).
    pub last_epoch: u64,
    /// The most recently voided epoch.
    pub last_voided: Option<u64>,
    /// The newest claimable root.
    pub claimable: Option<RootRecord>,
    /// The newest root while it is in its window or challenged.
    pub pending: Option<RootRecord>,
    /// Roots posted since 0.2.0 (0.2.0 did not count them): the `seq` of the latest.
    #[serde(default)]
    pub roots_posted: u64,
}

impl InfluenceState {
    /// The attribution state of influence datanet `id` whose pool is `pool`.
    pub fn stored_or_initial(
        storage: &dyn Storage,
        id: DatanetId,
        pool: &DatanetPool,
    ) -> StdResult<Self> {
        Ok(INFLUENCE
            .may_load(storage, id)?
            .unwrap_or_else(|| InfluenceState {
                total_received: pool.unallocated,
                ..InfluenceState::default()
            }))
    }

    /// The pool and attribution state of influence datanet `datanet_id`; refuses an unknown
    /// datanet and one in weight mode.
    pub fn load(
        storage: &dyn Storage,
        datanet_id: DatanetId,
    ) -> Result<(DatanetPool, Self), ContractError> {
        let pool = DatanetPool::load(storage, datanet_id)?;
        if pool.mode != AttributionMode::Influence {
            return Err(ContractError::NotInfluenceMode { id: datanet_id });
        }
        let state = Self::stored_or_initial(storage, datanet_id, &pool)?;
        Ok((pool, state))
    }

    /// The epoch the next root must carry: the claimable root's + 1, or 1 before any. Epochs
    /// advance by one, so only a root posted by 0.2.0 (which took any greater epoch) can hold
    /// `u64::MAX`; after it the numbering starts again at 1 rather than locking the bucket.
    pub fn next_epoch(&self) -> u64 {
        self.claimable
            .as_ref()
            .and_then(|c| c.epoch.checked_add(1))
            .unwrap_or(1)
    }

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

/// Influence-attribution settings.
pub const ATTRIBUTION_CONFIG: Item<AttributionConfig> = Item::new("attribution_config");
/// Bonds held for attestation.
pub const BOND_TOTALS: Item<BondTotals> = Item::new("bond_totals");
/// Approved attestors.
pub const ATTESTORS: Map<&Addr, Attestor> = Map::new("attestors");
/// Attribution state of influence datanets. A datanet registered before this key existed has
/// no entry: it reads as `InfluenceState { total_received: its unallocated bucket, .. }` (no root
/// could have been posted then, so everything that arrived is still unallocated).
pub const INFLUENCE: Map<DatanetId, InfluenceState> = Map::new("influence");
/// Cumulative amount each contributor has claimed from each influence datanet.
pub const ATTRIBUTION_CLAIMED: Map<(DatanetId, &Addr), Uint128> = Map::new("attribution_claimed");

/// One address's challenge of one root.
#[cw_serde]
pub struct ChallengeEntry {
    /// The challenged root's `seq`.
    pub seq: u64,
    /// The challenged root's epoch.
    pub epoch: u64,
    /// The challenge's bond.
    pub bond: Uint128,
    /// When (seconds).
    pub challenged_at: u64,
}

/// Each address's latest unsettled challenge in each datanet (at most one: challenging a
/// newer root settles the older one first).
pub const CHALLENGES: Map<(DatanetId, &Addr), ChallengeEntry> = Map::new("challenges");

/// A voided root whose challengers have not all withdrawn.
#[cw_serde]
pub struct VoidedRoot {
    /// The voided root's epoch.
    pub epoch: u64,
    /// The challengers' reward: `CHALLENGER_REWARD_BPS` of the slash.
    pub reward: Uint128,
    /// The sum of the challengers' bonds (the denominator of each share).
    pub bonds: Uint128,
    /// Challengers that have not withdrawn yet.
    pub challengers_left: u32,
    /// Reward not paid yet; what is left after the last withdrawal (rounding dust) goes to the
    /// treasury.
    pub reward_left: Uint128,
}

/// Voided roots by (datanet, seq), until their last challenger withdraws.
pub const VOIDED: Map<(DatanetId, u64), VoidedRoot> = Map::new("voided_roots");

/// The datanets a claim or query covers: the given ones (at most 30, distinct) or the first 30
/// datanets `addr` holds a position in, as a contributor or as a curator.
pub fn claim_targets(
    storage: &dyn Storage,
    addr: &Addr,
    datanet_ids: Option<Vec<DatanetId>>,
) -> Result<Vec<DatanetId>, ContractError> {
    let Some(ids) = datanet_ids else {
        return Ok(crate::curators::positions_and_curated(
            storage,
            addr,
            None,
            MAX_CLAIM_DATANETS,
        )?);
    };
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

/// Adds `amount` to the treasury (nothing is written for zero).
pub fn add_to_treasury(storage: &mut dyn Storage, amount: Uint128) -> StdResult<()> {
    if amount.is_zero() {
        return Ok(());
    }
    TREASURY.update(storage, |t| -> StdResult<_> { Ok(t.checked_add(amount)?) })?;
    Ok(())
}
