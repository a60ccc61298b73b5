use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Receive from a wrong token, or from a wallet calling `receive` itself
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_wrong_token_register_agent_with_second_cw20() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let fake = second_token(&mut w, &mallory);
    let hook = ReceiveMsg::RegisterAgent {
        name: "mallory".into(),
        metadata_uri: String::new(),
        models: vec![1],
        capabilities: None,
    };
    let e = refused(&mut w, |w| fake_send(w, &fake, &mallory, BOND, &hook));
    assert_eq!(e, unexpected_token(&w, &fake));
    w.check();
}

#[test]
fn attack_wrong_token_top_up_bond_with_second_cw20() {
    let mut w = world();
    let agent = w.agent.clone();
    let fake = second_token(&mut w, &agent);
    let e = refused(&mut w, |w| {
        fake_send(w, &fake, &agent, 50_000, &ReceiveMsg::TopUpBond {})
    });
    assert_eq!(e, unexpected_token(&w, &fake));
    assert_eq!(w.agent_info(&agent).bond.u128(), BOND);
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_create_task() {
    let mut w = world();
    let client = w.client.clone();
    let task = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| {
        forged_receive(
            w,
            &client,
            &client,
            1_000,
            bin(&ReceiveMsg::CreateTask(task)),
        )
    });
    assert_eq!(e, unexpected_token(&w, &client));
    assert_eq!(w.task_count(), 0);
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_register_agent() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let hook = bin(&ReceiveMsg::RegisterAgent {
        name: "mallory".into(),
        metadata_uri: String::new(),
        models: vec![],
        capabilities: None,
    });
    let e = refused(&mut w, |w| {
        forged_receive(w, &mallory, &mallory, BOND, hook)
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    w.check();
}

#[test]
fn attack_wrong_token_wallet_calls_receive_to_top_up_another_agent() {
    let mut w = world();
    let (mallory, agent) = (w.s.addr("mallory"), w.agent.clone());
    let e = refused(&mut w, |w| {
        forged_receive(
            w,
            &mallory,
            &agent,
            1_000_000,
            bin(&ReceiveMsg::TopUpBond {}),
        )
    });
    assert_eq!(e, unexpected_token(&w, &mallory));
    assert_eq!(w.agent_info(&agent).bond.u128(), BOND);
    w.check();
}

#[test]
fn attack_wrong_token_zero_amount_send_of_open() {
    let mut w = world();
    let client = w.client.clone();
    let task = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| {
        raw_send(
            w,
            &client,
            0,
            &to_json_vec(&ReceiveMsg::CreateTask(task)).unwrap(),
        )
    });
    assert_eq!(e, ContractError::Hook(HookError::ZeroAmount));
    w.check();
}
