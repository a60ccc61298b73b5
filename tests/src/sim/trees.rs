//! Task trees in the simulation: the model of every task's money (what the escrow holds for
//! it, what each milestone spent on model fees, sub-tasks, its evaluator and its arbiter, what
//! the task gave back), of the evaluators' bonds, and of the settlements the escrow reported;
//! and the three invariants about them, checked after every step by walking each root task's
//! `workflow`:
//! - "escrow = tasks' escrowed + bonds": the escrow's balance of the fee token is exactly what
//!   its task trees hold (Σ `escrowed`, the escrow's and the model's) plus the agents' and the
//!   evaluators' bonds (the model's evaluator bonds, every slash taken off);
//! - "every milestone settled once": every (task, milestone) the escrow settled (an event with
//!   an `agent_payout`) was settled once, and exactly the milestones it shows as approved,
//!   finalized or resolved were;
//! - "delegated = sub-tasks' net deposits": a milestone's `delegated` is the sum, over the
//!   sub-tasks it funded, of their deposits less what they gave back (the escrow's `refunded`
//!   of each, and the model's), and its open sub-tasks are those not ended.

use std::collections::BTreeMap;

use cosmwasm_std::{Addr, Event};
use openledger_common::msg::agent_escrow::{
    self as escrow, AgentResponse, EvaluatorResponse, MilestoneStatus, TaskStatus, WorkflowNode,
    WorkflowResponse,
};
use openledger_economics::Spent;

use super::{event_attr, Sim, Snapshot};

/// What a milestone of a task holds and spent, as the model computes it.
#[derive(Clone, Debug, Default)]
pub struct MilestoneMoney {
    /// Its amount.
    pub amount: u128,
    /// What it spent: model fees, net delegated, the evaluator's and the arbiter's fees.
    pub spent: Spent,
    /// The sub-tasks it funded, by id.
    pub subtasks: Vec<u64>,
    /// Settled or refunded.
    pub closed: bool,
}

/// A task as the model knows it: its parties and terms, and its money.
#[derive(Clone, Debug)]
pub struct TaskModel {
    pub id: u64,
    pub client: Addr,
    pub agent: Addr,
    /// Its arbiter on duty: the escrow's default arbiter unless the task named one, and again
    /// once a named bonded arbiter resigned.
    pub arbiter: Addr,
    /// The parent milestone that funds a sub-task.
    pub parent: Option<(u64, u32)>,
    /// 0 for a root task.
    pub depth: u8,
    pub deposit: u128,
    /// What the escrow still holds for it.
    pub escrowed: u128,
    /// What it gave back: to its client (a root task), into its parent milestone (a
    /// sub-task).
    pub returned: u128,
    /// The evaluator it named, kept after it resigned (the client may still rate it for the
    /// verdicts the task paid it): `evaluator_on_duty` is the one that judges.
    pub evaluator: Option<Addr>,
    /// Whether its evaluator resigned (`resign_oversight`): the client reviews the deliveries.
    pub evaluator_resigned: bool,
    /// Whether its named bonded arbiter resigned: `arbiter` is the default one, unpaid.
    pub arbiter_resigned: bool,
    /// The fee per verdict of its evaluator on duty and per ruling of its bonded arbiter on
    /// duty, fixed at creation; 0 for an overseer that resigned (or none).
    pub fees: (u128, u128),
    /// Whether its arbiter on duty is bonded and paid: a registered, active evaluator at
    /// creation that has not resigned.
    pub bonded_arbiter: bool,
    /// What its evaluator and its bonded arbiter on duty still reserve of their bonds for it
    /// (0 once the task ended or the overseer resigned).
    pub reserved: (u128, u128),
    /// Its milestones.
    pub milestones: Vec<MilestoneMoney>,
    /// Whether it reached a final state.
    pub ended: bool,
}

