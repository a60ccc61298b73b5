use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or a forged Cw20ReceiveMsg from a wallet
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_receive_create_datanet_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let fake = fake_token(&mut w.s, &mallory);
    let hook = to_json_binary(&RegHook::CreateDatanet(new_datanet(
        "fake",
        0,
        AttributionMode::Weight,
        vec![],
    )))
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| fake_send(s, &fake, &mallory, FEE, hook));
    assert_eq!(e, unexpected_token(&w.s, &fake));
    assert_eq!(balance_of(&w.s, &fake, &mallory), 10_000);
    assert_eq!(balance_of(&w.s, &fake, &w.s.registry.clone()), 0);
    w.s.check();
}

#[test]
fn attack_wrong_token_receive_contribute_from_fake_cw20() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let fake = fake_token(&mut w.s, &mallory);
    let hook = to_json_binary(&RegHook::Contribute(contribution(1, "fake"))).unwrap();
    let e = refused::<RegError>(&mut w.s, |s| fake_send(s, &fake, &mallory, BOND, hook));
    assert_eq!(e, unexpected_token(&w.s, &fake));
    assert_eq!(balance_of(&w.s, &fake, &mallory), 10_000);
    assert_eq!(datanet(&w.s, 1).pending_count, 1);
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_create_datanet_from_wallet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let forged = Cw20ReceiveMsg {
        sender: mallory.to_string(),
        amount: Uint128::new(FEE),
        msg: to_json_binary(&RegHook::CreateDatanet(new_datanet(
            "forged",
            0,
            AttributionMode::Weight,
            vec![],
        )))
        .unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &mallory));
    let config: ConfigResponse = w.s.query_registry(&RegQuery::Config {});
    assert_eq!(config.datanet_count, 2);
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_contribute_in_the_name_of_another() {
    // The forged hook names alice as the payer: it would record a contribution she never paid.
    let mut w = world();
    let (mallory, alice) = (w.mallory.clone(), w.alice.clone());
    let forged = Cw20ReceiveMsg {
        sender: alice.to_string(),
        amount: Uint128::new(BOND),
        msg: to_json_binary(&RegHook::Contribute(contribution(1, "forged"))).unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &mallory));
    w.s.check();
}

#[test]
fn attack_wrong_token_forged_receive_from_the_pool_address() {
    // Even an address of the suite is not the token.
    let mut w = world();
    let pool = w.s.pool.clone();
    let forged = Cw20ReceiveMsg {
        sender: pool.to_string(),
        amount: Uint128::new(FEE),
        msg: to_json_binary(&RegHook::CreateDatanet(new_datanet(
            "pool",
            0,
            AttributionMode::Weight,
            vec![],
        )))
        .unwrap(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&pool, &RegExec::Receive(forged))
    });
    assert_eq!(e, unexpected_token(&w.s, &pool));
    w.s.check();
}
