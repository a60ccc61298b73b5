//! Versions: publishing the root of a datanet's event log, and the backfill that gives a
//! datanet migrated from 0.3.0 the leaves of what it accepted before the log existed.

use cosmwasm_std::{DepsMut, Env, HexBinary, MessageInfo, Order, Response, Storage};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::RewardPoolHandle;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionId, ContributionStatus, LeafKind, VersionFormat,
    MAX_BACKFILL_BATCH,
};
use openledger_common::pagination::after;
use openledger_common::Checked;

use crate::error::ContractError;
use crate::state::{
    status_key, Contribution, Datanet, DatanetTally, Version, CONFIG, CONTRIBUTIONS_BY_STATUS,
    VERSIONS,
};
use crate::tree::{self, LogAppender};
use crate::validate::check_batch;

/// Publishes the datanet's next version (also when closed): the root of its event log as it
/// stands, the log's size, the total weight; and tells the reward pool, which from then on
/// pays fees for that version to exactly the contributors who hold weight in it. O(log n)
/// reads: one stored subtree per set bit of the log's size.
pub fn publish_version(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    datanet_id: DatanetId,
) -> Result<Response, ContractError> {
    let datanet = Datanet::load_as_curator(deps.storage, datanet_id, &info.sender)?;
    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;
    tally.assert_backfilled(datanet_id)?;
    let root = HexBinary::from(tree::root(deps.storage, datanet_id, tally.log_size)?.as_slice());
    let version = tally.version_count.increment()?;
    VERSIONS.save(
        deps.storage,
        (datanet_id, version),
        &Version {
            root: root.clone(),
            format: VersionFormat::EventLogV1,
            tree_size: tally.log_size,
            total_weight: tally.total_weight,
            accepted_count: tally.accepted_count,
            published_at: env.block.time,
            height: env.block.height,
        },
    )?;
    tally.save(deps.storage, datanet_id)?;
    // The pool holds contributor weights only for weight-mode datanets (the registry counts
    // weights in influence mode too, but never sends them): it expects 0 for the others.
    let pool_weight = match datanet.attribution_mode {
        AttributionMode::Weight => tally.total_weight,
        AttributionMode::Influence => 0,
    };
    let pool = RewardPoolHandle(CONFIG.load(deps.storage)?.reward_pool);
    Ok(Response::new()
        .add_message(pool.publish_version(datanet_id, version, pool_weight)?)
        .add_attribute("action", "publish_version")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("version", version.to_string())
        .add_attribute("publisher", info.sender)
        .add_attribute("format", VersionFormat::EventLogV1.as_str())
        .add_attribute("root", root.to_hex())
        .add_attribute("tree_size", tally.log_size.to_string())
        .add_attribute("total_weight", tally.total_weight.to_string())
        .add_attribute("accepted_count", tally.accepted_count.to_string()))
}

/// Goes through up to `limit` (default and at most `MAX_BACKFILL_BATCH`) contributions that a
/// datanet migrated from 0.3.0 accepted before its event log existed, in id order after the
/// last one gone through: a contribution still accepted gets its acceptance leaf, one removed
/// since is skipped (it is in no version to come). Anyone may call it.
pub fn backfill_version_tree(
    deps: DepsMut,
    datanet_id: DatanetId,
    limit: Option<u32>,
) -> Result<Response, ContractError> {
    let limit = limit.unwrap_or(MAX_BACKFILL_BATCH);
    if limit == 0 {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(limit as usize, MAX_BACKFILL_BATCH as usize)?;
    Datanet::load(deps.storage, datanet_id)?;
    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;
    let Some(mut backfill) = tally.backfill.clone() else {
        return Err(ContractError::NothingToBackfill { datanet_id });
    };
    let candidates = accepted_or_removed(deps.storage, datanet_id, backfill.after, limit)?;
    let exhausted = candidates.len() < limit as usize;
    let mut log = LogAppender::new(datanet_id, tally.log_size);
    let (mut appended, mut skipped) = (0u64, 0u64);
    for (id, mut c) in candidates {
        if backfill.remaining == 0 {
            break;
        }
        backfill.after = Some(id);
        // Accepted since the upgrade: its leaf is in the log already.
        if c.review.accepted_seq.is_some() {
            continue;
        }
        backfill.remaining = backfill.remaining.sub_checked(1)?;
        if c.review.status == ContributionStatus::Accepted {
            c.review.accepted_seq = Some(log.append(deps.storage, LeafKind::Accept, id, &c)?);
            // Its first review state, for a record 0.3.0 stored (the status does not change).
            c.save_review(deps.storage, id, ContributionStatus::Accepted)?;
            appended.increment()?;
        } else {
            skipped.increment()?;
        }
    }
    // Done when every counted acceptance was gone through, or when nothing is left to go
    // through (so a miscount can never keep a datanet from publishing).
    let done = backfill.remaining == 0 || exhausted;
    let remaining = if done { 0 } else { backfill.remaining };
    tally.backfill = (!done).then_some(backfill);
    tally.log_size = log.finish(deps.storage);
    tally.save(deps.storage, datanet_id)?;
    Ok(Response::new()
        .add_attribute("action", "backfill_version_tree")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("appended", appended.to_string())
        .add_attribute("skipped_removed", skipped.to_string())
        .add_attribute("remaining", remaining.to_string())
        .add_attribute("log_size", tally.log_size.to_string())
        .add_attribute("done", done.to_string()))
}

/// Up to `limit` contributions of `datanet_id` now accepted or removed (every contribution it
/// ever accepted), in id order after `start_after`: the two status indexes, merged.
fn accepted_or_removed(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    start_after: Option<ContributionId>,
    limit: u32,
) -> Result<Vec<(ContributionId, Contribution)>, ContractError> {
    let by_status = |status| {
        CONTRIBUTIONS_BY_STATUS
            .prefix((datanet_id, status_key(status)))
            .keys(storage, after(start_after), None, Order::Ascending)
            .peekable()
    };
    let mut accepted = by_status(ContributionStatus::Accepted);
    let mut removed = by_status(ContributionStatus::Removed);
    let mut out = Vec::with_capacity(limit as usize);
    while out.len() < limit as usize {
        let from_accepted = match (accepted.peek(), removed.peek()) {
            (None, None) => break,
            (Some(Ok(a)), Some(Ok(r))) => a < r,
            // An error surfaces from whichever side holds it.
            (Some(_), None) | (Some(Err(_)), _) => true,
            (None, Some(_)) | (_, Some(Err(_))) => false,
        };
        let next = if from_accepted {
            accepted.next()
        } else {
            removed.next()
        };
        if let Some(id) = next {
            let id = id?;
            out.push((id, Contribution::load(storage, id)?));
        }
    }
    Ok(out)
}
