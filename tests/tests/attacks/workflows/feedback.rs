//! Feedback without a task, on someone else's task, before the end, twice, or on a party the
//! task paid nothing; and the bounds of a rating and its tag.

use super::kit::*;

/// Only the client rates, only an ended task, once per party, and only a party the task paid:
/// the agent of a cancelled or expired task and an evaluator that never judged (the client
/// conceded first) have nothing to be rated on. A rating weighs what the task paid.
#[test]
fn feedback_needs_the_client_of_an_ended_task_that_paid_the_rated_party() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let e = refused(&mut w, |w| rate(w, &client, 99, FeedbackSubject::Agent, 90));
    assert_eq!(e, ContractError::TaskNotFound { task_id: 99 });

    let id = create_judged(&mut w, &[2_000], &judge);
    let not_ended = |status| ContractError::TaskNotEnded {
        task_id: id,
        status,
    };
    let e = refused(&mut w, |w| rate(w, &client, id, FeedbackSubject::Agent, 90));
    assert_eq!(e, not_ended(TaskStatus::Open));
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    let e = refused(&mut w, |w| rate(w, &client, id, FeedbackSubject::Agent, 90));
    assert_eq!(e, not_ended(TaskStatus::InProgress));
    // The client concedes before the evaluator judged: no verdict, no evaluation fee.
    approve_as(&mut w, &client, id, 0).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_900);
    w.check();

    for who in [&agent, &arbiter, &judge, &stranger] {
        for subject in [FeedbackSubject::Agent, FeedbackSubject::Evaluator] {
            let e = refused(&mut w, |w| rate(w, who, id, subject, 100));
            assert_eq!(e, ContractError::NotClient { task_id: id });
        }
    }
    let e = refused(&mut w, |w| {
        rate(w, &client, id, FeedbackSubject::Evaluator, 10)
    });
    assert_eq!(
        e,
        ContractError::NothingToRate {
            task_id: id,
            subject: "evaluator".into()
        }
    );
    rate(&mut w, &client, id, FeedbackSubject::Agent, 90).unwrap();
    let e = refused(&mut w, |w| rate(w, &client, id, FeedbackSubject::Agent, 0));
    assert_eq!(
        e,
        ContractError::AlreadyRated {
            task_id: id,
            subject: "agent".into()
        }
    );
    let f: FeedbackResponse = w.query(&QueryMsg::Feedback { task_id: id });
    assert_eq!(f.entries.len(), 1);
    assert_eq!(
        (f.entries[0].address.clone(), f.entries[0].rating),
        (agent.clone(), 90)
    );
    assert_eq!(f.entries[0].weight.u128(), 1_900);

    // A task without an evaluator has none to rate; ended tasks that paid nothing neither.
    let plain = w.accepted(&[1_000]);
    w.submit(plain, 0, vec![]).unwrap();
    w.approve(plain, 0).unwrap();
    fee_paid(&mut w, 50);
    paid(&mut w, &agent, 950);
    let e = refused(&mut w, |w| {
        rate(w, &client, plain, FeedbackSubject::Evaluator, 50)
    });
    assert_eq!(e, ContractError::NoEvaluator { task_id: plain });
    let cancelled = w.create(&[1_000]);
    w.exec(&client, &ExecuteMsg::CancelTask { task_id: cancelled })
        .unwrap();
    paid(&mut w, &client, 1_000);
    let expired = w.create(&[1_000]);
    w.at(w.now() + ACCEPT);
    w.refund(&stranger, expired).unwrap();
    paid(&mut w, &client, 1_000);
    for task_id in [cancelled, expired] {
        let e = refused(&mut w, |w| {
            rate(w, &client, task_id, FeedbackSubject::Agent, 0)
        });
        assert_eq!(
            e,
            ContractError::NothingToRate {
                task_id,
                subject: "agent".into()
            }
        );
    }
    w.check();
}

/// A rating is 0..=100 and its tag 1..=32 lower-case letters, digits or `-`.
#[test]
fn a_rating_and_its_tag_are_bounded() {
    let mut w = world();
    let client = w.client.clone();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let (escrow_addr, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow_addr, &pool, 50);
    w.s.moved(&escrow_addr, &agent, 950);
    for rating in [MAX_RATING + 1, u8::MAX] {
        let e = refused(&mut w, |w| {
            rate(w, &client, id, FeedbackSubject::Agent, rating)
        });
        assert_eq!(
            e,
            ContractError::InvalidRating {
                rating,
                max: MAX_RATING
            }
        );
    }
    let long = "t".repeat(MAX_TAG_LEN + 1);
    for tag in [
        "",
        "On-Time",
        "on time",
        "on_time",
        "ponctualité",
        long.as_str(),
    ] {
        let msg = ExecuteMsg::GiveFeedback {
            task_id: id,
            subject: FeedbackSubject::Agent,
            rating: 50,
            tag: tag.to_string(),
        };
        let e = refused(&mut w, |w| w.exec(&client, &msg));
        assert_eq!(
            e,
            ContractError::InvalidTag {
                tag: tag.to_string(),
                max: MAX_TAG_LEN as u64
            }
        );
    }
    let msg = ExecuteMsg::GiveFeedback {
        task_id: id,
        subject: FeedbackSubject::Agent,
        rating: MAX_RATING,
        tag: "t".repeat(MAX_TAG_LEN),
    };
    w.exec(&client, &msg).unwrap();
    assert_eq!(
        reputation(&w, &agent).agent.unwrap().score,
        Some(MAX_RATING)
    );
    w.check();
}

/// On a workflow, the coordinator is the client of its sub-tasks and rates their agents; the
/// root's client rates only its own agent.
#[test]
fn only_the_coordinator_rates_the_agent_of_a_sub_task() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[2_000]);
    accept_as(&mut w, &helper, sub).unwrap();
    submit_as(&mut w, &helper, sub, 0).unwrap();
    approve_as(&mut w, &agent, sub, 0).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &helper, 1_900);
    let e = refused(&mut w, |w| rate(w, &client, sub, FeedbackSubject::Agent, 0));
    assert_eq!(e, ContractError::NotClient { task_id: sub });
    rate(&mut w, &agent, sub, FeedbackSubject::Agent, 80).unwrap();
    let e = refused(&mut w, |w| {
        rate(w, &agent, root, FeedbackSubject::Agent, 100)
    });
    assert_eq!(e, ContractError::NotClient { task_id: root });
    assert_eq!(reputation(&w, &helper).agent.unwrap().score, Some(80));
    w.check();
}
