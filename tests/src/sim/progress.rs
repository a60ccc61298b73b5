//! The guided escrow action (`Action::Progress`) and the deadlines `Action::Jump` moves to:
//! takes the `nth` live task one step further along its life, as its party would, through
//! every workflow of the escrow: acceptance, delegation of part of a milestone to another
//! agent (registering one first when none can take it), delivery, the evaluator's verdict or
//! its silence and the escalation, the client's approval or dispute, the agent's appeal of a
//! rejection or the end of the appeal window, rulings, refunds after a deadline; and, now and
//! then, a new task (with an evaluator and a named arbiter sometimes, registering an evaluator
//! first when none is) or a client's rating of an ended task; and in the workflows, now and
//! then, an overseer resigning from a task whose current milestone is pending.

use std::collections::BTreeMap;

use cosmwasm_std::Addr;
use openledger_common::msg::agent_escrow::{
    AgentResponse, AgentStatus, MilestoneStatus, TaskResponse, TaskStatus,
};
use openledger_common::msg::reward_pool::{self as pool, StakingPoolResponse};
use openledger_economics::spendable;

use super::tasks::{judged, Need};
use super::{Action, Amount, Sim, Target, Who};
use crate::escrow::{FEE_BPS, MIN_BOND};

/// Every task's response, queried once for a decision.
type Responses = BTreeMap<u64, TaskResponse>;

impl Sim {
    /// The index of actor `a`.
    fn index_of(&self, a: &Addr) -> u8 {
        self.actors.iter().position(|x| x == a).unwrap_or(0) as u8
    }

    /// `id` as the target of an action that needs `need` (among the tasks that fit it, in the
    /// order `pick_task` lists them).
    fn fit(responses: &Responses, id: u64, need: Need, now: u64) -> Target {
        let k = responses
            .values()
            .filter(|r| need.fits(r, now))
            .position(|r| r.task.id == id)
            .unwrap_or(0);
        Target::Fit(k as u8)
    }

    /// Registered evaluators (actors) with the minimum bond free, other than `not`.
    fn free_evaluators(&self, not: &[&Addr]) -> Vec<u8> {
        self.actors
            .iter()
            .filter(|a| !not.contains(a))
            .filter(|a| {
                self.evaluators
                    .get(*a)
                    .is_some_and(|e| e.bond - self.evaluator_reserved(a) >= MIN_BOND)
            })
            .map(|a| self.index_of(a))
            .collect()
    }

    /// A newcomer among `candidates` (actor indices) that `fits`, to register.
    fn newcomer(&self, candidates: &[u8], fits: impl Fn(&Addr) -> bool) -> Option<u8> {
        candidates
            .iter()
            .copied()
            .find(|&i| fits(&self.actors[usize::from(i)]))
    }

    /// A new task for the world's agent, with an evaluator (registering one first when none
    /// is free) or a named arbiter now and then.
    fn new_task_action(&self, choice: u8, workflow: bool) -> Action {
        // Neither the agent (3) nor the arbiter (4) may be the client.
        let clients = [0u8, 1, 2, 5, 6, 7];
        let client = clients[usize::from(choice) % clients.len()];
        let client_addr = self.actor(client);
        let (agent, arbiter) = (self.w.agent.clone(), self.w.arbiter.clone());
        let mut evaluator = None;
        if workflow || choice % 2 == 0 {
            let free = self.free_evaluators(&[&client_addr, &agent, &arbiter]);
            match free.first() {
                Some(&e) => evaluator = Some(e),
                None => {
                    let fresh = |a: &Addr| {
                        !self.evaluators.contains_key(a) && *a != client_addr && *a != agent
                    };
                    if let Some(who) = self.newcomer(&[7, 6, 5, 0, 1], fresh) {
                        return Action::RegisterEvaluator {
                            who,
                            bond: Amount::Large(40),
                            fee: Amount::Small(10 + u16::from(choice)),
                        };
                    }
                }
            }
        }
        let named = (choice % if workflow { 3 } else { 5 } == 1)
            .then(|| {
                let e = evaluator.map(|i| self.actor(i));
                let mut not = vec![&client_addr, &agent];
                not.extend(e.as_ref());
                self.free_evaluators(&not).first().copied()
            })
            .flatten();
        Action::CreateTask {
            client,
            agent: 3,
            milestones: vec![
                Amount::Large(5 + u32::from(choice % 16));
                1 + usize::from(choice % 3)
            ],
            exact: true,
            evaluator,
            arbiter: named,
        }
    }

