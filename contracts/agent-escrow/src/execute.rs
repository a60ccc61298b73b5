//! Execute handlers.
//!
//! Every handler checks everything first, then writes its state, and only then returns the
//! messages that move tokens (state is written before funds move): a callback into the escrow
//! during a payment finds the milestone or task already closed.

use cosmwasm_std::{
    to_json_binary, Addr, DepsMut, Env, MessageInfo, Order, OverflowError, OverflowOperation,
    QuerierWrapper, Response, StdResult, Storage, SubMsg, Uint128,
};
use cw20::Cw20ReceiveMsg;
use openledger_common::bps::{apply_bps, apply_bps_ceil, Bps, BPS_DENOMINATOR};
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::hook::send_msg;
use openledger_common::msg::agent_escrow::{
    AgentStats, AgentStatus, InstantiateMsg, MilestoneStatus, ModelFeeStatus, NewTask, ReceiveMsg,
    RecordedInference, RefundReason, TaskId, TaskStatus, MAX_AGENT_MODELS, MAX_DESCRIPTION_LEN,
    MAX_INFERENCES, MAX_MILESTONES, MAX_NAME_LEN, MAX_PROTOCOL_FEE_BPS, MAX_REASON_LEN,
    MAX_TASK_DURATION, MAX_URI_LEN, MAX_WINDOW,
};
use openledger_common::msg::model_licensing::{
    self as ml, InferencePayment, ModelId, ModelResponse, ModelStatus, MAX_INFERENCE_ID_LEN,
};
use openledger_common::msg::reward_pool::Allocation;
use openledger_common::{reserved_name, validate_addr};

use crate::error::{task_status_name, ContractError};
use crate::state::{
    status_key, Agent, Config, Milestone, ModelFeePayload, Task, Totals, AGENTS, CONFIG,
    MILESTONES, REPLY_MODEL_FEE, TASKS, TOTALS,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Block time in whole seconds.
pub fn now(env: &Env) -> u64 {
    env.block.time.seconds()
}

fn add_secs(a: u64, b: u64) -> Result<u64, OverflowError> {
    a.checked_add(b)
        .ok_or(OverflowError::new(OverflowOperation::Add))
}

fn add_u32(a: u32, b: u32) -> Result<u32, OverflowError> {
    a.checked_add(b)
        .ok_or(OverflowError::new(OverflowOperation::Add))
}

fn sub_u32(a: u32, b: u32) -> Result<u32, OverflowError> {
    a.checked_sub(b)
        .ok_or(OverflowError::new(OverflowOperation::Sub))
}

fn inc(counter: &mut u64) -> Result<(), OverflowError> {
    *counter = counter
        .checked_add(1)
        .ok_or(OverflowError::new(OverflowOperation::Add))?;
    Ok(())
}

/// Checks that `value` is `min..=max` bytes long.
pub fn validate_text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ContractError> {
    if (min..=max).contains(&value.len()) {
        Ok(())
    } else {
        Err(ContractError::InvalidText {
            field: field.to_string(),
            min: min as u64,
            max: max as u64,
        })
    }
}

/// Checks that `value` is a SHA-256 in hex and returns it lower-case.
pub fn normalize_hash(field: &str, value: &str) -> Result<String, ContractError> {
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(ContractError::InvalidHash {
            field: field.to_string(),
            value: value.to_string(),
        })
    }
}

fn check_window(field: &str, value: u64, min: u64, max: u64) -> Result<u64, ContractError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ContractError::WindowOutOfRange {
            field: field.to_string(),
            value,
            min,
            max,
        })
    }
}

fn check_fee(bps: Bps) -> Result<Bps, ContractError> {
    if bps > MAX_PROTOCOL_FEE_BPS {
        return Err(ContractError::FeeTooHigh {
            bps,
            max: MAX_PROTOCOL_FEE_BPS,
        });
    }
    Ok(bps)
}

fn check_bps(field: &str, bps: Bps) -> Result<Bps, ContractError> {
    if bps > BPS_DENOMINATOR {
        return Err(ContractError::InvalidBps {
            field: field.to_string(),
            bps,
        });
    }
    Ok(bps)
}

/// Which of the protocol's contracts `addr` is, if any: the escrow itself, the token, the
/// reward pool or model licensing. None of them may be an agent or an arbiter.
fn reserved_contract(config: &Config, env: &Env, addr: &Addr) -> Option<&'static str> {
    reserved_name(
        addr,
        &[
            ("escrow", &env.contract.address),
            ("token", &config.token),
            ("reward_pool", &config.reward_pool),
            ("model_licensing", &config.model_licensing),
        ],
    )
}

/// The escrow pays model fees into model licensing and protocol fees into the reward pool:
/// neither may be the escrow itself, the token, or the other one, or every settlement would
/// fail and the deposits of submitted milestones would wait for the owner to re-wire it.
fn check_wiring(config: &Config, env: &Env) -> Result<(), ContractError> {
    let (escrow, token) = (("escrow", &env.contract.address), ("token", &config.token));
    let pool = ("reward_pool", &config.reward_pool);
    for (role, addr, reserved) in [
        (
            "model_licensing",
            &config.model_licensing,
            &[escrow, token, pool][..],
        ),
        ("reward_pool", &config.reward_pool, &[escrow, token][..]),
    ] {
        if let Some(contract) = reserved_name(addr, reserved) {
            return Err(ContractError::ReservedAddress {
                role: role.to_string(),
                contract: contract.to_string(),
                address: addr.to_string(),
            });
        }
    }
    Ok(())
}

fn assert_not_reserved(
    config: &Config,
    env: &Env,
    role: &str,
    addr: &Addr,
) -> Result<(), ContractError> {
    match reserved_contract(config, env, addr) {
        Some(contract) => Err(ContractError::ReservedAddress {
            role: role.to_string(),
            contract: contract.to_string(),
            address: addr.to_string(),
        }),
        None => Ok(()),
    }
}

/// Queries a model; any failure (no such model, or no model licensing at that address) is
/// reported as an unknown model.
fn query_model(
    querier: &QuerierWrapper,
    contract: &Addr,
    model_id: ModelId,
) -> Result<ModelResponse, ContractError> {
    querier
        .query_wasm_smart(contract, &ml::QueryMsg::Model { model_id })
        .map_err(|_| ContractError::UnknownModel { model_id })
}

