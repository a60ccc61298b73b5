//! Security review (issue 13) of the agent escrow: findings 3, 4, 10 and 11 and their classes,
//! each as an attack in the adversarial style: a refused step asserts the escrow's exact error
//! and that no storage and no balance changed (`World::refused`); an absorbed one asserts
//! every payout against amounts the test computes itself, the ledger and solvency after every
//! step. Each says what 0.2.0 did.
//!
//! The world: bond 10 000, minimum bond 5 000, slash 50 %, protocol fee 5 %, model 1's fee
//! 1 000 (model licensing keeps the owner's 200, 800 reaches the pool).
//!
//! Classes covered (DESIGN §6):
//! - shared pools a slash or payout draws on: the bond (reservations: sybil rulings, order of
//!   acceptance, a 0.2.0 task's slash capped at the free bond), the escrow's totals (a
//!   milestone's fees and payouts come from its own amount);
//! - numbers a participant chooses, at their worst: milestones of 1, a share of 1 bps, a slash
//!   of 10 000 bps with a huge deposit, unknown task and milestone ids;
//! - terms that change between a quote and its execution: protocol fee, slash share, minimum
//!   bond, arbitration window and default arbiter changed after creation; the model paused or
//!   repriced after delivery;
//! - rewards for reporting: a sybil client with a puppet arbiter gains at most its deposits;
//! - remainders: the odd unit of a split and of a reservation is accounted, never stranded.

use agent_escrow::ContractError;
use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::Executor;
use openledger_common::msg::agent_escrow::{
    ExecuteMsg, MilestoneStatus, ModelFeeStatus, ReceiveMsg, TaskStatus,
};
use openledger_common::msg::model_licensing::{ExecuteMsg as ModelExec, ModelStatus};
use openledger_tests::escrow::{
    attr, world, World, ARBITRATION, BOND, MIN_BOND, MODEL_FEE, MODEL_OWNER_CUT, POOL_CUT,
    SLASH_BPS,
};
use openledger_tests::models::shares;

fn escrow_err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().expect("an escrow error")
}

/// `client` (funded here) creates a task of `amounts` for the world's agent with `arbiter`
/// (the default one when `None`); returns its id (ledger updated).
fn create_as(w: &mut World, client: &Addr, amounts: &[u128], arbiter: Option<&Addr>) -> u64 {
    let deposit: u128 = amounts.iter().sum();
    w.s.fund(client, deposit);
    let mut task = w.new_task(amounts);
    task.arbiter = arbiter.map(|a| a.to_string());
    let escrow = w.escrow.clone();
    let res =
        w.s.send(client, &escrow, deposit, &ReceiveMsg::CreateTask(task))
            .unwrap();
    w.s.moved(client, &escrow, deposit);
    attr(&res, "task_id").parse().unwrap()
}

fn accept(w: &mut World, task_id: u64) -> anyhow::Result<cw_multi_test::AppResponse> {
    let agent = w.agent.clone();
    w.exec(&agent, &ExecuteMsg::AcceptTask { task_id })
}

/// `client` disputes milestone `milestone` of `task_id` and `arbiter` rules `share`.
fn dispute_and_rule(w: &mut World, client: &Addr, arbiter: &Addr, task_id: u64, share: u16) {
    let milestone = w.task(task_id).task.current_milestone;
    w.exec(
        client,
        &ExecuteMsg::DisputeMilestone {
            task_id,
            milestone,
            reason: "not what was asked".into(),
        },
    )
    .unwrap();
    w.exec(
        arbiter,
        &ExecuteMsg::Resolve {
            task_id,
            milestone,
            agent_share_bps: share,
        },
    )
    .unwrap();
}

/// The agent's (bond, reserved, free), checking `bond = reserved + free`.
fn bond(w: &World) -> (u128, u128, u128) {
    let a = w.agent_info(&w.agent.clone());
    assert_eq!(a.bond, a.reserved + a.free);
    (a.bond.u128(), a.reserved.u128(), a.free.u128())
}

/// Records a model fee paid at delivery.
fn model_fee_paid(w: &mut World) {
    let (escrow, models, pool) = (w.escrow.clone(), w.models.clone(), w.s.pool.clone());
    w.s.moved(&escrow, &models, MODEL_OWNER_CUT);
    w.s.moved(&escrow, &pool, POOL_CUT);
}

