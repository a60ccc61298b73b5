//! Payments that commit to the hashes of their inference's input and output (`io`): checked,
//! signed by the receipt, recorded, emitted.

use super::*;

/// An input hash (64 hex characters).
fn input_hash() -> String {
    "1f".repeat(32)
}

/// An output hash (64 hex characters).
fn output_hash() -> String {
    "a0".repeat(32)
}

fn io(input: &str, output: &str) -> InferenceIo {
    InferenceIo {
        input_hash: input.into(),
        output_hash: output.into(),
    }
}

/// The suite's receipt of a payment with `attribution`, committing to `io`.
fn receipt_with_io(
    s: &Suite,
    model_id: u64,
    inference_id: &str,
    fee: u128,
    attribution: &[(u64, u16)],
    io: InferenceIo,
) -> Receipt {
    Receipt {
        io: Some(io),
        ..s.receipt(model_id, inference_id, fee, attribution)
    }
}

/// A payment carrying `attribution` and `io`, signed by the suite's host over `receipt`.
fn item_signing(
    s: &Suite,
    receipt: &Receipt,
    attribution: &[(u64, u16)],
    io: Option<InferenceIo>,
) -> InferencePayment {
    InferencePayment {
        io,
        receipt_signature: Some(sign(&s.host_key, receipt)),
        ..s.signed_item(receipt.model_id, &receipt.inference_id, 1, attribution)
    }
}

/// The attributes `keys` of `res`, in their order.
fn attrs_of(res: &Response, keys: &[&str]) -> Vec<(String, String)> {
    res.attributes
        .iter()
        .filter(|a| keys.contains(&a.key.as_str()))
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}

fn raw_record(s: &Suite, model_id: u64, inference_id: &str) -> String {
    let raw = INFERENCES.key((model_id, &s.payer, inference_id));
    String::from_utf8(cosmwasm_std::Storage::get(&s.deps.storage, &raw).unwrap()).unwrap()
}

#[test]
fn a_signed_receipt_with_io_verifies_and_is_recorded() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let attribution = [(3u64, 3_000u16), (2, 7_000)];
    let the_io = io(&input_hash(), &output_hash());
    let receipt = receipt_with_io(&s, id, "inf-io", 1_001, &attribution, the_io.clone());
    let res = s
        .pay(
            1_001,
            item_signing(&s, &receipt, &attribution, Some(the_io.clone())),
        )
        .unwrap();

    // Datanets 500 → datanet 2: 350, datanet 3: 150; owner 200, stakers 200, treasury 100 + 1.
    let expected = s.distribute(801, allocations(&[(2, 350), (3, 150)], 200, 101));
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "signed"), "1");
    assert_eq!(attr(&res, "input_hash"), input_hash());
    assert_eq!(attr(&res, "output_hash"), output_hash());
    assert_eq!(
        s.inference(id, "inf-io").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "inf-io".into(),
            payer: s.payer.clone(),
            fee: Uint128::new(1_001),
            attribution: Some(shares(&attribution)),
            licensed: false,
            recorded_at: s.env.block.time,
            io: Some(the_io),
        }
    );
    assert_eq!(
        raw_record(&s, id, "inf-io"),
        format!(
            r#"{{"f":"1001","a":[[3,3000],[2,7000]],"t":{},"h":["{}","{}"]}}"#,
            s.env.block.time.nanos(),
            input_hash(),
            output_hash()
        )
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    assert_eq!(s.stats(id).paid_inferences, 1);
}

