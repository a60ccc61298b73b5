use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Amounts around every threshold
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_amount_bond_minus_one() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND - 1,
            &RegHook::Contribute(contribution(1, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::new(BOND),
            received: Uint128::new(BOND - 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_bond_plus_one() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND + 1,
            &RegHook::Contribute(contribution(1, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::new(BOND),
            received: Uint128::new(BOND + 1)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_bond_exactly_is_held_as_a_liability() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let before = registry_solvency(&w.s);
    w.s.send(
        &mallory,
        &registry,
        BOND,
        &RegHook::Contribute(contribution(1, "m")),
    )
    .unwrap();
    w.s.moved(&mallory, &registry, BOND);
    let after = registry_solvency(&w.s);
    assert_eq!(
        after.pending_bonds,
        before.pending_bonds + Uint128::new(BOND)
    );
    assert_eq!(after.balance, after.total_liabilities);
    w.s.check();
}

#[test]
fn attack_amount_tokens_to_a_bondless_datanet() {
    let mut w = world();
    let (mallory, registry) = (w.mallory.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            1,
            &RegHook::Contribute(contribution(2, "m")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::zero(),
            received: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_direct_contribute_to_a_bonded_datanet() {
    let mut w = world();
    let mallory = w.mallory.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::Contribute(contribution(1, "free")))
    });
    assert_eq!(
        e,
        RegError::BondRequired {
            bond: Uint128::new(BOND)
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_creation_fee_minus_and_plus_one() {
    let mut w = world();
    let (owner, registry) = (w.owner.clone(), w.s.registry.clone());
    for paid in [FEE - 1, FEE + 1] {
        let new = new_datanet("cheap", 0, AttributionMode::Weight, vec![]);
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(&owner, &registry, paid, &RegHook::CreateDatanet(new))
        });
        assert_eq!(
            e,
            RegError::FeeMismatch {
                expected: Uint128::new(FEE),
                received: Uint128::new(paid)
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_amount_fee_to_a_free_registry() {
    let mut w = world();
    let (deployer, owner, registry) = (w.s.deployer.clone(), w.owner.clone(), w.s.registry.clone());
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::zero()),
            reward_pool: None,
        },
    )
    .unwrap();
    let new = new_datanet("gift", 0, AttributionMode::Weight, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, 1, &RegHook::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::FeeMismatch {
            expected: Uint128::zero(),
            received: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_amount_weight_at_and_over_the_maximum() {
    let mut w = world();
    let curator = w.curator.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&curator, &review(1, vec![accept(2, 10_001)]))
    });
    assert_eq!(
        e,
        RegError::InvalidWeight {
            weight: 10_001,
            max: 10_000
        }
    );
    w.s.registry_exec(&curator, &review(1, vec![accept(2, 10_000)]))
        .unwrap();
    let pos: openledger_common::msg::reward_pool::PositionResponse =
        w.s.query_pool(&PoolQuery::Position {
            datanet_id: 1,
            address: w.bob.to_string(),
        });
    assert_eq!(pos.weight, 10_000);
    w.s.check();
}

#[test]
fn attack_amount_zero_size_contribution() {
    let mut w = world();
    let alice = w.alice.clone();
    let mut c = contribution(2, "empty");
    c.size_bytes = 0;
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::Contribute(c))
    });
    assert_eq!(e, RegError::ZeroSize);
    w.s.check();
}

#[test]
fn attack_amount_withdraw_bonds_beyond_the_credit() {
    // Alice's credit is one bond: one withdrawal pays exactly it, the next finds nothing.
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    w.s.registry_exec(&alice, &RegExec::WithdrawBonds {})
        .unwrap();
    w.s.moved(&registry, &alice, BOND);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    w.s.check();
}
