//! Adversarial suite of the datanet registry: one test per attack. Every refused attack asserts
//! its exact error and, through `refused`, that no contract's storage and no party's OPEN or
//! native balance changed; attacks the registry accepts by design (a plain donation, a
//! harmless self-reference, contribution spam that pays a bond per item) assert their exact
//! outcome. Every test ends with `Suite::check` (ledger, supply, solvency).

use cosmwasm_std::{coins, to_json_binary, Addr, Binary, Uint128};
use cw20::{BalanceResponse, Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, Cw20ReceiveMsg};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;
use datanet_registry::ContractError as RegError;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ConfigResponse, ContributionPolicy, ContributionResponse, ContributionStatus,
    DatanetResponse, DatanetStatus, ExecuteMsg as RegExec, NewContribution, NewDatanet,
    QueryMsg as RegQuery, ReceiveMsg as RegHook, RegistrySolvencyResponse, ReviewDecision,
};
use openledger_common::msg::reward_pool::{
    AttributionMode as PoolMode, DatanetPoolResponse, QueryMsg as PoolQuery, ReceiveMsg as PoolHook,
};
use openledger_common::HookError;
use openledger_tests::{data_hash, refused, Suite};
use serde_json::json;

/// Creation fee of the registry of these tests.
const FEE: u128 = 100;
/// Bond of datanet 1.
const BOND: u128 = 50;
/// Native denomination of the bank-funded senders.
const DENOM: &str = "uinj";
/// A valid bech32 address of another chain (cosmos1 prefix).
const COSMOS_ADDR: &str = "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
/// The same bytes with another prefix.
const OSMO_ADDR: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

struct World {
    s: Suite,
    /// Owner of datanets 1 and 2.
    owner: Addr,
    /// Curator of datanet 1.
    curator: Addr,
    alice: Addr,
    bob: Addr,
    mallory: Addr,
    /// Owner of the registry and the pool.
    deployer: Addr,
}

/// A registry charging `FEE` per datanet, with:
/// - datanet 1 (weight mode, open, bond `BOND`, curator): contribution 1 by alice, accepted
///   with weight 10 (her bond withdrawable), contribution 2 by bob, pending;
/// - datanet 2 (influence mode, open, no bond, no curator): contribution 3 by alice, pending.
fn world() -> World {
    let mut s = Suite::new(Uint128::new(FEE));
    let owner = s.addr("owner");
    let curator = s.addr("curator");
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let mallory = s.addr("mallory");
    for who in [&owner, &curator, &alice, &bob, &mallory] {
        s.fund(who, 10_000);
    }
    let registry = s.registry.clone();
    let pool = s.pool.clone();
    s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet(
            "speech",
            BOND,
            AttributionMode::Weight,
            vec![curator.to_string()],
        )),
    )
    .unwrap();
    s.moved(&owner, &pool, FEE);
    s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet("vision", 0, AttributionMode::Influence, vec![])),
    )
    .unwrap();
    s.moved(&owner, &pool, FEE);
    for (who, seed) in [(&alice, "a"), (&bob, "b")] {
        s.send(
            who,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, seed)),
        )
        .unwrap();
        s.moved(who, &registry, BOND);
    }
    s.registry_exec(&alice, &RegExec::Contribute(contribution(2, "c")))
        .unwrap();
    s.registry_exec(
        &curator,
        &review(
            1,
            vec![ReviewDecision::Accept {
                contribution_id: 1,
                weight: 10,
            }],
        ),
    )
    .unwrap();
    s.check();
    let deployer = s.deployer.clone();
    World {
        s,
        owner,
        curator,
        alice,
        bob,
        mallory,
        deployer,
    }
}

fn new_datanet(name: &str, bond: u128, mode: AttributionMode, curators: Vec<String>) -> NewDatanet {
    NewDatanet {
        name: name.into(),
        description: format!("{name} data"),
        metadata_uri: format!("ipfs://{name}"),
        curators,
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::new(bond),
        attribution_mode: mode,
    }
}

fn contribution(datanet_id: u64, seed: &str) -> NewContribution {
    NewContribution {
        datanet_id,
        data_hash: data_hash(seed),
        uri: format!("ipfs://{seed}"),
        size_bytes: 10,
        license_note: None,
    }
}

fn review(datanet_id: u64, decisions: Vec<ReviewDecision>) -> RegExec {
    RegExec::ReviewContributions {
        datanet_id,
        decisions,
    }
}

fn accept(contribution_id: u64, weight: u64) -> ReviewDecision {
    ReviewDecision::Accept {
        contribution_id,
        weight,
    }
}

fn reject(contribution_id: u64) -> ReviewDecision {
    ReviewDecision::Reject {
        contribution_id,
        reason: "spam".into(),
    }
}

fn datanet(s: &Suite, id: u64) -> DatanetResponse {
    s.query_registry(&RegQuery::Datanet { datanet_id: id })
}

fn contribution_of(s: &Suite, id: u64) -> ContributionResponse {
    s.query_registry(&RegQuery::Contribution {
        contribution_id: id,
    })
}

