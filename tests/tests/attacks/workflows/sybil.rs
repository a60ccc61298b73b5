//! Sybil ratings and sybil records: a client making many tiny tasks to one agent to move its
//! score, and an agent's own second address making tiny tasks to earn it a record.

use super::kit::*;

/// An honest client paid 19 000 for one task and rated it 20. A sybil client then makes ten
/// tasks of 30 and rates each 100: a plain average would be 92, but each rating weighs what its
/// task paid the agent (28, after a protocol fee of 2 paid on each, rounded up), so the score
/// moves from 20 to 21. One task of their total (300) would have paid a smaller fee (15) for
/// more weight (285): splitting buys nothing.
#[test]
fn many_tiny_tasks_weigh_only_what_they_paid_and_each_pays_its_protocol_fee() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let honest = w.accepted(&[20_000]);
    w.submit(honest, 0, vec![]).unwrap();
    w.approve(honest, 0).unwrap();
    fee_paid(&mut w, 1_000);
    paid(&mut w, &agent, 19_000);
    rate(&mut w, &client, honest, FeedbackSubject::Agent, 20).unwrap();
    assert_eq!(reputation(&w, &agent).agent.unwrap().score, Some(20));

    let sybil = w.s.addr("sybil");
    w.s.fund(&sybil, 10 * 30);
    for _ in 0..10 {
        let id = done_for(&mut w, &sybil, 30);
        fee_paid(&mut w, 2);
        paid(&mut w, &agent, 28);
        let t = w.task(id).task;
        assert_eq!((t.protocol_fees.u128(), t.paid_to_agent.u128()), (2, 28));
        rate(&mut w, &sybil, id, FeedbackSubject::Agent, 100).unwrap();
    }
    w.check();
    let r = reputation(&w, &agent).agent.unwrap();
    assert_eq!((r.ratings.count, r.ratings.sum), (11, 20 + 10 * 100));
    assert_eq!(r.ratings.weight.u128(), 19_000 + 10 * 28);
    assert_eq!(r.ratings.weighted_sum.u128(), 20 * 19_000 + 100 * 10 * 28);
    assert_eq!(r.score, Some(21));

    let whole = w.s.addr("sybil-whole");
    w.s.fund(&whole, 300);
    let id = done_for(&mut w, &whole, 300);
    fee_paid(&mut w, 15);
    paid(&mut w, &agent, 285);
    rate(&mut w, &whole, id, FeedbackSubject::Agent, 100).unwrap();
    w.check();
    let t = w.task(id).task;
    // One task of the ten tasks' total pays less protocol fee (15 < 20) for more weight.
    assert_eq!((t.protocol_fees.u128(), t.paid_to_agent.u128()), (15, 285));
    let r = reputation(&w, &agent).agent.unwrap();
    assert_eq!(r.ratings.weight.u128(), 19_000 + 10 * 28 + 285);
    assert_eq!(r.score, Some(22));
}

/// The bond discount counts only proven tasks (completed and paying the agent at least the
/// escrow's minimum bond). The agent's second address gives it twenty tasks of 1 unit, each
/// settled for a protocol fee of 1 and paying the agent nothing; were completed tasks counted,
/// 20 units would buy the largest discount and the agent would need only half the minimum
/// free to accept any client's task.
#[test]
fn tasks_that_paid_the_agent_nothing_do_not_lower_its_bond() {
    let mut w = world();
    let agent = w.agent.clone();
    let second = w.s.addr("agent-second-address");
    w.s.fund(&second, 20);
    for _ in 0..20 {
        done_for(&mut w, &second, 1);
        fee_paid(&mut w, 1);
    }
    w.check();
    let r = reputation(&w, &agent).agent.unwrap();
    assert_eq!((r.completed, r.earned.u128(), r.volume.u128()), (20, 0, 20));
    assert_eq!(
        r.bond_multiplier_bps, 10_000,
        "tasks that paid the agent nothing lowered the free bond it must hold"
    );
}

/// A task proves the agent's record when it pays the agent at least the escrow's minimum bond
/// (5 000): a task of 5 263 pays 4 999 after its protocol fee of 264 and proves nothing; one of
/// 5 264 pays 5 000 and takes 250 bps off the bond the agent must hold. The largest discount
/// costs the agent's own second address 20 × 264 = 5 280 in protocol fees, more than the 2 500
/// of free bond it no longer has to hold.
#[test]
fn a_proven_task_pays_at_least_the_minimum_bond_and_its_protocol_fee() {
    let mut w = world();
    let agent = w.agent.clone();
    let second = w.s.addr("agent-second-address");
    w.s.fund(&second, 5_263 + 21 * 5_264);
    done_for(&mut w, &second, 5_263);
    fee_paid(&mut w, 264);
    paid(&mut w, &agent, 4_999);
    let r = reputation(&w, &agent).agent.unwrap();
    assert_eq!(
        (r.completed, r.proven, r.bond_multiplier_bps),
        (1, 0, 10_000)
    );
    for n in 1..=21u64 {
        done_for(&mut w, &second, 5_264);
        fee_paid(&mut w, 264);
        paid(&mut w, &agent, 5_000);
        let r = reputation(&w, &agent).agent.unwrap();
        assert_eq!((r.completed, r.proven), (1 + n, n));
        assert_eq!(r.bond_multiplier_bps, 10_000 - 250 * n.min(20) as u32);
    }
    w.check();
    assert_eq!(w.s.balance(&second), 0);
}
