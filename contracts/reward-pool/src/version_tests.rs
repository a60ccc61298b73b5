//! Version-scoped rewards: fees reach exactly the contributors of the version they name, ranges
//! page, account credits, and datanets of 0.2.0 converted with everything owed kept.

use std::collections::BTreeMap;

use cosmwasm_std::{Order, StdResult, Uint256};
use openledger_common::msg::reward_pool::{
    EarningSource, EarningsResponse, PendingRewardsResponse, RangeEarnings, RangeKey,
    RangesResponse, MAX_CLAIM_RANGES,
};

use super::*;
use crate::state::{DatanetPool, Position, DATANETS, POSITIONS, TOTALS};

/// Sets weights through the registry without publishing a version.
fn set(deps: &mut Deps, a: &Actors, id: u64, w: &[(&Addr, u64)]) {
    let updates = w
        .iter()
        .map(|(addr, weight)| WeightUpdate {
            address: addr.to_string(),
            weight: *weight,
        })
        .collect();
    call(deps, &a.registry, weights_msg(id, updates)).unwrap();
}

fn fee(id: u64, amount: u128, version: u32) -> Allocation {
    Allocation::Datanet {
        id,
        amount: Uint128::new(amount),
        version: Some(version),
    }
}

fn claim_all(deps: &mut Deps, who: &Addr) -> u128 {
    match call(deps, who, ExecuteMsg::Claim { datanet_ids: None }) {
        Ok(res) => transfer_of(&res).1,
        Err(ContractError::NothingToClaim) => 0,
        Err(e) => panic!("claim failed: {e}"),
    }
}

fn q<T: cosmwasm_schema::serde::de::DeserializeOwned>(deps: &Deps, msg: QueryMsg) -> T {
    from_json(query(deps.as_ref(), mock_env(), msg).unwrap()).unwrap()
}

#[test]
fn fees_reach_exactly_the_contributors_of_the_version_they_name() {
    let (mut deps, a) = setup();
    let carol = deps.api.addr_make("carol");
    register(&mut deps, &a, 1, AttributionMode::Weight);
    // v1 = {alice 1}; v2 = {alice 1, bob 3}; v3 = {bob 3, carol 1} (alice removed).
    weights(&mut deps, &a, 1, &[(&a.alice, 1)]);
    weights(&mut deps, &a, 1, &[(&a.bob, 3)]);
    weights(&mut deps, &a, 1, &[(&a.alice, 0), (&carol, 1)]);
    assert_eq!(pool(&deps, 1).versions, 3);
    // The test's own ledger of what each is owed.
    let mut owed: BTreeMap<&Addr, u128> = BTreeMap::new();
    let mut pay = |deps: &mut Deps, amount: u128, version: u32, split: &[(&'static str, u128)]| {
        distribute(deps, &a, amount, vec![fee(1, amount, version)]).unwrap();
        for (who, part) in split {
            let addr = match *who {
                "alice" => &a.alice,
                "bob" => &a.bob,
                _ => &carol,
            };
            *owed.entry(addr).or_default() += part;
        }
    };
    pay(&mut deps, 10, 1, &[("alice", 10)]);
    pay(&mut deps, 40, 2, &[("alice", 10), ("bob", 30)]);
    pay(&mut deps, 40, 3, &[("bob", 30), ("carol", 10)]);
    // A model trained on version 1 keeps paying alice, who left in version 3, and never bob.
    pay(&mut deps, 8, 1, &[("alice", 8)]);
    for who in [&a.alice, &a.bob, &carol] {
        assert_eq!(claim_all(&mut deps, who), owed[who], "{who}");
    }
    assert_eq!((owed[&a.alice], owed[&a.bob], owed[&carol]), (28, 60, 10));
    let p = pool(&deps, 1);
    assert_eq!(
        (p.total_distributed.u128(), p.total_claimed.u128()),
        (98, 98)
    );
    // Versions that do not exist are refused with the count the datanet has.
    for version in [0, 4] {
        assert_eq!(
            distribute(&mut deps, &a, 5, vec![fee(1, 5, version)]).unwrap_err(),
            ContractError::UnknownVersion {
                datanet_id: 1,
                version,
                versions: 3
            }
        );
    }
}

#[test]
fn a_datanet_without_a_published_version_sends_unversioned_fees_to_the_treasury() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    set(&mut deps, &a, 1, &[(&a.alice, 5)]);
    distribute(&mut deps, &a, 7, vec![datanet_alloc(1, 7)]).unwrap();
    assert_eq!(treasury(&deps), 7);
    assert_eq!(
        distribute(&mut deps, &a, 7, vec![fee(1, 7, 1)]).unwrap_err(),
        ContractError::UnknownVersion {
            datanet_id: 1,
            version: 1,
            versions: 0
        }
    );
    assert_eq!(claim_all(&mut deps, &a.alice), 0);
    // A version whose contributors all hold no weight pays the treasury too.
    register(&mut deps, &a, 2, AttributionMode::Weight);
    publish(&mut deps, &a, 2);
    distribute(&mut deps, &a, 4, vec![fee(2, 4, 1)]).unwrap();
    assert_eq!(treasury(&deps), 11);
}

