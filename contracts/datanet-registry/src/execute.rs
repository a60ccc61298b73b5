//! Execute handlers.

use std::collections::BTreeSet;

use cosmwasm_std::{
    Addr, Api, Attribute, DepsMut, Env, HexBinary, MessageInfo, Order, OverflowError,
    OverflowOperation, Response, Storage, Timestamp, Uint128,
};
use cw20::Cw20ReceiveMsg;
use openledger_common::attribution::DatanetId;
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::msg::datanet_registry::{
    contribution_commitment, AttributionMode, ContributionId, ContributionPolicy,
    ContributionStatus, DatanetStatus, InstantiateMsg, NewContribution, NewDatanet, ReceiveMsg,
    ReviewDecision, MAX_ALLOWLIST_BATCH, MAX_CONTRIBUTION_WEIGHT, MAX_CURATORS,
    MAX_DESCRIPTION_LEN, MAX_NAME_LEN, MAX_NOTE_LEN, MAX_OPEN_COMMITMENTS, MAX_REVIEW_BATCH,
    MAX_URI_LEN, REVEAL_WINDOW_SECONDS,
};
use openledger_common::msg::reward_pool::WeightUpdate;
use openledger_common::{reserved_name, validate_addr};
use sha2::{Digest, Sha256};

use crate::error::ContractError;
use crate::state::{
    BondTotals, Commitment, Config, Contribution, ContributorStats, Datanet, DatanetTally, Version,
    ALLOWLIST, BOND_TOTALS, COMMITMENTS, CONFIG, CONTRIBUTIONS, CONTRIBUTORS, DATANETS,
    DATANET_TALLIES, DATA_HASHES, VERSIONS, WITHDRAWABLE_BONDS,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

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

/// Checks that `data_hash` is a SHA-256 in hex and returns it lower-case.
pub fn normalize_data_hash(data_hash: &str) -> Result<String, ContractError> {
    if data_hash.len() == 64 && data_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(data_hash.to_ascii_lowercase())
    } else {
        Err(ContractError::InvalidDataHash {
            data_hash: data_hash.to_string(),
        })
    }
}

/// Checks that `commitment` is a SHA-256 in hex and returns it lower-case.
pub fn normalize_commitment(commitment: &str) -> Result<String, ContractError> {
    if commitment.len() == 64 && commitment.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(commitment.to_ascii_lowercase())
    } else {
        Err(ContractError::InvalidCommitment {
            commitment: commitment.to_string(),
        })
    }
}

/// The rolling commitment: `sha256(root ‖ data_hash ‖ weight)`, with `data_hash` as its 32 raw
/// bytes and `weight` as 8 big-endian bytes.
pub fn extend_root(
    root: &[u8],
    data_hash_hex: &str,
    weight: u64,
) -> Result<HexBinary, ContractError> {
    let hash = HexBinary::from_hex(data_hash_hex)?;
    let mut hasher = Sha256::new();
    hasher.update(root);
    hasher.update(hash.as_slice());
    hasher.update(weight.to_be_bytes());
    Ok(HexBinary::from(hasher.finalize().to_vec()))
}

fn add_u64(a: u64, b: u64) -> Result<u64, OverflowError> {
    a.checked_add(b)
        .ok_or(OverflowError::new(OverflowOperation::Add))
}

fn sub_u64(a: u64, b: u64) -> Result<u64, OverflowError> {
    a.checked_sub(b)
        .ok_or(OverflowError::new(OverflowOperation::Sub))
}

fn add_u32(a: u32, b: u32) -> Result<u32, OverflowError> {
    a.checked_add(b)
        .ok_or(OverflowError::new(OverflowOperation::Add))
}

fn sub_u32(a: u32, b: u32) -> Result<u32, OverflowError> {
    a.checked_sub(b)
        .ok_or(OverflowError::new(OverflowOperation::Sub))
}

/// The wire name of an attribution mode.
pub fn mode_name(mode: AttributionMode) -> &'static str {
    match mode {
        AttributionMode::Weight => "weight",
        AttributionMode::Influence => "influence",
    }
}

/// The wire name of a contribution policy.
pub fn policy_name(policy: ContributionPolicy) -> &'static str {
    match policy {
        ContributionPolicy::Open => "open",
        ContributionPolicy::Allowlist => "allowlist",
    }
}

pub(crate) fn load_datanet(storage: &dyn Storage, id: DatanetId) -> Result<Datanet, ContractError> {
    DATANETS
        .may_load(storage, id)?
        .ok_or(ContractError::DatanetNotFound { id })
}

