//! Registering derived models: the parents' rules, the right to build on a parent, the bounds
//! of the ancestry and of one fee's payout, and the `model_ancestry` query.

use super::*;

/// A chain of `n` models owned by alice, each the parent of the next with a 100 bps royalty;
/// returns their ids (the first has no parents).
fn chain(s: &mut Suite, n: usize) -> Vec<u64> {
    let alice = s.alice.clone();
    let mut ids: Vec<u64> = Vec::new();
    for _ in 0..n {
        let parents: Vec<(u64, u16)> = ids.last().map(|&p| (p, 100)).into_iter().collect();
        ids.push(
            s.derive_as(&alice, &[(1, 1, 10_000)], 1_000, &parents)
                .unwrap(),
        );
    }
    ids
}

#[test]
fn register_model_refuses_bad_parent_lists() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let m = chain(&mut s, 1)[0];
    let others: Vec<u64> = (0..4).map(|_| s.register(&[(2, 1, 10_000)], 10)).collect();
    let count = s.config().model_count;
    let five: Vec<(u64, u16)> = std::iter::once(m)
        .chain(others.iter().copied())
        .map(|id| (id, 100))
        .collect();
    let lineage = [(1, 1, 10_000)];
    let cases: Vec<(Vec<(u64, u16)>, ContractError)> = vec![
        (five, ContractError::TooManyParents { got: 5, max: 4 }),
        (
            vec![(m, 100), (others[0], 100), (m, 100)],
            ContractError::DuplicateParent { model_id: m },
        ),
        (
            vec![(m, 0)],
            ContractError::RoyaltyOutOfRange {
                model_id: m,
                royalty_bps: 0,
                min: 1,
                max: 5_000,
            },
        ),
        (
            vec![(m, 5_001)],
            ContractError::RoyaltyOutOfRange {
                model_id: m,
                royalty_bps: 5_001,
                min: 1,
                max: 5_000,
            },
        ),
        (
            vec![(m, 2_501), (others[0], 2_500)],
            ContractError::RoyaltySum {
                sum: 5_001,
                max: 5_000,
            },
        ),
        (
            vec![(m, 100), (99, 100)],
            ContractError::UnknownParent { model_id: 99 },
        ),
    ];
    for (parents, err) in cases {
        assert_eq!(
            s.derive_as(&alice, &lineage, 1_000, &parents).unwrap_err(),
            err
        );
    }
    assert_eq!(s.config().model_count, count);
    // Four parents whose royalties sum to exactly 5 000 are accepted.
    let four: Vec<(u64, u16)> = others.iter().map(|&id| (id, 1_250)).collect();
    let d = s.derive_as(&alice, &lineage, 1_000, &four).unwrap();
    let ancestry = s.ancestry(d);
    assert_eq!(ancestry.parents, parents_of(&four));
    assert_eq!((ancestry.depth, ancestry.own_share_bps), (1, 5_000));
}

#[test]
fn only_the_parents_owner_or_a_commercial_licensee_may_derive() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.addr("bob"));
    let p = s.register(&[(1, 1, 10_000)], 1_000);
    let lineage = [(2, 1, 10_000)];
    // No licence.
    assert_eq!(
        s.derive_as(&bob, &lineage, 1_000, &[(p, 1_000)])
            .unwrap_err(),
        ContractError::NotEntitledToDerive { model_id: p }
    );
    // A non-commercial licence (tier 1) is not the right to build on the model.
    s.hook(&bob, 5_000, buy(p, 1)).unwrap();
    assert!(!s.license(p, &bob).commercial);
    assert_eq!(
        s.derive_as(&bob, &lineage, 1_000, &[(p, 1_000)])
            .unwrap_err(),
        ContractError::LicenseNotCommercial { model_id: p }
    );
    // The owner of the parent may.
    let own = s.derive_as(&alice, &lineage, 1_000, &[(p, 1_000)]).unwrap();
    assert_eq!(s.ancestry(own).parents, parents_of(&[(p, 1_000)]));

    // A commercial licensee may, while the licence runs.
    let carol = s.addr("carol");
    s.buy_commercial(&carol, p);
    let expires_at = s.license(p, &carol).expires_at;
    let by_licensee = s.derive_as(&carol, &lineage, 1_000, &[(p, 500)]).unwrap();
    assert_eq!(s.model(by_licensee).owner, carol);
    let new = NewModel {
        parents: parents_of(&[(p, 500)]),
        ..s.model_msg(&lineage, 1_000)
    };
    let res = s.exec(&carol, ExecuteMsg::RegisterModel(new)).unwrap();
    assert_eq!(attr(&res, "parents"), format!("{p}:500"));
    assert_eq!(attr(&res, "depth"), "1");

    // Once it has expired (the bound is exclusive), it may not.
    s.set_time(expires_at);
    assert_eq!(
        s.derive_as(&carol, &lineage, 1_000, &[(p, 500)])
            .unwrap_err(),
        ContractError::LicenseExpired {
            model_id: p,
            expired_at: expires_at
        }
    );
    // An expired licence of the other parent sinks a registration whose first parent is fine.
    assert_eq!(
        s.derive_as(&carol, &lineage, 1_000, &[(by_licensee, 500), (p, 500)])
            .unwrap_err(),
        ContractError::LicenseExpired {
            model_id: p,
            expired_at: expires_at
        }
    );
}

