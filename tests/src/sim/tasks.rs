//! Tasks in the simulation: creation (with an evaluator and a named arbiter sometimes),
//! acceptance (the free bond the agent's record requires), delivery, settlement (approval by
//! the client or the evaluator, finalization, rulings), refunds and the end of a rejection that
//! stood; every payment is checked against the economics model (`econ::settle_spent`: model
//! fees, net delegated, evaluation and arbitration fees) and booked in the model of the task
//! trees (`trees`), a sub-task's returns going back into its parent milestone.

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use openledger_common::msg::agent_escrow::{
    self as escrow, AgentResponse, EvaluatorStats, MilestoneStatus, NewMilestone, NewTask,
    RefundReason, TaskResponse, TaskStatus,
};
use openledger_economics::{
    self as econ, bond_reservation, milestone_fees, required_bond, ruling_allowed_spent, spendable,
    EconomicsError,
};

use super::trees::{Cost, TaskModel, Terms};
use super::{
    attribution, model, payment_events, Amount, Outcome, Sim, Target, Who, FEE_SPLITS,
    RESERVED_BOND,
};
use crate::data_hash;
use crate::escrow::{ACCEPT, DELIVERY, FEE_BPS, MIN_BOND, REVIEW, SLASH_BPS};

/// The evaluation window of the simulation's tasks: 1 day.
pub const EVALUATION: u64 = 24 * 3600;

/// What a task-picking action needs of the task (`Target::Fit`).
#[derive(Clone, Copy, Debug)]
pub enum Need {
    /// Open, within its accept window.
    Accept,
    /// Its current milestone pending without open sub-tasks, before the delivery deadline.
    Submit,
    /// Its current milestone submitted or rejected (the client concedes).
    Approve,
    /// Its current milestone submitted without an evaluator, within the review window.
    Dispute,
    /// Its current milestone submitted without an evaluator, or rejected, the review (or
    /// appeal) window over.
    Finalize,
    /// Its current milestone disputed, within the arbitration window.
    Resolve,
    /// Open after its accept window, or its current milestone pending (no open sub-task)
    /// after the delivery deadline or disputed after the arbitration window.
    Refund,
    /// Its current milestone submitted to its evaluator, within the evaluation window.
    Evaluate,
    /// Its current milestone submitted to its evaluator, the evaluation window over.
    Escalate,
    /// Its current milestone rejected, within the appeal window.
    Appeal,
    /// Its current milestone pending, before the delivery deadline, with fewer than 8
    /// sub-tasks (whatever its depth: beyond the bound the escrow refuses).
    Delegate,
}

/// Whether an evaluator judges the task's deliveries: it names one that has not resigned.
pub fn judged(t: &escrow::TaskInfo) -> bool {
    t.evaluator.is_some() && !t.evaluator_resigned
}

impl Need {
    pub fn fits(self, r: &TaskResponse, now: u64) -> bool {
        let t = &r.task;
        let ms = r.milestones.get(t.current_milestone as usize);
        let status = ms.map(|m| m.status);
        let review = ms.and_then(|m| m.review_deadline);
        let arbitration = ms.and_then(|m| m.arbitration_deadline).unwrap_or(0);
        let evaluation = ms.and_then(|m| m.evaluation_deadline).unwrap_or(0);
        let subtasks = ms.map_or(0, |m| m.open_subtasks);
        let open = t.status == TaskStatus::Open;
        let live = t.status == TaskStatus::InProgress;
        let judged = judged(t);
        let is = |s: MilestoneStatus| live && status == Some(s);
        let pending = is(MilestoneStatus::Pending);
        let submitted = is(MilestoneStatus::Submitted);
        let rejected = is(MilestoneStatus::Rejected);
        let disputed = is(MilestoneStatus::Disputed);
        match self {
            Need::Accept => open && now < t.accept_deadline,
            Need::Submit => pending && subtasks == 0 && now < t.delivery_deadline,
            Need::Approve => submitted || rejected,
            Need::Dispute => submitted && !judged && review.is_some_and(|d| now < d),
            Need::Finalize => {
                (submitted && !judged && review.is_some_and(|d| now >= d))
                    || (rejected && review.is_some_and(|d| now >= d))
            }
            Need::Resolve => disputed && now < arbitration,
            Need::Refund => {
                (open && now >= t.accept_deadline)
                    || (pending && subtasks == 0 && now >= t.delivery_deadline)
                    || (disputed && now >= arbitration)
            }
            Need::Evaluate => submitted && judged && now < evaluation,
            Need::Escalate => submitted && judged && now >= evaluation,
            Need::Appeal => rejected && review.is_some_and(|d| now < d),
            Need::Delegate => {
                pending
                    && ms.is_some_and(|m| m.subtasks.len() < escrow::MAX_SUBTASKS_PER_MILESTONE)
                    && now < t.delivery_deadline
            }
        }
    }
}

