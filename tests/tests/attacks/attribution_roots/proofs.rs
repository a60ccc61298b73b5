//! Attacks on influence attribution. Each fails with its specific error and moves nothing:
//! every party's balance (the test's ledger), the pool's solvency and liabilities, the datanet's
//! roots, and every account's claimed amount and attestor record are the same afterwards.

use cosmwasm_std::{Addr, HexBinary, Uint128};
use cw_multi_test::AppResponse;
use openledger_common::msg::reward_pool::{
    ExecuteMsg as PoolExec, ReceiveMsg as PoolHook, DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_BOND,
    DEFAULT_CHALLENGE_WINDOW,
};
use openledger_tests::{err, influence_entries, AttributionTree, Suite};
use reward_pool::ContractError;

/// Leaves of the small trees of these tests (a 2^4-leaf tree).
const LEAVES: usize = 16;

struct World {
    s: Suite,
    datanet: u64,
    attestor: Addr,
    alice: Addr,
    bob: Addr,
    challenger: Addr,
    mallory: Addr,
    /// Epoch 1 of `datanet`, claimable.
    tree: AttributionTree,
}

impl World {
    fn accounts(&self) -> Vec<&Addr> {
        vec![
            &self.attestor,
            &self.alice,
            &self.bob,
            &self.challenger,
            &self.mallory,
        ]
    }

    /// Runs `attack`, expects it to fail with `expected`, and checks that nothing changed.
    fn refused(
        &mut self,
        expected: ContractError,
        attack: impl FnOnce(&mut World) -> anyhow::Result<AppResponse>,
    ) {
        let accounts: Vec<Addr> = self.accounts().into_iter().cloned().collect();
        let refs: Vec<&Addr> = accounts.iter().collect();
        let before = self.s.influence_snapshot(self.datanet, &refs);
        let e = attack(self);
        assert_eq!(err::<ContractError>(e), expected);
        assert_eq!(self.s.influence_snapshot(self.datanet, &refs), before);
        self.s.check();
    }
}

/// An influence datanet whose bucket holds its tree's total plus 5 000, a bonded attestor, a
/// funded challenger, and epoch 1 (alice 6 000, bob 3 000 among 16 leaves) claimable.
fn world() -> World {
    let mut s = Suite::default();
    let curator = s.addr("curator");
    let attestor = s.addr("attestor");
    let (alice, bob) = (s.addr("alice"), s.addr("bob"));
    let (challenger, mallory) = (s.addr("challenger"), s.addr("mallory"));
    let datanet = s.create_influence_datanet(&curator, "influence");
    s.add_attestor(&attestor, DEFAULT_ATTESTOR_BOND.u128());
    s.fund(&challenger, 10 * DEFAULT_CHALLENGE_BOND.u128());
    s.fund(&mallory, 10 * DEFAULT_CHALLENGE_BOND.u128());
    let tree = AttributionTree::new(
        datanet,
        &influence_entries(LEAVES, &[(&alice, 6_000), (&bob, 3_000)], 7, 1_000),
    );
    s.fund_datanet(datanet, tree.total + 5_000);
    s.post_root(&attestor, 1, &tree).unwrap();
    s.advance(DEFAULT_CHALLENGE_WINDOW);
    s.check();
    World {
        s,
        datanet,
        attestor,
        alice,
        bob,
        challenger,
        mallory,
        tree,
    }
}

fn claim_msg(datanet_id: u64, epoch: u64, amount: u128, proof: Vec<HexBinary>) -> PoolExec {
    PoolExec::ClaimAttribution {
        datanet_id,
        epoch,
        cumulative_amount: Uint128::new(amount),
        proof,
    }
}

