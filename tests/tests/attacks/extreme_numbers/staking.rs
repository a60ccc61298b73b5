use crate::setup::staking::*;

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
