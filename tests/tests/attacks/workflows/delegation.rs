//! A coordinator over-delegating: beyond what its milestone can spend, over several sub-tasks,
//! again with what came back, from a milestone it may not spend (submitted, disputed,
//! settled, refunded, not the current one), from a task it is not the agent of or that it has
//! not accepted, too deep, too many times.

use super::kit::*;

/// A milestone of 10 000 may spend 9 500 (its protocol fee is kept back): one sub-task or
/// several (whose milestones add up) never take more, and what a sub-task gives back may be
/// spent again, never more. Nothing leaves the escrow when a sub-task is funded, and the
/// protocol fees the workflow pays add up to exactly the root's 5 %. (The coordinator's bond,
/// 19 000, reserves 9 500 for the task: enough to cover all it may delegate.)
#[test]
fn a_coordinator_cannot_delegate_beyond_what_its_milestone_can_spend() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    top_up_agent(&mut w, 9_000);
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    let over = |requested: u128, available: u128| ContractError::DelegationOverBudget {
        task_id: root,
        milestone: 0,
        requested: Uint128::new(requested),
        available: Uint128::new(available),
    };

    let t = sub_task(&w, root, &helper, &[9_501]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, over(9_501, 9_500));
    let first = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);
    let t = sub_task(&w, root, &helper, &[3_000, 2_501]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, over(5_501, 5_500));
    let second = hire(&mut w, &agent, (root, 0), &helper, &[3_000, 2_500]);
    let t = sub_task(&w, root, &helper, &[1]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, over(1, 0));
    w.check();
    assert_eq!(escrowed(&w), 10_000, "nothing left the escrow");
    let parent = w.task(root);
    assert_eq!(parent.task.escrowed.u128(), 500);
    assert_eq!(parent.milestones[0].delegated.u128(), 9_500);
    assert_eq!(parent.milestones[0].subtasks, vec![first, second]);
    assert_eq!(parent.milestones[0].open_subtasks, 2);
    let sub = w.task(first).task;
    assert_eq!(
        (sub.client.clone(), sub.agent.clone()),
        (agent.clone(), helper.clone())
    );
    assert_eq!((sub.root, sub.depth, sub.escrowed.u128()), (root, 1, 4_000));
    assert_eq!(
        sub.parent,
        Some(ParentRef {
            task_id: root,
            milestone: 0
        })
    );

    // What comes back may be spent again, never more.
    w.exec(&helper, &ExecuteMsg::DeclineTask { task_id: first })
        .unwrap();
    w.check();
    assert_eq!(w.task(root).task.escrowed.u128(), 4_500);
    assert_eq!(w.task(root).milestones[0].delegated.u128(), 5_500);
    let t = sub_task(&w, root, &helper, &[4_001]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, over(4_001, 4_000));
    let third = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);

    // The sub-tasks are paid as any task (5 % each), the coordinator what its milestone kept.
    accept_as(&mut w, &helper, second).unwrap();
    for (milestone, amount) in [(0, 3_000), (1, 2_500)] {
        submit_as(&mut w, &helper, second, milestone).unwrap();
        approve_as(&mut w, &agent, second, milestone).unwrap();
        fee_paid(&mut w, protocol_fee(amount));
        paid(&mut w, &helper, amount - protocol_fee(amount));
        w.check();
    }
    accept_as(&mut w, &helper, third).unwrap();
    submit_as(&mut w, &helper, third, 0).unwrap();
    approve_as(&mut w, &agent, third, 0).unwrap();
    fee_paid(&mut w, 200);
    paid(&mut w, &helper, 3_800);
    w.check();
    submit_as(&mut w, &agent, root, 0).unwrap();
    approve_as(&mut w, &client, root, 0).unwrap();
    // Protocol fee on 10 000 − 9 500 delegated: 25; the coordinator keeps 500 − 25.
    fee_paid(&mut w, 25);
    paid(&mut w, &agent, 475);
    w.check();
    assert_eq!(150 + 125 + 200 + 25, protocol_fee(10_000));
    assert_eq!(escrowed(&w), 0);
    assert_eq!(w.task(root).task.status, TaskStatus::Completed);
}

