use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Oversized lists
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_batch_one_over_the_cap() {
    let mut w = world();
    let client = w.client.clone();
    let extra: Vec<usize> = if heavy() {
        vec![1, 2, 10, 50, 450]
    } else {
        vec![1]
    };
    for over in extra {
        let n = MAX_BATCH + over;
        let items: Vec<InferencePayment> = (0..n).map(|i| lineage(&format!("b-{i}"))).collect();
        let hook = ReceiveMsg::PayInferences { items };
        let e = refused(&mut w, |w| pay(w, &client, n as u128 * MODEL_FEE, &hook));
        assert_eq!(
            e,
            ContractError::BatchSize {
                got: n as u64,
                max: MAX_BATCH as u64
            }
        );
    }
    // Exactly the cap is paid.
    let items: Vec<InferencePayment> = (0..MAX_BATCH).map(|i| lineage(&format!("b-{i}"))).collect();
    pay(
        &mut w,
        &client,
        MAX_BATCH as u128 * MODEL_FEE,
        &ReceiveMsg::PayInferences { items },
    )
    .unwrap();
    book_fee(&mut w, &client, MAX_BATCH as u128 * MODEL_FEE);
    w.check();
}

#[test]
fn attack_oversized_empty_batch() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences { items: vec![] };
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::BatchSize {
            got: 0,
            max: MAX_BATCH as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_host_list() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let hosts: Vec<Host> = (0..=MAX_HOSTS)
        .map(|i| host(&w, w.s.addr(&format!("host-{i}")).as_str()))
        .collect();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(hosts),
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(
        e,
        ContractError::TooManyHosts {
            got: MAX_HOSTS as u64 + 1,
            max: MAX_HOSTS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_tier_list() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.tiers = (0..=MAX_TIERS as u32).map(tier).collect();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::TooManyTiers {
            got: MAX_TIERS as u64 + 1,
            max: MAX_TIERS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_lineage() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    // 17 entries: sixteen of 588 bps and one of 592.
    m.lineage = (1..=17u64)
        .map(|datanet_id| LineageEntry {
            datanet_id,
            version: 1,
            weight_bps: if datanet_id == 17 { 592 } else { 588 },
        })
        .collect();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 })
    );
    w.check();
}

#[test]
fn attack_oversized_signed_attribution() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "wide", &client);
    r.attribution = (1..=17u64)
        .map(|datanet_id| AttributionShare {
            datanet_id,
            weight_bps: if datanet_id == 17 { 592 } else { 588 },
        })
        .collect();
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 })
    );
    w.check();
}

#[test]
fn attack_oversized_inference_id() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInference(lineage(&"x".repeat(65)));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(e, ContractError::InvalidInferenceId { max: 64 });
    w.check();
}
