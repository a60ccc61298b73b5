//! Adversarial suite of the agent escrow: one test per attack. Each refused attack asserts the
//! escrow's exact error, that no contract's raw storage and no party's OPEN or native balance
//! changed, and that every party's balance still matches the test's ledger. Attacks the escrow
//! absorbs (a model paused or repriced after delivery, a contract receiver) assert the exact
//! payouts.

use agent_escrow::ContractError;
use anyhow::Result as AnyResult;
use cosmwasm_std::testing::{mock_dependencies, mock_env};
use cosmwasm_std::{
    coins, from_json, to_json_binary, to_json_vec, Addr, Api, Binary, Deps, DepsMut, Empty, Env,
    MessageInfo, Reply, Response, StdResult, SubMsg, SubMsgResponse, SubMsgResult, Uint128,
    WasmMsg,
};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use openledger_common::msg::agent_escrow::{
    AgentStatus, ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus,
    MAX_AGENT_MODELS, MAX_INFERENCES, MAX_REASON_LEN,
};
use openledger_common::msg::model_licensing::{
    ExecuteMsg as ModelExec, InferencePayment, ModelStatus, ReceiveMsg as ModelHook,
};
use openledger_common::HookError;
use openledger_tests::escrow::{
    attr, world, World, ACCEPT, ARBITRATION, BOND, DELIVERY, MIN_BOND, MODEL_FEE, REVIEW, UNBONDING,
};
use openledger_tests::models::{receipt, shares};
use serde::{Deserialize, Serialize};

const DENOM: &str = "uopen";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs `attempt`, which must fail: no contract storage, no balance (OPEN or native) and no
/// task changed, the ledger holds and the escrow stays solvent. Returns the escrow's error.
fn refused(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> ContractError {
    refused_any(w, attempt)
        .downcast::<ContractError>()
        .expect("an escrow error")
}

/// [`refused`] for attempts that fail outside the escrow.
fn refused_any(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> anyhow::Error {
    let before = w.s.frozen();
    let e = w.refused(attempt);
    assert_eq!(w.s.frozen(), before, "a refused attempt changed state");
    e
}

/// The Display of the ownership error inside `e` (cw-ownable's error type).
fn ownership(e: ContractError) -> String {
    match e {
        ContractError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

fn update_ownership(action: serde_json::Value) -> ExecuteMsg {
    serde_json::from_value(serde_json::json!({ "update_ownership": action })).unwrap()
}

/// Gives `who` native coins and puts it in the ledger (so that its balances are watched).
fn give_native(w: &mut World, who: &Addr) {
    w.s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, who, coins(1_000, DENOM))
            .unwrap()
    });
    w.s.ledger.entry(who.clone()).or_insert(0);
}

/// `who` executes `msg` on the escrow with native coins attached.
fn with_coins(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
    let escrow = w.escrow.clone();
    w.s.app
        .execute_contract(who.clone(), escrow, msg, &coins(1, DENOM))
}

fn nonpayable() -> ContractError {
    ContractError::Payment(cw_utils::PaymentError::NonPayable {})
}

/// Attaching coins to `msg` from `who` is refused with `NonPayable`; without coins the same
/// message goes through (the coins were the only fault).
fn coins_refused_then_plain(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AppResponse {
    give_native(w, who);
    let e = refused(w, |w| with_coins(w, who, msg));
    assert_eq!(e, nonpayable());
    assert_eq!(
        w.s.app.wrap().query_balance(who, DENOM).unwrap().amount,
        Uint128::new(1_000)
    );
    w.exec(who, msg).expect("the same message without coins")
}

/// A second cw20 (same code as OPEN) whose whole supply `holder` holds.
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

/// `holder` sends `amount` of the second token `fake` to the escrow with `hook`.
fn fake_send(
    w: &mut World,
    fake: &Addr,
    holder: &Addr,
    amount: u128,
    hook: &ReceiveMsg,
) -> AnyResult<AppResponse> {
    let msg = Cw20ExecuteMsg::Send {
        contract: w.escrow.to_string(),
        amount: Uint128::new(amount),
        msg: to_json_binary(hook).unwrap(),
    };
    w.s.app
        .execute_contract(holder.clone(), fake.clone(), &msg, &[])
}

/// `wallet` calls the escrow's `receive` itself, claiming `amount` from `claimed_sender`.
fn forged_receive(
    w: &mut World,
    wallet: &Addr,
    claimed_sender: &Addr,
    amount: u128,
    msg: Binary,
) -> AnyResult<AppResponse> {
    w.exec(
        wallet,
        &ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: claimed_sender.to_string(),
            amount: Uint128::new(amount),
            msg,
        }),
    )
}

fn unexpected_token(w: &World, received: &Addr) -> ContractError {
    ContractError::Hook(HookError::UnexpectedToken {
        expected: w.s.token.to_string(),
        received: received.to_string(),
    })
}

