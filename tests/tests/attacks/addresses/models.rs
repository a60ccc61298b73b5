use crate::setup::models::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign and self-referencing addresses
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_address_upper_case_host_at_registration() {
    let mut w = world();
    let owner = w.s.addr("second-owner");
    let upper = w.s.addr("host").to_string().to_uppercase();
    let mut m = new_model(&w);
    m.hosts = vec![host(&w, &upper)];
    let expected = invalid_address(&w, "hosts", &upper);
    let e = refused(&mut w, |w| exec(w, &owner, &ExecuteMsg::RegisterModel(m)));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_host_in_update() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let msg = ExecuteMsg::UpdateModel {
        model_id: 1,
        metadata_uri: None,
        inference_fee: None,
        tiers: None,
        hosts: Some(vec![host(&w, FOREIGN)]),
    };
    let expected = invalid_address(&w, "hosts", FOREIGN);
    let e = refused(&mut w, |w| exec(w, &owner, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_new_model_owner() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let upper = w.s.addr("heir").to_string().to_uppercase();
    let expected = invalid_address(&w, "new_owner", &upper);
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: upper.clone(),
            },
        )
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_new_model_owner() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let expected = invalid_address(&w, "new_owner", FOREIGN);
    let e = refused(&mut w, |w| {
        exec(
            w,
            &owner,
            &ExecuteMsg::TransferModel {
                model_id: 1,
                new_owner: FOREIGN.into(),
            },
        )
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_reward_pool() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.s.pool.to_string().to_uppercase();
    let expected = invalid_address(&w, "reward_pool", &upper);
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: Some(upper),
        registry: None,
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_registry() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let expected = invalid_address(&w, "registry", FOREIGN);
    let msg = ExecuteMsg::UpdateConfig {
        fee_split: None,
        reward_pool: None,
        registry: Some(FOREIGN.into()),
    };
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_unnormalized_new_contract_owner() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.s.addr("heir").to_string().to_uppercase();
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": upper, "expiry": null }
    }));
    let e = refused(&mut w, |w| exec(w, &deployer, &msg));
    let reason = w.s.app.api().addr_validate(&upper).unwrap_err().to_string();
    assert_eq!(ownership(e), reason);
    w.check();
}

/// Model licensing wired to itself as its reward pool: every payment's `distribute` comes
/// back to model licensing as a hook it does not understand, and the whole payment reverts.
#[test]
fn attack_address_model_licensing_as_its_own_reward_pool() {
    let mut w = world();
    let (deployer, models, token, registry, pool) = (
        w.s.deployer.clone(),
        w.models.clone(),
        w.s.token.clone(),
        w.s.registry.clone(),
        w.s.pool.clone(),
    );
    // Model licensing or the token as the pool or the registry, or the pool and the registry
    // at one address, would make every payment fail: each wiring is refused.
    for (reward_pool, reg, contract, role, address) in [
        (
            Some(&models),
            None,
            "model_licensing",
            "reward_pool",
            &models,
        ),
        (Some(&token), None, "token", "reward_pool", &token),
        (None, Some(&models), "model_licensing", "registry", &models),
        (None, Some(&token), "token", "registry", &token),
        (Some(&registry), None, "registry", "reward_pool", &registry),
        (None, Some(&pool), "registry", "reward_pool", &pool),
    ] {
        let msg = ExecuteMsg::UpdateConfig {
            fee_split: None,
            reward_pool: reward_pool.map(|a| a.to_string()),
            registry: reg.map(|a| a.to_string()),
        };
        let e = refused(&mut w, |w| exec(w, &deployer, &msg));
        assert_eq!(
            e,
            ContractError::Validation(ValidationError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: address.to_string(),
            })
        );
    }
    w.check();
}
