//! Paying inferences.

use super::*;

#[test]
fn pay_inference_with_lineage_weights_splits_exactly() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let res = s.pay(1_001, plain(id, "inf-1")).unwrap();

    // 1001: datanets 500 → 166 each (dust 2), owner 200, stakers 200, treasury 100 + 1 + 2.
    let expected = s.distribute(801, allocations(&[(1, 166), (2, 166), (3, 166)], 200, 103));
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(attr(&res, "action"), "pay_inference");
    assert_eq!(attr(&res, "model_id"), "1");
    assert_eq!(attr(&res, "inference_id"), "inf-1");
    assert_eq!(attr(&res, "payer"), s.payer.to_string());
    assert_eq!(attr(&res, "fee"), "1001");
    assert_eq!(attr(&res, "model_owner_amount"), "200");
    assert_eq!(attr(&res, "datanets_amount"), "498");
    assert_eq!(attr(&res, "stakers_amount"), "200");
    assert_eq!(attr(&res, "treasury_amount"), "103");
    assert_eq!(attr(&res, "datanet_2"), "166");
    assert_eq!(attr(&res, "datanet_2_v1"), "166");
    assert_eq!(attr(&res, "royalties_amount"), "0");
    assert_eq!(attr(&res, "signed"), "0");

    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    assert_eq!(solvency.owed_earnings, Uint128::new(200));
    let stats = s.stats(id);
    assert_eq!(
        (stats.paid_inferences, stats.inference_revenue),
        (1, Uint128::new(1_001))
    );
    assert_eq!(
        s.inference(id, "inf-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "inf-1".into(),
            payer: s.payer.clone(),
            fee: Uint128::new(1_001),
            attribution: None,
            licensed: false,
            recorded_at: s.env.block.time,
            io: None,
        }
    );
}

#[test]
fn inference_record_is_compact() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(id, "inf-1")).unwrap();
    // The payer is in the key (ids are per payer), not in the value.
    let raw = INFERENCES.key((id, &s.payer, "inf-1"));
    let bytes = cosmwasm_std::Storage::get(&s.deps.storage, &raw).unwrap();
    let json = String::from_utf8(bytes).unwrap();
    assert_eq!(
        json,
        format!(r#"{{"f":"1000","t":{}}}"#, s.env.block.time.nanos())
    );
}

#[test]
fn pay_inference_with_signed_attribution_uses_it() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let item = s.signed_item(id, "inf-s", 1_001, &[(3, 3_000), (2, 7_000)]);
    let res = s.pay(1_001, item).unwrap();
    // Datanets 500 → datanet 2: 350, datanet 3: 150, no attribution dust; treasury 100 + 1.
    let expected = s.distribute(801, allocations(&[(2, 350), (3, 150)], 200, 101));
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "signed"), "1");
    assert_eq!(
        s.inference(id, "inf-s").unwrap().attribution,
        Some(shares(&[(3, 3_000), (2, 7_000)]))
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
}

#[test]
fn pay_inference_refuses_wrong_fee_naming_the_expected_one() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    for sent in [1_000u128, 1_002] {
        assert_eq!(
            s.pay(sent, plain(id, "inf-1")).unwrap_err(),
            ContractError::FeeMismatch {
                expected: Uint128::new(1_001),
                received: Uint128::new(sent),
            }
        );
    }
    let msg = s.pay(1_000, plain(id, "inf-1")).unwrap_err().to_string();
    assert!(msg.contains("1001"), "{msg}");
    assert_eq!(
        s.inference(id, "inf-1").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    assert_eq!(s.stats(id).paid_inferences, 0);
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::zero());
}

