//! Adversarial suite of model licensing: one test per attack. Each refused attack asserts the
//! contract's exact error, that no contract's raw storage and no party's OPEN or native balance
//! changed, and that every balance still matches the test's ledger; at the end of each test the
//! world's `check` runs (ledger, pool, registry, escrow and model licensing solvency).
//!
//! The world is the escrow world of the suite: model 1 (fee 1 000, lineage 60 % / 40 % over
//! datanets 1 and 2, one host) owned by `model-owner`; the client pays.

use anyhow::Result as AnyResult;
use cosmwasm_std::{
    coins, from_json, to_json_binary, to_json_vec, Addr, Api, Binary, Deps, DepsMut, Empty, Env,
    MessageInfo, Response, StdResult, SubMsg, Timestamp, Uint128, WasmMsg,
};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use model_licensing::ContractError;
use openledger_common::attribution::{AttributionError, AttributionShare};
use openledger_common::fee::FeeSplit;
use openledger_common::msg::agent_escrow::ReceiveMsg as EscrowHook;
use openledger_common::msg::model_licensing::{
    ExecuteMsg, Host, InferencePayment, LicenseTier, LineageEntry, ModelResponse, ModelStatus,
    NewModel, QueryMsg, Receipt, ReceiveMsg, MAX_BATCH, MAX_HOSTS, MAX_TIERS,
};
use openledger_common::HookError;
use openledger_tests::data_hash;
use openledger_tests::escrow::{attr, world, World, MODEL_FEE};
use openledger_tests::models::{receipt, shares, HostKey};
use serde::{Deserialize, Serialize};

const DENOM: &str = "uopen";
/// The tier added by [`add_tier`].
const PRICE: u128 = 5_000;
const TERM: u64 = 3_600;
const QUOTA: u64 = 2;
/// An address of another chain (valid bech32, foreign prefix).
const FOREIGN: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

