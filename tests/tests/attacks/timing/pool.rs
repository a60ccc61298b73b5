use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Timing at t - 1, t and t + 1 of every deadline
// ---------------------------------------------------------------------------------------------

/// The staker unstakes 100 now; returns the release time `t`.
fn unbond(w: &mut World) -> u64 {
    let staker = w.staker.clone();
    w.s.pool_exec(
        &staker,
        &PoolExec::Unstake {
            amount: Uint128::new(100),
        },
    )
    .unwrap();
    w.s.app.block_info().time.seconds() + UNBONDING_PERIOD
}

#[test]
fn attack_timing_unbonding_release_at_t_minus_1() {
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t - 1);
    let staker = w.staker.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
    });
    assert_eq!(
        e,
        PoolError::NothingUnbonded {
            next_release: Some(t)
        }
    );
    w.s.check();
}

#[test]
fn attack_timing_unbonding_release_at_t() {
    // The release time is inclusive.
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t);
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    w.s.check();
}

#[test]
fn attack_timing_unbonding_release_at_t_plus_1() {
    let mut w = world();
    let t = unbond(&mut w);
    w.advance_to(t + 1);
    let (staker, pool) = (w.staker.clone(), w.s.pool.clone());
    w.s.pool_exec(&staker, &PoolExec::WithdrawUnbonded {})
        .unwrap();
    w.s.moved(&pool, &staker, 100);
    assert!(staker_of(&w.s, &staker).unbonding.is_empty());
    w.s.check();
}

#[test]
fn attack_timing_challenge_at_window_end_minus_1() {
    // Challenges are taken strictly before claimable_at.
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    w.challenge();
    assert_eq!(roots(&w.s).pending.unwrap().status, RootStatus::Challenged);
    w.s.check();
}

fn late_challenge_refused(offset: u64) {
    let mut w = world();
    let t = w.post();
    w.advance_to(t + offset);
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
        PoolError::ChallengeWindowClosed {
            datanet_id: 2,
            epoch: 1,
            closed_at: t
        }
    );
    w.s.check();
}

#[test]
fn attack_timing_challenge_at_window_end() {
    late_challenge_refused(0);
}

#[test]
fn attack_timing_challenge_at_window_end_plus_1() {
    late_challenge_refused(1);
}

#[test]
fn attack_timing_claim_at_window_end_minus_1() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let alice = w.alice.clone();
    let msg = w.claim_alice(1, ALICE_LEAF);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        PoolError::RootInChallengeWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at: t
        }
    );
    w.s.check();
}

fn claim_at(offset: u64) {
    let mut w = world();
    let t = w.post();
    w.advance_to(t + offset);
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    let msg = w.claim_alice(1, ALICE_LEAF);
    w.s.pool_exec(&alice, &msg).unwrap();
    w.s.moved(&pool, &alice, ALICE_LEAF);
    w.s.check();
}

#[test]
fn attack_timing_claim_at_window_end() {
    claim_at(0);
}

#[test]
fn attack_timing_claim_at_window_end_plus_1() {
    claim_at(1);
}

#[test]
fn attack_timing_next_root_at_window_end_minus_1_and_at_t() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let attestor = w.attestor.clone();
    let e = refused::<PoolError>(&mut w.s, |s| s.post_root(&attestor, 2, &w.tree));
    assert_eq!(
        e,
        PoolError::PendingRootInWindow {
            datanet_id: 2,
            epoch: 1,
            claimable_at: t
        }
    );
    w.s.advance(1);
    w.s.post_root(&attestor, 2, &w.tree).unwrap();
    let r = roots(&w.s);
    assert_eq!(
        (r.claimable.unwrap().epoch, r.pending.unwrap().epoch),
        (1, 2)
    );
    w.s.check();
}

#[test]
fn attack_timing_attestor_removal_at_lock_end_minus_1_then_t() {
    let mut w = world();
    let t = w.post();
    w.advance_to(t - 1);
    let (deployer, attestor, pool) = (w.deployer.clone(), w.attestor.clone(), w.s.pool.clone());
    let remove = PoolExec::UpdateAttestors {
        add: vec![],
        remove: vec![attestor.to_string()],
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &remove));
    assert_eq!(
        e,
        PoolError::AttestorBondLocked {
            address: attestor.to_string(),
            until: t
        }
    );
    w.s.advance(1);
    w.s.pool_exec(&deployer, &remove).unwrap();
    w.s.moved(&pool, &attestor, DEFAULT_ATTESTOR_BOND.u128());
    w.s.check();
}

fn offer_pool_then_wait(offset: i64) -> World {
    let mut w = world();
    let (deployer, bob) = (w.deployer.clone(), w.bob.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.pool_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": t }))),
    )
    .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

#[test]
fn attack_timing_ownership_offer_accepted_at_expiry_minus_1() {
    let mut w = offer_pool_then_wait(-1);
    let bob = w.bob.clone();
    w.s.pool_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry() {
    let mut w = offer_pool_then_wait(0);
    let bob = w.bob.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry_plus_1() {
    let mut w = offer_pool_then_wait(1);
    let bob = w.bob.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

/// Alice allows bob 10 until `now + 100 s`; returns the world at `expiry + offset`.
fn allowance_then_wait(offset: i64) -> World {
    let mut w = world();
    let (alice, bob, token) = (w.alice.clone(), w.bob.clone(), w.s.token.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.app
        .execute_contract(
            alice,
            token,
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: bob.to_string(),
                amount: Uint128::new(10),
                expires: Some(Expiration::AtTime(t)),
            },
            &[],
        )
        .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

#[test]
fn attack_timing_token_allowance_spent_at_expiry_minus_1() {
    let mut w = allowance_then_wait(-1);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    spend_allowance(&mut w.s, &alice, &bob).unwrap();
    w.s.moved(&alice, &bob, 10);
    w.s.check();
}

#[test]
fn attack_timing_token_allowance_refused_at_expiry() {
    let mut w = allowance_then_wait(0);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &bob));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Allowance is expired");
    w.s.check();
}

#[test]
fn attack_timing_token_allowance_refused_at_expiry_plus_1() {
    let mut w = allowance_then_wait(1);
    let (alice, bob) = (w.alice.clone(), w.bob.clone());
    let e = w.s.refused(|s| spend_allowance(s, &alice, &bob));
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Allowance is expired");
    w.s.check();
}
