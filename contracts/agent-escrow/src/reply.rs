//! Replies. Only the model-fee payments of milestones submitted under 0.2.0 (paid at
//! settlement) are sent with a reply, and only on error: a fee that model licensing refuses
//! (paused or retired model, replayed inference id, bad receipt, changed fee...) is returned to
//! the client and recorded on the task; the milestone stays settled. Fees of later submissions
//! are paid at submission without a reply: a refusal fails the submission.

use cosmwasm_std::{from_json, DepsMut, Env, Reply, Response, SubMsgResult};
use openledger_common::handles::TokenHandle;
use openledger_common::msg::agent_escrow::ModelFeeStatus;

use crate::error::ContractError;
use crate::state::{ModelFeePayload, CONFIG, MILESTONES, TASKS};

/// Longest refusal reason kept on a milestone, in bytes.
pub const MAX_ERROR_LEN: usize = 256;

/// The first `MAX_ERROR_LEN` bytes of `error`, cut on a character boundary. (A chain reports a
/// submessage's error in a short, redacted form such as `codespace: wasm, code: 5`.)
pub fn error_head(mut error: String) -> String {
    if error.len() > MAX_ERROR_LEN {
        let end = (0..=MAX_ERROR_LEN)
            .rev()
            .find(|&end| error.is_char_boundary(end))
            .unwrap_or(0);
        error.truncate(end);
    }
    error
}

/// A model-fee `send` failed (its effects are reverted, so the fee is still here): mark the
/// recorded fee refunded and transfer it to the client.
pub fn model_fee_failed(deps: DepsMut, _env: Env, msg: Reply) -> Result<Response, ContractError> {
    let error = match msg.result {
        SubMsgResult::Err(error) => error,
        SubMsgResult::Ok(_) => return Err(ContractError::UnexpectedReply { id: msg.id }),
    };
    let p: ModelFeePayload = from_json(&msg.payload)?;
    let mismatch = || ContractError::ReplyMismatch {
        task_id: p.task_id,
        milestone: p.milestone,
        item: p.item,
    };
    let mut task = TASKS
        .may_load(deps.storage, p.task_id)?
        .ok_or_else(mismatch)?;
    let mut ms = MILESTONES
        .may_load(deps.storage, (p.task_id, p.milestone))?
        .ok_or_else(mismatch)?;
    let item = ms
        .inferences
        .get_mut(p.item as usize)
        .ok_or_else(mismatch)?;
    if item.status != ModelFeeStatus::Paid || item.fee != p.amount {
        return Err(mismatch());
    }
    item.status = ModelFeeStatus::Refunded;
    item.error = Some(error_head(error));
    let (model_id, inference_id) = (item.payment.model_id, item.payment.inference_id.clone());
    task.model_fees_paid = task.model_fees_paid.checked_sub(p.amount)?;
    task.model_fees_refunded = task.model_fees_refunded.checked_add(p.amount)?;
    MILESTONES.save(deps.storage, (p.task_id, p.milestone), &ms)?;
    TASKS.save(deps.storage, p.task_id, &task)?;

    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&task.client, p.amount)?)
        .add_attribute("action", "model_fee_refunded")
        .add_attribute("task_id", p.task_id.to_string())
        .add_attribute("milestone", p.milestone.to_string())
        .add_attribute("item", p.item.to_string())
        .add_attribute("model_id", model_id.to_string())
        .add_attribute("inference_id", inference_id)
        .add_attribute("client", task.client)
        .add_attribute("amount", p.amount))
}