fn heavy() -> bool {
    std::env::var("OPENLEDGER_HEAVY").is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs `attempt`, which must fail: no contract storage, no balance (OPEN or native) and no
/// task changed, the ledger holds and every contract stays solvent. Returns the error of model
/// licensing.
fn refused(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> ContractError {
    refused_any(w, attempt)
        .downcast::<ContractError>()
        .expect("a model licensing error")
}

fn refused_any(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> anyhow::Error {
    let before = w.s.frozen();
    let e = w.refused(attempt);
    assert_eq!(w.s.frozen(), before, "a refused attempt changed state");
    e
}

fn exec(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
    let models = w.models.clone();
    w.s.app.execute_contract(who.clone(), models, msg, &[])
}

/// `who` sends `amount` OPEN to model licensing with `hook` (ledger untouched).
fn pay(w: &mut World, who: &Addr, amount: u128, hook: &ReceiveMsg) -> AnyResult<AppResponse> {
    let models = w.models.clone();
    w.s.send(who, &models, amount, hook)
}

/// Books a paid fee (or licence price) of `amount` with the default split: the owner's 20 %
/// stays in model licensing, the other 80 % goes to the pool.
fn book_fee(w: &mut World, payer: &Addr, amount: u128) {
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(payer, &models, amount / 5);
    w.s.moved(payer, &pool, amount - amount / 5);
}

fn lineage(id: &str) -> InferencePayment {
    InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution: None,
        receipt_signature: None,
    }
}

/// A payment of `model_id` whose attribution is signed by the world's host over `r`.
fn signed_with(w: &World, r: &Receipt) -> InferencePayment {
    InferencePayment {
        model_id: r.model_id,
        inference_id: r.inference_id.clone(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(w.host.sign(r)),
    }
}

/// A correct receipt for `payer` paying inference `id` of `model_id` at the model's fee.
fn good_receipt(w: &World, model_id: u64, id: &str, payer: &Addr) -> Receipt {
    receipt(
        &w.s,
        &w.models,
        model_id,
        id,
        payer,
        MODEL_FEE,
        shares(&[(1, 7_000), (2, 3_000)]),
    )
}

fn ownership(e: ContractError) -> String {
    match e {
        ContractError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

fn update_ownership(action: serde_json::Value) -> ExecuteMsg {
    serde_json::from_value(serde_json::json!({ "update_ownership": action })).unwrap()
}

fn nonpayable() -> ContractError {
    ContractError::Payment(cw_utils::PaymentError::NonPayable {})
}

fn give_native(w: &mut World, who: &Addr) {
    w.s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, who, coins(1_000, DENOM))
            .unwrap()
    });
    w.s.ledger.entry(who.clone()).or_insert(0);
}

/// Attaching coins to `msg` from `who` is refused with `NonPayable`; without coins the same
/// message goes through.
fn coins_refused_then_plain(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AppResponse {
    give_native(w, who);
    let models = w.models.clone();
    let e = refused(w, |w| {
        w.s.app
            .execute_contract(who.clone(), models.clone(), msg, &coins(1, DENOM))
    });
    assert_eq!(e, nonpayable());
    exec(w, who, msg).expect("the same message without coins")
}

fn invalid_address(w: &World, field: &str, address: &str) -> ContractError {
    let reason =
        w.s.app
            .api()
            .addr_validate(address)
            .unwrap_err()
            .to_string();
    ContractError::InvalidAddress {
        field: field.into(),
        address: address.into(),
        reason,
    }
}

fn host(w: &World, address: &str) -> Host {
    Host {
        address: address.into(),
        pubkey: w.host.pubkey(),
    }
}

/// A valid new model on the world's datanets, served by the world's host.
fn new_model(w: &World) -> NewModel {
    NewModel {
        name: "rival".into(),
        metadata_uri: String::new(),
        weights_hash: data_hash("rival-weights"),
        base_model: None,
        lineage: vec![
            LineageEntry {
                datanet_id: 1,
                version: 1,
                weight_bps: 5_000,
            },
            LineageEntry {
                datanet_id: 2,
                version: 1,
                weight_bps: 5_000,
            },
        ],
        inference_fee: Uint128::new(MODEL_FEE),
        tiers: vec![],
        hosts: vec![host(w, w.s.addr("host").as_str())],
    }
}

/// `owner` registers [`new_model`]; returns its id.
fn register(w: &mut World, owner: &Addr) -> u64 {
    let msg = ExecuteMsg::RegisterModel(new_model(w));
    attr(&exec(w, owner, &msg).unwrap(), "model_id")
        .parse()
        .unwrap()
}

fn tier(id: u32) -> LicenseTier {
    LicenseTier {
        id,
        price: Uint128::new(PRICE),
        duration: TERM,
        inference_quota: Some(QUOTA),
        commercial: true,
    }
}

/// Buys tier `id` of model 1, stating the terms of [`tier`].
fn buy_tier(id: u32) -> ReceiveMsg {
    ReceiveMsg::PurchaseLicense {
        model_id: 1,
        tier_id: id,
        terms: tier(id).terms(),
    }
}

fn update_model(model_id: u64) -> ExecuteMsg {
    ExecuteMsg::UpdateModel {
        model_id,
        metadata_uri: Some("ipfs://new".into()),
        inference_fee: None,
        tiers: None,
        hosts: None,
    }
}

/// The model owner gives model 1 tiers 1 and 2.
fn add_tier(w: &mut World) {
    let owner = w.model_owner.clone();
    exec(
        w,
        &owner,
        &ExecuteMsg::UpdateModel {
            model_id: 1,
            metadata_uri: None,
            inference_fee: None,
            tiers: Some(vec![tier(1), tier(2)]),
            hosts: None,
        },
    )
    .unwrap();
}

/// The client buys tier 1 of model 1 (ledger updated); returns the licence's end in whole
/// seconds (block time keeps its sub-second part, so `at(end)` lands exactly on the end) and
/// as stored.
fn licensed(w: &mut World) -> (u64, Timestamp) {
    add_tier(w);
    let client = w.client.clone();
    pay(w, &client, PRICE, &buy_tier(1)).unwrap();
    book_fee(w, &client, PRICE);
    (w.now() + TERM, w.s.app.block_info().time.plus_seconds(TERM))
}

fn record(id: &str) -> ExecuteMsg {
    ExecuteMsg::RecordLicensedInference {
        model_id: 1,
        inference_id: id.into(),
    }
}

fn model(w: &World, model_id: u64) -> ModelResponse {
    w.s.app
        .wrap()
        .query_wasm_smart(&w.models, &QueryMsg::Model { model_id })
        .unwrap()
}

fn earnings(w: &World, who: &Addr) -> u128 {
    let e: Uint128 =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &w.models,
                &QueryMsg::Earnings {
                    address: who.to_string(),
                },
            )
            .unwrap();
    e.u128()
}

/// The client pays one lineage inference (ledger updated): 200 credited to the model owner.
fn one_paid(w: &mut World, id: &str) {
    let client = w.client.clone();
    pay(
        w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(lineage(id)),
    )
    .unwrap();
    book_fee(w, &client, MODEL_FEE);
}

fn second_token(w: &mut World, holder: &Addr) -> Addr {
    let code = w.s.app.store_code(openledger_tests::token_contract());
    w.s.app
        .instantiate_contract(
            code,
            holder.clone(),
            &open_token::InstantiateMsg {
                name: "Fake".into(),
                symbol: "FAKE".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin {
                    address: holder.to_string(),
                    amount: Uint128::new(1_000_000),
                }],
                mint: None,
                marketing: None,
            },
            &[],
            "fake",
            None,
        )
        .unwrap()
}

fn fake_pay(
    w: &mut World,
    fake: &Addr,
    holder: &Addr,
    amount: u128,
    hook: &ReceiveMsg,
) -> AnyResult<AppResponse> {
    let msg = Cw20ExecuteMsg::Send {
        contract: w.models.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    };
    w.s.app
        .execute_contract(holder.clone(), fake.clone(), &msg, &[])
}

fn forged_receive(
    w: &mut World,
    wallet: &Addr,
    claimed_sender: &Addr,
    amount: u128,
    hook: &ReceiveMsg,
) -> AnyResult<AppResponse> {
    exec(
        w,
        wallet,
        &ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: claimed_sender.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(hook).unwrap(),
        }),
    )
}

fn unexpected_token(w: &World, received: &Addr) -> ContractError {
    ContractError::Hook(HookError::UnexpectedToken {
        expected: w.s.token.to_string(),
        received: received.to_string(),
    })
}

fn raw_pay(w: &mut World, who: &Addr, amount: u128, msg: &[u8]) -> AnyResult<AppResponse> {
    let (token, models) = (w.s.token.clone(), w.models.clone());
    w.s.app.execute_contract(
        who.clone(),
        token,
        &Cw20ExecuteMsg::Send {
            contract: models.to_string(),
            amount: Uint128::new(amount),
            msg: Binary::from(msg.to_vec()),
        },
        &[],
    )
}

fn invalid_hook(e: ContractError) -> String {
    match e {
        ContractError::Hook(HookError::InvalidHook { reason }) => reason,
        other => panic!("not an invalid hook: {other:?}"),
    }
}

