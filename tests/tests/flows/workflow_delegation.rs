//! Delegation at each of its bounds: a workflow three levels deep and not four, eight sub-tasks
//! per milestone over its life and not a ninth (ended ones count), and a sub-task's deposit up
//! to exactly what the milestone can still spend (its amount less its protocol fee, its
//! evaluation and arbitration fees, and what it already delegated). Delegation moves no token:
//! the ledger and the escrow's solvency stay as they were.

use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{ExecuteMsg, MilestoneStatus, ParentRef, TaskStatus};
use openledger_tests::escrow::{attr, world, World, BOND, DELIVERY};
use openledger_tests::workflow::{
    with_overseers, EscrowError, ARBITRATION_FEE, EVALUATION_FEE, EVALUATOR_BOND,
};

/// Checks the tree links and money of sub-task `id`: its parent milestone, root, depth, client,
/// deposit and what it still holds.
fn assert_node(
    w: &World,
    id: u64,
    parent: (u64, u32),
    (root, depth): (u64, u8),
    (deposit, escrowed): (u128, u128),
) {
    let t = w.task(id).task;
    assert_eq!(
        (t.parent, t.root, t.depth),
        (
            Some(ParentRef {
                task_id: parent.0,
                milestone: parent.1
            }),
            root,
            depth
        )
    );
    assert_eq!(
        t.client,
        w.task(parent.0).task.agent,
        "the coordinator pays"
    );
    assert_eq!((t.deposit.u128(), t.escrowed.u128()), (deposit, escrowed));
}

#[test]
fn a_workflow_goes_three_levels_deep_and_no_further() {
    let mut w = world();
    let a0 = w.agent.clone();
    let a1 = w.hire("agent-1", BOND, &[]);
    let a2 = w.hire("agent-2", BOND, &[]);
    let a3 = w.hire("agent-3", BOND, &[]);
    let a4 = w.hire("agent-4", BOND, &[]);
    let root = w.accepted(&[10_000]);
    w.check();
    let solvency = w.solvency();

    // Depth 1: 5 000 of the root's 9 500 spendable (10 000 less its protocol fee of 500).
    let task = w.subtask_for(root, &a1, &[5_000]);
    let res = w.delegate(&a0, (root, 0), task).unwrap();
    let t1: u64 = attr(&res, "task_id").parse().unwrap();
    assert_eq!(
        (attr(&res, "depth"), attr(&res, "milestone_left")),
        ("1".to_string(), "4500".to_string())
    );
    w.accept(&a1, t1).unwrap();
    // Depth 2: 2 000 of the 4 750 that 5 000 can spend.
    let t2 = w.delegated(&a1, (t1, 0), w.subtask_for(t1, &a2, &[2_000]));
    w.accept(&a2, t2).unwrap();
    // Depth 3: 1 000 of the 1 900 that 2 000 can spend.
    let res = w.delegate(&a2, (t2, 0), w.subtask_for(t2, &a3, &[600, 400]));
    let t3: u64 = attr(&res.unwrap(), "task_id").parse().unwrap();
    w.accept(&a3, t3).unwrap();
    // Nothing left the escrow: the same tokens, owed along the tree.
    w.check();
    assert_eq!(w.solvency(), solvency);
    assert_node(&w, t1, (root, 0), (root, 1), (5_000, 3_000));
    assert_node(&w, t2, (t1, 0), (root, 2), (2_000, 1_000));
    assert_node(&w, t3, (t2, 0), (root, 3), (1_000, 1_000));
    let r = w.task(root);
    assert_eq!(
        (
            r.task.escrowed.u128(),
            r.task.depth,
            r.task.root,
            r.task.parent
        ),
        (5_000, 0, root, None)
    );
    for (parent, delegated, sub) in [(root, 5_000, t1), (t1, 2_000, t2), (t2, 1_000, t3)] {
        let m = w.milestone(parent, 0);
        assert_eq!(
            (m.delegated.u128(), m.subtasks, m.open_subtasks),
            (delegated, vec![sub], 1)
        );
    }

    // Depth 4 is refused, whatever the amount.
    let task = w.subtask_for(t3, &a4, &[100]);
    let e = w.refused_with(|w| w.delegate(&a3, (t3, 0), task));
    assert_eq!(
        e,
        EscrowError::DelegationTooDeep {
            task_id: t3,
            depth: 3,
            max: 3
        }
    );
    assert_eq!(w.agent_info(&a4).open_tasks, 0);
    assert_eq!(w.task_count(), t3);
}