/// `who` sends `amount` OPEN to the escrow with a raw hook message (ledger untouched).
fn raw_send(w: &mut World, who: &Addr, amount: u128, msg: &[u8]) -> AnyResult<AppResponse> {
    let (token, escrow) = (w.s.token.clone(), w.escrow.clone());
    w.s.app.execute_contract(
        who.clone(),
        token,
        &Cw20ExecuteMsg::Send {
            contract: escrow.to_string(),
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

/// The error `addr_validate` gives for `address`, as the escrow reports it in `field`.
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

/// An address of another chain (valid bech32, foreign prefix).
const FOREIGN: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

/// A harmless configuration change only the owner may make: the minimum bond + 1.
fn settle_config(_: &World) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        model_licensing: None,
        reward_pool: None,
        min_agent_bond: Some(Uint128::new(MIN_BOND + 1)),
        protocol_fee_bps: None,
        default_arbiter: None,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    }
}

fn config_update(default_arbiter: Option<String>, model_licensing: Option<String>) -> ExecuteMsg {
    ExecuteMsg::UpdateConfig {
        model_licensing,
        reward_pool: None,
        min_agent_bond: None,
        protocol_fee_bps: None,
        default_arbiter,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    }
}

/// Delivering a milestone that carries one model-1 inference pays its fee at once: model
/// licensing gets 1 000 (owner 200 kept there, 800 to the pool).
fn book_delivery_fee(w: &mut World) {
    let (escrow, models, pool) = (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
    w.s.moved(&escrow, &models, 200);
    w.s.moved(&escrow, &pool, 800);
}

/// Approving a 2 000 milestone whose one model-1 inference was paid at delivery: the pool gets
/// the 100 protocol fee, the agent 900.
fn book_paid_settlement(w: &mut World) {
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &agent, 900);
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
        /// cw20 hook: counted; re-enters `target` with `callback` when armed.
        Receive(Cw20ReceiveMsg),
        /// Executes every `(contract, msg)` in order, as this contract, in one transaction.
        Calls { calls: Vec<(String, Binary)> },
        /// Arms the hook.
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

/// `evil` executes every call in one transaction.
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

fn bin<T: Serialize>(msg: &T) -> Binary {
    to_json_binary(msg).unwrap()
}

/// `evil` (funded with `deposit`) creates a task of `amounts` for the world's agent by a cw20
/// send of its own: it is the client. Returns the task id.
fn evil_creates_task(w: &mut World, evil: &Addr, amounts: &[u128]) -> u64 {
    let deposit: u128 = amounts.iter().sum();
    w.s.fund(evil, deposit);
    let (token, escrow) = (w.s.token.clone(), w.escrow.clone());
    let task = w.new_task(amounts);
    let res = evil_calls(
        w,
        evil,
        vec![(
            &token,
            bin(&Cw20ExecuteMsg::Send {
                contract: escrow.to_string(),
                amount: Uint128::new(deposit),
                msg: bin(&ReceiveMsg::CreateTask(task)),
            }),
        )],
    )
    .unwrap();
    w.s.moved(evil, &escrow, deposit);
    attr(&res, "task_id").parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or from a wallet calling `receive` itself
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_register_agent_with_second_cw20() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let fake = second_token(&mut w, &mallory);
    let hook = ReceiveMsg::RegisterAgent {
        name: "mallory".into(),
        metadata_uri: String::new(),
        models: vec![1],
    };
    let e = refused(&mut w, |w| fake_send(w, &fake, &mallory, BOND, &hook));
    assert_eq!(e, unexpected_token(&w, &fake));
    w.check();
}

#[test]
fn attack_wrong_token_top_up_bond_with_second_cw20() {
    let mut w = world();
    let agent = w.agent.clone();
    let fake = second_token(&mut w, &agent);
    let e = refused(&mut w, |w| {
        fake_send(w, &fake, &agent, 50_000, &ReceiveMsg::TopUpBond {})
    });
    assert_eq!(e, unexpected_token(&w, &fake));
    assert_eq!(w.agent_info(&agent).bond.u128(), BOND);
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_create_task() {
    let mut w = world();
    let client = w.client.clone();
    let task = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| {
        forged_receive(
            w,
            &client,
            &client,
            1_000,
            bin(&ReceiveMsg::CreateTask(task)),
        )
    });
    assert_eq!(e, unexpected_token(&w, &client));
    assert_eq!(w.task_count(), 0);
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_register_agent() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let hook = bin(&ReceiveMsg::RegisterAgent {
        name: "mallory".into(),
        metadata_uri: String::new(),
        models: vec![],
    });
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &mallory, BOND, hook)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_top_up_another_agent() {
    let mut w = world();
    let (mallory, agent) = (w.s.addr("mallory"), w.agent.clone());
    let e = refused(&mut w, |w| {
        forged_receive(
            w,
            &mallory,
            &agent,
            1_000_000,
            bin(&ReceiveMsg::TopUpBond {}),
        )
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    assert_eq!(w.agent_info(&agent).bond.u128(), BOND);
    w.check();
}

#[test]
fn attack_wrong_token_zero_amount_send_of_open() {
    let mut w = world();
    let client = w.client.clone();
    let task = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| {
        raw_send(
            w,
            &client,
            0,
            &to_json_vec(&ReceiveMsg::CreateTask(task)).unwrap(),
        )
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
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, br#"{"steal":{}}"#));
    assert!(invalid_hook(e).contains("unknown variant"));
    w.check();
}

#[test]
fn attack_unknown_hook_malformed_json() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        raw_send(w, &client, 1_000, br#"{"create_task":{"agent":"#)
    });
    invalid_hook(e);
    w.check();
}

#[test]
fn attack_unknown_hook_missing_field() {
    let mut w = world();
    let client = w.client.clone();
    let mut task = serde_json::to_value(w.new_task(&[1_000])).unwrap();
    task.as_object_mut().unwrap().remove("milestones");
    let msg = serde_json::to_vec(&serde_json::json!({ "create_task": task })).unwrap();
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, &msg));
    assert!(invalid_hook(e).contains("milestones"));
    w.check();
}

#[test]
fn attack_unknown_hook_execute_message_smuggled_as_hook() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let client = w.client.clone();
    let msg = to_json_vec(&ExecuteMsg::CancelTask { task_id: id }).unwrap();
    let e = refused(&mut w, |w| raw_send(w, &client, 1, &msg));
    assert!(invalid_hook(e).contains("unknown variant"));
    assert_eq!(w.task(id).task.status, TaskStatus::Open);
    w.check();
}

#[test]
fn attack_unknown_hook_empty_message() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, b""));
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
    let task = w.new_task(&[1_000]);
    let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: w.client.to_string(),
        amount: Uint128::new(1_000),
        msg: bin(&ReceiveMsg::CreateTask(task)),
    });
    let e = refused(&mut w, |w| with_coins(w, &token, &msg));
    assert_eq!(e, nonpayable());
    w.check();
}

