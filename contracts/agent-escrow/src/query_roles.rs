//! Queries of evaluators, reputation, discovery, workflows and ratings (the rest live in
//! `query.rs`). List queries take `start_after` (exclusive) and `limit` (1..=50, default 10).

use cosmwasm_std::{Addr, Deps, Order, StdResult};
use cw_storage_plus::{Bound, Map};
use openledger_common::msg::agent_escrow::{
    AgentReputation, AgentStats, CapableAgent, CapableAgentsResponse, CapableEvaluator,
    CapableEvaluatorsResponse, EvaluatorReputation, EvaluatorResponse, EvaluatorStats,
    EvaluatorsResponse, FeedbackEntry, FeedbackResponse, FeedbackSubject, ReputationResponse,
    TaskId, WorkflowNode, WorkflowResponse,
};
use openledger_common::pagination::{addr_page, after};
use openledger_common::{page_limit, validate_addr};

use crate::error::ContractError;
use crate::query::{milestones_of, task_info};
use crate::state::{
    subject_key, Evaluator, Task, AGENTS, AGENT_CAPABILITIES, EVALUATORS, EVALUATOR_CAPABILITIES,
    FEEDBACK, WORKFLOWS,
};

fn evaluator_response(address: Addr, e: Evaluator) -> Result<EvaluatorResponse, ContractError> {
    Ok(EvaluatorResponse {
        address,
        free: e.free_bond()?,
        name: e.name,
        metadata_uri: e.metadata_uri,
        capabilities: e.capabilities,
        fee: e.fee,
        bond: e.bond,
        reserved: e.reserved,
        status: e.status,
        open_tasks: e.open_tasks,
        stats: e.stats,
        registered_at: e.registered_at,
    })
}

/// One evaluator.
pub fn evaluator(deps: Deps, address: String) -> Result<EvaluatorResponse, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    let e = Evaluator::load(deps.storage, &address)?;
    evaluator_response(address, e)
}

