//! Sub-tasks outliving their parents: a sub-task due after its parent is refused; the parent
//! milestone can be neither delivered nor refunded while a sub-task it funds is open; and
//! however a sub-task ends, what it did not pay out goes back into the parent milestone, so
//! that once every sub-task ended all the parent's funds are reachable again.

use super::kit::*;

/// A sub-task is due no later than its parent, at every level.
#[test]
fn a_sub_task_is_due_no_later_than_its_parent() {
    let mut w = world();
    let agent = w.agent.clone();
    let (helper, second) = (
        worker(&mut w, "helper", BOND),
        worker(&mut w, "second", BOND),
    );
    let root = w.accepted(&[5_000]);
    let parent_deadline = w.task(root).task.delivery_deadline;
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.delivery_deadline = parent_deadline + 1;
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t.clone()));
    assert_eq!(
        e,
        ContractError::SubtaskOutlivesParent {
            deadline: parent_deadline + 1,
            parent_deadline
        }
    );
    t.delivery_deadline = parent_deadline - 2 * 24 * 3600;
    let sub = delegated(&mut w, &agent, (root, 0), t);
    accept_as(&mut w, &helper, sub).unwrap();
    // One level down, the bound is the sub-task's own deadline, not the root's.
    let mut t = sub_task(&w, sub, &second, &[100]);
    t.delivery_deadline = parent_deadline - 24 * 3600;
    let e = refused(&mut w, |w| delegate(w, &helper, (sub, 0), t));
    assert_eq!(
        e,
        ContractError::SubtaskOutlivesParent {
            deadline: parent_deadline - 24 * 3600,
            parent_deadline: parent_deadline - 2 * 24 * 3600
        }
    );
    w.check();
}

/// The sub-task is delivered one second before the parent's deadline and disputed by the
/// coordinator; its arbiter stays silent. The parent can be neither delivered nor refunded
/// past its deadline while the sub-task waits for its ruling; once the arbitration window has
/// passed, the sub-task is refunded into the parent milestone and the parent is refunded to
/// its client: all 10 000 come back, nothing is stranded.
#[test]
fn the_parent_milestone_waits_for_its_open_sub_tasks() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let root = w.accepted(&[10_000]);
    let deadline = w.task(root).task.delivery_deadline;
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);
    let open = |open| ContractError::SubtasksOpen {
        task_id: root,
        milestone: 0,
        open,
    };
    let e = refused(&mut w, |w| submit_as(w, &agent, root, 0));
    assert_eq!(e, open(1));

    accept_as(&mut w, &helper, sub).unwrap();
    w.at(deadline - 1);
    submit_as(&mut w, &helper, sub, 0).unwrap();
    dispute_as(&mut w, &agent, sub, 0).unwrap();
    let arbitration_deadline = w.now() + ARBITRATION;
    let e = refused(&mut w, |w| submit_as(w, &agent, root, 0));
    assert_eq!(e, open(1));
    w.at(deadline);
    let e = refused(&mut w, |w| submit_as(w, &agent, root, 0));
    assert_eq!(e, open(1));
    let e = refused(&mut w, |w| w.refund(&stranger, root));
    assert_eq!(e, open(1));
    let e = refused(&mut w, |w| w.refund(&stranger, sub));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowOpen {
            task_id: sub,
            milestone: 0,
            arbitration_deadline
        }
    );

    w.at(arbitration_deadline);
    w.refund(&stranger, sub).unwrap();
    w.check();
    let parent = w.task(root);
    assert_eq!(parent.task.escrowed.u128(), 10_000);
    assert_eq!(parent.milestones[0].delegated.u128(), 0);
    assert_eq!(parent.milestones[0].open_subtasks, 0);
    w.refund(&stranger, root).unwrap();
    paid(&mut w, &client, 10_000);
    w.check();
    assert_eq!(
        w.task(sub).task.refund_reason,
        Some(RefundReason::ArbiterSilent)
    );
    assert_eq!(
        w.task(root).task.refund_reason,
        Some(RefundReason::DeliveryDeadlineMissed)
    );
    assert_eq!(escrowed(&w), 0);
}