#[test]
fn pay_inference_refuses_replay() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(id, "inf-1")).unwrap();
    assert_eq!(
        s.pay(1_000, plain(id, "inf-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    // A signed replay of the same id is refused too.
    let item = s.signed_item(id, "inf-1", 1_000, &[(1, 10_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "inf-1".into()
        }
    );
    // The same id is free in another model.
    let other = s.register(&THIRDS, 1_000);
    s.pay(1_000, plain(other, "inf-1")).unwrap();
    assert_eq!(s.stats(id).paid_inferences, 1);
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(400));
}

#[test]
fn pay_inference_refuses_bad_inference_ids() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    for bad in [String::new(), "x".repeat(65)] {
        assert_eq!(
            s.pay(1_000, plain(id, &bad)).unwrap_err(),
            ContractError::InvalidInferenceId { max: 64 }
        );
    }
    s.pay(1_000, plain(id, &"x".repeat(64))).unwrap();
    assert_eq!(
        s.pay(1_000, plain(7, "inf")).unwrap_err(),
        ContractError::ModelNotFound { model_id: 7 }
    );
}

#[test]
fn pay_inference_refuses_receipts_not_signed_by_a_host() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let attribution = [(1u64, 5_000u16), (2, 5_000)];
    let invalid = |inference_id: &str| ContractError::InvalidReceiptSignature {
        model_id: id,
        inference_id: inference_id.into(),
    };

    // Signed by a key that is not a host's.
    let receipt = s.receipt(id, "a", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&key(42), &receipt)),
        ..s.signed_item(id, "a", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));

    // Signed by the host over a different fee.
    let receipt = s.receipt(id, "b", 999, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "b", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("b"));

    // Signed by the host over a different attribution.
    let receipt = s.receipt(id, "c", 1_000, &[(1, 9_000), (2, 1_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "c", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("c"));

    // The same shares in another order are another receipt.
    let receipt = s.receipt(id, "d", 1_000, &[(2, 5_000), (1, 5_000)]);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "d", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("d"));

    // Signed for another payer, another inference id, another chain.
    let mut receipt = s.receipt(id, "e", 1_000, &attribution);
    receipt.payer = s.addr("mallory").to_string();
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "e", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("e"));
    let receipt = s.receipt(id, "other-id", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "f", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("f"));
    let mut receipt = s.receipt(id, "g", 1_000, &attribution);
    receipt.chain_id = "other-chain".into();
    let item = InferencePayment {
        receipt_signature: Some(sign(&s.host_key, &receipt)),
        ..s.signed_item(id, "g", 1_000, &attribution)
    };
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("g"));

    // Not 64 bytes.
    let mut item = s.signed_item(id, "h", 1_000, &attribution);
    let mut sig = item.receipt_signature.unwrap().to_vec();
    sig.push(0);
    item.receipt_signature = Some(HexBinary::from(sig));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("h"));

    // Attribution without signature; signature without attribution.
    let item = InferencePayment {
        receipt_signature: None,
        ..s.signed_item(id, "i", 1_000, &attribution)
    };
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::MissingReceiptSignature
    );
    let item = InferencePayment {
        attribution: None,
        ..s.signed_item(id, "j", 1_000, &attribution)
    };
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::UnexpectedReceiptSignature
    );

    assert_eq!(s.stats(id).paid_inferences, 0);
    for i in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        assert!(s.inference(id, i).is_err());
    }

    // A second host's signature is accepted.
    let second = key(11);
    let alice = s.alice.clone();
    let hosts = vec![
        host_of(&s.host, &s.host_key),
        host_of(&s.addr("host-2"), &second),
    ];
    s.exec(&alice, update_msg(id, None, None, Some(hosts)))
        .unwrap();
    let receipt = s.receipt(id, "k", 1_000, &attribution);
    let item = InferencePayment {
        receipt_signature: Some(sign(&second, &receipt)),
        ..s.signed_item(id, "k", 1_000, &attribution)
    };
    s.pay(1_000, item).unwrap();
}