#[test]
fn a_milestone_funds_eight_sub_tasks_over_its_life_and_not_a_ninth() {
    let mut w = world();
    let (a0, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let helper = w.hire("helper", BOND, &[]);
    let root = w.accepted(&[10_000]);
    let mut subs = vec![];
    for _ in 0..3 {
        subs.push(w.delegated(&a0, (root, 0), w.subtask_for(root, &helper, &[100])));
    }
    // Two of them end (cancelled by the coordinator, their client): their deposits come back,
    // but they still count against the eight.
    for id in &subs[..2] {
        w.exec(&a0, &ExecuteMsg::CancelTask { task_id: *id })
            .unwrap();
        assert_eq!(w.task(*id).task.status, TaskStatus::Cancelled);
    }
    let m = w.milestone(root, 0);
    assert_eq!(
        (m.delegated.u128(), m.subtasks.clone(), m.open_subtasks),
        (100, subs.clone(), 1)
    );
    for _ in 3..8 {
        subs.push(w.delegated(&a0, (root, 0), w.subtask_for(root, &helper, &[100])));
    }
    w.check();
    let m = w.milestone(root, 0);
    assert_eq!(
        (m.delegated.u128(), m.subtasks.len(), m.open_subtasks),
        (600, 8, 6)
    );
    assert_eq!(m.subtasks, subs);

    let task = w.subtask_for(root, &helper, &[100]);
    let ninth = EscrowError::TooManySubtasks {
        task_id: root,
        milestone: 0,
        max: 8,
    };
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task.clone()));
    assert_eq!(e, ninth);
    // Still refused once every sub-task has ended and the whole budget is back.
    for id in &subs[2..] {
        w.exec(&a0, &ExecuteMsg::CancelTask { task_id: *id })
            .unwrap();
    }
    let m = w.milestone(root, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (0, 0));
    assert_eq!(w.task(root).task.escrowed.u128(), 10_000);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(e, ninth);
    w.check();

    // The milestone settles as if it had never delegated: 500 protocol, 9 500 to the agent.
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &a0, 9_500);
    w.check();
    let a = w.agent_info(&helper);
    assert_eq!(
        (a.open_tasks, a.stats.declined, a.reserved.u128()),
        (0, 0, 0)
    );
}

#[test]
fn a_sub_task_fits_in_what_the_milestone_can_still_spend_to_the_unit() {
    let mut w = world();
    let a0 = w.agent.clone();
    let helper = w.hire("helper", BOND, &[]);
    // Its reservation (free bond × 50 %) covers all the milestone may delegate.
    w.top_up_bond(&a0, 10_000);
    let root = w.accepted(&[10_000, 4_000]);
    // Only the current milestone delegates, only its agent, and not past the parent's deadline.
    let task = w.subtask_for(root, &helper, &[100]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 1), task.clone()));
    assert_eq!(
        e,
        EscrowError::NotCurrentMilestone {
            task_id: root,
            milestone: 1,
            current: 0
        }
    );
    let client = w.client.clone();
    let e = w.refused_with(|w| w.delegate(&client, (root, 0), task.clone()));
    assert_eq!(e, EscrowError::NotAgent { task_id: root });
    let mut late = task;
    let parent_deadline = late.delivery_deadline;
    late.delivery_deadline = parent_deadline + 1;
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), late));
    assert_eq!(
        e,
        EscrowError::SubtaskOutlivesParent {
            deadline: parent_deadline + 1,
            parent_deadline
        }
    );
    let solvency = w.solvency();
    let over = |requested: u128, available: u128| EscrowError::DelegationOverBudget {
        task_id: root,
        milestone: 0,
        requested: Uint128::new(requested),
        available: Uint128::new(available),
    };
    // 10 000 less its protocol fee (500, on the whole amount) leaves 9 500.
    let task = w.subtask_for(root, &helper, &[9_501]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(e, over(9_501, 9_500));
    let res = w.delegate(&a0, (root, 0), w.subtask_for(root, &helper, &[4_000]));
    assert_eq!(attr(&res.unwrap(), "milestone_left"), "5500");
    // The deposit is the sum of the sub-task's milestones.
    let task = w.subtask_for(root, &helper, &[5_000, 501]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(e, over(5_501, 5_500));
    let res = w.delegate(&a0, (root, 0), w.subtask_for(root, &helper, &[5_000, 500]));
    assert_eq!(attr(&res.unwrap(), "milestone_left"), "0");
    let task = w.subtask_for(root, &helper, &[1]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(e, over(1, 0));
    let m = w.milestone(root, 0);
    assert_eq!((m.delegated.u128(), m.open_subtasks), (9_500, 2));
    assert_eq!(w.task(root).task.escrowed.u128(), 500 + 4_000);
    assert_eq!(w.solvency(), solvency);

    w.check();
}

#[test]
fn evaluation_and_arbitration_fees_come_off_the_budget() {
    let mut w = world();
    let a0 = w.agent.clone();
    let helper = w.hire("helper", BOND, &[]);
    w.top_up_bond(&a0, 10_000);
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let judge = w.appoint("judge", (EVALUATOR_BOND, ARBITRATION_FEE), &["arbitration"]);
    let task = w.task_for(&a0, &[10_000], w.now() + DELIVERY);
    let root = w.open(with_overseers(task, Some(&evaluator), Some(&judge)));
    w.accept(&a0, root).unwrap();
    w.check();
    // 10 000 − protocol 500 − evaluation 200 − arbitration 300 = 9 000.
    let task = w.subtask_for(root, &helper, &[9_001]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(
        e,
        EscrowError::DelegationOverBudget {
            task_id: root,
            milestone: 0,
            requested: Uint128::new(9_001),
            available: Uint128::new(9_000),
        }
    );
    let sub = w.delegated(&a0, (root, 0), w.subtask_for(root, &helper, &[9_000]));
    w.check();
    assert_eq!(w.task(root).task.escrowed.u128(), 1_000);
    assert_eq!(w.task(sub).task.escrowed.u128(), 9_000);
    // A submitted milestone delegates no more.
    w.exec(&a0, &ExecuteMsg::CancelTask { task_id: sub })
        .unwrap();
    w.submit(root, 0, vec![]).unwrap();
    let task = w.subtask_for(root, &helper, &[100]);
    let e = w.refused_with(|w| w.delegate(&a0, (root, 0), task));
    assert_eq!(
        e,
        EscrowError::MilestoneAlreadySubmitted {
            task_id: root,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    w.check();
}