#[test]
fn the_receipt_signs_the_lower_case_hashes_whatever_case_the_payment_uses() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let attribution = [(1u64, 10_000u16)];
    let lower = io(&input_hash(), &output_hash());
    let upper = io(&input_hash().to_uppercase(), &output_hash().to_uppercase());
    let receipt = receipt_with_io(&s, id, "inf-1", 1_000, &attribution, lower.clone());
    let res = s
        .pay(1_000, item_signing(&s, &receipt, &attribution, Some(upper)))
        .unwrap();
    assert_eq!(attr(&res, "input_hash"), input_hash());
    assert_eq!(attr(&res, "output_hash"), output_hash());
    assert_eq!(s.inference(id, "inf-1").unwrap().io, Some(lower));

    // A host that signed the hashes in upper case signed another receipt.
    let upper = io(&input_hash().to_uppercase(), &output_hash().to_uppercase());
    let receipt = receipt_with_io(&s, id, "inf-2", 1_000, &attribution, upper.clone());
    assert_eq!(
        s.pay(1_000, item_signing(&s, &receipt, &attribution, Some(upper)))
            .unwrap_err(),
        ContractError::InvalidReceiptSignature {
            model_id: id,
            inference_id: "inf-2".into(),
        }
    );
}

#[test]
fn the_same_signature_over_another_io_is_refused() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let attribution = [(1u64, 5_000u16), (2, 5_000)];
    let invalid = |inference_id: &str| ContractError::InvalidReceiptSignature {
        model_id: id,
        inference_id: inference_id.into(),
    };
    let signed_io = io(&input_hash(), &output_hash());
    let receipt = receipt_with_io(&s, id, "a", 1_000, &attribution, signed_io.clone());

    // The host's signature with a different output hash in the payment.
    let other_output = io(&input_hash(), &"a1".repeat(32));
    let item = item_signing(&s, &receipt, &attribution, Some(other_output));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));
    // With a different input hash.
    let other_input = io(&"1e".repeat(32), &output_hash());
    let item = item_signing(&s, &receipt, &attribution, Some(other_input));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));
    // With the hashes swapped.
    let swapped = io(&output_hash(), &input_hash());
    let item = item_signing(&s, &receipt, &attribution, Some(swapped));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));
    // Without the io it signed.
    let item = item_signing(&s, &receipt, &attribution, None);
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));
    // A receipt signed without io does not cover a payment with one.
    let bare = s.receipt(id, "a", 1_000, &attribution);
    let item = item_signing(&s, &bare, &attribution, Some(signed_io.clone()));
    assert_eq!(s.pay(1_000, item).unwrap_err(), invalid("a"));

    assert_eq!(s.stats(id).paid_inferences, 0);
    assert!(s.inference(id, "a").is_err());
    // The io it signed is accepted.
    let item = item_signing(&s, &receipt, &attribution, Some(signed_io.clone()));
    s.pay(1_000, item).unwrap();
    assert_eq!(s.inference(id, "a").unwrap().io, Some(signed_io));
}

#[test]
fn an_io_without_signature_is_accepted_and_recorded() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_001);
    let the_io = io(&input_hash(), &output_hash());
    let item = InferencePayment {
        io: Some(the_io.clone()),
        ..plain(id, "inf-1")
    };
    let res = s.pay(1_001, item).unwrap();

    // As without io: the lineage weights, the owner credited.
    let expected = s.distribute(801, allocations(&[(1, 166), (2, 166), (3, 166)], 200, 103));
    assert_eq!(res.messages, vec![SubMsg::new(expected)]);
    assert_eq!(attr(&res, "signed"), "0");
    assert_eq!(
        attrs_of(&res, &["inference", "input_hash", "output_hash"]),
        vec![
            ("inference".to_string(), format!("{id}:inf-1")),
            ("input_hash".to_string(), input_hash()),
            ("output_hash".to_string(), output_hash()),
        ]
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
            io: Some(the_io),
        }
    );
    assert_eq!(
        raw_record(&s, id, "inf-1"),
        format!(
            r#"{{"f":"1001","t":{},"h":["{}","{}"]}}"#,
            s.env.block.time.nanos(),
            input_hash(),
            output_hash()
        )
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(200));

    // A payment without io emits no hash and records none.
    let res = s.pay(1_001, plain(id, "inf-2")).unwrap();
    assert!(attrs_of(&res, &["input_hash", "output_hash"]).is_empty());
    assert_eq!(s.inference(id, "inf-2").unwrap().io, None);
}

