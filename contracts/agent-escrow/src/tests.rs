use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    coins, from_json, to_json_binary, Addr, Binary, ContractResult, CosmosMsg, Empty, Env,
    OwnedDeps, Reply, Response, SubMsg, SubMsgResponse, SubMsgResult, SystemError, SystemResult,
    Timestamp, Uint128, WasmQuery,
};
use cw20::{BalanceResponse, Cw20QueryMsg, Cw20ReceiveMsg};
use cw_ownable::OwnershipError;
use cw_utils::PaymentError;
use openledger_common::handles::{RewardPoolHandle, TokenHandle};
use openledger_common::hook::send_msg;
use openledger_common::msg::agent_escrow::{
    AgentResponse, AgentStatus, AgentsResponse, ConfigResponse, EscrowSolvencyResponse, ExecuteMsg,
    InstantiateMsg, MigrateMsg, MilestoneStatus, ModelFeeStatus, NewMilestone, NewTask, QueryMsg,
    ReceiveMsg, RefundReason, TaskResponse, TaskStatus, TasksResponse, MAX_TASK_DURATION,
    MAX_WINDOW,
};
use openledger_common::msg::model_licensing::{
    self as ml, InferencePayment, ModelResponse, ModelStatus,
};
use openledger_common::msg::reward_pool::Allocation;
use openledger_common::{HookError, MigrateError, PaginationError, ValidationError};

use crate::contract::{execute, instantiate, migrate, query, reply};
use crate::error::ContractError;
use crate::state::{ModelFeePayload, REPLY_MODEL_FEE};
use crate::{CONTRACT_NAME, CONTRACT_VERSION};

type Deps = OwnedDeps<MockStorage, MockApi, MockQuerier, Empty>;

const MIN_BOND: u128 = 1_000;
const FEE_BPS: u16 = 500;
const ARBITRATION: u64 = 3 * 24 * 3600;
const UNBONDING: u64 = 7 * 24 * 3600;
const SLASH_BPS: u16 = 5_000;
const ACCEPT: u64 = 24 * 3600;
const REVIEW: u64 = 2 * 24 * 3600;
const DELIVERY: u64 = 10 * 24 * 3600;
const MODEL_FEE: u128 = 1_000;

struct Suite {
    deps: Deps,
    env: Env,
    owner: Addr,
    token: Addr,
    models: Addr,
    pool: Addr,
    arbiter: Addr,
    agent: Addr,
    client: Addr,
    /// Model id, fee, status as model licensing reports them.
    model_table: Vec<(u64, u128, ModelStatus)>,
    /// The escrow's token balance as the token reports it.
    balance: u128,
}

impl Suite {
    fn new() -> Self {
        let mut deps = mock_dependencies();
        let owner = deps.api.addr_make("owner");
        let token = deps.api.addr_make("open-token");
        let models = deps.api.addr_make("model-licensing");
        let pool = deps.api.addr_make("reward-pool");
        let arbiter = deps.api.addr_make("arbiter");
        let agent = deps.api.addr_make("agent");
        let client = deps.api.addr_make("client");
        let env = mock_env();
        instantiate(
            deps.as_mut(),
            env.clone(),
            message_info(&owner, &[]),
            InstantiateMsg {
                owner: None,
                token: token.to_string(),
                model_licensing: models.to_string(),
                reward_pool: pool.to_string(),
                min_agent_bond: Uint128::new(MIN_BOND),
                protocol_fee_bps: FEE_BPS,
                default_arbiter: arbiter.to_string(),
                arbitration_window: ARBITRATION,
                unbonding_period: UNBONDING,
                slash_bps: SLASH_BPS,
            },
        )
        .unwrap();
        let mut s = Suite {
            deps,
            env,
            owner,
            token,
            models,
            pool,
            arbiter,
            agent,
            client,
            model_table: vec![
                (1, MODEL_FEE, ModelStatus::Active),
                (2, 300, ModelStatus::Active),
            ],
            balance: 0,
        };
        s.install_querier();
        s
    }

    fn install_querier(&mut self) {
        let (token, models) = (self.token.clone(), self.models.clone());
        let table = self.model_table.clone();
        let balance = self.balance;
        let owner = self.owner.clone();
        self.deps.querier.update_wasm(move |q| match q {
            WasmQuery::Smart { contract_addr, msg } if contract_addr == token.as_str() => {
                match from_json(msg) {
                    Ok(Cw20QueryMsg::Balance { .. }) => SystemResult::Ok(ContractResult::Ok(
                        to_json_binary(&BalanceResponse {
                            balance: Uint128::new(balance),
                        })
                        .unwrap(),
                    )),
                    _ => SystemResult::Err(SystemError::Unknown {}),
                }
            }
            WasmQuery::Smart { contract_addr, msg } if contract_addr == models.as_str() => {
                match from_json(msg) {
                    Ok(ml::QueryMsg::Model { model_id }) => {
                        match table.iter().find(|(id, _, _)| *id == model_id) {
                            Some((id, fee, status)) => SystemResult::Ok(ContractResult::Ok(
                                to_json_binary(&model_response(*id, *fee, *status, &owner))
                                    .unwrap(),
                            )),
                            None => SystemResult::Ok(ContractResult::Err(format!(
                                "model {model_id} does not exist"
                            ))),
                        }
                    }
                    _ => SystemResult::Err(SystemError::Unknown {}),
                }
            }
            _ => SystemResult::Err(SystemError::NoSuchContract {
                addr: "unknown".into(),
            }),
        });
    }

    fn set_model(&mut self, id: u64, fee: u128, status: ModelStatus) {
        self.model_table.retain(|(m, _, _)| *m != id);
        self.model_table.push((id, fee, status));
        self.install_querier();
    }

    fn set_balance(&mut self, balance: u128) {
        self.balance = balance;
        self.install_querier();
    }

    fn addr(&self, name: &str) -> Addr {
        self.deps.api.addr_make(name)
    }

    fn now(&self) -> u64 {
        self.env.block.time.seconds()
    }

    /// Moves the block clock to `seconds` since the epoch.
    fn at(&mut self, seconds: u64) {
        self.env.block.time = Timestamp::from_seconds(seconds);
    }

    fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Result<Response, ContractError> {
        execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(sender, &[]),
            msg,
        )
    }

    fn hook_from(
        &mut self,
        token: &Addr,
        payer: &Addr,
        amount: u128,
        msg: Binary,
    ) -> Result<Response, ContractError> {
        let wrapper = Cw20ReceiveMsg {
            sender: payer.to_string(),
            amount: Uint128::new(amount),
            msg,
        };
        execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(token, &[]),
            ExecuteMsg::Receive(wrapper),
        )
    }

    fn hook(
        &mut self,
        payer: &Addr,
        amount: u128,
        msg: ReceiveMsg,
    ) -> Result<Response, ContractError> {
        let token = self.token.clone();
        self.hook_from(&token, payer, amount, to_json_binary(&msg).unwrap())
    }

    fn query<T: cosmwasm_schema::serde::de::DeserializeOwned>(&self, msg: QueryMsg) -> T {
        from_json(query(self.deps.as_ref(), self.env.clone(), msg).unwrap()).unwrap()
    }

    fn query_err(&self, msg: QueryMsg) -> ContractError {
        query(self.deps.as_ref(), self.env.clone(), msg).unwrap_err()
    }

    fn register(&mut self, agent: &Addr, bond: u128, models: Vec<u64>) {
        self.hook(
            agent,
            bond,
            ReceiveMsg::RegisterAgent {
                name: "agent".into(),
                metadata_uri: "ipfs://agent".into(),
                models,
                capabilities: None,
            },
        )
        .unwrap();
    }

    fn new_task(&self, amounts: &[u128]) -> NewTask {
        NewTask {
            agent: self.agent.to_string(),
            spec_hash: "ab".repeat(32),
            spec_uri: "ipfs://spec".into(),
            milestones: amounts
                .iter()
                .enumerate()
                .map(|(i, a)| NewMilestone {
                    amount: Uint128::new(*a),
                    description: format!("part {i}"),
                })
                .collect(),
            accept_window: ACCEPT,
            delivery_deadline: self.now() + DELIVERY,
            review_window: REVIEW,
            arbiter: None,
            // Up to the whole deposit: the budget itself is tested on its own.
            max_model_fees: Uint128::new(amounts.iter().fold(0u128, |a, b| a.saturating_add(*b))),
            min_bond_reserved: None,
            evaluator: None,
            evaluation_window: None,
            max_evaluation_fee: None,
            max_arbitration_fee: None,
        }
    }

    fn create_with(&mut self, deposit: u128, task: NewTask) -> Result<Response, ContractError> {
        let client = self.client.clone();
        self.hook(&client, deposit, ReceiveMsg::CreateTask(task))
    }

    /// Registers the agent (models 1 and 2) and creates a task of `amounts`; returns its id.
    fn task(&mut self, amounts: &[u128]) -> u64 {
        let agent = self.agent.clone();
        if !self.agent_registered(&agent) {
            self.register(&agent, 10_000, vec![1, 2]);
        }
        let task = self.new_task(amounts);
        let res = self.create_with(amounts.iter().sum(), task).unwrap();
        attr(&res, "task_id").parse().unwrap()
    }

    fn agent_registered(&self, agent: &Addr) -> bool {
        query(
            self.deps.as_ref(),
            self.env.clone(),
            QueryMsg::Agent {
                address: agent.to_string(),
            },
        )
        .is_ok()
    }

    /// A task accepted by the agent.
    fn accepted(&mut self, amounts: &[u128]) -> u64 {
        let id = self.task(amounts);
        let agent = self.agent.clone();
        self.exec(&agent, ExecuteMsg::AcceptTask { task_id: id })
            .unwrap();
        id
    }

    fn submit(
        &mut self,
        task_id: u64,
        milestone: u32,
        inferences: Vec<InferencePayment>,
    ) -> Result<Response, ContractError> {
        let agent = self.agent.clone();
        self.exec(
            &agent,
            ExecuteMsg::SubmitMilestone {
                task_id,
                milestone,
                result_hash: "cd".repeat(32),
                result_uri: "ipfs://result".into(),
                inferences,
                input_hash: None,
            },
        )
    }

    fn dispute(&mut self, task_id: u64, milestone: u32) -> Result<Response, ContractError> {
        let client = self.client.clone();
        self.exec(
            &client,
            ExecuteMsg::DisputeMilestone {
                task_id,
                milestone,
                reason: "incomplete".into(),
            },
        )
    }

    fn task_state(&self, task_id: u64) -> TaskResponse {
        self.query(QueryMsg::Task { task_id })
    }

    fn agent_state(&self) -> AgentResponse {
        self.query(QueryMsg::Agent {
            address: self.agent.to_string(),
        })
    }

    fn solvency(&self) -> EscrowSolvencyResponse {
        self.query(QueryMsg::Solvency {})
    }
}

/// Rewrites the stored task `id` (accepted; its current milestone submitted, or not) as 0.2.0
/// left it: the task's JSON has no `ext` (so neither `min_agent_bond` nor `bond_reserved`: it
/// reserved no bond), the agent's reservation for it is dropped (written without `reserved` when nothing
/// else is reserved), and the submitted milestone's fees are recorded, not paid: still
/// escrowed, unpaid.
fn as_0_2_0(s: &mut Suite, id: u64) {
    use crate::state::{AGENTS, MILESTONES, TASKS, TOTALS};
    use cosmwasm_std::Storage;
    let mut task = TASKS.load(&s.deps.storage, id).unwrap();
    let mut agent = AGENTS.load(&s.deps.storage, &task.agent).unwrap();
    agent.reserved -= task.ext.bond_reserved.unwrap_or_default();
    let index = task.current_milestone;
    let mut ms = MILESTONES.load(&s.deps.storage, (id, index)).unwrap();
    if ms.status == MilestoneStatus::Submitted && !ms.fees_due_at_settlement() {
        for i in ms.inferences.iter_mut() {
            i.status = ModelFeeStatus::Recorded;
        }
        task.escrowed += ms.model_fees;
        task.model_fees_paid -= ms.model_fees;
        let mut totals = TOTALS.load(&s.deps.storage).unwrap();
        totals.escrowed += ms.model_fees;
        TOTALS.save(&mut s.deps.storage, &totals).unwrap();
        MILESTONES
            .save(&mut s.deps.storage, (id, index), &ms)
            .unwrap();
    }
    let strip = |json: String, keys: &[&str]| {
        let mut v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&json).unwrap();
        for k in keys {
            v.remove(*k).expect("key present");
        }
        serde_json::to_vec(&v).unwrap()
    };
    assert!(task.ext.parent.is_none() && task.ext.evaluation.is_none());
    let raw = strip(cosmwasm_std::to_json_string(&task).unwrap(), &["ext"]);
    let key = TASKS.key(id);
    s.deps.storage.set(&key, &raw);
    let raw = if agent.reserved.is_zero() {
        strip(cosmwasm_std::to_json_string(&agent).unwrap(), &["reserved"])
    } else {
        cosmwasm_std::to_json_vec(&agent).unwrap()
    };
    let key = AGENTS.key(&task.agent);
    s.deps.storage.set(&key, &raw);
    // Both still load: the new fields default (a 0.2.0 task: no reservation, no minimum).
    let t = TASKS.load(&s.deps.storage, id).unwrap();
    assert_eq!((t.ext.bond_reserved, t.ext.min_agent_bond), (None, None));
}

