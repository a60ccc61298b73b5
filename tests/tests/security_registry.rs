//! Security review of the datanet registry (issue 13): finding 12 and its class.
//!
//! Finding 12: a pending contribution's data hash could be copied in front of its contributor
//! (0.2.0 kept the first `contribute` of a hash and refused every later one with
//! `DuplicateDataHash`, so whoever saw a `contribute` in the mempool could take the hash, its
//! weight and its rewards). DESIGN §6: a contributor may first `commit_contribution`
//! `sha256(data_hash ‖ contributor)` and `reveal_contribution` within a window; a pending copy
//! that claimed the hash after the commitment is then displaced.
//!
//! The class, one attack per variant:
//! - commit-reveal itself: who may reveal, when, with what; a commitment placed in front of
//!   someone else's `contribute`; two commitments to one hash; holders that cannot be
//!   displaced; commitment spam;
//! - every number a participant chooses, at its worst value;
//! - every term that can change between a quote and its execution (creation fee, bond, policy,
//!   open/closed, curators, ownership);
//! - rewards for reporting (rejections, displacements) and where every bond lands;
//! - two-step ownership of a datanet.
//!
//! Refused attacks assert their exact error and, through `refused`, that no contract's storage
//! and no balance changed. Money is checked against amounts the test computes; every test ends
//! with `Suite::check` (ledger, supply, solvency).

use cosmwasm_std::{Addr, Uint128};
use cw_multi_test::AppResponse;
use datanet_registry::ContractError as RegError;
use openledger_common::msg::datanet_registry::{
    contribution_commitment, AttributionMode, CommitmentResponse, ContributionPolicy,
    ContributionResponse, ContributionStatus, ContributorResponse, DatanetResponse, DatanetStatus,
    ExecuteMsg as RegExec, NewContribution, NewDatanet, QueryMsg as RegQuery,
    ReceiveMsg as RegHook, RegistrySolvencyResponse, ReviewDecision, MAX_OPEN_COMMITMENTS,
    REVEAL_WINDOW_SECONDS,
};
use openledger_common::msg::reward_pool::{PositionResponse, QueryMsg as PoolQuery};
use openledger_tests::{data_hash, refused, Suite};
use serde_json::json;

/// Creation fee of the registry of these tests.
const FEE: u128 = 100;
/// Bond of datanet 1.
const BOND: u128 = 50;
/// OPEN each party starts with.
const FUNDS: u128 = 10_000;

struct World {
    s: Suite,
    /// Owner of datanets 1 and 2.
    owner: Addr,
    /// Curator of datanet 1.
    curator: Addr,
    alice: Addr,
    bob: Addr,
    mallory: Addr,
}

/// A registry charging `FEE` per datanet, with datanet 1 (weight mode, open, bond `BOND`, one
/// curator) and datanet 2 (weight mode, open, no bond, no curator). No contribution yet; the
/// treasury holds the two creation fees.
fn world() -> World {
    let mut s = Suite::new(Uint128::new(FEE));
    let owner = s.addr("owner");
    let curator = s.addr("curator");
    let alice = s.addr("alice");
    let bob = s.addr("bob");
    let mallory = s.addr("mallory");
    for who in [&owner, &curator, &alice, &bob, &mallory] {
        s.fund(who, FUNDS);
    }
    let (registry, pool) = (s.registry.clone(), s.pool.clone());
    for new in [
        new_datanet("speech", BOND, vec![curator.to_string()]),
        new_datanet("vision", 0, vec![]),
    ] {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
            .unwrap();
        s.moved(&owner, &pool, FEE);
    }
    assert_eq!(s.treasury(), 2 * FEE);
    s.check();
    World {
        s,
        owner,
        curator,
        alice,
        bob,
        mallory,
    }
}

fn new_datanet(name: &str, bond: u128, curators: Vec<String>) -> NewDatanet {
    NewDatanet {
        name: name.into(),
        description: format!("{name} data"),
        metadata_uri: format!("ipfs://{name}"),
        curators,
        policy: ContributionPolicy::Open,
        contribution_bond: Uint128::new(bond),
        attribution_mode: AttributionMode::Weight,
    }
}

