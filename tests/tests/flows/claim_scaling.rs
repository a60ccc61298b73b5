//! A claim touches the same storage entries whatever the number of contributors: the pool is
//! run on a storage that counts every read and write, with datanets of 10 and of 1 000
//! contributors, and one contributor's claim is measured in each.

use cosmwasm_std::testing::{message_info, mock_env};
use cosmwasm_std::{to_json_binary, Addr, Uint128};
use cw20::Cw20ReceiveMsg;
use openledger_common::msg::reward_pool::{
    Allocation, AttributionMode, ExecuteMsg, InstantiateMsg, ReceiveMsg, WeightUpdate,
};
use openledger_tests::counting::counting_deps;
use reward_pool::contract::{execute, instantiate};

/// Storage operations of one contributor's claim in a datanet of `n` contributors.
fn claim_cost(n: usize) -> (u64, u64) {
    let mut deps = counting_deps();
    let owner = deps.api.addr_make("owner");
    let token = deps.api.addr_make("open");
    let registry = deps.api.addr_make("registry");
    let info = |a: &Addr| message_info(a, &[]);
    instantiate(
        deps.as_mut(),
        mock_env(),
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
    execute(
        deps.as_mut(),
        mock_env(),
        info(&registry),
        ExecuteMsg::RegisterDatanet {
            datanet_id: 1,
            mode: AttributionMode::Weight,
        },
    )
    .unwrap();
    let contributors: Vec<Addr> = (0..n)
        .map(|i| deps.api.addr_make(&format!("contributor{i}")))
        .collect();
    for batch in contributors.chunks(50) {
        let updates = batch
            .iter()
            .map(|a| WeightUpdate {
                address: a.to_string(),
                weight: 10,
            })
            .collect();
        execute(
            deps.as_mut(),
            mock_env(),
            info(&registry),
            ExecuteMsg::UpdateWeights {
                datanet_id: 1,
                updates,
            },
        )
        .unwrap();
    }
    execute(
        deps.as_mut(),
        mock_env(),
        info(&registry),
        ExecuteMsg::PublishVersion {
            datanet_id: 1,
            version: 1,
            total_weight: 10 * n as u64,
        },
    )
    .unwrap();
    let amount = Uint128::new(1_000_000 * n as u128);
    execute(
        deps.as_mut(),
        mock_env(),
        info(&token),
        ExecuteMsg::Receive(Cw20ReceiveMsg {
            sender: owner.to_string(),
            amount,
            msg: to_json_binary(&ReceiveMsg::Distribute {
                allocations: vec![Allocation::Datanet {
                    id: 1,
                    amount,
                    version: None,
                }],
            })
            .unwrap(),
        }),
    )
    .unwrap();

    deps.storage.reset();
    let res = execute(
        deps.as_mut(),
        mock_env(),
        info(&contributors[n / 2]),
        ExecuteMsg::Claim {
            datanet_ids: Some(vec![1]),
        },
    )
    .unwrap();
    let paid = res.attributes.iter().find(|a| a.key == "amount").unwrap();
    assert_eq!(
        paid.value, "1000000",
        "each contributor holds an equal share"
    );
    deps.storage.counts()
}

#[test]
fn claim_touches_constant_storage_whatever_the_number_of_contributors() {
    let small = claim_cost(10);
    let large = claim_cost(1_000);
    println!("claim storage operations (reads, writes): 10 contributors {small:?}, 1000 contributors {large:?}");
    assert_eq!(small, large);
    // config, totals, datanet, the claimant's ranges (one page), its account credits, the
    // datanet's claimed total read; range, claimed total, totals written (the datanet's record
    // is only read).
    assert_eq!(small, (6, 3));
}