impl TaskModel {
    /// A new task's model: nothing spent, the whole deposit held.
    pub fn new(id: u64, (client, agent): (Addr, Addr), amounts: &[u128], terms: Terms) -> Self {
        TaskModel {
            id,
            client,
            agent,
            arbiter: terms.arbiter,
            parent: None,
            depth: 0,
            deposit: amounts.iter().sum(),
            escrowed: amounts.iter().sum(),
            returned: 0,
            evaluator: terms.evaluator,
            evaluator_resigned: false,
            arbiter_resigned: false,
            fees: terms.fees,
            bonded_arbiter: terms.bonded_arbiter,
            reserved: terms.reserved,
            milestones: amounts
                .iter()
                .map(|a| MilestoneMoney {
                    amount: *a,
                    ..MilestoneMoney::default()
                })
                .collect(),
            ended: false,
        }
    }

    /// The evaluator that judges its deliveries: the one it named, unless it resigned.
    pub fn evaluator_on_duty(&self) -> Option<&Addr> {
        self.evaluator.as_ref().filter(|_| !self.evaluator_resigned)
    }

    /// The overseer on duty that may resign from it (`arbiter`: its bonded arbiter, else its
    /// evaluator), if there is one.
    pub fn resignable(&self, arbiter: bool) -> Option<&Addr> {
        match arbiter {
            true => Some(&self.arbiter).filter(|_| self.bonded_arbiter),
            false => self.evaluator_on_duty(),
        }
    }
}

/// The overseers the escrow must appoint for a new task, with their terms for it.
#[derive(Clone, Debug)]
pub struct Terms {
    pub arbiter: Addr,
    pub evaluator: Option<Addr>,
    /// Evaluation fee, arbitration fee (0 for an unbonded arbiter).
    pub fees: (u128, u128),
    pub bonded_arbiter: bool,
    /// Reservations of the evaluator's and the bonded arbiter's bonds.
    pub reserved: (u128, u128),
}

/// An evaluator as the model knows it.
#[derive(Clone, Debug)]
pub struct EvaluatorModel {
    /// Its bond: what it registered with, less every slash.
    pub bond: u128,
    /// Its fee per verdict or ruling.
    pub fee: u128,
}

impl Sim {
    /// The model of task `id`.
    pub(super) fn tm(&mut self, id: u64) -> &mut TaskModel {
        &mut self.tasks[(id - 1) as usize]
    }

    /// The model of milestone `index` of task `id`.
    pub(super) fn mm(&mut self, id: u64, index: u32) -> &mut MilestoneMoney {
        &mut self.tm(id).milestones[index as usize]
    }

    /// Milestone `index` of task `id` paid `amount` out of what the escrow holds for it
    /// (`what` picks the cost: model fees, evaluation or arbitration fee).
    pub(super) fn book_spend(&mut self, id: u64, index: u32, what: Cost, amount: u128) {
        self.tm(id).escrowed -= amount;
        let spent = &mut self.mm(id, index).spent;
        match what {
            Cost::ModelFees => spent.model_fees += amount,
            Cost::Evaluation => spent.evaluation_fee += amount,
            Cost::Arbitration => spent.arbitration_fee += amount,
        }
    }

    /// Task `id` gives back `amount`: into its parent milestone (a sub-task; no token moves),
    /// or to its client (a root task; the caller moves the tokens).
    pub(super) fn give_back(&mut self, id: u64, amount: u128) {
        let t = self.tm(id);
        t.returned += amount;
        if let Some((parent, index)) = t.parent {
            self.tm(parent).escrowed += amount;
            self.mm(parent, index).spent.delegated -= amount;
        }
    }

    /// Task `id` ends with everything it still holds given back (a refund, a decline, a
    /// rejection that stood); returns that amount. Its reservations are released.
    pub(super) fn book_end(&mut self, id: u64) -> u128 {
        let t = self.tm(id);
        let amount = t.escrowed;
        t.escrowed = 0;
        t.ended = true;
        t.reserved = (0, 0);
        for m in &mut t.milestones {
            m.closed = true;
        }
        self.give_back(id, amount);
        amount
    }