#[test]
fn forged_proofs_are_refused() {
    let mut w = world();
    let (alice, bob, d) = (w.alice.clone(), w.bob.clone(), w.datanet);
    let (amount, proof) = w.tree.proof(alice.as_str());
    let invalid = || ContractError::InvalidProof {
        datanet_id: d,
        epoch: 1,
    };
    // A real proof with an inflated amount.
    let p = proof.clone();
    w.refused(invalid(), |w| {
        w.s.pool_exec(&alice, &claim_msg(d, 1, amount * 10, p))
    });
    // A tampered sibling.
    let mut tampered = proof.clone();
    let mut bytes = tampered[1].to_vec();
    bytes[0] ^= 1;
    tampered[1] = HexBinary::from(bytes);
    w.refused(invalid(), |w| {
        w.s.pool_exec(&alice, &claim_msg(d, 1, amount, tampered))
    });
    // Bob replays alice's leaf and proof: the leaf is built from the sender's address.
    let p = proof.clone();
    w.refused(invalid(), |w| {
        w.s.pool_exec(&bob, &claim_msg(d, 1, amount, p))
    });
    // A proof of the right root but for a made-up leaf: the root itself as a "leaf".
    w.refused(invalid(), |w| {
        w.s.pool_exec(&alice, &claim_msg(d, 1, 0, vec![]))
    });
    // Malformed proofs.
    let mut short = proof.clone();
    short[2] = HexBinary::from(vec![0u8; 33]);
    w.refused(
        ContractError::InvalidProofElement { index: 2, len: 33 },
        |w| w.s.pool_exec(&alice, &claim_msg(d, 1, amount, short)),
    );
    w.refused(ContractError::ProofTooLong { len: 65, max: 64 }, |w| {
        w.s.pool_exec(
            &alice,
            &claim_msg(d, 1, amount, vec![HexBinary::from(vec![0u8; 32]); 65]),
        )
    });
    // The genuine claim still works afterwards.
    let res = w.s.claim_attribution(&alice, 1, &w.tree).unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &alice, 6_000);
    assert!(res.events.iter().any(|e| e.ty == "wasm"));
    w.s.check();
}

#[test]
fn a_leaf_for_another_datanet_is_worthless() {
    let mut w = world();
    let (alice, attestor, d) = (w.alice.clone(), w.attestor.clone(), w.datanet);
    // A second influence datanet where alice is owed much more, claimable too.
    let curator = w.s.addr("curator");
    let other = w.s.create_influence_datanet(&curator, "other");
    let other_tree = AttributionTree::new(
        other,
        &influence_entries(LEAVES, &[(&alice, 50_000)], 9, 1_000),
    );
    w.s.fund_datanet(other, other_tree.total);
    // A second root in window needs a second minimum bond (each pending root reserves one).
    w.s.add_attestor(&attestor, DEFAULT_ATTESTOR_BOND.u128());
    w.s.post_root(&attestor, 1, &other_tree).unwrap();
    // More arrives in datanet `d`, and the root of the tree built for the other datanet is
    // posted there too (an attestor's mistake, or a replay of another datanet's root).
    w.s.fund_datanet(d, other_tree.total);
    w.s.pool_exec(
        &attestor,
        &PoolExec::PostAttributionRoot {
            datanet_id: d,
            epoch: 2,
            root: other_tree.root(),
            cumulative_total: Uint128::new(other_tree.total.max(w.tree.total)),
            version: None,
        },
    )
    .unwrap();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    w.s.check();

    // Alice's valid proof of the other datanet, presented to `d` (whose claimable root is now
    // the very same tree's root): the leaf hashes datanet `d`, so it does not verify.
    let (amount, proof) = other_tree.proof(alice.as_str());
    w.refused(
        ContractError::InvalidProof {
            datanet_id: d,
            epoch: 2,
        },
        |w| w.s.pool_exec(&alice, &claim_msg(d, 2, amount, proof)),
    );
    // In its own datanet the proof is good.
    let res = w.s.claim_attribution(&alice, 1, &other_tree).unwrap();
    assert!(!res.events.is_empty());
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &alice, 50_000);
    w.s.check();
}

#[test]
fn a_root_above_the_bucket_is_refused() {
    let mut w = world();
    let (attestor, alice, d) = (w.attestor.clone(), w.alice.clone(), w.datanet);
    let received = w.tree.total + 5_000;
    let greedy = AttributionTree::new(
        d,
        &influence_entries(
            LEAVES,
            &[(&alice, 6_000 + 5_001), (&w.bob.clone(), 3_000)],
            7,
            1_000,
        ),
    );
    assert_eq!(greedy.total, received + 1);
    w.refused(
        ContractError::RootExceedsBucket {
            datanet_id: d,
            cumulative_total: Uint128::new(received + 1),
            received: Uint128::new(received),
        },
        |w| w.s.post_root(&attestor, 2, &greedy),
    );
    // Exactly the bucket is fine.
    let full = AttributionTree::new(
        d,
        &influence_entries(
            LEAVES,
            &[(&alice, 6_000 + 5_000), (&w.bob.clone(), 3_000)],
            7,
            1_000,
        ),
    );
    w.s.post_root(&attestor, 2, &full).unwrap();
    w.s.check();
}

