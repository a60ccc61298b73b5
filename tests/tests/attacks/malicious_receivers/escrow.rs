use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Malicious receivers during settlement
// ---------------------------------------------------------------------------------------------

/// A contract client armed to cancel its task again from its cw20 hook: refunds are cw20
/// transfers, so the hook never runs and the client receives exactly its deposit once.
#[test]
fn attack_reentry_client_contract_refunded_by_transfer() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_500]);
    let (escrow, agent) = (w.escrow.clone(), w.agent.clone());
    malicious::arm(
        &mut w,
        &evil,
        &escrow,
        bin(&ExecuteMsg::CancelTask { task_id: id }),
    );
    w.exec(&agent, &ExecuteMsg::DeclineTask { task_id: id })
        .unwrap();
    w.s.moved(&escrow, &evil, 1_500);
    w.check();
    assert_eq!(malicious::hooks(&w, &evil), 0, "refunds are transfers");
    // Its callback, run by hand, meets a finished task.
    let e = refused(&mut w, |w| {
        malicious::calls(
            w,
            &evil,
            vec![(&escrow, bin(&ExecuteMsg::CancelTask { task_id: id }))],
        )
    });
    assert_eq!(
        e,
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Declined
        }
    );
    w.check();
}

/// A contract client approves, then immediately (same transaction) tries to refund the rest
/// of the task: the refund is refused and the approval reverts with it.
#[test]
fn attack_reentry_client_contract_approves_then_refunds_in_one_transaction() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    let e = refused(&mut w, |w| {
        malicious::calls(
            w,
            &evil,
            vec![
                (
                    &escrow,
                    bin(&ExecuteMsg::ApproveMilestone {
                        task_id: id,
                        milestone: 0,
                    }),
                ),
                (&escrow, bin(&ExecuteMsg::Refund { task_id: id })),
            ],
        )
    });
    let deadline = w.task(id).task.delivery_deadline;
    assert_eq!(
        e,
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    w.check();
}

/// A contract client whose hook tries to approve the next milestone whenever OPEN arrives:
/// an arbiter's ruling pays it by transfer, the hook stays silent, and the payout is exact.
#[test]
fn attack_reentry_client_contract_paid_by_a_ruling() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    malicious::calls(
        &mut w,
        &evil,
        vec![(
            &escrow,
            bin(&ExecuteMsg::DisputeMilestone {
                task_id: id,
                milestone: 0,
                reason: "no".into(),
            }),
        )],
    )
    .unwrap();
    malicious::arm(
        &mut w,
        &evil,
        &escrow,
        bin(&ExecuteMsg::ApproveMilestone {
            task_id: id,
            milestone: 1,
        }),
    );
    w.resolve(id, 0, 2_500).unwrap();
    // 250 for the agent's side (protocol 12.5, rounded up to 13; agent 237); 750 back to the
    // client.
    w.s.moved(&escrow, &pool, 13);
    w.s.moved(&escrow, &agent, 237);
    w.s.moved(&escrow, &evil, 750);
    w.check();
    assert_eq!(malicious::hooks(&w, &evil), 0);
    assert_eq!(w.task(id).milestones[1].status, MilestoneStatus::Pending);
}