    /// The delegation of part of `r`'s current milestone, or the registration of an agent
    /// that can take it.
    fn delegation_action(&self, r: &TaskResponse, responses: &Responses, choice: u8) -> Action {
        let coordinator = &r.task.agent;
        let arbiter = &self.w.arbiter;
        let able = self
            .actors
            .iter()
            .any(|a| a != arbiter && self.can_work(coordinator, a));
        if !able {
            let fresh = |a: &Addr| self.agent(a).is_none() || !self.can_work(coordinator, a);
            if let Some(who) = self.newcomer(&[6, 7, 5, 1], |a| a != coordinator && fresh(a)) {
                return Action::RegisterAgent {
                    who,
                    bond: Amount::Large(20),
                };
            }
        }
        let sub_agent = Some(self.sub_agent(8, coordinator));
        let evaluator = (choice % 3 == 0)
            .then(|| {
                let mut not = vec![coordinator, arbiter];
                not.extend(sub_agent.as_ref());
                self.free_evaluators(&not).first().copied()
            })
            .flatten();
        let shares = [2_000u16, 4_000, 5_000, 8_000, 10_000, 10_500];
        Action::DelegateTask {
            who: Who::Right,
            task: Self::fit(responses, r.task.id, Need::Delegate, self.now()),
            agent: 8,
            share_bps: shares[usize::from(choice / 4) % shares.len()],
            milestones: choice / 8,
            evaluator,
        }
    }

    /// The delivery of `r`'s current milestone, with inferences that fit what it can spend.
    fn delivery_action(&self, r: &TaskResponse, responses: &Responses, choice: u8) -> Action {
        let t = &self.tasks[(r.task.id - 1) as usize];
        let index = r.task.current_milestone as usize;
        let room = t
            .milestones
            .get(index)
            .and_then(|m| spendable(m.amount, FEE_BPS, t.fees, m.spent).ok())
            .unwrap_or(0);
        let mut inferences = match choice % 4 {
            0 => vec![],
            1 => vec![None],
            2 => vec![Some(2_500)],
            _ => vec![None, Some(10_000)],
        };
        while inferences.len() as u128 * self.models[0].fee > room {
            inferences.pop();
        }
        Action::SubmitMilestone {
            who: Who::Right,
            task: Self::fit(responses, r.task.id, Need::Submit, self.now()),
            inferences,
        }
    }

    /// The next step of a submitted milestone: the evaluator's verdict, its silence and the
    /// escalation, or (without one) the client's approval, dispute or the review window
    /// passing; the client may concede at any time.
    fn review_action(&self, r: &TaskResponse, responses: &Responses, choice: u8) -> Action {
        let now = self.now();
        let id = r.task.id;
        let ms = &r.milestones[r.task.current_milestone as usize];
        let approve = Action::ApproveMilestone {
            who: Who::Right,
            task: Self::fit(responses, id, Need::Approve, now),
        };
        if judged(&r.task) {
            if !Need::Evaluate.fits(r, now) {
                return Action::Escalate {
                    who: choice % 8,
                    task: Self::fit(responses, id, Need::Escalate, now),
                };
            }
            let evaluate = |approve: bool| Action::EvaluateMilestone {
                who: Who::Right,
                task: Self::fit(responses, id, Need::Evaluate, now),
                approve,
                exact: true,
            };
            return match choice % 8 {
                0 | 1 => evaluate(true),
                2..=4 => evaluate(false),
                5 => approve,
                _ => Action::Advance {
                    seconds: ms.evaluation_deadline.unwrap_or(now).saturating_sub(now),
                },
            };
        }
        if Need::Dispute.fits(r, now) {
            match choice % 6 {
                0 => approve,
                1..=3 => Action::DisputeMilestone {
                    who: Who::Right,
                    task: Self::fit(responses, id, Need::Dispute, now),
                },
                _ => Action::Advance {
                    seconds: ms.review_deadline.unwrap_or(now) - now,
                },
            }
        } else if choice % 4 == 0 {
            approve
        } else {
            Action::Finalize {
                who: choice % 8,
                task: Self::fit(responses, id, Need::Finalize, now),
            }
        }
    }

