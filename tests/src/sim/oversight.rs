//! Evaluators and ratings in the simulation: registration with a bond and a fee, verdicts
//! (paid whatever they say; an approval settles, a rejection opens the agent's appeal window),
//! escalation of a silent evaluator (its reservation slashed to the treasury), the agent's
//! appeal of a rejection, the clients' ratings of ended tasks (weighted by what the task
//! paid the rated party, `econ::Ratings`), and an overseer's resignation from a task
//! (`resign_oversight`: the evaluator or the bonded arbiter on duty steps down while the
//! current milestone is pending).

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use openledger_common::msg::agent_escrow::{
    self as escrow, EvaluatorResponse, FeedbackSubject, MilestoneStatus, ReputationResponse,
    TaskResponse, TaskStatus,
};
use openledger_economics::Ratings;

use super::tasks::{result_hash, Need, Settle};
use super::trees::{Cost, EvaluatorModel, TaskModel};
use super::{event_attr, Amount, Outcome, Sim, Target, Who};
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
        // The evaluator it named (one that resigned must be refused).
        let right = t.evaluator.clone().unwrap_or_else(|| t.client.clone());
        let who = self.who(who, &right);
        let before = self.task(t.id);
        let index = before.task.current_milestone;
        let fits = Need::Evaluate.fits(&before, self.now()) && t.evaluator_on_duty() == Some(&who);
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
        let record = self.overseer(t.evaluator_on_duty());
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
            .evaluator_on_duty()
            .cloned()
            .ok_or("escalated without an evaluator on duty")?;
        let slash = t.reserved.0;
        let pool = self.w.s.pool.clone();
        self.moved(&escrow, &pool, slash);
        if let Some(e) = self.evaluators.get_mut(&evaluator) {
            e.bond -= slash;
        }
        // Slashed, the evaluator is taken off the task: the client reviews later deliveries.
        let m = self.tm(t.id);
        m.reserved.0 = 0;
        m.evaluator_resigned = true;
        m.fees.0 = 0;
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
        // The evaluator the task named, even one that resigned: it is rated for the verdicts
        // the task paid it before (`weight`).
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

    /// The task's evaluator on duty (`arbiter` false) or its bonded arbiter on duty (`arbiter`
    /// true) resigns from it (`Who::Right`; `Fit`: a task with that overseer on duty and its
    /// current milestone pending). The model decides the outcome to the field, in the escrow's
    /// order (`resign_refusal`). On success the overseer's reservation for the task is released
    /// and it no longer counts on the task: a resigned evaluator judges nothing more (the
    /// client reviews the next deliveries) and its fee is neither set aside nor paid, though
    /// the client may still rate it for what the task paid it before; a resigned arbiter gives
    /// way to the default arbiter, unbonded and unpaid. No token moves.
    pub(super) fn resign(&mut self, who: Who, task: Target, arbiter: bool) -> Outcome {
        let fit: Vec<u64> = self
            .tasks
            .iter()
            .filter(|t| self.can_resign(t, &self.task(t.id), arbiter))
            .map(|t| t.id)
            .collect();
        let id = match (task, Self::pick(&fit, task.index())) {
            (Target::Fit(_), Some(id)) => *id,
            _ => {
                let statuses = [TaskStatus::Open, TaskStatus::InProgress];
                match self.pick_task(&statuses, Need::Submit, Target::Any(task.index())) {
                    Some(t) => t.id,
                    None => return Ok(false),
                }
            }
        };
        let t = self.tasks[(id - 1) as usize].clone();
        let right = match (arbiter, &t.evaluator) {
            (true, _) => t.arbiter.clone(),
            // The evaluator it named (one that resigned already must be refused).
            (false, Some(e)) => e.clone(),
            (false, None) => t.client.clone(),
        };
        let who = self.who(who, &right);
        let before = self.task(id);
        let expected = self.resign_refusal(&t, &before, &who)?;
        let record = self.evaluator_record(&who);
        let escrow = self.w.escrow.clone();
        let res = self.exec(
            &who,
            &escrow,
            &escrow::ExecuteMsg::ResignOversight { task_id: id },
        );
        let (as_arbiter, res) = match (expected, res) {
            (Ok(as_arbiter), Ok(res)) => (as_arbiter, res),
            (Ok(as_arbiter), Err(e)) => {
                return Err(format!(
                    "the resignation of {who} (as arbiter: {as_arbiter}) from task {id} was \
                     refused: {e:#}"
                ))
            }
            (Err(reason), Ok(_)) => {
                return Err(format!(
                    "the resignation of {who} from task {id} was taken: {reason:?}"
                ))
            }
            (Err(reason), Err(e)) => {
                ensure_eq!(
                    e.downcast_ref::<agent_escrow::ContractError>(),
                    Some(&reason),
                    "refusal of {who}'s resignation from task {id}"
                );
                match reason {
                    agent_escrow::ContractError::OverseerBusy { .. } => {
                        self.stats.overseer_busy += 1
                    }
                    agent_escrow::ContractError::ArbiterIsParty { .. } => {
                        self.stats.default_arbiter_party += 1
                    }
                    _ => {}
                }
                return Ok(false);
            }
        };
        let released = if as_arbiter {
            t.reserved.1
        } else {
            t.reserved.0
        };
        let default = self.w.arbiter.clone();
        let m = self.tm(id);
        if as_arbiter {
            m.arbiter = default;
            m.arbiter_resigned = true;
            m.bonded_arbiter = false;
            m.fees.1 = 0;
            m.reserved.1 = 0;
            self.stats.arbiter_resignations += 1;
        } else {
            m.evaluator_resigned = true;
            m.fees.0 = 0;
            m.reserved.0 = 0;
            self.stats.evaluator_resignations += 1;
        }
        self.resigned(&before, (&who, as_arbiter, released), record, &res)
    }

    /// Whether `t` (as the escrow shows it: `r`) has the overseer `arbiter` picks on duty and
    /// is open or in progress with its current milestone pending.
    pub(super) fn can_resign(&self, t: &TaskModel, r: &TaskResponse, arbiter: bool) -> bool {
        let pending = r
            .milestones
            .get(r.task.current_milestone as usize)
            .is_some_and(|m| m.status == MilestoneStatus::Pending);
        t.resignable(arbiter).is_some()
            && pending
            && matches!(r.task.status, TaskStatus::Open | TaskStatus::InProgress)
    }

    /// Whether the escrow must take `who`'s resignation from `t` (as it shows it: `r`), and as
    /// what (`Ok(true)`: its bonded arbiter, `Ok(false)`: its evaluator), or the error it must
    /// refuse it with, in the escrow's order: a task that ended (`TaskFinished`), a sender that
    /// is none of its overseers on duty (`NotOverseer`), a current milestone that is not
    /// pending (`OverseerBusy`), a default arbiter that is the agent, the client or the
    /// evaluator on duty (`ArbiterIsParty`, for an arbiter).
    fn resign_refusal(
        &self,
        t: &TaskModel,
        r: &TaskResponse,
        who: &Addr,
    ) -> Result<Result<bool, agent_escrow::ContractError>, String> {
        use agent_escrow::ContractError as E;
        let task_id = t.id;
        let status = r.task.status;
        if !matches!(status, TaskStatus::Open | TaskStatus::InProgress) {
            return Ok(Err(E::TaskFinished { task_id, status }));
        }
        let as_evaluator = t.resignable(false) == Some(who);
        let as_arbiter = t.resignable(true) == Some(who);
        if !as_evaluator && !as_arbiter {
            return Ok(Err(E::NotOverseer { task_id }));
        }
        let milestone = r.task.current_milestone;
        let ms = r.milestones.get(milestone as usize).ok_or(format!(
            "task {task_id} ({status:?}) without milestone {milestone}"
        ))?;
        if ms.status != MilestoneStatus::Pending {
            return Ok(Err(E::OverseerBusy {
                task_id,
                milestone,
                status: ms.status,
            }));
        }
        if as_evaluator {
            return Ok(Ok(false));
        }
        let default = &self.w.arbiter;
        let mut parties = vec![("agent", &t.agent), ("client", &t.client)];
        parties.extend(t.evaluator_on_duty().map(|e| ("evaluator", e)));
        Ok(match parties.iter().find(|(_, a)| *a == default) {
            Some((role, _)) => Err(E::ArbiterIsParty {
                role: role.to_string(),
                address: default.to_string(),
            }),
            None => Ok(true),
        })
    }

    /// `who`'s evaluator record, if it has one.
    fn evaluator_record(&self, who: &Addr) -> Option<EvaluatorResponse> {
        self.w
            .s
            .app
            .wrap()
            .query_wasm_smart(
                &self.w.escrow,
                &escrow::QueryMsg::Evaluator {
                    address: who.to_string(),
                },
            )
            .ok()
    }

    /// Checks a resignation against the model (already updated): the response's attributes,
    /// the overseer's record (`record`: before) with its reservation for the task released and
    /// one open task fewer, the task as the escrow shows it (`before`) with only the resigned
    /// overseer's fields changed, and no contract's totals changed (no token moved: the
    /// ledger, untouched, is checked against every balance after the step).
    fn resigned(
        &mut self,
        before: &TaskResponse,
        (who, as_arbiter, released): (&Addr, bool, u128),
        record: Option<EvaluatorResponse>,
        res: &AppResponse,
    ) -> Outcome {
        let id = before.task.id;
        let m = self.tasks[(id - 1) as usize].clone();
        let escrow = self.w.escrow.to_string();
        let event = res
            .events
            .iter()
            .find(|e| e.ty == "wasm" && event_attr(e, "_contract_address") == Some(escrow.as_str()))
            .ok_or(format!(
                "no event of the escrow for task {id}'s resignation"
            ))?;
        let attr = |key: &str| event_attr(event, key).map(str::to_string);
        let role = if as_arbiter { "arbiter" } else { "evaluator" };
        ensure_eq!(
            [
                attr("action"),
                attr("task_id"),
                attr("overseer"),
                attr("role"),
                attr("released"),
                attr("arbiter"),
            ],
            [
                "resign_oversight".to_string(),
                id.to_string(),
                who.to_string(),
                role.to_string(),
                released.to_string(),
                m.arbiter.to_string(),
            ]
            .map(Some),
            "attributes of {who}'s resignation from task {id}"
        );
        let mut expected = record.ok_or(format!("{who} resigned without an evaluator record"))?;
        expected.reserved = expected
            .reserved
            .checked_sub(Uint128::new(released))
            .map_err(|e| format!("{who} released more than it reserved: {e}"))?;
        expected.free += Uint128::new(released);
        expected.open_tasks = expected
            .open_tasks
            .checked_sub(1)
            .ok_or(format!("{who} resigned with no open task"))?;
        ensure_eq!(
            self.evaluator_record(who),
            Some(expected),
            "{who}'s record after resigning from task {id}"
        );
        let mut shown = before.clone();
        let t = &mut shown.task;
        t.arbiter = m.arbiter.clone();
        t.evaluator_resigned = m.evaluator_resigned;
        t.arbiter_resigned = m.arbiter_resigned;
        t.evaluation_fee = Uint128::new(m.fees.0);
        t.arbitration_fee = Uint128::new(m.fees.1);
        if !as_arbiter {
            t.evaluator_reserved = Uint128::zero();
        }
        ensure_eq!(self.task(id), shown, "task {id} after {who}'s resignation");
        let now = self.snapshot();
        ensure_eq!(
            Some(&now),
            self.last.as_ref(),
            "{who}'s resignation from task {id} changed a contract's totals"
        );
        Ok(true)
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
