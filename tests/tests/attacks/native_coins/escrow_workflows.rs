use crate::workflows::kit::*;

// ---------------------------------------------------------------------------------------------
// Native coins attached to the workflow messages
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_native_coins_on_delegate_task() {
    let mut w = world();
    let agent = w.agent.clone();
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    let msg = ExecuteMsg::DelegateTask {
        task_id: root,
        milestone: 0,
        task: sub_task(&w, root, &helper, &[1_000]),
    };
    coins_refused_then_plain(&mut w, &agent, &msg);
    assert_eq!(w.task(root).milestones[0].delegated.u128(), 1_000);
    w.check();
}

#[test]
fn attack_native_coins_on_evaluate_milestone() {
    let mut w = world();
    let agent = w.agent.clone();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    coins_refused_then_plain(&mut w, &judge, &verdict(id, 0, true));
    paid(&mut w, &judge, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();
}

#[test]
fn attack_native_coins_on_escalate() {
    let mut w = world();
    let agent = w.agent.clone();
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    w.at(w.now() + EVAL_WINDOW);
    let msg = ExecuteMsg::Escalate {
        task_id: id,
        milestone: 0,
    };
    coins_refused_then_plain(&mut w, &stranger, &msg);
    fee_paid(&mut w, 2_000);
    w.check();
}

#[test]
fn attack_native_coins_on_give_feedback() {
    let mut w = world();
    let client = w.client.clone();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let agent = w.agent.clone();
    fee_paid(&mut w, 50);
    paid(&mut w, &agent, 950);
    let msg = ExecuteMsg::GiveFeedback {
        task_id: id,
        subject: FeedbackSubject::Agent,
        rating: 70,
        tag: "on-time".into(),
    };
    coins_refused_then_plain(&mut w, &client, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_update_evaluator() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let msg = ExecuteMsg::UpdateEvaluator {
        name: Some("renamed".into()),
        metadata_uri: None,
        capabilities: Some(vec!["translation".into()]),
        fee: None,
    };
    coins_refused_then_plain(&mut w, &judge, &msg);
    w.check();
}

#[test]
fn attack_native_coins_on_unbond_and_withdraw_evaluator_bond() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    coins_refused_then_plain(&mut w, &judge, &ExecuteMsg::UnbondEvaluator {});
    w.at(w.now() + UNBONDING);
    let e = refused(&mut w, |w| {
        with_coins(w, &judge, &ExecuteMsg::WithdrawEvaluatorBond {})
    });
    assert_eq!(e, nonpayable());
    w.exec(&judge, &ExecuteMsg::WithdrawEvaluatorBond {})
        .unwrap();
    paid(&mut w, &judge, EVALUATOR_BOND);
    w.check();
}

#[test]
fn attack_native_coins_on_receive_of_evaluator_hooks() {
    let mut w = world();
    let token = w.s.token.clone();
    give_native(&mut w, &token);
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    for hook in [
        evaluator_hook(vec!["code-review".into()], EVAL_FEE),
        ReceiveMsg::TopUpEvaluatorBond {},
    ] {
        let msg = ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: judge.to_string(),
            amount: Uint128::new(1_000),
            msg: bin(&hook),
        });
        let e = refused(&mut w, |w| with_coins(w, &token, &msg));
        assert_eq!(e, nonpayable());
    }
    assert_eq!(evaluator_info(&w, &judge).bond.u128(), EVALUATOR_BOND);
    w.check();
}