/// Validates an agent's model list: at most `MAX_AGENT_MODELS`, distinct, each existing.
fn validate_models(
    querier: &QuerierWrapper,
    contract: &Addr,
    models: Vec<ModelId>,
) -> Result<Vec<ModelId>, ContractError> {
    if models.len() > MAX_AGENT_MODELS {
        return Err(ContractError::TooManyModels {
            count: models.len() as u64,
            max: MAX_AGENT_MODELS as u64,
        });
    }
    for (i, model_id) in models.iter().enumerate() {
        if models[..i].contains(model_id) {
            return Err(ContractError::DuplicateModel {
                model_id: *model_id,
            });
        }
        query_model(querier, contract, *model_id)?;
    }
    Ok(models)
}

fn models_attr(models: &[ModelId]) -> String {
    models
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn load_agent(storage: &dyn Storage, address: &Addr) -> Result<Agent, ContractError> {
    AGENTS
        .may_load(storage, address)?
        .ok_or_else(|| ContractError::AgentNotFound {
            address: address.to_string(),
        })
}

pub(crate) fn load_task(storage: &dyn Storage, task_id: TaskId) -> Result<Task, ContractError> {
    TASKS
        .may_load(storage, task_id)?
        .ok_or(ContractError::TaskNotFound { task_id })
}

pub(crate) fn load_milestone(
    storage: &dyn Storage,
    task_id: TaskId,
    task: &Task,
    index: u32,
) -> Result<Milestone, ContractError> {
    if index >= task.milestone_count {
        return Err(ContractError::MilestoneNotFound {
            task_id,
            milestone: index,
        });
    }
    MILESTONES
        .may_load(storage, (task_id, index))?
        .ok_or(ContractError::MilestoneNotFound {
            task_id,
            milestone: index,
        })
}

/// Loads the milestone a review action names and checks that it is live: not settled or
/// refunded, of a task in progress, and the current one.
fn live_milestone(
    storage: &dyn Storage,
    task_id: TaskId,
    task: &Task,
    index: u32,
) -> Result<Milestone, ContractError> {
    let ms = load_milestone(storage, task_id, task, index)?;
    if ms.status.is_closed() {
        return Err(ContractError::MilestoneAlreadySettled {
            task_id,
            milestone: index,
            status: ms.status,
        });
    }
    match task.status {
        TaskStatus::InProgress => {}
        TaskStatus::Open => return Err(ContractError::TaskNotAccepted { task_id }),
        status => return Err(ContractError::TaskFinished { task_id, status }),
    }
    if index != task.current_milestone {
        return Err(ContractError::NotCurrentMilestone {
            task_id,
            milestone: index,
            current: task.current_milestone,
        });
    }
    Ok(ms)
}

/// Refuses anything but an open task (for accept, decline, cancel).
fn assert_open(task_id: TaskId, task: &Task) -> Result<(), ContractError> {
    match task.status {
        TaskStatus::Open => Ok(()),
        TaskStatus::InProgress => Err(ContractError::TaskAlreadyAccepted { task_id }),
        status => Err(ContractError::TaskFinished { task_id, status }),
    }
}

/// Closes every milestone from the current one on as refunded (model fees recorded by a 0.2.0
/// submission are waived; fees paid at submission stay paid) and books the task's whole
/// escrowed amount as returned to the client. Returns the amount to transfer. At most
/// `MAX_MILESTONES` milestones.
fn refund_remaining(
    storage: &mut dyn Storage,
    now: u64,
    task_id: TaskId,
    task: &mut Task,
    totals: &mut Totals,
) -> Result<Uint128, ContractError> {
    for index in task.current_milestone..task.milestone_count {
        let mut ms = load_milestone(storage, task_id, task, index)?;
        if ms.status.is_closed() {
            continue;
        }
        ms.status = MilestoneStatus::Refunded;
        ms.closed_at = Some(now);
        waive_recorded_fees(&mut ms);
        MILESTONES.save(storage, (task_id, index), &ms)?;
    }
    let amount = task.escrowed;
    task.escrowed = Uint128::zero();
    task.refunded = task.refunded.checked_add(amount)?;
    totals.escrowed = totals.escrowed.checked_sub(amount)?;
    Ok(amount)
}

/// Marks the model fees a 0.2.0 submission recorded (and did not pay) as waived.
fn waive_recorded_fees(ms: &mut Milestone) {
    for inference in ms.inferences.iter_mut() {
        if inference.status == ModelFeeStatus::Recorded {
            inference.status = ModelFeeStatus::Waived;
        }
    }
}

/// Puts a task into its final state, frees the agent's open-task slot and releases what
/// remains of the bond reserved for the task. Every way a task ends goes through here. Returns
/// the bond released.
fn close_task(
    task: &mut Task,
    agent: &mut Agent,
    status: TaskStatus,
    reason: Option<RefundReason>,
    now: u64,
) -> Result<Uint128, ContractError> {
    task.status = status;
    task.refund_reason = reason;
    task.closed_at = Some(now);
    agent.open_tasks = sub_u32(agent.open_tasks, 1)?;
    let released = task.bond_reserved.unwrap_or_default();
    if task.bond_reserved.is_some() {
        task.bond_reserved = Some(Uint128::zero());
    }
    agent.reserved = agent.reserved.checked_sub(released)?;
    Ok(released)
}

// ---------------------------------------------------------------------------------------------
// Instantiate and the cw20 hook
// ---------------------------------------------------------------------------------------------

pub fn instantiate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    let owner = match &msg.owner {
        Some(owner) => validate_addr(deps.api, "owner", owner)?,
        None => info.sender,
    };
    cw_ownable::initialize_owner(deps.storage, deps.api, Some(owner.as_str()))?;
    let config = Config {
        token: validate_addr(deps.api, "token", &msg.token)?,
        model_licensing: validate_addr(deps.api, "model_licensing", &msg.model_licensing)?,
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        min_agent_bond: msg.min_agent_bond,
        protocol_fee_bps: check_fee(msg.protocol_fee_bps)?,
        default_arbiter: validate_addr(deps.api, "default_arbiter", &msg.default_arbiter)?,
        arbitration_window: check_window(
            "arbitration_window",
            msg.arbitration_window,
            1,
            MAX_WINDOW,
        )?,
        unbonding_period: check_window("unbonding_period", msg.unbonding_period, 0, MAX_WINDOW)?,
        slash_bps: check_bps("slash_bps", msg.slash_bps)?,
        task_count: 0,
    };
    check_wiring(&config, &env)?;
    assert_not_reserved(&config, &env, "default_arbiter", &config.default_arbiter)?;
    CONFIG.save(deps.storage, &config)?;
    TOTALS.save(deps.storage, &Totals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("model_licensing", config.model_licensing)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("min_agent_bond", config.min_agent_bond)
        .add_attribute("protocol_fee_bps", config.protocol_fee_bps.to_string())
        .add_attribute("default_arbiter", config.default_arbiter)
        .add_attribute("arbitration_window", config.arbitration_window.to_string())
        .add_attribute("unbonding_period", config.unbonding_period.to_string())
        .add_attribute("slash_bps", config.slash_bps.to_string()))
}