/// The agent delegates only from a task it accepted, only its current milestone, and only
/// while that milestone is pending: not once delivered, disputed, settled or refunded. Nobody
/// else delegates from a task, the sub-task's client included.
#[test]
fn only_the_agent_of_an_accepted_task_delegates_from_its_current_pending_milestone() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let late = w.accepted(&[1_000]);
    let id = w.create(&[2_000, 2_000]);
    let attempt = |w: &mut World, who: &Addr, milestone: u32| {
        let t = sub_task(w, id, &helper, &[100]);
        refused(w, |w| delegate(w, who, (id, milestone), t))
    };

    let e = attempt(&mut w, &agent, 0);
    assert_eq!(e, ContractError::TaskNotAccepted { task_id: id });
    accept_as(&mut w, &agent, id).unwrap();
    for who in [&client, &arbiter, &helper, &judge, &stranger] {
        assert_eq!(
            attempt(&mut w, who, 0),
            ContractError::NotAgent { task_id: id }
        );
    }
    let e = attempt(&mut w, &agent, 1);
    assert_eq!(
        e,
        ContractError::NotCurrentMilestone {
            task_id: id,
            milestone: 1,
            current: 0
        }
    );
    let e = attempt(&mut w, &agent, 2);
    assert_eq!(
        e,
        ContractError::MilestoneNotFound {
            task_id: id,
            milestone: 2
        }
    );
    let t = sub_task(&w, id, &helper, &[100]);
    let e = refused(&mut w, |w| delegate(w, &agent, (99, 0), t));
    assert_eq!(e, ContractError::TaskNotFound { task_id: 99 });

    let status_error = |status| ContractError::MilestoneAlreadySubmitted {
        task_id: id,
        milestone: 0,
        status,
    };
    w.submit(id, 0, vec![]).unwrap();
    let e = attempt(&mut w, &agent, 0);
    assert_eq!(e, status_error(MilestoneStatus::Submitted));
    w.dispute(id, 0).unwrap();
    let e = attempt(&mut w, &agent, 0);
    assert_eq!(e, status_error(MilestoneStatus::Disputed));
    w.resolve(id, 0, 10_000).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_900);
    let settled = |status, milestone| ContractError::MilestoneAlreadySettled {
        task_id: id,
        milestone,
        status,
    };
    let e = attempt(&mut w, &agent, 0);
    assert_eq!(e, settled(MilestoneStatus::Resolved, 0));
    w.submit(id, 1, vec![]).unwrap();
    w.approve(id, 1).unwrap();
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_900);
    let e = attempt(&mut w, &agent, 1);
    assert_eq!(e, settled(MilestoneStatus::Approved, 1));

    // A refunded task funds nothing either.
    let deadline = w.task(late).task.delivery_deadline;
    w.at(deadline);
    w.refund(&stranger, late).unwrap();
    paid(&mut w, &client, 1_000);
    let t = sub_task(&w, id, &helper, &[100]);
    let e = refused(&mut w, |w| delegate(w, &agent, (late, 0), t));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: late,
            milestone: 0,
            status: MilestoneStatus::Refunded
        }
    );

    // The coordinator is the client of its sub-task, not its agent: it cannot delegate from it.
    let root = w.accepted(&[5_000]);
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[1_000]);
    accept_as(&mut w, &helper, sub).unwrap();
    let t = sub_task(&w, sub, &judge, &[100]);
    let e = refused(&mut w, |w| delegate(w, &agent, (sub, 0), t));
    assert_eq!(e, ContractError::NotAgent { task_id: sub });
    w.check();
}

/// A workflow is at most three levels below its root: the agent of a sub-task at depth 3
/// cannot hire anyone. The workflow query shows the whole tree from any of its tasks.
#[test]
fn a_workflow_is_at_most_three_levels_deep() {
    let mut w = world();
    let agent = w.agent.clone();
    // Each coordinator's bond reserves what it delegates: 20 000 of 40 000, then 10 000.
    top_up_agent(&mut w, 30_000);
    let root = w.accepted(&[40_000]);
    let mut chain = vec![(root, agent.clone())];
    for (level, amount, bond) in [(1, 20_000, 20_000), (2, 10_000, BOND), (3, 5_000, BOND)] {
        let hired = worker(&mut w, &format!("worker-{level}"), bond);
        let (parent, coordinator) = chain.last().cloned().unwrap();
        let t = sub_task(&w, parent, &hired, &[amount]);
        let sub = delegated(&mut w, &coordinator, (parent, 0), t);
        accept_as(&mut w, &hired, sub).unwrap();
        chain.push((sub, hired));
    }
    let (deepest, coordinator) = chain.last().cloned().unwrap();
    let t = sub_task(&w, deepest, &agent, &[1_000]);
    let e = refused(&mut w, |w| delegate(w, &coordinator, (deepest, 0), t));
    assert_eq!(
        e,
        ContractError::DelegationTooDeep {
            task_id: deepest,
            depth: MAX_DELEGATION_DEPTH,
            max: MAX_DELEGATION_DEPTH
        }
    );
    for (task_id, _) in &chain {
        let tree = workflow(&w, *task_id);
        assert_eq!(tree.root, root);
        let ids: Vec<u64> = tree.tasks.iter().map(|n| n.task.id).collect();
        assert_eq!(ids, chain.iter().map(|(id, _)| *id).collect::<Vec<_>>());
        let depths: Vec<u8> = tree.tasks.iter().map(|n| n.task.depth).collect();
        assert_eq!(depths, vec![0, 1, 2, 3]);
    }
    assert_eq!(escrowed(&w), 40_000);
    w.check();
}

