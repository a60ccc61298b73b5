use crate::workflows::kit::*;

// ---------------------------------------------------------------------------------------------
// The workflow messages sent by the wrong party
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unauthorized_delegate_task() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let root = w.accepted(&[10_000]);
    for who in [&client, &arbiter, &helper, &judge, &stranger] {
        let t = sub_task(&w, root, &helper, &[1_000]);
        let e = refused(&mut w, |w| delegate(w, who, (root, 0), t));
        assert_eq!(e, ContractError::NotAgent { task_id: root });
    }
    // The coordinator is the client of its sub-task: only the sub-agent delegates from it.
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);
    accept_as(&mut w, &helper, sub).unwrap();
    for who in [&agent, &client] {
        let t = sub_task(&w, sub, &stranger, &[100]);
        let e = refused(&mut w, |w| delegate(w, who, (sub, 0), t));
        assert_eq!(e, ContractError::NotAgent { task_id: sub });
    }
    w.check();
}

#[test]
fn attack_unauthorized_evaluate_milestone() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let rival = evaluator(&mut w, "rival-judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    for who in [&client, &agent, &arbiter, &rival, &stranger] {
        for approve in [true, false] {
            let e = refused(&mut w, |w| evaluate(w, who, (id, 0), approve));
            assert_eq!(e, ContractError::NotEvaluator { task_id: id });
        }
    }
    // A task without an evaluator takes no verdict, whoever sends it.
    let plain = w.accepted(&[1_000]);
    w.submit(plain, 0, vec![]).unwrap();
    for who in [&judge, &client] {
        let e = refused(&mut w, |w| evaluate(w, who, (plain, 0), true));
        assert_eq!(e, ContractError::NoEvaluator { task_id: plain });
        let e = refused(&mut w, |w| escalate(w, who, plain, 0));
        assert_eq!(e, ContractError::NoEvaluator { task_id: plain });
    }
    // Anyone may escalate, but only once the evaluator's window has passed.
    let evaluation_deadline = w.task(id).milestones[0].evaluation_deadline.unwrap();
    let e = refused(&mut w, |w| escalate(w, &stranger, id, 0));
    assert_eq!(
        e,
        ContractError::EvaluationWindowOpen {
            task_id: id,
            milestone: 0,
            evaluation_deadline
        }
    );
    w.check();
}

#[test]
fn attack_unauthorized_give_feedback() {
    let mut w = world();
    let (agent, arbiter) = (w.agent.clone(), w.arbiter.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), true).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    for who in [&agent, &arbiter, &judge, &helper, &stranger] {
        for subject in [FeedbackSubject::Agent, FeedbackSubject::Evaluator] {
            let e = refused(&mut w, |w| rate(w, who, id, subject, 100));
            assert_eq!(e, ContractError::NotClient { task_id: id });
        }
    }
    w.check();
}

#[test]
fn attack_unauthorized_evaluator_and_agent_accounts() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let update = ExecuteMsg::UpdateEvaluator {
        name: Some("mine".into()),
        metadata_uri: None,
        capabilities: None,
        fee: Some(Uint128::zero()),
    };
    // An agent, or anyone, is not an evaluator; an evaluator is not an agent.
    for who in [&agent, &stranger] {
        let not_found = ContractError::EvaluatorNotFound {
            address: who.to_string(),
        };
        for msg in [
            update.clone(),
            ExecuteMsg::UnbondEvaluator {},
            ExecuteMsg::WithdrawEvaluatorBond {},
        ] {
            let e = refused(&mut w, |w| w.exec(who, &msg));
            assert_eq!(e, not_found);
        }
    }
    let not_agent = ContractError::AgentNotFound {
        address: judge.to_string(),
    };
    let agent_update = ExecuteMsg::UpdateAgent {
        name: Some("mine".into()),
        metadata_uri: None,
        models: None,
        capabilities: None,
    };
    for msg in [
        agent_update,
        ExecuteMsg::Unbond {},
        ExecuteMsg::WithdrawBond {},
    ] {
        let e = refused(&mut w, |w| w.exec(&judge, &msg));
        assert_eq!(e, not_agent);
    }
    // Top-ups go to the sender's own record only.
    let e = refused(&mut w, |w| {
        w.s.send(&agent, &escrow, 100, &ReceiveMsg::TopUpEvaluatorBond {})
    });
    assert_eq!(
        e,
        ContractError::EvaluatorNotFound {
            address: agent.to_string()
        }
    );
    w.s.fund(&judge, 100);
    let e = refused(&mut w, |w| {
        w.s.send(&judge, &escrow, 100, &ReceiveMsg::TopUpBond {})
    });
    assert_eq!(e, not_agent);
    assert_eq!(evaluator_info(&w, &judge).fee.u128(), EVAL_FEE);
    w.check();
}

#[test]
fn attack_unauthorized_review_of_a_judged_delivery() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), false).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    // Only the agent appeals a rejection; only the client concedes it; the evaluator rules
    // on nothing.
    for who in [&judge, &stranger] {
        let e = refused(&mut w, |w| dispute_as(w, who, id, 0));
        assert_eq!(e, ContractError::NotClient { task_id: id });
    }
    for who in [&judge, &agent, &stranger] {
        let e = refused(&mut w, |w| approve_as(w, who, id, 0));
        assert_eq!(e, ContractError::NotClient { task_id: id });
    }
    dispute_as(&mut w, &agent, id, 0).unwrap();
    for who in [&judge, &client, &agent] {
        let e = refused(&mut w, |w| rule(w, who, (id, 0), 10_000));
        assert_eq!(e, ContractError::NotArbiter { task_id: id });
    }
    w.check();
}