#[test]
fn publish_version_comes_from_the_registry_in_order_with_the_pools_weight() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    set(&mut deps, &a, 1, &[(&a.alice, 5)]);
    let publish_msg = |version, total_weight| ExecuteMsg::PublishVersion {
        datanet_id: 1,
        version,
        total_weight,
    };
    assert_eq!(
        call(&mut deps, &a.alice, publish_msg(1, 5)).unwrap_err(),
        ContractError::NotRegistry {
            action: "publish versions".into(),
            sender: a.alice.to_string()
        }
    );
    assert_eq!(
        call(&mut deps, &a.registry, publish_msg(2, 5)).unwrap_err(),
        ContractError::VersionOutOfOrder {
            datanet_id: 1,
            expected: 1,
            got: 2
        }
    );
    assert_eq!(
        call(&mut deps, &a.registry, publish_msg(1, 4)).unwrap_err(),
        ContractError::VersionWeightMismatch {
            datanet_id: 1,
            version: 1,
            reported: 4,
            held: 5
        }
    );
    assert_eq!(
        call(
            &mut deps,
            &a.registry,
            ExecuteMsg::PublishVersion {
                datanet_id: 9,
                version: 1,
                total_weight: 0
            }
        )
        .unwrap_err(),
        ContractError::UnknownDatanet { id: 9 }
    );
    call(&mut deps, &a.registry, publish_msg(1, 5)).unwrap();
    assert_eq!(pool(&deps, 1).versions, 1);
}

#[test]
fn claims_stay_exact_across_a_thousand_versions() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    // Alice from version 1; bob joins in version 700; 1 024 versions in all.
    set(&mut deps, &a, 1, &[(&a.alice, 1)]);
    for v in 1..=1_024u32 {
        if v == 700 {
            set(&mut deps, &a, 1, &[(&a.bob, 1)]);
        }
        publish(&mut deps, &a, 1);
    }
    distribute(&mut deps, &a, 50, vec![fee(1, 50, 500)]).unwrap();
    distribute(&mut deps, &a, 30, vec![fee(1, 30, 699)]).unwrap();
    distribute(&mut deps, &a, 60, vec![fee(1, 60, 700)]).unwrap();
    distribute(&mut deps, &a, 80, vec![fee(1, 80, 1_024)]).unwrap();
    distribute(&mut deps, &a, 9, vec![fee(1, 9, 1)]).unwrap();
    assert_eq!(claim_all(&mut deps, &a.alice), 50 + 30 + 30 + 40 + 9);
    assert_eq!(claim_all(&mut deps, &a.bob), 30 + 40);
    // One range each, whatever the number of versions.
    let r: RangesResponse = q(
        &deps,
        QueryMsg::Ranges {
            datanet_id: 1,
            address: a.bob.to_string(),
            start_after: None,
            limit: None,
        },
    );
    assert_eq!(
        r.ranges,
        vec![RangeEarnings {
            datanet_id: 1,
            from_version: 700,
            to_version: None,
            weight: 1,
            earned: Uint128::new(70),
            claimed: Uint128::new(70),
            claimable: Uint128::zero(),
        }]
    );
}

