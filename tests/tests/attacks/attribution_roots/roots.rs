use crate::setup::roots::*;

// ---------------------------------------------------------------------------------------------
// Finding 1: epochs
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_epoch_u64_max_is_refused_and_the_bucket_stays_claimable() {
    // 0.2.0 took epoch u64::MAX; voided or not, every later root then failed with
    // EpochNotIncreasing { last: u64::MAX } and the bucket was locked for good.
    let mut w = world();
    let (attestor, d) = (w.attestor.clone(), w.d);
    for epoch in [u64::MAX, 0, 2] {
        let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, epoch, &w.bad));
        assert_eq!(
            e,
            ContractError::UnexpectedEpoch {
                datanet_id: d,
                epoch,
                expected: 1
            }
        );
    }
    assert_eq!(w.roots().next_epoch, 1);
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.s.advance(WINDOW);
    assert_eq!(w.roots().next_epoch, 2);
    let (alice, honest, pool) = (w.alice.clone(), w.honest.clone(), w.s.pool.clone());
    for (who, amount) in [(&alice, 60_000), (&honest, 40_000)] {
        w.s.claim_attribution(who, 1, &w.good).unwrap();
        w.s.moved(&pool, who, amount);
    }
    w.s.check();
    let r = w.roots();
    assert_eq!((r.total_paid.u128(), r.unallocated.u128()), (BUCKET, 0));
}

#[test]
fn a_voided_epoch_is_posted_again_by_a_valid_root_and_the_bucket_empties() {
    // 0.2.0 kept the voided epoch as `last_epoch`: the next root had to skip it.
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let r = w.roots();
    assert_eq!(
        (r.last_voided_epoch, r.next_epoch, r.unallocated.u128()),
        (Some(1), 1, BUCKET)
    );
    // The attestor tops its bond up and posts epoch 1 again, a valid root this time.
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, BOND);
    w.s.send(&attestor, &pool, BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, BOND);
    let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, 2, &w.good));
    assert_eq!(
        e,
        ContractError::UnexpectedEpoch {
            datanet_id: d,
            epoch: 2,
            expected: 1
        }
    );
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.s.advance(WINDOW);
    let alice = w.alice.clone();
    for (who, amount) in [(&alice, 60_000), (&honest, 40_000)] {
        w.s.claim_attribution(who, 1, &w.good).unwrap();
        w.s.moved(&pool, who, amount);
    }
    w.withdraw(&honest, CBOND + reward_of(BOND));
    assert_eq!(w.roots().unallocated.u128(), 0);
    assert_eq!(w.liabilities(), (BOND, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// The class: a verdict seen before joining, one bond behind several roots, terms changed
// between a quote and its transaction
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_joining_after_the_window_or_resolving_inside_it() {
    // Shares are fixed before the verdict: the owner resolves only after the window, and
    // nobody joins after it (0.2.0 resolved at once; a join in front of a visible void would
    // have taken most of the reward).
    let mut w = world();
    let (attestor, honest, sybil, d) = (w.attestor.clone(), w.honest.clone(), w.sybil.clone(), w.d);
    let res = w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let closes_at = res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "claimable_at")
        .unwrap()
        .value
        .parse::<u64>()
        .unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW - 1);
    let deployer = w.s.deployer.clone();
    let resolve = PoolExec::ResolveChallenge {
        datanet_id: d,
        epoch: 1,
        void: true,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&deployer, &resolve));
    assert_eq!(
        e,
        ContractError::ChallengeWindowOpen {
            datanet_id: d,
            epoch: 1,
            closes_at
        }
    );
    w.s.advance(1);
    let pool = w.s.pool.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&sybil, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::ChallengeWindowClosed {
            datanet_id: d,
            epoch: 1,
            closed_at: closes_at
        }
    );
    w.resolve(1, true);
    w.withdraw(&honest, CBOND + reward_of(BOND));
}

