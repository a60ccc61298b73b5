//! Curation by a datanet's owner and curators: reviews and removals. Each acceptance and each
//! removal (of a contribution whose acceptance is in the log) appends a leaf to the datanet's
//! event log. A decision writes the contribution's review state and moves it in the status
//! index; its submission record is never rewritten.

use std::collections::BTreeSet;

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Storage, Timestamp, Uint128};
use openledger_common::attribution::DatanetId;
use openledger_common::handles::RewardPoolHandle;
use openledger_common::msg::datanet_registry::{
    AttributionMode, ContributionId, ContributionStatus, LeafKind, ReviewDecision,
    MAX_CONTRIBUTION_WEIGHT, MAX_NOTE_LEN, MAX_REVIEW_BATCH,
};
use openledger_common::msg::reward_pool::WeightUpdate;
use openledger_common::{validate_text, Checked};

use crate::error::ContractError;
use crate::execute::bonds::return_bond;
use crate::state::{
    BondTotals, Contribution, ContributorStats, Datanet, DatanetTally, BOND_TOTALS, CONFIG,
};
use crate::tree::LogAppender;
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
/// batch is validated before anything is written; the work is O(batch): each contribution is
/// read once (its submission and review state) and gets one small write (its review state) and
/// its move in the status index; each contributor's standing and bond balance is read and
/// written once per batch; the event log's last block is written once, and each of its larger
/// subtrees once.
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

    let tally = DatanetTally::load(deps.storage, datanet_id)?;
    let totals = BOND_TOTALS.load(deps.storage)?;
    let mut review = Review {
        log: LogAppender::new(datanet_id, tally.log_size),
        storage: deps.storage,
        tally,
        totals,
        standings: Vec::new(),
        outcome: ReviewOutcome::default(),
    };
    for decision in batch {
        review.apply(decision, &info.sender, env.block.time)?;
    }
    let (tally, outcome) = review.finish(datanet_id)?;

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
        .add_attribute("log_size", tally.log_size.to_string()))
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
        if c.submission.datanet_id != datanet_id {
            return Err(ContractError::ContributionNotInDatanet { id, datanet_id });
        }
        c.assert_pending(id)?;
        batch.push((id, c, decision));
    }
    Ok(batch)
}

/// A contributor's standing in the datanet under review, read once per batch.
struct Standing {
    address: Addr,
    stats: ContributorStats,
    /// Bonds of its contributions accepted in this batch.
    returned: Uint128,
}

/// The state a review batch changes as it applies its decisions one by one; `finish` stores
/// it.
struct Review<'a> {
    storage: &'a mut dyn Storage,
    tally: DatanetTally,
    totals: BondTotals,
    log: LogAppender,
    standings: Vec<Standing>,
    outcome: ReviewOutcome,
}

impl Review<'_> {
    /// Applies one checked decision by `reviewer` at `now`.
    fn apply(
        &mut self,
        (id, mut c, decision): Decision,
        reviewer: &Addr,
        now: Timestamp,
    ) -> Result<(), ContractError> {
        let at = self.standing(c.submission.datanet_id, &c.submission.contributor)?;
        let stats = &mut self.standings[at].stats;
        stats.pending = stats.pending.sub_checked(1)?;
        self.tally.pending_count = self.tally.pending_count.sub_checked(1)?;
        c.review.reviewed_by = Some(reviewer.clone());
        c.review.reviewed_at = Some(now);
        match decision {
            ReviewDecision::Accept { weight, .. } => self.accept(id, &mut c, at, weight)?,
            ReviewDecision::Reject { reason, .. } => {
                let bond = c.submission.bond;
                c.review.status = ContributionStatus::Rejected;
                c.review.reason = Some(reason);
                self.standings[at].stats.rejected.increment()?;
                self.totals.pending = self.totals.pending.checked_sub(bond)?;
                self.outcome.rejected_bonds = self.outcome.rejected_bonds.checked_add(bond)?;
                self.outcome.rejected_ids.push(id.to_string());
            }
        }
        // The batch checked that it was pending: it leaves the pending entries of the index.
        c.save_review(self.storage, id, ContributionStatus::Pending)?;
        Ok(())
    }

    /// The index in `standings` of `contributor`, read from storage the first time.
    fn standing(
        &mut self,
        datanet_id: DatanetId,
        contributor: &Addr,
    ) -> Result<usize, ContractError> {
        if let Some(at) = self
            .standings
            .iter()
            .position(|s| s.address == *contributor)
        {
            return Ok(at);
        }
        self.standings.push(Standing {
            address: contributor.clone(),
            stats: ContributorStats::load(self.storage, datanet_id, contributor)?,
            returned: Uint128::zero(),
        });
        Ok(self.standings.len() - 1)
    }

    /// Accepts contribution `id` with `weight`: its weight counts, its acceptance leaf joins the
    /// event log and its bond is returned.
    fn accept(
        &mut self,
        id: ContributionId,
        c: &mut Contribution,
        at: usize,
        weight: u64,
    ) -> Result<(), ContractError> {
        c.review.status = ContributionStatus::Accepted;
        c.review.weight = weight;
        c.review.accepted_seq = Some(self.log.append(self.storage, LeafKind::Accept, id, c)?);
        let (contributor, bond) = (&c.submission.contributor, c.submission.bond);
        let standing = &mut self.standings[at];
        standing.stats.accepted.increment()?;
        standing.stats.weight = standing.stats.weight.add_checked(weight)?;
        standing.returned = standing.returned.checked_add(bond)?;
        self.tally.total_weight = self.tally.total_weight.add_checked(weight)?;
        self.tally.accepted_count.increment()?;
        let outcome = &mut self.outcome;
        outcome.accepted_weight = outcome.accepted_weight.add_checked(weight)?;
        outcome.returned_bonds = outcome.returned_bonds.checked_add(bond)?;
        if !outcome.new_weights.iter().any(|(a, _)| a == contributor) {
            outcome.new_weights.push((contributor.clone(), 0));
        }
        outcome.accepted_ids.push(id.to_string());
        Ok(())
    }

    /// Stores the log's last block, the standings, the returned bonds, the totals and the tally
    /// (with the log's new size); returns the tally and the outcome with each changed
    /// contributor's new weight.
    fn finish(
        mut self,
        datanet_id: DatanetId,
    ) -> Result<(DatanetTally, ReviewOutcome), ContractError> {
        for s in &self.standings {
            s.stats.save(self.storage, datanet_id, &s.address)?;
            return_bond(self.storage, &mut self.totals, &s.address, s.returned)?;
        }
        for (address, weight) in self.outcome.new_weights.iter_mut() {
            if let Some(s) = self.standings.iter().find(|s| s.address == *address) {
                *weight = s.stats.weight;
            }
        }
        self.tally.log_size = self.log.finish(self.storage);
        self.tally.save(self.storage, datanet_id)?;
        BOND_TOTALS.save(self.storage, &self.totals)?;
        Ok((self.tally, self.outcome))
    }
}

