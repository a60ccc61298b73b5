//! Self-evaluation and unbonded overseers: an evaluator that is the client, the agent or the
//! arbiter of the task; an agent's second address as evaluator (what the escrow can and cannot
//! see); an evaluator leaving while it oversees a task; a named arbiter without a bond; an
//! evaluator raising its fee on a task it already oversees.

use super::kit::*;

/// The evaluator is none of the client, the agent and the arbiter (default or named), even
/// when they registered as evaluators; its window comes with it and is bounded; it must be a
/// registered evaluator.
#[test]
fn an_evaluator_is_independent_of_the_task_and_its_arbiter() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    register_evaluator(&mut w, &client, EVALUATOR_BOND, EVAL_FEE).unwrap();
    register_evaluator(&mut w, &agent, EVALUATOR_BOND, EVAL_FEE).unwrap();
    for (who, role) in [
        (&client, "client"),
        (&agent, "agent"),
        (&arbiter, "arbiter"),
    ] {
        let t = judged(&w, &[2_000], who);
        let e = refused(&mut w, |w| w.create_with(2_000, t));
        assert_eq!(
            e,
            ContractError::EvaluatorIsParty {
                role: role.into(),
                address: who.to_string()
            }
        );
    }
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let mut t = judged(&w, &[2_000], &judge);
    t.arbiter = Some(judge.to_string());
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::EvaluatorIsParty {
            role: "arbiter".into(),
            address: judge.to_string()
        }
    );

    let mut t = judged(&w, &[2_000], &judge);
    t.evaluation_window = None;
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(e, ContractError::EvaluationTermsIncomplete);
    let mut t = w.new_task(&[2_000]);
    t.evaluation_window = Some(EVAL_WINDOW);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(e, ContractError::EvaluationTermsIncomplete);
    for window in [0, MAX_WINDOW + 1] {
        let mut t = judged(&w, &[2_000], &judge);
        t.evaluation_window = Some(window);
        let e = refused(&mut w, |w| w.create_with(2_000, t));
        assert_eq!(
            e,
            ContractError::WindowOutOfRange {
                field: "evaluation_window".into(),
                value: window,
                min: 1,
                max: MAX_WINDOW
            }
        );
    }
    let stranger = w.s.addr("stranger");
    let t = judged(&w, &[2_000], &stranger);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::EvaluatorNotActive {
            address: stranger.to_string()
        }
    );
    w.check();
}

/// An agent registers a second address as an evaluator. The escrow cannot tell whose it is: a
/// client that names it gets it, and its verdict settles. What the escrow refuses is any
/// address that is a party of the task: the agent's own address (registered as an evaluator
/// or not), the second address once it is the task's agent too, or its arbiter; and on a
/// sub-task, the coordinator (its client) and the sub-agent.
#[test]
fn the_agents_second_address_may_evaluate_only_where_it_is_no_party() {
    let mut w = world();
    let agent = w.agent.clone();
    let sock = evaluator(&mut w, "agent-second-address", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &sock);
    assert_eq!(w.task(id).task.evaluator, Some(sock.clone()));
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &sock, (id, 0), true).unwrap();
    paid(&mut w, &sock, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();

    register_evaluator(&mut w, &agent, EVALUATOR_BOND, EVAL_FEE).unwrap();
    let is_party = |role: &str, address: &Addr| ContractError::EvaluatorIsParty {
        role: role.into(),
        address: address.to_string(),
    };
    let t = judged(&w, &[2_000], &agent);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(e, is_party("agent", &agent));
    let mut t = judged(&w, &[2_000], &sock);
    t.arbiter = Some(sock.to_string());
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(e, is_party("arbiter", &sock));
    w.s.fund(&sock, BOND);
    w.register(&sock, BOND, vec![1]).unwrap();
    let mut t = judged(&w, &[2_000], &sock);
    t.agent = sock.to_string();
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(e, is_party("agent", &sock));

    // On a sub-task the coordinator is the client.
    let helper = worker(&mut w, "helper", BOND);
    let root = w.accepted(&[10_000]);
    for (evaluator, role, address) in [(&agent, "client", &agent), (&helper, "agent", &helper)] {
        let mut t = sub_task(&w, root, &helper, &[1_000]);
        t.evaluator = Some(evaluator.to_string());
        t.evaluation_window = Some(EVAL_WINDOW);
        let e = refused(&mut w, |w| delegate(w, &agent, (root, 0), t));
        assert_eq!(e, is_party(role, address));
    }
    let mut t = sub_task(&w, root, &helper, &[1_000]);
    t.evaluator = Some(sock.to_string());
    t.evaluation_window = Some(EVAL_WINDOW);
    let sub = delegated(&mut w, &agent, (root, 0), t);
    assert_eq!(w.task(sub).task.evaluator, Some(sock.clone()));
    assert_eq!(w.task(sub).task.client, agent);
    w.check();
}