fn registry_solvency(s: &Suite) -> RegistrySolvencyResponse {
    s.query_registry(&RegQuery::Solvency {})
}

fn withdrawable(s: &Suite, who: &Addr) -> u128 {
    let r: Uint128 = s.query_registry(&RegQuery::WithdrawableBonds {
        address: who.to_string(),
    });
    r.u128()
}

/// A second cw20 (same code as OPEN, another contract) holding 10 000 units for `holder`.
fn fake_token(s: &mut Suite, holder: &Addr) -> Addr {
    let code = s.app.store_code(openledger_tests::token_contract());
    s.app
        .instantiate_contract(
            code,
            holder.clone(),
            &open_token::InstantiateMsg {
                name: "Fake OPEN".into(),
                symbol: "OPEN".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin {
                    address: holder.to_string(),
                    amount: Uint128::new(10_000),
                }],
                mint: None,
                marketing: None,
            },
            &[],
            "fake-open",
            None,
        )
        .unwrap()
}

fn balance_of(s: &Suite, token: &Addr, who: &Addr) -> u128 {
    let r: BalanceResponse = s
        .app
        .wrap()
        .query_wasm_smart(
            token,
            &Cw20QueryMsg::Balance {
                address: who.to_string(),
            },
        )
        .unwrap();
    r.balance.u128()
}

/// `from` sends `amount` of the fake `token` to the registry with `hook`.
fn fake_send(
    s: &mut Suite,
    token: &Addr,
    from: &Addr,
    amount: u128,
    hook: Binary,
) -> anyhow::Result<AppResponse> {
    let registry = s.registry.clone();
    s.app.execute_contract(
        from.clone(),
        token.clone(),
        &Cw20ExecuteMsg::Send {
            contract: registry.to_string(),
            amount: Uint128::new(amount),
            msg: hook,
        },
        &[],
    )
}

fn unexpected_token(s: &Suite, received: &Addr) -> RegError {
    RegError::Hook(HookError::UnexpectedToken {
        expected: s.token.to_string(),
        received: received.to_string(),
    })
}

fn is_invalid_hook(e: &RegError) -> bool {
    matches!(e, RegError::Hook(HookError::InvalidHook { .. }))
}

/// `from` delivers raw hook bytes through a real OPEN `send`.
fn raw_send(s: &mut Suite, from: &Addr, amount: u128, msg: &[u8]) -> anyhow::Result<AppResponse> {
    let (token, registry) = (s.token.clone(), s.registry.clone());
    s.app.execute_contract(
        from.clone(),
        token,
        &Cw20ExecuteMsg::Send {
            contract: registry.to_string(),
            amount: Uint128::new(amount),
            msg: Binary::from(msg.to_vec()),
        },
        &[],
    )
}

/// The registry owner's two-step ownership messages, as the wire JSON of cw-ownable.
fn ownership(action: serde_json::Value) -> RegExec {
    serde_json::from_value(json!({ "update_ownership": action })).unwrap()
}

fn transfer_ownership(new_owner: &str, expiry: Option<serde_json::Value>) -> RegExec {
    ownership(json!({
        "transfer_ownership": { "new_owner": new_owner, "expiry": expiry }
    }))
}

