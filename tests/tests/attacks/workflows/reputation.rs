//! The bond a record of work raises: a surcharge is not shed by withdrawing and registering
//! again (the record is kept, for agents and evaluators), and a task the agent never took
//! should not count against it.

use super::kit::*;

/// The agent misses a delivery deadline (multiplier 12 500: it must hold 6 250 free to accept
/// a task of minimum 5 000), withdraws its whole bond and registers again with 6 000: its
/// record came back with it, and it must top up before it takes work.
#[test]
fn the_bond_surcharge_survives_withdrawing_and_registering_again() {
    let mut w = world();
    let (agent, client, escrow) = (w.agent.clone(), w.client.clone(), w.escrow.clone());
    let registered_at = w.agent_info(&agent).registered_at;
    let id = w.accepted(&[2_000]);
    let deadline = w.task(id).task.delivery_deadline;
    w.at(deadline);
    w.refund(&client, id).unwrap();
    paid(&mut w, &client, 2_000);
    let rep = reputation(&w, &agent).agent.unwrap();
    assert_eq!((rep.missed, rep.bond_multiplier_bps), (1, 12_500));

    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    w.at(w.now() + UNBONDING);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    paid(&mut w, &agent, BOND);
    w.register(&agent, 6_000, vec![1]).unwrap();
    w.check();
    let info = w.agent_info(&agent);
    assert_eq!(
        (info.bond.u128(), info.registered_at),
        (6_000, registered_at)
    );
    assert_eq!(reputation(&w, &agent).agent.unwrap(), rep);

    let next = w.create(&[2_000]);
    let e = refused(&mut w, |w| accept_as(w, &agent, next));
    assert_eq!(
        e,
        ContractError::FreeBondTooLow {
            bond: Uint128::new(6_000),
            reserved: Uint128::zero(),
            free: Uint128::new(6_000),
            required: Uint128::new(6_250)
        }
    );
    w.s.send(&agent, &escrow, 250, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, 250);
    accept_as(&mut w, &agent, next).unwrap();
    assert_eq!(bond_of(&w, &agent), (6_250, 2_000, 4_250));
    w.check();
}

/// An evaluator that let a window pass (slashed 1 000) withdraws and registers again: its
/// record, first registration included, is kept.
#[test]
fn an_evaluators_record_survives_withdrawing_and_registering_again() {
    let mut w = world();
    let (agent, client, stranger) = (w.agent.clone(), w.client.clone(), w.s.addr("stranger"));
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let registered_at = evaluator_info(&w, &judge).registered_at;
    let id = create_judged(&mut w, &[1_000], &judge);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    w.at(w.now() + EVAL_WINDOW);
    escalate(&mut w, &stranger, id, 0).unwrap();
    fee_paid(&mut w, 1_000);
    // The client concedes: no verdict was given, so no evaluation fee is charged.
    approve_as(&mut w, &client, id, 0).unwrap();
    fee_paid(&mut w, 50);
    paid(&mut w, &agent, 950);
    w.exec(&judge, &ExecuteMsg::UnbondEvaluator {}).unwrap();
    w.at(w.now() + UNBONDING);
    w.exec(&judge, &ExecuteMsg::WithdrawEvaluatorBond {})
        .unwrap();
    paid(&mut w, &judge, 9_000);
    let before = evaluator_info(&w, &judge).stats;
    assert_eq!((before.missed, before.slashed.u128()), (1, 1_000));

    w.s.fund(&judge, EVALUATOR_BOND);
    register_evaluator(&mut w, &judge, EVALUATOR_BOND, EVAL_FEE).unwrap();
    w.check();
    let info = evaluator_info(&w, &judge);
    assert_eq!(info.stats, before);
    assert_eq!(info.registered_at, registered_at);
    assert_eq!(reputation(&w, &judge).evaluator.unwrap().stats, before);
}

/// A task the agent never accepted is not held against it. Anyone can open tasks of 1 unit
/// for any agent with an accept window of one second and refund them (getting the unit back)
/// the next second, before the agent could decline; were expiries counted as missed deadlines,
/// eight of them would triple the free bond the agent must hold (multiplier 30 000) at no
/// cost to their client, and the agent could no longer take an honest client's task with its
/// 10 000 bond.
#[test]
fn tasks_an_agent_never_accepted_do_not_raise_its_bond() {
    let mut w = world();
    let agent = w.agent.clone();
    let stranger = w.s.addr("stranger");
    w.s.fund(&stranger, 8);
    let spam: Vec<u64> = (0..8)
        .map(|_| {
            let mut t = w.new_task(&[1]);
            t.accept_window = 1;
            t.delivery_deadline = w.now() + 2;
            task_from(&mut w, &stranger, t)
        })
        .collect();
    w.at(w.now() + 1);
    for id in spam {
        w.refund(&stranger, id).unwrap();
        paid(&mut w, &stranger, 1);
    }
    w.check();
    assert_eq!(w.s.balance(&stranger), 8, "the stranger spent nothing");
    let honest = w.create(&[8_000]);
    let rep = reputation(&w, &agent).agent.unwrap();
    assert_eq!(
        rep.bond_multiplier_bps, 10_000,
        "tasks the agent never accepted raised the free bond it must hold"
    );
    accept_as(&mut w, &agent, honest).unwrap();
}
