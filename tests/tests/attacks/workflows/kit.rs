//! The fixtures of the workflow attacks: more agents (workers a coordinator hires), evaluators,
//! tasks that name them, sub-tasks delegated out of a milestone, each role's steps and the
//! queries of workflows, evaluators and reputation. Steps that move tokens leave the ledger to
//! the test, which records where each amount went (`paid`, `fee_paid`).

pub use crate::setup::escrow::*;
pub use openledger_common::msg::agent_escrow::{
    EvaluatorResponse, FeedbackResponse, FeedbackSubject, NewTask, ParentRef, QueryMsg,
    RefundReason, ReputationResponse, WorkflowResponse, MAX_CAPABILITIES, MAX_DELEGATION_DEPTH,
    MAX_RATING, MAX_SUBTASKS_PER_MILESTONE, MAX_TAG_LEN, MAX_WINDOW,
};
pub use openledger_common::ValidationError;
pub use openledger_tests::data_hash;

/// The bond evaluators register with.
pub const EVALUATOR_BOND: u128 = 10_000;
/// The evaluators' fee per verdict or ruling.
pub const EVAL_FEE: u128 = 100;
/// The evaluation window of the tasks that name an evaluator: 1 day.
pub const EVAL_WINDOW: u64 = 24 * 3600;

/// The protocol fee (5 %, rounded up) of a settled `amount`.
pub fn protocol_fee(amount: u128) -> u128 {
    (amount * 500).div_ceil(10_000)
}

/// Records that the escrow paid `amount` to `to`.
pub fn paid(w: &mut World, to: &Addr, amount: u128) {
    let escrow = w.escrow.clone();
    w.s.moved(&escrow, to, amount);
}

/// Records that the escrow sent `amount` to the reward pool (a protocol fee or a slash of an
/// overseer, both to the treasury).
pub fn fee_paid(w: &mut World, amount: u128) {
    let pool = w.s.pool.clone();
    paid(w, &pool, amount);
}

/// Funds `name` with `bond` and registers it as an agent declaring model 1; returns it.
pub fn worker(w: &mut World, name: &str, bond: u128) -> Addr {
    let who = w.s.addr(name);
    w.s.fund(&who, bond);
    w.register(&who, bond, vec![1]).unwrap();
    who
}

/// The `register_evaluator` hook.
pub fn evaluator_hook(capabilities: Vec<String>, fee: u128) -> ReceiveMsg {
    ReceiveMsg::RegisterEvaluator {
        name: "evaluator".into(),
        metadata_uri: "ipfs://evaluator".into(),
        capabilities,
        fee: Uint128::new(fee),
    }
}

/// `who` (already holding `bond`) registers as an evaluator charging `fee` (ledger updated).
pub fn register_evaluator(
    w: &mut World,
    who: &Addr,
    bond: u128,
    fee: u128,
) -> AnyResult<AppResponse> {
    let escrow = w.escrow.clone();
    let hook = evaluator_hook(vec!["code-review".into()], fee);
    let res = w.s.send(who, &escrow, bond, &hook)?;
    w.s.moved(who, &escrow, bond);
    Ok(res)
}

/// Funds `name` with `bond` and registers it as an evaluator charging `fee`; returns it.
pub fn evaluator(w: &mut World, name: &str, bond: u128, fee: u128) -> Addr {
    let who = w.s.addr(name);
    w.s.fund(&who, bond);
    register_evaluator(w, &who, bond, fee).unwrap();
    who
}

/// A task of `amounts` for the world's agent that `evaluator` judges.
pub fn judged(w: &World, amounts: &[u128], evaluator: &Addr) -> NewTask {
    let mut task = w.new_task(amounts);
    task.evaluator = Some(evaluator.to_string());
    task.evaluation_window = Some(EVAL_WINDOW);
    task
}

/// The client creates `task` with a deposit of the sum of its milestones; returns its id.
pub fn create(w: &mut World, task: NewTask) -> u64 {
    let deposit = task.milestones.iter().map(|m| m.amount.u128()).sum();
    let res = w.create_with(deposit, task).unwrap();
    attr(&res, "task_id").parse().unwrap()
}

