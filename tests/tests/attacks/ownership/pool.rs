use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Two-step ownership misuse
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    w.s.check();
}

#[test]
fn attack_ownership_accept_by_the_wrong_account() {
    let mut w = world();
    let (deployer, bob, mallory) = (w.deployer.clone(), w.bob.clone(), w.mallory.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), NOT_PENDING_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_pending_owner_withdraws_treasury_before_accepting() {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &bob,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::new(TREASURY),
                recipient: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_renounce_then_act() {
    // After renouncing, no owner-only message runs again: the treasury and the challenge
    // settlement are frozen for good (renouncing is a deliberate, final act).
    let mut w = world();
    w.post();
    w.challenge();
    let deployer = w.deployer.clone();
    w.s.pool_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    for msg in [
        PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
        PoolExec::ResolveChallenge {
            datanet_id: 2,
            epoch: 1,
            void: true,
        },
        transfer_ownership(deployer.as_str(), None),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &msg));
        assert_eq!(ownership_error(e), NO_OWNER);
    }
    w.s.check();
}

#[test]
fn attack_ownership_previous_owner_acts_after_handover() {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    w.s.pool_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.pool_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::WithdrawTreasury {
                amount: Uint128::one(),
                recipient: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    // The new owner withdraws, to itself.
    w.s.pool_exec(
        &bob,
        &PoolExec::WithdrawTreasury {
            amount: Uint128::new(TREASURY),
            recipient: None,
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &bob, TREASURY);
    w.s.check();
}
