use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Two-step ownership: the contract and each model
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_contract_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "There isn't a pending ownership transfer");
    w.check();
}

#[test]
fn attack_ownership_contract_accept_by_someone_else() {
    let mut w = world();
    let (deployer, heir, mallory) = (w.s.deployer.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's pending owner");
    w.check();
}

#[test]
fn attack_ownership_contract_pending_owner_configures_before_accepting() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(heir.to_string()),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &heir, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_contract_accept_after_expiry() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let expiry = w.s.app.block_info().time.plus_seconds(60);
    exec(
        &mut w,
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": {
                "new_owner": heir.to_string(),
                "expiry": { "at_time": expiry.nanos().to_string() }
            }
        })),
    )
    .unwrap();
    w.at(expiry.seconds() + 1);
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| exec(w, &heir, &msg));
    assert_eq!(
        ownership(e),
        "A pending ownership transfer exists but it has expired"
    );
    w.check();
}

#[test]
fn attack_ownership_model_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_accept_by_someone_else() {
    let mut w = world();
    let (owner, heir, mallory) = (w.model_owner.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::TransferModel {
            model_id: 1,
            new_owner: heir.to_string(),
        },
    )
    .unwrap();
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_pending_owner_acts_before_accepting() {
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
    let e = refused(&mut w, |w| exec(w, &heir, &update_metadata(1)));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_previous_owner_acts_after_handover() {
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
    exec(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 }).unwrap();
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: owner.to_string(),
            },
        )
    });
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_accept_after_the_transfer_was_cancelled() {
    let mut w = world();
    let (owner, heir) = (w.model_owner.clone(), w.s.addr("heir"));
    for new_owner in [&heir, &owner] {
        exec(
            &mut w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    }
    assert_eq!(model(&w, 1).pending_owner, None);
    let e = refused(&mut w, |w| {
        exec(w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_ownership_model_first_heir_accepts_after_retargeting() {
    let mut w = world();
    let (owner, first, second) = (
        w.model_owner.clone(),
        w.s.addr("heir-1"),
        w.s.addr("heir-2"),
    );
    for new_owner in [&first, &second] {
        exec(
            &mut w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: new_owner.to_string(),
            },
        )
        .unwrap();
    }
    let e = refused(&mut w, |w| {
        exec(w, &first, &ExecuteMsg::AcceptModel { model_id: 1 })
    });
    assert_eq!(e, ContractError::NotPendingOwner { model_id: 1 });
    w.check();
}

/// Earnings credited before a handover stay with the previous owner: the new owner cannot
/// withdraw them.
#[test]
fn attack_ownership_model_new_owner_withdraws_earlier_earnings() {
    let mut w = world();
    one_paid(&mut w, "before-handover");
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
    exec(&mut w, &heir, &ExecuteMsg::AcceptModel { model_id: 1 }).unwrap();
    let e = refused(&mut w, |w| exec(w, &heir, &ExecuteMsg::WithdrawEarnings {}));
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &owner), 200);
    w.check();
}
