//! Workflows in the escrow world: more agents, evaluators and bonded arbiters, tasks that name
//! them, sub-tasks delegated out of a milestone, the steps each role takes and the queries of
//! workflows, reputation and discovery. Every step that moves tokens leaves the ledger to the
//! test, which records where each amount went.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use openledger_common::msg::agent_escrow::{
    self as escrow, CapableAgentsResponse, CapableEvaluatorsResponse, EvaluatorResponse,
    ExecuteMsg, FeedbackResponse, FeedbackSubject, MilestoneInfo, NewMilestone, NewTask,
    ReputationResponse, WorkflowResponse,
};
use openledger_common::msg::model_licensing::InferencePayment;

use crate::escrow::{World, ACCEPT, MODEL_OWNER_CUT, POOL_CUT, REVIEW};
use crate::{attr, data_hash};

/// The bond the workflows' evaluators and bonded arbiters register with.
pub const EVALUATOR_BOND: u128 = 20_000;
/// The evaluator's fee per verdict.
pub const EVALUATION_FEE: u128 = 200;
/// The bonded arbiter's fee per ruling.
pub const ARBITRATION_FEE: u128 = 300;
/// The evaluation window of the workflows' tasks: 1 day.
pub const EVALUATION_WINDOW: u64 = 24 * 3600;

/// The escrow's error type.
pub type EscrowError = agent_escrow::ContractError;

/// The result hash the agent of `task_id` delivers for `milestone`.
pub fn result_of(task_id: u64, milestone: u32) -> String {
    data_hash(&format!("result-{task_id}-{milestone}"))
}

/// `task` with `evaluator` and the workflows' evaluation window, and `arbiter` named (the
/// default arbiter when `None`).
pub fn with_overseers(
    mut task: NewTask,
    evaluator: Option<&Addr>,
    arbiter: Option<&Addr>,
) -> NewTask {
    task.evaluator = evaluator.map(|e| e.to_string());
    task.evaluation_window = evaluator.map(|_| EVALUATION_WINDOW);
    task.arbiter = arbiter.map(|a| a.to_string());
    task
}

/// Downcasts a failed step's error to the escrow's error.
pub fn escrow_err(e: anyhow::Error) -> EscrowError {
    e.downcast::<EscrowError>()
        .expect("an error of the agent escrow")
}

impl World {
    /// Funds agent `who` with `amount` more and adds it to its bond (ledger updated): a
    /// coordinator's reservation for a task (free bond × slash share, at most the deposit)
    /// must cover what it delegates.
    pub fn top_up_bond(&mut self, who: &Addr, amount: u128) {
        self.s.fund(who, amount);
        let escrow = self.escrow.clone();
        self.s
            .send(who, &escrow, amount, &escrow::ReceiveMsg::TopUpBond {})
            .unwrap();
        self.s.moved(who, &escrow, amount);
    }

    /// Funds `name` with `bond` OPEN and registers it as an agent declaring model 1 and
    /// `capabilities`; returns its address (ledger updated).
    pub fn hire(&mut self, name: &str, bond: u128, capabilities: &[&str]) -> Addr {
        let who = self.s.addr(name);
        self.s.fund(&who, bond);
        let escrow = self.escrow.clone();
        self.s
            .send(
                &who,
                &escrow,
                bond,
                &escrow::ReceiveMsg::RegisterAgent {
                    name: name.into(),
                    metadata_uri: format!("ipfs://{name}"),
                    models: vec![1],
                    capabilities: Some(capabilities.iter().map(|c| c.to_string()).collect()),
                },
            )
            .unwrap();
        self.s.moved(&who, &escrow, bond);
        who
    }

    /// Funds `name` with `bond` OPEN and registers it as an evaluator charging `fee` per verdict
    /// or ruling, with `capabilities`; returns its address (ledger updated).
    pub fn appoint(
        &mut self,
        name: &str,
        (bond, fee): (u128, u128),
        capabilities: &[&str],
    ) -> Addr {
        let who = self.s.addr(name);
        self.s.fund(&who, bond);
        let escrow = self.escrow.clone();
        self.s
            .send(
                &who,
                &escrow,
                bond,
                &escrow::ReceiveMsg::RegisterEvaluator {
                    name: name.into(),
                    metadata_uri: format!("ipfs://{name}"),
                    capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
                    fee: Uint128::new(fee),
                },
            )
            .unwrap();
        self.s.moved(&who, &escrow, bond);
        who
    }