#[test]
fn attack_native_coins_on_accept_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::AcceptTask { task_id: id });
    w.check();
}

#[test]
fn attack_native_coins_on_decline_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let (agent, client, escrow) = (w.agent.clone(), w.client.clone(), w.escrow.clone());
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::DeclineTask { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_cancel_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let (client, escrow) = (w.client.clone(), w.escrow.clone());
    coins_refused_then_plain(&mut w, &client, &ExecuteMsg::CancelTask { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_submit_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    let agent = w.agent.clone();
    let msg = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![],
    };
    coins_refused_then_plain(&mut w, &agent, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_approve_milestone() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("coins-approve")])
        .unwrap();
    book_delivery_fee(&mut w);
    let client = w.client.clone();
    let msg = ExecuteMsg::ApproveMilestone {
        task_id: id,
        milestone: 0,
    };
    coins_refused_then_plain(&mut w, &client, &msg);
    book_paid_settlement(&mut w);
    w.check();
}

#[test]
fn attack_native_coins_on_dispute_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::DisputeMilestone {
        task_id: id,
        milestone: 0,
        reason: "late".into(),
    };
    coins_refused_then_plain(&mut w, &client, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_resolve() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let (arbiter, escrow, pool, agent) = (
        w.arbiter.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    coins_refused_then_plain(&mut w, &arbiter, &msg);
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_native_coins_on_finalize() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.at(w.now() + REVIEW);
    let (stranger, escrow, pool, agent) = (
        w.s.addr("stranger"),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    coins_refused_then_plain(&mut w, &stranger, &msg);
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_native_coins_on_refund() {
    let mut w = world();
    let id = w.create(&[1_000]);
    w.at(w.now() + ACCEPT);
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    coins_refused_then_plain(&mut w, &stranger, &ExecuteMsg::Refund { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_update_agent() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: Some("renamed".into()),
        metadata_uri: None,
        models: None,
    };
    coins_refused_then_plain(&mut w, &agent, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_unbond() {
    let mut w = world();
    let agent = w.agent.clone();
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::Unbond {});
    w.check();
}

#[test]
fn attack_native_coins_on_withdraw_bond() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    w.at(w.now() + UNBONDING);
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::WithdrawBond {});
    w.s.moved(&escrow, &agent, BOND);
    w.check();
}

#[test]
fn attack_native_coins_on_update_config() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = settle_config(&w);
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_ownership() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let heir = w.s.addr("heir");
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
    let stranger = w.s.addr("stranger");
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_config_by_default_arbiter() {
    let mut w = world();
    let arbiter = w.arbiter.clone();
    let msg = config_update(None, Some(arbiter.to_string()));
    let e = refused(&mut w, |w| w.exec(&arbiter, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_transfer_ownership_by_stranger() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": stranger.to_string(), "expiry": null }
    }));
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_renounce_ownership_by_agent() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = update_ownership(serde_json::json!("renounce_ownership"));
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_decline_by_client() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        w.exec(&client, &ExecuteMsg::DeclineTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_cancel_by_agent() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::CancelTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotClient { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_accept_by_another_registered_agent() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    w.register(&rival, BOND, vec![1]).unwrap();
    let e = refused(&mut w, |w| {
        w.exec(&rival, &ExecuteMsg::AcceptTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_submit_by_client() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    let client = w.client.clone();
    let msg = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![],
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_resolve_by_client() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 0,
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_resolve_by_agent() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_contract_owner_resolves() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 5_000,
    };
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_stranger_updates_agent_profile() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let msg = ExecuteMsg::UpdateAgent {
        name: Some("agent".into()),
        metadata_uri: None,
        models: None,
    };
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
    w.check();
}

#[test]
fn attack_unauthorized_client_unbonds_the_agent() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| w.exec(&client, &ExecuteMsg::Unbond {}));
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: client.to_string()
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Two-step ownership of the contract
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&mallory, &msg));
    assert_eq!(ownership(e), "There isn't a pending ownership transfer");
    w.check();
}

#[test]
fn attack_ownership_accept_by_someone_else_than_the_pending_owner() {
    let mut w = world();
    let (deployer, heir, mallory) = (w.s.deployer.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's pending owner");
    w.check();
}

#[test]
fn attack_ownership_pending_owner_configures_before_accepting() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&heir, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_previous_owner_configures_after_handover() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    w.exec(
        &heir,
        &update_ownership(serde_json::json!("accept_ownership")),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_accept_at_expiry() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let expiry = w.s.app.block_info().time.plus_seconds(100);
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": {
                "new_owner": heir.to_string(),
                "expiry": { "at_time": expiry.nanos().to_string() }
            }
        })),
    )
    .unwrap();
    w.at(expiry.seconds());
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&heir, &msg));
    assert_eq!(
        ownership(e),
        "A pending ownership transfer exists but it has expired"
    );
    w.check();
}

#[test]
fn attack_ownership_config_after_renouncing() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!("renounce_ownership")),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(ownership(e), "Contract ownership has been renounced");
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign and self-referencing addresses
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_address_upper_case_agent() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.agent = t.agent.to_uppercase();
    let expected = invalid_address(&w, "agent", &t.agent);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_agent() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.agent = FOREIGN.into();
    let expected = invalid_address(&w, "agent", FOREIGN);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_arbiter() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    let upper = w.s.addr("judge").to_string().to_uppercase();
    t.arbiter = Some(upper.clone());
    let expected = invalid_address(&w, "arbiter", &upper);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_arbiter() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(FOREIGN.into());
    let expected = invalid_address(&w, "arbiter", FOREIGN);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_default_arbiter() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let expected = invalid_address(&w, "default_arbiter", FOREIGN);
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(FOREIGN.into()), None))
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_model_licensing() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.models.to_string().to_uppercase();
    let expected = invalid_address(&w, "model_licensing", &upper);
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(None, Some(upper.clone())))
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_escrow_itself_as_default_arbiter() {
    let mut w = world();
    let (deployer, escrow) = (w.s.deployer.clone(), w.escrow.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(escrow.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "escrow".into(),
            address: escrow.to_string()
        }
    );
    w.check();
}