pub(crate) fn load_tally(
    storage: &dyn Storage,
    id: DatanetId,
) -> Result<DatanetTally, ContractError> {
    DATANET_TALLIES
        .may_load(storage, id)?
        .ok_or(ContractError::DatanetNotFound { id })
}

pub(crate) fn load_contribution(
    storage: &dyn Storage,
    id: ContributionId,
) -> Result<Contribution, ContractError> {
    CONTRIBUTIONS
        .may_load(storage, id)?
        .ok_or(ContractError::ContributionNotFound { id })
}

fn load_stats(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    contributor: &Addr,
) -> Result<ContributorStats, ContractError> {
    Ok(CONTRIBUTORS
        .may_load(storage, (datanet_id, contributor))?
        .unwrap_or_default())
}

fn assert_datanet_owner(
    datanet: &Datanet,
    id: DatanetId,
    sender: &Addr,
) -> Result<(), ContractError> {
    if datanet.owner == *sender {
        Ok(())
    } else {
        Err(ContractError::NotDatanetOwner { datanet_id: id })
    }
}

fn assert_curator(datanet: &Datanet, id: DatanetId, sender: &Addr) -> Result<(), ContractError> {
    if datanet.may_curate(sender) {
        Ok(())
    } else {
        Err(ContractError::NotCurator { datanet_id: id })
    }
}

/// Moves a pending bond to `owner`'s withdrawable balance (pull-based: paid by
/// `withdraw_bonds`, so a review costs storage writes, not token transfers).
fn return_bond(
    storage: &mut dyn Storage,
    totals: &mut BondTotals,
    owner: &Addr,
    amount: Uint128,
) -> Result<(), ContractError> {
    if amount.is_zero() {
        return Ok(());
    }
    totals.pending = totals.pending.checked_sub(amount)?;
    totals.withdrawable = totals.withdrawable.checked_add(amount)?;
    let balance = WITHDRAWABLE_BONDS
        .may_load(storage, owner)?
        .unwrap_or_default()
        .checked_add(amount)?;
    WITHDRAWABLE_BONDS.save(storage, owner, &balance)?;
    Ok(())
}

/// Validates a curator list: at most `MAX_CURATORS`, valid addresses, each once.
fn validate_curators(api: &dyn Api, curators: &[String]) -> Result<Vec<Addr>, ContractError> {
    if curators.len() > MAX_CURATORS {
        return Err(ContractError::TooManyCurators {
            got: curators.len() as u64,
            max: MAX_CURATORS as u64,
        });
    }
    let mut out: Vec<Addr> = Vec::with_capacity(curators.len());
    for c in curators {
        let addr = validate_addr(api, "curators", c)?;
        if out.contains(&addr) {
            return Err(ContractError::DuplicateCurator {
                address: addr.into_string(),
            });
        }
        out.push(addr);
    }
    Ok(out)
}

