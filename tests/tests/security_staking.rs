//! Security review (issue 13), reward pool outside attribution roots: just-in-time staking
//! (finding 8), rounding remainders stranded by removals (finding 6), and their classes —
//! every remainder the pool drops, every number a participant chooses (allocation amounts and
//! their cadence, periods), every term that changes between a quote and its execution
//! (unbonding and reward periods), every shared pool a payout draws on. Each fix is checked
//! with exact amounts the test works out itself (saying what 0.2.0 did); each refused attack
//! asserts its exact error and, through `refused`, unchanged storage and balances. After every
//! step that moves rewards, `assert_liabilities_match_claims` checks that what the pool owes is
//! exactly what its positions can still claim.

use cosmwasm_std::{Addr, Uint128, Uint256};
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionPolicy, ExecuteMsg as RegExec, NewContribution, NewDatanet,
    ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    Allocation, ExecuteMsg as PoolExec, QueryMsg as PoolQuery, ReceiveMsg as PoolHook,
    SolvencyResponse, StakerResponse, StakingPoolResponse, DEFAULT_STAKING_REWARD_PERIOD,
    MAX_STAKING_REWARD_PERIOD, MAX_UNBONDING_PERIOD, MIN_STAKING_REWARD_PERIOD,
};
use openledger_tests::pool_helpers::assert_liabilities_match_claims;
use openledger_tests::{data_hash, refused, Suite, UNBONDING_PERIOD};
use reward_pool::ContractError as PoolError;

const PERIOD: u64 = DEFAULT_STAKING_REWARD_PERIOD;
const SCALE: u128 = 1_000_000_000_000_000_000;
/// One block.
const BLOCK: u64 = 5;

fn now(s: &Suite) -> u64 {
    s.app.block_info().time.seconds()
}

fn staker(s: &Suite, who: &Addr) -> StakerResponse {
    s.query_pool(&PoolQuery::Staker {
        address: who.to_string(),
    })
}

fn claimable(s: &Suite, who: &Addr) -> u128 {
    staker(s, who).claimable_rewards.u128()
}

fn staking_pool(s: &Suite) -> StakingPoolResponse {
    s.query_pool(&PoolQuery::StakingPool {})
}

fn solvency(s: &Suite) -> SolvencyResponse {
    s.query_pool(&PoolQuery::Solvency {})
}

/// The ledger, solvency and the exact reward liabilities.
fn check(s: &Suite) -> SolvencyResponse {
    s.check();
    assert_liabilities_match_claims(&s.app, &s.pool)
}

fn stake(s: &mut Suite, who: &Addr, amount: u128) {
    let pool = s.pool.clone();
    s.send(who, &pool, amount, &PoolHook::Stake {}).unwrap();
    s.moved(who, &pool, amount);
}

fn unstake(s: &mut Suite, who: &Addr, amount: u128) {
    s.pool_exec(
        who,
        &PoolExec::Unstake {
            amount: Uint128::new(amount),
        },
    )
    .unwrap();
}

