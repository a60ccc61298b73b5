//! Every path of the agent escrow's task state machine, with the exact balance of the client,
//! the agent, model licensing, the pool and the escrow after every step (the suite's ledger),
//! and `solvency` checked after every step: approve, finalize after the review window, a
//! dispute with each ruling (0, a split, 10 000 bps), a silent arbiter, a missed delivery
//! deadline, cancel, decline, an expired accept window, model fees paid at delivery (a refused
//! one fails the submission), a milestone submitted under 0.2.0 whose fees are refused at
//! settlement and caught in `reply`, and the bond's two-step exit.
//!
//! Amounts: protocol fee 5 % of the settled amount (rounded up), model 1's fee 1 000 of which
//! model licensing keeps the owner's 200 and sends 800 to the pool (no stakers: the stakers'
//! share goes to the treasury), paid when the milestone is submitted; accepting a task reserves
//! min(deposit, 50 % of the free bond), which a ruling of 0 slashes.

use agent_escrow::ContractError;
use cosmwasm_std::Uint128;
use cw20::Cw20ExecuteMsg;
use cw_multi_test::Executor;
use openledger_common::msg::agent_escrow::{
    AgentStatus, ExecuteMsg, MilestoneStatus, ModelFeeStatus, RefundReason, TaskStatus,
};
use openledger_common::msg::model_licensing::{
    self as ml, InferenceResponse, ModelStatsResponse, ModelStatus,
};
use openledger_tests::escrow::{
    attr, world, World, ACCEPT, ARBITRATION, BOND, DELIVERY, MODEL_FEE, MODEL_OWNER_CUT, POOL_CUT,
    REVIEW, UNBONDING,
};
use openledger_tests::models::shares;

fn paid_inferences(w: &World) -> u64 {
    let stats: ModelStatsResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(&w.models, &ml::QueryMsg::ModelStats { model_id: 1 })
            .unwrap();
    stats.paid_inferences
}

/// Records a paid model fee (at submission; at settlement for a 0.2.0 submission): the owner's
/// cut stays in model licensing, the rest reaches the pool.
fn model_fee_paid(w: &mut World) {
    let (escrow, models, pool) = (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
    w.s.moved(&escrow, &models, MODEL_OWNER_CUT);
    w.s.moved(&escrow, &pool, POOL_CUT);
}

#[test]
fn delivery_pays_the_model_fees_and_approval_the_protocol_then_the_agent() {
    let mut w = world();
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let id = w.accepted(&[10_000, 5_000]);
    w.check();
    assert_eq!(w.solvency().escrowed.u128(), 15_000);

    let items = vec![
        w.lineage_inference("inf-1"),
        w.signed_inference("inf-2", shares(&[(1, 2_500), (2, 7_500)])),
    ];
    w.submit(id, 0, items).unwrap();
    // The two model fees (2 × 1 000) are paid with the delivery (0.2.0: at settlement).
    model_fee_paid(&mut w);
    model_fee_paid(&mut w);
    let t = w.task(id);
    assert_eq!(
        (t.milestones[0].status, t.milestones[0].model_fees.u128()),
        (MilestoneStatus::Submitted, 2 * MODEL_FEE)
    );
    assert_eq!(
        (t.task.escrowed.u128(), t.task.model_fees_paid.u128()),
        (13_000, 2 * MODEL_FEE)
    );
    w.check();

    let res = w.approve(id, 0).unwrap();
    // 10 000: the model fees already paid, protocol 500, agent 7 500.
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &agent, 7_500);
    assert_eq!(
        (
            attr(&res, "protocol_fee").as_str(),
            attr(&res, "agent_payout").as_str()
        ),
        ("500", "7500")
    );
    w.check();
    // The fees reached the data: inf-1 with the lineage (300 + 200), inf-2 as signed (125 + 375).
    assert_eq!(w.datanets_received(), 1_000);
    // Treasury: per fee 100 + the stakers' 200 (nobody staked), plus the protocol fee.
    assert_eq!(w.s.treasury(), 2 * 300 + 500);
    let record: InferenceResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &w.models,
                &ml::QueryMsg::Inference {
                    model_id: 1,
                    payer: escrow.to_string(),
                    inference_id: "inf-2".into(),
                },
            )
            .unwrap();
    assert_eq!(
        (record.payer, record.fee.u128(), record.attribution),
        (
            escrow.clone(),
            MODEL_FEE,
            Some(shares(&[(1, 2_500), (2, 7_500)]))
        )
    );
    assert_eq!(paid_inferences(&w), 2);
    let t = w.task(id);
    assert_eq!(t.milestones[0].status, MilestoneStatus::Approved);
    assert!(t.milestones[0]
        .inferences
        .iter()
        .all(|i| i.status == ModelFeeStatus::Paid));
    assert_eq!(
        (
            t.task.current_milestone,
            t.task.escrowed.u128(),
            t.task.status
        ),
        (1, 5_000, TaskStatus::InProgress)
    );

    // The last milestone, without model usage, completes the task.
    w.submit(id, 1, vec![]).unwrap();
    w.approve(id, 1).unwrap();
    w.s.moved(&escrow, &pool, 250);
    w.s.moved(&escrow, &agent, 4_750);
    w.check();
    let t = w.task(id);
    assert_eq!(
        (
            t.task.status,
            t.task.paid_to_agent.u128(),
            t.task.model_fees_paid.u128(),
            t.task.protocol_fees.u128()
        ),
        (TaskStatus::Completed, 12_250, 2_000, 750)
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.open_tasks,
            a.stats.completed,
            a.stats.milestones_settled,
            a.stats.earned.u128()
        ),
        (0, 1, 2, 12_250)
    );
    assert_eq!(w.solvency().escrowed, Uint128::zero());
}

