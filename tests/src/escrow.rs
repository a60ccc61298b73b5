//! The agent escrow in the suite, and the escrow world: the suite built with model licensing
//! and the escrow, a model trained on two published datanet versions, a registered agent, a
//! client and an arbiter; helpers that drive tasks and keep the ledger.

use anyhow::Result as AnyResult;
use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::{AppResponse, Executor};
use openledger_common::attribution::AttributionShare;
use openledger_common::msg::agent_escrow::{
    self as escrow, AgentResponse, EscrowSolvencyResponse, NewMilestone, NewTask, TaskResponse,
};
use openledger_common::msg::model_licensing::{
    self as ml, Host, InferencePayment, LicensingSolvencyResponse, ModelStatus, NewModel,
};
use openledger_common::msg::reward_pool::{DatanetPoolResponse, QueryMsg as PoolQuery};

pub use crate::attr;
pub use crate::contracts::escrow_contract;
use crate::models::{lineage_v1, receipt, HostKey};
use crate::{data_hash, Suite, SuiteBuilder};

/// Smallest agent bond of the suite's escrow.
pub const MIN_BOND: u128 = 5_000;
/// The bond the world's agent registers with.
pub const BOND: u128 = 10_000;
/// Protocol fee: 5 %.
pub const FEE_BPS: u16 = 500;
/// Arbitration window: 3 days.
pub const ARBITRATION: u64 = 3 * 24 * 3600;
/// Unbonding period of agents: 7 days.
pub const UNBONDING: u64 = 7 * 24 * 3600;
/// Slash share of a ruling fully for the client: 50 %.
pub const SLASH_BPS: u16 = 5_000;
/// Accept window of the world's tasks: 1 day.
pub const ACCEPT: u64 = 24 * 3600;
/// Review window of the world's tasks: 2 days.
pub const REVIEW: u64 = 2 * 24 * 3600;
/// Delivery deadline of the world's tasks: 10 days after creation.
pub const DELIVERY: u64 = 10 * 24 * 3600;
/// Inference fee of model 1.
pub const MODEL_FEE: u128 = 1_000;
/// Of each model fee (default split, no stakers): the owner's 20 % stays in model licensing,
/// the other 80 % (datanets 50 %, stakers 20 % → treasury, treasury 10 %) goes to the pool.
pub const MODEL_OWNER_CUT: u128 = 200;
/// See `MODEL_OWNER_CUT`.
pub const POOL_CUT: u128 = 800;

/// The escrow world: a view over a suite built with model licensing and the escrow, naming
/// what every escrow flow uses.
pub struct World {
    /// The suite.
    pub s: Suite,
    /// Model licensing.
    pub models: Addr,
    /// The agent escrow.
    pub escrow: Addr,
    /// The signing key of model 1's host.
    pub host: HostKey,
    /// Owner of model 1.
    pub model_owner: Addr,
    /// Holds 1 000 000 OPEN and creates the tasks.
    pub client: Addr,
    /// Registered with a bond of [`BOND`], declaring model 1.
    pub agent: Addr,
    /// The escrow's default arbiter.
    pub arbiter: Addr,
}

/// Two datanets with a published version each (one contributor each), model 1 on them
/// (lineage 60 % / 40 %, fee 1 000, one host), the escrow, a client with 1 000 000 OPEN and an
/// agent registered with a bond of 10 000 declaring model 1.
pub fn world() -> World {
    let mut s = SuiteBuilder::new().with_escrow().build();
    let (models, escrow) = (s.models(), s.escrow());
    let owner = s.addr("datanet-owner");
    let contributors = [s.addr("contributor-0"), s.addr("contributor-1")];
    s.publish_datanets(
        &owner,
        &[
            ("speech", &[(&contributors[0], 100)]),
            ("medical", &[(&contributors[1], 100)]),
        ],
    );

    let host = HostKey::new("escrow-host");
    let model_owner = s.addr("model-owner");
    s.app
        .execute_contract(
            model_owner.clone(),
            models.clone(),
            &ml::ExecuteMsg::RegisterModel(NewModel {
                name: "planner".into(),
                parents: vec![],
                metadata_uri: "ipfs://model".into(),
                weights_hash: data_hash("weights"),
                base_model: None,
                lineage: lineage_v1(&[(1, 6_000), (2, 4_000)]),
                inference_fee: Uint128::new(MODEL_FEE),
                tiers: vec![],
                hosts: vec![Host {
                    address: s.addr("host").to_string(),
                    pubkey: host.pubkey(),
                }],
            }),
            &[],
        )
        .unwrap();

    let arbiter = s.addr("arbiter");
    let client = s.addr("client");
    let agent = s.addr("agent");
    s.fund(&client, 1_000_000);
    s.fund(&agent, 100_000);
    let mut w = World {
        s,
        models,
        escrow,
        host,
        model_owner,
        client,
        agent,
        arbiter,
    };
    let agent = w.agent.clone();
    w.register(&agent, BOND, vec![1]).unwrap();
    w.check();
    w
}

