use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Duplicate ids in batches
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_claim_ids() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &alice,
            &PoolExec::Claim {
                datanet_ids: Some(vec![1, 2, 1]),
            },
        )
    });
    assert_eq!(e, PoolError::DuplicateDatanet { id: 1 });
    w.s.check();
}

#[test]
fn attack_duplicate_pending_rewards_query_ids() {
    let w = world();
    let e =
        w.s.app
            .wrap()
            .query_wasm_smart::<PendingRewardsResponse>(
                &w.s.pool,
                &PoolQuery::PendingRewards {
                    address: w.alice.to_string(),
                    datanet_ids: Some(vec![1, 1]),
                    start_after: None,
                    limit: None,
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("datanet 1 is named twice"), "{e}");
    w.s.check();
}

#[test]
fn attack_duplicate_weight_update_addresses() {
    let mut w = world();
    let registry = w.registry.clone();
    let alice = w.alice.to_string();
    let msg = weights(1, vec![(alice.clone(), 1), (alice.clone(), 10_000)]);
    let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
    assert_eq!(e, PoolError::DuplicateAddress { address: alice });
    w.s.check();
}

#[test]
fn attack_duplicate_attestor_added_twice_or_added_and_removed() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let mallory = w.mallory.to_string();
    for (add, remove) in [
        (vec![mallory.clone(), mallory.clone()], vec![]),
        (vec![mallory.clone()], vec![mallory.clone()]),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        assert_eq!(
            e,
            PoolError::DuplicateAddress {
                address: mallory.clone()
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_duplicate_allocations_to_one_datanet_add_up() {
    // Accepted by design: two allocations to one datanet credit it twice, exactly.
    let mut w = world();
    let (mallory, pool) = (w.mallory.clone(), w.s.pool.clone());
    let before: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    w.s.send(
        &mallory,
        &pool,
        30,
        &distribute(vec![to_datanet(1, 10), to_datanet(1, 20)]),
    )
    .unwrap();
    w.s.moved(&mallory, &pool, 30);
    let after: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    assert_eq!(
        after.total_distributed,
        before.total_distributed + Uint128::new(30)
    );
    let alice = w.alice.clone();
    w.s.pool_exec(&alice, &PoolExec::Claim { datanet_ids: None })
        .unwrap();
    w.s.moved(&pool, &alice, DATANET_REWARD + 30);
    w.s.check();
}
