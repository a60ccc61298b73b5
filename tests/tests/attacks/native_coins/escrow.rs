use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Native coins attached to every execute message
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_native_coins_on_receive() {
    let mut w = world();
    let token = w.s.token.clone();
    give_native(&mut w, &token);
    let task = w.new_task(&[1_000]);
    let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
        sender: w.client.to_string(),
        amount: Uint128::new(1_000),
        msg: bin(&ReceiveMsg::CreateTask(task)),
    });
    let e = refused(&mut w, |w| with_coins(w, &token, &msg));
    assert_eq!(e, nonpayable());
    w.check();
}

#[test]
fn attack_native_coins_on_accept_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::AcceptTask { task_id: id });
    w.check();
}

#[test]
fn attack_native_coins_on_decline_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let (agent, client, escrow) = (w.agent.clone(), w.client.clone(), w.escrow.clone());
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::DeclineTask { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_cancel_task() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let (client, escrow) = (w.client.clone(), w.escrow.clone());
    coins_refused_then_plain(&mut w, &client, &ExecuteMsg::CancelTask { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_submit_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    let agent = w.agent.clone();
    let msg = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![],
        input_hash: None,
    };
    coins_refused_then_plain(&mut w, &agent, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_approve_milestone() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("coins-approve")])
        .unwrap();
    book_delivery_fee(&mut w);
    let client = w.client.clone();
    let msg = ExecuteMsg::ApproveMilestone {
        task_id: id,
        milestone: 0,
    };
    coins_refused_then_plain(&mut w, &client, &msg);
    book_paid_settlement(&mut w);
    w.check();
}

#[test]
fn attack_native_coins_on_dispute_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::DisputeMilestone {
        task_id: id,
        milestone: 0,
        reason: "late".into(),
    };
    coins_refused_then_plain(&mut w, &client, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_resolve() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let (arbiter, escrow, pool, agent) = (
        w.arbiter.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    coins_refused_then_plain(&mut w, &arbiter, &msg);
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_native_coins_on_finalize() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.at(w.now() + REVIEW);
    let (stranger, escrow, pool, agent) = (
        w.s.addr("stranger"),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    coins_refused_then_plain(&mut w, &stranger, &msg);
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_native_coins_on_refund() {
    let mut w = world();
    let id = w.create(&[1_000]);
    w.at(w.now() + ACCEPT);
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    coins_refused_then_plain(&mut w, &stranger, &ExecuteMsg::Refund { task_id: id });
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_update_agent() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: Some("renamed".into()),
        metadata_uri: None,
        models: None,
        capabilities: None,
    };
    coins_refused_then_plain(&mut w, &agent, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_unbond() {
    let mut w = world();
    let agent = w.agent.clone();
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::Unbond {});
    w.check();
}

#[test]
fn attack_native_coins_on_withdraw_bond() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    w.at(w.now() + UNBONDING);
    coins_refused_then_plain(&mut w, &agent, &ExecuteMsg::WithdrawBond {});
    w.s.moved(&escrow, &agent, BOND);
    w.check();
}

#[test]
fn attack_native_coins_on_update_config() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let msg = settle_config(&w);
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_ownership() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let heir = w.s.addr("heir");
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
    }));
    coins_refused_then_plain(&mut w, &deployer, &msg);
    w.check();
}
