//! Attacks on the agent escrow. Each fails with its specific error, and `World::refused`
//! checks that no balance moved, no task changed and the escrow stayed solvent:
//! releasing or refunding twice, refunding one second early, a stranger or the agent
//! approving, an arbiter paying itself or acting outside a dispute, protocol contracts as
//! agent or arbiter, milestones not summing to the deposit, deadlines in the past or
//! overflowing, contracts calling back into the escrow during settlement or during the model
//! fee payment of a delivery, a bond leaving with open tasks, a hook from another token.

use agent_escrow::ContractError;
use cosmwasm_std::{
    from_json, to_json_binary, to_json_vec, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo,
    Response, StdResult, Timestamp, Uint128, WasmMsg,
};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use openledger_common::msg::agent_escrow::{
    ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus, MAX_TASK_DURATION,
    MAX_WINDOW,
};
use openledger_common::msg::model_licensing::{ModelResponse, ModelStatus};
use openledger_common::HookError;
use openledger_tests::escrow::{
    attr, deploy_escrow, world, World, ACCEPT, ARBITRATION, BOND, DELIVERY, MODEL_FEE, REVIEW,
};
use serde::{Deserialize, Serialize};

fn contract_err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().expect("an escrow error")
}

// ---------------------------------------------------------------------------------------------
// A test-only contract that calls back: as an agent it implements the cw20 `Receive` hook (and
// tries to re-enter the escrow from it); as a fake model licensing it answers `model` queries
// and re-enters the escrow from the `pay_inference` hook.
// ---------------------------------------------------------------------------------------------

mod evil {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, Clone)]
    #[serde(rename_all = "snake_case")]
    pub struct InstantiateMsg {}

    #[derive(Serialize, Deserialize, Debug, Clone)]
    #[serde(rename_all = "snake_case")]
    pub enum ExecuteMsg {
        /// cw20 hook: counts the call, then sends `callback` to `escrow` (if set).
        Receive(Cw20ReceiveMsg),
        /// Executes `msg` on `contract` as this contract.
        Call { contract: String, msg: Binary },
        /// What to send back into the escrow when a hook arrives.
        SetCallback { escrow: String, msg: Option<Binary> },
    }

    #[derive(Serialize, Deserialize, Debug, Clone)]
    #[serde(rename_all = "snake_case")]
    pub enum QueryMsg {
        /// How many cw20 hooks arrived.
        Hooks {},
        /// Answers like model licensing: every model exists, is active and costs 1 000.
        Model { model_id: u64 },
    }

    fn hooks(deps: Deps) -> u64 {
        deps.storage
            .get(b"hooks")
            .map(|v| from_json(v).unwrap())
            .unwrap_or(0)
    }

    pub fn instantiate(
        _: DepsMut,
        _: Env,
        _: MessageInfo,
        _: InstantiateMsg,
    ) -> StdResult<Response> {
        Ok(Response::new())
    }

    pub fn execute(deps: DepsMut, _: Env, _: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
        match msg {
            ExecuteMsg::Receive(_) => {
                let n = hooks(deps.as_ref()) + 1;
                deps.storage.set(b"hooks", &to_json_vec(&n)?);
                let mut res = Response::new();
                if let (Some(escrow), Some(msg)) =
                    (deps.storage.get(b"escrow"), deps.storage.get(b"callback"))
                {
                    let escrow: String = from_json(escrow)?;
                    res = res.add_message(WasmMsg::Execute {
                        contract_addr: escrow,
                        msg: Binary::from(msg),
                        funds: vec![],
                    });
                }
                Ok(res)
            }
            ExecuteMsg::Call { contract, msg } => {
                Ok(Response::new().add_message(WasmMsg::Execute {
                    contract_addr: contract,
                    msg,
                    funds: vec![],
                }))
            }
            ExecuteMsg::SetCallback { escrow, msg } => {
                deps.storage.set(b"escrow", &to_json_vec(&escrow)?);
                match msg {
                    Some(msg) => deps.storage.set(b"callback", msg.as_slice()),
                    None => deps.storage.remove(b"callback"),
                }
                Ok(Response::new())
            }
        }
    }

    pub fn query(deps: Deps, _: Env, msg: QueryMsg) -> StdResult<Binary> {
        match msg {
            QueryMsg::Hooks {} => to_json_binary(&hooks(deps)),
            QueryMsg::Model { model_id } => to_json_binary(&ModelResponse {
                id: model_id,
                owner: Addr::unchecked("nobody"),
                pending_owner: None,
                name: "evil".into(),
                metadata_uri: String::new(),
                weights_hash: "00".repeat(32),
                base_model: None,
                lineage: vec![],
                inference_fee: Uint128::new(MODEL_FEE),
                tiers: vec![],
                hosts: vec![],
                status: ModelStatus::Active,
                created_at: Timestamp::from_seconds(0),
            }),
        }
    }

    pub fn contract() -> Box<dyn Contract<Empty>> {
        Box::new(ContractWrapper::new(execute, instantiate, query))
    }
}