fn bin<T: Serialize>(msg: &T) -> Binary {
    to_json_binary(msg).unwrap()
}

// ---------------------------------------------------------------------------------------------
// A hostile contract: executes batches of messages as itself in one transaction, counts the
// cw20 hooks it receives and, when armed, re-enters a contract from its hook.
// ---------------------------------------------------------------------------------------------

mod evil {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, Clone)]
    #[serde(rename_all = "snake_case")]
    pub enum Msg {
        Receive(Cw20ReceiveMsg),
        Calls { calls: Vec<(String, Binary)> },
        Arm { target: String, callback: Binary },
    }

    #[derive(Serialize, Deserialize, Debug, Clone)]
    #[serde(rename_all = "snake_case")]
    pub enum Query {
        Hooks {},
    }

    fn hooks(deps: Deps) -> u64 {
        deps.storage
            .get(b"hooks")
            .map(|v| from_json(v).unwrap())
            .unwrap_or(0)
    }

    pub fn contract() -> Box<dyn Contract<Empty>> {
        Box::new(ContractWrapper::new(
            |deps: DepsMut, _: Env, _: MessageInfo, msg: Msg| -> StdResult<Response> {
                match msg {
                    Msg::Receive(_) => {
                        let n = hooks(deps.as_ref()) + 1;
                        deps.storage.set(b"hooks", &to_json_vec(&n)?);
                        let mut res = Response::new();
                        if let (Some(target), Some(callback)) =
                            (deps.storage.get(b"target"), deps.storage.get(b"callback"))
                        {
                            res = res.add_message(WasmMsg::Execute {
                                contract_addr: String::from_utf8(target).unwrap(),
                                msg: Binary::from(callback),
                                funds: vec![],
                            });
                        }
                        Ok(res)
                    }
                    Msg::Calls { calls } => Ok(Response::new().add_submessages(
                        calls.into_iter().map(|(contract_addr, msg)| {
                            SubMsg::new(WasmMsg::Execute {
                                contract_addr,
                                msg,
                                funds: vec![],
                            })
                        }),
                    )),
                    Msg::Arm { target, callback } => {
                        deps.storage.set(b"target", target.as_bytes());
                        deps.storage.set(b"callback", callback.as_slice());
                        Ok(Response::new())
                    }
                }
            },
            |_: DepsMut, _: Env, _: MessageInfo, _: Empty| -> StdResult<Response> {
                Ok(Response::new())
            },
            |deps: Deps, _: Env, msg: Query| -> StdResult<Binary> {
                match msg {
                    Query::Hooks {} => to_json_binary(&hooks(deps)),
                }
            },
        ))
    }
}

fn deploy_evil(w: &mut World, label: &str) -> Addr {
    let code = w.s.app.store_code(evil::contract());
    let addr =
        w.s.app
            .instantiate_contract(code, w.s.deployer.clone(), &Empty {}, &[], label, None)
            .unwrap();
    w.s.ledger.insert(addr.clone(), 0);
    addr
}

fn evil_hooks(w: &World, evil: &Addr) -> u64 {
    w.s.app
        .wrap()
        .query_wasm_smart(evil, &evil::Query::Hooks {})
        .unwrap()
}

fn evil_calls(w: &mut World, evil: &Addr, calls: Vec<(&Addr, Binary)>) -> AnyResult<AppResponse> {
    let deployer = w.s.deployer.clone();
    w.s.app.execute_contract(
        deployer,
        evil.clone(),
        &evil::Msg::Calls {
            calls: calls.into_iter().map(|(c, m)| (c.to_string(), m)).collect(),
        },
        &[],
    )
}

fn arm(w: &mut World, evil: &Addr, target: &Addr, callback: Binary) {
    let deployer = w.s.deployer.clone();
    w.s.app
        .execute_contract(
            deployer,
            evil.clone(),
            &evil::Msg::Arm {
                target: target.to_string(),
                callback,
            },
            &[],
        )
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or from a wallet calling `receive` itself
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_purchase_license_with_second_cw20() {
    let mut w = world();
    add_tier(&mut w);
    let client = w.client.clone();
    let fake = second_token(&mut w, &client);
    let hook = buy_tier(1);
    let e = refused(&mut w, |w| fake_pay(w, &fake, &client, PRICE, &hook));
    assert_eq!(e, unexpected_token(&w, &fake));
    w.check();
}

#[test]
fn attack_wrong_token_pay_inference_with_second_cw20() {
    let mut w = world();
    let client = w.client.clone();
    let fake = second_token(&mut w, &client);
    let hook = ReceiveMsg::PayInference(lineage("fake-1"));
    let e = refused(&mut w, |w| fake_pay(w, &fake, &client, MODEL_FEE, &hook));
    assert_eq!(e, unexpected_token(&w, &fake));
    w.check();
}

#[test]
fn attack_wrong_token_pay_inferences_with_second_cw20() {
    let mut w = world();
    let client = w.client.clone();
    let fake = second_token(&mut w, &client);
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("fake-1"), lineage("fake-2")],
    };
    let e = refused(&mut w, |w| {
        fake_pay(w, &fake, &client, 2 * MODEL_FEE, &hook)
    });
    assert_eq!(e, unexpected_token(&w, &fake));
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_buy_a_licence() {
    let mut w = world();
    add_tier(&mut w);
    let client = w.client.clone();
    let hook = buy_tier(1);
    let e = refused(&mut w, |w| {
        forged_receive(w, &client, &client, PRICE, &hook)
    });
    assert_eq!(e, unexpected_token(&w, &client));
    w.check();
}

