//! Tasks before acceptance: creation (through the cw20 hook, with the deposit), acceptance by
//! the agent, which reserves part of its bond, and the two ways an open task ends early
//! (`decline_task` by the agent, `cancel_task` by the client).

use cosmwasm_std::{
    Addr, Deps, DepsMut, Env, MessageInfo, OverflowError, OverflowOperation, Response, Uint128,
};
use openledger_common::bps::{apply_bps, apply_bps_ceil};
use openledger_common::msg::agent_escrow::{
    NewTask, ParentRef, TaskId, TaskStatus, MAX_DESCRIPTION_LEN, MAX_MILESTONES, MAX_TASK_DURATION,
    MAX_URI_LEN, MAX_WINDOW,
};
use openledger_common::{normalize_hash, validate_addr, validate_text, Checked};

use super::lifecycle::{close_task, return_funds};
use super::oversight::{self, Overseers};
use super::refunds::refund_remaining;
use super::{now, task_of, Party};
use crate::error::ContractError;
use crate::state::{
    next_task_id, Agent, Config, Milestone, Task, TaskExt, AGENTS, CONFIG, MILESTONES, TASKS,
    TOTALS,
};
use crate::validate::{assert_not_reserved, check_window};

/// The agent of a new task, checked.
struct Worker {
    address: Addr,
    agent: Agent,
}

/// Checks the agent: registered, active, bonded, not a protocol contract, not the client.
fn check_agent(
    deps: Deps,
    env: &Env,
    config: &Config,
    client: &Addr,
    new: &NewTask,
) -> Result<Worker, ContractError> {
    let address = validate_addr(deps.api, "agent", &new.agent)?;
    assert_not_reserved(config, env, "agent", &address)?;
    if address == client {
        return Err(ContractError::ClientIsAgent);
    }
    let agent = Agent::load(deps.storage, &address)?;
    agent.ensure_active(&address)?;
    if agent.bond < config.min_agent_bond {
        return Err(ContractError::BondTooLow {
            bond: agent.bond,
            required: config.min_agent_bond,
        });
    }
    Ok(Worker { address, agent })
}

/// Checks the specification URI and the milestones against the `deposit` (count, amounts,
/// descriptions, sum, reservation floor, model-fee budget).
fn check_milestones(new: &NewTask, deposit: Uint128) -> Result<(), ContractError> {
    validate_text("spec_uri", &new.spec_uri, 0, MAX_URI_LEN)?;
    let count = new.milestones.len();
    if count == 0 || count > MAX_MILESTONES {
        return Err(ContractError::MilestoneCount {
            count: count as u64,
            max: MAX_MILESTONES as u64,
        });
    }
    let mut sum = Uint128::zero();
    for (index, m) in new.milestones.iter().enumerate() {
        if m.amount.is_zero() {
            return Err(ContractError::ZeroMilestone {
                index: index as u32,
            });
        }
        validate_text("description", &m.description, 0, MAX_DESCRIPTION_LEN)?;
        sum = sum.checked_add(m.amount)?;
    }
    if sum != deposit {
        return Err(ContractError::MilestoneSumMismatch { deposit, sum });
    }
    if let Some(floor) = new.min_bond_reserved.filter(|f| *f > deposit) {
        return Err(ContractError::ReservationFloorAboveDeposit { floor, deposit });
    }
    if new.max_model_fees > deposit {
        return Err(ContractError::ModelFeeBudgetAboveDeposit {
            budget: new.max_model_fees,
            deposit,
        });
    }
    Ok(())
}

/// Checks that every milestone can pay its protocol fee, a verdict and a ruling.
fn check_milestone_fees(
    config: &Config,
    new: &NewTask,
    overseers: &Overseers,
) -> Result<(), ContractError> {
    let fixed = overseers
        .evaluation
        .as_ref()
        .map_or(Uint128::zero(), |e| e.terms.fee)
        .checked_add(
            overseers
                .arbitration
                .as_ref()
                .map_or(Uint128::zero(), |a| a.fee),
        )?;
    for (index, m) in new.milestones.iter().enumerate() {
        let fees = apply_bps_ceil(m.amount, config.protocol_fee_bps)?.checked_add(fixed)?;
        if fees > m.amount {
            return Err(ContractError::MilestoneBelowFees {
                index: index as u32,
                amount: m.amount,
                fees,
            });
        }
    }
    Ok(())
}

