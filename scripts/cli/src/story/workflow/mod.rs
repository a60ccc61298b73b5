//! Steps 30–42, a multi-agent workflow: client hires a coordinator agent for a due-diligence
//! report (a root task of one milestone); an evaluator registers with a bond, a fee and its
//! capabilities; the coordinator finds three specialists by capability (`agents_by_capability`)
//! and delegates research, legal and risk sub-tasks to them out of its milestone, each naming
//! the evaluator. Each specialist's delivery pays one inference of the story's model (a receipt
//! the host signed with the inference's input and output hashes) and names its input; the
//! evaluator approves two deliveries and rejects the third, which nobody appeals: `finalize`
//! returns what that sub-task still holds to the coordinator's milestone. The coordinator
//! delivers, the client approves (the protocol fee is charged on what the milestone did not
//! delegate), the client rates the coordinator and the coordinator rates the specialists it
//! paid and the evaluator; `workflow` shows the money tree; the model owner and the host
//! withdraw what the workflow's inferences earned them and the pool owner moves the workflow's
//! treasury intake.

mod closing;
mod delegation;
mod tree;

use anyhow::{ensure, Context, Result};
use cosmwasm_std::Uint128;
use openledger_common::msg::agent_escrow::{self as escrow, NewMilestone, NewTask};

use super::agents::{
    agent_calls, agent_plan, evaluator_calls, evaluator_plan, AgentPlan, AgentProfile,
    EvaluatorProfile,
};
use super::backend::Call;
use super::plan::units;
use super::Story;

/// The workflow's own actors, in the order of the final account.
pub(super) const WORKFLOW_ACTORS: [&str; 5] = [
    "coordinator",
    "researcher",
    "legal_expert",
    "risk_expert",
    "evaluator",
];
/// The root task's one milestone.
const ROOT_MILESTONE: u128 = 20_000;
/// The evaluator's fee per verdict.
const EVALUATION_FEE: u128 = 200;
/// Seconds the evaluator has for each delivery.
const EVALUATION_WINDOW: u64 = 3_600;
/// Seconds a specialist has to appeal a rejection (the sub-tasks' review window).
const APPEAL_WINDOW: u64 = 2;
/// The client's rating of the coordinator.
const COORDINATOR_RATING: (u8, &str) = (90, "on-time");
/// The coordinator's rating of the evaluator, on each sub-task.
const EVALUATOR_RATING: (u8, &str) = (85, "rigorous");

/// One specialist and the sub-task it is given.
struct Specialist {
    /// Its key.
    key: &'static str,
    /// The capability the coordinator looks for.
    capability: &'static str,
    /// What the sub-task delivers.
    work: &'static str,
    /// The sub-task's one milestone.
    amount: u128,
    /// The attribution of its inference over datanets A and B (bps).
    attribution: [u16; 2],
    /// The evaluator's verdict on its delivery.
    approve: bool,
    /// The coordinator's rating, when the sub-task paid the specialist.
    rating: Option<(u8, &'static str)>,
}

/// The three specialists, in the order of delegation.
const SPECIALISTS: [Specialist; 3] = [
    Specialist {
        key: "researcher",
        capability: "research",
        work: "market and literature research",
        amount: 4_000,
        attribution: [6_000, 4_000],
        approve: true,
        rating: Some((95, "thorough")),
    },
    Specialist {
        key: "legal_expert",
        capability: "legal",
        work: "licence and contract review",
        amount: 3_000,
        attribution: [3_000, 7_000],
        approve: true,
        rating: Some((80, "clear")),
    },
    Specialist {
        key: "risk_expert",
        capability: "risk",
        work: "risk assessment",
        amount: 3_000,
        attribution: [5_000, 5_000],
        approve: false,
        rating: None,
    },
];

/// What the chapter carries from step to step.
#[derive(Default)]
struct Flow {
    /// The escrow's minimum agent bond (a rule read from the chain).
    min_bond: u128,
    /// What each workflow actor needs before the work, in `WORKFLOW_ACTORS` order.
    plans: Vec<AgentPlan>,
    /// The root task.
    root: u64,
    /// The sub-tasks, in `SPECIALISTS` order.
    subs: Vec<u64>,
    /// The result each specialist delivered.
    results: Vec<String>,
    /// What the specialists were paid, in `SPECIALISTS` order.
    paid: Vec<u128>,
    /// The root milestone's net delegated amount, as the ledger predicts it.
    delegated: u128,
    /// What the coordinator was paid.
    coordinator_paid: u128,
    /// Protocol fees the workflow paid.
    protocol_fees: u128,
}

impl Story<'_> {
    /// 30–42: the multi-agent workflow.
    pub(super) fn workflow(&mut self) -> Result<()> {
        let mut f = Flow::default();
        self.workflow_funding(&mut f)?;
        self.workflow_registration(&f)?;
        self.root_task(&mut f)?;
        self.delegate(&mut f)?;
        self.specialists_accept(&f)?;
        self.specialists_deliver(&mut f)?;
        self.evaluate(&mut f)?;
        self.finalize_rejection(&mut f)?;
        self.root_delivery(&mut f)?;
        self.ratings(&f)?;
        self.workflow_tree(&f)?;
        self.workflow_collect()
    }

