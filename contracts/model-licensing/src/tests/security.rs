//! Security review (issue 13): licence terms bind at payment, ids are per payer, worst values.

use super::*;

/// The tier of the defaults with `id`, changed by `f`.
fn tier_with(id: u32, f: impl FnOnce(&mut LicenseTier)) -> LicenseTier {
    let mut t = tiers().into_iter().find(|t| t.id == id).unwrap();
    f(&mut t);
    t
}

/// Every duration and quota a tier may not have is refused at registration and at update,
/// with its exact error; the bounds themselves are accepted. 0.2.0 accepted a quota of 0,
/// a 1-second term and a term of `u64::MAX` seconds (which no purchase could then pay for).
#[test]
fn tier_durations_and_quotas_are_bounded_both_ways() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let id = s.register(&THIRDS, 1_000);
    let out_of_range = |duration| ContractError::TierDurationOutOfRange {
        tier_id: 1,
        duration,
        min: MIN_TIER_DURATION,
        max: MAX_TIER_DURATION,
    };
    let bad: Vec<(LicenseTier, ContractError)> = vec![
        (tier_with(1, |t| t.duration = 0), out_of_range(0)),
        (tier_with(1, |t| t.duration = 1), out_of_range(1)),
        (tier_with(1, |t| t.duration = 59), out_of_range(59)),
        (
            tier_with(1, |t| t.duration = MAX_TIER_DURATION + 1),
            out_of_range(MAX_TIER_DURATION + 1),
        ),
        (
            tier_with(1, |t| t.duration = u64::MAX),
            out_of_range(u64::MAX),
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(0)),
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(MAX_TIER_QUOTA + 1)),
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: MAX_TIER_QUOTA + 1,
                max: MAX_TIER_QUOTA,
            },
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(u64::MAX)),
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: u64::MAX,
                max: MAX_TIER_QUOTA,
            },
        ),
    ];
    let before = s.model(id);
    for (tier, err) in bad {
        let new = NewModel {
            tiers: vec![tier.clone()],
            ..s.model_msg(&THIRDS, 1_000)
        };
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
        let update = update_msg(id, None, Some(vec![tier]), None);
        assert_eq!(s.exec(&alice, update).unwrap_err(), err);
    }
    assert_eq!(s.model(id), before);
    assert_eq!(s.config().model_count, 1);

    // The bounds are fine.
    let edges = vec![
        tier_with(1, |t| {
            t.duration = MIN_TIER_DURATION;
            t.inference_quota = Some(1);
        }),
        tier_with(2, |t| {
            t.duration = MAX_TIER_DURATION;
            t.inference_quota = Some(MAX_TIER_QUOTA);
        }),
    ];
    s.exec(&alice, update_msg(id, None, Some(edges.clone()), None))
        .unwrap();
    assert_eq!(s.model(id).tiers, edges);
}

