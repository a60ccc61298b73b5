//! Adversarial suite of the agent escrow: one test per attack. Each refused attack asserts the
//! escrow's exact error, that no contract's raw storage and no party's OPEN or native balance
//! changed, and that every party's balance still matches the test's ledger. Attacks the escrow
//! absorbs (a model paused or repriced after delivery, a contract receiver) assert the exact
//! payouts.

pub use agent_escrow::ContractError;
pub use anyhow::Result as AnyResult;
pub use cosmwasm_std::testing::{mock_dependencies, mock_env};
pub use cosmwasm_std::{
    coins, to_json_binary, to_json_vec, Addr, Api, Binary, Reply, SubMsgResponse, SubMsgResult,
    Uint128,
};
pub use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
pub use cw_multi_test::{AppResponse, Executor};
pub use openledger_common::msg::agent_escrow::{
    AgentStatus, ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus,
    MAX_AGENT_MODELS, MAX_INFERENCES, MAX_REASON_LEN,
};
pub use openledger_common::msg::model_licensing::{
    ExecuteMsg as ModelExec, InferencePayment, ModelStatus, ReceiveMsg as ModelHook,
};
pub use openledger_common::HookError;
pub use openledger_tests::attack;
pub use openledger_tests::escrow::{
    attr, world, World, ACCEPT, ARBITRATION, BOND, DELIVERY, MIN_BOND, MODEL_FEE, REVIEW, UNBONDING,
};
pub use openledger_tests::malicious::{self, bin};
pub use openledger_tests::models::{receipt, shares};

/// Native denomination of the coins an attacker attaches.
pub const DENOM: &str = "uopen";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs `attempt`, which must fail: no contract storage, no balance (OPEN or native) and no
/// task changed, the ledger holds and the escrow stays solvent. Returns the escrow's error.
pub fn refused(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> ContractError {
    refused_any(w, attempt)
        .downcast::<ContractError>()
        .expect("an escrow error")
}

/// [`refused`] for attempts that fail outside the escrow.
pub fn refused_any(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> anyhow::Error {
    w.refused_untouched(attempt)
}

/// The Display of the ownership error inside `e` (cw-ownable's error type).
pub fn ownership(e: ContractError) -> String {
    match e {
        ContractError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

/// The `update_ownership` message of the escrow for `action` (cw-ownable's wire JSON).
pub fn update_ownership(action: serde_json::Value) -> ExecuteMsg {
    attack::update_ownership(action)
}

/// Gives `who` native coins and puts it in the ledger (so that its balances are watched).
pub fn give_native(w: &mut World, who: &Addr) {
    w.s.give_native(who, DENOM);
}

/// `who` executes `msg` on the escrow with native coins attached.
pub fn with_coins(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
    let escrow = w.escrow.clone();
    w.s.app
        .execute_contract(who.clone(), escrow, msg, &coins(1, DENOM))
}

/// The refusal of native coins attached to a message.
pub fn nonpayable() -> ContractError {
    ContractError::Payment(cw_utils::PaymentError::NonPayable {})
}

/// Attaching coins to `msg` from `who` is refused with `NonPayable`; without coins the same
/// message goes through (the coins were the only fault).
pub fn coins_refused_then_plain(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AppResponse {
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
pub fn second_token(w: &mut World, holder: &Addr) -> Addr {
    w.s.fake_token(holder, 1_000_000)
}

/// `holder` sends `amount` of the second token `fake` to the escrow with `hook`.
pub fn fake_send(
    w: &mut World,
    fake: &Addr,
    holder: &Addr,
    amount: u128,
    hook: &ReceiveMsg,
) -> AnyResult<AppResponse> {
    let escrow = w.escrow.clone();
    w.s.send_raw(fake, holder, &escrow, amount, bin(hook))
}

/// `wallet` calls the escrow's `receive` itself, claiming `amount` from `claimed_sender`.
pub fn forged_receive(
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

/// The refusal of a hook from the cw20 `received` instead of OPEN.
pub fn unexpected_token(w: &World, received: &Addr) -> ContractError {
    ContractError::Hook(HookError::UnexpectedToken {
        expected: w.s.token.to_string(),
        received: received.to_string(),
    })
}

/// `who` sends `amount` OPEN to the escrow with a raw hook message (ledger untouched).
pub fn raw_send(w: &mut World, who: &Addr, amount: u128, msg: &[u8]) -> AnyResult<AppResponse> {
    let (token, escrow) = (w.s.token.clone(), w.escrow.clone());
    w.s.send_raw(&token, who, &escrow, amount, Binary::from(msg))
}

/// The reason inside an invalid-hook error.
pub fn invalid_hook(e: ContractError) -> String {
    match e {
        ContractError::Hook(HookError::InvalidHook { reason }) => reason,
        other => panic!("not an invalid hook: {other:?}"),
    }
}

/// The error `addr_validate` gives for `address`, as the escrow reports it in `field`.
pub fn invalid_address(w: &World, field: &str, address: &str) -> ContractError {
    ContractError::InvalidAddress {
        field: field.into(),
        address: address.into(),
        reason: w.s.invalid_address_reason(address),
    }
}

/// An address of another chain (valid bech32, foreign prefix).
pub const FOREIGN: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

/// A harmless configuration change only the owner may make: the minimum bond + 1.
pub fn settle_config(_: &World) -> ExecuteMsg {
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

/// The owner's `update_config` of the default arbiter and model licensing.
pub fn config_update(
    default_arbiter: Option<String>,
    model_licensing: Option<String>,
) -> ExecuteMsg {
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
pub fn book_delivery_fee(w: &mut World) {
    let (escrow, models, pool) = (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
    w.s.moved(&escrow, &models, 200);
    w.s.moved(&escrow, &pool, 800);
}

/// Approving a 2 000 milestone whose one model-1 inference was paid at delivery: the pool gets
/// the 100 protocol fee, the agent 900.
pub fn book_paid_settlement(w: &mut World) {
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &agent, 900);
}

/// `evil` (funded with `deposit`) creates a task of `amounts` for the world's agent by a cw20
/// send of its own: it is the client. Returns the task id.
pub fn evil_creates_task(w: &mut World, evil: &Addr, amounts: &[u128]) -> u64 {
    let deposit: u128 = amounts.iter().sum();
    w.s.fund(evil, deposit);
    let (token, escrow) = (w.s.token.clone(), w.escrow.clone());
    let task = w.new_task(amounts);
    let res = malicious::calls(
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
