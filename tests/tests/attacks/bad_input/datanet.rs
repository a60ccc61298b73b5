//! Bad input to the registry and the pool: each attempt fails with its specific error and
//! changes nothing (balances of every party, datanet, contribution and pool state).

use cosmwasm_std::{coins, to_json_binary, Addr, Uint128};
use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_multi_test::Executor;
use datanet_registry::ContractError as RegError;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionPolicy, ContributionStatus, ExecuteMsg as RegExec,
    NewContribution, NewDatanet, QueryMsg as RegQuery, ReceiveMsg as RegHook, ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    Allocation, ExecuteMsg as PoolExec, QueryMsg as PoolQuery, ReceiveMsg as PoolHook, WeightUpdate,
};
use openledger_common::HookError;
use openledger_tests::{data_hash, err, Suite};
use reward_pool::ContractError as PoolError;

const BOND: u128 = 50;

struct World {
    s: Suite,
    owner: Addr,
    curator: Addr,
    alice: Addr,
    bob: Addr,
}

/// A datanet (id 1, bond 50) with one accepted (id 1) and one pending (id 2) contribution.
fn world() -> World {
    let mut s = Suite::default();
    let owner = s.addr("owner");
    let curator = s.addr("curator");
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    s.fund(&alice, 1_000);
    s.fund(&bob, 1_000);
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(NewDatanet {
            name: "speech".into(),
            description: String::new(),
            metadata_uri: "ipfs://speech".into(),
            curators: vec![curator.to_string()],
            policy: ContributionPolicy::Open,
            contribution_bond: Uint128::new(BOND),
            attribution_mode: AttributionMode::Weight,
        }),
    )
    .unwrap();
    let registry = s.registry.clone();
    for (who, seed) in [(&alice, "a"), (&bob, "b")] {
        s.send(
            who,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(seed)),
        )
        .unwrap();
        s.moved(who, &registry, BOND);
    }
    s.registry_exec(
        &curator,
        &RegExec::ReviewContributions {
            datanet_id: 1,
            decisions: vec![ReviewDecision::Accept {
                contribution_id: 1,
                weight: 10,
            }],
        },
    )
    .unwrap();
    World {
        s,
        owner,
        curator,
        alice,
        bob,
    }
}

fn contribution(seed: &str) -> NewContribution {
    NewContribution {
        datanet_id: 1,
        data_hash: data_hash(seed),
        uri: format!("ipfs://{seed}"),
        size_bytes: 10,
        license_note: None,
    }
}

/// Everything observable that a failed call must leave as it was.
fn snapshot(s: &Suite) -> String {
    let q = |contract: &Addr, msg: &dyn erased::Msg| -> serde_json::Value {
        s.app
            .wrap()
            .query_wasm_smart(contract, &msg.json())
            .unwrap()
    };
    let pending = RegQuery::ContributionsByDatanet {
        datanet_id: 1,
        status: ContributionStatus::Pending,
        start_after: None,
        limit: None,
    };
    format!(
        "{}|{}|{}|{}",
        q(&s.registry, &RegQuery::Datanet { datanet_id: 1 }),
        q(&s.registry, &pending),
        q(&s.pool, &PoolQuery::DatanetPool { datanet_id: 1 }),
        q(&s.pool, &PoolQuery::Solvency {}),
    )
}

