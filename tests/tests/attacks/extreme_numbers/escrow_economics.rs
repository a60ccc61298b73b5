use crate::setup::escrow_economics::*;

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
