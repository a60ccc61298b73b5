//! Delivery: the agent submits the current milestone's result with the inferences the work
//! used; their model fees are quoted by model licensing and paid to it in the same
//! transaction, out of the milestone.

use cosmwasm_std::{DepsMut, Env, MessageInfo, QuerierWrapper, Response, SubMsg, Uint128};
use openledger_common::bps::apply_bps_ceil;
use openledger_common::handles::ModelLicensingHandle;
use openledger_common::msg::agent_escrow::{
    MilestoneStatus, ModelFeeStatus, RecordedInference, TaskId, MAX_AGENT_MODELS, MAX_INFERENCES,
    MAX_URI_LEN,
};
use openledger_common::msg::model_licensing::{
    InferencePayment, ModelId, ModelStatus, MAX_INFERENCE_ID_LEN,
};
use openledger_common::{normalize_hash, validate_text, Checked};

use super::{live_milestone, now, query_model, task_of, Party};
use crate::error::ContractError;
use crate::state::{Agent, Config, Milestone, Task, CONFIG, MILESTONES, TASKS, TOTALS};

/// What a submission delivers.
pub struct Delivery {
    /// SHA-256 of the result, hex.
    pub result_hash: String,
    /// Result URI.
    pub result_uri: String,
    /// The inferences the work used, whose model fees are paid now.
    pub inferences: Vec<InferencePayment>,
    /// SHA-256 of the input the work consumed, hex.
    pub input_hash: Option<String>,
}

/// Checks that the model's current terms take a payment and returns its fee.
fn quote(
    querier: &QuerierWrapper,
    config: &Config,
    model_id: ModelId,
) -> Result<Uint128, ContractError> {
    let model = query_model(querier, &config.model_licensing, model_id)?;
    if model.status != ModelStatus::Active {
        return Err(ContractError::ModelNotActive {
            model_id,
            status: model.status,
        });
    }
    if model.inference_fee.is_zero() {
        return Err(ContractError::ZeroModelFee { model_id });
    }
    Ok(model.inference_fee)
}

/// Checks each inference (a valid id, listed once, of a model the agent declared) and prices
/// it. Each model is queried once; the fee it quotes now is paid now, in this transaction, so
/// no term can change in between (a paused model or a changed fee after delivery changes
/// nothing: the work that used the model was delivered and its data is paid). Returns the
/// inferences with their fees, and the fees' sum.
fn price_inferences(
    querier: &QuerierWrapper,
    config: &Config,
    agent: &Agent,
    inferences: Vec<InferencePayment>,
) -> Result<(Vec<RecordedInference>, Uint128), ContractError> {
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
                let fee = quote(querier, config, model_id)?;
                quotes.push((model_id, fee));
                fee
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
    Ok((recorded, model_fees))
}

/// What a milestone can still spend on model fees and sub-tasks: its amount less its protocol
/// fee, the evaluator's and arbiter's fees, and what it already spent.
pub fn spendable(task: &Task, ms: &Milestone) -> Result<Uint128, ContractError> {
    let fixed = apply_bps_ceil(ms.amount, task.protocol_fee_bps)?
        .checked_add(task.evaluation_fee())?
        .checked_add(task.arbitration_fee())?
        .checked_add(ms.spent()?)?;
    Ok(ms.amount.saturating_sub(fixed))
}

