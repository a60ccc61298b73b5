use crate::setup::escrow_tasks::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Who may act
// ---------------------------------------------------------------------------------------------

#[test]
fn a_stranger_or_the_agent_cannot_approve_dispute_or_submit() {
    let mut w = world();
    let (agent, arbiter) = (w.agent.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let id = w.accepted(&[1_000]);
    let e = w.refused(|w| {
        w.exec(
            &stranger,
            &ExecuteMsg::SubmitMilestone {
                task_id: id,
                milestone: 0,
                result_hash: "ab".repeat(32),
                result_uri: String::new(),
                inferences: vec![],
                input_hash: None,
            },
        )
    });
    assert_eq!(contract_err(e), ContractError::NotAgent { task_id: id });
    w.submit(id, 0, vec![]).unwrap();
    w.check();
    for who in [&stranger, &agent, &arbiter] {
        let e = w.refused(|w| {
            w.exec(
                who,
                &ExecuteMsg::ApproveMilestone {
                    task_id: id,
                    milestone: 0,
                },
            )
        });
        assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
        let e = w.refused(|w| {
            w.exec(
                who,
                &ExecuteMsg::DisputeMilestone {
                    task_id: id,
                    milestone: 0,
                    reason: "mine".into(),
                },
            )
        });
        assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
    }
    let e = w.refused(|w| w.exec(&stranger, &ExecuteMsg::AcceptTask { task_id: id }));
    assert_eq!(contract_err(e), ContractError::NotAgent { task_id: id });
}

#[test]
fn the_arbiter_cannot_pay_itself_or_act_outside_a_dispute() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    // The arbiter cannot be a party: neither the agent nor the client.
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(agent.to_string());
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "agent".into(),
            address: agent.to_string()
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(client.to_string());
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "client".into(),
            address: client.to_string()
        }
    );
    // An arbiter that registers as an agent still cannot rule its own task.
    w.s.fund(&arbiter, BOND);
    w.register(&arbiter, BOND, vec![]).unwrap();
    let mut t = w.new_task(&[1_000]);
    t.agent = arbiter.to_string();
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "agent".into(),
            address: arbiter.to_string()
        }
    );

    // Outside a dispute the arbiter has no power.
    let id = w.accepted(&[1_000]);
    let resolve = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 0,
    };
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Pending
        }
    );
    w.submit(id, 0, vec![]).unwrap();
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    let e = w.refused(|w| {
        w.exec(
            &arbiter,
            &ExecuteMsg::Finalize {
                task_id: id,
                milestone: 0,
            },
        )
    });
    let review_deadline = w.task(id).milestones[0].review_deadline.unwrap();
    assert_eq!(
        contract_err(e),
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline
        }
    );
    // Nor after the arbitration deadline.
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end);
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
}

#[test]
fn protocol_contracts_cannot_be_agent_or_arbiter() {
    let mut w = world();
    let reserved = [
        (w.escrow.clone(), "escrow"),
        (w.s.pool.clone(), "reward_pool"),
        (w.s.token.clone(), "token"),
        (w.models.clone(), "model_licensing"),
    ];
    for (who, contract) in reserved {
        let mut t = w.new_task(&[1_000]);
        t.agent = who.to_string();
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "agent".into(),
                contract: contract.into(),
                address: who.to_string()
            })
        );
        let mut t = w.new_task(&[1_000]);
        t.arbiter = Some(who.to_string());
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "arbiter".into(),
                contract: contract.into(),
                address: who.to_string()
            })
        );
    }
}