fn contribution(datanet_id: u64, seed: &str) -> NewContribution {
    NewContribution {
        datanet_id,
        data_hash: data_hash(seed),
        uri: format!("ipfs://{seed}"),
        size_bytes: 10,
        license_note: None,
    }
}

/// The value of the first wasm attribute `key` of a response.
fn attr(res: &AppResponse, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

fn id_of(res: &AppResponse) -> u64 {
    attr(res, "contribution_id").parse().unwrap()
}

fn commitment_of(seed: &str, who: &Addr) -> String {
    contribution_commitment(&data_hash(seed), who.as_str())
}

fn commit_msg(datanet_id: u64, seed: &str, who: &Addr) -> RegExec {
    RegExec::CommitContribution {
        datanet_id,
        commitment: commitment_of(seed, who),
    }
}

impl World {
    /// `who` commits to the data `seed` in `datanet_id`.
    fn commit(&mut self, who: &Addr, datanet_id: u64, seed: &str) {
        self.s
            .registry_exec(who, &commit_msg(datanet_id, seed, who))
            .unwrap();
    }

    /// `who` contributes `seed` to datanet 1 with its bond (`reveal`: as a reveal); the ledger
    /// records the bond.
    fn bonded(&mut self, who: &Addr, seed: &str, reveal: bool) -> u64 {
        let registry = self.s.registry.clone();
        let hook = if reveal {
            RegHook::RevealContribution(contribution(1, seed))
        } else {
            RegHook::Contribute(contribution(1, seed))
        };
        let res = self.s.send(who, &registry, BOND, &hook).unwrap();
        self.s.moved(who, &registry, BOND);
        id_of(&res)
    }

    fn contribution(&self, id: u64) -> ContributionResponse {
        self.s.query_registry(&RegQuery::Contribution {
            contribution_id: id,
        })
    }

    fn datanet(&self, id: u64) -> DatanetResponse {
        self.s.query_registry(&RegQuery::Datanet { datanet_id: id })
    }

    fn withdrawable(&self, who: &Addr) -> u128 {
        let r: Uint128 = self.s.query_registry(&RegQuery::WithdrawableBonds {
            address: who.to_string(),
        });
        r.u128()
    }

    fn solvency(&self) -> RegistrySolvencyResponse {
        self.s.query_registry(&RegQuery::Solvency {})
    }

    fn pool_weight(&self, datanet_id: u64, who: &Addr) -> u64 {
        let p: PositionResponse = self.s.query_pool(&PoolQuery::Position {
            datanet_id,
            address: who.to_string(),
        });
        p.weight
    }

    fn review(&mut self, who: &Addr, datanet_id: u64, decisions: Vec<ReviewDecision>) {
        self.s
            .registry_exec(
                who,
                &RegExec::ReviewContributions {
                    datanet_id,
                    decisions,
                },
            )
            .unwrap();
    }

    /// `who` collects its returned bonds; the ledger records them.
    fn withdraw_bonds(&mut self, who: &Addr, expected: u128) {
        let registry = self.s.registry.clone();
        let res = self
            .s
            .registry_exec(who, &RegExec::WithdrawBonds {})
            .unwrap();
        assert_eq!(attr(&res, "amount"), expected.to_string());
        self.s.moved(&registry, who, expected);
    }
}

fn accept(contribution_id: u64, weight: u64) -> ReviewDecision {
    ReviewDecision::Accept {
        contribution_id,
        weight,
    }
}

fn reject(contribution_id: u64) -> ReviewDecision {
    ReviewDecision::Reject {
        contribution_id,
        reason: "spam".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Finding 12: commit, copy, reveal
// ---------------------------------------------------------------------------------------------

#[test]
fn finding_12_reveal_displaces_a_copy_made_after_the_commitment() {
    // 0.2.0 had no commitment: Mallory's copy, first in the block, held the hash, and Alice's
    // own contribution was refused with `DuplicateDataHash` (as a plain `contribute` still is);
    // the curator could only accept the copy, and its weight earned Mallory Alice's rewards.
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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
            RegError::InvalidCommitment {
                commitment: bad.to_string()
            }
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
    let mut w = world();
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
    let mut w = world();
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

// ---------------------------------------------------------------------------------------------
// Numbers a participant chooses, at their worst value
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_number_extreme_ids_find_nothing() {
    let mut w = world();
    let (alice, curator) = (w.alice.clone(), w.curator.clone());
    for id in [0, u64::MAX] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(&alice, &RegExec::Contribute(contribution(id, "x")))
        });
        assert_eq!(e, RegError::DatanetNotFound { id });
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &curator,
                &RegExec::ReviewContributions {
                    datanet_id: 1,
                    decisions: vec![accept(id, 1)],
                },
            )
        });
        assert_eq!(e, RegError::ContributionNotFound { id });
    }
    for version in [0, u32::MAX] {
        let r: Result<serde_json::Value, _> = w.s.app.wrap().query_wasm_smart(
            &w.s.registry,
            &RegQuery::Version {
                datanet_id: 1,
                version,
            },
        );
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.contains(&format!("version {version} of datanet 1 does not exist")),
            "{msg}"
        );
    }
    w.s.check();
}