/// The cw20 hook: only the configured token may deliver it; the payer is the cw20 `sender`.
pub fn receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let received =
        openledger_common::hook::receive::<ReceiveMsg>(&config.token, &info.sender, wrapper)?;
    let sender = validate_addr(deps.api, "sender", &received.sender)?;
    match received.msg {
        ReceiveMsg::RegisterAgent {
            name,
            metadata_uri,
            models,
        } => register_agent(
            deps,
            env,
            config,
            sender,
            received.amount,
            name,
            metadata_uri,
            models,
        ),
        ReceiveMsg::TopUpBond {} => top_up_bond(deps, sender, received.amount),
        ReceiveMsg::CreateTask(new) => create_task(deps, env, config, sender, received.amount, new),
    }
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
pub fn register_agent(
    deps: DepsMut,
    env: Env,
    config: Config,
    sender: Addr,
    bond: Uint128,
    name: String,
    metadata_uri: String,
    models: Vec<ModelId>,
) -> Result<Response, ContractError> {
    assert_not_reserved(&config, &env, "agent", &sender)?;
    let existing = AGENTS.may_load(deps.storage, &sender)?;
    if let Some(agent) = &existing {
        if agent.status != AgentStatus::Withdrawn {
            return Err(ContractError::AgentAlreadyRegistered {
                address: sender.into_string(),
            });
        }
    }
    if bond < config.min_agent_bond {
        return Err(ContractError::BondTooLow {
            bond,
            required: config.min_agent_bond,
        });
    }
    validate_text("name", &name, 1, MAX_NAME_LEN)?;
    validate_text("metadata_uri", &metadata_uri, 0, MAX_URI_LEN)?;
    let models = validate_models(&deps.querier, &config.model_licensing, models)?;

    // A returning agent keeps its record of work and its first registration time.
    let (stats, registered_at) = match existing {
        Some(agent) => (agent.stats, agent.registered_at),
        None => (AgentStats::default(), now(&env)),
    };
    let agent = Agent {
        name,
        metadata_uri,
        models,
        bond,
        reserved: Uint128::zero(),
        status: AgentStatus::Active,
        open_tasks: 0,
        stats,
        registered_at,
    };
    AGENTS.save(deps.storage, &sender, &agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.bonds = totals.bonds.checked_add(bond)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "register_agent")
        .add_attribute("agent", sender)
        .add_attribute("bond", bond)
        .add_attribute("models", models_attr(&agent.models)))
}

pub fn top_up_bond(
    deps: DepsMut,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let mut agent = load_agent(deps.storage, &sender)?;
    if agent.status != AgentStatus::Active {
        return Err(ContractError::AgentNotActive {
            address: sender.into_string(),
        });
    }
    agent.bond = agent.bond.checked_add(amount)?;
    AGENTS.save(deps.storage, &sender, &agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.bonds = totals.bonds.checked_add(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "top_up_bond")
        .add_attribute("agent", sender)
        .add_attribute("amount", amount)
        .add_attribute("bond", agent.bond))
}

pub fn update_agent(
    deps: DepsMut,
    info: MessageInfo,
    name: Option<String>,
    metadata_uri: Option<String>,
    models: Option<Vec<ModelId>>,
) -> Result<Response, ContractError> {
    let mut agent = load_agent(deps.storage, &info.sender)?;
    if name.is_none() && metadata_uri.is_none() && models.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut res = Response::new()
        .add_attribute("action", "update_agent")
        .add_attribute("agent", info.sender.as_str());
    if let Some(name) = name {
        validate_text("name", &name, 1, MAX_NAME_LEN)?;
        res = res.add_attribute("name", &name);
        agent.name = name;
    }
    if let Some(metadata_uri) = metadata_uri {
        validate_text("metadata_uri", &metadata_uri, 0, MAX_URI_LEN)?;
        res = res.add_attribute("metadata_uri", &metadata_uri);
        agent.metadata_uri = metadata_uri;
    }
    if let Some(models) = models {
        let config = CONFIG.load(deps.storage)?;
        agent.models = validate_models(&deps.querier, &config.model_licensing, models)?;
        res = res.add_attribute("models", models_attr(&agent.models));
    }
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    Ok(res)
}

/// Step 1 of leaving: an active agent without open tasks starts unbonding.
pub fn unbond(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = load_agent(deps.storage, &info.sender)?;
    if agent.status != AgentStatus::Active {
        return Err(ContractError::AgentNotActive {
            address: info.sender.into_string(),
        });
    }
    if agent.open_tasks > 0 {
        return Err(ContractError::AgentHasOpenTasks {
            open_tasks: agent.open_tasks,
        });
    }
    let release_at = add_secs(now(&env), config.unbonding_period)?;
    agent.status = AgentStatus::Unbonding { release_at };
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    Ok(Response::new()
        .add_attribute("action", "unbond")
        .add_attribute("agent", info.sender)
        .add_attribute("bond", agent.bond)
        .add_attribute("release_at", release_at.to_string()))
}

