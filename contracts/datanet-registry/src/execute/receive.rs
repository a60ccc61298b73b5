//! The cw20 hook: creation fees and contribution bonds arrive through it.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};
use cw20::Cw20ReceiveMsg;
use openledger_common::hook::{receive_paid, Paid};
use openledger_common::msg::datanet_registry::ReceiveMsg;

use crate::error::ContractError;
use crate::execute::{contributions, datanets};
use crate::state::CONFIG;

/// The cw20 hook: only the configured token may deliver it; the payer is the cw20 `sender`.
pub fn receive(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    wrapper: Cw20ReceiveMsg,
) -> Result<Response, ContractError> {
    let token = CONFIG.load(deps.storage)?.token;
    let hook: Paid<ReceiveMsg> =
        receive_paid::<_, ContractError>(deps.api, &token, &info.sender, wrapper)?;
    let (payer, paid) = (hook.payer, Some(hook.amount));
    match hook.msg {
        ReceiveMsg::CreateDatanet(new) => datanets::create_datanet(deps, env, payer, paid, new),
        ReceiveMsg::Contribute(new) => {
            contributions::contribute(deps, env, payer, paid, new, false)
        }
        ReceiveMsg::RevealContribution(new) => {
            contributions::contribute(deps, env, payer, paid, new, true)
        }
    }
}
