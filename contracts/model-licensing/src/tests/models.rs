//! Model administration.

use super::*;

#[test]
fn update_model_validates_and_replaces() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let stranger = s.addr("stranger");
    let update = |fee: Option<u128>, tiers: Option<Vec<LicenseTier>>, hosts: Option<Vec<Host>>| {
        update_msg(id, fee, tiers, hosts)
    };
    assert_eq!(
        s.exec(&stranger, update(Some(5), None, None)).unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    assert_eq!(
        s.exec(&alice, update(None, None, None)).unwrap_err(),
        ContractError::NothingToUpdate
    );
    assert_eq!(
        s.exec(&alice, update(Some(0), None, None)).unwrap_err(),
        ContractError::ZeroFee
    );
    let mut dup = tiers();
    dup[0].id = 2;
    assert_eq!(
        s.exec(&alice, update(None, Some(dup), None)).unwrap_err(),
        ContractError::DuplicateTier { id: 2 }
    );
    let host = s.host.clone();
    assert_eq!(
        s.exec(
            &alice,
            update(
                None,
                None,
                Some(vec![Host {
                    address: host.to_string(),
                    pubkey: HexBinary::from(vec![2u8; 32])
                }])
            )
        )
        .unwrap_err(),
        ContractError::InvalidPubkey {
            host: host.to_string()
        }
    );
    assert_eq!(s.model(id).inference_fee, Uint128::new(1_000));

    // New fee, one tier, a new host key: the old host can no longer sign.
    let new_key = key(21);
    s.exec(
        &alice,
        update(
            Some(2_000),
            Some(vec![tiers()[1].clone()]),
            Some(vec![host_of(&host, &new_key)]),
        ),
    )
    .unwrap();
    let m = s.model(id);
    assert_eq!(m.inference_fee, Uint128::new(2_000));
    assert_eq!(m.tiers, vec![tiers()[1].clone()]);
    assert_eq!(m.hosts, vec![host_of(&host, &new_key)]);
    assert_eq!(
        s.pay(1_000, plain(id, "a")).unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(2_000),
            received: Uint128::new(1_000)
        }
    );
    let item = s.signed_item(id, "a", 2_000, &[(1, 10_000)]);
    assert_eq!(
        s.pay(2_000, item).unwrap_err(),
        ContractError::InvalidReceiptSignature {
            model_id: id,
            inference_id: "a".into()
        }
    );
    let receipt = s.receipt(id, "a", 2_000, &[(1, 10_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&new_key, &receipt)),
        ..s.signed_item(id, "a", 2_000, &[(1, 10_000)])
    };
    s.pay(2_000, item).unwrap();
    let payer = s.payer.clone();
    assert_eq!(
        s.hook(&payer, 5_000, buy(id, 1)).unwrap_err(),
        ContractError::UnknownTier {
            model_id: id,
            tier_id: 1
        }
    );
}

#[test]
fn model_transfer_is_two_step_and_moves_future_earnings() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let bob = s.addr("bob");
    let mallory = s.addr("mallory");
    assert_eq!(
        s.exec(
            &mallory,
            ExecuteMsg::TransferModel {
                model_id: id,
                new_owner: mallory.to_string()
            }
        )
        .unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    s.exec(
        &alice,
        ExecuteMsg::TransferModel {
            model_id: id,
            new_owner: bob.to_string(),
        },
    )
    .unwrap();
    assert_eq!(s.model(id).pending_owner, Some(bob.clone()));
    assert_eq!(
        s.exec(&mallory, ExecuteMsg::AcceptModel { model_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { model_id: id }
    );
    // Until accepted, alice still owns and earns.
    s.pay(1_000, plain(id, "a")).unwrap();
    assert_eq!(s.earnings(&alice), Uint128::new(200));

    let res = s
        .exec(&bob, ExecuteMsg::AcceptModel { model_id: id })
        .unwrap();
    assert_eq!(attr(&res, "previous_owner"), alice.to_string());
    let m = s.model(id);
    assert_eq!((m.owner.clone(), m.pending_owner), (bob.clone(), None));
    s.pay(1_000, plain(id, "b")).unwrap();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    assert_eq!(s.earnings(&bob), Uint128::new(200));

    let by_owner = |s: &Suite, who: &Addr| -> Vec<u64> {
        let r: ModelsResponse = s.query(QueryMsg::Models {
            owner: Some(who.to_string()),
            datanet_id: None,
            start_after: None,
            limit: None,
        });
        r.models.into_iter().map(|m| m.id).collect()
    };
    assert_eq!(by_owner(&s, &alice), Vec::<u64>::new());
    assert_eq!(by_owner(&s, &bob), vec![id]);

    // Proposing the current owner cancels a pending transfer.
    s.exec(
        &bob,
        ExecuteMsg::TransferModel {
            model_id: id,
            new_owner: alice.to_string(),
        },
    )
    .unwrap();
    let res = s
        .exec(
            &bob,
            ExecuteMsg::TransferModel {
                model_id: id,
                new_owner: bob.to_string(),
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "cancelled"), "true");
    assert_eq!(s.model(id).pending_owner, None);
    assert_eq!(
        s.exec(&alice, ExecuteMsg::AcceptModel { model_id: id })
            .unwrap_err(),
        ContractError::NotPendingOwner { model_id: id }
    );
}