#[test]
fn pay_inference_refuses_bad_attributions() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let item = s.signed_item(id, "a", 1_000, &[(1, 5_000), (9, 5_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::AttributionOutsideLineage {
            model_id: id,
            datanet_id: 9
        }
    );
    let item = s.signed_item(id, "b", 1_000, &[(1, 5_000), (2, 4_999)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::Attribution(AttributionError::AttributionSum { sum: 9_999 })
    );
    let item = s.signed_item(id, "c", 1_000, &[(1, 5_000), (1, 5_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 })
    );
    assert_eq!(s.stats(id).paid_inferences, 0);
}

#[test]
fn paused_and_retired_models_take_no_payment() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let alice = s.alice.clone();
    let payer = s.payer.clone();
    let stranger = s.addr("stranger");
    assert_eq!(
        s.set_status(&stranger, id, ModelStatus::Paused)
            .unwrap_err(),
        ContractError::NotModelOwner { model_id: id }
    );
    s.set_status(&alice, id, ModelStatus::Paused).unwrap();
    let paused = ContractError::ModelNotActive {
        model_id: id,
        status: ModelStatus::Paused,
    };
    assert_eq!(s.pay(1_000, plain(id, "a")).unwrap_err(), paused);
    assert_eq!(s.hook(&payer, 5_000, buy(id, 1)).unwrap_err(), paused);
    s.set_status(&alice, id, ModelStatus::Active).unwrap();
    s.pay(1_000, plain(id, "a")).unwrap();

    let res = s.set_status(&alice, id, ModelStatus::Retired).unwrap();
    assert_eq!(attr(&res, "status"), "retired");
    assert_eq!(
        s.pay(1_000, plain(id, "b")).unwrap_err(),
        ContractError::ModelNotActive {
            model_id: id,
            status: ModelStatus::Retired
        }
    );
    assert_eq!(
        s.set_status(&alice, id, ModelStatus::Active).unwrap_err(),
        ContractError::ModelRetired { model_id: id }
    );
    assert_eq!(
        s.exec(
            &alice,
            ExecuteMsg::UpdateModel {
                model_id: id,
                metadata_uri: Some("ipfs://x".into()),
                inference_fee: None,
                tiers: None,
                hosts: None
            }
        )
        .unwrap_err(),
        ContractError::ModelRetired { model_id: id }
    );
    assert_eq!(s.stats(id).paid_inferences, 1);
    assert!(s.inference(id, "b").is_err());
}

#[test]
fn receive_refuses_other_tokens_coins_zero_and_unknown_hooks() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let fake = s.addr("fake-token");
    let body = to_json_binary(&ReceiveMsg::PayInference(plain(id, "a"))).unwrap();
    assert_eq!(
        s.hook_from(&fake, &payer, 1_000, body.clone()).unwrap_err(),
        ContractError::Hook(HookError::UnexpectedToken {
            expected: s.token.to_string(),
            received: fake.to_string()
        })
    );
    assert_eq!(
        s.hook(&payer, 0, ReceiveMsg::PayInference(plain(id, "a")))
            .unwrap_err(),
        ContractError::Hook(HookError::ZeroAmount)
    );
    let token = s.token.clone();
    assert!(matches!(
        s.hook_from(
            &token,
            &payer,
            1_000,
            Binary::from(br#"{"steal":{}}"#.to_vec())
        )
        .unwrap_err(),
        ContractError::Hook(HookError::InvalidHook { .. })
    ));
    let wrapper = Cw20ReceiveMsg {
        sender: payer.to_string(),
        amount: Uint128::new(1_000),
        msg: body,
    };
    assert_eq!(
        execute(
            s.deps.as_mut(),
            s.env.clone(),
            message_info(&token, &coins(1, "uopen")),
            ExecuteMsg::Receive(wrapper)
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
    let alice = s.alice.clone();
    assert_eq!(
        execute(
            s.deps.as_mut(),
            s.env.clone(),
            message_info(&alice, &coins(1, "uopen")),
            ExecuteMsg::WithdrawEarnings {}
        )
        .unwrap_err(),
        ContractError::Payment(PaymentError::NonPayable {})
    );
    assert!(s.inference(id, "a").is_err());
}
