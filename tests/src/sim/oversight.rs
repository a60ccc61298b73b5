//! Evaluators and ratings in the simulation: registration with a bond and a fee, verdicts
//! (paid whatever they say; an approval settles, a rejection opens the agent's appeal window),
//! escalation of a silent evaluator (its reservation slashed to the treasury), the agent's
//! appeal of a rejection, and the clients' ratings of ended tasks (weighted by what the task
//! paid the rated party, `econ::Ratings`).

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::agent_escrow::{
    self as escrow, FeedbackSubject, MilestoneStatus, ReputationResponse, TaskStatus,
};
use openledger_economics::Ratings;

use super::tasks::{result_hash, Need, Settle};
use super::trees::{Cost, EvaluatorModel};
use super::{Amount, Outcome, Sim, Target, Who};
use crate::data_hash;
use crate::escrow::{MIN_BOND, REVIEW};

impl Sim {
    /// `who` registers as an evaluator with `bond` and a fee per verdict; the model says it
    /// must succeed for a newcomer with the minimum bond in hand.
    pub(super) fn register_evaluator(&mut self, who: u8, bond: Amount, fee: Amount) -> Outcome {
        let who = self.actor(who);
        let bond = self.amount(&who, bond);
        let fee = match fee {
            Amount::All | Amount::Max => 1_000_000,
            a => self.amount(&who, a),
        };
        let funded = self.w.s.ledger.get(&who).copied().unwrap_or(0) >= bond;
        let allowed = !self.evaluators.contains_key(&who) && bond >= MIN_BOND && funded;
        let escrow = self.w.escrow.clone();
        expect_ok!(
            self.send(
                &who,
                &escrow,
                bond,
                &escrow::ReceiveMsg::RegisterEvaluator {
                    name: "evaluator".into(),
                    metadata_uri: "ipfs://evaluator".into(),
                    capabilities: vec!["review".into()],
                    fee: Uint128::new(fee),
                }
            ),
            allowed,
            "registering {who} as an evaluator with {bond}"
        );
        ensure!(allowed, "{who} registered as an evaluator with {bond}");
        self.moved(&who, &escrow, bond);
        self.evaluators.insert(who, EvaluatorModel { bond, fee });
        Ok(true)
    }