#[test]
fn a_bad_io_hash_is_refused_naming_the_field() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let with = |io: InferenceIo| InferencePayment {
        io: Some(io),
        ..plain(id, "inf-1")
    };
    let bad = |field: &str, value: &str| {
        ContractError::Validation(ValidationError::InvalidHash {
            field: field.into(),
            value: value.into(),
        })
    };
    assert_eq!(
        s.pay(1_000, with(io("abc", &output_hash()))).unwrap_err(),
        bad("io.input_hash", "abc")
    );
    let not_hex = format!("{}g", "0".repeat(63));
    let err = s.pay(1_000, with(io(&input_hash(), &not_hex))).unwrap_err();
    assert_eq!(err, bad("io.output_hash", &not_hex));
    assert_eq!(
        err.to_string(),
        format!("io.output_hash `{not_hex}` is not a SHA-256: expected exactly 64 hex characters")
    );
    let long = "0".repeat(65);
    assert_eq!(
        s.pay(1_000, with(io(&input_hash(), &long))).unwrap_err(),
        bad("io.output_hash", &long)
    );
    assert_eq!(
        s.pay(1_000, with(io("", ""))).unwrap_err(),
        bad("io.input_hash", "")
    );
    // A signed payment is refused the same way, before its signature is looked at.
    let attribution = [(1u64, 10_000u16)];
    let receipt = s.receipt(id, "inf-1", 1_000, &attribution);
    let item = item_signing(&s, &receipt, &attribution, Some(io("xyz", "xyz")));
    assert_eq!(s.pay(1_000, item).unwrap_err(), bad("io.input_hash", "xyz"));

    assert_eq!(s.stats(id).paid_inferences, 0);
    assert!(s.inference(id, "inf-1").is_err());
}

#[test]
fn a_batch_emits_each_io_after_its_inference_and_refuses_one_bad_hash_whole() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let second = io(&"22".repeat(32), &"33".repeat(32));
    let items = vec![
        InferencePayment {
            io: Some(io(&input_hash(), &output_hash())),
            ..plain(id, "b-1")
        },
        plain(id, "b-2"),
        InferencePayment {
            io: Some(second.clone()),
            ..plain(id, "b-3")
        },
    ];
    let mut broken = items.clone();
    broken[2].io = Some(io(&"22".repeat(32), "33"));
    assert_eq!(
        s.hook(&payer, 3_000, ReceiveMsg::PayInferences { items: broken })
            .unwrap_err(),
        ContractError::Validation(ValidationError::InvalidHash {
            field: "io.output_hash".into(),
            value: "33".into(),
        })
    );
    assert!(s.inference(id, "b-1").is_err());

    let res = s
        .hook(&payer, 3_000, ReceiveMsg::PayInferences { items })
        .unwrap();
    let pair = |k: &str, v: String| (k.to_string(), v);
    assert_eq!(
        attrs_of(&res, &["inference", "input_hash", "output_hash"]),
        vec![
            pair("inference", format!("{id}:b-1")),
            pair("input_hash", input_hash()),
            pair("output_hash", output_hash()),
            pair("inference", format!("{id}:b-2")),
            pair("inference", format!("{id}:b-3")),
            pair("input_hash", "22".repeat(32)),
            pair("output_hash", "33".repeat(32)),
        ]
    );
    assert_eq!(
        s.inference(id, "b-1").unwrap().io,
        Some(io(&input_hash(), &output_hash()))
    );
    assert_eq!(s.inference(id, "b-2").unwrap().io, None);
    assert_eq!(s.inference(id, "b-3").unwrap().io, Some(second));
    assert_eq!(s.stats(id).paid_inferences, 3);
}
