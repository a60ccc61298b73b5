//! Query handlers. Each returns its typed `…Response` (the `query` entry point serialises it);
//! list queries take `start_after` (exclusive) and `limit` (1..=50, default 10; anything else
//! is refused).

use cosmwasm_std::{Addr, Deps, Env, Order, StdResult, Uint128};
use cw_ownable::Ownership;
use cw_storage_plus::{MultiIndex, Prefixer, PrimaryKey};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::{
    AgentResponse, AgentsResponse, ConfigResponse, EscrowSolvencyResponse, MilestoneInfo, TaskId,
    TaskInfo, TaskResponse, TaskStatus, TasksResponse,
};
use openledger_common::pagination::{addr_page, after, page};
use openledger_common::{page_limit, validate_addr};

use crate::error::ContractError;
use crate::state::{
    status_key, Agent, Milestone, Task, AGENTS, CONFIG, MILESTONES, TASKS, TASK_COUNT, TOTALS,
};

/// The configuration and the task counter.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let c = CONFIG.load(deps.storage)?;
    Ok(ConfigResponse {
        token: c.token,
        model_licensing: c.model_licensing,
        reward_pool: c.reward_pool,
        min_agent_bond: c.min_agent_bond,
        protocol_fee_bps: c.protocol_fee_bps,
        default_arbiter: c.default_arbiter,
        arbitration_window: c.arbitration_window,
        unbonding_period: c.unbonding_period,
        slash_bps: c.slash_bps,
        task_count: TASK_COUNT.load(deps.storage)?,
    })
}

fn agent_response(address: Addr, a: Agent) -> Result<AgentResponse, ContractError> {
    Ok(AgentResponse {
        address,
        free: a.free_bond()?,
        name: a.name,
        metadata_uri: a.metadata_uri,
        models: a.models,
        capabilities: a.capabilities,
        bond: a.bond,
        reserved: a.reserved,
        status: a.status,
        open_tasks: a.open_tasks,
        stats: a.stats,
        registered_at: a.registered_at,
    })
}

/// One agent.
pub fn agent(deps: Deps, address: String) -> Result<AgentResponse, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    let a = Agent::load(deps.storage, &address)?;
    agent_response(address, a)
}