    /// The agent profile of the workflow actor `key` (the coordinator or a specialist).
    fn profile(&self, key: &str) -> AgentProfile {
        let (name, models, capabilities) = match SPECIALISTS.iter().find(|s| s.key == key) {
            Some(s) => (
                format!("{}-specialist", s.capability),
                vec![self.model],
                vec![s.capability.to_string()],
            ),
            None => (
                "due-diligence-coordinator".to_string(),
                vec![],
                vec!["coordination".to_string(), "due-diligence".to_string()],
            ),
        };
        AgentProfile {
            metadata_uri: format!("ipfs://story/{name}.json"),
            name,
            models,
            capabilities,
        }
    }

    /// The evaluator's profile.
    fn evaluator_profile() -> EvaluatorProfile {
        EvaluatorProfile {
            name: "due-diligence-evaluator".into(),
            metadata_uri: "ipfs://story/due-diligence-evaluator.json".into(),
            capabilities: SPECIALISTS
                .iter()
                .map(|s| s.capability.to_string())
                .collect(),
            fee: EVALUATION_FEE,
        }
    }

    /// 30: what each workflow actor needs (its bond, or the top-up its record requires), and
    /// the root task's deposit for the client, funded by the deployer.
    fn workflow_funding(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let cfg: escrow::ConfigResponse =
            self.query(&escrow_addr, &escrow::QueryMsg::Config {}, "escrow config")?;
        f.min_bond = cfg.min_agent_bond.u128().max(1);
        // The evaluator keeps the minimum free after reserving up to each sub-task's deposit.
        let deposits: u128 = SPECIALISTS.iter().map(|s| s.amount).sum();
        let evaluator_target = f.min_bond.checked_add(deposits).context("bond overflow")?;
        // The coordinator's reservation for the root task (its free bond × slash_bps) covers
        // everything it delegates.
        let coordinator_floor = deposits
            .checked_mul(10_000)
            .context("bond overflow")?
            .div_ceil(u128::from(cfg.slash_bps.max(1)));
        for key in WORKFLOW_ACTORS {
            let addr = self.addr(key)?;
            f.plans.push(match key {
                "evaluator" => evaluator_plan(self.b, key, &addr, evaluator_target)?,
                "coordinator" => agent_plan(self.b, key, &addr, (f.min_bond, coordinator_floor))?,
                _ => agent_plan(self.b, key, &addr, (f.min_bond, 0))?,
            });
        }
        let mut plan: Vec<(&str, u128)> = vec![("client", ROOT_MILESTONE)];
        plan.extend(
            WORKFLOW_ACTORS
                .iter()
                .zip(&f.plans)
                .map(|(k, p)| (*k, p.bonded())),
        );
        plan.retain(|(_, a)| *a > 0);
        let deployer = self.addr("deployer")?;
        for (key, amount) in &plan {
            let to = self.addr(key)?;
            self.b
                .transfer("deployer", &to, *amount)
                .with_context(|| format!("deployer: transfer {amount} to {key}"))?;
            self.ledger.mv(
                &deployer,
                &to,
                *amount,
                "funding of the story's actors",
                "funded by deployer",
            )?;
        }
        let list: Vec<String> = plan
            .iter()
            .map(|(k, a)| format!("{k} {}", units(*a)))
            .collect();
        self.done(format!(
            "a multi-agent workflow: deployer funds the root task's deposit and the bonds the workflow's agents and evaluator lack (minimum bond {}, scaled by each agent's record): {}",
            units(f.min_bond),
            list.join(", ")
        ))
    }

