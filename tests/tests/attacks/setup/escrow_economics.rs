//! Security review (issue 13) of the agent escrow: findings 3, 4, 10 and 11 and their classes,
//! each as an attack in the adversarial style: a refused step asserts the escrow's exact error
//! and that no storage and no balance changed (`World::refused`); an absorbed one asserts
//! every payout against amounts the test computes itself, the ledger and solvency after every
//! step. Each says what 0.2.0 did.
//!
//! The world: bond 10 000, minimum bond 5 000, slash 50 %, protocol fee 5 %, model 1's fee
//! 1 000 (model licensing keeps the owner's 200, 800 reaches the pool).
//!
//! Classes covered (DESIGN §6):
//! - shared pools a slash or payout draws on: the bond (reservations: sybil rulings, order of
//!   acceptance, a 0.2.0 task's slash capped at the free bond), the escrow's totals (a
//!   milestone's fees and payouts come from its own amount);
//! - numbers a participant chooses, at their worst: milestones of 1, a share of 1 bps, a slash
//!   of 10 000 bps with a huge deposit, unknown task and milestone ids;
//! - terms that change between a quote and its execution: protocol fee, slash share, minimum
//!   bond, arbitration window and default arbiter changed after creation; the model paused or
//!   repriced after delivery;
//! - rewards for reporting: a sybil client with a puppet arbiter gains at most its deposits;
//! - remainders: the odd unit of a split and of a reservation is accounted, never stranded.

pub use agent_escrow::ContractError;
pub use cosmwasm_std::{Addr, Uint128};
pub use cw_multi_test::Executor;
pub use openledger_common::msg::agent_escrow::{
    ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus,
};
pub use openledger_common::msg::model_licensing::{ExecuteMsg as ModelExec, ModelStatus};
pub use openledger_tests::escrow::{
    attr, world, World, ARBITRATION, BOND, MIN_BOND, MODEL_FEE, MODEL_OWNER_CUT, POOL_CUT,
    SLASH_BPS,
};
pub use openledger_tests::models::shares;

/// The escrow's error inside a failed execution.
pub fn escrow_err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().expect("an escrow error")
}

/// `client` (funded here) creates a task of `amounts` for the world's agent with `arbiter`
/// (the default one when `None`); returns its id (ledger updated).
pub fn create_as(w: &mut World, client: &Addr, amounts: &[u128], arbiter: Option<&Addr>) -> u64 {
    let deposit: u128 = amounts.iter().sum();
    w.s.fund(client, deposit);
    let mut task = w.new_task(amounts);
    task.arbiter = arbiter.map(|a| a.to_string());
    let escrow = w.escrow.clone();
    if let Some(arbiter) = arbiter {
        bond_arbiter(w, arbiter);
    }
    let res =
        w.s.send(client, &escrow, deposit, &ReceiveMsg::CreateTask(task))
            .unwrap();
    w.s.moved(client, &escrow, deposit);
    attr(&res, "task_id").parse().unwrap()
}

/// Registers `arbiter` (funded here) as an evaluator asking no fee, with a bond of 100 × the
/// minimum, unless it already is one: a named arbiter must be bonded.
pub fn bond_arbiter(w: &mut World, arbiter: &Addr) {
    let escrow = w.escrow.clone();
    let known: Result<serde_json::Value, _> = w.s.app.wrap().query_wasm_smart(
        &escrow,
        &openledger_common::msg::agent_escrow::QueryMsg::Evaluator {
            address: arbiter.to_string(),
        },
    );
    if known.is_ok() {
        return;
    }
    let bond = 100 * MIN_BOND;
    w.s.fund(arbiter, bond);
    let register = ReceiveMsg::RegisterEvaluator {
        name: "arbiter".into(),
        metadata_uri: String::new(),
        capabilities: vec![],
        fee: Uint128::zero(),
    };
    w.s.send(arbiter, &escrow, bond, &register).unwrap();
    w.s.moved(arbiter, &escrow, bond);
}

/// The world's agent accepts `task_id`.
pub fn accept(w: &mut World, task_id: u64) -> anyhow::Result<cw_multi_test::AppResponse> {
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id })
}

/// `client` disputes milestone `milestone` of `task_id` and `arbiter` rules `share`.
pub fn dispute_and_rule(w: &mut World, client: &Addr, arbiter: &Addr, task_id: u64, share: u16) {
    let milestone = w.task(task_id).task.current_milestone;
    w.exec(
        client,
        &ExecuteMsg::DisputeMilestone {
            task_id,
            milestone,
            reason: "not what was asked".into(),
        },
    )
    .unwrap();
    w.exec(
        arbiter,
        &ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps: share,
        },
    )
    .unwrap();
}

/// The agent's (bond, reserved, free), checking `bond = reserved + free`.
pub fn bond(w: &World) -> (u128, u128, u128) {
    let a = w.agent_info(&w.agent.clone());
    assert_eq!(a.bond, a.reserved + a.free);
    (a.bond.u128(), a.reserved.u128(), a.free.u128())
}

/// Records a model fee paid at delivery.
pub fn model_fee_paid(w: &mut World) {
    let (escrow, models, pool) = (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
    w.s.moved(&escrow, &models, MODEL_OWNER_CUT);
    w.s.moved(&escrow, &pool, POOL_CUT);
}

/// The owner updates the escrow's configuration with what `f` sets.
pub fn update_config(w: &mut World, f: impl FnOnce(&mut ExecuteMsg)) {
    let mut msg = ExecuteMsg::UpdateConfig {
        model_licensing: None,
        reward_pool: None,
        min_agent_bond: None,
        protocol_fee_bps: None,
        default_arbiter: None,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    };
    f(&mut msg);
    let deployer = w.s.deployer.clone();
    w.exec(&deployer, &msg).unwrap();
}
