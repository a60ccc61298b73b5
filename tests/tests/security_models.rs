//! Security review of model licensing (issue 13): findings 5 (licence terms cut in front of a
//! purchase) and 9 (licensed and paid inference ids in one namespace), and their classes: every
//! number a participant chooses, every term that can change between a quote and its execution,
//! every remainder of a split. Each refused attack asserts the contract's exact error, that no
//! contract's raw storage and no balance changed, and that every balance matches the test's
//! ledger; each fix has a test with exact amounts that says what 0.2.0 did.
//!
//! The world is the escrow world of the suite: model 1 (fee 1 000, lineage 60 % / 40 % over
//! datanets 1 and 2, one host) owned by `model-owner`; the client holds 1 000 000 OPEN.

use anyhow::Result as AnyResult;
use cosmwasm_std::{to_json_binary, Addr, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::{AppResponse, Executor};
use model_licensing::ContractError;
use openledger_common::fee::FeeSplit;
use openledger_common::msg::model_licensing::{
    ExecuteMsg, FeeQuoteResponse, Host, InferencePayment, InferenceResponse, LicenseResponse,
    LicenseTerms, LicenseTier, MigrateMsg, ModelResponse, ModelStatus, QueryMsg, ReceiveMsg,
    MAX_LICENSE_TERM, MAX_TIER_DURATION, MAX_TIER_QUOTA, MIN_TIER_DURATION,
};
use openledger_common::HookError;
use openledger_tests::escrow::{attr, world, World, MODEL_FEE};
use openledger_tests::models::{model_contract, purchase, receipt, shares, HostKey};

/// The tier of [`tier`].
const PRICE: u128 = 5_000;
const TERM: u64 = 3_600;
const QUOTA: u64 = 2;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs `attempt`, which must fail: no contract storage, no balance and no task changed, the
/// ledger holds and every contract stays solvent. Returns the error of model licensing.
fn refused(
    w: &mut World,
    attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
) -> ContractError {
    let before = w.s.frozen();
    let e = w.refused(attempt);
    assert_eq!(w.s.frozen(), before, "a refused attempt changed state");
    e.downcast::<ContractError>()
        .expect("a model licensing error")
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

/// Books a fee (or licence price) of `amount` paid with the default split: the owner's 20 %
/// stays in model licensing, the other 80 % goes to the pool.
fn book_fee(w: &mut World, payer: &Addr, amount: u128) {
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(payer, &models, amount / 5);
    w.s.moved(payer, &pool, amount - amount / 5);
}

/// The tier the tests sell: 5 000 for an hour, 2 inferences, commercial use.
fn tier(id: u32) -> LicenseTier {
    LicenseTier {
        id,
        price: Uint128::new(PRICE),
        duration: TERM,
        inference_quota: Some(QUOTA),
        commercial: true,
    }
}

fn update_model(
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

/// The model owner replaces model 1's tiers.
fn set_tiers(w: &mut World, tiers: Vec<LicenseTier>) {
    let owner = w.model_owner.clone();
    exec(w, &owner, &update_model(1, None, Some(tiers), None)).unwrap();
}

fn model(w: &World) -> ModelResponse {
    w.s.app
        .wrap()
        .query_wasm_smart(&w.models, &QueryMsg::Model { model_id: 1 })
        .unwrap()
}

fn license(w: &World, who: &Addr) -> Option<LicenseResponse> {
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

fn inference(w: &World, payer: &Addr, id: &str) -> Option<InferenceResponse> {
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

fn lineage(id: &str) -> InferencePayment {
    InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution: None,
        receipt_signature: None,
    }
}

fn record(id: &str) -> ExecuteMsg {
    ExecuteMsg::RecordLicensedInference {
        model_id: 1,
        inference_id: id.into(),
    }
}

/// The client buys `t` of model 1 stating its terms (ledger updated).
fn buy(w: &mut World, t: &LicenseTier) {
    let client = w.client.clone();
    pay(w, &client, t.price.u128(), &purchase(1, t)).unwrap();
    book_fee(w, &client, t.price.u128());
}

fn terms_changed(field: &str, expected: &str, current: &str) -> ContractError {
    ContractError::TermsChanged {
        model_id: 1,
        tier_id: 1,
        field: field.into(),
        expected: expected.into(),
        current: current.into(),
    }
}

fn out_of_range(duration: u64) -> ContractError {
    ContractError::TierDurationOutOfRange {
        tier_id: 1,
        duration,
        min: MIN_TIER_DURATION,
        max: MAX_TIER_DURATION,
    }
}

/// A funded payer other than the client.
fn payer(w: &mut World, name: &str) -> Addr {
    let who = w.s.addr(name);
    w.s.fund(&who, 100_000);
    who
}

// ---------------------------------------------------------------------------------------------
// Finding 5: licence terms bind at the moment of payment
// ---------------------------------------------------------------------------------------------

/// The owner cuts tier 1 to a minute (same id, same price) in front of the client's purchase:
/// refused, naming the duration; nothing moves. 0.2.0 sold it: the client paid 5 000 for the
/// shortest term the owner chose (one second then).
#[test]
fn attack_terms_tier_cut_to_one_minute_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let seen = model(&w).tiers[0].clone();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let cut = LicenseTier {
        duration: MIN_TIER_DURATION,
        ..tier(1)
    };
    set_tiers(&mut w, vec![cut.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &seen)));
    assert_eq!(e, terms_changed("duration", "3600", "60"));
    assert_eq!(license(&w, &client), None);
    assert_eq!(earnings(&w, &owner), 0);

    // Bought knowingly, the minute sells at its price, split exactly.
    let start = w.s.app.block_info().time;
    buy(&mut w, &cut);
    assert_eq!(
        license(&w, &client).unwrap().expires_at,
        start.plus_seconds(60)
    );
    assert_eq!(earnings(&w, &owner), PRICE / 5);
    w.check();
}

/// The owner cuts the quota from 2 to 1 in front of the purchase: refused, naming the quota.
#[test]
fn attack_terms_quota_cut_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    set_tiers(
        &mut w,
        vec![LicenseTier {
            inference_quota: Some(1),
            ..tier(1)
        }],
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("inference_quota", "2", "1"));
    w.check();
}

/// The owner withdraws commercial use in front of the purchase: refused, naming it.
#[test]
fn attack_terms_commercial_use_dropped_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    set_tiers(
        &mut w,
        vec![LicenseTier {
            commercial: false,
            ..tier(1)
        }],
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("commercial", "true", "false"));
    w.check();
}

