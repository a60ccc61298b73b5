use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Terms that change between a quote and its execution
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_term_creation_fee_changed_in_front_of_a_create() {
    // The amount sent must equal the fee in force: a fee raised or lowered in front of the
    // creator's `send` refuses it (expected vs received), and the tokens stay with the
    // creator; the registry never keeps a difference.
    let mut w = commitment_world();
    let (deployer, owner, registry) = (w.s.deployer.clone(), w.owner.clone(), w.s.registry.clone());
    for fee in [FEE + 50, FEE - 40] {
        w.s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::new(fee)),
                reward_pool: None,
            },
        )
        .unwrap();
        let new = weight_datanet("quoted", 0, vec![]);
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
        });
        assert_eq!(
            e,
            RegError::FeeMismatch {
                expected: Uint128::new(fee),
                received: Uint128::new(FEE),
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_term_creation_fee_set_in_front_of_a_free_create() {
    let mut w = commitment_world();
    let (deployer, owner) = (w.s.deployer.clone(), w.owner.clone());
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::zero()),
            reward_pool: None,
        },
    )
    .unwrap();
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::new(1)),
            reward_pool: None,
        },
    )
    .unwrap();
    let new = weight_datanet("free", 0, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::CreationFeeRequired {
            fee: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_term_contribution_bond_cannot_change_after_creation() {
    // The bond is fixed at creation: `update_datanet` has no bond field, and a message naming
    // one is refused (strict messages) instead of being ignored.
    let mut w = commitment_world();
    let owner = w.owner.clone();
    let registry = w.s.registry.clone();
    let msg = json!({"update_datanet": {"datanet_id": 1, "description": "x",
        "metadata_uri": null, "policy": null, "contribution_bond": "1"}});
    let e = w.s.refused(|s| {
        cw_multi_test::Executor::execute_contract(&mut s.app, owner, registry, &msg, &[])
    });
    assert!(
        format!("{e:#}").contains("unknown field `contribution_bond`"),
        "{e:#}"
    );
    assert_eq!(w.datanet(1).contribution_bond, Uint128::new(BOND));
    w.s.check();
}

#[test]
fn attack_term_policy_or_status_changed_in_front_of_a_contribute() {
    let mut w = commitment_world();
    let (owner, alice, registry) = (w.owner.clone(), w.alice.clone(), w.s.registry.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateDatanet {
            datanet_id: 1,
            description: None,
            metadata_uri: None,
            policy: Some(ContributionPolicy::Allowlist),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "a")),
        )
    });
    assert_eq!(
        e,
        RegError::NotAllowlisted {
            datanet_id: 1,
            address: alice.to_string(),
        }
    );
    w.s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "a")),
        )
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    assert_eq!(w.datanet(1).status, DatanetStatus::Closed);
    w.s.check();
}

#[test]
fn attack_term_reviewer_loses_rights_in_front_of_a_review() {
    // A curator removed, or an owner who handed the datanet over, cannot complete a review
    // already sent.
    let mut w = commitment_world();
    let (owner, curator, bob, alice) = (
        w.owner.clone(),
        w.curator.clone(),
        w.bob.clone(),
        w.alice.clone(),
    );
    let id = w.bonded(&bob, "b", false);
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateCurators {
            datanet_id: 1,
            add: vec![],
            remove: vec![curator.to_string()],
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::ReviewContributions {
                datanet_id: 1,
                decisions: vec![reject(id)],
            },
        )
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&alice, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::ReviewContributions {
                datanet_id: 1,
                decisions: vec![reject(id)],
            },
        )
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    assert_eq!(w.contribution(id).status, ContributionStatus::Pending);
    w.s.check();
}
