use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_replay_submit_of_a_settled_milestone() {
    let mut w = world();
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    let e = refused(&mut w, |w| w.submit(id, 0, vec![]));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    w.check();
}

#[test]
fn attack_replay_resubmit_of_a_submitted_milestone() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    w.submit(id, 0, vec![]).unwrap();
    let extra = vec![w.lineage_inference("late-fee")];
    let e = refused(&mut w, |w| w.submit(id, 0, extra));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySubmitted {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    w.check();
}

#[test]
fn attack_replay_finalize_after_resolution() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    w.resolve(id, 0, 10_000).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.at(w.now() + REVIEW);
    let stranger = w.s.addr("stranger");
    let msg = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };
    let e = refused(&mut w, |w| w.exec(&stranger, &msg));
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    w.check();
}

/// The signed receipt of an inference already paid through one task is submitted again on a
/// second task: model licensing refuses the replayed id in the delivery's own fee payment, so
/// the submission fails and nothing moves. Nothing is paid twice. (0.2.0 recorded it, and the
/// refused fee went back to the client at settlement.)
#[test]
fn attack_replay_same_signed_receipt_on_a_second_task() {
    let mut w = world();
    let signed = w.signed_inference("once", shares(&[(1, 5_000), (2, 5_000)]));
    let first = w.accepted(&[2_000]);
    w.submit(first, 0, vec![signed.clone()]).unwrap();
    book_delivery_fee(&mut w);
    w.approve(first, 0).unwrap();
    book_paid_settlement(&mut w);
    w.check();
    let second = w.accepted(&[2_000]);
    let escrow = w.escrow.clone();
    let e = refused_any(&mut w, |w| w.submit(second, 0, vec![signed]));
    assert_eq!(
        e.downcast::<model_licensing::ContractError>().unwrap(),
        model_licensing::ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: escrow.to_string(),
            inference_id: "once".into()
        }
    );
    let t = w.task(second);
    assert_eq!(
        (t.milestones[0].status, t.task.model_fees_paid.u128()),
        (MilestoneStatus::Pending, 0)
    );
}
