//! The one hostile contract of the suite. It executes batches of messages as itself in one
//! transaction (a contract client, agent or payer), counts the cw20 hooks it receives and,
//! when armed, re-enters a target contract from its hook; asked like model licensing, it
//! answers that every model exists, is active and costs `MODEL_FEE`, so it can also stand for
//! a fake model licensing contract that calls back from `pay_inference`.

use anyhow::Result as AnyResult;
use cosmwasm_std::{
    from_json, to_json_binary, to_json_vec, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo,
    Response, StdResult, SubMsg, Timestamp, Uint128, WasmMsg,
};
use cw20::Cw20ReceiveMsg;
use cw_multi_test::{AppResponse, Contract, ContractWrapper, Executor};
use openledger_common::msg::model_licensing::{ModelResponse, ModelStatus};
use serde::{Deserialize, Serialize};

use crate::escrow::MODEL_FEE;
use crate::Suite;

/// What the hostile contract executes.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "snake_case")]
pub enum ExecuteMsg {
    /// cw20 hook: counted; re-enters the armed target with the armed callback, if any.
    Receive(Cw20ReceiveMsg),
    /// Executes every `(contract, msg)` in order, as this contract, in one transaction.
    Calls { calls: Vec<(String, Binary)> },
    /// Arms the hook with `callback` for `target`, or disarms it when `callback` is `None`.
    Arm {
        target: String,
        callback: Option<Binary>,
    },
}

/// What the hostile contract answers.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "snake_case")]
pub enum QueryMsg {
    /// How many cw20 hooks arrived.
    Hooks {},
    /// Answers like model licensing: every model exists, is active and costs `MODEL_FEE`.
    Model { model_id: u64 },
}

const HOOKS: &[u8] = b"hooks";
const TARGET: &[u8] = b"target";
const CALLBACK: &[u8] = b"callback";

fn hook_count(deps: Deps) -> StdResult<u64> {
    deps.storage
        .get(HOOKS)
        .map_or(Ok(0), |v| from_json(v.as_slice()))
}

fn execute(deps: DepsMut, _: Env, _: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    match msg {
        ExecuteMsg::Receive(_) => {
            let n = hook_count(deps.as_ref())? + 1;
            deps.storage.set(HOOKS, &to_json_vec(&n)?);
            let mut res = Response::new();
            if let (Some(target), Some(callback)) =
                (deps.storage.get(TARGET), deps.storage.get(CALLBACK))
            {
                res = res.add_message(WasmMsg::Execute {
                    contract_addr: from_json(target.as_slice())?,
                    msg: Binary::from(callback),
                    funds: vec![],
                });
            }
            Ok(res)
        }
        ExecuteMsg::Calls { calls } => Ok(Response::new().add_submessages(calls.into_iter().map(
            |(contract_addr, msg)| {
                SubMsg::new(WasmMsg::Execute {
                    contract_addr,
                    msg,
                    funds: vec![],
                })
            },
        ))),
        ExecuteMsg::Arm { target, callback } => {
            deps.storage.set(TARGET, &to_json_vec(&target)?);
            match callback {
                Some(callback) => deps.storage.set(CALLBACK, callback.as_slice()),
                None => deps.storage.remove(CALLBACK),
            }
            Ok(Response::new())
        }
    }
}

fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn query(deps: Deps, _: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Hooks {} => to_json_binary(&hook_count(deps)?),
        QueryMsg::Model { model_id } => to_json_binary(&ModelResponse {
            id: model_id,
            owner: Addr::unchecked("nobody"),
            pending_owner: None,
            name: "evil".into(),
            metadata_uri: String::new(),
            weights_hash: "00".repeat(32),
            base_model: None,
            lineage: vec![],
            inference_fee: Uint128::new(MODEL_FEE),
            tiers: vec![],
            hosts: vec![],
            status: ModelStatus::Active,
            created_at: Timestamp::from_seconds(0),
        }),
    }
}

/// The hostile contract's code.
pub fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query))
}

/// The JSON of `msg`, for a call the hostile contract makes.
pub fn bin<T: Serialize>(msg: &T) -> Binary {
    to_json_binary(msg).expect("a serialisable message")
}

/// Stores and instantiates a hostile contract labelled `label`; the ledger follows it from
/// 0 OPEN.
pub fn deploy(s: &mut impl AsMut<Suite>, label: &str) -> Addr {
    let s = s.as_mut();
    let code = s.app.store_code(contract());
    let addr = s
        .app
        .instantiate_contract(code, s.deployer.clone(), &Empty {}, &[], label, None)
        .unwrap();
    s.ledger.insert(addr.clone(), 0);
    addr
}

/// How many cw20 hooks the hostile contract `evil` received.
pub fn hooks(s: &impl AsRef<Suite>, evil: &Addr) -> u64 {
    s.as_ref()
        .app
        .wrap()
        .query_wasm_smart(evil, &QueryMsg::Hooks {})
        .unwrap()
}

/// `evil` executes every call in one transaction.
pub fn calls(
    s: &mut impl AsMut<Suite>,
    evil: &Addr,
    calls: Vec<(&Addr, Binary)>,
) -> AnyResult<AppResponse> {
    let s = s.as_mut();
    s.app.execute_contract(
        s.deployer.clone(),
        evil.clone(),
        &ExecuteMsg::Calls {
            calls: calls.into_iter().map(|(c, m)| (c.to_string(), m)).collect(),
        },
        &[],
    )
}

/// `evil` executes `msg` on `contract`.
pub fn call<T: Serialize>(
    s: &mut impl AsMut<Suite>,
    evil: &Addr,
    contract: &Addr,
    msg: &T,
) -> AnyResult<AppResponse> {
    calls(s, evil, vec![(contract, bin(msg))])
}

/// Arms `evil`'s hook to send `callback` to `target`.
pub fn arm(s: &mut impl AsMut<Suite>, evil: &Addr, target: &Addr, callback: Binary) {
    set_callback(s.as_mut(), evil, target, Some(callback));
}

/// Disarms `evil`'s hook: cw20 hooks are counted and nothing more.
pub fn disarm(s: &mut impl AsMut<Suite>, evil: &Addr, target: &Addr) {
    set_callback(s.as_mut(), evil, target, None);
}

fn set_callback(s: &mut Suite, evil: &Addr, target: &Addr, callback: Option<Binary>) {
    s.app
        .execute_contract(
            s.deployer.clone(),
            evil.clone(),
            &ExecuteMsg::Arm {
                target: target.to_string(),
                callback,
            },
            &[],
        )
        .unwrap();
}