fn update_config(w: &mut World, f: impl FnOnce(&mut ExecuteMsg)) {
    let mut msg = ExecuteMsg::UpdateConfig {
        model_licensing: None,
        reward_pool: None,
        min_agent_bond: None,
        protocol_fee_bps: None,
        default_arbiter: None,
        arbitration_window: None,
        unbonding_period: None,
        slash_bps: None,
    };
    f(&mut msg);
    let deployer = w.s.deployer.clone();
    w.exec(&deployer, &msg).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Finding 3: the bond covers the tasks that rely on it
// ---------------------------------------------------------------------------------------------

/// The review's attack: the honest client's task (8 000) is accepted; a sybil client opens
/// small tasks naming a puppet arbiter, the agent accepts and the puppet rules 0, all in one
/// block. 0.2.0: each ruling slashed 50 % of the bond left (5 000, 2 500, 1 250: 8 750 to the
/// sybil) and the honest slash found 625. Now the honest acceptance reserved 5 000; the sybil
/// task reserves min(100, 50 % of the free 5 000) = 100, a second sybil task is refused (free
/// 4 900 < 5 000), the puppet's ruling takes only its 100 and the honest slash is exactly 5 000.
#[test]
fn sybil_rulings_cannot_drain_the_bond_an_honest_dispute_relies_on() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let honest = w.accepted(&[8_000]);
    assert_eq!(bond(&w), (BOND, 5_000, 5_000));
    assert_eq!(w.task(honest).task.bond_reserved, Some(Uint128::new(5_000)));

    let (sybil, puppet) = (w.s.addr("sybil"), w.s.addr("puppet"));
    let first = create_as(&mut w, &sybil, &[100], Some(&puppet));
    let second = create_as(&mut w, &sybil, &[100], Some(&puppet));
    accept(&mut w, first).unwrap();
    assert_eq!(bond(&w), (BOND, 5_100, 4_900));
    let e = w.refused(|w| accept(w, second));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(BOND),
            reserved: Uint128::new(5_100),
            free: Uint128::new(4_900),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &sybil, &puppet, first, 0);
    // The sybil gets its 100 back and the 100 reserved for its task: no more.
    w.s.moved(&escrow, &sybil, 100 + 100);
    w.check();
    assert_eq!(bond(&w), (BOND - 100, 5_000, 4_900));

    w.submit(honest, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, honest, 0);
    w.s.moved(&escrow, &client, 8_000 + 5_000);
    w.check();
    assert_eq!(w.task(honest).task.slashed.u128(), 5_000);
    assert_eq!(bond(&w), (BOND - 100 - 5_000, 0, 4_900));
    // The sybil's cancelled second task returns its deposit: its gain is exactly the 100
    // reserved for its own task.
    w.exec(&sybil, &ExecuteMsg::CancelTask { task_id: second })
        .unwrap();
    w.s.moved(&escrow, &sybil, 100);
    w.check();
    assert_eq!(w.s.balance(&sybil), 300);
}

/// The sybil's task is accepted first, with a large deposit: it reserves 5 000 (its deposit is
/// larger), the honest task then reserves 50 % of the free 5 000 = 2 500, and that is what its
/// client sees on the task (`bond_reserved`) and gets: the sybil's ruling cannot touch it.
#[test]
fn a_reservation_is_known_at_acceptance_and_never_shrinks() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let (sybil, puppet) = (w.s.addr("sybil"), w.s.addr("puppet"));
    let first = create_as(&mut w, &sybil, &[6_000], Some(&puppet));
    accept(&mut w, first).unwrap();
    let honest = w.accepted(&[8_000]);
    assert_eq!(w.task(honest).task.bond_reserved, Some(Uint128::new(2_500)));
    assert_eq!(bond(&w), (BOND, 7_500, 2_500));
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &sybil, &puppet, first, 0);
    w.s.moved(&escrow, &sybil, 6_000 + 5_000);
    w.check();
    w.submit(honest, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, honest, 0);
    w.s.moved(&escrow, &client, 8_000 + 2_500);
    w.check();
    assert_eq!(bond(&w), (2_500, 0, 2_500));
}