/// The owner raises the price in front of the purchase: the terms name the price before the
/// amount is even compared; a buyer stating the new price but sending the old amount gets
/// `FeeMismatch`.
#[test]
fn attack_terms_price_raised_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    let dearer = LicenseTier {
        price: Uint128::new(PRICE + 1),
        ..tier(1)
    };
    set_tiers(&mut w, vec![dearer.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("price", "5000", "5001"));
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &dearer)));
    assert_eq!(
        e,
        ContractError::FeeMismatch {
            expected: Uint128::new(PRICE + 1),
            received: Uint128::new(PRICE)
        }
    );
    w.check();
}

/// The owner removes the tier, or pauses the model, in front of the purchase: refused.
#[test]
fn attack_terms_tier_removed_or_model_paused_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    set_tiers(&mut w, vec![tier(2)]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(
        e,
        ContractError::UnknownTier {
            model_id: 1,
            tier_id: 1
        }
    );
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::SetModelStatus {
            model_id: 1,
            status: ModelStatus::Paused,
        },
    )
    .unwrap();
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(2))));
    assert_eq!(
        e,
        ContractError::ModelNotActive {
            model_id: 1,
            status: ModelStatus::Paused
        }
    );
    w.check();
}

/// A purchase that states no terms (a 0.2.0 wallet) is refused by the strict hook, naming the
/// missing field.
#[test]
fn attack_terms_purchase_without_terms_is_refused() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let (client, models, token) = (w.client.clone(), w.models.clone(), w.s.token.clone());
    let hook = serde_json::json!({"purchase_license": {"model_id": 1, "tier_id": 1}});
    let e = refused(&mut w, |w| {
        w.s.app.execute_contract(
            client.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: models.to_string(),
                amount: Uint128::new(PRICE),
                msg: to_json_binary(&hook).unwrap(),
            },
            &[],
        )
    });
    match e {
        ContractError::Hook(HookError::InvalidHook { reason }) => {
            assert!(reason.contains("missing field `terms`"), "{reason}")
        }
        other => panic!("not an invalid hook: {other:?}"),
    }
    w.check();
}