mod erased {
    /// Any query message, as JSON.
    pub trait Msg {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Msg for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

/// Runs `attempt`, which must fail; the world must be unchanged afterwards.
fn refused<T>(w: &mut World, attempt: impl FnOnce(&mut World) -> T) -> T {
    let before = snapshot(&w.s);
    let out = attempt(w);
    assert_eq!(snapshot(&w.s), before, "a refused call changed state");
    w.s.check();
    out
}

fn review(decisions: Vec<ReviewDecision>) -> RegExec {
    RegExec::ReviewContributions {
        datanet_id: 1,
        decisions,
    }
}

#[test]
fn receive_from_another_token_or_a_wallet_is_refused() {
    let mut w = world();
    // A second cw20, sent to both contracts.
    let alice = w.alice.clone();
    let fake = w.s.fake_token(&alice, 1_000);
    let expected = w.s.token.to_string();
    for (contract, hook) in [
        (
            w.s.registry.clone(),
            to_json_binary(&RegHook::Contribute(contribution("x"))).unwrap(),
        ),
        (
            w.s.pool.clone(),
            to_json_binary(&PoolHook::Stake {}).unwrap(),
        ),
    ] {
        let is_registry = contract == w.s.registry;
        let send = Cw20ExecuteMsg::Send {
            contract: contract.to_string(),
            amount: Uint128::new(BOND),
            msg: hook.clone(),
        };
        let unexpected = HookError::UnexpectedToken {
            expected: expected.clone(),
            received: fake.to_string(),
        };
        let e = refused(&mut w, |w| {
            w.s.app
                .execute_contract(alice.clone(), fake.clone(), &send, &[])
        });
        if is_registry {
            assert_eq!(err::<RegError>(e), RegError::Hook(unexpected));
        } else {
            assert_eq!(err::<PoolError>(e), PoolError::Hook(unexpected));
        }
        // A wallet calling the hook itself, pretending to have sent tokens.
        let forged = Cw20ReceiveMsg {
            sender: alice.to_string(),
            amount: Uint128::new(BOND),
            msg: hook,
        };
        let wallet = HookError::UnexpectedToken {
            expected: expected.clone(),
            received: alice.to_string(),
        };
        if is_registry {
            let e = refused(&mut w, |w| {
                w.s.registry_exec(&alice, &RegExec::Receive(forged))
            });
            assert_eq!(err::<RegError>(e), RegError::Hook(wallet));
        } else {
            let e = refused(&mut w, |w| {
                w.s.pool_exec(&alice, &PoolExec::Receive(forged))
            });
            assert_eq!(err::<PoolError>(e), PoolError::Hook(wallet));
        }
    }
}

#[test]
fn unknown_hook_message_is_refused() {
    let mut w = world();
    let (alice, registry, pool) = (w.alice.clone(), w.s.registry.clone(), w.s.pool.clone());
    let unknown = serde_json_wasm_free_hook();
    let e = refused(&mut w, |w| w.s.send(&alice, &registry, 10, &unknown));
    assert!(matches!(
        err::<RegError>(e),
        RegError::Hook(HookError::InvalidHook { .. })
    ));
    let e = refused(&mut w, |w| w.s.send(&alice, &pool, 10, &unknown));
    assert!(matches!(
        err::<PoolError>(e),
        PoolError::Hook(HookError::InvalidHook { .. })
    ));
}

/// A hook no contract of the suite knows.
fn serde_json_wasm_free_hook() -> std::collections::BTreeMap<String, Vec<u8>> {
    std::collections::BTreeMap::from([("buy_everything".to_string(), vec![])])
}

#[test]
fn duplicate_hash_is_refused() {
    let mut w = world();
    let (bob, registry) = (w.bob.clone(), w.s.registry.clone());
    let e = refused(&mut w, |w| {
        w.s.send(
            &bob,
            &registry,
            BOND,
            &RegHook::Contribute(contribution("a")),
        )
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("a")
        }
    );
    // The same hash in upper case is the same data.
    let mut upper = contribution("a");
    upper.data_hash = upper.data_hash.to_uppercase();
    let e = refused(&mut w, |w| {
        w.s.send(&bob, &registry, BOND, &RegHook::Contribute(upper))
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("a")
        }
    );
}

#[test]
fn review_by_non_curator_double_accept_and_bad_weights_are_refused() {
    let mut w = world();
    let (bob, curator) = (w.bob.clone(), w.curator.clone());
    let accept = |id, weight| ReviewDecision::Accept {
        contribution_id: id,
        weight,
    };
    let e = refused(&mut w, |w| {
        w.s.registry_exec(&bob, &review(vec![accept(2, 5)]))
    });
    assert_eq!(err::<RegError>(e), RegError::NotCurator { datanet_id: 1 });
    let e = refused(&mut w, |w| {
        w.s.registry_exec(&curator, &review(vec![accept(1, 5)]))
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::ContributionNotPending {
            id: 1,
            status: ContributionStatus::Accepted
        }
    );
    let e = refused(&mut w, |w| {
        w.s.registry_exec(&curator, &review(vec![accept(2, 0)]))
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::InvalidWeight {
            weight: 0,
            max: 10_000
        }
    );
    let e = refused(&mut w, |w| {
        w.s.registry_exec(&curator, &review(vec![accept(2, 10_001)]))
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::InvalidWeight {
            weight: 10_001,
            max: 10_000
        }
    );
    let e = refused(&mut w, |w| {
        w.s.registry_exec(&curator, &review(vec![accept(2, 5), accept(2, 6)]))
    });
    assert_eq!(err::<RegError>(e), RegError::DuplicateInBatch { id: 2 });
    let fifty_one = (0..51).map(|_| accept(2, 5)).collect();
    let e = refused(&mut w, |w| w.s.registry_exec(&curator, &review(fifty_one)));
    assert_eq!(
        err::<RegError>(e),
        RegError::BatchTooLarge { got: 51, max: 50 }
    );
}

#[test]
fn update_weights_from_anyone_but_the_registry_is_refused() {
    let mut w = world();
    let (owner, alice) = (w.owner.clone(), w.alice.clone());
    let msg = PoolExec::UpdateWeights {
        datanet_id: 1,
        updates: vec![WeightUpdate {
            address: alice.to_string(),
            weight: 10_000,
        }],
    };
    for who in [owner, alice.clone(), w.s.deployer.clone()] {
        let e = refused(&mut w, |w| w.s.pool_exec(&who, &msg));
        assert_eq!(
            err::<PoolError>(e),
            PoolError::NotRegistry {
                action: "update weights".into(),
                sender: who.to_string()
            }
        );
    }
}

#[test]
fn allocations_that_do_not_sum_are_refused() {
    let mut w = world();
    let (alice, pool) = (w.alice.clone(), w.s.pool.clone());
    let hook = PoolHook::Distribute {
        allocations: vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(60),
                version: None,
            },
            Allocation::Treasury {
                amount: Uint128::new(39),
            },
        ],
    };
    let e = refused(&mut w, |w| w.s.send(&alice, &pool, 100, &hook));
    assert_eq!(
        err::<PoolError>(e),
        PoolError::AllocationSumMismatch {
            sent: Uint128::new(100),
            allocated: Uint128::new(99)
        }
    );
}

#[test]
fn uppercase_and_foreign_prefix_addresses_are_refused() {
    let mut w = world();
    let owner = w.owner.clone();
    let upper = w.bob.to_string().to_uppercase();
    // A valid bech32 address of another chain.
    let foreign = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du".to_string();
    for bad in [upper, foreign] {
        let msg = RegExec::UpdateCurators {
            datanet_id: 1,
            add: vec![bad.clone()],
            remove: vec![],
        };
        let e = refused(&mut w, |w| w.s.registry_exec(&owner, &msg));
        assert!(
            matches!(err::<RegError>(e), RegError::InvalidAddress { ref field, ref address, .. } if field == "add" && *address == bad),
            "{bad}"
        );
        let deployer = w.s.deployer.clone();
        let msg = PoolExec::WithdrawTreasury {
            amount: Uint128::one(),
            recipient: Some(bad.clone()),
        };
        let e = refused(&mut w, |w| w.s.pool_exec(&deployer, &msg));
        assert!(
            matches!(err::<PoolError>(e), PoolError::InvalidAddress { ref address, .. } if *address == bad),
            "{bad}"
        );
    }
}

#[test]
fn native_coins_are_refused() {
    let mut w = world();
    let alice = w.alice.clone();
    w.s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &alice, coins(1_000, "inj"))
            .unwrap()
    });
    let (registry, pool) = (w.s.registry.clone(), w.s.pool.clone());
    let e = refused(&mut w, |w| {
        w.s.app.execute_contract(
            alice.clone(),
            registry.clone(),
            &RegExec::WithdrawBonds {},
            &coins(1, "inj"),
        )
    });
    assert_eq!(
        err::<RegError>(e),
        RegError::Payment(cw_utils::PaymentError::NonPayable {})
    );
    let e = refused(&mut w, |w| {
        w.s.app.execute_contract(
            alice.clone(),
            pool.clone(),
            &PoolExec::Claim { datanet_ids: None },
            &coins(1, "inj"),
        )
    });
    assert_eq!(
        err::<PoolError>(e),
        PoolError::Payment(cw_utils::PaymentError::NonPayable {})
    );
    assert_eq!(
        w.s.app
            .wrap()
            .query_balance(&alice, "inj")
            .unwrap()
            .amount
            .u128(),
        1_000
    );
}

