use crate::setup::models::*;

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
