use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Amounts off by one
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_off_by_one_deposit_one_below_milestones() {
    let mut w = world();
    let t = w.new_task(&[600, 400]);
    let e = refused(&mut w, |w| w.create_with(999, t));
    assert_eq!(
        e,
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(999),
            sum: Uint128::new(1_000)
        }
    );
    w.check();
}

#[test]
fn attack_off_by_one_deposit_one_above_milestones() {
    let mut w = world();
    let t = w.new_task(&[600, 400]);
    let e = refused(&mut w, |w| w.create_with(1_001, t));
    assert_eq!(
        e,
        ContractError::MilestoneSumMismatch {
            deposit: Uint128::new(1_001),
            sum: Uint128::new(1_000)
        }
    );
    w.check();
}

#[test]
fn attack_off_by_one_bond_one_below_minimum() {
    let mut w = world();
    let rival = w.s.addr("rival-agent");
    w.s.fund(&rival, MIN_BOND);
    let e = refused(&mut w, |w| w.register(&rival, MIN_BOND - 1, vec![1]));
    assert_eq!(
        e,
        ContractError::BondTooLow {
            bond: Uint128::new(MIN_BOND - 1),
            required: Uint128::new(MIN_BOND)
        }
    );
    // Exactly the minimum registers.
    w.register(&rival, MIN_BOND, vec![1]).unwrap();
    w.check();
}

#[test]
fn attack_off_by_one_agent_bond_below_raised_minimum() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    let mut raise = settle_config(&w);
    if let ExecuteMsg::UpdateConfig { min_agent_bond, .. } = &mut raise {
        *min_agent_bond = Some(Uint128::new(BOND + 1));
    }
    w.exec(&deployer, &raise).unwrap();
    let t = w.new_task(&[1_000]);
    let e = refused(&mut w, |w| w.create_with(1_000, t));
    assert_eq!(
        e,
        ContractError::BondTooLow {
            bond: Uint128::new(BOND),
            required: Uint128::new(BOND + 1)
        }
    );
    w.check();
}

/// A milestone of 1 052 leaves 1 052 − 53 = 999 after the protocol fee (52.6, rounded up):
/// one short of the model fee. 1 053 leaves exactly 1 000 and is taken. (0.2.0 rounded the
/// fee down: 1 052 left 1 000.)
#[test]
fn attack_off_by_one_model_fee_one_above_what_the_milestone_leaves() {
    let mut w = world();
    let id = w.accepted(&[1_052, 1_053]);
    let inference = vec![w.lineage_inference("tight")];
    let e = refused(&mut w, |w| w.submit(id, 0, inference));
    assert_eq!(
        e,
        ContractError::ModelFeesExceedMilestone {
            model_fees: Uint128::new(MODEL_FEE),
            available: Uint128::new(MODEL_FEE - 1)
        }
    );
    w.submit(id, 0, vec![]).unwrap();
    w.approve(id, 0).unwrap();
    let (escrow, pool, agent) = (w.escrow.clone(), w.s.pool.clone(), w.agent.clone());
    w.s.moved(&escrow, &pool, 53);
    w.s.moved(&escrow, &agent, 999);
    w.submit(id, 1, vec![w.lineage_inference("tight")]).unwrap();
    book_delivery_fee(&mut w);
    w.check();
}

#[test]
fn attack_off_by_one_ruling_share_too_small_for_the_model_fee() {
    let mut w = world();
    let id = w.accepted(&[2_000]);
    w.submit(id, 0, vec![w.lineage_inference("costly")])
        .unwrap();
    book_delivery_fee(&mut w);
    w.dispute(id, 0).unwrap();
    // 4 999 bps of 2 000 = 999 (rounded down): below the 1 000 model fee (protocol fee 49.95,
    // rounded up to 50).
    let e = refused(&mut w, |w| w.resolve(id, 0, 4_999));
    assert_eq!(
        e,
        ContractError::AgentShareBelowCosts {
            agent_share: Uint128::new(999),
            model_fees: Uint128::new(MODEL_FEE),
            protocol_fee: Uint128::new(50)
        }
    );
    w.check();
}

#[test]
fn attack_unauthorized_top_up_by_a_non_agent() {
    let mut w = world();
    let client = w.client.clone();
    let escrow = w.escrow.clone();
    let e = refused(&mut w, |w| {
        w.s.send(&client, &escrow, 1, &ReceiveMsg::TopUpBond {})
    });
    assert_eq!(
        e,
        ContractError::AgentNotFound {
            address: client.to_string()
        }
    );
    w.check();
}
