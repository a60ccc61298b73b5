//! Money coming back up a workflow: whatever a sub-task returns (declined, cancelled, expired,
//! deadline missed, a ruling's client part) goes back into the milestone that funded it, one
//! level up and no further, without a token moving; the coordinator spends it again and keeps,
//! when its milestone settles, what the milestone pays beyond its sub-tasks (protocol fee on
//! the amount less what the sub-tasks received). A milestone with an open sub-task can be
//! neither delivered nor refunded.

use cosmwasm_std::Addr;
use openledger_common::msg::agent_escrow::{
    EscrowSolvencyResponse, ExecuteMsg, RefundReason, TaskStatus,
};
use openledger_tests::escrow::{world, World, ACCEPT, BOND, DELIVERY};
use openledger_tests::workflow::EscrowError;

const DAY: u64 = 24 * 3600;

/// Checks that sub-task `sub` ended in `status` having returned `amount` into milestone 0 of
/// `parent`, which now holds `parent_escrowed` and delegates `delegated` net, with no sub-task
/// open; and that the escrow owes and holds what it did (`solvency`).
fn assert_returned(
    w: &World,
    (sub, status, amount): (u64, TaskStatus, u128),
    (parent, parent_escrowed, delegated): (u64, u128, u128),
    solvency: &EscrowSolvencyResponse,
) {
    let t = w.task(sub).task;
    assert_eq!(
        (t.status, t.escrowed.u128(), t.refunded.u128()),
        (status, 0, amount)
    );
    let m = w.milestone(parent, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (delegated, 0));
    assert_eq!(w.task(parent).task.escrowed.u128(), parent_escrowed);
    assert_eq!(&w.solvency(), solvency, "no token moved");
    w.check();
}

/// Sub-task `s4` of `root` (3 000 for `b`, due at `deadline`, accepted) is refunded at its
/// deadline, not a second earlier, into the root's milestone.
fn miss_the_deadline(
    w: &mut World,
    (root, s4): (u64, u64),
    deadline: u64,
    solvency: &EscrowSolvencyResponse,
) {
    let stranger = w.s.addr("stranger");
    w.at(deadline - 1);
    let e = w.refused_with(|w| w.refund(&stranger, s4));
    assert_eq!(
        e,
        EscrowError::DeadlineNotReached {
            task_id: s4,
            deadline
        }
    );
    w.at(deadline);
    w.refund(&stranger, s4).unwrap();
    assert_returned(
        w,
        (s4, TaskStatus::Refunded, 3_000),
        (root, 10_000, 0),
        solvency,
    );
    assert_eq!(
        w.task(s4).task.refund_reason,
        Some(RefundReason::DeliveryDeadlineMissed)
    );
}

/// The coordinator spends the returned budget of `root` again, on a sub-task for `b` that
/// completes (4 001: protocol ⌈200.05⌉ = 201, b 3 800); then the root milestone pays protocol
/// on 10 000 − 4 001 = 5 999 (⌈299.95⌉ = 300) and the coordinator keeps 10 000 − 4 001 − 300.
fn spend_again_and_settle(w: &mut World, root: u64, b: &Addr, ended: &[u64]) {
    let a0 = w.agent.clone();
    let s5 = w.delegated(&a0, (root, 0), w.subtask_for(root, b, &[4_001]));
    w.accept(b, s5).unwrap();
    w.deliver(b, (s5, 0), vec![]).unwrap();
    w.approve_as(&a0, (s5, 0)).unwrap();
    w.to_pool(201);
    w.paid(b, 3_800);
    w.check();
    let m = w.milestone(root, 0);
    let subtasks = [ended, &[s5]].concat();
    assert_eq!(
        (m.delegated.u128(), m.open_subtasks, m.subtasks.clone()),
        (4_001, 0, subtasks)
    );
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.to_pool(300);
    w.paid(&a0, 5_699);
    w.check();
    let r = w.task(root).task;
    assert_eq!(
        (
            r.status,
            r.paid_to_agent.u128(),
            r.protocol_fees.u128(),
            r.refunded.u128()
        ),
        (TaskStatus::Completed, 5_699, 300, 0)
    );
    let s = w.task(s5).task;
    assert_eq!(
        (s.status, s.paid_to_agent.u128(), s.protocol_fees.u128()),
        (TaskStatus::Completed, 3_800, 201)
    );
}