fn model_response(id: u64, fee: u128, status: ModelStatus, owner: &Addr) -> ModelResponse {
    ModelResponse {
        id,
        owner: owner.clone(),
        pending_owner: None,
        name: "m".into(),
        metadata_uri: String::new(),
        weights_hash: "00".repeat(32),
        base_model: None,
        lineage: vec![],
        inference_fee: Uint128::new(fee),
        tiers: vec![],
        hosts: vec![],
        status,
        created_at: Timestamp::from_seconds(1),
    }
}

fn inference(model_id: u64, id: &str) -> InferencePayment {
    InferencePayment {
        model_id,
        inference_id: id.into(),
        attribution: None,
        receipt_signature: None,
        io: None,
    }
}

fn attr(res: &Response, key: &str) -> String {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

fn transfer(s: &Suite, to: &Addr, amount: u128) -> CosmosMsg {
    TokenHandle(s.token.clone())
        .transfer(to, Uint128::new(amount))
        .unwrap()
}

fn fee_send(
    s: &Suite,
    task_id: u64,
    milestone: u32,
    item: u32,
    p: InferencePayment,
    fee: u128,
) -> SubMsg {
    let payload = ModelFeePayload {
        task_id,
        milestone,
        item,
        amount: Uint128::new(fee),
    };
    SubMsg::reply_on_error(
        send_msg(
            &s.token,
            &s.models,
            Uint128::new(fee),
            &ml::ReceiveMsg::PayInference(p),
        )
        .unwrap(),
        REPLY_MODEL_FEE,
    )
    .with_payload(to_json_binary(&payload).unwrap())
}

/// A model fee paid at submission: a plain cw20 `send` to model licensing (no reply: a
/// refusal fails the submission).
fn fee_pay(s: &Suite, p: InferencePayment, fee: u128) -> SubMsg {
    SubMsg::new(
        send_msg(
            &s.token,
            &s.models,
            Uint128::new(fee),
            &ml::ReceiveMsg::PayInference(p),
        )
        .unwrap(),
    )
}

fn treasury(s: &Suite, amount: u128) -> SubMsg {
    SubMsg::new(
        RewardPoolHandle(s.pool.clone())
            .distribute(
                &s.token,
                Uint128::new(amount),
                vec![Allocation::Treasury {
                    amount: Uint128::new(amount),
                }],
            )
            .unwrap(),
    )
}

fn failed_reply(payload: &ModelFeePayload) -> Reply {
    Reply {
        id: REPLY_MODEL_FEE,
        payload: to_json_binary(payload).unwrap(),
        gas_used: 0,
        result: SubMsgResult::Err("model 1 is paused: it takes no payments".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Instantiate, config, hook
// ---------------------------------------------------------------------------------------------

#[test]
fn instantiate_records_config_and_version() {
    let s = Suite::new();
    let c: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(
        c,
        ConfigResponse {
            token: s.token.clone(),
            model_licensing: s.models.clone(),
            reward_pool: s.pool.clone(),
            min_agent_bond: Uint128::new(MIN_BOND),
            protocol_fee_bps: FEE_BPS,
            default_arbiter: s.arbiter.clone(),
            arbitration_window: ARBITRATION,
            unbonding_period: UNBONDING,
            slash_bps: SLASH_BPS,
            task_count: 0,
        }
    );
    let v = cw2::get_contract_version(&s.deps.storage).unwrap();
    assert_eq!(
        (v.contract.as_str(), v.version.as_str()),
        (CONTRACT_NAME, CONTRACT_VERSION)
    );
    let o: cw_ownable::Ownership<Addr> = s.query(QueryMsg::Ownership {});
    assert_eq!(o.owner, Some(s.owner.clone()));
    assert_eq!(
        s.solvency(),
        EscrowSolvencyResponse {
            balance: Uint128::zero(),
            escrowed: Uint128::zero(),
            bonds: Uint128::zero(),
            total_liabilities: Uint128::zero(),
            solvent: true,
        }
    );
}

#[test]
fn instantiate_refuses_bad_parameters() {
    let mut deps = mock_dependencies();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open-token");
    let good = InstantiateMsg {
        owner: None,
        token: token.to_string(),
        model_licensing: deps.api.addr_make("models").to_string(),
        reward_pool: deps.api.addr_make("pool").to_string(),
        min_agent_bond: Uint128::new(MIN_BOND),
        protocol_fee_bps: FEE_BPS,
        default_arbiter: deps.api.addr_make("arbiter").to_string(),
        arbitration_window: ARBITRATION,
        unbonding_period: UNBONDING,
        slash_bps: SLASH_BPS,
    };
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (
            InstantiateMsg {
                protocol_fee_bps: 3_001,
                ..good.clone()
            },
            ContractError::FeeTooHigh {
                bps: 3_001,
                max: 3_000,
            },
        ),
        (
            InstantiateMsg {
                slash_bps: 10_001,
                ..good.clone()
            },
            ContractError::Validation(ValidationError::InvalidBps {
                field: "slash_bps".into(),
                bps: 10_001,
            }),
        ),
        (
            InstantiateMsg {
                arbitration_window: 0,
                ..good.clone()
            },
            ContractError::WindowOutOfRange {
                field: "arbitration_window".into(),
                value: 0,
                min: 1,
                max: MAX_WINDOW,
            },
        ),
        (
            InstantiateMsg {
                unbonding_period: MAX_WINDOW + 1,
                ..good.clone()
            },
            ContractError::WindowOutOfRange {
                field: "unbonding_period".into(),
                value: MAX_WINDOW + 1,
                min: 0,
                max: MAX_WINDOW,
            },
        ),
        (
            InstantiateMsg {
                default_arbiter: token.to_string(),
                ..good.clone()
            },
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "default_arbiter".into(),
                contract: "token".into(),
                address: token.to_string(),
            }),
        ),
    ];
    for (msg, expected) in cases {
        let err =
            instantiate(deps.as_mut(), mock_env(), message_info(&owner, &[]), msg).unwrap_err();
        assert_eq!(err, expected);
    }
    let upper = InstantiateMsg {
        token: token.to_string().to_uppercase(),
        ..good.clone()
    };
    assert!(matches!(
        instantiate(deps.as_mut(), mock_env(), message_info(&owner, &[]), upper).unwrap_err(),
        ContractError::InvalidAddress { field, .. } if field == "token"
    ));
    let err = instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&owner, &coins(5, "inj")),
        good,
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Payment(PaymentError::NonPayable {}));
}

#[test]
fn hook_refuses_other_tokens_zero_amounts_and_unknown_messages() {
    let mut s = Suite::new();
    let (agent, fake) = (s.agent.clone(), s.addr("fake-token"));
    let msg = to_json_binary(&ReceiveMsg::TopUpBond {}).unwrap();
    assert_eq!(
        s.hook_from(&fake, &agent, 5, msg.clone()).unwrap_err(),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: s.token.to_string(),
            received: fake.to_string(),
        })
    );
    let token = s.token.clone();
    assert_eq!(
        s.hook_from(&token, &agent, 0, msg).unwrap_err(),
        ContractError::Hook(HookError::ZeroAmount)
    );
    let bad = Binary::from(br#"{"steal":{}}"#.to_vec());
    assert!(matches!(
        s.hook_from(&token, &agent, 5, bad).unwrap_err(),
        ContractError::Hook(HookError::InvalidHook { .. })
    ));
    let err = execute(
        s.deps.as_mut(),
        s.env.clone(),
        message_info(&agent, &coins(1, "inj")),
        ExecuteMsg::Unbond {},
    )
    .unwrap_err();
    assert_eq!(err, ContractError::Payment(PaymentError::NonPayable {}));
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

#[test]
fn register_agent_checks_bond_profile_models_and_reserved_addresses() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let reg = |models: Vec<u64>| ReceiveMsg::RegisterAgent {
        name: "a".into(),
        metadata_uri: String::new(),
        models,
        capabilities: None,
    };
    assert_eq!(
        s.hook(&agent, MIN_BOND - 1, reg(vec![1])).unwrap_err(),
        ContractError::BondTooLow {
            bond: Uint128::new(MIN_BOND - 1),
            required: Uint128::new(MIN_BOND)
        }
    );
    assert_eq!(
        s.hook(&agent, MIN_BOND, reg((1..=9).collect()))
            .unwrap_err(),
        ContractError::TooManyModels { count: 9, max: 8 }
    );
    assert_eq!(
        s.hook(&agent, MIN_BOND, reg(vec![1, 1])).unwrap_err(),
        ContractError::DuplicateModel { model_id: 1 }
    );
    assert_eq!(
        s.hook(&agent, MIN_BOND, reg(vec![1, 7])).unwrap_err(),
        ContractError::UnknownModel { model_id: 7 }
    );
    let noname = ReceiveMsg::RegisterAgent {
        name: String::new(),
        metadata_uri: String::new(),
        models: vec![],
        capabilities: None,
    };
    assert_eq!(
        s.hook(&agent, MIN_BOND, noname).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "name".into(),
            min: 1,
            max: 64
        })
    );
    for (who, contract) in [
        (s.pool.clone(), "reward_pool"),
        (s.models.clone(), "model_licensing"),
        (s.token.clone(), "token"),
        (s.env.contract.address.clone(), "escrow"),
    ] {
        assert_eq!(
            s.hook(&who, MIN_BOND, reg(vec![])).unwrap_err(),
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "agent".into(),
                contract: contract.into(),
                address: who.to_string(),
            })
        );
    }

    let res = s.hook(&agent, MIN_BOND, reg(vec![2, 1])).unwrap();
    assert_eq!(attr(&res, "models"), "2,1");
    assert_eq!(
        s.hook(&agent, MIN_BOND, reg(vec![])).unwrap_err(),
        ContractError::AgentAlreadyRegistered {
            address: agent.to_string()
        }
    );
    s.hook(&agent, 500, ReceiveMsg::TopUpBond {}).unwrap();
    let a = s.agent_state();
    assert_eq!(
        (a.bond.u128(), a.status, a.models),
        (1_500, AgentStatus::Active, vec![2, 1])
    );
    let stranger = s.addr("stranger");
    assert_eq!(
        s.hook(&stranger, 5, ReceiveMsg::TopUpBond {}).unwrap_err(),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
    assert_eq!(s.solvency().bonds.u128(), 1_500);
}

#[test]
fn update_agent_changes_profile_and_models() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    s.register(&agent, MIN_BOND, vec![1]);
    let none = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: None,
        capabilities: None,
    };
    assert_eq!(
        s.exec(&agent, none).unwrap_err(),
        ContractError::NothingToUpdate
    );
    let bad = ExecuteMsg::UpdateAgent {
        name: None,
        metadata_uri: None,
        models: Some(vec![9]),
        capabilities: None,
    };
    assert_eq!(
        s.exec(&agent, bad).unwrap_err(),
        ContractError::UnknownModel { model_id: 9 }
    );
    let stranger = s.addr("stranger");
    let ok = ExecuteMsg::UpdateAgent {
        name: Some("renamed".into()),
        metadata_uri: None,
        models: Some(vec![2]),
        capabilities: None,
    };
    assert_eq!(
        s.exec(&stranger, ok.clone()).unwrap_err(),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
    s.exec(&agent, ok).unwrap();
    let a = s.agent_state();
    assert_eq!((a.name.as_str(), a.models), ("renamed", vec![2]));
}