/// One parent milestone of 20 000 funds seven sub-tasks that end in every way a task ends:
/// declined, cancelled, approved, ruled 50 %, ruled 0, expired unaccepted, delivery missed.
/// Each gives back what it did not pay out (a ruling of 0 also pays the sub-agent's slash to
/// the coordinator, its client); the milestone's net delegation is what the sub-agents and
/// their protocol fees took, and the parent settles everything else.
#[test]
fn every_way_a_sub_task_ends_gives_back_what_it_did_not_pay() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let (helper, stranger) = (worker(&mut w, "helper", 20_000), w.s.addr("stranger"));
    let root = w.accepted(&[20_000]);

    let declined = hire(&mut w, &agent, (root, 0), &helper, &[1_000]);
    w.exec(&helper, &ExecuteMsg::DeclineTask { task_id: declined })
        .unwrap();
    let cancelled = hire(&mut w, &agent, (root, 0), &helper, &[1_000]);
    w.exec(&agent, &ExecuteMsg::CancelTask { task_id: cancelled })
        .unwrap();
    w.check();

    let approved = hire(&mut w, &agent, (root, 0), &helper, &[2_000]);
    accept_as(&mut w, &helper, approved).unwrap();
    submit_as(&mut w, &helper, approved, 0).unwrap();
    approve_as(&mut w, &agent, approved, 0).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &helper, 1_900);
    w.check();

    let split = hire(&mut w, &agent, (root, 0), &helper, &[2_000]);
    accept_as(&mut w, &helper, split).unwrap();
    submit_as(&mut w, &helper, split, 0).unwrap();
    dispute_as(&mut w, &agent, split, 0).unwrap();
    rule(&mut w, &arbiter, (split, 0), 5_000).unwrap();
    fee_paid(&mut w, 50);
    paid(&mut w, &helper, 950);
    w.check();

    let lost = hire(&mut w, &agent, (root, 0), &helper, &[2_000]);
    accept_as(&mut w, &helper, lost).unwrap();
    assert_eq!(w.task(lost).task.bond_reserved, Some(Uint128::new(2_000)));
    submit_as(&mut w, &helper, lost, 0).unwrap();
    dispute_as(&mut w, &agent, lost, 0).unwrap();
    rule(&mut w, &arbiter, (lost, 0), 0).unwrap();
    paid(&mut w, &agent, 2_000);
    w.check();

    let expired = hire(&mut w, &agent, (root, 0), &helper, &[1_000]);
    w.at(w.now() + ACCEPT);
    w.refund(&stranger, expired).unwrap();
    let mut t = sub_task(&w, root, &helper, &[2_000]);
    t.delivery_deadline = w.now() + 3 * 24 * 3600;
    let missed = delegated(&mut w, &agent, (root, 0), t);
    accept_as(&mut w, &helper, missed).unwrap();
    w.at(w.now() + 3 * 24 * 3600);
    w.refund(&stranger, missed).unwrap();
    w.check();

    let subs = [declined, cancelled, approved, split, lost, expired, missed];
    let returned: Vec<u128> = subs
        .iter()
        .map(|id| w.task(*id).task.refunded.u128())
        .collect();
    assert_eq!(returned, vec![1_000, 1_000, 0, 1_000, 2_000, 1_000, 2_000]);
    let ms = w.task(root).milestones[0].clone();
    assert_eq!(ms.subtasks, subs.to_vec());
    assert_eq!((ms.delegated.u128(), ms.open_subtasks), (3_000, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 17_000);
    assert_eq!(escrowed(&w), 17_000);

    // The parent settles: protocol fee on 20 000 − 3 000, the rest to the coordinator.
    submit_as(&mut w, &agent, root, 0).unwrap();
    approve_as(&mut w, &client, root, 0).unwrap();
    fee_paid(&mut w, 850);
    paid(&mut w, &agent, 16_150);
    w.check();
    assert_eq!(escrowed(&w), 0);
    assert_eq!(w.solvency().bonds.u128(), BOND + 18_000);
    let tree = workflow(&w, root);
    assert!(tree.tasks.iter().all(|n| n.task.escrowed.is_zero()));
    let stats = w.agent_info(&helper).stats;
    // The expired sub-task was never accepted: only the missed delivery counts against it.
    assert_eq!((stats.lost, stats.missed, stats.split), (1, 1, 1));
}

/// Sub-tasks with an evaluator: a rejection that stands gives the parent milestone what the
/// sub-task still holds (its deposit less the verdict's fee); a silent evaluator is slashed to
/// the treasury and the arbiter's ruling of 0 gives the parent the whole sub-task back (the
/// sub-agent's slash goes to the coordinator). The parent then settles with 100 spent.
#[test]
fn judged_sub_tasks_give_back_what_they_did_not_pay() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let root = w.accepted(&[10_000]);
    let judged_sub = |w: &mut World, amount: u128| {
        let mut t = sub_task(w, root, &helper, &[amount]);
        t.evaluator = Some(judge.to_string());
        t.evaluation_window = Some(EVAL_WINDOW);
        let sub = delegated(w, &agent, (root, 0), t);
        accept_as(w, &helper, sub).unwrap();
        submit_as(w, &helper, sub, 0).unwrap();
        sub
    };

    let rejected = judged_sub(&mut w, 1_000);
    evaluate(&mut w, &judge, (rejected, 0), false).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    w.at(w.now() + REVIEW);
    w.exec(
        &stranger,
        &ExecuteMsg::Finalize {
            task_id: rejected,
            milestone: 0,
        },
    )
    .unwrap();
    w.check();
    assert_eq!(w.task(rejected).task.refunded.u128(), 900);
    assert_eq!(w.task(root).milestones[0].delegated.u128(), 100);

    let silent = judged_sub(&mut w, 2_000);
    w.at(w.now() + EVAL_WINDOW);
    escalate(&mut w, &stranger, silent, 0).unwrap();
    fee_paid(&mut w, 2_000);
    rule(&mut w, &arbiter, (silent, 0), 0).unwrap();
    paid(&mut w, &agent, 2_000);
    w.check();
    let ms = w.task(root).milestones[0].clone();
    assert_eq!((ms.delegated.u128(), ms.open_subtasks), (100, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 9_900);

    submit_as(&mut w, &agent, root, 0).unwrap();
    approve_as(&mut w, &client, root, 0).unwrap();
    fee_paid(&mut w, 495);
    paid(&mut w, &agent, 9_405);
    w.check();
    assert_eq!(escrowed(&w), 0);
    let stats = w.agent_info(&helper).stats;
    assert_eq!((stats.rejected, stats.lost), (1, 1));
    let judge_stats = evaluator_info(&w, &judge).stats;
    assert_eq!((judge_stats.rejected, judge_stats.missed), (1, 1));
}
