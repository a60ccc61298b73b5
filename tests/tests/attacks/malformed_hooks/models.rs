use crate::setup::models::*;

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