    /// What the model's evaluator `who` reserves: its reservations for the tasks that name it
    /// (as evaluator, or as bonded arbiter) and have not ended.
    pub fn evaluator_reserved(&self, who: &Addr) -> u128 {
        self.tasks
            .iter()
            .filter(|t| !t.ended)
            .map(|t| {
                let e = if t.evaluator_on_duty() == Some(who) {
                    t.reserved.0
                } else {
                    0
                };
                let a = if t.bonded_arbiter && t.arbiter == *who {
                    t.reserved.1
                } else {
                    0
                };
                e + a
            })
            .sum()
    }

    /// Records the settlements a response reports: the escrow's events with an
    /// `agent_payout`, by (task, milestone).
    pub(super) fn record_settlements(&mut self, events: &[Event]) {
        let escrow = self.w.escrow.to_string();
        for e in events {
            if e.ty != "wasm"
                || event_attr(e, "_contract_address") != Some(escrow.as_str())
                || event_attr(e, "agent_payout").is_none()
            {
                continue;
            }
            let key = (
                event_attr(e, "task_id").and_then(|v| v.parse().ok()),
                event_attr(e, "milestone").and_then(|v| v.parse().ok()),
            );
            // An unreadable event is recorded under (0, 0), which no milestone matches.
            let key = match key {
                (Some(t), Some(m)) => (t, m),
                _ => (0, 0),
            };
            *self.settlements.entry(key).or_default() += 1;
            self.step_settlements.push(key);
        }
    }

    /// Every task tree, as the escrow's `workflow` query answers for each root (all pages).
    pub(super) fn trees(&self) -> Result<Vec<WorkflowNode>, String> {
        let mut nodes = vec![];
        for root in self.tasks.iter().filter(|t| t.parent.is_none()) {
            let mut start_after = None;
            loop {
                let page: WorkflowResponse = self.w.query(&escrow::QueryMsg::Workflow {
                    task_id: root.id,
                    start_after,
                    limit: Some(50),
                });
                ensure_eq!(page.root, root.id, "workflow root of task {}", root.id);
                let full = page.tasks.len() == 50;
                start_after = page.tasks.last().map(|n| n.task.id);
                nodes.extend(page.tasks);
                if !full {
                    break;
                }
            }
        }
        let mut cache = self.task_cache.borrow_mut();
        for n in &nodes {
            let r = escrow::TaskResponse {
                task: n.task.clone(),
                milestones: n.milestones.clone(),
            };
            cache.insert(n.task.id, r);
        }
        drop(cache);
        Ok(nodes)
    }
}

/// A cost a milestone pays out of what the escrow holds for it.
#[derive(Clone, Copy, Debug)]
pub enum Cost {
    ModelFees,
    Evaluation,
    Arbitration,
}

/// Every agent, every evaluator (all pages).
pub fn bonded(sim: &Sim) -> (Vec<AgentResponse>, Vec<EvaluatorResponse>) {
    let mut agents = vec![];
    let mut start_after = None;
    loop {
        let page: escrow::AgentsResponse = sim.w.query(&escrow::QueryMsg::Agents {
            start_after,
            limit: Some(50),
        });
        let more = page.agents.len() == 50;
        start_after = page.agents.last().map(|g| g.address.to_string());
        agents.extend(page.agents);
        if !more {
            break;
        }
    }
    let mut evaluators = vec![];
    let mut start_after = None;
    loop {
        let page: escrow::EvaluatorsResponse = sim.w.query(&escrow::QueryMsg::Evaluators {
            start_after,
            limit: Some(50),
        });
        let more = page.evaluators.len() == 50;
        start_after = page.evaluators.last().map(|g| g.address.to_string());
        evaluators.extend(page.evaluators);
        if !more {
            break;
        }
    }
    (agents, evaluators)
}

