use crate::setup::registry::*;
use openledger_common::ValidationError;

// ---------------------------------------------------------------------------------------------
// Finding 12: commit, copy, reveal
// ---------------------------------------------------------------------------------------------

#[test]
fn finding_12_reveal_displaces_a_copy_made_after_the_commitment() {
    // 0.2.0 had no commitment: Mallory's copy, first in the block, held the hash, and Alice's
    // own contribution was refused with `DuplicateDataHash` (as a plain `contribute` still is);
    // the curator could only accept the copy, and its weight earned Mallory Alice's rewards.
    let mut w = commitment_world();
    let (alice, mallory, curator) = (w.alice.clone(), w.mallory.clone(), w.curator.clone());
    let registry = w.s.registry.clone();
    let committed_at = w.s.app.block_info().time;
    w.commit(&alice, 1, "alice-data");
    w.s.advance(5);

    // Mallory sees Alice's reveal in the mempool and gets a plain copy in first.
    let copy = w.bonded(&mallory, "alice-data", false);
    let plain = contribution(1, "alice-data");
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&alice, &registry, BOND, &RegHook::Contribute(plain))
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("alice-data"),
        }
    );
    let mine = w.bonded(&alice, "alice-data", true);

    let c = w.contribution(mine);
    assert_eq!(
        (c.contributor.clone(), c.status, c.committed_at, c.bond),
        (
            alice.clone(),
            ContributionStatus::Pending,
            Some(committed_at),
            Uint128::new(BOND)
        )
    );
    let m = w.contribution(copy);
    assert_eq!(
        (m.status, m.displaced_by, m.bond),
        (
            ContributionStatus::Displaced,
            Some(mine),
            Uint128::new(BOND)
        )
    );
    // Bonds: Alice's held for review, Mallory's returned to her in full, nothing to the
    // treasury, and the registry holds exactly the two.
    assert_eq!(w.withdrawable(&mallory), BOND);
    assert_eq!(w.withdrawable(&alice), 0);
    let sol = w.solvency();
    assert_eq!(
        (
            sol.balance.u128(),
            sol.pending_bonds.u128(),
            sol.withdrawable_bonds.u128()
        ),
        (2 * BOND, BOND, BOND)
    );
    assert_eq!(w.s.treasury(), 2 * FEE);
    let stats: ContributorResponse = w.s.query_registry(&RegQuery::Contributor {
        datanet_id: 1,
        address: mallory.to_string(),
    });
    assert_eq!((stats.pending, stats.displaced), (0, 1));
    assert_eq!(w.datanet(1).pending_count, 1);

    // The curator can only review Alice's; her weight reaches the pool, Mallory's never does.
    w.review(&curator, 1, vec![accept(mine, 100)]);
    assert_eq!(w.pool_weight(1, &alice), 100);
    assert_eq!(w.pool_weight(1, &mallory), 0);
    w.withdraw_bonds(&mallory, BOND);
    w.withdraw_bonds(&alice, BOND);
    assert_eq!(w.s.balance(&mallory), FUNDS);
    assert_eq!(w.s.balance(&alice), FUNDS);
    assert_eq!(w.s.balance(&registry), 0);
    w.s.check();
}

#[test]
fn finding_12_reveals_refused_with_exact_errors() {
    let mut w = commitment_world();
    let (alice, mallory) = (w.alice.clone(), w.mallory.clone());
    let registry = w.s.registry.clone();
    let committed_at = w.s.app.block_info().time;
    w.commit(&alice, 1, "alice-data");
    let commitment = commitment_of("alice-data", &alice);

    // In the block of the commitment.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "alice-data")),
        )
    });
    assert_eq!(
        e,
        RegError::RevealTooEarly {
            commitment: commitment.clone(),
            committed_at,
        }
    );
    w.s.advance(5);

    // By someone else than the committer: the commitment binds Alice's address.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "alice-data")),
        )
    });
    assert_eq!(
        e,
        RegError::CommitmentNotFound {
            datanet_id: 1,
            contributor: mallory.to_string(),
            commitment: commitment_of("alice-data", &mallory),
        }
    );

    // With another hash than the one committed.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "other-data")),
        )
    });
    assert_eq!(
        e,
        RegError::CommitmentNotFound {
            datanet_id: 1,
            contributor: alice.to_string(),
            commitment: commitment_of("other-data", &alice),
        }
    );

    // In another datanet: commitments are per datanet.
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &alice,
            &RegExec::RevealContribution(contribution(2, "alice-data")),
        )
    });
    assert_eq!(
        e,
        RegError::CommitmentNotFound {
            datanet_id: 2,
            contributor: alice.to_string(),
            commitment: commitment.clone(),
        }
    );

    // After the window (the last second of it still reveals: see the unit tests).
    w.s.advance(REVEAL_WINDOW_SECONDS);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "alice-data")),
        )
    });
    assert_eq!(
        e,
        RegError::CommitmentExpired {
            commitment: commitment.clone(),
            expired_at: committed_at.plus_seconds(REVEAL_WINDOW_SECONDS),
        }
    );
    let c: CommitmentResponse = w.s.query_registry(&RegQuery::Commitment {
        datanet_id: 1,
        contributor: alice.to_string(),
        commitment,
    });
    assert!(c.expired);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Commit-reveal: the variants
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_commit_in_front_of_a_plain_contribute_cannot_displace_it() {
    // Mallory sees Bob's `contribute` in the mempool and puts a commitment to Bob's hash before
    // it in the same block, to reveal later and push Bob out. Equal claim times never displace
    // (a copy made from a reveal is always in a later block than the commitment), so Bob keeps
    // the hash and his bond.
    let mut w = commitment_world();
    let (bob, mallory) = (w.bob.clone(), w.mallory.clone());
    let registry = w.s.registry.clone();
    w.commit(&mallory, 1, "bob-data");
    let bobs = w.bonded(&bob, "bob-data", false);
    w.s.advance(5);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &mallory,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "bob-data")),
        )
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("bob-data"),
        }
    );
    assert_eq!(w.contribution(bobs).status, ContributionStatus::Pending);
    assert_eq!(w.solvency().pending_bonds.u128(), BOND);
    w.s.check();
}