/// The message of a cw-ownable error (each of its variants has its own).
fn ownership_error(e: RegError) -> String {
    match e {
        RegError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

const NOT_OWNER: &str = "Caller is not the contract's current owner";
const NO_OWNER: &str = "Contract ownership has been renounced";
const NOT_PENDING_OWNER: &str = "Caller is not the contract's pending owner";
const TRANSFER_NOT_FOUND: &str = "There isn't a pending ownership transfer";
const TRANSFER_EXPIRED: &str = "A pending ownership transfer exists but it has expired";

fn registry_owner(s: &Suite) -> Option<String> {
    let o: serde_json::Value = s.query_registry(&RegQuery::Ownership {});
    o["owner"].as_str().map(str::to_string)
}

fn invalid_address(e: RegError, want_field: &str, want_address: &str) {
    match e {
        RegError::InvalidAddress { field, address, .. } => {
            assert_eq!(
                (field.as_str(), address.as_str()),
                (want_field, want_address)
            );
        }
        other => panic!("expected InvalidAddress, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or a forged Cw20ReceiveMsg from a wallet
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_receive_create_datanet_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let fake = fake_token(&mut w.s, &mallory);
    let hook = to_json_binary(&RegHook::CreateDatanet(new_datanet(
        "fake",
        0,
        AttributionMode::Weight,
        vec![],
    )))
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| fake_send(s, &fake, &mallory, FEE, hook));
    assert_eq!(e, unexpected_token(&w.s, &fake));
    assert_eq!(balance_of(&w.s, &fake, &mallory), 10_000);
    assert_eq!(balance_of(&w.s, &fake, &w.s.registry.clone()), 0);
    w.s.check();
}

#[test]
fn attack_wrong_token_receive_contribute_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let fake = fake_token(&mut w.s, &mallory);
    let hook = to_json_binary(&RegHook::Contribute(contribution(1, "fake"))).unwrap();
    let e = refused::<RegError>(&mut w.s, |s| fake_send(s, &fake, &mallory, BOND, hook));
    assert_eq!(e, unexpected_token(&w.s, &fake));
    assert_eq!(balance_of(&w.s, &fake, &mallory), 10_000);
    assert_eq!(datanet(&w.s, 1).pending_count, 1);
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_create_datanet_from_wallet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let forged = Cw20ReceiveMsg {
        sender: mallory.to_string(),
        amount: Uint128::new(FEE),
        msg: to_json_binary(&RegHook::CreateDatanet(new_datanet(
            "forged",
            0,
            AttributionMode::Weight,
            vec![],
        )))
        .unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &mallory));
    let config: ConfigResponse = w.s.query_registry(&RegQuery::Config {});
    assert_eq!(config.datanet_count, 2);
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_contribute_in_the_name_of_another() {
    // The forged hook names alice as the payer: it would record a contribution she never paid.
    let mut w = world();
    let (mallory, alice) = (w.mallory.clone(), w.alice.clone());
    let forged = Cw20ReceiveMsg {
        sender: alice.to_string(),
        amount: Uint128::new(BOND),
        msg: to_json_binary(&RegHook::Contribute(contribution(1, "forged"))).unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &mallory));
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_from_the_pool_address() {
    // Even an address of the suite is not the token.
    let mut w = world();
    let pool = w.s.pool.clone();
    let forged = Cw20ReceiveMsg {
        sender: pool.to_string(),
        amount: Uint128::new(FEE),
        msg: to_json_binary(&RegHook::CreateDatanet(new_datanet(
            "pool",
            0,
            AttributionMode::Weight,
            vec![],
        )))
        .unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&pool, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &pool));
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Unknown hook messages and malformed hook JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_hook_malformed_json() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| raw_send(s, &alice, BOND, b"{\"contribute\":"));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_empty_message() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| raw_send(s, &alice, BOND, b""));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_of_the_pool_sent_to_the_registry() {
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&alice, &registry, BOND, &PoolHook::Stake {})
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_contribute_missing_a_field() {
    let mut w = world();
    let alice = w.alice.clone();
    let msg = json!({ "contribute": { "datanet_id": 1, "data_hash": data_hash("m"), "uri": "x" } });
    let e = refused::<RegError>(&mut w.s, |s| {
        raw_send(s, &alice, BOND, msg.to_string().as_bytes())
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_create_datanet_naming_another_owner_in_an_unknown_field() {
    // Messages are strict (DESIGN §6): an `owner` field smuggled into the hook is refused with
    // an error naming it, and the fee stays with the sender. (0.2.0 ignored the field and
    // created the datanet for the account that paid.)
    let mut w = world();
    let (owner, mallory) = (w.owner.clone(), w.mallory.clone());
    let mut msg = serde_json::to_value(RegHook::CreateDatanet(new_datanet(
        "extra",
        0,
        AttributionMode::Weight,
        vec![],
    )))
    .unwrap();
    msg["create_datanet"]["owner"] = json!(owner.to_string());
    let e = refused::<RegError>(&mut w.s, |s| {
        raw_send(s, &mallory, FEE, msg.to_string().as_bytes())
    });
    match e {
        RegError::Hook(HookError::InvalidHook { reason }) => {
            assert!(reason.contains("unknown field `owner`"), "{reason}")
        }
        other => panic!("expected InvalidHook, got {other:?}"),
    }
    let config: ConfigResponse = w.s.query_registry(&RegQuery::Config {});
    assert_eq!(config.datanet_count, 2);
    w.s.check();
}

#[test]
fn attack_hook_execute_message_inside_a_send() {
    // An execute message (withdraw_bonds) is not a hook: tokens cannot ride along with it.
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&alice, &registry, BOND, &RegExec::WithdrawBonds {})
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message kind
// ---------------------------------------------------------------------------------------------

/// Each test: the sender, bank-funded, attaches one coin to an otherwise valid message; the
/// registry refuses it with `NonPayable` and nothing changes; the same message without coins
/// then gets its normal answer (`$then`), so the coin was the only fault.
macro_rules! native_coins_refused {
    ($name:ident, $sender:ident, $msg:expr, $then:expr) => {
        #[test]
        fn $name() {
            let mut w = world();
            let sender = w.$sender.clone();
            w.s.app.init_modules(|router, _, storage| {
                router
                    .bank
                    .init_balance(storage, &sender, coins(1_000, DENOM))
                    .unwrap()
            });
            #[allow(clippy::redundant_closure_call)]
            let msg: RegExec = ($msg)(&mut w);
            let registry = w.s.registry.clone();
            let e = refused::<RegError>(&mut w.s, |s| {
                s.app
                    .execute_contract(sender.clone(), registry.clone(), &msg, &coins(1, DENOM))
            });
            assert_eq!(e, RegError::Payment(PaymentError::NonPayable {}));
            let res =
                w.s.app
                    .execute_contract(sender.clone(), registry, &msg, &[]);
            #[allow(clippy::redundant_closure_call)]
            ($then)(&mut w, res);
            let native = w.s.app.wrap().query_balance(&sender, DENOM).unwrap();
            assert_eq!(native.amount.u128(), 1_000);
            w.s.check();
        }
    };
}

fn ok(_: &mut World, res: anyhow::Result<AppResponse>) {
    res.unwrap();
}

native_coins_refused!(
    attack_native_coins_on_receive,
    mallory,
    |w: &mut World| RegExec::Receive(Cw20ReceiveMsg {
        sender: w.mallory.to_string(),
        amount: Uint128::new(BOND),
        msg: to_json_binary(&RegHook::Contribute(contribution(1, "n"))).unwrap(),
    }),
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<RegError>().unwrap();
        assert_eq!(e, unexpected_token(&w.s, &w.mallory));
    }
);
native_coins_refused!(
    attack_native_coins_on_create_datanet,
    owner,
    |_: &mut World| RegExec::CreateDatanet(new_datanet("n", 0, AttributionMode::Weight, vec![])),
    |_: &mut World, res: anyhow::Result<AppResponse>| {
        let e = res.unwrap_err().downcast::<RegError>().unwrap();
        assert_eq!(
            e,
            RegError::CreationFeeRequired {
                fee: Uint128::new(FEE)
            }
        );
    }
);
native_coins_refused!(
    attack_native_coins_on_update_datanet,
    owner,
    |_: &mut World| RegExec::UpdateDatanet {
        datanet_id: 1,
        description: Some("new".into()),
        metadata_uri: None,
        policy: None,
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_curators,
    owner,
    |w: &mut World| RegExec::UpdateCurators {
        datanet_id: 1,
        add: vec![w.mallory.to_string()],
        remove: vec![],
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_allowlist,
    curator,
    |w: &mut World| RegExec::UpdateAllowlist {
        datanet_id: 1,
        add: vec![w.bob.to_string()],
        remove: vec![],
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_close_datanet,
    owner,
    |_: &mut World| RegExec::CloseDatanet { datanet_id: 2 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_transfer_datanet,
    owner,
    |w: &mut World| RegExec::TransferDatanet {
        datanet_id: 1,
        new_owner: w.bob.to_string(),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_accept_datanet,
    bob,
    |w: &mut World| {
        let (owner, bob) = (w.owner.clone(), w.bob.clone());
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: bob.to_string(),
            },
        )
        .unwrap();
        RegExec::AcceptDatanet { datanet_id: 1 }
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_contribute,
    alice,
    |_: &mut World| RegExec::Contribute(contribution(2, "native")),
    ok
);
native_coins_refused!(
    attack_native_coins_on_commit_contribution,
    alice,
    |w: &mut World| RegExec::CommitContribution {
        datanet_id: 2,
        commitment: openledger_common::msg::datanet_registry::contribution_commitment(
            &data_hash("committed"),
            w.alice.as_str(),
        ),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_reveal_contribution,
    alice,
    |w: &mut World| {
        let alice = w.alice.clone();
        let commitment = openledger_common::msg::datanet_registry::contribution_commitment(
            &data_hash("revealed"),
            alice.as_str(),
        );
        w.s.registry_exec(
            &alice,
            &RegExec::CommitContribution {
                datanet_id: 2,
                commitment,
            },
        )
        .unwrap();
        w.s.advance(5);
        RegExec::RevealContribution(contribution(2, "revealed"))
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_contribution,
    bob,
    |_: &mut World| RegExec::WithdrawContribution { contribution_id: 2 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_review_contributions,
    curator,
    |_: &mut World| review(1, vec![accept(2, 7)]),
    ok
);
native_coins_refused!(
    attack_native_coins_on_remove_contribution,
    curator,
    |_: &mut World| RegExec::RemoveContribution {
        contribution_id: 1,
        reason: "poisoned".into(),
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_publish_version,
    curator,
    |_: &mut World| RegExec::PublishVersion { datanet_id: 1 },
    ok
);
native_coins_refused!(
    attack_native_coins_on_withdraw_bonds,
    alice,
    |_: &mut World| RegExec::WithdrawBonds {},
    |w: &mut World, res: anyhow::Result<AppResponse>| {
        res.unwrap();
        let (registry, alice) = (w.s.registry.clone(), w.alice.clone());
        w.s.moved(&registry, &alice, BOND);
    }
);
native_coins_refused!(
    attack_native_coins_on_update_config,
    deployer,
    |_: &mut World| RegExec::UpdateConfig {
        creation_fee: Some(Uint128::zero()),
        reward_pool: None,
    },
    ok
);
native_coins_refused!(
    attack_native_coins_on_update_ownership,
    deployer,
    |w: &mut World| transfer_ownership(w.bob.as_str(), None),
    ok
);

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

// ---------------------------------------------------------------------------------------------
// Two-step ownership misuse: the registry's and a datanet's
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    w.s.check();
}

#[test]
fn attack_ownership_accept_by_the_wrong_account() {
    let mut w = world();
    let (deployer, bob, mallory) = (w.s.deployer.clone(), w.bob.clone(), w.mallory.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), NOT_PENDING_OWNER);
    assert_eq!(registry_owner(&w.s), Some(deployer.to_string()));
    w.s.check();
}

#[test]
fn attack_ownership_pending_owner_acts_before_accepting() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &bob,
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
fn attack_ownership_renounce_then_act() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    w.s.registry_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), None);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::zero()),
                reward_pool: None,
            },
        )
    });
    assert_eq!(ownership_error(e), NO_OWNER);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&deployer, &transfer_ownership(deployer.as_str(), None))
    });
    assert_eq!(ownership_error(e), NO_OWNER);
    w.s.check();
}

