//! Fuzzing of every message boundary of the suite: each input yields `Ok` or `Err`, never a
//! panic.
//!
//! For each of the five contracts the fuzzer feeds raw bytes where the wasm entry points see
//! them: `execute` (a `WasmMsg::Execute` whose `msg` is the bytes), the cw20 hook (the bytes as
//! the `msg` of a real cw20 `send` of OPEN, and as the `msg` of a `receive` forged by a wallet),
//! `query` (a `WasmQuery::Smart` whose `msg` is the bytes), and the `instantiate` and `migrate`
//! parsers and handlers (the bytes decoded with `from_json`, then the entry point run on
//! `mock_dependencies`). OPEN itself (cw20-base) takes no hook: it is the token that sends them.
//!
//! Inputs come in three kinds: arbitrary bytes (also byte-level damage to valid messages and
//! deep nesting), arbitrary JSON values (objects, arrays, strings, huge, negative and float
//! numbers, unicode, long strings, field and variant names of the contract), and structural
//! mutations of a valid message of every variant, built against a populated world where the
//! ids they name exist (dropped fields, swapped types, edge numbers up to `u128::MAX` and past
//! it, arrays of hundreds of items, invalid and foreign addresses, duplicated entries, renamed
//! variants), so that the handlers behind the parsers are reached. Each target counts its
//! executions, the inputs its parser accepted and the calls that succeeded; a target whose
//! parser never accepts anything fails the run.
//!
//! Every call runs under `catch_unwind`; a panic is recorded with its input (hex) and its
//! message, and fails the run. A forged `receive` must always be refused with the contract's
//! `UnexpectedToken` hook error. After every batch the suite's ledger invariants are checked:
//! for the targets whose senders hold no OPEN (OPEN's own execute, forged hooks, queries) the
//! ledger must hold as it is; where the fuzzer may legitimately move funds (contract execute
//! by the world's parties, real cw20 sends from the funded payer) the balances of the parties
//! the fuzzer can act as or name are re-read into the ledger first, so the check then proves
//! that no OPEN was created, destroyed or sent outside those parties, that the untouched
//! bystanders kept their balances, and that every contract is still solvent (the escrow holding
//! exactly what it owes).
//!
//! Default size: 56 000 executions (28 targets of 2 000). `OPENLEDGER_HEAVY=1` runs twenty
//! times as many. Fuzzing OPEN found two panics in cw20-base (an allowance raised past
//! `u128::MAX`, initial balances summing past it); OPEN now checks both sums first, and the two
//! regression tests below keep it so.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use anyhow::Result as AnyResult;
use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{
    from_json, to_json_binary, to_json_vec, Addr, Binary, CosmosMsg, DepsMut, Empty, Env,
    HexBinary, MessageInfo, QueryRequest, Response, StdError, Storage, Uint128, WasmMsg, WasmQuery,
};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20QueryMsg, Cw20ReceiveMsg, Logo, MinterResponse};
use cw_multi_test::{AppResponse, Executor};
use openledger_common::attribution::AttributionShare;
use openledger_common::fee::FeeSplit;
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::datanet_registry as registry;
use openledger_common::msg::model_licensing as ml;
use openledger_common::msg::reward_pool as pool;
use openledger_common::HookError;
use openledger_tests::escrow::{world, World, MIN_BOND, MODEL_FEE, MODEL_OWNER_CUT, POOL_CUT};
use openledger_tests::{data_hash, influence_entries, AttributionTree, SUPPLY};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

/// Inputs run against one world (one proptest case).
const BATCH: usize = 250;
/// Proptest cases (worlds) per target that runs on the multi-test chain.
const APP_CASES: u32 = 8;
/// Inputs per proptest case of a target that runs on `mock_dependencies`.
const MOCK_BATCH: usize = 250;
/// Proptest cases per mock target.
const MOCK_CASES: u32 = 8;

/// 20 with `OPENLEDGER_HEAVY=1`, else 1.
fn heavy() -> u32 {
    if std::env::var("OPENLEDGER_HEAVY").as_deref() == Ok("1") {
        20
    } else {
        1
    }
}

// ---------------------------------------------------------------------------------------------
// Contracts, targets, parties
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Contract {
    Token,
    Registry,
    Pool,
    Models,
    Escrow,
}

const CONTRACTS: [Contract; 5] = [
    Contract::Token,
    Contract::Registry,
    Contract::Pool,
    Contract::Models,
    Contract::Escrow,
];

impl Contract {
    fn name(self) -> &'static str {
        match self {
            Contract::Token => "open-token",
            Contract::Registry => "datanet-registry",
            Contract::Pool => "reward-pool",
            Contract::Models => "model-licensing",
            Contract::Escrow => "agent-escrow",
        }
    }

    fn schema(self) -> &'static str {
        match self {
            Contract::Token => include_str!("../../schema/open-token/open-token.json"),
            Contract::Registry => {
                include_str!("../../schema/datanet-registry/datanet-registry.json")
            }
            Contract::Pool => include_str!("../../schema/reward-pool/reward-pool.json"),
            Contract::Models => include_str!("../../schema/model-licensing/model-licensing.json"),
            Contract::Escrow => include_str!("../../schema/agent-escrow/agent-escrow.json"),
        }
    }

    fn hook_schema(self) -> Option<&'static str> {
        match self {
            Contract::Token => None,
            Contract::Registry => Some(include_str!(
                "../../schema/datanet-registry/receive_msg.json"
            )),
            Contract::Pool => Some(include_str!("../../schema/reward-pool/receive_msg.json")),
            Contract::Models => Some(include_str!(
                "../../schema/model-licensing/receive_msg.json"
            )),
            Contract::Escrow => Some(include_str!("../../schema/agent-escrow/receive_msg.json")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `execute` with the bytes as the message.
    Execute,
    /// A real cw20 `send` of OPEN carrying the bytes.
    HookSend,
    /// `receive` called by a wallet with the bytes as the hook message.
    HookForged,
    /// A smart query with the bytes as the message.
    Query,
    /// `from_json` + `instantiate` on mock dependencies.
    Instantiate,
    /// `from_json` + `migrate` on mock dependencies holding an instantiated contract.
    Migrate,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Execute => "execute",
            Kind::HookSend => "hook-send",
            Kind::HookForged => "hook-forged",
            Kind::Query => "query",
            Kind::Instantiate => "instantiate",
            Kind::Migrate => "migrate",
        }
    }

    fn on_chain(self) -> bool {
        !matches!(self, Kind::Instantiate | Kind::Migrate)
    }
}

/// The world's parties the fuzzer acts as, by index.
const STRANGER: usize = 0;
const DEPLOYER: usize = 1;
const CLIENT: usize = 2;
const AGENT: usize = 3;
const ARBITER: usize = 4;
const DATANET_OWNER: usize = 5;
const MODEL_OWNER: usize = 6;
const CONTRIBUTOR: usize = 7;
const ATTESTOR: usize = 8;
const PAYER: usize = 9;
/// A registered evaluator (and agent) of the escrow.
const EVALUATOR: usize = 10;
/// Parties holding no OPEN: the only senders of OPEN's own `execute`, so that no fuzzed cw20
/// message can move tokens.
const UNFUNDED: [usize; 6] = [
    STRANGER,
    ARBITER,
    DATANET_OWNER,
    MODEL_OWNER,
    CONTRIBUTOR,
    ATTESTOR,
];
/// OPEN the payer starts with.
const PAYER_FUNDS: u128 = 20_000_000;
/// OPEN of the bystander, whom no input names: it must never change.
const BYSTANDER_FUNDS: u128 = 777;
/// Price of tier 1 of model 1.
const TIER_PRICE: u128 = 500;
/// Bond of datanet 4.
const DATANET_BOND: u128 = 50;
/// Bond of the evaluator party as an evaluator (its agent bond is the minimum).
const EVALUATOR_BOND: u128 = 20_000;
/// Fee of the evaluator party per verdict or ruling.
const EVALUATION_FEE: u128 = 100;
/// Evaluation window of the tasks the evaluator party judges.
const EVALUATION_WINDOW: u64 = 24 * 3600;

/// The populated world every on-chain target runs against.
///
/// Registry: datanets 1 and 2 (weight mode, owner `datanet-owner`, version 1 published,
/// contributions 1 and 2 accepted, contribution 3 pending in datanet 1), datanet 3 in influence
/// mode (funded with 10 000, root of epoch 1 claimable, root of epoch 2 in its challenge
/// window), datanet 4 with a bond of 50. Pool: the payer stakes 1 000, a distribution credited
/// datanet 1, the stakers and the treasury. Model licensing: model 1 with tier 1. Escrow: the
/// agent registered; task 1 open, task 2 with milestone 0 submitted (one model fee), task 3 with
/// milestone 0 disputed, task 4 accepted; the evaluator party registered as an evaluator and as
/// an agent, task 5 judged by it and delivered, task 6 completed, task 7 accepted and funding
/// sub-task 8 (open, for the evaluator party as agent).
struct Fz {
    w: World,
    /// Indexed by the party constants above.
    parties: Vec<Addr>,
    /// Never named by an input.
    bystander: Addr,
    tree1: AttributionTree,
}