impl AsRef<Suite> for World {
    fn as_ref(&self) -> &Suite {
        &self.s
    }
}

impl AsMut<Suite> for World {
    fn as_mut(&mut self) -> &mut Suite {
        &mut self.s
    }
}

impl World {
    /// `who` registers as an agent with `bond` (ledger updated on success).
    pub fn register(&mut self, who: &Addr, bond: u128, models: Vec<u64>) -> AnyResult<AppResponse> {
        let escrow = self.escrow.clone();
        let res = self.s.send(
            who,
            &escrow,
            bond,
            &escrow::ReceiveMsg::RegisterAgent {
                name: "agent".into(),
                metadata_uri: "ipfs://agent".into(),
                models,
                capabilities: None,
            },
        )?;
        self.s.moved(who, &escrow, bond);
        Ok(res)
    }

    /// A task for the world's agent with the world's windows and deadline.
    pub fn new_task(&self, amounts: &[u128]) -> NewTask {
        NewTask {
            agent: self.agent.to_string(),
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
            accept_window: ACCEPT,
            delivery_deadline: self.now() + DELIVERY,
            review_window: REVIEW,
            arbiter: None,
            // Up to the whole deposit: the budget itself is tested on its own.
            max_model_fees: Uint128::new(amounts.iter().fold(0u128, |a, b| a.saturating_add(*b))),
            min_bond_reserved: None,
            evaluation_window: None,
            evaluator: None,
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        }
    }

    /// The client sends `deposit` with `task` (ledger updated on success).
    pub fn create_with(&mut self, deposit: u128, task: NewTask) -> AnyResult<AppResponse> {
        let (client, escrow) = (self.client.clone(), self.escrow.clone());
        let res = self.s.send(
            &client,
            &escrow,
            deposit,
            &escrow::ReceiveMsg::CreateTask(task),
        )?;
        self.s.moved(&client, &escrow, deposit);
        Ok(res)
    }

    /// Creates a task of `amounts`; returns its id.
    pub fn create(&mut self, amounts: &[u128]) -> u64 {
        let task = self.new_task(amounts);
        let res = self.create_with(amounts.iter().sum(), task).unwrap();
        attr(&res, "task_id").parse().unwrap()
    }

    /// Creates and accepts a task of `amounts`; returns its id.
    pub fn accepted(&mut self, amounts: &[u128]) -> u64 {
        let id = self.create(amounts);
        let agent = self.agent.clone();
        self.exec(&agent, &escrow::ExecuteMsg::AcceptTask { task_id: id })
            .unwrap();
        id
    }

    /// `who` executes `msg` on the escrow (no funds).
    pub fn exec(&mut self, who: &Addr, msg: &escrow::ExecuteMsg) -> AnyResult<AppResponse> {
        self.s
            .app
            .execute_contract(who.clone(), self.escrow.clone(), msg, &[])
    }

    /// The agent submits milestone `milestone` of `task_id` with `inferences`.
    pub fn submit(
        &mut self,
        task_id: u64,
        milestone: u32,
        inferences: Vec<InferencePayment>,
    ) -> AnyResult<AppResponse> {
        let agent = self.agent.clone();
        self.exec(
            &agent,
            &escrow::ExecuteMsg::SubmitMilestone {
                task_id,
                milestone,
                result_hash: data_hash(&format!("result-{task_id}-{milestone}")),
                result_uri: "ipfs://result".into(),
                inferences,
                input_hash: None,
            },
        )
    }

    /// The client approves milestone `milestone` of `task_id`.
    pub fn approve(&mut self, task_id: u64, milestone: u32) -> AnyResult<AppResponse> {
        let client = self.client.clone();
        self.exec(
            &client,
            &escrow::ExecuteMsg::ApproveMilestone { task_id, milestone },
        )
    }

    /// The client disputes milestone `milestone` of `task_id`.
    pub fn dispute(&mut self, task_id: u64, milestone: u32) -> AnyResult<AppResponse> {
        let client = self.client.clone();
        self.exec(
            &client,
            &escrow::ExecuteMsg::DisputeMilestone {
                task_id,
                milestone,
                reason: "the report misses half of the sources".into(),
            },
        )
    }