#[test]
fn attack_ownership_renounce_voids_the_pending_offer() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&deployer, &ownership(json!("renounce_ownership")))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_NOT_FOUND);
    assert_eq!(registry_owner(&w.s), None);
    w.s.check();
}

#[test]
fn attack_ownership_previous_owner_acts_after_handover() {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &deployer,
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
fn attack_ownership_datanet_accept_without_pending_offer() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_accept_by_the_wrong_account() {
    let mut w = world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    // The offer for datanet 1 is not an offer for datanet 2.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 2 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 2 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_superseded_offer_cannot_be_accepted() {
    let mut w = world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    for to in [&mallory, &bob] {
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: to.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    assert_eq!(datanet(&w.s, 1).pending_owner, Some(bob));
    w.s.check();
}

#[test]
fn attack_ownership_datanet_cancelled_offer_cannot_be_accepted() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    for to in [&bob, &owner] {
        w.s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: to.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    assert_eq!(datanet(&w.s, 1).owner, owner);
    w.s.check();
}

#[test]
fn attack_ownership_datanet_previous_owner_acts_after_handover() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    // Nor can the previous owner curate: the owner's right to curate went with the datanet.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &review(1, vec![reject(2)]))
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    // Accepting twice is not possible either.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::AcceptDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_pending_owner_acts_before_accepting() {
    let mut w = world();
    let (owner, bob) = (w.owner.clone(), w.bob.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &bob,
            &RegExec::TransferDatanet {
                datanet_id: 1,
                new_owner: bob.to_string(),
            },
        )
    });
    assert_eq!(e, RegError::NotDatanetOwner { datanet_id: 1 });
    w.s.check();
}