/// An evaluator named on a task, open or accepted, as evaluator or as arbiter, cannot unbond
/// until the task ends; once unbonding it can be named on no task and topped up no more; it
/// withdraws its bond after the unbonding period.
#[test]
fn an_evaluator_cannot_leave_while_it_oversees_a_task() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    let info = evaluator_info(&w, &judge);
    assert_eq!(
        (info.reserved.u128(), info.free.u128(), info.open_tasks),
        (2_000, 8_000, 1)
    );
    let unbond = ExecuteMsg::UnbondEvaluator {};
    let e = refused(&mut w, |w| w.exec(&judge, &unbond));
    assert_eq!(e, ContractError::EvaluatorHasOpenTasks { open_tasks: 1 });
    let e = refused(&mut w, |w| {
        w.exec(&judge, &ExecuteMsg::WithdrawEvaluatorBond {})
    });
    assert_eq!(e, ContractError::NotUnbonding);
    accept_as(&mut w, &agent, id).unwrap();
    let e = refused(&mut w, |w| w.exec(&judge, &unbond));
    assert_eq!(e, ContractError::EvaluatorHasOpenTasks { open_tasks: 1 });
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), true).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();

    // As a named arbiter too.
    let mut t = w.new_task(&[2_000]);
    t.arbiter = Some(judge.to_string());
    let arbitrated = create(&mut w, t);
    let e = refused(&mut w, |w| w.exec(&judge, &unbond));
    assert_eq!(e, ContractError::EvaluatorHasOpenTasks { open_tasks: 1 });
    w.exec(
        &client,
        &ExecuteMsg::CancelTask {
            task_id: arbitrated,
        },
    )
    .unwrap();
    paid(&mut w, &client, 2_000);
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.reserved.u128(), info.open_tasks), (0, 0));

    w.exec(&judge, &unbond).unwrap();
    let release_at = w.now() + UNBONDING;
    let t = judged(&w, &[2_000], &judge);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::EvaluatorNotActive {
            address: judge.to_string()
        }
    );
    let mut t = w.new_task(&[2_000]);
    t.arbiter = Some(judge.to_string());
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::ArbiterNotBonded {
            address: judge.to_string()
        }
    );
    w.s.fund(&judge, 1_000);
    let escrow = w.escrow.clone();
    let e = refused(&mut w, |w| {
        w.s.send(&judge, &escrow, 1_000, &ReceiveMsg::TopUpEvaluatorBond {})
    });
    assert_eq!(
        e,
        ContractError::EvaluatorNotActive {
            address: judge.to_string()
        }
    );
    w.at(release_at - 1);
    let e = refused(&mut w, |w| {
        w.exec(&judge, &ExecuteMsg::WithdrawEvaluatorBond {})
    });
    assert_eq!(e, ContractError::BondLocked { release_at });
    w.at(release_at);
    w.exec(&judge, &ExecuteMsg::WithdrawEvaluatorBond {})
        .unwrap();
    paid(&mut w, &judge, EVALUATOR_BOND);
    w.check();
    assert_eq!(w.solvency().bonds.u128(), BOND);
}