fn deploy_evil(w: &mut World, label: &str) -> Addr {
    let code = w.s.app.store_code(evil::contract());
    let addr =
        w.s.app
            .instantiate_contract(
                code,
                w.s.deployer.clone(),
                &evil::InstantiateMsg {},
                &[],
                label,
                None,
            )
            .unwrap();
    w.s.ledger.insert(addr.clone(), 0);
    addr
}

fn evil_hooks(w: &World, evil: &Addr) -> u64 {
    w.s.app
        .wrap()
        .query_wasm_smart(evil, &evil::QueryMsg::Hooks {})
        .unwrap()
}

/// `evil` executes `msg` on `contract`.
fn evil_call<T: Serialize>(
    w: &mut World,
    evil: &Addr,
    contract: &Addr,
    msg: &T,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    let deployer = w.s.deployer.clone();
    w.s.app.execute_contract(
        deployer,
        evil.clone(),
        &evil::ExecuteMsg::Call {
            contract: contract.to_string(),
            msg: to_json_binary(msg).unwrap(),
        },
        &[],
    )
}

// ---------------------------------------------------------------------------------------------
// Paying twice
// ---------------------------------------------------------------------------------------------

#[test]
fn releasing_or_refunding_twice_moves_nothing() {
    let mut w = world();
    let (agent, escrow, pool, arbiter) = (
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.arbiter.clone(),
    );
    let id = w.accepted(&[1_000, 1_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();
    let settled = ContractError::MilestoneAlreadySettled {
        task_id: id,
        milestone: 0,
        status: MilestoneStatus::Approved,
    };
    let e = w.refused(|w| w.approve(id, 0));
    assert_eq!(contract_err(e), settled);
    w.at(w.now() + REVIEW);
    let stranger = w.s.addr("stranger");
    let e = w.refused(|w| {
        w.exec(
            &stranger,
            &ExecuteMsg::Finalize {
                task_id: id,
                milestone: 0,
            },
        )
    });
    assert_eq!(contract_err(e), settled);
    let e = w.refused(|w| {
        w.exec(
            &arbiter,
            &ExecuteMsg::Resolve {
                task_id: id,
                milestone: 0,
                agent_share_bps: 10_000,
            },
        )
    });
    assert_eq!(contract_err(e), settled);

    // The rest times out and is refunded once.
    let client = w.client.clone();
    w.at(w.task(id).task.delivery_deadline);
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 1_000);
    w.check();
    let e = w.refused(|w| w.refund(&stranger, id));
    assert_eq!(
        contract_err(e),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Refunded
        }
    );
    let e = w.refused(|w| w.approve(id, 1));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 1,
            status: MilestoneStatus::Refunded
        }
    );
    let e = w.refused(|w| w.exec(&client, &ExecuteMsg::CancelTask { task_id: id }));
    assert_eq!(
        contract_err(e),
        ContractError::TaskFinished {
            task_id: id,
            status: TaskStatus::Refunded
        }
    );
}