#[test]
fn finalize_settles_after_an_undisputed_review_window() {
    let mut w = world();
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("f-1")]).unwrap();
    model_fee_paid(&mut w);
    w.check();
    let end = w.now() + REVIEW;
    let stranger = w.s.addr("stranger");
    let finalize = ExecuteMsg::Finalize {
        task_id: id,
        milestone: 0,
    };

    w.at(end - 1);
    let e = w.refused(|w| w.exec(&stranger, &finalize));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::ReviewWindowOpen {
            task_id: id,
            milestone: 0,
            review_deadline: end
        }
    );
    w.at(end);
    w.exec(&stranger, &finalize).unwrap();
    // 2 000: model 1 000 (paid at delivery), protocol 100, agent 900.
    w.s.moved(&escrow, &pool, 100);
    w.s.moved(&escrow, &agent, 900);
    w.check();
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Finalized);
    w.at(end + 1);
    let e = w.refused(|w| w.exec(&stranger, &finalize));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::MilestoneAlreadySettled {
            task_id: id,
            milestone: 0,
            status: MilestoneStatus::Finalized
        }
    );
}

#[test]
fn disputes_settle_as_ruled_zero_split_and_full() {
    let mut w = world();
    let (client, agent, escrow, pool) = (
        w.client.clone(),
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let id = w.accepted(&[10_000, 10_000, 10_000]);
    // Accepting reserved min(30 000, 50 % of the free 10 000) = 5 000 of the bond.
    assert_eq!(w.task(id).task.bond_reserved, Some(Uint128::new(BOND / 2)));

    // Milestone 0, ruled fully for the client: the milestone less its model fee (paid at
    // delivery: the work was delivered), plus the bond reserved for the task.
    w.submit(id, 0, vec![w.lineage_inference("d-0")]).unwrap();
    model_fee_paid(&mut w);
    w.dispute(id, 0).unwrap();
    w.check();
    w.resolve(id, 0, 0).unwrap();
    w.s.moved(&escrow, &client, 10_000 - MODEL_FEE + BOND / 2);
    w.check();
    assert_eq!(
        paid_inferences(&w),
        1,
        "the model and its data are paid for delivered work, whatever the ruling"
    );
    let t = w.task(id);
    assert_eq!(
        (t.milestones[0].status, t.milestones[0].agent_share_bps),
        (MilestoneStatus::Resolved, Some(0))
    );
    assert_eq!(t.milestones[0].inferences[0].status, ModelFeeStatus::Paid);
    assert_eq!(
        (
            t.task.slashed.u128(),
            t.task.refunded.u128(),
            t.task.bond_reserved
        ),
        (BOND / 2, 10_000 - MODEL_FEE, Some(Uint128::zero()))
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (a.bond.u128(), a.stats.lost, a.stats.slashed.u128()),
        (BOND / 2, 1, BOND / 2)
    );
    assert_eq!(w.solvency().bonds.u128(), BOND / 2);

    // Milestone 1, split 60 / 40: 6 000 settles (model 1 000 paid at delivery, protocol 300,
    // agent 4 700).
    w.submit(id, 1, vec![w.lineage_inference("d-1")]).unwrap();
    model_fee_paid(&mut w);
    w.dispute(id, 1).unwrap();
    w.resolve(id, 1, 6_000).unwrap();
    w.s.moved(&escrow, &pool, 300);
    w.s.moved(&escrow, &agent, 4_700);
    w.s.moved(&escrow, &client, 4_000);
    w.check();

    // Milestone 2, fully for the agent: like an approval.
    w.submit(id, 2, vec![w.lineage_inference("d-2")]).unwrap();
    model_fee_paid(&mut w);
    w.dispute(id, 2).unwrap();
    w.resolve(id, 2, 10_000).unwrap();
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &agent, 8_500);
    w.check();

    let t = w.task(id);
    assert_eq!(t.task.status, TaskStatus::Completed);
    assert_eq!(
        (
            t.task.refunded.u128(),
            t.task.paid_to_agent.u128(),
            t.task.protocol_fees.u128()
        ),
        (13_000, 13_200, 800)
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (
            a.stats.disputed,
            a.stats.lost,
            a.stats.split,
            a.stats.won,
            a.stats.completed
        ),
        (3, 1, 1, 1, 1)
    );
    assert_eq!(paid_inferences(&w), 3);
    assert_eq!(w.agent_info(&agent).reserved, Uint128::zero());
}