/// A milestone funds at most 8 sub-tasks over its life: the ninth is refused, and still
/// refused once the eight ended and gave everything back (the count is not of open ones).
#[test]
fn a_milestone_funds_at_most_eight_sub_tasks_over_its_life() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    let subs: Vec<u64> = (0..MAX_SUBTASKS_PER_MILESTONE)
        .map(|_| hire(&mut w, &agent, (root, 0), &helper, &[100]))
        .collect();
    let too_many = ContractError::TooManySubtasks {
        task_id: root,
        milestone: 0,
        max: MAX_SUBTASKS_PER_MILESTONE as u64,
    };
    let t = sub_task(&w, root, &helper, &[100]);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t.clone()));
    assert_eq!(e, too_many);
    for sub in &subs {
        w.exec(&helper, &ExecuteMsg::DeclineTask { task_id: *sub })
            .unwrap();
    }
    let ms = w.task(root).milestones[0].clone();
    assert_eq!((ms.delegated.u128(), ms.open_subtasks), (0, 0));
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(e, too_many);
    submit_as(&mut w, &agent, root, 0).unwrap();
    approve_as(&mut w, &client, root, 0).unwrap();
    fee_paid(&mut w, 500);
    paid(&mut w, &agent, 9_500);
    w.check();
}

/// A coordinator may spend its milestone on sub-tasks before its client reviews anything, and
/// walk away: it hires its own second address for all 9 500 the milestone can spend (its
/// client allowed no model fee at all), approves the sub-task itself at once and never
/// delivers. What it delegates must be covered by its bond reserved for the task: with 5 000
/// reserved, 9 500 is refused. With 9 500 reserved for the next task, the walk-away costs it:
/// the refund gives the client the 500 the milestone kept and the 9 500 its sub-task spent out
/// of the coordinator's bond, so its second address's 9 025 cost the pair 9 975.
#[test]
fn a_coordinator_that_walks_away_pays_back_what_it_delegated_from_its_bond() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let sock = worker(&mut w, "second-address", BOND);
    let new = |w: &World| {
        let mut t = w.new_task(&[10_000]);
        t.max_model_fees = Uint128::zero();
        t
    };
    let t = new(&w);
    let small = create(&mut w, t);
    accept_as(&mut w, &agent, small).unwrap();
    assert_eq!(bond_of(&w, &agent), (BOND, 5_000, 5_000));
    let t = sub_task(&w, small, &sock, &[9_500]);
    let e = refused(&mut w, |w| delegate(w, &agent, (small, 0), t));
    assert_eq!(
        e,
        ContractError::DelegationAboveBond {
            task_id: small,
            milestone: 0,
            delegated: Uint128::zero(),
            requested: Uint128::new(9_500),
            bond_reserved: Uint128::new(5_000)
        }
    );
    let first = hire(&mut w, &agent, (small, 0), &sock, &[5_000]);
    let t = sub_task(&w, small, &sock, &[1]);
    let e = refused(&mut w, |w| delegate(w, &agent, (small, 0), t));
    assert_eq!(
        e,
        ContractError::DelegationAboveBond {
            task_id: small,
            milestone: 0,
            delegated: Uint128::new(5_000),
            requested: Uint128::new(1),
            bond_reserved: Uint128::new(5_000)
        }
    );
    w.exec(&agent, &ExecuteMsg::CancelTask { task_id: first })
        .unwrap();

    // 14 000 more: 19 000 free when the next task is accepted (the first still reserves 5 000).
    top_up_agent(&mut w, 14_000);
    let t = new(&w);
    let root = create(&mut w, t);
    accept_as(&mut w, &agent, root).unwrap();
    assert_eq!(bond_of(&w, &agent), (24_000, 14_500, 9_500));
    let sub = hire(&mut w, &agent, (root, 0), &sock, &[9_500]);
    accept_as(&mut w, &sock, sub).unwrap();
    submit_as(&mut w, &sock, sub, 0).unwrap();
    approve_as(&mut w, &agent, sub, 0).unwrap();
    fee_paid(&mut w, 475);
    paid(&mut w, &sock, 9_025);
    w.check();

    let deadline = w.task(root).task.delivery_deadline;
    w.at(deadline);
    let res = w.refund(&client, root).unwrap();
    assert_eq!(attr(&res, "slashed"), "9500");
    paid(&mut w, &client, 500 + 9_500);
    w.check();
    let t = w.task(root).task;
    assert_eq!(t.refund_reason, Some(RefundReason::DeliveryDeadlineMissed));
    assert_eq!((t.refunded.u128(), t.slashed.u128()), (500, 9_500));
    assert_eq!(bond_of(&w, &agent), (14_500, 5_000, 9_500));
    let stats = w.agent_info(&agent).stats;
    assert_eq!((stats.missed, stats.slashed.u128()), (1, 9_500));
}