#[test]
fn unbond_and_withdraw_are_two_steps_and_need_no_open_task() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let id = s.task(&[1_000]);
    assert_eq!(
        s.exec(&agent, ExecuteMsg::Unbond {}).unwrap_err(),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::WithdrawBond {}).unwrap_err(),
        ContractError::NotUnbonding
    );
    s.exec(&agent, ExecuteMsg::DeclineTask { task_id: id })
        .unwrap();

    let t0 = s.now();
    let res = s.exec(&agent, ExecuteMsg::Unbond {}).unwrap();
    assert_eq!(attr(&res, "release_at"), (t0 + UNBONDING).to_string());
    assert_eq!(
        s.agent_state().status,
        AgentStatus::Unbonding {
            release_at: t0 + UNBONDING
        }
    );
    // No new task, no top-up, no second unbond while unbonding.
    let task = s.new_task(&[1_000]);
    assert_eq!(
        s.create_with(1_000, task).unwrap_err(),
        ContractError::AgentNotActive {
            address: agent.to_string()
        }
    );
    assert_eq!(
        s.hook(&agent, 5, ReceiveMsg::TopUpBond {}).unwrap_err(),
        ContractError::AgentNotActive {
            address: agent.to_string()
        }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::Unbond {}).unwrap_err(),
        ContractError::AgentNotActive {
            address: agent.to_string()
        }
    );
    // t − 1: locked; t: paid (inclusive).
    s.at(t0 + UNBONDING - 1);
    assert_eq!(
        s.exec(&agent, ExecuteMsg::WithdrawBond {}).unwrap_err(),
        ContractError::BondLocked {
            release_at: t0 + UNBONDING
        }
    );
    s.at(t0 + UNBONDING);
    let res = s.exec(&agent, ExecuteMsg::WithdrawBond {}).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &agent, 10_000))]
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::WithdrawBond {}).unwrap_err(),
        ContractError::NotUnbonding
    );
    let a = s.agent_state();
    assert_eq!(
        (a.bond, a.status, a.stats.declined),
        (Uint128::zero(), AgentStatus::Withdrawn, 1)
    );
    assert_eq!(s.solvency().bonds, Uint128::zero());

    // Registering again keeps the record of work.
    s.register(&agent, MIN_BOND, vec![1]);
    let a = s.agent_state();
    assert_eq!(
        (a.bond.u128(), a.status, a.stats.declined),
        (MIN_BOND, AgentStatus::Active, 1)
    );
}

// ---------------------------------------------------------------------------------------------
// Task creation
// ---------------------------------------------------------------------------------------------

#[test]
fn create_task_refuses_bad_parties() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    s.register(&agent, MIN_BOND, vec![1]);
    let client = s.client.clone();
    let escrow = s.env.contract.address.clone();

    let mut t = s.new_task(&[100]);
    t.agent = client.to_string();
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::ClientIsAgent
    );

    for (who, contract) in [
        (escrow.clone(), "escrow"),
        (s.pool.clone(), "reward_pool"),
        (s.models.clone(), "model_licensing"),
        (s.token.clone(), "token"),
    ] {
        let mut t = s.new_task(&[100]);
        t.agent = who.to_string();
        assert_eq!(
            s.create_with(100, t).unwrap_err(),
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "agent".into(),
                contract: contract.into(),
                address: who.to_string()
            })
        );
        let mut t = s.new_task(&[100]);
        t.arbiter = Some(who.to_string());
        assert_eq!(
            s.create_with(100, t).unwrap_err(),
            ContractError::Validation(ValidationError::ReservedAddress {
                role: "arbiter".into(),
                contract: contract.into(),
                address: who.to_string()
            })
        );
    }
    let mut t = s.new_task(&[100]);
    t.arbiter = Some(agent.to_string());
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::ArbiterIsParty {
            role: "agent".into(),
            address: agent.to_string()
        }
    );
    let mut t = s.new_task(&[100]);
    t.arbiter = Some(client.to_string());
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::ArbiterIsParty {
            role: "client".into(),
            address: client.to_string()
        }
    );
    let stranger = s.addr("stranger");
    let mut t = s.new_task(&[100]);
    t.agent = stranger.to_string();
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
    let mut t = s.new_task(&[100]);
    t.agent = "Not-An-Address".into();
    assert!(matches!(
        s.create_with(100, t).unwrap_err(),
        ContractError::InvalidAddress { field, .. } if field == "agent"
    ));

    // The agent's bond must still meet the minimum.
    let owner = s.owner.clone();
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            model_licensing: None,
            reward_pool: None,
            min_agent_bond: Some(Uint128::new(MIN_BOND + 1)),
            protocol_fee_bps: None,
            default_arbiter: None,
            arbitration_window: None,
            unbonding_period: None,
            slash_bps: None,
        },
    )
    .unwrap();
    let t = s.new_task(&[100]);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::BondTooLow {
            bond: Uint128::new(MIN_BOND),
            required: Uint128::new(MIN_BOND + 1)
        }
    );
    assert_eq!(s.solvency().escrowed, Uint128::zero());
}

#[test]
fn create_task_refuses_bad_milestones_and_times() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    s.register(&agent, MIN_BOND, vec![1]);
    let now = s.now();

    let mut t = s.new_task(&[100]);
    t.spec_hash = "xy".repeat(32);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "spec_hash".into(),
            value: "xy".repeat(32)
        })
    );
    let t = s.new_task(&[]);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::MilestoneCount { count: 0, max: 10 }
    );
    let t = s.new_task(&[1; 11]);
    assert_eq!(
        s.create_with(11, t).unwrap_err(),
        ContractError::MilestoneCount { count: 11, max: 10 }
    );
    let t = s.new_task(&[100, 0]);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::ZeroMilestone { index: 1 }
    );
    // Milestones must sum exactly to the deposit, in both directions.
    let t = s.new_task(&[60, 50]);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(100),
            sum: Uint128::new(110)
        }
    );
    let t = s.new_task(&[60, 30]);
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(100),
            sum: Uint128::new(90)
        }
    );
    let t = s.new_task(&[u128::MAX, 1]);
    assert!(matches!(
        s.create_with(100, t).unwrap_err(),
        ContractError::Overflow(_)
    ));

    for (field, value) in [
        ("accept_window", 0),
        ("accept_window", MAX_WINDOW + 1),
        ("review_window", 0),
        ("review_window", u64::MAX),
    ] {
        let mut t = s.new_task(&[100]);
        if field == "accept_window" {
            t.accept_window = value;
        } else {
            t.review_window = value;
        }
        assert_eq!(
            s.create_with(100, t).unwrap_err(),
            ContractError::WindowOutOfRange {
                field: field.into(),
                value,
                min: 1,
                max: MAX_WINDOW
            }
        );
    }
    // Deadlines in the past, now, too far, overflowing, within the accept window.
    for deadline in [0, now - 1, now] {
        let mut t = s.new_task(&[100]);
        t.delivery_deadline = deadline;
        assert_eq!(
            s.create_with(100, t).unwrap_err(),
            ContractError::DeadlineNotInFuture { deadline, now }
        );
    }
    for deadline in [now + MAX_TASK_DURATION + 1, u64::MAX] {
        let mut t = s.new_task(&[100]);
        t.delivery_deadline = deadline;
        assert_eq!(
            s.create_with(100, t).unwrap_err(),
            ContractError::DeadlineTooFar {
                deadline,
                latest: now + MAX_TASK_DURATION
            }
        );
    }
    let mut t = s.new_task(&[100]);
    t.delivery_deadline = now + ACCEPT;
    assert_eq!(
        s.create_with(100, t).unwrap_err(),
        ContractError::DeadlineWithinAcceptWindow {
            deadline: now + ACCEPT,
            accept_deadline: now + ACCEPT
        }
    );
    // The bounds themselves are accepted.
    let mut t = s.new_task(&[100]);
    t.delivery_deadline = now + MAX_TASK_DURATION;
    t.accept_window = MAX_WINDOW;
    t.review_window = MAX_WINDOW;
    s.create_with(100, t).unwrap();
    let mut t = s.new_task(&[100]);
    t.delivery_deadline = now + ACCEPT + 1;
    s.create_with(100, t).unwrap();
    assert_eq!(s.solvency().escrowed.u128(), 200);
}

#[test]
fn create_task_records_everything_and_snapshots_terms() {
    let mut s = Suite::new();
    let id = s.task(&[6_000, 4_000]);
    let now = s.now();
    let t = s.task_state(id);
    assert_eq!(t.task.id, 1);
    assert_eq!(
        (
            t.task.client.clone(),
            t.task.agent.clone(),
            t.task.arbiter.clone()
        ),
        (s.client.clone(), s.agent.clone(), s.arbiter.clone())
    );
    assert_eq!(
        (t.task.deposit.u128(), t.task.escrowed.u128(), t.task.status),
        (10_000, 10_000, TaskStatus::Open)
    );
    assert_eq!(
        (
            t.task.accept_deadline,
            t.task.delivery_deadline,
            t.task.review_window
        ),
        (now + ACCEPT, now + DELIVERY, REVIEW)
    );
    assert_eq!(
        (
            t.task.protocol_fee_bps,
            t.task.arbitration_window,
            t.task.slash_bps
        ),
        (FEE_BPS, ARBITRATION, SLASH_BPS)
    );
    assert_eq!(
        (t.task.min_agent_bond, t.task.bond_reserved),
        (Some(Uint128::new(MIN_BOND)), None)
    );
    assert_eq!(t.milestones.len(), 2);
    assert_eq!(
        (
            t.milestones[1].index,
            t.milestones[1].amount.u128(),
            t.milestones[1].status
        ),
        (1, 4_000, MilestoneStatus::Pending)
    );
    assert_eq!(s.agent_state().open_tasks, 1);

    // A later config change does not touch the task's terms.
    let owner = s.owner.clone();
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            model_licensing: None,
            reward_pool: None,
            min_agent_bond: Some(Uint128::new(2_000)),
            protocol_fee_bps: Some(1_000),
            default_arbiter: None,
            arbitration_window: Some(60),
            unbonding_period: None,
            slash_bps: Some(0),
        },
    )
    .unwrap();
    let t = s.task_state(id);
    assert_eq!(
        (
            t.task.protocol_fee_bps,
            t.task.arbitration_window,
            t.task.slash_bps,
            t.task.min_agent_bond
        ),
        (
            FEE_BPS,
            ARBITRATION,
            SLASH_BPS,
            Some(Uint128::new(MIN_BOND))
        )
    );
    let id2 = s.task(&[1_000]);
    let t2 = s.task_state(id2);
    assert_eq!(
        (
            t2.task.protocol_fee_bps,
            t2.task.arbitration_window,
            t2.task.slash_bps,
            t2.task.min_agent_bond
        ),
        (1_000, 60, 0, Some(Uint128::new(2_000)))
    );
}

// ---------------------------------------------------------------------------------------------
// Before acceptance
// ---------------------------------------------------------------------------------------------

#[test]
fn accept_window_is_exclusive_at_its_end() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let a = s.task(&[100]);
    let b = s.task(&[100]);
    let end = s.now() + ACCEPT;
    let stranger = s.addr("stranger");
    assert_eq!(
        s.exec(&stranger, ExecuteMsg::AcceptTask { task_id: a })
            .unwrap_err(),
        ContractError::NotAgent { task_id: a }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: 9 })
            .unwrap_err(),
        ContractError::TaskNotFound { task_id: 9 }
    );
    s.at(end - 1);
    s.exec(&agent, ExecuteMsg::AcceptTask { task_id: a })
        .unwrap();
    assert_eq!(
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: a })
            .unwrap_err(),
        ContractError::TaskAlreadyAccepted { task_id: a }
    );
    s.at(end);
    assert_eq!(
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: b })
            .unwrap_err(),
        ContractError::AcceptWindowClosed {
            task_id: b,
            accept_deadline: end
        }
    );
    let t = s.task_state(a);
    assert_eq!(
        (t.task.status, t.task.accepted_at),
        (TaskStatus::InProgress, Some(end - 1))
    );
}

#[test]
fn decline_and_cancel_return_the_whole_deposit_before_acceptance_only() {
    let mut s = Suite::new();
    let (agent, client) = (s.agent.clone(), s.client.clone());
    let a = s.task(&[300, 200]);
    let b = s.task(&[400]);
    let c = s.task(&[100]);
    s.set_balance(10_000 + 1_000);
    assert_eq!(
        s.exec(&client, ExecuteMsg::DeclineTask { task_id: a })
            .unwrap_err(),
        ContractError::NotAgent { task_id: a }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::CancelTask { task_id: a })
            .unwrap_err(),
        ContractError::NotClient { task_id: a }
    );

    let res = s
        .exec(&agent, ExecuteMsg::DeclineTask { task_id: a })
        .unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(transfer(&s, &client, 500))]);
    let res = s
        .exec(&client, ExecuteMsg::CancelTask { task_id: b })
        .unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(transfer(&s, &client, 400))]);
    let t = s.task_state(a);
    assert_eq!(
        (t.task.status, t.task.escrowed, t.task.refunded.u128()),
        (TaskStatus::Declined, Uint128::zero(), 500)
    );
    assert!(t
        .milestones
        .iter()
        .all(|m| m.status == MilestoneStatus::Refunded));
    assert_eq!(s.task_state(b).task.status, TaskStatus::Cancelled);

    // Once final, nothing more happens; once accepted, neither may withdraw.
    assert_eq!(
        s.exec(&agent, ExecuteMsg::DeclineTask { task_id: a })
            .unwrap_err(),
        ContractError::TaskFinished {
            task_id: a,
            status: TaskStatus::Declined
        }
    );
    assert_eq!(
        s.exec(&client, ExecuteMsg::CancelTask { task_id: b })
            .unwrap_err(),
        ContractError::TaskFinished {
            task_id: b,
            status: TaskStatus::Cancelled
        }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: a })
            .unwrap_err(),
        ContractError::TaskFinished {
            task_id: a,
            status: TaskStatus::Declined
        }
    );
    s.exec(&agent, ExecuteMsg::AcceptTask { task_id: c })
        .unwrap();
    assert_eq!(
        s.exec(&client, ExecuteMsg::CancelTask { task_id: c })
            .unwrap_err(),
        ContractError::TaskAlreadyAccepted { task_id: c }
    );
    assert_eq!(
        s.exec(&agent, ExecuteMsg::DeclineTask { task_id: c })
            .unwrap_err(),
        ContractError::TaskAlreadyAccepted { task_id: c }
    );

    let a = s.agent_state();
    assert_eq!((a.open_tasks, a.stats.declined), (1, 1));
    let sol = s.solvency();
    assert_eq!((sol.escrowed.u128(), sol.bonds.u128()), (100, 10_000));
}

