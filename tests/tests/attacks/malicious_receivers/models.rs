use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Malicious receivers
// ---------------------------------------------------------------------------------------------

/// A contract model owner armed to withdraw again from its cw20 hook: earnings are paid by
/// transfer, so the hook never runs and the owner receives exactly its 20 % once.
#[test]
fn attack_reentry_contract_model_owner_paid_by_transfer() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-owner");
    let models = w.models.clone();
    let register = bin(&ExecuteMsg::RegisterModel(new_model(&w)));
    let res = malicious::calls(&mut w, &evil, vec![(&models, register)]).unwrap();
    let id: u64 = attr(&res, "model_id").parse().unwrap();
    let client = w.client.clone();
    let mut payment = lineage("to-evil");
    payment.model_id = id;
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(payment),
    )
    .unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    malicious::arm(
        &mut w,
        &evil,
        &models,
        bin(&ExecuteMsg::WithdrawEarnings {}),
    );
    malicious::calls(
        &mut w,
        &evil,
        vec![(&models, bin(&ExecuteMsg::WithdrawEarnings {}))],
    )
    .unwrap();
    w.s.moved(&models, &evil, 200);
    w.check();
    assert_eq!(malicious::hooks(&w, &evil), 0, "earnings are transfers");
    let e = refused(&mut w, |w| {
        malicious::calls(
            w,
            &evil,
            vec![(&models, bin(&ExecuteMsg::WithdrawEarnings {}))],
        )
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    w.check();
}

/// A contract model owner withdraws twice in one transaction: the second is refused and the
/// first reverts with it.
#[test]
fn attack_reentry_contract_model_owner_withdraws_twice_in_one_transaction() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-owner");
    let models = w.models.clone();
    let register = bin(&ExecuteMsg::RegisterModel(new_model(&w)));
    let res = malicious::calls(&mut w, &evil, vec![(&models, register)]).unwrap();
    let id: u64 = attr(&res, "model_id").parse().unwrap();
    let client = w.client.clone();
    let mut payment = lineage("to-evil");
    payment.model_id = id;
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(payment),
    )
    .unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    let withdraw = bin(&ExecuteMsg::WithdrawEarnings {});
    let e = refused(&mut w, |w| {
        malicious::calls(
            w,
            &evil,
            vec![(&models, withdraw.clone()), (&models, withdraw)],
        )
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &evil), 200);
    w.check();
}

/// A contract payer pays an inference and, in the same transaction, pays the same id again:
/// the replay is refused and the first payment reverts with it.
#[test]
fn attack_reentry_contract_payer_pays_the_same_id_twice_in_one_transaction() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-payer");
    w.s.fund(&evil, 2 * MODEL_FEE);
    let (token, models) = (w.s.token.clone(), w.models.clone());
    let send = bin(&Cw20ExecuteMsg::Send {
        contract: models.to_string(),
        amount: Uint128::new(MODEL_FEE),
        msg: bin(&ReceiveMsg::PayInference(lineage("twice"))),
    });
    let e = refused(&mut w, |w| {
        malicious::calls(w, &evil, vec![(&token, send.clone()), (&token, send)])
    });
    assert_eq!(
        e,
        ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: evil.to_string(),
            inference_id: "twice".into()
        }
    );
    w.check();
}

/// A contract registered as a model's host is never paid or called: payments for the model
/// leave its hook untouched.
#[test]
fn attack_reentry_contract_host_is_never_called() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-host");
    let (owner, models, client) = (w.model_owner.clone(), w.models.clone(), w.client.clone());
    malicious::arm(
        &mut w,
        &evil,
        &models,
        bin(&ExecuteMsg::WithdrawEarnings {}),
    );
    let hosts = Some(vec![host(&w, evil.as_str())]);
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::UpdateModel {
            model_id: 1,
            metadata_uri: None,
            inference_fee: None,
            tiers: None,
            hosts,
        },
    )
    .unwrap();
    let r = good_receipt(&w, 1, "hosted", &client);
    let hook = ReceiveMsg::PayInference(signed_with(&w, &r));
    pay(&mut w, &client, MODEL_FEE, &hook).unwrap();
    book_fee(&mut w, &client, MODEL_FEE);
    w.check();
    assert_eq!(malicious::hooks(&w, &evil), 0);
    assert_eq!(w.s.balance(&evil), 0);
}
