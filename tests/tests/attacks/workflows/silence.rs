//! An evaluator who never answers cannot freeze the work: while it may judge, nobody else
//! settles or refunds the delivery; once its window has passed, anyone escalates, its
//! reservation for the task is slashed to the treasury and the arbiter rules (or, silent too,
//! loses its own reservation and the client gets the deposit back). A rejection the agent
//! does not appeal stands; one it appeals goes to the arbiter.

use super::kit::*;

/// A delivery with its evaluator: the client can neither dispute nor finalize it, nobody can
/// refund it, and nobody can escalate it before the evaluation deadline; the evaluator cannot
/// judge after it. Escalation slashes the evaluator's 2 000 reserved for the task and hands
/// the delivery, which stands, to the arbiter; the arbiter pays the agent in full, the silent
/// evaluator is paid nothing and has nothing to be rated on.
#[test]
fn a_silent_evaluator_is_slashed_and_the_arbiter_rules() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    let evaluation_deadline = w.now() + EVAL_WINDOW;
    assert_eq!(
        w.task(id).milestones[0].evaluation_deadline,
        Some(evaluation_deadline)
    );
    assert_eq!(w.task(id).milestones[0].review_deadline, None);
    let in_evaluation = ContractError::InEvaluation {
        task_id: id,
        milestone: 0,
        evaluation_deadline,
    };
    let e = refused(&mut w, |w| dispute_as(w, &client, id, 0));
    assert_eq!(e, in_evaluation);
    let finalize = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    for who in [&client, &stranger] {
        let e = refused(&mut w, |w| w.exec(who, &finalize));
        assert_eq!(e, in_evaluation);
    }
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::MilestoneUnderReview {
            task_id: id,
            milestone: 0,
            review_deadline: evaluation_deadline
        }
    );
    w.at(evaluation_deadline - 1);
    let e = refused(&mut w, |w| escalate(w, &stranger, id, 0));
    assert_eq!(
        e,
        ContractError::EvaluationWindowOpen {
            task_id: id,
            milestone: 0,
            evaluation_deadline
        }
    );

    w.at(evaluation_deadline);
    let e = refused(&mut w, |w| evaluate(w, &judge, (id, 0), true));
    assert_eq!(
        e,
        ContractError::EvaluationWindowClosed {
            task_id: id,
            milestone: 0,
            evaluation_deadline
        }
    );
    let e = refused(&mut w, |w| w.exec(&client, &finalize));
    assert_eq!(e, in_evaluation);
    escalate(&mut w, &stranger, id, 0).unwrap();
    fee_paid(&mut w, 2_000);
    w.check();
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.bond.u128(), info.reserved.u128()), (8_000, 0));
    assert_eq!((info.stats.missed, info.stats.slashed.u128()), (1, 2_000));
    let ms = w.task(id).milestones[0].clone();
    assert_eq!(ms.status, MilestoneStatus::Disputed);
    assert_eq!(ms.dispute_reason.as_deref(), Some("evaluator_silent"));
    assert_eq!(
        ms.arbitration_deadline,
        Some(evaluation_deadline + ARBITRATION)
    );
    // Slashed, the evaluator is off the task: nothing more to escalate, no verdict.
    let off = ContractError::NoEvaluator { task_id: id };
    let e = refused(&mut w, |w| escalate(w, &stranger, id, 0));
    assert_eq!(e, off);
    let e = refused(&mut w, |w| evaluate(w, &judge, (id, 0), false));
    assert_eq!(e, off);

    rule(&mut w, &arbiter, (id, 0), 10_000).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_900);
    w.check();
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.open_tasks, info.stats.earned.u128()), (0, 0));
    let e = refused(&mut w, |w| {
        rate(w, &client, id, FeedbackSubject::Evaluator, 0)
    });
    assert_eq!(
        e,
        ContractError::NothingToRate {
            task_id: id,
            subject: "evaluator".into()
        }
    );
    let stats = w.agent_info(&agent).stats;
    assert_eq!(
        (stats.won, stats.lost, stats.missed, stats.rejected),
        (1, 0, 0, 0)
    );
}