/// Evaluators by address.
pub fn evaluators(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<EvaluatorsResponse, ContractError> {
    let page =
        addr_page::<_, ContractError>(deps.storage, deps.api, &EVALUATORS, start_after, limit)?;
    let evaluators = page
        .into_iter()
        .map(|(address, e)| evaluator_response(address, e))
        .collect::<Result<_, ContractError>>()?;
    Ok(EvaluatorsResponse { evaluators })
}

/// An agent's record as reputation.
pub fn agent_reputation(stats: AgentStats) -> AgentReputation {
    AgentReputation {
        bond_multiplier_bps: stats.bond_multiplier_bps(),
        score: stats.ratings.score(),
        completed: stats.completed,
        proven: stats.proven,
        disputed: stats.disputed,
        lost: stats.lost,
        missed: stats.missed,
        rejected: stats.rejected,
        slashed: stats.slashed,
        volume: stats.volume,
        earned: stats.earned,
        ratings: stats.ratings,
    }
}

/// An evaluator's record as reputation.
pub fn evaluator_reputation(stats: EvaluatorStats) -> EvaluatorReputation {
    EvaluatorReputation {
        score: stats.ratings.score(),
        stats,
    }
}

/// An address's reputation as agent and as evaluator.
pub fn reputation(deps: Deps, address: String) -> Result<ReputationResponse, ContractError> {
    let address = validate_addr(deps.api, "address", &address)?;
    let agent = AGENTS.may_load(deps.storage, &address)?;
    let evaluator = EVALUATORS.may_load(deps.storage, &address)?;
    Ok(ReputationResponse {
        address,
        agent: agent.map(|a| agent_reputation(a.stats)),
        evaluator: evaluator.map(|e| evaluator_reputation(e.stats)),
    })
}

/// The addresses under `capability` in a capability index, after `start_after`.
fn tagged(
    deps: Deps,
    index: &Map<(&str, &Addr), ()>,
    capability: &str,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<Vec<Addr>, ContractError> {
    let limit = page_limit(limit)?;
    let start = start_after
        .map(|a| validate_addr(deps.api, "start_after", &a))
        .transpose()?;
    let min = start.as_ref().map(Bound::exclusive);
    Ok(index
        .prefix(capability)
        .keys(deps.storage, min, None, Order::Ascending)
        .take(limit)
        .collect::<StdResult<_>>()?)
}

/// Agents that declared `capability`, each with its reputation.
pub fn agents_by_capability(
    deps: Deps,
    capability: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<CapableAgentsResponse, ContractError> {
    let addresses = tagged(deps, &AGENT_CAPABILITIES, &capability, start_after, limit)?;
    let mut agents = Vec::with_capacity(addresses.len());
    for address in addresses {
        let a = AGENTS.load(deps.storage, &address)?;
        agents.push(CapableAgent {
            free: a.free_bond()?,
            name: a.name,
            capabilities: a.capabilities,
            status: a.status,
            reputation: agent_reputation(a.stats),
            address,
        });
    }
    Ok(CapableAgentsResponse { agents })
}

/// Evaluators that declared `capability`, each with its reputation.
pub fn evaluators_by_capability(
    deps: Deps,
    capability: String,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<CapableEvaluatorsResponse, ContractError> {
    let addresses = tagged(
        deps,
        &EVALUATOR_CAPABILITIES,
        &capability,
        start_after,
        limit,
    )?;
    let mut evaluators = Vec::with_capacity(addresses.len());
    for address in addresses {
        let e = EVALUATORS.load(deps.storage, &address)?;
        evaluators.push(CapableEvaluator {
            free: e.free_bond()?,
            name: e.name,
            capabilities: e.capabilities,
            fee: e.fee,
            status: e.status,
            reputation: evaluator_reputation(e.stats),
            address,
        });
    }
    Ok(CapableEvaluatorsResponse { evaluators })
}

/// One task of a workflow with its milestones.
fn node(deps: Deps, task_id: TaskId) -> Result<WorkflowNode, ContractError> {
    let task = Task::load(deps.storage, task_id)?;
    Ok(WorkflowNode {
        task: task_info(task_id, task),
        milestones: milestones_of(deps, task_id)?,
    })
}

/// A page of the tree of the workflow task `task_id` belongs to, by task id: the root first,
/// then its sub-tasks at every depth.
pub fn workflow(
    deps: Deps,
    task_id: TaskId,
    start_after: Option<TaskId>,
    limit: Option<u32>,
) -> Result<WorkflowResponse, ContractError> {
    let limit = page_limit(limit)?;
    let root = Task::load(deps.storage, task_id)?.root_id(task_id);
    let mut tasks = Vec::with_capacity(limit);
    if start_after.map_or(true, |after| after < root) {
        tasks.push(node(deps, root)?);
    }
    let ids = WORKFLOWS
        .prefix(root)
        .keys(deps.storage, after(start_after), None, Order::Ascending)
        .take(limit - tasks.len())
        .collect::<StdResult<Vec<TaskId>>>()?;
    for id in ids {
        tasks.push(node(deps, id)?);
    }
    Ok(WorkflowResponse { root, tasks })
}

/// The ratings given on a task.
pub fn feedback(deps: Deps, task_id: TaskId) -> Result<FeedbackResponse, ContractError> {
    Task::load(deps.storage, task_id)?;
    let mut entries = Vec::with_capacity(2);
    for subject in [FeedbackSubject::Agent, FeedbackSubject::Evaluator] {
        if let Some(f) = FEEDBACK.may_load(deps.storage, (task_id, subject_key(subject)))? {
            entries.push(FeedbackEntry {
                subject,
                address: f.address,
                rating: f.rating,
                tag: f.tag,
                weight: f.weight,
                at: f.at,
            });
        }
    }
    Ok(FeedbackResponse { task_id, entries })
}
