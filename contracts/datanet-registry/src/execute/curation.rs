//! Curation by a datanet's owner and curators: reviews, removals and published versions.

use std::collections::BTreeSet;

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Storage, Timestamp, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::RewardPoolHandle;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionId, ContributionStatus, ReviewDecision, MAX_CONTRIBUTION_WEIGHT,
    MAX_NOTE_LEN, MAX_REVIEW_BATCH,
};
use openledger_common::msg::reward_pool::WeightUpdate;
use openledger_common::{validate_text, Checked};

use crate::error::ContractError;
use crate::execute::bonds::return_bond;
use crate::state::{
    BondTotals, Contribution, ContributorStats, Datanet, DatanetTally, Version, BOND_TOTALS,
    CONFIG, CONTRIBUTIONS, DATANET_TALLIES, VERSIONS,
};
use crate::validate::check_batch;

/// A decision on a pending contribution of the datanet under review, checked, with the
/// contribution it concerns.
type Decision = (ContributionId, Contribution, ReviewDecision);

/// What a review batch changed, for its messages and event.
#[derive(Default)]
struct ReviewOutcome {
    /// Contributors whose weight changed, first-seen order, with their new total weight.
    new_weights: Vec<(Addr, u64)>,
    /// Accepted contribution ids, batch order.
    accepted_ids: Vec<String>,
    /// Rejected contribution ids, batch order.
    rejected_ids: Vec<String>,
    /// Sum of the accepted weights.
    accepted_weight: u64,
    /// Bonds of accepted contributions, returned to their contributors.
    returned_bonds: Uint128,
    /// Bonds of rejected contributions, sent to the treasury.
    rejected_bonds: Uint128,
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
    let datanet = Datanet::load_as_curator(deps.storage, datanet_id, &info.sender)?;
    if decisions.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    check_batch(decisions.len(), MAX_REVIEW_BATCH)?;
    let batch = check_decisions(deps.storage, datanet_id, decisions)?;

    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;
    let mut totals = BOND_TOTALS.load(deps.storage)?;
    let mut outcome = ReviewOutcome::default();
    for decision in batch {
        let mut review = Review {
            storage: deps.storage,
            tally: &mut tally,
            totals: &mut totals,
            outcome: &mut outcome,
        };
        review.apply(decision, &info.sender, env.block.time)?;
    }
    DATANET_TALLIES.save(deps.storage, datanet_id, &tally)?;
    BOND_TOTALS.save(deps.storage, &totals)?;

    let config = CONFIG.load(deps.storage)?;
    let pool = RewardPoolHandle(config.reward_pool);
    let mut res = Response::new();
    if datanet.attribution_mode == AttributionMode::Weight && !outcome.new_weights.is_empty() {
        let updates = outcome
            .new_weights
            .into_iter()
            .map(|(address, weight)| WeightUpdate {
                address: address.into_string(),
                weight,
            })
            .collect();
        res = res.add_message(pool.update_weights(datanet_id, updates)?);
    }
    if !outcome.rejected_bonds.is_zero() {
        res = res.add_message(pool.to_treasury(&config.token, outcome.rejected_bonds)?);
    }
    Ok(res
        .add_attribute("action", "review_contributions")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("reviewer", info.sender)
        .add_attribute("accepted", outcome.accepted_ids.len().to_string())
        .add_attribute("rejected", outcome.rejected_ids.len().to_string())
        .add_attribute("accepted_ids", outcome.accepted_ids.join(","))
        .add_attribute("rejected_ids", outcome.rejected_ids.join(","))
        .add_attribute("accepted_weight", outcome.accepted_weight.to_string())
        .add_attribute("returned_bonds", outcome.returned_bonds)
        .add_attribute("rejected_bonds", outcome.rejected_bonds)
        .add_attribute("total_weight", tally.total_weight.to_string())
        .add_attribute("root", tally.root.to_hex()))
}

