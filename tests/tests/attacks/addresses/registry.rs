use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign-prefix, empty and self-referencing addresses
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_address_upper_case_curator_at_creation() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    let upper = w.bob.to_string().to_uppercase();
    let new = new_datanet("upper", 0, AttributionMode::Weight, vec![upper.clone()]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    invalid_address(e, "curators", &upper);
    w.s.check();
}

#[test]
fn attack_address_foreign_prefix_curator_at_creation() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    let new = new_datanet(
        "cosmos",
        0,
        AttributionMode::Weight,
        vec![COSMOS_ADDR.into()],
    );
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    invalid_address(e, "curators", COSMOS_ADDR);
    w.s.check();
}

#[test]
fn attack_address_empty_new_datanet_owner() {
    let mut w = world();
    let owner = w.owner.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: String::new(),
            },
        )
    });
    invalid_address(e, "new_owner", "");
    w.s.check();
}

#[test]
fn attack_address_upper_case_new_datanet_owner() {
    let mut w = world();
    let owner = w.owner.clone();
    let upper = w.bob.to_string().to_uppercase();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: upper.clone(),
            },
        )
    });
    invalid_address(e, "new_owner", &upper);
    w.s.check();
}

#[test]
fn attack_address_foreign_prefix_in_allowlist_add_and_remove() {
    let mut w = world();
    let curator = w.curator.clone();
    for (add, remove, field) in [
        (vec![OSMO_ADDR.to_string()], vec![], "add"),
        (vec![], vec![COSMOS_ADDR.to_string()], "remove"),
    ] {
        let bad = add.first().or(remove.first()).unwrap().clone();
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &curator,
                &RegExec::UpdateAllowlist {
                    datanet_id: 1,
                    add,
                    remove,
                },
            )
        });
        invalid_address(e, field, &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_upper_case_curator_removal() {
    let mut w = world();
    let owner = w.owner.clone();
    let upper = w.curator.to_string().to_uppercase();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: vec![upper.clone()],
            },
        )
    });
    invalid_address(e, "remove", &upper);
    w.s.check();
}

#[test]
fn attack_address_registry_ownership_to_an_unnormalized_address() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.bob.to_string().to_uppercase();
    for (bad, why) in [
        (
            upper.as_str(),
            "Generic error: Invalid input: address not normalized",
        ),
        (COSMOS_ADDR, "Generic error: Wrong bech32 prefix"),
        ("", "Generic error: Error decoding bech32"),
    ] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&deployer, &transfer_ownership(bad, None))
        });
        assert_eq!(ownership_error(e), why, "{bad}");
    }
    w.s.check();
}

#[test]
fn attack_address_reward_pool_set_to_the_registry_itself() {
    let mut w = world();
    let (deployer, registry) = (w.s.deployer.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: None,
                reward_pool: Some(registry.to_string()),
            },
        )
    });
    assert_eq!(
        e,
        RegError::InvalidAddress {
            field: "reward_pool".into(),
            address: registry.to_string(),
            reason: "the registry itself cannot be the reward_pool".into(),
        }
    );
    w.s.check();
}

#[test]
fn attack_address_reward_pool_set_to_the_token() {
    let mut w = world();
    let (deployer, token) = (w.s.deployer.clone(), w.s.token.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: None,
                reward_pool: Some(token.to_string()),
            },
        )
    });
    assert_eq!(
        e,
        RegError::InvalidAddress {
            field: "reward_pool".into(),
            address: token.to_string(),
            reason: "the fee token contract cannot be the reward_pool".into(),
        }
    );
    w.s.check();
}

#[test]
fn attack_address_reward_pool_empty_or_upper_case() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.s.pool.to_string().to_uppercase();
    for bad in [String::new(), upper] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &deployer,
                &RegExec::UpdateConfig {
                    creation_fee: None,
                    reward_pool: Some(bad.clone()),
                },
            )
        });
        invalid_address(e, "reward_pool", &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_registry_as_curator_or_datanet_owner_is_inert() {
    // Accepted by design: the registry never sends a message to itself, so as a curator or as a
    // proposed owner it can do nothing. The owner keeps every right and can cancel the offer.
    let mut w = world();
    let (owner, registry, pool) = (w.owner.clone(), w.s.registry.clone(), w.s.pool.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateCurators {
            datanet_id: 1,
            add: vec![registry.to_string(), pool.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: registry.to_string(),
        },
    )
    .unwrap();
    let d = datanet(&w.s, 1);
    assert_eq!(d.curators, vec![w.curator.clone(), registry.clone(), pool]);
    assert_eq!(
        (d.owner.clone(), d.pending_owner),
        (owner.clone(), Some(registry))
    );
    // The owner still curates, and cancels the offer by proposing itself.
    w.s.registry_exec(&owner, &review(1, vec![accept(2, 3)]))
        .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: owner.to_string(),
        },
    )
    .unwrap();
    assert_eq!(datanet(&w.s, 1).pending_owner, None);
    w.s.check();
}