/// A wallet forges a `receive` naming the escrow as payer, with a receipt signed for the
/// escrow: the hook is refused before the receipt is even looked at.
#[test]
fn attack_wrong_token_wallet_calls_receive_posing_as_the_escrow() {
    let mut w = world();
    let (mallory, escrow) = (w.s.addr("mallory"), w.escrow.clone());
    let r = good_receipt(&w, 1, "forged", &escrow);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &escrow, MODEL_FEE, &hook)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_with_a_batch() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("b-1"), lineage("b-2")],
    };
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &mallory, 2 * MODEL_FEE, &hook)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    w.check();
}

#[test]
fn attack_wrong_token_zero_amount_payment() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        pay(w, &client, 0, &ReceiveMsg::PayInference(lineage("free")))
    });
    assert_eq!(e, ContractError::Hook(HookError::ZeroAmount));
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Unknown hook messages, malformed hook JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unknown_hook_variant() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        raw_pay(w, &client, MODEL_FEE, br#"{"donate_to_me":{}}"#)
    });
    assert!(invalid_hook(e).contains("unknown variant"));
    w.check();
}

#[test]
fn attack_unknown_hook_malformed_json() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        raw_pay(w, &client, MODEL_FEE, br#"{"pay_inference":{"model_id":1,"#)
    });
    invalid_hook(e);
    w.check();
}

#[test]
fn attack_unknown_hook_escrow_message_sent_to_model_licensing() {
    let mut w = world();
    let client = w.client.clone();
    let msg = to_json_vec(&EscrowHook::TopUpBond {}).unwrap();
    let e = refused(&mut w, |w| raw_pay(w, &client, MODEL_FEE, &msg));
    assert!(invalid_hook(e).contains("unknown variant"));
    w.check();
}

#[test]
fn attack_unknown_hook_model_id_as_string() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        raw_pay(
            w,
            &client,
            MODEL_FEE,
            br#"{"pay_inference":{"model_id":"1","inference_id":"x","attribution":null,"receipt_signature":null}}"#,
        )
    });
    invalid_hook(e);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_native_coins_on_receive() {
    let mut w = world();
    let token = w.s.token.clone();
    give_native(&mut w, &token);
    let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: w.client.to_string(),
        amount: Uint128::new(MODEL_FEE),
        msg: bin(&ReceiveMsg::PayInference(lineage("coins"))),
    });
    let models = w.models.clone();
    let e = refused(&mut w, |w| {
        w.s.app
            .execute_contract(token.clone(), models, &msg, &coins(1, DENOM))
    });
    assert_eq!(e, nonpayable());
    w.check();
}

#[test]
fn attack_native_coins_on_register_model() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let msg = ExecuteMsg::RegisterModel(new_model(&w));
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_model() {
    let mut w = world();
    let owner = w.model_owner.clone();
    coins_refused_then_plain(&mut w, &owner, &update_model(1));
    w.check();
}

#[test]
fn attack_native_coins_on_set_model_status() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Paused,
    };
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_transfer_model() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    let msg = ExecuteMsg::TransferModel {
        model_id: 1,
        new_owner: heir.to_string(),
    };
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_accept_model() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    coins_refused_then_plain(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 });
    assert_eq!(model(&w, 1).owner, heir);
    w.check();
}

#[test]
fn attack_native_coins_on_record_licensed_inference() {
    let mut w = world();
    licensed(&mut w);
    let client = w.client.clone();
    coins_refused_then_plain(&mut w, &client, &record("lic-1"));
    w.check();
}

#[test]
fn attack_native_coins_on_withdraw_earnings() {
    let mut w = world();
    one_paid(&mut w, "earned");
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    coins_refused_then_plain(&mut w, &owner, &ExecuteMsg::WithdrawEarnings {});
    w.s.moved(&models, &owner, 200);
    w.check();
}

#[test]
fn attack_native_coins_on_update_config() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: Some(FeeSplit::default()),
        reward_pool: None,
        registry: None,
    };
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_ownership() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
    }));
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Missing authorization
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unauthorized_update_config_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: Some(FeeSplit {
            datanets_bps: 0,
            model_owner_bps: 10_000,
            stakers_bps: 0,
            treasury_bps: 0,
        }),
        reward_pool: None,
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_config_by_a_model_owner() {
    let mut w = world();
    let (owner, mallory) = (w.model_owner.clone(), w.s.addr("mallory"));
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(mallory.to_string()),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_transfer_contract_ownership_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": mallory.to_string(), "expiry": null }
    }));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_model_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: Some(Uint128::new(1)),
        tiers: None,
        hosts: None,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_host_replaces_the_hosts() {
    let mut w = world();
    let host_addr = w.s.addr("host");
    let rogue = HostKey::new("rogue-host");
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(vec![Host {
            address: host_addr.to_string(),
            pubkey: rogue.pubkey(),
        }]),
    };
    let e = refused(&mut w, |w| exec(w, &host_addr, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_owner_of_one_model_updates_another() {
    let mut w = world();
    let rival = w.s.addr("rival-owner");
    register(&mut w, &rival);
    let e = refused(&mut w, |w| exec(w, &rival, &update_model(1)));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_pause_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Paused,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_retire_by_the_contract_owner() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Retired,
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_transfer_model_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::TransferModel {
        model_id: 1,
        new_owner: mallory.to_string(),
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_licensed_inference_without_licence() {
    let mut w = world();
    add_tier(&mut w);
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| exec(w, &mallory, &record("free-ride")));
    assert_eq!(e, ContractError::NoLicense { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_withdraw_of_the_owners_earnings() {
    let mut w = world();
    one_paid(&mut w, "earned");
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::WithdrawEarnings {})
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &w.model_owner.clone()), 200);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Two-step ownership: the contract and each model
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_contract_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "There isn't a pending ownership transfer");
    w.check();
}

#[test]
fn attack_ownership_contract_accept_by_someone_else() {
    let mut w = world();
    let (deployer, heir, mallory) = (w.s.deployer.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's pending owner");
    w.check();
}

#[test]
fn attack_ownership_contract_pending_owner_configures_before_accepting() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(heir.to_string()),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &heir, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_contract_accept_after_expiry() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let expiry = w.s.app.block_info().time.plus_seconds(60);
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": {
                "new_owner": heir.to_string(),
                "expiry": { "at_time": expiry.nanos().to_string() }
            }
        })),
    )
    .unwrap();
    w.at(expiry.seconds() + 1);
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &heir, &msg));
    assert_eq!(
        ownership(e),
        "A pending ownership transfer exists but it has expired"
    );
    w.check();
}