    /// The default arbiter gives the agent `share` bps of milestone `milestone` of `task_id`.
    pub fn resolve(&mut self, task_id: u64, milestone: u32, share: u16) -> AnyResult<AppResponse> {
        let arbiter = self.arbiter.clone();
        self.exec(
            &arbiter,
            &escrow::ExecuteMsg::Resolve {
                task_id,
                milestone,
                agent_share_bps: share,
            },
        )
    }

    /// `who` asks for the refund of `task_id`.
    pub fn refund(&mut self, who: &Addr, task_id: u64) -> AnyResult<AppResponse> {
        self.exec(who, &escrow::ExecuteMsg::Refund { task_id })
    }

    /// A paid inference of model 1 with the lineage weights (no receipt).
    pub fn lineage_inference(&self, id: &str) -> InferencePayment {
        InferencePayment {
            model_id: 1,
            inference_id: id.into(),
            attribution: None,
            receipt_signature: None,
            io: None,
        }
    }

    /// A paid inference of model 1 with a host-signed attribution; the receipt names the
    /// escrow as payer (the escrow is the cw20 sender of the fee, at submission).
    pub fn signed_inference(
        &self,
        id: &str,
        attribution: Vec<AttributionShare>,
    ) -> InferencePayment {
        let r = receipt(
            &self.s,
            &self.models,
            1,
            id,
            &self.escrow,
            MODEL_FEE,
            attribution.clone(),
        );
        InferencePayment {
            model_id: 1,
            inference_id: id.into(),
            attribution: Some(attribution),
            receipt_signature: Some(self.host.sign(&r)),
            io: None,
        }
    }

    /// The model owner sets model 1's status.
    pub fn set_model_status(&mut self, status: ModelStatus) {
        let (owner, models) = (self.model_owner.clone(), self.models.clone());
        self.s
            .app
            .execute_contract(
                owner,
                models,
                &ml::ExecuteMsg::SetModelStatus {
                    model_id: 1,
                    status,
                },
                &[],
            )
            .unwrap();
    }

    /// The escrow's view of task `task_id`.
    pub fn task(&self, task_id: u64) -> TaskResponse {
        self.query(&escrow::QueryMsg::Task { task_id })
    }

    /// The escrow's record of agent `agent`.
    pub fn agent_info(&self, agent: &Addr) -> AgentResponse {
        self.query(&escrow::QueryMsg::Agent {
            address: agent.to_string(),
        })
    }

