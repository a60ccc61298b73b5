use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Oversized lists and limits
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_allocations_33_and_zero() {
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let many = (0..33).map(|_| to_datanet(1, 1)).collect();
    let e = refused::<PoolError>(&mut w.s, |s| s.send(&mallory, &pool, 33, &distribute(many)));
    assert_eq!(e, PoolError::AllocationCount { got: 33, max: 32 });
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.send(&mallory, &pool, 1, &distribute(vec![]))
    });
    assert_eq!(e, PoolError::AllocationCount { got: 0, max: 32 });
    // Exactly 32 goes through.
    let full = (0..32).map(|_| to_datanet(1, 1)).collect();
    w.s.send(&mallory, &pool, 32, &distribute(full)).unwrap();
    w.s.moved(&mallory, &pool, 32);
    w.s.check();
}

#[test]
fn attack_oversized_weight_updates_51_and_empty() {
    let mut w = world();
    let registry = w.registry.clone();
    let many = (0..51)
        .map(|i| (w.s.addr(&format!("c{i}")).to_string(), 1))
        .collect();
    let msg = weights(1, many);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, PoolError::TooManyUpdates { got: 51, max: 50 });
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &weights(1, vec![])));
    assert_eq!(e, PoolError::EmptyUpdates);
    w.s.check();
}

#[test]
fn attack_oversized_attestor_updates_51() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let many: Vec<String> = (0..51)
        .map(|i| w.s.addr(&format!("a{i}")).to_string())
        .collect();
    for (add, remove) in [(many.clone(), vec![]), (vec![], many)] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        assert_eq!(e, PoolError::TooManyAttestorUpdates { got: 51, max: 50 });
    }
    w.s.check();
}

#[test]
fn attack_oversized_proof_and_proof_elements() {
    let mut w = world();
    w.post();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let alice = w.alice.clone();
    let long = PoolExec::ClaimAttribution {
        datanet_id: 2,
        epoch: 1,
        cumulative_amount: Uint128::new(ALICE_LEAF),
        proof: vec![HexBinary::from([7u8; 32].as_slice()); 65],
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &long));
    assert_eq!(e, PoolError::ProofTooLong { len: 65, max: 64 });
    let (_, mut proof) = w.tree.proof(alice.as_str());
    proof[1] = HexBinary::from([7u8; 33].as_slice());
    let bad = PoolExec::ClaimAttribution {
        datanet_id: 2,
        epoch: 1,
        cumulative_amount: Uint128::new(ALICE_LEAF),
        proof,
    };
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&alice, &bad));
    assert_eq!(e, PoolError::InvalidProofElement { index: 1, len: 33 });
    w.s.check();
}

#[test]
fn attack_oversized_root_length() {
    let mut w = world();
    let attestor = w.attestor.clone();
    for len in [31usize, 33] {
        let msg = PoolExec::PostAttributionRoot {
            datanet_id: 2,
            epoch: 1,
            root: HexBinary::from(vec![1u8; len]),
            cumulative_total: Uint128::new(w.tree.total),
            version: None,
        };
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&attestor, &msg));
        assert_eq!(e, PoolError::InvalidRoot { len });
    }
    w.s.check();
}

#[test]
fn attack_oversized_query_limits_zero_fifty_one_and_u32_max() {
    let w = world();
    for limit in [0, 51, u32::MAX] {
        let e =
            w.s.app
                .wrap()
                .query_wasm_smart::<serde_json::Value>(
                    &w.s.pool,
                    &PoolQuery::Attestors {
                        start_after: None,
                        limit: Some(limit),
                    },
                )
                .unwrap_err();
        assert!(
            e.to_string().contains(&format!(
                "limit {limit} is out of range: a page holds 1 to 50 items"
            )),
            "{e}"
        );
    }
    let e =
        w.s.app
            .wrap()
            .query_wasm_smart::<serde_json::Value>(
                &w.s.pool,
                &PoolQuery::PendingRewards {
                    address: w.alice.to_string(),
                    datanet_ids: Some((1..=31).collect()),
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap_err();
    assert!(
        e.to_string()
            .contains("at most 30 datanets per call; got 31"),
        "{e}"
    );
    w.s.app
        .wrap()
        .query_wasm_smart::<serde_json::Value>(
            &w.s.pool,
            &PoolQuery::Attestors {
                start_after: None,
                limit: Some(50),
            },
        )
        .unwrap();
    w.s.check();
}
