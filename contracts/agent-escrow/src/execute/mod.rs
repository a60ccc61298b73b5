//! Execute handlers, one file per group of operations.
//!
//! Every handler checks everything first, then writes its state, and only then returns the
//! messages that move tokens (state is written before funds move): a callback into the escrow
//! during a payment finds the milestone or task already closed.

pub mod admin;
pub mod agents;
pub mod capabilities;
pub mod delegation;
pub mod delivery;
pub mod evaluation;
pub mod evaluators;
pub mod feedback;
pub mod lifecycle;
pub mod oversight;
pub mod refunds;
pub mod review;
pub mod settlement;
pub mod tasks;

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, QuerierWrapper, Response, Storage};
use cw20::Cw20ReceiveMsg;
use openledger_common::handles::ModelLicensingHandle;
use openledger_common::hook::{receive_paid, Paid};
use openledger_common::msg::agent_escrow::{ReceiveMsg, TaskId, TaskStatus};
use openledger_common::msg::model_licensing::{ModelId, ModelResponse};

use crate::error::ContractError;
use crate::state::{Milestone, Task, CONFIG};

/// Block time in whole seconds.
pub fn now(env: &Env) -> u64 {
    env.block.time.seconds()
}

/// The cw20 hook: only the configured token may deliver it; the payer is the cw20 `sender`.
pub fn receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let paid: Paid<ReceiveMsg> =
        receive_paid::<_, ContractError>(deps.api, &config.token, &info.sender, wrapper)?;
    let (sender, amount) = (paid.payer, paid.amount);
    match paid.msg {
        ReceiveMsg::RegisterAgent {
            name,
            metadata_uri,
            models,
            capabilities,
        } => agents::register_agent(
            deps,
            env,
            config,
            sender,
            amount,
            agents::Profile {
                name,
                metadata_uri,
                models,
                capabilities: capabilities.unwrap_or_default(),
            },
        ),
        ReceiveMsg::TopUpBond {} => agents::top_up_bond(deps, sender, amount),
        ReceiveMsg::RegisterEvaluator {
            name,
            metadata_uri,
            capabilities,
            fee,
        } => evaluators::register_evaluator(
            deps,
            env,
            config,
            (sender, amount),
            evaluators::EvaluatorProfile {
                name,
                metadata_uri,
                capabilities,
                fee,
            },
        ),
        ReceiveMsg::TopUpEvaluatorBond {} => {
            evaluators::top_up_evaluator_bond(deps, sender, amount)
        }
        ReceiveMsg::CreateTask(new) => tasks::create_task(deps, env, config, sender, amount, new),
    }
}

/// Queries a model; any failure (no such model, or no model licensing at that address) is
/// reported as an unknown model.
pub fn query_model(
    querier: &QuerierWrapper,
    contract: &Addr,
    model_id: ModelId,
) -> Result<ModelResponse, ContractError> {
    ModelLicensingHandle(contract.clone())
        .model(querier, model_id)
        .map_err(|_| ContractError::UnknownModel { model_id })
}

/// The caller a task action needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Party {
    /// The agent of the task.
    Agent,
    /// The client of the task.
    Client,
    /// The arbiter of the task.
    Arbiter,
}

/// Loads task `task_id` and checks that `sender` is its `party`.
pub fn task_of(
    storage: &dyn Storage,
    task_id: TaskId,
    sender: &Addr,
    party: Party,
) -> Result<Task, ContractError> {
    let task = Task::load(storage, task_id)?;
    let (expected, error) = match party {
        Party::Agent => (&task.agent, ContractError::NotAgent { task_id }),
        Party::Client => (&task.client, ContractError::NotClient { task_id }),
        Party::Arbiter => (&task.arbiter, ContractError::NotArbiter { task_id }),
    };
    if sender != expected {
        return Err(error);
    }
    Ok(task)
}

/// Loads the milestone a delivery or review action names and checks that it is live: not
/// settled or refunded, of a task in progress, and the current one.
pub fn live_milestone(
    storage: &dyn Storage,
    task_id: TaskId,
    task: &Task,
    index: u32,
) -> Result<Milestone, ContractError> {
    let ms = Milestone::load(storage, task_id, task, index)?;
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
