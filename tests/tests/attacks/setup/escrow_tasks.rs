//! Attacks on the agent escrow. Each fails with its specific error, and `World::refused`
//! checks that no balance moved, no task changed and the escrow stayed solvent:
//! releasing or refunding twice, refunding one second early, a stranger or the agent
//! approving, an arbiter paying itself or acting outside a dispute, protocol contracts as
//! agent or arbiter, milestones not summing to the deposit, deadlines in the past or
//! overflowing, contracts calling back into the escrow during settlement or during the model
//! fee payment of a delivery, a bond leaving with open tasks, a hook from another token.

pub use agent_escrow::ContractError;
pub use cosmwasm_std::{to_json_binary, Binary, Uint128};
pub use cw20::Cw20ExecuteMsg;
pub use cw_multi_test::Executor;
pub use openledger_common::msg::agent_escrow::{
    ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus, MAX_TASK_DURATION,
    MAX_WINDOW,
};
pub use openledger_common::HookError;
pub use openledger_tests::escrow::{
    attr, world, ACCEPT, ARBITRATION, BOND, DELIVERY, MODEL_FEE, REVIEW,
};
pub use openledger_tests::malicious::{self, bin};

/// The escrow's error inside a failed execution.
pub fn contract_err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().expect("an escrow error")
}