/// A ruling on a milestone that delegated 4 000 must leave the agent at least what the
/// milestone spent (a share of 30 % is refused); a ruling of 41 % pays the protocol fee on
/// what the sub-task did not take (5 % of 100) and returns the rest of the milestone to the
/// client; a ruling of 0 returns what the milestone still holds with the agent's slash.
#[test]
fn a_ruling_on_a_milestone_that_delegated_counts_what_it_spent() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    let helper = worker(&mut w, "helper", BOND);
    for (share, to_agent, to_client) in [(4_100, 95, 5_900), (0, 0, 6_000 + 5_000)] {
        let root = w.accepted(&[10_000]);
        let sub = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);
        accept_as(&mut w, &helper, sub).unwrap();
        submit_as(&mut w, &helper, sub, 0).unwrap();
        approve_as(&mut w, &agent, sub, 0).unwrap();
        fee_paid(&mut w, 200);
        paid(&mut w, &helper, 3_800);
        submit_as(&mut w, &agent, root, 0).unwrap();
        dispute_as(&mut w, &client, root, 0).unwrap();
        let e = refused(&mut w, |w| rule(w, &arbiter, (root, 0), 3_000));
        assert_eq!(
            e,
            ContractError::AgentShareBelowCosts {
                agent_share: Uint128::new(3_000),
                model_fees: Uint128::new(4_000),
                protocol_fee: Uint128::zero()
            }
        );
        rule(&mut w, &arbiter, (root, 0), share).unwrap();
        if share > 0 {
            fee_paid(&mut w, 5);
            paid(&mut w, &agent, to_agent);
        }
        paid(&mut w, &client, to_client);
        w.check();
        assert_eq!(escrowed(&w), 0);
    }
    assert_eq!(bond_of(&w, &agent), (BOND - 5_000, 0, BOND - 5_000));
}

/// Model fees at delivery fit in what the milestone kept after its sub-tasks: with 8 500
/// delegated out of 10 000, 1 000 are left (the protocol fee of 500 is kept back), so two
/// inferences of 1 000 are refused and one is paid; the protocol fee is then due on the
/// 1 500 the sub-task did not take.
#[test]
fn model_fees_fit_in_what_delegation_left() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let helper = worker(&mut w, "helper", BOND);
    top_up_agent(&mut w, 7_000);
    let root = w.accepted(&[10_000]);
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[8_500]);
    accept_as(&mut w, &helper, sub).unwrap();
    submit_as(&mut w, &helper, sub, 0).unwrap();
    approve_as(&mut w, &agent, sub, 0).unwrap();
    fee_paid(&mut w, 425);
    paid(&mut w, &helper, 8_075);
    let two = vec![w.lineage_inference("a"), w.lineage_inference("b")];
    let e = refused(&mut w, |w| w.submit(root, 0, two));
    assert_eq!(
        e,
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(2 * MODEL_FEE),
            available: Uint128::new(1_000)
        }
    );
    let one = vec![w.lineage_inference("a")];
    w.submit(root, 0, one).unwrap();
    book_delivery_fee(&mut w);
    approve_as(&mut w, &client, root, 0).unwrap();
    fee_paid(&mut w, 75);
    paid(&mut w, &agent, 425);
    w.check();
    assert_eq!(escrowed(&w), 0);
}

