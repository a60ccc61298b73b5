use crate::setup::roots::*;

// ---------------------------------------------------------------------------------------------
// Finding 2: reporting must not pay the reported
// ---------------------------------------------------------------------------------------------

#[test]
fn an_attestor_challenging_its_own_root_alone_loses_the_slash_minus_the_reward() {
    // 0.2.0: the sybil's challenge paid it its bond plus the whole slash, so the bad root cost
    // the attestor nothing.
    let mut w = world();
    let (attestor, sybil) = (w.attestor.clone(), w.sybil.clone());
    let held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    let treasury = w.s.treasury();
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.s.advance(WINDOW);
    w.resolve(1, true);
    let reward = reward_of(BOND);
    assert_eq!(w.s.treasury(), treasury + BOND - reward);
    w.withdraw(&sybil, CBOND + reward);
    // Its tokens plus its bond left in the pool: the slash minus the reward is gone.
    let a = attestor_of(&w.s, &attestor);
    let now_held = w.s.ledger[&attestor] + w.s.ledger[&sybil] + a.bond.u128();
    assert_eq!(held + BOND - now_held, BOND - reward);
    assert_eq!(BOND - reward, 800_000);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn an_honest_challenger_joins_after_the_attestors_sybil_and_shares_the_reward() {
    // 0.2.0 refused the honest challenge (RootAlreadyChallenged) and paid the sybil
    // bond + slash.
    let mut w = world();
    let (attestor, sybil, honest) = (w.attestor.clone(), w.sybil.clone(), w.honest.clone());
    let held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    let (honest_held, treasury) = (w.s.ledger[&honest], w.s.treasury());
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.s.advance(WINDOW / 2);
    w.challenge(&honest, 1, CBOND).unwrap();
    let p = w.roots().pending.unwrap();
    assert_eq!(
        (p.challengers, p.challenge_bonds.u128(), p.stake.u128()),
        (2, 2 * CBOND, BOND)
    );
    assert_eq!(p.challenge.unwrap().challenger, sybil);
    w.s.advance(WINDOW / 2);
    w.resolve(1, true);
    // Reward 200 000, shared by bond: 100 000 each; 800 000 to the treasury.
    let share = reward_of(BOND) / 2;
    assert_eq!(share, 100_000);
    assert_eq!(w.s.treasury(), treasury + BOND - 2 * share);
    let c = w.challenge_of(&honest);
    assert_eq!(
        (c.status, c.reward.u128(), c.withdrawable.u128()),
        (ChallengeStatus::Void, share, CBOND + share)
    );
    w.withdraw(&honest, CBOND + share);
    w.withdraw(&sybil, CBOND + share);
    assert_eq!(w.s.ledger[&honest], honest_held + share);
    let now_held = w.s.ledger[&attestor] + w.s.ledger[&sybil];
    assert_eq!(held + BOND - now_held, BOND - share);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn attack_the_same_address_challenges_twice() {
    let mut w = world();
    let (attestor, sybil, pool, d) = (w.attestor.clone(), w.sybil.clone(), w.s.pool.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    let hook = PoolHook::ChallengeRoot {
        datanet_id: d,
        epoch: 1,
    };
    w.s.fund(&sybil, CBOND);
    let e = refused::<ContractError>(&mut w.s, |s| s.send(&sybil, &pool, CBOND, &hook));
    assert_eq!(
        e,
        ContractError::DuplicateChallenge {
            datanet_id: d,
            epoch: 1,
            challenger: sybil.to_string()
        }
    );
}

#[test]
fn forty_early_challengers_cannot_shut_out_an_honest_one() {
    // There is no cap to fill: every address may challenge once, and each withdraws its own
    // settlement (pull), so the resolution costs the same for 1 or 41 challengers.
    let mut w = world();
    let (attestor, honest) = (w.attestor.clone(), w.honest.clone());
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    let sybils: Vec<Addr> = (0..40).map(|i| w.s.addr(&format!("sybil{i}"))).collect();
    for who in &sybils {
        w.s.fund(who, CBOND);
        w.challenge(who, 1, CBOND).unwrap();
    }
    w.challenge(&honest, 1, CBOND).unwrap();
    assert_eq!(w.roots().pending.unwrap().challengers, 41);
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, true);
    // 200 000 / 41 = 4 878 each (by equal bonds); 200 000 − 41 × 4 878 = 2 dust units go to
    // the treasury with the last withdrawal.
    let reward = reward_of(BOND);
    let share = reward / 41;
    assert_eq!((share, reward - 41 * share), (4_878, 2));
    w.withdraw(&honest, CBOND + share);
    for who in &sybils {
        w.withdraw(who, CBOND + share);
    }
    assert_eq!(w.s.treasury(), treasury + BOND - reward + 2);
    assert_eq!(w.liabilities(), (0, 0, 0));
}

#[test]
fn an_upheld_root_pays_every_challenge_bond_to_the_treasury() {
    let mut w = world();
    let (attestor, sybil, honest) = (w.attestor.clone(), w.sybil.clone(), w.honest.clone());
    w.s.post_root(&attestor, 1, &w.good).unwrap();
    w.challenge(&sybil, 1, CBOND).unwrap();
    w.challenge(&honest, 1, 3 * CBOND).unwrap();
    w.s.advance(WINDOW);
    let treasury = w.s.treasury();
    w.resolve(1, false);
    assert_eq!(w.s.treasury(), treasury + 4 * CBOND);
    assert_eq!(w.liabilities(), (BOND, 0, 0));
    // Withdrawing a forfeited challenge pays nothing and removes it.
    assert_eq!(w.challenge_of(&honest).status, ChallengeStatus::Upheld);
    w.withdraw(&honest, 0);
    let d = w.d;
    let e = refused::<ContractError>(&mut w.s, |s| {
        s.pool_exec(&honest, &PoolExec::WithdrawChallenge { datanet_id: d })
    });
    assert_eq!(
        e,
        ContractError::NoChallenge {
            datanet_id: d,
            address: honest.to_string()
        }
    );
    // The sybil's forfeited record is settled by its next challenge in the datanet.
    let bad2 = AttributionTree::new(w.d, &influence_entries(1, &[(&sybil, BUCKET)], 2, 1));
    w.s.post_root(&attestor, 2, &bad2).unwrap();
    w.s.fund(&sybil, CBOND);
    w.challenge(&sybil, 2, CBOND).unwrap();
    assert_eq!(w.challenge_of(&sybil).epoch, 2);
}

#[test]
fn attack_withdrawing_before_the_verdict_or_without_a_challenge() {
    let mut w = world();
    let (attestor, honest, alice, d) = (w.attestor.clone(), w.honest.clone(), w.alice.clone(), w.d);
    w.s.post_root(&attestor, 1, &w.bad).unwrap();
    w.challenge(&honest, 1, CBOND).unwrap();
    let msg = PoolExec::WithdrawChallenge { datanet_id: d };
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&honest, &msg));
    assert_eq!(
        e,
        ContractError::ChallengeNotResolved {
            datanet_id: d,
            epoch: 1
        }
    );
    let e = refused::<ContractError>(&mut w.s, |s| s.pool_exec(&alice, &msg));
    assert_eq!(
        e,
        ContractError::NoChallenge {
            datanet_id: d,
            address: alice.to_string()
        }
    );
}