/// A task accepted under 0.2.0 reserved nothing: a ruling of 0 on it slashes as then
/// (bond × 50 %) but never what later tasks reserved. Here two tasks accepted after the
/// upgrade reserve 5 000 and 2 500; the 0.2.0 formula says 5 000, the free bond is 2 500.
#[test]
fn a_0_2_0_tasks_slash_never_takes_what_other_tasks_reserved() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    let legacy = w.accepted(&[3_000]);
    w.accepted_under_0_2_0(legacy);
    assert_eq!(w.task(legacy).task.bond_reserved, None);
    assert_eq!(bond(&w), (BOND, 0, BOND));
    let a = w.accepted(&[9_000]);
    let b = w.create(&[9_000]);
    // Free 5 000 = the minimum: b is accepted and reserves 2 500.
    accept(&mut w, b).unwrap();
    assert_eq!(bond(&w), (BOND, 7_500, 2_500));
    w.submit(legacy, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, legacy, 0);
    w.s.moved(&escrow, &client, 3_000 + 2_500);
    w.check();
    assert_eq!(bond(&w), (7_500, 7_500, 0));
    for (id, reserved) in [(a, 5_000), (b, 2_500)] {
        w.submit(id, 0, vec![]).unwrap();
        dispute_and_rule(&mut w, &client, &arbiter, id, 0);
        w.s.moved(&escrow, &client, 9_000 + reserved);
        w.check();
    }
    assert_eq!(bond(&w), (0, 0, 0));
    assert_eq!(w.solvency().bonds, Uint128::zero());
}

// ---------------------------------------------------------------------------------------------
// Finding 4: a slashed agent tops up before new work
// ---------------------------------------------------------------------------------------------

/// Two tasks created while the bond was whole; the first, ruled 0, takes its 5 000 (bond
/// 5 000); the second is accepted (free 5 000 = the minimum) and ruled 0 too (bond 2 500).
/// A third task, created before the slashes, cannot be accepted with a free bond of 2 500
/// (0.2.0 checked nothing at acceptance and let the agent work with 2 500 at stake); after a
/// top-up of 2 500 it is.
#[test]
fn a_slashed_agent_cannot_accept_until_it_tops_up() {
    let mut w = world();
    let (client, arbiter, escrow, agent) = (
        w.client.clone(),
        w.arbiter.clone(),
        w.escrow.clone(),
        w.agent.clone(),
    );
    let first = w.accepted(&[20_000]);
    let second = w.create(&[20_000]);
    let third = w.create(&[1_000]);
    w.submit(first, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, first, 0);
    w.s.moved(&escrow, &client, 20_000 + 5_000);
    accept(&mut w, second).unwrap();
    w.submit(second, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, second, 0);
    w.s.moved(&escrow, &client, 20_000 + 2_500);
    w.check();
    assert_eq!(bond(&w), (2_500, 0, 2_500));
    let e = w.refused(|w| accept(w, third));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(2_500),
            reserved: Uint128::zero(),
            free: Uint128::new(2_500),
            required: Uint128::new(MIN_BOND)
        }
    );
    // A new task cannot even be created for it.
    let t = w.new_task(&[1_000]);
    let e = w.refused(|w| w.create_with(1_000, t));
    assert_eq!(
        escrow_err(e),
        ContractError::BondTooLow {
            bond: Uint128::new(2_500),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.s.send(&agent, &escrow, 2_500, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, 2_500);
    accept(&mut w, third).unwrap();
    w.check();
    assert_eq!(bond(&w), (5_000, 1_000, 4_000));
}

// ---------------------------------------------------------------------------------------------
// Finding 10: a model's data share is owed once the work is delivered
// ---------------------------------------------------------------------------------------------

/// The client owns the model. It pauses the model after the delivery and approves: 0.2.0 paid
/// the fees at settlement, the paused model refused them and the client got 2 000 back, the
/// data 0. Now the fees were paid with the delivery: the data keep their 1 000, the client
/// gets nothing back, the agent its 7 500.
#[test]
fn a_client_owning_the_model_cannot_pause_it_to_take_the_data_share_back() {
    let mut w = world();
    let owner = w.model_owner.clone();
    w.s.fund(&owner, 10_000);
    w.client = owner.clone();
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let id = w.accepted(&[10_000]);
    let items = vec![
        w.lineage_inference("own-1"),
        w.signed_inference("own-2", shares(&[(1, 5_000), (2, 5_000)])),
    ];
    w.submit(id, 0, items).unwrap();
    model_fee_paid(&mut w);
    model_fee_paid(&mut w);
    w.check();
    assert_eq!(w.datanets_received(), 1_000);
    w.set_model_status(ModelStatus::Paused);
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &agent, 7_500);
    w.check();
    assert_eq!(w.datanets_received(), 1_000);
    let t = w.task(id);
    assert_eq!(
        (
            t.task.model_fees_paid.u128(),
            t.task.model_fees_refunded.u128(),
            t.task.status
        ),
        (2 * MODEL_FEE, 0, TaskStatus::Completed)
    );
    assert!(t.milestones[0]
        .inferences
        .iter()
        .all(|i| i.status == ModelFeeStatus::Paid));
}

