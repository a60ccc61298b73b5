use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Missing authorization
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unauthorized_update_config_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: Some(FeeSplit {
            datanets_bps: 0,
            model_owner_bps: 10_000,
            hosts_bps: 0,
            stakers_bps: 0,
            treasury_bps: 0,
        }),
        reward_pool: None,
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_config_by_a_model_owner() {
    let mut w = world();
    let (owner, mallory) = (w.model_owner.clone(), w.s.addr("mallory"));
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(mallory.to_string()),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_transfer_contract_ownership_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": mallory.to_string(), "expiry": null }
    }));
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_model_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: Some(Uint128::new(1)),
        tiers: None,
        hosts: None,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_host_replaces_the_hosts() {
    let mut w = world();
    let host_addr = w.s.addr("host");
    let rogue = HostKey::new("rogue-host");
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(vec![Host {
            address: host_addr.to_string(),
            pubkey: rogue.pubkey(),
        }]),
    };
    let e = refused(&mut w, |w| exec(w, &host_addr, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_owner_of_one_model_updates_another() {
    let mut w = world();
    let rival = w.s.addr("rival-owner");
    register(&mut w, &rival);
    let e = refused(&mut w, |w| exec(w, &rival, &update_metadata(1)));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_pause_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Paused,
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_retire_by_the_contract_owner() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::SetModelStatus {
        model_id: 1,
        status: ModelStatus::Retired,
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_transfer_model_by_stranger() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = ExecuteMsg::TransferModel {
        model_id: 1,
        new_owner: mallory.to_string(),
    };
    let e = refused(&mut w, |w| exec(w, &mallory, &msg));
    assert_eq!(e, ContractError::NotModelOwner { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_licensed_inference_without_licence() {
    let mut w = world();
    add_tier(&mut w);
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| exec(w, &mallory, &record("free-ride")));
    assert_eq!(e, ContractError::NoLicense { model_id: 1 });
    w.check();
}

#[test]
fn attack_unauthorized_withdraw_of_the_owners_earnings() {
    let mut w = world();
    one_paid(&mut w, "earned");
    let mallory = w.s.addr("mallory");
    let e = refused(&mut w, |w| {
        exec(w, &mallory, &ExecuteMsg::WithdrawEarnings {})
    });
    assert_eq!(e, ContractError::NothingToWithdraw);
    assert_eq!(earnings(&w, &w.model_owner.clone()), 200);
    w.check();
}