// ---------------------------------------------------------------------------------------------
// Submission
// ---------------------------------------------------------------------------------------------

#[test]
fn submit_checks_caller_milestone_deadline_and_inferences() {
    let mut s = Suite::new();
    let open = s.task(&[100]);
    assert_eq!(
        s.submit(open, 0, vec![]).unwrap_err(),
        ContractError::TaskNotAccepted { task_id: open }
    );
    let id = s.accepted(&[10_000, 5_000]);
    let client = s.client.clone();
    let submit_as = |s: &mut Suite, who: &Addr| {
        s.exec(
            who,
            ExecuteMsg::SubmitMilestone {
                task_id: id,
                milestone: 0,
                result_hash: "cd".repeat(32),
                result_uri: String::new(),
                inferences: vec![],
                input_hash: None,
            },
        )
    };
    assert_eq!(
        submit_as(&mut s, &client).unwrap_err(),
        ContractError::NotAgent { task_id: id }
    );
    assert_eq!(
        s.submit(id, 1, vec![]).unwrap_err(),
        ContractError::NotCurrentMilestone {
            task_id: id,
            milestone: 1,
            current: 0
        }
    );
    assert_eq!(
        s.submit(id, 2, vec![]).unwrap_err(),
        ContractError::MilestoneNotFound {
            task_id: id,
            milestone: 2
        }
    );
    let agent = s.agent.clone();
    let bad_hash = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "cd".repeat(31),
        result_uri: String::new(),
        inferences: vec![],
        input_hash: None,
    };
    assert_eq!(
        s.exec(&agent, bad_hash).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "result_hash".into(),
            value: "cd".repeat(31)
        })
    );
    let eleven: Vec<_> = (0..11).map(|i| inference(1, &format!("i{i}"))).collect();
    assert_eq!(
        s.submit(id, 0, eleven).unwrap_err(),
        ContractError::TooManyInferences { count: 11, max: 10 }
    );
    assert_eq!(
        s.submit(id, 0, vec![inference(1, "")]).unwrap_err(),
        ContractError::InvalidInferenceId {
            inference_id: String::new(),
            max: 64
        }
    );
    assert_eq!(
        s.submit(id, 0, vec![inference(1, &"x".repeat(65))])
            .unwrap_err(),
        ContractError::InvalidInferenceId {
            inference_id: "x".repeat(65),
            max: 64
        }
    );
    assert_eq!(
        s.submit(
            id,
            0,
            vec![inference(1, "a"), inference(2, "a"), inference(1, "a")]
        )
        .unwrap_err(),
        ContractError::DuplicateInference {
            model_id: 1,
            inference_id: "a".into()
        }
    );
    s.set_model(3, 10, ModelStatus::Active);
    assert_eq!(
        s.submit(id, 0, vec![inference(3, "a")]).unwrap_err(),
        ContractError::ModelNotDeclared { model_id: 3 }
    );
    s.set_model(2, 300, ModelStatus::Paused);
    assert_eq!(
        s.submit(id, 0, vec![inference(1, "a"), inference(2, "b")])
            .unwrap_err(),
        ContractError::ModelNotActive {
            model_id: 2,
            status: ModelStatus::Paused
        }
    );
    s.set_model(2, 0, ModelStatus::Active);
    assert_eq!(
        s.submit(id, 0, vec![inference(2, "b")]).unwrap_err(),
        ContractError::ZeroModelFee { model_id: 2 }
    );
    // 10 000 − 5 % leaves 9 500 for model fees: 9 × 1 000 + 600 = 9 600 is too much.
    s.set_model(2, 600, ModelStatus::Active);
    let mut many: Vec<_> = (0..9).map(|i| inference(1, &format!("i{i}"))).collect();
    many.push(inference(2, "j"));
    assert_eq!(
        s.submit(id, 0, many).unwrap_err(),
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(9_600),
            available: Uint128::new(9_500)
        }
    );
    // Nothing was recorded.
    assert_eq!(
        s.task_state(id).milestones[0].status,
        MilestoneStatus::Pending
    );
}

#[test]
fn submit_records_fees_and_deadline_is_exclusive() {
    let mut s = Suite::new();
    let id = s.accepted(&[10_000, 5_000]);
    let deadline = s.task_state(id).task.delivery_deadline;
    // Exactly the fees that fit: 9 × 1 000 + 500 = 9 500 = 10 000 − 5 %; one more unit does not.
    let mut items: Vec<_> = (0..9).map(|i| inference(1, &format!("i{i}"))).collect();
    items.push(inference(2, "j"));
    s.set_model(2, 501, ModelStatus::Active);
    assert_eq!(
        s.submit(id, 0, items.clone()).unwrap_err(),
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(9_501),
            available: Uint128::new(9_500)
        }
    );
    s.set_model(2, 500, ModelStatus::Active);
    s.at(deadline - 1);
    let res = s.submit(id, 0, items.clone()).unwrap();
    assert_eq!(
        (
            attr(&res, "model_fees").as_str(),
            attr(&res, "inferences").as_str()
        ),
        ("9500", "10")
    );
    // The fees are paid now, in the submission (0.2.0 recorded them and paid at settlement).
    let mut expected: Vec<SubMsg> = items[..9]
        .iter()
        .map(|p| fee_pay(&s, p.clone(), MODEL_FEE))
        .collect();
    expected.push(fee_pay(&s, items[9].clone(), 500));
    assert_eq!(res.messages, expected);
    let t = s.task_state(id);
    let m = &t.milestones[0];
    assert_eq!(
        (
            m.status,
            m.model_fees.u128(),
            m.submitted_at,
            m.review_deadline
        ),
        (
            MilestoneStatus::Submitted,
            9_500,
            Some(deadline - 1),
            Some(deadline - 1 + REVIEW)
        )
    );
    assert_eq!(m.models_contract, Some(s.models.clone()));
    assert_eq!(
        (m.inferences[9].fee.u128(), m.inferences[9].status),
        (500, ModelFeeStatus::Paid)
    );
    assert_eq!(
        (t.task.escrowed.u128(), t.task.model_fees_paid.u128()),
        (15_000 - 9_500, 9_500)
    );
    assert_eq!(s.solvency().escrowed.u128(), 15_000 - 9_500);
    assert_eq!(
        s.submit(id, 0, vec![]).unwrap_err(),
        ContractError::MilestoneAlreadySubmitted {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );

    let other = s.accepted(&[100]);
    let d = s.task_state(other).task.delivery_deadline;
    s.at(d);
    assert_eq!(
        s.submit(other, 0, vec![]).unwrap_err(),
        ContractError::DeliveryDeadlinePassed {
            task_id: other,
            deadline: d
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Settlement
// ---------------------------------------------------------------------------------------------

#[test]
fn approve_pays_models_then_protocol_then_agent_once() {
    let mut s = Suite::new();
    let (client, agent) = (s.client.clone(), s.agent.clone());
    let id = s.accepted(&[10_000, 5_000]);
    let items = vec![inference(1, "a"), inference(2, "b")];
    let res = s.submit(id, 0, items.clone()).unwrap();
    assert_eq!(
        res.messages,
        vec![
            fee_pay(&s, items[0].clone(), 1_000),
            fee_pay(&s, items[1].clone(), 300),
        ]
    );
    let approve = ExecuteMsg::ApproveMilestone {
        task_id: id,
        milestone: 0,
    };
    let stranger = s.addr("stranger");
    assert_eq!(
        s.exec(&stranger, approve.clone()).unwrap_err(),
        ContractError::NotClient { task_id: id }
    );
    assert_eq!(
        s.exec(&agent, approve.clone()).unwrap_err(),
        ContractError::NotClient { task_id: id }
    );
    let arbiter = s.arbiter.clone();
    assert_eq!(
        s.exec(&arbiter, approve.clone()).unwrap_err(),
        ContractError::NotClient { task_id: id }
    );

    let res = s.exec(&client, approve.clone()).unwrap();
    // 10 000: model fees 1 000 + 300 (paid at submission), protocol 500, agent 8 200.
    assert_eq!(
        res.messages,
        vec![treasury(&s, 500), SubMsg::new(transfer(&s, &agent, 8_200))]
    );
    assert_eq!(attr(&res, "model_fees"), "0");
    assert_eq!(attr(&res, "task_status"), "in_progress");
    let t = s.task_state(id);
    assert_eq!(
        (t.task.current_milestone, t.task.escrowed.u128()),
        (1, 5_000)
    );
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.protocol_fees.u128(),
            t.task.paid_to_agent.u128()
        ),
        (1_300, 500, 8_200)
    );
    assert_eq!(t.milestones[0].status, MilestoneStatus::Approved);
    assert!(t.milestones[0]
        .inferences
        .iter()
        .all(|i| i.status == ModelFeeStatus::Paid));

    // Twice: refused, nothing sent.
    assert_eq!(
        s.exec(&client, approve).unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(
        s.exec(
            &client,
            ExecuteMsg::Finalize {
                task_id: id,
                milestone: 0
            }
        )
        .unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(
        s.exec(
            &client,
            ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 1
            }
        )
        .unwrap_err(),
        ContractError::MilestoneNotSubmitted {
            task_id: id,
            milestone: 1
        }
    );

    // The last milestone completes the task.
    s.submit(id, 1, vec![]).unwrap();
    let res = s
        .exec(
            &client,
            ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 1,
            },
        )
        .unwrap();
    assert_eq!(
        res.messages,
        vec![treasury(&s, 250), SubMsg::new(transfer(&s, &agent, 4_750))]
    );
    let t = s.task_state(id);
    assert_eq!(
        (t.task.status, t.task.escrowed, t.task.closed_at),
        (TaskStatus::Completed, Uint128::zero(), Some(s.now()))
    );
    let a = s.agent_state();
    assert_eq!(
        (
            a.open_tasks,
            a.stats.completed,
            a.stats.milestones_settled,
            a.stats.earned.u128()
        ),
        (0, 1, 2, 12_950)
    );
    assert_eq!(
        s.exec(&client, ExecuteMsg::Refund { task_id: id })
            .unwrap_err(),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Completed
        }
    );
    assert_eq!(s.solvency().escrowed, Uint128::zero());
}

#[test]
fn review_window_bounds_dispute_and_finalize() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let a = s.accepted(&[1_000]);
    let b = s.accepted(&[1_000]);
    let c = s.accepted(&[1_000]);
    assert_eq!(
        s.dispute(a, 0).unwrap_err(),
        ContractError::MilestoneNotSubmitted {
            task_id: a,
            milestone: 0
        }
    );
    assert_eq!(
        s.exec(
            &agent,
            ExecuteMsg::Finalize {
                task_id: a,
                milestone: 0
            }
        )
        .unwrap_err(),
        ContractError::MilestoneNotSubmitted {
            task_id: a,
            milestone: 0
        }
    );
    let t0 = s.now();
    for id in [a, b, c] {
        s.submit(id, 0, vec![]).unwrap();
    }
    let end = t0 + REVIEW;
    let stranger = s.addr("stranger");
    // t − 1: a dispute is possible, finalize is not.
    s.at(end - 1);
    assert_eq!(
        s.exec(
            &stranger,
            ExecuteMsg::Finalize {
                task_id: a,
                milestone: 0
            }
        )
        .unwrap_err(),
        ContractError::ReviewWindowOpen {
            task_id: a,
            milestone: 0,
            review_deadline: end
        }
    );
    assert_eq!(
        s.exec(
            &agent,
            ExecuteMsg::DisputeMilestone {
                task_id: a,
                milestone: 0,
                reason: "x".into()
            }
        )
        .unwrap_err(),
        ContractError::NotClient { task_id: a }
    );
    let client = s.client.clone();
    assert_eq!(
        s.exec(
            &client,
            ExecuteMsg::DisputeMilestone {
                task_id: a,
                milestone: 0,
                reason: String::new()
            }
        )
        .unwrap_err(),
        ContractError::Validation(ValidationError::InvalidText {
            field: "reason".into(),
            min: 1,
            max: 512
        })
    );
    s.dispute(a, 0).unwrap();
    assert_eq!(
        s.dispute(a, 0).unwrap_err(),
        ContractError::MilestoneDisputed {
            task_id: a,
            milestone: 0
        }
    );
    // t: finalize by anyone, no more disputes.
    s.at(end);
    assert_eq!(
        s.dispute(b, 0).unwrap_err(),
        ContractError::ReviewWindowClosed {
            task_id: b,
            milestone: 0,
            review_deadline: end
        }
    );
    assert_eq!(
        s.exec(
            &stranger,
            ExecuteMsg::Finalize {
                task_id: a,
                milestone: 0
            }
        )
        .unwrap_err(),
        ContractError::MilestoneDisputed {
            task_id: a,
            milestone: 0
        }
    );
    let res = s
        .exec(
            &stranger,
            ExecuteMsg::Finalize {
                task_id: b,
                milestone: 0,
            },
        )
        .unwrap();
    assert_eq!(
        res.messages,
        vec![treasury(&s, 50), SubMsg::new(transfer(&s, &agent, 950))]
    );
    assert_eq!(
        s.task_state(b).milestones[0].status,
        MilestoneStatus::Finalized
    );
    // t + 1: the client may still approve an unfinalized milestone.
    s.at(end + 1);
    s.exec(
        &client,
        ExecuteMsg::ApproveMilestone {
            task_id: c,
            milestone: 0,
        },
    )
    .unwrap();
    assert_eq!(s.agent_state().stats.disputed, 1);
}