/// The model owner raises the fee between delivery and approval: 0.2.0 sent the quoted 1 000,
/// model licensing refused it (fee mismatch) and the client got it back. Now the quote and
/// the payment are one transaction; the later change touches nothing already delivered. A
/// ruling of 0 after delivery returns the milestone less its fee: the work was delivered.
#[test]
fn repricing_the_model_after_delivery_changes_nothing_and_a_ruling_of_0_keeps_the_fee_paid() {
    let mut w = world();
    let (client, arbiter, escrow, pool) = (
        w.client.clone(),
        w.arbiter.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
    );
    let agent = w.agent.clone();
    let id = w.accepted(&[4_000, 4_000]);
    w.submit(id, 0, vec![w.lineage_inference("q-1")]).unwrap();
    model_fee_paid(&mut w);
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    w.s.app
        .execute_contract(
            owner,
            models,
            &ModelExec::UpdateModel {
                model_id: 1,
                metadata_uri: None,
                inference_fee: Some(Uint128::new(MODEL_FEE + 1)),
                tiers: None,
                hosts: None,
            },
            &[],
        )
        .unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 200);
    w.s.moved(&escrow, &agent, 4_000 - MODEL_FEE - 200);
    w.check();
    // The next delivery is quoted and paid at the new fee, in one transaction.
    w.submit(id, 1, vec![w.lineage_inference("q-2")]).unwrap();
    let fee = MODEL_FEE + 1;
    // Model licensing keeps the owner's share of the default split and sends the rest on.
    let kept = openledger_common::FeeSplit::default()
        .split(Uint128::new(fee))
        .unwrap()
        .model_owner
        .u128();
    let models = w.models.clone();
    w.s.moved(&escrow, &models, kept);
    w.s.moved(&escrow, &pool, fee - kept);
    w.check();
    assert_eq!(w.task(id).milestones[1].model_fees.u128(), fee);
    // Ruled 0: the client gets 4 000 − 1 001 back plus the reservation (min(8 000, 5 000)).
    dispute_and_rule(&mut w, &client, &arbiter, id, 0);
    w.s.moved(
        &escrow,
        &client,
        4_000 - fee + BOND * SLASH_BPS as u128 / 10_000,
    );
    w.check();
    let t = w.task(id);
    assert_eq!(
        (t.task.refunded.u128(), t.task.model_fees_paid.u128()),
        (4_000 - fee, MODEL_FEE + fee)
    );
    assert_eq!(t.milestones[1].inferences[0].status, ModelFeeStatus::Paid);
}

/// A paused model cannot be used in a delivery at all: refused with the escrow's exact error,
/// nothing moves (the agent delivers without it or waits).
#[test]
fn a_paused_model_is_refused_at_delivery() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.set_model_status(ModelStatus::Paused);
    let item = w.lineage_inference("p");
    let e = w.refused(|w| w.submit(id, 0, vec![item]));
    assert_eq!(
        escrow_err(e),
        ContractError::ModelNotActive {
            model_id: 1,
            status: ModelStatus::Paused
        }
    );
    assert_eq!(w.task(id).milestones[0].status, MilestoneStatus::Pending);
}

// ---------------------------------------------------------------------------------------------
// Finding 11: fees round in the protocol's favour
// ---------------------------------------------------------------------------------------------

