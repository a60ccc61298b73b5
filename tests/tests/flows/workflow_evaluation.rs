//! Evaluator verdicts, with the exact balance of every party after every step: an approval
//! settles at once (agent, the pool's treasury, the evaluator's fee); a rejection the agent does
//! not appeal ends the task and returns the rest to the client (or up into the parent milestone
//! of a sub-task); an appealed rejection goes to the bonded arbiter, paid its fee, whose ruling
//! above 0 counts as overturned on the evaluator. While a delivery is with the evaluator the
//! client can neither dispute nor finalize it, but may concede.

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::agent_escrow::{MilestoneStatus, RefundReason, TaskStatus};
use openledger_tests::data_hash;
use openledger_tests::escrow::{world, World, BOND, DELIVERY, REVIEW};
use openledger_tests::workflow::{
    result_of, with_overseers, EscrowError, ARBITRATION_FEE, EVALUATION_FEE, EVALUATION_WINDOW,
    EVALUATOR_BOND,
};

/// A task of `amounts` for the world's agent with `evaluator` and the named `arbiter` (the
/// default one when `None`), accepted; returns its id.
fn evaluated_task(
    w: &mut World,
    amounts: &[u128],
    evaluator: &Addr,
    arbiter: Option<&Addr>,
) -> u64 {
    let agent = w.agent.clone();
    let task = w.task_for(&agent, amounts, w.now() + DELIVERY);
    let id = w.open(with_overseers(task, Some(evaluator), arbiter));
    w.accept(&agent, id).unwrap();
    id
}

/// Checks the evaluator's terms fixed on task `id` (deposit 14 000) and its reservation.
fn assert_evaluation_terms(w: &World, id: u64, evaluator: &Addr) {
    let t = w.task(id).task;
    assert_eq!(
        (t.evaluator, t.evaluation_window, t.evaluation_fee.u128()),
        (
            Some(evaluator.clone()),
            Some(EVALUATION_WINDOW),
            EVALUATION_FEE
        )
    );
    // min(deposit 14 000, 50 % of the free 20 000) of the evaluator's bond is reserved.
    assert_eq!(
        (t.evaluator_reserved.u128(), t.arbitration_fee.u128()),
        (10_000, 0)
    );
    let e = w.evaluator_info(evaluator);
    assert_eq!(
        (e.reserved.u128(), e.free.u128(), e.open_tasks),
        (10_000, 10_000, 1)
    );
}

/// While milestone 0 of `id` (delivered, due for a verdict at `deadline`) is with its
/// evaluator, the client neither disputes nor finalizes it, nobody else judges it, and a verdict
/// about another result is refused.
fn assert_only_the_evaluator_judges(w: &mut World, id: u64, evaluator: &Addr, deadline: u64) {
    let client = w.client.clone();
    let in_evaluation = EscrowError::InEvaluation {
        task_id: id,
        milestone: 0,
        evaluation_deadline: deadline,
    };
    let e = w.refused_with(|w| w.dispute_as(&client, (id, 0)));
    assert_eq!(e, in_evaluation);
    let e = w.refused_with(|w| w.finalize_as(&client, (id, 0)));
    assert_eq!(e, in_evaluation);
    let e = w.refused_with(|w| w.evaluate(&client, (id, 0), true));
    assert_eq!(e, EscrowError::NotEvaluator { task_id: id });
    let e = w.refused_with(|w| w.judge(evaluator, (id, 0), data_hash("other"), true));
    assert_eq!(
        e,
        EscrowError::ResultHashMismatch {
            given: data_hash("other"),
            delivered: result_of(id, 0)
        }
    );
}

/// Milestone 1 of `id` (4 000): the evaluation window passes without a verdict and the client
/// concedes (no evaluation fee is charged for a verdict never given): protocol 200, agent 3 800.
fn concede_after_the_window(w: &mut World, id: u64, evaluator: &Addr) {
    let agent = w.agent.clone();
    w.submit(id, 1, vec![]).unwrap();
    let deadline = w.now() + EVALUATION_WINDOW;
    w.at(deadline);
    let e = w.refused_with(|w| w.evaluate(evaluator, (id, 1), true));
    assert_eq!(
        e,
        EscrowError::EvaluationWindowClosed {
            task_id: id,
            milestone: 1,
            evaluation_deadline: deadline
        }
    );
    w.approve(id, 1).unwrap();
    w.to_pool(200);
    w.paid(&agent, 3_800);
    w.check();
}