/// The time terms of a new task, checked.
struct Times {
    review_window: u64,
    created_at: u64,
    accept_deadline: u64,
}

/// Checks the windows and the delivery deadline: in the future, within `MAX_TASK_DURATION`,
/// after the accept window.
fn check_times(new: &NewTask, created_at: u64) -> Result<Times, ContractError> {
    let accept_window = check_window("accept_window", new.accept_window, 1, MAX_WINDOW)?;
    let review_window = check_window("review_window", new.review_window, 1, MAX_WINDOW)?;
    if new.delivery_deadline <= created_at {
        return Err(ContractError::DeadlineNotInFuture {
            deadline: new.delivery_deadline,
            now: created_at,
        });
    }
    let latest = created_at.add_checked(MAX_TASK_DURATION)?;
    if new.delivery_deadline > latest {
        return Err(ContractError::DeadlineTooFar {
            deadline: new.delivery_deadline,
            latest,
        });
    }
    let accept_deadline = created_at.add_checked(accept_window)?;
    if new.delivery_deadline <= accept_deadline {
        return Err(ContractError::DeadlineWithinAcceptWindow {
            deadline: new.delivery_deadline,
            accept_deadline,
        });
    }
    Ok(Times {
        review_window,
        created_at,
        accept_deadline,
    })
}

/// Where a new task's deposit comes from.
pub struct Funding {
    /// The client: the cw20 sender of a root task, the parent's agent for a sub-task.
    pub client: Addr,
    /// The deposit.
    pub deposit: Uint128,
    /// For a sub-task: the parent milestone, the workflow's root, the sub-task's depth, the
    /// parent's delivery deadline and its longest review window (its client's review or its
    /// evaluator's window, whichever is longer).
    pub parent: Option<(ParentRef, TaskId, u8, u64, u64)>,
}

/// The record of a new, open task; its terms are fixed from the configuration now.
fn open_task(
    config: &Config,
    funding: &Funding,
    (worker, overseers): (&Worker, Overseers),
    spec_hash: String,
    new: &NewTask,
    times: &Times,
) -> Task {
    Task {
        client: funding.client.clone(),
        agent: worker.address.clone(),
        arbiter: overseers.arbiter,
        spec_hash,
        spec_uri: new.spec_uri.clone(),
        deposit: funding.deposit,
        escrowed: funding.deposit,
        status: TaskStatus::Open,
        refund_reason: None,
        milestone_count: new.milestones.len() as u32,
        current_milestone: 0,
        protocol_fee_bps: config.protocol_fee_bps,
        arbitration_window: config.arbitration_window,
        slash_bps: config.slash_bps,
        ext: Box::new(TaskExt {
            min_agent_bond: Some(config.min_agent_bond),
            bond_reserved: None,
            max_model_fees: Some(new.max_model_fees),
            min_bond_reserved: new.min_bond_reserved,
            parent: funding.parent.map(|p| p.0),
            root: funding.parent.map(|p| p.1),
            depth: funding.parent.map_or(0, |p| p.2),
            evaluation: overseers.evaluation,
            arbitration: overseers.arbitration,
        }),
        review_window: times.review_window,
        created_at: times.created_at,
        accept_deadline: times.accept_deadline,
        delivery_deadline: new.delivery_deadline,
        accepted_at: None,
        closed_at: None,
        paid_to_agent: Uint128::zero(),
        model_fees_paid: Uint128::zero(),
        model_fees_refunded: Uint128::zero(),
        protocol_fees: Uint128::zero(),
        refunded: Uint128::zero(),
        slashed: Uint128::zero(),
    }
}