#[test]
fn every_early_end_of_a_sub_task_returns_its_deposit_into_the_parent_milestone() {
    let mut w = world();
    let (client, a0) = (w.client.clone(), w.agent.clone());
    let b = w.hire("helper", BOND, &[]);
    let stranger = w.s.addr("stranger");
    let root = w.accepted(&[10_000]);
    let t0 = w.now();
    w.check();
    let solvency = w.solvency();
    let back = (root, 10_000, 0);

    let s1 = w.delegated(&a0, (root, 0), w.subtask_for(root, &b, &[2_000]));
    assert_eq!(w.milestone(root, 0).delegated.u128(), 2_000);
    w.exec(&b, &ExecuteMsg::DeclineTask { task_id: s1 })
        .unwrap();
    assert_returned(&w, (s1, TaskStatus::Declined, 2_000), back, &solvency);

    let s2 = w.delegated(&a0, (root, 0), w.subtask_for(root, &b, &[1_000, 500]));
    w.exec(&a0, &ExecuteMsg::CancelTask { task_id: s2 })
        .unwrap();
    assert_returned(&w, (s2, TaskStatus::Cancelled, 1_500), back, &solvency);

    let s3 = w.delegated(&a0, (root, 0), w.subtask_for(root, &b, &[1_000]));
    w.at(t0 + ACCEPT);
    w.refund(&stranger, s3).unwrap();
    assert_returned(&w, (s3, TaskStatus::Refunded, 1_000), back, &solvency);
    assert_eq!(
        w.task(s3).task.refund_reason,
        Some(RefundReason::AcceptWindowExpired)
    );

    let deadline = t0 + 3 * DAY;
    let s4 = w.delegated(&a0, (root, 0), w.task_for(&b, &[3_000], deadline));
    w.accept(&b, s4).unwrap();
    assert_eq!(w.agent_info(&b).reserved.u128(), 3_000);
    miss_the_deadline(&mut w, (root, s4), deadline, &solvency);
    let a = w.agent_info(&b);
    assert_eq!(
        (
            a.reserved.u128(),
            a.open_tasks,
            a.stats.declined,
            a.stats.missed
        ),
        // s3 expired unaccepted and does not count; s4's missed delivery does.
        (0, 0, 1, 1)
    );

    spend_again_and_settle(&mut w, root, &b, &[s1, s2, s3, s4]);
    assert_eq!(w.solvency().escrowed.u128(), 0);
    assert_eq!(w.s.ledger[&client], 1_000_000 - 10_000);
}

#[test]
fn a_refund_at_depth_three_climbs_one_level_only() {
    let mut w = world();
    let (client, a0, escrow, pool) = (
        w.client.clone(),
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let a1 = w.hire("agent-1", BOND, &[]);
    let a2 = w.hire("agent-2", BOND, &[]);
    let a3 = w.hire("agent-3", BOND, &[]);
    let root = w.accepted(&[10_000]);
    let t1 = w.delegated(&a0, (root, 0), w.subtask_for(root, &a1, &[5_000]));
    w.accept(&a1, t1).unwrap();
    let t2 = w.delegated(&a1, (t1, 0), w.subtask_for(t1, &a2, &[2_000]));
    w.accept(&a2, t2).unwrap();
    let deadline = w.now() + 2 * DAY;
    let t3 = w.delegated(&a2, (t2, 0), w.task_for(&a3, &[1_000], deadline));
    w.accept(&a3, t3).unwrap();
    w.check();
    let solvency = w.solvency();
    // A parent with an open sub-task can be neither delivered nor refunded.
    let e = w.refused_with(|w| w.deliver(&a2, (t2, 0), vec![]));
    assert_eq!(
        e,
        EscrowError::SubtasksOpen {
            task_id: t2,
            milestone: 0,
            open: 1
        }
    );

    w.at(deadline);
    let stranger = w.s.addr("stranger");
    w.refund(&stranger, t3).unwrap();
    // Into t2's milestone only: t1 and the root still fund exactly what they did.
    assert_returned(
        &w,
        (t3, TaskStatus::Refunded, 1_000),
        (t2, 2_000, 0),
        &solvency,
    );
    let m1 = w.milestone(t1, 0);
    assert_eq!((m1.delegated.u128(), m1.open_subtasks), (2_000, 1));
    assert_eq!(w.task(t1).task.escrowed.u128(), 3_000);
    let m0 = w.milestone(root, 0);
    assert_eq!((m0.delegated.u128(), m0.open_subtasks), (5_000, 1));
    assert_eq!(w.task(root).task.escrowed.u128(), 5_000);
    assert_eq!(w.agent_info(&a3).stats.missed, 1);

    // Each level then settles with what it kept: t2 2 000 (protocol 100, agent 1 900); t1
    // 5 000 less 2 000 delegated (protocol 150, agent 2 850); the root 10 000 less 5 000
    // (protocol 250, agent 4 750).
    w.deliver(&a2, (t2, 0), vec![]).unwrap();
    w.approve_as(&a1, (t2, 0)).unwrap();
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &a2, 1_900);
    w.check();
    w.deliver(&a1, (t1, 0), vec![]).unwrap();
    w.approve_as(&a0, (t1, 0)).unwrap();
    w.s.moved(&escrow, &pool, 150);
    w.s.moved(&escrow, &a1, 2_850);
    w.check();
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.s.moved(&escrow, &pool, 250);
    w.s.moved(&escrow, &a0, 4_750);
    w.check();
    assert_eq!(w.solvency().escrowed.u128(), 0);
    assert_eq!(w.s.ledger[&client], 1_000_000 - 10_000);
    assert_eq!(
        w.s.ledger[&a3], 0,
        "the agent that missed its deadline got nothing"
    );
}