/// `from` sends `amount` to the stakers.
fn to_stakers(s: &mut Suite, from: &Addr, amount: u128) {
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
fn claim_staking(s: &mut Suite, who: &Addr, expected: u128) {
    s.pool_exec(who, &PoolExec::ClaimStakingRewards {}).unwrap();
    let pool = s.pool.clone();
    s.moved(&pool, who, expected);
    s.check();
}

fn update_config(unbonding_period: Option<u64>, staking_reward_period: Option<u64>) -> PoolExec {
    PoolExec::UpdateConfig {
        registry: None,
        unbonding_period,
        staking_reward_period,
    }
}

/// Whole units a fresh stream of `amount` has released `elapsed` seconds into `period`.
fn released(amount: u128, elapsed: u64, period: u64) -> u128 {
    amount * u128::from(elapsed.min(period)) / u128::from(period)
}

/// The pool's stakers stream, worked out by the test (amounts scaled by 10^18): a segment
/// releases `⌊amount · (t − start) / (end − start)⌋`, whole units are paid and the fraction
/// carried; an allocation starts a segment ending after the amount-weighted average of the
/// time the rest had left and the period (rounded down).
#[derive(Default)]
struct StreamModel {
    amount: u128,
    emitted: u128,
    carry: u128,
    start: u64,
    end: u64,
}

impl StreamModel {
    fn release(&mut self, now: u64) -> u128 {
        let t = now.min(self.end);
        if t <= self.start {
            return 0;
        }
        let e = self.amount * u128::from(t - self.start) / u128::from(self.end - self.start);
        self.carry += e - self.emitted;
        self.emitted = e;
        let units = self.carry / SCALE;
        self.carry -= units * SCALE;
        units
    }

    fn add(&mut self, amount: u128, now: u64, period: u64) {
        let rest = self.amount - self.emitted;
        let added = amount * SCALE;
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

// ---------------------------------------------------------------------------------------------
// Finding 8: just-in-time staking
// ---------------------------------------------------------------------------------------------

/// Alice has staked 10 000 for a day; mallory stakes 90 000 one block (5 s) before a 100 000
/// distribution to the stakers and unstakes one block after it. 0.2.0 credited the
/// distribution at once: mallory took 90 000. Now it streams over the period: after 5 s
/// `⌊100 000 · 5 / 604 800⌋ = 0` whole units are released, so mallory earns nothing, and alice,
/// staked through the whole period, receives all of it.
#[test]
fn attack_jit_stake_one_block_before_a_large_distribution_earns_nothing_in_one_block() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 10_000);
    s.fund(&mallory, 90_000);
    stake(&mut s, &alice, 10_000);
    s.advance(24 * 3_600);
    stake(&mut s, &mallory, 90_000);
    s.advance(BLOCK);
    to_stakers(&mut s, &deployer, 100_000);
    let p = staking_pool(&s);
    assert_eq!(
        (p.streaming.u128(), p.stream_end),
        (100_000, now(&s) + PERIOD)
    );
    check(&s);
    s.advance(BLOCK);
    assert_eq!(released(100_000, BLOCK, PERIOD), 0);
    unstake(&mut s, &mallory, 90_000);
    assert_eq!(claimable(&s, &mallory), 0);
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    check(&s);
    // Alice: everything, as the only staker for the rest of the period.
    s.advance(PERIOD);
    assert_eq!(claimable(&s, &alice), 100_000);
    claim_staking(&mut s, &alice, 100_000);
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.staking_rewards.u128(),
            sol.liabilities.staking_stream.u128()
        ),
        (0, 0)
    );
}

/// The same stake held one hour: `⌊100 000 · 3 600 / 604 800⌋ = 595` released over 100 000
/// staked, `⌊595·10^18 / 100 000⌋ = 5.95·10^15` per unit: mallory earns
/// `⌊90 000 · 5.95·10^15 / 10^18⌋ = 535`, below its time-weighted share
/// `0.9 · 100 000 · 3 600 / 604 800 = 535.7`. 0.2.0 paid 90 000.
#[test]
fn jit_stake_held_for_an_hour_earns_its_time_weighted_share_exactly() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 10_000);
    s.fund(&mallory, 90_000);
    stake(&mut s, &alice, 10_000);
    s.advance(24 * 3_600);
    stake(&mut s, &mallory, 90_000);
    s.advance(BLOCK);
    to_stakers(&mut s, &deployer, 100_000);
    s.advance(3_600);
    let first = released(100_000, 3_600, PERIOD);
    assert_eq!(first, 595);
    let per_unit = first * SCALE / 100_000;
    let mallory_share = 90_000 * per_unit / SCALE;
    assert_eq!(mallory_share, 535);
    assert!(mallory_share * 604_800 <= 90_000 * 3_600);
    assert_eq!(claimable(&s, &mallory), mallory_share);
    unstake(&mut s, &mallory, 90_000);
    check(&s);
    claim_staking(&mut s, &mallory, mallory_share);
    // Mallory left with half a unit: counted as held by nobody.
    let mallory_rest = 90_000 * per_unit - mallory_share * SCALE;
    assert_eq!(solvency(&s).remainders.stakers, Uint256::from(mallory_rest));
    check(&s);
    // Alice: 59.5 from the first hour, then the other 99 405 alone.
    s.advance(PERIOD);
    let alice_scaled = 10_000 * per_unit + (100_000 - first) * SCALE;
    assert_eq!(claimable(&s, &alice), alice_scaled / SCALE);
    assert_eq!(alice_scaled / SCALE, 99_464);
    claim_staking(&mut s, &alice, 99_464);
    let sol = check(&s);
    // One unit owed: alice's half and mallory's forfeited half, exactly.
    assert_eq!(sol.liabilities.staking_rewards.u128(), 1);
    assert_eq!(
        staking_pool(&s).total_claimed.u128(),
        mallory_share + 99_464
    );
}