#[test]
fn a_claim_inside_the_challenge_window_is_refused() {
    let mut w = world();
    let (attestor, alice, bob, d) = (
        w.attestor.clone(),
        w.alice.clone(),
        w.bob.clone(),
        w.datanet,
    );
    let tree2 = AttributionTree::new(
        d,
        &influence_entries(LEAVES, &[(&alice, 9_000), (&bob, 3_000)], 7, 1_000),
    );
    w.s.fund_datanet(d, 3_000);
    let res = w.s.post_root(&attestor, 2, &tree2).unwrap();
    let claimable_at: u64 = res
        .events
        .iter()
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "claimable_at")
        .unwrap()
        .value
        .parse()
        .unwrap();
    w.s.advance(DEFAULT_CHALLENGE_WINDOW - 1);
    let (amount, proof) = tree2.proof(alice.as_str());
    w.refused(
        ContractError::RootInChallengeWindow {
            datanet_id: d,
            epoch: 2,
            claimable_at,
        },
        |w| w.s.pool_exec(&alice, &claim_msg(d, 2, amount, proof)),
    );
    // Epoch 1 is still the claimable root meanwhile.
    w.s.claim_attribution(&alice, 1, &w.tree).unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&pool, &alice, 6_000);
    w.s.check();
    // One second later epoch 2 pays the difference.
    w.s.advance(1);
    w.s.claim_attribution(&alice, 2, &tree2).unwrap();
    w.s.moved(&pool, &alice, 3_000);
    w.s.check();
}

#[test]
fn a_post_by_a_non_attestor_is_refused() {
    let mut w = world();
    let (mallory, alice, d) = (w.mallory.clone(), w.alice.clone(), w.datanet);
    let mine = AttributionTree::new(
        d,
        &influence_entries(LEAVES, &[(&alice, 6_000), (&mallory, 5_000)], 7, 1_000),
    );
    w.refused(
        ContractError::NotAttestor {
            address: mallory.to_string(),
        },
        |w| w.s.post_root(&mallory, 2, &mine),
    );
    // Approved by the owner but without a bond: still refused.
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::UpdateAttestors {
            add: vec![mallory.to_string()],
            remove: vec![],
        },
    )
    .unwrap();
    w.refused(
        ContractError::AttestorBondTooLow {
            address: mallory.to_string(),
            required: DEFAULT_ATTESTOR_BOND,
            bonded: Uint128::zero(),
            reserved: Uint128::zero(),
        },
        |w| w.s.post_root(&mallory, 2, &mine),
    );
}

#[test]
fn a_challenge_without_a_sufficient_bond_is_refused() {
    let mut w = world();
    let (attestor, challenger, alice, d) = (
        w.attestor.clone(),
        w.challenger.clone(),
        w.alice.clone(),
        w.datanet,
    );
    let tree2 = AttributionTree::new(
        d,
        &influence_entries(
            LEAVES,
            &[(&alice, 6_001), (&w.bob.clone(), 3_000)],
            7,
            1_000,
        ),
    );
    w.s.post_root(&attestor, 2, &tree2).unwrap();
    w.refused(
        ContractError::ChallengeBondRequired {
            required: DEFAULT_CHALLENGE_BOND,
        },
        |w| {
            w.s.pool_exec(
                &challenger,
                &PoolExec::ChallengeRoot {
                    datanet_id: d,
                    epoch: 2,
                },
            )
        },
    );
    let pool = w.s.pool.clone();
    let short = DEFAULT_CHALLENGE_BOND.u128() - 1;
    w.refused(
        ContractError::ChallengeBondTooLow {
            required: DEFAULT_CHALLENGE_BOND,
            sent: Uint128::new(short),
        },
        |w| {
            w.s.send(
                &challenger,
                &pool,
                short,
                &PoolHook::ChallengeRoot {
                    datanet_id: d,
                    epoch: 2,
                },
            )
        },
    );
    // A root whose window has passed (exactly now) cannot be challenged any more.
    let now = w.s.app.block_info().time.seconds();
    w.refused(
        ContractError::ChallengeWindowClosed {
            datanet_id: d,
            epoch: 1,
            closed_at: now,
        },
        |w| {
            w.s.send(
                &challenger,
                &pool,
                DEFAULT_CHALLENGE_BOND.u128(),
                &PoolHook::ChallengeRoot {
                    datanet_id: d,
                    epoch: 1,
                },
            )
        },
    );
}