#[test]
fn attack_ownership_datanet_transfer_of_a_missing_datanet() {
    let mut w = world();
    let owner = w.owner.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::TransferDatanet {
                datanet_id: 99,
                new_owner: owner.to_string(),
            },
        )
    });
    assert_eq!(e, RegError::DatanetNotFound { id: 99 });
    w.s.check();
}

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

// ---------------------------------------------------------------------------------------------
// Oversized lists and limits
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_curators_at_creation() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    let seventeen = (0..17)
        .map(|i| w.s.addr(&format!("c{i}")).to_string())
        .collect();
    let new = new_datanet("many", 0, AttributionMode::Weight, seventeen);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    assert_eq!(e, RegError::TooManyCurators { got: 17, max: 16 });
    w.s.check();
}

#[test]
fn attack_oversized_curator_removal_list() {
    let mut w = world();
    let owner = w.owner.clone();
    let seventeen = (0..17)
        .map(|i| w.s.addr(&format!("c{i}")).to_string())
        .collect();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: seventeen,
            },
        )
    });
    assert_eq!(e, RegError::BatchTooLarge { got: 17, max: 16 });
    w.s.check();
}

#[test]
fn attack_oversized_allowlist_removal_and_exact_cap() {
    let mut w = world();
    let curator = w.curator.clone();
    let list = |w: &World, n: usize| -> Vec<String> {
        (0..n)
            .map(|i| w.s.addr(&format!("al{i}")).to_string())
            .collect()
    };
    let fifty_one = list(&w, 51);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateAllowlist {
                datanet_id: 1,
                add: vec![],
                remove: fifty_one,
            },
        )
    });
    assert_eq!(e, RegError::BatchTooLarge { got: 51, max: 50 });
    // Exactly 50 goes through.
    let fifty = list(&w, 50);
    w.s.registry_exec(
        &curator,
        &RegExec::UpdateAllowlist {
            datanet_id: 1,
            add: fifty,
            remove: vec![],
        },
    )
    .unwrap();
    w.s.check();
}

#[test]
fn attack_oversized_empty_batches() {
    let mut w = world();
    let (owner, curator) = (w.owner.clone(), w.curator.clone());
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&curator, &review(1, vec![])));
    assert_eq!(e, RegError::EmptyBatch);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::UpdateCurators {
                datanet_id: 1,
                add: vec![],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::EmptyBatch);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::UpdateAllowlist {
                datanet_id: 1,
                add: vec![],
                remove: vec![],
            },
        )
    });
    assert_eq!(e, RegError::EmptyBatch);
    w.s.check();
}