/// How a milestone is settled.
#[derive(Clone, Copy, Debug)]
pub enum Settle {
    Approve,
    Finalize,
    Resolve(u16),
    /// The evaluator approves.
    Evaluate,
}

impl Settle {
    /// How the model settles it.
    fn outcome(self) -> econ::Outcome {
        match self {
            Settle::Approve | Settle::Finalize | Settle::Evaluate => econ::Outcome::Full,
            Settle::Resolve(share) => econ::Outcome::Ruling(share),
        }
    }
}

/// The hash of the result the agent delivers for milestone `index` of task `id`.
pub fn result_hash(id: u64, index: u32) -> String {
    data_hash(&format!("result-{id}-{index}"))
}

impl Sim {
    /// The terms the escrow must fix on a new task of `deposit` between `client` and `agent`
    /// that names `evaluator` and (`named`) an arbiter, or `None` when it must refuse them: the
    /// arbiter (the default one unless named) is neither party; the evaluator is none of the
    /// three and a registered evaluator with the minimum bond free; a registered arbiter needs
    /// it too and is bonded and paid, an unregistered one may only be the default arbiter.
    /// Each bonded overseer reserves `min(deposit, ⌊free × slash⌋)` of its bond.
    pub(super) fn terms(
        &self,
        (client, agent): (&Addr, &Addr),
        evaluator: Option<&Addr>,
        named: Option<&Addr>,
        deposit: u128,
    ) -> Result<Option<Terms>, String> {
        let arbiter = named.cloned().unwrap_or_else(|| self.w.arbiter.clone());
        if arbiter == *agent || arbiter == *client {
            return Ok(None);
        }
        let reserve = |who: &Addr| -> Result<Option<(u128, u128)>, String> {
            let Some(e) = self.evaluators.get(who) else {
                return Ok(None);
            };
            let free = e.bond - self.evaluator_reserved(who);
            if free < MIN_BOND {
                return Ok(None);
            }
            Ok(Some((
                e.fee,
                model(bond_reservation(deposit, free, SLASH_BPS))?,
            )))
        };
        let (evaluation, held) = match evaluator {
            None => ((0, 0), None),
            Some(e) if e == agent || e == client || *e == arbiter => return Ok(None),
            Some(e) => match reserve(e)? {
                Some(terms) => (terms, Some(e.clone())),
                None => return Ok(None),
            },
        };
        let (arbitration, bonded) =
            match (reserve(&arbiter)?, self.evaluators.contains_key(&arbiter)) {
                (Some(terms), _) => (terms, true),
                (None, true) => return Ok(None),
                (None, false) if named.is_some() => return Ok(None),
                (None, false) => ((0, 0), false),
            };
        Ok(Some(Terms {
            arbiter,
            evaluator: held,
            fees: (evaluation.0, arbitration.0),
            bonded_arbiter: bonded,
            reserved: (evaluation.1, arbitration.1),
        }))
    }

    /// Actor `i`, or for `i` ≥ 8 the first registered evaluator with the minimum bond free
    /// that is none of `not` (actor `i` modulo 8 if none is).
    pub(super) fn overseer_pick(&self, i: u8, not: &[&Addr]) -> Addr {
        if usize::from(i) < self.actors.len() {
            return self.actor(i);
        }
        self.actors
            .iter()
            .find(|a| {
                !not.contains(a)
                    && self
                        .evaluators
                        .get(*a)
                        .is_some_and(|e| e.bond - self.evaluator_reserved(a) >= MIN_BOND)
            })
            .cloned()
            .unwrap_or_else(|| self.actor(i))
    }