/// Step 2 of leaving: from `release_at` on (inclusive), the whole bond is paid out.
pub fn withdraw_bond(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = load_agent(deps.storage, &info.sender)?;
    match agent.status {
        AgentStatus::Unbonding { release_at } if now(&env) < release_at => {
            return Err(ContractError::BondLocked { release_at })
        }
        AgentStatus::Unbonding { .. } => {}
        _ => return Err(ContractError::NotUnbonding),
    }
    // Unbonding agents get no task, so this held since `unbond`; checked again all the same.
    if agent.open_tasks > 0 {
        return Err(ContractError::AgentHasOpenTasks {
            open_tasks: agent.open_tasks,
        });
    }
    let amount = agent.bond;
    agent.bond = Uint128::zero();
    agent.status = AgentStatus::Withdrawn;
    AGENTS.save(deps.storage, &info.sender, &agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.bonds = totals.bonds.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    let mut res = Response::new();
    if !amount.is_zero() {
        res = res.add_message(TokenHandle(config.token).transfer(&info.sender, amount)?);
    }
    Ok(res
        .add_attribute("action", "withdraw_bond")
        .add_attribute("agent", info.sender)
        .add_attribute("amount", amount))
}

// ---------------------------------------------------------------------------------------------
// Tasks before acceptance
// ---------------------------------------------------------------------------------------------

/// Creates a task paid by `client` with the `deposit` that came with the hook.
pub fn create_task(
    deps: DepsMut,
    env: Env,
    mut config: Config,
    client: Addr,
    deposit: Uint128,
    new: NewTask,
) -> Result<Response, ContractError> {
    // Parties.
    let agent_addr = validate_addr(deps.api, "agent", &new.agent)?;
    assert_not_reserved(&config, &env, "agent", &agent_addr)?;
    if agent_addr == client {
        return Err(ContractError::ClientIsAgent);
    }
    let mut agent = load_agent(deps.storage, &agent_addr)?;
    if agent.status != AgentStatus::Active {
        return Err(ContractError::AgentNotActive {
            address: agent_addr.into_string(),
        });
    }
    if agent.bond < config.min_agent_bond {
        return Err(ContractError::BondTooLow {
            bond: agent.bond,
            required: config.min_agent_bond,
        });
    }
    let arbiter = match &new.arbiter {
        Some(arbiter) => validate_addr(deps.api, "arbiter", arbiter)?,
        None => config.default_arbiter.clone(),
    };
    assert_not_reserved(&config, &env, "arbiter", &arbiter)?;
    for (role, party) in [("agent", &agent_addr), ("client", &client)] {
        if arbiter == *party {
            return Err(ContractError::ArbiterIsParty {
                role: role.to_string(),
                address: arbiter.into_string(),
            });
        }
    }

    // Specification and milestones.
    let spec_hash = normalize_hash("spec_hash", &new.spec_hash)?;
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

    // Time.
    let accept_window = check_window("accept_window", new.accept_window, 1, MAX_WINDOW)?;
    let review_window = check_window("review_window", new.review_window, 1, MAX_WINDOW)?;
    let created_at = now(&env);
    if new.delivery_deadline <= created_at {
        return Err(ContractError::DeadlineNotInFuture {
            deadline: new.delivery_deadline,
            now: created_at,
        });
    }
    let latest = add_secs(created_at, MAX_TASK_DURATION)?;
    if new.delivery_deadline > latest {
        return Err(ContractError::DeadlineTooFar {
            deadline: new.delivery_deadline,
            latest,
        });
    }
    let accept_deadline = add_secs(created_at, accept_window)?;
    if new.delivery_deadline <= accept_deadline {
        return Err(ContractError::DeadlineWithinAcceptWindow {
            deadline: new.delivery_deadline,
            accept_deadline,
        });
    }

    // Write.
    config.task_count = config
        .task_count
        .checked_add(1)
        .ok_or(OverflowError::new(OverflowOperation::Add))?;
    let task_id = config.task_count;
    CONFIG.save(deps.storage, &config)?;
    let task = Task {
        client: client.clone(),
        agent: agent_addr.clone(),
        arbiter: arbiter.clone(),
        spec_hash,
        spec_uri: new.spec_uri,
        deposit,
        escrowed: deposit,
        status: TaskStatus::Open,
        refund_reason: None,
        milestone_count: count as u32,
        current_milestone: 0,
        protocol_fee_bps: config.protocol_fee_bps,
        arbitration_window: config.arbitration_window,
        slash_bps: config.slash_bps,
        min_agent_bond: Some(config.min_agent_bond),
        bond_reserved: None,
        review_window,
        created_at,
        accept_deadline,
        delivery_deadline: new.delivery_deadline,
        accepted_at: None,
        closed_at: None,
        paid_to_agent: Uint128::zero(),
        model_fees_paid: Uint128::zero(),
        model_fees_refunded: Uint128::zero(),
        protocol_fees: Uint128::zero(),
        refunded: Uint128::zero(),
        slashed: Uint128::zero(),
        max_model_fees: Some(new.max_model_fees),
        min_bond_reserved: new.min_bond_reserved,
    };
    TASKS.save(deps.storage, task_id, &task)?;
    for (index, m) in new.milestones.into_iter().enumerate() {
        MILESTONES.save(
            deps.storage,
            (task_id, index as u32),
            &Milestone {
                amount: m.amount,
                description: m.description,
                status: MilestoneStatus::Pending,
                result_hash: None,
                result_uri: None,
                submitted_at: None,
                review_deadline: None,
                inferences: vec![],
                model_fees: Uint128::zero(),
                models_contract: None,
                dispute_reason: None,
                disputed_at: None,
                arbitration_deadline: None,
                agent_share_bps: None,
                closed_at: None,
            },
        )?;
    }
    agent.open_tasks = add_u32(agent.open_tasks, 1)?;
    AGENTS.save(deps.storage, &agent_addr, &agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.escrowed = totals.escrowed.checked_add(deposit)?;
    TOTALS.save(deps.storage, &totals)?;

    Ok(Response::new()
        .add_attribute("action", "create_task")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("client", client)
        .add_attribute("agent", agent_addr)
        .add_attribute("arbiter", arbiter)
        .add_attribute("deposit", deposit)
        .add_attribute("milestones", count.to_string())
        .add_attribute("accept_deadline", accept_deadline.to_string())
        .add_attribute("delivery_deadline", task.delivery_deadline.to_string())
        .add_attribute("max_model_fees", budget_attr(&task)))
}

/// A task's model-fee budget as an event value (`unbounded` for a task of 0.2.0).
fn budget_attr(task: &Task) -> String {
    task.max_model_fees
        .map_or_else(|| "unbounded".to_string(), |b| b.to_string())
}

/// Tasks in progress that a migration gives a bond reservation at most (the rest, if any, keep
/// the 0.2.0 slash, capped at the free bond).
pub const MAX_MIGRATED_RESERVATIONS: usize = 1_000;

/// Gives every task in progress without a reservation (accepted under 0.2.0) the reservation it
/// would have received at acceptance, `min(deposit, slash_bps × free bond)`, in task order, so
/// that tasks accepted after the upgrade cannot use up the bond those tasks rely on. Returns how
/// many tasks it reserved for.
pub fn reserve_for_unreserved_tasks(storage: &mut dyn Storage) -> Result<u32, ContractError> {
    let in_progress: Vec<(TaskId, Task)> = TASKS
        .idx
        .status
        .prefix(status_key(TaskStatus::InProgress))
        .range(storage, None, None, Order::Ascending)
        .take(MAX_MIGRATED_RESERVATIONS)
        .collect::<StdResult<_>>()?;
    let mut count = 0u32;
    for (task_id, mut task) in in_progress {
        if task.bond_reserved.is_some() {
            continue;
        }
        let mut agent = load_agent(storage, &task.agent)?;
        let reserved = task
            .deposit
            .min(apply_bps(agent.free_bond()?, task.slash_bps)?);
        agent.reserved = agent.reserved.checked_add(reserved)?;
        task.bond_reserved = Some(reserved);
        TASKS.save(storage, task_id, &task)?;
        AGENTS.save(storage, &task.agent, &agent)?;
        count = add_u32(count, 1)?;
    }
    Ok(count)
}

pub fn accept_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let mut task = load_task(deps.storage, task_id)?;
    if info.sender != task.agent {
        return Err(ContractError::NotAgent { task_id });
    }
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
    let mut agent = load_agent(deps.storage, &task.agent)?;
    let required = match task.min_agent_bond {
        Some(required) => required,
        None => CONFIG.load(deps.storage)?.min_agent_bond,
    };
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
    if let Some(floor) = task.min_bond_reserved.filter(|f| reserved < *f) {
        return Err(ContractError::ReservationBelowFloor {
            task_id,
            floor,
            reservable: reserved,
        });
    }
    agent.reserved = agent.reserved.checked_add(reserved)?;
    task.bond_reserved = Some(reserved);
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

pub fn decline_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    if info.sender != task.agent {
        return Err(ContractError::NotAgent { task_id });
    }
    assert_open(task_id, &task)?;
    close_open_task(
        deps,
        env,
        task_id,
        task,
        TaskStatus::Declined,
        "decline_task",
    )
}

pub fn cancel_task(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    if info.sender != task.client {
        return Err(ContractError::NotClient { task_id });
    }
    assert_open(task_id, &task)?;
    close_open_task(
        deps,
        env,
        task_id,
        task,
        TaskStatus::Cancelled,
        "cancel_task",
    )
}

/// Declines or cancels an open task: the whole deposit goes back to the client.
fn close_open_task(
    deps: DepsMut,
    env: Env,
    task_id: TaskId,
    mut task: Task,
    status: TaskStatus,
    action: &str,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let t = now(&env);
    let mut totals = TOTALS.load(deps.storage)?;
    let mut agent = load_agent(deps.storage, &task.agent)?;
    let amount = refund_remaining(deps.storage, t, task_id, &mut task, &mut totals)?;
    // An open task reserved nothing: nothing is released.
    close_task(&mut task, &mut agent, status, None, t)?;
    if status == TaskStatus::Declined {
        inc(&mut agent.stats.declined)?;
    }
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&task.client, amount)?)
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("client", task.client)
        .add_attribute("refunded", amount))
}