    /// A smart query of the escrow.
    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &escrow::QueryMsg) -> T {
        self.s
            .app
            .wrap()
            .query_wasm_smart(&self.escrow, msg)
            .unwrap()
    }

    /// The escrow's solvency report.
    pub fn solvency(&self) -> EscrowSolvencyResponse {
        self.query(&escrow::QueryMsg::Solvency {})
    }

    /// Everything the datanets of model 1 have received so far.
    pub fn datanets_received(&self) -> u128 {
        [1u64, 2]
            .into_iter()
            .map(|datanet_id| {
                let p: DatanetPoolResponse =
                    self.s.query_pool(&PoolQuery::DatanetPool { datanet_id });
                p.total_distributed.u128()
            })
            .sum()
    }

    /// The block time, in seconds since the epoch.
    pub fn now(&self) -> u64 {
        self.s.app.block_info().time.seconds()
    }

    /// Moves the chain to `seconds` since the epoch (one block later).
    pub fn at(&mut self, seconds: u64) {
        let now = self.now();
        assert!(seconds >= now, "time runs forward");
        self.s.advance(seconds - now);
    }

    /// The suite's checks, plus: the escrow holds exactly what it owes (solvent, nothing
    /// stray), and model licensing is solvent.
    pub fn check(&self) {
        self.s.check();
        let e = self.solvency();
        assert!(e.solvent, "escrow insolvent: {e:?}");
        assert_eq!(
            e.balance.u128(),
            self.s.ledger[&self.escrow],
            "escrow balance"
        );
        assert_eq!(
            e.balance, e.total_liabilities,
            "escrow holds more than it owes: {e:?}"
        );
        let m: LicensingSolvencyResponse = self
            .s
            .app
            .wrap()
            .query_wasm_smart(&self.models, &ml::QueryMsg::Solvency {})
            .unwrap();
        assert!(m.solvent, "model licensing insolvent: {m:?}");
        assert_eq!(m.balance.u128(), self.s.ledger[&self.models]);
    }

    /// Runs `attempt`, which must fail, and checks that no balance moved and no escrow state
    /// changed.
    pub fn refused(
        &mut self,
        attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
    ) -> anyhow::Error {
        let tasks: Vec<TaskResponse> = (1..=self.task_count()).map(|id| self.task(id)).collect();
        let solvency = self.solvency();
        let err = attempt(self).expect_err("expected the attempt to fail");
        let after: Vec<TaskResponse> = (1..=self.task_count()).map(|id| self.task(id)).collect();
        assert_eq!(after, tasks, "a refused attempt changed a task");
        assert_eq!(self.solvency(), solvency);
        self.check();
        err
    }

    /// [`World::refused`], and no contract's raw storage and no party's OPEN or native balance
    /// changed either (see [`crate::Frozen`]).
    pub fn refused_untouched(
        &mut self,
        attempt: impl FnOnce(&mut World) -> AnyResult<AppResponse>,
    ) -> anyhow::Error {
        let before = self.s.frozen();
        let e = self.refused(attempt);
        assert_eq!(self.s.frozen(), before, "a refused attempt changed state");
        e
    }

    /// How many tasks the escrow has created.
    pub fn task_count(&self) -> u64 {
        let c: escrow::ConfigResponse = self.query(&escrow::QueryMsg::Config {});
        c.task_count
    }

    /// Rewrites task `task_id` (accepted) as 0.2.0 stored it: its JSON has no `ext` (so neither
    /// `min_agent_bond` nor `bond_reserved`: 0.2.0 reserved no bond), and the agent's
    /// reservation for it is dropped (the agent written without `reserved` when nothing else is
    /// reserved). No token moves.
    pub fn accepted_under_0_2_0(&mut self, task_id: u64) {
        use agent_escrow::state::{AGENTS, TASKS};
        let escrow = self.escrow.clone();
        let mut storage = self.s.app.contract_storage_mut(&escrow);
        let task = TASKS.load(&*storage, task_id).unwrap();
        let mut agent = AGENTS.load(&*storage, &task.agent).unwrap();
        agent.reserved -= task.ext.bond_reserved.unwrap_or_default();
        assert!(task.ext.parent.is_none() && task.ext.evaluation.is_none());
        let raw = strip_keys(&task, &["ext"]);
        storage.set(&TASKS.key(task_id), &raw);
        let raw = if agent.reserved.is_zero() {
            strip_keys(&agent, &["reserved"])
        } else {
            cosmwasm_std::to_json_vec(&agent).unwrap()
        };
        storage.set(&AGENTS.key(&task.agent), &raw);
    }

    /// The agent delivers milestone `milestone` of `task_id` as under 0.2.0: submitted with
    /// `inferences` whose fees (model 1's current fee each) are recorded on the milestone and
    /// not paid (still escrowed, to be paid at settlement). Submits without inferences, then
    /// writes the recorded fees into the stored milestone. No token moves.
    pub fn submitted_under_0_2_0(
        &mut self,
        task_id: u64,
        milestone: u32,
        inferences: Vec<InferencePayment>,
    ) {
        use agent_escrow::state::MILESTONES;
        use escrow::{ModelFeeStatus, RecordedInference};
        self.submit(task_id, milestone, vec![]).unwrap();
        let m: ml::ModelResponse = self
            .s
            .app
            .wrap()
            .query_wasm_smart(&self.models, &ml::QueryMsg::Model { model_id: 1 })
            .unwrap();
        let (escrow, models) = (self.escrow.clone(), self.models.clone());
        let mut storage = self.s.app.contract_storage_mut(&escrow);
        let mut ms = MILESTONES.load(&*storage, (task_id, milestone)).unwrap();
        ms.model_fees = m.inference_fee * Uint128::new(inferences.len() as u128);
        ms.models_contract = (!inferences.is_empty()).then_some(models);
        ms.inferences = inferences
            .into_iter()
            .map(|payment| RecordedInference {
                payment,
                fee: m.inference_fee,
                status: ModelFeeStatus::Recorded,
                error: None,
            })
            .collect();
        MILESTONES
            .save(&mut *storage, (task_id, milestone), &ms)
            .unwrap();
    }
}

/// The JSON of `value` without the top-level `keys` (each must be present).
fn strip_keys<T: serde::Serialize>(value: &T, keys: &[&str]) -> Vec<u8> {
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&cosmwasm_std::to_json_vec(value).unwrap()).unwrap();
    for key in keys {
        map.remove(*key).expect("key present");
    }
    serde_json::to_vec(&map).unwrap()
}