#[test]
fn attack_later_commitment_loses_to_an_earlier_one_both_ways() {
    // Public data: Alice commits first, Mallory later. Mallory reveals first; Alice's reveal
    // still displaces her (Mallory's claim dates from her later commitment). The other way
    // round, a later commitment's reveal cannot displace an earlier one's contribution.
    let mut w = commitment_world();
    let (alice, mallory) = (w.alice.clone(), w.mallory.clone());
    let registry = w.s.registry.clone();
    w.commit(&alice, 1, "public");
    w.s.advance(5);
    w.commit(&mallory, 1, "public");
    w.s.advance(5);
    let hers = w.bonded(&mallory, "public", true);
    w.s.advance(5);
    let mine = w.bonded(&alice, "public", true);
    assert_eq!(w.contribution(hers).status, ContributionStatus::Displaced);
    assert_eq!(w.contribution(mine).status, ContributionStatus::Pending);
    assert_eq!(w.withdrawable(&mallory), BOND);

    w.commit(&mallory, 1, "second");
    w.s.advance(5);
    w.commit(&alice, 1, "second");
    w.s.advance(5);
    let first = w.bonded(&mallory, "second", true);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::RevealContribution(contribution(1, "second")),
        )
    });
    assert_eq!(
        e,
        RegError::DuplicateDataHash {
            datanet_id: 1,
            data_hash: data_hash("second"),
        }
    );
    assert_eq!(w.contribution(first).status, ContributionStatus::Pending);
    w.s.check();
}

#[test]
fn attack_reveal_cannot_displace_accepted_rejected_earlier_or_own_holders() {
    let mut w = commitment_world();
    let (alice, bob, mallory, curator) = (
        w.alice.clone(),
        w.bob.clone(),
        w.mallory.clone(),
        w.curator.clone(),
    );
    let registry = w.s.registry.clone();
    for seed in ["accepted", "rejected", "own"] {
        w.commit(&alice, 1, seed);
    }
    // A plain contribution made before the commitment.
    let earlier = w.bonded(&bob, "earlier", false);
    w.s.advance(5);
    w.commit(&alice, 1, "earlier");
    w.s.advance(5);
    let acc = w.bonded(&mallory, "accepted", false);
    let rej = w.bonded(&mallory, "rejected", false);
    w.bonded(&alice, "own", false);
    w.review(&curator, 1, vec![accept(acc, 10), reject(rej)]);
    let pool = w.s.pool.clone();
    w.s.moved(&registry, &pool, BOND);
    for seed in ["accepted", "rejected", "own", "earlier"] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(
                &alice,
                &registry,
                BOND,
                &RegHook::RevealContribution(contribution(1, seed)),
            )
        });
        assert_eq!(
            e,
            RegError::DuplicateDataHash {
                datanet_id: 1,
                data_hash: data_hash(seed),
            },
            "{seed}"
        );
    }
    assert_eq!(w.contribution(acc).status, ContributionStatus::Accepted);
    assert_eq!(w.contribution(rej).status, ContributionStatus::Rejected);
    assert_eq!(w.contribution(earlier).status, ContributionStatus::Pending);
    w.s.check();
}

