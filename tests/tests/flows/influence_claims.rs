//! Influence attribution at scale: a tree of 2^20 leaves (built by the code of the
//! `attribution-tree` tool), its root posted by a bonded attestor, the challenge window passed,
//! claims by several contributors paid exactly; a second claim against the same root pays
//! nothing; a newer root with higher cumulative amounts pays only the difference. Every party's
//! balance and the pool's solvency are checked after every step.

use std::time::Instant;

use cosmwasm_std::{Addr, Uint128};
use openledger_common::msg::reward_pool::{
    AttributionClaimableResponse, AttributionRootResponse, QueryMsg as PoolQuery, RootStatus,
    DEFAULT_ATTESTOR_BOND, DEFAULT_CHALLENGE_WINDOW,
};
use openledger_tests::{err, influence_entries, AttributionTree, Suite};
use reward_pool::ContractError;

const LEAVES: usize = 1 << 20;

fn paid(res: &cw_multi_test::AppResponse) -> u128 {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| &e.attributes)
        .find(|a| a.key == "amount")
        .map(|a| a.value.parse().unwrap())
        .expect("claim reports its amount")
}

/// Claims `who`'s leaf, expects `expected`, records it in the ledger and checks everything.
fn claim_exactly(s: &mut Suite, who: &Addr, epoch: u64, tree: &AttributionTree, expected: u128) {
    let before = s.attribution_claimed(tree.datanet_id, who);
    let res = s.claim_attribution(who, epoch, tree).unwrap();
    assert_eq!(paid(&res), expected, "claim of {who}");
    let pool = s.pool.clone();
    s.moved(&pool, who, expected);
    assert_eq!(
        s.attribution_claimed(tree.datanet_id, who),
        before + expected
    );
    s.check();
}

fn build(datanet_id: u64, real: &[(&Addr, u128)], seed: u64) -> AttributionTree {
    let started = Instant::now();
    let entries = influence_entries(LEAVES, real, seed, 100_000);
    let tree = AttributionTree::new(datanet_id, &entries);
    println!(
        "built a tree of {} leaves (depth {}) in {:.2?}",
        tree.tree.len(),
        tree.tree.depth(),
        started.elapsed()
    );
    tree
}

#[test]
fn million_leaf_roots_pay_contributors_exactly_once_and_then_only_the_difference() {
    let mut s = Suite::default();
    let curator = s.addr("curator");
    let attestor = s.addr("attestor");
    let contributors: Vec<Addr> = (0..5).map(|i| s.addr(&format!("contributor{i}"))).collect();
    let datanet = s.create_influence_datanet(&curator, "influence-1m");
    s.add_attestor(&attestor, DEFAULT_ATTESTOR_BOND.u128());
    s.check();

    // Epoch 1: five real contributors among 2^20 leaves.
    let first: Vec<(&Addr, u128)> = contributors
        .iter()
        .zip([1_000_000u128, 250_000, 42, 7_777_777, 1])
        .collect();
    let tree1 = build(datanet, &first, 1);
    assert_eq!(tree1.tree.len(), LEAVES);
    assert_eq!(tree1.tree.depth(), 20);
    assert_eq!(tree1.proof(contributors[0].as_str()).1.len(), 20);
    // The bucket receives a little more than the root allocates.
    s.fund_datanet(datanet, tree1.total + 1_000);
    s.check();

    s.post_root(&attestor, 1, &tree1).unwrap();
    s.check();
    let r: AttributionRootResponse = s.query_pool(&PoolQuery::AttributionRoot {
        datanet_id: datanet,
    });
    assert_eq!(r.unallocated.u128(), 1_000);
    assert_eq!(
        r.pending.as_ref().map(|p| p.status),
        Some(RootStatus::InChallengeWindow)
    );

    s.advance(DEFAULT_CHALLENGE_WINDOW);
    let r: AttributionRootResponse = s.query_pool(&PoolQuery::AttributionRoot {
        datanet_id: datanet,
    });
    assert_eq!(r.claimable.as_ref().map(|c| c.epoch), Some(1));

    // The claimable-amount query agrees with what the claim pays.
    let (amount, proof) = tree1.proof(contributors[0].as_str());
    let q: AttributionClaimableResponse = s.query_pool(&PoolQuery::AttributionClaimable {
        datanet_id: datanet,
        address: contributors[0].to_string(),
        cumulative_amount: Uint128::new(amount),
        proof,
    });
    assert_eq!(q.claimable.u128(), 1_000_000);

    // Four of the five claim; each is paid exactly its leaf.
    for (who, amount) in &first[..4] {
        claim_exactly(&mut s, who, 1, &tree1, *amount);
    }
    // A second claim against the same root pays nothing and moves nothing.
    let snapshot = s.influence_snapshot(datanet, &[&contributors[0]]);
    let e = s.claim_attribution(&contributors[0], 1, &tree1);
    assert_eq!(err::<ContractError>(e), ContractError::NothingToClaim);
    assert_eq!(s.influence_snapshot(datanet, &[&contributors[0]]), snapshot);
    s.check();

    // Epoch 2: a new tree of 2^20 leaves (the synthetic contributors keep their amounts:
    // cumulative amounts never decrease); contributors 0 and 1 earned more, 2 and 3 did not,
    // 4 never claimed epoch 1 and earned more too.
    let second: Vec<(&Addr, u128)> = contributors
        .iter()
        .zip([1_500_000u128, 250_001, 42, 7_777_777, 11])
        .collect();
    let tree2 = build(datanet, &second, 1);
    assert_ne!(tree2.root(), tree1.root());
    assert_eq!(tree2.total, tree1.total + 500_000 + 1 + 10);
    let extra = tree2.total - tree1.total;
    s.fund_datanet(datanet, extra);
    s.post_root(&attestor, 2, &tree2).unwrap();
    s.check();
    // Until epoch 2 is claimable, epoch 1 stays the claimable root.
    let e = s.claim_attribution(&contributors[0], 2, &tree2);
    assert!(matches!(
        err::<ContractError>(e),
        ContractError::RootInChallengeWindow { epoch: 2, .. }
    ));
    s.advance(DEFAULT_CHALLENGE_WINDOW);

    claim_exactly(&mut s, &contributors[0], 2, &tree2, 500_000);
    claim_exactly(&mut s, &contributors[1], 2, &tree2, 1);
    claim_exactly(&mut s, &contributors[4], 2, &tree2, 11);
    for who in [&contributors[2], &contributors[3]] {
        let e = s.claim_attribution(who, 2, &tree2);
        assert_eq!(err::<ContractError>(e), ContractError::NothingToClaim);
    }
    // Epoch 1's proofs are superseded now.
    let e = s.claim_attribution(&contributors[4], 1, &tree1);
    assert_eq!(
        err::<ContractError>(e),
        ContractError::RootSuperseded {
            datanet_id: datanet,
            epoch: 1,
            current: 2
        }
    );

    let r: AttributionRootResponse = s.query_pool(&PoolQuery::AttributionRoot {
        datanet_id: datanet,
    });
    let paid_total: u128 = [1_500_000u128, 250_001, 42, 7_777_777, 11].iter().sum();
    assert_eq!(r.total_paid.u128(), paid_total);
    assert_eq!(r.total_received.u128(), tree2.total + 1_000);
    assert_eq!(r.unallocated.u128(), r.total_received.u128() - tree2.total);
    s.check();
}
