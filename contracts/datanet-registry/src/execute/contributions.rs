//! Contributions: submitted directly, through the cw20 hook with a bond, or revealed from a
//! commitment; withdrawn by their contributor while pending.

use cosmwasm_std::{
    Addr, Attribute, DepsMut, Env, MessageInfo, Response, Storage, Timestamp, Uint128,
};
use openledger_common::attribution::DatanetId;
use openledger_common::msg::datanet_registry::{
    ContributionId, ContributionStatus, NewContribution, MAX_NOTE_LEN, MAX_URI_LEN,
};
use openledger_common::{normalize_hash, validate_text, Checked};

use crate::error::ContractError;
use crate::execute::bonds::return_bond;
use crate::execute::commitments;
use crate::state::{
    next_id, BondTotals, Contribution, ContributorStats, Datanet, DatanetTally, Submission,
    BOND_TOTALS, CONTRIBUTION_COUNT, DATA_HASHES,
};

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
    let datanet = Datanet::load(deps.storage, datanet_id)?;
    datanet.assert_may_contribute(deps.storage, datanet_id, &contributor)?;
    let bond = datanet.contribution_bond;
    check_bond(paid, bond)?;
    let data_hash = validate_contribution(&new)?;
    let now = env.block.time;

    // The commitment this contribution reveals: (its hex, when it was made).
    let revealed = if reveal {
        let at = (datanet_id, &contributor, data_hash.as_str());
        Some(commitments::reveal(deps.storage, now, at)?)
    } else {
        None
    };
    let committed_at = revealed.as_ref().map(|(_, at)| *at);
    let holder = displaceable_holder(
        deps.storage,
        datanet_id,
        &data_hash,
        &contributor,
        committed_at,
    )?;

    let id = next_id(deps.storage, &CONTRIBUTION_COUNT)?;
    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    let mut extra: Vec<Attribute> = Vec::new();
    if let Some((commitment, committed_at)) = revealed {
        extra.push(Attribute::new("commitment", commitment));
        extra.push(Attribute::new(
            "committed_at",
            committed_at.seconds().to_string(),
        ));
    }
    if let Some((old_id, old)) = holder {
        extra.extend(displace(
            deps.storage,
            &mut tally,
            &mut totals,
            old_id,
            old,
            id,
        )?);
    }

    DATA_HASHES.save(deps.storage, (datanet_id, &data_hash), &id)?;
    let submission = Submission {
        datanet_id,
        contributor: contributor.clone(),
        data_hash,
        uri: new.uri,
        size_bytes: new.size_bytes,
        license_note: new.license_note,
        bond,
        submitted_at: now,
        committed_at,
        // A new record holds no review fields: it is pending until its first review state.
        status: None,
        weight: 0,
        reason: None,
        reviewed_by: None,
        reviewed_at: None,
        displaced_by: None,
    };
    Contribution::create(deps.storage, id, &submission)?;
    count_pending(deps.storage, tally, totals, &submission)?;

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
        .add_attribute("data_hash", submission.data_hash)
        .add_attribute("size_bytes", submission.size_bytes.to_string())
        .add_attribute("bond", bond)
        .add_attributes(extra))
}

/// Counts a new pending contribution in its contributor's stats, its datanet's tally and the
/// pending bonds, and stores the three.
fn count_pending(
    storage: &mut dyn Storage,
    mut tally: DatanetTally,
    mut totals: BondTotals,
    c: &Submission,
) -> Result<(), ContractError> {
    let mut stats = ContributorStats::load(storage, c.datanet_id, &c.contributor)?;
    stats.pending.increment()?;
    stats.save(storage, c.datanet_id, &c.contributor)?;
    tally.pending_count.increment()?;
    tally.save(storage, c.datanet_id)?;
    totals.pending = totals.pending.checked_add(c.bond)?;
    BOND_TOTALS.save(storage, &totals)?;
    Ok(())
}

/// Checks what came with the contribution against the datanet's bond.
fn check_bond(paid: Option<Uint128>, bond: Uint128) -> Result<(), ContractError> {
    match paid {
        None if !bond.is_zero() => Err(ContractError::BondRequired { bond }),
        Some(received) if received != bond => Err(ContractError::BondMismatch {
            expected: bond,
            received,
        }),
        _ => Ok(()),
    }
}