#[test]
fn attack_address_token_as_default_arbiter() {
    let mut w = world();
    let (deployer, token) = (w.s.deployer.clone(), w.s.token.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(token.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "token".into(),
            address: token.to_string()
        }
    );
    w.check();
}

#[test]
fn attack_address_pool_as_default_arbiter() {
    let mut w = world();
    let (deployer, pool) = (w.s.deployer.clone(), w.s.pool.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(pool.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "reward_pool".into(),
            address: pool.to_string()
        }
    );
    w.check();
}

#[test]
fn attack_address_model_licensing_moved_onto_the_default_arbiter() {
    let mut w = world();
    let (deployer, arbiter) = (w.s.deployer.clone(), w.arbiter.clone());
    // Re-wiring model licensing to the default arbiter's address would make a protocol
    // contract the arbiter of every task.
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(None, Some(arbiter.to_string())))
    });
    assert_eq!(
        e,
        ContractError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "model_licensing".into(),
            address: arbiter.to_string()
        }
    );
    w.check();
}

/// The owner wires the escrow to itself as reward pool (the configuration accepts it): every
/// settlement's protocol fee then comes back to the escrow as a hook it does not take, and the
/// approval reverts as a whole. Nothing moves and the milestone stays in review.
#[test]
fn attack_address_escrow_wired_as_its_own_reward_pool() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let (deployer, escrow, token, models) = (
        w.s.deployer.clone(),
        w.escrow.clone(),
        w.s.token.clone(),
        w.models.clone(),
    );
    // The escrow, the token or model licensing as the pool, and the escrow or the token as model
    // licensing, would make every settlement fail: each wiring is refused.
    for (pool, licensing, contract, role, address) in [
        (Some(&escrow), None, "escrow", "reward_pool", &escrow),
        (Some(&token), None, "token", "reward_pool", &token),
        (None, Some(&escrow), "escrow", "model_licensing", &escrow),
        (None, Some(&token), "token", "model_licensing", &token),
        (
            Some(&models),
            None,
            "reward_pool",
            "model_licensing",
            &models,
        ),
    ] {
        let mut rewire = config_update(None, licensing.map(|a| a.to_string()));
        if let ExecuteMsg::UpdateConfig { reward_pool, .. } = &mut rewire {
            *reward_pool = pool.map(|a| a.to_string());
        }
        let e = refused(&mut w, |w| w.exec(&deployer, &rewire));
        assert_eq!(
            e,
            ContractError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: address.to_string(),
            }
        );
    }
    // The milestone still settles.
    w.approve(id, 0).unwrap();
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Approved);
}

#[test]
fn attack_address_client_as_its_own_agent() {
    let mut w = world();
    let client = w.client.clone();
    w.register(&client, BOND, vec![]).unwrap();
    let mut t = w.new_task(&[1_000]);
    t.agent = client.to_string();
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, ContractError::ClientIsAgent);
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
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    let reason = w.s.app.api().addr_validate(&upper).unwrap_err().to_string();
    assert_eq!(ownership(e), reason);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Duplicate ids
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_inference_in_one_submission() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    let twice = vec![w.lineage_inference("dup"), w.lineage_inference("dup")];
    let e = refused(&mut w, |w| w.submit(id, 0, twice));
    assert_eq!(
        e,
        ContractError::DuplicateInference {
            model_id: 1,
            inference_id: "dup".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_models_at_registration() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    let e = refused(&mut w, |w| w.register(&rival, BOND, vec![1, 1]));
    assert_eq!(e, ContractError::DuplicateModel { model_id: 1 });
    w.check();
}

#[test]
fn attack_duplicate_models_in_profile_update() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: Some(vec![1, 1]),
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(e, ContractError::DuplicateModel { model_id: 1 });
    w.check();
}

