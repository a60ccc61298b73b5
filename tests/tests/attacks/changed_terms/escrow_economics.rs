use crate::setup::escrow_economics::*;

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