#[test]
fn a_claim_settles_at_most_its_range_budget_and_claim_ranges_continues() {
    let (mut deps, a) = setup();
    register(&mut deps, &a, 1, AttributionMode::Weight);
    // Alice's weight changes in every version (1, 2, 1, 2, …): one range each.
    let n = MAX_CLAIM_RANGES as u32 + 6;
    for v in 1..=n {
        set(&mut deps, &a, 1, &[(&a.alice, 1 + u64::from(v % 2))]);
        publish(&mut deps, &a, 1);
    }
    for v in 1..=n {
        distribute(&mut deps, &a, 2, vec![fee(1, 2, v)]).unwrap();
    }
    let res = call(&mut deps, &a.alice, ExecuteMsg::Claim { datanet_ids: None }).unwrap();
    assert_eq!(transfer_of(&res).1, 2 * MAX_CLAIM_RANGES as u128);
    let next = res
        .attributes
        .iter()
        .find(|x| x.key == "next_range")
        .map(|x| x.value.clone());
    assert_eq!(next, Some(format!("1:{MAX_CLAIM_RANGES}")));
    let pending: PendingRewardsResponse = q(
        &deps,
        QueryMsg::PendingRewards {
            address: a.alice.to_string(),
            datanet_ids: None,
            start_after: None,
            limit: None,
        },
    );
    // The first 64 ranges are claimed; the page says more follow.
    assert_eq!(
        (pending.total, pending.rewards[0].more_ranges),
        (Uint128::zero(), true)
    );
    let res = call(
        &mut deps,
        &a.alice,
        ExecuteMsg::ClaimRanges {
            datanet_id: 1,
            start_after: Some(MAX_CLAIM_RANGES as u32),
            limit: None,
        },
    )
    .unwrap();
    assert_eq!(transfer_of(&res).1, 2 * 6);
    assert!(res.attributes.iter().all(|x| x.key != "next_range"));
    assert_eq!(pool(&deps, 1).total_claimed, Uint128::new(2 * n as u128));
}

#[test]
fn account_credits_are_claimed_with_rewards_and_shown_by_source() {
    let (mut deps, a) = setup();
    let credit = |address: &Addr, amount: u128, source: EarningSource| Allocation::Account {
        address: address.to_string(),
        amount: Uint128::new(amount),
        source,
    };
    let allocations = vec![
        credit(&a.alice, 5, EarningSource::ModelOwner { model_id: 3 }),
        credit(&a.alice, 7, EarningSource::Host { model_id: 3 }),
        credit(&a.alice, 2, EarningSource::ModelOwner { model_id: 3 }),
        credit(&a.bob, 4, EarningSource::Curator { datanet_id: 1 }),
    ];
    distribute(&mut deps, &a, 18, allocations).unwrap();
    let s = solvency_at(&mut deps, 0);
    assert_eq!(s.liabilities.account_credits, Uint128::new(18));
    let e: EarningsResponse = q(
        &deps,
        QueryMsg::Earnings {
            address: a.alice.to_string(),
            start_after_range: None,
            start_after_source: None,
            limit: None,
        },
    );
    assert_eq!(
        e.sources
            .iter()
            .map(|s| (s.source.clone(), s.earned.u128()))
            .collect::<Vec<_>>(),
        vec![
            (EarningSource::ModelOwner { model_id: 3 }, 7),
            (EarningSource::Host { model_id: 3 }, 7)
        ]
    );
    assert_eq!(
        (e.credits_earned.u128(), e.credits_claimable.u128()),
        (14, 14)
    );
    assert_eq!(claim_all(&mut deps, &a.alice), 14);
    assert_eq!(claim_all(&mut deps, &a.alice), 0);
    assert_eq!(claim_all(&mut deps, &a.bob), 4);
    let s = solvency_at(&mut deps, 0);
    assert_eq!(s.liabilities.account_credits, Uint128::zero());
    // A credit to an address that is not one is refused before anything is written.
    let bad = Allocation::Account {
        address: "not an address".into(),
        amount: Uint128::one(),
        source: EarningSource::Host { model_id: 1 },
    };
    assert!(matches!(
        distribute(&mut deps, &a, 1, vec![bad]).unwrap_err(),
        ContractError::InvalidAddress { .. }
    ));
}

