use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Direct token donations and spam
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_donation_plain_transfer_to_the_pool() {
    let mut w = world();
    let (mallory, pool, token) = (w.mallory.clone(), w.s.pool.clone(), w.s.token.clone());
    let before = solvency(&w.s);
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: pool.to_string(),
                amount: Uint128::new(4_321),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &pool, 4_321);
    let after = solvency(&w.s);
    assert_eq!(after.balance, before.balance + Uint128::new(4_321));
    assert_eq!(after.liabilities, before.liabilities);
    assert_eq!(after.total_liabilities, before.total_liabilities);
    assert!(after.solvent);
    // Nobody can take the donation as their own.
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::Claim { datanet_ids: None })
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::ClaimStakingRewards {})
    });
    assert_eq!(e, PoolError::NothingToClaim);
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &mallory,
            &PoolExec::Unstake {
                amount: Uint128::new(4_321),
            },
        )
    });
    assert_eq!(
        e,
        PoolError::InsufficientStake {
            staked: Uint128::zero(),
            requested: Uint128::new(4_321)
        }
    );
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(e, PoolError::NothingUnbonded { next_release: None });
    // Not even the owner: the donation is not treasury.
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
    // Every real claimant is paid exactly what it is owed; the donation stays as surplus.
    let (alice, staker) = (w.alice.clone(), w.staker.clone());
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD);
    w.s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    w.s.moved(&pool, &staker, STAKER_REWARD);
    let end = solvency(&w.s);
    assert_eq!(
        end.balance - end.total_liabilities,
        before.balance - before.total_liabilities + Uint128::new(4_321)
    );
    w.s.check();
}

#[test]
fn attack_donation_to_an_influence_bucket_does_not_raise_its_cap() {
    // A plain transfer is not a distribution: roots may still allocate only what arrived
    // through `distribute`.
    let mut w = world();
    let (mallory, pool, token, attestor) = (
        w.mallory.clone(),
        w.s.pool.clone(),
        w.s.token.clone(),
        w.attestor.clone(),
    );
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: pool.to_string(),
                amount: Uint128::new(5_000),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &pool, 5_000);
    let msg = PoolExec::PostAttributionRoot {
        datanet_id: 2,
        epoch: 1,
        root: HexBinary::from([3u8; 32].as_slice()),
        cumulative_total: Uint128::new(BUCKET + 1),
        version: None,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
    assert_eq!(
        e,
        PoolError::RootExceedsBucket {
            datanet_id: 2,
            cumulative_total: Uint128::new(BUCKET + 1),
            received: Uint128::new(BUCKET)
        }
    );
    assert_eq!(roots(&w.s).total_received.u128(), BUCKET);
    w.s.check();
}

#[test]
fn attack_spam_unbonding_entries_up_to_the_cap_then_one_more() {
    // Each unstake opens an entry; 16 is the cap. The 17th is refused until matured entries
    // are withdrawn, which frees the slots.
    let mut w = world();
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    for _ in 0..16 {
        w.s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
        .unwrap();
    }
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &staker,
            &PoolExec::Unstake {
                amount: Uint128::one(),
            },
        )
    });
    assert_eq!(e, PoolError::TooManyUnbonding { max: 16 });
    assert_eq!(staker_of(&w.s, &staker).unbonding.len(), 16);
    w.s.advance(UNBONDING_PERIOD);
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 16);
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::one(),
        },
    )
    .unwrap();
    assert_eq!(staker_of(&w.s, &staker).staked.u128(), STAKE - 17);
    w.s.check();
}

#[test]
fn attack_spam_tiny_distributions_keep_the_pool_solvent() {
    // Many one-unit distributions to a datanet whose weight does not divide them: each unit is
    // credited or sent to the treasury as dust, never lost and never over-credited.
    let heavy = std::env::var("OPENLEDGER_HEAVY").as_deref() == Ok("1");
    let n: u128 = if heavy { 2_000 } else { 100 };
    let mut w = world();
    let (registry, bob, mallory, pool) = (
        w.registry.clone(),
        w.bob.clone(),
        w.mallory.clone(),
        w.s.pool.clone(),
    );
    // Weights 10 (alice) and 20 (bob): a unit splits into thirds.
    w.s.pool_exec(&registry, &weights(1, vec![(bob.to_string(), 20)]))
        .unwrap();
    let before: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    let treasury_before = w.s.treasury();
    for _ in 0..n {
        w.s.send(&mallory, &pool, 1, &distribute(vec![to_datanet(1, 1)]))
            .unwrap();
        w.s.moved(&mallory, &pool, 1);
    }
    let after: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    let credited = (after.total_distributed - before.total_distributed).u128();
    let dust = w.s.treasury() - treasury_before;
    assert_eq!(credited + dust, n);
    // Pay everyone: what they get never exceeds what was credited.
    let alice = w.alice.clone();
    let mut paid = 0;
    for who in [&alice, &bob] {
        let r: PendingRewardsResponse = w.s.query_pool(&PoolQuery::PendingRewards {
            address: who.to_string(),
            datanet_ids: Some(vec![1]),
            start_after: None,
            limit: None,
        });
        let amount = r.total.u128();
        if amount > 0 {
            w.s.pool_exec(who, &PoolExec::Claim { datanet_ids: None })
                .unwrap();
            w.s.moved(&pool, who, amount);
            paid += amount;
        }
    }
    assert!(paid <= DATANET_REWARD + credited, "{paid}");
    w.s.check();
}