/// Worst durations and quotas are refused when the tier is set (registration or update), so
/// no buyer can ever be offered them. 0.2.0 accepted a quota of 0 (a licence that allows
/// nothing), a 1-second term, and `u64::MAX` seconds (a tier no purchase could pay for: the
/// end overflowed).
#[test]
fn attack_numbers_worst_tier_durations_and_quotas() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let cases = vec![
        (
            LicenseTier {
                inference_quota: Some(0),
                ..tier(1)
            },
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            LicenseTier {
                inference_quota: Some(u64::MAX),
                ..tier(1)
            },
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: u64::MAX,
                max: MAX_TIER_QUOTA,
            },
        ),
        (
            LicenseTier {
                duration: 0,
                ..tier(1)
            },
            out_of_range(0),
        ),
        (
            LicenseTier {
                duration: 1,
                ..tier(1)
            },
            out_of_range(1),
        ),
        (
            LicenseTier {
                duration: MIN_TIER_DURATION - 1,
                ..tier(1)
            },
            out_of_range(MIN_TIER_DURATION - 1),
        ),
        (
            LicenseTier {
                duration: MAX_TIER_DURATION + 1,
                ..tier(1)
            },
            out_of_range(MAX_TIER_DURATION + 1),
        ),
        (
            LicenseTier {
                duration: u64::MAX,
                ..tier(1)
            },
            out_of_range(u64::MAX),
        ),
    ];
    for (bad, err) in cases {
        let msg = update_model(1, None, Some(vec![tier(2), bad]), None);
        let e = refused(&mut w, |w| exec(w, &owner, &msg));
        assert_eq!(e, err);
    }
    assert_eq!(model(&w).tiers, vec![]);
    w.check();
}

/// Extending a running licence after the owner took commercial use out of its tier is refused:
/// the remainder the client paid for would lose it. 0.2.0 overwrote the licence's `commercial`
/// with the tier's.
#[test]
fn attack_terms_extension_after_the_tier_lost_commercial_use() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    buy(&mut w, &tier(1));
    let client = w.client.clone();
    let bought = license(&w, &client).unwrap();
    let private = LicenseTier {
        commercial: false,
        ..tier(1)
    };
    set_tiers(&mut w, vec![private.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &private)));
    assert_eq!(
        e,
        ContractError::ExtensionTermsDiffer {
            model_id: 1,
            tier_id: 1,
            field: "commercial".into(),
            licence: "true".into(),
            tier: "false".into(),
        }
    );
    assert_eq!(license(&w, &client), Some(bought));
    w.check();
}

/// An unlimited licence whose tier became limited cannot be extended with it (the merge would
/// either cap the paid remainder or give the extension unlimited use), nor a limited one with
/// a tier that became unlimited.
#[test]
fn attack_terms_extension_after_the_tier_changed_its_kind_of_quota() {
    let mut w = world();
    let unlimited = LicenseTier {
        inference_quota: None,
        ..tier(1)
    };
    set_tiers(&mut w, vec![unlimited.clone()]);
    buy(&mut w, &unlimited);
    let client = w.client.clone();
    set_tiers(&mut w, vec![tier(1)]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(
        e,
        ContractError::ExtensionTermsDiffer {
            model_id: 1,
            tier_id: 1,
            field: "inference_quota".into(),
            licence: "unlimited".into(),
            tier: QUOTA.to_string(),
        }
    );
    w.check();
}

/// Extensions stack to at most `MAX_LICENSE_TERM` from now: the third extension of a maximal
/// tier is refused, the licence's end never overflows and a buyer never prepays decades.
#[test]
fn attack_numbers_extensions_stack_only_to_the_longest_term() {
    let mut w = world();
    let long = LicenseTier {
        duration: MAX_TIER_DURATION,
        inference_quota: Some(MAX_TIER_QUOTA),
        ..tier(1)
    };
    set_tiers(&mut w, vec![long.clone()]);
    let now = w.s.app.block_info().time;
    buy(&mut w, &long);
    buy(&mut w, &long);
    let client = w.client.clone();
    let l = license(&w, &client).unwrap();
    assert_eq!(
        (l.expires_at, l.inference_quota),
        (now.plus_seconds(MAX_LICENSE_TERM), Some(2 * MAX_TIER_QUOTA))
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &long)));
    assert_eq!(
        e,
        ContractError::LicenseTermTooLong {
            model_id: 1,
            expires_at: now.plus_seconds(MAX_LICENSE_TERM + MAX_TIER_DURATION),
            max_expires_at: now.plus_seconds(MAX_LICENSE_TERM),
        }
    );
    w.check();
}

