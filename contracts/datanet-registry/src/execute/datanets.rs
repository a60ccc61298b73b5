//! Datanets: creation, description, curators, allowlist, closing and two-step transfer.

use cosmwasm_std::{Addr, DepsMut, Empty, Env, MessageInfo, Response, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::RewardPoolHandle;
use openledger_common::item_owner;
use openledger_common::msg::datanet_registry::{
    ContributionPolicy, DatanetStatus, NewDatanet, MAX_ALLOWLIST_BATCH, MAX_CURATORS,
    MAX_DESCRIPTION_LEN, MAX_NAME_LEN, MAX_URI_LEN,
};
use openledger_common::{validate_addr, validate_text};

use crate::error::ContractError;
use crate::state::{next_id, Datanet, DatanetTally, ALLOWLIST, CONFIG, DATANETS, DATANET_COUNT};
use crate::validate::{check_batch, check_curator_count, push_curator, validate_curators};

/// Creates a datanet owned by `owner`. `paid` is the amount that came with the cw20 hook, or
/// `None` for a direct call.
pub fn create_datanet(
    deps: DepsMut,
    env: Env,
    owner: Addr,
    paid: Option<Uint128>,
    new: NewDatanet,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let fee = config.creation_fee;
    match paid {
        None if !fee.is_zero() => return Err(ContractError::CreationFeeRequired { fee }),
        Some(received) if received != fee => {
            return Err(ContractError::FeeMismatch {
                expected: fee,
                received,
            })
        }
        _ => {}
    }
    validate_text("name", &new.name, 1, MAX_NAME_LEN)?;
    validate_text("description", &new.description, 0, MAX_DESCRIPTION_LEN)?;
    validate_text("metadata_uri", &new.metadata_uri, 0, MAX_URI_LEN)?;
    let curators = validate_curators(deps.api, &new.curators)?;

    let id = next_id(deps.storage, &DATANET_COUNT)?;
    let datanet = Datanet {
        owner: owner.clone(),
        pending_owner: None,
        name: new.name,
        description: new.description,
        metadata_uri: new.metadata_uri,
        curators,
        policy: new.policy,
        contribution_bond: new.contribution_bond,
        attribution_mode: new.attribution_mode,
        status: DatanetStatus::Open,
        created_at: env.block.time,
    };
    DATANETS.save(deps.storage, id, &datanet)?;
    DatanetTally::empty().save(deps.storage, id)?;

    let pool = RewardPoolHandle(config.reward_pool);
    let mut res = Response::new().add_message(pool.register_datanet(id, datanet.attribution_mode)?);
    // The pool pays the curators a share of the datanet's income: it learns them now.
    if !datanet.curators.is_empty() {
        res = res.add_message(pool.set_curators(id, curator_strings(&datanet.curators))?);
    }
    if !fee.is_zero() {
        res = res.add_message(pool.to_treasury(&config.token, fee)?);
    }
    Ok(res
        .add_attribute("action", "create_datanet")
        .add_attribute("datanet_id", id.to_string())
        .add_attribute("owner", owner)
        .add_attribute("attribution_mode", datanet.attribution_mode.as_str())
        .add_attribute("policy", datanet.policy.as_str())
        .add_attribute("contribution_bond", datanet.contribution_bond)
        .add_attribute("curators", datanet.curators.len().to_string())
        .add_attribute("creation_fee", fee))
}

/// Changes a datanet's description, metadata URI and/or policy (its owner only).
pub fn update_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    description: Option<String>,
    metadata_uri: Option<String>,
    policy: Option<ContributionPolicy>,
) -> Result<Response, ContractError> {
    let mut datanet = Datanet::load_as_owner(deps.storage, datanet_id, &info.sender)?;
    if description.is_none() && metadata_uri.is_none() && policy.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut res = Response::new()
        .add_attribute("action", "update_datanet")
        .add_attribute("datanet_id", datanet_id.to_string());
    if let Some(description) = description {
        validate_text("description", &description, 0, MAX_DESCRIPTION_LEN)?;
        datanet.description = description;
        res = res.add_attribute("description_updated", "true");
    }
    if let Some(metadata_uri) = metadata_uri {
        validate_text("metadata_uri", &metadata_uri, 0, MAX_URI_LEN)?;
        res = res.add_attribute("metadata_uri", &metadata_uri);
        datanet.metadata_uri = metadata_uri;
    }
    if let Some(policy) = policy {
        datanet.policy = policy;
        res = res.add_attribute("policy", policy.as_str());
    }
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(res)
}