    /// The task's evaluator judges the current submitted milestone (`Who::Right`): an approval
    /// settles it (`Settle::Evaluate`); a rejection pays the fee and opens the agent's appeal
    /// window. A verdict about another result than the one delivered (`exact` false) must be
    /// refused with `ResultHashMismatch`.
    pub(super) fn evaluate(
        &mut self,
        who: Who,
        task: Target,
        approve: bool,
        exact: bool,
    ) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Evaluate, task) else {
            return Ok(false);
        };
        let t = self.tasks[(t.id - 1) as usize].clone();
        let right = t.evaluator.clone().unwrap_or_else(|| t.client.clone());
        let who = self.who(who, &right);
        let before = self.task(t.id);
        let index = before.task.current_milestone;
        let fits = Need::Evaluate.fits(&before, self.now()) && t.evaluator.as_ref() == Some(&who);
        if !exact {
            let given = data_hash("another result");
            let escrow = self.w.escrow.clone();
            let msg = escrow::ExecuteMsg::EvaluateMilestone {
                task_id: t.id,
                milestone: index,
                result_hash: given.clone(),
                approve,
                reason_hash: data_hash("reasons"),
            };
            let Err(e) = self.exec(&who, &escrow, &msg) else {
                return Err(format!(
                    "a verdict on another result of task {} was taken",
                    t.id
                ));
            };
            if fits {
                ensure_eq!(
                    e.downcast_ref::<agent_escrow::ContractError>(),
                    Some(&agent_escrow::ContractError::ResultHashMismatch {
                        given,
                        delivered: result_hash(t.id, index),
                    }),
                    "a verdict on another result of task {}",
                    t.id
                );
            }
            return Ok(false);
        }
        if approve {
            return self.settle(t.id, &who, Settle::Evaluate);
        }
        let record = self.overseer(t.evaluator.as_ref());
        let escrow = self.w.escrow.clone();
        expect_ok!(
            self.exec(
                &who,
                &escrow,
                &escrow::ExecuteMsg::EvaluateMilestone {
                    task_id: t.id,
                    milestone: index,
                    result_hash: result_hash(t.id, index),
                    approve: false,
                    reason_hash: data_hash("reasons"),
                }
            ),
            fits,
            "the rejection of task {} milestone {index}",
            t.id
        );
        ensure!(fits, "task {} rejected by {who}", t.id);
        let fee = t.fees.0;
        self.moved(&escrow, &who, fee);
        self.book_spend(t.id, index, Cost::Evaluation, fee);
        let after = self.task(t.id);
        let ms = &after.milestones[index as usize];
        ensure_eq!(
            (
                ms.status,
                ms.review_deadline,
                ms.verdict.as_ref().map(|v| v.approve),
                after.task.evaluation_fees_paid - before.task.evaluation_fees_paid
            ),
            (
                MilestoneStatus::Rejected,
                Some(self.now() + REVIEW),
                Some(false),
                Uint128::new(fee)
            ),
            "task {} milestone {index} after its rejection",
            t.id
        );
        self.overseer_changed(t.evaluator.as_ref(), record, |s| {
            s.evaluated += 1;
            s.rejected += 1;
            s.earned += Uint128::new(fee);
        })?;
        Ok(true)
    }

    /// Anyone escalates a milestone whose evaluator let its window pass: the evaluator's
    /// reservation for the task goes to the reward pool's treasury and the arbiter has the
    /// task's arbitration window.
    pub(super) fn escalate(&mut self, who: u8, task: Target) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Escalate, task) else {
            return Ok(false);
        };
        let t = self.tasks[(t.id - 1) as usize].clone();
        let who = self.actor(who);
        let before = self.task(t.id);
        let index = before.task.current_milestone;
        let allowed = Need::Escalate.fits(&before, self.now());
        let record = self.overseer(t.evaluator.as_ref());
        let escrow = self.w.escrow.clone();
        let res = expect_ok!(
            self.exec(
                &who,
                &escrow,
                &escrow::ExecuteMsg::Escalate {
                    task_id: t.id,
                    milestone: index,
                }
            ),
            allowed,
            "escalating task {} milestone {index}",
            t.id
        );
        ensure!(allowed, "task {} escalated in its evaluation window", t.id);
        let evaluator = t
            .evaluator
            .clone()
            .ok_or("escalated without an evaluator")?;
        let slash = t.reserved.0;
        let pool = self.w.s.pool.clone();
        self.moved(&escrow, &pool, slash);
        if let Some(e) = self.evaluators.get_mut(&evaluator) {
            e.bond -= slash;
        }
        self.tm(t.id).reserved.0 = 0;
        if slash > 0 {
            self.stats.evaluator_slashes += 1;
        }
        ensure_eq!(
            crate::escrow::attr(&res, "evaluator_slashed"),
            slash.to_string(),
            "the silent evaluator's slash"
        );
        let ms = self.task(t.id).milestones[index as usize].clone();
        ensure_eq!(
            (
                ms.status,
                ms.dispute_reason.as_deref(),
                ms.arbitration_deadline
            ),
            (
                MilestoneStatus::Disputed,
                Some("evaluator_silent"),
                Some(self.now() + before.task.arbitration_window)
            ),
            "task {} milestone {index} after escalation",
            t.id
        );
        self.overseer_changed(Some(&evaluator), record, |s| {
            s.missed += 1;
            s.slashed += Uint128::new(slash);
        })
        .map(|_| true)
    }

    /// The agent appeals a rejection within its appeal window (`Who::Right`); the arbiter
    /// then rules.
    pub(super) fn appeal(&mut self, who: Who, task: Target) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Appeal, task) else {
            return Ok(false);
        };
        let who = self.who(who, &t.agent);
        let before = self.task(t.id);
        let index = before.task.current_milestone;
        let allowed = who == t.agent && Need::Appeal.fits(&before, self.now());
        let agent_before = self.agent(&t.agent);
        let escrow = self.w.escrow.clone();
        expect_ok!(
            self.exec(
                &who,
                &escrow,
                &escrow::ExecuteMsg::DisputeMilestone {
                    task_id: t.id,
                    milestone: index,
                    reason: "the evaluator misread the spec".into(),
                }
            ),
            allowed,
            "the appeal of task {} milestone {index}",
            t.id
        );
        ensure!(allowed, "task {} milestone {index} appealed by {who}", t.id);
        let ms = self.task(t.id).milestones[index as usize].clone();
        ensure_eq!(
            (ms.status, ms.arbitration_deadline),
            (
                MilestoneStatus::Disputed,
                Some(self.now() + before.task.arbitration_window)
            ),
            "task {} milestone {index} after the appeal",
            t.id
        );
        // An appeal is not a client's dispute.
        ensure_eq!(
            self.agent(&t.agent).map(|g| g.stats.disputed),
            agent_before.map(|g| g.stats.disputed),
            "disputes counted on the agent of task {}",
            t.id
        );
        Ok(true)
    }

    /// The client of an ended task rates its agent or its evaluator (`Who::Right`: the
    /// client). The model says it must succeed once per task and subject, when the task paid
    /// the rated party something, and which error a refusal of the client must be; the rated
    /// party's ratings then grow by the rating weighed by what the task paid it.
    pub(super) fn give_feedback(
        &mut self,
        who: Who,
        task: Target,
        evaluator: bool,
        rating: u8,
    ) -> Outcome {
        let ended: Vec<u64> = self
            .tasks
            .iter()
            .filter(|t| t.ended && !self.rated.contains(&(t.id, evaluator)))
            .map(|t| t.id)
            .collect();
        let id = match (task, Self::pick(&ended, task.index())) {
            (Target::Fit(_), Some(id)) => *id,
            _ => match Self::pick(&self.tasks, task.index()) {
                Some(t) => t.id,
                None => return Ok(false),
            },
        };
        let t = self.tasks[(id - 1) as usize].clone();
        let who = self.who(who, &t.client);
        let info = self.task(id).task;
        let (rated, weight) = match (evaluator, &t.evaluator) {
            (false, _) => (Some(t.agent.clone()), info.paid_to_agent.u128()),
            (true, Some(e)) => (Some(e.clone()), info.evaluation_fees_paid.u128()),
            (true, None) => (None, 0),
        };
        let subject = if evaluator {
            FeedbackSubject::Evaluator
        } else {
            FeedbackSubject::Agent
        };
        let before = rated.as_ref().map(|a| self.reputation(a));
        let escrow = self.w.escrow.clone();
        let res = self.exec(
            &who,
            &escrow,
            &escrow::ExecuteMsg::GiveFeedback {
                task_id: id,
                subject,
                rating,
                tag: "on-time".into(),
            },
        );
        let expected = self.feedback_refusal(&t, &who, (evaluator, subject), rating, weight);
        let e = res.err();
        match (expected, e) {
            (Ok(()), Some(e)) => {
                return Err(format!(
                    "rating {subject:?} of task {id} was refused: {e:#}"
                ))
            }
            (Err(reason), None) => {
                return Err(format!(
                    "rating {subject:?} of task {id} was taken: {reason:?}"
                ))
            }
            (Err(reason), Some(e)) => {
                if let Some(reason) = reason {
                    ensure_eq!(
                        e.downcast_ref::<agent_escrow::ContractError>(),
                        Some(&reason),
                        "refusal of rating {subject:?} of task {id}"
                    );
                }
                return Ok(false);
            }
            (Ok(()), None) => {}
        }
        self.rated.insert((id, evaluator));
        let rated = rated.ok_or("rated nobody")?;
        let r = self.ratings.entry((rated.clone(), evaluator)).or_default();
        r.rate(rating, weight).map_err(|e| e.to_string())?;
        let expected = *r;
        self.rated_as_expected(&rated, evaluator, expected, before)
    }

    /// Why the escrow must refuse a rating (`Err(None)`: for a reason not checked to the
    /// field), or `Ok` when it must take it.
    fn feedback_refusal(
        &self,
        t: &super::trees::TaskModel,
        who: &Addr,
        (evaluator, subject): (bool, FeedbackSubject),
        rating: u8,
        weight: u128,
    ) -> Result<(), Option<agent_escrow::ContractError>> {
        use agent_escrow::ContractError as E;
        if *who != t.client {
            return Err(None);
        }
        if !t.ended {
            return Err(None);
        }
        if rating > escrow::MAX_RATING {
            return Err(None);
        }
        let subject_name = subject.as_str().to_string();
        if self.rated.contains(&(t.id, evaluator)) {
            return Err(Some(E::AlreadyRated {
                task_id: t.id,
                subject: subject_name,
            }));
        }
        if evaluator && t.evaluator.is_none() {
            return Err(Some(E::NoEvaluator { task_id: t.id }));
        }
        if weight == 0 {
            return Err(Some(E::NothingToRate {
                task_id: t.id,
                subject: subject_name,
            }));
        }
        Ok(())
    }

    /// `who`'s reputation.
    fn reputation(&self, who: &Addr) -> ReputationResponse {
        self.w.query(&escrow::QueryMsg::Reputation {
            address: who.to_string(),
        })
    }

    /// Checks `who`'s ratings (as evaluator or agent) against the model's, and its score.
    fn rated_as_expected(
        &self,
        who: &Addr,
        evaluator: bool,
        expected: Ratings,
        before: Option<ReputationResponse>,
    ) -> Outcome {
        let after = self.reputation(who);
        let (ratings, score) = match (evaluator, &after.agent, &after.evaluator) {
            (false, Some(a), _) => (a.ratings.clone(), a.score),
            (true, _, Some(e)) => (e.stats.ratings.clone(), e.score),
            _ => return Err(format!("{who} rated and without a record")),
        };
        ensure_eq!(
            (
                ratings.count,
                ratings.sum,
                ratings.weighted_sum.u128(),
                ratings.weight.u128(),
                score
            ),
            (
                expected.count,
                expected.sum,
                expected.weighted_sum,
                expected.weight,
                expected.score()
            ),
            "{who}'s ratings (as evaluator: {evaluator})"
        );
        // Nothing else of the record changes with a rating.
        if let Some(before) = before {
            let strip = |r: &ReputationResponse| {
                let mut r = r.clone();
                if let Some(a) = r.agent.as_mut() {
                    a.ratings = Default::default();
                    a.score = None;
                }
                if let Some(e) = r.evaluator.as_mut() {
                    e.stats.ratings = Default::default();
                    e.score = None;
                }
                r
            };
            ensure_eq!(
                strip(&after),
                strip(&before),
                "{who}'s record beside its ratings"
            );
        }
        Ok(true)
    }
}
