//! Payments of derived models: every ancestor's owner and every (datanet, version) paid exactly,
//! in one `distribute`. The default split applies: datanets 50 %, owner 20 %, stakers 20 %,
//! treasury 10 %.

use super::*;

/// The payment of one inference of `model_id` at `fee` must send exactly what `fee_quote`
/// promised: returns the response.
fn pay_as_quoted(s: &mut Suite, model_id: u64, fee: u128, inference_id: &str) -> Response {
    let q = s.quote(model_id, None);
    assert_eq!(q.fee, Uint128::new(fee));
    let owner = s.model(model_id).owner;
    let before = s.earnings(&owner);
    let res = s.pay(fee, plain(model_id, inference_id)).unwrap();
    let pool = fee - q.split.model_owner.u128();
    assert_eq!(msgs(&res), vec![s.distribute(pool, allocations_of(&q))]);
    assert_eq!(s.earnings(&owner) - before, q.split.model_owner);
    let royalties: Uint128 = q.royalties.iter().map(|r| r.owner_amount).sum();
    let sp = &q.split;
    assert_eq!(
        sp.datanets + sp.model_owner + royalties + sp.stakers + sp.treasury,
        q.fee
    );
    res
}

#[test]
fn one_parent_pays_its_owner_and_its_lineage_versions_exactly() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.addr("bob"));
    let p = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    s.buy_commercial(&bob, p);
    let c = s
        .derive_as(&bob, &[(1, 2, 10_000)], 10_007, &[(p, 2_000)])
        .unwrap();

    // Fee 10 007: datanets 5 003, owner 2 001, stakers 2 001, treasury 1 000 + split dust 2.
    // c keeps 8 000 bps: owner ⌊2 001 × 0.8⌋ = 1 600 (credited here to bob), data
    //   ⌊5 003 × 0.8⌋ = 4 002 → datanet 1 v2.
    // p has 2 000 bps: owner ⌊400.2⌋ = 400 (alice, credited in the pool), data ⌊1 000.6⌋ =
    //   1 000 → datanet 1 v1: 600, datanet 2 v1: 400.
    // Royalty dust: owner 2 001 − 2 000 = 1, data 5 003 − 5 002 = 1 → treasury 1 000 + 2 + 2.
    let res = pay_as_quoted(&mut s, c, 10_007, "i-1");
    let expected = s.distribute(
        10_007 - 1_600,
        vec![
            dn(1, 1, 600),
            dn(1, 2, 4_002),
            dn(2, 1, 400),
            account(&alice, p, 400),
            Allocation::Stakers {
                amount: Uint128::new(2_001),
            },
            Allocation::Treasury {
                amount: Uint128::new(1_004),
            },
        ],
    );
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(s.earnings(&bob), Uint128::new(1_600));
    // alice's licence income (20 000 × 20 %) is credited here; the royalty is in the pool.
    assert_eq!(s.earnings(&alice), Uint128::new(4_000));
    assert_eq!(attr(&res, "royalties_amount"), "400");
    assert_eq!(attr(&res, format!("royalty_{p}").as_str()), "400");
    assert_eq!(attr(&res, "datanet_1_v2"), "4002");
    assert_eq!(attr(&res, "datanets_amount"), "5002");
    assert_eq!(attr(&res, "treasury_amount"), "1004");

    let q = s.quote(c, None);
    assert_eq!(q.royalty_dust, Uint128::new(2));
    assert_eq!(
        q.royalties,
        vec![RoyaltyShare {
            model_id: p,
            owner: alice,
            share_bps: 2_000,
            owner_amount: Uint128::new(400),
            datanets_amount: Uint128::new(1_000),
        }]
    );
    assert_eq!(
        q.datanets,
        vec![
            DatanetShare {
                datanet_id: 1,
                version: 2,
                amount: Uint128::new(4_002)
            },
            DatanetShare {
                datanet_id: 1,
                version: 1,
                amount: Uint128::new(600)
            },
            DatanetShare {
                datanet_id: 2,
                version: 1,
                amount: Uint128::new(400)
            },
        ]
    );
}