/// Checks a new task (root or sub-task) and stores it with its milestones; counts it on its
/// agent and its overseers. The caller books the deposit. Returns its id, the task and the
/// event of its creation.
pub fn open_new_task(
    deps: DepsMut,
    env: &Env,
    config: &Config,
    (action, funding): (&str, Funding),
    new: NewTask,
) -> Result<(TaskId, Task, Response), ContractError> {
    let mut worker = check_agent(deps.as_ref(), env, config, &funding.client, &new)?;
    let spec_hash = normalize_hash("spec_hash", &new.spec_hash)?;
    check_milestones(&new, funding.deposit)?;
    let times = check_times(&new, now(env))?;
    if let Some((_, _, _, parent_deadline, parent_window)) = funding.parent {
        if new.delivery_deadline > parent_deadline {
            return Err(ContractError::SubtaskOutlivesParent {
                deadline: new.delivery_deadline,
                parent_deadline,
            });
        }
        // A sub-task reviewed longer than its parent would keep the parent's client waiting
        // for its refund past what that client agreed to.
        let windows = [
            ("review_window", new.review_window),
            ("evaluation_window", new.evaluation_window.unwrap_or(0)),
        ];
        if let Some((name, seconds)) = windows.into_iter().find(|(_, s)| *s > parent_window) {
            return Err(ContractError::SubtaskWindowTooLong {
                window: name.to_string(),
                seconds,
                parent_window,
            });
        }
    }
    let evaluator = new
        .evaluator
        .as_deref()
        .map(|e| validate_addr(deps.api, "evaluator", e))
        .transpose()?;
    let named_arbiter = new
        .arbiter
        .as_deref()
        .map(|a| validate_addr(deps.api, "arbiter", a))
        .transpose()?;
    for (role, address) in [("evaluator", &evaluator), ("arbiter", &named_arbiter)] {
        if let Some(address) = address {
            assert_not_reserved(config, env, role, address)?;
        }
    }
    let overseers = oversight::appoint(
        deps.storage,
        config,
        (&funding.client, &worker.address),
        (evaluator, new.evaluation_window),
        named_arbiter,
        funding.deposit,
    )?;
    oversight::check_fee_caps(
        &overseers,
        (new.max_evaluation_fee, new.max_arbitration_fee),
    )?;
    check_milestone_fees(config, &new, &overseers)?;

    let task_id = next_task_id(deps.storage)?;
    let task = open_task(
        config,
        &funding,
        (&worker, overseers),
        spec_hash,
        &new,
        &times,
    );
    TASKS.save(deps.storage, task_id, &task)?;
    let count = new.milestones.len();
    for (index, m) in new.milestones.into_iter().enumerate() {
        let milestone = Milestone::new(m.amount, m.description);
        MILESTONES.save(deps.storage, (task_id, index as u32), &milestone)?;
    }
    worker.agent.open_tasks = worker.agent.open_tasks.add_checked(1)?;
    AGENTS.save(deps.storage, &worker.address, &worker.agent)?;

    let mut res = Response::new()
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("client", task.client.as_str())
        .add_attribute("agent", worker.address)
        .add_attribute("arbiter", task.arbiter.as_str())
        .add_attribute("deposit", funding.deposit)
        .add_attribute("milestones", count.to_string())
        .add_attribute("accept_deadline", times.accept_deadline.to_string())
        .add_attribute("delivery_deadline", task.delivery_deadline.to_string())
        .add_attribute("max_model_fees", budget_attr(&task));
    if let Some(evaluation) = &task.ext.evaluation {
        res = res
            .add_attribute("evaluator", evaluation.evaluator.as_str())
            .add_attribute("evaluation_fee", evaluation.terms.fee);
    }
    Ok((task_id, task, res))
}

/// Creates a task paid by `client` with the `deposit` that came with the hook.
pub fn create_task(
    mut deps: DepsMut,
    env: Env,
    config: Config,
    client: Addr,
    deposit: Uint128,
    new: NewTask,
) -> Result<Response, ContractError> {
    let funding = Funding {
        client,
        deposit,
        parent: None,
    };
    let (_, _, res) = open_new_task(deps.branch(), &env, &config, ("create_task", funding), new)?;
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_add(deposit)?;
        Ok(totals)
    })?;
    Ok(res)
}

/// A task's model-fee budget as an event value (`unbounded` for a task of 0.2.0).
fn budget_attr(task: &Task) -> String {
    task.ext
        .max_model_fees
        .map_or_else(|| "unbounded".to_string(), |b| b.to_string())
}

