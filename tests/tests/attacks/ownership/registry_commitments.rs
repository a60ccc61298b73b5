use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Two-step ownership of a datanet
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_datanet_offered_to_an_account_that_cannot_accept_stays_with_its_owner() {
    // An offer to the registry itself (or any address that never calls `accept_datanet`)
    // changes nothing: the owner keeps every right, can cancel by offering to itself, and the
    // cancelled offer cannot be taken up.
    let mut w = commitment_world();
    let (owner, alice) = (w.owner.clone(), w.alice.clone());
    let registry = w.s.registry.clone();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: registry.to_string(),
        },
    )
    .unwrap();
    assert_eq!(w.datanet(2).pending_owner, Some(registry.clone()));
    assert_eq!(w.datanet(2).owner, owner);
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateDatanet {
            datanet_id: 2,
            description: Some("still mine".into()),
            metadata_uri: None,
            policy: None,
        },
    )
    .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: owner.to_string(),
        },
    )
    .unwrap();
    assert_eq!(w.datanet(2).pending_owner, None);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::AcceptDatanet { datanet_id: 2 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 2 });
    w.s.check();
}

#[test]
fn attack_ownership_new_datanet_owner_cannot_take_pending_bonds() {
    // Ownership moves curation rights, never money: the bonds of pending contributions stay
    // owed to their contributors across a handover (withdrawable by them alone).
    let mut w = commitment_world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    let id = w.bonded(&bob, "b", false);
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: mallory.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &mallory,
            &RegExec::WithdrawContribution {
                contribution_id: id,
            },
        )
    });
    assert_eq!(
        e,
        RegError::NotContributor {
            contribution_id: id
        }
    );
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    w.s.registry_exec(
        &bob,
        &RegExec::WithdrawContribution {
            contribution_id: id,
        },
    )
    .unwrap();
    w.withdraw_bonds(&bob, BOND);
    assert_eq!(w.s.balance(&bob), FUNDS);
    w.s.check();
}