/// A stake made just after an allocation earns exactly like one made just before it: what
/// counts is the time staked while the stream runs.
#[test]
fn stakes_made_a_block_before_and_a_block_after_an_allocation_earn_alike() {
    let mut s = Suite::default();
    let (before, after) = (s.addr("before"), s.addr("after"));
    let deployer = s.deployer.clone();
    s.fund(&before, 1_000);
    s.fund(&after, 1_000);
    stake(&mut s, &before, 1_000);
    s.advance(BLOCK);
    to_stakers(&mut s, &deployer, 60_480);
    stake(&mut s, &after, 1_000);
    // 60 480 over 604 800 s: 0.1 unit per second, 30 240 after half the period, split evenly.
    s.advance(PERIOD / 2);
    assert_eq!(
        (claimable(&s, &before), claimable(&s, &after)),
        (15_120, 15_120)
    );
    check(&s);
}

// ---------------------------------------------------------------------------------------------
// Numbers a participant chooses: allocation amounts and their cadence
// ---------------------------------------------------------------------------------------------

/// Mallory sends 1-unit stakers allocations every block for an hour, to hold back the stream
/// of a 100 000 allocation. Restarting the whole rest over a full period at each allocation
/// would release `⌊100 000 · 5 / 604 800⌋ = 0` per block: nothing, for as long as mallory
/// pays 1 unit a block. The amount-weighted end keeps the rest on its schedule: alice, the
/// only staker, receives at least the 595 an undisturbed hour releases, exactly as the test's
/// model of the stream says.
#[test]
fn attack_one_unit_allocations_every_block_cannot_stall_the_stakers_stream() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 1_000);
    s.fund(&mallory, 1_000);
    stake(&mut s, &alice, 1_000);
    let t0 = now(&s);
    to_stakers(&mut s, &deployer, 100_000);
    let mut model = StreamModel::default();
    model.add(100_000, t0, PERIOD);
    let mut paid = 0;
    for _ in 0..720 {
        s.advance(BLOCK);
        paid += model.release(now(&s));
        model.add(1, now(&s), PERIOD);
        to_stakers(&mut s, &mallory, 1);
    }
    // Alice holds all the stake: every released unit is hers.
    assert_eq!(claimable(&s, &alice), paid);
    assert!(paid >= released(100_000, 3_600, PERIOD), "{paid}");
    assert_eq!(staking_pool(&s).stream_end, model.end);
    // One unit never moves the end of a 100 000 rest.
    assert_eq!(model.end, t0 + PERIOD);
    check(&s);
    // Everything, mallory's 720 units included, is released by the end.
    s.advance(model.end - now(&s));
    assert_eq!(claimable(&s, &alice), 100_720);
    claim_staking(&mut s, &alice, 100_720);
    check(&s);
}

/// The same with 32 one-unit stakers allocations in each distribution (the most one carries),
/// five distributions a block: the end does not move a second.
#[test]
fn attack_many_one_unit_allocations_per_block_cannot_push_the_stream_back() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 1_000);
    s.fund(&mallory, 100_000);
    stake(&mut s, &alice, 1_000);
    let t0 = now(&s);
    to_stakers(&mut s, &deployer, 100_000);
    let pool = s.pool.clone();
    let ones = PoolHook::Distribute {
        allocations: vec![
            Allocation::Stakers {
                amount: Uint128::one()
            };
            32
        ],
    };
    for _ in 0..100 {
        s.advance(BLOCK);
        for _ in 0..5 {
            s.send(&mallory, &pool, 32, &ones).unwrap();
            s.moved(&mallory, &pool, 32);
        }
    }
    assert_eq!(staking_pool(&s).stream_end, t0 + PERIOD);
    // 500 s into the stream, at least what an undisturbed stream releases is released.
    assert!(claimable(&s, &alice) >= released(100_000, 500, PERIOD));
    check(&s);
    s.advance(PERIOD);
    claim_staking(&mut s, &alice, 100_000 + 100 * 5 * 32);
    check(&s);
}