#[test]
fn resolve_only_by_the_arbiter_during_the_dispute() {
    let mut s = Suite::new();
    let (client, agent, arbiter) = (s.client.clone(), s.agent.clone(), s.arbiter.clone());
    let id = s.accepted(&[10_000, 1_000]);
    let resolve = |share| ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: share,
    };
    // Outside a dispute.
    assert_eq!(
        s.exec(&arbiter, resolve(5_000)).unwrap_err(),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Pending
        }
    );
    s.submit(id, 0, vec![inference(1, "a")]).unwrap();
    assert_eq!(
        s.exec(&arbiter, resolve(5_000)).unwrap_err(),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    let t0 = s.now();
    s.dispute(id, 0).unwrap();
    for who in [&client, &agent] {
        assert_eq!(
            s.exec(who, resolve(5_000)).unwrap_err(),
            ContractError::NotArbiter { task_id: id }
        );
    }
    assert_eq!(
        s.exec(&arbiter, resolve(10_001)).unwrap_err(),
        ContractError::Validation(ValidationError::InvalidBps {
            field: "agent_share_bps".into(),
            bps: 10_001
        })
    );
    // 1 000 bps = 1 000 cannot pay the 1 000 model fee plus its 50 protocol fee.
    assert_eq!(
        s.exec(&arbiter, resolve(1_000)).unwrap_err(),
        ContractError::AgentShareBelowCosts {
            agent_share: Uint128::new(1_000),
            model_fees: Uint128::new(1_000),
            protocol_fee: Uint128::new(50)
        }
    );
    let end = t0 + ARBITRATION;
    s.at(end);
    assert_eq!(
        s.exec(&arbiter, resolve(5_000)).unwrap_err(),
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    s.at(end - 1);
    // 60 %: 6 000 settled (model 1 000, paid at submission; protocol 300, agent 4 700),
    // 4 000 back to the client.
    let res = s.exec(&arbiter, resolve(6_000)).unwrap();
    assert_eq!(
        res.messages,
        vec![
            treasury(&s, 300),
            SubMsg::new(transfer(&s, &agent, 4_700)),
            SubMsg::new(transfer(&s, &client, 4_000)),
        ]
    );
    assert_eq!(
        s.exec(&arbiter, resolve(6_000)).unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Resolved
        }
    );
    let t = s.task_state(id);
    assert_eq!(
        (
            t.milestones[0].agent_share_bps,
            t.task.refunded.u128(),
            t.task.current_milestone
        ),
        (Some(6_000), 4_000, 1)
    );
    let a = s.agent_state();
    assert_eq!(
        (a.stats.disputed, a.stats.split, a.stats.earned.u128()),
        (1, 1, 4_700)
    );
}

#[test]
fn ruling_for_the_client_refunds_and_slashes_the_bond() {
    let mut s = Suite::new();
    let (client, arbiter) = (s.client.clone(), s.arbiter.clone());
    let id = s.accepted(&[2_000, 1_000]);
    // Accepting reserved min(deposit 3 000, free 10 000 × 50 %) = 3 000 of the bond.
    assert_eq!(
        s.task_state(id).task.bond_reserved,
        Some(Uint128::new(3_000))
    );
    let a = s.agent_state();
    assert_eq!(
        (a.bond.u128(), a.reserved.u128(), a.free.u128()),
        (10_000, 3_000, 7_000)
    );
    s.submit(id, 0, vec![inference(1, "a")]).unwrap();
    s.dispute(id, 0).unwrap();
    let res = s
        .exec(
            &arbiter,
            ExecuteMsg::Resolve {
                task_id: id,
                milestone: 0,
                agent_share_bps: 0,
            },
        )
        .unwrap();
    // The task's reservation, 3 000, is slashed (0.2.0: 10 000 × 50 % = 5 000 of whatever
    // bond was left); the model fee was paid at delivery, so the client gets 2 000 − 1 000
    // back (0.2.0 waived the fee and returned 2 000); no protocol fee.
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 1_000 + 3_000))]
    );
    assert_eq!(
        (
            attr(&res, "slashed").as_str(),
            attr(&res, "client_refund").as_str()
        ),
        ("3000", "1000")
    );
    let t = s.task_state(id);
    assert_eq!(
        (
            t.task.slashed.u128(),
            t.task.refunded.u128(),
            t.task.model_fees_paid.u128(),
            t.task.status
        ),
        (3_000, 1_000, 1_000, TaskStatus::InProgress)
    );
    assert_eq!(t.task.bond_reserved, Some(Uint128::zero()));
    assert_eq!(t.milestones[0].inferences[0].status, ModelFeeStatus::Paid);
    let a = s.agent_state();
    assert_eq!(
        (
            a.bond.u128(),
            a.reserved.u128(),
            a.stats.lost,
            a.stats.slashed.u128()
        ),
        (7_000, 0, 1, 3_000)
    );
    let sol = s.solvency();
    assert_eq!((sol.escrowed.u128(), sol.bonds.u128()), (1_000, 7_000));
    // Fully for the agent: the whole amount settles.
    s.submit(id, 1, vec![]).unwrap();
    s.dispute(id, 1).unwrap();
    let agent = s.agent.clone();
    let res = s
        .exec(
            &arbiter,
            ExecuteMsg::Resolve {
                task_id: id,
                milestone: 1,
                agent_share_bps: 10_000,
            },
        )
        .unwrap();
    assert_eq!(
        res.messages,
        vec![treasury(&s, 50), SubMsg::new(transfer(&s, &agent, 950))]
    );
    let a = s.agent_state();
    assert_eq!((a.stats.won, a.stats.completed, a.open_tasks), (1, 1, 0));
}

#[test]
fn settlement_parts_always_add_up() {
    use crate::execute::settlement::settlement;
    use openledger_common::bps::{apply_bps, apply_bps_ceil};
    // Every amount settled is split exactly: model fees + protocol fee + agent = settled,
    // settled + client part = milestone, for odd amounts, all shares and all fee levels. The
    // protocol fee is rounded up (0.2.0 rounded it down: 19 at 5 % paid 0).
    for amount in [1u128, 7, 19, 999, 10_001, 123_457, u128::MAX / 3] {
        let amount = Uint128::new(amount);
        for share in [0u16, 1, 3_333, 5_000, 9_999, 10_000] {
            for fee_bps in [0u16, 1, 500, 3_000] {
                let base = apply_bps(amount, share).unwrap();
                let fee = apply_bps_ceil(base, fee_bps).unwrap();
                assert!(fee_bps == 0 || base.is_zero() || !fee.is_zero());
                for model_fees in [Uint128::zero(), base.checked_sub(fee).unwrap()] {
                    for full in [false, true] {
                        let p =
                            settlement(fee_bps, (model_fees, Uint128::zero()), base, full).unwrap();
                        assert_eq!(p.protocol_fee, fee);
                        assert_eq!(p.model_fees + p.protocol_fee + p.agent, base);
                        assert!(base <= amount);
                    }
                }
                if !base.is_zero() {
                    let too_much = base.checked_sub(fee).unwrap() + Uint128::one();
                    assert_eq!(
                        settlement(fee_bps, (too_much, Uint128::zero()), base, false).unwrap_err(),
                        ContractError::AgentShareBelowCosts {
                            agent_share: base,
                            model_fees: too_much,
                            protocol_fee: fee
                        }
                    );
                    // A full settlement of a 0.2.0 submission (checked against a fee rounded
                    // down) never fails: its protocol fee is capped by what the fees leave.
                    let legacy_max = base.checked_sub(apply_bps(base, fee_bps).unwrap()).unwrap();
                    let p = settlement(fee_bps, (legacy_max, Uint128::zero()), base, true).unwrap();
                    assert_eq!(p.model_fees + p.protocol_fee + p.agent, base);
                    assert!(p.protocol_fee <= fee);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

#[test]
fn refund_after_expired_accept_window() {
    let mut s = Suite::new();
    let client = s.client.clone();
    let id = s.task(&[700]);
    let end = s.now() + ACCEPT;
    let anyone = s.addr("anyone");
    s.at(end - 1);
    assert_eq!(
        s.exec(&anyone, ExecuteMsg::Refund { task_id: id })
            .unwrap_err(),
        ContractError::AcceptWindowOpen {
            task_id: id,
            accept_deadline: end
        }
    );
    s.at(end);
    let res = s.exec(&anyone, ExecuteMsg::Refund { task_id: id }).unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(transfer(&s, &client, 700))]);
    assert_eq!(attr(&res, "reason"), "accept_window_expired");
    let t = s.task_state(id);
    assert_eq!(
        (t.task.status, t.task.refund_reason),
        (
            TaskStatus::Refunded,
            Some(RefundReason::AcceptWindowExpired)
        )
    );
    s.at(end + 1);
    assert_eq!(
        s.exec(&anyone, ExecuteMsg::Refund { task_id: id })
            .unwrap_err(),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Refunded
        }
    );
    // The agent never accepted it: the expiry is not held against it.
    assert_eq!(s.agent_state().stats.missed, 0);
}

#[test]
fn refund_after_missed_delivery_deadline_returns_unsettled_milestones() {
    let mut s = Suite::new();
    let client = s.client.clone();
    let id = s.accepted(&[1_000, 2_000, 3_000]);
    s.submit(id, 0, vec![]).unwrap();
    s.exec(
        &client,
        ExecuteMsg::ApproveMilestone {
            task_id: id,
            milestone: 0,
        },
    )
    .unwrap();
    let deadline = s.task_state(id).task.delivery_deadline;
    let anyone = s.addr("anyone");
    s.at(deadline - 1);
    assert_eq!(
        s.exec(&anyone, ExecuteMsg::Refund { task_id: id })
            .unwrap_err(),
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    s.at(deadline);
    let res = s.exec(&anyone, ExecuteMsg::Refund { task_id: id }).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 5_000))]
    );
    let t = s.task_state(id);
    assert_eq!(
        (t.task.status, t.task.refund_reason),
        (
            TaskStatus::Refunded,
            Some(RefundReason::DeliveryDeadlineMissed)
        )
    );
    let statuses: Vec<_> = t.milestones.iter().map(|m| m.status).collect();
    assert_eq!(
        statuses,
        vec![
            MilestoneStatus::Approved,
            MilestoneStatus::Refunded,
            MilestoneStatus::Refunded
        ]
    );
    assert_eq!(
        s.exec(
            &client,
            ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 1
            }
        )
        .unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 1,
            status: MilestoneStatus::Refunded
        }
    );
    assert_eq!(
        s.submit(id, 1, vec![]).unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 1,
            status: MilestoneStatus::Refunded
        }
    );
    assert_eq!(s.solvency().escrowed, Uint128::zero());
}