/// A contract client approves the same milestone twice in one transaction: the second
/// approval fails and the whole transaction, the first payout included, reverts.
#[test]
fn attack_duplicate_milestone_approval_in_one_transaction() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    let escrow = w.escrow.clone();
    let approve = bin(&ExecuteMsg::ApproveMilestone {
        task_id: id,
        milestone: 0,
    });
    let e = refused(&mut w, |w| {
        evil_calls(
            w,
            &evil,
            vec![(&escrow, approve.clone()), (&escrow, approve)],
        )
    });
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Submitted);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Oversized lists and fields
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_inference_list() {
    let mut w = world();
    let id = w.accepted(&[100_000]);
    let many: Vec<InferencePayment> = (0..=MAX_INFERENCES)
        .map(|i| w.lineage_inference(&format!("i-{i}")))
        .collect();
    let e = refused(&mut w, |w| w.submit(id, 0, many));
    assert_eq!(
        e,
        ContractError::TooManyInferences {
            count: MAX_INFERENCES as u64 + 1,
            max: MAX_INFERENCES as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_model_list_at_registration() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    let models: Vec<u64> = (1..=MAX_AGENT_MODELS as u64 + 1).collect();
    let e = refused(&mut w, |w| w.register(&rival, BOND, models));
    assert_eq!(
        e,
        ContractError::TooManyModels {
            count: MAX_AGENT_MODELS as u64 + 1,
            max: MAX_AGENT_MODELS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_model_list_in_profile_update() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: Some(vec![1; 100]),
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(
        e,
        ContractError::TooManyModels {
            count: 100,
            max: MAX_AGENT_MODELS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_milestone_list() {
    let mut w = world();
    let t = w.new_task(&[1; 1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::MilestoneCount {
            count: 1_000,
            max: 10
        }
    );
    w.check();
}

#[test]
fn attack_oversized_inference_id() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    let long = w.lineage_inference(&"x".repeat(65));
    let e = refused(&mut w, |w| w.submit(id, 0, vec![long]));
    assert_eq!(
        e,
        ContractError::InvalidInferenceId {
            inference_id: "x".repeat(65),
            max: 64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_dispute_reason() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::DisputeMilestone {
        task_id: id,
        milestone: 0,
        reason: "r".repeat(MAX_REASON_LEN + 1),
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(
        e,
        ContractError::InvalidText {
            field: "reason".into(),
            min: 1,
            max: MAX_REASON_LEN as u64
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Amounts off by one
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_off_by_one_deposit_one_below_milestones() {
    let mut w = world();
    let t = w.new_task(&[600, 400]);
    let e = refused(&mut w, |w| w.create_with(999, t));
    assert_eq!(
        e,
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(999),
            sum: Uint128::new(1_000)
        }
    );
    w.check();
}

#[test]
fn attack_off_by_one_deposit_one_above_milestones() {
    let mut w = world();
    let t = w.new_task(&[600, 400]);
    let e = refused(&mut w, |w| w.create_with(1_001, t));
    assert_eq!(
        e,
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_001),
            sum: Uint128::new(1_000)
        }
    );
    w.check();
}

#[test]
fn attack_off_by_one_bond_one_below_minimum() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, MIN_BOND);
    let e = refused(&mut w, |w| w.register(&rival, MIN_BOND - 1, vec![1]));
    assert_eq!(
        e,
        ContractError::BondTooLow {
            bond: Uint128::new(MIN_BOND - 1),
            required: Uint128::new(MIN_BOND)
        }
    );
    // Exactly the minimum registers.
    w.register(&rival, MIN_BOND, vec![1]).unwrap();
    w.check();
}

#[test]
fn attack_off_by_one_agent_bond_below_raised_minimum() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let mut raise = settle_config(&w);
    if let ExecuteMsg::UpdateConfig { min_agent_bond, .. } = &mut raise {
        *min_agent_bond = Some(Uint128::new(BOND + 1));
    }
    w.exec(&deployer, &raise).unwrap();
    let t = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::BondTooLow {
            bond: Uint128::new(BOND),
            required: Uint128::new(BOND + 1)
        }
    );
    w.check();
}

/// A milestone of 1 052 leaves 1 052 − 53 = 999 after the protocol fee (52.6, rounded up):
/// one short of the model fee. 1 053 leaves exactly 1 000 and is taken. (0.2.0 rounded the
/// fee down: 1 052 left 1 000.)
#[test]
fn attack_off_by_one_model_fee_one_above_what_the_milestone_leaves() {
    let mut w = world();
    let id = w.accepted(&[1_052, 1_053]);
    let inference = vec![w.lineage_inference("tight")];
    let e = refused(&mut w, |w| w.submit(id, 0, inference));
    assert_eq!(
        e,
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(MODEL_FEE),
            available: Uint128::new(MODEL_FEE - 1)
        }
    );
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 53);
    w.s.moved(&escrow, &agent, 999);
    w.submit(id, 1, vec![w.lineage_inference("tight")]).unwrap();
    book_delivery_fee(&mut w);
    w.check();
}

#[test]
fn attack_off_by_one_ruling_share_too_small_for_the_model_fee() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("costly")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.dispute(id, 0).unwrap();
    // 4 999 bps of 2 000 = 999 (rounded down): below the 1 000 model fee (protocol fee 49.95,
    // rounded up to 50).
    let e = refused(&mut w, |w| w.resolve(id, 0, 4_999));
    assert_eq!(
        e,
        ContractError::AgentShareBelowCosts {
            agent_share: Uint128::new(999),
            model_fees: Uint128::new(MODEL_FEE),
            protocol_fee: Uint128::new(50)
        }
    );
    w.check();
}

#[test]
fn attack_unauthorized_top_up_by_a_non_agent() {
    let mut w = world();
    let client = w.client.clone();
    let escrow = w.escrow.clone();
    let e = refused(&mut w, |w| {
        w.s.send(&client, &escrow, 1, &ReceiveMsg::TopUpBond {})
    });
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: client.to_string()
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_submit_of_a_settled_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    let e = refused(&mut w, |w| w.submit(id, 0, vec![]));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    w.check();
}

#[test]
fn attack_replay_resubmit_of_a_submitted_milestone() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    w.submit(id, 0, vec![]).unwrap();
    let extra = vec![w.lineage_inference("late-fee")];
    let e = refused(&mut w, |w| w.submit(id, 0, extra));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySubmitted {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    w.check();
}

#[test]
fn attack_replay_finalize_after_resolution() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    w.resolve(id, 0, 10_000).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.at(w.now() + REVIEW);
    let stranger = w.s.addr("stranger");
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    w.check();
}

/// The signed receipt of an inference already paid through one task is submitted again on a
/// second task: model licensing refuses the replayed id in the delivery's own fee payment, so
/// the submission fails and nothing moves. Nothing is paid twice. (0.2.0 recorded it, and the
/// refused fee went back to the client at settlement.)
#[test]
fn attack_replay_same_signed_receipt_on_a_second_task() {
    let mut w = world();
    let signed = w.signed_inference("once", shares(&[(1, 5_000), (2, 5_000)]));
    let first = w.accepted(&[2_000]);
    w.submit(first, 0, vec![signed.clone()]).unwrap();
    book_delivery_fee(&mut w);
    w.approve(first, 0).unwrap();
    book_paid_settlement(&mut w);
    w.check();
    let second = w.accepted(&[2_000]);
    let escrow = w.escrow.clone();
    let e = refused_any(&mut w, |w| w.submit(second, 0, vec![signed]));
    assert_eq!(
        e.downcast::<model_licensing::ContractError>().unwrap(),
        model_licensing::ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: escrow.to_string(),
            inference_id: "once".into()
        }
    );
    let t = w.task(second);
    assert_eq!(
        (t.milestones[0].status, t.task.model_fees_paid.u128()),
        (MilestoneStatus::Pending, 0)
    );
}

// ---------------------------------------------------------------------------------------------
// Timing at t − 1, t, t + 1 of every deadline
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_timing_accept_at_the_end_of_the_window() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let early = w.create(&[1_000]);
    let late = w.create(&[1_000]);
    let agent = w.agent.clone();
    w.at(end - 1);
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: early })
        .unwrap();
    w.at(end);
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: late })
    });
    assert_eq!(
        e,
        ContractError::AcceptWindowClosed {
            task_id: late,
            accept_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_accept_one_second_after_the_window() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    w.at(end + 1);
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
    });
    assert_eq!(
        e,
        ContractError::AcceptWindowClosed {
            task_id: id,
            accept_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_submit_at_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let early = w.accepted(&[1_000]);
    let late = w.accepted(&[1_000]);
    w.at(deadline - 1);
    w.submit(early, 0, vec![]).unwrap();
    w.at(deadline);
    let e = refused(&mut w, |w| w.submit(late, 0, vec![]));
    assert_eq!(
        e,
        ContractError::DeliveryDeadlinePassed {
            task_id: late,
            deadline
        }
    );
    w.check();
}

#[test]
fn attack_timing_submit_one_second_after_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let id = w.accepted(&[1_000]);
    w.at(deadline + 1);
    let e = refused(&mut w, |w| w.submit(id, 0, vec![]));
    assert_eq!(
        e,
        ContractError::DeliveryDeadlinePassed {
            task_id: id,
            deadline
        }
    );
    // From the deadline on, the client gets everything back.
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_dispute_at_the_end_of_the_review_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end);
    let e = refused(&mut w, |w| w.dispute(id, 0));
    assert_eq!(
        e,
        ContractError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_finalize_one_second_before_the_review_window_ends() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end - 1);
    let agent = w.agent.clone();
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(
        e,
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_dispute_one_second_after_the_review_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end + 1);
    let e = refused(&mut w, |w| w.dispute(id, 0));
    assert_eq!(
        e,
        ContractError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    // Finalize is open from the end on.
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.exec(
        &agent,
        &ExecuteMsg::Finalize {
            task_id: id,
            milestone: 0,
        },
    )
    .unwrap();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_timing_resolve_one_second_after_the_arbitration_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end + 1);
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_resolve_at_the_last_second_then_refund_refused() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowOpen {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    // t − 1 is still within the window: the ruling goes through (fully for the client, with
    // the task's reservation: min(1 000, 50 % of the bond)).
    w.resolve(id, 0, 0).unwrap();
    let (escrow, client) = (w.escrow.clone(), w.client.clone());
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    w.check();
}

