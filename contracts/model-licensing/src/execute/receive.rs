//! The cw20 hook: licence purchases and inference payments arrive as cw20 `send`s.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use cw20::Cw20ReceiveMsg;
use openledger_common::hook::{receive_paid, Paid};
use openledger_common::msg::model_licensing::ReceiveMsg;

use crate::error::ContractError;
use crate::execute::{licenses, payments};
use crate::state::CONFIG;

/// Only the configured token may deliver the hook; the payer is the cw20 `sender`.
pub fn receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let hook: Paid<ReceiveMsg> =
        receive_paid::<_, ContractError>(deps.api, &config.token, &info.sender, wrapper)?;
    let (payer, amount) = (hook.payer, hook.amount);
    match hook.msg {
        ReceiveMsg::PurchaseLicense {
            model_id,
            tier_id,
            terms,
        } => licenses::purchase_license(
            deps,
            env,
            config,
            payer,
            amount,
            (model_id, tier_id),
            &terms,
        ),
        ReceiveMsg::PayInference(item) => {
            let items = vec![item];
            payments::pay_inferences(deps, env, config, payer, amount, items, "pay_inference")
        }
        ReceiveMsg::PayInferences { items } => {
            payments::pay_inferences(deps, env, config, payer, amount, items, "pay_inferences")
        }
    }
}
