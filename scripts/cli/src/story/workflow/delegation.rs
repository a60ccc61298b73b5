//! Steps 33–37: the coordinator finds its specialists and its evaluator by capability and
//! delegates three sub-tasks out of its milestone; the specialists accept and deliver, each
//! paying one signed inference that commits to its input and output; the evaluator approves
//! two deliveries and rejects the third, which nobody appeals and `finalize` ends.

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{
    self as escrow, MilestoneStatus, NewMilestone, NewTask, RefundReason, TaskStatus,
};
use openledger_common::msg::model_licensing::{InferenceIo, InferencePayment, Receipt};

use super::super::plan::{units, vector};
use super::super::{gas_each, Story, FEE};
use super::{Flow, APPEAL_WINDOW, EVALUATION_FEE, EVALUATION_WINDOW, SPECIALISTS};

impl Story<'_> {
    /// The task `task_id` with its milestones.
    pub(super) fn task_of(&self, task_id: u64) -> Result<escrow::TaskResponse> {
        self.query(
            &self.ledger.escrow,
            &escrow::QueryMsg::Task { task_id },
            "task",
        )
    }

    /// The agent found by paging `agents_by_capability` for `capability` until `address`; with
    /// the number of agents listed up to it.
    fn find_agent(&self, capability: &str, address: &str) -> Result<(escrow::CapableAgent, usize)> {
        let mut start_after = None;
        let mut seen = 0;
        loop {
            let page: escrow::CapableAgentsResponse = self.query(
                &self.ledger.escrow,
                &escrow::QueryMsg::AgentsByCapability {
                    capability: capability.to_string(),
                    start_after: start_after.clone(),
                    limit: Some(50),
                },
                "agents by capability",
            )?;
            seen += page.agents.len();
            if let Some(found) = page.agents.iter().find(|a| a.address.as_str() == address) {
                return Ok((found.clone(), seen));
            }
            match page.agents.last() {
                Some(last) if page.agents.len() == 50 => {
                    start_after = Some(last.address.to_string())
                }
                _ => anyhow::bail!("no agent with capability '{capability}' is {address}"),
            }
        }
    }

    /// The evaluator found by `evaluators_by_capability` for `capability`.
    fn find_evaluator(&self, capability: &str, address: &str) -> Result<escrow::CapableEvaluator> {
        let mut start_after = None;
        loop {
            let page: escrow::CapableEvaluatorsResponse = self.query(
                &self.ledger.escrow,
                &escrow::QueryMsg::EvaluatorsByCapability {
                    capability: capability.to_string(),
                    start_after: start_after.clone(),
                    limit: Some(50),
                },
                "evaluators by capability",
            )?;
            if let Some(found) = page
                .evaluators
                .iter()
                .find(|e| e.address.as_str() == address)
            {
                return Ok(found.clone());
            }
            match page.evaluators.last() {
                Some(last) if page.evaluators.len() == 50 => {
                    start_after = Some(last.address.to_string())
                }
                _ => anyhow::bail!("no evaluator with capability '{capability}' is {address}"),
            }
        }
    }

    /// The sub-task of `amount` the coordinator gives to the specialist `i`.
    fn subtask(&self, i: usize, deadline: u64) -> Result<NewTask> {
        let s = &SPECIALISTS[i];
        Ok(NewTask {
            agent: self.addr(s.key)?,
            spec_hash: self.data_hash(&format!("brief-{}", s.capability)),
            spec_uri: format!("ipfs://story-{}/brief-{}.md", self.tag, s.capability),
            milestones: vec![NewMilestone {
                amount: Uint128::new(s.amount),
                description: s.work.into(),
            }],
            accept_window: 600,
            delivery_deadline: deadline,
            review_window: APPEAL_WINDOW,
            arbiter: None,
            // The one inference its delivery pays.
            max_model_fees: Uint128::new(FEE),
            min_bond_reserved: None,
            evaluator: Some(self.addr("evaluator")?),
            evaluation_window: Some(EVALUATION_WINDOW),
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        })
    }

    /// 33: the coordinator finds the specialists and the evaluator by capability and delegates
    /// a sub-task to each specialist out of its milestone; nothing leaves the escrow.
    pub(super) fn delegate(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let evaluator = self.addr("evaluator")?;
        let mut found = vec![];
        for s in &SPECIALISTS {
            let (agent, listed) = self.find_agent(s.capability, &self.addr(s.key)?)?;
            ensure!(
                agent.status == escrow::AgentStatus::Active,
                "{} is {:?}",
                s.key,
                agent.status
            );
            let e = self.find_evaluator(s.capability, &evaluator)?;
            ensure!(
                e.fee.u128() == EVALUATION_FEE,
                "the evaluator found for '{}' charges {}, not {EVALUATION_FEE}",
                s.capability,
                e.fee
            );
            found.push(format!("{} ({} listed)", s.capability, listed));
        }
        let root = self.task_of(f.root)?;
        let deadline = root.task.delivery_deadline;
        let mut gas = vec![];
        for i in 0..SPECIALISTS.len() {
            let msg = escrow::ExecuteMsg::DelegateTask {
                task_id: f.root,
                milestone: 0,
                task: self.subtask(i, deadline)?,
            };
            let res = self.exec(&escrow_addr, &msg, "coordinator", "delegate a sub-task")?;
            f.subs.push(res.attr_u64("task_id")?);
            if i == 0 {
                self.gas("delegate_task (1 milestone, evaluator named)", &res);
            }
            gas.push(res.gas_used.to_string());
        }
        f.delegated = SPECIALISTS.iter().map(|s| s.amount).sum();
        self.check_delegation(f)?;
        self.done(format!(
            "coordinator finds its specialists with agents_by_capability ({}) and evaluator with evaluators_by_capability, and delegates tasks {:?} out of its milestone: {} research, {} legal, {} risk, each evaluated by evaluator; its milestone has delegated {}, nothing left the escrow (gas {})",
            found.join(", "),
            f.subs,
            units(SPECIALISTS[0].amount),
            units(SPECIALISTS[1].amount),
            units(SPECIALISTS[2].amount),
            units(f.delegated),
            gas.join(", ")
        ))
    }

    /// The root milestone funds the sub-tasks; each sub-task names its parent, the coordinator
    /// as its client and the evaluator with its fee.
    fn check_delegation(&self, f: &Flow) -> Result<()> {
        let root = self.task_of(f.root)?;
        let ms = &root.milestones[0];
        ensure!(
            ms.delegated.u128() == f.delegated
                && ms.subtasks == f.subs
                && ms.open_subtasks == 3
                && root.task.escrowed.u128() == super::ROOT_MILESTONE - f.delegated,
            "task {}'s milestone delegated {} to {:?} ({} open), escrowing {}; the story expects {} to {:?} (3 open)",
            f.root,
            ms.delegated,
            ms.subtasks,
            ms.open_subtasks,
            root.task.escrowed,
            f.delegated,
            f.subs
        );
        let coordinator = self.addr("coordinator")?;
        let evaluator = self.addr("evaluator")?;
        for (s, id) in SPECIALISTS.iter().zip(&f.subs) {
            let t = self.task_of(*id)?.task;
            let parent = t.parent.context("a sub-task without parent")?;
            ensure!(
                (parent.task_id, parent.milestone, t.root, t.depth) == (f.root, 0, f.root, 1)
                    && t.client.as_str() == coordinator
                    && t.evaluator.as_ref().map(|e| e.as_str()) == Some(evaluator.as_str())
                    && t.evaluation_fee.u128() == EVALUATION_FEE
                    && t.escrowed.u128() == s.amount
                    && !t.evaluator_reserved.is_zero(),
                "sub-task {id} is not what the coordinator delegated: {t:?}"
            );
        }
        Ok(())
    }

    /// 34: the three specialists accept their sub-tasks.
    pub(super) fn specialists_accept(&mut self, f: &Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let calls = SPECIALISTS
            .iter()
            .zip(&f.subs)
            .map(|(s, id)| {
                let accept = escrow::ExecuteMsg::AcceptTask { task_id: *id };
                self.call(s.key, &escrow_addr, &accept)
            })
            .collect::<Result<Vec<_>>>()?;
        self.all(calls, "accept a sub-task")?;
        let mut reserved = vec![];
        for (s, id) in SPECIALISTS.iter().zip(&f.subs) {
            let t = self.task_of(*id)?.task;
            ensure!(
                t.status == TaskStatus::InProgress,
                "sub-task {id} is {:?} after its acceptance",
                t.status
            );
            let bond = t.bond_reserved.unwrap_or_default().u128();
            reserved.push(format!("{} {}", s.key, units(bond)));
        }
        self.done(format!(
            "researcher, legal_expert and risk_expert accept tasks {:?}; bond reserved for them: {}",
            f.subs,
            reserved.join(", ")
        ))
    }

    /// The inference specialist `i` pays: a receipt the host signed for payer = the escrow,
    /// over its attribution and the hashes of its input and output.
    fn inference(&self, i: usize, task_id: u64) -> Result<InferencePayment> {
        let s = &SPECIALISTS[i];
        let attribution = vector(self.a, self.b_id, s.attribution);
        let io = InferenceIo {
            input_hash: self.data_hash(&format!("prompt-{}", s.capability)),
            output_hash: self.data_hash(&format!("completion-{}", s.capability)),
        };
        let inference_id = format!("story-{}-t{task_id}-{}", self.tag, s.capability);
        let receipt = Receipt {
            chain_id: self.b.chain_id(),
            contract: self.ledger.models.clone(),
            model_id: self.model,
            inference_id: inference_id.clone(),
            payer: self.ledger.escrow.clone(),
            fee: Uint128::new(FEE),
            attribution: attribution.clone(),
            io: Some(io.clone()),
        };
        Ok(InferencePayment {
            model_id: self.model,
            inference_id,
            attribution: Some(attribution),
            receipt_signature: Some(self.host.sign(&receipt)?),
            io: Some(io),
        })
    }

    /// 35: each specialist delivers with the one inference its work used (paid now, out of
    /// its milestone) and the hash of the input it worked from.
    pub(super) fn specialists_deliver(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let mut calls = vec![];
        for (i, (s, id)) in SPECIALISTS.iter().zip(&f.subs).enumerate() {
            let result_hash = self.data_hash(&format!("result-{}", s.capability));
            let submit = escrow::ExecuteMsg::SubmitMilestone {
                task_id: *id,
                milestone: 0,
                result_hash: result_hash.clone(),
                result_uri: format!("ipfs://story-{}/{}.md", self.tag, s.capability),
                inferences: vec![self.inference(i, *id)?],
                input_hash: Some(self.data_hash(&format!("input-{}", s.capability))),
            };
            f.results.push(result_hash);
            calls.push(self.call(s.key, &escrow_addr, &submit)?);
        }
        let results = self.all(calls, "deliver a sub-task")?;
        let host = self.served_by_host()?;
        let v1 = self.first_versions();
        for s in &SPECIALISTS {
            let attribution = vector(self.a, self.b_id, s.attribution);
            self.ledger.model_payment(
                &escrow_addr,
                &[(FEE, attribution, host.clone())],
                &v1,
                "model fees paid for agents",
            )?;
        }
        for (i, (s, id)) in SPECIALISTS.iter().zip(&f.subs).enumerate() {
            let ms = self.task_of(*id)?.milestones.remove(0);
            let io = ms.inferences.first().and_then(|r| r.payment.io.clone());
            ensure!(
                ms.status == MilestoneStatus::Submitted
                    && ms.input_hash == Some(self.data_hash(&format!("input-{}", s.capability)))
                    && io == self.inference(i, *id)?.io
                    && ms.model_fees.u128() == FEE
                    && ms.evaluation_deadline.is_some()
                    && ms.review_deadline.is_none(),
                "sub-task {id}'s delivery is not what {} submitted: {ms:?}",
                s.key
            );
        }
        let (gas, least) = gas_each(&results);
        self.gas.push((
            "submit_milestone (sub-task, 1 signed inference, io)".into(),
            least,
        ));
        self.done(format!(
            "the specialists deliver, each naming its input and paying one inference of model {} with the host's receipt over the inference's input and output hashes (payer: the escrow); 3 model fees through model licensing; the evaluator has {EVALUATION_WINDOW} s for each (gas {gas})",
            self.model
        ))
    }

    /// 36: the evaluator approves the research and the legal deliveries (each settles at once)
    /// and rejects the risk assessment; it is paid its fee for each verdict.
    pub(super) fn evaluate(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let evaluator = self.addr("evaluator")?;
        let mut texts = vec![];
        for (i, (s, id)) in SPECIALISTS.iter().zip(f.subs.clone()).enumerate() {
            let verdict = escrow::ExecuteMsg::EvaluateMilestone {
                task_id: id,
                milestone: 0,
                result_hash: f.results[i].clone(),
                approve: s.approve,
                reason_hash: self.data_hash(&format!("verdict-{}", s.capability)),
            };
            let res = self.exec(&escrow_addr, &verdict, "evaluator", "evaluate a delivery")?;
            self.ledger.mv(
                &escrow_addr,
                &evaluator,
                EVALUATION_FEE,
                "evaluation fees paid",
                &format!("evaluation fees, tasks {:?}", f.subs),
            )?;
            if !s.approve {
                f.paid.push(0);
                let gas = self.gas("evaluate_milestone (reject)", &res);
                texts.push(format!("rejects task {id} ({}; gas {gas})", s.work));
                continue;
            }
            let agent = self.addr(s.key)?;
            let (protocol, to_agent) =
                self.settle_full(id, s.amount, (FEE, 0, EVALUATION_FEE), &agent)?;
            f.paid.push(to_agent);
            f.protocol_fees = f
                .protocol_fees
                .checked_add(protocol)
                .context("fees overflow")?;
            let what = "evaluate_milestone (approve, sub-task, 1 model fee)";
            let gas = if i == 0 {
                self.gas(what, &res)
            } else {
                res.gas_used
            };
            texts.push(format!(
                "approves task {id} ({}): protocol fee {protocol}, {} +{} (gas {gas})",
                s.work,
                s.key,
                units(to_agent)
            ));
        }
        for (s, id) in SPECIALISTS.iter().zip(&f.subs) {
            let r = self.task_of(*id)?;
            let (want_task, want_ms) = match s.approve {
                true => (TaskStatus::Completed, MilestoneStatus::Approved),
                false => (TaskStatus::InProgress, MilestoneStatus::Rejected),
            };
            ensure!(
                r.task.status == want_task
                    && r.milestones[0].status == want_ms
                    && r.task.evaluation_fees_paid.u128() == EVALUATION_FEE,
                "task {id} is {:?} with its milestone {:?} and {} paid to the evaluator; the story expects {want_task:?}, {want_ms:?} and {EVALUATION_FEE}",
                r.task.status,
                r.milestones[0].status,
                r.task.evaluation_fees_paid
            );
        }
        self.done(format!(
            "evaluator, paid {EVALUATION_FEE} per verdict: {}",
            texts.join("; ")
        ))
    }

    /// 37: nobody appeals the rejection; once the appeal window has passed the coordinator
    /// finalizes the rejected sub-task: it ends refunded, and what it still holds goes back
    /// into the coordinator's milestone (no OPEN moves).
    pub(super) fn finalize_rejection(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let (i, s) = SPECIALISTS
            .iter()
            .enumerate()
            .find(|(_, s)| !s.approve)
            .context("no rejected sub-task")?;
        let id = f.subs[i];
        let agent = self.addr(s.key)?;
        let rejected_before = self.rejections(&agent)?;
        let before = self.task_of(f.root)?.milestones[0].delegated.u128();
        self.b.advance(APPEAL_WINDOW)?;
        let finalize = escrow::ExecuteMsg::Finalize {
            task_id: id,
            milestone: 0,
        };
        let res = self.exec(
            &escrow_addr,
            &finalize,
            "coordinator",
            "finalize the rejection",
        )?;
        // What the sub-task still held: its amount less the model fee and the evaluation fee.
        let back = s
            .amount
            .checked_sub(FEE + EVALUATION_FEE)
            .context("the sub-task spent more than it held")?;
        f.delegated = f
            .delegated
            .checked_sub(back)
            .context("delegated underflow")?;
        let root = self.task_of(f.root)?;
        let after = root.milestones[0].delegated.u128();
        let t = self.task_of(id)?.task;
        ensure!(
            before > after
                && after == f.delegated
                && root.milestones[0].open_subtasks == 0
                && t.status == TaskStatus::Refunded
                && t.refund_reason == Some(RefundReason::Rejected)
                && t.refunded.u128() == back
                && t.paid_to_agent.is_zero()
                && self.rejections(&agent)? == rejected_before + 1,
            "after finalizing task {id}: the root milestone delegated {before} → {after} (the ledger expects {}), the sub-task {:?} ({:?}) refunded {} (expected {back})",
            f.delegated,
            t.status,
            t.refund_reason,
            t.refunded
        );
        let gas = self.gas("finalize (a rejection that stood)", &res);
        self.done(format!(
            "risk_expert does not appeal within {APPEAL_WINDOW} s; coordinator finalizes task {id}: it ends refunded (rejected), its remaining {} (after the model fee and the evaluator's fee) goes back into task {}'s milestone: delegated {} → {}; risk_expert's rejections +1; no OPEN moves (gas {gas})",
            units(back),
            f.root,
            units(before),
            units(after)
        ))
    }

    /// The rejections that stood against the agent `address`.
    fn rejections(&self, address: &str) -> Result<u64> {
        let a: escrow::AgentResponse = self.query(
            &self.ledger.escrow,
            &escrow::QueryMsg::Agent {
                address: address.to_string(),
            },
            "agent",
        )?;
        Ok(a.stats.rejected)
    }
}
