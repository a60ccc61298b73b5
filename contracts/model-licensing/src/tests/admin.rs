//! Instantiate, config, ownership, migrate.

use super::*;

#[test]
fn instantiate_records_config_with_default_split() {
    let s = Suite::new();
    assert_eq!(
        s.config(),
        ConfigResponse {
            token: s.token.clone(),
            registry: s.registry.clone(),
            reward_pool: s.pool.clone(),
            fee_split: FeeSplit::default(),
            model_count: 0,
        }
    );
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(s.owner.clone()));
    assert_eq!(
        cw2::get_contract_version(&s.deps.storage).unwrap().contract,
        CONTRACT_NAME
    );
}

#[test]
fn instantiate_refuses_bad_split_bad_address_and_coins() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let good = deps.api.addr_make("x").to_string();
    let msg = InstantiateMsg {
        owner: None,
        token: good.clone(),
        registry: good.clone(),
        reward_pool: good.clone(),
        fee_split: Some(FeeSplit {
            treasury_bps: 999,
            ..FeeSplit::default()
        }),
    };
    assert_eq!(
        instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&owner, &[]),
            msg.clone()
        )
        .unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 9_999 })
    );
    let bad = InstantiateMsg {
        fee_split: None,
        registry: "NotAnAddress".into(),
        ..msg.clone()
    };
    match instantiate(deps.as_mut(), mock_env(), message_info(&owner, &[]), bad).unwrap_err() {
        ContractError::InvalidAddress { field, address, .. } => {
            assert_eq!(
                (field.as_str(), address.as_str()),
                ("registry", "NotAnAddress")
            )
        }
        e => panic!("unexpected {e:?}"),
    }
    let ok = InstantiateMsg {
        fee_split: None,
        ..msg
    };
    assert_eq!(
        instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&owner, &coins(5, "uopen")),
            ok
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
}

#[test]
fn update_config_is_owner_only_validated_and_applies_to_next_payment() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 10_000)], 1_000);
    let alice = s.alice.clone();
    let owner = s.owner.clone();
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateConfig {
                fee_split: None,
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::Ownership(cw_ownable::OwnershipError::NotOwner)
    );
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                fee_split: None,
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(
            &owner,
            ExecuteMsg::UpdateConfig {
                fee_split: Some(FeeSplit {
                    datanets_bps: 6_000,
                    ..FeeSplit::default()
                }),
                reward_pool: None,
                registry: None
            }
        )
        .unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 11_000 })
    );
    let new_pool = s.addr("new-pool");
    let split = FeeSplit {
        datanets_bps: 7_000,
        model_owner_bps: 1_000,
        hosts_bps: 0,
        stakers_bps: 1_000,
        treasury_bps: 1_000,
    };
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            fee_split: Some(split.clone()),
            reward_pool: Some(new_pool.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let c = s.config();
    assert_eq!(
        (c.fee_split, c.reward_pool.clone()),
        (split, new_pool.clone())
    );
    assert_eq!(c.registry, s.registry);

    let res = s.pay(1_000, plain(id, "after-update")).unwrap();
    let expected = RewardPoolHandle(new_pool)
        .distribute(
            &s.token,
            Uint128::new(900),
            allocations(&[(1, 700)], 100, 100),
        )
        .unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(s.earnings(&alice), Uint128::new(100));
}

#[test]
fn contract_ownership_is_two_step() {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    let next = s.addr("next-owner");
    s.exec(
        &owner,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::TransferOwnership {
            new_owner: next.to_string(),
            expiry: None,
        }),
    )
    .unwrap();
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(owner.clone()));
    assert_eq!(ownership.pending_owner, Some(next.clone()));
    s.exec(
        &next,
        ExecuteMsg::UpdateOwnership(openledger_common::OwnershipAction::AcceptOwnership),
    )
    .unwrap();
    let ownership: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(ownership.owner, Some(next));
}

#[test]
fn migrate_refuses_other_contracts_and_downgrades() {
    let mut s = Suite::new();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), CONTRACT_VERSION);

    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::Downgrade {
            stored: "99.0.0".into(),
            new: CONTRACT_VERSION.into()
        })
    );

    cw2::set_contract_version(&mut s.deps.storage, "crates.io:datanet-registry", "0.0.1").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::WrongContract {
            stored: "crates.io:datanet-registry".into(),
            expected: CONTRACT_NAME.into()
        })
    );

    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        cw2::get_contract_version(&s.deps.storage).unwrap().version,
        CONTRACT_VERSION
    );
}

