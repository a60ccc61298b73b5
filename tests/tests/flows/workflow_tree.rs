//! The money tree of a workflow four levels deep (depths 0 to 3), read back with the `workflow`
//! query: every node with its parent link, root and depth, every milestone with what it
//! delegated and to which sub-tasks, and every payment made in each task; together they account
//! for the root client's whole deposit, and the ledger agrees unit for unit.
//!
//! Root (client → agent, 10 000 + 2 000); its milestone 0 funds t1 (4 000, to b, with an
//! evaluator) and t1b (500, to d, declined); t1 funds t2 (2 000, to c, one model fee); t2 funds
//! t3 (500, to d).

use cosmwasm_std::Addr;
use openledger_common::msg::agent_escrow::{
    ExecuteMsg, MilestoneStatus, ParentRef, TaskStatus, WorkflowNode, WorkflowResponse,
};
use openledger_tests::escrow::{world, World, BOND};
use openledger_tests::workflow::{with_overseers, EVALUATION_FEE, EVALUATOR_BOND};

/// The tree's tasks by id and its workers.
struct Tree {
    ids: [u64; 5],
    b: Addr,
    c: Addr,
    d: Addr,
    evaluator: Addr,
}

/// Builds the tree (nothing settled yet); t1b is declined.
fn build(w: &mut World) -> Tree {
    let a0 = w.agent.clone();
    let b = w.hire("worker-b", BOND, &[]);
    let c = w.hire("worker-c", BOND, &[]);
    let d = w.hire("worker-d", BOND, &[]);
    let evaluator = w.appoint("evaluator", (EVALUATOR_BOND, EVALUATION_FEE), &["review"]);
    let root = w.accepted(&[10_000, 2_000]);
    let task = with_overseers(w.subtask_for(root, &b, &[4_000]), Some(&evaluator), None);
    let t1 = w.delegated(&a0, (root, 0), task);
    w.accept(&b, t1).unwrap();
    let t1b = w.delegated(&a0, (root, 0), w.subtask_for(root, &d, &[500]));
    w.exec(&d, &ExecuteMsg::DeclineTask { task_id: t1b })
        .unwrap();
    let t2 = w.delegated(&b, (t1, 0), w.subtask_for(t1, &c, &[2_000]));
    w.accept(&c, t2).unwrap();
    let t3 = w.delegated(&c, (t2, 0), w.subtask_for(t2, &d, &[500]));
    w.accept(&d, t3).unwrap();
    w.check();
    Tree {
        ids: [root, t1, t1b, t2, t3],
        b,
        c,
        d,
        evaluator,
    }
}

/// Settles the tree bottom-up, recording every payment.
fn settle(w: &mut World, tree: &Tree) {
    let [root, t1, _, t2, t3] = tree.ids;
    let (a0, b, c, d) = (w.agent.clone(), &tree.b, &tree.c, &tree.d);
    // t3: protocol 25, d 475.
    w.deliver(d, (t3, 0), vec![]).unwrap();
    w.approve_as(c, (t3, 0)).unwrap();
    w.to_pool(25);
    w.paid(d, 475);
    w.check();
    // t2: model fee 1 000 at delivery; protocol on 2 000 − 500 (75); c 2 000 − 1 000 − 500 − 75.
    w.deliver(c, (t2, 0), vec![w.lineage_inference("tree-1")])
        .unwrap();
    w.model_fee_paid();
    w.approve_as(b, (t2, 0)).unwrap();
    w.to_pool(75);
    w.paid(c, 425);
    w.check();
    // t1, approved by its evaluator: evaluator 200; protocol on 4 000 − 2 000 (100); b 1 700.
    w.deliver(b, (t1, 0), vec![]).unwrap();
    w.evaluate(&tree.evaluator, (t1, 0), true).unwrap();
    w.paid(&tree.evaluator, EVALUATION_FEE);
    w.to_pool(100);
    w.paid(b, 1_700);
    w.check();
    // The root: protocol on 10 000 − 4 000 (300), the agent 5 700; then 2 000: 100 and 1 900.
    w.submit(root, 0, vec![]).unwrap();
    w.approve(root, 0).unwrap();
    w.to_pool(300);
    w.paid(&a0, 5_700);
    w.submit(root, 1, vec![]).unwrap();
    w.approve(root, 1).unwrap();
    w.to_pool(100);
    w.paid(&a0, 1_900);
    w.check();
}

/// (id, parent, root, depth, client, agent, status) of a node.
type Links = (u64, Option<ParentRef>, u64, u8, Addr, Addr, TaskStatus);

/// The links of a node.
fn links(n: &WorkflowNode) -> Links {
    let t = &n.task;
    let (client, agent) = (t.client.clone(), t.agent.clone());
    (t.id, t.parent, t.root, t.depth, client, agent, t.status)
}

/// (paid to agent, protocol, model fees, evaluation fees, refunded, still escrowed) of a node.
fn money(n: &WorkflowNode) -> [u128; 6] {
    let t = &n.task;
    [
        t.paid_to_agent.u128(),
        t.protocol_fees.u128(),
        t.model_fees_paid.u128(),
        t.evaluation_fees_paid.u128(),
        t.refunded.u128(),
        t.escrowed.u128(),
    ]
}