#[test]
fn a_silent_arbiter_lets_anyone_refund_the_client() {
    let mut w = world();
    let client = w.client.clone();
    let escrow = w.escrow.clone();
    let id = w.accepted(&[4_000, 6_000]);
    w.submit(id, 0, vec![]).unwrap();
    w.dispute(id, 0).unwrap();
    let end = w.now() + ARBITRATION;
    let stranger = w.s.addr("stranger");

    w.at(end - 1);
    let e = w.refused(|w| w.refund(&stranger, id));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::ArbitrationWindowOpen {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    w.at(end);
    let e = w.refused(|w| w.resolve(id, 0, 10_000));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::ArbitrationWindowClosed {
            task_id: id,
            milestone: 0,
            arbitration_deadline: end
        }
    );
    w.refund(&stranger, id).unwrap();
    // Everything unsettled goes to the client: the disputed milestone and the next one.
    w.s.moved(&escrow, &client, 10_000);
    w.check();
    let t = w.task(id);
    assert_eq!(
        (t.task.status, t.task.refund_reason),
        (TaskStatus::Refunded, Some(RefundReason::ArbiterSilent))
    );
    assert!(t
        .milestones
        .iter()
        .all(|m| m.status == MilestoneStatus::Refunded));
    let a = w.agent_info(&w.agent.clone());
    assert_eq!((a.open_tasks, a.bond.u128(), a.stats.missed), (0, BOND, 0));
}

#[test]
fn a_missed_delivery_deadline_refunds_the_unsubmitted_milestones() {
    let mut w = world();
    let (client, agent, escrow, pool) = (
        w.client.clone(),
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let id = w.accepted(&[3_000, 2_000]);
    let deadline = w.now() + DELIVERY;
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 150);
    w.s.moved(&escrow, &agent, 2_850);
    w.check();

    let stranger = w.s.addr("stranger");
    w.at(deadline - 1);
    let e = w.refused(|w| w.refund(&stranger, id));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::DeadlineNotReached {
            task_id: id,
            deadline
        }
    );
    w.at(deadline);
    let e = w.refused(|w| w.submit(id, 1, vec![]));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::DeliveryDeadlinePassed {
            task_id: id,
            deadline
        }
    );
    w.refund(&stranger, id).unwrap();
    w.s.moved(&escrow, &client, 2_000);
    w.check();
    let t = w.task(id);
    assert_eq!(
        (t.task.status, t.task.refund_reason),
        (
            TaskStatus::Refunded,
            Some(RefundReason::DeliveryDeadlineMissed)
        )
    );
    assert_eq!(w.agent_info(&agent).stats.missed, 1);
}