/// A staker that claims every hour of the stream is paid exactly what one that claims once at
/// the end is paid for the same stake: each claim keeps its sub-unit remainder. Stakes 1 and
/// 2 share 100 000: 33 333 and 66 666 (100 000 · 10^18 / 3 per unit of stake, rounded down per
/// release), however often they claim, and nothing owed is lost on the way.
#[test]
fn claiming_every_hour_pays_exactly_what_claiming_once_pays() {
    let mut s = Suite::default();
    let (often, once) = (s.addr("often"), s.addr("once"));
    let deployer = s.deployer.clone();
    s.fund(&often, 2);
    s.fund(&once, 4);
    stake(&mut s, &often, 1);
    stake(&mut s, &once, 2);
    to_stakers(&mut s, &deployer, 100_000);
    let mut paid_often = 0;
    for _ in 0..PERIOD / 3_600 {
        s.advance(3_600);
        let due = claimable(&s, &often);
        if due > 0 {
            claim_staking(&mut s, &often, due);
            paid_often += due;
        }
        check(&s);
    }
    s.advance(PERIOD);
    let last = claimable(&s, &often);
    if last > 0 {
        claim_staking(&mut s, &often, last);
        paid_often += last;
    }
    assert_eq!(paid_often, 33_333);
    claim_staking(&mut s, &once, 66_666);
    // The third of a unit each still holds, and the rounding: exactly one unit owed.
    let sol = check(&s);
    assert_eq!(sol.liabilities.staking_rewards.u128(), 1);
}

/// Duplicate stakers allocations in one distribution add up, like one allocation of the sum.
#[test]
fn duplicate_stakers_allocations_in_one_distribution_stream_as_their_sum() {
    let mut s = Suite::default();
    let alice = s.addr("alice");
    let deployer = s.deployer.clone();
    s.fund(&alice, 10);
    stake(&mut s, &alice, 10);
    let pool = s.pool.clone();
    let part = |amount| Allocation::Stakers {
        amount: Uint128::new(amount),
    };
    s.send(
        &deployer,
        &pool,
        1_000,
        &PoolHook::Distribute {
            allocations: vec![part(400), part(600)],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, 1_000);
    let p = staking_pool(&s);
    assert_eq!(
        (p.streaming.u128(), p.stream_end),
        (1_000, now(&s) + PERIOD)
    );
    s.advance(PERIOD / 4);
    assert_eq!(claimable(&s, &alice), 250);
    check(&s);
}

// ---------------------------------------------------------------------------------------------
// Shared pools a payout draws on
// ---------------------------------------------------------------------------------------------

/// Right after a distribution, nothing of it can be claimed, and the stream is counted as owed:
/// neither the treasury nor another liability can draw on it.
#[test]
fn attack_claim_of_staking_rewards_before_they_stream_is_refused() {
    let mut s = Suite::default();
    let mallory = s.addr("mallory");
    let deployer = s.deployer.clone();
    s.fund(&mallory, 100);
    stake(&mut s, &mallory, 100);
    to_stakers(&mut s, &deployer, 50_000);
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.staking_stream.u128(),
            sol.liabilities.staking_rewards.u128(),
            sol.liabilities.treasury.u128()
        ),
        (50_000, 0, 0)
    );
    assert_eq!(sol.total_liabilities, sol.balance);
    // The treasury holds nothing of it.
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::one(),
                recipient: None,
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientTreasury {
            available: Uint128::zero(),
            requested: Uint128::one()
        }
    );
}

/// With nothing staked, a stakers allocation goes to the treasury at once (as in 0.2.0): a
/// stake made right after earns nothing of it. And what a running stream releases after
/// every staker left goes to the treasury too, never to a later staker.
#[test]
fn late_stakers_earn_nothing_of_allocations_made_while_nobody_staked() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 100);
    s.fund(&mallory, 200);
    to_stakers(&mut s, &deployer, 7_000);
    assert_eq!(s.treasury(), 7_000);
    stake(&mut s, &mallory, 100);
    s.advance(PERIOD);
    assert_eq!(claimable(&s, &mallory), 0);
    unstake(&mut s, &mallory, 100);
    check(&s);

    // Alice alone through half a stream, then she leaves: the other half is the treasury's.
    stake(&mut s, &alice, 100);
    to_stakers(&mut s, &deployer, 10_000);
    s.advance(PERIOD / 2);
    unstake(&mut s, &alice, 100);
    assert_eq!(claimable(&s, &alice), 5_000);
    s.advance(PERIOD / 2);
    // Mallory comes back after the stream ended: nothing for her.
    stake(&mut s, &mallory, 100);
    assert_eq!(claimable(&s, &mallory), 0);
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.staking_stream.u128()
        ),
        (7_000 + 5_000, 0)
    );
    claim_staking(&mut s, &alice, 5_000);
}

