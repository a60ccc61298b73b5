use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Two-step ownership misuse: the registry's and a datanet's
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    w.s.check();
}

#[test]
fn attack_ownership_accept_by_the_wrong_account() {
    let mut w = world();
    let (deployer, bob, mallory) = (w.s.deployer.clone(), w.bob.clone(), w.mallory.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), NOT_PENDING_OWNER);
    assert_eq!(registry_owner(&w.s), Some(deployer.to_string()));
    w.s.check();
}

#[test]
fn attack_ownership_pending_owner_acts_before_accepting() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &bob,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::zero()),
                reward_pool: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_renounce_then_act() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    w.s.registry_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), None);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::zero()),
                reward_pool: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NO_OWNER);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&deployer, &transfer_ownership(deployer.as_str(), None))
    });
    assert_eq!(ownership_error(e), NO_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_renounce_voids_the_pending_offer() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    assert_eq!(registry_owner(&w.s), None);
    w.s.check();
}

#[test]
fn attack_ownership_previous_owner_acts_after_handover() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::zero()),
                reward_pool: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_datanet_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_accept_by_the_wrong_account() {
    let mut w = world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    // The offer for datanet 1 is not an offer for datanet 2.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 2 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 2 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_superseded_offer_cannot_be_accepted() {
    let mut w = world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    for to in [&mallory, &bob] {
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: to.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    assert_eq!(datanet(&w.s, 1).pending_owner, Some(bob));
    w.s.check();
}

#[test]
fn attack_ownership_datanet_cancelled_offer_cannot_be_accepted() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    for to in [&bob, &owner] {
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: to.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    assert_eq!(datanet(&w.s, 1).owner, owner);
    w.s.check();
}

#[test]
fn attack_ownership_datanet_previous_owner_acts_after_handover() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    // Nor can the previous owner curate: the owner's right to curate went with the datanet.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &review(1, vec![reject(2)]))
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    // Accepting twice is not possible either.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_pending_owner_acts_before_accepting() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &bob,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: bob.to_string(),
            },
        )
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_transfer_of_a_missing_datanet() {
    let mut w = world();
    let owner = w.owner.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 99,
                new_owner: owner.to_string(),
            },
        )
    });
    assert_eq!(e, RegError::DatanetNotFound { id: 99 });
    w.s.check();
}