#[test]
fn attack_ownership_model_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_accept_by_someone_else() {
    let mut w = world();
    let (owner, heir, mallory) = (w.model_owner.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_pending_owner_acts_before_accepting() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    let e = refused(&mut w, |w| exec(w, &heir, &update_model(1)));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_previous_owner_acts_after_handover() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    exec(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 }).unwrap();
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: owner.to_string(),
            },
        )
    });
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_accept_after_the_transfer_was_cancelled() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    for new_owner in [&heir, &owner] {
        exec(
            &mut w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    }
    assert_eq!(model(&w, 1).pending_owner, None);
    let e = refused(&mut w, |w| {
        exec(w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_first_heir_accepts_after_retargeting() {
    let mut w = world();
    let (owner, first, second) = (
        w.model_owner.clone(),
        w.s.addr("heir-1"),
        w.s.addr("heir-2"),
    );
    for new_owner in [&first, &second] {
        exec(
            &mut w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused(&mut w, |w| {
        exec(w, &first, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

/// Earnings credited before a handover stay with the previous owner: the new owner cannot
/// withdraw them.
#[test]
fn attack_ownership_model_new_owner_withdraws_earlier_earnings() {
    let mut w = world();
    one_paid(&mut w, "before-handover");
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    exec(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 }).unwrap();
    let e = refused(&mut w, |w| exec(w, &heir, &ExecuteMsg::WithdrawEarnings {}));
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &owner), 200);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign and self-referencing addresses
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_address_upper_case_host_at_registration() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let upper = w.s.addr("host").to_string().to_uppercase();
    let mut m = new_model(&w);
    m.hosts = vec![host(&w, &upper)];
    let expected = invalid_address(&w, "hosts", &upper);
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_host_in_update() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(vec![host(&w, FOREIGN)]),
    };
    let expected = invalid_address(&w, "hosts", FOREIGN);
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_new_model_owner() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let upper = w.s.addr("heir").to_string().to_uppercase();
    let expected = invalid_address(&w, "new_owner", &upper);
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: upper.clone(),
            },
        )
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_new_model_owner() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let expected = invalid_address(&w, "new_owner", FOREIGN);
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: FOREIGN.into(),
            },
        )
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_reward_pool() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.s.pool.to_string().to_uppercase();
    let expected = invalid_address(&w, "reward_pool", &upper);
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(upper),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_registry() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let expected = invalid_address(&w, "registry", FOREIGN);
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: None,
        registry: Some(FOREIGN.into()),
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_unnormalized_new_contract_owner() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.s.addr("heir").to_string().to_uppercase();
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": upper, "expiry": null }
    }));
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    let reason = w.s.app.api().addr_validate(&upper).unwrap_err().to_string();
    assert_eq!(ownership(e), reason);
    w.check();
}

/// Model licensing wired to itself as its reward pool: every payment's `distribute` comes
/// back to model licensing as a hook it does not understand, and the whole payment reverts.
#[test]
fn attack_address_model_licensing_as_its_own_reward_pool() {
    let mut w = world();
    let (deployer, models, token, registry, pool) = (
        w.s.deployer.clone(),
        w.models.clone(),
        w.s.token.clone(),
        w.s.registry.clone(),
        w.s.pool.clone(),
    );
    // Model licensing or the token as the pool or the registry, or the pool and the registry
    // at one address, would make every payment fail: each wiring is refused.
    for (reward_pool, reg, contract, role, address) in [
        (
            Some(&models),
            None,
            "model_licensing",
            "reward_pool",
            &models,
        ),
        (Some(&token), None, "token", "reward_pool", &token),
        (None, Some(&models), "model_licensing", "registry", &models),
        (None, Some(&token), "token", "registry", &token),
        (Some(&registry), None, "registry", "reward_pool", &registry),
        (None, Some(&pool), "registry", "reward_pool", &pool),
    ] {
        let msg = ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: reward_pool.map(|a| a.to_string()),
            registry: reg.map(|a| a.to_string()),
        };
        let e = refused(&mut w, |w| exec(w, &deployer, &msg));
        assert_eq!(
            e,
            ContractError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: address.to_string(),
            }
        );
    }
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Duplicate ids
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_inference_id_in_a_batch() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("a"), lineage("b"), lineage("a")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 3 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::DuplicateInference {
            model_id: 1,
            inference_id: "a".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_inference_id_already_paid_in_a_batch() {
    let mut w = world();
    one_paid(&mut w, "paid");
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("new"), lineage("paid")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 2 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: client.to_string(),
            inference_id: "paid".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_tier_ids() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: Some(vec![tier(3), tier(4), tier(3)]),
        hosts: None,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, ContractError::DuplicateTier { id: 3 });
    w.check();
}

