use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Amounts around every threshold
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_amount_unstake_one_more_than_staked() {
    let mut w = world();
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::new(STAKE + 1),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::new(STAKE),
            requested: Uint128::new(STAKE + 1)
        }
    );
    // Exactly the stake goes through.
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(STAKE),
        },
    )
    .unwrap();
    assert!(staker_of(&w.s, &staker).staked.is_zero());
    w.s.check();
}

#[test]
fn attack_amount_unstake_zero() {
    let mut w = world();
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::zero(),
            },
        )
    });
    assert_eq!(e, PoolError::ZeroAmount);
    w.s.check();
}

#[test]
fn attack_amount_stake_minimum_is_one_unit() {
    // There is no stake minimum beyond a positive amount: 1 unit stakes, 0 is refused.
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 0, &PoolHook::Stake {})
    });
    assert_eq!(e, PoolError::Hook(HookError::ZeroAmount));
    w.s.send(&mallory, &pool, 1, &PoolHook::Stake {}).unwrap();
    w.s.moved(&mallory, &pool, 1);
    assert_eq!(staker_of(&w.s, &mallory).staked.u128(), 1);
    w.s.check();
}

#[test]
fn attack_amount_withdraw_treasury_one_more_than_available() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::new(TREASURY + 1),
                recipient: None,
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientTreasury {
            available: Uint128::new(TREASURY),
            requested: Uint128::new(TREASURY + 1)
        }
    );
    w.s.pool_exec(
        &deployer,
        &PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &deployer, TREASURY);
    assert_eq!(w.s.treasury(), 0);
    w.s.check();
}

#[test]
fn attack_amount_challenge_bond_minus_one() {
    let mut w = world();
    w.post();
    let (challenger, pool) = (w.challenger.clone(), w.s.pool.clone());
    let hook = PoolHook::ChallengeRoot {
        datanet_id: 2,
        epoch: 1,
    };
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&challenger, &pool, DEFAULT_CHALLENGE_BOND.u128() - 1, &hook)
    });
    assert_eq!(
        e,
        PoolError::ChallengeBondTooLow {
            required: DEFAULT_CHALLENGE_BOND,
            sent: DEFAULT_CHALLENGE_BOND - Uint128::one()
        }
    );
    // Exactly the bond challenges.
    w.challenge();
    assert_eq!(roots(&w.s).pending.unwrap().status, RootStatus::Challenged);
    w.s.check();
}

#[test]
fn attack_amount_attestor_bond_one_below_the_minimum() {
    let mut w = world();
    let (deployer, mallory, pool) = (w.deployer.clone(), w.mallory.clone(), w.s.pool.clone());
    w.s.fund(&mallory, DEFAULT_ATTESTOR_BOND.u128());
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttestors {
            add: vec![mallory.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    let min = DEFAULT_ATTESTOR_BOND.u128();
    w.s.send(&mallory, &pool, min - 1, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&mallory, &pool, min - 1);
    let post = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: w.tree.root(),
        cumulative_total: Uint128::new(w.tree.total),
        version: None,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&mallory, &post));
    assert_eq!(
        e,
        PoolError::AttestorBondTooLow {
            address: mallory.to_string(),
            required: DEFAULT_ATTESTOR_BOND,
            bonded: Uint128::new(min - 1),
            reserved: Uint128::zero(),
        }
    );
    // One more unit reaches the minimum exactly.
    w.s.send(&mallory, &pool, 1, &PoolHook::BondAttestor {})
        .unwrap();
    w.s.moved(&mallory, &pool, 1);
    w.s.pool_exec(&mallory, &post).unwrap();
    w.s.check();
}

#[test]
fn attack_amount_root_total_one_above_the_bucket() {
    let mut w = world();
    let attestor = w.attestor.clone();
    let post = |total: u128| PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: HexBinary::from([9u8; 32].as_slice()),
        cumulative_total: Uint128::new(total),
        version: None,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &post(BUCKET + 1)));
    assert_eq!(
        e,
        PoolError::RootExceedsBucket {
            datanet_id: 2,
            cumulative_total: Uint128::new(BUCKET + 1),
            received: Uint128::new(BUCKET)
        }
    );
    w.s.pool_exec(&attestor, &post(BUCKET)).unwrap();
    assert_eq!(roots(&w.s).unallocated, Uint128::zero());
    w.s.check();
}

#[test]
fn attack_amount_root_total_decreasing_by_one() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let attestor = w.attestor.clone();
    let msg = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 2,
        root: HexBinary::from([9u8; 32].as_slice()),
        cumulative_total: Uint128::new(w.tree.total - 1),
        version: None,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
    assert_eq!(
        e,
        PoolError::CumulativeTotalDecreased {
            previous: Uint128::new(w.tree.total),
            got: Uint128::new(w.tree.total - 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_claim_attribution_one_above_the_leaf() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF + 1);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::InvalidProof {
            datanet_id: 2,
            epoch: 1
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_distribute_one_more_than_allocated() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 101, &distribute(vec![to_datanet(1, 100)]))
    });
    assert_eq!(
        e,
        PoolError::AllocationSumMismatch {
            sent: Uint128::new(101),
            allocated: Uint128::new(100)
        }
    );
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &pool,
            100,
            &distribute(vec![to_datanet(1, 100), to_datanet(2, 0)]),
        )
    });
    assert_eq!(e, PoolError::ZeroAllocation { index: 1 });
    w.s.check();
}

#[test]
fn attack_amount_distribute_to_an_unknown_datanet() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 100, &distribute(vec![to_datanet(99, 100)]))
    });
    assert_eq!(e, PoolError::UnknownDatanet { id: 99 });
    w.s.check();
}