/// Refuses anything but an open task (for accept, decline, cancel).
fn assert_open(task_id: TaskId, task: &Task) -> Result<(), ContractError> {
    match task.status {
        TaskStatus::Open => Ok(()),
        TaskStatus::InProgress => Err(ContractError::TaskAlreadyAccepted { task_id }),
        status => Err(ContractError::TaskFinished { task_id, status }),
    }
}

/// The agent accepts an open task before its accept window closes; part of its free bond is
/// reserved for the task.
pub fn accept_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let mut task = task_of(deps.storage, task_id, &info.sender, Party::Agent)?;
    assert_open(task_id, &task)?;
    let t = now(&env);
    if t >= task.accept_deadline {
        return Err(ContractError::AcceptWindowClosed {
            task_id,
            accept_deadline: task.accept_deadline,
        });
    }
    // The bond covers the tasks that rely on it: the agent needs the minimum free, and part of
    // it is reserved for this task (what a ruling of 0 on it can take), bounded by its value.
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    let minimum = match task.ext.min_agent_bond {
        Some(required) => required,
        None => CONFIG.load(deps.storage)?.min_agent_bond,
    };
    // A good record lowers the free bond the agent must hold, losses raise it (bounded).
    let required = agent
        .stats
        .required_bond(minimum)
        .map_err(|_| OverflowError::new(OverflowOperation::Mul))?;
    let free = agent.free_bond()?;
    if free < required {
        return Err(ContractError::FreeBondTooLow {
            bond: agent.bond,
            reserved: agent.reserved,
            free,
            required,
        });
    }
    let reserved = task.deposit.min(apply_bps(free, task.slash_bps)?);
    if let Some(floor) = task.ext.min_bond_reserved.filter(|f| reserved < *f) {
        return Err(ContractError::ReservationBelowFloor {
            task_id,
            floor,
            reservable: reserved,
        });
    }
    agent.reserved = agent.reserved.checked_add(reserved)?;
    task.ext.bond_reserved = Some(reserved);
    task.status = TaskStatus::InProgress;
    task.accepted_at = Some(t);
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    Ok(Response::new()
        .add_attribute("action", "accept_task")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("agent", info.sender)
        .add_attribute("bond_reserved", reserved)
        .add_attribute("agent_reserved", agent.reserved)
        .add_attribute("agent_free_bond", agent.free_bond()?)
        .add_attribute("delivery_deadline", task.delivery_deadline.to_string()))
}

/// The agent declines an open task: the whole deposit goes back to the client.
pub fn decline_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let task = task_of(deps.storage, task_id, &info.sender, Party::Agent)?;
    close_open_task(deps, env, task_id, task, TaskStatus::Declined)
}

/// The client cancels an open task: the whole deposit goes back to it.
pub fn cancel_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let task = task_of(deps.storage, task_id, &info.sender, Party::Client)?;
    close_open_task(deps, env, task_id, task, TaskStatus::Cancelled)
}

/// Declines or cancels an open task: the whole deposit goes back to the client.
fn close_open_task(
    deps: DepsMut,
    env: Env,
    task_id: TaskId,
    mut task: Task,
    status: TaskStatus,
) -> Result<Response, ContractError> {
    assert_open(task_id, &task)?;
    let config = CONFIG.load(deps.storage)?;
    let t = now(&env);
    let mut totals = TOTALS.load(deps.storage)?;
    let mut agent = Agent::load(deps.storage, &task.agent)?;
    let amount = refund_remaining(deps.storage, t, task_id, &mut task, &mut totals)?;
    // An open task reserved nothing of its agent: nothing of the agent's bond is released.
    close_task(deps.storage, &mut task, &mut agent, (status, None), t)?;
    let payment = return_funds(deps.storage, &config.token, &task, &mut totals, amount)?;
    let action = if status == TaskStatus::Declined {
        agent.stats.declined.increment()?;
        "decline_task"
    } else {
        "cancel_task"
    };
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(payment)
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("client", task.client)
        .add_attribute("refunded", amount))
}
