//! A silent evaluator: escalation is refused while its window is open; from its deadline on
//! anyone escalates, the evaluator's whole reservation for the task goes to the pool's
//! treasury (its bond, reservation and record say so), and the arbiter rules on the delivery,
//! which stands: the agent is paid as the ruling says and the client keeps its part, no
//! evaluation fee is charged. A bonded arbiter that lets its own window pass is slashed the same
//! way when anyone refunds the client.

use cosmwasm_std::Addr;
use openledger_common::msg::agent_escrow::{
    AgentStatus, ExecuteMsg, MilestoneStatus, RefundReason, TaskStatus,
};
use openledger_tests::escrow::{attr, world, World, ARBITRATION, BOND, DELIVERY, UNBONDING};
use openledger_tests::workflow::{
    with_overseers, EscrowError, ARBITRATION_FEE, EVALUATION_FEE, EVALUATION_WINDOW, EVALUATOR_BOND,
};

/// Escalates milestone `index` of `id` at its evaluation deadline (refused one second before)
/// and checks the milestone is with the arbiter; returns the evaluator's slash.
fn escalate_at_deadline(w: &mut World, (id, index): (u64, u32)) -> u128 {
    let deadline = w
        .milestone(id, index)
        .evaluation_deadline
        .expect("a deadline");
    let submitted_at = w.milestone(id, index).submitted_at.expect("submitted");
    assert_eq!(deadline, submitted_at + EVALUATION_WINDOW);
    let stranger = w.s.addr("stranger");
    w.at(deadline - 1);
    let e = w.refused_with(|w| w.escalate(&stranger, (id, index)));
    assert_eq!(
        e,
        EscrowError::EvaluationWindowOpen {
            task_id: id,
            milestone: index,
            evaluation_deadline: deadline
        }
    );
    w.at(deadline);
    let res = w.escalate(&stranger, (id, index)).unwrap();
    let m = w.milestone(id, index);
    assert_eq!(
        (m.status, m.dispute_reason.as_deref(), m.disputed_at),
        (
            MilestoneStatus::Disputed,
            Some("evaluator_silent"),
            Some(deadline)
        )
    );
    assert_eq!(m.arbitration_deadline, Some(deadline + ARBITRATION));
    assert_eq!(m.verdict, None);
    attr(&res, "evaluator_slashed").parse().unwrap()
}

/// Checks the record of `evaluator` after its reservation of 10 000 (of 20 000) was slashed on
/// the one task it oversaw: slashed, it is taken off the task (no open task left).
fn assert_slashed(w: &World, evaluator: &Addr) {
    let e = w.evaluator_info(evaluator);
    assert_eq!(
        (
            e.bond.u128(),
            e.reserved.u128(),
            e.free.u128(),
            e.open_tasks
        ),
        (10_000, 0, 10_000, 0)
    );
    let s = e.stats;
    assert_eq!(
        (s.missed, s.slashed.u128(), s.evaluated, s.earned.u128()),
        (1, 10_000, 0, 0)
    );
}

/// What is left of the bond of `evaluator` (10 000) leaves in two steps.
fn withdraw_what_is_left(w: &mut World, evaluator: &Addr) {
    w.exec(evaluator, &ExecuteMsg::UnbondEvaluator {}).unwrap();
    let release_at = w.now() + UNBONDING;
    assert_eq!(
        w.evaluator_info(evaluator).status,
        AgentStatus::Unbonding { release_at }
    );
    w.at(release_at);
    w.exec(evaluator, &ExecuteMsg::WithdrawEvaluatorBond {})
        .unwrap();
    w.paid(evaluator, 10_000);
    w.check();
}

#[test]
fn a_silent_evaluator_loses_its_reservation_and_the_delivery_stands() {
    let mut w = world();
    let (client, agent, arbiter) = (w.client.clone(), w.agent.clone(), w.arbiter.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let task = w.task_for(&agent, &[10_000], w.now() + DELIVERY);
    let id = w.open(with_overseers(task, Some(&evaluator), None));
    w.accept(&agent, id).unwrap();
    w.deliver(&agent, (id, 0), vec![w.lineage_inference("s-1")])
        .unwrap();
    w.model_fee_paid();
    w.check();
    let (treasury, bonds) = (w.s.treasury(), w.solvency().bonds.u128());
    assert_eq!(w.evaluator_info(&evaluator).reserved.u128(), 10_000);
    // No refund while the delivery waits for a verdict.
    let deadline = w.milestone(id, 0).evaluation_deadline.expect("a deadline");
    let stranger = w.s.addr("stranger");
    let e = w.refused_with(|w| w.refund(&stranger, id));
    assert_eq!(
        e,
        EscrowError::MilestoneUnderReview {
            task_id: id,
            milestone: 0,
            review_deadline: deadline
        }
    );

    // The whole reservation, min(10 000, 50 % of 20 000), to the treasury.
    assert_eq!(escalate_at_deadline(&mut w, (id, 0)), 10_000);
    w.to_pool(10_000);
    w.check();
    assert_eq!(w.s.treasury(), treasury + 10_000);
    assert_eq!(w.solvency().bonds.u128(), bonds - 10_000);
    assert_slashed(&w, &evaluator);
    let t = w.task(id).task;
    assert_eq!((t.evaluator_reserved.u128(), t.escrowed.u128()), (0, 9_000));
    // Too late for a verdict now: the evaluator is off the task.
    let e = w.refused_with(|w| w.evaluate(&evaluator, (id, 0), false));
    assert_eq!(e, EscrowError::NoEvaluator { task_id: id });
    assert!(w.task(id).task.evaluator_resigned);

    // The (unbonded, unpaid) default arbiter rules fully for the agent: protocol 500, agent
    // 10 000 − 1 000 − 500, exactly what an approval without evaluator pays; the client paid
    // its deposit and nothing more.
    w.rule(&arbiter, (id, 0), 10_000).unwrap();
    w.to_pool(500);
    w.paid(&agent, 8_500);
    w.check();
    assert_eq!(w.s.ledger[&client], 1_000_000 - 10_000);
    let t = w.task(id).task;
    assert_eq!(
        (
            t.status,
            t.paid_to_agent.u128(),
            t.evaluation_fees_paid.u128()
        ),
        (TaskStatus::Completed, 8_500, 0)
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.won,
            a.stats.disputed,
            a.stats.missed,
            a.stats.rejected
        ),
        (1, 0, 0, 0)
    );
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (e.open_tasks, e.reserved.u128(), e.stats.overturned),
        (0, 0, 0)
    );

    withdraw_what_is_left(&mut w, &evaluator);
    assert_eq!(w.solvency().bonds.u128(), BOND);
}