#[test]
fn attack_duplicate_hosts() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.hosts.push(m.hosts[0].clone());
    let dup = m.hosts[0].address.clone();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(e, ContractError::DuplicateHost { host: dup });
    w.check();
}

#[test]
fn attack_duplicate_lineage_datanet() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.lineage[1].datanet_id = 1;
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    w.check();
}

#[test]
fn attack_duplicate_datanet_in_a_signed_attribution() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "dup-datanet", &client);
    r.attribution = shares(&[(1, 5_000), (1, 5_000)]);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Oversized lists
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_batch_one_over_the_cap() {
    let mut w = world();
    let client = w.client.clone();
    let extra: Vec<usize> = if heavy() {
        vec![1, 2, 10, 50, 450]
    } else {
        vec![1]
    };
    for over in extra {
        let n = MAX_BATCH + over;
        let items: Vec<InferencePayment> = (0..n).map(|i| lineage(&format!("b-{i}"))).collect();
        let hook = ReceiveMsg::PayInferences { items };
        let e = refused(&mut w, |w| pay(w, &client, n as u128 * MODEL_FEE, &hook));
        assert_eq!(
            e,
            ContractError::BatchSize {
                got: n as u64,
                max: MAX_BATCH as u64
            }
        );
    }
    // Exactly the cap is paid.
    let items: Vec<InferencePayment> = (0..MAX_BATCH).map(|i| lineage(&format!("b-{i}"))).collect();
    pay(
        &mut w,
        &client,
        MAX_BATCH as u128 * MODEL_FEE,
        &ReceiveMsg::PayInferences { items },
    )
    .unwrap();
    book_fee(&mut w, &client, MAX_BATCH as u128 * MODEL_FEE);
    w.check();
}

#[test]
fn attack_oversized_empty_batch() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences { items: vec![] };
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::BatchSize {
            got: 0,
            max: MAX_BATCH as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_host_list() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let hosts: Vec<Host> = (0..=MAX_HOSTS)
        .map(|i| host(&w, w.s.addr(&format!("host-{i}")).as_str()))
        .collect();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(hosts),
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(
        e,
        ContractError::TooManyHosts {
            got: MAX_HOSTS as u64 + 1,
            max: MAX_HOSTS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_tier_list() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.tiers = (0..=MAX_TIERS as u32).map(tier).collect();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::TooManyTiers {
            got: MAX_TIERS as u64 + 1,
            max: MAX_TIERS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_lineage() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    // 17 entries: sixteen of 588 bps and one of 592.
    m.lineage = (1..=17u64)
        .map(|datanet_id| LineageEntry {
            datanet_id,
            version: 1,
            weight_bps: if datanet_id == 17 { 592 } else { 588 },
        })
        .collect();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 })
    );
    w.check();
}

#[test]
fn attack_oversized_signed_attribution() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "wide", &client);
    r.attribution = (1..=17u64)
        .map(|datanet_id| AttributionShare {
            datanet_id,
            weight_bps: if datanet_id == 17 { 592 } else { 588 },
        })
        .collect();
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 })
    );
    w.check();
}

#[test]
fn attack_oversized_inference_id() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInference(lineage(&"x".repeat(65)));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, ContractError::InvalidInferenceId { max: 64 });
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Amounts off by one
// ---------------------------------------------------------------------------------------------

fn fee_mismatch(expected: u128, received: u128) -> ContractError {
    ContractError::FeeMismatch {
        expected: Uint128::new(expected),
        received: Uint128::new(received),
    }
}

#[test]
fn attack_off_by_one_inference_fee_minus_one() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInference(lineage("cheap"));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE - 1, &hook));
    assert_eq!(e, fee_mismatch(MODEL_FEE, MODEL_FEE - 1));
    w.check();
}

#[test]
fn attack_off_by_one_inference_fee_plus_one() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInference(lineage("generous"));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE + 1, &hook));
    assert_eq!(e, fee_mismatch(MODEL_FEE, MODEL_FEE + 1));
    w.check();
}

#[test]
fn attack_off_by_one_batch_total_minus_one() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("1"), lineage("2"), lineage("3")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 3 * MODEL_FEE - 1, &hook));
    assert_eq!(e, fee_mismatch(3 * MODEL_FEE, 3 * MODEL_FEE - 1));
    w.check();
}

#[test]
fn attack_off_by_one_batch_total_plus_one() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("1"), lineage("2"), lineage("3")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 3 * MODEL_FEE + 1, &hook));
    assert_eq!(e, fee_mismatch(3 * MODEL_FEE, 3 * MODEL_FEE + 1));
    w.check();
}

#[test]
fn attack_off_by_one_licence_price_minus_one() {
    let mut w = world();
    add_tier(&mut w);
    let client = w.client.clone();
    let hook = buy_tier(1);
    let e = refused(&mut w, |w| pay(w, &client, PRICE - 1, &hook));
    assert_eq!(e, fee_mismatch(PRICE, PRICE - 1));
    w.check();
}

#[test]
fn attack_off_by_one_licence_price_plus_one() {
    let mut w = world();
    add_tier(&mut w);
    let client = w.client.clone();
    let hook = buy_tier(1);
    let e = refused(&mut w, |w| pay(w, &client, PRICE + 1, &hook));
    assert_eq!(e, fee_mismatch(PRICE, PRICE + 1));
    w.check();
}

