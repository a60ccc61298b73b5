use crate::setup::models::*;

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
        io: None,
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