#[test]
fn attack_number_extreme_weights_are_refused() {
    let mut w = world();
    let (bob, curator) = (w.bob.clone(), w.curator.clone());
    let id = w.bonded(&bob, "b", false);
    for weight in [0, u64::MAX] {
        let e = refused::<RegError>(&mut w.s, |s| {
            s.registry_exec(
                &curator,
                &RegExec::ReviewContributions {
                    datanet_id: 1,
                    decisions: vec![accept(id, weight)],
                },
            )
        });
        assert_eq!(
            e,
            RegError::InvalidWeight {
                weight,
                max: 10_000
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_number_largest_size_is_a_record_only() {
    // `size_bytes` is never summed or paid on: `u64::MAX` is stored as given and the
    // contribution is reviewed like any other.
    let mut w = world();
    let (alice, owner) = (w.alice.clone(), w.owner.clone());
    let mut c = contribution(2, "huge");
    c.size_bytes = u64::MAX;
    let res = w.s.registry_exec(&alice, &RegExec::Contribute(c)).unwrap();
    let id = id_of(&res);
    assert_eq!(w.contribution(id).size_bytes, u64::MAX);
    w.review(&owner, 2, vec![accept(id, 10_000)]);
    assert_eq!(w.pool_weight(2, &alice), 10_000);
    w.s.check();
}

#[test]
fn attack_number_largest_bond_locks_nothing() {
    // A datanet asking `u128::MAX` per contribution takes no contribution (no one holds that
    // much, and anything else is a mismatch); it holds nothing and can be closed.
    let mut w = world();
    let (mallory, registry, pool) = (w.mallory.clone(), w.s.registry.clone(), w.s.pool.clone());
    w.s.send(
        &mallory,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet("greedy", u128::MAX, vec![])),
    )
    .unwrap();
    w.s.moved(&mallory, &pool, FEE);
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            FUNDS,
            &RegHook::Contribute(contribution(3, "x")),
        )
    });
    assert_eq!(
        e,
        RegError::BondMismatch {
            expected: Uint128::MAX,
            received: Uint128::new(FUNDS),
        }
    );
    w.s.registry_exec(&mallory, &RegExec::CloseDatanet { datanet_id: 3 })
        .unwrap();
    assert_eq!(w.solvency().total_liabilities, Uint128::zero());
    w.s.check();
}