// ---------------------------------------------------------------------------------------------
// Terms that change between a quote and its execution: periods
// ---------------------------------------------------------------------------------------------

/// The owner raises the unbonding period to its maximum after a staker unstaked: the entry
/// keeps the release time it was given; only later unstakes wait longer.
#[test]
fn unbonding_period_raised_after_unstake_keeps_the_entrys_release_time() {
    let mut s = Suite::default();
    let alice = s.addr("alice");
    let deployer = s.deployer.clone();
    s.fund(&alice, 100);
    stake(&mut s, &alice, 100);
    unstake(&mut s, &alice, 60);
    let release_at = now(&s) + UNBONDING_PERIOD;
    s.pool_exec(&deployer, &update_config(Some(MAX_UNBONDING_PERIOD), None))
        .unwrap();
    unstake(&mut s, &alice, 40);
    let entries = staker(&s, &alice).unbonding;
    assert_eq!(
        entries.iter().map(|e| e.release_at).collect::<Vec<_>>(),
        vec![release_at, now(&s) + MAX_UNBONDING_PERIOD]
    );
    s.advance(UNBONDING_PERIOD);
    s.pool_exec(&alice, &PoolExec::WithdrawUnbonded {}).unwrap();
    let pool = s.pool.clone();
    s.moved(&pool, &alice, 60);
    check(&s);
}

/// `staking_reward_period` is the longest any allocation takes to reach stakers: lowering it
/// brings the running stream's end forward to now + period (it is an owner power, like every
/// config change, and moves to governance with the rest). What was released before a stake is
/// not shared with it; the rest is shared by whoever stakes while it is released.
#[test]
fn a_lower_reward_period_releases_the_running_stream_by_the_new_end() {
    let mut s = Suite::default();
    let (alice, mallory) = (s.addr("alice"), s.addr("mallory"));
    let deployer = s.deployer.clone();
    s.fund(&alice, 10_000);
    s.fund(&mallory, 90_000);
    stake(&mut s, &alice, 10_000);
    let t0 = now(&s);
    to_stakers(&mut s, &deployer, 100_000);
    s.advance(BLOCK);
    // ⌊100 000 · 5 / 604 800⌋ = 0 released by t0 + 5; the rest (100 000) now ends at t0 + 65.
    s.pool_exec(&deployer, &update_config(None, Some(60)))
        .unwrap();
    assert_eq!(staking_pool(&s).stream_end, t0 + BLOCK + 60);
    assert_eq!(claimable(&s, &alice), 0);
    s.advance(BLOCK);
    // Mallory's stake at t0 + 10 first releases, all for alice, the first segment's carried
    // fraction (100 000 · 5 / 604 800 = 0.83) plus ⌊(100 000 − 0.83) · 5 / 60⌋ of the rest:
    // 8 334 whole units.
    stake(&mut s, &mallory, 90_000);
    assert_eq!(claimable(&s, &alice), 8_334);
    assert_eq!(claimable(&s, &mallory), 0);
    // At the end the other 91 666 are shared 10 % / 90 %: alice 8 334 + 9 166.6, mallory
    // ⌊82 499.4⌋ (the fractions stay in their positions).
    s.advance(55);
    assert_eq!(claimable(&s, &alice), 17_500);
    assert_eq!(claimable(&s, &mallory), 82_499);
    check(&s);
    // A higher period leaves a running stream's end alone and applies to the next allocation.
    to_stakers(&mut s, &deployer, 1_000);
    let end = staking_pool(&s).stream_end;
    assert_eq!(end, now(&s) + 60);
    s.pool_exec(&deployer, &update_config(None, Some(PERIOD)))
        .unwrap();
    assert_eq!(staking_pool(&s).stream_end, end);
    check(&s);
}