#[test]
fn cancel_decline_and_an_expired_accept_window_return_the_deposit() {
    let mut w = world();
    let (client, agent, escrow) = (w.client.clone(), w.agent.clone(), w.escrow.clone());
    let cancelled = w.create(&[1_000, 500]);
    let declined = w.create(&[700]);
    let expired = w.create(&[300]);
    w.check();
    assert_eq!(w.agent_info(&agent).open_tasks, 3);

    w.exec(&client, &ExecuteMsg::CancelTask { task_id: cancelled })
        .unwrap();
    w.s.moved(&escrow, &client, 1_500);
    w.check();
    w.exec(&agent, &ExecuteMsg::DeclineTask { task_id: declined })
        .unwrap();
    w.s.moved(&escrow, &client, 700);
    w.check();

    let end = w.now() + ACCEPT;
    let stranger = w.s.addr("stranger");
    w.at(end - 1);
    let e = w.refused(|w| w.refund(&stranger, expired));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::AcceptWindowOpen {
            task_id: expired,
            accept_deadline: end
        }
    );
    w.at(end);
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::AcceptTask { task_id: expired }));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::AcceptWindowClosed {
            task_id: expired,
            accept_deadline: end
        }
    );
    w.refund(&stranger, expired).unwrap();
    w.s.moved(&escrow, &client, 300);
    w.check();

    let statuses: Vec<_> = [cancelled, declined, expired]
        .iter()
        .map(|id| w.task(*id).task.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            TaskStatus::Cancelled,
            TaskStatus::Declined,
            TaskStatus::Refunded
        ]
    );
    assert_eq!(
        w.task(expired).task.refund_reason,
        Some(RefundReason::AcceptWindowExpired)
    );
    let a = w.agent_info(&agent);
    // The expired task was never accepted: it is not held against the agent.
    assert_eq!((a.open_tasks, a.stats.declined, a.stats.missed), (0, 1, 0));
    assert_eq!(w.solvency().escrowed, Uint128::zero());
}

#[test]
fn a_0_2_0_submission_whose_model_was_paused_is_refunded_to_the_client_in_reply() {
    // A milestone submitted under 0.2.0 recorded its fees for settlement; it still settles the
    // 0.2.0 way after the upgrade: a fee model licensing refuses goes back to the client.
    let mut w = world();
    let (client, agent, escrow, pool) = (
        w.client.clone(),
        w.agent.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let id = w.accepted(&[10_000]);
    w.accepted_under_0_2_0(id);
    let items = vec![
        w.lineage_inference("p-1"),
        w.signed_inference("p-2", shares(&[(1, 5_000), (2, 5_000)])),
    ];
    w.submitted_under_0_2_0(id, 0, items);
    w.check();
    assert_eq!(w.task(id).task.escrowed.u128(), 10_000);
    // The model is paused between submission and approval.
    w.set_model_status(ModelStatus::Paused);

    let res = w.approve(id, 0).unwrap();
    // Both fees bounce in model licensing; each reply returns one to the client. The milestone
    // still settles: protocol 500, agent 7 500 (the recorded fees are not given to the agent).
    w.s.moved(&escrow, &client, 2 * MODEL_FEE);
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &agent, 7_500);
    w.check();
    let refunds: Vec<_> = res
        .events
        .iter()
        .filter(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "action" && a.value == "model_fee_refunded")
        })
        .collect();
    assert_eq!(refunds.len(), 2);
    assert_eq!(paid_inferences(&w), 0);
    assert_eq!(w.datanets_received(), 0);
    let t = w.task(id);
    assert_eq!(
        (t.task.status, t.milestones[0].status),
        (TaskStatus::Completed, MilestoneStatus::Approved)
    );
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128()
        ),
        (0, 2 * MODEL_FEE)
    );
    for inference in &t.milestones[0].inferences {
        assert_eq!(inference.status, ModelFeeStatus::Refunded);
        assert!(inference.error.is_some(), "the refusal is recorded");
    }
    // Once the model is active again, the same payment goes through: the pause was the cause.
    w.set_model_status(ModelStatus::Active);
    let (payer, models) = (w.s.addr("payer"), w.models.clone());
    w.s.fund(&payer, MODEL_FEE);
    w.s.send(
        &payer,
        &models,
        MODEL_FEE,
        &ml::ReceiveMsg::PayInference(w.lineage_inference("p-1")),
    )
    .unwrap();
    w.s.moved(&payer, &models, MODEL_OWNER_CUT);
    w.s.moved(&payer, &pool, POOL_CUT);
    w.check();
}

