use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Numbers a participant chooses, at their worst value
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_number_extreme_ids_find_nothing() {
    let mut w = commitment_world();
    let (alice, curator) = (w.alice.clone(), w.curator.clone());
    for id in [0, u64::MAX] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&alice, &RegExec::Contribute(contribution(id, "x")))
        });
        assert_eq!(e, RegError::DatanetNotFound { id });
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &curator,
                &RegExec::ReviewContributions {
                    datanet_id: 1,
                    decisions: vec![accept(id, 1)],
                },
            )
        });
        assert_eq!(e, RegError::ContributionNotFound { id });
    }
    for version in [0, u32::MAX] {
        let r: Result<serde_json::Value, _> = w.s.app.wrap().query_wasm_smart(
            &w.s.registry,
            &RegQuery::Version {
                datanet_id: 1,
                version,
            },
        );
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.contains(&format!("version {version} of datanet 1 does not exist")),
            "{msg}"
        );
    }
    w.s.check();
}

#[test]
fn attack_number_extreme_weights_are_refused() {
    let mut w = commitment_world();
    let (bob, curator) = (w.bob.clone(), w.curator.clone());
    let id = w.bonded(&bob, "b", false);
    for weight in [0, u64::MAX] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &curator,
                &RegExec::ReviewContributions {
                    datanet_id: 1,
                    decisions: vec![accept(id, weight)],
                },
            )
        });
        assert_eq!(
            e,
            RegError::InvalidWeight {
                weight,
                max: 10_000
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_number_largest_size_is_a_record_only() {
    // `size_bytes` is never summed or paid on: `u64::MAX` is stored as given and the
    // contribution is reviewed like any other.
    let mut w = commitment_world();
    let (alice, owner) = (w.alice.clone(), w.owner.clone());
    let mut c = contribution(2, "huge");
    c.size_bytes = u64::MAX;
    let res = w.s.registry_exec(&alice, &RegExec::Contribute(c)).unwrap();
    let id = id_of(&res);
    assert_eq!(w.contribution(id).size_bytes, u64::MAX);
    w.review(&owner, 2, vec![accept(id, 10_000)]);
    assert_eq!(w.pool_weight(2, &alice), 10_000);
    w.s.check();
}

#[test]
fn attack_number_largest_bond_locks_nothing() {
    // A datanet asking `u128::MAX` per contribution takes no contribution (no one holds that
    // much, and anything else is a mismatch); it holds nothing and can be closed.
    let mut w = commitment_world();
    let (mallory, registry, pool) = (w.mallory.clone(), w.s.registry.clone(), w.s.pool.clone());
    w.s.send(
        &mallory,
        &registry,
        FEE,
        &RegHook::CreateDatanet(weight_datanet("greedy", u128::MAX, vec![])),
    )
    .unwrap();
    w.s.moved(&mallory, &pool, FEE);
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            FUNDS,
            &RegHook::Contribute(contribution(3, "x")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::MAX,
            received: Uint128::new(FUNDS),
        }
    );
    w.s.registry_exec(&mallory, &RegExec::CloseDatanet { datanet_id: 3 })
        .unwrap();
    assert_eq!(w.solvency().total_liabilities, Uint128::zero());
    w.s.check();
}

#[test]
fn attack_number_largest_creation_fee_is_reversible() {
    // The registry owner's worst fee only stops creations until the owner lowers it again.
    let mut w = commitment_world();
    let (deployer, owner, registry, pool) = (
        w.s.deployer.clone(),
        w.owner.clone(),
        w.s.registry.clone(),
        w.s.pool.clone(),
    );
    let set_fee = |fee: Uint128| RegExec::UpdateConfig {
        creation_fee: Some(fee),
        reward_pool: None,
    };
    w.s.registry_exec(&deployer, &set_fee(Uint128::MAX))
        .unwrap();
    let new = weight_datanet("x", 0, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::FeeMismatch {
            expected: Uint128::MAX,
            received: Uint128::new(FEE),
        }
    );
    w.s.registry_exec(&deployer, &set_fee(Uint128::new(FEE)))
        .unwrap();
    w.s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(weight_datanet("x", 0, vec![])),
    )
    .unwrap();
    w.s.moved(&owner, &pool, FEE);
    w.s.check();
}
