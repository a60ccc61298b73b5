use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Timing at t − 1, t, t + 1 of every deadline
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_timing_accept_at_the_end_of_the_window() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let early = w.create(&[1_000]);
    let late = w.create(&[1_000]);
    let agent = w.agent.clone();
    w.at(end - 1);
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: early })
        .unwrap();
    w.at(end);
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: late })
    });
    assert_eq!(
        e,
        ContractError::AcceptWindowClosed {
            task_id: late,
            accept_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_accept_one_second_after_the_window() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let id = w.create(&[1_000]);
    let agent = w.agent.clone();
    w.at(end + 1);
    let e = refused(&mut w, |w| {
        w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
    });
    assert_eq!(
        e,
        ContractError::AcceptWindowClosed {
            task_id: id,
            accept_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_submit_at_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let early = w.accepted(&[1_000]);
    let late = w.accepted(&[1_000]);
    w.at(deadline - 1);
    w.submit(early, 0, vec![]).unwrap();
    w.at(deadline);
    let e = refused(&mut w, |w| w.submit(late, 0, vec![]));
    assert_eq!(
        e,
        ContractError::DeliveryDeadlinePassed {
            task_id: late,
            deadline
        }
    );
    w.check();
}

#[test]
fn attack_timing_submit_one_second_after_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let id = w.accepted(&[1_000]);
    w.at(deadline + 1);
    let e = refused(&mut w, |w| w.submit(id, 0, vec![]));
    assert_eq!(
        e,
        ContractError::DeliveryDeadlinePassed {
            task_id: id,
            deadline
        }
    );
    // From the deadline on, the client gets everything back.
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_dispute_at_the_end_of_the_review_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end);
    let e = refused(&mut w, |w| w.dispute(id, 0));
    assert_eq!(
        e,
        ContractError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_finalize_one_second_before_the_review_window_ends() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end - 1);
    let agent = w.agent.clone();
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(
        e,
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_dispute_one_second_after_the_review_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let end = w.now() + REVIEW;
    w.at(end + 1);
    let e = refused(&mut w, |w| w.dispute(id, 0));
    assert_eq!(
        e,
        ContractError::ReviewWindowClosed {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    // Finalize is open from the end on.
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.exec(
        &agent,
        &ExecuteMsg::Finalize {
            task_id: id,
            milestone: 0,
        },
    )
    .unwrap();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
}

#[test]
fn attack_timing_resolve_one_second_after_the_arbitration_window() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end + 1);
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    w.check();
}

#[test]
fn attack_timing_resolve_at_the_last_second_then_refund_refused() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowOpen {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    // t − 1 is still within the window: the ruling goes through (fully for the client, with
    // the task's reservation: min(1 000, 50 % of the bond)).
    w.resolve(id, 0, 0).unwrap();
    let (escrow, client) = (w.escrow.clone(), w.client.clone());
    w.s.moved(&escrow, &client, 1_000 + 1_000);
    w.check();
}

#[test]
fn attack_timing_resolve_at_the_arbitration_deadline() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end);
    let e = refused(&mut w, |w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e,
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    // From the deadline on, the silent arbiter's milestone goes back to the client.
    let (stranger, escrow, client) = (w.s.addr("stranger"), w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_refund_one_second_before_the_delivery_deadline() {
    let mut w = world();
    let deadline = w.now() + DELIVERY;
    let id = w.accepted(&[1_000]);
    w.at(deadline - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    // The agent still delivers in that last second.
    w.submit(id, 0, vec![]).unwrap();
    w.check();
}

#[test]
fn attack_timing_refund_one_second_before_the_accept_window_ends() {
    let mut w = world();
    let end = w.now() + ACCEPT;
    let id = w.create(&[1_000]);
    w.at(end - 1);
    let stranger = w.s.addr("stranger");
    let e = refused(&mut w, |w| w.refund(&stranger, id));
    assert_eq!(
        e,
        ContractError::AcceptWindowOpen {
            task_id: id,
            accept_deadline: end
        }
    );
    w.at(end);
    let (escrow, client) = (w.escrow.clone(), w.client.clone());
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
}

#[test]
fn attack_timing_withdraw_bond_one_second_before_release() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    let release_at = w.now() + UNBONDING;
    w.at(release_at - 1);
    let e = refused(&mut w, |w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(e, ContractError::BondLocked { release_at });
    w.at(release_at);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    w.s.moved(&escrow, &agent, BOND);
    w.check();
}

#[test]
fn attack_timing_withdraw_bond_twice_after_release() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    w.at(w.now() + UNBONDING + 1);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    w.s.moved(&escrow, &agent, BOND);
    let e = refused(&mut w, |w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(e, ContractError::NotUnbonding);
    assert_eq!(w.agent_info(&agent).status, AgentStatus::Withdrawn);
    w.check();
}

#[test]
fn attack_timing_unbonding_agent_is_given_a_task() {
    let mut w = world();
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    let t = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::AgentNotActive {
            address: agent.to_string()
        }
    );
    w.check();
}