/// A model stored before derived models existed (0.3.0, no `ancestry` entry) keeps every
/// figure through `migrate`, reads as a model without parents, pays exactly as before and may
/// be the parent of a new model.
#[test]
fn migrate_keeps_models_stored_before_derived_models_as_models_without_parents() {
    use crate::state::{ANCESTRY, EARNINGS, MODELS, MODEL_COUNT, MODEL_STATS, OWED_EARNINGS};
    use cosmwasm_std::Storage;
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let model = format!(
        r#"{{"owner":"{alice}","pending_owner":null,"name":"old","metadata_uri":"","weights_hash":"{}","base_model":null,"lineage":[{{"datanet_id":1,"version":1,"weight_bps":6000}},{{"datanet_id":2,"version":1,"weight_bps":4000}}],"inference_fee":"1000","tiers":[],"hosts":[],"status":"active","created_at":"1700000000000000000"}}"#,
        "ab".repeat(32)
    );
    let stats = r#"{"paid_inferences":7,"licensed_inferences":2,"licenses_sold":1,"inference_revenue":"7000","license_revenue":"5000"}"#;
    s.deps.storage.set(&MODELS.key(1), model.as_bytes());
    s.deps.storage.set(&MODEL_STATS.key(1), stats.as_bytes());
    MODEL_COUNT.save(&mut s.deps.storage, &1).unwrap();
    EARNINGS
        .save(&mut s.deps.storage, &alice, &Uint128::new(2_400))
        .unwrap();
    OWED_EARNINGS
        .save(&mut s.deps.storage, &Uint128::new(2_400))
        .unwrap();
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.3.0").unwrap();

    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(s.deps.storage.get(&MODELS.key(1)), Some(model.into_bytes()));
    assert_eq!(ANCESTRY.may_load(&s.deps.storage, 1).unwrap(), None);
    let m = s.model(1);
    assert_eq!(
        (m.owner.clone(), m.inference_fee, m.lineage.clone()),
        (
            alice.clone(),
            Uint128::new(1_000),
            lineage_of(&[(1, 1, 6_000), (2, 1, 4_000)])
        )
    );
    let st = s.stats(1);
    assert_eq!(
        (st.paid_inferences, st.licensed_inferences, st.licenses_sold),
        (7, 2, 1)
    );
    assert_eq!(
        (st.inference_revenue, st.license_revenue),
        (Uint128::new(7_000), Uint128::new(5_000))
    );
    assert_eq!(s.earnings(&alice), Uint128::new(2_400));
    assert_eq!(
        s.ancestry(1),
        ModelAncestryResponse {
            model_id: 1,
            depth: 0,
            parents: vec![],
            own_share_bps: 10_000,
            ancestors: vec![],
        }
    );

    // It pays as before: datanet 1 v1 300, datanet 2 v1 200, owner 200, stakers 200,
    // treasury 100.
    let res = s.pay(1_000, plain(1, "after")).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(800, allocations(&[(1, 300), (2, 200)], 200, 100))]
    );
    assert_eq!(s.earnings(&alice), Uint128::new(2_600));
    assert_eq!(s.stats(1).paid_inferences, 8);

    // Its owner may build on it; its royalty reaches alice in the pool.
    let bob = s.addr("bob");
    let c = s
        .derive_as(&alice, &[(3, 1, 10_000)], 1_000, &[(1, 1_000)])
        .unwrap();
    assert_eq!(c, 2);
    s.exec(
        &alice,
        ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    s.exec(&bob, ExecuteMsg::AcceptModel { model_id: 1 })
        .unwrap();
    // 1 000: c keeps 9 000 bps (owner 180, data 450); model 1 has 1 000 (owner 20, data 50 →
    // 30 + 20).
    let res = s.pay(1_000, plain(c, "c-1")).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(
            820,
            vec![
                dn(1, 1, 30),
                dn(2, 1, 20),
                dn(3, 1, 450),
                account(&bob, 1, 20),
                Allocation::Stakers {
                    amount: Uint128::new(200)
                },
                Allocation::Treasury {
                    amount: Uint128::new(100)
                },
            ]
        )]
    );
}
