use crate::setup::escrow_economics::*;

// ---------------------------------------------------------------------------------------------
// Finding 3: the bond covers the tasks that rely on it
// ---------------------------------------------------------------------------------------------

/// The review's attack: the honest client's task (8 000) is accepted; a sybil client opens
/// small tasks naming a puppet arbiter, the agent accepts and the puppet rules 0, all in one
/// block. 0.2.0: each ruling slashed 50 % of the bond left (5 000, 2 500, 1 250: 8 750 to the
/// sybil) and the honest slash found 625. Now the honest acceptance reserved 5 000; the sybil
/// task reserves min(100, 50 % of the free 5 000) = 100, a second sybil task is refused (free
/// 4 900 < 5 000), the puppet's ruling takes only its 100 and the honest slash is exactly 5 000.
#[test]
fn sybil_rulings_cannot_drain_the_bond_an_honest_dispute_relies_on() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let honest = w.accepted(&[8_000]);
    assert_eq!(bond(&w), (BOND, 5_000, 5_000));
    assert_eq!(w.task(honest).task.bond_reserved, Some(Uint128::new(5_000)));

    let (sybil, puppet) = (w.s.addr("sybil"), w.s.addr("puppet"));
    let first = create_as(&mut w, &sybil, &[100], Some(&puppet));
    let second = create_as(&mut w, &sybil, &[100], Some(&puppet));
    accept(&mut w, first).unwrap();
    assert_eq!(bond(&w), (BOND, 5_100, 4_900));
    let e = w.refused(|w| accept(w, second));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(BOND),
            reserved: Uint128::new(5_100),
            free: Uint128::new(4_900),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &sybil, &puppet, first, 0);
    // The sybil gets its 100 back and the 100 reserved for its task: no more.
    w.s.moved(&escrow, &sybil, 100 + 100);
    w.check();
    assert_eq!(bond(&w), (BOND - 100, 5_000, 4_900));

    w.submit(honest, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, honest, 0);
    w.s.moved(&escrow, &client, 8_000 + 5_000);
    w.check();
    assert_eq!(w.task(honest).task.slashed.u128(), 5_000);
    assert_eq!(bond(&w), (BOND - 100 - 5_000, 0, 4_900));
    // The sybil's cancelled second task returns its deposit: its gain is exactly the 100
    // reserved for its own task.
    w.exec(&sybil, &ExecuteMsg::CancelTask { task_id: second })
        .unwrap();
    w.s.moved(&escrow, &sybil, 100);
    w.check();
    assert_eq!(w.s.balance(&sybil), 300);
}

/// The sybil's task is accepted first, with a large deposit: it reserves 5 000 (its deposit is
/// larger), the honest task then reserves 50 % of the free 5 000 = 2 500, and that is what its
/// client sees on the task (`bond_reserved`) and gets: the sybil's ruling cannot touch it.
#[test]
fn a_reservation_is_known_at_acceptance_and_never_shrinks() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let (sybil, puppet) = (w.s.addr("sybil"), w.s.addr("puppet"));
    let first = create_as(&mut w, &sybil, &[6_000], Some(&puppet));
    accept(&mut w, first).unwrap();
    let honest = w.accepted(&[8_000]);
    assert_eq!(w.task(honest).task.bond_reserved, Some(Uint128::new(2_500)));
    assert_eq!(bond(&w), (BOND, 7_500, 2_500));
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &sybil, &puppet, first, 0);
    w.s.moved(&escrow, &sybil, 6_000 + 5_000);
    w.check();
    w.submit(honest, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, honest, 0);
    w.s.moved(&escrow, &client, 8_000 + 2_500);
    w.check();
    assert_eq!(bond(&w), (2_500, 0, 2_500));
}

