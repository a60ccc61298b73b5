//! Queries.

use super::*;

#[test]
fn model_lists_paginate_by_owner_and_datanet() {
    let mut s = Suite::new();
    let bob = s.addr("bob");
    for i in 0..12u64 {
        let lineage: &[(u64, u32, u16)] = if i % 3 == 0 {
            &[(5, 1, 10_000)]
        } else {
            &[(6, 1, 10_000)]
        };
        let owner = if i % 2 == 0 {
            s.alice.clone()
        } else {
            bob.clone()
        };
        let new = s.model_msg(lineage, 100);
        s.register_as(&owner, new);
    }
    let ids = |r: ModelsResponse| r.models.into_iter().map(|m| m.id).collect::<Vec<_>>();
    let list =
        |s: &Suite, owner: Option<&Addr>, datanet_id, start_after, limit| -> ModelsResponse {
            s.query(QueryMsg::Models {
                owner: owner.map(|o| o.to_string()),
                datanet_id,
                start_after,
                limit,
            })
        };
    assert_eq!(
        ids(list(&s, None, None, None, None)),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(ids(list(&s, None, None, Some(10), None)), vec![11, 12]);
    assert_eq!(ids(list(&s, None, None, Some(3), Some(2))), vec![4, 5]);
    assert_eq!(
        ids(list(&s, Some(&bob), None, None, Some(50))),
        vec![2, 4, 6, 8, 10, 12]
    );
    assert_eq!(
        ids(list(&s, Some(&bob), None, Some(6), Some(2))),
        vec![8, 10]
    );
    assert_eq!(ids(list(&s, None, Some(5), None, None)), vec![1, 4, 7, 10]);
    assert_eq!(ids(list(&s, None, Some(5), Some(4), Some(2))), vec![7, 10]);
    assert_eq!(ids(list(&s, None, Some(77), None, None)), Vec::<u64>::new());

    for limit in [0u32, 51] {
        assert_eq!(
            s.query_err(QueryMsg::Models {
                owner: None,
                datanet_id: None,
                start_after: None,
                limit: Some(limit)
            }),
            ContractError::Pagination(PaginationError::LimitOutOfRange { limit, max: 50 })
        );
    }
    assert_eq!(
        s.query_err(QueryMsg::Models {
            owner: Some(bob.to_string()),
            datanet_id: Some(5),
            start_after: None,
            limit: None
        }),
        ContractError::ConflictingFilters
    );
    assert_eq!(
        s.query_err(QueryMsg::Licenses {
            licensee: bob.to_string(),
            start_after: None,
            limit: Some(51)
        }),
        ContractError::Pagination(PaginationError::LimitOutOfRange { limit: 51, max: 50 })
    );
}

#[test]
fn licenses_paginate_by_licensee() {
    let mut s = Suite::new();
    let payer = s.payer.clone();
    for _ in 0..3 {
        let id = s.register(&THIRDS, 100);
        s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    }
    let page = |s: &Suite, start_after, limit| -> Vec<u64> {
        let r: LicensesResponse = s.query(QueryMsg::Licenses {
            licensee: payer.to_string(),
            start_after,
            limit,
        });
        r.licenses.into_iter().map(|l| l.model_id).collect()
    };
    assert_eq!(page(&s, None, None), vec![1, 2, 3]);
    assert_eq!(page(&s, Some(1), Some(1)), vec![2]);
    assert_eq!(page(&s, Some(3), None), Vec::<u64>::new());
    let other = s.addr("other");
    assert_eq!(
        s.query_err(QueryMsg::License {
            model_id: 1,
            licensee: other.to_string()
        }),
        ContractError::NoLicense { model_id: 1 }
    );
}