/// Ids a participant picks that exist nowhere: the largest model and tier ids.
#[test]
fn attack_numbers_largest_model_and_tier_ids() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        pay(w, &client, PRICE, &purchase(u64::MAX, &tier(1)))
    });
    assert_eq!(e, ContractError::ModelNotFound { model_id: u64::MAX });
    let e = refused(&mut w, |w| {
        pay(w, &client, PRICE, &purchase(1, &tier(u32::MAX)))
    });
    assert_eq!(
        e,
        ContractError::UnknownTier {
            model_id: 1,
            tier_id: u32::MAX
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Finding 9: inference ids are per payer
// ---------------------------------------------------------------------------------------------

/// A licensee records the id another payer's transaction will use; that payment still goes
/// through and both are recorded under their payer, with exact balances; each payer's own
/// replay is refused. 0.2.0 refused the payment (`InferenceAlreadyPaid`): delivered through
/// the escrow, the model fee bounced back to the client and the model and its data were unpaid.
#[test]
fn attack_ids_licensee_pre_claims_the_id_another_payer_uses() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    buy(&mut w, &tier(1));
    let (licensee, owner) = (w.client.clone(), w.model_owner.clone());
    let payer = payer(&mut w, "agent-payer");
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    exec(&mut w, &licensee, &record("job-1")).unwrap();

    let res = pay(
        &mut w,
        &payer,
        MODEL_FEE,
        &ReceiveMsg::PayInference(lineage("job-1")),
    )
    .unwrap();
    book_fee(&mut w, &payer, MODEL_FEE);
    w.check();
    assert_eq!(attr(&res, "pool_amount"), "800");
    // 1 000: datanets 500 (300 + 200), owner 200, stakers 200 + treasury 100 (nobody staked:
    // the stakers' share reaches the treasury).
    assert_eq!(w.datanets_received() - datanets, 500);
    assert_eq!(w.s.treasury() - treasury, 300);
    assert_eq!(earnings(&w, &owner), PRICE / 5 + MODEL_FEE / 5);
    let licensed = inference(&w, &licensee, "job-1").unwrap();
    let paid = inference(&w, &payer, "job-1").unwrap();
    assert_eq!(
        (licensed.payer, licensed.licensed, licensed.fee.u128()),
        (licensee.clone(), true, 0)
    );
    assert_eq!(
        (paid.payer, paid.licensed, paid.fee.u128()),
        (payer.clone(), false, MODEL_FEE)
    );

    // Each payer's replay is refused.
    let hook = ReceiveMsg::PayInference(lineage("job-1"));
    let e = refused(&mut w, |w| pay(w, &payer, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: payer.to_string(),
            inference_id: "job-1".into()
        }
    );
    let e = refused(&mut w, |w| exec(w, &licensee, &record("job-1")));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: licensee.to_string(),
            inference_id: "job-1".into()
        }
    );
    w.check();
}

/// A payer pays, at its own cost, the id another payer's batch will use: the batch still goes
/// through, every item paid exactly once per payer. 0.2.0 refused the whole batch.
#[test]
fn attack_ids_payer_pre_pays_an_id_of_another_payers_batch() {
    let mut w = world();
    let (mallory, client, owner) = (
        payer(&mut w, "mallory"),
        w.client.clone(),
        w.model_owner.clone(),
    );
    pay(
        &mut w,
        &mallory,
        MODEL_FEE,
        &ReceiveMsg::PayInference(lineage("batch-2")),
    )
    .unwrap();
    book_fee(&mut w, &mallory, MODEL_FEE);
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("batch-1"), lineage("batch-2")],
    };
    pay(&mut w, &client, 2 * MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &client, 2 * MODEL_FEE);
    w.check();
    assert_eq!(earnings(&w, &owner), 3 * MODEL_FEE / 5);
    assert_eq!(inference(&w, &client, "batch-2").unwrap().payer, client);
    assert_eq!(inference(&w, &mallory, "batch-2").unwrap().payer, mallory);
    assert_eq!(inference(&w, &mallory, "batch-1"), None);
}