/// Anyone may name a registered evaluator on a task without asking it, and the task reserves
/// part of its bond. A stranger's task, accepted by the stranger's own agent with a delivery
/// deadline two years away, does not hold the evaluator: it resigns (its 200 are released at
/// once) and unbonds; the task goes on without it, reviewed by its client.
#[test]
fn a_stranger_cannot_hold_an_evaluator_it_never_asked() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let (stranger, puppet) = (w.s.addr("stranger"), worker(&mut w, "puppet", BOND));
    let mut t = judged(&w, &[200], &judge);
    t.agent = puppet.to_string();
    t.delivery_deadline = w.now() + 730 * 24 * 3600;
    w.s.fund(&stranger, 200);
    let escrow = w.escrow.clone();
    let res =
        w.s.send(&stranger, &escrow, 200, &ReceiveMsg::CreateTask(t))
            .unwrap();
    w.s.moved(&stranger, &escrow, 200);
    let id: u64 = attr(&res, "task_id").parse().unwrap();
    accept_as(&mut w, &puppet, id).unwrap();
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.reserved.u128(), info.open_tasks), (200, 1));
    let e = refused(&mut w, |w| w.exec(&judge, &ExecuteMsg::UnbondEvaluator {}));
    assert_eq!(e, ContractError::EvaluatorHasOpenTasks { open_tasks: 1 });
    // Only the evaluator itself resigns.
    for who in [&stranger, &puppet] {
        let e = refused(&mut w, |w| {
            w.exec(who, &ExecuteMsg::ResignOversight { task_id: id })
        });
        assert_eq!(e, ContractError::NotOverseer { task_id: id });
    }
    let res = w
        .exec(&judge, &ExecuteMsg::ResignOversight { task_id: id })
        .unwrap();
    assert_eq!(
        (attr(&res, "role"), attr(&res, "released")),
        ("evaluator".to_string(), "200".to_string())
    );
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.reserved.u128(), info.open_tasks), (0, 0));
    let task = w.task(id).task;
    assert!(task.evaluator_resigned);
    assert_eq!(
        (task.evaluation_fee.u128(), task.evaluator_reserved.u128()),
        (0, 0)
    );
    let e = refused(&mut w, |w| {
        w.exec(&judge, &ExecuteMsg::ResignOversight { task_id: id })
    });
    assert_eq!(e, ContractError::NotOverseer { task_id: id });
    w.exec(&judge, &ExecuteMsg::UnbondEvaluator {}).unwrap();
    // The client reviews the delivery now: it approves, the agent is paid 200 less the
    // protocol fee (10), and the evaluator nothing.
    submit_as(&mut w, &puppet, id, 0).unwrap();
    approve_as(&mut w, &stranger, id, 0).unwrap();
    fee_paid(&mut w, 10);
    paid(&mut w, &puppet, 190);
    w.check();
    assert!(w.task(id).task.evaluation_fees_paid.is_zero());
}

/// An overseer resigns only while no delivery waits for its verdict and no dispute for its
/// ruling: once the agent has delivered, the evaluator must judge (or be slashed); a bonded
/// arbiter resigns before a dispute and the configured default arbiter takes over, unpaid.
#[test]
fn an_overseer_resigns_only_while_nothing_waits_for_it() {
    let mut w = world();
    let agent = w.agent.clone();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let ruler = evaluator(&mut w, "ruler", EVALUATOR_BOND, 300);
    let mut t = judged(&w, &[5_000, 5_000], &judge);
    t.arbiter = Some(ruler.to_string());
    let id = create(&mut w, t);
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    for who in [&judge, &ruler] {
        let e = refused(&mut w, |w| {
            w.exec(who, &ExecuteMsg::ResignOversight { task_id: id })
        });
        assert_eq!(
            e,
            ContractError::OverseerBusy {
                task_id: id,
                milestone: 0,
                status: MilestoneStatus::Submitted
            }
        );
    }
    // The arbiter resigns while milestone 1 is pending: the default arbiter rules from now on,
    // for no fee, and the milestone's budget no longer sets 300 aside for a ruling.
    w.exec(
        &judge,
        &ExecuteMsg::EvaluateMilestone {
            task_id: id,
            milestone: 0,
            result_hash: w.task(id).milestones[0].result_hash.clone().unwrap(),
            approve: true,
            reason_hash: "cd".repeat(32),
        },
    )
    .unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    let fee = 250;
    fee_paid(&mut w, fee);
    paid(&mut w, &agent, 5_000 - fee - EVAL_FEE);
    w.check();
    let res = w
        .exec(&ruler, &ExecuteMsg::ResignOversight { task_id: id })
        .unwrap();
    assert_eq!(attr(&res, "role"), "arbiter");
    let task = w.task(id).task;
    assert_eq!(
        (
            task.arbiter.clone(),
            task.arbiter_resigned,
            task.arbitration_fee.u128()
        ),
        (w.arbiter.clone(), true, 0)
    );
    let info = evaluator_info(&w, &ruler);
    assert_eq!((info.reserved.u128(), info.open_tasks), (0, 0));
}