#[test]
fn oversized_lists_are_refused() {
    let mut w = world();
    let (owner, alice) = (w.owner.clone(), w.alice.clone());
    let seventeen: Vec<String> = (0..17)
        .map(|i| w.s.addr(&format!("cur{i}")).to_string())
        .collect();
    let msg = RegExec::UpdateCurators {
        datanet_id: 1,
        add: seventeen,
        remove: vec![],
    };
    let e = refused(&mut w, |w| w.s.registry_exec(&owner, &msg));
    assert_eq!(
        err::<RegError>(e),
        RegError::TooManyCurators { got: 18, max: 16 }
    );
    let e = refused(&mut w, |w| {
        w.s.pool_exec(
            &alice,
            &PoolExec::Claim {
                datanet_ids: Some((1..=31).collect()),
            },
        )
    });
    assert_eq!(
        err::<PoolError>(e),
        PoolError::TooManyDatanets { got: 31, max: 30 }
    );
    let allowlist: Vec<String> = (0..51)
        .map(|i| w.s.addr(&format!("al{i}")).to_string())
        .collect();
    let msg = RegExec::UpdateAllowlist {
        datanet_id: 1,
        add: allowlist,
        remove: vec![],
    };
    let e = refused(&mut w, |w| w.s.registry_exec(&owner, &msg));
    assert_eq!(
        err::<RegError>(e),
        RegError::BatchTooLarge { got: 51, max: 50 }
    );
}