/// Checks the fields of a new contribution; returns its data hash, lower-case.
fn validate_contribution(new: &NewContribution) -> Result<String, ContractError> {
    let data_hash = normalize_hash("data_hash", &new.data_hash)?;
    if new.size_bytes == 0 {
        return Err(ContractError::ZeroSize);
    }
    validate_text("uri", &new.uri, 1, MAX_URI_LEN)?;
    if let Some(note) = &new.license_note {
        validate_text("license_note", note, 1, MAX_NOTE_LEN)?;
    }
    Ok(data_hash)
}

/// The contribution holding `data_hash` in `datanet_id`, if any, when a reveal of a commitment
/// made at `committed_at` displaces it. A holder that cannot be displaced (or any holder, for
/// a contribution that reveals nothing) makes the hash a duplicate.
fn displaceable_holder(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    data_hash: &str,
    contributor: &Addr,
    committed_at: Option<Timestamp>,
) -> Result<Option<(ContributionId, Contribution)>, ContractError> {
    let Some(holder_id) = DATA_HASHES.may_load(storage, (datanet_id, data_hash))? else {
        return Ok(None);
    };
    let holder = Contribution::load(storage, holder_id)?;
    let displaceable = committed_at.is_some_and(|committed_at| {
        holder.review.status == ContributionStatus::Pending
            && holder.submission.contributor != *contributor
            && holder.claimed_at() > committed_at
    });
    if !displaceable {
        return Err(ContractError::DuplicateDataHash {
            datanet_id,
            data_hash: data_hash.to_string(),
        });
    }
    Ok(Some((holder_id, holder)))
}

/// Marks the pending contribution `old_id` displaced by contribution `by` and returns its bond
/// to its contributor. Returns the event attributes naming it.
fn displace(
    storage: &mut dyn Storage,
    tally: &mut DatanetTally,
    totals: &mut BondTotals,
    old_id: ContributionId,
    mut old: Contribution,
    by: ContributionId,
) -> Result<Vec<Attribute>, ContractError> {
    let was = old.review.status;
    old.review.status = ContributionStatus::Displaced;
    old.review.displaced_by = Some(by);
    old.save_review(storage, old_id, was)?;
    let Submission {
        datanet_id,
        contributor,
        bond,
        ..
    } = old.submission;
    let mut stats = ContributorStats::load(storage, datanet_id, &contributor)?;
    stats.pending = stats.pending.sub_checked(1)?;
    stats.displaced.increment()?;
    stats.save(storage, datanet_id, &contributor)?;
    tally.pending_count = tally.pending_count.sub_checked(1)?;
    return_bond(storage, totals, &contributor, bond)?;
    Ok(vec![
        Attribute::new("displaced_id", old_id.to_string()),
        Attribute::new("displaced_contributor", contributor),
        Attribute::new("displaced_bond", bond),
    ])
}

/// The contributor takes back a pending contribution: its bond becomes withdrawable and its
/// data hash may be submitted again.
pub fn withdraw_contribution(
    deps: DepsMut,
    info: MessageInfo,
    contribution_id: ContributionId,
) -> Result<Response, ContractError> {
    let mut c = Contribution::load(deps.storage, contribution_id)?;
    if c.submission.contributor != info.sender {
        return Err(ContractError::NotContributor { contribution_id });
    }
    c.assert_pending(contribution_id)?;
    c.review.status = ContributionStatus::Withdrawn;
    c.save_review(deps.storage, contribution_id, ContributionStatus::Pending)?;
    let c = c.submission;
    DATA_HASHES.remove(deps.storage, (c.datanet_id, &c.data_hash));

    let mut stats = ContributorStats::load(deps.storage, c.datanet_id, &c.contributor)?;
    stats.pending = stats.pending.sub_checked(1)?;
    stats.save(deps.storage, c.datanet_id, &c.contributor)?;

    let mut tally = DatanetTally::load(deps.storage, c.datanet_id)?;
    tally.pending_count = tally.pending_count.sub_checked(1)?;
    tally.save(deps.storage, c.datanet_id)?;

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