/// Periods out of range are refused with their bounds, and change nothing.
#[test]
fn attack_config_periods_out_of_range_are_refused() {
    let mut s = Suite::default();
    let deployer = s.deployer.clone();
    for (msg, expected) in [
        (
            update_config(Some(u64::MAX), None),
            PoolError::InvalidUnbondingPeriod {
                period: u64::MAX,
                max: MAX_UNBONDING_PERIOD,
            },
        ),
        (
            update_config(None, Some(0)),
            PoolError::InvalidStakingRewardPeriod {
                period: 0,
                min: MIN_STAKING_REWARD_PERIOD,
                max: MAX_STAKING_REWARD_PERIOD,
            },
        ),
        (
            update_config(Some(1), Some(MAX_STAKING_REWARD_PERIOD + 1)),
            PoolError::InvalidStakingRewardPeriod {
                period: MAX_STAKING_REWARD_PERIOD + 1,
                min: MIN_STAKING_REWARD_PERIOD,
                max: MAX_STAKING_REWARD_PERIOD,
            },
        ),
    ] {
        let e = refused::<PoolError>(&mut s, |s| s.pool_exec(&deployer, &msg));
        assert_eq!(e, expected);
    }
    // Not the owner: refused whatever the values.
    let mallory = s.addr("mallory");
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&mallory, &update_config(None, Some(PERIOD)))
    });
    match e {
        PoolError::Ownership(o) => {
            assert_eq!(o.to_string(), "Caller is not the contract's current owner")
        }
        other => panic!("expected NotOwner, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Finding 6 and every dropped remainder
// ---------------------------------------------------------------------------------------------

/// 50 contributors share a 49-unit distribution (0.98 unit each, nothing whole), then all 50
/// contributions are removed. 0.2.0 deleted each position with its 0.98 and kept the 49 units
/// counted as owed forever (treasury 0). Now each removed remainder is counted as held by
/// nobody and whole units move to the treasury as they add up: after k removals the treasury
/// holds ⌊0.98·k⌋, the contributors are owed 49 − ⌊0.98·k⌋; after all 50, 49 and 0.
#[test]
fn removed_contributions_hand_their_remainders_to_the_treasury() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let deployer = s.deployer.clone();
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "fifty".into(),
            description: String::new(),
            metadata_uri: "ipfs://fifty".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let contributors: Vec<Addr> = (0..50).map(|i| s.addr(&format!("c{i}"))).collect();
    for (i, c) in contributors.iter().enumerate() {
        s.registry_exec(
            c,
            &RegExec::Contribute(NewContribution {
                datanet_id: 1,
                data_hash: data_hash(&format!("d{i}")),
                uri: format!("ipfs://d{i}"),
                size_bytes: 1,
                license_note: None,
            }),
        )
        .unwrap();
    }
    s.registry_exec(
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: (1..=50)
                .map(|id| ReviewDecision::Accept {
                    contribution_id: id,
                    weight: 1,
                })
                .collect(),
        },
    )
    .unwrap();
    let pool = s.pool.clone();
    s.send(
        &deployer,
        &pool,
        49,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Datanet {
                id: 1,
                amount: Uint128::new(49),
            }],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, 49);
    let sol = check(&s);
    assert_eq!(sol.liabilities.contributor_rewards.u128(), 49);
    // 49·10^18 / 50 = 0.98·10^18 per position: nothing whole to claim.
    let e = refused::<PoolError>(&mut s, |s| {
        s.pool_exec(&contributors[0], &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let each = 49 * SCALE / 50;
    for k in 1..=50u128 {
        s.registry_exec(
            &owner,
            &RegExec::RemoveContribution {
                contribution_id: k as u64,
                reason: "deletion request".into(),
            },
        )
        .unwrap();
        let to_treasury = k * each / SCALE;
        let sol = check(&s);
        assert_eq!(
            (
                sol.liabilities.treasury.u128(),
                sol.liabilities.contributor_rewards.u128(),
                sol.remainders.contributors
            ),
            (
                to_treasury,
                49 - to_treasury,
                Uint256::from(k * each - to_treasury * SCALE)
            ),
            "after {k} removals"
        );
    }
    assert_eq!(s.treasury(), 49);
    let sol = check(&s);
    assert_eq!(sol.liabilities.contributor_rewards, Uint128::zero());
}

/// 1 unit over three equal weights: each holds ⌊10^18/3⌋ and the unit is counted as owed
/// (rounded up), 1 scaled unit held by nobody. When all three leave, 1 + 3·⌊10^18/3⌋ = 10^18:
/// the unit goes to the treasury. 0.2.0 kept it owed forever.
#[test]
fn the_rounding_of_a_distribution_reaches_the_treasury_when_its_holders_leave() {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let deployer = s.deployer.clone();
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "three".into(),
            description: String::new(),
            metadata_uri: "ipfs://three".into(),
            curators: vec![],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::zero(),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let cs: Vec<Addr> = (0..3).map(|i| s.addr(&format!("c{i}"))).collect();
    for (i, c) in cs.iter().enumerate() {
        s.registry_exec(
            c,
            &RegExec::Contribute(NewContribution {
                datanet_id: 1,
                data_hash: data_hash(&format!("t{i}")),
                uri: format!("ipfs://t{i}"),
                size_bytes: 1,
                license_note: None,
            }),
        )
        .unwrap();
    }
    s.registry_exec(
        &owner,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: (1..=3)
                .map(|id| ReviewDecision::Accept {
                    contribution_id: id,
                    weight: 1,
                })
                .collect(),
        },
    )
    .unwrap();
    let pool = s.pool.clone();
    s.send(
        &deployer,
        &pool,
        1,
        &PoolHook::Distribute {
            allocations: vec![Allocation::Datanet {
                id: 1,
                amount: Uint128::one(),
            }],
        },
    )
    .unwrap();
    s.moved(&deployer, &pool, 1);
    let third = SCALE / 3;
    assert_eq!(
        check(&s).remainders.contributors,
        Uint256::from(SCALE - 3 * third)
    );
    for id in 1..=3u64 {
        s.registry_exec(
            &owner,
            &RegExec::RemoveContribution {
                contribution_id: id,
                reason: "gone".into(),
            },
        )
        .unwrap();
        check(&s);
    }
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.contributor_rewards.u128(),
            sol.remainders.contributors
        ),
        (1, 0, Uint256::zero())
    );
}