#[test]
fn list_limits_above_the_maximum_are_refused() {
    let w = world();
    let queries = [
        RegQuery::Datanets {
            owner: None,
            start_after: None,
            limit: Some(51),
        },
        RegQuery::ContributionsByDatanet {
            datanet_id: 1,
            status: ContributionStatus::Pending,
            start_after: None,
            limit: Some(51),
        },
        RegQuery::ContributionsByContributor {
            contributor: w.alice.to_string(),
            start_after: None,
            limit: Some(51),
        },
        RegQuery::Versions {
            datanet_id: 1,
            start_after: None,
            limit: Some(51),
        },
    ];
    for q in queries {
        let e =
            w.s.app
                .wrap()
                .query_wasm_smart::<serde_json::Value>(&w.s.registry, &q)
                .unwrap_err();
        assert!(
            e.to_string()
                .contains("limit 51 is out of range: a page holds 1 to 50 items"),
            "{e}"
        );
    }
}

#[test]
fn zero_amount_sends_are_refused() {
    // cw20-base 2.x lets zero sends through; every hook of the suite refuses them.
    let mut w = world();
    let (alice, registry, pool) = (w.alice.clone(), w.s.registry.clone(), w.s.pool.clone());
    let e = refused(&mut w, |w| w.s.send(&alice, &pool, 0, &PoolHook::Stake {}));
    assert_eq!(err::<PoolError>(e), PoolError::Hook(HookError::ZeroAmount));
    let e = refused(&mut w, |w| {
        w.s.send(
            &alice,
            &registry,
            0,
            &RegHook::Contribute(contribution("zero")),
        )
    });
    assert_eq!(err::<RegError>(e), RegError::Hook(HookError::ZeroAmount));
}
