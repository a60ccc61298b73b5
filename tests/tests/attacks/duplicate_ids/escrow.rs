use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Duplicate ids
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_duplicate_inference_in_one_submission() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    let twice = vec![w.lineage_inference("dup"), w.lineage_inference("dup")];
    let e = refused(&mut w, |w| w.submit(id, 0, twice));
    assert_eq!(
        e,
        ContractError::DuplicateInference {
            model_id: 1,
            inference_id: "dup".into()
        }
    );
    w.check();
}

#[test]
fn attack_duplicate_models_at_registration() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    let e = refused(&mut w, |w| w.register(&rival, BOND, vec![1, 1]));
    assert_eq!(e, ContractError::DuplicateModel { model_id: 1 });
    w.check();
}

#[test]
fn attack_duplicate_models_in_profile_update() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: Some(vec![1, 1]),
        capabilities: None,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(e, ContractError::DuplicateModel { model_id: 1 });
    w.check();
}

/// A contract client approves the same milestone twice in one transaction: the second
/// approval fails and the whole transaction, the first payout included, reverts.
#[test]
fn attack_duplicate_milestone_approval_in_one_transaction() {
    let mut w = world();
    let evil = malicious::deploy(&mut w, "evil-client");
    let id = evil_creates_task(&mut w, &evil, &[1_000, 1_000]);
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    w.submit(id, 0, vec![]).unwrap();
    let escrow = w.escrow.clone();
    let approve = bin(&ExecuteMsg::ApproveMilestone {
        task_id: id,
        milestone: 0,
    });
    let e = refused(&mut w, |w| {
        malicious::calls(
            w,
            &evil,
            vec![(&escrow, approve.clone()), (&escrow, approve)],
        )
    });
    assert_eq!(
        e,
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Submitted);
    w.check();
}