#[test]
fn attack_timing_resolve_at_the_arbitration_deadline() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end);
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    // From the deadline on, the silent arbiter's milestone goes back to the client.
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_refund_one_second_before_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let id = w.accepted(&[1_000]);
    w.at(deadline - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    // The agent still delivers in that last second.
    w.submit(id, 0, vec![]).unwrap();
    w.check();
}

#[test]
fn attack_timing_refund_one_second_before_the_accept_window_ends() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let id = w.create(&[1_000]);
    w.at(end - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::AcceptWindowOpen {
            task_id: id,
            accept_deadline: end
        }
    );
    w.at(end);
    let (escrow, client) = (w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_withdraw_bond_one_second_before_release() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    let release_at = w.now() + UNBONDING;
    w.at(release_at - 1);
    let e = refused(&mut w, |w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(e, ContractError::BondLocked { release_at });
    w.at(release_at);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    w.s.moved(&escrow, &agent, BOND);
    w.check();
}

#[test]
fn attack_timing_withdraw_bond_twice_after_release() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    w.at(w.now() + UNBONDING + 1);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    w.s.moved(&escrow, &agent, BOND);
    let e = refused(&mut w, |w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(e, ContractError::NotUnbonding);
    assert_eq!(w.agent_info(&agent).status, AgentStatus::Withdrawn);
    w.check();
}

#[test]
fn attack_timing_unbonding_agent_is_given_a_task() {
    let mut w = world();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    let t = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::AgentNotActive {
            address: agent.to_string()
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Arbiter overreach
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_arbiter_share_above_ten_thousand_bps() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_001));
    assert_eq!(
        e,
        ContractError::InvalidBps {
            field: "agent_share_bps".into(),
            bps: 10_001
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_share_of_u16_max() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, u16::MAX));
    assert_eq!(
        e,
        ContractError::InvalidBps {
            field: "agent_share_bps".into(),
            bps: u16::MAX
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_twice() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    w.resolve(id, 0, 5_000).unwrap();
    // 500 for the agent's side: protocol 25, agent 475; 500 back to the client.
    let (escrow, pool, agent, client) = (
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
        w.client.clone(),
    );
    w.s.moved(&escrow, &pool, 25);
    w.s.moved(&escrow, &agent, 475);
    w.s.moved(&escrow, &client, 500);
    w.check();
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_on_a_later_milestone_than_the_disputed_one() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 1, 10_000));
    assert_eq!(
        e,
        ContractError::NotCurrentMilestone {
            task_id: id,
            milestone: 1,
            current: 0
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_on_a_milestone_that_does_not_exist() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 7, 10_000));
    assert_eq!(
        e,
        ContractError::MilestoneNotFound {
            task_id: id,
            milestone: 7
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_of_one_task_rules_on_another() {
    let mut w = world();
    let judge = w.s.addr("judge");
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(judge.to_string());
    let own = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let other = w.accepted(&[1_000]);
    w.submit(other, 0, vec![]).unwrap();
    w.dispute(other, 0).unwrap();
    assert_eq!(w.task(own).task.arbiter, judge);
    let msg = ExecuteMsg::Resolve {
        task_id: other,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    let e = refused(&mut w, |w| w.exec(&judge, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: other });
    w.check();
}

#[test]
fn attack_arbiter_default_arbiter_rules_on_a_task_with_its_own_arbiter() {
    let mut w = world();
    let judge = w.s.addr("judge");
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(judge.to_string());
    let id = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, 0));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

/// A ruling of 0 slashes the bond reserved for its task when it was accepted, never more than
/// the task's value: two lost disputes on tasks of 1 000 take 1 000 each of a 10 000 bond
/// (0.2.0 took 50 % of what was left each time: 5 000 then 2 500), and the escrow stays
/// solvent.
#[test]
fn attack_arbiter_slashes_at_most_the_tasks_reservation() {
    let mut w = world();
    let (escrow, client, agent) = (w.escrow.clone(), w.client.clone(), w.agent.clone());
    let a = w.accepted(&[1_000]);
    let b = w.accepted(&[1_000]);
    for id in [a, b] {
        assert_eq!(w.task(id).task.bond_reserved, Some(Uint128::new(1_000)));
        w.submit(id, 0, vec![]).unwrap();
        w.dispute(id, 0).unwrap();
    }
    w.resolve(a, 0, 0).unwrap();
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    w.resolve(b, 0, 0).unwrap();
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    let info = w.agent_info(&agent);
    assert_eq!((info.bond.u128(), info.reserved.u128()), (BOND - 2_000, 0));
    assert_eq!(w.task(b).task.slashed.u128(), 1_000);
    w.check();
}

/// A contract arbiter rules twice in one transaction (once for the client, once for the
/// agent): the second ruling fails and the first is reverted with it.
#[test]
fn attack_arbiter_contract_rules_twice_in_one_transaction() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-arbiter");
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(evil.to_string());
    let id = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let escrow = w.escrow.clone();
    let rule = |share| {
        bin(&ExecuteMsg::Resolve {
            task_id: id,
            milestone: 0,
            agent_share_bps: share,
        })
    };
    let e = refused(&mut w, |w| {
        evil_calls(w, &evil, vec![(&escrow, rule(0)), (&escrow, rule(10_000))])
    });
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Disputed);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Malicious receivers during settlement
// ---------------------------------------------------------------------------------------------

/// A contract client armed to cancel its task again from its cw20 hook: refunds are cw20
/// transfers, so the hook never runs and the client receives exactly its deposit once.
#[test]
fn attack_reentry_client_contract_refunded_by_transfer() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_500]);
    let (deployer, escrow, agent) = (w.s.deployer.clone(), w.escrow.clone(), w.agent.clone());
    w.s.app
        .execute_contract(
            deployer,
            evil.clone(),
            &evil::Msg::Arm {
                target: escrow.to_string(),
                callback: bin(&ExecuteMsg::CancelTask { task_id: id }),
            },
            &[],
        )
        .unwrap();
    w.exec(&agent, &ExecuteMsg::DeclineTask { task_id: id })
        .unwrap();
    w.s.moved(&escrow, &evil, 1_500);
    w.check();
    assert_eq!(evil_hooks(&w, &evil), 0, "refunds are transfers");
    // Its callback, run by hand, meets a finished task.
    let e = refused(&mut w, |w| {
        evil_calls(
            w,
            &evil,
            vec![(&escrow, bin(&ExecuteMsg::CancelTask { task_id: id }))],
        )
    });
    assert_eq!(
        e,
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Declined
        }
    );
    w.check();
}