// ---------------------------------------------------------------------------------------------
// Delivery and review
// ---------------------------------------------------------------------------------------------

#[allow(clippy::too_many_arguments)]
pub fn submit_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    result_hash: String,
    result_uri: String,
    inferences: Vec<InferencePayment>,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut task = load_task(deps.storage, task_id)?;
    if info.sender != task.agent {
        return Err(ContractError::NotAgent { task_id });
    }
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    if ms.status != MilestoneStatus::Pending {
        return Err(ContractError::MilestoneAlreadySubmitted {
            task_id,
            milestone,
            status: ms.status,
        });
    }
    let t = now(&env);
    if t >= task.delivery_deadline {
        return Err(ContractError::DeliveryDeadlinePassed {
            task_id,
            deadline: task.delivery_deadline,
        });
    }
    let result_hash = normalize_hash("result_hash", &result_hash)?;
    validate_text("result_uri", &result_uri, 0, MAX_URI_LEN)?;
    if inferences.len() > MAX_INFERENCES {
        return Err(ContractError::TooManyInferences {
            count: inferences.len() as u64,
            max: MAX_INFERENCES as u64,
        });
    }

    // Each model is queried once; the fee it quotes now is paid now, in this transaction, so no
    // term can change in between (a paused model or a changed fee after delivery changes
    // nothing: the work that used the model was delivered and its data is paid).
    let agent = load_agent(deps.storage, &task.agent)?;
    let mut quotes: Vec<(ModelId, Uint128)> = Vec::with_capacity(MAX_AGENT_MODELS);
    let mut recorded: Vec<RecordedInference> = Vec::with_capacity(inferences.len());
    let mut model_fees = Uint128::zero();
    for payment in inferences {
        let model_id = payment.model_id;
        if payment.inference_id.is_empty() || payment.inference_id.len() > MAX_INFERENCE_ID_LEN {
            return Err(ContractError::InvalidInferenceId {
                inference_id: payment.inference_id,
                max: MAX_INFERENCE_ID_LEN as u64,
            });
        }
        if recorded.iter().any(|r| {
            r.payment.model_id == model_id && r.payment.inference_id == payment.inference_id
        }) {
            return Err(ContractError::DuplicateInference {
                model_id,
                inference_id: payment.inference_id,
            });
        }
        if !agent.models.contains(&model_id) {
            return Err(ContractError::ModelNotDeclared { model_id });
        }
        let fee = match quotes.iter().find(|(id, _)| *id == model_id) {
            Some((_, fee)) => *fee,
            None => {
                let model = query_model(&deps.querier, &config.model_licensing, model_id)?;
                if model.status != ModelStatus::Active {
                    return Err(ContractError::ModelNotActive {
                        model_id,
                        status: model.status,
                    });
                }
                if model.inference_fee.is_zero() {
                    return Err(ContractError::ZeroModelFee { model_id });
                }
                quotes.push((model_id, model.inference_fee));
                model.inference_fee
            }
        };
        model_fees = model_fees.checked_add(fee)?;
        recorded.push(RecordedInference {
            payment,
            fee,
            status: ModelFeeStatus::Paid,
            error: None,
        });
    }
    let protocol_fee = apply_bps_ceil(ms.amount, task.protocol_fee_bps)?;
    let available = ms.amount.checked_sub(protocol_fee)?;
    if model_fees > available {
        return Err(ContractError::ModelFeesExceedMilestone {
            model_fees,
            available,
        });
    }
    // The client bounded what the work may spend on models: fees are paid at delivery, before
    // any ruling, so neither a repriced model nor many inferences can take more of the deposit.
    if let Some(budget) = task.max_model_fees {
        let spent = task.model_fees_paid;
        if spent.checked_add(model_fees)? > budget {
            return Err(ContractError::ModelFeeBudgetExceeded {
                task_id,
                budget,
                spent,
                requested: model_fees,
            });
        }
    }

    // The fees, paid out of the milestone: a plain submessage each (no reply), so a fee that
    // model licensing refuses (model paused, fee changed, id already paid, bad receipt) fails
    // the whole submission with its error and the agent fixes the submission.
    let mut fee_msgs: Vec<SubMsg> = Vec::with_capacity(recorded.len());
    for inference in &recorded {
        fee_msgs.push(SubMsg::new(send_msg(
            &config.token,
            &config.model_licensing,
            inference.fee,
            &ml::ReceiveMsg::PayInference(inference.payment.clone()),
        )?));
    }

    let review_deadline = add_secs(t, task.review_window)?;
    let count = recorded.len();
    ms.status = MilestoneStatus::Submitted;
    ms.result_hash = Some(result_hash.clone());
    ms.result_uri = Some(result_uri);
    ms.submitted_at = Some(t);
    ms.review_deadline = Some(review_deadline);
    ms.models_contract = (!recorded.is_empty()).then(|| config.model_licensing.clone());
    ms.inferences = recorded;
    ms.model_fees = model_fees;
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    task.escrowed = task.escrowed.checked_sub(model_fees)?;
    task.model_fees_paid = task.model_fees_paid.checked_add(model_fees)?;
    TASKS.save(deps.storage, task_id, &task)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.escrowed = totals.escrowed.checked_sub(model_fees)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_submessages(fee_msgs)
        .add_attribute("action", "submit_milestone")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("result_hash", result_hash)
        .add_attribute("inferences", count.to_string())
        .add_attribute("model_fees", model_fees)
        .add_attribute("review_deadline", review_deadline.to_string()))
}