    /// Whether every milestone of `amounts` covers its protocol fee and the overseers' fees.
    pub(super) fn fees_fit(amounts: &[u128], fees: (u128, u128)) -> Result<bool, String> {
        for a in amounts {
            if *a == 0 || model(milestone_fees(*a, FEE_BPS, fees))? > *a {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `agent` can be given a task by `client`: a registered, active agent with the
    /// minimum bond, not the client.
    pub(super) fn can_work(&self, client: &Addr, agent: &Addr) -> bool {
        agent != client
            && self.agent(agent).is_some_and(|g| {
                g.status == escrow::AgentStatus::Active && g.bond.u128() >= MIN_BOND
            })
    }

    /// A new task of `amounts` for `agent`, due by `deadline`, naming its overseers.
    pub(super) fn new_task(
        agent: &Addr,
        amounts: &[u128],
        (accept_window, deadline): (u64, u64),
        (evaluator, arbiter): (Option<&Addr>, Option<&Addr>),
    ) -> NewTask {
        NewTask {
            agent: agent.to_string(),
            spec_hash: data_hash("spec"),
            spec_uri: "ipfs://spec".into(),
            milestones: amounts
                .iter()
                .enumerate()
                .map(|(i, a)| NewMilestone {
                    amount: Uint128::new(*a),
                    description: format!("milestone {i}"),
                })
                .collect(),
            accept_window,
            delivery_deadline: deadline,
            review_window: REVIEW,
            arbiter: arbiter.map(|a| a.to_string()),
            max_model_fees: Uint128::new(amounts.iter().sum()),
            min_bond_reserved: None,
            evaluation_window: evaluator.map(|_| EVALUATION),
            evaluator: evaluator.map(|e| e.to_string()),
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        }
    }

    /// A client gives an agent a root task; the model decides whether the escrow must take it
    /// (the deposit the milestones' sum and held by the client, the agent able to work, the
    /// overseers' terms, every milestone above its fees), and a refusal of a task it must take
    /// is a failure, as is a task it must refuse.
    pub(super) fn create_task(
        &mut self,
        (client, agent): (u8, u8),
        milestones: &[Amount],
        exact: bool,
        (evaluator, arbiter): (Option<u8>, Option<u8>),
    ) -> Outcome {
        let client = self.actor(client);
        let agent = self.actor(agent);
        let amounts: Vec<u128> = milestones
            .iter()
            .map(|a| match a {
                Amount::All | Amount::Max => 100_000,
                a => self.amount(&client, *a),
            })
            .collect();
        let sum: u128 = amounts.iter().sum();
        let deposit = if exact { sum } else { sum.saturating_sub(1) };
        let named = arbiter.map(|i| self.actor(i));
        let arbiter = named.clone().unwrap_or_else(|| self.w.arbiter.clone());
        let evaluator = evaluator.map(|i| self.overseer_pick(i, &[&client, &agent, &arbiter]));
        let terms = self.terms((&client, &agent), evaluator.as_ref(), named.as_ref(), sum)?;
        let funded = self.w.s.ledger.get(&client).copied().unwrap_or(0) >= deposit;
        let allowed = exact
            && funded
            && self.can_work(&client, &agent)
            && match &terms {
                Some(terms) => Self::fees_fit(&amounts, terms.fees)?,
                None => false,
            };
        let now = self.now();
        let task = Self::new_task(
            &agent,
            &amounts,
            (ACCEPT, now + DELIVERY),
            (evaluator.as_ref(), named.as_ref()),
        );
        let escrow = self.w.escrow.clone();
        let res = expect_ok!(
            self.send(
                &client,
                &escrow,
                deposit,
                &escrow::ReceiveMsg::CreateTask(task)
            ),
            allowed,
            "creating a task of {amounts:?} for {agent} by {client} (evaluator {evaluator:?}, \
             arbiter {named:?})"
        );
        let terms = match (allowed, terms) {
            (true, Some(terms)) => terms,
            _ => {
                return Err(format!(
                    "a task the escrow must refuse was created: {res:?}"
                ))
            }
        };
        let id: u64 = crate::escrow::attr(&res, "task_id")
            .parse()
            .map_err(|e| format!("task id: {e}"))?;
        ensure_eq!(id, self.tasks.len() as u64 + 1, "new task id");
        self.moved(&client, &escrow, deposit);
        self.tasks
            .push(TaskModel::new(id, (client, agent), &amounts, terms));
        self.created(id)
    }

    /// Checks a new task's terms against the model: its arbiter, evaluator and their fees.
    pub(super) fn created(&mut self, id: u64) -> Outcome {
        let m = self.tasks[(id - 1) as usize].clone();
        let t = self.task(id).task;
        ensure_eq!(
            (
                t.client,
                t.agent,
                t.arbiter,
                t.evaluator,
                t.evaluation_fee.u128(),
                t.arbitration_fee.u128(),
                t.deposit.u128(),
                t.depth,
            ),
            (
                m.client,
                m.agent,
                m.arbiter,
                m.evaluator,
                m.fees.0,
                m.fees.1,
                m.deposit,
                m.depth,
            ),
            "task {id}'s parties and terms"
        );
        Ok(true)
    }

    /// The agent accepts a task: within the accept window, with the free bond its record
    /// requires (`econ::required_bond`: the task's minimum, less for completed tasks, more for
    /// losses); a refusal for the free bond alone must be `FreeBondTooLow` to the field.
    pub(super) fn accept_task(&mut self, who: Who, task: Target) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::Open], Need::Accept, task) else {
            return Ok(false);
        };
        let who = self.who(who, &t.agent);
        let full = self.task(t.id);
        let before = full.task.clone();
        let agent_before = self.agent(&t.agent);
        let minimum = before.min_agent_bond.map_or(MIN_BOND, |m| m.u128());
        let required = match &agent_before {
            Some(g) => {
                let s = &g.stats;
                let losses = s.lost + s.missed + s.rejected;
                model(required_bond(minimum, s.proven, losses))?
            }
            None => minimum,
        };
        // The agent, in the accept window, with the required bond free.
        let in_window = who == t.agent && Need::Accept.fits(&full, self.now());
        let free = agent_before.as_ref().map_or(0, |g| g.free.u128());
        let escrow = self.w.escrow.clone();
        let res = self.exec(
            &who,
            &escrow,
            &escrow::ExecuteMsg::AcceptTask { task_id: t.id },
        );
        if let Err(e) = res {
            ensure!(
                !(in_window && free >= required),
                "accepting task {} ({agent_before:?}) was refused: {e:#}",
                t.id
            );
            if in_window {
                // Refused for its free bond alone: with exactly that error.
                let g = agent_before.as_ref().ok_or("no agent")?;
                ensure_eq!(
                    e.downcast_ref::<agent_escrow::ContractError>(),
                    Some(&agent_escrow::ContractError::FreeBondTooLow {
                        bond: g.bond,
                        reserved: g.reserved,
                        free: g.free,
                        required: Uint128::new(required),
                    }),
                    "refusal of task {} for a free bond below the required {required}",
                    t.id
                );
                self.stats.bond_refusals += 1;
            }
            return Ok(false);
        }
        ensure!(
            in_window && free >= required,
            "task {} accepted by {who} (in window: {in_window}, free {free} of {required})",
            t.id
        );
        self.accepted(&before, agent_before)?;
        Ok(true)
    }