/// The curator set as the pool's `set_curators` takes it.
fn curator_strings(curators: &[Addr]) -> Vec<String> {
    curators.iter().map(Addr::to_string).collect()
}

/// Removals first, then additions; the result holds at most `MAX_CURATORS`. When the set
/// changed, the reward pool is sent the full new set (it settles leaving curators' earnings);
/// when the same curators remain (a curator removed and added back), nothing is stored (the
/// order stays) and nothing is sent.
pub fn update_curators(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    let mut datanet = Datanet::load_as_owner(deps.storage, datanet_id, &info.sender)?;
    if add.is_empty() && remove.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(remove.len(), MAX_CURATORS)?;
    // Removing can only shrink the list, so this bound holds before the loops run.
    let before = datanet.curators.clone();
    let remaining = datanet.curators.len().saturating_sub(remove.len());
    check_curator_count(remaining.saturating_add(add.len()))?;
    for r in &remove {
        let addr = validate_addr(deps.api, "remove", r)?;
        let pos = datanet
            .curators
            .iter()
            .position(|c| *c == addr)
            .ok_or_else(|| ContractError::CuratorNotFound {
                datanet_id,
                address: addr.to_string(),
            })?;
        datanet.curators.remove(pos);
    }
    for a in &add {
        push_curator(&mut datanet.curators, validate_addr(deps.api, "add", a)?)?;
    }
    check_curator_count(datanet.curators.len())?;
    let mut res = Response::new();
    // The lists hold distinct addresses: equal lengths and one inside the other is the same set.
    let same_set = datanet.curators.len() == before.len()
        && datanet.curators.iter().all(|c| before.contains(c));
    if !same_set {
        DATANETS.save(deps.storage, datanet_id, &datanet)?;
        let config = CONFIG.load(deps.storage)?;
        res = res.add_message(
            RewardPoolHandle(config.reward_pool)
                .set_curators(datanet_id, curator_strings(&datanet.curators))?,
        );
    }
    Ok(res
        .add_attribute("action", "update_curators")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("added", add.len().to_string())
        .add_attribute("removed", remove.len().to_string())
        .add_attribute("curators", datanet.curators.len().to_string()))
}

/// Removals first, then additions; both are idempotent (the allowlist is a set).
pub fn update_allowlist(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    Datanet::load_as_curator(deps.storage, datanet_id, &info.sender)?;
    if add.is_empty() && remove.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(add.len(), MAX_ALLOWLIST_BATCH)?;
    check_batch(remove.len(), MAX_ALLOWLIST_BATCH)?;
    for r in &remove {
        let addr = validate_addr(deps.api, "remove", r)?;
        ALLOWLIST.remove(deps.storage, (datanet_id, &addr));
    }
    for a in &add {
        let addr = validate_addr(deps.api, "add", a)?;
        ALLOWLIST.save(deps.storage, (datanet_id, &addr), &Empty {})?;
    }
    Ok(Response::new()
        .add_attribute("action", "update_allowlist")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("sender", info.sender)
        .add_attribute("added", add.len().to_string())
        .add_attribute("removed", remove.len().to_string()))
}

/// Closes a datanet for good: it takes no new contributions (its owner only).
pub fn close_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let mut datanet = Datanet::load_as_owner(deps.storage, datanet_id, &info.sender)?;
    if datanet.status == DatanetStatus::Closed {
        return Err(ContractError::DatanetClosed { id: datanet_id });
    }
    datanet.status = DatanetStatus::Closed;
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
        .add_attribute("action", "close_datanet")
        .add_attribute("datanet_id", datanet_id.to_string()))
}

/// Proposes `new_owner`; proposing the current owner withdraws a pending proposal.
pub fn transfer_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    new_owner: String,
) -> Result<Response, ContractError> {
    let mut datanet = Datanet::load_as_owner(deps.storage, datanet_id, &info.sender)?;
    let new_owner = validate_addr(deps.api, "new_owner", &new_owner)?;
    let attributes = item_owner::offer(&mut datanet, new_owner);
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attributes(attributes))
}

/// The proposed owner accepts the datanet and becomes its owner.
pub fn accept_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let mut datanet = Datanet::load(deps.storage, datanet_id)?;
    let attributes = item_owner::accept(&mut datanet, &info.sender)
        .ok_or(ContractError::NotPendingOwner { datanet_id })?;
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
        .add_attribute("action", "accept_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attributes(attributes))
}