#[test]
fn refunding_one_second_early_moves_nothing() {
    let mut w = world();
    let stranger = w.s.addr("stranger");
    let open = w.create(&[100]);
    let accept_end = w.now() + ACCEPT;
    let late = w.accepted(&[100]);
    let deadline = w.now() + DELIVERY;
    let disputed = w.accepted(&[100]);
    w.submit(disputed, 0, vec![]).unwrap();
    w.dispute(disputed, 0).unwrap();
    let arbitration_end = w.now() + ARBITRATION;

    w.at(accept_end - 1);
    let e = w.refused(|w| w.refund(&stranger, open));
    assert_eq!(
        contract_err(e),
        ContractError::AcceptWindowOpen {
            task_id: open,
            accept_deadline: accept_end
        }
    );
    w.at(arbitration_end - 1);
    let e = w.refused(|w| w.refund(&stranger, disputed));
    assert_eq!(
        contract_err(e),
        ContractError::ArbitrationWindowOpen {
            task_id: disputed,
            milestone: 0,
            arbitration_deadline: arbitration_end
        }
    );
    w.at(deadline - 1);
    let e = w.refused(|w| w.refund(&stranger, late));
    assert_eq!(
        contract_err(e),
        ContractError::DeadlineNotReached {
            task_id: late,
            deadline
        }
    );
    let e = w.refused(|w| w.refund(&stranger, 99));
    assert_eq!(contract_err(e), ContractError::TaskNotFound { task_id: 99 });
}

// ---------------------------------------------------------------------------------------------
// Who may act
// ---------------------------------------------------------------------------------------------

#[test]
fn a_stranger_or_the_agent_cannot_approve_dispute_or_submit() {
    let mut w = world();
    let (agent, arbiter) = (w.agent.clone(), w.arbiter.clone());
    let stranger = w.s.addr("stranger");
    let id = w.accepted(&[1_000]);
    let e = w.refused(|w| {
        w.exec(
            &stranger,
            &ExecuteMsg::SubmitMilestone {
                task_id: id,
                milestone: 0,
                result_hash: "ab".repeat(32),
                result_uri: String::new(),
                inferences: vec![],
            },
        )
    });
    assert_eq!(contract_err(e), ContractError::NotAgent { task_id: id });
    w.submit(id, 0, vec![]).unwrap();
    w.check();
    for who in [&stranger, &agent, &arbiter] {
        let e = w.refused(|w| {
            w.exec(
                who,
                &ExecuteMsg::ApproveMilestone {
                    task_id: id,
                    milestone: 0,
                },
            )
        });
        assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
        let e = w.refused(|w| {
            w.exec(
                who,
                &ExecuteMsg::DisputeMilestone {
                    task_id: id,
                    milestone: 0,
                    reason: "mine".into(),
                },
            )
        });
        assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
    }
    let e = w.refused(|w| w.exec(&stranger, &ExecuteMsg::AcceptTask { task_id: id }));
    assert_eq!(contract_err(e), ContractError::NotAgent { task_id: id });
}

#[test]
fn the_arbiter_cannot_pay_itself_or_act_outside_a_dispute() {
    let mut w = world();
    let (agent, client, arbiter) = (w.agent.clone(), w.client.clone(), w.arbiter.clone());
    // The arbiter cannot be a party: neither the agent nor the client.
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(agent.to_string());
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "agent".into(),
            address: agent.to_string()
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.arbiter = Some(client.to_string());
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "client".into(),
            address: client.to_string()
        }
    );
    // An arbiter that registers as an agent still cannot rule its own task.
    w.s.fund(&arbiter, BOND);
    w.register(&arbiter, BOND, vec![]).unwrap();
    let mut t = w.new_task(&[1_000]);
    t.agent = arbiter.to_string();
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::ArbiterIsParty {
            role: "agent".into(),
            address: arbiter.to_string()
        }
    );

    // Outside a dispute the arbiter has no power.
    let id = w.accepted(&[1_000]);
    let resolve = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 0,
        agent_share_bps: 0,
    };
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Pending
        }
    );
    w.submit(id, 0, vec![]).unwrap();
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneNotDisputed {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Submitted
        }
    );
    let e = w.refused(|w| {
        w.exec(
            &arbiter,
            &ExecuteMsg::Finalize {
                task_id: id,
                milestone: 0,
            },
        )
    });
    let review_deadline = w.task(id).milestones[0].review_deadline.unwrap();
    assert_eq!(
        contract_err(e),
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline
        }
    );
    // Nor after the arbitration deadline.
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    w.at(end);
    let e = w.refused(|w| w.exec(&arbiter, &resolve));
    assert_eq!(
        contract_err(e),
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
}

