//! Licences.

use super::*;

#[test]
fn purchase_license_new_extend_and_other_tier() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    let payer = s.payer.clone();
    let start = s.env.block.time;

    assert_eq!(
        s.hook(&payer, 5_000, buy(id, 9)).unwrap_err(),
        ContractError::UnknownTier {
            model_id: id,
            tier_id: 9
        }
    );
    assert_eq!(
        s.hook(&payer, 4_999, buy(id, 1)).unwrap_err(),
        ContractError::FeeMismatch {
            expected: Uint128::new(5_000),
            received: Uint128::new(4_999)
        }
    );

    let res = s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    // 5000: datanets 2500 → 1500 + 1000, owner 1000, stakers 1000, treasury 500.
    let expected = s.distribute(4_000, allocations(&[(1, 1_500), (2, 1_000)], 1_000, 500));
    assert_eq!(msgs(&res), vec![expected]);
    assert_eq!(attr(&res, "extended"), "false");
    let alice = s.alice.clone();
    assert_eq!(s.earnings(&alice), Uint128::new(1_000));
    assert_eq!(
        s.license(id, &payer),
        LicenseResponse {
            model_id: id,
            licensee: payer.clone(),
            tier_id: 1,
            expires_at: start.plus_seconds(30 * DAY),
            inference_quota: Some(2),
            inferences_used: 0,
            commercial: false,
        }
    );

    // One inference used, then the same tier again: term and quota extend, usage stays.
    s.record_licensed(&payer, id, "l-1").unwrap();
    s.set_time(start.plus_seconds(10 * DAY));
    let res = s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    assert_eq!(attr(&res, "extended"), "true");
    let l = s.license(id, &payer);
    assert_eq!(l.expires_at, start.plus_seconds(60 * DAY));
    assert_eq!((l.inference_quota, l.inferences_used), (Some(4), 1));

    // Another tier while the licence runs is refused.
    assert_eq!(
        s.hook(&payer, 20_000, buy(id, 2)).unwrap_err(),
        ContractError::LicenseActive {
            model_id: id,
            expires_at: start.plus_seconds(60 * DAY)
        }
    );

    // Once expired (at expires_at exactly), another tier starts a new licence.
    s.set_time(start.plus_seconds(60 * DAY));
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let l = s.license(id, &payer);
    assert_eq!(
        l,
        LicenseResponse {
            model_id: id,
            licensee: payer.clone(),
            tier_id: 2,
            expires_at: start.plus_seconds(90 * DAY),
            inference_quota: None,
            inferences_used: 0,
            commercial: true,
        }
    );
    let stats = s.stats(id);
    assert_eq!(
        (stats.licenses_sold, stats.license_revenue),
        (3, Uint128::new(30_000))
    );
    assert_eq!(stats.licensed_inferences, 1);
    let list: LicensesResponse = s.query(QueryMsg::Licenses {
        licensee: payer.to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(list.licenses, vec![l]);
}

#[test]
fn record_licensed_inference_within_term_and_quota() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    let record = |s: &mut Suite, inference_id: &str| s.record_licensed(&payer, id, inference_id);
    assert_eq!(
        record(&mut s, "l-0").unwrap_err(),
        ContractError::NoLicense { model_id: id }
    );
    s.hook(&payer, 5_000, buy(id, 1)).unwrap();
    let expires_at = s.license(id, &payer).expires_at;

    let res = record(&mut s, "l-1").unwrap();
    assert_eq!(attr(&res, "inferences_used"), "1");
    assert_eq!(
        s.inference(id, "l-1").unwrap(),
        InferenceResponse {
            model_id: id,
            inference_id: "l-1".into(),
            payer: payer.clone(),
            fee: Uint128::zero(),
            attribution: None,
            licensed: true,
            recorded_at: s.env.block.time,
            io: None,
        }
    );
    assert_eq!(
        record(&mut s, "l-1").unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "l-1".into()
        }
    );

    // One nanosecond before the end the licence still holds.
    s.set_time(Timestamp::from_nanos(expires_at.nanos() - 1));
    record(&mut s, "l-2").unwrap();
    assert_eq!(
        record(&mut s, "l-3").unwrap_err(),
        ContractError::QuotaExhausted {
            model_id: id,
            quota: 2
        }
    );
    // At expires_at it has expired.
    s.set_time(expires_at);
    assert_eq!(
        record(&mut s, "l-3").unwrap_err(),
        ContractError::LicenseExpired {
            model_id: id,
            expired_at: expires_at
        }
    );
    let l = s.license(id, &payer);
    assert_eq!(l.inferences_used, 2);
    assert_eq!(s.stats(id).licensed_inferences, 2);
    assert!(s.inference(id, "l-3").is_err());

    // A licensed id cannot be paid afterwards either.
    assert_eq!(
        s.pay(1_000, plain(id, "l-1")).unwrap_err(),
        ContractError::InferenceAlreadyPaid {
            model_id: id,
            payer: s.payer.to_string(),
            inference_id: "l-1".into()
        }
    );
}

#[test]
fn record_licensed_inference_t_minus_one_second_ok_at_expiry_refused() {
    let mut s = Suite::new();
    let id = s.register(&THIRDS, 1_000);
    let payer = s.payer.clone();
    s.hook(&payer, 20_000, buy(id, 2)).unwrap();
    let expires_at = s.license(id, &payer).expires_at;
    s.set_time(expires_at.minus_seconds(1));
    s.record_licensed(&payer, id, "t-1").unwrap();
    s.set_time(expires_at);
    assert_eq!(
        s.record_licensed(&payer, id, "t").unwrap_err(),
        ContractError::LicenseExpired {
            model_id: id,
            expired_at: expires_at
        }
    );
    // Paused model: no licensed inference either.
    s.set_time(expires_at.minus_seconds(1));
    let alice = s.alice.clone();
    s.set_status(&alice, id, ModelStatus::Paused).unwrap();
    assert_eq!(
        s.record_licensed(&payer, id, "t").unwrap_err(),
        ContractError::ModelNotActive {
            model_id: id,
            status: ModelStatus::Paused
        }
    );
}