impl Fz {
    fn new() -> Fz {
        let mut w = world();
        let s = &mut w.s;
        let stranger = s.addr("stranger");
        let datanet_owner = s.addr("datanet-owner");
        let contributor = s.addr("contributor-0");
        let attestor = s.addr("attestor");
        let payer = s.addr("payer");
        let bystander = s.addr("bystander");
        s.fund(&payer, PAYER_FUNDS);
        s.fund(&bystander, BYSTANDER_FUNDS);
        for who in [&stranger, &attestor] {
            s.ledger.insert(who.clone(), 0);
        }
        let token = s.token.clone();
        s.ledger.insert(token, 0);

        // Contribution 3, pending in datanet 1.
        s.registry_exec(
            &contributor,
            &registry::ExecuteMsg::Contribute(registry::NewContribution {
                datanet_id: 1,
                data_hash: data_hash("pending"),
                uri: "ipfs://pending".into(),
                size_bytes: 10,
                license_note: None,
            }),
        )
        .unwrap();
        // Datanet 3 in influence mode, datanet 4 with a bond.
        assert_eq!(s.create_influence_datanet(&datanet_owner, "influence"), 3);
        s.registry_exec(
            &datanet_owner,
            &registry::ExecuteMsg::CreateDatanet(registry::NewDatanet {
                name: "bonded".into(),
                description: "contributions carry a bond".into(),
                metadata_uri: "ipfs://bonded".into(),
                curators: vec![],
                policy: registry::ContributionPolicy::Open,
                contribution_bond: Uint128::new(DATANET_BOND),
                attribution_mode: registry::AttributionMode::Weight,
            }),
        )
        .unwrap();
        s.fund_datanet(3, 10_000);
        s.add_attestor(&attestor, pool::DEFAULT_ATTESTOR_BOND.u128());
        let tree1 =
            AttributionTree::new(3, &influence_entries(4, &[(&contributor, 4_000)], 7, 900));
        s.post_root(&attestor, 1, &tree1).unwrap();
        s.advance(pool::DEFAULT_CHALLENGE_WINDOW);
        let tree2 =
            AttributionTree::new(3, &influence_entries(4, &[(&contributor, 5_000)], 8, 900));
        s.post_root(&attestor, 2, &tree2).unwrap();

        // Staking and a distribution.
        let pool_addr = s.pool.clone();
        s.send(&payer, &pool_addr, 1_000, &pool::ReceiveMsg::Stake {})
            .unwrap();
        s.moved(&payer, &pool_addr, 1_000);
        let deployer = s.deployer.clone();
        s.send(
            &deployer,
            &pool_addr,
            5_000,
            &pool::ReceiveMsg::Distribute {
                allocations: vec![
                    pool::Allocation::Datanet {
                        id: 1,
                        amount: Uint128::new(3_000),
                        version: None,
                    },
                    pool::Allocation::Stakers {
                        amount: Uint128::new(1_000),
                    },
                    pool::Allocation::Treasury {
                        amount: Uint128::new(1_000),
                    },
                ],
            },
        )
        .unwrap();
        s.moved(&deployer, &pool_addr, 5_000);

        // Tier 1 of model 1.
        let (model_owner, models) = (w.model_owner.clone(), w.models.clone());
        w.s.app
            .execute_contract(
                model_owner,
                models,
                &ml::ExecuteMsg::UpdateModel {
                    model_id: 1,
                    metadata_uri: None,
                    inference_fee: None,
                    tiers: Some(vec![tier()]),
                    hosts: None,
                },
                &[],
            )
            .unwrap();

        // Tasks 1 (open), 2 (submitted), 3 (disputed), 4 (accepted).
        assert_eq!(w.create(&[1_000, 2_000]), 1);
        assert_eq!(w.accepted(&[2_000, 1_000]), 2);
        let inference = w.lineage_inference("world-2");
        w.submit(2, 0, vec![inference]).unwrap();
        // The delivery pays its model fee at once: the owner's cut stays in model licensing,
        // the rest reaches the pool.
        let (escrow_addr, models_addr, pool_addr) =
            (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
        w.s.moved(&escrow_addr, &models_addr, MODEL_OWNER_CUT);
        w.s.moved(&escrow_addr, &pool_addr, POOL_CUT);
        assert_eq!(w.accepted(&[3_000]), 3);
        w.submit(3, 0, vec![]).unwrap();
        w.dispute(3, 0).unwrap();
        // Tasks 2 and 3 reserved 3 000 each of the 10 000 bond: the agent tops up 1 000 so
        // that its free bond is the minimum again, and accepts task 4.
        let agent = w.agent.clone();
        w.s.send(
            &agent,
            &escrow_addr,
            1_000,
            &escrow::ReceiveMsg::TopUpBond {},
        )
        .unwrap();
        w.s.moved(&agent, &escrow_addr, 1_000);
        assert_eq!(w.accepted(&[3_000, 1_500]), 4);
        let evaluator = escrow_workflows(&mut w);

        let parties = vec![
            stranger,
            w.s.deployer.clone(),
            w.client.clone(),
            w.agent.clone(),
            w.arbiter.clone(),
            datanet_owner,
            w.model_owner.clone(),
            contributor,
            attestor,
            payer,
            evaluator,
        ];
        for &i in &UNFUNDED {
            assert_eq!(w.s.balance(&parties[i]), 0, "party {i} holds no OPEN");
        }
        let fz = Fz {
            w,
            parties,
            bystander,
            tree1,
        };
        fz.check();
        fz
    }

    fn token(&self) -> &Addr {
        &self.w.s.token
    }

    fn addr_of(&self, c: Contract) -> &Addr {
        match c {
            Contract::Token => &self.w.s.token,
            Contract::Registry => &self.w.s.registry,
            Contract::Pool => &self.w.s.pool,
            Contract::Models => &self.w.models,
            Contract::Escrow => &self.w.escrow,
        }
    }

    /// Every address an input may name: the parties and the contracts (not the bystander).
    fn nameable(&self) -> Vec<Addr> {
        let mut all = self.parties.clone();
        all.extend(CONTRACTS.iter().map(|c| self.addr_of(*c).clone()));
        all
    }

    /// Re-reads into the ledger the balances of everything an input may name or act as.
    fn reread_ledger(&mut self) {
        for who in self.nameable() {
            let balance = self.w.s.balance(&who);
            self.w.s.ledger.insert(who, balance);
        }
    }

    /// The world's invariants: the ledger holds (every account, sum = supply), every contract
    /// is solvent, the escrow holds exactly what it owes, the supply is unchanged, the
    /// bystander is untouched.
    fn check(&self) {
        self.w.check();
        let info: cw20::TokenInfoResponse = self
            .w
            .s
            .app
            .wrap()
            .query_wasm_smart(self.token(), &Cw20QueryMsg::TokenInfo {})
            .unwrap();
        assert_eq!(info.total_supply.u128(), SUPPLY, "total supply");
        assert_eq!(self.w.s.balance(&self.bystander), BYSTANDER_FUNDS);
        assert!(
            !self.nameable().contains(&self.bystander),
            "the bystander is never named"
        );
    }
}

fn tier() -> ml::LicenseTier {
    ml::LicenseTier {
        id: 1,
        price: Uint128::new(TIER_PRICE),
        duration: 30 * 24 * 3600,
        inference_quota: Some(100),
        commercial: true,
    }
}

/// The escrow's workflows in the fuzzed world: the evaluator party registers as an evaluator
/// and as an agent; task 5, judged by it, is accepted and delivered; task 6 is completed (its
/// client may rate it); task 7 is accepted and funds sub-task 8 for the evaluator party. The
/// agent tops up 12 500 first so that it can take them. Returns the evaluator party.
fn escrow_workflows(w: &mut World) -> Addr {
    let (escrow_addr, agent, pool_addr) = (w.escrow.clone(), w.agent.clone(), w.s.pool.clone());
    let evaluator = w.s.addr("evaluator");
    w.s.fund(&evaluator, EVALUATOR_BOND + MIN_BOND);
    let tags = vec!["code-review".to_string()];
    let register = escrow::ReceiveMsg::RegisterEvaluator {
        name: "evaluator".into(),
        metadata_uri: "ipfs://evaluator".into(),
        capabilities: tags.clone(),
        fee: Uint128::new(EVALUATION_FEE),
    };
    w.s.send(&evaluator, &escrow_addr, EVALUATOR_BOND, &register)
        .unwrap();
    let as_agent = escrow::ReceiveMsg::RegisterAgent {
        name: "evaluator".into(),
        metadata_uri: "ipfs://evaluator".into(),
        models: vec![1],
        capabilities: Some(tags),
    };
    w.s.send(&evaluator, &escrow_addr, MIN_BOND, &as_agent)
        .unwrap();
    w.s.moved(&evaluator, &escrow_addr, EVALUATOR_BOND + MIN_BOND);
    let top_up = escrow::ReceiveMsg::TopUpBond {};
    w.s.send(&agent, &escrow_addr, 12_500, &top_up).unwrap();
    w.s.moved(&agent, &escrow_addr, 12_500);

    let mut judged = w.new_task(&[2_000]);
    judged.evaluator = Some(evaluator.to_string());
    judged.evaluation_window = Some(EVALUATION_WINDOW);
    w.create_with(2_000, judged).unwrap();
    w.exec(&agent, &escrow::ExecuteMsg::AcceptTask { task_id: 5 })
        .unwrap();
    w.submit(5, 0, vec![]).unwrap();
    assert_eq!(w.accepted(&[1_000]), 6);
    w.submit(6, 0, vec![]).unwrap();
    w.approve(6, 0).unwrap();
    w.s.moved(&escrow_addr, &pool_addr, 50);
    w.s.moved(&escrow_addr, &agent, 950);
    assert_eq!(w.accepted(&[4_000]), 7);
    let sub = sub_task_of_7(w, &evaluator, 1_000);
    let delegate = escrow::ExecuteMsg::DelegateTask {
        task_id: 7,
        milestone: 0,
        task: sub,
    };
    w.exec(&agent, &delegate).unwrap();
    assert_eq!(w.task(8).task.parent.map(|p| p.task_id), Some(7));
    evaluator
}

/// A sub-task of `amount` for `agent`, funded by task 7 and due with it.
fn sub_task_of_7(w: &World, agent: &Addr, amount: u128) -> escrow::NewTask {
    let mut sub = w.new_task(&[amount]);
    sub.agent = agent.to_string();
    sub.delivery_deadline = w.task(7).task.delivery_deadline;
    sub
}

// ---------------------------------------------------------------------------------------------
// Valid seed messages, every variant
// ---------------------------------------------------------------------------------------------

/// A valid message, the party that would naturally send it, and the amount it naturally
/// carries (hooks).
#[derive(Clone, Debug)]
struct Seed {
    msg: Value,
    sender: usize,
    amount: u128,
}

fn seed<T: Serialize>(msg: &T, sender: usize) -> Seed {
    Seed {
        msg: serde_json::to_value(msg).unwrap(),
        sender,
        amount: 1,
    }
}

fn hook_seed<T: Serialize>(msg: &T, amount: u128) -> Seed {
    Seed {
        msg: serde_json::to_value(msg).unwrap(),
        sender: PAYER,
        amount,
    }
}

/// `update_ownership` (cw-ownable) in its three actions, for a contract owned by the deployer.
fn ownership_seeds(new_owner: &Addr) -> Vec<Seed> {
    vec![
        Seed {
            msg: json!({"update_ownership": {"transfer_ownership": {
                "new_owner": new_owner.to_string(), "expiry": {"at_height": 1_000_000}}}}),
            sender: DEPLOYER,
            amount: 1,
        },
        Seed {
            msg: json!({"update_ownership": "accept_ownership"}),
            sender: STRANGER,
            amount: 1,
        },
        Seed {
            msg: json!({"update_ownership": "renounce_ownership"}),
            sender: DEPLOYER,
            amount: 1,
        },
    ]
}

fn inference(id: &str) -> ml::InferencePayment {
    ml::InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution: None,
        receipt_signature: None,
        io: None,
    }
}

fn signed_like_inference(id: &str) -> ml::InferencePayment {
    ml::InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution: Some(vec![
            AttributionShare {
                datanet_id: 1,
                weight_bps: 5_000,
            },
            AttributionShare {
                datanet_id: 2,
                weight_bps: 5_000,
            },
        ]),
        receipt_signature: Some(HexBinary::from(vec![7u8; 64])),
        io: None,
    }
}

struct Seeds {
    execute: Vec<Seed>,
    hook: Vec<Seed>,
    query: Vec<Seed>,
    instantiate: Vec<Seed>,
    migrate: Vec<Seed>,
}

impl Seeds {
    fn of(&self, kind: Kind) -> &[Seed] {
        match kind {
            Kind::Execute => &self.execute,
            Kind::HookSend | Kind::HookForged => &self.hook,
            Kind::Query => &self.query,
            Kind::Instantiate => &self.instantiate,
            Kind::Migrate => &self.migrate,
        }
    }
}

/// Addresses the mock dependencies accept.
fn mock_addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