/// Removes an accepted contribution: its weight stops counting from now on (the pool settles
/// what it earned before the change), and, when its acceptance is in the event log, a removal
/// leaf joins the log. Published versions keep it.
pub fn remove_contribution(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    contribution_id: ContributionId,
    reason: String,
) -> Result<Response, ContractError> {
    let mut c = Contribution::load(deps.storage, contribution_id)?;
    let datanet_id = c.submission.datanet_id;
    let datanet = Datanet::load_as_curator(deps.storage, datanet_id, &info.sender)?;
    if c.review.status != ContributionStatus::Accepted {
        return Err(ContractError::ContributionNotAccepted {
            id: contribution_id,
            status: c.review.status,
        });
    }
    validate_text("reason", &reason, 1, MAX_NOTE_LEN)?;
    let mut tally = DatanetTally::load(deps.storage, datanet_id)?;

    c.review.status = ContributionStatus::Removed;
    c.review.reason = Some(reason);
    c.review.reviewed_by = Some(info.sender.clone());
    c.review.reviewed_at = Some(env.block.time);
    // A contribution accepted by 0.3.0 and not backfilled has no acceptance leaf to undo: the
    // backfill will skip it.
    if c.review.accepted_seq.is_some() {
        let mut log = LogAppender::new(datanet_id, tally.log_size);
        let seq = log.append(deps.storage, LeafKind::Remove, contribution_id, &c)?;
        c.review.removed_seq = Some(seq);
        tally.log_size = log.finish(deps.storage);
    }
    c.save_review(deps.storage, contribution_id, ContributionStatus::Accepted)?;

    let (contributor, weight) = (&c.submission.contributor, c.review.weight);
    let mut stats = ContributorStats::load(deps.storage, datanet_id, contributor)?;
    stats.weight = stats.weight.sub_checked(weight)?;
    stats.removed.increment()?;
    stats.save(deps.storage, datanet_id, contributor)?;

    tally.total_weight = tally.total_weight.sub_checked(weight)?;
    tally.save(deps.storage, datanet_id)?;

    let mut res = Response::new();
    if datanet.attribution_mode == AttributionMode::Weight {
        let config = CONFIG.load(deps.storage)?;
        res = res.add_message(RewardPoolHandle(config.reward_pool).update_weights(
            datanet_id,
            vec![WeightUpdate {
                address: contributor.to_string(),
                weight: stats.weight,
            }],
        )?);
    }
    res = res
        .add_attribute("action", "remove_contribution")
        .add_attribute("datanet_id", datanet_id.to_string())
        .add_attribute("contribution_id", contribution_id.to_string())
        .add_attribute("contributor", contributor)
        .add_attribute("remover", info.sender)
        .add_attribute("weight", weight.to_string())
        .add_attribute("contributor_weight", stats.weight.to_string())
        .add_attribute("total_weight", tally.total_weight.to_string())
        .add_attribute("log_size", tally.log_size.to_string());
    if let Some(seq) = c.review.removed_seq {
        res = res.add_attribute("removed_seq", seq.to_string());
    }
    Ok(res)
}