    /// The next step of a rejected milestone: the agent's appeal, the client conceding, or
    /// the appeal window passing and the rejection standing.
    fn rejected_action(&self, r: &TaskResponse, responses: &Responses, choice: u8) -> Action {
        let now = self.now();
        let id = r.task.id;
        let ms = &r.milestones[r.task.current_milestone as usize];
        if !Need::Appeal.fits(r, now) {
            return Action::Finalize {
                who: choice % 8,
                task: Self::fit(responses, id, Need::Finalize, now),
            };
        }
        match choice % 5 {
            0..=1 => Action::Appeal {
                who: Who::Right,
                task: Self::fit(responses, id, Need::Appeal, now),
            },
            2 => Action::ApproveMilestone {
                who: Who::Right,
                task: Self::fit(responses, id, Need::Approve, now),
            },
            _ => Action::Advance {
                seconds: ms.review_deadline.unwrap_or(now).saturating_sub(now),
            },
        }
    }

    /// The resignation of task `id`'s bonded arbiter (`choice` odd, or without an evaluator on
    /// duty) or evaluator, if one is on duty and its current milestone is pending.
    fn resignation_action(&self, responses: &Responses, id: u64, choice: u8) -> Option<Action> {
        let t = &self.tasks[(id - 1) as usize];
        let arbiter =
            t.resignable(true).is_some() && (choice % 2 == 1 || t.evaluator_on_duty().is_none());
        let k = responses
            .values()
            .filter(|r| self.can_resign(&self.tasks[(r.task.id - 1) as usize], r, arbiter))
            .position(|r| r.task.id == id)?;
        Some(Action::ResignOversight {
            who: Who::Right,
            task: Target::Fit(k as u8),
            arbiter,
        })
    }

    /// A client's rating of an ended task that paid the rated party, if any.
    fn feedback_action(&self, responses: &Responses, choice: u8) -> Option<Action> {
        let evaluator = choice % 2 == 1;
        let ended: Vec<u64> = self
            .tasks
            .iter()
            .filter(|t| t.ended && !self.rated.contains(&(t.id, evaluator)))
            .map(|t| t.id)
            .collect();
        let k = ended.iter().position(|id| {
            let t = &responses[id].task;
            match evaluator {
                false => !t.paid_to_agent.is_zero(),
                true => !t.evaluation_fees_paid.is_zero(),
            }
        })?;
        Some(Action::GiveFeedback {
            who: Who::Right,
            task: Target::Fit(k as u8),
            evaluator,
            rating: choice % 101,
        })
    }

