use crate::setup::models::*;

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
        io: None,
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