#[test]
fn a_bonded_arbiter_rules_after_an_escalation_and_its_own_silence_is_slashed() {
    let mut w = world();
    let (client, agent) = (w.client.clone(), w.agent.clone());
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let judge = w.appoint("judge", (EVALUATOR_BOND, ARBITRATION_FEE), &["arbitration"]);
    let task = w.task_for(&agent, &[10_000, 6_000], w.now() + DELIVERY);
    let id = w.open(with_overseers(task, Some(&evaluator), Some(&judge)));
    w.accept(&agent, id).unwrap();
    let treasury = w.s.treasury();

    // Milestone 0: escalated (10 000 slashed), then split 50 %: judge 300, protocol on 5 000
    // (250), agent 5 000 − 300 − 250 = 4 450, client 5 000.
    w.submit(id, 0, vec![]).unwrap();
    assert_eq!(escalate_at_deadline(&mut w, (id, 0)), 10_000);
    w.to_pool(10_000);
    w.check();
    w.rule(&judge, (id, 0), 5_000).unwrap();
    w.paid(&judge, ARBITRATION_FEE);
    w.to_pool(250);
    w.paid(&agent, 4_450);
    w.paid(&client, 5_000);
    w.check();
    assert_eq!(w.s.treasury(), treasury + 10_000 + 250);
    let j = w.evaluator_info(&judge);
    assert_eq!(
        (j.stats.arbitrated, j.stats.earned.u128()),
        (1, ARBITRATION_FEE)
    );

    // Slashed, the evaluator is off the task: milestone 1's delivery goes to the client's
    // review (no evaluation deadline), and the client disputes it.
    let e = w.evaluator_info(&evaluator);
    assert_eq!(
        (
            e.stats.missed,
            e.stats.slashed.u128(),
            e.bond.u128(),
            e.open_tasks
        ),
        (1, 10_000, 10_000, 0)
    );
    w.submit(id, 1, vec![]).unwrap();
    assert_eq!(w.milestone(id, 1).evaluation_deadline, None);
    w.dispute(id, 1).unwrap();
    w.check();
    // The judge lets its window pass: anyone refunds the client the whole milestone and the
    // judge's reservation (min(16 000, 50 % of 20 000)) goes to the treasury.
    let end = w.milestone(id, 1).arbitration_deadline.expect("a deadline");
    let stranger = w.s.addr("stranger");
    w.at(end - 1);
    let e = w.refused_with(|w| w.refund(&stranger, id));
    assert_eq!(
        e,
        EscrowError::ArbitrationWindowOpen {
            task_id: id,
            milestone: 1,
            arbitration_deadline: end
        }
    );
    w.at(end);
    let res = w.refund(&stranger, id).unwrap();
    assert_eq!(attr(&res, "arbiter_slashed"), "10000");
    w.paid(&client, 6_000);
    w.to_pool(10_000);
    w.check();
    assert_eq!(w.s.treasury(), treasury + 20_250);
    let t = w.task(id).task;
    assert_eq!(
        (t.status, t.refund_reason, t.refunded.u128()),
        (
            TaskStatus::Refunded,
            Some(RefundReason::ArbiterSilent),
            11_000
        )
    );
    let j = w.evaluator_info(&judge);
    assert_eq!(
        (
            j.bond.u128(),
            j.reserved.u128(),
            j.open_tasks,
            j.stats.missed,
            j.stats.slashed.u128()
        ),
        (10_000, 0, 0, 1, 10_000)
    );
    let e = w.evaluator_info(&evaluator);
    assert_eq!((e.reserved.u128(), e.open_tasks), (0, 0));
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.missed,
            a.stats.lost,
            a.stats.split,
            a.reserved.u128(),
            a.bond.u128()
        ),
        (0, 0, 1, 0, BOND)
    );
    assert_eq!(w.solvency().bonds.u128(), BOND + 2 * 10_000);
    assert_eq!(w.solvency().escrowed.u128(), 0);
}