    /// Checks an acceptance against the model: the agent reserved `min(deposit, ⌊free ×
    /// slash_bps / 10 000⌋)` for the task.
    fn accepted(
        &mut self,
        before: &escrow::TaskInfo,
        agent_before: Option<AgentResponse>,
    ) -> Result<(), String> {
        let a = agent_before.ok_or("a task of an unregistered agent was accepted")?;
        let free = a
            .bond
            .u128()
            .checked_sub(a.reserved.u128())
            .ok_or("an agent had more reserved than its bond")?;
        let reserved = model(bond_reservation(
            before.deposit.u128(),
            free,
            before.slash_bps,
        ))?;
        let after = self.task(before.id).task;
        ensure_eq!(
            after.bond_reserved,
            Some(Uint128::new(reserved)),
            "bond reserved for task {} (free {free}, deposit {})",
            before.id,
            before.deposit
        );
        let g = self
            .agent(&before.agent)
            .ok_or("the agent vanished at acceptance")?;
        ensure_eq!(
            g.reserved.u128(),
            a.reserved.u128() + reserved,
            "agent's reservation after accepting task {}",
            before.id
        );
        Ok(())
    }

    /// The agent delivers the current milestone with inferences of model 1 (`None`: the
    /// lineage; `Some(b)`: datanet 1's share of a signed attribution). The model says it must
    /// succeed when the agent delivers in time, no sub-task is open and the fees fit in what
    /// the milestone can still spend (`econ::spendable`).
    pub(super) fn submit_milestone(
        &mut self,
        who: Who,
        task: Target,
        inferences: Vec<Option<u16>>,
    ) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Submit, task) else {
            return Ok(false);
        };
        let who = self.who(who, &t.agent);
        let milestone = self.task(t.id).task.current_milestone;
        let mut items = vec![];
        for b in inferences {
            let id = self.inference_id();
            items.push(match b {
                None => self.w.lineage_inference(&id),
                Some(b) => self.w.signed_inference(&id, attribution(b)),
            });
        }
        let before = self.task(t.id);
        let fees = items.len() as u128 * self.models[0].fee;
        let fits = match t.milestones.get(milestone as usize) {
            Some(m) => fees <= model(spendable(m.amount, FEE_BPS, t.fees, m.spent))?,
            None => false,
        };
        let allowed = who == t.agent && Need::Submit.fits(&before, self.now()) && fits;
        let res = expect_ok!(
            self.exec(
                &who,
                &self.w.escrow.clone(),
                &escrow::ExecuteMsg::SubmitMilestone {
                    task_id: t.id,
                    milestone,
                    result_hash: result_hash(t.id, milestone),
                    result_uri: "ipfs://result".into(),
                    inferences: items,
                    input_hash: None,
                }
            ),
            allowed,
            "submitting milestone {milestone} of task {}",
            t.id
        );
        ensure!(
            allowed,
            "milestone {milestone} of task {} submitted by {who} (fees {fees} fit: {fits})",
            t.id
        );
        self.submitted(&t, &before, &res)
    }

    /// Checks a submission against the model: every model fee (the model's fee now) is paid
    /// in the same transaction, each as its own payment to model licensing split on its own,
    /// out of the milestone; the evaluator's window opens (or, without one, the client's review
    /// window).
    fn submitted(&mut self, t: &TaskModel, before: &TaskResponse, res: &AppResponse) -> Outcome {
        let index = before.task.current_milestone;
        let after = self.task(t.id);
        let ms = after
            .milestones
            .get(index as usize)
            .cloned()
            .ok_or("submitted milestone missing")?;
        let now = self.now();
        let windows = match t.evaluator_on_duty() {
            Some(_) => (None, Some(now + EVALUATION)),
            None => (Some(now + REVIEW), None),
        };
        ensure_eq!(
            (ms.status, ms.review_deadline, ms.evaluation_deadline),
            (MilestoneStatus::Submitted, windows.0, windows.1),
            "milestone {index} of task {} after submission",
            t.id
        );
        let escrow = self.w.escrow.clone();
        let mut fees = 0u128;
        let mut splits = vec![];
        for inference in &ms.inferences {
            let model_id = inference.payment.model_id;
            let fee = self.models[(model_id - 1) as usize].fee;
            ensure_eq!(
                (inference.fee.u128(), inference.status),
                (fee, escrow::ModelFeeStatus::Paid),
                "fee recorded for model {model_id}"
            );
            fees += fee;
            let shares = match &inference.payment.attribution {
                None => super::LINEAGE.to_vec(),
                Some(a) => a.iter().map(|s| (s.datanet_id, s.weight_bps)).collect(),
            };
            splits.push((
                model_id,
                inference.payment.inference_id.clone(),
                (fee, shares),
            ));
        }
        ensure_eq!(ms.model_fees.u128(), fees, "milestone's model fees");
        let mut checked = 0;
        for (_, id, item) in &splits {
            checked += super::fee_splits_add_up_one(res, id, item)?;
        }
        ensure_eq!(checked as usize, splits.len(), "model fee payments found");
        self.stats.fee_splits += checked;
        self.stats.checked(FEE_SPLITS, checked);
        // The escrow pays each model fee on its own: one `distribute` each.
        for (model_id, id, item) in splits {
            let e = super::payment_event(res, Some(&id))?;
            self.settle_payments(&escrow, &[(model_id, item)], e)?;
        }
        self.book_spend(t.id, index, Cost::ModelFees, fees);
        let (a, b) = (&after.task, &before.task);
        ensure_eq!(
            (
                a.escrowed + Uint128::new(fees),
                a.model_fees_paid - b.model_fees_paid
            ),
            (b.escrowed, Uint128::new(fees)),
            "task {} after submitting milestone {index}",
            t.id
        );
        Ok(true)
    }

    /// The evaluator's (or, when `id` has none, nobody's) record.
    pub(super) fn overseer(&self, who: Option<&Addr>) -> Option<EvaluatorStats> {
        let who = who?;
        let e: escrow::EvaluatorResponse = self
            .w
            .s
            .app
            .wrap()
            .query_wasm_smart(
                &self.w.escrow,
                &escrow::QueryMsg::Evaluator {
                    address: who.to_string(),
                },
            )
            .ok()?;
        Some(e.stats)
    }

    /// Checks that `who`'s evaluator record changed from `before` exactly as `change` says.
    pub(super) fn overseer_changed(
        &self,
        who: Option<&Addr>,
        before: Option<EvaluatorStats>,
        change: impl FnOnce(&mut EvaluatorStats),
    ) -> Result<(), String> {
        let Some(mut expected) = before else {
            return Ok(());
        };
        change(&mut expected);
        ensure_eq!(
            self.overseer(who),
            Some(expected),
            "the record of overseer {who:?}"
        );
        Ok(())
    }

    /// Settles the current milestone of `t` (approval by the client or the evaluator,
    /// finalization, a ruling) and checks every payment against the model: the fee paid first
    /// (the evaluator's on its approval, a bonded arbiter's on its ruling), then
    /// `econ::settle_spent` over everything the milestone spent; the client's part goes to the
    /// client of a root task, back into the parent milestone of a sub-task; a ruling of 0
    /// slashes the task's reservation to the client. The escrow must report exactly this one
    /// settlement.
    pub(super) fn settle(&mut self, id: u64, who: &Addr, how: Settle) -> Outcome {
        let t = self.tasks[(id - 1) as usize].clone();
        let before = self.task(id);
        let index = before.task.current_milestone;
        let (Some(ms), Some(money)) = (
            before.milestones.get(index as usize).cloned(),
            t.milestones.get(index as usize).cloned(),
        ) else {
            return Ok(false);
        };
        let agent_before = self.agent(&t.agent);
        let now = self.now();
        let bps = before.task.protocol_fee_bps;
        let (fee, payee) = match how {
            Settle::Evaluate => (t.fees.0, t.evaluator_on_duty().cloned()),
            Settle::Resolve(_) if t.bonded_arbiter => (t.fees.1, Some(t.arbiter.clone())),
            _ => (0, None),
        };
        let mut spent = money.spent;
        match how {
            Settle::Evaluate => spent.evaluation_fee += fee,
            Settle::Resolve(_) => spent.arbitration_fee += fee,
            _ => {}
        }
        let live = before.task.status == TaskStatus::InProgress;
        let allowed = match how {
            // The client, on a submitted, disputed or rejected milestone (it concedes).
            Settle::Approve => {
                *who == t.client
                    && live
                    && matches!(
                        ms.status,
                        MilestoneStatus::Submitted
                            | MilestoneStatus::Disputed
                            | MilestoneStatus::Rejected
                    )
            }
            Settle::Finalize => {
                Need::Finalize.fits(&before, now) && ms.status == MilestoneStatus::Submitted
            }
            // The arbiter, in the window, with a share that covers the costs (or 0).
            Settle::Resolve(share) => {
                *who == t.arbiter
                    && Need::Resolve.fits(&before, now)
                    && ruling_allowed_spent(money.amount, spent, bps, share)
            }
            Settle::Evaluate => {
                Some(who) == t.evaluator_on_duty() && Need::Evaluate.fits(&before, now)
            }
        };
        let msg = match how {
            Settle::Approve => escrow::ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: index,
            },
            Settle::Finalize => escrow::ExecuteMsg::Finalize {
                task_id: id,
                milestone: index,
            },
            Settle::Resolve(share) => escrow::ExecuteMsg::Resolve {
                task_id: id,
                milestone: index,
                agent_share_bps: share,
            },
            Settle::Evaluate => escrow::ExecuteMsg::EvaluateMilestone {
                task_id: id,
                milestone: index,
                result_hash: result_hash(id, index),
                approve: true,
                reason_hash: data_hash("reasons"),
            },
        };
        let records = (
            self.overseer(t.evaluator.as_ref()),
            self.overseer(Some(&t.arbiter)),
        );
        let escrow = self.w.escrow.clone();
        let res = expect_ok!(
            self.exec(who, &escrow, &msg),
            allowed,
            "{how:?} of task {id} milestone {index} by {who}"
        );
        ensure!(
            allowed,
            "{how:?} of task {id} milestone {index} by {who} was accepted"
        );
        let s =
            econ::settle_spent(money.amount, spent, bps, how.outcome()).map_err(|e| {
                match (how, e) {
                    (Settle::Resolve(share), EconomicsError::BelowCosts { settled, .. }) => {
                        format!(
                            "a ruling of {share} bps settled {settled} below its costs {spent:?}"
                        )
                    }
                    (_, e) => e.to_string(),
                }
            })?;
        let held = money.amount - spent.total().map_err(|e| e.to_string())?;
        let reserved = before.task.bond_reserved.map_or(0, |r| r.u128());
        // A ruling of 0 slashes the task's reservation.
        let slash = if let Settle::Resolve(0) = how {
            reserved
        } else {
            0
        };
        ensure!(
            before.task.bond_reserved.is_some(),
            "task {id} settled without a reservation"
        );
        let pool = self.w.s.pool.clone();
        if let Some(payee) = &payee {
            self.moved(&escrow, payee, fee);
        }
        self.moved(&escrow, &pool, s.protocol_fee);
        self.moved(&escrow, &t.agent, s.agent);
        self.moved(&escrow, &t.client, slash);
        if t.parent.is_none() {
            self.moved(&escrow, &t.client, s.client);
        }
        match how {
            Settle::Evaluate => self.book_spend(id, index, Cost::Evaluation, fee),
            Settle::Resolve(_) => self.book_spend(id, index, Cost::Arbitration, fee),
            _ => {}
        }
        self.tm(id).escrowed -= held;
        self.mm(id, index).closed = true;
        self.give_back(id, s.client);
        let completed = index + 1 == before.task.milestone_count;
        if completed {
            let m = self.tm(id);
            m.ended = true;
            m.reserved = (0, 0);
        }
        ensure!(
            payment_events(&res).is_empty(),
            "a settlement paid a model fee"
        );
        ensure_eq!(
            self.step_settlements,
            vec![(id, index)],
            "settlements reported by {how:?} of task {id} milestone {index}"
        );
        self.settled(id, &before, (s, fee, slash), how)?;
        self.settled_overseers(&t, how, fee, records, ms.verdict.as_ref())?;
        let a = agent_before.ok_or("a task of an unregistered agent settled")?;
        self.agent_settled(&t, a, (reserved, slash), completed)?;
        if let Settle::Resolve(0) = how {
            self.stats.checked(RESERVED_BOND, 1);
            if slash > 0 {
                self.stats.slashes += 1;
            }
        }
        Ok(true)
    }

    /// Checks the task after a settlement: what it paid the agent, the protocol, the overseer
    /// and back, and what remains reserved.
    fn settled(
        &self,
        id: u64,
        before: &TaskResponse,
        (s, fee, slash): (econ::Settlement, u128, u128),
        how: Settle,
    ) -> Result<(), String> {
        let after = self.task(id).task;
        let b = &before.task;
        let index = b.current_milestone;
        let completed = after.status == TaskStatus::Completed;
        let reserved = b.bond_reserved.map_or(0, |r| r.u128());
        let (evaluation, arbitration) = match how {
            Settle::Evaluate => (fee, 0),
            Settle::Resolve(_) => (0, fee),
            _ => (0, 0),
        };
        ensure_eq!(
            (
                after.paid_to_agent - b.paid_to_agent,
                after.protocol_fees - b.protocol_fees,
                after.model_fees_paid - b.model_fees_paid,
                after.slashed - b.slashed,
                after.refunded - b.refunded,
                after.evaluation_fees_paid - b.evaluation_fees_paid,
                after.arbitration_fees_paid - b.arbitration_fees_paid,
                after.bond_reserved,
                completed,
            ),
            (
                Uint128::new(s.agent),
                Uint128::new(s.protocol_fee),
                Uint128::zero(),
                Uint128::new(slash),
                Uint128::new(s.client),
                Uint128::new(evaluation),
                Uint128::new(arbitration),
                // What remains of the reservation; all of it is released when the task ends.
                Some(Uint128::new(if completed { 0 } else { reserved - slash })),
                index + 1 == b.milestone_count,
            ),
            "task {id} after settling milestone {index} ({how:?})"
        );
        Ok(())
    }

    /// Checks the overseers' records after a settlement: an approving evaluator's verdict and
    /// fee, a bonded arbiter's ruling and fee, a rejection overturned by a ruling above 0.
    fn settled_overseers(
        &mut self,
        t: &TaskModel,
        how: Settle,
        fee: u128,
        (evaluator, arbiter): (Option<EvaluatorStats>, Option<EvaluatorStats>),
        verdict: Option<&escrow::Verdict>,
    ) -> Result<(), String> {
        let fee = Uint128::new(fee);
        match how {
            Settle::Evaluate => self.overseer_changed(t.evaluator.as_ref(), evaluator, |s| {
                s.evaluated += 1;
                s.approved += 1;
                s.earned += fee;
            }),
            Settle::Resolve(share) => {
                let overturned = verdict.is_some_and(|v| !v.approve) && share > 0;
                if overturned {
                    self.stats.overturned += 1;
                }
                if t.bonded_arbiter {
                    self.stats.bonded_rulings += 1;
                }
                self.overseer_changed(t.evaluator.as_ref(), evaluator, |s| {
                    s.overturned += u64::from(overturned);
                })?;
                // An unbonded arbiter (the default one, or the default one again after the named
                // one resigned) rules unpaid, and its record, if it has one, stays as it was.
                let bonded = t.bonded_arbiter;
                self.overseer_changed(Some(&t.arbiter), arbiter, |s| {
                    if bonded {
                        s.arbitrated += 1;
                        s.earned += fee;
                    }
                })
            }
            _ => self.overseer_changed(t.evaluator.as_ref(), evaluator, |_| {}),
        }
    }

    /// Checks the agent after a settlement: a ruling of 0 takes exactly the task's
    /// reservation out of its bond; the end of the task releases the rest.
    fn agent_settled(
        &self,
        t: &TaskModel,
        a: AgentResponse,
        (reserved, slash): (u128, u128),
        completed: bool,
    ) -> Result<(), String> {
        let g = self
            .agent(&t.agent)
            .ok_or("the agent vanished at settlement")?;
        let released = if completed { reserved - slash } else { 0 };
        // A completed task proves the agent's record when it paid at least the minimum bond.
        let paid = self.task(t.id).task.paid_to_agent.u128();
        let proven = u64::from(completed && paid >= MIN_BOND);
        ensure_eq!(
            (
                g.bond.u128() + slash,
                g.reserved.u128() + slash + released,
                g.stats.proven
            ),
            (a.bond.u128(), a.reserved.u128(), a.stats.proven + proven),
            "agent's bond, reservation and proven tasks after settling task {}",
            t.id
        );
        Ok(())
    }

    /// Refunds a task whose time ran out: everything it holds goes back to its client (into
    /// the parent milestone for a sub-task); a bonded arbiter that let its window pass loses its
    /// reservation for the task to the reward pool's treasury.
    pub(super) fn refund(&mut self, who: u8, task: Target) -> Outcome {
        let Some(t) = self.pick_task(
            &[TaskStatus::Open, TaskStatus::InProgress],
            Need::Refund,
            task,
        ) else {
            return Ok(false);
        };
        let t = self.tasks[(t.id - 1) as usize].clone();
        let who = self.actor(who);
        let before = self.task(t.id);
        let allowed = Need::Refund.fits(&before, self.now());
        let status = before
            .milestones
            .get(before.task.current_milestone as usize)
            .map(|m| m.status);
        let reason = match (before.task.status, status) {
            (TaskStatus::Open, _) => RefundReason::AcceptWindowExpired,
            (_, Some(MilestoneStatus::Disputed)) => RefundReason::ArbiterSilent,
            _ => RefundReason::DeliveryDeadlineMissed,
        };
        let silent = reason == RefundReason::ArbiterSilent && t.bonded_arbiter;
        let slash = if silent { t.reserved.1 } else { 0 };
        // An unbonded arbiter's record (if it has one) stays as it was.
        let record = self.overseer(Some(&t.arbiter));
        let missed_before = self.agent(&t.agent).map_or(0, |g| g.stats.missed);
        let escrow = self.w.escrow.clone();
        let res = expect_ok!(
            self.exec(&who, &escrow, &escrow::ExecuteMsg::Refund { task_id: t.id }),
            allowed,
            "refunding task {}",
            t.id
        );
        ensure!(allowed, "task {} refunded out of time", t.id);
        self.ended_with_refund(&t, &before, reason)?;
        // Only a delivery deadline the agent accepted counts against it.
        let missed = u64::from(reason == RefundReason::DeliveryDeadlineMissed);
        ensure_eq!(
            self.agent(&t.agent).map_or(0, |g| g.stats.missed),
            missed_before + missed,
            "agent's missed deadlines after refunding task {} ({reason:?})",
            t.id
        );
        if slash > 0 {
            let pool = self.w.s.pool.clone();
            self.moved(&escrow, &pool, slash);
            if let Some(e) = self.evaluators.get_mut(&t.arbiter) {
                e.bond -= slash;
            }
            ensure_eq!(
                crate::escrow::attr(&res, "arbiter_slashed"),
                slash.to_string(),
                "the silent arbiter's slash"
            );
        }
        self.overseer_changed(Some(&t.arbiter), record, |s| {
            if silent {
                s.missed += 1;
                s.slashed += Uint128::new(slash);
            }
        })?;
        Ok(true)
    }

    /// Books and checks a task that ended with a refund for `reason`: everything it held went
    /// back (to its client, or into its parent milestone).
    pub(super) fn ended_with_refund(
        &mut self,
        t: &TaskModel,
        before: &TaskResponse,
        reason: RefundReason,
    ) -> Result<(), String> {
        let escrow = self.w.escrow.clone();
        // A task that ends against its agent gives its client what the current milestone's
        // sub-tasks spent, out of the agent's bond reserved for the task.
        let compensation = match reason {
            RefundReason::DeliveryDeadlineMissed | RefundReason::Rejected => {
                let index = before.task.current_milestone as usize;
                let delegated = t.milestones.get(index).map_or(0, |m| m.spent.delegated);
                delegated.min(before.task.bond_reserved.map_or(0, |r| r.u128()))
            }
            _ => 0,
        };
        let amount = self.book_end(t.id);
        ensure_eq!(
            amount,
            before.task.escrowed.u128(),
            "refund of task {}",
            t.id
        );
        if t.parent.is_none() {
            self.moved(&escrow, &t.client, amount);
        } else {
            self.stats.subtask_refunds += 1;
        }
        if compensation > 0 {
            self.moved(&escrow, &t.client, compensation);
            self.stats.compensations += 1;
        }
        let after = self.task(t.id).task;
        ensure_eq!(
            (
                after.status,
                after.refund_reason,
                after.escrowed.u128(),
                after.refunded - before.task.refunded,
                after.slashed - before.task.slashed
            ),
            (
                TaskStatus::Refunded,
                Some(reason),
                0,
                Uint128::new(amount),
                Uint128::new(compensation)
            ),
            "refunded task {}",
            t.id
        );
        ensure!(
            self.step_settlements.is_empty(),
            "a refund reported settlements: {:?}",
            self.step_settlements
        );
        Ok(())
    }

    /// Anyone, once the agent's appeal window of a rejected milestone has passed: the rejection
    /// stands, the task ends refunded (`rejected`) and the agent counts one rejection more.
    pub(super) fn finalize_rejection(&mut self, id: u64, who: &Addr) -> Outcome {
        let t = self.tasks[(id - 1) as usize].clone();
        let before = self.task(id);
        let index = before.task.current_milestone;
        let allowed = Need::Finalize.fits(&before, self.now());
        let agent_before = self.agent(&t.agent).ok_or("no agent")?;
        let escrow = self.w.escrow.clone();
        expect_ok!(
            self.exec(
                who,
                &escrow,
                &escrow::ExecuteMsg::Finalize {
                    task_id: id,
                    milestone: index,
                }
            ),
            allowed,
            "finalizing the rejection of task {id} milestone {index}"
        );
        ensure!(
            allowed,
            "task {id}'s rejection finalized in its appeal window"
        );
        self.ended_with_refund(&t, &before, RefundReason::Rejected)?;
        let g = self.agent(&t.agent).ok_or("the agent vanished")?;
        ensure_eq!(
            (g.stats.rejected, g.stats.missed, g.reserved.u128()),
            (
                agent_before.stats.rejected + 1,
                agent_before.stats.missed,
                agent_before.reserved.u128() - before.task.bond_reserved.map_or(0, |r| r.u128())
            ),
            "agent of task {id} after its rejection stood"
        );
        self.stats.rejections_stood += 1;
        Ok(true)
    }
}
