use crate::setup::escrow_tasks::*;

// ---------------------------------------------------------------------------------------------
// Paying twice
// ---------------------------------------------------------------------------------------------

#[test]
fn releasing_or_refunding_twice_moves_nothing() {
    let mut w = world();
    let (agent, escrow, pool, arbiter) = (
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.arbiter.clone(),
    );
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
    let settled = ContractError::MilestoneAlreadySettled {
        task_id: id,
        milestone: 0,
        status: MilestoneStatus::Approved,
    };
    let e = w.refused(|w| w.approve(id, 0));
    assert_eq!(contract_err(e), settled);
    w.at(w.now() + REVIEW);
    let stranger = w.s.addr("stranger");
    let e = w.refused(|w| {
        w.exec(
            &stranger,
            &ExecuteMsg::Finalize {
                task_id: id,
                milestone: 0,
            },
        )
    });
    assert_eq!(contract_err(e), settled);
    let e = w.refused(|w| {
        w.exec(
            &arbiter,
            &ExecuteMsg::Resolve {
                task_id: id,
                milestone: 0,
                agent_share_bps: 10_000,
            },
        )
    });
    assert_eq!(contract_err(e), settled);

    // The rest times out and is refunded once.
    let client = w.client.clone();
    w.at(w.task(id).task.delivery_deadline);
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
    let e = w.refused(|w| w.refund(&stranger, id));
    assert_eq!(
        contract_err(e),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Refunded
        }
    );
    let e = w.refused(|w| w.approve(id, 1));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 1,
            status: MilestoneStatus::Refunded
        }
    );
    let e = w.refused(|w| w.exec(&client, &ExecuteMsg::CancelTask { task_id: id }));
    assert_eq!(
        contract_err(e),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Refunded
        }
    );
}

#[test]
fn refunding_one_second_early_moves_nothing() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let open = w.create(&[100]);
    let accept_end = w.now() + ACCEPT;
    let late = w.accepted(&[100]);
    let deadline = w.now() + DELIVERY;
    let disputed = w.accepted(&[100]);
    w.submit(disputed, 0, vec![]).unwrap();
    w.dispute(disputed, 0).unwrap();
    let arbitration_end = w.now() + ARBITRATION;

    w.at(accept_end - 1);
    let e = w.refused(|w| w.refund(&stranger, open));
    assert_eq!(
        contract_err(e),
        ContractError::AcceptWindowOpen {
            task_id: open,
            accept_deadline: accept_end
        }
    );
    w.at(arbitration_end - 1);
    let e = w.refused(|w| w.refund(&stranger, disputed));
    assert_eq!(
        contract_err(e),
        ContractError::ArbitrationWindowOpen {
            task_id: disputed,
            milestone: 0,
            arbitration_deadline: arbitration_end
        }
    );
    w.at(deadline - 1);
    let e = w.refused(|w| w.refund(&stranger, late));
    assert_eq!(
        contract_err(e),
        ContractError::DeadlineNotReached {
            task_id: late,
            deadline
        }
    );
    let e = w.refused(|w| w.refund(&stranger, 99));
    assert_eq!(contract_err(e), ContractError::TaskNotFound { task_id: 99 });
}