#[test]
fn a_ruling_on_a_sub_task_returns_the_client_part_up_and_the_slash_to_the_coordinator() {
    let mut w = world();
    let (a0, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let arbiter = w.arbiter.clone();
    let b = w.hire("helper", BOND, &[]);
    let c = w.hire("second-helper", BOND, &[]);
    let root = w.accepted(&[10_000]);

    // Ruled 0: the sub-task's 4 000 go back into the root milestone; the 4 000 of b's bond
    // reserved for it (min(4 000, 50 % of 10 000)) are paid to its client, the coordinator.
    let s1 = w.delegated(&a0, (root, 0), w.subtask_for(root, &b, &[4_000]));
    w.accept(&b, s1).unwrap();
    w.deliver(&b, (s1, 0), vec![]).unwrap();
    w.dispute_as(&a0, (s1, 0)).unwrap();
    w.rule(&arbiter, (s1, 0), 0).unwrap();
    w.s.moved(&escrow, &a0, 4_000);
    w.check();
    let t = w.task(s1).task;
    assert_eq!(
        (t.status, t.refunded.u128(), t.slashed.u128()),
        (TaskStatus::Completed, 4_000, 4_000)
    );
    let m = w.milestone(root, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (0, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 10_000);
    let a = w.agent_info(&b);
    assert_eq!(
        (a.bond.u128(), a.stats.lost, a.stats.slashed.u128()),
        (6_000, 1, 4_000)
    );
    assert_eq!(w.solvency().bonds.u128(), BOND + 6_000 + BOND);

    // Split 50 %: 1 500 settles (protocol 75, agent 1 425), 1 500 goes back up.
    let s2 = w.delegated(&a0, (root, 0), w.subtask_for(root, &c, &[3_000]));
    w.accept(&c, s2).unwrap();
    w.deliver(&c, (s2, 0), vec![]).unwrap();
    w.dispute_as(&a0, (s2, 0)).unwrap();
    w.rule(&arbiter, (s2, 0), 5_000).unwrap();
    w.s.moved(&escrow, &pool, 75);
    w.s.moved(&escrow, &c, 1_425);
    w.check();
    let m = w.milestone(root, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (1_500, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 8_500);
    assert_eq!(w.task(s2).task.refunded.u128(), 1_500);

    // The root: protocol on 10 000 − 1 500 (⌈425⌉), the coordinator 10 000 − 1 500 − 425.
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.s.moved(&escrow, &pool, 425);
    w.s.moved(&escrow, &a0, 8_075);
    w.check();
    assert_eq!(w.solvency().escrowed.u128(), 0);
}

#[test]
fn a_parent_milestone_waits_for_its_sub_tasks_to_end() {
    let mut w = world();
    let (client, a0, escrow, pool) = (
        w.client.clone(),
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let b = w.hire("helper", BOND, &[]);
    let stranger = w.s.addr("stranger");
    let root = w.accepted(&[5_000, 3_000]);
    let deadline = w.now() + DELIVERY;

    let s1 = w.delegated(&a0, (root, 0), w.subtask_for(root, &b, &[1_000]));
    let open = |milestone| EscrowError::SubtasksOpen {
        task_id: root,
        milestone,
        open: 1,
    };
    let e = w.refused_with(|w| w.submit(root, 0, vec![]));
    assert_eq!(e, open(0));
    w.accept(&b, s1).unwrap();
    w.deliver(&b, (s1, 0), vec![]).unwrap();
    let e = w.refused_with(|w| w.submit(root, 0, vec![]));
    assert_eq!(e, open(0));
    w.approve_as(&a0, (s1, 0)).unwrap();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &b, 950);
    // Ended: the milestone is delivered and settles (protocol on 4 000: 200; agent 3 800).
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.s.moved(&escrow, &pool, 200);
    w.s.moved(&escrow, &a0, 3_800);
    w.check();

    let s2 = w.delegated(&a0, (root, 1), w.subtask_for(root, &b, &[2_000]));
    w.accept(&b, s2).unwrap();
    w.at(deadline);
    let e = w.refused_with(|w| w.refund(&stranger, root));
    assert_eq!(e, open(1));
    let e = w.refused_with(|w| w.submit(root, 1, vec![]));
    assert_eq!(e, open(1));
    // The sub-task (due with its parent) is refunded first, into the root's milestone 1...
    w.refund(&stranger, s2).unwrap();
    let m = w.milestone(root, 1);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (0, 0));
    w.check();
    // ... then the root: its client gets the whole milestone back.
    w.refund(&stranger, root).unwrap();
    w.s.moved(&escrow, &client, 3_000);
    w.check();
    let r = w.task(root).task;
    assert_eq!(
        (r.status, r.refund_reason, r.refunded.u128()),
        (
            TaskStatus::Refunded,
            Some(RefundReason::DeliveryDeadlineMissed),
            3_000
        )
    );
    assert_eq!(w.agent_info(&a0).stats.missed, 1);
    assert_eq!(w.agent_info(&b).stats.missed, 1);
    assert_eq!(w.solvency().escrowed.u128(), 0);
}

/// The agent of `root` delegates 9 000 of milestone `milestone` to `b`, which is paid out
/// (protocol 450, b 8 550) before the milestone is delivered; the client disputes it.
fn spend_and_dispute(w: &mut World, (root, milestone): (u64, u32), b: &Addr) {
    let a0 = w.agent.clone();
    let sub = w.delegated(&a0, (root, milestone), w.subtask_for(root, b, &[9_000]));
    w.accept(b, sub).unwrap();
    w.deliver(b, (sub, 0), vec![]).unwrap();
    w.approve_as(&a0, (sub, 0)).unwrap();
    w.to_pool(450);
    w.paid(b, 8_550);
    w.submit(root, milestone, vec![]).unwrap();
    w.dispute(root, milestone).unwrap();
    w.check();
}

#[test]
fn a_ruling_on_a_parent_milestone_counts_what_its_sub_tasks_were_paid_as_spent() {
    let mut w = world();
    let (client, a0, arbiter) = (w.client.clone(), w.agent.clone(), w.arbiter.clone());
    let b = w.hire("helper", BOND, &[]);
    // The agent's reservation covers the 9 000 each milestone delegates: 18 000 free × 50 %.
    w.top_up_bond(&a0, 8_000);
    let root = w.accepted(&[10_000, 10_000]);
    assert_eq!(
        w.task(root).task.bond_reserved.map(|r| r.u128()),
        Some(9_000)
    );
    spend_and_dispute(&mut w, (root, 0), &b);
    // A share must cover the 9 000 spent: 50 % (5 000) cannot.
    let e = w.refused_with(|w| w.rule(&arbiter, (root, 0), 5_000));
    assert_eq!(
        e,
        EscrowError::AgentShareBelowCosts {
            agent_share: 5_000u128.into(),
            model_fees: 9_000u128.into(),
            protocol_fee: 0u128.into()
        }
    );
    // 95 %: B = 9 500 pays protocol on 9 500 − 9 000 (25) and the agent 475; the client 500.
    w.rule(&arbiter, (root, 0), 9_500).unwrap();
    w.to_pool(25);
    w.paid(&a0, 475);
    w.paid(&client, 500);
    w.check();
    spend_and_dispute(&mut w, (root, 1), &b);
    // 0: the client gets what the milestone still holds (1 000) and the 9 000 reserved bond,
    // which covered the 9 000 its sub-task was paid.
    w.rule(&arbiter, (root, 1), 0).unwrap();
    w.paid(&client, 1_000 + 9_000);
    w.check();
    let t = w.task(root).task;
    assert_eq!(
        (
            t.status,
            t.refunded.u128(),
            t.slashed.u128(),
            t.paid_to_agent.u128()
        ),
        (TaskStatus::Completed, 1_500, 9_000, 475)
    );
    assert_eq!(w.s.ledger[&client], 1_000_000 - 20_000 + 10_500);
    assert_eq!(w.solvency().escrowed.u128(), 0);
}