/// A named arbiter is a registered, active evaluator with the free minimum bond, paid its fee
/// (fixed at creation) when it rules; the default arbiter may be unregistered, then unpaid.
#[test]
fn a_named_arbiter_must_be_a_bonded_evaluator() {
    let mut w = world();
    let (agent, client) = (w.agent.clone(), w.client.clone());
    let stranger = w.s.addr("stranger");
    let mut t = w.new_task(&[10_000]);
    t.arbiter = Some(stranger.to_string());
    let e = refused(&mut w, |w| w.create_with(10_000, t));
    assert_eq!(
        e,
        ContractError::ArbiterNotBonded {
            address: stranger.to_string()
        }
    );
    let unpaid = w.create(&[10_000]);
    assert!(w.task(unpaid).task.arbitration_fee.is_zero());

    let ruler = evaluator(&mut w, "ruler", MIN_BOND, 300);
    let mut t = w.new_task(&[10_000]);
    t.arbiter = Some(ruler.to_string());
    let id = create(&mut w, t.clone());
    assert_eq!(w.task(id).task.arbitration_fee.u128(), 300);
    let e = refused(&mut w, |w| w.create_with(10_000, t));
    assert_eq!(
        e,
        ContractError::FreeBondTooLow {
            bond: Uint128::new(MIN_BOND),
            reserved: Uint128::new(2_500),
            free: Uint128::new(2_500),
            required: Uint128::new(MIN_BOND)
        }
    );
    let other = evaluator(&mut w, "other-ruler", EVALUATOR_BOND, 300);
    let mut t = w.new_task(&[310]);
    t.arbiter = Some(other.to_string());
    let e = refused(&mut w, |w| w.create_with(310, t));
    assert_eq!(
        e,
        ContractError::MilestoneBelowFees {
            index: 0,
            amount: Uint128::new(310),
            fees: Uint128::new(16 + 300)
        }
    );

    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    dispute_as(&mut w, &client, id, 0).unwrap();
    rule(&mut w, &ruler, (id, 0), 10_000).unwrap();
    paid(&mut w, &ruler, 300);
    fee_paid(&mut w, 500);
    paid(&mut w, &agent, 9_200);
    w.check();
    let stats = evaluator_info(&w, &ruler).stats;
    assert_eq!((stats.arbitrated, stats.earned.u128()), (1, 300));
}

/// An evaluator's fee is fixed on a task when the task is created: raising it afterwards
/// changes nothing on that task, and a task created afterwards must afford the new fee.
#[test]
fn an_evaluator_cannot_raise_its_fee_on_a_task_it_oversees() {
    let mut w = world();
    let agent = w.agent.clone();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let id = create_judged(&mut w, &[2_000], &judge);
    let raise = ExecuteMsg::UpdateEvaluator {
        name: None,
        metadata_uri: None,
        capabilities: None,
        fee: Some(Uint128::new(5_000)),
    };
    w.exec(&judge, &raise).unwrap();
    accept_as(&mut w, &agent, id).unwrap();
    submit_as(&mut w, &agent, id, 0).unwrap();
    evaluate(&mut w, &judge, (id, 0), true).unwrap();
    paid(&mut w, &judge, EVAL_FEE);
    fee_paid(&mut w, 100);
    paid(&mut w, &agent, 1_800);
    w.check();
    let t = judged(&w, &[2_000], &judge);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::MilestoneBelowFees {
            index: 0,
            amount: Uint128::new(2_000),
            fees: Uint128::new(5_100)
        }
    );
}

