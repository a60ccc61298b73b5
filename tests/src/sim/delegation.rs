//! Delegation in the simulation: the agent of a task in progress funds a sub-task out of its
//! current, pending milestone, at any depth; the deposit is drawn as a share of what the
//! milestone can still spend (`econ::spendable`), above it sometimes. Nothing leaves the
//! escrow: the model moves the deposit from the parent milestone's part of the parent task to
//! the sub-task, whose returns come back (`trees::give_back`). Beyond the depth bound, with
//! eight sub-tasks already, over budget, or beyond what the agent's bond reserved for the task
//! covers (all the milestone delegated, this one included), the escrow must refuse with
//! exactly its error.

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::agent_escrow::{
    self as escrow, MilestoneStatus, TaskStatus, MAX_DELEGATION_DEPTH, MAX_SUBTASKS_PER_MILESTONE,
};
use openledger_economics::spendable;

use super::tasks::Need;
use super::trees::TaskModel;
use super::{model, Outcome, Sim, Target, Who};
use crate::escrow::{ACCEPT, FEE_BPS};

/// What a delegation asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delegation {
    /// The sub-task's agent (an actor; 8 and above: the first registered agent able to work
    /// for the coordinator).
    pub agent: u8,
    /// The deposit, in bps of what the milestone can still spend; above 10 000, that many
    /// bps of one unit more than it can (over budget).
    pub share_bps: u16,
    /// 1 + this modulo 3 milestones, the deposit split evenly (the rest on the last).
    pub milestones: u8,
    /// The sub-task's evaluator (an actor).
    pub evaluator: Option<u8>,
}

/// The deposit a delegation of `share_bps` of `available` asks for.
fn deposit_of(available: u128, share_bps: u16) -> u128 {
    match share_bps {
        0..=10_000 => available * u128::from(share_bps) / 10_000,
        over => available + 1 + u128::from(over - 10_000) % 1_000,
    }
}

/// `deposit` split into `n` milestones (the rest on the last).
fn split(deposit: u128, n: usize) -> Vec<u128> {
    let each = deposit / n as u128;
    let mut amounts = vec![each; n];
    amounts[n - 1] += deposit - each * n as u128;
    amounts
}

impl Sim {
    /// The sub-task's agent: actor `i`, or for `i` ≥ 8 the first agent able to work for
    /// `coordinator` (registered, active, minimum bond; not the default arbiter, who oversees
    /// the sub-task) other than the world's agent when another is, so that trees alternate
    /// between agents.
    pub(super) fn sub_agent(&self, i: u8, coordinator: &Addr) -> Addr {
        if usize::from(i) < self.actors.len() {
            return self.actor(i);
        }
        let able: Vec<&Addr> = self
            .actors
            .iter()
            .filter(|a| **a != self.w.arbiter && self.can_work(coordinator, a))
            .collect();
        able.iter()
            .find(|a| ***a != self.w.agent)
            .or(able.first())
            .map(|a| (*a).clone())
            .unwrap_or_else(|| self.actor(i))
    }

