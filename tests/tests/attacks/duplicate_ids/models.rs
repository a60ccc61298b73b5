use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Duplicate ids
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_inference_id_in_a_batch() {
    let mut w = world();
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("a"), lineage("b"), lineage("a")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 3 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::DuplicateInference {
            model_id: 1,
            inference_id: "a".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_inference_id_already_paid_in_a_batch() {
    let mut w = world();
    one_paid(&mut w, "paid");
    let client = w.client.clone();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("new"), lineage("paid")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 2 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: client.to_string(),
            inference_id: "paid".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_tier_ids() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: Some(vec![tier(3), tier(4), tier(3)]),
        hosts: None,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, ContractError::DuplicateTier { id: 3 });
    w.check();
}

#[test]
fn attack_duplicate_hosts() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.hosts.push(m.hosts[0].clone());
    let dup = m.hosts[0].address.clone();
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(e, ContractError::DuplicateHost { host: dup });
    w.check();
}

#[test]
fn attack_duplicate_lineage_datanet() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let mut m = new_model(&w);
    m.lineage[1].datanet_id = 1;
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    w.check();
}

#[test]
fn attack_duplicate_datanet_in_a_signed_attribution() {
    let mut w = world();
    let client = w.client.clone();
    let mut r = good_receipt(&w, 1, "dup-datanet", &client);
    r.attribution = shares(&[(1, 5_000), (1, 5_000)]);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    w.check();
}