#[test]
fn attack_number_largest_creation_fee_is_reversible() {
    // The registry owner's worst fee only stops creations until the owner lowers it again.
    let mut w = world();
    let (deployer, owner, registry, pool) = (
        w.s.deployer.clone(),
        w.owner.clone(),
        w.s.registry.clone(),
        w.s.pool.clone(),
    );
    let set_fee = |fee: Uint128| RegExec::UpdateConfig {
        creation_fee: Some(fee),
        reward_pool: None,
    };
    w.s.registry_exec(&deployer, &set_fee(Uint128::MAX))
        .unwrap();
    let new = new_datanet("x", 0, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::FeeMismatch {
            expected: Uint128::MAX,
            received: Uint128::new(FEE),
        }
    );
    w.s.registry_exec(&deployer, &set_fee(Uint128::new(FEE)))
        .unwrap();
    w.s.send(
        &owner,
        &registry,
        FEE,
        &RegHook::CreateDatanet(new_datanet("x", 0, vec![])),
    )
    .unwrap();
    w.s.moved(&owner, &pool, FEE);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Terms that change between a quote and its execution
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_term_creation_fee_changed_in_front_of_a_create() {
    // The amount sent must equal the fee in force: a fee raised or lowered in front of the
    // creator's `send` refuses it (expected vs received), and the tokens stay with the
    // creator; the registry never keeps a difference.
    let mut w = world();
    let (deployer, owner, registry) = (w.s.deployer.clone(), w.owner.clone(), w.s.registry.clone());
    for fee in [FEE + 50, FEE - 40] {
        w.s.registry_exec(
            &deployer,
            &RegExec::UpdateConfig {
                creation_fee: Some(Uint128::new(fee)),
                reward_pool: None,
            },
        )
        .unwrap();
        let new = new_datanet("quoted", 0, vec![]);
        let e = refused::<RegError>(&mut w.s, |s| {
            s.send(&owner, &registry, FEE, &RegHook::CreateDatanet(new))
        });
        assert_eq!(
            e,
            RegError::FeeMismatch {
                expected: Uint128::new(fee),
                received: Uint128::new(FEE),
            }
        );
    }
    w.s.check();
}

#[test]
fn attack_term_creation_fee_set_in_front_of_a_free_create() {
    let mut w = world();
    let (deployer, owner) = (w.s.deployer.clone(), w.owner.clone());
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::zero()),
            reward_pool: None,
        },
    )
    .unwrap();
    w.s.registry_exec(
        &deployer,
        &RegExec::UpdateConfig {
            creation_fee: Some(Uint128::new(1)),
            reward_pool: None,
        },
    )
    .unwrap();
    let new = new_datanet("free", 0, vec![]);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&owner, &RegExec::CreateDatanet(new))
    });
    assert_eq!(
        e,
        RegError::CreationFeeRequired {
            fee: Uint128::one()
        }
    );
    w.s.check();
}

#[test]
fn attack_term_contribution_bond_cannot_change_after_creation() {
    // The bond is fixed at creation: `update_datanet` has no bond field, and a message naming
    // one is refused (strict messages) instead of being ignored.
    let mut w = world();
    let owner = w.owner.clone();
    let registry = w.s.registry.clone();
    let msg = json!({"update_datanet": {"datanet_id": 1, "description": "x",
        "metadata_uri": null, "policy": null, "contribution_bond": "1"}});
    let e = w.s.refused(|s| {
        cw_multi_test::Executor::execute_contract(&mut s.app, owner, registry, &msg, &[])
    });
    assert!(
        format!("{e:#}").contains("unknown field `contribution_bond`"),
        "{e:#}"
    );
    assert_eq!(w.datanet(1).contribution_bond, Uint128::new(BOND));
    w.s.check();
}

#[test]
fn attack_term_policy_or_status_changed_in_front_of_a_contribute() {
    let mut w = world();
    let (owner, alice, registry) = (w.owner.clone(), w.alice.clone(), w.s.registry.clone());
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateDatanet {
            datanet_id: 1,
            description: None,
            metadata_uri: None,
            policy: Some(ContributionPolicy::Allowlist),
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "a")),
        )
    });
    assert_eq!(
        e,
        RegError::NotAllowlisted {
            datanet_id: 1,
            address: alice.to_string(),
        }
    );
    w.s.registry_exec(&owner, &RegExec::CloseDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(
            &alice,
            &registry,
            BOND,
            &RegHook::Contribute(contribution(1, "a")),
        )
    });
    assert_eq!(e, RegError::DatanetClosed { id: 1 });
    assert_eq!(w.datanet(1).status, DatanetStatus::Closed);
    w.s.check();
}

