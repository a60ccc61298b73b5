//! An attribution claim touches the same storage entries whatever the size of the tree: the
//! pool runs on a storage that counts every read and write, and one contributor's claim is
//! measured against a root of 2^4 leaves and one of 2^20 leaves. Only the proof grows (one
//! hash per level).

use cosmwasm_std::testing::{message_info, mock_env};
use cosmwasm_std::{to_json_binary, Addr, Env, Uint128};
use cw20::Cw20ReceiveMsg;
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, ExecuteMsg, InstantiateMsg, ReceiveMsg,
};
use openledger_tests::counting::{counting_deps, CountingDeps};
use openledger_tests::{influence_entries, AttributionTree};
use reward_pool::contract::{execute, instantiate};

/// Storage operations of one contributor's claims against a root of `leaves` leaves: the first
/// claim after the window (which also promotes the root) and another contributor's next claim.
fn claim_cost(leaves: usize) -> ((u64, u64), (u64, u64), usize) {
    let mut deps = counting_deps();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open");
    let registry = deps.api.addr_make("registry");
    let attestor = deps.api.addr_make("attestor");
    let (alice, bob) = (deps.api.addr_make("alice"), deps.api.addr_make("bob"));
    let info = |a: &Addr| message_info(a, &[]);
    let mut env = mock_env();
    instantiate(
        deps.as_mut(),
        env.clone(),
        info(&owner),
        InstantiateMsg {
            owner: None,
            token: token.to_string(),
            registry: Some(registry.to_string()),
            unbonding_period: 0,
            curators_bps: None,
        },
    )
    .unwrap();
    let run = |deps: &mut CountingDeps, env: &Env, sender: &Addr, msg: ExecuteMsg| {
        execute(deps.as_mut(), env.clone(), info(sender), msg).unwrap()
    };
    run(
        &mut deps,
        &env,
        &registry,
        ExecuteMsg::RegisterDatanet {
            datanet_id: 1,
            mode: AttributionMode::Influence,
        },
    );
    run(
        &mut deps,
        &env,
        &owner,
        ExecuteMsg::UpdateAttestors {
            add: vec![attestor.to_string()],
            remove: vec![],
        },
    );
    let hook = |sender: &Addr, amount: u128, msg: &ReceiveMsg| {
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: sender.to_string(),
            amount: Uint128::new(amount),
            msg: to_json_binary(msg).unwrap(),
        })
    };
    run(
        &mut deps,
        &env,
        &token,
        hook(&attestor, 1_000_000, &ReceiveMsg::BondAttestor {}),
    );
    let tree = AttributionTree::new(
        1,
        &influence_entries(leaves, &[(&alice, 5_000), (&bob, 7_000)], 1, 1_000),
    );
    run(
        &mut deps,
        &env,
        &token,
        hook(
            &owner,
            tree.total,
            &ReceiveMsg::Distribute {
                allocations: vec![Allocation::Datanet {
                    id: 1,
                    amount: Uint128::new(tree.total),
                    version: None,
                }],
            },
        ),
    );
    run(
        &mut deps,
        &env,
        &attestor,
        ExecuteMsg::PostAttributionRoot {
            datanet_id: 1,
            epoch: 1,
            root: tree.root(),
            cumulative_total: Uint128::new(tree.total),
            version: None,
        },
    );
    env.block.time = env.block.time.plus_seconds(3_600);

    let mut measure = |who: &Addr, expected: &str| {
        let (amount, proof) = tree.proof(who.as_str());
        deps.storage.reset();
        let res = run(
            &mut deps,
            &env,
            who,
            ExecuteMsg::ClaimAttribution {
                datanet_id: 1,
                epoch: 1,
                cumulative_amount: Uint128::new(amount),
                proof,
            },
        );
        let paid = res.attributes.iter().find(|a| a.key == "amount").unwrap();
        assert_eq!(paid.value, expected);
        deps.storage.counts()
    };
    let first = measure(&alice, "5000");
    let next = measure(&bob, "7000");
    (first, next, tree.tree.depth())
}

#[test]
fn attribution_claim_touches_constant_storage_whatever_the_tree_size() {
    let small = claim_cost(1 << 4);
    let large = claim_cost(1 << 20);
    println!(
        "claim_attribution storage operations (reads, writes): 2^4 leaves first {:?} next {:?}; 2^20 leaves first {:?} next {:?}",
        small.0, small.1, large.0, large.1
    );
    assert_eq!((small.2, large.2), (4, 20));
    assert_eq!((small.0, small.1), (large.0, large.1));
    // Datanet pool, attribution state, the claimant's claimed amount, totals, config read;
    // claimed amount, datanet pool, totals written, plus the attribution state when the claim
    // promotes the root.
    assert_eq!(small.1, (5, 3));
    assert_eq!(small.0, (5, 4));
}
