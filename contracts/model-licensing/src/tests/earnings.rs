//! Quotes, earnings, solvency.

use super::*;

#[test]
fn fee_quote_equals_what_a_payment_produces() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let alice = s.alice.clone();

    let q = s.quote(id, None);
    assert_eq!(
        q,
        FeeQuoteResponse {
            fee: Uint128::new(1_001),
            split: FeeSplitAmounts {
                datanets: Uint128::new(498),
                model_owner: Uint128::new(200),
                hosts: Uint128::zero(),
                stakers: Uint128::new(200),
                treasury: Uint128::new(103),
                dust: Uint128::new(1),
            },
            datanets: vec![
                DatanetShare {
                    datanet_id: 1,
                    version: 1,
                    amount: Uint128::new(166)
                },
                DatanetShare {
                    datanet_id: 2,
                    version: 1,
                    amount: Uint128::new(166)
                },
                DatanetShare {
                    datanet_id: 3,
                    version: 1,
                    amount: Uint128::new(166)
                },
            ],
            royalties: vec![],
            attribution_dust: Uint128::new(2),
            royalty_dust: Uint128::zero(),
        }
    );

    for (n, attribution) in [
        None,
        Some(vec![(2u64, 2_500u16), (1, 7_500)]),
        Some(vec![(3, 1)]).map(|mut v: Vec<(u64, u16)>| {
            v.push((1, 9_999));
            v
        }),
    ]
    .into_iter()
    .enumerate()
    {
        let q = s.quote(id, attribution.as_deref().map(shares));
        let inference_id = format!("q-{n}");
        let item = match &attribution {
            None => plain(id, &inference_id),
            Some(a) => s.signed_item(id, &inference_id, 1_001, a),
        };
        let before = s.earnings(&alice);
        let res = s.pay(1_001, item).unwrap();
        let mut allocations: Vec<Allocation> = {
            let mut d = q.datanets.clone();
            d.sort_by_key(|x| x.datanet_id);
            d.into_iter()
                .filter(|x| !x.amount.is_zero())
                .map(|x| Allocation::Datanet {
                    id: x.datanet_id,
                    amount: x.amount,
                    version: Some(x.version),
                })
                .collect()
        };
        allocations.push(Allocation::Stakers {
            amount: q.split.stakers,
        });
        allocations.push(Allocation::Treasury {
            amount: q.split.treasury,
        });
        let pool_total = q.fee - q.split.model_owner;
        assert_eq!(
            msgs(&res),
            vec![s.distribute(pool_total.u128(), allocations)],
            "quote {n}"
        );
        assert_eq!(s.earnings(&alice) - before, q.split.model_owner);
        assert_eq!(
            q.split.datanets + q.split.model_owner + q.split.stakers + q.split.treasury,
            q.fee
        );
    }

    assert_eq!(
        s.query_err(QueryMsg::FeeQuote {
            model_id: id,
            attribution: Some(shares(&[(9, 10_000)]))
        }),
        ContractError::AttributionOutsideLineage {
            model_id: id,
            datanet_id: 9
        }
    );
    assert_eq!(
        s.query_err(QueryMsg::FeeQuote {
            model_id: id,
            attribution: Some(shares(&[(1, 9_000)]))
        }),
        ContractError::Attribution(AttributionError::AttributionSum { sum: 9_000 })
    );
}

#[test]
fn withdraw_earnings_pays_once_and_keeps_solvency() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    assert_eq!(
        s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
    s.pay(1_000, plain(id, "a")).unwrap();
    s.pay(1_000, plain(id, "b")).unwrap();
    // The contract holds the two owner shares.
    let (registry, token) = (s.registry.clone(), s.token.clone());
    install_querier(&mut s.deps, &registry, &token, published(), 400);
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(
        solvency,
        LicensingSolvencyResponse {
            balance: Uint128::new(400),
            owed_earnings: Uint128::new(400),
            solvent: true
        }
    );

    let res = s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap();
    assert_eq!(
        msgs(&res),
        vec![TokenHandle(s.token.clone())
            .transfer(&alice, Uint128::new(400))
            .unwrap()]
    );
    assert_eq!(attr(&res, "amount"), "400");
    assert_eq!(s.earnings(&alice), Uint128::zero());
    install_querier(&mut s.deps, &registry, &token, published(), 0);
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::zero());
    assert!(solvency.solvent);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
}