/// The owner rewrites tier 1 (same id, same price) in front of a purchase: each changed field
/// refuses the purchase naming it, nothing is sold or credited. 0.2.0 checked only the price
/// and sold a 1-second licence (or a quota of 0) at the full price.
#[test]
fn purchase_refuses_terms_changed_in_front_naming_the_field() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    let seen = tiers()[0].terms();
    let cases: Vec<(LicenseTier, &str, String, String)> = vec![
        (
            tier_with(1, |t| t.duration = 60),
            "duration",
            (30 * DAY).to_string(),
            "60".into(),
        ),
        (
            tier_with(1, |t| t.inference_quota = Some(1)),
            "inference_quota",
            "2".into(),
            "1".into(),
        ),
        (
            tier_with(1, |t| t.inference_quota = None),
            "inference_quota",
            "2".into(),
            "unlimited".into(),
        ),
        (
            tier_with(1, |t| t.commercial = true),
            "commercial",
            "false".into(),
            "true".into(),
        ),
        (
            tier_with(1, |t| t.price = Uint128::new(5_001)),
            "price",
            "5000".into(),
            "5001".into(),
        ),
    ];
    for (rewritten, field, expected, current) in cases {
        s.exec(&alice, update_msg(id, None, Some(vec![rewritten]), None))
            .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 1,
            terms: seen.clone(),
        };
        assert_eq!(
            s.hook(&payer, 5_000, msg).unwrap_err(),
            ContractError::TermsChanged {
                model_id: id,
                tier_id: 1,
                field: field.into(),
                expected,
                current,
            }
        );
    }
    assert_eq!(
        s.query_err(QueryMsg::License {
            model_id: id,
            licensee: payer.to_string()
        }),
        ContractError::NoLicense { model_id: id }
    );
    assert_eq!(s.stats(id).licenses_sold, 0);
    assert_eq!(s.earnings(&alice), Uint128::zero());

    // The terms the model shows now are the ones that sell.
    let now = s.model(id).tiers[0].terms();
    let res = s
        .hook(
            &payer,
            5_001,
            ReceiveMsg::PurchaseLicense {
                model_id: id,
                tier_id: 1,
                terms: now,
            },
        )
        .unwrap();
    assert_eq!(attr(&res, "duration"), (30 * DAY).to_string());
    assert_eq!(attr(&res, "inference_quota"), "2");
    assert_eq!(attr(&res, "commercial"), "false");
}

/// A tier that 0.2.0 stored with a zero quota or a 1-second term is never sold, whatever the
/// buyer states.
#[test]
fn purchase_refuses_a_stored_tier_that_breaks_the_rules() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    for (tier, err) in [
        (
            tier_with(1, |t| t.inference_quota = Some(0)),
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            tier_with(1, |t| t.duration = 1),
            ContractError::TierDurationOutOfRange {
                tier_id: 1,
                duration: 1,
                min: MIN_TIER_DURATION,
                max: MAX_TIER_DURATION,
            },
        ),
    ] {
        let mut model = crate::state::MODELS.load(&s.deps.storage, id).unwrap();
        model.tiers = vec![tier.clone()];
        crate::state::MODELS
            .save(&mut s.deps.storage, id, &model)
            .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 1,
            terms: tier.terms(),
        };
        assert_eq!(s.hook(&payer, 5_000, msg).unwrap_err(), err);
    }
    assert_eq!(s.stats(id).licenses_sold, 0);
}

/// Extending a running licence with the same tier whose kind of terms changed is refused: the
/// paid remainder would lose commercial use (or its unlimited quota), or the extension would
/// get them for free. 0.2.0 overwrote `commercial` and merged the quotas.
#[test]
fn extension_refuses_a_tier_whose_kind_of_terms_changed() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let bought = s.license(id, &payer);
    let cases = [
        (
            tier_with(2, |t| t.commercial = false),
            "commercial",
            "true",
            "false",
        ),
        (
            tier_with(2, |t| t.inference_quota = Some(10)),
            "inference_quota",
            "unlimited",
            "10",
        ),
    ];
    for (tier, field, licence, now) in cases {
        s.exec(&alice, update_msg(id, None, Some(vec![tier.clone()]), None))
            .unwrap();
        let msg = ReceiveMsg::PurchaseLicense {
            model_id: id,
            tier_id: 2,
            terms: tier.terms(),
        };
        assert_eq!(
            s.hook(&payer, 20_000, msg).unwrap_err(),
            ContractError::ExtensionTermsDiffer {
                model_id: id,
                tier_id: 2,
                field: field.into(),
                licence: licence.into(),
                tier: now.into(),
            }
        );
    }
    assert_eq!(s.license(id, &payer), bought);
    assert_eq!(s.stats(id).licenses_sold, 1);
    // Once the licence has expired the new terms sell as a new licence.
    s.set_time(bought.expires_at);
    let tier = tier_with(2, |t| t.inference_quota = Some(10));
    let msg = ReceiveMsg::PurchaseLicense {
        model_id: id,
        tier_id: 2,
        terms: tier.terms(),
    };
    s.hook(&payer, 20_000, msg).unwrap();
    let l = s.license(id, &payer);
    assert_eq!((l.inference_quota, l.commercial), (Some(10), true));
}

