use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{coins, from_json, Uint128};
use cw20::{BalanceResponse, Cw20Coin, MinterResponse, TokenInfoResponse};
use cw20_base::msg::InstantiateMsg;
use openledger_common::MigrateError;

use crate::contract::{execute, instantiate, migrate, query, MigrateMsg};
use crate::msg::{ExecuteMsg, QueryMsg};
use crate::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};

fn setup() -> (
    cosmwasm_std::OwnedDeps<
        cosmwasm_std::MemoryStorage,
        cosmwasm_std::testing::MockApi,
        cosmwasm_std::testing::MockQuerier,
    >,
    String,
    String,
) {
    let mut deps = mock_dependencies();
    let alice = deps.api.addr_make("alice").to_string();
    let bob = deps.api.addr_make("bob").to_string();
    let msg = InstantiateMsg {
        name: "OpenLedger".into(),
        symbol: "OPEN".into(),
        decimals: 6,
        initial_balances: vec![Cw20Coin {
            address: alice.clone(),
            amount: Uint128::new(1_000),
        }],
        mint: Some(MinterResponse {
            minter: alice.clone(),
            cap: Some(Uint128::new(2_000)),
        }),
        marketing: None,
    };
    let info = message_info(&deps.api.addr_make("deployer"), &[]);
    instantiate(deps.as_mut(), mock_env(), info, msg).unwrap();
    (deps, alice, bob)
}

fn balance(deps: cosmwasm_std::Deps, addr: &str) -> u128 {
    let res: BalanceResponse = from_json(
        query(
            deps,
            mock_env(),
            QueryMsg::Balance {
                address: addr.into(),
            },
        )
        .unwrap(),
    )
    .unwrap();
    res.balance.u128()
}

#[test]
fn instantiate_records_suite_name_and_balances() {
    let (deps, alice, bob) = setup();
    let version = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!(version.contract, CONTRACT_NAME);
    assert_eq!(version.version, CONTRACT_VERSION);
    assert_eq!(balance(deps.as_ref(), &alice), 1_000);
    assert_eq!(balance(deps.as_ref(), &bob), 0);
    let info: TokenInfoResponse =
        from_json(query(deps.as_ref(), mock_env(), QueryMsg::TokenInfo {}).unwrap()).unwrap();
    assert_eq!(info.total_supply, Uint128::new(1_000));
    assert_eq!(info.symbol, "OPEN");
}

#[test]
fn transfer_moves_exact_amount_and_overdraft_is_refused() {
    let (mut deps, alice, bob) = setup();
    let alice_addr = cosmwasm_std::Addr::unchecked(&alice);
    let msg = ExecuteMsg::Transfer {
        recipient: bob.clone(),
        amount: Uint128::new(300),
    };
    execute(
        deps.as_mut(),
        mock_env(),
        message_info(&alice_addr, &[]),
        msg,
    )
    .unwrap();
    assert_eq!(balance(deps.as_ref(), &alice), 700);
    assert_eq!(balance(deps.as_ref(), &bob), 300);

    let err = execute(
        deps.as_mut(),
        mock_env(),
        message_info(&alice_addr, &[]),
        ExecuteMsg::Transfer {
            recipient: bob.clone(),
            amount: Uint128::new(701),
        },
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ContractError::Cw20(cw20_base::ContractError::Std(
            cosmwasm_std::StdError::Overflow { .. }
        ))
    ));
    assert_eq!(balance(deps.as_ref(), &alice), 700);
    assert_eq!(balance(deps.as_ref(), &bob), 300);
}

#[test]
fn migrate_refuses_other_contracts_and_downgrades() {
    let (mut deps, _, _) = setup();
    // Same version: accepted (a re-run of an upgrade).
    migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();

    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert_eq!(
        migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::Downgrade {
            stored: "99.0.0".into(),
            new: CONTRACT_VERSION.into()
        })
    );

    cw2::set_contract_version(&mut deps.storage, "crates.io:cw20-base", "0.1.0").unwrap();
    assert_eq!(
        migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::WrongContract {
            stored: "crates.io:cw20-base".into(),
            expected: CONTRACT_NAME.into()
        })
    );
}

#[test]
fn native_coins_are_refused_on_instantiate_and_execute() {
    let mut deps = mock_dependencies();
    let alice = deps.api.addr_make("alice");
    let msg = InstantiateMsg {
        name: "OpenLedger".into(),
        symbol: "OPEN".into(),
        decimals: 6,
        initial_balances: vec![Cw20Coin {
            address: alice.to_string(),
            amount: Uint128::new(10),
        }],
        mint: None,
        marketing: None,
    };
    assert_eq!(
        instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&alice, &coins(5, "uinj")),
            msg
        )
        .unwrap_err(),
        ContractError::NativeCoinsRefused {
            sent: "5uinj".into()
        }
    );
    assert!(cw2::get_contract_version(&deps.storage).is_err());

    let (mut deps, alice, bob) = setup();
    let alice_addr = cosmwasm_std::Addr::unchecked(&alice);
    let funds = [
        cosmwasm_std::Coin::new(3u128, "uinj"),
        cosmwasm_std::Coin::new(4u128, "uatom"),
    ];
    assert_eq!(
        execute(
            deps.as_mut(),
            mock_env(),
            message_info(&alice_addr, &funds),
            ExecuteMsg::Transfer {
                recipient: bob.clone(),
                amount: Uint128::new(1),
            },
        )
        .unwrap_err(),
        ContractError::NativeCoinsRefused {
            sent: "3uinj,4uatom".into()
        }
    );
    assert_eq!(balance(deps.as_ref(), &alice), 1_000);
    assert_eq!(balance(deps.as_ref(), &bob), 0);
}

#[test]
fn migrate_reports_the_versions_it_moved_between() {
    let (mut deps, _, _) = setup();
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.1.0").unwrap();
    let res = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    let attrs: Vec<(&str, &str)> = res
        .attributes
        .iter()
        .map(|a| (a.key.as_str(), a.value.as_str()))
        .collect();
    assert_eq!(
        attrs,
        vec![
            ("action", "migrate"),
            ("from_version", "0.1.0"),
            ("to_version", CONTRACT_VERSION)
        ]
    );
    assert_eq!(
        cw2::get_contract_version(&deps.storage).unwrap().version,
        CONTRACT_VERSION
    );
}