#[test]
fn refund_waits_for_review_and_for_the_arbiter() {
    let mut s = Suite::new();
    let client = s.client.clone();
    let id = s.accepted(&[1_000]);
    let t0 = s.now();
    s.submit(id, 0, vec![inference(2, "a")]).unwrap();
    let anyone = s.addr("anyone");
    // Past the delivery deadline, a submitted milestone is still in review: nothing to refund.
    let deadline = s.task_state(id).task.delivery_deadline;
    s.at(deadline + 5);
    assert_eq!(
        s.exec(&anyone, ExecuteMsg::Refund { task_id: id })
            .unwrap_err(),
        ContractError::MilestoneUnderReview {
            task_id: id,
            milestone: 0,
            review_deadline: t0 + REVIEW
        }
    );
    let id2 = s.accepted(&[1_000]);
    let t1 = s.now();
    s.submit(id2, 0, vec![]).unwrap();
    s.dispute(id2, 0).unwrap();
    let end = t1 + ARBITRATION;
    s.at(end - 1);
    assert_eq!(
        s.exec(&anyone, ExecuteMsg::Refund { task_id: id2 })
            .unwrap_err(),
        ContractError::ArbitrationWindowOpen {
            task_id: id2,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    s.at(end);
    let res = s
        .exec(&anyone, ExecuteMsg::Refund { task_id: id2 })
        .unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 1_000))]
    );
    let t = s.task_state(id2);
    assert_eq!(t.task.refund_reason, Some(RefundReason::ArbiterSilent));
    let arbiter = s.arbiter.clone();
    assert_eq!(
        s.exec(
            &arbiter,
            ExecuteMsg::Resolve {
                task_id: id2,
                milestone: 0,
                agent_share_bps: 10_000
            }
        )
        .unwrap_err(),
        ContractError::MilestoneAlreadySettled {
            task_id: id2,
            milestone: 0,
            status: MilestoneStatus::Refunded
        }
    );
    // A silent arbiter is not the agent's fault.
    assert_eq!(s.agent_state().stats.missed, 0);
}

#[test]
fn one_second_after_each_deadline_the_window_stays_closed() {
    let mut s = Suite::new();
    let (agent, client, arbiter) = (s.agent.clone(), s.client.clone(), s.arbiter.clone());
    let anyone = s.addr("anyone");
    let t0 = s.now();
    let open = s.task(&[100]);
    let late = s.accepted(&[100, 100]);
    let review = s.accepted(&[100]);
    s.submit(review, 0, vec![]).unwrap();
    let disputed = s.accepted(&[100]);
    s.submit(disputed, 0, vec![]).unwrap();
    s.dispute(disputed, 0).unwrap();
    let leaver = s.addr("leaver");
    s.register(&leaver, MIN_BOND, vec![]);
    s.exec(&leaver, ExecuteMsg::Unbond {}).unwrap();

    s.at(t0 + ACCEPT + 1);
    assert_eq!(
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: open })
            .unwrap_err(),
        ContractError::AcceptWindowClosed {
            task_id: open,
            accept_deadline: t0 + ACCEPT
        }
    );
    s.at(t0 + REVIEW + 1);
    assert_eq!(
        s.exec(
            &client,
            ExecuteMsg::DisputeMilestone {
                task_id: review,
                milestone: 0,
                reason: "late".into()
            }
        )
        .unwrap_err(),
        ContractError::ReviewWindowClosed {
            task_id: review,
            milestone: 0,
            review_deadline: t0 + REVIEW
        }
    );
    s.exec(
        &anyone,
        ExecuteMsg::Finalize {
            task_id: review,
            milestone: 0,
        },
    )
    .unwrap();
    s.at(t0 + ARBITRATION + 1);
    assert_eq!(
        s.exec(
            &arbiter,
            ExecuteMsg::Resolve {
                task_id: disputed,
                milestone: 0,
                agent_share_bps: 0
            }
        )
        .unwrap_err(),
        ContractError::ArbitrationWindowClosed {
            task_id: disputed,
            milestone: 0,
            arbitration_deadline: t0 + ARBITRATION
        }
    );
    s.exec(&anyone, ExecuteMsg::Refund { task_id: disputed })
        .unwrap();
    s.at(t0 + UNBONDING + 1);
    s.exec(&leaver, ExecuteMsg::WithdrawBond {}).unwrap();
    s.at(t0 + DELIVERY + 1);
    assert_eq!(
        s.submit(late, 0, vec![]).unwrap_err(),
        ContractError::DeliveryDeadlinePassed {
            task_id: late,
            deadline: t0 + DELIVERY
        }
    );
    s.exec(&anyone, ExecuteMsg::Refund { task_id: late })
        .unwrap();
    s.exec(&anyone, ExecuteMsg::Refund { task_id: open })
        .unwrap();
    let statuses: Vec<_> = [open, late, review, disputed]
        .iter()
        .map(|id| s.task_state(*id).task.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            TaskStatus::Refunded,
            TaskStatus::Refunded,
            TaskStatus::Completed,
            TaskStatus::Refunded
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

#[test]
fn failed_model_fee_is_returned_to_the_client_in_reply() {
    // Only a milestone submitted under 0.2.0 pays its fees at settlement (with a reply on
    // error); later submissions pay them at delivery, with no reply.
    let mut s = Suite::new();
    let (client, agent) = (s.client.clone(), s.agent.clone());
    let id = s.accepted(&[10_000]);
    let items = vec![inference(1, "a"), inference(2, "b")];
    s.submit(id, 0, items.clone()).unwrap();
    as_0_2_0(&mut s, id);
    assert_eq!(s.task_state(id).task.escrowed.u128(), 10_000);
    let res = s
        .exec(
            &client,
            ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 0,
            },
        )
        .unwrap();
    // As in 0.2.0: the recorded fees, then the protocol fee, then the agent.
    assert_eq!(
        res.messages,
        vec![
            fee_send(&s, id, 0, 0, items[0].clone(), 1_000),
            fee_send(&s, id, 0, 1, items[1].clone(), 300),
            treasury(&s, 500),
            SubMsg::new(transfer(&s, &agent, 8_200)),
        ]
    );
    assert_eq!(s.solvency().escrowed, Uint128::zero());
    let payload = ModelFeePayload {
        task_id: id,
        milestone: 0,
        item: 1,
        amount: Uint128::new(300),
    };
    let res = reply(s.deps.as_mut(), s.env.clone(), failed_reply(&payload)).unwrap();
    assert_eq!(res.messages, vec![SubMsg::new(transfer(&s, &client, 300))]);
    assert_eq!(attr(&res, "action"), "model_fee_refunded");
    let t = s.task_state(id);
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128()
        ),
        (1_000, 300)
    );
    let inf = &t.milestones[0].inferences[1];
    assert_eq!(
        (inf.status, inf.error.as_deref()),
        (
            ModelFeeStatus::Refunded,
            Some("model 1 is paused: it takes no payments")
        )
    );
    assert_eq!(t.milestones[0].status, MilestoneStatus::Approved);
    // The same reply again, or one for another amount or item, matches nothing.
    for p in [
        payload.clone(),
        ModelFeePayload {
            item: 0,
            amount: Uint128::new(1),
            ..payload.clone()
        },
        ModelFeePayload {
            item: 5,
            ..payload.clone()
        },
        ModelFeePayload {
            task_id: 9,
            ..payload.clone()
        },
    ] {
        assert_eq!(
            reply(s.deps.as_mut(), s.env.clone(), failed_reply(&p)).unwrap_err(),
            ContractError::ReplyMismatch {
                task_id: p.task_id,
                milestone: p.milestone,
                item: p.item
            }
        );
    }
}

#[test]
fn long_refusals_are_cut_on_a_character_boundary() {
    use crate::reply::{error_head, MAX_ERROR_LEN};
    assert_eq!(error_head("short".into()), "short");
    let long = format!("root cause {}", "x".repeat(600));
    let head = error_head(long.clone());
    assert!(
        head.len() == MAX_ERROR_LEN && head.starts_with("root cause") && long.starts_with(&head)
    );
    // 255 ASCII bytes then two-byte characters: the cut moves back to the boundary at 255.
    let wide = format!("{}{}", "x".repeat(255), "é".repeat(10));
    assert_eq!(error_head(wide).len(), 255);
}

#[test]
fn unknown_or_successful_replies_are_errors() {
    let mut s = Suite::new();
    let payload = ModelFeePayload {
        task_id: 1,
        milestone: 0,
        item: 0,
        amount: Uint128::new(1),
    };
    let mut r = failed_reply(&payload);
    r.id = 7;
    assert_eq!(
        reply(s.deps.as_mut(), s.env.clone(), r).unwrap_err(),
        ContractError::UnknownReplyId { id: 7 }
    );
    #[allow(deprecated)]
    let ok = Reply {
        id: REPLY_MODEL_FEE,
        payload: to_json_binary(&payload).unwrap(),
        gas_used: 0,
        result: SubMsgResult::Ok(SubMsgResponse {
            events: vec![],
            data: None,
            msg_responses: vec![],
        }),
    };
    assert_eq!(
        reply(s.deps.as_mut(), s.env.clone(), ok).unwrap_err(),
        ContractError::UnexpectedReply {
            id: REPLY_MODEL_FEE
        }
    );
    let mut garbage = failed_reply(&payload);
    garbage.payload = Binary::default();
    assert!(matches!(
        reply(s.deps.as_mut(), s.env.clone(), garbage).unwrap_err(),
        ContractError::Std(_)
    ));
}

// ---------------------------------------------------------------------------------------------
// Queries, config, migration
// ---------------------------------------------------------------------------------------------

#[test]
fn task_lists_page_by_client_agent_and_status() {
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let ids: Vec<u64> = (0..12).map(|_| s.task(&[10])).collect();
    for id in &ids[..3] {
        s.exec(&agent, ExecuteMsg::AcceptTask { task_id: *id })
            .unwrap();
    }
    let page: TasksResponse = s.query(QueryMsg::TasksByClient {
        client: s.client.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(
        page.tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    let page: TasksResponse = s.query(QueryMsg::TasksByAgent {
        agent: agent.to_string(),
        start_after: Some(10),
        limit: Some(50),
    });
    assert_eq!(
        page.tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![11, 12]
    );
    let page: TasksResponse = s.query(QueryMsg::TasksByStatus {
        status: TaskStatus::InProgress,
        start_after: None,
        limit: None,
    });
    assert_eq!(
        page.tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let page: TasksResponse = s.query(QueryMsg::TasksByStatus {
        status: TaskStatus::Open,
        start_after: Some(3),
        limit: Some(2),
    });
    assert_eq!(
        page.tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![4, 5]
    );
    let stranger = s.addr("stranger");
    let page: TasksResponse = s.query(QueryMsg::TasksByClient {
        client: stranger.to_string(),
        start_after: None,
        limit: None,
    });
    assert!(page.tasks.is_empty());
    for limit in [0, 51] {
        assert_eq!(
            s.query_err(QueryMsg::TasksByStatus {
                status: TaskStatus::Open,
                start_after: None,
                limit: Some(limit)
            }),
            ContractError::Pagination(PaginationError::LimitOutOfRange { limit, max: 50 })
        );
    }
    assert_eq!(
        s.query_err(QueryMsg::Task { task_id: 99 }),
        ContractError::TaskNotFound { task_id: 99 }
    );
    assert_eq!(
        s.query_err(QueryMsg::Agent {
            address: stranger.to_string()
        }),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
}

#[test]
fn agents_page_by_address() {
    let mut s = Suite::new();
    let mut names: Vec<Addr> = (0..4).map(|i| s.addr(&format!("agent-{i}"))).collect();
    for a in &names {
        s.register(a, MIN_BOND, vec![]);
    }
    names.sort();
    let page: AgentsResponse = s.query(QueryMsg::Agents {
        start_after: None,
        limit: Some(3),
    });
    assert_eq!(
        page.agents
            .iter()
            .map(|a| a.address.clone())
            .collect::<Vec<_>>(),
        names[..3].to_vec()
    );
    let page: AgentsResponse = s.query(QueryMsg::Agents {
        start_after: Some(names[2].to_string()),
        limit: None,
    });
    assert_eq!(
        page.agents
            .iter()
            .map(|a| a.address.clone())
            .collect::<Vec<_>>(),
        names[3..].to_vec()
    );
}

#[test]
fn solvency_compares_balance_with_escrow_and_bonds() {
    let mut s = Suite::new();
    s.task(&[500]);
    s.set_balance(10_500);
    let sol = s.solvency();
    assert_eq!(
        (
            sol.escrowed.u128(),
            sol.bonds.u128(),
            sol.total_liabilities.u128(),
            sol.solvent
        ),
        (500, 10_000, 10_500, true)
    );
    s.set_balance(10_499);
    assert!(!s.solvency().solvent);
}

#[test]
fn update_config_is_owner_only_and_validated() {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    let stranger = s.addr("stranger");
    let upd = |fee: Option<u16>, arbiter: Option<String>| ExecuteMsg::UpdateConfig {
        model_licensing: None,
        reward_pool: None,
        min_agent_bond: None,
        protocol_fee_bps: fee,
        default_arbiter: arbiter,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    };
    assert_eq!(
        s.exec(&stranger, upd(Some(1), None)).unwrap_err(),
        ContractError::Ownership(OwnershipError::NotOwner)
    );
    assert_eq!(
        s.exec(&owner, upd(None, None)).unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(&owner, upd(Some(3_001), None)).unwrap_err(),
        ContractError::FeeTooHigh {
            bps: 3_001,
            max: 3_000
        }
    );
    let pool = s.pool.to_string();
    assert_eq!(
        s.exec(&owner, upd(None, Some(pool.clone()))).unwrap_err(),
        ContractError::Validation(ValidationError::ReservedAddress {
            role: "default_arbiter".into(),
            contract: "reward_pool".into(),
            address: pool
        })
    );
    let new_arbiter = s.addr("arbiter-2");
    s.exec(&owner, upd(Some(0), Some(new_arbiter.to_string())))
        .unwrap();
    let c: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!((c.protocol_fee_bps, c.default_arbiter), (0, new_arbiter));
}

#[test]
fn zero_protocol_fee_sends_nothing_to_the_pool() {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            model_licensing: None,
            reward_pool: None,
            min_agent_bond: None,
            protocol_fee_bps: Some(0),
            default_arbiter: None,
            arbitration_window: None,
            unbonding_period: None,
            slash_bps: None,
        },
    )
    .unwrap();
    let (client, agent) = (s.client.clone(), s.agent.clone());
    let id = s.accepted(&[1_000]);
    let res = s.submit(id, 0, vec![inference(1, "a")]).unwrap();
    assert_eq!(res.messages, vec![fee_pay(&s, inference(1, "a"), 1_000)]);
    let res = s
        .exec(
            &client,
            ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 0,
            },
        )
        .unwrap();
    // The model fee (paid at delivery) took everything: no protocol message, no empty
    // transfer to the agent, nothing to send.
    assert_eq!(res.messages, vec![]);
    assert_eq!(s.task_state(id).task.status, TaskStatus::Completed);
    let _ = agent;
}

#[test]
fn migrate_checks_name_and_version() {
    let mut s = Suite::new();
    cw2::set_contract_version(&mut s.deps.storage, "crates.io:other", "0.1.0").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::WrongContract {
            stored: "crates.io:other".into(),
            expected: CONTRACT_NAME.into()
        })
    );
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert_eq!(
        migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap_err(),
        ContractError::Migrate(MigrateError::Downgrade {
            stored: "99.0.0".into(),
            new: CONTRACT_VERSION.into()
        })
    );
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
}