#[test]
fn protocol_contracts_cannot_be_agent_or_arbiter() {
    let mut w = world();
    let reserved = [
        (w.escrow.clone(), "escrow"),
        (w.s.pool.clone(), "reward_pool"),
        (w.s.token.clone(), "token"),
        (w.models.clone(), "model_licensing"),
    ];
    for (who, contract) in reserved {
        let mut t = w.new_task(&[1_000]);
        t.agent = who.to_string();
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::ReservedAddress {
                role: "agent".into(),
                contract: contract.into(),
                address: who.to_string()
            }
        );
        let mut t = w.new_task(&[1_000]);
        t.arbiter = Some(who.to_string());
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::ReservedAddress {
                role: "arbiter".into(),
                contract: contract.into(),
                address: who.to_string()
            }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Bad tasks
// ---------------------------------------------------------------------------------------------

#[test]
fn milestones_must_sum_to_the_deposit() {
    let mut w = world();
    let t = w.new_task(&[600, 500]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_000),
            sum: Uint128::new(1_100)
        }
    );
    let t = w.new_task(&[600, 300]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_000),
            sum: Uint128::new(900)
        }
    );
    let t = w.new_task(&[1_000, 0]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(contract_err(e), ContractError::ZeroMilestone { index: 1 });
    let t = w.new_task(&[1; 11]);
    let e = w.refused(|w| w.create_with(11, t));
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneCount { count: 11, max: 10 }
    );
}

#[test]
fn deadlines_in_the_past_or_overflowing_are_refused() {
    let mut w = world();
    let now = w.now();
    for deadline in [1, now - 1, now] {
        let mut t = w.new_task(&[1_000]);
        t.delivery_deadline = deadline;
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::DeadlineNotInFuture { deadline, now }
        );
    }
    for deadline in [now + MAX_TASK_DURATION + 1, u64::MAX] {
        let mut t = w.new_task(&[1_000]);
        t.delivery_deadline = deadline;
        let e = w.refused(|w| w.create_with(1_000, t));
        assert_eq!(
            contract_err(e),
            ContractError::DeadlineTooFar {
                deadline,
                latest: now + MAX_TASK_DURATION
            }
        );
    }
    let mut t = w.new_task(&[1_000]);
    t.delivery_deadline = now + ACCEPT;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::DeadlineWithinAcceptWindow {
            deadline: now + ACCEPT,
            accept_deadline: now + ACCEPT
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.accept_window = u64::MAX;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::WindowOutOfRange {
            field: "accept_window".into(),
            value: u64::MAX,
            min: 1,
            max: MAX_WINDOW
        }
    );
    let mut t = w.new_task(&[1_000]);
    t.review_window = u64::MAX;
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        contract_err(e),
        ContractError::WindowOutOfRange {
            field: "review_window".into(),
            value: u64::MAX,
            min: 1,
            max: MAX_WINDOW
        }
    );
}