/// (delegated, sub-tasks, open sub-tasks, status) of each milestone of a node.
fn funding(n: &WorkflowNode) -> Vec<(u128, Vec<u64>, u32, MilestoneStatus)> {
    n.milestones
        .iter()
        .map(|m| {
            (
                m.delegated.u128(),
                m.subtasks.clone(),
                m.open_subtasks,
                m.status,
            )
        })
        .collect()
}

/// Checks every node's links: id, parent milestone, root, depth, client, agent, status.
fn assert_links(w: &World, all: &WorkflowResponse, tree: &Tree) {
    let [root, t1, t1b, t2, t3] = tree.ids;
    let (client, a0) = (w.client.clone(), w.agent.clone());
    let (b, c, d) = (tree.b.clone(), tree.c.clone(), tree.d.clone());
    let parent = |task_id| {
        Some(ParentRef {
            task_id,
            milestone: 0,
        })
    };
    let (done, declined) = (TaskStatus::Completed, TaskStatus::Declined);
    let expected: Vec<Links> = vec![
        (root, None, root, 0, client, a0.clone(), done),
        (t1, parent(root), root, 1, a0.clone(), b.clone(), done),
        (t1b, parent(root), root, 1, a0, d.clone(), declined),
        (t2, parent(t1), root, 2, b, c.clone(), done),
        (t3, parent(t2), root, 3, c, d, done),
    ];
    assert_eq!(all.tasks.iter().map(links).collect::<Vec<_>>(), expected);
}

/// Checks every node's payments and milestones; they account for the whole deposit.
fn assert_money(all: &WorkflowResponse, tree: &Tree) {
    let [_, t1, t1b, t2, t3] = tree.ids;
    let ms: Vec<_> = all.tasks.iter().map(money).collect();
    assert_eq!(
        ms,
        vec![
            [7_600, 400, 0, 0, 0, 0],
            [1_700, 100, 0, EVALUATION_FEE, 0, 0],
            [0, 0, 0, 0, 500, 0],
            [425, 75, 1_000, 0, 0, 0],
            [475, 25, 0, 0, 0, 0],
        ]
    );
    // Everything paid in the tree is the root client's deposit, to the unit.
    let total: u128 = ms.iter().map(|m| m[0] + m[1] + m[2] + m[3]).sum();
    assert_eq!(total, 12_000);
    let (approved, refunded) = (MilestoneStatus::Approved, MilestoneStatus::Refunded);
    let fs: Vec<_> = all.tasks.iter().map(funding).collect();
    assert_eq!(
        fs,
        vec![
            vec![
                (4_000, vec![t1, t1b], 0, approved),
                (0, vec![], 0, approved)
            ],
            vec![(2_000, vec![t2], 0, approved)],
            vec![(0, vec![], 0, refunded)],
            vec![(500, vec![t3], 0, approved)],
            vec![(0, vec![], 0, approved)],
        ]
    );
    let n1 = &all.tasks[1];
    assert_eq!(n1.task.evaluator, Some(tree.evaluator.clone()));
    let verdict = n1.milestones[0].verdict.as_ref().map(|v| v.approve);
    assert_eq!(verdict, Some(true));
    assert_eq!(all.tasks[3].milestones[0].model_fees.u128(), 1_000);
}

/// The ids of a workflow page.
fn ids(r: WorkflowResponse) -> Vec<u64> {
    r.tasks.iter().map(|n| n.task.id).collect()
}

#[test]
fn the_workflow_query_shows_every_node_link_and_payment() {
    let mut w = world();
    let client = w.client.clone();
    let tree = build(&mut w);
    let [root, t1, t1b, t2, t3] = tree.ids;

    // Before settlement: every task open, the money spread along the tree.
    let before = w.workflow(root, None, None);
    let held: Vec<u128> = before
        .tasks
        .iter()
        .map(|n| n.task.escrowed.u128())
        .collect();
    assert_eq!(held, vec![6_000 + 2_000, 2_000, 0, 1_500, 500]);
    assert_eq!(w.solvency().escrowed.u128(), 12_000);

    settle(&mut w, &tree);
    let all = w.workflow(root, None, None);
    assert_eq!(all.root, root);
    assert_links(&w, &all, &tree);
    assert_money(&all, &tree);
    assert_eq!(w.solvency().escrowed.u128(), 0);
    assert_eq!(w.s.ledger[&client], 1_000_000 - 12_000);

    // Any task of the tree answers with the whole tree; pages by id.
    assert_eq!(w.workflow(t3, None, None), all);
    assert_eq!(ids(w.workflow(t1, None, Some(1))), vec![root]);
    assert_eq!(ids(w.workflow(root, Some(root), Some(2))), vec![t1, t1b]);
    assert_eq!(ids(w.workflow(t2, None, Some(2))), vec![root, t1]);
    assert_eq!(ids(w.workflow(root, Some(t1), Some(2))), vec![t1b, t2]);
    assert_eq!(ids(w.workflow(root, Some(t2), Some(2))), vec![t3]);
    assert_eq!(ids(w.workflow(root, Some(t3), None)), Vec::<u64>::new());
    // A separate root task is a tree of its own.
    let other = w.create(&[1_000]);
    let own = w.workflow(other, None, None);
    assert_eq!((own.root, ids(own)), (other, vec![other]));
}