/// Ten milestones of 19 at 5 % (0.95 each): 0.2.0 rounded down and paid the treasury 0; now
/// each pays 1. One milestone of 190 pays 10 (0.2.0: 9).
#[test]
fn small_milestones_pay_the_protocol_fee_rounded_up() {
    let mut w = world();
    let (agent, escrow, pool) = (w.agent.clone(), w.escrow.clone(), w.s.pool.clone());
    let treasury = w.s.treasury();
    let id = w.accepted(&[19; 10]);
    for m in 0..10 {
        w.submit(id, m, vec![]).unwrap();
        let res = w.approve(id, m).unwrap();
        assert_eq!(attr(&res, "protocol_fee"), "1");
        w.s.moved(&escrow, &pool, 1);
        w.s.moved(&escrow, &agent, 18);
        w.check();
    }
    assert_eq!(w.s.treasury(), treasury + 10);
    let id = w.accepted(&[190]);
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 10);
    w.s.moved(&escrow, &agent, 180);
    w.check();
    assert_eq!(w.s.treasury(), treasury + 20);
}

// ---------------------------------------------------------------------------------------------
// Class: numbers a participant chooses, at their worst
// ---------------------------------------------------------------------------------------------

/// A milestone of 1: its protocol fee is 1 (never 0), nothing is left for a model fee
/// (`ModelFeesExceedMilestone`), and the agent gets 0 (no empty transfer).
#[test]
fn a_milestone_of_one_pays_the_protocol_and_fits_no_model_fee() {
    let mut w = world();
    let (escrow, pool) = (w.escrow.clone(), w.s.pool.clone());
    let id = w.accepted(&[1, 1]);
    let item = w.lineage_inference("one");
    let e = w.refused(|w| w.submit(id, 0, vec![item]));
    assert_eq!(
        escrow_err(e),
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(MODEL_FEE),
            available: Uint128::zero()
        }
    );
    w.submit(id, 0, vec![]).unwrap();
    let res = w.approve(id, 0).unwrap();
    assert_eq!(
        (attr(&res, "protocol_fee"), attr(&res, "agent_payout")),
        ("1".to_string(), "0".to_string())
    );
    w.s.moved(&escrow, &pool, 1);
    w.check();
}

/// A share of 1 bps on a milestone with a model fee cannot pay it: refused
/// (`AgentShareBelowCosts`); 0.2.0 refused it too but with a protocol fee rounded down.
#[test]
fn a_ruling_of_one_bps_cannot_cover_the_fee_paid_at_delivery() {
    let mut w = world();
    let id = w.accepted(&[10_000]);
    w.submit(id, 0, vec![w.lineage_inference("bps")]).unwrap();
    model_fee_paid(&mut w);
    w.dispute(id, 0).unwrap();
    let e = w.refused(|w| w.resolve(id, 0, 1));
    assert_eq!(
        escrow_err(e),
        ContractError::AgentShareBelowCosts {
            agent_share: Uint128::new(1),
            model_fees: Uint128::new(MODEL_FEE),
            protocol_fee: Uint128::new(1)
        }
    );
}

/// The owner sets a slash of 10 000 bps: a task with a huge deposit reserves the whole free
/// bond (never more), the next acceptance finds a free bond of 0, and the ruling takes exactly
/// the bond.
#[test]
fn a_full_slash_share_reserves_at_most_the_free_bond() {
    let mut w = world();
    let (client, arbiter, escrow) = (w.client.clone(), w.arbiter.clone(), w.escrow.clone());
    update_config(&mut w, |m| {
        if let ExecuteMsg::UpdateConfig { slash_bps, .. } = m {
            *slash_bps = Some(10_000);
        }
    });
    let big = w.accepted(&[900_000]);
    let next = w.create(&[1_000]);
    assert_eq!(bond(&w), (BOND, BOND, 0));
    let e = w.refused(|w| accept(w, next));
    assert_eq!(
        escrow_err(e),
        ContractError::FreeBondTooLow {
            bond: Uint128::new(BOND),
            reserved: Uint128::new(BOND),
            free: Uint128::zero(),
            required: Uint128::new(MIN_BOND)
        }
    );
    w.submit(big, 0, vec![]).unwrap();
    dispute_and_rule(&mut w, &client, &arbiter, big, 0);
    w.s.moved(&escrow, &client, 900_000 + BOND);
    w.check();
    assert_eq!(bond(&w), (0, 0, 0));
}