#[test]
fn earnings_and_pending_rewards_page_through_datanets() {
    let (mut deps, a) = setup();
    for id in 1..=12u64 {
        register(&mut deps, &a, id, AttributionMode::Weight);
        weights(&mut deps, &a, id, &[(&a.alice, id)]);
        distribute(&mut deps, &a, id as u128, vec![fee(id, id as u128, 1)]).unwrap();
    }
    let page = |deps: &Deps, start_after: Option<u64>, limit: Option<u32>| {
        let p: PendingRewardsResponse = q(
            deps,
            QueryMsg::PendingRewards {
                address: a.alice.to_string(),
                datanet_ids: None,
                start_after,
                limit,
            },
        );
        p.rewards
            .iter()
            .map(|r| (r.datanet_id, r.amount.u128()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        page(&deps, None, Some(5)),
        (1..=5).map(|i| (i, i as u128)).collect::<Vec<_>>()
    );
    assert_eq!(page(&deps, Some(10), Some(5)), vec![(11, 11), (12, 12)]);
    // Earnings: ranges by (datanet, first version), continued after a cursor.
    let earnings = |deps: &Deps, after: Option<RangeKey>| {
        let e: EarningsResponse = q(
            deps,
            QueryMsg::Earnings {
                address: a.alice.to_string(),
                start_after_range: after,
                start_after_source: None,
                limit: Some(4),
            },
        );
        e.ranges
            .iter()
            .map(|r| (r.datanet_id, r.from_version, r.earned.u128()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        earnings(&deps, None),
        vec![(1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 1, 4)]
    );
    assert_eq!(
        earnings(
            &deps,
            Some(RangeKey {
                datanet_id: 11,
                from_version: 1
            })
        ),
        vec![(12, 1, 12)]
    );
}

/// Puts datanet 1 in the state a 0.2.0 pool left it: weights without versions, the
/// accumulator at `acc` per weight, alice 1 and bob 3 with positions settled at 0.
fn legacy_datanet(deps: &mut Deps, a: &Actors, acc: u128) {
    let pool = DatanetPool {
        mode: AttributionMode::Weight,
        total_weight: 4,
        reward_per_weight: Uint256::from(acc),
        total_distributed: Uint128::new(4 * acc / 1_000_000_000_000_000_000),
        total_claimed: Uint128::zero(),
        unallocated: Uint128::zero(),
        synced: false,
        legacy_versions: 0,
        slots: 0,
        slots_sum: Uint256::zero(),
        legacy: true,
        earned_per_curator: Uint128::zero(),
        curators: 0,
        curators_known: false,
    };
    DATANETS.save(&mut deps.storage, 1, &pool).unwrap();
    for (who, w) in [(&a.alice, 1u128), (&a.bob, 3)] {
        let p = Position {
            weight: Uint128::new(w),
            ..Position::default()
        };
        POSITIONS.save(&mut deps.storage, (who, 1), &p).unwrap();
    }
    let mut totals = TOTALS.load(&deps.storage).unwrap();
    totals.contributor_outstanding = pool.total_distributed;
    TOTALS.save(&mut deps.storage, &totals).unwrap();
}

/// The registry answers `datanet` with `version_count` published versions (the pool reads no
/// other field).
fn registry_reports(deps: &mut Deps, version_count: u32) {
    deps.querier.update_wasm(move |_| {
        let answer = format!(r#"{{"version_count":{version_count}}}"#);
        cosmwasm_std::SystemResult::Ok(cosmwasm_std::ContractResult::Ok(
            cosmwasm_std::Binary::from(answer.into_bytes()),
        ))
    });
}

#[test]
fn a_datanet_of_0_2_0_keeps_what_it_owed_and_its_versions_share_its_contributors() {
    let (mut deps, a) = setup();
    // 0.2.0 credited 10 per unit of weight: alice is owed 10, bob 30; three versions published.
    legacy_datanet(&mut deps, &a, 10_000_000_000_000_000_000);
    registry_reports(&mut deps, 3);
    // Before the pool meets the datanet again, queries read the 0.2.0 accumulator.
    assert_eq!(position(&deps, 1, &a.alice).claimable, Uint128::new(10));
    // A fee for version 2 (a 0.2.0 version): every 0.2.0 version shares today's contributors.
    distribute(&mut deps, &a, 8, vec![fee(1, 8, 2)]).unwrap();
    let p = pool(&deps, 1);
    assert_eq!((p.versions, p.legacy_versions), (3, 3));
    assert_eq!(claim_all(&mut deps, &a.alice), 10 + 2);
    assert!(!POSITIONS.has(&deps.storage, (&a.alice, 1)));
    // Carol joins and version 4 is published: a fee for version 4 reaches carol too, a fee for
    // version 1 does not.
    let carol = deps.api.addr_make("carol");
    weights(&mut deps, &a, 1, &[(&carol, 4)]);
    assert_eq!(pool(&deps, 1).versions, 4);
    distribute(&mut deps, &a, 16, vec![fee(1, 16, 4)]).unwrap();
    distribute(&mut deps, &a, 4, vec![fee(1, 4, 1)]).unwrap();
    assert_eq!(claim_all(&mut deps, &a.alice), 2 + 1);
    assert_eq!(claim_all(&mut deps, &a.bob), 30 + 6 + 6 + 3);
    assert_eq!(claim_all(&mut deps, &carol), 8);
    let ranges: Vec<(u32, Option<u32>)> = crate::versions::RANGES
        .prefix((&a.bob, 1))
        .range(&deps.storage, None, None, Order::Ascending)
        .map(|r| r.map(|(from, r)| (from, r.to)))
        .collect::<StdResult<_>>()
        .unwrap();
    assert_eq!(ranges, vec![(1, None)]);
    let totals = TOTALS.load(&deps.storage).unwrap();
    assert_eq!(totals.contributor_outstanding, Uint128::zero());
}
