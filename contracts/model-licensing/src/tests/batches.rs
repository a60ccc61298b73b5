//! Batches.

use super::*;

#[test]
fn pay_inferences_of_fifty_sends_one_aggregated_distribute() {
    let mut s = Suite::new();
    let a = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    let bob = s.addr("bob");
    let new = s.model_msg(&[(2, 1, 5_000), (3, 1, 5_000)], 333);
    let b = s.register_as(&bob, new);
    let items: Vec<InferencePayment> = (0..50)
        .map(|i| plain(if i % 2 == 0 { a } else { b }, &format!("inf-{i}")))
        .collect();
    let payer = s.payer.clone();
    let total = 25 * 1_000 + 25 * 333;
    let res = s
        .hook(&payer, total, ReceiveMsg::PayInferences { items })
        .unwrap();
    // Model a (fee 1000): datanet 1: 300, datanet 2: 200, owner 200, stakers 200, treasury 100.
    // Model b (fee 333): datanets 166 → 83 + 83, owner 66, stakers 66, treasury 33 + 2 dust.
    let expected = s.distribute(
        total - 25 * 200 - 25 * 66,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(25 * 300),
                version: Some(1),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(25 * 200 + 25 * 83),
                version: Some(1),
            },
            Allocation::Datanet {
                id: 3,
                amount: Uint128::new(25 * 83),
                version: Some(1),
            },
            Allocation::Stakers {
                amount: Uint128::new(25 * 200 + 25 * 66),
            },
            Allocation::Treasury {
                amount: Uint128::new(25 * 100 + 25 * 35),
            },
        ],
    );
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(attr(&res, "action"), "pay_inferences");
    assert_eq!(attr(&res, "count"), "50");
    let listed: Vec<&str> = res
        .attributes
        .iter()
        .filter(|x| x.key == "inference")
        .map(|x| x.value.as_str())
        .collect();
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[1], format!("{b}:inf-1"));

    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(5_000));
    assert_eq!(s.earnings(&bob), Uint128::new(1_650));
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::new(6_650));
    assert_eq!(
        (s.stats(a).paid_inferences, s.stats(a).inference_revenue),
        (25, Uint128::new(25_000))
    );
    assert_eq!(
        (s.stats(b).paid_inferences, s.stats(b).inference_revenue),
        (25, Uint128::new(8_325))
    );
    assert_eq!(s.inference(b, "inf-49").unwrap().fee, Uint128::new(333));
}

#[test]
fn pay_inferences_mixes_signed_and_lineage_items() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 5_000), (2, 1, 5_000)], 1_000);
    let items = vec![
        plain(id, "x"),
        s.signed_item(id, "y", 1_000, &[(1, 10_000)]),
    ];
    let payer = s.payer.clone();
    let res = s
        .hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
        .unwrap();
    let expected = s.distribute(
        1_600,
        vec![
            Allocation::Datanet {
                id: 1,
                amount: Uint128::new(250 + 500),
                version: Some(1),
            },
            Allocation::Datanet {
                id: 2,
                amount: Uint128::new(250),
                version: Some(1),
            },
            Allocation::Stakers {
                amount: Uint128::new(400),
            },
            Allocation::Treasury {
                amount: Uint128::new(200),
            },
        ],
    );
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "signed"), "1");
}

#[test]
fn pay_inferences_refuses_bad_batches() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 10);
    let payer = s.payer.clone();
    let items: Vec<InferencePayment> = (0..51).map(|i| plain(id, &format!("i{i}"))).collect();
    assert_eq!(
        s.hook(&payer, 510, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::BatchSize { got: 51, max: 50 }
    );
    assert_eq!(
        s.hook(&payer, 10, ReceiveMsg::PayInferences { items: vec![] })
            .unwrap_err(),
        ContractError::BatchSize { got: 0, max: 50 }
    );
    let items = vec![plain(id, "a"), plain(id, "b"), plain(id, "a")];
    assert_eq!(
        s.hook(&payer, 30, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::DuplicateInference {
            model_id: id,
            inference_id: "a".into()
        }
    );
    let items = vec![plain(id, "a"), plain(id, "b")];
    assert_eq!(
        s.hook(&payer, 30, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(20),
            received: Uint128::new(30)
        }
    );
    // One bad item sinks the batch: nothing is recorded.
    s.pay(10, plain(id, "b")).unwrap();
    let items = vec![plain(id, "a"), plain(id, "b")];
    assert_eq!(
        s.hook(&payer, 20, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "b".into()
        }
    );
    assert!(s.inference(id, "a").is_err());
    assert_eq!(s.stats(id).paid_inferences, 1);
}

#[test]
fn pay_inferences_refuses_more_datanets_than_one_distribute_holds() {
    let mut s = Suite::new();
    let x: Vec<(u64, u32, u16)> = (1..=16).map(|d| (d, 1, 625)).collect();
    let y: Vec<(u64, u32, u16)> = (17..=32).map(|d| (d, 1, 625)).collect();
    let mx = s.register(&x, 10_000);
    let my = s.register(&y, 10_000);
    let payer = s.payer.clone();
    let items = vec![plain(mx, "a"), plain(my, "a")];
    assert_eq!(
        s.hook(&payer, 20_000, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::TooManyRecipients { got: 32, max: 30 }
    );
    // Each alone fits.
    s.pay(10_000, plain(mx, "a")).unwrap();
    s.pay(10_000, plain(my, "a")).unwrap();
}