fn seeds(fz: &Fz, c: Contract) -> Seeds {
    let p = &fz.parties;
    let s = |i: usize| p[i].to_string();
    let (registry_addr, pool_addr, models_addr, escrow_addr) = (
        fz.w.s.registry.to_string(),
        fz.w.s.pool.to_string(),
        fz.w.models.to_string(),
        fz.w.escrow.to_string(),
    );
    let hex32 = |n: &str| HexBinary::from(sha(n).to_vec());
    let migrate = vec![seed(&json!({}), DEPLOYER)];
    match c {
        Contract::Token => Seeds {
            execute: vec![
                seed(
                    &open_token::ExecuteMsg::Transfer {
                        recipient: s(CLIENT),
                        amount: Uint128::new(1),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::Burn {
                        amount: Uint128::new(1),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::Send {
                        contract: escrow_addr.clone(),
                        amount: Uint128::new(1),
                        msg: to_json_binary(&escrow::ReceiveMsg::TopUpBond {}).unwrap(),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::IncreaseAllowance {
                        spender: s(ARBITER),
                        amount: Uint128::new(10),
                        expires: Some(openledger_common::ownership::Expiration::AtHeight(
                            1_000_000,
                        )),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::DecreaseAllowance {
                        spender: s(ARBITER),
                        amount: Uint128::new(10),
                        expires: None,
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::TransferFrom {
                        owner: s(CLIENT),
                        recipient: s(STRANGER),
                        amount: Uint128::new(1),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::SendFrom {
                        owner: s(CLIENT),
                        contract: pool_addr.clone(),
                        amount: Uint128::new(1),
                        msg: to_json_binary(&pool::ReceiveMsg::Stake {}).unwrap(),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::BurnFrom {
                        owner: s(CLIENT),
                        amount: Uint128::new(1),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::Mint {
                        recipient: s(STRANGER),
                        amount: Uint128::new(1),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::UpdateMinter {
                        new_minter: Some(s(STRANGER)),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::UpdateMarketing {
                        project: Some("https://openledger.example".into()),
                        description: Some("OPEN".into()),
                        marketing: Some(s(STRANGER)),
                    },
                    STRANGER,
                ),
                seed(
                    &open_token::ExecuteMsg::UploadLogo(Logo::Url(
                        "https://openledger.example/logo.png".into(),
                    )),
                    STRANGER,
                ),
            ],
            hook: vec![],
            query: vec![
                seed(&open_token::QueryMsg::Balance { address: s(CLIENT) }, 0),
                seed(&open_token::QueryMsg::TokenInfo {}, 0),
                seed(&open_token::QueryMsg::Minter {}, 0),
                seed(
                    &open_token::QueryMsg::Allowance {
                        owner: s(CLIENT),
                        spender: s(AGENT),
                    },
                    0,
                ),
                seed(
                    &open_token::QueryMsg::AllAllowances {
                        owner: s(CLIENT),
                        start_after: Some(s(AGENT)),
                        limit: Some(10),
                    },
                    0,
                ),
                seed(
                    &open_token::QueryMsg::AllSpenderAllowances {
                        spender: s(AGENT),
                        start_after: None,
                        limit: Some(30),
                    },
                    0,
                ),
                seed(
                    &open_token::QueryMsg::AllAccounts {
                        start_after: Some(s(CLIENT)),
                        limit: Some(30),
                    },
                    0,
                ),
                seed(&open_token::QueryMsg::MarketingInfo {}, 0),
                seed(&open_token::QueryMsg::DownloadLogo {}, 0),
            ],
            instantiate: vec![
                seed(
                    &open_token::InstantiateMsg {
                        name: "OpenLedger".into(),
                        symbol: "OPEN".into(),
                        decimals: 6,
                        initial_balances: vec![
                            Cw20Coin {
                                address: mock_addr("alice").to_string(),
                                amount: Uint128::new(1_000),
                            },
                            Cw20Coin {
                                address: mock_addr("bob").to_string(),
                                amount: Uint128::new(1),
                            },
                        ],
                        mint: Some(MinterResponse {
                            minter: mock_addr("minter").to_string(),
                            cap: Some(Uint128::new(1_000_000)),
                        }),
                        marketing: None,
                    },
                    DEPLOYER,
                ),
                seed(
                    &json!({"name": "OpenLedger", "symbol": "OPEN", "decimals": 6,
                        "initial_balances": [{"address": mock_addr("alice").to_string(), "amount": "5"}],
                        "mint": null,
                        "marketing": {"project": "https://openledger.example", "description": "OPEN",
                            "marketing": mock_addr("marketing").to_string(),
                            "logo": {"url": "https://openledger.example/logo.png"}}}),
                    DEPLOYER,
                ),
            ],
            migrate,
        },
        Contract::Registry => {
            let new_datanet = registry::NewDatanet {
                name: "fuzzed".into(),
                description: "a datanet".into(),
                metadata_uri: "ipfs://fuzzed".into(),
                curators: vec![s(CONTRIBUTOR), s(ARBITER)],
                policy: registry::ContributionPolicy::Allowlist,
                contribution_bond: Uint128::new(10),
                attribution_mode: registry::AttributionMode::Weight,
            };
            let contribution = |datanet_id: u64, seed: &str| registry::NewContribution {
                datanet_id,
                data_hash: data_hash(seed),
                uri: "ipfs://data".into(),
                size_bytes: 1_024,
                license_note: Some("cc-by".into()),
            };
            let receive = registry::ExecuteMsg::Receive(Cw20ReceiveMsg {
                sender: s(PAYER),
                amount: Uint128::new(DATANET_BOND),
                msg: to_json_binary(&registry::ReceiveMsg::Contribute(contribution(4, "r")))
                    .unwrap(),
            });
            let mut execute = vec![
                seed(&receive, PAYER),
                seed(
                    &registry::ExecuteMsg::CreateDatanet(new_datanet.clone()),
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::UpdateDatanet {
                        datanet_id: 1,
                        description: Some("updated".into()),
                        metadata_uri: Some("ipfs://updated".into()),
                        policy: Some(registry::ContributionPolicy::Allowlist),
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::UpdateCurators {
                        datanet_id: 1,
                        add: vec![s(ARBITER), s(STRANGER)],
                        remove: vec![s(CLIENT)],
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::UpdateAllowlist {
                        datanet_id: 2,
                        add: vec![s(STRANGER), s(CONTRIBUTOR)],
                        remove: vec![s(AGENT)],
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::CloseDatanet { datanet_id: 2 },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::TransferDatanet {
                        datanet_id: 1,
                        new_owner: s(STRANGER),
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::AcceptDatanet { datanet_id: 1 },
                    STRANGER,
                ),
                seed(
                    &registry::ExecuteMsg::Contribute(contribution(1, "fresh")),
                    CONTRIBUTOR,
                ),
                seed(
                    &registry::ExecuteMsg::WithdrawContribution { contribution_id: 3 },
                    CONTRIBUTOR,
                ),
                seed(
                    &registry::ExecuteMsg::ReviewContributions {
                        datanet_id: 1,
                        decisions: vec![
                            registry::ReviewDecision::Accept {
                                contribution_id: 3,
                                weight: 10,
                            },
                            registry::ReviewDecision::Reject {
                                contribution_id: 1,
                                reason: "duplicate".into(),
                            },
                        ],
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::RemoveContribution {
                        contribution_id: 1,
                        reason: "poisoned".into(),
                    },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::PublishVersion { datanet_id: 1 },
                    DATANET_OWNER,
                ),
                seed(
                    &registry::ExecuteMsg::BackfillVersionTree {
                        datanet_id: 1,
                        limit: Some(10),
                    },
                    STRANGER,
                ),
                seed(
                    &registry::ExecuteMsg::CommitContribution {
                        datanet_id: 1,
                        commitment: registry::contribution_commitment(
                            &data_hash("committed"),
                            &s(CONTRIBUTOR),
                        ),
                    },
                    CONTRIBUTOR,
                ),
                seed(
                    &registry::ExecuteMsg::RevealContribution(contribution(1, "committed")),
                    CONTRIBUTOR,
                ),
                seed(&registry::ExecuteMsg::WithdrawBonds {}, CONTRIBUTOR),
                seed(
                    &registry::ExecuteMsg::UpdateConfig {
                        creation_fee: Some(Uint128::new(100)),
                        reward_pool: Some(pool_addr.clone()),
                    },
                    DEPLOYER,
                ),
            ];
            execute.extend(ownership_seeds(&p[STRANGER]));
            Seeds {
                execute,
                hook: vec![
                    hook_seed(&registry::ReceiveMsg::CreateDatanet(new_datanet), 1),
                    hook_seed(
                        &registry::ReceiveMsg::Contribute(contribution(4, "hooked")),
                        DATANET_BOND,
                    ),
                    hook_seed(
                        &registry::ReceiveMsg::RevealContribution(contribution(4, "revealed")),
                        DATANET_BOND,
                    ),
                ],
                query: vec![
                    seed(&registry::QueryMsg::Config {}, 0),
                    seed(&registry::QueryMsg::Datanet { datanet_id: 1 }, 0),
                    seed(
                        &registry::QueryMsg::Datanets {
                            owner: Some(s(DATANET_OWNER)),
                            start_after: Some(1),
                            limit: Some(10),
                        },
                        0,
                    ),
                    seed(&registry::QueryMsg::Contribution { contribution_id: 3 }, 0),
                    seed(
                        &registry::QueryMsg::ContributionsByDatanet {
                            datanet_id: 1,
                            status: registry::ContributionStatus::Pending,
                            start_after: None,
                            limit: Some(50),
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::ContributionsByContributor {
                            contributor: s(CONTRIBUTOR),
                            start_after: Some(1),
                            limit: None,
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::Contributor {
                            datanet_id: 1,
                            address: s(CONTRIBUTOR),
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::IsAllowed {
                            datanet_id: 2,
                            address: s(STRANGER),
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::Version {
                            datanet_id: 1,
                            version: 1,
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::ContributionProof {
                            contribution_id: 3,
                            version: 1,
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::Versions {
                            datanet_id: 2,
                            start_after: None,
                            limit: Some(5),
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::WithdrawableBonds {
                            address: s(CONTRIBUTOR),
                        },
                        0,
                    ),
                    seed(&registry::QueryMsg::Solvency {}, 0),
                    seed(
                        &registry::QueryMsg::Commitment {
                            datanet_id: 1,
                            contributor: s(CONTRIBUTOR),
                            commitment: registry::contribution_commitment(
                                &data_hash("committed"),
                                &s(CONTRIBUTOR),
                            ),
                        },
                        0,
                    ),
                    seed(
                        &registry::QueryMsg::Commitments {
                            datanet_id: 1,
                            contributor: s(CONTRIBUTOR),
                            start_after: None,
                            limit: Some(10),
                        },
                        0,
                    ),
                    seed(&json!({"ownership": {}}), 0),
                ],
                instantiate: vec![seed(
                    &registry::InstantiateMsg {
                        owner: Some(mock_addr("owner").to_string()),
                        token: mock_addr("token").to_string(),
                        reward_pool: mock_addr("pool").to_string(),
                        creation_fee: Uint128::new(100),
                    },
                    DEPLOYER,
                )],
                migrate,
            }
        }
        Contract::Pool => {
            let (amount, proof) = fz.tree1.proof(p[CONTRIBUTOR].as_str());
            let mut execute = vec![
                seed(
                    &pool::ExecuteMsg::Receive(Cw20ReceiveMsg {
                        sender: s(PAYER),
                        amount: Uint128::new(100),
                        msg: to_json_binary(&pool::ReceiveMsg::Stake {}).unwrap(),
                    }),
                    PAYER,
                ),
                seed(
                    &pool::ExecuteMsg::RegisterDatanet {
                        datanet_id: 9,
                        mode: pool::AttributionMode::Influence,
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::UpdateWeights {
                        datanet_id: 1,
                        updates: vec![
                            pool::WeightUpdate {
                                address: s(CONTRIBUTOR),
                                weight: 50,
                            },
                            pool::WeightUpdate {
                                address: s(STRANGER),
                                weight: 7,
                            },
                        ],
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::Claim {
                        datanet_ids: Some(vec![1, 2]),
                    },
                    CONTRIBUTOR,
                ),
                seed(
                    &pool::ExecuteMsg::ClaimRanges {
                        datanet_id: 1,
                        start_after: Some(1),
                        limit: Some(5),
                    },
                    CONTRIBUTOR,
                ),
                seed(
                    &pool::ExecuteMsg::PublishVersion {
                        datanet_id: 1,
                        version: 2,
                        total_weight: 10,
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::SetCurators {
                        datanet_id: 1,
                        curators: vec![s(CLIENT), s(PAYER)],
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::Unstake {
                        amount: Uint128::new(100),
                    },
                    PAYER,
                ),
                seed(&pool::ExecuteMsg::WithdrawUnbonded {}, PAYER),
                seed(&pool::ExecuteMsg::ClaimStakingRewards {}, PAYER),
                seed(
                    &pool::ExecuteMsg::WithdrawTreasury {
                        amount: Uint128::new(10),
                        recipient: Some(s(CLIENT)),
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::UpdateConfig {
                        registry: Some(registry_addr.clone()),
                        unbonding_period: Some(3_600),
                        staking_reward_period: None,
                        curators_bps: None,
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::UpdateAttributionConfig {
                        challenge_window: Some(7_200),
                        attestor_bond: Some(Uint128::new(2_000_000)),
                        challenge_bond: Some(Uint128::new(10)),
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::UpdateAttestors {
                        add: vec![s(STRANGER)],
                        remove: vec![s(ATTESTOR)],
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::PostAttributionRoot {
                        datanet_id: 3,
                        epoch: 3,
                        root: hex32("root-3"),
                        cumulative_total: Uint128::new(9_000),
                        version: None,
                    },
                    ATTESTOR,
                ),
                seed(
                    &pool::ExecuteMsg::ChallengeRoot {
                        datanet_id: 3,
                        epoch: 2,
                    },
                    STRANGER,
                ),
                seed(
                    &pool::ExecuteMsg::ResolveChallenge {
                        datanet_id: 3,
                        epoch: 2,
                        void: true,
                    },
                    DEPLOYER,
                ),
                seed(
                    &pool::ExecuteMsg::WithdrawChallenge { datanet_id: 3 },
                    STRANGER,
                ),
                seed(
                    &pool::ExecuteMsg::ClaimAttribution {
                        datanet_id: 3,
                        epoch: 1,
                        cumulative_amount: Uint128::new(amount),
                        proof: proof.clone(),
                    },
                    CONTRIBUTOR,
                ),
            ];
            execute.extend(ownership_seeds(&p[STRANGER]));
            Seeds {
                execute,
                hook: vec![
                    hook_seed(
                        &pool::ReceiveMsg::Distribute {
                            allocations: vec![
                                pool::Allocation::Datanet {
                                    id: 1,
                                    amount: Uint128::new(100),
                                    version: None,
                                },
                                pool::Allocation::Datanet {
                                    id: 3,
                                    amount: Uint128::new(40),
                                    version: None,
                                },
                                pool::Allocation::Stakers {
                                    amount: Uint128::new(50),
                                },
                                pool::Allocation::Treasury {
                                    amount: Uint128::new(10),
                                },
                            ],
                        },
                        200,
                    ),
                    hook_seed(&pool::ReceiveMsg::Stake {}, 100),
                    hook_seed(&pool::ReceiveMsg::BondAttestor {}, 100),
                    hook_seed(
                        &pool::ReceiveMsg::ChallengeRoot {
                            datanet_id: 3,
                            epoch: 2,
                        },
                        pool::DEFAULT_CHALLENGE_BOND.u128(),
                    ),
                ],
                query: vec![
                    seed(&pool::QueryMsg::Config {}, 0),
                    seed(
                        &pool::QueryMsg::PendingRewards {
                            address: s(CONTRIBUTOR),
                            datanet_ids: Some(vec![1, 2, 3]),
                            start_after: None,
                            limit: None,
                        },
                        0,
                    ),
                    seed(&pool::QueryMsg::DatanetPool { datanet_id: 1 }, 0),
                    seed(
                        &pool::QueryMsg::Earnings {
                            address: s(CONTRIBUTOR),
                            start_after_range: Some(pool::RangeKey {
                                datanet_id: 1,
                                from_version: 1,
                            }),
                            start_after_source: Some(pool::EarningSource::ModelOwner {
                                model_id: 1,
                            }),
                            limit: Some(5),
                        },
                        0,
                    ),
                    seed(
                        &pool::QueryMsg::Ranges {
                            datanet_id: 1,
                            address: s(CONTRIBUTOR),
                            start_after: None,
                            limit: Some(5),
                        },
                        0,
                    ),
                    seed(&pool::QueryMsg::Curators { datanet_id: 1 }, 0),
                    seed(
                        &pool::QueryMsg::Position {
                            datanet_id: 1,
                            address: s(CONTRIBUTOR),
                        },
                        0,
                    ),
                    seed(&pool::QueryMsg::Staker { address: s(PAYER) }, 0),
                    seed(&pool::QueryMsg::StakingPool {}, 0),
                    seed(&pool::QueryMsg::Solvency {}, 0),
                    seed(&pool::QueryMsg::AttributionRoot { datanet_id: 3 }, 0),
                    seed(
                        &pool::QueryMsg::Claimed {
                            datanet_id: 3,
                            address: s(CONTRIBUTOR),
                        },
                        0,
                    ),
                    seed(
                        &pool::QueryMsg::AttributionClaimable {
                            datanet_id: 3,
                            address: s(CONTRIBUTOR),
                            cumulative_amount: Uint128::new(amount),
                            proof,
                        },
                        0,
                    ),
                    seed(
                        &pool::QueryMsg::Attestors {
                            start_after: None,
                            limit: Some(50),
                        },
                        0,
                    ),
                    seed(
                        &pool::QueryMsg::Attestor {
                            address: s(ATTESTOR),
                        },
                        0,
                    ),
                    seed(
                        &pool::QueryMsg::Challenge {
                            datanet_id: 3,
                            address: s(STRANGER),
                        },
                        0,
                    ),
                    seed(&json!({"ownership": {}}), 0),
                ],
                instantiate: vec![seed(
                    &pool::InstantiateMsg {
                        owner: None,
                        token: mock_addr("token").to_string(),
                        registry: Some(mock_addr("registry").to_string()),
                        unbonding_period: 3_600,
                        curators_bps: None,
                    },
                    DEPLOYER,
                )],
                migrate,
            }
        }
        Contract::Models => {
            let new_model = ml::NewModel {
                name: "fuzzed".into(),
                parents: vec![],
                metadata_uri: "ipfs://fuzzed-model".into(),
                weights_hash: data_hash("fuzzed-weights"),
                base_model: Some("llama".into()),
                lineage: vec![
                    ml::LineageEntry {
                        datanet_id: 1,
                        version: 1,
                        weight_bps: 7_000,
                    },
                    ml::LineageEntry {
                        datanet_id: 2,
                        version: 1,
                        weight_bps: 3_000,
                    },
                ],
                inference_fee: Uint128::new(10),
                tiers: vec![tier()],
                hosts: vec![ml::Host {
                    address: s(STRANGER),
                    pubkey: fz.w.host.pubkey(),
                }],
            };
            let mut execute = vec![
                seed(
                    &ml::ExecuteMsg::Receive(Cw20ReceiveMsg {
                        sender: s(PAYER),
                        amount: Uint128::new(MODEL_FEE),
                        msg: to_json_binary(&ml::ReceiveMsg::PayInference(inference("r"))).unwrap(),
                    }),
                    PAYER,
                ),
                seed(&ml::ExecuteMsg::RegisterModel(new_model), MODEL_OWNER),
                seed(
                    &ml::ExecuteMsg::UpdateModel {
                        model_id: 1,
                        metadata_uri: Some("ipfs://v2".into()),
                        inference_fee: Some(Uint128::new(2_000)),
                        tiers: Some(vec![tier()]),
                        hosts: Some(vec![ml::Host {
                            address: s(ARBITER),
                            pubkey: fz.w.host.pubkey(),
                        }]),
                    },
                    MODEL_OWNER,
                ),
                seed(
                    &ml::ExecuteMsg::SetModelStatus {
                        model_id: 1,
                        status: ml::ModelStatus::Paused,
                    },
                    MODEL_OWNER,
                ),
                seed(
                    &ml::ExecuteMsg::TransferModel {
                        model_id: 1,
                        new_owner: s(STRANGER),
                    },
                    MODEL_OWNER,
                ),
                seed(&ml::ExecuteMsg::AcceptModel { model_id: 1 }, STRANGER),
                seed(
                    &ml::ExecuteMsg::RecordLicensedInference {
                        model_id: 1,
                        inference_id: "licensed-1".into(),
                    },
                    CLIENT,
                ),
                seed(&ml::ExecuteMsg::WithdrawEarnings {}, MODEL_OWNER),
                seed(
                    &ml::ExecuteMsg::UpdateConfig {
                        fee_split: Some(FeeSplit {
                            datanets_bps: 4_000,
                            model_owner_bps: 3_000,
                            hosts_bps: 0,
                            stakers_bps: 2_000,
                            treasury_bps: 1_000,
                        }),
                        reward_pool: Some(pool_addr.clone()),
                        registry: Some(registry_addr.clone()),
                    },
                    DEPLOYER,
                ),
            ];
            execute.extend(ownership_seeds(&p[STRANGER]));
            Seeds {
                execute,
                hook: vec![
                    hook_seed(
                        &ml::ReceiveMsg::PurchaseLicense {
                            model_id: 1,
                            tier_id: 1,
                            terms: tier().terms(),
                        },
                        TIER_PRICE,
                    ),
                    hook_seed(&ml::ReceiveMsg::PayInference(inference("pay-1")), MODEL_FEE),
                    hook_seed(
                        &ml::ReceiveMsg::PayInferences {
                            items: vec![inference("pay-2"), signed_like_inference("pay-3")],
                        },
                        2 * MODEL_FEE,
                    ),
                ],
                query: vec![
                    seed(&ml::QueryMsg::Config {}, 0),
                    seed(&ml::QueryMsg::Model { model_id: 1 }, 0),
                    seed(
                        &ml::QueryMsg::Models {
                            owner: Some(s(MODEL_OWNER)),
                            datanet_id: None,
                            start_after: None,
                            limit: Some(5),
                        },
                        0,
                    ),
                    seed(
                        &ml::QueryMsg::License {
                            model_id: 1,
                            licensee: s(CLIENT),
                        },
                        0,
                    ),
                    seed(
                        &ml::QueryMsg::Licenses {
                            licensee: s(CLIENT),
                            start_after: Some(0),
                            limit: Some(10),
                        },
                        0,
                    ),
                    seed(&ml::QueryMsg::ModelStats { model_id: 1 }, 0),
                    seed(&ml::QueryMsg::ModelAncestry { model_id: 1 }, 0),
                    seed(
                        &ml::QueryMsg::Inference {
                            model_id: 1,
                            payer: escrow_addr.clone(),
                            inference_id: "world-2".into(),
                        },
                        0,
                    ),
                    seed(
                        &ml::QueryMsg::FeeQuote {
                            model_id: 1,
                            attribution: signed_like_inference("q").attribution,
                        },
                        0,
                    ),
                    seed(
                        &ml::QueryMsg::Earnings {
                            address: s(MODEL_OWNER),
                        },
                        0,
                    ),
                    seed(&ml::QueryMsg::Solvency {}, 0),
                    seed(&json!({"ownership": {}}), 0),
                ],
                instantiate: vec![
                    seed(
                        &ml::InstantiateMsg {
                            owner: None,
                            token: mock_addr("token").to_string(),
                            registry: mock_addr("registry").to_string(),
                            reward_pool: mock_addr("pool").to_string(),
                            fee_split: None,
                        },
                        DEPLOYER,
                    ),
                    seed(
                        &ml::InstantiateMsg {
                            owner: Some(mock_addr("owner").to_string()),
                            token: mock_addr("token").to_string(),
                            registry: mock_addr("registry").to_string(),
                            reward_pool: mock_addr("pool").to_string(),
                            fee_split: Some(FeeSplit {
                                datanets_bps: 5_000,
                                model_owner_bps: 2_500,
                                hosts_bps: 0,
                                stakers_bps: 2_000,
                                treasury_bps: 500,
                            }),
                        },
                        DEPLOYER,
                    ),
                ],
                migrate,
            }
        }
        Contract::Escrow => {
            let task = fz.w.new_task(&[1_000, 2_000]);
            let mut execute = vec![
                seed(
                    &escrow::ExecuteMsg::Receive(Cw20ReceiveMsg {
                        sender: s(PAYER),
                        amount: Uint128::new(100),
                        msg: to_json_binary(&escrow::ReceiveMsg::TopUpBond {}).unwrap(),
                    }),
                    PAYER,
                ),
                seed(&escrow::ExecuteMsg::AcceptTask { task_id: 1 }, AGENT),
                seed(&escrow::ExecuteMsg::DeclineTask { task_id: 1 }, AGENT),
                seed(&escrow::ExecuteMsg::CancelTask { task_id: 1 }, CLIENT),
                seed(
                    &escrow::ExecuteMsg::SubmitMilestone {
                        task_id: 4,
                        milestone: 0,
                        result_hash: data_hash("result"),
                        result_uri: "ipfs://result".into(),
                        inferences: vec![inference("escrow-1"), signed_like_inference("escrow-2")],
                        input_hash: Some(data_hash("input")),
                    },
                    AGENT,
                ),
                seed(
                    &escrow::ExecuteMsg::ApproveMilestone {
                        task_id: 2,
                        milestone: 0,
                    },
                    CLIENT,
                ),
                seed(
                    &escrow::ExecuteMsg::DisputeMilestone {
                        task_id: 2,
                        milestone: 0,
                        reason: "incomplete".into(),
                    },
                    CLIENT,
                ),
                seed(
                    &escrow::ExecuteMsg::Resolve {
                        task_id: 3,
                        milestone: 0,
                        agent_share_bps: 5_000,
                    },
                    ARBITER,
                ),
                seed(
                    &escrow::ExecuteMsg::Finalize {
                        task_id: 2,
                        milestone: 0,
                    },
                    STRANGER,
                ),
                seed(&escrow::ExecuteMsg::Refund { task_id: 1 }, STRANGER),
                seed(
                    &escrow::ExecuteMsg::UpdateAgent {
                        name: Some("renamed".into()),
                        metadata_uri: Some("ipfs://renamed".into()),
                        models: Some(vec![1]),
                        capabilities: Some(vec!["code-review".into()]),
                    },
                    AGENT,
                ),
                seed(&escrow::ExecuteMsg::Unbond {}, AGENT),
                seed(&escrow::ExecuteMsg::WithdrawBond {}, AGENT),
                seed(
                    &escrow::ExecuteMsg::UpdateConfig {
                        model_licensing: Some(models_addr.clone()),
                        reward_pool: Some(pool_addr.clone()),
                        min_agent_bond: Some(Uint128::new(1)),
                        protocol_fee_bps: Some(100),
                        default_arbiter: Some(s(STRANGER)),
                        arbitration_window: Some(3_600),
                        unbonding_period: Some(0),
                        slash_bps: Some(10_000),
                    },
                    DEPLOYER,
                ),
            ];
            execute.extend(escrow_workflow_seeds(fz));
            execute.extend(ownership_seeds(&p[STRANGER]));
            let mut arbitrated = task.clone();
            arbitrated.arbiter = Some(s(ARBITER));
            let mut judged = task.clone();
            judged.evaluator = Some(s(EVALUATOR));
            judged.evaluation_window = Some(EVALUATION_WINDOW);
            Seeds {
                execute,
                hook: vec![
                    hook_seed(
                        &escrow::ReceiveMsg::RegisterAgent {
                            name: "payer-agent".into(),
                            metadata_uri: "ipfs://payer".into(),
                            models: vec![1],
                            capabilities: Some(vec!["code-review".into()]),
                        },
                        MIN_BOND,
                    ),
                    hook_seed(&escrow::ReceiveMsg::TopUpBond {}, 100),
                    hook_seed(&escrow::ReceiveMsg::CreateTask(task), 3_000),
                    hook_seed(&escrow::ReceiveMsg::CreateTask(arbitrated), 3_000),
                    hook_seed(&escrow::ReceiveMsg::CreateTask(judged), 3_000),
                    hook_seed(
                        &escrow::ReceiveMsg::RegisterEvaluator {
                            name: "payer-evaluator".into(),
                            metadata_uri: "ipfs://payer-evaluator".into(),
                            capabilities: vec!["code-review".into(), "translation".into()],
                            fee: Uint128::new(EVALUATION_FEE),
                        },
                        MIN_BOND,
                    ),
                    hook_seed(&escrow::ReceiveMsg::TopUpEvaluatorBond {}, 100),
                ],
                query: vec![
                    seed(&escrow::QueryMsg::Config {}, 0),
                    seed(&escrow::QueryMsg::Agent { address: s(AGENT) }, 0),
                    seed(
                        &escrow::QueryMsg::Agents {
                            start_after: None,
                            limit: Some(50),
                        },
                        0,
                    ),
                    seed(&escrow::QueryMsg::Task { task_id: 3 }, 0),
                    seed(
                        &escrow::QueryMsg::TasksByClient {
                            client: s(CLIENT),
                            start_after: Some(1),
                            limit: Some(10),
                        },
                        0,
                    ),
                    seed(
                        &escrow::QueryMsg::TasksByAgent {
                            agent: s(AGENT),
                            start_after: None,
                            limit: None,
                        },
                        0,
                    ),
                    seed(
                        &escrow::QueryMsg::TasksByStatus {
                            status: escrow::TaskStatus::InProgress,
                            start_after: None,
                            limit: Some(3),
                        },
                        0,
                    ),
                    seed(&escrow::QueryMsg::Solvency {}, 0),
                    seed(
                        &escrow::QueryMsg::Evaluator {
                            address: s(EVALUATOR),
                        },
                        0,
                    ),
                    seed(
                        &escrow::QueryMsg::Evaluators {
                            start_after: None,
                            limit: Some(50),
                        },
                        0,
                    ),
                    seed(&escrow::QueryMsg::Reputation { address: s(AGENT) }, 0),
                    seed(
                        &escrow::QueryMsg::AgentsByCapability {
                            capability: "code-review".into(),
                            start_after: Some(s(AGENT)),
                            limit: Some(5),
                        },
                        0,
                    ),
                    seed(
                        &escrow::QueryMsg::EvaluatorsByCapability {
                            capability: "code-review".into(),
                            start_after: None,
                            limit: None,
                        },
                        0,
                    ),
                    seed(
                        &escrow::QueryMsg::Workflow {
                            task_id: 8,
                            start_after: None,
                            limit: Some(10),
                        },
                        0,
                    ),
                    seed(&escrow::QueryMsg::Feedback { task_id: 6 }, 0),
                    seed(&json!({"ownership": {}}), 0),
                ],
                instantiate: vec![seed(
                    &escrow::InstantiateMsg {
                        owner: None,
                        token: mock_addr("token").to_string(),
                        model_licensing: mock_addr("models").to_string(),
                        reward_pool: mock_addr("pool").to_string(),
                        min_agent_bond: Uint128::new(MIN_BOND),
                        protocol_fee_bps: 500,
                        default_arbiter: mock_addr("arbiter").to_string(),
                        arbitration_window: 3_600,
                        unbonding_period: 3_600,
                        slash_bps: 5_000,
                    },
                    DEPLOYER,
                )],
                migrate,
            }
        }
    }
}

/// Seeds of the escrow's workflow messages, against the tasks `escrow_workflows` made.
fn escrow_workflow_seeds(fz: &Fz) -> Vec<Seed> {
    let evaluator = &fz.parties[EVALUATOR];
    vec![
        seed(
            &escrow::ExecuteMsg::DelegateTask {
                task_id: 7,
                milestone: 0,
                task: sub_task_of_7(&fz.w, evaluator, 500),
            },
            AGENT,
        ),
        seed(&escrow::ExecuteMsg::AcceptTask { task_id: 8 }, EVALUATOR),
        seed(
            &escrow::ExecuteMsg::EvaluateMilestone {
                task_id: 5,
                milestone: 0,
                result_hash: data_hash("result-5-0"),
                approve: true,
                reason_hash: data_hash("reasons"),
            },
            EVALUATOR,
        ),
        seed(
            &escrow::ExecuteMsg::Escalate {
                task_id: 5,
                milestone: 0,
            },
            STRANGER,
        ),
        seed(
            &escrow::ExecuteMsg::ResignOversight { task_id: 5 },
            EVALUATOR,
        ),
        seed(
            &escrow::ExecuteMsg::GiveFeedback {
                task_id: 6,
                subject: escrow::FeedbackSubject::Agent,
                rating: 90,
                tag: "on-time".into(),
            },
            CLIENT,
        ),
        seed(
            &escrow::ExecuteMsg::UpdateEvaluator {
                name: Some("renamed".into()),
                metadata_uri: Some("ipfs://renamed".into()),
                capabilities: Some(vec!["translation".into()]),
                fee: Some(Uint128::new(1)),
            },
            EVALUATOR,
        ),
        seed(&escrow::ExecuteMsg::UnbondEvaluator {}, EVALUATOR),
        seed(&escrow::ExecuteMsg::WithdrawEvaluatorBond {}, EVALUATOR),
    ]
}

fn sha(s: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(s.as_bytes()).into()
}

// ---------------------------------------------------------------------------------------------
// Parsers, exactly as the entry points run them
// ---------------------------------------------------------------------------------------------

fn parses_as<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    from_json::<T>(bytes).is_ok()
}

/// Whether the parser of `kind` of `c` accepts `bytes`.
fn parses(c: Contract, kind: Kind, bytes: &[u8]) -> bool {
    use Contract::*;
    match (kind, c) {
        (Kind::Execute, Token) => parses_as::<open_token::ExecuteMsg>(bytes),
        (Kind::Execute, Registry) => parses_as::<registry::ExecuteMsg>(bytes),
        (Kind::Execute, Pool) => parses_as::<pool::ExecuteMsg>(bytes),
        (Kind::Execute, Models) => parses_as::<ml::ExecuteMsg>(bytes),
        (Kind::Execute, Escrow) => parses_as::<escrow::ExecuteMsg>(bytes),
        (Kind::HookSend | Kind::HookForged, Token) => false,
        (Kind::HookSend | Kind::HookForged, Registry) => parses_as::<registry::ReceiveMsg>(bytes),
        (Kind::HookSend | Kind::HookForged, Pool) => parses_as::<pool::ReceiveMsg>(bytes),
        (Kind::HookSend | Kind::HookForged, Models) => parses_as::<ml::ReceiveMsg>(bytes),
        (Kind::HookSend | Kind::HookForged, Escrow) => parses_as::<escrow::ReceiveMsg>(bytes),
        (Kind::Query, Token) => parses_as::<open_token::QueryMsg>(bytes),
        (Kind::Query, Registry) => parses_as::<registry::QueryMsg>(bytes),
        (Kind::Query, Pool) => parses_as::<pool::QueryMsg>(bytes),
        (Kind::Query, Models) => parses_as::<ml::QueryMsg>(bytes),
        (Kind::Query, Escrow) => parses_as::<escrow::QueryMsg>(bytes),
        (Kind::Instantiate, Token) => parses_as::<open_token::InstantiateMsg>(bytes),
        (Kind::Instantiate, Registry) => parses_as::<registry::InstantiateMsg>(bytes),
        (Kind::Instantiate, Pool) => parses_as::<pool::InstantiateMsg>(bytes),
        (Kind::Instantiate, Models) => parses_as::<ml::InstantiateMsg>(bytes),
        (Kind::Instantiate, Escrow) => parses_as::<escrow::InstantiateMsg>(bytes),
        (Kind::Migrate, Token) => parses_as::<open_token::contract::MigrateMsg>(bytes),
        (Kind::Migrate, Registry) => parses_as::<registry::MigrateMsg>(bytes),
        (Kind::Migrate, Pool) => parses_as::<pool::MigrateMsg>(bytes),
        (Kind::Migrate, Models) => parses_as::<ml::MigrateMsg>(bytes),
        (Kind::Migrate, Escrow) => parses_as::<escrow::MigrateMsg>(bytes),
    }
}

/// Whether `err` is the contract's refusal of a `receive` that did not come from its token.
fn is_unexpected_token(c: Contract, err: &anyhow::Error) -> bool {
    fn hook(e: &HookError) -> bool {
        matches!(e, HookError::UnexpectedToken { .. })
    }
    match c {
        Contract::Token => false,
        Contract::Registry => matches!(
            err.downcast_ref::<datanet_registry::ContractError>(),
            Some(datanet_registry::ContractError::Hook(e)) if hook(e)
        ),
        Contract::Pool => matches!(
            err.downcast_ref::<reward_pool::ContractError>(),
            Some(reward_pool::ContractError::Hook(e)) if hook(e)
        ),
        Contract::Models => matches!(
            err.downcast_ref::<model_licensing::ContractError>(),
            Some(model_licensing::ContractError::Hook(e)) if hook(e)
        ),
        Contract::Escrow => matches!(
            err.downcast_ref::<agent_escrow::ContractError>(),
            Some(agent_escrow::ContractError::Hook(e)) if hook(e)
        ),
    }
}

/// A `receive` of `c` forged by a wallet: the hook bytes wrapped as the token would wrap them.
fn forged_receive(c: Contract, sender: &Addr, amount: u128, bytes: &[u8]) -> Binary {
    let wrapper = Cw20ReceiveMsg {
        sender: sender.to_string(),
        amount: Uint128::new(amount),
        msg: Binary::new(bytes.to_vec()),
    };
    match c {
        Contract::Token => unreachable!("OPEN takes no hook"),
        Contract::Registry => to_json_binary(&registry::ExecuteMsg::Receive(wrapper)),
        Contract::Pool => to_json_binary(&pool::ExecuteMsg::Receive(wrapper)),
        Contract::Models => to_json_binary(&ml::ExecuteMsg::Receive(wrapper)),
        Contract::Escrow => to_json_binary(&escrow::ExecuteMsg::Receive(wrapper)),
    }
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Mock targets: instantiate and migrate
// ---------------------------------------------------------------------------------------------

type Entry<M, E> = fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>;
type MigrateEntry<M, E> = fn(DepsMut, Env, M) -> Result<Response, E>;

/// Result of one call: `None` when the parser refused the bytes, else whether the handler
/// succeeded.
type Outcome = Option<bool>;

fn run_instantiate<M: DeserializeOwned, E>(
    bytes: &[u8],
    sender: u8,
    entry: Entry<M, E>,
) -> Outcome {
    let msg = from_json::<M>(bytes).ok()?;
    let mut deps = mock_dependencies();
    let sender = mock_addr(["deployer", "owner", "stranger"][usize::from(sender) % 3]);
    Some(entry(deps.as_mut(), mock_env(), message_info(&sender, &[]), msg).is_ok())
}

/// The stored cw2 record the migration starts from, by `state`: as instantiated, an older
/// version, a newer one, another contract, an invalid version, or none at all.
fn cw2_record(name: &str, state: u8) -> Option<Option<Value>> {
    match state % 6 {
        0 => None,
        1 => Some(Some(json!({"contract": name, "version": "0.0.1"}))),
        2 => Some(Some(json!({"contract": name, "version": "99.0.0"}))),
        3 => Some(Some(
            json!({"contract": "crates.io:other", "version": "0.0.1"}),
        )),
        4 => Some(Some(json!({"contract": name, "version": "not-a-version"}))),
        _ => Some(None),
    }
}

fn run_migrate<I: DeserializeOwned, EI: std::fmt::Debug, M: DeserializeOwned, E>(
    bytes: &[u8],
    state: u8,
    setup: (&Value, Entry<I, EI>, &str),
    entry: MigrateEntry<M, E>,
) -> Outcome {
    let msg = from_json::<M>(bytes).ok()?;
    let (init, instantiate, name) = setup;
    let mut deps = mock_dependencies();
    let owner = mock_addr("deployer");
    instantiate(
        deps.as_mut(),
        mock_env(),
        message_info(&owner, &[]),
        serde_json::from_value(init.clone()).unwrap(),
    )
    .expect("the instantiate seed is valid");
    match cw2_record(name, state) {
        None => {}
        Some(Some(record)) => deps
            .storage
            .set(b"contract_info", &to_json_vec(&record).unwrap()),
        Some(None) => deps.storage.remove(b"contract_info"),
    }
    Some(entry(deps.as_mut(), mock_env(), msg).is_ok())
}

fn run_mock(c: Contract, kind: Kind, seeds: &Seeds, bytes: &[u8], sel: u8) -> Outcome {
    let init = &seeds.instantiate[0].msg;
    match (kind, c) {
        (Kind::Instantiate, Contract::Token) => {
            run_instantiate(bytes, sel, open_token::contract::instantiate)
        }
        (Kind::Instantiate, Contract::Registry) => {
            run_instantiate(bytes, sel, datanet_registry::contract::instantiate)
        }
        (Kind::Instantiate, Contract::Pool) => {
            run_instantiate(bytes, sel, reward_pool::contract::instantiate)
        }
        (Kind::Instantiate, Contract::Models) => {
            run_instantiate(bytes, sel, model_licensing::contract::instantiate)
        }
        (Kind::Instantiate, Contract::Escrow) => {
            run_instantiate(bytes, sel, agent_escrow::contract::instantiate)
        }
        (Kind::Migrate, Contract::Token) => run_migrate(
            bytes,
            sel,
            (
                init,
                open_token::contract::instantiate,
                open_token::CONTRACT_NAME,
            ),
            open_token::contract::migrate,
        ),
        (Kind::Migrate, Contract::Registry) => run_migrate(
            bytes,
            sel,
            (
                init,
                datanet_registry::contract::instantiate,
                datanet_registry::CONTRACT_NAME,
            ),
            datanet_registry::contract::migrate,
        ),
        (Kind::Migrate, Contract::Pool) => run_migrate(
            bytes,
            sel,
            (
                init,
                reward_pool::contract::instantiate,
                reward_pool::CONTRACT_NAME,
            ),
            reward_pool::contract::migrate,
        ),
        (Kind::Migrate, Contract::Models) => run_migrate(
            bytes,
            sel,
            (
                init,
                model_licensing::contract::instantiate,
                model_licensing::CONTRACT_NAME,
            ),
            model_licensing::contract::migrate,
        ),
        (Kind::Migrate, Contract::Escrow) => run_migrate(
            bytes,
            sel,
            (
                init,
                agent_escrow::contract::instantiate,
                agent_escrow::CONTRACT_NAME,
            ),
            agent_escrow::contract::migrate,
        ),
        _ => unreachable!("{kind:?} runs on the chain"),
    }
}

// ---------------------------------------------------------------------------------------------
// On-chain targets
// ---------------------------------------------------------------------------------------------

fn wasm_execute(
    fz: &mut Fz,
    sender: &Addr,
    contract: &Addr,
    msg: Binary,
) -> AnyResult<AppResponse> {
    fz.w.s.app.execute(
        sender.clone(),
        CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: contract.to_string(),
            msg,
            funds: vec![],
        }),
    )
}

/// Amounts a hook input carries besides its seed's natural amount.
const EDGE_AMOUNTS: [u128; 9] = [
    0,
    1,
    2,
    99,
    1_000_000,
    PAYER_FUNDS,
    PAYER_FUNDS + 1,
    u64::MAX as u128,
    u128::MAX,
];

/// The outcome of one on-chain call, and a broken rule other than a panic, if any.
fn run_on_chain(
    fz: &mut Fz,
    c: Contract,
    kind: Kind,
    input: &Input,
    seeds: &[Seed],
    sel: u8,
    amount_sel: u8,
) -> (Outcome, Option<String>) {
    let natural = input.seed.map(|i| &seeds[i]);
    // A mutated seed is sent by its natural party three times in four.
    let party = match natural {
        Some(seed) if sel % 4 != 0 => seed.sender,
        _ => usize::from(sel / 4) % fz.parties.len(),
    };
    let amount = match natural {
        Some(seed) if amount_sel % 4 != 0 => seed.amount,
        _ => EDGE_AMOUNTS[usize::from(amount_sel) % EDGE_AMOUNTS.len()],
    };
    let parsed = parses(c, kind, &input.bytes);
    let target = fz.addr_of(c).clone();
    match kind {
        Kind::Execute => {
            let sender = if c == Contract::Token {
                fz.parties[UNFUNDED[party % UNFUNDED.len()]].clone()
            } else {
                fz.parties[party].clone()
            };
            let res = wasm_execute(fz, &sender, &target, Binary::new(input.bytes.clone()));
            (parsed.then_some(res.is_ok()), None)
        }
        Kind::HookSend => {
            let payer = fz.parties[PAYER].clone();
            let token = fz.token().clone();
            let send = to_json_binary(&Cw20ExecuteMsg::Send {
                contract: target.to_string(),
                amount: Uint128::new(amount),
                msg: Binary::new(input.bytes.clone()),
            })
            .unwrap();
            let res = wasm_execute(fz, &payer, &token, send);
            (parsed.then_some(res.is_ok()), None)
        }
        Kind::HookForged => {
            let sender = fz.parties[party].clone();
            let forged = forged_receive(c, &fz.parties[PAYER], amount, &input.bytes);
            let res = wasm_execute(fz, &sender, &target, forged);
            let broken = match &res {
                Ok(_) => Some("a forged receive was accepted".to_string()),
                Err(e) if !is_unexpected_token(c, e) => Some(format!(
                    "a forged receive was refused with another error: {e:#}"
                )),
                Err(_) => None,
            };
            (parsed.then_some(res.is_ok()), broken)
        }
        Kind::Query => {
            let req: QueryRequest<Empty> = QueryRequest::Wasm(WasmQuery::Smart {
                contract_addr: target.to_string(),
                msg: Binary::new(input.bytes.clone()),
            });
            let res = fz.w.s.app.wrap().query::<IgnoredAny>(&req);
            (parsed.then_some(res.is_ok()), None)
        }
        Kind::Instantiate | Kind::Migrate => unreachable!("{kind:?} runs on mock dependencies"),
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// One fuzz input: the bytes, and the seed they were mutated from, if any.
#[derive(Clone, Debug)]
struct Input {
    bytes: Vec<u8>,
    seed: Option<usize>,
}

/// Strings the mutations and the JSON generator use: numbers as strings at and past the edges
/// of every integer type, and strings that are almost valid.
const EDGE_STRINGS: [&str; 22] = [
    "",
    "0",
    "1",
    "-1",
    "1.5",
    "1e3",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    " 1",
    "00",
    "0x10",
    "NaN",
    "null",
    "true",
    "\u{0}",
    "\u{202e}gnp.exe",
    "ǅ𝕏😀",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
];

/// Marks a number too large for JSON values, written out raw when the message is serialized.
const HUGE: &str = "@@huge@@";

const HUGE_LITERALS: [&str; 5] = [
    "340282366920938463463374607431768211456",
    "-340282366920938463463374607431768211456",
    "18446744073709551616",
    "1e400",
    "123456789012345678901234567890123456789012345678901234567890",
];

fn serialize(v: &Value) -> Vec<u8> {
    let text = serde_json::to_string(v).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let marker = format!("\"{HUGE}");
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').expect("closing quote");
        out.push_str(&after[..end]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// JSON pointers of every node of `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Context the mutations draw from.
struct Ctx {
    /// Valid addresses of the world's parties and contracts.
    addrs: Vec<String>,
    /// Field and variant names of the contract's messages.
    keys: Vec<String>,
}

fn is_numeric(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// Picks a node satisfying `want` (any node when none does), by `pick`.
fn pick_node(v: &Value, pick: usize, want: impl Fn(&Value) -> bool) -> String {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let wanted: Vec<&String> = all.iter().filter(|p| want(v.pointer(p).unwrap())).collect();
    if wanted.is_empty() {
        all[pick % all.len()].clone()
    } else {
        wanted[pick % wanted.len()].clone()
    }
}

fn edge_value(p: u64) -> Value {
    match p % 14 {
        0 => json!(0),
        1 => json!(1),
        2 => json!(u32::MAX),
        3 => json!(u64::from(u32::MAX) + 1),
        4 => json!(u64::MAX),
        5 => json!(-1),
        6 => json!(1.5),
        7 => json!(1e300),
        8 => json!(i64::MIN),
        9 => Value::String(format!("{HUGE}{}", HUGE_LITERALS[(p / 14) as usize % 5])),
        10 => json!(u128::MAX.to_string()),
        11 => json!(u64::MAX.to_string()),
        _ => json!(EDGE_STRINGS[(p / 14) as usize % EDGE_STRINGS.len()]),
    }
}

fn bad_address(p: u64, ctx: &Ctx) -> String {
    let valid = &ctx.addrs[(p / 16) as usize % ctx.addrs.len()];
    match p % 12 {
        0 => String::new(),
        1 => valid.to_uppercase(),
        2 => {
            let mut s = valid.clone();
            let last = s.pop().unwrap();
            s.push(if last == 'q' { 'p' } else { 'q' });
            s
        }
        3 => valid.replacen("cosmwasm", "osmo", 1),
        4 => format!(" {valid}"),
        5 => format!("{valid}\u{0}"),
        6 => valid[..valid.len() / 2].to_string(),
        7 => "cosmwasm1".to_string(),
        8 => "not an address".to_string(),
        9 => "адрес😀".to_string(),
        10 => valid.repeat(20),
        _ => format!("{valid}x"),
    }
}

/// Applies one mutation to `v`. Ops 0..=11 damage the structure or the types; ops 12..=17 keep
/// the message well-typed (edge values of the same type, another valid address, a small id, a
/// duplicated entry, hundreds of distinct entries), so that they reach the handlers.
fn mutate(v: &mut Value, op: u8, pick: usize, p: u64, ctx: &Ctx) {
    match op % 18 {
        12 | 13 => {
            let at = pick_node(v, pick, is_numeric);
            let node = v.pointer_mut(&at).unwrap();
            *node = match node {
                Value::String(_) => json!(
                    ["0", "1", "2", &u64::MAX.to_string(), &u128::MAX.to_string()][p as usize % 5]
                ),
                _ => json!([0, 1, 2, u64::from(u32::MAX), u64::MAX][p as usize % 5]),
            };
        }
        14 => {
            let at = pick_node(v, pick, |n| {
                n.as_str().is_some_and(|s| s.starts_with("cosmwasm1"))
            });
            *v.pointer_mut(&at).unwrap() =
                Value::String(ctx.addrs[p as usize % ctx.addrs.len()].clone());
        }
        15 => mutate(v, 6, pick, p, ctx),
        16 => mutate(v, 5, pick, p, ctx),
        17 => mutate(v, 3, pick, p | 1, ctx),
        op => mutate_structure(v, op, pick, p, ctx),
    }
}

/// Mutations that damage the structure or the types of `v`.
fn mutate_structure(v: &mut Value, op: u8, pick: usize, p: u64, ctx: &Ctx) {
    match op {
        // Drop a field.
        0 => {
            let at = pick_node(v, pick, |n| n.as_object().is_some_and(|m| !m.is_empty()));
            if let Some(m) = v.pointer_mut(&at).and_then(Value::as_object_mut) {
                if let Some(k) = m.keys().nth(p as usize % m.len().max(1)).cloned() {
                    m.remove(&k);
                }
            }
        }
        // Swap a node's type.
        1 => {
            let at = pick_node(v, pick, |_| true);
            let node = v.pointer_mut(&at).unwrap();
            *node = match (&*node, p % 3) {
                (Value::Number(n), _) => Value::String(n.to_string()),
                (Value::String(s), 0) => s.parse::<u64>().map(Value::from).unwrap_or(json!(7)),
                (Value::String(s), 1) => json!([s]),
                (Value::Object(m), 0) => Value::Array(m.values().cloned().collect()),
                (Value::Array(a), 0) => Value::Object(
                    a.iter()
                        .enumerate()
                        .map(|(i, x)| (i.to_string(), x.clone()))
                        .collect(),
                ),
                (Value::Bool(b), _) => json!(if *b { 1 } else { 0 }),
                (_, 0) => json!("string"),
                (_, 1) => json!({}),
                _ => json!(true),
            };
        }
        // An edge number.
        2 => {
            let at = pick_node(v, pick, is_numeric);
            *v.pointer_mut(&at).unwrap() = edge_value(p);
        }
        // A huge array (or a long string when there is no array).
        3 => {
            let at = pick_node(v, pick, Value::is_array);
            let n = 50 + (p % 351) as usize;
            let node = v.pointer_mut(&at).unwrap();
            match node {
                Value::Array(a) => {
                    let item = a.first().cloned().unwrap_or_else(|| edge_value(p / 351));
                    // Either copies of one item (duplicates) or items with distinct numbers.
                    *a = (0..n)
                        .map(|i| {
                            if p % 2 == 0 {
                                item.clone()
                            } else {
                                distinct(&item, i as u64, ctx)
                            }
                        })
                        .collect();
                }
                _ => *node = Value::String("x".repeat(n * 40)),
            }
        }
        // A valid address of another party, or an invalid one.
        4 => {
            let at = pick_node(v, pick, Value::is_string);
            let node = v.pointer_mut(&at).unwrap();
            *node = if p % 3 == 0 {
                Value::String(bad_address(p / 3, ctx))
            } else {
                Value::String(ctx.addrs[(p / 3) as usize % ctx.addrs.len()].clone())
            };
        }
        // Duplicate an element of an array.
        5 => {
            let at = pick_node(v, pick, |n| n.as_array().is_some_and(|a| !a.is_empty()));
            if let Some(a) = v.pointer_mut(&at).and_then(Value::as_array_mut) {
                if !a.is_empty() {
                    let i = p as usize % a.len();
                    let copy = a[i].clone();
                    a.insert(i, copy);
                }
            }
        }
        // A small id: existing or not.
        6 => {
            let at = pick_node(v, pick, Value::is_u64);
            *v.pointer_mut(&at).unwrap() = json!(p % 6);
        }
        // An odd string: long, unicode, control characters, almost-hex.
        7 => {
            let at = pick_node(v, pick, Value::is_string);
            let s = match p % 6 {
                0 => "é".repeat((p / 6 % 5_000) as usize),
                1 => "a".repeat(513),
                2 => "A".repeat(64),
                3 => "0".repeat(63),
                4 => "\u{0}\n\t\"\\".to_string(),
                _ => EDGE_STRINGS[(p / 6) as usize % EDGE_STRINGS.len()].to_string(),
            };
            *v.pointer_mut(&at).unwrap() = Value::String(s);
        }
        // Rename a key: another field or variant name of the contract, or an unknown one.
        8 => {
            let at = pick_node(v, pick, |n| n.as_object().is_some_and(|m| !m.is_empty()));
            if let Some(m) = v.pointer_mut(&at).and_then(Value::as_object_mut) {
                if let Some(old) = m.keys().nth(p as usize % m.len().max(1)).cloned() {
                    let value = m.remove(&old).unwrap();
                    let new = if p % 5 == 0 {
                        format!("{old}_")
                    } else {
                        ctx.keys[(p / 5) as usize % ctx.keys.len()].clone()
                    };
                    m.insert(new, value);
                }
            }
        }
        // Add a field.
        9 => {
            let at = pick_node(v, pick, Value::is_object);
            if let Some(m) = v.pointer_mut(&at).and_then(Value::as_object_mut) {
                let key = ctx.keys[p as usize % ctx.keys.len()].clone();
                m.insert(key, edge_value(p / 7));
            }
        }
        // Wrap a node in an array or an object.
        10 => {
            let at = pick_node(v, pick, |_| true);
            let node = v.pointer_mut(&at).unwrap();
            let inner = node.take();
            *node = if p % 2 == 0 {
                json!([inner])
            } else {
                json!({ ctx.keys[(p / 2) as usize % ctx.keys.len()].clone(): inner })
            };
        }
        // Null.
        _ => {
            let at = pick_node(v, pick, |_| true);
            *v.pointer_mut(&at).unwrap() = Value::Null;
        }
    }
}

/// `item` made distinct for position `i`: its numbers become `i`, its addresses the `i`-th
/// party's, its other strings get a suffix.
fn distinct(item: &Value, i: u64, ctx: &Ctx) -> Value {
    match item {
        Value::Number(_) => json!(i),
        Value::String(s) if s.starts_with("cosmwasm1") => {
            Value::String(ctx.addrs[i as usize % ctx.addrs.len()].clone())
        }
        Value::String(_) if is_numeric(item) => Value::String(i.to_string()),
        Value::String(s) => Value::String(format!("{s}-{i}")),
        Value::Array(a) => Value::Array(a.iter().map(|x| distinct(x, i, ctx)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), distinct(x, i, ctx)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn arb_json(keys: Arc<Vec<String>>) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        (0u64..1_000).prop_map(Value::from),
        prop::sample::select(EDGE_STRINGS.to_vec()).prop_map(|s| Value::String(s.to_string())),
        prop::sample::select(HUGE_LITERALS.to_vec())
            .prop_map(|s| Value::String(format!("{HUGE}{s}"))),
        "\\PC{0,24}".prop_map(Value::String),
        (0usize..4_000).prop_map(|n| Value::String("ü".repeat(n))),
        prop::sample::select((*keys).clone()).prop_map(Value::String),
    ];
    let key = prop_oneof![
        4 => prop::sample::select((*keys).clone()),
        1 => "\\PC{0,12}",
    ];
    leaf.prop_recursive(8, 128, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner.clone()), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            // A variant name over a value: the shape every message has.
            (key.clone(), inner).prop_map(|(k, v)| json!({ k: v })),
        ]
    })
    .boxed()
}

/// Every object key in `v`.
fn keys_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                out.push(k.clone());
                keys_of(child, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys_of(x, out)),
        _ => {}
    }
}

fn inputs(seeds: Arc<Vec<Seed>>, ctx: Arc<Ctx>) -> BoxedStrategy<Input> {
    let texts: Arc<Vec<Vec<u8>>> = Arc::new(seeds.iter().map(|s| serialize(&s.msg)).collect());
    let n = seeds.len();
    let keys = Arc::new(ctx.keys.clone());
    let bytes =
        prop::collection::vec(any::<u8>(), 0..256).prop_map(|bytes| Input { bytes, seed: None });
    let damaged = (
        0..n,
        prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        prop::option::of(any::<usize>()),
    )
        .prop_map(move |(i, flips, cut)| {
            let mut bytes = texts[i].clone();
            for (at, b) in flips {
                let at = at % bytes.len();
                bytes[at] = b;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut % (bytes.len() + 1));
            }
            Input {
                bytes,
                seed: Some(i),
            }
        });
    let nested = (1usize..3_000, any::<bool>()).prop_map(|(depth, arrays)| {
        let (open, close) = if arrays {
            ("[", "]")
        } else {
            ("{\"receive\":", "}")
        };
        Input {
            bytes: format!("{}1{}", open.repeat(depth), close.repeat(depth)).into_bytes(),
            seed: None,
        }
    });
    let json_values = arb_json(keys).prop_map(|v| Input {
        bytes: serialize(&v),
        seed: None,
    });
    let mutated = (
        0..n,
        prop::collection::vec((any::<u8>(), any::<usize>(), any::<u64>()), 0..4),
    )
        .prop_map(move |(i, ops)| {
            let mut v = seeds[i].msg.clone();
            for (op, pick, p) in ops {
                mutate(&mut v, op, pick, p, &ctx);
            }
            Input {
                bytes: serialize(&v),
                seed: Some(i),
            }
        });
    prop_oneof![
        2 => bytes,
        2 => damaged,
        1 => nested,
        5 => json_values,
        12 => mutated,
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

thread_local! {
    static FUZZING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// While fuzzing, a panic's message and location are recorded instead of printed.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if FUZZING.with(Cell::get) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(info.to_string()));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic becomes `Err` with its message and location.
fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    FUZZING.with(|x| x.set(true));
    let res = catch_unwind(AssertUnwindSafe(f));
    FUZZING.with(|x| x.set(false));
    res.map_err(|payload| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic without a message".into())
    })
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Tally {
    execs: u64,
    parsed: u64,
    ok: u64,
}

/// A broken rule: a panic, or a forged hook that was not refused as such.
#[derive(Debug)]
struct Finding {
    target: String,
    input_hex: String,
    sender_sel: u8,
    amount_sel: u8,
    what: String,
    panic: bool,
}

fn targets() -> Vec<(Contract, Kind)> {
    let mut all = Vec::new();
    for c in CONTRACTS {
        for kind in [
            Kind::Execute,
            Kind::HookSend,
            Kind::HookForged,
            Kind::Query,
            Kind::Instantiate,
            Kind::Migrate,
        ] {
            // OPEN is the token that sends hooks; it receives none.
            if c == Contract::Token && matches!(kind, Kind::HookSend | Kind::HookForged) {
                continue;
            }
            all.push((c, kind));
        }
    }
    all
}

fn ctx_for(fz: &Fz, seeds: &Seeds) -> Ctx {
    let mut keys = Vec::new();
    for list in [
        &seeds.execute,
        &seeds.hook,
        &seeds.query,
        &seeds.instantiate,
    ] {
        for s in list {
            keys_of(&s.msg, &mut keys);
        }
    }
    keys.sort();
    keys.dedup();
    Ctx {
        addrs: fz.nameable().iter().map(|a| a.to_string()).collect(),
        keys,
    }
}

/// Fuzzes one target; returns its tally and what it found.
fn fuzz_target(c: Contract, kind: Kind, template: &Fz) -> (Tally, Vec<Finding>, Duration) {
    let started = Instant::now();
    let all_seeds = seeds(template, c);
    let seeds = Arc::new(all_seeds.of(kind).to_vec());
    let ctx = Arc::new(ctx_for(template, &all_seeds));
    let (cases, batch) = if kind.on_chain() {
        (APP_CASES * heavy(), BATCH)
    } else {
        (MOCK_CASES * heavy(), MOCK_BATCH)
    };
    let strategy = prop::collection::vec(
        (inputs(seeds.clone(), ctx), any::<u8>(), any::<u8>()),
        batch,
    );
    let tally = RefCell::new(Tally::default());
    let findings = RefCell::new(Vec::new());
    let name = format!("{}/{}", c.name(), kind.name());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 0,
        ..Config::default()
    });
    runner
        .run(&strategy, |batch| {
            let mut fz = kind.on_chain().then(Fz::new);
            for (input, sel, amount_sel) in &batch {
                let outcome = guarded(|| match fz.as_mut() {
                    Some(fz) => run_on_chain(fz, c, kind, input, &seeds, *sel, *amount_sel),
                    None => (run_mock(c, kind, &all_seeds, &input.bytes, *sel), None),
                });
                let mut t = tally.borrow_mut();
                t.execs += 1;
                let finding = |what: String, panic: bool| Finding {
                    target: name.clone(),
                    input_hex: hex::encode(&input.bytes),
                    sender_sel: *sel,
                    amount_sel: *amount_sel,
                    what,
                    panic,
                };
                match outcome {
                    Ok((result, broken)) => {
                        if let Some(ok) = result {
                            t.parsed += 1;
                            t.ok += u64::from(ok);
                        }
                        if let Some(what) = broken {
                            findings.borrow_mut().push(finding(what, false));
                        }
                    }
                    Err(panic) => findings.borrow_mut().push(finding(panic, true)),
                }
            }
            if let Some(mut fz) = fz {
                // Where the fuzzer may legitimately move funds, re-read the balances of the
                // parties it can act as or name; elsewhere the ledger must hold as it is.
                if matches!(kind, Kind::HookSend) || (kind == Kind::Execute && c != Contract::Token)
                {
                    fz.reread_ledger();
                }
                fz.check();
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (tally.into_inner(), findings.into_inner(), started.elapsed())
}

/// Parses `schema` and returns the names of the variants of `section` (or of the whole file
/// when `section` is `None`).
fn schema_variants(schema: &str, section: Option<&str>) -> Vec<String> {
    let v: Value = serde_json::from_str(schema).unwrap();
    let node = match section {
        Some(s) => &v[s],
        None => &v,
    };
    let mut names = Vec::new();
    for one in node["oneOf"].as_array().expect("an enum schema") {
        for key in ["required", "enum"] {
            if let Some(list) = one[key].as_array() {
                names.extend(list.iter().map(|n| n.as_str().unwrap().to_string()));
            }
        }
    }
    names.sort();
    names
}

/// The variant name of a message (its single key, or itself for a unit variant).
fn variant(v: &Value) -> String {
    match v {
        Value::Object(m) => m.keys().next().cloned().unwrap_or_default(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The variants of the Rust message `T`, as serde lists them when it refuses an unknown one
/// (what the entry point accepts, whether or not the committed schema lists it yet).
fn rust_variants<T: DeserializeOwned>() -> Vec<String> {
    let err = serde_json::from_str::<T>(r#"{"no_such_variant":{}}"#)
        .err()
        .expect("an unknown variant is refused")
        .to_string();
    let list = err
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no variant list in: {err}"));
    let mut names: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// The variants of the execute, hook or query message of `c` that its Rust types accept.
fn rust_variants_of(c: Contract, kind: Kind) -> Vec<String> {
    use Contract::*;
    match (kind, c) {
        (Kind::Execute, Token) => rust_variants::<open_token::ExecuteMsg>(),
        (Kind::Execute, Registry) => rust_variants::<registry::ExecuteMsg>(),
        (Kind::Execute, Pool) => rust_variants::<pool::ExecuteMsg>(),
        (Kind::Execute, Models) => rust_variants::<ml::ExecuteMsg>(),
        (Kind::Execute, Escrow) => rust_variants::<escrow::ExecuteMsg>(),
        (Kind::HookSend, Registry) => rust_variants::<registry::ReceiveMsg>(),
        (Kind::HookSend, Pool) => rust_variants::<pool::ReceiveMsg>(),
        (Kind::HookSend, Models) => rust_variants::<ml::ReceiveMsg>(),
        (Kind::HookSend, Escrow) => rust_variants::<escrow::ReceiveMsg>(),
        (Kind::Query, Token) => rust_variants::<open_token::QueryMsg>(),
        (Kind::Query, Registry) => rust_variants::<registry::QueryMsg>(),
        (Kind::Query, Pool) => rust_variants::<pool::QueryMsg>(),
        (Kind::Query, Models) => rust_variants::<ml::QueryMsg>(),
        (Kind::Query, Escrow) => rust_variants::<escrow::QueryMsg>(),
        other => panic!("no message enum for {other:?}"),
    }
}

/// The variants the seeds of `kind` must cover: those of the committed schema and those the
/// Rust types accept (a message added to the code before the schemas were regenerated).
fn expected_variants(c: Contract, kind: Kind, schema: Vec<String>) -> Vec<String> {
    let rust = rust_variants_of(c, kind);
    for name in &schema {
        assert!(
            rust.contains(name),
            "{} {}: the schema's `{name}` is not a variant of the Rust type",
            c.name(),
            kind.name()
        );
    }
    let mut all = schema;
    all.extend(rust);
    all.sort();
    all.dedup();
    all
}

#[test]
fn seeds_cover_every_variant_and_are_valid() {
    let fz = Fz::new();
    for c in CONTRACTS {
        let s = seeds(&fz, c);
        for (kind, section, list) in [
            (Kind::Execute, Some("execute"), &s.execute),
            (Kind::Query, Some("query"), &s.query),
        ] {
            let mut covered: Vec<String> = list.iter().map(|s| variant(&s.msg)).collect();
            covered.sort();
            covered.dedup();
            assert_eq!(
                covered,
                expected_variants(c, kind, schema_variants(c.schema(), section)),
                "{} {} seeds cover every variant",
                c.name(),
                kind.name()
            );
        }
        match c.hook_schema() {
            Some(schema) => {
                let mut covered: Vec<String> = s.hook.iter().map(|s| variant(&s.msg)).collect();
                covered.sort();
                covered.dedup();
                let expected = expected_variants(c, Kind::HookSend, schema_variants(schema, None));
                assert_eq!(covered, expected, "{} hooks", c.name());
            }
            None => assert!(s.hook.is_empty()),
        }
        for kind in [
            Kind::Execute,
            Kind::HookSend,
            Kind::Query,
            Kind::Instantiate,
            Kind::Migrate,
        ] {
            for seed in s.of(kind) {
                assert!(
                    parses(c, kind, &serialize(&seed.msg)),
                    "{} {} seed parses: {}",
                    c.name(),
                    kind.name(),
                    seed.msg
                );
            }
        }
        // Every instantiate seed instantiates, and migrating the result succeeds.
        for (i, seed) in s.instantiate.iter().enumerate() {
            let bytes = serialize(&seed.msg);
            assert_eq!(
                run_mock(c, Kind::Instantiate, &s, &bytes, 0),
                Some(true),
                "{} instantiate seed {i}",
                c.name()
            );
        }
        assert_eq!(
            run_mock(c, Kind::Migrate, &s, b"{}", 0),
            Some(true),
            "{} migrates from its own version",
            c.name()
        );
        assert_eq!(
            run_mock(c, Kind::Migrate, &s, b"{}", 2),
            Some(false),
            "{} refuses a downgrade",
            c.name()
        );
    }
}

/// Fuzzes `list`, prints one line per target and the `fuzz:` summary, and fails on any
/// finding, on a target whose parser never accepted an input, or on fewer than `min_execs`
/// executions.
fn fuzz_all(list: &[(Contract, Kind)], min_execs: u64) {
    install_panic_hook();
    let started = Instant::now();
    let template = Fz::new();
    let mut total = Tally::default();
    let mut findings = Vec::new();
    let mut silent = Vec::new();
    for &(c, kind) in list {
        let (t, found, took) = fuzz_target(c, kind, &template);
        println!(
            "fuzz target {:<30} executions {:>7}  parsed-ok {:>7}  handler-ok {:>7}  findings {}  {:.1}s",
            format!("{}/{}", c.name(), kind.name()),
            t.execs,
            t.parsed,
            t.ok,
            found.len(),
            took.as_secs_f64()
        );
        if t.parsed == 0 {
            silent.push(format!("{}/{}", c.name(), kind.name()));
        }
        total.execs += t.execs;
        total.parsed += t.parsed;
        total.ok += t.ok;
        findings.extend(found);
    }
    let panics = findings.iter().filter(|f| f.panic).count();
    println!(
        "fuzz: {} executions, {} targets, {} parsed ok, {} handler ok, {} panics, {} other findings, {:.1}s",
        total.execs,
        list.len(),
        total.parsed,
        total.ok,
        panics,
        findings.len() - panics,
        started.elapsed().as_secs_f64()
    );
    for f in findings.iter().take(20) {
        println!(
            "finding in {} ({}; sender {}, amount {}): {}\n  input hex: {}",
            f.target,
            if f.panic { "panic" } else { "rule" },
            f.sender_sel,
            f.amount_sel,
            f.what,
            f.input_hex
        );
    }
    assert!(
        findings.is_empty(),
        "{} findings (see above)",
        findings.len()
    );
    assert!(
        silent.is_empty(),
        "targets whose parser never accepted an input: {silent:?}"
    );
    assert!(total.execs >= min_execs, "{} executions", total.execs);
}

#[test]
fn every_message_boundary_errs_instead_of_panicking() {
    fuzz_all(&targets(), 56_000 * u64::from(heavy()));
}

#[test]
fn open_token_refuses_an_allowance_raised_past_u128_max() {
    install_panic_hook();
    let mut s = openledger_tests::Suite::default();
    let (deployer, token, spender) = (s.deployer.clone(), s.token.clone(), s.addr("spender"));
    let raise = move |s: &mut openledger_tests::Suite, amount: u128| {
        s.app.execute_contract(
            deployer.clone(),
            token.clone(),
            &Cw20ExecuteMsg::IncreaseAllowance {
                spender: spender.to_string(),
                amount: Uint128::new(amount),
                expires: None,
            },
            &[],
        )
    };
    raise(&mut s, 1).unwrap();
    let err = guarded(|| {
        openledger_tests::refused::<open_token::ContractError>(&mut s, |s| raise(s, u128::MAX))
    })
    .unwrap_or_else(|panic| panic!("an error, not a panic: {panic}"));
    assert!(
        matches!(
            err,
            open_token::ContractError::Std(StdError::Overflow { .. })
        ),
        "{err}"
    );
}

#[test]
fn open_token_refuses_initial_balances_summing_past_u128_max() {
    install_panic_hook();
    let msg = open_token::InstantiateMsg {
        name: "OpenLedger".into(),
        symbol: "OPEN".into(),
        decimals: 6,
        initial_balances: vec![
            Cw20Coin {
                address: mock_addr("alice").to_string(),
                amount: Uint128::new(1),
            },
            Cw20Coin {
                address: mock_addr("bob").to_string(),
                amount: Uint128::MAX,
            },
        ],
        mint: None,
        marketing: None,
    };
    let mut deps = mock_dependencies();
    let res = guarded(|| {
        open_token::contract::instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&mock_addr("deployer"), &[]),
            msg,
        )
    })
    .unwrap_or_else(|panic| panic!("an error, not a panic: {panic}"));
    assert!(
        matches!(
            res,
            Err(open_token::ContractError::Std(StdError::Overflow { .. }))
        ),
        "{res:?}"
    );
}

#[test]
fn a_guarded_panic_is_reported_with_its_message_and_location() {
    install_panic_hook();
    let err = guarded(|| -> u8 { panic!("boom {}", 7) }).unwrap_err();
    assert!(
        err.contains("boom 7") && err.contains("fuzz_messages.rs"),
        "{err}"
    );
    assert_eq!(guarded(|| 5u8), Ok(5));
}