#[test]
fn a_model_fee_refused_at_delivery_fails_the_submission() {
    // Model fees are paid with the delivery: a fee model licensing refuses (here an inference
    // id the escrow already paid) fails the whole submission with model licensing's error and
    // moves nothing; the agent submits again with a fresh id. 0.2.0 accepted the submission
    // and refunded the refused fee to the client at settlement, so the model went unpaid.
    let mut w = world();
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let first = w.accepted(&[5_000]);
    w.submit(first, 0, vec![w.lineage_inference("r-1")])
        .unwrap();
    model_fee_paid(&mut w);
    w.check();
    // Another payer's payment of r-2 does not touch the escrow's ids (ids are per payer).
    let payer = w.s.addr("payer");
    w.s.fund(&payer, MODEL_FEE);
    let models = w.models.clone();
    w.s.send(
        &payer,
        &models,
        MODEL_FEE,
        &ml::ReceiveMsg::PayInference(w.lineage_inference("r-2")),
    )
    .unwrap();
    w.s.moved(&payer, &models, MODEL_OWNER_CUT);
    w.s.moved(&payer, &pool, POOL_CUT);

    let second = w.accepted(&[5_000]);
    let e = w.refused(|w| {
        w.submit(
            second,
            0,
            vec![w.lineage_inference("r-2"), w.lineage_inference("r-1")],
        )
    });
    assert_eq!(
        e.downcast::<model_licensing::ContractError>().unwrap(),
        model_licensing::ContractError::InferenceAlreadyPaid {
            model_id: 1,
            payer: escrow.to_string(),
            inference_id: "r-1".into()
        }
    );
    assert_eq!(
        w.task(second).milestones[0].status,
        MilestoneStatus::Pending
    );
    w.submit(
        second,
        0,
        vec![w.lineage_inference("r-2"), w.lineage_inference("r-3")],
    )
    .unwrap();
    model_fee_paid(&mut w);
    model_fee_paid(&mut w);
    w.check();
    w.approve(second, 0).unwrap();
    w.s.moved(&escrow, &pool, 250);
    w.s.moved(&escrow, &agent, 2_750);
    w.check();
    for (id, expected) in [("r-2", &escrow), ("r-2", &payer), ("r-3", &escrow)] {
        let record: InferenceResponse =
            w.s.app
                .wrap()
                .query_wasm_smart(
                    &w.models,
                    &ml::QueryMsg::Inference {
                        model_id: 1,
                        payer: expected.to_string(),
                        inference_id: id.into(),
                    },
                )
                .unwrap();
        assert_eq!(&record.payer, expected);
    }
    let t = w.task(second);
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128()
        ),
        (2 * MODEL_FEE, 0)
    );
}

#[test]
fn a_bond_leaves_in_two_steps_once_no_task_is_open() {
    let mut w = world();
    let (agent, escrow) = (w.agent.clone(), w.escrow.clone());
    let id = w.accepted(&[1_000]);
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::Unbond {}));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::AgentHasOpenTasks { open_tasks: 1 }
    );
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&escrow, &pool, 50);
    w.s.moved(&escrow, &agent, 950);
    w.check();

    // A top-up first, then out.
    w.s.send(
        &agent,
        &escrow,
        2_000,
        &openledger_common::msg::agent_escrow::ReceiveMsg::TopUpBond {},
    )
    .unwrap();
    w.s.moved(&agent, &escrow, 2_000);
    w.check();
    w.exec(&agent, &ExecuteMsg::Unbond {}).unwrap();
    let release_at = w.now() + UNBONDING;
    assert_eq!(
        w.agent_info(&agent).status,
        AgentStatus::Unbonding { release_at }
    );
    w.at(release_at - 1);
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::BondLocked { release_at }
    );
    w.at(release_at);
    w.exec(&agent, &ExecuteMsg::WithdrawBond {}).unwrap();
    w.s.moved(&escrow, &agent, BOND + 2_000);
    w.check();
    let e = w.refused(|w| w.exec(&agent, &ExecuteMsg::WithdrawBond {}));
    assert_eq!(
        e.downcast::<ContractError>().unwrap(),
        ContractError::NotUnbonding
    );
    let a = w.agent_info(&agent);
    assert_eq!(
        (a.status, a.bond, a.stats.completed),
        (AgentStatus::Withdrawn, Uint128::zero(), 1)
    );
    assert_eq!(w.solvency().total_liabilities, Uint128::zero());
}

#[test]
fn a_plain_transfer_to_the_escrow_is_credited_to_no_one() {
    // Tokens sent without a hook are not anyone's bond or deposit: solvency shows the surplus.
    let mut w = world();
    let (client, escrow) = (w.client.clone(), w.escrow.clone());
    let token = w.s.token.clone();
    w.s.app
        .execute_contract(
            client.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: escrow.to_string(),
                amount: Uint128::new(5),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&client, &escrow, 5);
    w.s.check();
    let sol = w.solvency();
    assert_eq!(
        (
            sol.balance.u128(),
            sol.total_liabilities.u128(),
            sol.solvent
        ),
        (BOND + 5, BOND, true)
    );
}
