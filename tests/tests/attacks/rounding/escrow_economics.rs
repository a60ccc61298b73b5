use crate::setup::escrow_economics::*;

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