#[test]
fn attack_off_by_one_licensed_inference_past_the_quota() {
    let mut w = world();
    licensed(&mut w);
    let client = w.client.clone();
    for i in 0..QUOTA {
        exec(&mut w, &client, &record(&format!("q-{i}"))).unwrap();
    }
    let e = refused(&mut w, |w| exec(w, &client, &record("q-extra")));
    assert_eq!(
        e,
        ContractError::QuotaExhausted {
            model_id: 1,
            quota: QUOTA
        }
    );
    w.check();
}

#[test]
fn attack_off_by_one_signed_attribution_summing_to_one_less() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "short", &client);
    r.attribution = shares(&[(1, 6_000), (2, 3_999)]);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::AttributionSum { sum: 9_999 })
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Replay of signed receipts
// ---------------------------------------------------------------------------------------------

fn invalid_receipt(model_id: u64, id: &str) -> ContractError {
    ContractError::InvalidReceiptSignature {
        model_id,
        inference_id: id.into(),
    }
}

#[test]
fn attack_replay_same_signed_receipt_twice() {
    let mut w = world();
    let client = w.client.clone();
    let r = good_receipt(&w, 1, "once", &client);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    pay(&mut w, &client, MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: client.to_string(),
            inference_id: "once".into()
        }
    );
    w.check();
}

#[test]
fn attack_replay_receipt_on_another_model() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let other = register(&mut w, &owner);
    let r = good_receipt(&w, 1, "moved", &client);
    let mut payment = signed_with(&w, &r);
    payment.model_id = other;
    let hook = ReceiveMsg::PayInference(payment);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(other, "moved"));
    w.check();
}

#[test]
fn attack_replay_receipt_for_another_contract_address() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "elsewhere", &client);
    r.contract = w.escrow.to_string();
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(1, "elsewhere"));
    w.check();
}

#[test]
fn attack_replay_receipt_for_another_chain_id() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "other-chain", &client);
    r.chain_id = "openledger-testnet-2".into();
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(1, "other-chain"));
    w.check();
}

#[test]
fn attack_replay_receipt_of_another_payer() {
    let mut w = world();
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let r = good_receipt(&w, 1, "borrowed", &client);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &agent, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(1, "borrowed"));
    w.check();
}

#[test]
fn attack_replay_receipt_with_another_attribution() {
    let mut w = world();
    let client = w.client.clone();
    let r = good_receipt(&w, 1, "tampered", &client);
    let mut payment = signed_with(&w, &r);
    payment.attribution = Some(shares(&[(1, 10_000)]));
    let hook = ReceiveMsg::PayInference(payment);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(1, "tampered"));
    w.check();
}

#[test]
fn attack_replay_receipt_signed_by_a_key_that_is_no_host() {
    let mut w = world();
    let client = w.client.clone();
    let r = good_receipt(&w, 1, "rogue", &client);
    let payment = InferencePayment {
        model_id: 1,
        inference_id: "rogue".into(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(HostKey::new("rogue-host").sign(&r)),
    };
    let hook = ReceiveMsg::PayInference(payment);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, invalid_receipt(1, "rogue"));
    w.check();
}

#[test]
fn attack_replay_licensed_inference_id_paid_again() {
    let mut w = world();
    licensed(&mut w);
    let client = w.client.clone();
    exec(&mut w, &client, &record("lic")).unwrap();
    let e = refused(&mut w, |w| {
        pay(
            w,
            &client,
            MODEL_FEE,
            &ReceiveMsg::PayInference(lineage("lic")),
        )
    });
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: client.to_string(),
            inference_id: "lic".into()
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Timing: licence expiry at t − 1, t, t + 1
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_timing_licensed_inference_at_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end - 1);
    exec(&mut w, &client, &record("last-second")).unwrap();
    w.at(end);
    let e = refused(&mut w, |w| exec(w, &client, &record("at-expiry")));
    assert_eq!(
        e,
        ContractError::LicenseExpired {
            model_id: 1,
            expired_at: expires_at
        }
    );
    w.check();
}

#[test]
fn attack_timing_licensed_inference_one_second_after_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end + 1);
    let e = refused(&mut w, |w| exec(w, &client, &record("late")));
    assert_eq!(
        e,
        ContractError::LicenseExpired {
            model_id: 1,
            expired_at: expires_at
        }
    );
    w.check();
}

#[test]
fn attack_timing_other_tier_one_second_before_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end - 1);
    let hook = buy_tier(2);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &hook));
    assert_eq!(
        e,
        ContractError::LicenseActive {
            model_id: 1,
            expires_at
        }
    );
    // At the end of the term the other tier may be bought.
    w.at(end);
    pay(&mut w, &client, PRICE, &hook).unwrap();
    book_fee(&mut w, &client, PRICE);
    w.check();
}

#[test]
fn attack_timing_payment_to_a_paused_model() {
    let mut w = world();
    w.set_model_status(ModelStatus::Paused);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        pay(
            w,
            &client,
            MODEL_FEE,
            &ReceiveMsg::PayInference(lineage("p")),
        )
    });
    assert_eq!(
        e,
        ContractError::ModelNotActive {
            model_id: 1,
            status: ModelStatus::Paused
        }
    );
    w.check();
}

#[test]
fn attack_timing_reactivating_a_retired_model() {
    let mut w = world();
    w.set_model_status(ModelStatus::Retired);
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Active,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, ContractError::ModelRetired { model_id: 1 });
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Malicious receivers
// ---------------------------------------------------------------------------------------------