/// Extensions stack up to `MAX_LICENSE_TERM` from now, never further: the end of a licence
/// can never overflow, and a buyer cannot prepay decades by mistake.
#[test]
fn extensions_stop_at_the_longest_term() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let long = tier_with(1, |t| {
        t.duration = MAX_TIER_DURATION;
        t.inference_quota = Some(MAX_TIER_QUOTA);
    });
    s.exec(&alice, update_msg(id, None, Some(vec![long.clone()]), None))
        .unwrap();
    let msg = || ReceiveMsg::PurchaseLicense {
        model_id: id,
        tier_id: 1,
        terms: long.terms(),
    };
    let now = s.env.block.time;
    s.hook(&payer, 5_000, msg()).unwrap();
    s.hook(&payer, 5_000, msg()).unwrap();
    let l = s.license(id, &payer);
    assert_eq!(l.expires_at, now.plus_seconds(MAX_LICENSE_TERM));
    assert_eq!(l.inference_quota, Some(2 * MAX_TIER_QUOTA));
    assert_eq!(
        s.hook(&payer, 5_000, msg()).unwrap_err(),
        ContractError::LicenseTermTooLong {
            model_id: id,
            expires_at: now.plus_seconds(MAX_LICENSE_TERM + MAX_TIER_DURATION),
            max_expires_at: now.plus_seconds(MAX_LICENSE_TERM),
        }
    );
    // One second later, one more second of extension would fit, a whole tier still not.
    s.set_time(now.plus_seconds(1));
    assert!(matches!(
        s.hook(&payer, 5_000, msg()).unwrap_err(),
        ContractError::LicenseTermTooLong { .. }
    ));
    assert_eq!(s.license(id, &payer), l);
    assert_eq!(s.stats(id).licenses_sold, 2);
}

/// Finding 9: a licensee records the id another payer's payment will use; the payment still
/// goes through, both are recorded under their payer, and each payer's replay is refused.
/// 0.2.0 refused the payment (`InferenceAlreadyPaid`): the model and its data went unpaid.
#[test]
fn inference_ids_are_per_payer() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let (alice, payer) = (s.alice.clone(), s.payer.clone());
    let licensee = s.addr("licensee");
    s.hook(&licensee, 5_000, buy(id, 1)).unwrap();
    s.record_licensed(&licensee, id, "job-7").unwrap();
    let res = s.pay(1_000, plain(id, "job-7")).unwrap();
    assert_eq!(attr(&res, "pool_amount"), "800");
    assert_eq!(s.earnings(&alice), Uint128::new(1_000 + 200));
    let licensed = s.inference_of(id, &licensee, "job-7").unwrap();
    let paid = s.inference_of(id, &payer, "job-7").unwrap();
    assert_eq!((licensed.licensed, licensed.fee), (true, Uint128::zero()));
    assert_eq!((paid.licensed, paid.fee), (false, Uint128::new(1_000)));
    assert_eq!(paid.payer, payer);
    assert_eq!(
        s.pay(1_000, plain(id, "job-7")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "job-7".into()
        }
    );
    assert_eq!(
        s.record_licensed(&licensee, id, "job-7").unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: licensee.to_string(),
            inference_id: "job-7".into()
        }
    );
    let other = s.addr("other");
    assert_eq!(
        s.inference_of(id, &other, "job-7").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: other.to_string(),
            inference_id: "job-7".into()
        }
    );
    let stats = s.stats(id);
    assert_eq!((stats.paid_inferences, stats.licensed_inferences), (1, 1));
}

