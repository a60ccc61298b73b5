//! Steps 38–39: the coordinator delivers its milestone and the client approves it (the
//! protocol fee is charged on what the milestone did not delegate: the sub-tasks paid their
//! own); the client rates the coordinator and the coordinator rates the specialists it paid
//! and the evaluator.

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, FeedbackSubject, Ratings, TaskStatus};

use super::super::agents::full_settlement;
use super::super::plan::units;
use super::super::Story;
use super::{Flow, COORDINATOR_RATING, EVALUATOR_RATING, ROOT_MILESTONE, SPECIALISTS};

/// `ratings` with one more rating `rating` of weight `weight`.
fn rated(ratings: &Ratings, rating: u8, weight: u128) -> Result<Ratings> {
    let weighted = weight
        .checked_mul(u128::from(rating))
        .context("rating overflow")?;
    Ok(Ratings {
        count: ratings
            .count
            .checked_add(1)
            .context("rating count overflow")?,
        sum: ratings
            .sum
            .checked_add(u64::from(rating))
            .context("rating sum overflow")?,
        weighted_sum: ratings.weighted_sum.checked_add(Uint128::new(weighted))?,
        weight: ratings.weight.checked_add(Uint128::new(weight))?,
    })
}

impl Story<'_> {
    /// The escrow settles task `task_id`'s milestone of `amount` in full for `agent` (see
    /// [`full_settlement`]): the protocol fee to the pool's treasury, the rest to the agent.
    /// Returns (protocol fee, agent's payout).
    pub(super) fn settle_full(
        &mut self,
        task_id: u64,
        amount: u128,
        spent: (u128, u128, u128),
        agent: &str,
    ) -> Result<(u128, u128)> {
        let (escrow_addr, pool) = (self.ledger.escrow.clone(), self.ledger.pool.clone());
        let (fee, to_agent) = full_settlement(amount, spent, self.rules.protocol_fee_bps)?;
        if fee > 0 {
            self.ledger.mv(
                &escrow_addr,
                &pool,
                fee,
                "protocol fees",
                "escrow protocol fees",
            )?;
            self.ledger.take_intake("escrow protocol fees", fee);
        }
        if to_agent > 0 {
            self.ledger.mv(
                &escrow_addr,
                agent,
                to_agent,
                "paid to agents",
                &format!("escrow payouts, task {task_id}"),
            )?;
        }
        Ok((fee, to_agent))
    }

    /// 38: the coordinator delivers the report built on its specialists' work; the client
    /// approves: the milestone pays the protocol fee on what it did not delegate and the rest
    /// of what it holds to the coordinator.
    pub(super) fn root_delivery(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let t = f.root;
        let submit = escrow::ExecuteMsg::SubmitMilestone {
            task_id: t,
            milestone: 0,
            result_hash: self.data_hash("due-diligence-report"),
            result_uri: format!("ipfs://story-{}/due-diligence-report.md", self.tag),
            inferences: vec![],
            input_hash: Some(self.data_hash("due-diligence-spec")),
        };
        self.exec(&escrow_addr, &submit, "coordinator", "deliver the report")?;
        let approve = escrow::ExecuteMsg::ApproveMilestone {
            task_id: t,
            milestone: 0,
        };
        let res = self.exec(&escrow_addr, &approve, "client", "approve the report")?;
        let coordinator = self.addr("coordinator")?;
        let (fee, to_agent) =
            self.settle_full(t, ROOT_MILESTONE, (0, f.delegated, 0), &coordinator)?;
        f.coordinator_paid = to_agent;
        f.protocol_fees = f.protocol_fees.checked_add(fee).context("fees overflow")?;
        let task = self.task_of(t)?.task;
        ensure!(
            task.status == TaskStatus::Completed
                && task.paid_to_agent.u128() == to_agent
                && task.protocol_fees.u128() == fee,
            "task {t} ended {:?}, paying the coordinator {} and {} in protocol fees; the ledger expects completed, {to_agent} and {fee}",
            task.status,
            task.paid_to_agent,
            task.protocol_fees
        );
        let gas = self.gas("approve_milestone (root, 3 sub-tasks delegated)", &res);
        self.done(format!(
            "coordinator delivers the due-diligence report; client approves task {t}: of {}, {} went to sub-tasks (they paid their own fees), protocol fee {fee} on the other {}, coordinator +{} (gas {gas})",
            units(ROOT_MILESTONE),
            units(f.delegated),
            units(ROOT_MILESTONE - f.delegated),
            units(to_agent)
        ))
    }

    /// The ratings `address` holds as an agent and as an evaluator.
    fn ratings_of(&self, address: &str) -> Result<(Option<Ratings>, Option<Ratings>)> {
        let rep: escrow::ReputationResponse = self.query(
            &self.ledger.escrow,
            &escrow::QueryMsg::Reputation {
                address: address.to_string(),
            },
            "reputation",
        )?;
        Ok((
            rep.agent.map(|a| a.ratings),
            rep.evaluator.map(|e| e.stats.ratings),
        ))
    }

    /// 39: the client rates the coordinator; the coordinator rates the two specialists it paid
    /// (the rejected one was paid nothing, so there is nothing to rate) and the evaluator on
    /// each sub-task. Each rating weighs what the task paid the rated party.
    pub(super) fn ratings(&mut self, f: &Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let feedback =
            |task_id: u64, subject, (rating, tag): (u8, &str)| escrow::ExecuteMsg::GiveFeedback {
                task_id,
                subject,
                rating,
                tag: tag.to_string(),
            };
        // (rater, task, subject, rated key, rating, weight)
        let mut plan = vec![(
            "client",
            f.root,
            FeedbackSubject::Agent,
            "coordinator",
            COORDINATOR_RATING,
            f.coordinator_paid,
        )];
        for (i, (s, id)) in SPECIALISTS.iter().zip(&f.subs).enumerate() {
            if let Some(r) = s.rating {
                plan.push((
                    "coordinator",
                    *id,
                    FeedbackSubject::Agent,
                    s.key,
                    r,
                    f.paid[i],
                ));
            }
        }
        for id in &f.subs {
            let weight = super::EVALUATION_FEE;
            let e = EVALUATOR_RATING;
            plan.push((
                "coordinator",
                *id,
                FeedbackSubject::Evaluator,
                "evaluator",
                e,
                weight,
            ));
        }
        let mut expected: Vec<(&str, FeedbackSubject, Ratings)> = vec![];
        for (_, _, subject, key, (rating, _), weight) in &plan {
            let found = expected
                .iter()
                .position(|(k, s, _)| k == key && s == subject);
            let now = match found {
                Some(p) => expected[p].2.clone(),
                None => {
                    let (agent, evaluator) = self.ratings_of(&self.addr(key)?)?;
                    match subject {
                        FeedbackSubject::Agent => agent,
                        FeedbackSubject::Evaluator => evaluator,
                    }
                    .unwrap_or_default()
                }
            };
            let next = rated(&now, *rating, *weight)?;
            match found {
                Some(p) => expected[p].2 = next,
                None => expected.push((key, *subject, next)),
            }
        }
        // The client's rating and the coordinator's first at once, then the coordinator's.
        let first = plan.iter().take(2).map(|(who, t, subject, _, r, _)| {
            self.call(who, &escrow_addr, &feedback(*t, *subject, *r))
        });
        let first = first.collect::<Result<Vec<_>>>()?;
        let results = self.all(first, "rate")?;
        for (who, t, subject, _, r, _) in plan.iter().skip(2) {
            self.exec(&escrow_addr, &feedback(*t, *subject, *r), who, "rate")?;
        }
        let mut scores = vec![];
        for (key, subject, want) in &expected {
            let (agent, evaluator) = self.ratings_of(&self.addr(key)?)?;
            let got = match subject {
                FeedbackSubject::Agent => agent,
                FeedbackSubject::Evaluator => evaluator,
            }
            .unwrap_or_default();
            ensure!(
                &got == want,
                "{key}'s ratings are {got:?}; the story expects {want:?}"
            );
            scores.push(format!("{key} {}/100", got.score().unwrap_or_default()));
        }
        let gas = self.gas("give_feedback", &results[0]);
        self.done(format!(
            "client rates coordinator {} ({}); coordinator rates researcher {} and legal_expert {} (risk_expert was paid nothing: nothing to rate) and evaluator {} on each sub-task; each rating weighs what its task paid; volume-weighted scores now: {} (gas {gas})",
            COORDINATOR_RATING.0,
            COORDINATOR_RATING.1,
            SPECIALISTS[0].rating.map_or(0, |r| r.0),
            SPECIALISTS[1].rating.map_or(0, |r| r.0),
            EVALUATOR_RATING.0,
            scores.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_weighs_what_the_task_paid() {
        let r = rated(&Ratings::default(), 90, 1_000).unwrap();
        let r = rated(&r, 60, 3_000).unwrap();
        assert_eq!((r.count, r.sum), (2, 150));
        assert_eq!(r.weighted_sum.u128(), 270_000);
        assert_eq!(r.score(), Some(67));
    }
}
