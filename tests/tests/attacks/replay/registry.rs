use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_same_hash_in_upper_case_after_rejection() {
    // A rejected hash stays taken: resubmitting the rejected data is refused.
    let mut w = world();
    let (curator, bob, registry) = (w.curator.clone(), w.bob.clone(), w.s.registry.clone());
    w.s.registry_exec(&curator, &review(1, vec![reject(2)]))
        .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&registry, &pool, BOND);
    let mut again = contribution(1, "b");
    again.data_hash = again.data_hash.to_uppercase();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&bob, &registry, BOND, &RegHook::Contribute(again))
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("b")
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_same_hash_after_withdrawal_and_in_another_datanet() {
    // Accepted by design: a withdrawn hash is free again, and a hash is unique per datanet.
    let mut w = world();
    let (bob, registry) = (w.bob.clone(), w.s.registry.clone());
    w.s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
        .unwrap();
    w.s.send(
        &bob,
        &registry,
        BOND,
        &RegHook::Contribute(contribution(1, "b")),
    )
    .unwrap();
    w.s.moved(&bob, &registry, BOND);
    w.s.registry_exec(&bob, &RegExec::Contribute(contribution(2, "b")))
        .unwrap();
    assert_eq!(withdrawable(&w.s, &bob), BOND);
    assert_eq!(contribution_of(&w.s, 4).data_hash, data_hash("b"));
    assert_eq!(contribution_of(&w.s, 5).datanet_id, 2);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::Contribute(contribution(2, "b")))
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 2,
            data_hash: data_hash("b")
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_review_twice() {
    let mut w = world();
    let curator = w.curator.clone();
    w.s.registry_exec(&curator, &review(1, vec![accept(2, 4)]))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![reject(2)]))
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 2,
            status: ContributionStatus::Accepted
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_withdraw_contribution_twice() {
    let mut w = world();
    let bob = w.bob.clone();
    w.s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 2,
            status: ContributionStatus::Withdrawn
        }
    );
    assert_eq!(withdrawable(&w.s, &bob), BOND);
    w.s.check();
}

#[test]
fn attack_replay_withdraw_an_accepted_contribution() {
    // Alice's bond came back on acceptance: withdrawing now would return it a second time.
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &alice,
            &RegExec::WithdrawContribution { contribution_id: 1 },
        )
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 1,
            status: ContributionStatus::Accepted
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_remove_twice() {
    let mut w = world();
    let curator = w.curator.clone();
    let remove = RegExec::RemoveContribution {
        contribution_id: 1,
        reason: "poisoned".into(),
    };
    w.s.registry_exec(&curator, &remove).unwrap();
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&curator, &remove));
    assert_eq!(
        e,
        RegError::ContributionNotAccepted {
            id: 1,
            status: ContributionStatus::Removed
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_close_twice_and_contribute_after() {
    let mut w = world();
    let (owner, mallory, registry) = (w.owner.clone(), w.mallory.clone(), w.s.registry.clone());
    w.s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "late")),
        )
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    assert_eq!(datanet(&w.s, 1).status, DatanetStatus::Closed);
    w.s.check();
}

#[test]
fn attack_replay_register_the_same_datanet_at_the_pool() {
    // The registry's own message, replayed by anyone, is refused by the pool.
    let mut w = world();
    let mallory = w.mallory.clone();
    let msg = openledger_common::msg::reward_pool::ExecuteMsg::RegisterDatanet {
        datanet_id: 1,
        mode: PoolMode::Influence,
    };
    let e = refused::<reward_pool::ContractError>(&mut w.s, |s| s.pool_exec(&mallory, &msg));
    assert_eq!(
        e,
        reward_pool::ContractError::NotRegistry {
            action: "register datanets".into(),
            sender: mallory.to_string()
        }
    );
    let p: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    assert_eq!(p.mode, PoolMode::Weight);
    w.s.check();
}
