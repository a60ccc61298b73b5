use crate::setup::models::*;

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
