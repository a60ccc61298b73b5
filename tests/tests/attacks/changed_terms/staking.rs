use crate::setup::staking::*;

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