    /// The agent of a task (`Who::Right`) delegates part of its current milestone.
    pub(super) fn delegate(&mut self, who: Who, task: Target, d: Delegation) -> Outcome {
        let Some(t) = self.pick_task(&[TaskStatus::InProgress], Need::Delegate, task) else {
            return Ok(false);
        };
        let t = self.tasks[(t.id - 1) as usize].clone();
        let who = self.who(who, &t.agent);
        let before = self.task(t.id);
        let index = before.task.current_milestone;
        let Some(ms) = before.milestones.get(index as usize).cloned() else {
            return Ok(false);
        };
        let money = t.milestones[index as usize].clone();
        let available = model(spendable(money.amount, FEE_BPS, t.fees, money.spent))?;
        let deposit = deposit_of(available, d.share_bps);
        let amounts = split(deposit, 1 + usize::from(d.milestones % 3));
        let agent = self.sub_agent(d.agent, &who);
        let arbiter = self.w.arbiter.clone();
        let evaluator = d
            .evaluator
            .map(|i| self.overseer_pick(i, &[&who, &agent, &arbiter]));
        let now = self.now();
        // The sub-task ends with its parent: an accept window within what is left.
        let deadline = before.task.delivery_deadline;
        let accept = ACCEPT.min(deadline.saturating_sub(now) / 2).max(1);
        // The escrow's checks, in its order: the caller, the milestone, the depth, the count,
        // the budget; then the sub-task as any new task.
        let ahead = who == t.agent
            && before.task.status == TaskStatus::InProgress
            && ms.status == MilestoneStatus::Pending;
        let too_deep = ahead && before.task.depth >= MAX_DELEGATION_DEPTH;
        let too_many = ahead && !too_deep && ms.subtasks.len() >= MAX_SUBTASKS_PER_MILESTONE;
        let over = ahead && !too_deep && !too_many && deposit > available;
        let delegated = money.spent.delegated;
        let bond_reserved = before.task.bond_reserved.map_or(0, |r| r.u128());
        // The parent's evaluator on duty and its arbiter cannot be hired out of it.
        let oversees = ahead
            && !too_deep
            && !too_many
            && !over
            && (t.evaluator_on_duty() == Some(&agent) || t.arbiter == agent);
        let above_bond = ahead
            && !too_deep
            && !too_many
            && !over
            && !oversees
            && delegated + deposit > bond_reserved;
        let terms = self.terms((&who, &agent), evaluator.as_ref(), None, deposit)?;
        let allowed = ahead
            && !too_deep
            && !too_many
            && !over
            && !oversees
            && !above_bond
            && self.can_work(&who, &agent)
            && now + accept < deadline
            && match &terms {
                Some(terms) => Self::fees_fit(&amounts, terms.fees)?,
                None => false,
            };
        let new = Self::new_task(
            &agent,
            &amounts,
            (accept, deadline),
            (evaluator.as_ref(), None),
        );
        let escrow = self.w.escrow.clone();
        let res = self.exec(
            &who,
            &escrow,
            &escrow::ExecuteMsg::DelegateTask {
                task_id: t.id,
                milestone: index,
                task: new,
            },
        );
        let res = match res {
            Ok(res) => res,
            Err(e) => {
                ensure!(
                    !allowed,
                    "delegating {amounts:?} of task {} milestone {index} (spendable {available}) \
                     to {agent} was refused: {e:#}",
                    t.id
                );
                let error = e.downcast_ref::<agent_escrow::ContractError>();
                self.delegation_refused(&t, index, (deposit, available), (too_deep, over), error)?;
                if oversees {
                    ensure!(
                        matches!(
                            error,
                            Some(agent_escrow::ContractError::SubagentOverseesParent { address, .. })
                                if *address == agent.to_string()
                        ),
                        "hiring task {}'s overseer {agent} out of it: {error:?}",
                        t.id
                    );
                    self.stats.overseer_hires += 1;
                }
                if above_bond {
                    ensure_eq!(
                        error,
                        Some(&agent_escrow::ContractError::DelegationAboveBond {
                            task_id: t.id,
                            milestone: index,
                            delegated: Uint128::new(delegated),
                            requested: Uint128::new(deposit),
                            bond_reserved: Uint128::new(bond_reserved),
                        }),
                        "a delegation of {deposit} out of task {} milestone {index} beyond its bond",
                        t.id
                    );
                    self.stats.above_bond += 1;
                }
                return Ok(false);
            }
        };
        let terms = match (allowed, terms) {
            (true, Some(terms)) => terms,
            _ => {
                return Err(format!(
                    "a delegation of {amounts:?} of task {} milestone {index} (spendable \
                     {available}) to {agent} was taken: {res:?}",
                    t.id
                ))
            }
        };
        let id: u64 = crate::escrow::attr(&res, "task_id")
            .parse()
            .map_err(|e| format!("sub-task id: {e}"))?;
        ensure_eq!(id, self.tasks.len() as u64 + 1, "new sub-task id");
        ensure_eq!(
            crate::escrow::attr(&res, "milestone_left"),
            (available - deposit).to_string(),
            "what milestone {index} of task {} can still spend",
            t.id
        );
        let mut sub = TaskModel::new(id, (who, agent), &amounts, terms);
        sub.parent = Some((t.id, index));
        sub.depth = t.depth + 1;
        self.tasks.push(sub);
        self.tm(t.id).escrowed -= deposit;
        let parent = self.mm(t.id, index);
        parent.spent.delegated += deposit;
        parent.subtasks.push(id);
        self.stats.subtasks += 1;
        if t.depth + 1 == MAX_DELEGATION_DEPTH {
            self.stats.deepest += 1;
        }
        self.created(id)
    }

    /// Checks a refused delegation: beyond the depth bound, or over budget, with exactly the
    /// escrow's error.
    fn delegation_refused(
        &mut self,
        t: &TaskModel,
        index: u32,
        (deposit, available): (u128, u128),
        (too_deep, over): (bool, bool),
        error: Option<&agent_escrow::ContractError>,
    ) -> Result<(), String> {
        use agent_escrow::ContractError as E;
        if too_deep {
            ensure_eq!(
                error,
                Some(&E::DelegationTooDeep {
                    task_id: t.id,
                    depth: t.depth,
                    max: MAX_DELEGATION_DEPTH,
                }),
                "a delegation below task {} at depth {}",
                t.id,
                t.depth
            );
            self.stats.too_deep += 1;
        }
        if over {
            ensure_eq!(
                error,
                Some(&E::DelegationOverBudget {
                    task_id: t.id,
                    milestone: index,
                    requested: Uint128::new(deposit),
                    available: Uint128::new(available),
                }),
                "a delegation of {deposit} out of task {} milestone {index}",
                t.id
            );
            self.stats.over_budget += 1;
        }
        Ok(())
    }
}
