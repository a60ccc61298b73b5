use crate::setup::staking::*;

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
    let per_unit = first * REWARD_SCALE / 100_000;
    let mallory_share = 90_000 * per_unit / REWARD_SCALE;
    assert_eq!(mallory_share, 535);
    assert!(mallory_share * 604_800 <= 90_000 * 3_600);
    assert_eq!(claimable(&s, &mallory), mallory_share);
    unstake(&mut s, &mallory, 90_000);
    check(&s);
    claim_staking(&mut s, &mallory, mallory_share);
    // Mallory left with half a unit: counted as held by nobody.
    let mallory_rest = 90_000 * per_unit - mallory_share * REWARD_SCALE;
    assert_eq!(solvency(&s).remainders.stakers, Uint256::from(mallory_rest));
    check(&s);
    // Alice: 59.5 from the first hour, then the other 99 405 alone.
    s.advance(PERIOD);
    let alice_scaled = 10_000 * per_unit + (100_000 - first) * REWARD_SCALE;
    assert_eq!(claimable(&s, &alice), alice_scaled / REWARD_SCALE);
    assert_eq!(alice_scaled / REWARD_SCALE, 99_464);
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