/// A contract model owner armed to withdraw again from its cw20 hook: earnings are paid by
/// transfer, so the hook never runs and the owner receives exactly its 20 % once.
#[test]
fn attack_reentry_contract_model_owner_paid_by_transfer() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-owner");
    let models = w.models.clone();
    let register = bin(&ExecuteMsg::RegisterModel(new_model(&w)));
    let res = evil_calls(&mut w, &evil, vec![(&models, register)]).unwrap();
    let id: u64 = attr(&res, "model_id").parse().unwrap();
    let client = w.client.clone();
    let mut payment = lineage("to-evil");
    payment.model_id = id;
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(payment),
    )
    .unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    arm(
        &mut w,
        &evil,
        &models,
        bin(&ExecuteMsg::WithdrawEarnings {}),
    );
    evil_calls(
        &mut w,
        &evil,
        vec![(&models, bin(&ExecuteMsg::WithdrawEarnings {}))],
    )
    .unwrap();
    w.s.moved(&models, &evil, 200);
    w.check();
    assert_eq!(evil_hooks(&w, &evil), 0, "earnings are transfers");
    let e = refused(&mut w, |w| {
        evil_calls(
            w,
            &evil,
            vec![(&models, bin(&ExecuteMsg::WithdrawEarnings {}))],
        )
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    w.check();
}

/// A contract model owner withdraws twice in one transaction: the second is refused and the
/// first reverts with it.
#[test]
fn attack_reentry_contract_model_owner_withdraws_twice_in_one_transaction() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-owner");
    let models = w.models.clone();
    let register = bin(&ExecuteMsg::RegisterModel(new_model(&w)));
    let res = evil_calls(&mut w, &evil, vec![(&models, register)]).unwrap();
    let id: u64 = attr(&res, "model_id").parse().unwrap();
    let client = w.client.clone();
    let mut payment = lineage("to-evil");
    payment.model_id = id;
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(payment),
    )
    .unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    let withdraw = bin(&ExecuteMsg::WithdrawEarnings {});
    let e = refused(&mut w, |w| {
        evil_calls(
            w,
            &evil,
            vec![(&models, withdraw.clone()), (&models, withdraw)],
        )
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &evil), 200);
    w.check();
}

/// A contract payer pays an inference and, in the same transaction, pays the same id again:
/// the replay is refused and the first payment reverts with it.
#[test]
fn attack_reentry_contract_payer_pays_the_same_id_twice_in_one_transaction() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-payer");
    w.s.fund(&evil, 2 * MODEL_FEE);
    let (token, models) = (w.s.token.clone(), w.models.clone());
    let send = bin(&Cw20ExecuteMsg::Send {
        contract: models.to_string(),
        amount: Uint128::new(MODEL_FEE),
        msg: bin(&ReceiveMsg::PayInference(lineage("twice"))),
    });
    let e = refused(&mut w, |w| {
        evil_calls(w, &evil, vec![(&token, send.clone()), (&token, send)])
    });
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: evil.to_string(),
            inference_id: "twice".into()
        }
    );
    w.check();
}

/// A contract registered as a model's host is never paid or called: payments for the model
/// leave its hook untouched.
#[test]
fn attack_reentry_contract_host_is_never_called() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-host");
    let (owner, models, client) = (w.model_owner.clone(), w.models.clone(), w.client.clone());
    arm(
        &mut w,
        &evil,
        &models,
        bin(&ExecuteMsg::WithdrawEarnings {}),
    );
    let hosts = Some(vec![host(&w, evil.as_str())]);
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::UpdateModel {
            model_id: 1,
            metadata_uri: None,
            inference_fee: None,
            tiers: None,
            hosts,
        },
    )
    .unwrap();
    let r = good_receipt(&w, 1, "hosted", &client);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    pay(&mut w, &client, MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    w.check();
    assert_eq!(evil_hooks(&w, &evil), 0);
    assert_eq!(w.s.balance(&evil), 0);
}

// ---------------------------------------------------------------------------------------------
// Failing settlement submessages
// ---------------------------------------------------------------------------------------------

/// The pool refuses the `distribute` of a payment (model licensing was re-wired to the escrow,
/// which takes no such hook): the payment reverts as a whole, the owner is credited nothing.
#[test]
fn attack_failing_submessage_pool_refuses_the_distribution() {
    let mut w = world();
    let (deployer, escrow, client, owner) = (
        w.s.deployer.clone(),
        w.escrow.clone(),
        w.client.clone(),
        w.model_owner.clone(),
    );
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: Some(escrow.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let e = refused_any(&mut w, |w| {
        pay(
            w,
            &client,
            MODEL_FEE,
            &ReceiveMsg::PayInference(lineage("lost")),
        )
    })
    .downcast::<agent_escrow::ContractError>()
    .expect("the escrow's refusal");
    assert!(matches!(
        e,
        agent_escrow::ContractError::Hook(HookError::InvalidHook { .. })
    ));
    assert_eq!(earnings(&w, &owner), 0);
    w.check();
}

/// Licences bought while the pool refuses are refunded in full by the revert, too.
#[test]
fn attack_failing_submessage_pool_refuses_a_licence_purchase() {
    let mut w = world();
    add_tier(&mut w);
    let (deployer, escrow, client) = (w.s.deployer.clone(), w.escrow.clone(), w.client.clone());
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: Some(escrow.to_string()),
            registry: None,
        },
    )
    .unwrap();
    let hook = buy_tier(1);
    let e = refused_any(&mut w, |w| pay(w, &client, PRICE, &hook))
        .downcast::<agent_escrow::ContractError>()
        .expect("the escrow's refusal");
    assert!(matches!(
        e,
        agent_escrow::ContractError::Hook(HookError::InvalidHook { .. })
    ));
    w.check();
}