#[test]
fn attack_oversized_texts_one_byte_over_each_cap() {
    let mut w = world();
    let (owner, alice, curator, registry) = (
        w.owner.clone(),
        w.alice.clone(),
        w.curator.clone(),
        w.s.registry.clone(),
    );
    let text = |field: &str, min: u64, max: u64| RegError::InvalidText {
        field: field.into(),
        min,
        max,
    };
    let mut named = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    named.name = "n".repeat(65);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(named))
    });
    assert_eq!(e, text("name", 1, 64));
    let mut described = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    described.description = "d".repeat(1_025);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(described))
    });
    assert_eq!(e, text("description", 0, 1_024));
    let mut c = contribution(2, "long");
    c.uri = "u".repeat(513);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, text("uri", 1, 512));
    let mut c = contribution(2, "note");
    c.license_note = Some("l".repeat(257));
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, text("license_note", 1, 256));
    let long_reason = ReviewDecision::Reject {
        contribution_id: 2,
        reason: "r".repeat(257),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![long_reason]))
    });
    assert_eq!(e, text("reason", 1, 256));
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::RemoveContribution {
                contribution_id: 1,
                reason: String::new(),
            },
        )
    });
    assert_eq!(e, text("reason", 1, 256));
    // At the caps, everything passes.
    let mut at_cap = new_datanet("x", 0, AttributionMode::Weight, vec![]);
    at_cap.name = "n".repeat(64);
    at_cap.description = "d".repeat(1_024);
    at_cap.metadata_uri = "m".repeat(512);
    w.s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(at_cap))
        .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&owner, &pool, FEE);
    w.s.check();
}

#[test]
fn attack_oversized_query_limits_zero_fifty_one_and_u32_max() {
    let w = world();
    let alice = w.alice.to_string();
    let queries = |limit: Option<u32>| {
        vec![
            RegQuery::Datanets {
                owner: None,
                start_after: None,
                limit,
            },
            RegQuery::ContributionsByDatanet {
                datanet_id: 1,
                status: ContributionStatus::Pending,
                start_after: None,
                limit,
            },
            RegQuery::ContributionsByContributor {
                contributor: alice.clone(),
                start_after: None,
                limit,
            },
            RegQuery::Versions {
                datanet_id: 1,
                start_after: None,
                limit,
            },
        ]
    };
    for limit in [0, 51, u32::MAX] {
        for q in queries(Some(limit)) {
            let e =
                w.s.app
                    .wrap()
                    .query_wasm_smart::<serde_json::Value>(&w.s.registry, &q)
                    .unwrap_err();
            assert!(
                e.to_string().contains(&format!(
                    "limit {limit} is out of range: a page holds 1 to 50 items"
                )),
                "{e}"
            );
        }
    }
    for q in queries(Some(50)) {
        w.s.app
            .wrap()
            .query_wasm_smart::<serde_json::Value>(&w.s.registry, &q)
            .unwrap();
    }
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Amounts around every threshold
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_amount_bond_minus_one() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND - 1,
            &RegHook::Contribute(contribution(1, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::new(BOND),
            received: Uint128::new(BOND - 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_bond_plus_one() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND + 1,
            &RegHook::Contribute(contribution(1, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::new(BOND),
            received: Uint128::new(BOND + 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_bond_exactly_is_held_as_a_liability() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let before = registry_solvency(&w.s);
    w.s.send(
        &mallory,
        &registry,
        BOND,
        &RegHook::Contribute(contribution(1, "m")),
    )
    .unwrap();
    w.s.moved(&mallory, &registry, BOND);
    let after = registry_solvency(&w.s);
    assert_eq!(
        after.pending_bonds,
        before.pending_bonds + Uint128::new(BOND)
    );
    assert_eq!(after.balance, after.total_liabilities);
    w.s.check();
}

#[test]
fn attack_amount_tokens_to_a_bondless_datanet() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            1,
            &RegHook::Contribute(contribution(2, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::zero(),
            received: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_direct_contribute_to_a_bonded_datanet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Contribute(contribution(1, "free")))
    });
    assert_eq!(
        e,
        RegError::BondRequired {
            bond: Uint128::new(BOND)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_creation_fee_minus_and_plus_one() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    for paid in [FEE - 1, FEE + 1] {
        let new = new_datanet("cheap", 0, AttributionMode::Weight, vec![]);
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(&owner, &registry, paid, &RegHook::CreateDatanet(new))
        });
        assert_eq!(
            e,
            RegError::FeeMismatch {
                expected: Uint128::new(FEE),
                received: Uint128::new(paid)
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_amount_fee_to_a_free_registry() {
    let mut w = world();
    let (deployer, owner, registry) = (w.s.deployer.clone(), w.owner.clone(), w.s.registry.clone());
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::zero()),
            reward_pool: None,
        },
    )
    .unwrap();
    let new = new_datanet("gift", 0, AttributionMode::Weight, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, 1, &RegHook::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::FeeMismatch {
            expected: Uint128::zero(),
            received: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_weight_at_and_over_the_maximum() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![accept(2, 10_001)]))
    });
    assert_eq!(
        e,
        RegError::InvalidWeight {
            weight: 10_001,
            max: 10_000
        }
    );
    w.s.registry_exec(&curator, &review(1, vec![accept(2, 10_000)]))
        .unwrap();
    let pos: openledger_common::msg::reward_pool::PositionResponse =
        w.s.query_pool(&PoolQuery::Position {
            datanet_id: 1,
            address: w.bob.to_string(),
        });
    assert_eq!(pos.weight, 10_000);
    w.s.check();
}

#[test]
fn attack_amount_zero_size_contribution() {
    let mut w = world();
    let alice = w.alice.clone();
    let mut c = contribution(2, "empty");
    c.size_bytes = 0;
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, RegError::ZeroSize);
    w.s.check();
}

#[test]
fn attack_amount_withdraw_bonds_beyond_the_credit() {
    // Alice's credit is one bond: one withdrawal pays exactly it, the next finds nothing.
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    w.s.registry_exec(&alice, &RegExec::WithdrawBonds {})
        .unwrap();
    w.s.moved(&registry, &alice, BOND);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_same_hash_in_upper_case_after_rejection() {
    // A rejected hash stays taken: resubmitting the rejected data is refused.
    let mut w = world();
    let (curator, bob, registry) = (w.curator.clone(), w.bob.clone(), w.s.registry.clone());
    w.s.registry_exec(&curator, &review(1, vec![reject(2)]))
        .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&registry, &pool, BOND);
    let mut again = contribution(1, "b");
    again.data_hash = again.data_hash.to_uppercase();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&bob, &registry, BOND, &RegHook::Contribute(again))
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("b")
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_same_hash_after_withdrawal_and_in_another_datanet() {
    // Accepted by design: a withdrawn hash is free again, and a hash is unique per datanet.
    let mut w = world();
    let (bob, registry) = (w.bob.clone(), w.s.registry.clone());
    w.s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
        .unwrap();
    w.s.send(
        &bob,
        &registry,
        BOND,
        &RegHook::Contribute(contribution(1, "b")),
    )
    .unwrap();
    w.s.moved(&bob, &registry, BOND);
    w.s.registry_exec(&bob, &RegExec::Contribute(contribution(2, "b")))
        .unwrap();
    assert_eq!(withdrawable(&w.s, &bob), BOND);
    assert_eq!(contribution_of(&w.s, 4).data_hash, data_hash("b"));
    assert_eq!(contribution_of(&w.s, 5).datanet_id, 2);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::Contribute(contribution(2, "b")))
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 2,
            data_hash: data_hash("b")
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_review_twice() {
    let mut w = world();
    let curator = w.curator.clone();
    w.s.registry_exec(&curator, &review(1, vec![accept(2, 4)]))
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![reject(2)]))
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 2,
            status: ContributionStatus::Accepted
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_withdraw_contribution_twice() {
    let mut w = world();
    let bob = w.bob.clone();
    w.s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &RegExec::WithdrawContribution { contribution_id: 2 })
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 2,
            status: ContributionStatus::Withdrawn
        }
    );
    assert_eq!(withdrawable(&w.s, &bob), BOND);
    w.s.check();
}