/// Checks that the model fees fit in the milestone after its protocol fee, the overseers'
/// fees and its sub-tasks, and in what the client allowed the whole task to spend on models:
/// fees are paid at delivery, before any ruling, so neither a repriced model nor many
/// inferences can take more of the deposit.
fn check_fees_fit(
    task_id: TaskId,
    task: &Task,
    ms: &Milestone,
    model_fees: Uint128,
) -> Result<(), ContractError> {
    let available = spendable(task, ms)?;
    if model_fees > available {
        return Err(ContractError::ModelFeesExceedMilestone {
            model_fees,
            available,
        });
    }
    if let Some(budget) = task.ext.max_model_fees {
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
    Ok(())
}

/// The agent delivers milestone `milestone` of task `task_id` before the delivery deadline.
pub fn submit_milestone(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    (task_id, milestone): (TaskId, u32),
    delivery: Delivery,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut task = task_of(deps.storage, task_id, &info.sender, Party::Agent)?;
    let mut ms = live_milestone(deps.storage, task_id, &task, milestone)?;
    if ms.status != MilestoneStatus::Pending {
        return Err(ContractError::MilestoneAlreadySubmitted {
            task_id,
            milestone,
            status: ms.status,
        });
    }
    if ms.open_subtasks > 0 {
        return Err(ContractError::SubtasksOpen {
            task_id,
            milestone,
            open: ms.open_subtasks,
        });
    }
    let t = now(&env);
    if t >= task.delivery_deadline {
        return Err(ContractError::DeliveryDeadlinePassed {
            task_id,
            deadline: task.delivery_deadline,
        });
    }
    let result_hash = normalize_hash("result_hash", &delivery.result_hash)?;
    let input_hash = delivery
        .input_hash
        .as_deref()
        .map(|h| normalize_hash("input_hash", h))
        .transpose()?;
    validate_text("result_uri", &delivery.result_uri, 0, MAX_URI_LEN)?;
    if delivery.inferences.len() > MAX_INFERENCES {
        return Err(ContractError::TooManyInferences {
            count: delivery.inferences.len() as u64,
            max: MAX_INFERENCES as u64,
        });
    }
    let agent = Agent::load(deps.storage, &task.agent)?;
    let (recorded, model_fees) =
        price_inferences(&deps.querier, &config, &agent, delivery.inferences)?;
    check_fees_fit(task_id, &task, &ms, model_fees)?;

    // The fees, paid out of the milestone: a plain submessage each (no reply), so a fee that
    // model licensing refuses (model paused, fee changed, id already paid, bad receipt) fails
    // the whole submission with its error and the agent fixes the submission.
    let models = ModelLicensingHandle(config.model_licensing.clone());
    let fee_msgs = recorded
        .iter()
        .map(|i| {
            let pay = models.pay_inference(&config.token, i.fee, i.payment.clone())?;
            Ok(SubMsg::new(pay))
        })
        .collect::<Result<Vec<_>, ContractError>>()?;

    // With an evaluator, the evaluator judges first; the client's review window opens only
    // for an appeal of a rejection.
    let (review_deadline, evaluation_deadline) = match task.evaluator_on_duty() {
        Some(evaluation) => (None, Some(t.add_checked(evaluation.window)?)),
        None => (Some(t.add_checked(task.review_window)?), None),
    };
    let count = recorded.len();
    ms.status = MilestoneStatus::Submitted;
    ms.input_hash = input_hash;
    ms.evaluation_deadline = evaluation_deadline;
    ms.result_hash = Some(result_hash.clone());
    ms.result_uri = Some(delivery.result_uri);
    ms.submitted_at = Some(t);
    ms.review_deadline = review_deadline;
    ms.models_contract = (!recorded.is_empty()).then(|| config.model_licensing.clone());
    ms.inferences = recorded;
    ms.model_fees = model_fees;
    MILESTONES.save(deps.storage, (task_id, milestone), &ms)?;
    task.escrowed = task.escrowed.checked_sub(model_fees)?;
    task.model_fees_paid = task.model_fees_paid.checked_add(model_fees)?;
    TASKS.save(deps.storage, task_id, &task)?;
    TOTALS.update(deps.storage, |mut totals| -> Result<_, ContractError> {
        totals.escrowed = totals.escrowed.checked_sub(model_fees)?;
        Ok(totals)
    })?;
    Ok(Response::new()
        .add_submessages(fee_msgs)
        .add_attribute("action", "submit_milestone")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("milestone", milestone.to_string())
        .add_attribute("result_hash", result_hash)
        .add_attribute("inferences", count.to_string())
        .add_attribute("model_fees", model_fees)
        .add_attributes(review_deadline.map(|d| ("review_deadline", d.to_string())))
        .add_attributes(evaluation_deadline.map(|d| ("evaluation_deadline", d.to_string()))))
}