#[test]
fn an_approval_settles_at_once_and_the_client_may_still_concede() {
    let mut w = world();
    let agent = w.agent.clone();
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let id = evaluated_task(&mut w, &[10_000, 4_000], &evaluator, None);
    assert_evaluation_terms(&w, id, &evaluator);

    w.deliver(&agent, (id, 0), vec![w.lineage_inference("e-1")])
        .unwrap();
    w.model_fee_paid();
    w.check();
    let deadline = w.now() + EVALUATION_WINDOW;
    let m = w.milestone(id, 0);
    assert_eq!(
        (m.status, m.evaluation_deadline, m.review_deadline),
        (MilestoneStatus::Submitted, Some(deadline), None)
    );
    assert_eq!(m.input_hash, Some(data_hash(&format!("input-{id}-0"))));
    assert_only_the_evaluator_judges(&mut w, id, &evaluator, deadline);

    // Approved: evaluator 200, protocol 500 (to the treasury), agent 10 000 − 1 000 − 200 − 500.
    let treasury = w.s.treasury();
    let res = w.evaluate(&evaluator, (id, 0), true).unwrap();
    assert_eq!(openledger_tests::attr(&res, "action"), "evaluate_milestone");
    w.paid(&evaluator, EVALUATION_FEE);
    w.to_pool(500);
    w.paid(&agent, 8_300);
    w.check();
    assert_eq!(w.s.treasury(), treasury + 500);
    let m = w.milestone(id, 0);
    let verdict = m.verdict.expect("a verdict");
    assert_eq!(
        (m.status, verdict.approve),
        (MilestoneStatus::Approved, true)
    );
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (
            e.stats.evaluated,
            e.stats.approved,
            e.stats.earned.u128(),
            e.reserved.u128()
        ),
        (1, 1, EVALUATION_FEE, 10_000)
    );

    concede_after_the_window(&mut w, id, &evaluator);
    let t = w.task(id).task;
    assert_eq!(
        (
            t.status,
            t.paid_to_agent.u128(),
            t.evaluation_fees_paid.u128(),
            t.evaluator_reserved.u128()
        ),
        (TaskStatus::Completed, 12_100, EVALUATION_FEE, 0)
    );
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (
            e.reserved.u128(),
            e.open_tasks,
            e.stats.evaluated,
            e.stats.missed
        ),
        (0, 0, 1, 0)
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.completed,
            a.stats.milestones_settled,
            a.stats.volume.u128()
        ),
        (1, 2, 14_000)
    );
}

#[test]
fn a_rejection_that_stands_returns_the_rest_to_the_client() {
    let mut w = world();
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let stranger = w.s.addr("stranger");
    let id = evaluated_task(&mut w, &[6_000, 4_000], &evaluator, None);
    w.deliver(&agent, (id, 0), vec![w.lineage_inference("r-1")])
        .unwrap();
    w.model_fee_paid();
    let res = w.evaluate(&evaluator, (id, 0), false).unwrap();
    w.paid(&evaluator, EVALUATION_FEE);
    w.check();
    let appeal_end = w.now() + REVIEW;
    assert_eq!(
        openledger_tests::attr(&res, "appeal_deadline"),
        appeal_end.to_string()
    );
    let m = w.milestone(id, 0);
    assert_eq!(
        (m.status, m.review_deadline, m.verdict.map(|v| v.approve)),
        (MilestoneStatus::Rejected, Some(appeal_end), Some(false))
    );
    // The client does not dispute a rejection (only the agent appeals it).
    let e = w.refused_with(|w| w.dispute_as(&client, (id, 0)));
    assert_eq!(
        e,
        EscrowError::MilestoneNotSubmitted {
            task_id: id,
            milestone: 0
        }
    );
    w.at(appeal_end - 1);
    let e = w.refused_with(|w| w.finalize_as(&stranger, (id, 0)));
    assert_eq!(
        e,
        EscrowError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline: appeal_end
        }
    );
    w.at(appeal_end);
    let e = w.refused_with(|w| w.dispute_as(&agent, (id, 0)));
    assert_eq!(
        e,
        EscrowError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline: appeal_end
        }
    );
    // Finalized: the task ends; the client gets 6 000 − 1 000 − 200 + 4 000.
    w.finalize_as(&stranger, (id, 0)).unwrap();
    w.paid(&client, 8_800);
    w.check();
    let r = w.task(id);
    assert_eq!(
        (r.task.status, r.task.refund_reason, r.task.refunded.u128()),
        (TaskStatus::Refunded, Some(RefundReason::Rejected), 8_800)
    );
    assert!(r
        .milestones
        .iter()
        .all(|m| m.status == MilestoneStatus::Refunded));
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.rejected,
            a.stats.missed,
            a.reserved.u128(),
            a.open_tasks
        ),
        (1, 0, 0, 0)
    );
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (
            e.stats.rejected,
            e.stats.earned.u128(),
            e.reserved.u128(),
            e.open_tasks
        ),
        (1, EVALUATION_FEE, 0, 0)
    );
    assert_eq!(w.solvency().escrowed.u128(), 0);
}