pub fn approve_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    if info.sender != task.client {
        return Err(ContractError::NotClient { task_id });
    }
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    match ms.status {
        // A client may also approve a milestone it disputed: it concedes fully.
        MilestoneStatus::Submitted | MilestoneStatus::Disputed => {}
        _ => return Err(ContractError::MilestoneNotSubmitted { task_id, milestone }),
    }
    settle_milestone(
        deps,
        now(&env),
        task_id,
        milestone,
        task,
        ms,
        Outcome::Approved,
    )
}

pub fn dispute_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    reason: String,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    if info.sender != task.client {
        return Err(ContractError::NotClient { task_id });
    }
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    match ms.status {
        MilestoneStatus::Submitted => {}
        MilestoneStatus::Disputed => {
            return Err(ContractError::MilestoneDisputed { task_id, milestone })
        }
        _ => return Err(ContractError::MilestoneNotSubmitted { task_id, milestone }),
    }
    let t = now(&env);
    let review_deadline = ms.review_deadline.unwrap_or_default();
    if t >= review_deadline {
        return Err(ContractError::ReviewWindowClosed {
            task_id,
            milestone,
            review_deadline,
        });
    }
    validate_text("reason", &reason, 1, MAX_REASON_LEN)?;
    let arbitration_deadline = add_secs(t, task.arbitration_window)?;
    ms.status = MilestoneStatus::Disputed;
    ms.dispute_reason = Some(reason);
    ms.disputed_at = Some(t);
    ms.arbitration_deadline = Some(arbitration_deadline);
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    let mut agent = load_agent(deps.storage, &task.agent)?;
    inc(&mut agent.stats.disputed)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    Ok(Response::new()
        .add_attribute("action", "dispute_milestone")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("arbiter", task.arbiter)
        .add_attribute("arbitration_deadline", arbitration_deadline.to_string()))
}

pub fn resolve(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    milestone: u32,
    agent_share_bps: Bps,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    if info.sender != task.arbiter {
        return Err(ContractError::NotArbiter { task_id });
    }
    check_bps("agent_share_bps", agent_share_bps)?;
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    if ms.status != MilestoneStatus::Disputed {
        return Err(ContractError::MilestoneNotDisputed {
            task_id,
            milestone,
            status: ms.status,
        });
    }
    let t = now(&env);
    let arbitration_deadline = ms.arbitration_deadline.unwrap_or_default();
    if t >= arbitration_deadline {
        return Err(ContractError::ArbitrationWindowClosed {
            task_id,
            milestone,
            arbitration_deadline,
        });
    }
    settle_milestone(
        deps,
        t,
        task_id,
        milestone,
        task,
        ms,
        Outcome::Resolved(agent_share_bps),
    )
}

pub fn finalize(
    deps: DepsMut,
    env: Env,
    task_id: TaskId,
    milestone: u32,
) -> Result<Response, ContractError> {
    let task = load_task(deps.storage, task_id)?;
    let ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    match ms.status {
        MilestoneStatus::Submitted => {}
        MilestoneStatus::Disputed => {
            return Err(ContractError::MilestoneDisputed { task_id, milestone })
        }
        _ => return Err(ContractError::MilestoneNotSubmitted { task_id, milestone }),
    }
    let t = now(&env);
    // Always set on a submitted milestone; were it missing, the window would never close.
    let review_deadline = ms.review_deadline.unwrap_or(u64::MAX);
    if t < review_deadline {
        return Err(ContractError::ReviewWindowOpen {
            task_id,
            milestone,
            review_deadline,
        });
    }
    settle_milestone(deps, t, task_id, milestone, task, ms, Outcome::Finalized)
}

// ---------------------------------------------------------------------------------------------
// Settlement
// ---------------------------------------------------------------------------------------------

/// How a milestone is settled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Approved by the client: the whole amount is settled for the agent.
    Approved,
    /// Finalized after the review window: the whole amount is settled for the agent.
    Finalized,
    /// Ruled by the arbiter: this share (bps) is settled for the agent, the rest is returned.
    Resolved(Bps),
}

/// What settling an amount for the agent pays.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settlement {
    /// The model fees the settled amount covers (paid at submission, or now for a milestone
    /// submitted under 0.2.0).
    pub model_fees: Uint128,
    /// The protocol fee: `protocol_fee_bps` of the settled amount, rounded up.
    pub protocol_fee: Uint128,
    /// The rest, for the agent.
    pub agent: Uint128,
}

/// Splits `base` (the amount settled for the agent) into model fees, protocol fee (rounded up,
/// in the protocol's favour) and agent. `base` must cover the model fees and its protocol fee
/// (`AgentShareBelowCosts`), except for a `full` settlement (approval, finalization), whose
/// protocol fee is capped by what the model fees leave so that it can always be paid: the
/// cap binds only on a milestone submitted under 0.2.0, checked then against a fee rounded
/// down.
pub fn settlement(
    protocol_fee_bps: Bps,
    model_fees: Uint128,
    base: Uint128,
    full: bool,
) -> Result<Settlement, ContractError> {
    let mut protocol_fee = apply_bps_ceil(base, protocol_fee_bps)?;
    if full {
        protocol_fee = protocol_fee.min(base.saturating_sub(model_fees));
    }
    let agent = base
        .checked_sub(model_fees)
        .and_then(|rest| rest.checked_sub(protocol_fee))
        .map_err(|_| ContractError::AgentShareBelowCosts {
            agent_share: base,
            model_fees,
            protocol_fee,
        })?;
    Ok(Settlement {
        model_fees,
        protocol_fee,
        agent,
    })
}