/// A sub-task of `amounts` for `agent`, due when its parent `parent` is.
pub fn sub_task(w: &World, parent: u64, agent: &Addr, amounts: &[u128]) -> NewTask {
    let mut task = w.new_task(amounts);
    task.agent = agent.to_string();
    task.delivery_deadline = w.task(parent).task.delivery_deadline;
    task
}

/// `coordinator` funds `task` out of milestone `milestone` of `task_id`.
pub fn delegate(
    w: &mut World,
    coordinator: &Addr,
    (task_id, milestone): (u64, u32),
    task: NewTask,
) -> AnyResult<AppResponse> {
    w.exec(
        coordinator,
        &ExecuteMsg::DelegateTask {
            task_id,
            milestone,
            task,
        },
    )
}

/// [`delegate`], which must succeed; returns the sub-task's id.
pub fn delegated(w: &mut World, coordinator: &Addr, parent: (u64, u32), task: NewTask) -> u64 {
    let res = delegate(w, coordinator, parent, task).unwrap();
    attr(&res, "task_id").parse().unwrap()
}

/// `agent` accepts `task_id`.
pub fn accept_as(w: &mut World, agent: &Addr, task_id: u64) -> AnyResult<AppResponse> {
    w.exec(agent, &ExecuteMsg::AcceptTask { task_id })
}

/// The result hash the agent of `task_id` delivers for `milestone`.
pub fn result_of(task_id: u64, milestone: u32) -> String {
    data_hash(&format!("result-{task_id}-{milestone}"))
}

/// `agent` delivers milestone `milestone` of `task_id` (no inference).
pub fn submit_as(
    w: &mut World,
    agent: &Addr,
    task_id: u64,
    milestone: u32,
) -> AnyResult<AppResponse> {
    w.exec(
        agent,
        &ExecuteMsg::SubmitMilestone {
            task_id,
            milestone,
            result_hash: result_of(task_id, milestone),
            result_uri: "ipfs://result".into(),
            inferences: vec![],
            input_hash: Some(data_hash("input")),
        },
    )
}

/// `client` approves milestone `milestone` of `task_id`.
pub fn approve_as(
    w: &mut World,
    client: &Addr,
    task_id: u64,
    milestone: u32,
) -> AnyResult<AppResponse> {
    w.exec(client, &ExecuteMsg::ApproveMilestone { task_id, milestone })
}

/// `who` disputes (client) or appeals (agent) milestone `milestone` of `task_id`.
pub fn dispute_as(
    w: &mut World,
    who: &Addr,
    task_id: u64,
    milestone: u32,
) -> AnyResult<AppResponse> {
    w.exec(
        who,
        &ExecuteMsg::DisputeMilestone {
            task_id,
            milestone,
            reason: "not what the specification asks".into(),
        },
    )
}

/// The `evaluate_milestone` of the delivered result of milestone `milestone` of `task_id`.
pub fn verdict(task_id: u64, milestone: u32, approve: bool) -> ExecuteMsg {
    ExecuteMsg::EvaluateMilestone {
        task_id,
        milestone,
        result_hash: result_of(task_id, milestone),
        approve,
        reason_hash: data_hash("reasons"),
    }
}

/// `who` judges the delivered result of milestone `milestone` of `task_id`.
pub fn evaluate(
    w: &mut World,
    who: &Addr,
    (task_id, milestone): (u64, u32),
    approve: bool,
) -> AnyResult<AppResponse> {
    w.exec(who, &verdict(task_id, milestone, approve))
}

/// `who` escalates milestone `milestone` of `task_id` to the arbiter.
pub fn escalate(w: &mut World, who: &Addr, task_id: u64, milestone: u32) -> AnyResult<AppResponse> {
    w.exec(who, &ExecuteMsg::Escalate { task_id, milestone })
}

