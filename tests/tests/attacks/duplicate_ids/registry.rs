use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Duplicate ids in batches
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_accept_and_reject_of_one_contribution() {
    // Accepting returns the bond, rejecting pays it to the treasury: both at once would pay it
    // twice.
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![accept(2, 5), reject(2)]))
    });
    assert_eq!(e, RegError::DuplicateInBatch { id: 2 });
    w.s.check();
}

#[test]
fn attack_duplicate_reject_twice_in_one_batch() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![reject(2), reject(2)]))
    });
    assert_eq!(e, RegError::DuplicateInBatch { id: 2 });
    w.s.check();
}

#[test]
fn attack_duplicate_at_both_ends_of_a_full_batch() {
    let mut w = world();
    let (bob, curator, registry) = (w.bob.clone(), w.curator.clone(), w.s.registry.clone());
    // 48 more pending contributions of bob: ids 4..=51.
    for i in 0..48 {
        w.s.send(
            &bob,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, &format!("bulk{i}"))),
        )
        .unwrap();
        w.s.moved(&bob, &registry, BOND);
    }
    let mut decisions: Vec<ReviewDecision> = vec![accept(2, 1)];
    decisions.extend((4..=51).map(|id| accept(id, 1)));
    decisions.push(reject(2));
    assert_eq!(decisions.len(), 50);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, decisions))
    });
    assert_eq!(e, RegError::DuplicateInBatch { id: 2 });
    w.s.check();
}

#[test]
fn attack_duplicate_contribution_of_another_datanet_in_a_batch() {
    let mut w = world();
    let owner = w.owner.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &review(1, vec![accept(2, 5), accept(3, 5)]))
    });
    assert_eq!(
        e,
        RegError::ContributionNotInDatanet {
            id: 3,
            datanet_id: 1
        }
    );
    w.s.check();
}

#[test]
fn attack_duplicate_curators_at_creation() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    let bob = w.bob.to_string();
    let new = new_datanet(
        "dup",
        0,
        AttributionMode::Weight,
        vec![bob.clone(), bob.clone()],
    );
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    assert_eq!(e, RegError::DuplicateCurator { address: bob });
    w.s.check();
}

#[test]
fn attack_duplicate_curator_added_again_or_twice() {
    let mut w = world();
    let owner = w.owner.clone();
    let (curator, bob) = (w.curator.to_string(), w.bob.to_string());
    for add in [vec![curator.clone()], vec![bob.clone(), bob.clone()]] {
        let expected = add.last().unwrap().clone();
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &owner,
                &RegExec::UpdateCurators {
                    datanet_id: 1,
                    add,
                    remove: vec![],
                },
            )
        });
        assert_eq!(e, RegError::DuplicateCurator { address: expected });
    }
    w.s.check();
}

#[test]
fn attack_duplicate_curator_removed_twice() {
    let mut w = world();
    let owner = w.owner.clone();
    let curator = w.curator.to_string();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: vec![curator.clone(), curator.clone()],
            },
        )
    });
    assert_eq!(
        e,
        RegError::CuratorNotFound {
            datanet_id: 1,
            address: curator
        }
    );
    w.s.check();
}

#[test]
fn attack_duplicate_allowlist_entries_are_idempotent() {
    // Accepted by design: the allowlist is a set.
    let mut w = world();
    let curator = w.curator.clone();
    let bob = w.bob.to_string();
    w.s.registry_exec(
        &curator,
        &RegExec::UpdateAllowlist {
            datanet_id: 1,
            add: vec![bob.clone(), bob.clone()],
            remove: vec![],
        },
    )
    .unwrap();
    let allowed: bool = w.s.query_registry(&RegQuery::IsAllowed {
        datanet_id: 1,
        address: bob.clone(),
    });
    assert!(allowed);
    w.s.registry_exec(
        &curator,
        &RegExec::UpdateAllowlist {
            datanet_id: 1,
            add: vec![],
            remove: vec![bob.clone(), bob.clone()],
        },
    )
    .unwrap();
    let allowed: bool = w.s.query_registry(&RegQuery::IsAllowed {
        datanet_id: 1,
        address: bob,
    });
    assert!(!allowed);
    w.s.check();
}
