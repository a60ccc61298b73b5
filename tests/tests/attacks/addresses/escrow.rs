use crate::setup::escrow::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign and self-referencing addresses
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_address_upper_case_agent() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.agent = t.agent.to_uppercase();
    let expected = invalid_address(&w, "agent", &t.agent);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_agent() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.agent = FOREIGN.into();
    let expected = invalid_address(&w, "agent", FOREIGN);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_arbiter() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    let upper = w.s.addr("judge").to_string().to_uppercase();
    t.arbiter = Some(upper.clone());
    let expected = invalid_address(&w, "arbiter", &upper);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_arbiter() {
    let mut w = world();
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(FOREIGN.into());
    let expected = invalid_address(&w, "arbiter", FOREIGN);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_foreign_prefix_default_arbiter() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let expected = invalid_address(&w, "default_arbiter", FOREIGN);
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(FOREIGN.into()), None))
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_upper_case_model_licensing() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let upper = w.models.to_string().to_uppercase();
    let expected = invalid_address(&w, "model_licensing", &upper);
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(None, Some(upper.clone())))
    });
    assert_eq!(e, expected);
    w.check();
}

#[test]
fn attack_address_escrow_itself_as_default_arbiter() {
    let mut w = world();
    let (deployer, escrow) = (w.s.deployer.clone(), w.escrow.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(escrow.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "escrow".into(),
            address: escrow.to_string()
        })
    );
    w.check();
}

#[test]
fn attack_address_token_as_default_arbiter() {
    let mut w = world();
    let (deployer, token) = (w.s.deployer.clone(), w.s.token.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(token.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "token".into(),
            address: token.to_string()
        })
    );
    w.check();
}

#[test]
fn attack_address_pool_as_default_arbiter() {
    let mut w = world();
    let (deployer, pool) = (w.s.deployer.clone(), w.s.pool.clone());
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(Some(pool.to_string()), None))
    });
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "reward_pool".into(),
            address: pool.to_string()
        })
    );
    w.check();
}

#[test]
fn attack_address_model_licensing_moved_onto_the_default_arbiter() {
    let mut w = world();
    let (deployer, arbiter) = (w.s.deployer.clone(), w.arbiter.clone());
    // Re-wiring model licensing to the default arbiter's address would make a protocol
    // contract the arbiter of every task.
    let e = refused(&mut w, |w| {
        w.exec(&deployer, &config_update(None, Some(arbiter.to_string())))
    });
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "model_licensing".into(),
            address: arbiter.to_string()
        })
    );
    w.check();
}

/// The owner wires the escrow to itself as reward pool (the configuration accepts it): every
/// settlement's protocol fee then comes back to the escrow as a hook it does not take, and the
/// approval reverts as a whole. Nothing moves and the milestone stays in review.
#[test]
fn attack_address_escrow_wired_as_its_own_reward_pool() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let (deployer, escrow, token, models) = (
        w.s.deployer.clone(),
        w.escrow.clone(),
        w.s.token.clone(),
        w.models.clone(),
    );
    // The escrow, the token or model licensing as the pool, and the escrow or the token as model
    // licensing, would make every settlement fail: each wiring is refused.
    for (pool, licensing, contract, role, address) in [
        (Some(&escrow), None, "escrow", "reward_pool", &escrow),
        (Some(&token), None, "token", "reward_pool", &token),
        (None, Some(&escrow), "escrow", "model_licensing", &escrow),
        (None, Some(&token), "token", "model_licensing", &token),
        (
            Some(&models),
            None,
            "reward_pool",
            "model_licensing",
            &models,
        ),
    ] {
        let mut rewire = config_update(None, licensing.map(|a| a.to_string()));
        if let ExecuteMsg::UpdateConfig { reward_pool, .. } = &mut rewire {
            *reward_pool = pool.map(|a| a.to_string());
        }
        let e = refused(&mut w, |w| w.exec(&deployer, &rewire));
        assert_eq!(
            e,
            ContractError::Validation(ValidationError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: address.to_string(),
            })
        );
    }
    // The milestone still settles.
    w.approve(id, 0).unwrap();
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Approved);
}

#[test]
fn attack_address_client_as_its_own_agent() {
    let mut w = world();
    let client = w.client.clone();
    w.register(&client, BOND, vec![]).unwrap();
    let mut t = w.new_task(&[1_000]);
    t.agent = client.to_string();
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(e, ContractError::ClientIsAgent);
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
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    let reason = w.s.app.api().addr_validate(&upper).unwrap_err().to_string();
    assert_eq!(ownership(e), reason);
    w.check();
}