/// A task accepted under 0.2.0 reserved nothing: a ruling of 0 on it slashes as then
/// (bond × 50 %) but never what later tasks reserved. Here two tasks accepted after the
/// upgrade reserve 5 000 and 2 500; the 0.2.0 formula says 5 000, the free bond is 2 500.
#[test]
fn a_0_2_0_tasks_slash_never_takes_what_other_tasks_reserved() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let legacy = w.accepted(&[3_000]);
    w.accepted_under_0_2_0(legacy);
    assert_eq!(w.task(legacy).task.bond_reserved, None);
    assert_eq!(bond(&w), (BOND, 0, BOND));
    let a = w.accepted(&[9_000]);
    let b = w.create(&[9_000]);
    // Free 5 000 = the minimum: b is accepted and reserves 2 500.
    accept(&mut w, b).unwrap();
    assert_eq!(bond(&w), (BOND, 7_500, 2_500));
    w.submit(legacy, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, legacy, 0);
    w.s.moved(&escrow, &client, 3_000 + 2_500);
    w.check();
    assert_eq!(bond(&w), (7_500, 7_500, 0));
    for (id, reserved) in [(a, 5_000), (b, 2_500)] {
        w.submit(id, 0, vec![]).unwrap();
        dispute_and_rule(&mut w, &client, &arbiter, id, 0);
        w.s.moved(&escrow, &client, 9_000 + reserved);
        w.check();
    }
    assert_eq!(bond(&w), (0, 0, 0));
    assert_eq!(w.solvency().bonds, Uint128::zero());
}

// ---------------------------------------------------------------------------------------------
// Finding 4: a slashed agent tops up before new work
// ---------------------------------------------------------------------------------------------

/// Two tasks created while the bond was whole; the first, ruled 0, takes its 5 000 (bond
/// 5 000). The task ends `completed` but paid the agent nothing, so it proves nothing, and the
/// lost ruling adds 25 %: the agent now needs 6 250 free, so the second task cannot be accepted
/// until it tops up 1 250; it is then ruled 0 too (its reservation, 3 125, goes). Two such
/// tasks: the agent needs 7 500 free and holds 3 125: a third task, created before the slashes,
/// cannot be accepted, and no new task can even be created for it (bond below the minimum);
/// after a top-up to 7 500 it is accepted. (0.2.0 checked nothing at acceptance and let the
/// agent work with 2 500 at stake.)
#[test]
fn a_slashed_agent_cannot_accept_until_it_tops_up() {
    let mut w = world();
    let (client, arbiter, escrow, agent) = (
        w.client.clone(),
        w.arbiter.clone(),
        w.escrow.clone(),
        w.agent.clone(),
    );
    let first = w.accepted(&[20_000]);
    let second = w.create(&[20_000]);
    let third = w.create(&[1_000]);
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, first, 0);
    w.s.moved(&escrow, &client, 20_000 + 5_000);
    w.check();
    assert_eq!(bond(&w), (5_000, 0, 5_000));
    let e = w.refused(|w| accept(w, second));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(5_000),
            reserved: Uint128::zero(),
            free: Uint128::new(5_000),
            required: Uint128::new(MIN_BOND * 12_500 / 10_000)
        }
    );
    w.s.send(&agent, &escrow, 1_250, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, 1_250);
    accept(&mut w, second).unwrap();
    w.submit(second, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, second, 0);
    w.s.moved(&escrow, &client, 20_000 + 3_125);
    w.check();
    assert_eq!(bond(&w), (3_125, 0, 3_125));
    let e = w.refused(|w| accept(w, third));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(3_125),
            reserved: Uint128::zero(),
            free: Uint128::new(3_125),
            required: Uint128::new(MIN_BOND * 15_000 / 10_000)
        }
    );
    // A new task cannot even be created for it.
    let t = w.new_task(&[1_000]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        escrow_err(e),
        ContractError::BondTooLow {
            bond: Uint128::new(3_125),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.s.send(&agent, &escrow, 4_375, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, 4_375);
    accept(&mut w, third).unwrap();
    w.check();
    assert_eq!(bond(&w), (7_500, 1_000, 6_500));
}