/// Ids being per payer does not free receipts: a payer cannot reuse another payer's signed
/// receipt for the same id (the receipt signs the payer).
#[test]
fn attack_ids_signed_receipt_of_another_payer_for_the_same_id() {
    let mut w = world();
    let (client, mallory) = (w.client.clone(), payer(&mut w, "mallory"));
    let r = receipt(
        &w.s,
        &w.models,
        1,
        "signed-1",
        &client,
        MODEL_FEE,
        shares(&[(1, 7_000), (2, 3_000)]),
    );
    let item = InferencePayment {
        model_id: 1,
        inference_id: "signed-1".into(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(w.host.sign(&r)),
    };
    let hook = ReceiveMsg::PayInference(item);
    pay(&mut w, &client, MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    let e = refused(&mut w, |w| pay(w, &mallory, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InvalidReceiptSignature {
            model_id: 1,
            inference_id: "signed-1".into()
        }
    );
    w.check();
}

/// A 0.2.0 record (keyed by model and id, the payer in the value) survives the upgrade: its
/// payer reads it and cannot replay it; another payer may use the id.
#[test]
fn legacy_inference_record_blocks_its_payer_after_the_upgrade() {
    let mut w = world();
    let (client, deployer, models) = (w.client.clone(), w.s.deployer.clone(), w.models.clone());
    let other = payer(&mut w, "other");
    // What 0.2.0 wrote for a payment of `old-1` by the client (lineage weights).
    let key = model_licensing::state::LEGACY_INFERENCES.key((1, "old-1"));
    let value = format!(r#"{{"p":"{client}","f":"1000","t":1700000000000000000}}"#);
    w.s.app
        .contract_storage_mut(&models)
        .set(&key, value.as_bytes());
    let code = w.s.app.store_code(model_contract());
    let res =
        w.s.app
            .migrate_contract(deployer, models.clone(), &MigrateMsg {}, code)
            .unwrap();
    assert_eq!(attr(&res, "legacy_inferences"), "true");

    let old = inference(&w, &client, "old-1").unwrap();
    assert_eq!(
        (old.payer, old.fee.u128(), old.licensed, old.attribution),
        (client.clone(), 1_000, false, None)
    );
    let hook = ReceiveMsg::PayInference(lineage("old-1"));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: client.to_string(),
            inference_id: "old-1".into()
        }
    );
    pay(&mut w, &other, MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &other, MODEL_FEE);
    assert_eq!(inference(&w, &other, "old-1").unwrap().payer, other);
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Terms that change between a quote and its execution
// ---------------------------------------------------------------------------------------------

/// The owner raises the fee in front of a batch: the batch is refused naming the new total.
#[test]
fn attack_quote_inference_fee_raised_in_front_of_a_batch() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    exec(&mut w, &owner, &update_model(1, Some(1_500), None, None)).unwrap();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("q-1"), lineage("q-2")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 2 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::FeeMismatch {
            expected: Uint128::new(3_000),
            received: Uint128::new(2 * MODEL_FEE)
        }
    );
    w.check();
}

/// The owner removes the host that signed a receipt in front of the payment: the payment is
/// refused (the signer is no host any more) and the payer keeps its tokens.
#[test]
fn attack_quote_host_removed_in_front_of_a_signed_payment() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let r = receipt(
        &w.s,
        &w.models,
        1,
        "h-1",
        &client,
        MODEL_FEE,
        shares(&[(1, 5_000), (2, 5_000)]),
    );
    let item = InferencePayment {
        model_id: 1,
        inference_id: "h-1".into(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(w.host.sign(&r)),
    };
    let other = HostKey::new("other-host");
    let hosts = vec![Host {
        address: w.s.addr("other-host").to_string(),
        pubkey: other.pubkey(),
    }];
    exec(&mut w, &owner, &update_model(1, None, None, Some(hosts))).unwrap();
    let hook = ReceiveMsg::PayInference(item);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InvalidReceiptSignature {
            model_id: 1,
            inference_id: "h-1".into()
        }
    );
    w.check();
}