#[test]
fn ancestry_deeper_than_four_is_refused() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    // Depths 0, 1, 2, 3, 4.
    let ids = chain(&mut s, 5);
    let last = *ids.last().unwrap();
    let a = s.ancestry(last);
    assert_eq!(a.depth, 4);
    assert_eq!(
        a.ancestors
            .iter()
            .map(|x| (x.model_id, x.depth))
            .collect::<Vec<_>>(),
        vec![(ids[0], 4), (ids[1], 3), (ids[2], 2), (ids[3], 1)]
    );
    // 100 bps at each link: the parent keeps ⌊100 × 9 900 / 10 000⌋ = 99; the grandparent is
    // reached with ⌊100 × 100 / 10 000⌋ = 1 bps and keeps ⌊1 × 9 900 / 10 000⌋ = 0 of it;
    // anything further is reached with 0 (they stay ancestors, with no share). The model keeps
    // the rest.
    assert_eq!(
        a.ancestors
            .iter()
            .map(|x| (x.reach_bps, x.share_bps))
            .collect::<Vec<_>>(),
        vec![(0, 0), (0, 0), (1, 0), (100, 99)]
    );
    assert_eq!(a.own_share_bps, 9_901);
    assert_eq!(
        s.derive_as(&alice, &[(1, 1, 10_000)], 1_000, &[(last, 100)])
            .unwrap_err(),
        ContractError::AncestryTooDeep { depth: 5, max: 4 }
    );
    // The same parent beside a shallow one still refuses: depth follows the deepest parent.
    assert_eq!(
        s.derive_as(
            &alice,
            &[(1, 1, 10_000)],
            1_000,
            &[(ids[0], 100), (last, 100)]
        )
        .unwrap_err(),
        ContractError::AncestryTooDeep { depth: 5, max: 4 }
    );
    s.derive_as(&alice, &[(1, 1, 10_000)], 1_000, &[(ids[3], 100)])
        .unwrap();
}

#[test]
fn more_than_sixteen_ancestors_are_refused() {
    let mut s = Suite::new();
    let base: Vec<u64> = (0..13)
        .map(|_| s.register(&[(1, 1, 10_000)], 100))
        .collect();
    let derive = |s: &mut Suite, parents: &[u64]| -> Result<u64, ContractError> {
        let p: Vec<(u64, u16)> = parents.iter().map(|&id| (id, 1_000)).collect();
        let alice = s.alice.clone();
        s.derive_as(&alice, &[(1, 1, 10_000)], 100, &p)
    };
    // Four parents with three parents each: 16 ancestors, accepted.
    let x: Vec<u64> = (0..4)
        .map(|i| derive(&mut s, &base[3 * i..3 * i + 3]).unwrap())
        .collect();
    let sixteen = derive(&mut s, &x).unwrap();
    assert_eq!(s.ancestry(sixteen).ancestors.len(), 16);
    // One of them with a grandparent more: 17.
    let y = derive(&mut s, &[base[12]]).unwrap();
    let x4 = derive(&mut s, &[base[9], base[10], y]).unwrap();
    assert_eq!(
        derive(&mut s, &[x[0], x[1], x[2], x4]).unwrap_err(),
        ContractError::TooManyAncestors { got: 17, max: 16 }
    );
}

#[test]
fn a_derived_model_whose_fee_could_not_fit_one_distribute_is_refused() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let wide: Vec<(u64, u32, u16)> = (1..=16).map(|d| (d, 1, 625)).collect();
    let other: Vec<(u64, u32, u16)> = (17..=32).map(|d| (d, 1, 625)).collect();
    let p = s.register(&wide, 1_000);
    // 16 + 16 datanet versions and p's owner: 33 recipients.
    assert_eq!(
        s.derive_as(&alice, &other, 1_000, &[(p, 100)]).unwrap_err(),
        ContractError::PayoutTooWide {
            recipients: 33,
            max: 30
        }
    );
    // The same datanet versions as p: 16 + 1.
    let same = s.derive_as(&alice, &wide, 1_000, &[(p, 100)]).unwrap();
    let q = s.quote(same, None);
    assert_eq!(q.datanets.len(), 16);
    assert_eq!(q.royalties.len(), 1);
}

#[test]
fn model_ancestry_of_a_model_without_parents_is_empty() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    assert_eq!(
        s.ancestry(id),
        ModelAncestryResponse {
            model_id: id,
            depth: 0,
            parents: vec![],
            own_share_bps: 10_000,
            ancestors: vec![],
        }
    );
    assert_eq!(
        s.query_err(QueryMsg::ModelAncestry { model_id: 9 }),
        ContractError::ModelNotFound { model_id: 9 }
    );
    let q = s.quote(id, None);
    assert_eq!((q.royalties.len(), q.royalty_dust), (0, Uint128::zero()));
}

#[test]
fn parents_are_optional_and_strict_in_json() {
    let s = Suite::new();
    let new = s.model_msg(&THIRDS, 1_000);
    let json = String::from_utf8(
        to_json_binary(&ExecuteMsg::RegisterModel(new))
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    // Without parents the message is what 0.3.0 clients send.
    assert!(!json.contains("parents"), "{json}");
    let with = json.replacen(
        "\"hosts\"",
        "\"parents\":[{\"model_id\":1,\"royalty_bps\":10}],\"hosts\"",
        1,
    );
    let parsed: ExecuteMsg = from_json(with.as_bytes()).unwrap();
    match parsed {
        ExecuteMsg::RegisterModel(m) => assert_eq!(m.parents, parents_of(&[(1, 10)])),
        other => panic!("{other:?}"),
    }
    let bad = json.replacen(
        "\"hosts\"",
        "\"parents\":[{\"model_id\":1,\"royalty_bps\":10,\"share\":1}],\"hosts\"",
        1,
    );
    let err = from_json::<ExecuteMsg>(bad.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `share`"), "{err}");
}
