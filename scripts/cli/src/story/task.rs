//! Steps 14–17: the agent takes client's two-milestone task; milestone 0 (two inferences of the
//! model, paid at delivery) is approved, milestone 1 is disputed and ruled by the arbiter.

use anyhow::{ensure, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask};
use openledger_common::msg::model_licensing::InferencePayment;
use openledger_economics::{Outcome, ServedBy};

use super::plan::{percent, units, vector};
use super::{
    AgentPlan, Story, FEE, LINEAGE, MILESTONES, RULING_BPS, TASK_M0_ATTRIBUTION,
    TASK_M1_ATTRIBUTION,
};

impl Story<'_> {
    /// 14–17: the agent, the task, an approval, a dispute and a ruling.
    pub(super) fn task(&mut self) -> Result<()> {
        self.agent_ready()?;
        self.open_task()?;
        self.milestone0()?;
        self.milestone1()
    }

    /// 14: the agent registers, tops up its bond or updates its models.
    pub(super) fn agent_ready(&mut self) -> Result<()> {
        let m = self.model;
        let escrow_addr = self.ledger.escrow.clone();
        let agent = self.addr("agent")?;
        let text = match self.rules.agent_plan {
            AgentPlan::Register { bond } => {
                let res = self.send(
                    "agent",
                    &escrow_addr,
                    bond,
                    &escrow::ReceiveMsg::RegisterAgent {
                        name: "research-agent".into(),
                        metadata_uri: "ipfs://story/research-agent.json".into(),
                        models: vec![m],
                        capabilities: None,
                    },
                    "register as an agent",
                )?;
                self.ledger
                    .mv(&agent, &escrow_addr, bond, "agent bond", "agent bonds")?;
                let gas = self.gas("register_agent (cw20 send with bond)", &res);
                format!(
                    "agent registers with a bond of {}, offering model {m} (gas {gas})",
                    units(bond)
                )
            }
            AgentPlan::TopUp { amount } => {
                self.send(
                    "agent",
                    &escrow_addr,
                    amount,
                    &escrow::ReceiveMsg::TopUpBond {},
                    "top up the agent bond",
                )?;
                self.ledger
                    .mv(&agent, &escrow_addr, amount, "agent bond", "agent bonds")?;
                let res = self.update_agent(m)?;
                format!(
                    "agent (registered before) tops its bond up by {} and now offers model {m} (gas {res})",
                    units(amount)
                )
            }
            AgentPlan::Update => {
                let gas = self.update_agent(m)?;
                format!("agent (registered and bonded before) now offers model {m} (gas {gas})")
            }
        };
        self.done(text)
    }

    /// 15: the client opens the task; the agent accepts it.
    pub(super) fn open_task(&mut self) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let agent = self.addr("agent")?;
        let client = self.addr("client")?;
        let now = self.b.block_time()?;
        let deposit: u128 = MILESTONES.iter().sum();
        let res = self.send(
            "client",
            &escrow_addr,
            deposit,
            &escrow::ReceiveMsg::CreateTask(NewTask {
                agent: agent.clone(),
                spec_hash: self.data_hash("task-spec"),
                spec_uri: format!("ipfs://story-{}/task-spec.md", self.tag),
                milestones: vec![
                    NewMilestone {
                        amount: Uint128::new(MILESTONES[0]),
                        description: "draft coding report".into(),
                    },
                    NewMilestone {
                        amount: Uint128::new(MILESTONES[1]),
                        description: "final coding report".into(),
                    },
                ],
                accept_window: 3_600,
                delivery_deadline: now + 86_400,
                review_window: 3_600,
                // The escrow's default arbiter, the `arbiter` key (checked before the story): a
                // named arbiter must be a bonded evaluator.
                arbiter: None,
                // The three inferences the work will pay for, at the model's fee.
                max_model_fees: Uint128::new(3 * FEE),
                min_bond_reserved: None,
                evaluation_window: None,
                evaluator: None,
                max_evaluation_fee: None,
                max_arbitration_fee: None,
            }),
            "create a task",
        )?;
        self.task = res.attr_u64("task_id")?;
        let t = self.task;
        self.ledger.mv(
            &client,
            &escrow_addr,
            deposit,
            &format!("deposit, task {t}"),
            "escrowed",
        )?;
        let create_gas = self.gas("create_task (cw20 send, 2 milestones)", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::AcceptTask { task_id: t },
            "agent",
            "accept the task",
        )?;
        let accept_gas = self.gas("accept_task", &res);
        self.done(format!(
            "client opens task {t} for agent: {} + {} in two milestones, arbiter = arbiter; agent accepts (gas {create_gas}, {accept_gas})",
            units(MILESTONES[0]),
            units(MILESTONES[1])
        ))
    }

    /// 16: milestone 0 with two inferences, approved.
    pub(super) fn milestone0(&mut self) -> Result<()> {
        let (a, b, m, t) = (self.a, self.b_id, self.model, self.task);
        let escrow_addr = self.ledger.escrow.clone();
        let agent = self.addr("agent")?;
        let client = self.addr("client")?;
        // Milestone 0: two inferences, one with the lineage weights, one with a receipt the host
        // signed for payer = the escrow; approved.
        let signed0 = self.signed(
            &escrow_addr,
            format!("story-{}-t{t}-m0-b", self.tag),
            TASK_M0_ATTRIBUTION,
        )?;
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::SubmitMilestone {
                task_id: t,
                milestone: 0,
                result_hash: self.data_hash("draft"),
                result_uri: format!("ipfs://story-{}/draft.md", self.tag),
                inferences: vec![
                    InferencePayment {
                        model_id: m,
                        inference_id: format!("story-{}-t{t}-m0-a", self.tag),
                        attribution: None,
                        receipt_signature: None,
                        io: None,
                    },
                    signed0,
                ],
                input_hash: None,
            },
            "agent",
            "submit milestone 0",
        )?;
        let submit_gas = self.gas("submit_milestone (2 inferences, 1 signed)", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::ApproveMilestone {
                task_id: t,
                milestone: 0,
            },
            "client",
            "approve milestone 0",
        )?;
        let host = self.served_by_host()?;
        let (to_agent, _) = self.ledger.settle_milestone(
            t,
            MILESTONES[0],
            Outcome::Full,
            &[
                (FEE, vector(a, b, LINEAGE), ServedBy::Owner),
                (FEE, vector(a, b, TASK_M0_ATTRIBUTION), host),
            ],
            &self.first_versions(),
            self.rules.protocol_fee_bps,
            &client,
            &agent,
        )?;
        let approve_gas = self.gas("approve_milestone (2 model fees)", &res);
        self.done(format!(
            "agent delivers milestone 0 of task {t} with 2 inferences of model {m} (one receipt signed for the escrow); client approves: 2 model fees through model licensing, protocol fee {} bps, agent +{} (gas submit {submit_gas}, approve {approve_gas})",
            self.rules.protocol_fee_bps,
            units(to_agent)
        ))
    }

    /// 17: milestone 1, disputed and ruled.
    pub(super) fn milestone1(&mut self) -> Result<()> {
        let (a, b, t) = (self.a, self.b_id, self.task);
        let escrow_addr = self.ledger.escrow.clone();
        let agent = self.addr("agent")?;
        let client = self.addr("client")?;
        let signed1 = self.signed(
            &escrow_addr,
            format!("story-{}-t{t}-m1-a", self.tag),
            TASK_M1_ATTRIBUTION,
        )?;
        self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::SubmitMilestone {
                task_id: t,
                milestone: 1,
                result_hash: self.data_hash("final"),
                result_uri: format!("ipfs://story-{}/final.md", self.tag),
                inferences: vec![signed1],
                input_hash: None,
            },
            "agent",
            "submit milestone 1",
        )?;
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::DisputeMilestone {
                task_id: t,
                milestone: 1,
                reason: "two of the five sections are missing".into(),
            },
            "client",
            "dispute milestone 1",
        )?;
        let dispute_gas = self.gas("dispute_milestone", &res);
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::Resolve {
                task_id: t,
                milestone: 1,
                agent_share_bps: RULING_BPS,
            },
            "arbiter",
            "rule on milestone 1",
        )?;
        let (to_agent, back) = self.ledger.settle_milestone(
            t,
            MILESTONES[1],
            Outcome::Ruling(RULING_BPS),
            &[(
                FEE,
                vector(a, b, TASK_M1_ATTRIBUTION),
                self.served_by_host()?,
            )],
            &self.first_versions(),
            self.rules.protocol_fee_bps,
            &client,
            &agent,
        )?;
        let resolve_gas = self.gas("resolve (70 %, 1 model fee)", &res);
        let task: escrow::TaskResponse =
            self.query(&escrow_addr, &escrow::QueryMsg::Task { task_id: t }, "task")?;
        ensure!(
            task.task.status == escrow::TaskStatus::Completed,
            "task {t} ended {:?}, not completed",
            task.task.status
        );
        self.done(format!(
            "agent delivers milestone 1 (1 signed inference); client disputes it; arbiter rules {}: agent +{}, client gets {} back; task {t} completed (gas dispute {dispute_gas}, resolve {resolve_gas})",
            percent(u128::from(RULING_BPS)),
            units(to_agent),
            units(back)
        ))
    }

    /// The agent declares `model` as the one it uses; the gas it took.
    pub(super) fn update_agent(&mut self, model: u64) -> Result<u64> {
        let escrow_addr = self.ledger.escrow.clone();
        let res = self.exec(
            &escrow_addr,
            &escrow::ExecuteMsg::UpdateAgent {
                name: None,
                metadata_uri: None,
                models: Some(vec![model]),
                capabilities: None,
            },
            "agent",
            "update the agent's models",
        )?;
        Ok(self.gas("update_agent", &res))
    }
}