#[test]
fn withdraw_bond_refuses_an_unbonding_agent_that_still_counts_an_open_task() {
    // `unbond` and `create_task` keep unbonding agents free of tasks; `withdraw_bond` checks it
    // again before paying, so a stored state that breaks the rule pays nothing.
    let mut s = Suite::new();
    let agent = s.agent.clone();
    s.register(&agent, 10_000, vec![1]);
    let t0 = s.now();
    s.exec(&agent, ExecuteMsg::Unbond {}).unwrap();
    let mut stored = crate::state::AGENTS.load(&s.deps.storage, &agent).unwrap();
    stored.open_tasks = 1;
    crate::state::AGENTS
        .save(&mut s.deps.storage, &agent, &stored)
        .unwrap();
    s.at(t0 + UNBONDING);
    assert_eq!(
        s.exec(&agent, ExecuteMsg::WithdrawBond {}).unwrap_err(),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    let a = s.agent_state();
    assert_eq!(a.bond, Uint128::new(10_000));
    assert_eq!(s.solvency().bonds, Uint128::new(10_000));
}

// ---------------------------------------------------------------------------------------------
// Bond reservations (DESIGN §6: a bond covers the tasks that rely on it)
// ---------------------------------------------------------------------------------------------

fn accept(s: &mut Suite, task_id: u64) -> Result<Response, ContractError> {
    let agent = s.agent.clone();
    s.exec(&agent, ExecuteMsg::AcceptTask { task_id })
}

fn approve(s: &mut Suite, task_id: u64, milestone: u32) -> Result<Response, ContractError> {
    let client = s.client.clone();
    s.exec(&client, ExecuteMsg::ApproveMilestone { task_id, milestone })
}

fn rule(
    s: &mut Suite,
    task_id: u64,
    milestone: u32,
    share: u16,
) -> Result<Response, ContractError> {
    let arbiter = s.arbiter.clone();
    s.exec(
        &arbiter,
        ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps: share,
        },
    )
}

fn reserved_free(s: &Suite) -> (u128, u128, u128) {
    let a = s.agent_state();
    assert_eq!(a.bond, a.reserved + a.free);
    (a.bond.u128(), a.reserved.u128(), a.free.u128())
}

#[test]
fn accepting_reserves_exposure_needs_the_free_minimum_and_every_end_releases_it() {
    let mut s = Suite::new();
    let (agent, anyone) = (s.agent.clone(), s.addr("anyone"));
    // Bond 10 000, slash 50 %, minimum 1 000: each acceptance reserves min(deposit, free × 50 %).
    let ids: Vec<u64> = [20_000u128, 9_000, 9_000, 9_000, 9_000]
        .iter()
        .map(|d| s.task(&[*d]))
        .collect();
    for (id, (reserved, free)) in ids[..4].iter().zip([
        (5_000u128, 5_000u128),
        (2_500, 2_500),
        (1_250, 1_250),
        (625, 625),
    ]) {
        let res = accept(&mut s, *id).unwrap();
        assert_eq!(
            (attr(&res, "bond_reserved"), attr(&res, "agent_free_bond")),
            (reserved.to_string(), free.to_string())
        );
        assert_eq!(
            s.task_state(*id).task.bond_reserved,
            Some(Uint128::new(reserved))
        );
    }
    assert_eq!(reserved_free(&s), (10_000, 9_375, 625));
    // Free 625 < 1 000: refused, nothing changes (0.2.0 accepted: it checked no bond).
    let before = s.task_state(ids[4]);
    assert_eq!(
        accept(&mut s, ids[4]).unwrap_err(),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(10_000),
            reserved: Uint128::new(9_375),
            free: Uint128::new(625),
            required: Uint128::new(MIN_BOND)
        }
    );
    assert_eq!(s.task_state(ids[4]), before);
    assert_eq!(reserved_free(&s), (10_000, 9_375, 625));
    // A top-up of 375 frees exactly the minimum: accepted, 500 reserved.
    s.hook(&agent, 375, ReceiveMsg::TopUpBond {}).unwrap();
    accept(&mut s, ids[4]).unwrap();
    assert_eq!(reserved_free(&s), (10_375, 9_875, 500));

    // A declined task reserved nothing and releases nothing.
    let declined = s.task(&[50]);
    s.exec(&agent, ExecuteMsg::DeclineTask { task_id: declined })
        .unwrap();
    assert_eq!(reserved_free(&s), (10_375, 9_875, 500));
    // Completed by approval: its 2 500 is released.
    s.submit(ids[1], 0, vec![]).unwrap();
    let res = approve(&mut s, ids[1], 0).unwrap();
    assert_eq!(attr(&res, "bond_released"), "2500");
    assert_eq!(reserved_free(&s), (10_375, 7_375, 3_000));
    assert_eq!(
        s.task_state(ids[1]).task.bond_reserved,
        Some(Uint128::zero())
    );
    // Ruled 0: its whole reservation (625) is slashed, nothing is left to release.
    s.submit(ids[3], 0, vec![]).unwrap();
    s.dispute(ids[3], 0).unwrap();
    let res = rule(&mut s, ids[3], 0, 0).unwrap();
    assert_eq!(
        (attr(&res, "slashed"), attr(&res, "bond_released")),
        ("625".to_string(), "0".to_string())
    );
    assert_eq!(reserved_free(&s), (9_750, 6_750, 3_000));
    // Arbiter silent: refunded, its 1 250 released.
    s.submit(ids[2], 0, vec![]).unwrap();
    s.dispute(ids[2], 0).unwrap();
    s.at(s.now() + ARBITRATION);
    let res = s
        .exec(&anyone, ExecuteMsg::Refund { task_id: ids[2] })
        .unwrap();
    assert_eq!(attr(&res, "bond_released"), "1250");
    assert_eq!(reserved_free(&s), (9_750, 5_500, 4_250));
    // Delivery deadline missed: refunded, its 5 000 released.
    s.submit(ids[4], 0, vec![]).unwrap();
    approve(&mut s, ids[4], 0).unwrap();
    assert_eq!(reserved_free(&s), (9_750, 5_000, 4_750));
    let deadline = s.task_state(ids[0]).task.delivery_deadline;
    s.at(deadline);
    let res = s
        .exec(&anyone, ExecuteMsg::Refund { task_id: ids[0] })
        .unwrap();
    assert_eq!(attr(&res, "bond_released"), "5000");
    assert_eq!(reserved_free(&s), (9_750, 0, 9_750));
    assert_eq!(s.agent_state().open_tasks, 0);
    s.exec(&agent, ExecuteMsg::Unbond {}).unwrap();
}

#[test]
fn a_ruling_of_zero_slashes_only_its_own_tasks_reservation() {
    // The review's scenario: bond 10 000, slash 50 %. The honest client's task is accepted
    // first; then a sybil client opens small tasks naming a puppet arbiter, the agent accepts
    // them all in one block and the puppet rules 0 on each. 0.2.0 slashed 50 % of whatever
    // bond was left at each ruling (three rulings: 5 000 + 2 500 + 1 250 to the sybil) and
    // the honest slash found 625. Now each sybil task can take only its own reservation
    // (≤ its deposit), acceptance stops when the free bond falls below the minimum (1 000),
    // and the honest slash is exactly its reservation: 5 000.
    let mut s = Suite::new();
    let client = s.client.clone();
    let honest = s.accepted(&[8_000]);
    assert_eq!(reserved_free(&s), (10_000, 5_000, 5_000));
    let (sybil, puppet) = (s.addr("sybil"), s.addr("puppet"));
    // A named arbiter must be a bonded evaluator; this one asks no fee.
    let register = ReceiveMsg::RegisterEvaluator {
        name: "puppet".into(),
        metadata_uri: String::new(),
        capabilities: vec![],
        fee: Uint128::zero(),
    };
    s.hook(&puppet, 1_000_000, register).unwrap();
    let mut sybil_tasks = vec![];
    for _ in 0..42 {
        let mut task = s.new_task(&[100]);
        task.arbiter = Some(puppet.to_string());
        let res = s.hook(&sybil, 100, ReceiveMsg::CreateTask(task)).unwrap();
        sybil_tasks.push(attr(&res, "task_id").parse::<u64>().unwrap());
    }
    // 41 acceptances reserve 100 each (free 5 000 → 900); the 42nd finds 900 < 1 000.
    for id in &sybil_tasks[..41] {
        accept(&mut s, *id).unwrap();
    }
    assert_eq!(reserved_free(&s), (10_000, 9_100, 900));
    assert_eq!(
        accept(&mut s, sybil_tasks[41]).unwrap_err(),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(10_000),
            reserved: Uint128::new(9_100),
            free: Uint128::new(900),
            required: Uint128::new(MIN_BOND)
        }
    );
    let mut to_sybil = 0u128;
    for id in &sybil_tasks[..41] {
        s.submit(*id, 0, vec![]).unwrap();
        s.exec(
            &sybil,
            ExecuteMsg::DisputeMilestone {
                task_id: *id,
                milestone: 0,
                reason: "x".into(),
            },
        )
        .unwrap();
        let res = s
            .exec(
                &puppet,
                ExecuteMsg::Resolve {
                    task_id: *id,
                    milestone: 0,
                    agent_share_bps: 0,
                },
            )
            .unwrap();
        // Its deposit back and the 100 reserved for it: no more.
        assert_eq!(res.messages, vec![SubMsg::new(transfer(&s, &sybil, 200))]);
        to_sybil += 200;
    }
    assert_eq!(to_sybil, 41 * 100 * 2);
    assert_eq!(reserved_free(&s), (5_900, 5_000, 900));
    s.submit(honest, 0, vec![]).unwrap();
    s.dispute(honest, 0).unwrap();
    let res = rule(&mut s, honest, 0, 0).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 8_000 + 5_000))]
    );
    assert_eq!(reserved_free(&s), (900, 0, 900));
    let a = s.agent_state();
    assert_eq!((a.stats.lost, a.stats.slashed.u128()), (42, 9_100));
}