/// A rejection that stands on a milestone that delegated gives the client what its sub-task
/// spent out of the coordinator's bond: of 10 000, the sub-task took 4 000 (its agent paid
/// 3 800, the protocol 200) and the evaluator 100 for its verdict; the finalize returns the
/// 5 900 the milestone still held and the 4 000 from the bond reserved for the task (5 000).
#[test]
fn a_rejection_that_stands_pays_back_what_the_milestone_delegated_from_the_bond() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let (helper, stranger) = (worker(&mut w, "helper", BOND), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let root = create_judged(&mut w, &[10_000], &judge);
    accept_as(&mut w, &agent, root).unwrap();
    let sub = hire(&mut w, &agent, (root, 0), &helper, &[4_000]);
    accept_as(&mut w, &helper, sub).unwrap();
    submit_as(&mut w, &helper, sub, 0).unwrap();
    approve_as(&mut w, &agent, sub, 0).unwrap();
    fee_paid(&mut w, 200);
    paid(&mut w, &helper, 3_800);
    submit_as(&mut w, &agent, root, 0).unwrap();
    evaluate(&mut w, &judge, (root, 0), false).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    w.check();
    w.at(w.now() + REVIEW);
    let res = w
        .exec(
            &stranger,
            &ExecuteMsg::Finalize {
                task_id: root,
                milestone: 0,
            },
        )
        .unwrap();
    assert_eq!(
        (attr(&res, "reason"), attr(&res, "slashed")),
        ("rejected".to_string(), "4000".to_string())
    );
    paid(&mut w, &client, 5_900 + 4_000);
    w.check();
    let t = w.task(root).task;
    assert_eq!(
        (t.refund_reason, t.refunded.u128(), t.slashed.u128()),
        (Some(RefundReason::Rejected), 5_900, 4_000)
    );
    assert_eq!(bond_of(&w, &agent), (BOND - 4_000, 0, BOND - 4_000));
    assert_eq!(escrowed(&w), 0);
}

/// A sub-task is reviewed no longer than its parent: were its review or evaluation window
/// longer, an agent could keep its client's refund waiting for months (the parent can be
/// neither refunded nor delivered while a sub-task is open). The parent's longest window is its
/// review window (2 days) or, with an evaluator, the longer of that and its evaluation window.
#[test]
fn a_sub_task_is_reviewed_no_longer_than_its_parent() {
    let mut w = world();
    let agent = w.agent.clone();
    let helper = worker(&mut w, "helper", BOND);
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let root = w.accepted(&[10_000]);
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.review_window = REVIEW + 1;
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(
        e,
        ContractError::SubtaskWindowTooLong {
            window: "review_window".into(),
            seconds: REVIEW + 1,
            parent_window: REVIEW
        }
    );
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.evaluator = Some(judge.to_string());
    t.evaluation_window = Some(REVIEW + 1);
    let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
    assert_eq!(
        e,
        ContractError::SubtaskWindowTooLong {
            window: "evaluation_window".into(),
            seconds: REVIEW + 1,
            parent_window: REVIEW
        }
    );
    assert!(w.task(root).milestones[0].subtasks.is_empty());
    // Exactly the parent's window is taken.
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.evaluator = Some(judge.to_string());
    t.evaluation_window = Some(REVIEW);
    let sub = delegated(&mut w, &agent, (root, 0), t);
    assert_eq!(w.task(sub).task.review_window, REVIEW);
    w.check();
}

/// A coordinator cannot pay the overseers of its task out of the milestone they judge: hiring
/// its evaluator or its arbiter (both also registered as agents) as a sub-agent is refused.
#[test]
fn a_coordinator_cannot_hire_the_overseers_of_its_own_task() {
    let mut w = world();
    let agent = w.agent.clone();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let ruler = evaluator(&mut w, "ruler", EVALUATOR_BOND, 300);
    for who in [&judge, &ruler] {
        w.s.fund(who, BOND);
        w.register(who, BOND, vec![1]).unwrap();
    }
    let mut t = judged(&w, &[10_000], &judge);
    t.arbiter = Some(ruler.to_string());
    let root = create(&mut w, t);
    accept_as(&mut w, &agent, root).unwrap();
    for (role, who) in [("evaluator", &judge), ("arbiter", &ruler)] {
        let t = sub_task(&w, root, who, &[1_000]);
        let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
        assert_eq!(
            e,
            ContractError::SubagentOverseesParent {
                role: role.into(),
                address: who.to_string()
            }
        );
    }
    assert!(w.task(root).milestones[0].subtasks.is_empty());
    w.check();
}
