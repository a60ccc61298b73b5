use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Unnormalized, foreign-prefix, empty and self-referencing addresses
// ---------------------------------------------------------------------------------------------

fn withdraw_to(w: &mut World, recipient: &str) -> PoolError {
    let deployer = w.deployer.clone();
    let msg = PoolExec::WithdrawTreasury {
        amount: Uint128::new(TREASURY),
        recipient: Some(recipient.to_string()),
    };
    refused::<PoolError>(&mut w.s, |s| s.pool_exec(&deployer, &msg))
}

#[test]
fn attack_address_treasury_to_the_pool_itself() {
    // The pool would pay itself: the treasury shrinks, the tokens stay as nobody's surplus.
    let mut w = world();
    let pool = w.s.pool.to_string();
    let e = withdraw_to(&mut w, &pool);
    assert_eq!(
        e,
        self_reference("recipient", &pool, "the reward pool itself")
    );
    assert_eq!(w.s.treasury(), TREASURY);
    w.s.check();
}

#[test]
fn attack_address_treasury_to_the_token_contract() {
    let mut w = world();
    let token = w.s.token.to_string();
    let e = withdraw_to(&mut w, &token);
    assert_eq!(
        e,
        self_reference("recipient", &token, "the fee token contract")
    );
    w.s.check();
}

#[test]
fn attack_address_treasury_to_the_registry() {
    let mut w = world();
    let registry = w.registry.to_string();
    let e = withdraw_to(&mut w, &registry);
    assert_eq!(
        e,
        self_reference("recipient", &registry, "the datanet registry")
    );
    w.s.check();
}

#[test]
fn attack_address_treasury_to_an_empty_or_foreign_address() {
    let mut w = world();
    for bad in ["", COSMOS_ADDR] {
        let e = withdraw_to(&mut w, bad);
        invalid_address(e, "recipient", bad);
    }
    w.s.check();
}

#[test]
fn attack_address_registry_set_to_the_pool_itself_or_the_token() {
    let mut w = world();
    let deployer = w.deployer.clone();
    for (bad, what) in [
        (w.s.pool.to_string(), "the reward pool itself"),
        (w.s.token.to_string(), "the fee token contract"),
    ] {
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(
                &deployer,
                &PoolExec::UpdateConfig {
                    registry: Some(bad.clone()),
                    unbonding_period: None,
                    staking_reward_period: None,
                    curators_bps: None,
                },
            )
        });
        assert_eq!(e, self_reference("registry", &bad, what));
    }
    w.s.check();
}

#[test]
fn attack_address_registry_upper_case() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let upper = w.registry.to_string().to_uppercase();
    let e = refused::<PoolError>(&mut w.s, |s| {
        s.pool_exec(
            &deployer,
            &PoolExec::UpdateConfig {
                registry: Some(upper.clone()),
                unbonding_period: None,
                staking_reward_period: None,
                curators_bps: None,
            },
        )
    });
    invalid_address(e, "registry", &upper);
    w.s.check();
}

#[test]
fn attack_address_attestor_upper_case_foreign_or_empty() {
    let mut w = world();
    let deployer = w.deployer.clone();
    let upper = w.mallory.to_string().to_uppercase();
    for (add, remove) in [
        (vec![upper.clone()], vec![]),
        (vec![COSMOS_ADDR.to_string()], vec![]),
        (vec![], vec![String::new()]),
    ] {
        let bad = add.first().or(remove.first()).unwrap().clone();
        let e = refused::<PoolError>(&mut w.s, |s| {
            s.pool_exec(&deployer, &PoolExec::UpdateAttestors { add, remove })
        });
        invalid_address(e, "attestor", &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_weight_update_for_an_unnormalized_contributor() {
    // Even the registry cannot credit an address that is not this chain's.
    let mut w = world();
    let registry = w.registry.clone();
    let upper = w.alice.to_string().to_uppercase();
    for bad in [upper, COSMOS_ADDR.to_string(), String::new()] {
        let msg = weights(1, vec![(bad.clone(), 5)]);
        let e = refused::<PoolError>(&mut w.s, |s| s.pool_exec(&registry, &msg));
        invalid_address(e, "contributor", &bad);
    }
    w.s.check();
}

#[test]
fn attack_address_token_transfer_to_an_unnormalized_address() {
    let mut w = world();
    let (alice, token) = (w.alice.clone(), w.s.token.clone());
    let upper = w.bob.to_string().to_uppercase();
    for (bad, why) in [
        (upper.as_str(), "Invalid input: address not normalized"),
        (COSMOS_ADDR, "Wrong bech32 prefix"),
        ("", "Error decoding bech32"),
    ] {
        let e = w.s.refused(|s| {
            s.app.execute_contract(
                alice.clone(),
                token.clone(),
                &Cw20ExecuteMsg::Transfer {
                    recipient: bad.to_string(),
                    amount: Uint128::one(),
                },
                &[],
            )
        });
        let e = e.downcast::<open_token::ContractError>().unwrap();
        assert_eq!(e.to_string(), format!("Generic error: {why}"), "{bad}");
    }
    w.s.check();
}