#[test]
fn two_level_chain_pays_parent_and_grandparent_exactly() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.addr("bob"), s.addr("carol"));
    let g = s.derive_as(&carol, &[(3, 1, 10_000)], 100, &[]).unwrap();
    s.buy_commercial(&alice, g);
    let p = s
        .derive_as(&alice, &[(1, 1, 5_000), (2, 1, 5_000)], 100, &[(g, 3_000)])
        .unwrap();
    s.buy_commercial(&bob, p);
    let c = s
        .derive_as(&bob, &[(1, 2, 10_000)], 99_999, &[(p, 2_500)])
        .unwrap();

    // Shares of c's creator value: p is reached with 2 500 and keeps 7 000 of it: 1 750;
    // g is reached with ⌊2 500 × 3 000 / 10 000⌋ = 750 and keeps all: 750; c keeps 7 500.
    let a = s.ancestry(c);
    assert_eq!((a.depth, a.own_share_bps), (2, 7_500));
    assert_eq!(
        a.ancestors
            .iter()
            .map(|x| (x.model_id, x.depth, x.reach_bps, x.share_bps))
            .collect::<Vec<_>>(),
        vec![(g, 2, 750, 750), (p, 1, 2_500, 1_750)]
    );

    // Fee 99 999: datanets 49 999, owner 19 999, stakers 19 999, treasury 9 999 + dust 3.
    // c 7 500: owner ⌊14 999.25⌋ = 14 999, data ⌊37 499.25⌋ = 37 499 → datanet 1 v2.
    // p 1 750: owner ⌊3 499.825⌋ = 3 499, data ⌊8 749.825⌋ = 8 749 → 4 374 + 4 374
    //   (datanets 1 v1 and 2 v1; attribution dust 1).
    // g 750: owner ⌊1 499.925⌋ = 1 499, data ⌊3 749.925⌋ = 3 749 → datanet 3 v1.
    // Royalty dust: owners 19 999 − 19 997 = 2, data 49 999 − 49 997 = 2.
    // Treasury: 9 999 + 3 + 1 + 4 = 10 007.
    let res = pay_as_quoted(&mut s, c, 99_999, "i-1");
    let expected = s.distribute(
        99_999 - 14_999,
        vec![
            dn(1, 1, 4_374),
            dn(1, 2, 37_499),
            dn(2, 1, 4_374),
            dn(3, 1, 3_749),
            account(&carol, g, 1_499),
            account(&alice, p, 3_499),
            Allocation::Stakers {
                amount: Uint128::new(19_999),
            },
            Allocation::Treasury {
                amount: Uint128::new(10_007),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(s.earnings(&bob), Uint128::new(14_999));
}

#[test]
fn diamond_pays_the_shared_ancestor_once_for_both_paths() {
    let mut s = Suite::new();
    let (alice, bob, carol, dave) = (
        s.alice.clone(),
        s.addr("bob"),
        s.addr("carol"),
        s.addr("dave"),
    );
    let a = s.derive_as(&carol, &[(3, 1, 10_000)], 100, &[]).unwrap();
    s.buy_commercial(&alice, a);
    s.buy_commercial(&dave, a);
    let p1 = s
        .derive_as(&alice, &[(1, 1, 10_000)], 100, &[(a, 2_000)])
        .unwrap();
    let p2 = s
        .derive_as(&dave, &[(2, 1, 10_000)], 100, &[(a, 1_000)])
        .unwrap();
    s.buy_commercial(&bob, p1);
    s.buy_commercial(&bob, p2);
    let c = s
        .derive_as(&bob, &[(1, 2, 10_000)], 10_000, &[(p1, 2_000), (p2, 3_000)])
        .unwrap();

    // a is reached through p1 with ⌊2 000 × 2 000 / 10 000⌋ = 400 and through p2 with
    // ⌊3 000 × 1 000 / 10 000⌋ = 300: 700, all kept. p1 keeps 8 000 of 2 000: 1 600; p2 keeps
    // 9 000 of 3 000: 2 700. c keeps 10 000 − 700 − 1 600 − 2 700 = 5 000.
    let ancestry = s.ancestry(c);
    assert_eq!(ancestry.parents, parents_of(&[(p1, 2_000), (p2, 3_000)]));
    assert_eq!((ancestry.depth, ancestry.own_share_bps), (2, 5_000));
    assert_eq!(
        ancestry
            .ancestors
            .iter()
            .map(|x| (x.model_id, x.depth, x.reach_bps, x.share_bps))
            .collect::<Vec<_>>(),
        vec![
            (a, 2, 700, 700),
            (p1, 1, 2_000, 1_600),
            (p2, 1, 3_000, 2_700)
        ]
    );
    assert_eq!(ancestry.ancestors[0].owner, carol);
    assert_eq!(ancestry.ancestors[0].lineage, lineage_of(&[(3, 1, 10_000)]));
    assert_eq!(ancestry.ancestors[2].status, ModelStatus::Active);

    // Fee 10 000: datanets 5 000, owner 2 000, stakers 2 000, treasury 1 000; no dust.
    // c: owner 1 000, data 2 500 (datanet 1 v2). a: 140 and 350 (datanet 3 v1).
    // p1: 320 and 800 (datanet 1 v1). p2: 540 and 1 350 (datanet 2 v1).
    let res = pay_as_quoted(&mut s, c, 10_000, "i-1");
    let expected = s.distribute(
        9_000,
        vec![
            dn(1, 1, 800),
            dn(1, 2, 2_500),
            dn(2, 1, 1_350),
            dn(3, 1, 350),
            account(&carol, a, 140),
            account(&alice, p1, 320),
            account(&dave, p2, 540),
            Allocation::Stakers {
                amount: Uint128::new(2_000),
            },
            Allocation::Treasury {
                amount: Uint128::new(1_000),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
}

#[test]
fn fee_quote_of_a_derived_model_with_a_signed_attribution_equals_the_payment() {
    let mut s = Suite::new();
    let bob = s.addr("bob");
    let p = s.register(&THIRDS, 1_000);
    s.buy_commercial(&bob, p);
    let c = s
        .derive_as(&bob, &[(1, 2, 5_000), (4, 1, 5_000)], 1_001, &[(p, 1_234)])
        .unwrap();
    let signed = [(4u64, 2_999u16), (1, 7_001)];
    let q = s.quote(c, Some(shares(&signed)));
    let item = s.signed_item(c, "s-1", 1_001, &signed);
    let before = s.earnings(&bob);
    let res = s.pay(1_001, item).unwrap();
    let pool = 1_001 - q.split.model_owner.u128();
    assert_eq!(msgs(&res), vec![s.distribute(pool, allocations_of(&q))]);
    assert_eq!(s.earnings(&bob) - before, q.split.model_owner);
    // The signed weights spread c's own part over its own lineage versions, in their order;
    // p's part follows its lineage.
    assert_eq!(
        q.datanets
            .iter()
            .map(|d| (d.datanet_id, d.version))
            .collect::<Vec<_>>(),
        vec![(4, 1), (1, 2), (1, 1), (2, 1), (3, 1)]
    );
    // Fee 1 001: datanets 500, owner 200. c keeps 8 766: owner 175, data 438 → 131 (4 v1),
    // 306 (1 v2), dust 1. p 1 234: owner 24, data 61 → 20 + 20 + 20, dust 1.
    // Royalty dust: 200 − 199 = 1, 500 − 499 = 1. Treasury 100 + 1 + 2 + 2 = 105.
    assert_eq!(
        q.datanets
            .iter()
            .map(|d| d.amount.u128())
            .collect::<Vec<_>>(),
        vec![131, 306, 20, 20, 20]
    );
    assert_eq!(q.split.model_owner, Uint128::new(175));
    assert_eq!(q.royalties[0].owner_amount, Uint128::new(24));
    assert_eq!(
        (q.attribution_dust, q.royalty_dust, q.split.treasury),
        (Uint128::new(2), Uint128::new(2), Uint128::new(105))
    );
}

#[test]
fn a_paused_or_retired_ancestor_still_receives_its_royalty() {
    let mut s = Suite::new();
    let (alice, bob) = (s.alice.clone(), s.addr("bob"));
    let p = s.register(&[(1, 1, 10_000)], 1_000);
    let c = s
        .derive_as(&alice, &[(2, 1, 10_000)], 1_000, &[(p, 5_000)])
        .unwrap();
    s.set_status(&alice, p, ModelStatus::Paused).unwrap();
    assert_eq!(
        s.pay(1_000, plain(p, "x")).unwrap_err(),
        ContractError::ModelNotActive {
            model_id: p,
            status: ModelStatus::Paused
        }
    );
    // 1 000: c keeps 5 000 bps (owner 100 here, data 250); p gets 100 and 250.
    let paid = |s: &Suite| {
        s.distribute(
            900,
            vec![
                dn(1, 1, 250),
                dn(2, 1, 250),
                account(&alice, p, 100),
                Allocation::Stakers {
                    amount: Uint128::new(200),
                },
                Allocation::Treasury {
                    amount: Uint128::new(100),
                },
            ],
        )
    };
    let res = pay_as_quoted(&mut s, c, 1_000, "i-1");
    assert_eq!(msgs(&res), vec![paid(&s)]);
    s.set_status(&alice, p, ModelStatus::Retired).unwrap();
    let res = pay_as_quoted(&mut s, c, 1_000, "i-2");
    assert_eq!(msgs(&res), vec![paid(&s)]);
    assert_eq!(s.ancestry(c).ancestors[0].status, ModelStatus::Retired);
    // A new owner of the ancestor is paid from its acceptance on.
    s.exec(
        &alice,
        ExecuteMsg::TransferModel {
            model_id: p,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    s.exec(&bob, ExecuteMsg::AcceptModel { model_id: p })
        .unwrap();
    let res = pay_as_quoted(&mut s, c, 1_000, "i-3");
    assert_eq!(
        res.messages[0].msg,
        s.distribute(
            900,
            vec![
                dn(1, 1, 250),
                dn(2, 1, 250),
                account(&bob, p, 100),
                Allocation::Stakers {
                    amount: Uint128::new(200),
                },
                Allocation::Treasury {
                    amount: Uint128::new(100),
                },
            ],
        )
    );
}

#[test]
fn a_licence_of_a_derived_model_pays_its_ancestors_too() {
    let mut s = Suite::new();
    let (alice, bob, carol) = (s.alice.clone(), s.addr("bob"), s.addr("carol"));
    let p = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    s.buy_commercial(&bob, p);
    let c = s
        .derive_as(&bob, &[(1, 2, 10_000)], 10_000, &[(p, 2_000)])
        .unwrap();
    // 20 000: datanets 10 000, owner 4 000, stakers 4 000, treasury 2 000. c keeps 8 000:
    // owner 3 200, data 8 000 (1 v2); p: owner 800, data 2 000 → 1 200 (1 v1) + 800 (2 v1).
    let res = s.hook(&carol, 20_000, buy(c, 2)).unwrap();
    let expected = s.distribute(
        16_800,
        vec![
            dn(1, 1, 1_200),
            dn(1, 2, 8_000),
            dn(2, 1, 800),
            account(&alice, p, 800),
            Allocation::Stakers {
                amount: Uint128::new(4_000),
            },
            Allocation::Treasury {
                amount: Uint128::new(2_000),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(s.earnings(&bob), Uint128::new(3_200));
}

#[test]
fn a_batch_pays_two_versions_of_one_datanet_as_two_allocations() {
    let mut s = Suite::new();
    let m1 = s.register(&[(1, 1, 10_000)], 1_000);
    let m2 = s.register(&[(1, 2, 10_000)], 1_000);
    let payer = s.payer.clone();
    let items = vec![plain(m1, "a"), plain(m2, "a"), plain(m1, "b")];
    let res = s
        .hook(&payer, 3_000, ReceiveMsg::PayInferences { items })
        .unwrap();
    // Each fee: datanet 500, owner 200, stakers 200, treasury 100.
    let expected = s.distribute(
        2_400,
        vec![
            dn(1, 1, 1_000),
            dn(1, 2, 500),
            Allocation::Stakers {
                amount: Uint128::new(600),
            },
            Allocation::Treasury {
                amount: Uint128::new(300),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "datanet_1_v1"), "1000");
    assert_eq!(attr(&res, "datanet_1_v2"), "500");
    assert_eq!(attr(&res, "datanet_1"), "1500");
    let q = s.quote(m2, None);
    assert_eq!(
        q.datanets,
        vec![DatanetShare {
            datanet_id: 1,
            version: 2,
            amount: Uint128::new(500)
        }]
    );
}

#[test]
fn a_batch_of_derived_models_reaching_too_many_recipients_is_refused() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let even =
        |from: u64| -> Vec<(u64, u32, u16)> { (from..from + 10).map(|d| (d, 1, 1_000)).collect() };
    let p = s.register(&even(1), 1_000);
    let q = s.register(&even(11), 1_000);
    // Each derived model reaches 10 + 5 datanet versions and one ancestor: 16 recipients.
    let five =
        |from: u64| -> Vec<(u64, u32, u16)> { (from..from + 5).map(|d| (d, 1, 2_000)).collect() };
    let c1 = s
        .derive_as(&alice, &five(21), 1_000, &[(p, 1_000)])
        .unwrap();
    let c2 = s
        .derive_as(&alice, &five(26), 1_000, &[(q, 1_000)])
        .unwrap();
    let payer = s.payer.clone();
    let items = vec![plain(c1, "a"), plain(c2, "a")];
    assert_eq!(
        s.hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::TooManyRecipients { got: 32, max: 30 }
    );
    assert!(s.inference(c1, "a").is_err());
    // Each alone fits one distribute.
    pay_as_quoted(&mut s, c1, 1_000, "a");
    pay_as_quoted(&mut s, c2, 1_000, "a");
}