/// Ids nobody created: the exact not-found errors, nothing moves.
#[test]
fn unknown_task_and_milestone_ids_are_refused() {
    let mut w = world();
    let id = w.accepted(&[1_000]);
    let e = w.refused(|w| accept(w, u64::MAX));
    assert_eq!(
        escrow_err(e),
        ContractError::TaskNotFound { task_id: u64::MAX }
    );
    let e = w.refused(|w| w.submit(id, u32::MAX, vec![]));
    assert_eq!(
        escrow_err(e),
        ContractError::MilestoneNotFound {
            task_id: id,
            milestone: u32::MAX
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Class: terms that change between a quote and its execution
// ---------------------------------------------------------------------------------------------

/// Everything the owner can change about a task's terms after it was created: protocol fee
/// (5 % → 30 %), slash share (50 % → 100 %), minimum bond (5 000 → 10 001), arbitration
/// window (3 days → 1 s) and default arbiter. The task keeps the terms it was created with:
/// it is accepted with its own minimum, reserves 50 %, gives its arbiter 3 days, only its
/// arbiter rules, and settles at 5 %.
#[test]
fn a_task_keeps_the_terms_it_was_created_with() {
    let mut w = world();
    let (client, arbiter, escrow, pool, agent) = (
        w.client.clone(),
        w.arbiter.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    let id = w.create(&[10_000, 10_000]);
    let new_arbiter = w.s.addr("new-arbiter");
    update_config(&mut w, |m| {
        if let ExecuteMsg::UpdateConfig {
            protocol_fee_bps,
            slash_bps,
            min_agent_bond,
            arbitration_window,
            default_arbiter,
            ..
        } = m
        {
            *protocol_fee_bps = Some(3_000);
            *slash_bps = Some(10_000);
            *min_agent_bond = Some(Uint128::new(BOND + 1));
            *arbitration_window = Some(1);
            *default_arbiter = Some(new_arbiter.to_string());
        }
    });
    accept(&mut w, id).unwrap();
    assert_eq!(w.task(id).task.bond_reserved, Some(Uint128::new(5_000)));
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 500);
    w.s.moved(&escrow, &agent, 9_500);
    w.check();
    w.submit(id, 1, vec![]).unwrap();
    w.dispute(id, 1).unwrap();
    let deadline = w.now() + ARBITRATION;
    assert_eq!(
        w.task(id).milestones[1].arbitration_deadline,
        Some(deadline)
    );
    let ruling = ExecuteMsg::Resolve {
        task_id: id,
        milestone: 1,
        agent_share_bps: 0,
    };
    let e = w.refused(|w| w.exec(&new_arbiter, &ruling));
    assert_eq!(escrow_err(e), ContractError::NotArbiter { task_id: id });
    w.at(deadline - 1);
    w.exec(&arbiter, &ruling).unwrap();
    w.s.moved(&escrow, &client, 10_000 + 5_000);
    w.check();
    assert_eq!(bond(&w), (5_000, 0, 5_000));
}

// ---------------------------------------------------------------------------------------------
// Class: remainders
// ---------------------------------------------------------------------------------------------

/// A split of an odd amount: 5 001 bps of 10 001 with a 1 000 model fee. The settled base is
/// rounded down (5 001; the odd part stays with the client: 5 000), the protocol fee up
/// (250.05 → 251), the agent gets 5 001 − 1 000 − 251 = 3 750. Every unit is accounted
/// (ledger and solvency exact). A reservation of 50 % of an odd free bond rounds down: the
/// odd unit stays free, the agent's.
#[test]
fn odd_units_of_a_split_and_of_a_reservation_are_accounted() {
    let mut w = world();
    let (client, escrow, pool, agent) = (
        w.client.clone(),
        w.escrow.clone(),
        w.s.pool.clone(),
        w.agent.clone(),
    );
    w.s.send(&agent, &escrow, 1, &ReceiveMsg::TopUpBond {})
        .unwrap();
    w.s.moved(&agent, &escrow, 1);
    let id = w.accepted(&[10_001]);
    assert_eq!(bond(&w), (10_001, 5_000, 5_001));
    w.submit(id, 0, vec![w.lineage_inference("odd")]).unwrap();
    model_fee_paid(&mut w);
    w.dispute(id, 0).unwrap();
    let res = w.resolve(id, 0, 5_001).unwrap();
    assert_eq!(
        (
            attr(&res, "protocol_fee"),
            attr(&res, "agent_payout"),
            attr(&res, "client_refund")
        ),
        ("251".to_string(), "3750".to_string(), "5000".to_string())
    );
    w.s.moved(&escrow, &pool, 251);
    w.s.moved(&escrow, &agent, 3_750);
    w.s.moved(&escrow, &client, 5_000);
    w.check();
    let t = w.task(id);
    assert_eq!(
        t.task.model_fees_paid + t.task.protocol_fees + t.task.paid_to_agent + t.task.refunded,
        t.task.deposit
    );
    assert_eq!(bond(&w), (10_001, 0, 10_001));
}

/// Review of 0.3.0 (high): model fees are paid at delivery, before any ruling, and the agent
/// chooses the models and inferences (and may own the model and reprice it). The client bounds
/// what the work may spend on models when it creates the task: an agent that reprices its model
/// after acceptance, or bills more inferences, is refused with the exact error and nothing
/// moves; within the budget the fees are paid as usual. (Before this bound, an agent owning a
/// model could take 97.5 % of a 100 000 milestone through a repriced model fee and a ruling of
/// 0 returned only the rest.)
#[test]
fn the_clients_model_fee_budget_bounds_what_a_delivery_can_pay_to_models() {
    let mut w = world();
    let (escrow, pool) = (w.escrow.clone(), w.s.pool.clone());
    // A budget of one model fee over the whole task.
    let mut task = w.new_task(&[4_000, 4_000]);
    task.max_model_fees = Uint128::new(MODEL_FEE);
    let res = w.create_with(8_000, task).unwrap();
    assert_eq!(attr(&res, "max_model_fees"), MODEL_FEE.to_string());
    let id: u64 = attr(&res, "task_id").parse().unwrap();
    accept(&mut w, id).unwrap();
    assert_eq!(
        w.task(id).task.max_model_fees,
        Some(Uint128::new(MODEL_FEE))
    );

    // Two inferences: 2 000 > 1 000.
    let items = vec![w.lineage_inference("b-1"), w.lineage_inference("b-2")];
    let e = w.refused(|w| w.submit(id, 0, items));
    assert_eq!(
        escrow_err(e),
        ContractError::ModelFeeBudgetExceeded {
            task_id: id,
            budget: Uint128::new(MODEL_FEE),
            spent: Uint128::zero(),
            requested: Uint128::new(2 * MODEL_FEE),
        }
    );

    // The model is repriced after acceptance: one inference now costs 5 000.
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    w.s.app
        .execute_contract(
            owner.clone(),
            models.clone(),
            &ModelExec::UpdateModel {
                model_id: 1,
                metadata_uri: None,
                inference_fee: Some(Uint128::new(3_000)),
                tiers: None,
                hosts: None,
            },
            &[],
        )
        .unwrap();
    let item = w.lineage_inference("b-3");
    let e = w.refused(|w| w.submit(id, 0, vec![item]));
    assert_eq!(
        escrow_err(e),
        ContractError::ModelFeeBudgetExceeded {
            task_id: id,
            budget: Uint128::new(MODEL_FEE),
            spent: Uint128::zero(),
            requested: Uint128::new(3_000),
        }
    );

    // Back at its fee, one inference fits the budget and is paid at delivery.
    w.s.app
        .execute_contract(
            owner,
            models.clone(),
            &ModelExec::UpdateModel {
                model_id: 1,
                metadata_uri: None,
                inference_fee: Some(Uint128::new(MODEL_FEE)),
                tiers: None,
                hosts: None,
            },
            &[],
        )
        .unwrap();
    w.submit(id, 0, vec![w.lineage_inference("b-4")]).unwrap();
    w.s.moved(&escrow, &models, MODEL_OWNER_CUT);
    w.s.moved(&escrow, &pool, POOL_CUT);
    w.check();
    w.approve(id, 0).unwrap();
    w.s.moved(&escrow, &pool, 200);
    let agent = w.agent.clone();
    w.s.moved(&escrow, &agent, 4_000 - MODEL_FEE - 200);
    w.check();

    // The budget is spent: the next milestone may not pay for any model use.
    let item = w.lineage_inference("b-5");
    let e = w.refused(|w| w.submit(id, 1, vec![item]));
    assert_eq!(
        escrow_err(e),
        ContractError::ModelFeeBudgetExceeded {
            task_id: id,
            budget: Uint128::new(MODEL_FEE),
            spent: Uint128::new(MODEL_FEE),
            requested: Uint128::new(MODEL_FEE),
        }
    );
    w.submit(id, 1, vec![]).unwrap();
    w.check();
}

/// A budget above the deposit is refused at creation, with both amounts.
#[test]
fn a_model_fee_budget_above_the_deposit_is_refused() {
    let mut w = world();
    let mut task = w.new_task(&[1_000]);
    task.max_model_fees = Uint128::new(1_001);
    let client = w.client.clone();
    let before = w.s.balance(&client);
    let e = w.create_with(1_000, task).unwrap_err();
    assert_eq!(
        escrow_err(e),
        ContractError::ModelFeeBudgetAboveDeposit {
            budget: Uint128::new(1_001),
            deposit: Uint128::new(1_000),
        }
    );
    // The send reverted: the client keeps its tokens.
    assert_eq!(w.s.balance(&client), before);
}

/// Review of 0.3.0 (medium): the reservation is computed when the agent accepts, so an agent
/// could thin an honest task's cover by first accepting its own sybil tasks. The client may set
/// a floor: acceptance below it is refused with the exact error and nothing changes; once the
/// other task is settled and its reservation released, the agent accepts with the full cover.
#[test]
fn a_clients_reservation_floor_stops_an_agent_thinning_its_cover() {
    let mut w = world();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    let mut task = w.new_task(&[8_000]);
    task.min_bond_reserved = Some(Uint128::new(5_000));
    let res = w.create_with(8_000, task).unwrap();
    let honest: u64 = attr(&res, "task_id").parse().unwrap();
    assert_eq!(
        w.task(honest).task.min_bond_reserved,
        Some(Uint128::new(5_000))
    );

    let (sybil, puppet) = (w.s.addr("sybil"), w.s.addr("puppet"));
    let first = create_as(&mut w, &sybil, &[6_000], Some(&puppet));
    accept(&mut w, first).unwrap();
    assert_eq!(bond(&w), (BOND, 5_000, 5_000));
    let e = w.refused(|w| accept(w, honest));
    assert_eq!(
        escrow_err(e),
        ContractError::ReservationBelowFloor {
            task_id: honest,
            floor: Uint128::new(5_000),
            reservable: Uint128::new(2_500),
        }
    );

    // The sybil's task is settled (approved): its reservation is released.
    w.submit(first, 0, vec![]).unwrap();
    w.exec(
        &sybil,
        &ExecuteMsg::ApproveMilestone {
            task_id: first,
            milestone: 0,
        },
    )
    .unwrap();
    w.s.moved(&escrow, &pool, 300);
    w.s.moved(&escrow, &agent, 5_700);
    w.check();
    accept(&mut w, honest).unwrap();
    assert_eq!(w.task(honest).task.bond_reserved, Some(Uint128::new(5_000)));
    assert_eq!(bond(&w), (BOND, 5_000, 5_000));
}

/// A reservation floor above the deposit is refused at creation, with both amounts.
#[test]
fn a_reservation_floor_above_the_deposit_is_refused() {
    let mut w = world();
    let mut task = w.new_task(&[1_000]);
    task.min_bond_reserved = Some(Uint128::new(1_001));
    let client = w.client.clone();
    let before = w.s.balance(&client);
    let e = w.create_with(1_000, task).unwrap_err();
    assert_eq!(
        escrow_err(e),
        ContractError::ReservationFloorAboveDeposit {
            floor: Uint128::new(1_001),
            deposit: Uint128::new(1_000),
        }
    );
    assert_eq!(w.s.balance(&client), before);
}