#[test]
fn attack_displaced_contribution_is_final() {
    let mut w = commitment_world();
    let (alice, mallory, curator) = (w.alice.clone(), w.mallory.clone(), w.curator.clone());
    w.commit(&alice, 1, "alice-data");
    w.s.advance(5);
    let copy = w.bonded(&mallory, "alice-data", false);
    w.bonded(&alice, "alice-data", true);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &mallory,
            &RegExec::WithdrawContribution {
                contribution_id: copy,
            },
        )
    });
    let not_pending = RegError::ContributionNotPending {
        id: copy,
        status: ContributionStatus::Displaced,
    };
    assert_eq!(e, not_pending);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::ReviewContributions {
                datanet_id: 1,
                decisions: vec![accept(copy, 10)],
            },
        )
    });
    assert_eq!(e, not_pending);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::RemoveContribution {
                contribution_id: copy,
                reason: "copy".into(),
            },
        )
    });
    assert_eq!(
        e,
        RegError::ContributionNotAccepted {
            id: copy,
            status: ContributionStatus::Displaced,
        }
    );
    w.s.check();
}

#[test]
fn attack_commitment_spam_is_capped_per_contributor_and_datanet() {
    let mut w = commitment_world();
    let mallory = w.mallory.clone();
    for n in 0..MAX_OPEN_COMMITMENTS {
        w.commit(&mallory, 1, &format!("spam-{n}"));
    }
    let msg = commit_msg(1, "one-more", &mallory);
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&mallory, &msg));
    assert_eq!(
        e,
        RegError::TooManyCommitments {
            max: MAX_OPEN_COMMITMENTS as u64
        }
    );
    let msg = commit_msg(1, "spam-0", &mallory);
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&mallory, &msg));
    assert_eq!(
        e,
        RegError::DuplicateCommitment {
            datanet_id: 1,
            contributor: mallory.to_string(),
            commitment: commitment_of("spam-0", &mallory),
        }
    );
    // Not a hex SHA-256.
    for bad in ["", "00", &"g".repeat(64), &"0".repeat(65)] {
        let msg = RegExec::CommitContribution {
            datanet_id: 1,
            commitment: bad.to_string(),
        };
        let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&mallory, &msg));
        assert_eq!(
            e,
            RegError::Validation(ValidationError::InvalidHash {
                field: "commitment".into(),
                value: bad.to_string()
            })
        );
    }
    // Other addresses are not affected; expired slots come back with the next commitment.
    let alice = w.alice.clone();
    w.commit(&alice, 1, "alice-data");
    w.s.advance(REVEAL_WINDOW_SECONDS + 1);
    let res =
        w.s.registry_exec(&mallory, &commit_msg(1, "one-more", &mallory))
            .unwrap();
    assert_eq!(attr(&res, "pruned"), MAX_OPEN_COMMITMENTS.to_string());
    w.s.check();
}

#[test]
fn attack_reveal_with_the_wrong_bond_keeps_the_commitment() {
    let mut w = commitment_world();
    let alice = w.alice.clone();
    let registry = w.s.registry.clone();
    w.commit(&alice, 1, "alice-data");
    w.s.advance(5);
    for paid in [BOND - 1, BOND + 1] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(
                &alice,
                &registry,
                paid,
                &RegHook::RevealContribution(contribution(1, "alice-data")),
            )
        });
        assert_eq!(
            e,
            RegError::BondMismatch {
                expected: Uint128::new(BOND),
                received: Uint128::new(paid),
            }
        );
    }
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &alice,
            &RegExec::RevealContribution(contribution(1, "alice-data")),
        )
    });
    assert_eq!(
        e,
        RegError::BondRequired {
            bond: Uint128::new(BOND)
        }
    );
    let id = w.bonded(&alice, "alice-data", true);
    assert_eq!(w.contribution(id).status, ContributionStatus::Pending);
    w.s.check();
}

#[test]
fn attack_commitments_follow_the_datanet_policy_and_status() {
    let mut w = commitment_world();
    let (owner, alice) = (w.owner.clone(), w.alice.clone());
    // Committed while open; the policy turns to allowlist before the reveal.
    w.commit(&alice, 2, "alice-data");
    w.s.advance(5);
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateDatanet {
            datanet_id: 2,
            description: None,
            metadata_uri: None,
            policy: Some(ContributionPolicy::Allowlist),
        },
    )
    .unwrap();
    let not_allowed = RegError::NotAllowlisted {
        datanet_id: 2,
        address: alice.to_string(),
    };
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &alice,
            &RegExec::RevealContribution(contribution(2, "alice-data")),
        )
    });
    assert_eq!(e, not_allowed);
    let msg = commit_msg(2, "more", &alice);
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&alice, &msg));
    assert_eq!(e, not_allowed);
    // Closed: neither commitments nor reveals.
    w.s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
        .unwrap();
    let msg = commit_msg(1, "more", &alice);
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&alice, &msg));
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    let msg = commit_msg(99, "more", &alice);
    let e = refused::<RegError>(&mut w.s, |s| s.registry_exec(&alice, &msg));
    assert_eq!(e, RegError::DatanetNotFound { id: 99 });
    w.s.check();
}
