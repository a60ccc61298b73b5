use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Direct token donations and contribution spam
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_donation_plain_transfer_to_the_registry() {
    let mut w = world();
    let (mallory, registry, token) = (w.mallory.clone(), w.s.registry.clone(), w.s.token.clone());
    let before = registry_solvency(&w.s);
    w.s.app
        .execute_contract(
            mallory.clone(),
            token,
            &Cw20ExecuteMsg::Transfer {
                recipient: registry.to_string(),
                amount: Uint128::new(777),
            },
            &[],
        )
        .unwrap();
    w.s.moved(&mallory, &registry, 777);
    let after = registry_solvency(&w.s);
    assert_eq!(after.balance, before.balance + Uint128::new(777));
    assert_eq!(
        (
            after.pending_bonds,
            after.withdrawable_bonds,
            after.total_liabilities
        ),
        (
            before.pending_bonds,
            before.withdrawable_bonds,
            before.total_liabilities
        )
    );
    assert!(after.solvent);
    // Nobody can take the donation as a bond of their own.
    for who in [mallory.clone(), w.owner.clone(), w.s.deployer.clone()] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&who, &RegExec::WithdrawBonds {})
        });
        assert_eq!(e, RegError::NothingToWithdraw);
    }
    // Alice still withdraws exactly her bond, not a share of the surplus.
    let alice = w.alice.clone();
    w.s.registry_exec(&alice, &RegExec::WithdrawBonds {})
        .unwrap();
    w.s.moved(&registry, &alice, BOND);
    assert_eq!(registry_solvency(&w.s).balance.u128(), BOND + 777);
    w.s.check();
}

#[test]
fn attack_spam_tiny_contributions_up_to_a_full_review_batch_then_one_more() {
    // The registry has no per-datanet cap on contributions (nothing iterates over them); what
    // bounds spam is the bond each one pays and the review batch cap of 50. A spammer fills a
    // full batch of one-byte contributions, then one more: all are taken, each holds its bond,
    // a curator rejects them in a batch of 50 plus one, and every bond ends in the treasury.
    let heavy = std::env::var("OPENLEDGER_HEAVY").as_deref() == Ok("1");
    let batches: u64 = if heavy { 8 } else { 1 };
    let mut s = Suite::default();
    let (owner, spammer) = (s.addr("owner"), s.addr("spammer"));
    let (registry, pool) = (s.registry.clone(), s.pool.clone());
    let tiny: u128 = 1;
    s.registry_exec(
        &owner,
        &RegExec::CreateDatanet(new_datanet("spam", tiny, AttributionMode::Weight, vec![])),
    )
    .unwrap();
    let n = 50 * batches + 1;
    s.fund(&spammer, n as u128 * tiny);
    for i in 0..n {
        let mut c = contribution(1, &format!("spam{i}"));
        c.size_bytes = 1;
        s.send(&spammer, &registry, tiny, &RegHook::Contribute(c))
            .unwrap();
        s.moved(&spammer, &registry, tiny);
    }
    assert_eq!(datanet(&s, 1).pending_count, n);
    assert_eq!(registry_solvency(&s).pending_bonds.u128(), n as u128 * tiny);
    let all: Vec<ReviewDecision> = (1..=n).map(reject).collect();
    let e = refused::<RegError>(&mut s, |s| s.registry_exec(&owner, &review(1, all.clone())));
    assert_eq!(e, RegError::BatchTooLarge { got: n, max: 50 });
    let treasury_before = s.treasury();
    for chunk in all.chunks(50) {
        s.registry_exec(&owner, &review(1, chunk.to_vec())).unwrap();
    }
    s.moved(&registry, &pool, n as u128 * tiny);
    assert_eq!(s.treasury() - treasury_before, n as u128 * tiny);
    assert_eq!(datanet(&s, 1).pending_count, 0);
    assert_eq!(s.balance(&spammer), 0);
    let e = refused::<RegError>(&mut s, |s| {
        s.registry_exec(&spammer, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    s.check();
}

#[test]
fn attack_spam_one_more_contribution_than_the_spammer_can_bond() {
    let mut w = world();
    let (registry, spammer) = (w.s.registry.clone(), w.s.addr("broke"));
    w.s.fund(&spammer, 2 * BOND);
    for i in 0..2 {
        w.s.send(
            &spammer,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, &format!("broke{i}"))),
        )
        .unwrap();
        w.s.moved(&spammer, &registry, BOND);
    }
    // The third has no bond behind it: the token refuses the send.
    let e = w.s.refused(|s| {
        s.send(
            &spammer,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "broke2")),
        )
    });
    let e = e.downcast::<open_token::ContractError>().unwrap();
    assert_eq!(e.to_string(), "Overflow: Cannot Sub with given operands");
    assert_eq!(w.s.balance(&spammer), 0);
    w.s.check();
}
