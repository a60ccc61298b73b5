use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Missing authorization for every privileged message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_auth_update_datanet_by_a_curator() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateDatanet {
                datanet_id: 1,
                description: None,
                metadata_uri: None,
                policy: Some(ContributionPolicy::Allowlist),
            },
        )
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_update_curators_by_a_curator() {
    let mut w = world();
    let (curator, mallory) = (w.curator.clone(), w.mallory.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![mallory.to_string()],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_update_allowlist_by_a_stranger() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &mallory,
            &RegExec::UpdateAllowlist {
                datanet_id: 1,
                add: vec![mallory.to_string()],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_close_datanet_by_a_curator() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &RegExec::CloseDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_transfer_datanet_by_a_curator_to_itself() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: curator.to_string(),
            },
        )
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_withdraw_contribution_of_another() {
    // The datanet owner cannot pull bob's pending contribution (and its bond) either.
    let mut w = world();
    for who in [w.owner.clone(), w.mallory.clone(), w.curator.clone()] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&who, &RegExec::WithdrawContribution { contribution_id: 2 })
        });
        assert_eq!(e, RegError::NotContributor { contribution_id: 2 });
    }
    w.s.check();
}

#[test]
fn attack_auth_contributor_reviews_its_own_contribution() {
    let mut w = world();
    let bob = w.bob.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &review(1, vec![accept(2, 10_000)]))
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_curator_of_one_datanet_reviews_another() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(2, vec![accept(3, 10)]))
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 2 });
    w.s.check();
}

#[test]
fn attack_auth_remove_contribution_by_its_contributor_or_a_stranger() {
    let mut w = world();
    for who in [w.alice.clone(), w.mallory.clone()] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &who,
                &RegExec::RemoveContribution {
                    contribution_id: 1,
                    reason: "mine".into(),
                },
            )
        });
        assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    }
    w.s.check();
}

#[test]
fn attack_auth_publish_version_by_a_stranger() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::PublishVersion { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_update_config_by_a_datanet_owner() {
    let mut w = world();
    let owner = w.owner.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
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
fn attack_auth_update_ownership_transfer_by_a_stranger() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &transfer_ownership(mallory.as_str(), None))
    });
    assert_eq!(ownership_error(e), NOT_OWNER);
    w.s.check();
}

#[test]
fn attack_auth_removed_curator_keeps_no_rights() {
    let mut w = world();
    let (owner, curator) = (w.owner.clone(), w.curator.clone());
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
        s.registry_exec(&curator, &review(1, vec![reject(2)]))
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_auth_withdraw_bonds_of_nobody() {
    // withdraw_bonds pays only the sender's own credit: a stranger has none.
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    assert_eq!(withdrawable(&w.s, &w.alice), BOND);
    w.s.check();
}