#[test]
fn attack_term_reviewer_loses_rights_in_front_of_a_review() {
    // A curator removed, or an owner who handed the datanet over, cannot complete a review
    // already sent.
    let mut w = world();
    let (owner, curator, bob, alice) = (
        w.owner.clone(),
        w.curator.clone(),
        w.bob.clone(),
        w.alice.clone(),
    );
    let id = w.bonded(&bob, "b", false);
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateCurators {
            datanet_id: 1,
            add: vec![],
            remove: vec![curator.to_string()],
        },
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &curator,
            &RegExec::ReviewContributions {
                datanet_id: 1,
                decisions: vec![reject(id)],
            },
        )
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&alice, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &owner,
            &RegExec::ReviewContributions {
                datanet_id: 1,
                decisions: vec![reject(id)],
            },
        )
    });
    assert_eq!(e, RegError::NotCurator { datanet_id: 1 });
    assert_eq!(w.contribution(id).status, ContributionStatus::Pending);
    w.s.check();
}

// ---------------------------------------------------------------------------------------------
// Rewards for reporting, and where every bond lands
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_reporting_a_rejection_pays_the_treasury_not_the_reviewer() {
    // A curator rejecting its own sybil's contribution gets nothing back: the bond goes to the
    // treasury, exactly.
    let mut w = world();
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
    let mut w = world();
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
    let mut w = world();
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

// ---------------------------------------------------------------------------------------------
// Two-step ownership of a datanet
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_datanet_offered_to_an_account_that_cannot_accept_stays_with_its_owner() {
    // An offer to the registry itself (or any address that never calls `accept_datanet`)
    // changes nothing: the owner keeps every right, can cancel by offering to itself, and the
    // cancelled offer cannot be taken up.
    let mut w = world();
    let (owner, alice) = (w.owner.clone(), w.alice.clone());
    let registry = w.s.registry.clone();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: registry.to_string(),
        },
    )
    .unwrap();
    assert_eq!(w.datanet(2).pending_owner, Some(registry.clone()));
    assert_eq!(w.datanet(2).owner, owner);
    w.s.registry_exec(
        &owner,
        &RegExec::UpdateDatanet {
            datanet_id: 2,
            description: Some("still mine".into()),
            metadata_uri: None,
            policy: None,
        },
    )
    .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 2,
            new_owner: owner.to_string(),
        },
    )
    .unwrap();
    assert_eq!(w.datanet(2).pending_owner, None);
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&alice, &RegExec::AcceptDatanet { datanet_id: 2 })
    });
    assert_eq!(e, RegError::NotPendingOwner { datanet_id: 2 });
    w.s.check();
}

#[test]
fn attack_ownership_new_datanet_owner_cannot_take_pending_bonds() {
    // Ownership moves curation rights, never money: the bonds of pending contributions stay
    // owed to their contributors across a handover (withdrawable by them alone).
    let mut w = world();
    let (owner, bob, mallory) = (w.owner.clone(), w.bob.clone(), w.mallory.clone());
    let id = w.bonded(&bob, "b", false);
    w.s.registry_exec(
        &owner,
        &RegExec::TransferDatanet {
            datanet_id: 1,
            new_owner: mallory.to_string(),
        },
    )
    .unwrap();
    w.s.registry_exec(&mallory, &RegExec::AcceptDatanet { datanet_id: 1 })
        .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(
            &mallory,
            &RegExec::WithdrawContribution {
                contribution_id: id,
            },
        )
    });
    assert_eq!(
        e,
        RegError::NotContributor {
            contribution_id: id
        }
    );
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&mallory, &RegExec::WithdrawBonds {})
    });
    assert_eq!(e, RegError::NothingToWithdraw);
    w.s.registry_exec(
        &bob,
        &RegExec::WithdrawContribution {
            contribution_id: id,
        },
    )
    .unwrap();
    w.withdraw_bonds(&bob, BOND);
    assert_eq!(w.s.balance(&bob), FUNDS);
    w.s.check();
}