/// Agents by address.
pub fn agents(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<AgentsResponse, ContractError> {
    let page = addr_page::<_, ContractError>(deps.storage, deps.api, &AGENTS, start_after, limit)?;
    let agents = page
        .into_iter()
        .map(|(address, a)| agent_response(address, a))
        .collect::<Result<_, ContractError>>()?;
    Ok(AgentsResponse { agents })
}

/// A task's summary as the queries show it.
pub fn task_info(id: TaskId, t: Task) -> TaskInfo {
    let (evaluation_fee, arbitration_fee) = (t.evaluation_fee(), t.arbitration_fee());
    TaskInfo {
        id,
        client: t.client,
        agent: t.agent,
        arbiter: t.arbiter,
        spec_hash: t.spec_hash,
        spec_uri: t.spec_uri,
        deposit: t.deposit,
        escrowed: t.escrowed,
        status: t.status,
        refund_reason: t.refund_reason,
        milestone_count: t.milestone_count,
        current_milestone: t.current_milestone,
        protocol_fee_bps: t.protocol_fee_bps,
        arbitration_window: t.arbitration_window,
        slash_bps: t.slash_bps,
        min_agent_bond: t.ext.min_agent_bond,
        bond_reserved: t.ext.bond_reserved,
        max_model_fees: t.ext.max_model_fees,
        min_bond_reserved: t.ext.min_bond_reserved,
        review_window: t.review_window,
        created_at: t.created_at,
        accept_deadline: t.accept_deadline,
        delivery_deadline: t.delivery_deadline,
        accepted_at: t.accepted_at,
        closed_at: t.closed_at,
        paid_to_agent: t.paid_to_agent,
        model_fees_paid: t.model_fees_paid,
        model_fees_refunded: t.model_fees_refunded,
        protocol_fees: t.protocol_fees,
        refunded: t.refunded,
        slashed: t.slashed,
        parent: t.ext.parent,
        root: t.ext.root.unwrap_or(id),
        depth: t.ext.depth,
        evaluation_window: t.ext.evaluation.as_ref().map(|e| e.window),
        evaluation_fee,
        evaluator_reserved: t
            .ext
            .evaluation
            .as_ref()
            .map_or(Uint128::zero(), |e| e.terms.reserved),
        evaluation_fees_paid: t
            .ext
            .evaluation
            .as_ref()
            .map_or(Uint128::zero(), |e| e.terms.paid),
        evaluator_resigned: t.ext.evaluation.as_ref().is_some_and(|e| e.terms.resigned),
        arbiter_resigned: t.ext.arbitration.as_ref().is_some_and(|a| a.resigned),
        evaluator: t.ext.evaluation.map(|e| e.evaluator),
        arbitration_fee,
        arbitration_fees_paid: t.ext.arbitration.map_or(Uint128::zero(), |a| a.paid),
    }
}

fn milestone_info(index: u32, m: Milestone) -> MilestoneInfo {
    MilestoneInfo {
        index,
        amount: m.amount,
        description: m.description,
        status: m.status,
        result_hash: m.result_hash,
        result_uri: m.result_uri,
        submitted_at: m.submitted_at,
        review_deadline: m.review_deadline,
        inferences: m.inferences,
        model_fees: m.model_fees,
        models_contract: m.models_contract,
        dispute_reason: m.dispute_reason,
        disputed_at: m.disputed_at,
        arbitration_deadline: m.arbitration_deadline,
        agent_share_bps: m.agent_share_bps,
        closed_at: m.closed_at,
        input_hash: m.input_hash,
        evaluation_deadline: m.evaluation_deadline,
        verdict: m.verdict.map(|v| *v),
        delegated: m.delegated,
        subtasks: m.subtasks,
        open_subtasks: m.open_subtasks,
    }
}

/// The milestones of a task, in order.
pub fn milestones_of(deps: Deps, task_id: TaskId) -> StdResult<Vec<MilestoneInfo>> {
    MILESTONES
        .prefix(task_id)
        .range(deps.storage, None, None, Order::Ascending)
        .map(|r| r.map(|(index, m)| milestone_info(index, m)))
        .collect()
}

/// One task with its milestones.
pub fn task(deps: Deps, task_id: TaskId) -> Result<TaskResponse, ContractError> {
    let t = Task::load(deps.storage, task_id)?;
    Ok(TaskResponse {
        task: task_info(task_id, t),
        milestones: milestones_of(deps, task_id)?,
    })
}

/// A page of the tasks under `key` in one of the task indexes, by id.
fn tasks_page<'a, IK>(
    deps: Deps,
    index: &MultiIndex<'a, IK, Task, TaskId>,
    key: IK,
    start_after: Option<TaskId>,
    limit: usize,
) -> Result<TasksResponse, ContractError>
where
    IK: PrimaryKey<'a> + Prefixer<'a>,
{
    let entries = index
        .prefix(key)
        .range(deps.storage, after(start_after), None, Order::Ascending);
    let tasks = page(entries, limit, task_info)?;
    Ok(TasksResponse { tasks })
}

/// Tasks of one client, by id.
pub fn tasks_by_client(
    deps: Deps,
    client: String,
    start_after: Option<TaskId>,
    limit: Option<u32>,
) -> Result<TasksResponse, ContractError> {
    let limit = page_limit(limit)?;
    let client = validate_addr(deps.api, "client", &client)?;
    tasks_page(deps, &TASKS.idx.client, client, start_after, limit)
}

/// Tasks of one agent, by id.
pub fn tasks_by_agent(
    deps: Deps,
    agent: String,
    start_after: Option<TaskId>,
    limit: Option<u32>,
) -> Result<TasksResponse, ContractError> {
    let limit = page_limit(limit)?;
    let agent = validate_addr(deps.api, "agent", &agent)?;
    tasks_page(deps, &TASKS.idx.agent, agent, start_after, limit)
}

/// Tasks in one status, by id.
pub fn tasks_by_status(
    deps: Deps,
    status: TaskStatus,
    start_after: Option<TaskId>,
    limit: Option<u32>,
) -> Result<TasksResponse, ContractError> {
    let limit = page_limit(limit)?;
    tasks_page(
        deps,
        &TASKS.idx.status,
        status_key(status),
        start_after,
        limit,
    )
}

/// The escrow's token balance against what it holds for others.
pub fn solvency(deps: Deps, env: Env) -> Result<EscrowSolvencyResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let balance = TokenHandle(config.token).balance(&deps.querier, &env.contract.address)?;
    let total_liabilities = totals.escrowed.checked_add(totals.bonds)?;
    Ok(EscrowSolvencyResponse {
        balance,
        escrowed: totals.escrowed,
        bonds: totals.bonds,
        total_liabilities,
        solvent: balance >= total_liabilities,
    })
}

/// The owner and any pending transfer of ownership.
pub fn ownership(deps: Deps) -> Result<Ownership<Addr>, ContractError> {
    Ok(cw_ownable::get_ownership(deps.storage)?)
}

pub use crate::query_roles::*;
