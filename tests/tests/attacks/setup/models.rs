//! Adversarial suite of model licensing: one test per attack, and the security review's
//! findings 5 (licence terms cut in front of a purchase) and 9 (licensed and paid inference ids
//! in one namespace) with their classes: every number a participant chooses, every term that can
//! change between a quote and its execution, every remainder of a split. Each refused attack
//! asserts the contract's exact error, that no contract's raw storage and no party's OPEN or
//! native balance changed, and that every balance still matches the test's ledger; at the end of
//! each test the world's `check` runs (ledger, pool, registry, escrow and model licensing
//! solvency). Each fix has a test with exact amounts that says what 0.2.0 did.
//!
//! The world is the escrow world of the suite: model 1 (fee 1 000, lineage 60 % / 40 % over
//! datanets 1 and 2, one host) owned by `model-owner`; the client holds 1 000 000 OPEN and pays.

pub use anyhow::Result as AnyResult;
pub use cosmwasm_std::{coins, to_json_binary, to_json_vec, Addr, Api, Binary, Timestamp, Uint128};
pub use cw20::{Cw20ExecuteMsg, Cw20ReceiveMsg};
pub use cw_multi_test::{AppResponse, Executor};
pub use model_licensing::ContractError;
pub use openledger_common::attribution::{AttributionError, AttributionShare};
pub use openledger_common::fee::FeeSplit;
pub use openledger_common::msg::agent_escrow::ReceiveMsg as EscrowHook;
pub use openledger_common::msg::model_licensing::{
    ExecuteMsg, FeeQuoteResponse, Host, InferencePayment, InferenceResponse, LicenseResponse,
    LicenseTerms, LicenseTier, LineageEntry, MigrateMsg, ModelResponse, ModelStatus, NewModel,
    QueryMsg, Receipt, ReceiveMsg, MAX_BATCH, MAX_HOSTS, MAX_LICENSE_TERM, MAX_TIERS,
    MAX_TIER_DURATION, MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
pub use openledger_common::HookError;
pub use openledger_tests::attack;
pub use openledger_tests::data_hash;
pub use openledger_tests::escrow::{attr, world, World, MODEL_FEE};
pub use openledger_tests::malicious::{self, bin};
pub use openledger_tests::models::{
    lineage_v1, model_contract, purchase, receipt, shares, HostKey,
};

/// Native denomination of the coins an attacker attaches.
pub const DENOM: &str = "uopen";
/// Price of the tier of [`tier`]: 5 000 for an hour, 2 inferences, commercial use.
pub const PRICE: u128 = 5_000;
/// Duration of the tier of [`tier`], in seconds.
pub const TERM: u64 = 3_600;
/// Inference quota of the tier of [`tier`].
pub const QUOTA: u64 = 2;
/// An address of another chain (valid bech32, foreign prefix).
pub const FOREIGN: &str = "osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";

/// Whether the heavy variants of the tests run (`OPENLEDGER_HEAVY=1`).
pub fn heavy() -> bool {
    std::env::var("OPENLEDGER_HEAVY").is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs `attempt`, which must fail: no contract storage, no balance (OPEN or native) and no
/// task changed, the ledger holds and every contract stays solvent. Returns the error of model
/// licensing.
pub fn refused(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> ContractError {
    refused_any(w, attempt)
        .downcast::<ContractError>()
        .expect("a model licensing error")
}

/// [`refused`] for attempts that fail outside model licensing.
pub fn refused_any(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> anyhow::Error {
    w.refused_untouched(attempt)
}

/// `who` executes `msg` on model licensing (no funds).
pub fn exec(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
    let models = w.models.clone();
    w.s.app.execute_contract(who.clone(), models, msg, &[])
}

/// `who` sends `amount` OPEN to model licensing with `hook` (ledger untouched).
pub fn pay(w: &mut World, who: &Addr, amount: u128, hook: &ReceiveMsg) -> AnyResult<AppResponse> {
    let models = w.models.clone();
    w.s.send(who, &models, amount, hook)
}

/// Books a paid fee (or licence price) of `amount` with the default split: the owner's 20 %
/// stays in model licensing, the other 80 % goes to the pool.
pub fn book_fee(w: &mut World, payer: &Addr, amount: u128) {
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(payer, &models, amount / 5);
    w.s.moved(payer, &pool, amount - amount / 5);
}

/// A payment of inference `id` of model 1 with the lineage weights (no receipt).
pub fn lineage(id: &str) -> InferencePayment {
    InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution: None,
        receipt_signature: None,
        io: None,
    }
}

/// A payment of `model_id` whose attribution is signed by the world's host over `r`.
pub fn signed_with(w: &World, r: &Receipt) -> InferencePayment {
    InferencePayment {
        model_id: r.model_id,
        inference_id: r.inference_id.clone(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(w.host.sign(r)),
        io: None,
    }
}

/// A correct receipt for `payer` paying inference `id` of `model_id` at the model's fee.
pub fn good_receipt(w: &World, model_id: u64, id: &str, payer: &Addr) -> Receipt {
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

/// The Display of the ownership error inside `e` (cw-ownable's error type).
pub fn ownership(e: ContractError) -> String {
    match e {
        ContractError::Ownership(o) => o.to_string(),
        other => panic!("not an ownership error: {other:?}"),
    }
}

/// The `update_ownership` message of model licensing for `action` (cw-ownable's wire JSON).
pub fn update_ownership(action: serde_json::Value) -> ExecuteMsg {
    attack::update_ownership(action)
}

/// The refusal of native coins attached to a message.
pub fn nonpayable() -> ContractError {
    ContractError::Payment(cw_utils::PaymentError::NonPayable {})
}

/// Gives `who` native coins and puts it in the ledger (so that its balances are watched).
pub fn give_native(w: &mut World, who: &Addr) {
    w.s.give_native(who, DENOM);
}

/// Attaching coins to `msg` from `who` is refused with `NonPayable`; without coins the same
/// message goes through.
pub fn coins_refused_then_plain(w: &mut World, who: &Addr, msg: &ExecuteMsg) -> AppResponse {
    give_native(w, who);
    let models = w.models.clone();
    let e = refused(w, |w| {
        w.s.app
            .execute_contract(who.clone(), models.clone(), msg, &coins(1, DENOM))
    });
    assert_eq!(e, nonpayable());
    exec(w, who, msg).expect("the same message without coins")
}

/// The error `addr_validate` gives for `address`, as model licensing reports it in `field`.
pub fn invalid_address(w: &World, field: &str, address: &str) -> ContractError {
    ContractError::InvalidAddress {
        field: field.into(),
        address: address.into(),
        reason: w.s.invalid_address_reason(address),
    }
}

/// A host at `address` with the world's host key.
pub fn host(w: &World, address: &str) -> Host {
    Host {
        address: address.into(),
        pubkey: w.host.pubkey(),
    }
}

/// A valid new model on the world's datanets, served by the world's host.
pub fn new_model(w: &World) -> NewModel {
    NewModel {
        name: "rival".into(),
        parents: vec![],
        metadata_uri: String::new(),
        weights_hash: data_hash("rival-weights"),
        base_model: None,
        lineage: lineage_v1(&[(1, 5_000), (2, 5_000)]),
        inference_fee: Uint128::new(MODEL_FEE),
        tiers: vec![],
        hosts: vec![host(w, w.s.addr("host").as_str())],
    }
}

/// `owner` registers [`new_model`]; returns its id.
pub fn register(w: &mut World, owner: &Addr) -> u64 {
    let msg = ExecuteMsg::RegisterModel(new_model(w));
    attr(&exec(w, owner, &msg).unwrap(), "model_id")
        .parse()
        .unwrap()
}

/// The tier the tests sell: [`PRICE`] for [`TERM`], [`QUOTA`] inferences, commercial use.
pub fn tier(id: u32) -> LicenseTier {
    LicenseTier {
        id,
        price: Uint128::new(PRICE),
        duration: TERM,
        inference_quota: Some(QUOTA),
        commercial: true,
    }
}

/// Buys tier `id` of model 1, stating the terms of [`tier`].
pub fn buy_tier(id: u32) -> ReceiveMsg {
    ReceiveMsg::PurchaseLicense {
        model_id: 1,
        tier_id: id,
        terms: tier(id).terms(),
    }
}

/// An `update_model` of `model_id` that changes only its metadata URI.
pub fn update_metadata(model_id: u64) -> ExecuteMsg {
    ExecuteMsg::UpdateModel {
        model_id,
        metadata_uri: Some("ipfs://new".into()),
        inference_fee: None,
        tiers: None,
        hosts: None,
    }
}

/// An `update_model` of `model_id` that changes the given terms (the metadata stays).
pub fn update_model(
    model_id: u64,
    inference_fee: Option<u128>,
    tiers: Option<Vec<LicenseTier>>,
    hosts: Option<Vec<Host>>,
) -> ExecuteMsg {
    ExecuteMsg::UpdateModel {
        model_id,
        metadata_uri: None,
        inference_fee: inference_fee.map(Uint128::new),
        tiers,
        hosts,
    }
}

/// The model owner gives model 1 tiers 1 and 2.
pub fn add_tier(w: &mut World) {
    set_tiers(w, vec![tier(1), tier(2)]);
}

/// The model owner replaces model 1's tiers.
pub fn set_tiers(w: &mut World, tiers: Vec<LicenseTier>) {
    let owner = w.model_owner.clone();
    exec(w, &owner, &update_model(1, None, Some(tiers), None)).unwrap();
}

/// The client buys tier 1 of model 1 (ledger updated); returns the licence's end in whole
/// seconds (block time keeps its sub-second part, so `at(end)` lands exactly on the end) and
/// as stored.
pub fn licensed(w: &mut World) -> (u64, Timestamp) {
    add_tier(w);
    let client = w.client.clone();
    pay(w, &client, PRICE, &buy_tier(1)).unwrap();
    book_fee(w, &client, PRICE);
    (w.now() + TERM, w.s.app.block_info().time.plus_seconds(TERM))
}

/// Records licensed inference `id` of model 1.
pub fn record(id: &str) -> ExecuteMsg {
    ExecuteMsg::RecordLicensedInference {
        model_id: 1,
        inference_id: id.into(),
    }
}

/// Model `model_id` as model licensing reports it.
pub fn model(w: &World, model_id: u64) -> ModelResponse {
    w.s.app
        .wrap()
        .query_wasm_smart(&w.models, &QueryMsg::Model { model_id })
        .unwrap()
}

/// What model licensing holds for `who` (a model owner's earnings).
pub fn earnings(w: &World, who: &Addr) -> u128 {
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
pub fn one_paid(w: &mut World, id: &str) {
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

/// A second cw20 (same code as OPEN) whose whole supply of 1 000 000 `holder` holds.
pub fn second_token(w: &mut World, holder: &Addr) -> Addr {
    w.s.fake_token(holder, 1_000_000)
}

/// `holder` sends `amount` of the second token `fake` to model licensing with `hook`.
pub fn fake_pay(
    w: &mut World,
    fake: &Addr,
    holder: &Addr,
    amount: u128,
    hook: &ReceiveMsg,
) -> AnyResult<AppResponse> {
    let models = w.models.clone();
    w.s.send_raw(fake, holder, &models, amount, bin(hook))
}

/// `wallet` calls model licensing's `receive` itself, claiming `amount` from `claimed_sender`.
pub fn forged_receive(
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

/// The refusal of a hook from the cw20 `received` instead of OPEN.
pub fn unexpected_token(w: &World, received: &Addr) -> ContractError {
    ContractError::Hook(HookError::UnexpectedToken {
        expected: w.s.token.to_string(),
        received: received.to_string(),
    })
}

/// `who` sends `amount` OPEN to model licensing with raw hook bytes (ledger untouched).
pub fn raw_pay(w: &mut World, who: &Addr, amount: u128, msg: &[u8]) -> AnyResult<AppResponse> {
    let (token, models) = (w.s.token.clone(), w.models.clone());
    w.s.send_raw(&token, who, &models, amount, Binary::from(msg))
}

/// The reason inside an invalid-hook error.
pub fn invalid_hook(e: ContractError) -> String {
    match e {
        ContractError::Hook(HookError::InvalidHook { reason }) => reason,
        other => panic!("not an invalid hook: {other:?}"),
    }
}

/// The licence of `who` on model 1, if any.
pub fn license(w: &World, who: &Addr) -> Option<LicenseResponse> {
    w.s.app
        .wrap()
        .query_wasm_smart(
            &w.models,
            &QueryMsg::License {
                model_id: 1,
                licensee: who.to_string(),
            },
        )
        .ok()
}

/// The inference `id` of model 1 that `payer` paid or recorded, if any.
pub fn inference(w: &World, payer: &Addr, id: &str) -> Option<InferenceResponse> {
    w.s.app
        .wrap()
        .query_wasm_smart(
            &w.models,
            &QueryMsg::Inference {
                model_id: 1,
                payer: payer.to_string(),
                inference_id: id.into(),
            },
        )
        .ok()
}

/// The client buys `t` of model 1 stating its terms (ledger updated).
pub fn buy(w: &mut World, t: &LicenseTier) {
    let client = w.client.clone();
    pay(w, &client, t.price.u128(), &purchase(1, t)).unwrap();
    book_fee(w, &client, t.price.u128());
}

/// The refusal of a purchase of tier 1 of model 1 whose `field` changed from `expected`.
pub fn terms_changed(field: &str, expected: &str, current: &str) -> ContractError {
    ContractError::TermsChanged {
        model_id: 1,
        tier_id: 1,
        field: field.into(),
        expected: expected.into(),
        current: current.into(),
    }
}

/// The refusal of tier 1 lasting `duration` seconds.
pub fn out_of_range(duration: u64) -> ContractError {
    ContractError::TierDurationOutOfRange {
        tier_id: 1,
        duration,
        min: MIN_TIER_DURATION,
        max: MAX_TIER_DURATION,
    }
}

/// A payer other than the client, funded with 100 000 OPEN.
pub fn payer(w: &mut World, name: &str) -> Addr {
    let who = w.s.addr(name);
    w.s.fund(&who, 100_000);
    who
}