    /// 31: the coordinator and the three specialists register as agents (or top up and update
    /// their profiles), with their capabilities; the evaluator registers with a bond, its fee
    /// and its capabilities.
    fn workflow_registration(&mut self, f: &Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let mut per_actor: Vec<Vec<Call>> = vec![];
        for (key, plan) in WORKFLOW_ACTORS.iter().zip(&f.plans) {
            per_actor.push(match *key {
                "evaluator" => evaluator_calls(self.b, key, *plan, &Self::evaluator_profile())?,
                _ => agent_calls(self.b, key, *plan, &self.profile(key))?,
            });
        }
        // Round by round: each actor's first message at once, then the second ones.
        let mut evaluator_gas = None;
        for round in 0..2 {
            let calls: Vec<Call> = per_actor
                .iter()
                .filter_map(|c| c.get(round).cloned())
                .collect();
            let who: Vec<String> = calls.iter().map(|c| c.0.clone()).collect();
            let results = self.all(calls, "register or update")?;
            let registered = who.iter().zip(&results).find(|(k, _)| *k == "evaluator");
            if let (0, Some((_, res))) = (round, registered) {
                let evaluator = WORKFLOW_ACTORS.iter().position(|k| *k == "evaluator");
                let plan = evaluator.and_then(|i| f.plans.get(i));
                if matches!(plan, Some(AgentPlan::Register { .. })) {
                    evaluator_gas = Some(self.gas("register_evaluator (cw20 send with bond)", res));
                }
            }
        }
        let mut bonds = vec![];
        for (key, plan) in WORKFLOW_ACTORS.iter().zip(&f.plans) {
            let addr = self.addr(key)?;
            let (out, into) = match *key {
                "evaluator" => ("evaluator bond", "evaluator bonds"),
                _ => ("agent bond", "agent bonds"),
            };
            if plan.bonded() > 0 {
                self.ledger
                    .mv(&addr, &escrow_addr, plan.bonded(), out, into)?;
                bonds.push(format!("{key} {}", units(plan.bonded())));
            }
        }
        self.check_profiles()?;
        let gas = evaluator_gas.map_or(String::new(), |g| format!(" (register_evaluator gas {g})"));
        let bonds = if bonds.is_empty() {
            "no bond to add".to_string()
        } else {
            format!("bonds and top-ups: {}", bonds.join(", "))
        };
        self.done(format!(
            "coordinator registers as an agent (coordination, due-diligence); researcher, legal_expert and risk_expert as agents using model {} (research, legal, risk); evaluator as an evaluator with a fee of {EVALUATION_FEE} per verdict (research, legal, risk); {bonds}{gas}",
            self.model
        ))
    }

    /// Every workflow agent declares what its profile says; the evaluator its fee.
    fn check_profiles(&self) -> Result<()> {
        let escrow_addr = &self.ledger.escrow;
        for key in &WORKFLOW_ACTORS[..4] {
            let address = self.addr(key)?;
            let a: escrow::AgentResponse =
                self.query(escrow_addr, &escrow::QueryMsg::Agent { address }, "agent")?;
            let p = self.profile(key);
            ensure!(
                a.capabilities == p.capabilities && a.models == p.models,
                "{key} declares {:?} and models {:?}; the story registered {:?} and {:?}",
                a.capabilities,
                a.models,
                p.capabilities,
                p.models
            );
        }
        let address = self.addr("evaluator")?;
        let e: escrow::EvaluatorResponse = self.query(
            escrow_addr,
            &escrow::QueryMsg::Evaluator { address },
            "evaluator",
        )?;
        ensure!(
            e.fee.u128() == EVALUATION_FEE && e.reserved.is_zero(),
            "the evaluator's fee is {} with {} reserved; the story expects {EVALUATION_FEE} and nothing",
            e.fee,
            e.reserved
        );
        Ok(())
    }

    /// 32: the client opens the root task for the coordinator, who accepts it.
    fn root_task(&mut self, f: &mut Flow) -> Result<()> {
        let escrow_addr = self.ledger.escrow.clone();
        let client = self.addr("client")?;
        let now = self.b.block_time()?;
        let task = NewTask {
            agent: self.addr("coordinator")?,
            spec_hash: self.data_hash("due-diligence-spec"),
            spec_uri: format!("ipfs://story-{}/due-diligence-spec.md", self.tag),
            milestones: vec![NewMilestone {
                amount: Uint128::new(ROOT_MILESTONE),
                description: "due-diligence report".into(),
            }],
            accept_window: 3_600,
            delivery_deadline: now + 86_400,
            review_window: 3_600,
            arbiter: None,
            // The coordinator pays no model itself: its specialists' sub-tasks do.
            max_model_fees: Uint128::zero(),
            min_bond_reserved: None,
            evaluator: None,
            evaluation_window: None,
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        };
        let hook = escrow::ReceiveMsg::CreateTask(task);
        let res = self.send(
            "client",
            &escrow_addr,
            ROOT_MILESTONE,
            &hook,
            "create the root task",
        )?;
        f.root = res.attr_u64("task_id")?;
        let t = f.root;
        self.ledger.mv(
            &client,
            &escrow_addr,
            ROOT_MILESTONE,
            &format!("deposit, task {t}"),
            "escrowed",
        )?;
        let accept = escrow::ExecuteMsg::AcceptTask { task_id: t };
        self.exec(&escrow_addr, &accept, "coordinator", "accept the root task")?;
        self.done(format!(
            "client opens task {t} for coordinator: a due-diligence report, one milestone of {}, reviewed by the client; coordinator accepts",
            units(ROOT_MILESTONE)
        ))
    }
}
