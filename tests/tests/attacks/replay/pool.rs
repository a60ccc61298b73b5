use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_claim_twice() {
    let mut w = world();
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_replay_claim_staking_rewards_twice() {
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    w.s.moved(&pool, &staker, STAKER_REWARD);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    w.s.check();
}

#[test]
fn attack_replay_claim_attribution_twice() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    let msg = w.claim_alice(1, ALICE_LEAF);
    w.s.pool_exec(&alice, &msg).unwrap();
    w.s.moved(&pool, &alice, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(e, PoolError::NothingToClaim);
    assert_eq!(w.s.attribution_claimed(2, &alice), ALICE_LEAF);
    w.s.check();
}

#[test]
fn attack_replay_same_root_same_epoch() {
    let mut w = world();
    let claimable_at = w.post();
    let attestor = w.attestor.clone();
    // While pending, the pending root refuses it; after it became claimable, the epoch does.
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 1, &w.tree));
    assert_eq!(
        e,
        PoolError::PendingRootInWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at
        }
    );
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 1, &w.tree));
    assert_eq!(
        e,
        PoolError::UnexpectedEpoch {
            datanet_id: 2,
            epoch: 1,
            expected: 2
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_claim_against_a_superseded_root() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let attestor = w.attestor.clone();
    w.s.post_root(&attestor, 2, &w.tree).unwrap();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::RootSuperseded {
            datanet_id: 2,
            epoch: 1,
            current: 2
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_challenge_twice() {
    // The same address challenges a root once; another address may join (0.2.0 refused it
    // with RootAlreadyChallenged, so a first challenge by the attestor's sybil shut honest
    // challengers out: tests/tests/security_roots.rs).
    let mut w = world();
    w.post();
    w.challenge();
    let (challenger, pool) = (w.challenger.clone(), w.s.pool.clone());
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128(), &hook)
    });
    assert_eq!(
        e,
        PoolError::DuplicateChallenge {
            datanet_id: 2,
            epoch: 1,
            challenger: challenger.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_resolve_twice() {
    let mut w = world();
    w.post();
    w.challenge();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let (deployer, pool, challenger) = (w.deployer.clone(), w.s.pool.clone(), w.challenger.clone());
    let resolve = PoolExec::ResolveChallenge {
        datanet_id: 2,
        epoch: 1,
        void: true,
    };
    w.s.pool_exec(&deployer, &resolve).unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &resolve));
    assert_eq!(
        e,
        PoolError::NoOpenChallenge {
            datanet_id: 2,
            epoch: 1
        }
    );
    // Void: the challenger withdraws its bond plus 20 % of the attestor's slashed minimum
    // bond, once.
    let withdraw = PoolExec::WithdrawChallenge { datanet_id: 2 };
    w.s.pool_exec(&challenger, &withdraw).unwrap();
    w.s.moved(
        &pool,
        &challenger,
        DEFAULT_CHALLENGE_BOND.u128() + DEFAULT_ATTESTOR_BOND.u128() / 5,
    );
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&challenger, &withdraw));
    assert_eq!(
        e,
        PoolError::NoChallenge {
            datanet_id: 2,
            address: challenger.to_string()
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_register_datanet_twice() {
    let mut w = world();
    let registry = w.registry.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &registry,
            &PoolExec::RegisterDatanet {
                datanet_id: 1,
                mode: AttributionMode::Influence,
            },
        )
    });
    assert_eq!(e, PoolError::DatanetExists { id: 1 });
    w.s.check();
}

#[test]
fn attack_replay_withdraw_unbonded_twice() {
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(100),
        },
    )
    .unwrap();
    w.s.advance(UNBONDING_PERIOD);
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(e, PoolError::NothingUnbonded { next_release: None });
    w.s.check();
}
