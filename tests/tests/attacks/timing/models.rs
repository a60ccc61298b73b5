use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Timing: licence expiry at t − 1, t, t + 1
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_timing_licensed_inference_at_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end - 1);
    exec(&mut w, &client, &record("last-second")).unwrap();
    w.at(end);
    let e = refused(&mut w, |w| exec(w, &client, &record("at-expiry")));
    assert_eq!(
        e,
        ContractError::LicenseExpired {
            model_id: 1,
            expired_at: expires_at
        }
    );
    w.check();
}

#[test]
fn attack_timing_licensed_inference_one_second_after_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end + 1);
    let e = refused(&mut w, |w| exec(w, &client, &record("late")));
    assert_eq!(
        e,
        ContractError::LicenseExpired {
            model_id: 1,
            expired_at: expires_at
        }
    );
    w.check();
}

#[test]
fn attack_timing_other_tier_one_second_before_expiry() {
    let mut w = world();
    let (end, expires_at) = licensed(&mut w);
    let client = w.client.clone();
    w.at(end - 1);
    let hook = buy_tier(2);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &hook));
    assert_eq!(
        e,
        ContractError::LicenseActive {
            model_id: 1,
            expires_at
        }
    );
    // At the end of the term the other tier may be bought.
    w.at(end);
    pay(&mut w, &client, PRICE, &hook).unwrap();
    book_fee(&mut w, &client, PRICE);
    w.check();
}

#[test]
fn attack_timing_payment_to_a_paused_model() {
    let mut w = world();
    w.set_model_status(ModelStatus::Paused);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        pay(
            w,
            &client,
            MODEL_FEE,
            &ReceiveMsg::PayInference(lineage("p")),
        )
    });
    assert_eq!(
        e,
        ContractError::ModelNotActive {
            model_id: 1,
            status: ModelStatus::Paused
        }
    );
    w.check();
}

#[test]
fn attack_timing_reactivating_a_retired_model() {
    let mut w = world();
    w.set_model_status(ModelStatus::Retired);
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Active,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, ContractError::ModelRetired { model_id: 1 });
    w.check();
}