/// `who` rates `subject` of `task_id` with `rating` (tag `on-time`).
pub fn rate(
    w: &mut World,
    who: &Addr,
    task_id: u64,
    subject: FeedbackSubject,
    rating: u8,
) -> AnyResult<AppResponse> {
    w.exec(
        who,
        &ExecuteMsg::GiveFeedback {
            task_id,
            subject,
            rating,
            tag: "on-time".into(),
        },
    )
}

/// `arbiter` gives the agent `share` bps of milestone `milestone` of `task_id`.
pub fn rule(
    w: &mut World,
    arbiter: &Addr,
    (task_id, milestone): (u64, u32),
    share: u16,
) -> AnyResult<AppResponse> {
    w.exec(
        arbiter,
        &ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps: share,
        },
    )
}

/// The reputation of `who`.
pub fn reputation(w: &World, who: &Addr) -> ReputationResponse {
    w.query(&QueryMsg::Reputation {
        address: who.to_string(),
    })
}

/// The escrow's record of evaluator `who`.
pub fn evaluator_info(w: &World, who: &Addr) -> EvaluatorResponse {
    w.query(&QueryMsg::Evaluator {
        address: who.to_string(),
    })
}

/// The whole tree of the workflow `task_id` belongs to.
pub fn workflow(w: &World, task_id: u64) -> WorkflowResponse {
    w.query(&QueryMsg::Workflow {
        task_id,
        start_after: None,
        limit: Some(50),
    })
}

/// The agent's `(bond, reserved, free)` as the escrow reports them.
pub fn bond_of(w: &World, agent: &Addr) -> (u128, u128, u128) {
    let a = w.agent_info(agent);
    (a.bond.u128(), a.reserved.u128(), a.free.u128())
}

/// The escrow's unsettled task funds (its liabilities besides the bonds).
pub fn escrowed(w: &World) -> u128 {
    w.solvency().escrowed.u128()
}

/// `coordinator` funds a sub-task of `amounts` for `agent` (due with its parent) out of
/// milestone `parent.1` of `parent.0`, which must succeed; returns the sub-task's id.
pub fn hire(
    w: &mut World,
    coordinator: &Addr,
    parent: (u64, u32),
    agent: &Addr,
    amounts: &[u128],
) -> u64 {
    let task = sub_task(w, parent.0, agent, amounts);
    delegated(w, coordinator, parent, task)
}

/// `client` (holding the deposit) creates `task`; returns its id (ledger updated).
pub fn task_from(w: &mut World, client: &Addr, task: NewTask) -> u64 {
    let deposit: u128 = task.milestones.iter().map(|m| m.amount.u128()).sum();
    let escrow = w.escrow.clone();
    let res =
        w.s.send(client, &escrow, deposit, &ReceiveMsg::CreateTask(task))
            .unwrap();
    w.s.moved(client, &escrow, deposit);
    attr(&res, "task_id").parse().unwrap()
}

/// `client` gives the world's agent a one-milestone task of `amount`, which the agent accepts
/// and delivers and `client` approves; returns its id. The caller records the payouts.
pub fn done_for(w: &mut World, client: &Addr, amount: u128) -> u64 {
    let agent = w.agent.clone();
    let task = w.new_task(&[amount]);
    let id = task_from(w, client, task);
    accept_as(w, &agent, id).unwrap();
    submit_as(w, &agent, id, 0).unwrap();
    approve_as(w, client, id, 0).unwrap();
    id
}

/// The client creates a task of `amounts` that `evaluator` judges; returns its id.
pub fn create_judged(w: &mut World, amounts: &[u128], evaluator: &Addr) -> u64 {
    let task = judged(w, amounts, evaluator);
    create(w, task)
}

/// Funds the main agent with `amount` more and adds it to its bond, so that its reservation
/// for a task (free bond × 50 %, at most the deposit) covers what it delegates.
pub fn top_up_agent(w: &mut World, amount: u128) {
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    w.s.fund(&agent, amount);
    w.s.send(&agent, &escrow, amount, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, amount);
}
