use crate::setup::escrow_tasks::*;

// ---------------------------------------------------------------------------------------------
// Bonds
// ---------------------------------------------------------------------------------------------

#[test]
fn a_bond_cannot_leave_while_a_task_is_open() {
    let mut w = world();
    let agent = w.agent.clone();
    let id = w.create(&[1_000]);
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::Unbond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(contract_err(e), ContractError::NotUnbonding);
    let agent2 = agent.clone();
    w.exec(&agent2, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::Unbond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    // A stranger has no bond to take.
    let stranger = w.s.addr("stranger");
    let e = w.refused(|w| w.exec(&stranger, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
}