/// Settles a live milestone: computes the payments, closes the milestone, advances (and maybe
/// completes) the task, updates the agent and the totals, saves everything, and only then
/// returns the payments, in order: the protocol fee (to the reward pool's treasury), the
/// agent's remainder, and for a ruling the client's part (plus the slash of a ruling of 0).
///
/// The model fees were paid at submission: a milestone `A` with fees `F` holds `A − F`.
/// Approval and finalization settle `A`: protocol fee `P(A)`, agent `A − F − P(A)`. A ruling
/// of `s` bps settles `B = A × s` (rounded down; the odd unit stays with the client): if
/// `s > 0`, `B` must cover `F + P(B)` and the agent gets `B − F − P(B)`, the client `A − B`;
/// `s = 0` returns `A − F` to the client with the bond reserved for the task.
///
/// A milestone submitted under 0.2.0 (fees recorded, not paid) settles as then: its fees are
/// sent first, each replied to on error (a refused fee goes back to the client), and are
/// waived when nothing is settled for the agent.
fn settle_milestone(
    deps: DepsMut,
    t: u64,
    task_id: TaskId,
    index: u32,
    mut task: Task,
    mut ms: Milestone,
    outcome: Outcome,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut agent = load_agent(deps.storage, &task.agent)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let amount = ms.amount;
    let fees_due = ms.fees_due_at_settlement();
    // What the escrow still holds for this milestone; all of it leaves now.
    let held = ms.held()?;

    let (status, base, action) = match outcome {
        Outcome::Approved => (MilestoneStatus::Approved, amount, "approve_milestone"),
        Outcome::Finalized => (MilestoneStatus::Finalized, amount, "finalize"),
        Outcome::Resolved(share) => (
            MilestoneStatus::Resolved,
            apply_bps(amount, share)?,
            "resolve",
        ),
    };
    let full = matches!(outcome, Outcome::Approved | Outcome::Finalized);
    let nothing_for_agent = match outcome {
        Outcome::Resolved(0) => true,
        // 0.2.0 rule for its own submissions: a split that rounds to 0 waives the fees too.
        Outcome::Resolved(_) => fees_due && base.is_zero(),
        _ => false,
    };

    // A ruling of 0 slashes the bond reserved for this task (all that remains of it); a task
    // accepted under 0.2.0 reserved nothing and is slashed as then, but never beyond the bond
    // no other task relies on.
    let slash = match outcome {
        Outcome::Resolved(0) => match task.bond_reserved {
            Some(reserved) => reserved,
            None => apply_bps(agent.bond, task.slash_bps)?.min(agent.free_bond()?),
        },
        _ => Uint128::zero(),
    };

    let mut msgs: Vec<SubMsg> = Vec::with_capacity(MAX_INFERENCES + 3);
    // The model fees this transaction pays (0.2.0 submissions only).
    let mut fees_sent = Uint128::zero();
    let paid = if nothing_for_agent {
        waive_recorded_fees(&mut ms);
        Settlement::default()
    } else {
        let paid = settlement(task.protocol_fee_bps, ms.model_fees, base, full)?;
        if let (true, Some(models)) = (fees_due, &ms.models_contract) {
            for (item, inference) in ms.inferences.iter_mut().enumerate() {
                inference.status = ModelFeeStatus::Paid;
                let payload = ModelFeePayload {
                    task_id,
                    milestone: index,
                    item: item as u32,
                    amount: inference.fee,
                };
                let send = send_msg(
                    &config.token,
                    models,
                    inference.fee,
                    &ml::ReceiveMsg::PayInference(inference.payment.clone()),
                )?;
                msgs.push(
                    SubMsg::reply_on_error(send, REPLY_MODEL_FEE)
                        .with_payload(to_json_binary(&payload)?),
                );
                fees_sent = fees_sent.checked_add(inference.fee)?;
            }
        }
        if !paid.protocol_fee.is_zero() {
            msgs.push(SubMsg::new(
                RewardPoolHandle(config.reward_pool.clone()).distribute(
                    &config.token,
                    paid.protocol_fee,
                    vec![Allocation::Treasury {
                        amount: paid.protocol_fee,
                    }],
                )?,
            ));
        }
        if !paid.agent.is_zero() {
            msgs.push(SubMsg::new(
                TokenHandle(config.token.clone()).transfer(&task.agent, paid.agent)?,
            ));
        }
        paid
    };
    // Whatever of the held amount is not paid out above goes back to the client: nothing on
    // an approval, `A − B` on a split, `A − F` on a ruling of 0 (`A` for a 0.2.0 submission).
    let client_part = held
        .checked_sub(fees_sent)?
        .checked_sub(paid.protocol_fee)?
        .checked_sub(paid.agent)?;
    let to_client = client_part.checked_add(slash)?;
    if !to_client.is_zero() {
        msgs.push(SubMsg::new(
            TokenHandle(config.token.clone()).transfer(&task.client, to_client)?,
        ));
    }

    // The milestone.
    ms.status = status;
    ms.closed_at = Some(t);
    if let Outcome::Resolved(share) = outcome {
        ms.agent_share_bps = Some(share);
    }
    MILESTONES.save(deps.storage, (task_id, index), &ms)?;

    // The task, the agent and the totals.
    task.escrowed = task.escrowed.checked_sub(held)?;
    task.model_fees_paid = task.model_fees_paid.checked_add(fees_sent)?;
    task.protocol_fees = task.protocol_fees.checked_add(paid.protocol_fee)?;
    task.paid_to_agent = task.paid_to_agent.checked_add(paid.agent)?;
    task.refunded = task.refunded.checked_add(client_part)?;
    task.slashed = task.slashed.checked_add(slash)?;
    if let Some(reserved) = task.bond_reserved {
        task.bond_reserved = Some(reserved.checked_sub(slash)?);
        agent.reserved = agent.reserved.checked_sub(slash)?;
    }
    totals.escrowed = totals.escrowed.checked_sub(held)?;
    totals.bonds = totals.bonds.checked_sub(slash)?;
    agent.bond = agent.bond.checked_sub(slash)?;
    agent.stats.earned = agent.stats.earned.checked_add(paid.agent)?;
    agent.stats.slashed = agent.stats.slashed.checked_add(slash)?;
    match outcome {
        Outcome::Approved | Outcome::Finalized => inc(&mut agent.stats.milestones_settled)?,
        Outcome::Resolved(0) => inc(&mut agent.stats.lost)?,
        Outcome::Resolved(BPS_DENOMINATOR) => inc(&mut agent.stats.won)?,
        Outcome::Resolved(_) => inc(&mut agent.stats.split)?,
    }
    task.current_milestone = add_u32(task.current_milestone, 1)?;
    let mut released = None;
    if task.current_milestone == task.milestone_count {
        released = Some(close_task(
            &mut task,
            &mut agent,
            TaskStatus::Completed,
            None,
            t,
        )?);
        inc(&mut agent.stats.completed)?;
    }
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;

    let mut res = Response::new()
        .add_submessages(msgs)
        .add_attribute("action", action)
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", index.to_string())
        .add_attribute("amount", amount)
        .add_attribute("model_fees", fees_sent)
        .add_attribute("protocol_fee", paid.protocol_fee)
        .add_attribute("agent_payout", paid.agent);
    if let Outcome::Resolved(share) = outcome {
        res = res
            .add_attribute("agent_share_bps", share.to_string())
            .add_attribute("client_refund", client_part)
            .add_attribute("slashed", slash);
    }
    if let Some(released) = released {
        res = res.add_attribute("bond_released", released);
    }
    Ok(res.add_attribute("task_status", task_status_name(&task.status)))
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

/// Refunds every unsettled amount of a task whose time ran out, always to the client.
pub fn refund(deps: DepsMut, env: Env, task_id: TaskId) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut task = load_task(deps.storage, task_id)?;
    let t = now(&env);
    let reason = match task.status {
        TaskStatus::Open => {
            if t < task.accept_deadline {
                return Err(ContractError::AcceptWindowOpen {
                    task_id,
                    accept_deadline: task.accept_deadline,
                });
            }
            RefundReason::AcceptWindowExpired
        }
        TaskStatus::InProgress => {
            let index = task.current_milestone;
            let ms = load_milestone(deps.storage, task_id, &task, index)?;
            match ms.status {
                MilestoneStatus::Pending => {
                    if t < task.delivery_deadline {
                        return Err(ContractError::DeadlineNotReached {
                            task_id,
                            deadline: task.delivery_deadline,
                        });
                    }
                    RefundReason::DeliveryDeadlineMissed
                }
                MilestoneStatus::Submitted => {
                    return Err(ContractError::MilestoneUnderReview {
                        task_id,
                        milestone: index,
                        review_deadline: ms.review_deadline.unwrap_or_default(),
                    })
                }
                MilestoneStatus::Disputed => {
                    let arbitration_deadline = ms.arbitration_deadline.unwrap_or_default();
                    if t < arbitration_deadline {
                        return Err(ContractError::ArbitrationWindowOpen {
                            task_id,
                            milestone: index,
                            arbitration_deadline,
                        });
                    }
                    RefundReason::ArbiterSilent
                }
                status => {
                    return Err(ContractError::MilestoneAlreadySettled {
                        task_id,
                        milestone: index,
                        status,
                    })
                }
            }
        }
        status => return Err(ContractError::TaskFinished { task_id, status }),
    };

    let mut totals = TOTALS.load(deps.storage)?;
    let mut agent = load_agent(deps.storage, &task.agent)?;
    let amount = refund_remaining(deps.storage, t, task_id, &mut task, &mut totals)?;
    let released = close_task(&mut task, &mut agent, TaskStatus::Refunded, Some(reason), t)?;
    if reason != RefundReason::ArbiterSilent {
        inc(&mut agent.stats.missed)?;
    }
    TASKS.save(deps.storage, task_id, &task)?;
    AGENTS.save(deps.storage, &task.agent, &agent)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&task.client, amount)?)
        .add_attribute("action", "refund")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("reason", refund_reason_name(reason))
        .add_attribute("client", task.client)
        .add_attribute("refunded", amount)
        .add_attribute("bond_released", released))
}