#[test]
fn a_hook_from_another_token_is_refused() {
    let mut w = world();
    let client = w.client.clone();
    let code = w.s.app.store_code(openledger_tests::token_contract());
    let fake =
        w.s.app
            .instantiate_contract(
                code,
                client.clone(),
                &open_token::InstantiateMsg {
                    name: "Fake".into(),
                    symbol: "FAKE".into(),
                    decimals: 6,
                    initial_balances: vec![Cw20Coin {
                        address: client.to_string(),
                        amount: Uint128::new(1_000_000),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "fake",
                None,
            )
            .unwrap();
    let task = w.new_task(&[1_000]);
    let send = Cw20ExecuteMsg::Send {
        contract: w.escrow.to_string(),
        amount: Uint128::new(1_000),
        msg: to_json_binary(&ReceiveMsg::CreateTask(task)).unwrap(),
    };
    let e = w.refused(|w| {
        w.s.app
            .execute_contract(client.clone(), fake.clone(), &send, &[])
    });
    assert_eq!(
        contract_err(e),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: w.s.token.to_string(),
            received: fake.to_string()
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Callbacks during settlement
// ---------------------------------------------------------------------------------------------

/// The agent is a contract with a cw20 `Receive` hook that calls back into the escrow. The
/// escrow pays agents (and clients) with cw20 `transfer`, which never calls the recipient, so
/// its hook does not run during settlement; called any other way, its callback is refused.
#[test]
fn a_contract_agent_is_paid_by_transfer_and_cannot_call_back() {
    let mut w = world();
    let (escrow, pool, token) = (w.escrow.clone(), w.s.pool.clone(), w.s.token.clone());
    let evil = deploy_evil(&mut w, "evil-agent");
    w.s.fund(&evil, BOND);
    // It registers (a cw20 send by the contract) and arms its callback: finalize the milestone
    // again, and refund the task.
    evil_call(
        &mut w,
        &evil,
        &token,
        &Cw20ExecuteMsg::Send {
            contract: escrow.to_string(),
            amount: Uint128::new(BOND),
            msg: to_json_binary(&ReceiveMsg::RegisterAgent {
                name: "evil".into(),
                metadata_uri: String::new(),
                models: vec![1],
            })
            .unwrap(),
        },
    )
    .unwrap();
    w.s.moved(&evil, &escrow, BOND);
    w.agent = evil.clone();
    let id = w.create(&[2_000]);
    evil_call(
        &mut w,
        &evil,
        &escrow,
        &ExecuteMsg::AcceptTask { task_id: id },
    )
    .unwrap();
    let submit = ExecuteMsg::SubmitMilestone {
        task_id: id,
        milestone: 0,
        result_hash: "ab".repeat(32),
        result_uri: String::new(),
        inferences: vec![w.lineage_inference("evil-1")],
    };
    evil_call(&mut w, &evil, &escrow, &submit).unwrap();
    // The delivery pays the model fee: 200 stays with model licensing, 800 reaches the pool.
    w.s.moved(&escrow, &w.models.clone(), 200);
    w.s.moved(&escrow, &pool, 800);
    w.check();
    let deployer = w.s.deployer.clone();
    w.s.app
        .execute_contract(
            deployer.clone(),
            evil.clone(),
            &evil::ExecuteMsg::SetCallback {
                escrow: escrow.to_string(),
                msg: Some(
                    to_json_binary(&ExecuteMsg::Finalize {
                        task_id: id,
                        milestone: 0,
                    })
                    .unwrap(),
                ),
            },
            &[],
        )
        .unwrap();

    // Approval: model 1 000 (paid at delivery), protocol 100, agent 900 by transfer. Its hook
    // never ran.
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &evil, 900);
    w.check();
    assert_eq!(evil_hooks(&w, &evil), 0);
    assert_eq!(w.task(id).task.status, TaskStatus::Completed);

    // Were its hook called (here by a cw20 `send` from a stranger), the callback would find
    // the milestone paid: the escrow refuses and the whole send reverts.
    let stranger = w.s.addr("stranger");
    w.s.fund(&stranger, 10);
    let e = w.refused(|w| {
        w.s.app.execute_contract(
            stranger.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: evil.to_string(),
                amount: Uint128::new(10),
                msg: Binary::default(),
            },
            &[],
        )
    });
    assert_eq!(
        contract_err(e),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Approved
        }
    );
    assert_eq!(evil_hooks(&w, &evil), 0);
    // Nor may it approve its own work.
    let e = w.refused(|w| {
        evil_call(
            w,
            &evil,
            &escrow,
            &ExecuteMsg::ApproveMilestone {
                task_id: id,
                milestone: 0,
            },
        )
    });
    assert_eq!(contract_err(e), ContractError::NotClient { task_id: id });
}

/// The only contract the escrow calls with a hook is model licensing, when a delivery pays its
/// model fees. Here a hostile contract stands in for it (wired by the owner) and calls back
/// into the escrow from `pay_inference`: state was written before the funds moved, so the
/// callback finds the milestone submitted (its review window open) and is refused, and as the
/// fee payment is a plain submessage the whole submission reverts: nothing moves, nothing is
/// paid twice. (0.2.0 paid the fees at settlement and returned a refused one to the client in
/// `reply`.)
#[test]
fn a_callback_from_the_model_contract_during_delivery_reverts_the_submission() {
    let mut w = world();
    let pool = w.s.pool.clone();
    let evil_models = deploy_evil(&mut w, "evil-models");
    let arbiter = w.arbiter.clone();
    let escrow = deploy_escrow(&mut w.s, &evil_models, &arbiter);
    w.escrow = escrow.clone();
    let other_agent = w.s.addr("agent-2");
    w.s.fund(&other_agent, BOND);
    w.register(&other_agent, BOND, vec![1]).unwrap();
    w.agent = other_agent.clone();
    w.check();

    let first = w.accepted(&[3_000]);
    let second = w.accepted(&[3_000]);
    let deployer = w.s.deployer.clone();
    let review_deadline = w.now() + REVIEW;
    for (id, callback, expected) in [
        (
            first,
            ExecuteMsg::Finalize {
                task_id: first,
                milestone: 0,
            },
            ContractError::ReviewWindowOpen {
                task_id: first,
                milestone: 0,
                review_deadline,
            },
        ),
        (
            second,
            ExecuteMsg::Refund { task_id: second },
            ContractError::MilestoneUnderReview {
                task_id: second,
                milestone: 0,
                review_deadline,
            },
        ),
    ] {
        w.s.app
            .execute_contract(
                deployer.clone(),
                evil_models.clone(),
                &evil::ExecuteMsg::SetCallback {
                    escrow: escrow.to_string(),
                    msg: Some(to_json_binary(&callback).unwrap()),
                },
                &[],
            )
            .unwrap();
        let item = w.lineage_inference(&format!("x-{id}"));
        let e = w.refused(|w| w.submit(id, 0, vec![item]));
        assert_eq!(contract_err(e), expected);
        let t = w.task(id);
        assert_eq!(
            (t.milestones[0].status, t.task.escrowed.u128()),
            (MilestoneStatus::Pending, 3_000)
        );
    }
    assert_eq!(
        evil_hooks(&w, &evil_models),
        0,
        "every hook call was reverted with its callback"
    );

    // Control: without a callback the same contract takes the fees, so the callback was the
    // cause of the refusals above; each delivery pays 1 000, each approval protocol 150 and
    // agent 1 850.
    w.s.app
        .execute_contract(
            deployer,
            evil_models.clone(),
            &evil::ExecuteMsg::SetCallback {
                escrow: escrow.to_string(),
                msg: None,
            },
            &[],
        )
        .unwrap();
    for id in [first, second] {
        w.submit(id, 0, vec![w.lineage_inference(&format!("x-{id}"))])
            .unwrap();
        w.s.moved(&escrow, &evil_models, MODEL_FEE);
        w.check();
        let res = w.approve(id, 0).unwrap();
        assert_eq!(attr(&res, "task_status"), "completed");
        w.s.moved(&escrow, &pool, 150);
        w.s.moved(&escrow, &other_agent, 1_850);
        w.check();
        let t = w.task(id);
        assert_eq!(t.milestones[0].inferences[0].status, ModelFeeStatus::Paid);
        assert_eq!(
            (t.task.paid_to_agent.u128(), t.task.model_fees_paid.u128()),
            (1_850, MODEL_FEE)
        );
    }
    assert_eq!(evil_hooks(&w, &evil_models), 2);
}

// ---------------------------------------------------------------------------------------------
// Bonds
// ---------------------------------------------------------------------------------------------

#[test]
fn a_bond_cannot_leave_while_a_task_is_open() {
    let mut w = world();
    let agent = w.agent.clone();
    let id = w.create(&[1_000]);
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::Unbond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(contract_err(e), ContractError::NotUnbonding);
    let agent2 = agent.clone();
    w.exec(&agent2, &ExecuteMsg::AcceptTask { task_id: id })
        .unwrap();
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::Unbond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    // A stranger has no bond to take.
    let stranger = w.s.addr("stranger");
    let e = w.refused(|w| w.exec(&stranger, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(
        contract_err(e),
        ContractError::AgentNotFound {
            address: stranger.to_string()
        }
    );
}