/// 12. The escrow's balance is exactly what its task trees hold plus the bonds: Σ `escrowed`
///     over every task of every tree (walked with `workflow`) equals the model's figure task by
///     task and the escrow's `escrowed` total; the agents' bonds plus the evaluators' (each
///     equal to the model's: registered less slashed) are its `bonds`; their sum is its
///     balance, the ledger's figure. Each evaluator reserves exactly the model's reservations
///     for the tasks naming it that have not ended, within its bond, and each task shows its
///     evaluator's reservation, and the model's overseers on duty (arbiter, evaluator, who
///     resigned) and their fees. (`trees`: every task; `bonded`: every agent and evaluator.)
pub fn escrow_owes_its_trees_and_bonds(
    sim: &Sim,
    snap: &Snapshot,
    trees: &[WorkflowNode],
    (agents, evaluators): (&[AgentResponse], &[EvaluatorResponse]),
) -> Result<(), String> {
    ensure_eq!(trees.len(), sim.tasks.len(), "tasks in the workflows");
    let mut escrowed = 0u128;
    for n in trees {
        let t = &n.task;
        let m = &sim.tasks[(t.id - 1) as usize];
        ensure_eq!(t.escrowed.u128(), m.escrowed, "escrowed of task {}", t.id);
        ensure_eq!(
            t.is_final(),
            m.ended,
            "task {} ended ({:?})",
            t.id,
            t.status
        );
        let reserved = if m.ended { 0 } else { m.reserved.0 };
        ensure_eq!(
            t.evaluator_reserved.u128(),
            reserved,
            "evaluator's reservation for task {}",
            t.id
        );
        ensure_eq!(
            (
                &t.arbiter,
                t.evaluator.as_ref(),
                t.evaluator_resigned,
                t.arbiter_resigned,
                t.evaluation_fee.u128(),
                t.arbitration_fee.u128(),
            ),
            (
                &m.arbiter,
                m.evaluator.as_ref(),
                m.evaluator_resigned,
                m.arbiter_resigned,
                m.fees.0,
                m.fees.1,
            ),
            "task {}'s overseers on duty and their fees",
            t.id
        );
        escrowed += t.escrowed.u128();
    }
    let agent_bonds: u128 = agents.iter().map(|g| g.bond.u128()).sum();
    ensure_eq!(
        evaluators.len(),
        sim.evaluators.len(),
        "evaluators registered"
    );
    let mut evaluator_bonds = 0u128;
    for e in evaluators {
        let m = sim
            .evaluators
            .get(&e.address)
            .ok_or(format!("evaluator {} unknown to the model", e.address))?;
        let reserved = sim.evaluator_reserved(&e.address);
        ensure_eq!(
            (e.bond.u128(), e.reserved.u128(), e.fee.u128()),
            (m.bond, reserved, m.fee),
            "evaluator {}'s bond, reservations and fee",
            e.address
        );
        ensure!(
            reserved <= m.bond,
            "evaluator {} reserves {reserved} of a bond of {}",
            e.address,
            m.bond
        );
        evaluator_bonds += e.bond.u128();
    }
    let s = &snap.escrow;
    ensure_eq!(
        (s.escrowed.u128(), s.bonds.u128()),
        (escrowed, agent_bonds + evaluator_bonds),
        "escrow's escrowed and bonds vs its trees and its agents' and evaluators' bonds"
    );
    ensure_eq!(
        s.balance.u128(),
        escrowed + agent_bonds + evaluator_bonds,
        "escrow balance vs its trees + bonds"
    );
    ensure_eq!(
        s.balance.u128(),
        sim.w.s.ledger[&sim.w.escrow],
        "escrow balance vs the ledger"
    );
    Ok(())
}