    /// A task for `agent` of `amounts`, with the world's windows, due at `delivery_deadline`,
    /// its model-fee budget the whole deposit, no evaluator, the default arbiter.
    pub fn task_for(&self, agent: &Addr, amounts: &[u128], delivery_deadline: u64) -> NewTask {
        let deposit = amounts
            .iter()
            .try_fold(0u128, |sum, a| sum.checked_add(*a))
            .expect("deposit overflows");
        NewTask {
            agent: agent.to_string(),
            spec_hash: data_hash(&format!("spec-{agent}")),
            spec_uri: "ipfs://spec".into(),
            milestones: amounts
                .iter()
                .enumerate()
                .map(|(i, a)| NewMilestone {
                    amount: Uint128::new(*a),
                    description: format!("milestone {i}"),
                })
                .collect(),
            accept_window: ACCEPT,
            delivery_deadline,
            review_window: REVIEW,
            arbiter: None,
            max_model_fees: Uint128::new(deposit),
            min_bond_reserved: None,
            evaluator: None,
            evaluation_window: None,
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        }
    }

    /// A sub-task for `agent` of `amounts`, due with its parent `parent`.
    pub fn subtask_for(&self, parent: u64, agent: &Addr, amounts: &[u128]) -> NewTask {
        let deadline = self.task(parent).task.delivery_deadline;
        self.task_for(agent, amounts, deadline)
    }

    /// The client creates `task` with its whole deposit; returns the task id (ledger updated).
    pub fn open(&mut self, task: NewTask) -> u64 {
        let deposit = task
            .milestones
            .iter()
            .try_fold(0u128, |sum, m| sum.checked_add(m.amount.u128()))
            .expect("deposit overflows");
        let res = self.create_with(deposit, task).unwrap();
        attr(&res, "task_id").parse().unwrap()
    }

    /// `agent` accepts `task_id`.
    pub fn accept(&mut self, agent: &Addr, task_id: u64) -> AnyResult<AppResponse> {
        self.exec(agent, &ExecuteMsg::AcceptTask { task_id })
    }

    /// `coordinator` (the agent of `task_id`) funds `task` out of milestone `milestone`.
    pub fn delegate(
        &mut self,
        coordinator: &Addr,
        (task_id, milestone): (u64, u32),
        task: NewTask,
    ) -> AnyResult<AppResponse> {
        self.exec(
            coordinator,
            &ExecuteMsg::DelegateTask {
                task_id,
                milestone,
                task,
            },
        )
    }

    /// [`World::delegate`], which must succeed; returns the sub-task's id.
    pub fn delegated(&mut self, coordinator: &Addr, parent: (u64, u32), task: NewTask) -> u64 {
        let res = self.delegate(coordinator, parent, task).unwrap();
        attr(&res, "task_id").parse().unwrap()
    }

    /// `agent` delivers milestone `milestone` of `task_id` ([`result_of`]) with `inferences`.
    pub fn deliver(
        &mut self,
        agent: &Addr,
        (task_id, milestone): (u64, u32),
        inferences: Vec<InferencePayment>,
    ) -> AnyResult<AppResponse> {
        self.exec(
            agent,
            &ExecuteMsg::SubmitMilestone {
                task_id,
                milestone,
                result_hash: result_of(task_id, milestone),
                result_uri: "ipfs://result".into(),
                inferences,
                input_hash: Some(data_hash(&format!("input-{task_id}-{milestone}"))),
            },
        )
    }

    /// `client` approves milestone `milestone` of `task_id`.
    pub fn approve_as(
        &mut self,
        client: &Addr,
        (task_id, milestone): (u64, u32),
    ) -> AnyResult<AppResponse> {
        self.exec(client, &ExecuteMsg::ApproveMilestone { task_id, milestone })
    }

    /// `evaluator` judges milestone `milestone` of `task_id` about `result_hash`.
    pub fn judge(
        &mut self,
        evaluator: &Addr,
        (task_id, milestone): (u64, u32),
        result_hash: String,
        approve: bool,
    ) -> AnyResult<AppResponse> {
        self.exec(
            evaluator,
            &ExecuteMsg::EvaluateMilestone {
                task_id,
                milestone,
                result_hash,
                approve,
                reason_hash: data_hash(&format!("reasons-{task_id}-{milestone}")),
            },
        )
    }

    /// `evaluator` judges the delivered result of milestone `milestone` of `task_id`.
    pub fn evaluate(
        &mut self,
        evaluator: &Addr,
        at: (u64, u32),
        approve: bool,
    ) -> AnyResult<AppResponse> {
        self.judge(evaluator, at, result_of(at.0, at.1), approve)
    }

