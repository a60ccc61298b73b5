use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Rewards for reporting, and where every bond lands
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_reporting_a_rejection_pays_the_treasury_not_the_reviewer() {
    // A curator rejecting its own sybil's contribution gets nothing back: the bond goes to the
    // treasury, exactly.
    let mut w = commitment_world();
    let curator = w.curator.clone();
    let sybil = w.s.addr("curator-sybil");
    w.s.fund(&sybil, BOND);
    let id = w.bonded(&sybil, "s", false);
    let (registry, pool) = (w.s.registry.clone(), w.s.pool.clone());
    w.review(&curator, 1, vec![reject(id)]);
    w.s.moved(&registry, &pool, BOND);
    assert_eq!(w.s.treasury(), 2 * FEE + BOND);
    assert_eq!(w.s.balance(&curator), FUNDS);
    assert_eq!(w.s.balance(&sybil), 0);
    assert_eq!(w.withdrawable(&sybil), 0);
    w.s.check();
}

#[test]
fn attack_reporting_displacing_ones_own_sybil_gains_nothing() {
    // The revealer gets nothing from the contribution it displaces: the displaced bond goes
    // back to its own contributor, so a revealer and its sybil copy end where they began.
    let mut w = commitment_world();
    let alice = w.alice.clone();
    let sybil = w.s.addr("alice-sybil");
    w.s.fund(&sybil, BOND);
    w.commit(&alice, 1, "alice-data");
    w.s.advance(5);
    w.bonded(&sybil, "alice-data", false);
    let mine = w.bonded(&alice, "alice-data", true);
    assert_eq!(w.withdrawable(&alice), 0);
    assert_eq!(w.withdrawable(&sybil), BOND);
    w.s.registry_exec(
        &alice,
        &RegExec::WithdrawContribution {
            contribution_id: mine,
        },
    )
    .unwrap();
    w.withdraw_bonds(&alice, BOND);
    w.withdraw_bonds(&sybil, BOND);
    assert_eq!(w.s.balance(&alice) + w.s.balance(&sybil), FUNDS + BOND);
    assert_eq!(w.s.treasury(), 2 * FEE);
    w.s.check();
}

#[test]
fn remainders_every_bond_of_every_outcome_lands_exactly() {
    // Five bonded contributions: accepted then removed, rejected, withdrawn, displaced, and the
    // reveal that displaced it, accepted. Accepted, withdrawn and displaced bonds return to
    // their contributors, the rejected one reaches the treasury, removal moves no bond; once
    // everyone collects, the registry holds nothing.
    let mut w = commitment_world();
    let (alice, bob, mallory, curator) = (
        w.alice.clone(),
        w.bob.clone(),
        w.mallory.clone(),
        w.curator.clone(),
    );
    let (registry, pool) = (w.s.registry.clone(), w.s.pool.clone());
    w.commit(&alice, 1, "revealed");
    w.s.advance(5);
    let removed = w.bonded(&bob, "removed", false);
    let rejected = w.bonded(&mallory, "rejected", false);
    let withdrawn = w.bonded(&bob, "withdrawn", false);
    let displaced = w.bonded(&mallory, "revealed", false);
    let revealed = w.bonded(&alice, "revealed", true);
    assert_eq!(w.solvency().pending_bonds.u128(), 4 * BOND);
    assert_eq!(w.solvency().withdrawable_bonds.u128(), BOND);

    w.review(
        &curator,
        1,
        vec![accept(removed, 3), reject(rejected), accept(revealed, 7)],
    );
    w.s.moved(&registry, &pool, BOND);
    w.s.registry_exec(
        &bob,
        &RegExec::WithdrawContribution {
            contribution_id: withdrawn,
        },
    )
    .unwrap();
    w.s.registry_exec(
        &curator,
        &RegExec::RemoveContribution {
            contribution_id: removed,
            reason: "deletion request".into(),
        },
    )
    .unwrap();
    let statuses: Vec<ContributionStatus> = [removed, rejected, withdrawn, displaced, revealed]
        .iter()
        .map(|id| w.contribution(*id).status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            ContributionStatus::Removed,
            ContributionStatus::Rejected,
            ContributionStatus::Withdrawn,
            ContributionStatus::Displaced,
            ContributionStatus::Accepted,
        ]
    );
    assert_eq!(w.s.treasury(), 2 * FEE + BOND);
    let sol = w.solvency();
    assert_eq!(
        (
            sol.balance.u128(),
            sol.pending_bonds.u128(),
            sol.withdrawable_bonds.u128()
        ),
        (4 * BOND, 0, 4 * BOND)
    );
    w.withdraw_bonds(&bob, 2 * BOND);
    w.withdraw_bonds(&mallory, BOND);
    w.withdraw_bonds(&alice, BOND);
    assert_eq!(w.s.balance(&registry), 0);
    assert_eq!(w.solvency().total_liabilities, Uint128::zero());
    assert_eq!(w.s.balance(&mallory), FUNDS - BOND);
    assert_eq!(w.s.balance(&bob), FUNDS);
    assert_eq!(w.s.balance(&alice), FUNDS);
    w.s.check();
}