/// 13. Every milestone was settled at most once: no (task, milestone) appears twice among the
///     settlements the escrow reported, and the settled ones are exactly the milestones of
///     every tree shown approved, finalized or resolved (a refunded milestone was never
///     settled). (`trees`: every task.)
pub fn every_milestone_settled_once(sim: &Sim, trees: &[WorkflowNode]) -> Result<(), String> {
    let twice: Vec<_> = sim.settlements.iter().filter(|(_, n)| **n > 1).collect();
    ensure!(
        twice.is_empty(),
        "milestones settled more than once: {twice:?}"
    );
    let mut shown = BTreeMap::new();
    for n in trees {
        for ms in &n.milestones {
            let settled = matches!(
                ms.status,
                MilestoneStatus::Approved | MilestoneStatus::Finalized | MilestoneStatus::Resolved
            );
            if settled {
                shown.insert((n.task.id, ms.index), 1u32);
            }
            let m = &sim.tasks[(n.task.id - 1) as usize].milestones[ms.index as usize];
            ensure_eq!(
                ms.status.is_closed(),
                m.closed,
                "milestone {} of task {} closed ({:?})",
                ms.index,
                n.task.id,
                ms.status
            );
        }
    }
    ensure_eq!(
        shown,
        sim.settlements,
        "milestones shown settled vs settlements reported"
    );
    Ok(())
}

/// 14. Σ delegated of every milestone equals Σ (deposit − returned) of the sub-tasks it
///     funded: the escrow's `delegated` against its sub-tasks' `deposit − refunded` and against
///     the model (whose returns follow every refund, decline and ruling), the sub-tasks listed
///     are the model's (each naming that milestone as its parent, one level deeper, in the
///     same tree), and `open_subtasks` counts those not ended. (`trees`: every task.)
pub fn delegated_equals_net_subtask_deposits(
    sim: &Sim,
    trees: &[WorkflowNode],
) -> Result<(), String> {
    let by_id: BTreeMap<u64, &WorkflowNode> = trees.iter().map(|n| (n.task.id, n)).collect();
    for n in trees {
        let m = &sim.tasks[(n.task.id - 1) as usize];
        for ms in &n.milestones {
            let mm = &m.milestones[ms.index as usize];
            let (id, index) = (n.task.id, ms.index);
            ensure_eq!(
                ms.subtasks,
                mm.subtasks,
                "sub-tasks of milestone {index} of task {id}"
            );
            let (mut net, mut modelled, mut open) = (0u128, 0u128, 0u32);
            for sub in &ms.subtasks {
                let s = by_id
                    .get(sub)
                    .ok_or(format!("sub-task {sub} of task {id} not in its tree"))?;
                ensure_eq!(
                    (
                        s.task.parent.map(|p| (p.task_id, p.milestone)),
                        s.task.depth
                    ),
                    (Some((id, index)), n.task.depth + 1),
                    "parent and depth of sub-task {sub}"
                );
                ensure_eq!(s.task.root, n.task.root, "root of sub-task {sub}");
                net += s.task.deposit.u128() - s.task.refunded.u128();
                let sm = &sim.tasks[(sub - 1) as usize];
                modelled += sm.deposit - sm.returned;
                open += u32::from(!s.task.is_final());
            }
            ensure_eq!(
                (ms.delegated.u128(), ms.delegated.u128(), ms.open_subtasks),
                (net, modelled, open),
                "milestone {index} of task {id}: delegated vs its sub-tasks' deposits less \
                 refunded (escrow, model), open sub-tasks"
            );
            ensure_eq!(
                ms.delegated.u128(),
                mm.spent.delegated,
                "milestone {index} of task {id}: delegated vs the model"
            );
        }
    }
    Ok(())
}

/// Whether a task reached one of its final states.
trait Final {
    fn is_final(&self) -> bool;
}

impl Final for escrow::TaskInfo {
    fn is_final(&self) -> bool {
        !matches!(self.status, TaskStatus::Open | TaskStatus::InProgress)
    }
}