/// A contract client approves, then immediately (same transaction) tries to refund the rest
/// of the task: the refund is refused and the approval reverts with it.
#[test]
fn attack_reentry_client_contract_approves_then_refunds_in_one_transaction() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    let e = refused(&mut w, |w| {
        evil_calls(
            w,
            &evil,
            vec![
                (
                    &escrow,
                    bin(&ExecuteMsg::ApproveMilestone {
                        task_id: id,
                        milestone: 0,
                    }),
                ),
                (&escrow, bin(&ExecuteMsg::Refund { task_id: id })),
            ],
        )
    });
    let deadline = w.task(id).task.delivery_deadline;
    assert_eq!(
        e,
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    w.check();
}

/// A contract client whose hook tries to approve the next milestone whenever OPEN arrives:
/// an arbiter's ruling pays it by transfer, the hook stays silent, and the payout is exact.
#[test]
fn attack_reentry_client_contract_paid_by_a_ruling() {
    let mut w = world();
    let evil = deploy_evil(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let (agent, escrow, deployer, pool) = (
        w.agent.clone(),
        w.escrow.clone(),
        w.s.deployer.clone(),
        w.s.pool.clone(),
    );
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    evil_calls(
        &mut w,
        &evil,
        vec![(
            &escrow,
            bin(&ExecuteMsg::DisputeMilestone {
                task_id: id,
                milestone: 0,
                reason: "no".into(),
            }),
        )],
    )
    .unwrap();
    w.s.app
        .execute_contract(
            deployer,
            evil.clone(),
            &evil::Msg::Arm {
                target: escrow.to_string(),
                callback: bin(&ExecuteMsg::ApproveMilestone {
                    task_id: id,
                    milestone: 1,
                }),
            },
            &[],
        )
        .unwrap();
    w.resolve(id, 0, 2_500).unwrap();
    // 250 for the agent's side (protocol 12.5, rounded up to 13; agent 237); 750 back to the
    // client.
    w.s.moved(&escrow, &pool, 13);
    w.s.moved(&escrow, &agent, 237);
    w.s.moved(&escrow, &evil, 750);
    w.check();
    assert_eq!(evil_hooks(&w, &evil), 0);
    assert_eq!(w.task(id).milestones[1].status, MilestoneStatus::Pending);
}

// ---------------------------------------------------------------------------------------------
// Failing settlement submessages and replies
// ---------------------------------------------------------------------------------------------

/// The milestone's model fee was paid at delivery: whatever happened to the model since, the
/// approval pays the protocol 100 and the agent 900, the model and its data keep the 1 000
/// and nothing goes back to the client. (0.2.0 paid the fee at settlement: model licensing
/// refused it and the client got it back, so the model and its data went unpaid.)
fn fee_paid_at_delivery_settles(w: &mut World, id: u64) {
    w.approve(id, 0).unwrap();
    book_paid_settlement(w);
    w.check();
    let t = w.task(id);
    assert_eq!(t.task.status, TaskStatus::Completed);
    let fee = &t.milestones[0].inferences[0];
    assert_eq!(
        (fee.status, fee.error.as_deref()),
        (ModelFeeStatus::Paid, None)
    );
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128(),
            t.task.paid_to_agent.u128()
        ),
        (MODEL_FEE, 0, 900)
    );
}