#[test]
fn attack_one_bond_behind_roots_of_two_datanets() {
    // 0.2.0 let one minimum bond back a root in each datanet: the first void slashed it all
    // and the second found nothing (its challenger got only its own bond back).
    let mut w = world();
    let (attestor, honest, curator) = (w.attestor.clone(), w.honest.clone(), w.s.addr("curator"));
    let d2 = w.s.create_influence_datanet(&curator, "second");
    w.s.fund_datanet(d2, BUCKET);
    let bad2 = AttributionTree::new(
        d2,
        &influence_entries(1, &[(&w.sybil.clone(), BUCKET)], 1, 1),
    );
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let e = refused::<ContractError>(&mut w.s, |s| s.post_root(&attestor, 1, &bad2));
    assert_eq!(
        e,
        ContractError::AttestorBondTooLow {
            address: attestor.to_string(),
            required: Uint128::new(2 * BOND),
            bonded: Uint128::new(BOND),
            reserved: Uint128::new(BOND),
        }
    );
    assert!(!attestor_of(&w.s, &attestor).can_post);
    // With a second minimum bond both roots are covered, and both voids slash in full.
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, BOND);
    w.s.send(&attestor, &pool, BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, BOND);
    w.s.post_root(&attestor, 1, &bad2).unwrap();
    let a = attestor_of(&w.s, &attestor);
    assert_eq!((a.pending_roots, a.reserved.u128()), (2, 2 * BOND));
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.send(
        &honest,
        &pool,
        CBOND,
        &PoolHook::ChallengeRoot {
            datanet_id: d2,
            epoch: 1,
        },
    )
    .unwrap();
    w.s.moved(&honest, &pool, CBOND);
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, true);
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::ResolveChallenge {
            datanet_id: d2,
            epoch: 1,
            void: true,
        },
    )
    .unwrap();
    let reward = reward_of(BOND);
    assert_eq!(w.s.treasury(), treasury + 2 * (BOND - reward));
    w.withdraw(&honest, CBOND + reward);
    w.s.pool_exec(&honest, &PoolExec::WithdrawChallenge { datanet_id: d2 })
        .unwrap();
    w.s.moved(&pool, &honest, CBOND + reward);
    w.s.check();
    let a = attestor_of(&w.s, &attestor);
    assert_eq!((a.bond.u128(), a.reserved.u128()), (0, 0));
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn attack_challenge_bond_raised_between_the_quote_and_the_send() {
    // The challenge carries its amount: a bond raised in front of it refuses the challenge and
    // the whole cw20 send reverts, so the challenger keeps its tokens.
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttributionConfig {
            challenge_window: None,
            attestor_bond: None,
            challenge_bond: Some(Uint128::new(2 * CBOND)),
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&honest, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::ChallengeBondTooLow {
            required: Uint128::new(2 * CBOND),
            sent: Uint128::new(CBOND)
        }
    );
}

#[test]
fn the_attestor_bond_raised_under_a_posted_root_slashes_only_the_posted_stake() {
    // Terms bind at posting: 0.2.0 slashed min(the new attestor_bond, bond) = 3 000 000 here.
    let mut w = world();
    let (attestor, honest) = (w.attestor.clone(), w.honest.clone());
    let pool = w.s.pool.clone();
    w.s.fund(&attestor, 3 * BOND);
    w.s.send(&attestor, &pool, 3 * BOND, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&attestor, &pool, 3 * BOND);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttributionConfig {
            challenge_window: None,
            attestor_bond: Some(Uint128::new(3 * BOND)),
            challenge_bond: None,
        },
    )
    .unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    assert_eq!(attestor_of(&w.s, &attestor).bond.u128(), 3 * BOND);
    w.withdraw(&honest, CBOND + reward_of(BOND));
}

#[test]
fn attack_worst_numbers_in_challenges_and_withdrawals() {
    let mut w = world();
    let (attestor, honest, d) = (w.attestor.clone(), w.honest.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let pool = w.s.pool.clone();
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.send(
            &honest,
            &pool,
            CBOND,
            &PoolHook::ChallengeRoot {
                datanet_id: d,
                epoch: u64::MAX,
            },
        )
    });
    assert_eq!(
        e,
        ContractError::UnknownRoot {
            datanet_id: d,
            epoch: u64::MAX
        }
    );
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.pool_exec(
            &honest,
            &PoolExec::WithdrawChallenge {
                datanet_id: u64::MAX,
            },
        )
    });
    assert_eq!(e, ContractError::UnknownDatanet { id: u64::MAX });
    // A whale's bond dilutes the others' shares but never overflows (shares are taken in 256
    // bits): 900 000 000 000 against 1 000 000.
    let whale = w.s.addr("whale");
    w.s.fund(&whale, 900_000_000_000);
    w.challenge(&whale, 1, 900_000_000_000).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let reward = reward_of(BOND);
    let total = 900_000_000_000 + CBOND;
    let (whale_share, honest_share) = (reward * 900_000_000_000 / total, reward * CBOND / total);
    assert_eq!((whale_share, honest_share), (199_999, 0));
    let treasury = w.s.treasury();
    w.withdraw(&honest, CBOND + honest_share);
    w.withdraw(&whale, 900_000_000_000 + whale_share);
    assert_eq!(
        w.s.treasury(),
        treasury + reward - whale_share - honest_share
    );
    assert_eq!(w.liabilities(), (0, 0, 0));
}