#[test]
fn attack_replay_withdraw_an_accepted_contribution() {
    // Alice's bond came back on acceptance: withdrawing now would return it a second time.
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &alice,
            &RegExec::WithdrawContribution { contribution_id: 1 },
        )
    });
    assert_eq!(
        e,
        RegError::ContributionNotPending {
            id: 1,
            status: ContributionStatus::Accepted
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_remove_twice() {
    let mut w = world();
    let curator = w.curator.clone();
    let remove = RegExec::RemoveContribution {
        contribution_id: 1,
        reason: "poisoned".into(),
    };
    w.s.registry_exec(&curator, &remove).unwrap();
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&curator, &remove));
    assert_eq!(
        e,
        RegError::ContributionNotAccepted {
            id: 1,
            status: ContributionStatus::Removed
        }
    );
    w.s.check();
}

#[test]
fn attack_replay_close_twice_and_contribute_after() {
    let mut w = world();
    let (owner, mallory, registry) = (w.owner.clone(), w.mallory.clone(), w.s.registry.clone());
    w.s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "late")),
        )
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    assert_eq!(datanet(&w.s, 1).status, DatanetStatus::Closed);
    w.s.check();
}

#[test]
fn attack_replay_register_the_same_datanet_at_the_pool() {
    // The registry's own message, replayed by anyone, is refused by the pool.
    let mut w = world();
    let mallory = w.mallory.clone();
    let msg = openledger_common::msg::reward_pool::ExecuteMsg::RegisterDatanet {
        datanet_id: 1,
        mode: PoolMode::Influence,
    };
    let e = refused::<reward_pool::ContractError>(&mut w.s, |s| s.pool_exec(&mallory, &msg));
    assert_eq!(
        e,
        reward_pool::ContractError::NotRegistry {
            action: "register datanets".into(),
            sender: mallory.to_string()
        }
    );
    let p: DatanetPoolResponse = w.s.query_pool(&PoolQuery::DatanetPool { datanet_id: 1 });
    assert_eq!(p.mode, PoolMode::Weight);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Timing: the registry's only deadline is the expiry of an ownership offer
// ---------------------------------------------------------------------------------------------

/// Offers the registry to bob until `now + 100 s`; returns the world advanced to `t + offset`
/// where `t` is the expiry.
fn offer_then_wait(offset: i64) -> World {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.registry_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": t }))),
    )
    .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

#[test]
fn attack_timing_ownership_offer_accepted_at_expiry_minus_one() {
    let mut w = offer_then_wait(-1);
    let bob = w.bob.clone();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), Some(bob.to_string()));
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry() {
    let mut w = offer_then_wait(0);
    let bob = w.bob.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    assert_eq!(registry_owner(&w.s), Some(w.s.deployer.to_string()));
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry_plus_one() {
    let mut w = offer_then_wait(1);
    let bob = w.bob.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_already_expired_when_made() {
    // cw-ownable takes an offer whose expiry has passed (it does not check it), but nobody can
    // ever accept it; the owner stays the owner and may offer again.
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    let now = w.s.app.block_info().time;
    w.s.registry_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": now }))),
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), Some(bob.to_string()));
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Direct token donations and contribution spam
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_donation_plain_transfer_to_the_registry() {
    let mut w = world();
    let (mallory, registry, token) = (w.mallory.clone(), w.s.registry.clone(), w.s.token.clone());
    let before = registry_solvency(&w.s);
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: registry.to_string(),
                amount: Uint128::new(777),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &registry, 777);
    let after = registry_solvency(&w.s);
    assert_eq!(after.balance, before.balance + Uint128::new(777));
    assert_eq!(
        (
            after.pending_bonds,
            after.withdrawable_bonds,
            after.total_liabilities
        ),
        (
            before.pending_bonds,
            before.withdrawable_bonds,
            before.total_liabilities
        )
    );
    assert!(after.solvent);
    // Nobody can take the donation as a bond of their own.
    for who in [mallory.clone(), w.owner.clone(), w.s.deployer.clone()] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&who, &RegExec::WithdrawBonds {})
        });
        assert_eq!(e, RegError::NothingToWithdraw);
    }
    // Alice still withdraws exactly her bond, not a share of the surplus.
    let alice = w.alice.clone();
    w.s.registry_exec(&alice, &RegExec::WithdrawBonds {})
        .unwrap();
    w.s.moved(&registry, &alice, BOND);
    assert_eq!(registry_solvency(&w.s).balance.u128(), BOND + 777);
    w.s.check();
}