/// Tasks reserve their evaluator's bond when they are created, before any agent accepts them:
/// a stranger opens two tasks naming an evaluator (for any registered agent) and uses up its
/// free bond, so that an honest client cannot name it. The evaluator resigns from both and is
/// free again at once; the stranger's tasks go on without it.
#[test]
fn an_evaluator_frees_the_bond_a_strangers_tasks_took_by_resigning() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let stranger = w.s.addr("stranger");
    w.s.fund(&stranger, 10_000);
    let held: Vec<u64> = (0..2)
        .map(|_| {
            let t = judged(&w, &[5_000], &judge);
            task_from(&mut w, &stranger, t)
        })
        .collect();
    let t = judged(&w, &[2_000], &judge);
    let e = refused(&mut w, |w| w.create_with(2_000, t));
    assert_eq!(
        e,
        ContractError::FreeBondTooLow {
            bond: Uint128::new(EVALUATOR_BOND),
            reserved: Uint128::new(7_500),
            free: Uint128::new(2_500),
            required: Uint128::new(MIN_BOND)
        }
    );
    for task_id in &held {
        w.exec(&judge, &ExecuteMsg::ResignOversight { task_id: *task_id })
            .unwrap();
    }
    let info = evaluator_info(&w, &judge);
    assert_eq!((info.reserved.u128(), info.open_tasks), (0, 0));
    create_judged(&mut w, &[2_000], &judge);
    for task_id in held {
        assert_eq!(w.task(task_id).task.status, TaskStatus::Open);
        assert!(w.task(task_id).task.evaluator_resigned);
    }
    w.check();
}

/// An overseer cannot raise its fee between the client's reading and the task's creation: the
/// client caps the evaluator's and the named arbiter's fees, and creation is refused above the
/// cap (no token moves); at the cap it is taken.
#[test]
fn an_overseer_that_raises_its_fee_before_the_task_is_created_is_refused() {
    let mut w = world();
    let judge = evaluator(&mut w, "judge", EVALUATOR_BOND, EVAL_FEE);
    let ruler = evaluator(&mut w, "ruler", EVALUATOR_BOND, 300);
    let capped = |w: &World, fees: (u128, u128)| {
        let mut t = judged(w, &[10_000], &judge);
        t.arbiter = Some(ruler.to_string());
        t.max_evaluation_fee = Some(Uint128::new(fees.0));
        t.max_arbitration_fee = Some(Uint128::new(fees.1));
        t
    };
    w.exec(
        &judge,
        &ExecuteMsg::UpdateEvaluator {
            name: None,
            metadata_uri: None,
            capabilities: None,
            fee: Some(Uint128::new(EVAL_FEE + 1)),
        },
    )
    .unwrap();
    let t = capped(&w, (EVAL_FEE, 300));
    let e = refused(&mut w, |w| w.create_with(10_000, t));
    assert_eq!(
        e,
        ContractError::OverseerFeeAboveCap {
            role: "evaluator".into(),
            fee: Uint128::new(EVAL_FEE + 1),
            max: Uint128::new(EVAL_FEE)
        }
    );
    let t = capped(&w, (EVAL_FEE + 1, 299));
    let e = refused(&mut w, |w| w.create_with(10_000, t));
    assert_eq!(
        e,
        ContractError::OverseerFeeAboveCap {
            role: "arbiter".into(),
            fee: Uint128::new(300),
            max: Uint128::new(299)
        }
    );
    assert_eq!(evaluator_info(&w, &judge).open_tasks, 0);
    let t = capped(&w, (EVAL_FEE + 1, 300));
    let id = create(&mut w, t);
    let task = w.task(id).task;
    assert_eq!(
        (task.evaluation_fee.u128(), task.arbitration_fee.u128()),
        (EVAL_FEE + 1, 300)
    );
    w.check();
}