    /// The action `Action::Progress { nth, choice }` stands for in the current state, or with
    /// `workflow` the one `Action::Workflows { nth, choice }` stands for: the same steps with
    /// evaluators on every new task, delegation twice as often, and more ratings.
    pub(super) fn progress(&self, (nth, choice): (u8, u8), workflow: bool) -> Action {
        let now = self.now();
        let responses: Responses = self.tasks.iter().map(|t| (t.id, self.task(t.id))).collect();
        // Live tasks that can move (a milestone waiting for its sub-tasks cannot), the
        // furthest along first, so that a chain of steps follows one task to its end.
        let mut live: Vec<&TaskResponse> = responses
            .values()
            .filter(|r| matches!(r.task.status, TaskStatus::Open | TaskStatus::InProgress))
            .filter(|r| {
                r.milestones
                    .get(r.task.current_milestone as usize)
                    .map_or(true, |m| m.open_subtasks == 0)
            })
            .collect();
        // A new sub-task counts as work in progress (its parent waits for it), and the deepest
        // task comes first among equals, so that a chain of steps goes down a tree and back.
        live.sort_by_key(|r| {
            let ms = r.milestones.get(r.task.current_milestone as usize);
            let rank = match (r.task.status, ms.map(|m| m.status)) {
                (TaskStatus::InProgress, Some(MilestoneStatus::Disputed)) => 4,
                (TaskStatus::InProgress, Some(MilestoneStatus::Rejected)) => 3,
                (TaskStatus::InProgress, Some(MilestoneStatus::Submitted)) => 2,
                (TaskStatus::InProgress, _) => 1,
                _ if r.task.parent.is_some() => 1,
                _ => 0,
            };
            std::cmp::Reverse((rank, r.task.depth))
        });
        if choice % if workflow { 4 } else { 8 } == 1 {
            if let Some(rate) = self.feedback_action(&responses, choice / 8) {
                return rate;
            }
        }
        // Sometimes the agent takes on several tasks at once (until its free bond runs out):
        // another task, or the acceptance of one waiting.
        if choice % 8 == 7 && live.len() < 4 {
            return self.new_task_action(choice / 8, workflow);
        }
        if choice % 8 == 6 {
            if let Some(k) = responses
                .values()
                .filter(|r| Need::Accept.fits(r, now))
                .position(|r| self.w.agent == r.task.agent)
            {
                return Action::AcceptTask {
                    who: Who::Right,
                    task: Target::Fit(k as u8),
                };
            }
        }
        let Some(r) = Self::pick(&live, nth).copied() else {
            return self.new_task_action(choice / 8, workflow);
        };
        let id = r.task.id;
        if workflow && choice % 16 == 10 {
            if let Some(resign) = self.resignation_action(&responses, id, choice / 16) {
                return resign;
            }
        }
        let ms = r.milestones.get(r.task.current_milestone as usize);
        match (r.task.status, ms.map(|m| m.status)) {
            (TaskStatus::Open, _) if Need::Accept.fits(r, now) => Action::AcceptTask {
                who: Who::Right,
                task: Self::fit(&responses, id, Need::Accept, now),
            },
            (TaskStatus::InProgress, Some(MilestoneStatus::Pending))
                if Need::Submit.fits(r, now) =>
            {
                // Delegation more often below the root, so that trees grow deep.
                let delegate = match (r.task.depth, workflow) {
                    (0, false) => choice % 3 == 1,
                    (_, false) | (0, true) => choice % 2 == 1,
                    (_, true) => choice % 3 != 0,
                };
                if delegate && Need::Delegate.fits(r, now) {
                    self.delegation_action(r, &responses, choice / 4)
                } else {
                    self.delivery_action(r, &responses, choice / 4)
                }
            }
            (TaskStatus::InProgress, Some(MilestoneStatus::Submitted)) => {
                self.review_action(r, &responses, choice)
            }
            (TaskStatus::InProgress, Some(MilestoneStatus::Rejected)) => {
                self.rejected_action(r, &responses, choice)
            }
            (TaskStatus::InProgress, Some(MilestoneStatus::Disputed))
                if Need::Resolve.fits(r, now) =>
            {
                // A ruling of 0 (which slashes the task's reservation) twice as often.
                let share_bps = [0u16, 0, 2_500, 5_000, 10_000];
                match choice % 6 {
                    5 => Action::Advance {
                        seconds: ms.and_then(|m| m.arbitration_deadline).unwrap_or(now) - now,
                    },
                    c => Action::Resolve {
                        who: Who::Right,
                        task: Self::fit(&responses, id, Need::Resolve, now),
                        share_bps: share_bps[usize::from(c)],
                    },
                }
            }
            _ => Action::Refund {
                who: choice % 8,
                task: Self::fit(&responses, id, Need::Refund, now),
            },
        }
    }

    /// Every pending deadline after now, nearest first, without repeats: of the live tasks
    /// (the accept window, the delivery deadline, the evaluation, review, appeal or
    /// arbitration window of the current milestone), the end of the stakers' reward stream,
    /// and the ends of the actors' unbondings (stakes, agents' bonds).
    pub(super) fn deadlines(&self) -> Vec<u64> {
        let now = self.now();
        let mut all = vec![];
        for t in &self.tasks {
            if t.ended {
                continue;
            }
            let r = self.task(t.id);
            let ms = r.milestones.get(r.task.current_milestone as usize);
            match (r.task.status, ms.map(|m| m.status)) {
                (TaskStatus::Open, _) => all.push(r.task.accept_deadline),
                (TaskStatus::InProgress, Some(MilestoneStatus::Pending)) => {
                    all.push(r.task.delivery_deadline)
                }
                (TaskStatus::InProgress, Some(MilestoneStatus::Submitted)) => {
                    all.extend(ms.and_then(|m| m.review_deadline.or(m.evaluation_deadline)))
                }
                (TaskStatus::InProgress, Some(MilestoneStatus::Rejected)) => {
                    all.extend(ms.and_then(|m| m.review_deadline))
                }
                (TaskStatus::InProgress, Some(MilestoneStatus::Disputed)) => {
                    all.extend(ms.and_then(|m| m.arbitration_deadline))
                }
                _ => {}
            }
        }
        // The end of the stakers' reward stream.
        let staking: StakingPoolResponse = self.w.s.query_pool(&pool::QueryMsg::StakingPool {});
        if !staking.streaming.is_zero() {
            all.push(staking.stream_end);
        }
        for a in &self.actors {
            all.extend(self.staker(a).unbonding.iter().map(|e| e.release_at));
            if let Some(AgentResponse {
                status: AgentStatus::Unbonding { release_at },
                ..
            }) = self.agent(a)
            {
                all.push(release_at);
            }
        }
        all.retain(|d| *d > now);
        all.sort_unstable();
        all.dedup();
        all
    }
}
