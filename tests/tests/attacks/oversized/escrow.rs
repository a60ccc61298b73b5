use crate::setup::escrow::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Oversized lists and fields
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_oversized_inference_list() {
    let mut w = world();
    let id = w.accepted(&[100_000]);
    let many: Vec<InferencePayment> = (0..=MAX_INFERENCES)
        .map(|i| w.lineage_inference(&format!("i-{i}")))
        .collect();
    let e = refused(&mut w, |w| w.submit(id, 0, many));
    assert_eq!(
        e,
        ContractError::TooManyInferences {
            count: MAX_INFERENCES as u64 + 1,
            max: MAX_INFERENCES as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_model_list_at_registration() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, BOND);
    let models: Vec<u64> = (1..=MAX_AGENT_MODELS as u64 + 1).collect();
    let e = refused(&mut w, |w| w.register(&rival, BOND, models));
    assert_eq!(
        e,
        ContractError::TooManyModels {
            count: MAX_AGENT_MODELS as u64 + 1,
            max: MAX_AGENT_MODELS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_model_list_in_profile_update() {
    let mut w = world();
    let agent = w.agent.clone();
    let msg = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: Some(vec![1; 100]),
        capabilities: None,
    };
    let e = refused(&mut w, |w| w.exec(&agent, &msg));
    assert_eq!(
        e,
        ContractError::TooManyModels {
            count: 100,
            max: MAX_AGENT_MODELS as u64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_milestone_list() {
    let mut w = world();
    let t = w.new_task(&[1; 1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::MilestoneCount {
            count: 1_000,
            max: 10
        }
    );
    w.check();
}

#[test]
fn attack_oversized_inference_id() {
    let mut w = world();
    let id = w.accepted(&[5_000]);
    let long = w.lineage_inference(&"x".repeat(65));
    let e = refused(&mut w, |w| w.submit(id, 0, vec![long]));
    assert_eq!(
        e,
        ContractError::InvalidInferenceId {
            inference_id: "x".repeat(65),
            max: 64
        }
    );
    w.check();
}

#[test]
fn attack_oversized_dispute_reason() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    w.submit(id, 0, vec![]).unwrap();
    let client = w.client.clone();
    let msg = ExecuteMsg::DisputeMilestone {
        task_id: id,
        milestone: 0,
        reason: "r".repeat(MAX_REASON_LEN + 1),
    };
    let e = refused(&mut w, |w| w.exec(&client, &msg));
    assert_eq!(
        e,
        ContractError::Validation(ValidationError::InvalidText {
            field: "reason".into(),
            min: 1,
            max: MAX_REASON_LEN as u64
        })
    );
    w.check();
}