/// `challenger` challenges epoch 2 with the default bond (ledger updated).
fn challenge_epoch_2(w: &mut World) {
    let (attestor, challenger, alice, d) = (
        w.attestor.clone(),
        w.challenger.clone(),
        w.alice.clone(),
        w.datanet,
    );
    let tree2 = AttributionTree::new(
        d,
        &influence_entries(LEAVES, &[(&alice, 6_000), (&challenger, 5_000)], 7, 1_000),
    );
    w.s.post_root(&attestor, 2, &tree2).unwrap();
    let pool = w.s.pool.clone();
    let bond = DEFAULT_CHALLENGE_BOND.u128();
    w.s.send(
        &challenger,
        &pool,
        bond,
        &PoolHook::ChallengeRoot {
            datanet_id: d,
            epoch: 2,
        },
    )
    .unwrap();
    w.s.moved(&challenger, &pool, bond);
    w.s.check();
}

#[test]
fn a_resolve_by_anyone_but_the_owner_is_refused() {
    let mut w = world();
    challenge_epoch_2(&mut w);
    let d = w.datanet;
    for who in [w.challenger.clone(), w.attestor.clone(), w.mallory.clone()] {
        for void in [true, false] {
            let accounts: Vec<Addr> = w.accounts().into_iter().cloned().collect();
            let refs: Vec<&Addr> = accounts.iter().collect();
            let before = w.s.influence_snapshot(d, &refs);
            let e = w.s.pool_exec(
                &who,
                &PoolExec::ResolveChallenge {
                    datanet_id: d,
                    epoch: 2,
                    void,
                },
            );
            match err::<ContractError>(e) {
                ContractError::Ownership(o) => {
                    assert_eq!(o.to_string(), "Caller is not the contract's current owner")
                }
                other => panic!("expected NotOwner, got {other:?}"),
            }
            assert_eq!(w.s.influence_snapshot(d, &refs), before);
            w.s.check();
        }
    }
}

#[test]
fn a_claim_on_a_voided_root_is_refused() {
    let mut w = world();
    challenge_epoch_2(&mut w);
    let (challenger, attestor, d) = (w.challenger.clone(), w.attestor.clone(), w.datanet);
    let tree2 = AttributionTree::new(
        d,
        &influence_entries(
            LEAVES,
            &[(&w.alice.clone(), 6_000), (&challenger, 5_000)],
            7,
            1_000,
        ),
    );
    // The owner voids it once the window has closed: the challenger withdraws its bond and
    // 20 % of the attestor's bond (the rest goes to the treasury).
    w.s.advance(DEFAULT_CHALLENGE_WINDOW);
    let deployer = w.s.deployer.clone();
    w.s.pool_exec(
        &deployer,
        &PoolExec::ResolveChallenge {
            datanet_id: d,
            epoch: 2,
            void: true,
        },
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.pool_exec(&challenger, &PoolExec::WithdrawChallenge { datanet_id: d })
        .unwrap();
    w.s.moved(
        &pool,
        &challenger,
        DEFAULT_CHALLENGE_BOND.u128() + DEFAULT_ATTESTOR_BOND.u128() / 5,
    );
    w.s.check();
    let a = w.s.influence_snapshot(d, &[&attestor]).attestors[0].clone();
    assert_eq!((a.bond, a.can_post), (Uint128::zero(), false));

    let (amount, proof) = tree2.proof(challenger.as_str());
    w.refused(
        ContractError::RootVoided {
            datanet_id: d,
            epoch: 2,
        },
        |w| w.s.pool_exec(&challenger, &claim_msg(d, 2, amount, proof)),
    );
    // Epoch 1 is still claimable.
    let alice = w.alice.clone();
    w.s.claim_attribution(&alice, 1, &w.tree).unwrap();
    w.s.moved(&pool, &alice, 6_000);
    w.s.check();
}