#[test]
fn a_rejected_sub_task_returns_the_rest_into_the_parent_milestone() {
    let mut w = world();
    let (a0, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let b = w.hire("helper", BOND, &[]);
    let root = w.accepted(&[10_000]);
    let task = with_overseers(w.subtask_for(root, &b, &[3_000]), Some(&evaluator), None);
    let sub = w.delegated(&a0, (root, 0), task);
    w.accept(&b, sub).unwrap();
    w.deliver(&b, (sub, 0), vec![]).unwrap();
    w.evaluate(&evaluator, (sub, 0), false).unwrap();
    w.paid(&evaluator, EVALUATION_FEE);
    w.check();
    w.at(w.now() + REVIEW);
    let solvency = w.solvency();
    let stranger = w.s.addr("stranger");
    w.finalize_as(&stranger, (sub, 0)).unwrap();
    // 2 800 back into the root milestone, nothing to the coordinator: no token moved.
    w.check();
    assert_eq!(w.solvency(), solvency);
    let s = w.task(sub).task;
    assert_eq!(
        (s.status, s.refund_reason, s.refunded.u128()),
        (TaskStatus::Refunded, Some(RefundReason::Rejected), 2_800)
    );
    let m = w.milestone(root, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (EVALUATION_FEE, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 9_800);
    assert_eq!(w.agent_info(&b).stats.rejected, 1);
    // The root milestone: protocol on 10 000 − 200 (490), the coordinator 10 000 − 200 − 490.
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.s.moved(&escrow, &pool, 490);
    w.s.moved(&escrow, &a0, 9_310);
    w.check();
    assert_eq!(w.solvency().escrowed.u128(), 0);
}

/// Delivers milestone `index` of `id`, has it rejected and appealed, and the judge rule `share`;
/// records the evaluator's and the judge's fees.
fn appeal_and_rule(
    w: &mut World,
    (id, index): (u64, u32),
    (evaluator, judge): (&Addr, &Addr),
    share: u16,
) {
    let agent = w.agent.clone();
    w.submit(id, index, vec![]).unwrap();
    w.evaluate(evaluator, (id, index), false).unwrap();
    w.paid(evaluator, EVALUATION_FEE);
    w.dispute_as(&agent, (id, index)).unwrap();
    let m = w.milestone(id, index);
    assert_eq!(
        (m.status, m.arbitration_deadline),
        (
            MilestoneStatus::Disputed,
            Some(w.now() + openledger_tests::escrow::ARBITRATION)
        )
    );
    w.rule(judge, (id, index), share).unwrap();
    w.paid(judge, ARBITRATION_FEE);
}

#[test]
fn an_appeal_goes_to_the_bonded_arbiter_who_rules_full_split_or_nothing() {
    let mut w = world();
    let (client, agent, arbiter) = (w.client.clone(), w.agent.clone(), w.arbiter.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let judge = w.appoint("judge", (EVALUATOR_BOND, ARBITRATION_FEE), &["arbitration"]);
    let id = evaluated_task(&mut w, &[10_000, 10_000, 10_000], &evaluator, Some(&judge));
    let t = w.task(id).task;
    assert_eq!(
        (t.arbiter.clone(), t.arbitration_fee.u128(), t.bond_reserved),
        (judge.clone(), ARBITRATION_FEE, Some(Uint128::new(BOND / 2)))
    );
    assert_eq!(w.evaluator_info(&judge).reserved.u128(), 10_000);
    w.check();

    // The default arbiter is not this task's; a stranger cannot appeal for the agent.
    w.submit(id, 0, vec![]).unwrap();
    w.evaluate(&evaluator, (id, 0), false).unwrap();
    w.paid(&evaluator, EVALUATION_FEE);
    let stranger = w.s.addr("stranger");
    let e = w.refused_with(|w| w.dispute_as(&stranger, (id, 0)));
    assert_eq!(e, EscrowError::NotClient { task_id: id });
    w.dispute_as(&agent, (id, 0)).unwrap();
    let e = w.refused_with(|w| w.rule(&arbiter, (id, 0), 10_000));
    assert_eq!(e, EscrowError::NotArbiter { task_id: id });
    // Fully for the agent: judge 300, protocol 500, agent 10 000 − 200 − 300 − 500.
    w.rule(&judge, (id, 0), 10_000).unwrap();
    w.paid(&judge, ARBITRATION_FEE);
    w.to_pool(500);
    w.paid(&agent, 9_000);
    w.check();
    assert_eq!(w.evaluator_info(&evaluator).stats.overturned, 1);

    // Split 60 %: B = 6 000 pays the costs (500), protocol 300, agent 5 200; client 4 000.
    appeal_and_rule(&mut w, (id, 1), (&evaluator, &judge), 6_000);
    w.to_pool(300);
    w.paid(&agent, 5_200);
    w.paid(&client, 4_000);
    w.check();
    assert_eq!(w.evaluator_info(&evaluator).stats.overturned, 2);

    // Nothing: the client gets what the milestone holds (10 000 − 500) and the 5 000 slashed.
    appeal_and_rule(&mut w, (id, 2), (&evaluator, &judge), 0);
    w.paid(&client, 9_500 + BOND / 2);
    w.check();
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (
            e.stats.evaluated,
            e.stats.rejected,
            e.stats.overturned,
            e.stats.earned.u128()
        ),
        (3, 3, 2, 3 * EVALUATION_FEE)
    );
    assert_eq!((e.reserved.u128(), e.open_tasks), (0, 0));
    let j = w.evaluator_info(&judge);
    assert_eq!(
        (
            j.stats.arbitrated,
            j.stats.earned.u128(),
            j.reserved.u128(),
            j.open_tasks
        ),
        (3, 3 * ARBITRATION_FEE, 0, 0)
    );
    let t = w.task(id).task;
    assert_eq!(
        (
            t.status,
            t.evaluation_fees_paid.u128(),
            t.arbitration_fees_paid.u128()
        ),
        (TaskStatus::Completed, 600, 900)
    );
    assert_eq!(
        (
            t.paid_to_agent.u128(),
            t.protocol_fees.u128(),
            t.refunded.u128(),
            t.slashed.u128()
        ),
        (14_200, 800, 13_500, BOND / 2)
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.won,
            a.stats.split,
            a.stats.lost,
            a.stats.rejected,
            a.stats.disputed
        ),
        (1, 1, 1, 0, 0)
    );
    assert_eq!(a.bond.u128(), BOND / 2);
}

#[test]
fn overseers_are_independent_bonded_and_paid_for_by_each_milestone() {
    let mut w = world();
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let judge = w.appoint("judge", (EVALUATOR_BOND, ARBITRATION_FEE), &["arbitration"]);
    let deadline = w.now() + DELIVERY;
    // 526 cannot pay ⌈26.3⌉ + 200 + 300 = 527.
    let task = with_overseers(
        w.task_for(&agent, &[1_000, 526], deadline),
        Some(&evaluator),
        Some(&judge),
    );
    let e = w.refused_with(|w| w.create_with(1_526, task));
    assert_eq!(
        e,
        EscrowError::MilestoneBelowFees {
            index: 1,
            amount: Uint128::new(526),
            fees: Uint128::new(527)
        }
    );
    let task = with_overseers(w.task_for(&agent, &[1_000], deadline), Some(&client), None);
    let e = w.refused_with(|w| w.create_with(1_000, task));
    assert_eq!(
        e,
        EscrowError::EvaluatorIsParty {
            role: "client".into(),
            address: client.to_string()
        }
    );
    let task = with_overseers(
        w.task_for(&agent, &[1_000], deadline),
        Some(&evaluator),
        Some(&evaluator),
    );
    let e = w.refused_with(|w| w.create_with(1_000, task));
    assert_eq!(
        e,
        EscrowError::EvaluatorIsParty {
            role: "arbiter".into(),
            address: evaluator.to_string()
        }
    );
    let stranger = w.s.addr("stranger");
    let task = with_overseers(
        w.task_for(&agent, &[1_000], deadline),
        Some(&evaluator),
        Some(&stranger),
    );
    let e = w.refused_with(|w| w.create_with(1_000, task));
    assert_eq!(
        e,
        EscrowError::ArbiterNotBonded {
            address: stranger.to_string()
        }
    );
    // 527 pays exactly its fees; approved, it pays the evaluator 200 and protocol 27, and the
    // 300 set aside for a ruling that never came go to the agent.
    let task = with_overseers(
        w.task_for(&agent, &[527], deadline),
        Some(&evaluator),
        Some(&judge),
    );
    let id = w.open(task);
    w.accept(&agent, id).unwrap();
    w.submit(id, 0, vec![]).unwrap();
    w.evaluate(&evaluator, (id, 0), true).unwrap();
    w.paid(&evaluator, EVALUATION_FEE);
    w.to_pool(27);
    w.paid(&agent, 300);
    w.check();
}