/// Checks every decision of a batch (weight or reason, each contribution once, pending, of
/// `datanet_id`) and loads its contribution, before anything is written.
fn check_decisions(
    storage: &dyn Storage,
    datanet_id: DatanetId,
    decisions: Vec<ReviewDecision>,
) -> Result<Vec<Decision>, ContractError> {
    let mut seen: BTreeSet<ContributionId> = BTreeSet::new();
    let mut batch: Vec<Decision> = Vec::with_capacity(decisions.len());
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
        let c = Contribution::load(storage, id)?;
        if c.datanet_id != datanet_id {
            return Err(ContractError::ContributionNotInDatanet { id, datanet_id });
        }
        c.assert_pending(id)?;
        batch.push((id, c, decision));
    }
    Ok(batch)
}

/// The state a review batch changes as it applies its decisions one by one.
struct Review<'a> {
    storage: &'a mut dyn Storage,
    tally: &'a mut DatanetTally,
    totals: &'a mut BondTotals,
    outcome: &'a mut ReviewOutcome,
}

impl Review<'_> {
    /// Applies one checked decision by `reviewer` at `now`.
    fn apply(
        &mut self,
        (id, mut c, decision): Decision,
        reviewer: &Addr,
        now: Timestamp,
    ) -> Result<(), ContractError> {
        let mut stats = ContributorStats::load(self.storage, c.datanet_id, &c.contributor)?;
        stats.pending = stats.pending.sub_checked(1)?;
        self.tally.pending_count = self.tally.pending_count.sub_checked(1)?;
        match decision {
            ReviewDecision::Accept { weight, .. } => self.accept(id, &mut c, &mut stats, weight)?,
            ReviewDecision::Reject { reason, .. } => {
                c.status = ContributionStatus::Rejected;
                c.reason = Some(reason);
                stats.rejected.increment()?;
                self.totals.pending = self.totals.pending.checked_sub(c.bond)?;
                self.outcome.rejected_bonds = self.outcome.rejected_bonds.checked_add(c.bond)?;
                self.outcome.rejected_ids.push(id.to_string());
            }
        }
        c.reviewed_by = Some(reviewer.clone());
        c.reviewed_at = Some(now);
        stats.save(self.storage, c.datanet_id, &c.contributor)?;
        CONTRIBUTIONS.save(self.storage, id, &c)?;
        Ok(())
    }

    /// Accepts contribution `id` with `weight`: its weight counts, the root folds it in and its
    /// bond is returned.
    fn accept(
        &mut self,
        id: ContributionId,
        c: &mut Contribution,
        stats: &mut ContributorStats,
        weight: u64,
    ) -> Result<(), ContractError> {
        c.status = ContributionStatus::Accepted;
        c.weight = weight;
        stats.accepted.increment()?;
        stats.weight = stats.weight.add_checked(weight)?;
        self.tally.total_weight = self.tally.total_weight.add_checked(weight)?;
        self.tally.accepted_count.increment()?;
        let outcome = &mut *self.outcome;
        outcome.accepted_weight = outcome.accepted_weight.add_checked(weight)?;
        self.tally.extend_root(&c.data_hash, weight)?;
        return_bond(self.storage, self.totals, &c.contributor, c.bond)?;
        outcome.returned_bonds = outcome.returned_bonds.checked_add(c.bond)?;
        match outcome
            .new_weights
            .iter_mut()
            .find(|(a, _)| *a == c.contributor)
        {
            Some(entry) => entry.1 = stats.weight,
            None => outcome
                .new_weights
                .push((c.contributor.clone(), stats.weight)),
        }
        outcome.accepted_ids.push(id.to_string());
        Ok(())
    }
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
    let mut c = Contribution::load(deps.storage, contribution_id)?;
    let datanet = Datanet::load_as_curator(deps.storage, c.datanet_id, &info.sender)?;
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

    let mut stats = ContributorStats::load(deps.storage, c.datanet_id, &c.contributor)?;
    stats.weight = stats.weight.sub_checked(c.weight)?;
    stats.removed.increment()?;
    stats.save(deps.storage, c.datanet_id, &c.contributor)?;

    let mut tally = DatanetTally::load(deps.storage, c.datanet_id)?;
    tally.total_weight = tally.total_weight.sub_checked(c.weight)?;
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
    Datanet::load_as_curator(deps.storage, datanet_id, &info.sender)?;
    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;
    let version = tally.version_count.increment()?;
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