    /// `who` disputes milestone `milestone` of `task_id` (the client's dispute, or the agent's
    /// appeal of a rejection).
    pub fn dispute_as(
        &mut self,
        who: &Addr,
        (task_id, milestone): (u64, u32),
    ) -> AnyResult<AppResponse> {
        self.exec(
            who,
            &ExecuteMsg::DisputeMilestone {
                task_id,
                milestone,
                reason: "the verdict misreads the result".into(),
            },
        )
    }

    /// `arbiter` gives the agent `share` bps of milestone `milestone` of `task_id`.
    pub fn rule(
        &mut self,
        arbiter: &Addr,
        (task_id, milestone): (u64, u32),
        share: u16,
    ) -> AnyResult<AppResponse> {
        self.exec(
            arbiter,
            &ExecuteMsg::Resolve {
                task_id,
                milestone,
                agent_share_bps: share,
            },
        )
    }

    /// `who` finalizes milestone `milestone` of `task_id`.
    pub fn finalize_as(
        &mut self,
        who: &Addr,
        (task_id, milestone): (u64, u32),
    ) -> AnyResult<AppResponse> {
        self.exec(who, &ExecuteMsg::Finalize { task_id, milestone })
    }

    /// `who` escalates milestone `milestone` of `task_id` past its evaluator.
    pub fn escalate(
        &mut self,
        who: &Addr,
        (task_id, milestone): (u64, u32),
    ) -> AnyResult<AppResponse> {
        self.exec(who, &ExecuteMsg::Escalate { task_id, milestone })
    }

    /// `client` rates `subject` of `task_id`.
    pub fn rate(
        &mut self,
        client: &Addr,
        task_id: u64,
        (subject, rating, tag): (FeedbackSubject, u8, &str),
    ) -> AnyResult<AppResponse> {
        self.exec(
            client,
            &ExecuteMsg::GiveFeedback {
                task_id,
                subject,
                rating,
                tag: tag.into(),
            },
        )
    }

    /// Runs `attempt`, which must fail, checks that it changed no state and moved nothing, and
    /// returns its escrow error.
    pub fn refused_with(
        &mut self,
        attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
    ) -> EscrowError {
        escrow_err(self.refused_untouched(attempt))
    }

    /// Records in the ledger `amount` paid out of the escrow to `to`.
    pub fn paid(&mut self, to: &Addr, amount: u128) {
        let escrow = self.escrow.clone();
        self.s.moved(&escrow, to, amount);
    }

    /// Records in the ledger `amount` paid out of the escrow to the pool (its treasury).
    pub fn to_pool(&mut self, amount: u128) {
        let pool = self.s.pool.clone();
        self.paid(&pool, amount);
    }

    /// Records in the ledger one model fee of model 1 paid out of the escrow at delivery.
    pub fn model_fee_paid(&mut self) {
        let models = self.models.clone();
        self.paid(&models, MODEL_OWNER_CUT);
        self.to_pool(POOL_CUT);
    }

    /// Milestone `milestone` of task `task_id`.
    pub fn milestone(&self, task_id: u64, milestone: u32) -> MilestoneInfo {
        self.task(task_id).milestones[milestone as usize].clone()
    }

    /// A page of the workflow of `task_id`.
    pub fn workflow(
        &self,
        task_id: u64,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> WorkflowResponse {
        self.query(&escrow::QueryMsg::Workflow {
            task_id,
            start_after,
            limit,
        })
    }

    /// The escrow's record of evaluator `address`.
    pub fn evaluator_info(&self, address: &Addr) -> EvaluatorResponse {
        self.query(&escrow::QueryMsg::Evaluator {
            address: address.to_string(),
        })
    }

    /// The reputation of `address`.
    pub fn reputation(&self, address: &Addr) -> ReputationResponse {
        self.query(&escrow::QueryMsg::Reputation {
            address: address.to_string(),
        })
    }

    /// The ratings given on `task_id`.
    pub fn feedback(&self, task_id: u64) -> FeedbackResponse {
        self.query(&escrow::QueryMsg::Feedback { task_id })
    }

    /// A page of the agents declaring `capability`.
    pub fn agents_with(
        &self,
        capability: &str,
        start_after: Option<&Addr>,
        limit: Option<u32>,
    ) -> CapableAgentsResponse {
        self.query(&escrow::QueryMsg::AgentsByCapability {
            capability: capability.into(),
            start_after: start_after.map(|a| a.to_string()),
            limit,
        })
    }

    /// A page of the evaluators declaring `capability`.
    pub fn evaluators_with(
        &self,
        capability: &str,
        start_after: Option<&Addr>,
        limit: Option<u32>,
    ) -> CapableEvaluatorsResponse {
        self.query(&escrow::QueryMsg::EvaluatorsByCapability {
            capability: capability.into(),
            start_after: start_after.map(|a| a.to_string()),
            limit,
        })
    }
}
