use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_native_coins_on_receive() {
    let mut w = world();
    let token = w.s.token.clone();
    give_native(&mut w, &token);
    let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: w.client.to_string(),
        amount: Uint128::new(MODEL_FEE),
        msg: bin(&ReceiveMsg::PayInference(lineage("coins"))),
    });
    let models = w.models.clone();
    let e = refused(&mut w, |w| {
        w.s.app
            .execute_contract(token.clone(), models, &msg, &coins(1, DENOM))
    });
    assert_eq!(e, nonpayable());
    w.check();
}

#[test]
fn attack_native_coins_on_register_model() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let msg = ExecuteMsg::RegisterModel(new_model(&w));
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_model() {
    let mut w = world();
    let owner = w.model_owner.clone();
    coins_refused_then_plain(&mut w, &owner, &update_metadata(1));
    w.check();
}

#[test]
fn attack_native_coins_on_set_model_status() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Paused,
    };
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_transfer_model() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    let msg = ExecuteMsg::TransferModel {
        model_id: 1,
        new_owner: heir.to_string(),
    };
    coins_refused_then_plain(&mut w, &owner, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_accept_model() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    coins_refused_then_plain(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 });
    assert_eq!(model(&w, 1).owner, heir);
    w.check();
}

#[test]
fn attack_native_coins_on_record_licensed_inference() {
    let mut w = world();
    licensed(&mut w);
    let client = w.client.clone();
    coins_refused_then_plain(&mut w, &client, &record("lic-1"));
    w.check();
}

#[test]
fn attack_native_coins_on_withdraw_earnings() {
    let mut w = world();
    one_paid(&mut w, "earned");
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    coins_refused_then_plain(&mut w, &owner, &ExecuteMsg::WithdrawEarnings {});
    w.s.moved(&models, &owner, 200);
    w.check();
}

#[test]
fn attack_native_coins_on_update_config() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: Some(FeeSplit::default()),
        reward_pool: None,
        registry: None,
    };
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_ownership() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
    }));
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}