/// The wire name of a refund reason.
pub fn refund_reason_name(reason: RefundReason) -> &'static str {
    match reason {
        RefundReason::AcceptWindowExpired => "accept_window_expired",
        RefundReason::DeliveryDeadlineMissed => "delivery_deadline_missed",
        RefundReason::ArbiterSilent => "arbiter_silent",
    }
}

// ---------------------------------------------------------------------------------------------
// Administration
// ---------------------------------------------------------------------------------------------

/// The optional fields of `update_config`.
pub struct ConfigUpdate {
    pub model_licensing: Option<String>,
    pub reward_pool: Option<String>,
    pub min_agent_bond: Option<Uint128>,
    pub protocol_fee_bps: Option<Bps>,
    pub default_arbiter: Option<String>,
    pub arbitration_window: Option<u64>,
    pub unbonding_period: Option<u64>,
    pub slash_bps: Option<Bps>,
}

pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    update: ConfigUpdate,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    let mut config = CONFIG.load(deps.storage)?;
    let mut res = Response::new().add_attribute("action", "update_config");
    let mut changed = false;
    if let Some(addr) = update.model_licensing {
        config.model_licensing = validate_addr(deps.api, "model_licensing", &addr)?;
        res = res.add_attribute("model_licensing", config.model_licensing.as_str());
        changed = true;
    }
    if let Some(addr) = update.reward_pool {
        config.reward_pool = validate_addr(deps.api, "reward_pool", &addr)?;
        res = res.add_attribute("reward_pool", config.reward_pool.as_str());
        changed = true;
    }
    if let Some(bond) = update.min_agent_bond {
        config.min_agent_bond = bond;
        res = res.add_attribute("min_agent_bond", bond);
        changed = true;
    }
    if let Some(bps) = update.protocol_fee_bps {
        config.protocol_fee_bps = check_fee(bps)?;
        res = res.add_attribute("protocol_fee_bps", bps.to_string());
        changed = true;
    }
    if let Some(addr) = update.default_arbiter {
        config.default_arbiter = validate_addr(deps.api, "default_arbiter", &addr)?;
        res = res.add_attribute("default_arbiter", config.default_arbiter.as_str());
        changed = true;
    }
    if let Some(window) = update.arbitration_window {
        config.arbitration_window = check_window("arbitration_window", window, 1, MAX_WINDOW)?;
        res = res.add_attribute("arbitration_window", window.to_string());
        changed = true;
    }
    if let Some(period) = update.unbonding_period {
        config.unbonding_period = check_window("unbonding_period", period, 0, MAX_WINDOW)?;
        res = res.add_attribute("unbonding_period", period.to_string());
        changed = true;
    }
    if let Some(bps) = update.slash_bps {
        config.slash_bps = check_bps("slash_bps", bps)?;
        res = res.add_attribute("slash_bps", bps.to_string());
        changed = true;
    }
    if !changed {
        return Err(ContractError::NothingToUpdate);
    }
    check_wiring(&config, &env)?;
    // The default arbiter may not become (or stay, after a contract moved) a protocol contract.
    assert_not_reserved(&config, &env, "default_arbiter", &config.default_arbiter)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(res)
}

pub fn update_ownership(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    action: cw_ownable::Action,
) -> Result<Response, ContractError> {
    let ownership = cw_ownable::update_ownership(deps, &env.block, &info.sender, action)?;
    Ok(Response::new()
        .add_attribute("action", "update_ownership")
        .add_attributes(ownership.into_attributes()))
}
