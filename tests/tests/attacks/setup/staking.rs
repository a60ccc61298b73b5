//! Security review (issue 13), reward pool outside attribution roots: just-in-time staking
//! (finding 8), rounding remainders stranded by removals (finding 6), and their classes —
//! every remainder the pool drops, every number a participant chooses (allocation amounts and
//! their cadence, periods), every term that changes between a quote and its execution
//! (unbonding and reward periods), every shared pool a payout draws on. Each fix is checked
//! with exact amounts the test works out itself (saying what 0.2.0 did); each refused attack
//! asserts its exact error and, through `refused`, unchanged storage and balances. After every
//! step that moves rewards, `assert_liabilities_match_claims` checks that what the pool owes is
//! exactly what its positions can still claim.

pub use super::pool::solvency;
pub use cosmwasm_std::{Addr, Uint128, Uint256};
pub use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionPolicy, ExecuteMsg as RegExec, NewContribution, NewDatanet,
    ReviewDecision,
};
pub use openledger_common::msg::reward_pool::{
    Allocation, ExecuteMsg as PoolExec, QueryMsg as PoolQuery, ReceiveMsg as PoolHook,
    SolvencyResponse, StakerResponse, StakingPoolResponse, DEFAULT_STAKING_REWARD_PERIOD,
    MAX_STAKING_REWARD_PERIOD, MAX_UNBONDING_PERIOD, MIN_STAKING_REWARD_PERIOD,
};
pub use openledger_common::REWARD_SCALE;
pub use openledger_tests::pool_helpers::assert_liabilities_match_claims;
pub use openledger_tests::{data_hash, refused, Suite, UNBONDING_PERIOD};
pub use reward_pool::ContractError as PoolError;

/// The staking reward period of the suite's pool.
pub const PERIOD: u64 = DEFAULT_STAKING_REWARD_PERIOD;
/// One block.
pub const BLOCK: u64 = 5;

/// The block time, in seconds since the epoch.
pub fn now(s: &Suite) -> u64 {
    s.app.block_info().time.seconds()
}

/// The pool's record of staker `who`.
pub fn staker(s: &Suite, who: &Addr) -> StakerResponse {
    s.query_pool(&PoolQuery::Staker {
        address: who.to_string(),
    })
}

/// The staking rewards `who` can claim now.
pub fn claimable(s: &Suite, who: &Addr) -> u128 {
    staker(s, who).claimable_rewards.u128()
}

/// The pool's staking state.
pub fn staking_pool(s: &Suite) -> StakingPoolResponse {
    s.query_pool(&PoolQuery::StakingPool {})
}

/// The ledger, solvency and the exact reward liabilities.
pub fn check(s: &Suite) -> SolvencyResponse {
    s.check();
    assert_liabilities_match_claims(&s.app, &s.pool)
}

/// `who` stakes `amount` (ledger updated).
pub fn stake(s: &mut Suite, who: &Addr, amount: u128) {
    let pool = s.pool.clone();
    s.send(who, &pool, amount, &PoolHook::Stake {}).unwrap();
    s.moved(who, &pool, amount);
}

/// `who` starts unbonding `amount`.
pub fn unstake(s: &mut Suite, who: &Addr, amount: u128) {
    s.pool_exec(
        who,
        &PoolExec::Unstake {
            amount: Uint128::new(amount),
        },
    )
    .unwrap();
}

/// `from` sends `amount` to the stakers.
pub fn to_stakers(s: &mut Suite, from: &Addr, amount: u128) {
    let pool = s.pool.clone();
    s.send(
        from,
        &pool,
        amount,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Stakers {
                amount: Uint128::new(amount),
            }],
        },
    )
    .unwrap();
    s.moved(from, &pool, amount);
}

/// `who` claims its staking rewards, which must be `expected`.
pub fn claim_staking(s: &mut Suite, who: &Addr, expected: u128) {
    s.pool_exec(who, &PoolExec::ClaimStakingRewards {}).unwrap();
    let pool = s.pool.clone();
    s.moved(&pool, who, expected);
    s.check();
}

/// The owner's `update_config` of the pool's periods.
pub fn update_config(
    unbonding_period: Option<u64>,
    staking_reward_period: Option<u64>,
) -> PoolExec {
    PoolExec::UpdateConfig {
        registry: None,
        unbonding_period,
        staking_reward_period,
        curators_bps: None,
    }
}

/// Whole units a fresh stream of `amount` has released `elapsed` seconds into `period`.
pub fn released(amount: u128, elapsed: u64, period: u64) -> u128 {
    amount * u128::from(elapsed.min(period)) / u128::from(period)
}

/// The pool's stakers stream, worked out by the test (amounts scaled by 10^18): a segment
/// releases `⌊amount · (t − start) / (end − start)⌋`, whole units are paid and the fraction
/// carried; an allocation starts a segment ending after the amount-weighted average of the
/// time the rest had left and the period (rounded down).
#[derive(Default)]
pub struct StreamModel {
    /// Scaled amount of the current segment.
    pub amount: u128,
    /// Scaled amount the segment has released so far.
    pub emitted: u128,
    /// Released scaled amount not yet paid as whole units.
    pub carry: u128,
    /// Start of the segment.
    pub start: u64,
    /// End of the segment.
    pub end: u64,
}

impl StreamModel {
    /// Releases the stream up to `now`; returns the whole units paid.
    pub fn release(&mut self, now: u64) -> u128 {
        let t = now.min(self.end);
        if t <= self.start {
            return 0;
        }
        let e = self.amount * u128::from(t - self.start) / u128::from(self.end - self.start);
        self.carry += e - self.emitted;
        self.emitted = e;
        let units = self.carry / REWARD_SCALE;
        self.carry -= units * REWARD_SCALE;
        units
    }

    /// An allocation of `amount` at `now` with reward period `period`.
    pub fn add(&mut self, amount: u128, now: u64, period: u64) {
        let rest = self.amount - self.emitted;
        let added = amount * REWARD_SCALE;
        let left = u128::from(self.end.saturating_sub(now));
        let total = rest + added;
        let duration = (rest * left + added * u128::from(period)) / total;
        *self = StreamModel {
            amount: total,
            emitted: 0,
            carry: self.carry,
            start: now,
            end: now + duration as u64,
        };
    }
}