/// Decided: the fee split is protocol configuration, not a term between payer and model. The
/// contract owner changes it between a `fee_quote` and the payment: the payer still pays
/// exactly the fee it was quoted (nothing else is possible), the new split applies to the
/// payment exactly, and `fee_quote` shows it from then on.
#[test]
fn attack_quote_fee_split_changed_in_front_costs_the_payer_nothing() {
    let mut w = world();
    let (client, owner, deployer) = (
        w.client.clone(),
        w.model_owner.clone(),
        w.s.deployer.clone(),
    );
    let quote = |w: &World| -> FeeQuoteResponse {
        w.s.app
            .wrap()
            .query_wasm_smart(
                &w.models,
                &QueryMsg::FeeQuote {
                    model_id: 1,
                    attribution: None,
                },
            )
            .unwrap()
    };
    let before = quote(&w);
    assert_eq!(before.split.model_owner.u128(), 200);
    let split = FeeSplit {
        datanets_bps: 6_000,
        model_owner_bps: 1_000,
        stakers_bps: 2_000,
        treasury_bps: 1_000,
    };
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: Some(split),
            reward_pool: None,
            registry: None,
        },
    )
    .unwrap();
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    let now = quote(&w);
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(lineage("split-1")),
    )
    .unwrap();
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(&client, &models, 100);
    w.s.moved(&client, &pool, 900);
    w.check();
    assert_eq!(earnings(&w, &owner), now.split.model_owner.u128());
    assert_eq!(now.split.model_owner.u128(), 100);
    assert_eq!(w.datanets_received() - datanets, 600);
    assert_eq!(w.s.treasury() - treasury, 300);
}

// ---------------------------------------------------------------------------------------------
// Remainders: every unit of a fee reaches someone; dust goes to the treasury
// ---------------------------------------------------------------------------------------------

/// A fee of 1 (every floor is 0) goes wholly to the treasury: the protocol's share of a
/// non-zero fee is never 0 (the treasury takes `fee − Σ floors ≥ ⌈fee × treasury_bps⌉`).
#[test]
fn rounding_fee_of_one_goes_to_the_treasury() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    exec(&mut w, &owner, &update_model(1, Some(1), None, None)).unwrap();
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    pay(
        &mut w,
        &client,
        1,
        &ReceiveMsg::PayInference(lineage("one")),
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&client, &pool, 1);
    assert_eq!(w.s.treasury() - treasury, 1);
    assert_eq!(w.datanets_received(), datanets);
    assert_eq!(earnings(&w, &owner), 0);
    // Fifty of them in one batch: 50 to the treasury, nothing dropped.
    let items = (0..50).map(|i| lineage(&format!("one-{i}"))).collect();
    pay(&mut w, &client, 50, &ReceiveMsg::PayInferences { items }).unwrap();
    w.s.moved(&client, &pool, 50);
    assert_eq!(w.s.treasury() - treasury, 51);
    w.check();
}

/// A licence price of 7 over the 60 / 40 lineage: datanets 3 → 1 + 1 (1 of attribution dust),
/// owner 1, stakers 1, treasury 0 + 2 of split dust + 1 = 3; the pool gets 6, the sum is 7.
#[test]
fn rounding_licence_price_of_seven_sums_exactly() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let cheap = LicenseTier {
        price: Uint128::new(7),
        ..tier(1)
    };
    set_tiers(&mut w, vec![cheap.clone()]);
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    pay(&mut w, &client, 7, &purchase(1, &cheap)).unwrap();
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(&client, &models, 1);
    w.s.moved(&client, &pool, 6);
    w.check();
    assert_eq!(earnings(&w, &owner), 1);
    assert_eq!(w.datanets_received() - datanets, 2);
    // Treasury 3, plus the stakers' 1 (nobody staked).
    assert_eq!(w.s.treasury() - treasury, 4);
}

/// The terms type round-trips the tier's fields (what a wallet copies from `model`).
#[test]
fn tier_terms_are_the_tiers_fields() {
    assert_eq!(
        tier(3).terms(),
        LicenseTerms {
            price: Uint128::new(PRICE),
            duration: TERM,
            inference_quota: Some(QUOTA),
            commercial: true,
        }
    );
}