#[test]
fn tasks_keep_the_minimum_bond_they_were_created_with() {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    let min = |bond: u128| ExecuteMsg::UpdateConfig {
        model_licensing: None,
        reward_pool: None,
        min_agent_bond: Some(Uint128::new(bond)),
        protocol_fee_bps: None,
        default_arbiter: None,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    };
    // Created at 1 000, the minimum raised to 10 001 afterwards: the task keeps 1 000 (a new
    // task needs the new minimum of the whole bond at creation).
    let old = s.task(&[1_000]);
    s.exec(&owner, min(10_001)).unwrap();
    let task = s.new_task(&[1_000]);
    assert_eq!(
        s.create_with(1_000, task).unwrap_err(),
        ContractError::BondTooLow {
            bond: Uint128::new(10_000),
            required: Uint128::new(10_001)
        }
    );
    accept(&mut s, old).unwrap();
    assert_eq!(reserved_free(&s), (10_000, 1_000, 9_000));
    // Created at 8 001, the minimum lowered to 0 afterwards: the task keeps 8 001.
    s.exec(&owner, min(8_001)).unwrap();
    let strict = s.task(&[1_000]);
    s.exec(&owner, min(0)).unwrap();
    let lenient = s.task(&[1_000]);
    accept(&mut s, lenient).unwrap();
    assert_eq!(reserved_free(&s), (10_000, 2_000, 8_000));
    assert_eq!(
        accept(&mut s, strict).unwrap_err(),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(10_000),
            reserved: Uint128::new(2_000),
            free: Uint128::new(8_000),
            required: Uint128::new(8_001)
        }
    );
    // A task created under 0.2.0 has no minimum of its own: the configured one applies.
    let legacy = s.task(&[1_000]);
    as_0_2_0(&mut s, legacy);
    s.exec(&owner, min(8_001)).unwrap();
    assert_eq!(
        accept(&mut s, legacy).unwrap_err(),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(10_000),
            reserved: Uint128::new(2_000),
            free: Uint128::new(8_000),
            required: Uint128::new(8_001)
        }
    );
    s.exec(&owner, min(8_000)).unwrap();
    accept(&mut s, legacy).unwrap();
    assert_eq!(
        s.task_state(legacy).task.bond_reserved,
        Some(Uint128::new(1_000))
    );
}

#[test]
fn protocol_fee_rounds_up_on_small_milestones() {
    // Ten milestones of 19 at 5 %: 0.95 each, 1 with rounding up (0.2.0 rounded down and
    // paid 0 on all ten); one of 190 pays 10 (0.2.0: 9).
    let mut s = Suite::new();
    let agent = s.agent.clone();
    let id = s.accepted(&[19; 10]);
    for m in 0..10 {
        s.submit(id, m, vec![]).unwrap();
        let res = approve(&mut s, id, m).unwrap();
        assert_eq!(
            res.messages,
            vec![treasury(&s, 1), SubMsg::new(transfer(&s, &agent, 18))]
        );
    }
    assert_eq!(s.task_state(id).task.protocol_fees.u128(), 10);
    let id = s.accepted(&[190]);
    s.submit(id, 0, vec![]).unwrap();
    let res = approve(&mut s, id, 0).unwrap();
    assert_eq!(
        res.messages,
        vec![treasury(&s, 10), SubMsg::new(transfer(&s, &agent, 180))]
    );
    // A split rounds its base down (the odd unit goes back to the client) and its protocol
    // fee up: 3 333 bps of 1 001 = 333.6 → 333 settled, fee 16.65 → 17, agent 316, client 668.
    let id = s.accepted(&[1_001]);
    s.submit(id, 0, vec![]).unwrap();
    s.dispute(id, 0).unwrap();
    let client = s.client.clone();
    let res = rule(&mut s, id, 0, 3_333).unwrap();
    assert_eq!(
        res.messages,
        vec![
            treasury(&s, 17),
            SubMsg::new(transfer(&s, &agent, 316)),
            SubMsg::new(transfer(&s, &client, 668)),
        ]
    );
    // At submission the fees must leave room for the rounded-up fee: 39 − 2 = 37.
    let id = s.accepted(&[39]);
    s.set_model(2, 38, ModelStatus::Active);
    assert_eq!(
        s.submit(id, 0, vec![inference(2, "x")]).unwrap_err(),
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(38),
            available: Uint128::new(37)
        }
    );
}

// ---------------------------------------------------------------------------------------------
// State left by 0.2.0
// ---------------------------------------------------------------------------------------------

#[test]
fn a_0_2_0_task_is_slashed_as_then_but_never_beyond_the_free_bond() {
    let mut s = Suite::new();
    let client = s.client.clone();
    // Accepted and submitted under 0.2.0: no reservation.
    let legacy = s.accepted(&[2_000]);
    s.submit(legacy, 0, vec![]).unwrap();
    as_0_2_0(&mut s, legacy);
    assert_eq!(reserved_free(&s), (10_000, 0, 10_000));
    // Two tasks accepted after the upgrade reserve 5 000 and 2 500.
    let a = s.accepted(&[9_000]);
    let b = s.accepted(&[9_000]);
    assert_eq!(reserved_free(&s), (10_000, 7_500, 2_500));
    // The 0.2.0 formula says 10 000 × 50 % = 5 000; only the free 2 500 can go.
    s.dispute(legacy, 0).unwrap();
    let res = rule(&mut s, legacy, 0, 0).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 2_000 + 2_500))]
    );
    assert_eq!(reserved_free(&s), (7_500, 7_500, 0));
    assert_eq!(s.task_state(legacy).task.bond_reserved, None);
    // The others' reservations are intact: each still slashes its own in full.
    for (id, reserved) in [(a, 5_000u128), (b, 2_500)] {
        s.submit(id, 0, vec![]).unwrap();
        s.dispute(id, 0).unwrap();
        let res = rule(&mut s, id, 0, 0).unwrap();
        assert_eq!(
            res.messages,
            vec![SubMsg::new(transfer(&s, &client, 9_000 + reserved))]
        );
    }
    assert_eq!(reserved_free(&s), (0, 0, 0));
}

/// Review of 0.3.0 (medium): tasks accepted under 0.2.0 reserved nothing, so tasks accepted after
/// the upgrade could use up the bond they rely on. `migrate` gives each the reservation it would
/// have received at acceptance, in task order.
#[test]
fn migrate_reserves_the_bond_of_tasks_accepted_under_0_2_0() {
    let mut s = Suite::new();
    let client = s.client.clone();
    let first = s.accepted(&[2_000]);
    let second = s.accepted(&[9_000]);
    as_0_2_0(&mut s, first);
    as_0_2_0(&mut s, second);
    assert_eq!(reserved_free(&s), (10_000, 0, 10_000));
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "tasks_reserved"), "2");
    // min(2 000, 50 % × 10 000) = 2 000, then min(9 000, 50 % × 8 000) = 4 000.
    assert_eq!(
        s.task_state(first).task.bond_reserved,
        Some(Uint128::new(2_000))
    );
    assert_eq!(
        s.task_state(second).task.bond_reserved,
        Some(Uint128::new(4_000))
    );
    assert_eq!(reserved_free(&s), (10_000, 6_000, 4_000));
    // A task accepted now reserves from the free 4 000 only; a ruling of 0 on the second
    // 0.2.0 task still finds its 4 000.
    let third = s.accepted(&[9_000]);
    assert_eq!(
        s.task_state(third).task.bond_reserved,
        Some(Uint128::new(2_000))
    );
    s.submit(second, 0, vec![]).unwrap();
    s.dispute(second, 0).unwrap();
    let res = rule(&mut s, second, 0, 0).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 9_000 + 4_000))]
    );
    // A second migration finds nothing left to reserve.
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "tasks_reserved"), "0");
}

#[test]
fn a_0_2_0_submission_settles_as_then() {
    let mut s = Suite::new();
    let (client, agent) = (s.client.clone(), s.agent.clone());
    // A split: the recorded fee is paid now, with a reply on error.
    let id = s.accepted(&[10_000]);
    s.submit(id, 0, vec![inference(1, "a")]).unwrap();
    as_0_2_0(&mut s, id);
    s.dispute(id, 0).unwrap();
    let res = rule(&mut s, id, 0, 6_000).unwrap();
    assert_eq!(
        res.messages,
        vec![
            fee_send(&s, id, 0, 0, inference(1, "a"), 1_000),
            treasury(&s, 300),
            SubMsg::new(transfer(&s, &agent, 4_700)),
            SubMsg::new(transfer(&s, &client, 4_000)),
        ]
    );
    assert_eq!(attr(&res, "model_fees"), "1000");
    let t = s.task_state(id);
    assert_eq!(
        (t.task.model_fees_paid.u128(), t.task.escrowed.u128()),
        (1_000, 0)
    );

    // A ruling of 0: the recorded fee is waived, the whole milestone goes back.
    let id = s.accepted(&[3_000]);
    s.submit(id, 0, vec![inference(1, "b")]).unwrap();
    as_0_2_0(&mut s, id);
    s.dispute(id, 0).unwrap();
    assert_eq!(reserved_free(&s), (10_000, 0, 10_000));
    let res = rule(&mut s, id, 0, 0).unwrap();
    // Slashed as in 0.2.0: 10 000 × 50 % (all free).
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 3_000 + 5_000))]
    );
    let t = s.task_state(id);
    assert_eq!(t.milestones[0].inferences[0].status, ModelFeeStatus::Waived);
    assert_eq!(
        (
            t.task.refunded.u128(),
            t.task.model_fees_paid.u128(),
            t.task.slashed.u128()
        ),
        (3_000, 0, 5_000)
    );
    assert_eq!(reserved_free(&s), (5_000, 0, 5_000));

    // A refund after a silent arbiter: the recorded fee is waived, all of it goes back.
    let id = s.accepted(&[2_000]);
    s.submit(id, 0, vec![inference(1, "c")]).unwrap();
    as_0_2_0(&mut s, id);
    s.dispute(id, 0).unwrap();
    s.at(s.now() + ARBITRATION);
    let anyone = s.addr("anyone");
    let res = s.exec(&anyone, ExecuteMsg::Refund { task_id: id }).unwrap();
    assert_eq!(
        res.messages,
        vec![SubMsg::new(transfer(&s, &client, 2_000))]
    );
    assert_eq!(
        s.task_state(id).milestones[0].inferences[0].status,
        ModelFeeStatus::Waived
    );

    // Fees that filled the milestone under 0.2.0's rounding (39 − 1 = 38 at 5 %) still settle:
    // the rounded-up protocol fee (2) is capped by what they leave (1).
    let id = s.accepted(&[39]);
    s.set_model(2, 37, ModelStatus::Active);
    s.submit(id, 0, vec![inference(2, "d")]).unwrap();
    as_0_2_0(&mut s, id);
    {
        use crate::state::MILESTONES;
        let mut ms = MILESTONES.load(&s.deps.storage, (id, 0)).unwrap();
        ms.inferences[0].fee = Uint128::new(38);
        ms.model_fees = Uint128::new(38);
        MILESTONES.save(&mut s.deps.storage, (id, 0), &ms).unwrap();
    }
    let res = approve(&mut s, id, 0).unwrap();
    assert_eq!(
        res.messages,
        vec![
            fee_send(&s, id, 0, 0, inference(2, "d"), 38),
            treasury(&s, 1)
        ]
    );
    assert_eq!(s.task_state(id).task.status, TaskStatus::Completed);
    assert_eq!(s.solvency().escrowed, Uint128::zero());
}

/// Until 0.3.0 the task counter was a field of the stored configuration. `migrate` moves it
/// into its own item and stores the configuration without it; the next task continues the
/// count, and a second migration leaves the moved counter alone.
#[test]
fn migrate_moves_the_task_counter_out_of_a_0_2_0_config() {
    use crate::state::{CONFIG, TASK_COUNT};
    use cosmwasm_std::Storage;
    let mut s = Suite::new();
    s.task(&[1_000]);
    s.task(&[2_000]);
    // The configuration as 0.2.0 stored it: every field of today's plus `task_count`.
    let config = CONFIG.load(&s.deps.storage).unwrap();
    let mut old: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&cosmwasm_std::to_json_string(&config).unwrap()).unwrap();
    old.insert("task_count".into(), serde_json::json!(2));
    s.deps
        .storage
        .set(b"config", &serde_json::to_vec(&old).unwrap());
    s.deps.storage.remove(b"task_count");
    assert_eq!(TASK_COUNT.may_load(&s.deps.storage).unwrap(), None);

    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.2.0");
    assert_eq!(TASK_COUNT.load(&s.deps.storage).unwrap(), 2);
    assert_eq!(CONFIG.load(&s.deps.storage).unwrap(), config);
    // The configuration is stored without the counter.
    let stored: serde_json::Value =
        serde_json::from_slice(&s.deps.storage.get(b"config").unwrap()).unwrap();
    assert_eq!(stored.get("task_count"), None);
    let answer: ConfigResponse = s.query(QueryMsg::Config {});
    assert_eq!(answer.task_count, 2);
    assert_eq!(
        (answer.token, answer.slash_bps, answer.min_agent_bond),
        (
            config.token.clone(),
            config.slash_bps,
            config.min_agent_bond
        )
    );

    // The count goes on, and a second migration keeps it.
    assert_eq!(s.task(&[3_000]), 3);
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(TASK_COUNT.load(&s.deps.storage).unwrap(), 3);
    assert_eq!(CONFIG.load(&s.deps.storage).unwrap(), config);
}