/// The evaluator and the named (bonded) arbiter are both silent: each loses what it reserved
/// for the task (4 000 each, to the treasury), the client gets its whole deposit back and the
/// agent, who delivered, loses nothing and counts no loss.
#[test]
fn a_silent_evaluator_and_a_silent_arbiter_give_the_deposit_back() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let ruler = evaluator(&mut w, "ruler", EVALUATOR_BOND, 200);
    let mut t = judged(&w, &[4_000], &judge);
    t.arbiter = Some(ruler.to_string());
    let id = create(&mut w, t);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    w.at(w.now() + EVAL_WINDOW);
    escalate(&mut w, &stranger, id, 0).unwrap();
    fee_paid(&mut w, 4_000);
    let arbitration_deadline = w.now() + ARBITRATION;
    w.at(arbitration_deadline - 1);
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowOpen {
            task_id: id,
            milestone: 0,
            arbitration_deadline
        }
    );
    w.at(arbitration_deadline);
    w.refund(&stranger, id).unwrap();
    fee_paid(&mut w, 4_000);
    paid(&mut w, &client, 4_000);
    w.check();
    for who in [&judge, &ruler] {
        let info = evaluator_info(&w, who);
        assert_eq!(
            (info.bond.u128(), info.reserved.u128(), info.open_tasks),
            (6_000, 0, 0)
        );
        assert_eq!(info.stats.missed, 1);
    }
    let rep = reputation(&w, &agent).agent.unwrap();
    assert_eq!((rep.lost, rep.missed, rep.rejected), (0, 0, 0));
    assert_eq!(rep.bond_multiplier_bps, 10_000);
    assert_eq!(bond_of(&w, &agent), (BOND, 0, BOND));
    assert_eq!(escrowed(&w), 0);
}

/// A rejection: the evaluator is paid, the agent may appeal until the review deadline and the
/// client may not dispute. Unappealed, it stands once the window has passed: `finalize`
/// returns what the task still holds (both milestones less the verdict's fee) and the agent
/// counts a rejection. Appealed, the arbiter's ruling for the agent counts as overturned.
#[test]
fn a_rejection_stands_unless_the_agent_appeals() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000, 2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), false).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    let review_deadline = w.now() + REVIEW;
    let e = refused(&mut w, |w| dispute_as(w, &client, id, 0));
    assert_eq!(
        e,
        ContractError::MilestoneNotSubmitted {
            task_id: id,
            milestone: 0
        }
    );
    let finalize = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    let e = refused(&mut w, |w| w.exec(&stranger, &finalize));
    assert_eq!(
        e,
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline
        }
    );
    w.at(review_deadline);
    let e = refused(&mut w, |w| dispute_as(w, &agent, id, 0));
    assert_eq!(
        e,
        ContractError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline
        }
    );
    w.exec(&stranger, &finalize).unwrap();
    paid(&mut w, &client, 3_900);
    w.check();
    let t = w.task(id).task;
    assert_eq!(
        (t.status, t.refund_reason),
        (TaskStatus::Refunded, Some(RefundReason::Rejected))
    );
    let rep = reputation(&w, &agent).agent.unwrap();
    assert_eq!((rep.rejected, rep.bond_multiplier_bps), (1, 12_500));

    let id = create_judged(&mut w, &[2_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), false).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    dispute_as(&mut w, &agent, id, 0).unwrap();
    rule(&mut w, &arbiter, (id, 0), 10_000).unwrap();
    // Costs: the verdict's 100; protocol fee 100; the agent 1 800.
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();
    let stats = evaluator_info(&w, &judge).stats;
    assert_eq!(
        (stats.evaluated, stats.rejected, stats.overturned),
        (2, 2, 1)
    );
    let rep = reputation(&w, &agent).agent.unwrap();
    assert_eq!((rep.rejected, rep.disputed), (1, 0));
}