#[test]
fn attack_model_paused_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("paused")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.set_model_status(ModelStatus::Paused);
    fee_paid_at_delivery_settles(&mut w, id);
}

#[test]
fn attack_model_retired_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("retired")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.set_model_status(ModelStatus::Retired);
    fee_paid_at_delivery_settles(&mut w, id);
}

#[test]
fn attack_model_fee_raised_after_delivery_before_approval() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("repriced")])
        .unwrap();
    book_delivery_fee(&mut w);
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    w.s.app
        .execute_contract(
            owner,
            models,
            &ModelExec::UpdateModel {
                model_id: 1,
                metadata_uri: None,
                inference_fee: Some(Uint128::new(MODEL_FEE + 1)),
                tiers: None,
                hosts: None,
            },
            &[],
        )
        .unwrap();
    fee_paid_at_delivery_settles(&mut w, id);
}

/// Someone pays the inference id the agent's delivery will use, first: ids are per payer, so
/// the escrow's payment of the same id still goes through and the delivery is paid.
#[test]
fn attack_inference_id_paid_directly_before_delivery() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    let (mallory, models, pool) = (w.s.addr("mallory"), w.models.clone(), w.s.pool.clone());
    w.s.fund(&mallory, MODEL_FEE);
    w.s.send(
        &mallory,
        &models,
        MODEL_FEE,
        &ModelHook::PayInference(w.lineage_inference("front-run")),
    )
    .unwrap();
    w.s.moved(&mallory, &models, 200);
    w.s.moved(&mallory, &pool, 800);
    w.submit(id, 0, vec![w.lineage_inference("front-run")])
        .unwrap();
    book_delivery_fee(&mut w);
    fee_paid_at_delivery_settles(&mut w, id);
}

/// A receipt signed with the client as payer: the escrow pays at delivery, model licensing
/// refuses the receipt and the whole submission fails with its error; nothing moves.
#[test]
fn attack_receipt_signed_for_another_payer_fails_the_delivery() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    let attribution = shares(&[(1, 7_000), (2, 3_000)]);
    let r = receipt(
        &w.s,
        &w.models,
        1,
        "wrong-payer",
        &w.client,
        MODEL_FEE,
        attribution.clone(),
    );
    let payment = InferencePayment {
        model_id: 1,
        inference_id: "wrong-payer".into(),
        attribution: Some(attribution),
        receipt_signature: Some(w.host.sign(&r)),
    };
    let e = refused_any(&mut w, |w| w.submit(id, 0, vec![payment]));
    assert_eq!(
        e.downcast::<model_licensing::ContractError>().unwrap(),
        model_licensing::ContractError::InvalidReceiptSignature {
            model_id: 1,
            inference_id: "wrong-payer".into()
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Pending);
}

#[test]
fn attack_failing_submessage_unknown_reply_id() {
    let mut deps = mock_dependencies();
    for id in [0, 2, 42, u64::MAX] {
        #[allow(deprecated)]
        let r = Reply {
            id,
            payload: Binary::default(),
            gas_used: 0,
            result: SubMsgResult::Err("refused".into()),
        };
        assert_eq!(
            agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
            ContractError::UnknownReplyId { id }
        );
    }
}

#[test]
fn attack_failing_submessage_successful_model_fee_reply() {
    let mut deps = mock_dependencies();
    #[allow(deprecated)]
    let r = Reply {
        id: agent_escrow::state::REPLY_MODEL_FEE,
        payload: Binary::default(),
        gas_used: 0,
        result: SubMsgResult::Ok(SubMsgResponse {
            events: vec![],
            data: None,
            msg_responses: vec![],
        }),
    };
    assert_eq!(
        agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
        ContractError::UnexpectedReply {
            id: agent_escrow::state::REPLY_MODEL_FEE
        }
    );
}

#[test]
fn attack_failing_submessage_reply_for_a_fee_never_sent() {
    let mut deps = mock_dependencies();
    let payload = agent_escrow::state::ModelFeePayload {
        task_id: 9,
        milestone: 0,
        item: 0,
        amount: Uint128::new(MODEL_FEE),
    };
    let r = Reply {
        id: agent_escrow::state::REPLY_MODEL_FEE,
        payload: to_json_binary(&payload).unwrap(),
        gas_used: 0,
        result: SubMsgResult::Err("refused".into()),
    };
    assert_eq!(
        agent_escrow::contract::reply(deps.as_mut(), mock_env(), r).unwrap_err(),
        ContractError::ReplyMismatch {
            task_id: 9,
            milestone: 0,
            item: 0
        }
    );
}