/// Stakers 1 and 2 share 100 units: ⌊100·10^18/3⌋ per unit of stake (33.33… and 66.66…),
/// 100 counted as owed with 1 scaled unit held by nobody. Both claim and leave with a third
/// and two thirds of a unit: 1 + ⅓ + ⅔ (scaled, exactly 10^18) goes to the treasury. 0.2.0
/// kept the unit owed (and both positions stored) forever.
#[test]
fn stakers_who_leave_hand_their_remainders_to_the_treasury() {
    let mut s = Suite::default();
    let (a, b) = (s.addr("a"), s.addr("b"));
    let deployer = s.deployer.clone();
    s.fund(&a, 1);
    s.fund(&b, 2);
    stake(&mut s, &a, 1);
    stake(&mut s, &b, 2);
    to_stakers(&mut s, &deployer, 100);
    s.advance(PERIOD);
    let per_unit = 100 * SCALE / 3;
    assert_eq!(
        check(&s).remainders.stakers,
        Uint256::from(100 * SCALE - 3 * per_unit)
    );
    unstake(&mut s, &a, 1);
    claim_staking(&mut s, &a, per_unit / SCALE);
    check(&s);
    unstake(&mut s, &b, 2);
    claim_staking(&mut s, &b, 2 * per_unit / SCALE);
    let sol = check(&s);
    assert_eq!(
        (
            sol.liabilities.treasury.u128(),
            sol.liabilities.staking_rewards.u128(),
            sol.remainders.stakers
        ),
        (1, 0, Uint256::zero())
    );
    let p = staking_pool(&s);
    assert_eq!(
        (
            p.total_distributed.u128(),
            p.total_claimed.u128(),
            p.total_forfeited.u128()
        ),
        (100, 99, 1)
    );
    // Their withdrawals still pay the stakes in full.
    s.advance(UNBONDING_PERIOD);
    let pool = s.pool.clone();
    for (who, amount) in [(&a, 1), (&b, 2)] {
        s.pool_exec(who, &PoolExec::WithdrawUnbonded {}).unwrap();
        s.moved(&pool, who, amount);
    }
    check(&s);
    assert_eq!(s.balance(&pool), 1);
}
