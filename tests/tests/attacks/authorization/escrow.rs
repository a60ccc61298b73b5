use crate::setup::escrow::*;
use crate::workflows::kit::{evaluator, evaluator_hook};
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Missing authorization
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unauthorized_update_config_by_stranger() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_update_config_by_default_arbiter() {
    let mut w = world();
    let arbiter = w.arbiter.clone();
    let msg = config_update(None, Some(arbiter.to_string()));
    let e = refused(&mut w, |w| w.exec(&arbiter, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_transfer_ownership_by_stranger() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let msg = update_ownership(serde_json::json!({
        "transfer_ownership": { "new_owner": stranger.to_string(), "expiry": null }
    }));
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_renounce_ownership_by_agent() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = update_ownership(serde_json::json!("renounce_ownership"));
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_unauthorized_decline_by_client() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        w.exec(&client, &ExecuteMsg::DeclineTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_cancel_by_agent() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::CancelTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotClient { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_accept_by_another_registered_agent() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    w.register(&rival, BOND, vec![1]).unwrap();
    let e = refused(&mut w, |w| {
        w.exec(&rival, &ExecuteMsg::AcceptTask { task_id: id })
    });
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_submit_by_client() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    let client = w.client.clone();
    let msg = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![],
        input_hash: None,
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(e, ContractError::NotAgent { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_resolve_by_client() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 0,
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_resolve_by_agent() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_contract_owner_resolves() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let deployer = w.s.deployer.clone();
    let msg = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 5_000,
    };
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

#[test]
fn attack_unauthorized_stranger_updates_agent_profile() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let msg = ExecuteMsg::UpdateAgent {
        name: Some("agent".into()),
        metadata_uri: None,
        models: None,
        capabilities: None,
    };
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
    w.check();
}

#[test]
fn attack_unauthorized_client_unbonds_the_agent() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| w.exec(&client, &ExecuteMsg::Unbond {}));
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: client.to_string()
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Arbiter overreach
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_arbiter_share_above_ten_thousand_bps() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_001));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidBps {
            field: "agent_share_bps".into(),
            bps: 10_001
        })
    );
    w.check();
}

#[test]
fn attack_arbiter_share_of_u16_max() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, u16::MAX));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidBps {
            field: "agent_share_bps".into(),
            bps: u16::MAX
        })
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_twice() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    w.resolve(id, 0, 5_000).unwrap();
    // 500 for the agent's side: protocol 25, agent 475; 500 back to the client.
    let (escrow, pool, agent, client) = (
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
        w.client.clone(),
    );
    w.s.moved(&escrow, &pool, 25);
    w.s.moved(&escrow, &agent, 475);
    w.s.moved(&escrow, &client, 500);
    w.check();
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_on_a_later_milestone_than_the_disputed_one() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 1, 10_000));
    assert_eq!(
        e,
        ContractError::NotCurrentMilestone {
            task_id: id,
            milestone: 1,
            current: 0
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_rules_on_a_milestone_that_does_not_exist() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 7, 10_000));
    assert_eq!(
        e,
        ContractError::MilestoneNotFound {
            task_id: id,
            milestone: 7
        }
    );
    w.check();
}

#[test]
fn attack_arbiter_of_one_task_rules_on_another() {
    let mut w = world();
    // A named arbiter is a bonded evaluator.
    let judge = evaluator(&mut w, "judge", MIN_BOND, 0);
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(judge.to_string());
    let own = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let other = w.accepted(&[1_000]);
    w.submit(other, 0, vec![]).unwrap();
    w.dispute(other, 0).unwrap();
    assert_eq!(w.task(own).task.arbiter, judge);
    let msg = ExecuteMsg::Resolve {
        task_id: other,
        milestone: 0,
        agent_share_bps: 10_000,
    };
    let e = refused(&mut w, |w| w.exec(&judge, &msg));
    assert_eq!(e, ContractError::NotArbiter { task_id: other });
    w.check();
}

#[test]
fn attack_arbiter_default_arbiter_rules_on_a_task_with_its_own_arbiter() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", MIN_BOND, 0);
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(judge.to_string());
    let id = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let e = refused(&mut w, |w| w.resolve(id, 0, 0));
    assert_eq!(e, ContractError::NotArbiter { task_id: id });
    w.check();
}

/// A ruling of 0 slashes the bond reserved for its task when it was accepted, never more than
/// the task's value: two lost disputes on tasks of 1 000 take 1 000 each of a 10 000 bond
/// (0.2.0 took 50 % of what was left each time: 5 000 then 2 500), and the escrow stays
/// solvent.
#[test]
fn attack_arbiter_slashes_at_most_the_tasks_reservation() {
    let mut w = world();
    let (escrow, client, agent) = (w.escrow.clone(), w.client.clone(), w.agent.clone());
    let a = w.accepted(&[1_000]);
    let b = w.accepted(&[1_000]);
    for id in [a, b] {
        assert_eq!(w.task(id).task.bond_reserved, Some(Uint128::new(1_000)));
        w.submit(id, 0, vec![]).unwrap();
        w.dispute(id, 0).unwrap();
    }
    w.resolve(a, 0, 0).unwrap();
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    w.resolve(b, 0, 0).unwrap();
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    let info = w.agent_info(&agent);
    assert_eq!((info.bond.u128(), info.reserved.u128()), (BOND - 2_000, 0));
    assert_eq!(w.task(b).task.slashed.u128(), 1_000);
    w.check();
}

/// A contract arbiter rules twice in one transaction (once for the client, once for the
/// agent): the second ruling fails and the first is reverted with it.
#[test]
fn attack_arbiter_contract_rules_twice_in_one_transaction() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-arbiter");
    bond_contract_as_evaluator(&mut w, &evil);
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(evil.to_string());
    let id = attr(&w.create_with(1_000, t).unwrap(), "task_id")
        .parse::<u64>()
        .unwrap();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let escrow = w.escrow.clone();
    let rule = |share| {
        bin(&ExecuteMsg::Resolve {
            task_id: id,
            milestone: 0,
            agent_share_bps: share,
        })
    };
    let e = refused(&mut w, |w| {
        malicious::calls(w, &evil, vec![(&escrow, rule(0)), (&escrow, rule(10_000))])
    });
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Disputed);
    w.check();
}

/// The contract `evil` (funded here) registers as an evaluator with the minimum bond and no
/// fee, so that a task may name it as its arbiter.
fn bond_contract_as_evaluator(w: &mut World, evil: &Addr) {
    let (token, escrow) = (w.s.token.clone(), w.escrow.clone());
    w.s.fund(evil, MIN_BOND);
    let send = Cw20ExecuteMsg::Send {
        contract: escrow.to_string(),
        amount: Uint128::new(MIN_BOND),
        msg: bin(&evaluator_hook(vec![], 0)),
    };
    malicious::calls(w, evil, vec![(&token, bin(&send))]).unwrap();
    w.s.moved(evil, &escrow, MIN_BOND);
}