#[test]
fn attack_spam_tiny_contributions_up_to_a_full_review_batch_then_one_more() {
    // The registry has no per-datanet cap on contributions (nothing iterates over them); what
    // bounds spam is the bond each one pays and the review batch cap of 50. A spammer fills a
    // full batch of one-byte contributions, then one more: all are taken, each holds its bond,
    // a curator rejects them in a batch of 50 plus one, and every bond ends in the treasury.
    let heavy = std::env::var("OPENLEDGER_HEAVY").as_deref() == Ok("1");
    let batches: u64 = if heavy { 8 } else { 1 };
    let mut s = Suite::default();
    let (owner, spammer) = (s.addr("owner"), s.addr("spammer"));
    let (registry, pool) = (s.registry.clone(), s.pool.clone());
    let tiny: u128 = 1;
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(new_datanet("spam", tiny, AttributionMode::Weight, vec![])),
    )
    .unwrap();
    let n = 50 * batches + 1;
    s.fund(&spammer, n as u128 * tiny);
    for i in 0..n {
        let mut c = contribution(1, &format!("spam{i}"));
        c.size_bytes = 1;
        s.send(&spammer, &registry, tiny, &RegHook::Contribute(c))
            .unwrap();
        s.moved(&spammer, &registry, tiny);
    }
    assert_eq!(datanet(&s, 1).pending_count, n);
    assert_eq!(registry_solvency(&s).pending_bonds.u128(), n as u128 * tiny);
    let all: Vec<ReviewDecision> = (1..=n).map(reject).collect();
    let e = refused::<RegError>(&mut s, |s| s.registry_exec(&owner, &review(1, all.clone())));
    assert_eq!(e, RegError::BatchTooLarge { got: n, max: 50 });
    let treasury_before = s.treasury();
    for chunk in all.chunks(50) {
        s.registry_exec(&owner, &review(1, chunk.to_vec())).unwrap();
    }
    s.moved(&registry, &pool, n as u128 * tiny);
    assert_eq!(s.treasury() - treasury_before, n as u128 * tiny);
    assert_eq!(datanet(&s, 1).pending_count, 0);
    assert_eq!(s.balance(&spammer), 0);
    let e = refused::<RegError>(&mut s, |s| {
        s.registry_exec(&spammer, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    s.check();
}

#[test]
fn attack_spam_one_more_contribution_than_the_spammer_can_bond() {
    let mut w = world();
    let (registry, spammer) = (w.s.registry.clone(), w.s.addr("broke"));
    w.s.fund(&spammer, 2 * BOND);
    for i in 0..2 {
        w.s.send(
            &spammer,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, &format!("broke{i}"))),
        )
        .unwrap();
        w.s.moved(&spammer, &registry, BOND);
    }
    // The third has no bond behind it: the token refuses the send.
    let e = w.s.refused(|s| {
        s.send(
            &spammer,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "broke2")),
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Overflow: Cannot Sub with given operands");
    assert_eq!(w.s.balance(&spammer), 0);
    w.s.check();
}
