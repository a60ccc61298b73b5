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