fn check_batch(len: usize, max: usize) -> Result<(), ContractError> {
    if len > max {
        return Err(ContractError::BatchTooLarge {
            got: len as u64,
            max: max as u64,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Instantiate and the cw20 hook
// ---------------------------------------------------------------------------------------------

pub fn instantiate(
    deps: DepsMut,
    _env: Env,
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
        reward_pool: validate_addr(deps.api, "reward_pool", &msg.reward_pool)?,
        creation_fee: msg.creation_fee,
        datanet_count: 0,
        contribution_count: 0,
    };
    CONFIG.save(deps.storage, &config)?;
    BOND_TOTALS.save(deps.storage, &BondTotals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("owner", owner)
        .add_attribute("token", config.token)
        .add_attribute("reward_pool", config.reward_pool)
        .add_attribute("creation_fee", config.creation_fee))
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
    let payer = validate_addr(deps.api, "sender", &received.sender)?;
    match received.msg {
        ReceiveMsg::CreateDatanet(new) => {
            create_datanet(deps, env, payer, Some(received.amount), new)
        }
        ReceiveMsg::Contribute(new) => {
            contribute(deps, env, payer, Some(received.amount), new, false)
        }
        ReceiveMsg::RevealContribution(new) => {
            contribute(deps, env, payer, Some(received.amount), new, true)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Datanets
// ---------------------------------------------------------------------------------------------

/// Creates a datanet owned by `owner`. `paid` is the amount that came with the cw20 hook, or
/// `None` for a direct call.
pub fn create_datanet(
    deps: DepsMut,
    env: Env,
    owner: Addr,
    paid: Option<Uint128>,
    new: NewDatanet,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
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

    config.datanet_count = add_u64(config.datanet_count, 1)?;
    let id = config.datanet_count;
    CONFIG.save(deps.storage, &config)?;

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
    DATANET_TALLIES.save(
        deps.storage,
        id,
        &DatanetTally {
            root: HexBinary::from(vec![0u8; 32]),
            total_weight: 0,
            accepted_count: 0,
            pending_count: 0,
            version_count: 0,
        },
    )?;

    let pool = RewardPoolHandle(config.reward_pool);
    let mut res = Response::new().add_message(pool.register_datanet(id, datanet.attribution_mode)?);
    if !fee.is_zero() {
        res = res.add_message(pool.to_treasury(&config.token, fee)?);
    }
    Ok(res
        .add_attribute("action", "create_datanet")
        .add_attribute("datanet_id", id.to_string())
        .add_attribute("owner", owner)
        .add_attribute("attribution_mode", mode_name(datanet.attribution_mode))
        .add_attribute("policy", policy_name(datanet.policy))
        .add_attribute("contribution_bond", datanet.contribution_bond)
        .add_attribute("curators", datanet.curators.len().to_string())
        .add_attribute("creation_fee", fee))
}

pub fn update_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    description: Option<String>,
    metadata_uri: Option<String>,
    policy: Option<ContributionPolicy>,
) -> Result<Response, ContractError> {
    let mut datanet = load_datanet(deps.storage, datanet_id)?;
    assert_datanet_owner(&datanet, datanet_id, &info.sender)?;
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
        res = res.add_attribute("policy", policy_name(policy));
    }
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(res)
}

/// Removals first, then additions; the result holds at most `MAX_CURATORS`.
pub fn update_curators(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    let mut datanet = load_datanet(deps.storage, datanet_id)?;
    assert_datanet_owner(&datanet, datanet_id, &info.sender)?;
    if add.is_empty() && remove.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(remove.len(), MAX_CURATORS)?;
    // Removing can only shrink the list, so this bound holds before the loops run.
    let remaining = datanet.curators.len().saturating_sub(remove.len());
    let got = remaining.saturating_add(add.len());
    if got > MAX_CURATORS {
        return Err(ContractError::TooManyCurators {
            got: got as u64,
            max: MAX_CURATORS as u64,
        });
    }
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
        let addr = validate_addr(deps.api, "add", a)?;
        if datanet.curators.contains(&addr) {
            return Err(ContractError::DuplicateCurator {
                address: addr.into_string(),
            });
        }
        datanet.curators.push(addr);
    }
    if datanet.curators.len() > MAX_CURATORS {
        return Err(ContractError::TooManyCurators {
            got: datanet.curators.len() as u64,
            max: MAX_CURATORS as u64,
        });
    }
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
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
    let datanet = load_datanet(deps.storage, datanet_id)?;
    assert_curator(&datanet, datanet_id, &info.sender)?;
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
        ALLOWLIST.save(deps.storage, (datanet_id, &addr), &cosmwasm_std::Empty {})?;
    }
    Ok(Response::new()
        .add_attribute("action", "update_allowlist")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("sender", info.sender)
        .add_attribute("added", add.len().to_string())
        .add_attribute("removed", remove.len().to_string()))
}

pub fn close_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let mut datanet = load_datanet(deps.storage, datanet_id)?;
    assert_datanet_owner(&datanet, datanet_id, &info.sender)?;
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
    let mut datanet = load_datanet(deps.storage, datanet_id)?;
    assert_datanet_owner(&datanet, datanet_id, &info.sender)?;
    let new_owner = validate_addr(deps.api, "new_owner", &new_owner)?;
    let cancelled = new_owner == datanet.owner;
    datanet.pending_owner = if cancelled {
        None
    } else {
        Some(new_owner.clone())
    };
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
        .add_attribute("action", "transfer_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("owner", info.sender)
        .add_attribute("pending_owner", new_owner)
        .add_attribute("cancelled", cancelled.to_string()))
}

pub fn accept_datanet(
    deps: DepsMut,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let mut datanet = load_datanet(deps.storage, datanet_id)?;
    if datanet.pending_owner.as_ref() != Some(&info.sender) {
        return Err(ContractError::NotPendingOwner { datanet_id });
    }
    let previous = std::mem::replace(&mut datanet.owner, info.sender.clone());
    datanet.pending_owner = None;
    DATANETS.save(deps.storage, datanet_id, &datanet)?;
    Ok(Response::new()
        .add_attribute("action", "accept_datanet")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("previous_owner", previous)
        .add_attribute("owner", info.sender))
}

// ---------------------------------------------------------------------------------------------
// Contributions
// ---------------------------------------------------------------------------------------------

/// Checks that `datanet` is open and that `contributor` may contribute to it.
fn assert_may_contribute(
    storage: &dyn Storage,
    datanet: &Datanet,
    datanet_id: DatanetId,
    contributor: &Addr,
) -> Result<(), ContractError> {
    if datanet.status == DatanetStatus::Closed {
        return Err(ContractError::DatanetClosed { id: datanet_id });
    }
    if datanet.policy == ContributionPolicy::Allowlist
        && !ALLOWLIST.has(storage, (datanet_id, contributor))
    {
        return Err(ContractError::NotAllowlisted {
            datanet_id,
            address: contributor.to_string(),
        });
    }
    Ok(())
}

/// Records the sender's commitment to a data hash it will reveal later. Expired commitments of
/// the sender in this datanet are pruned first (at most `MAX_OPEN_COMMITMENTS` are stored, so
/// the loop is bounded); then at most `MAX_OPEN_COMMITMENTS` may be open.
pub fn commit_contribution(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    commitment: String,
) -> Result<Response, ContractError> {
    let datanet = load_datanet(deps.storage, datanet_id)?;
    assert_may_contribute(deps.storage, &datanet, datanet_id, &info.sender)?;
    let commitment = normalize_commitment(&commitment)?;
    let now = env.block.time;

    let held: Vec<(String, Commitment)> = COMMITMENTS
        .prefix((datanet_id, &info.sender))
        .range(deps.storage, None, None, Order::Ascending)
        .take(MAX_OPEN_COMMITMENTS)
        .collect::<Result<_, _>>()?;
    let mut open: usize = 0;
    let mut pruned: usize = 0;
    for (key, held) in held {
        if held.is_expired(now) {
            COMMITMENTS.remove(deps.storage, (datanet_id, &info.sender, &key));
            pruned = pruned.saturating_add(1);
        } else if key == commitment {
            return Err(ContractError::DuplicateCommitment {
                datanet_id,
                contributor: info.sender.into_string(),
                commitment,
            });
        } else {
            open = open.saturating_add(1);
        }
    }
    if open >= MAX_OPEN_COMMITMENTS {
        return Err(ContractError::TooManyCommitments {
            max: MAX_OPEN_COMMITMENTS as u64,
        });
    }
    let record = Commitment {
        committed_at: now,
        expires_at: now.plus_seconds(REVEAL_WINDOW_SECONDS),
    };
    COMMITMENTS.save(
        deps.storage,
        (datanet_id, &info.sender, &commitment),
        &record,
    )?;
    Ok(Response::new()
        .add_attribute("action", "commit_contribution")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("contributor", info.sender)
        .add_attribute("commitment", commitment)
        .add_attribute("committed_at", record.committed_at.seconds().to_string())
        .add_attribute("expires_at", record.expires_at.seconds().to_string())
        .add_attribute("pruned", pruned.to_string()))
}

/// Records a contribution by `contributor`. `paid` is the amount that came with the cw20 hook,
/// or `None` for a direct call.
///
/// With `reveal`, the contributor's open commitment `sha256(data_hash ‖ contributor)` must
/// exist, be at least one block old and not expired; it is used up. A revealed contribution
/// takes the data hash from a **pending** contribution of another address that claimed it
/// strictly after the commitment was made (that one becomes `displaced`, its bond returned to
/// its contributor). Accepted, rejected and removed holders are never displaced, nor is a claim
/// made at or before the commitment's time.
pub fn contribute(
    deps: DepsMut,
    env: Env,
    contributor: Addr,
    paid: Option<Uint128>,
    new: NewContribution,
    reveal: bool,
) -> Result<Response, ContractError> {
    let datanet_id = new.datanet_id;
    let datanet = load_datanet(deps.storage, datanet_id)?;
    assert_may_contribute(deps.storage, &datanet, datanet_id, &contributor)?;
    let bond = datanet.contribution_bond;
    match paid {
        None if !bond.is_zero() => return Err(ContractError::BondRequired { bond }),
        Some(received) if received != bond => {
            return Err(ContractError::BondMismatch {
                expected: bond,
                received,
            })
        }
        _ => {}
    }
    let data_hash = normalize_data_hash(&new.data_hash)?;
    if new.size_bytes == 0 {
        return Err(ContractError::ZeroSize);
    }
    validate_text("uri", &new.uri, 1, MAX_URI_LEN)?;
    if let Some(note) = &new.license_note {
        validate_text("license_note", note, 1, MAX_NOTE_LEN)?;
    }

    // The commitment this contribution reveals: (its hex, when it was made).
    let revealed: Option<(String, Timestamp)> = if reveal {
        let commitment = contribution_commitment(&data_hash, contributor.as_str());
        let key = (datanet_id, &contributor, commitment.as_str());
        let held = COMMITMENTS.may_load(deps.storage, key)?.ok_or_else(|| {
            ContractError::CommitmentNotFound {
                datanet_id,
                contributor: contributor.to_string(),
                commitment: commitment.clone(),
            }
        })?;
        if env.block.time <= held.committed_at {
            return Err(ContractError::RevealTooEarly {
                commitment,
                committed_at: held.committed_at,
            });
        }
        if held.is_expired(env.block.time) {
            return Err(ContractError::CommitmentExpired {
                commitment,
                expired_at: held.expires_at,
            });
        }
        COMMITMENTS.remove(deps.storage, key);
        Some((commitment, held.committed_at))
    } else {
        None
    };

    // A holder of the hash: refused, unless this reveal displaces it.
    let displaced: Option<(ContributionId, Contribution)> =
        match DATA_HASHES.may_load(deps.storage, (datanet_id, &data_hash))? {
            None => None,
            Some(holder_id) => {
                let holder = load_contribution(deps.storage, holder_id)?;
                let displaceable = match &revealed {
                    Some((_, committed_at)) => {
                        holder.status == ContributionStatus::Pending
                            && holder.contributor != contributor
                            && holder.claimed_at() > *committed_at
                    }
                    None => false,
                };
                if !displaceable {
                    return Err(ContractError::DuplicateDataHash {
                        datanet_id,
                        data_hash,
                    });
                }
                Some((holder_id, holder))
            }
        };

    let mut config = CONFIG.load(deps.storage)?;
    config.contribution_count = add_u64(config.contribution_count, 1)?;
    let id = config.contribution_count;
    CONFIG.save(deps.storage, &config)?;

    let mut tally = load_tally(deps.storage, datanet_id)?;
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    let mut extra: Vec<Attribute> = Vec::new();

    if let Some((old_id, mut old)) = displaced {
        old.status = ContributionStatus::Displaced;
        old.displaced_by = Some(id);
        CONTRIBUTIONS.save(deps.storage, old_id, &old)?;
        let mut old_stats = load_stats(deps.storage, datanet_id, &old.contributor)?;
        old_stats.pending = sub_u32(old_stats.pending, 1)?;
        old_stats.displaced = add_u32(old_stats.displaced, 1)?;
        CONTRIBUTORS.save(deps.storage, (datanet_id, &old.contributor), &old_stats)?;
        tally.pending_count = sub_u64(tally.pending_count, 1)?;
        return_bond(deps.storage, &mut totals, &old.contributor, old.bond)?;
        extra.push(Attribute::new("displaced_id", old_id.to_string()));
        extra.push(Attribute::new("displaced_contributor", old.contributor));
        extra.push(Attribute::new("displaced_bond", old.bond));
    }

    DATA_HASHES.save(deps.storage, (datanet_id, &data_hash), &id)?;
    let contribution = Contribution {
        datanet_id,
        contributor: contributor.clone(),
        data_hash,
        uri: new.uri,
        size_bytes: new.size_bytes,
        license_note: new.license_note,
        bond,
        status: ContributionStatus::Pending,
        weight: 0,
        reason: None,
        submitted_at: env.block.time,
        reviewed_by: None,
        reviewed_at: None,
        committed_at: revealed.as_ref().map(|(_, at)| *at),
        displaced_by: None,
    };
    CONTRIBUTIONS.save(deps.storage, id, &contribution)?;

    let mut stats = load_stats(deps.storage, datanet_id, &contributor)?;
    stats.pending = add_u32(stats.pending, 1)?;
    CONTRIBUTORS.save(deps.storage, (datanet_id, &contributor), &stats)?;

    tally.pending_count = add_u64(tally.pending_count, 1)?;
    DATANET_TALLIES.save(deps.storage, datanet_id, &tally)?;

    totals.pending = totals.pending.checked_add(bond)?;
    BOND_TOTALS.save(deps.storage, &totals)?;

    if let Some((commitment, committed_at)) = revealed {
        extra.insert(0, Attribute::new("commitment", commitment));
        extra.insert(
            1,
            Attribute::new("committed_at", committed_at.seconds().to_string()),
        );
    }
    let action = if reveal {
        "reveal_contribution"
    } else {
        "contribute"
    };
    Ok(Response::new()
        .add_attribute("action", action)
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("contribution_id", id.to_string())
        .add_attribute("contributor", contributor)
        .add_attribute("data_hash", contribution.data_hash)
        .add_attribute("size_bytes", contribution.size_bytes.to_string())
        .add_attribute("bond", bond)
        .add_attributes(extra))
}

/// The contributor takes back a pending contribution: its bond becomes withdrawable and its
/// data hash may be submitted again.
pub fn withdraw_contribution(
    deps: DepsMut,
    info: MessageInfo,
    contribution_id: ContributionId,
) -> Result<Response, ContractError> {
    let mut c = load_contribution(deps.storage, contribution_id)?;
    if c.contributor != info.sender {
        return Err(ContractError::NotContributor { contribution_id });
    }
    if c.status != ContributionStatus::Pending {
        return Err(ContractError::ContributionNotPending {
            id: contribution_id,
            status: c.status,
        });
    }
    c.status = ContributionStatus::Withdrawn;
    CONTRIBUTIONS.save(deps.storage, contribution_id, &c)?;
    DATA_HASHES.remove(deps.storage, (c.datanet_id, &c.data_hash));

    let mut stats = load_stats(deps.storage, c.datanet_id, &c.contributor)?;
    stats.pending = sub_u32(stats.pending, 1)?;
    CONTRIBUTORS.save(deps.storage, (c.datanet_id, &c.contributor), &stats)?;

    let mut tally = load_tally(deps.storage, c.datanet_id)?;
    tally.pending_count = sub_u64(tally.pending_count, 1)?;
    DATANET_TALLIES.save(deps.storage, c.datanet_id, &tally)?;

    let mut totals = BOND_TOTALS.load(deps.storage)?;
    return_bond(deps.storage, &mut totals, &c.contributor, c.bond)?;
    BOND_TOTALS.save(deps.storage, &totals)?;

    Ok(Response::new()
        .add_attribute("action", "withdraw_contribution")
        .add_attribute("datanet_id", c.datanet_id.to_string())
        .add_attribute("contribution_id", contribution_id.to_string())
        .add_attribute("contributor", c.contributor)
        .add_attribute("bond", c.bond))
}

/// Accepts or rejects up to `MAX_REVIEW_BATCH` pending contributions of one datanet. The whole
/// batch is validated before anything is written; the work is O(batch).
pub fn review_contributions(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
    decisions: Vec<ReviewDecision>,
) -> Result<Response, ContractError> {
    let datanet = load_datanet(deps.storage, datanet_id)?;
    assert_curator(&datanet, datanet_id, &info.sender)?;
    if decisions.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(decisions.len(), MAX_REVIEW_BATCH)?;

    // Pass 1: validate every decision and load its contribution.
    let mut seen: BTreeSet<ContributionId> = BTreeSet::new();
    let mut batch: Vec<(ContributionId, Contribution, ReviewDecision)> =
        Vec::with_capacity(decisions.len());
    for decision in decisions {
        let id = match &decision {
            ReviewDecision::Accept {
                contribution_id,
                weight,
            } => {
                if *weight == 0 || *weight > MAX_CONTRIBUTION_WEIGHT {
                    return Err(ContractError::InvalidWeight {
                        weight: *weight,
                        max: MAX_CONTRIBUTION_WEIGHT,
                    });
                }
                *contribution_id
            }
            ReviewDecision::Reject {
                contribution_id,
                reason,
            } => {
                validate_text("reason", reason, 1, MAX_NOTE_LEN)?;
                *contribution_id
            }
        };
        if !seen.insert(id) {
            return Err(ContractError::DuplicateInBatch { id });
        }
        let c = load_contribution(deps.storage, id)?;
        if c.datanet_id != datanet_id {
            return Err(ContractError::ContributionNotInDatanet { id, datanet_id });
        }
        if c.status != ContributionStatus::Pending {
            return Err(ContractError::ContributionNotPending {
                id,
                status: c.status,
            });
        }
        batch.push((id, c, decision));
    }

    // Pass 2: apply.
    let mut tally = load_tally(deps.storage, datanet_id)?;
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    let mut root = tally.root.clone();
    // Contributors whose weight changed, first-seen order, with their new total weight.
    let mut new_weights: Vec<(Addr, u64)> = Vec::new();
    let mut accepted_ids: Vec<String> = Vec::new();
    let mut rejected_ids: Vec<String> = Vec::new();
    let mut accepted_weight: u64 = 0;
    let mut returned_bonds = Uint128::zero();
    let mut rejected_bonds = Uint128::zero();

    for (id, mut c, decision) in batch {
        let mut stats = load_stats(deps.storage, datanet_id, &c.contributor)?;
        stats.pending = sub_u32(stats.pending, 1)?;
        tally.pending_count = sub_u64(tally.pending_count, 1)?;
        match decision {
            ReviewDecision::Accept { weight, .. } => {
                c.status = ContributionStatus::Accepted;
                c.weight = weight;
                stats.accepted = add_u32(stats.accepted, 1)?;
                stats.weight = add_u64(stats.weight, weight)?;
                tally.total_weight = add_u64(tally.total_weight, weight)?;
                tally.accepted_count = add_u64(tally.accepted_count, 1)?;
                accepted_weight = add_u64(accepted_weight, weight)?;
                root = extend_root(root.as_slice(), &c.data_hash, weight)?;
                return_bond(deps.storage, &mut totals, &c.contributor, c.bond)?;
                returned_bonds = returned_bonds.checked_add(c.bond)?;
                match new_weights.iter_mut().find(|(a, _)| *a == c.contributor) {
                    Some(entry) => entry.1 = stats.weight,
                    None => new_weights.push((c.contributor.clone(), stats.weight)),
                }
                accepted_ids.push(id.to_string());
            }
            ReviewDecision::Reject { reason, .. } => {
                c.status = ContributionStatus::Rejected;
                c.reason = Some(reason);
                stats.rejected = add_u32(stats.rejected, 1)?;
                totals.pending = totals.pending.checked_sub(c.bond)?;
                rejected_bonds = rejected_bonds.checked_add(c.bond)?;
                rejected_ids.push(id.to_string());
            }
        }
        c.reviewed_by = Some(info.sender.clone());
        c.reviewed_at = Some(env.block.time);
        CONTRIBUTORS.save(deps.storage, (datanet_id, &c.contributor), &stats)?;
        CONTRIBUTIONS.save(deps.storage, id, &c)?;
    }
    tally.root = root;
    DATANET_TALLIES.save(deps.storage, datanet_id, &tally)?;
    BOND_TOTALS.save(deps.storage, &totals)?;

    let config = CONFIG.load(deps.storage)?;
    let pool = RewardPoolHandle(config.reward_pool);
    let mut res = Response::new();
    if datanet.attribution_mode == AttributionMode::Weight && !new_weights.is_empty() {
        let updates = new_weights
            .into_iter()
            .map(|(address, weight)| WeightUpdate {
                address: address.into_string(),
                weight,
            })
            .collect();
        res = res.add_message(pool.update_weights(datanet_id, updates)?);
    }
    if !rejected_bonds.is_zero() {
        res = res.add_message(pool.to_treasury(&config.token, rejected_bonds)?);
    }
    Ok(res
        .add_attribute("action", "review_contributions")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("reviewer", info.sender)
        .add_attribute("accepted", accepted_ids.len().to_string())
        .add_attribute("rejected", rejected_ids.len().to_string())
        .add_attribute("accepted_ids", accepted_ids.join(","))
        .add_attribute("rejected_ids", rejected_ids.join(","))
        .add_attribute("accepted_weight", accepted_weight.to_string())
        .add_attribute("returned_bonds", returned_bonds)
        .add_attribute("rejected_bonds", rejected_bonds)
        .add_attribute("total_weight", tally.total_weight.to_string())
        .add_attribute("root", tally.root.to_hex()))
}

/// Removes an accepted contribution: its weight stops counting from now on (the pool settles
/// what it earned before the change). The root is append-only and is not changed.
pub fn remove_contribution(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    contribution_id: ContributionId,
    reason: String,
) -> Result<Response, ContractError> {
    let mut c = load_contribution(deps.storage, contribution_id)?;
    let datanet = load_datanet(deps.storage, c.datanet_id)?;
    assert_curator(&datanet, c.datanet_id, &info.sender)?;
    if c.status != ContributionStatus::Accepted {
        return Err(ContractError::ContributionNotAccepted {
            id: contribution_id,
            status: c.status,
        });
    }
    validate_text("reason", &reason, 1, MAX_NOTE_LEN)?;

    c.status = ContributionStatus::Removed;
    c.reason = Some(reason);
    c.reviewed_by = Some(info.sender.clone());
    c.reviewed_at = Some(env.block.time);
    CONTRIBUTIONS.save(deps.storage, contribution_id, &c)?;

    let mut stats = load_stats(deps.storage, c.datanet_id, &c.contributor)?;
    stats.weight = sub_u64(stats.weight, c.weight)?;
    stats.removed = add_u32(stats.removed, 1)?;
    CONTRIBUTORS.save(deps.storage, (c.datanet_id, &c.contributor), &stats)?;

    let mut tally = load_tally(deps.storage, c.datanet_id)?;
    tally.total_weight = sub_u64(tally.total_weight, c.weight)?;
    DATANET_TALLIES.save(deps.storage, c.datanet_id, &tally)?;

    let mut res = Response::new();
    if datanet.attribution_mode == AttributionMode::Weight {
        let config = CONFIG.load(deps.storage)?;
        res = res.add_message(RewardPoolHandle(config.reward_pool).update_weights(
            c.datanet_id,
            vec![WeightUpdate {
                address: c.contributor.to_string(),
                weight: stats.weight,
            }],
        )?);
    }
    Ok(res
        .add_attribute("action", "remove_contribution")
        .add_attribute("datanet_id", c.datanet_id.to_string())
        .add_attribute("contribution_id", contribution_id.to_string())
        .add_attribute("contributor", c.contributor)
        .add_attribute("remover", info.sender)
        .add_attribute("weight", c.weight.to_string())
        .add_attribute("contributor_weight", stats.weight.to_string())
        .add_attribute("total_weight", tally.total_weight.to_string()))
}

/// Freezes the datanet's current commitment as its next version (also when closed).
pub fn publish_version(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let datanet = load_datanet(deps.storage, datanet_id)?;
    assert_curator(&datanet, datanet_id, &info.sender)?;
    let mut tally = load_tally(deps.storage, datanet_id)?;
    tally.version_count = add_u32(tally.version_count, 1)?;
    let version = tally.version_count;
    VERSIONS.save(
        deps.storage,
        (datanet_id, version),
        &Version {
            root: tally.root.clone(),
            total_weight: tally.total_weight,
            accepted_count: tally.accepted_count,
            published_at: env.block.time,
            height: env.block.height,
        },
    )?;
    DATANET_TALLIES.save(deps.storage, datanet_id, &tally)?;
    Ok(Response::new()
        .add_attribute("action", "publish_version")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("version", version.to_string())
        .add_attribute("publisher", info.sender)
        .add_attribute("root", tally.root.to_hex())
        .add_attribute("total_weight", tally.total_weight.to_string())
        .add_attribute("accepted_count", tally.accepted_count.to_string()))
}

/// Pays the sender every bond returned to them, in one cw20 transfer.
pub fn withdraw_bonds(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let amount = WITHDRAWABLE_BONDS
        .may_load(deps.storage, &info.sender)?
        .unwrap_or_default();
    if amount.is_zero() {
        return Err(ContractError::NothingToWithdraw);
    }
    WITHDRAWABLE_BONDS.remove(deps.storage, &info.sender);
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    totals.withdrawable = totals.withdrawable.checked_sub(amount)?;
    BOND_TOTALS.save(deps.storage, &totals)?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(TokenHandle(config.token).transfer(&info.sender, amount)?)
        .add_attribute("action", "withdraw_bonds")
        .add_attribute("recipient", info.sender)
        .add_attribute("amount", amount))
}

// ---------------------------------------------------------------------------------------------
// Registry administration
// ---------------------------------------------------------------------------------------------

pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    creation_fee: Option<Uint128>,
    reward_pool: Option<String>,
) -> Result<Response, ContractError> {
    cw_ownable::assert_owner(deps.storage, &info.sender)?;
    if creation_fee.is_none() && reward_pool.is_none() {
        return Err(ContractError::NothingToUpdate);
    }
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(fee) = creation_fee {
        config.creation_fee = fee;
    }
    if let Some(pool) = reward_pool {
        let pool = validate_addr(deps.api, "reward_pool", &pool)?;
        // The registry calls the pool in every creation and review: itself or the token there
        // would make them all fail, and rejected bonds would be sent where nobody counts them.
        let reserved = [
            ("the registry itself", &env.contract.address),
            ("the fee token contract", &config.token),
        ];
        if let Some(what) = reserved_name(&pool, &reserved) {
            return Err(ContractError::InvalidAddress {
                field: "reward_pool".to_string(),
                address: pool.into_string(),
                reason: format!("{what} cannot be the reward_pool"),
            });
        }
        config.reward_pool = pool;
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("creation_fee", config.creation_fee)
        .add_attribute("reward_pool", config.reward_pool))
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
