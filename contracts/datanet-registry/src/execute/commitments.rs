//! Commit-reveal: a contributor commits to a data hash before showing it, so that nobody can
//! copy the hash from the mempool and claim it first.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Order, Response, Storage, Timestamp};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{
    contribution_commitment, MAX_OPEN_COMMITMENTS, REVEAL_WINDOW_SECONDS,
};
use openledger_common::normalize_hash;

use crate::error::ContractError;
use crate::state::{Commitment, Datanet, COMMITMENTS};

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
    let datanet = Datanet::load(deps.storage, datanet_id)?;
    datanet.assert_may_contribute(deps.storage, datanet_id, &info.sender)?;
    let commitment = normalize_hash("commitment", &commitment)?;
    let now = env.block.time;
    let pruned = prune_commitments(deps.storage, now, datanet_id, &info.sender, &commitment)?;
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

/// Removes the expired commitments of `contributor` in `datanet_id` and checks that
/// `commitment` may join the open ones: not held already, fewer than `MAX_OPEN_COMMITMENTS`
/// open. Returns how many were pruned.
fn prune_commitments(
    storage: &mut dyn Storage,
    now: Timestamp,
    datanet_id: DatanetId,
    contributor: &Addr,
    commitment: &str,
) -> Result<usize, ContractError> {
    let held: Vec<(String, Commitment)> = COMMITMENTS
        .prefix((datanet_id, contributor))
        .range(storage, None, None, Order::Ascending)
        .take(MAX_OPEN_COMMITMENTS)
        .collect::<Result<_, _>>()?;
    let mut open: usize = 0;
    let mut pruned: usize = 0;
    for (key, held) in held {
        if held.is_expired(now) {
            COMMITMENTS.remove(storage, (datanet_id, contributor, &key));
            pruned = pruned.saturating_add(1);
        } else if key == commitment {
            return Err(ContractError::DuplicateCommitment {
                datanet_id,
                contributor: contributor.to_string(),
                commitment: commitment.to_string(),
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
    Ok(pruned)
}

/// Uses up the open commitment `sha256(data_hash ‖ contributor)` of `contributor` in
/// `datanet_id`: it must exist, be at least one block old and not be expired at `now`.
/// Returns the commitment (hex) and when it was made.
pub fn reveal(
    storage: &mut dyn Storage,
    now: Timestamp,
    (datanet_id, contributor, data_hash): (DatanetId, &Addr, &str),
) -> Result<(String, Timestamp), ContractError> {
    let commitment = contribution_commitment(data_hash, contributor.as_str());
    let held = Commitment::load(storage, datanet_id, contributor, &commitment)?;
    if now <= held.committed_at {
        return Err(ContractError::RevealTooEarly {
            commitment,
            committed_at: held.committed_at,
        });
    }
    if held.is_expired(now) {
        return Err(ContractError::CommitmentExpired {
            commitment,
            expired_at: held.expires_at,
        });
    }
    COMMITMENTS.remove(storage, (datanet_id, contributor, commitment.as_str()));
    Ok((commitment, held.committed_at))
}
