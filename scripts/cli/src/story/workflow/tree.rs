//! Steps 40–41: `workflow` shows the money tree of the root task and its sub-tasks, every
//! figure as the ledger predicted and every unit of the client's deposit accounted for; the
//! model owner and the host withdraw what the workflow's inferences earned them, and the pool
//! owner moves the workflow's treasury intake to the treasury account.

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, TaskStatus, WorkflowNode};
use openledger_common::msg::model_licensing as models;
use openledger_common::msg::reward_pool as pool;

use super::super::plan::units;
use super::super::{Story, CONCURRENCY_HINT, FEE};
use super::{Flow, EVALUATION_FEE, ROOT_MILESTONE, SPECIALISTS};

/// Everything a task paid out of its deposit: to its agent, in protocol, model, evaluation and
/// arbitration fees.
fn paid_out(t: &escrow::TaskInfo) -> Result<u128> {
    [
        t.paid_to_agent,
        t.protocol_fees,
        t.model_fees_paid,
        t.evaluation_fees_paid,
        t.arbitration_fees_paid,
    ]
    .iter()
    .try_fold(Uint128::zero(), |sum, x| sum.checked_add(*x))
    .map(|s| s.u128())
    .context("payments overflow")
}

impl Story<'_> {
    /// One line of the tree for the task `n`.
    fn node_line(&self, n: &WorkflowNode) -> String {
        let t = &n.task;
        let status = match t.refund_reason {
            Some(r) => format!("{} ({})", t.status.as_str(), r.as_str()),
            None => t.status.as_str().to_string(),
        };
        let mut parts = vec![format!("agent +{}", units(t.paid_to_agent.u128()))];
        for (what, v) in [
            ("protocol fees", t.protocol_fees),
            ("model fees", t.model_fees_paid),
            ("evaluation fees", t.evaluation_fees_paid),
            ("arbitration fees", t.arbitration_fees_paid),
        ] {
            if !v.is_zero() {
                parts.push(format!("{what} {}", units(v.u128())));
            }
        }
        if !t.refunded.is_zero() {
            let to = if t.parent.is_some() {
                "back to the parent milestone"
            } else {
                "back to the client"
            };
            parts.push(format!("{to} {}", units(t.refunded.u128())));
        }
        format!(
            "task {} (depth {}) {} → {}: {} {}, {status}: {}",
            t.id,
            t.depth,
            self.ledger.name(t.client.as_str()),
            self.ledger.name(t.agent.as_str()),
            if t.parent.is_some() {
                "sub-task"
            } else {
                "root"
            },
            units(t.deposit.u128()),
            parts.join(", ")
        )
    }

    /// The root's and each sub-task's figures are what the ledger predicted.
    fn check_tree(&self, f: &Flow, w: &escrow::WorkflowResponse) -> Result<()> {
        let ids: Vec<u64> = w.tasks.iter().map(|n| n.task.id).collect();
        let mut want = vec![f.root];
        want.extend(&f.subs);
        ensure!(
            w.root == f.root && ids == want,
            "workflow {} lists tasks {ids:?}; the story expects {want:?}",
            w.root
        );
        let root = &w.tasks[0];
        let ms = &root.milestones[0];
        ensure!(
            root.task.status == TaskStatus::Completed
                && root.task.paid_to_agent.u128() == f.coordinator_paid
                && root.task.escrowed.is_zero()
                && ms.delegated.u128() == f.delegated
                && ms.subtasks == f.subs
                && ms.open_subtasks == 0,
            "the root task's figures are not the ledger's: {root:?}"
        );
        for (i, (s, n)) in SPECIALISTS.iter().zip(&w.tasks[1..]).enumerate() {
            let t = &n.task;
            let back = match s.approve {
                true => 0,
                false => s.amount - FEE - EVALUATION_FEE,
            };
            ensure!(
                t.depth == 1
                    && t.root == f.root
                    && t.escrowed.is_zero()
                    && t.paid_to_agent.u128() == f.paid[i]
                    && t.model_fees_paid.u128() == FEE
                    && t.evaluation_fees_paid.u128() == EVALUATION_FEE
                    && t.refunded.u128() == back
                    && n.milestones[0].input_hash.is_some(),
                "sub-task {}'s figures are not the ledger's: {n:?}",
                t.id
            );
        }
        // Every unit of the client's deposit left through one of the tree's payments (what a
        // sub-task gave back stayed in the tree until its parent milestone paid it out).
        let mut total = root.task.refunded.u128();
        for n in &w.tasks {
            total = total.checked_add(paid_out(&n.task)?).context("overflow")?;
        }
        ensure!(
            total == ROOT_MILESTONE,
            "the workflow paid out {total} of the client's {ROOT_MILESTONE}"
        );
        Ok(())
    }

    /// 40: the workflow's money tree, as the escrow reports it.
    pub(super) fn workflow_tree(&mut self, f: &Flow) -> Result<()> {
        let w: escrow::WorkflowResponse = self.query(
            &self.ledger.escrow,
            &escrow::QueryMsg::Workflow {
                task_id: f.root,
                start_after: None,
                limit: None,
            },
            "workflow",
        )?;
        self.check_tree(f, &w)?;
        eprintln!("[story]   the money tree of task {}:", f.root);
        for (i, n) in w.tasks.iter().enumerate() {
            let branch = match i {
                0 => "",
                i if i + 1 == w.tasks.len() => "  └─ ",
                _ => "  ├─ ",
            };
            eprintln!("[story]     {branch}{}", self.node_line(n));
            if i == 0 {
                let ms = &n.milestones[0];
                eprintln!(
                    "[story]       milestone 0 ({}): {}, net delegated {} to tasks {:?}",
                    ms.description,
                    ms.status.as_str(),
                    units(ms.delegated.u128()),
                    ms.subtasks
                );
            }
        }
        let specialists: u128 = f.paid.iter().sum();
        self.done(format!(
            "workflow {} shows the money tree: of the client's {}, the coordinator +{}, the specialists +{}, the evaluator +{}, model fees {}, protocol fees {}; every unit accounted for and every balance as the ledger predicted",
            f.root,
            units(ROOT_MILESTONE),
            units(f.coordinator_paid),
            units(specialists),
            units(EVALUATION_FEE * SPECIALISTS.len() as u128),
            units(FEE * SPECIALISTS.len() as u128),
            units(f.protocol_fees)
        ))
    }

    /// 41: the model owner and the host withdraw what the workflow's inferences credited them
    /// in model licensing; the pool owner moves the workflow's treasury intake.
    pub(super) fn workflow_collect(&mut self) -> Result<()> {
        let (models_addr, pool_addr) = (self.ledger.models.clone(), self.ledger.pool.clone());
        let owner = self.addr("model_owner")?;
        let host = self.addr("host")?;
        let earnings = self.ledger.earnings;
        let hosting = self.ledger.host_earnings.get(&host).copied().unwrap_or(0);
        for (who, addr, want) in [("model_owner", &owner, earnings), ("host", &host, hosting)] {
            let credited: Uint128 = self.query(
                &models_addr,
                &models::QueryMsg::Earnings {
                    address: addr.clone(),
                },
                "earnings",
            )?;
            ensure!(
                credited.u128() == want,
                "model licensing credits {who} {credited}; the ledger expects {want}{CONCURRENCY_HINT}"
            );
        }
        let intake = self
            .ledger
            .intake_total()
            .checked_sub(self.ledger.treasury_withdrawn)
            .context("the ledger withdrew more than the intake")?;
        let treasury = self.addr("treasury")?;
        let withdraw = models::ExecuteMsg::WithdrawEarnings {};
        let move_intake = pool::ExecuteMsg::WithdrawTreasury {
            amount: Uint128::new(intake),
            recipient: Some(treasury.clone()),
        };
        let mut calls = vec![];
        for (key, contract, amount) in [
            ("model_owner", &models_addr, earnings),
            ("host", &models_addr, hosting),
        ] {
            if amount > 0 {
                calls.push(self.call(key, contract, &withdraw)?);
            }
        }
        if intake > 0 {
            calls.push(self.call("deployer", &pool_addr, &move_intake)?);
        }
        self.all(calls, "withdraw earnings and the treasury intake")?;
        let m = self.model;
        self.ledger.mv(
            &models_addr,
            &owner,
            earnings,
            "owner earnings paid",
            &format!("model earnings, model {m}"),
        )?;
        self.ledger.earnings = 0;
        self.ledger.mv(
            &models_addr,
            &host,
            hosting,
            "hosts' parts paid",
            &format!("hosting, model {m}"),
        )?;
        self.ledger.host_earnings.remove(&host);
        self.ledger.mv(
            &pool_addr,
            &treasury,
            intake,
            "treasury withdrawn",
            "the story's treasury intake, withdrawn by the pool owner",
        )?;
        self.ledger.treasury_withdrawn = self
            .ledger
            .treasury_withdrawn
            .checked_add(intake)
            .context("overflow")?;
        self.done(format!(
            "model_owner withdraws the owner's shares of the workflow's 3 inferences (+{}), the host its part of them (+{}), and deployer moves the workflow's treasury intake ({}) to the treasury account",
            units(earnings),
            units(hosting),
            units(intake)
        ))
    }
}
