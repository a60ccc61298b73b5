//! Where fees go: the paid models' owner shares and the hosts' parts (to the host that signed
//! each receipt, or the model's owner without one) credited as earnings here (withdrawn with
//! `withdraw_earnings`), the rest — datanet versions, ancestors' owners (credited in the pool),
//! stakers, treasury — sent to the reward pool as one `distribute`.

use std::collections::BTreeMap;

use cosmwasm_std::{DepsMut, MessageInfo, Response, Storage, SubMsg, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::reward_pool::Allocation;

use crate::error::ContractError;
use crate::split::Ledger;
use crate::state::{Config, CONFIG, EARNINGS, OWED_EARNINGS};

/// Credits the owners' shares and the hosts' parts as earnings (one write per address, however
/// many payments and roles it has in the message) and sends the pool's part as one
/// `distribute` submessage (no reply: if the pool refuses it, the whole payment reverts).
/// `allocations` are `ledger.allocations()`, computed by the caller before it writes anything.
pub fn settle(
    storage: &mut dyn Storage,
    config: &Config,
    ledger: &Ledger,
    allocations: Vec<Allocation>,
    mut res: Response,
) -> Result<Response, ContractError> {
    let owners_total = ledger.owners_total()?;
    let hosts_total = ledger.hosts_total()?;
    let credited = ledger.credited_total()?;
    for (address, amount) in ledger.credits()? {
        let balance = EARNINGS
            .may_load(storage, &address)?
            .unwrap_or_default()
            .checked_add(amount)?;
        EARNINGS.save(storage, &address, &balance)?;
    }
    if !credited.is_zero() {
        let owed = OWED_EARNINGS.load(storage)?.checked_add(credited)?;
        OWED_EARNINGS.save(storage, &owed)?;
    }
    let pool_total = ledger.fees.checked_sub(credited)?;
    if !pool_total.is_zero() {
        let msg = RewardPoolHandle(config.reward_pool.clone()).distribute(
            &config.token,
            pool_total,
            allocations,
        )?;
        res = res.add_submessage(SubMsg::new(msg));
    }
    res = res
        .add_attribute("model_owner_amount", owners_total)
        .add_attribute(
            "model_owners",
            ledger
                .owners
                .iter()
                .map(|(a, x)| format!("{a}:{x}"))
                .collect::<Vec<_>>()
                .join(","),
        )
        .add_attribute("hosts_amount", hosts_total)
        .add_attribute(
            "hosts",
            ledger
                .hosts
                .iter()
                .map(|(a, x)| format!("{a}:{x}"))
                .collect::<Vec<_>>()
                .join(","),
        )
        .add_attribute("datanets_amount", ledger.datanets_total()?)
        .add_attribute("royalties_amount", ledger.royalties_total()?)
        .add_attribute("stakers_amount", ledger.stakers)
        .add_attribute("treasury_amount", ledger.treasury)
        .add_attribute("pool_amount", pool_total);
    // Per datanet (all versions, as before versions were named), then per version.
    let mut per_datanet: BTreeMap<DatanetId, Uint128> = BTreeMap::new();
    for ((id, _), amount) in &ledger.datanets {
        let total = per_datanet.entry(*id).or_default();
        *total = total.checked_add(*amount)?;
    }
    for (id, amount) in per_datanet {
        res = res.add_attribute(format!("datanet_{id}"), amount);
    }
    for ((id, version), amount) in &ledger.datanets {
        res = res.add_attribute(format!("datanet_{id}_v{version}"), *amount);
    }
    for (model_id, (_, amount)) in &ledger.royalties {
        res = res.add_attribute(format!("royalty_{model_id}"), *amount);
    }
    Ok(res)
}

/// Pays the sender everything credited to them (model-owner shares, hosts' parts), in one cw20
/// transfer.
pub fn withdraw_earnings(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let amount = EARNINGS
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if amount.is_zero() {
        return Err(ContractError::NothingToWithdraw);
    }
    EARNINGS.remove(deps.storage, &info.sender);
    let owed = OWED_EARNINGS.load(deps.storage)?.checked_sub(amount)?;
    OWED_EARNINGS.save(deps.storage, &owed)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&info.sender, amount)?)
        .add_attribute("action", "withdraw_earnings")
        .add_attribute("recipient", info.sender)
        .add_attribute("amount", amount))
}
