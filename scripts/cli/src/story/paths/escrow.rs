//! The escrow's paths: a task nobody accepted is refunded after its accept window, a milestone
//! nobody reviewed is finalized after its review window, and a ruling of 0 bps returns the
//! milestone to the client with the agent's bond reserved for the task.

use anyhow::{bail, ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask, TaskStatus};
use openledger_economics::{settle, Outcome};

use super::{i, u, Paths};
use crate::story::agents::{agent_plan, AgentPlan};

/// The three tasks' deposits: refunded, finalized, ruled 0.
const REFUNDED: u128 = 1_000;
const FINALIZED: u128 = 2_000;
const SLASHED: u128 = 3_000;

impl Paths<'_> {
    /// client opens a one-milestone task of `amount` for agent with the given accept and
    /// review windows (seconds); its id.
    fn open_task(&self, amount: u128, (accept, review): (u64, u64), what: &str) -> Result<u64> {
        let now = self.b.block_time()?;
        let task = NewTask {
            agent: self.who("agent")?,
            spec_hash: self.data_hash(what),
            spec_uri: format!("ipfs://paths-{}/{what}.md", self.tag),
            milestones: vec![NewMilestone {
                amount: Uint128::new(amount),
                description: what.to_string(),
            }],
            accept_window: accept,
            delivery_deadline: now + 86_400,
            review_window: review,
            // The escrow's default arbiter: the `arbiter` key on the suite's deploys (a named
            // arbiter must be a bonded evaluator).
            arbiter: None,
            max_model_fees: Uint128::zero(),
            min_bond_reserved: None,
            evaluation_window: None,
            evaluator: None,
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        };
        let hook = escrow::ReceiveMsg::CreateTask(task);
        let res = self
            .b
            .send_ctx("client", &self.c.escrow, amount, &hook, "create a task")?;
        res.attr_u64("task_id")
    }

    fn agent(&self) -> Result<escrow::AgentResponse> {
        let address = self.who("agent")?;
        let msg = escrow::QueryMsg::Agent { address };
        self.b.query_ctx(&self.c.escrow, &msg, "agent")
    }

    fn task_info(&self, task_id: u64) -> Result<escrow::TaskInfo> {
        let t: escrow::TaskResponse =
            self.b
                .query_ctx(&self.c.escrow, &escrow::QueryMsg::Task { task_id }, "task")?;
        Ok(t.task)
    }

    /// The agent tops its bond up to the free bond its record now requires (the refund path
    /// counts a missed task, a ruling of 0 a lost one), so that it can accept the next task.
    fn agent_ready(&self) -> Result<()> {
        let cfg: escrow::ConfigResponse = self.b.query_ctx(
            &self.c.escrow,
            &escrow::QueryMsg::Config {},
            "escrow config",
        )?;
        let agent = self.who("agent")?;
        let minimum = cfg.min_agent_bond.u128().max(1);
        match agent_plan(self.b, "agent", &agent, (minimum, 0))? {
            AgentPlan::TopUp { amount } => {
                self.fund("agent", amount)?;
                let top_up = escrow::ReceiveMsg::TopUpBond {};
                self.b
                    .send_ctx("agent", &self.c.escrow, amount, &top_up, "top up the bond")?;
            }
            AgentPlan::Register { .. } => bail!("agent is not registered: the story registers it"),
            AgentPlan::Update => {}
        }
        Ok(())
    }

    /// agent accepts `task_id` and delivers its milestone 0 without inferences.
    fn accept_and_submit(&self, task_id: u64) -> Result<()> {
        let accept = escrow::ExecuteMsg::AcceptTask { task_id };
        self.b
            .exec_ctx("agent", &self.c.escrow, &accept, "accept the task")?;
        let submit = escrow::ExecuteMsg::SubmitMilestone {
            task_id,
            milestone: 0,
            result_hash: self.data_hash(&format!("result-{task_id}")),
            result_uri: format!("ipfs://paths-{}/result-{task_id}.md", self.tag),
            inferences: vec![],
            input_hash: None,
        };
        self.b
            .exec_ctx("agent", &self.c.escrow, &submit, "submit milestone 0")?;
        Ok(())
    }

    /// `refund`, `finalize` and the slash of a 0 bps ruling (in that order: the slash leaves
    /// the agent's bond below the minimum, which the next story tops up).
    pub(super) fn escrow_paths(&mut self) -> Result<()> {
        self.fund("client", REFUNDED + FINALIZED + SLASHED)?;
        self.refund()?;
        self.finalize()?;
        self.zero_ruling()
    }

    fn refund(&mut self) -> Result<()> {
        let w = self.watch(&["client", "agent", "escrow", "pool"])?;
        let t = self.open_task(REFUNDED, (1, 3_600), "refunded")?;
        self.b.advance(2)?;
        let refund = escrow::ExecuteMsg::Refund { task_id: t };
        self.b
            .exec_ctx("deployer", &self.c.escrow, &refund, "refund the task")?;
        let status = self.task_info(t)?.status;
        ensure!(
            status == TaskStatus::Refunded,
            "task {t} is {status:?} after its refund"
        );
        self.expect(
            &w,
            &[],
            format!("client opens task {t} of {}; nobody accepts it within its 1 s window; anyone refunds it (refund): the whole deposit back", u(REFUNDED)),
        )
    }

    fn finalize(&mut self) -> Result<()> {
        let cfg: escrow::ConfigResponse = self.b.query_ctx(
            &self.c.escrow,
            &escrow::QueryMsg::Config {},
            "escrow config",
        )?;
        self.agent_ready()?;
        let w = self.watch(&["client", "agent", "escrow", "pool"])?;
        let t = self.open_task(FINALIZED, (3_600, 1), "finalized")?;
        self.accept_and_submit(t)?;
        self.b.advance(2)?;
        let finalize = escrow::ExecuteMsg::Finalize {
            task_id: t,
            milestone: 0,
        };
        self.b
            .exec_ctx("deployer", &self.c.escrow, &finalize, "finalize")?;
        let status = self.task_info(t)?.status;
        ensure!(
            status == TaskStatus::Completed,
            "task {t} is {status:?} after its finalization"
        );
        // The protocol fee rounds up; no model fees were paid.
        let s = settle(FINALIZED, 0, cfg.protocol_fee_bps, Outcome::Full)?;
        let protocol = s.protocol_fee;
        self.expect(
            &w,
            &[
                ("client", -i(FINALIZED)),
                ("agent", i(s.agent)),
                ("pool", i(protocol)),
            ],
            format!("agent delivers task {t}'s milestone; the client lets its 1 s review window pass; anyone finalizes it (finalize): protocol fee {protocol}, the rest to the agent"),
        )
    }

    fn zero_ruling(&mut self) -> Result<()> {
        self.agent_ready()?;
        let w = self.watch(&["client", "agent", "escrow", "pool"])?;
        let t = self.open_task(SLASHED, (3_600, 3_600), "ruled-zero")?;
        self.accept_and_submit(t)?;
        let reserved = self.task_info(t)?.bond_reserved.unwrap_or_default().u128();
        let agent = self.agent()?;
        let dispute = escrow::ExecuteMsg::DisputeMilestone {
            task_id: t,
            milestone: 0,
            reason: "nothing of the specification was delivered".into(),
        };
        self.b
            .exec_ctx("client", &self.c.escrow, &dispute, "dispute")?;
        let ruling = escrow::ExecuteMsg::Resolve {
            task_id: t,
            milestone: 0,
            agent_share_bps: 0,
        };
        self.b
            .exec_ctx("arbiter", &self.c.escrow, &ruling, "rule 0 bps")?;
        let after = self.agent()?;
        ensure!(
            reserved > 0 && after.bond.u128() + reserved == agent.bond.u128(),
            "agent's bond went {} → {} on a ruling of 0; the task reserved {reserved}",
            agent.bond,
            after.bond
        );
        self.expect(
            &w,
            &[("client", i(reserved)), ("escrow", -i(reserved))],
            format!("client disputes task {t}'s milestone; the arbiter rules 0 bps: the client gets its {} back and the {} of the agent's bond reserved for the task (slash)", u(SLASHED), u(reserved)),
        )?;
        // The agent makes its bond whole again, so later tasks and flows find it as it was.
        self.fund("agent", reserved)?;
        let top_up = escrow::ReceiveMsg::TopUpBond {};
        self.b.send_ctx(
            "agent",
            &self.c.escrow,
            reserved,
            &top_up,
            "top up the bond",
        )?;
        let whole = self.agent()?;
        ensure!(
            whole.bond == agent.bond,
            "agent's bond is {} after its top-up; it was {}",
            whole.bond,
            agent.bond
        );
        Ok(())
    }
}