/// A 0.2.0 record (keyed by model and id) stays readable by its payer and still blocks that
/// payer's replay after `migrate`; another payer may use the id.
#[test]
fn legacy_inference_records_still_block_their_payer() {
    use crate::state::{InferenceRecord, PayerInference, HAS_LEGACY_INFERENCES, LEGACY_INFERENCES};
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let other = s.addr("other");
    // A fresh contract has no legacy records and never looks for them.
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "legacy_inferences"), "false");
    let old = InferenceRecord {
        payer: payer.clone(),
        record: PayerInference {
            fee: Uint128::new(1_000),
            attribution: Some(vec![(1, 10_000)]),
            licensed: false,
            recorded_at: 42,
            io: None,
        },
    };
    // The exact bytes 0.2.0 wrote under `inf` ‖ model ‖ id.
    let raw_key = LEGACY_INFERENCES.key((id, "old-1"));
    cosmwasm_std::Storage::set(
        &mut s.deps.storage,
        &raw_key,
        format!(r#"{{"p":"{payer}","f":"1000","a":[[1,10000]],"t":42}}"#).as_bytes(),
    );
    assert_eq!(
        LEGACY_INFERENCES
            .load(&s.deps.storage, (id, "old-1"))
            .unwrap(),
        old
    );
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.2.0").unwrap();
    let res = migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "legacy_inferences"), "true");
    assert!(HAS_LEGACY_INFERENCES.load(&s.deps.storage).unwrap());

    assert_eq!(
        s.inference(id, "old-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "old-1".into(),
            payer: payer.clone(),
            fee: Uint128::new(1_000),
            attribution: Some(shares(&[(1, 10_000)])),
            licensed: false,
            recorded_at: Timestamp::from_nanos(42),
            io: None,
        }
    );
    assert_eq!(
        s.pay(1_000, plain(id, "old-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "old-1".into()
        }
    );
    let items = vec![plain(id, "new-1"), plain(id, "old-1")];
    assert_eq!(
        s.hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: payer.to_string(),
            inference_id: "old-1".into()
        }
    );
    assert_eq!(
        s.inference_of(id, &other, "old-1").unwrap_err(),
        ContractError::InferenceNotFound {
            model_id: id,
            payer: other.to_string(),
            inference_id: "old-1".into(),
        }
    );
    s.hook(&other, 1_000, ReceiveMsg::PayInference(plain(id, "old-1")))
        .unwrap();
    assert_eq!(
        s.inference_of(id, &other, "old-1").unwrap().payer,
        other.clone()
    );
    // The legacy record is untouched.
    assert_eq!(
        LEGACY_INFERENCES
            .load(&s.deps.storage, (id, "old-1"))
            .unwrap(),
        old
    );
    assert_eq!(s.stats(id).paid_inferences, 1);
}

/// Worst fees: a batch whose fees overflow a `Uint128` is refused with the overflow, nothing
/// written; a fee of 1 goes wholly to the treasury (the protocol), never to nobody.
#[test]
fn worst_fees_overflow_is_refused_and_one_unit_goes_to_the_treasury() {
    let mut s = Suite::new();
    let payer = s.payer.clone();
    let half = u128::MAX / 2 + 1;
    let big = s.register(&THIRDS, half);
    let items = vec![plain(big, "a"), plain(big, "b")];
    assert_eq!(
        s.hook(&payer, 1, ReceiveMsg::PayInferences { items })
            .unwrap_err(),
        ContractError::Overflow(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add
        ))
    );
    assert_eq!(s.stats(big).paid_inferences, 0);

    let one = s.register(&THIRDS, 1);
    let res = s.pay(1, plain(one, "x")).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(
            1,
            vec![Allocation::Treasury {
                amount: Uint128::one()
            }]
        )]
    );
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::zero());
    // Fifty fees of 1 in one batch: 50 to the treasury, the sum exact.
    let items: Vec<InferencePayment> = (0..50).map(|i| plain(one, &format!("b-{i}"))).collect();
    let res = s
        .hook(&payer, 50, ReceiveMsg::PayInferences { items })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(
            50,
            vec![Allocation::Treasury {
                amount: Uint128::new(50)
            }]
        )]
    );
}
