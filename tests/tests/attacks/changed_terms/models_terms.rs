use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Finding 5: licence terms bind at the moment of payment
// ---------------------------------------------------------------------------------------------

/// The owner cuts tier 1 to a minute (same id, same price) in front of the client's purchase:
/// refused, naming the duration; nothing moves. 0.2.0 sold it: the client paid 5 000 for the
/// shortest term the owner chose (one second then).
#[test]
fn attack_terms_tier_cut_to_one_minute_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let seen = model(&w, 1).tiers[0].clone();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let cut = LicenseTier {
        duration: MIN_TIER_DURATION,
        ..tier(1)
    };
    set_tiers(&mut w, vec![cut.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &seen)));
    assert_eq!(e, terms_changed("duration", "3600", "60"));
    assert_eq!(license(&w, &client), None);
    assert_eq!(earnings(&w, &owner), 0);

    // Bought knowingly, the minute sells at its price, split exactly.
    let start = w.s.app.block_info().time;
    buy(&mut w, &cut);
    assert_eq!(
        license(&w, &client).unwrap().expires_at,
        start.plus_seconds(60)
    );
    assert_eq!(earnings(&w, &owner), PRICE / 5);
    w.check();
}

/// The owner cuts the quota from 2 to 1 in front of the purchase: refused, naming the quota.
#[test]
fn attack_terms_quota_cut_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    set_tiers(
        &mut w,
        vec![LicenseTier {
            inference_quota: Some(1),
            ..tier(1)
        }],
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("inference_quota", "2", "1"));
    w.check();
}

/// The owner withdraws commercial use in front of the purchase: refused, naming it.
#[test]
fn attack_terms_commercial_use_dropped_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    set_tiers(
        &mut w,
        vec![LicenseTier {
            commercial: false,
            ..tier(1)
        }],
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("commercial", "true", "false"));
    w.check();
}

/// The owner raises the price in front of the purchase: the terms name the price before the
/// amount is even compared; a buyer stating the new price but sending the old amount gets
/// `FeeMismatch`.
#[test]
fn attack_terms_price_raised_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    let dearer = LicenseTier {
        price: Uint128::new(PRICE + 1),
        ..tier(1)
    };
    set_tiers(&mut w, vec![dearer.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(e, terms_changed("price", "5000", "5001"));
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &dearer)));
    assert_eq!(
        e,
        ContractError::FeeMismatch {
            expected: Uint128::new(PRICE + 1),
            received: Uint128::new(PRICE)
        }
    );
    w.check();
}

/// The owner removes the tier, or pauses the model, in front of the purchase: refused.
#[test]
fn attack_terms_tier_removed_or_model_paused_in_front_of_a_purchase() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    set_tiers(&mut w, vec![tier(2)]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(
        e,
        ContractError::UnknownTier {
            model_id: 1,
            tier_id: 1
        }
    );
    exec(
        &mut w,
        &owner,
        &ExecuteMsg::SetModelStatus {
            model_id: 1,
            status: ModelStatus::Paused,
        },
    )
    .unwrap();
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(2))));
    assert_eq!(
        e,
        ContractError::ModelNotActive {
            model_id: 1,
            status: ModelStatus::Paused
        }
    );
    w.check();
}

/// A purchase that states no terms (a 0.2.0 wallet) is refused by the strict hook, naming the
/// missing field.
#[test]
fn attack_terms_purchase_without_terms_is_refused() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let (client, models, token) = (w.client.clone(), w.models.clone(), w.s.token.clone());
    let hook = serde_json::json!({"purchase_license": {"model_id": 1, "tier_id": 1}});
    let e = refused(&mut w, |w| {
        w.s.app.execute_contract(
            client.clone(),
            token.clone(),
            &Cw20ExecuteMsg::Send {
                contract: models.to_string(),
                amount: Uint128::new(PRICE),
                msg: to_json_binary(&hook).unwrap(),
            },
            &[],
        )
    });
    match e {
        ContractError::Hook(HookError::InvalidHook { reason }) => {
            assert!(reason.contains("missing field `terms`"), "{reason}")
        }
        other => panic!("not an invalid hook: {other:?}"),
    }
    w.check();
}

/// Worst durations and quotas are refused when the tier is set (registration or update), so
/// no buyer can ever be offered them. 0.2.0 accepted a quota of 0 (a licence that allows
/// nothing), a 1-second term, and `u64::MAX` seconds (a tier no purchase could pay for: the
/// end overflowed).
#[test]
fn attack_numbers_worst_tier_durations_and_quotas() {
    let mut w = world();
    let owner = w.model_owner.clone();
    let cases = vec![
        (
            LicenseTier {
                inference_quota: Some(0),
                ..tier(1)
            },
            ContractError::ZeroTierQuota { tier_id: 1 },
        ),
        (
            LicenseTier {
                inference_quota: Some(u64::MAX),
                ..tier(1)
            },
            ContractError::TierQuotaTooLarge {
                tier_id: 1,
                quota: u64::MAX,
                max: MAX_TIER_QUOTA,
            },
        ),
        (
            LicenseTier {
                duration: 0,
                ..tier(1)
            },
            out_of_range(0),
        ),
        (
            LicenseTier {
                duration: 1,
                ..tier(1)
            },
            out_of_range(1),
        ),
        (
            LicenseTier {
                duration: MIN_TIER_DURATION - 1,
                ..tier(1)
            },
            out_of_range(MIN_TIER_DURATION - 1),
        ),
        (
            LicenseTier {
                duration: MAX_TIER_DURATION + 1,
                ..tier(1)
            },
            out_of_range(MAX_TIER_DURATION + 1),
        ),
        (
            LicenseTier {
                duration: u64::MAX,
                ..tier(1)
            },
            out_of_range(u64::MAX),
        ),
    ];
    for (bad, err) in cases {
        let msg = update_model(1, None, Some(vec![tier(2), bad]), None);
        let e = refused(&mut w, |w| exec(w, &owner, &msg));
        assert_eq!(e, err);
    }
    assert_eq!(model(&w, 1).tiers, vec![]);
    w.check();
}

/// Extending a running licence after the owner took commercial use out of its tier is refused:
/// the remainder the client paid for would lose it. 0.2.0 overwrote the licence's `commercial`
/// with the tier's.
#[test]
fn attack_terms_extension_after_the_tier_lost_commercial_use() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    buy(&mut w, &tier(1));
    let client = w.client.clone();
    let bought = license(&w, &client).unwrap();
    let private = LicenseTier {
        commercial: false,
        ..tier(1)
    };
    set_tiers(&mut w, vec![private.clone()]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &private)));
    assert_eq!(
        e,
        ContractError::ExtensionTermsDiffer {
            model_id: 1,
            tier_id: 1,
            field: "commercial".into(),
            licence: "true".into(),
            tier: "false".into(),
        }
    );
    assert_eq!(license(&w, &client), Some(bought));
    w.check();
}

/// An unlimited licence whose tier became limited cannot be extended with it (the merge would
/// either cap the paid remainder or give the extension unlimited use), nor a limited one with
/// a tier that became unlimited.
#[test]
fn attack_terms_extension_after_the_tier_changed_its_kind_of_quota() {
    let mut w = world();
    let unlimited = LicenseTier {
        inference_quota: None,
        ..tier(1)
    };
    set_tiers(&mut w, vec![unlimited.clone()]);
    buy(&mut w, &unlimited);
    let client = w.client.clone();
    set_tiers(&mut w, vec![tier(1)]);
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &tier(1))));
    assert_eq!(
        e,
        ContractError::ExtensionTermsDiffer {
            model_id: 1,
            tier_id: 1,
            field: "inference_quota".into(),
            licence: "unlimited".into(),
            tier: QUOTA.to_string(),
        }
    );
    w.check();
}

/// Extensions stack to at most `MAX_LICENSE_TERM` from now: the third extension of a maximal
/// tier is refused, the licence's end never overflows and a buyer never prepays decades.
#[test]
fn attack_numbers_extensions_stack_only_to_the_longest_term() {
    let mut w = world();
    let long = LicenseTier {
        duration: MAX_TIER_DURATION,
        inference_quota: Some(MAX_TIER_QUOTA),
        ..tier(1)
    };
    set_tiers(&mut w, vec![long.clone()]);
    let now = w.s.app.block_info().time;
    buy(&mut w, &long);
    buy(&mut w, &long);
    let client = w.client.clone();
    let l = license(&w, &client).unwrap();
    assert_eq!(
        (l.expires_at, l.inference_quota),
        (now.plus_seconds(MAX_LICENSE_TERM), Some(2 * MAX_TIER_QUOTA))
    );
    let e = refused(&mut w, |w| pay(w, &client, PRICE, &purchase(1, &long)));
    assert_eq!(
        e,
        ContractError::LicenseTermTooLong {
            model_id: 1,
            expires_at: now.plus_seconds(MAX_LICENSE_TERM + MAX_TIER_DURATION),
            max_expires_at: now.plus_seconds(MAX_LICENSE_TERM),
        }
    );
    w.check();
}

/// Ids a participant picks that exist nowhere: the largest model and tier ids.
#[test]
fn attack_numbers_largest_model_and_tier_ids() {
    let mut w = world();
    set_tiers(&mut w, vec![tier(1)]);
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        pay(w, &client, PRICE, &purchase(u64::MAX, &tier(1)))
    });
    assert_eq!(e, ContractError::ModelNotFound { model_id: u64::MAX });
    let e = refused(&mut w, |w| {
        pay(w, &client, PRICE, &purchase(1, &tier(u32::MAX)))
    });
    assert_eq!(
        e,
        ContractError::UnknownTier {
            model_id: 1,
            tier_id: u32::MAX
        }
    );
    w.check();
}

// ---------------------------------------------------------------------------------------------
// Terms that change between a quote and its execution
// ---------------------------------------------------------------------------------------------

/// The owner raises the fee in front of a batch: the batch is refused naming the new total.
#[test]
fn attack_quote_inference_fee_raised_in_front_of_a_batch() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    exec(&mut w, &owner, &update_model(1, Some(1_500), None, None)).unwrap();
    let hook = ReceiveMsg::PayInferences {
        items: vec![lineage("q-1"), lineage("q-2")],
    };
    let e = refused(&mut w, |w| pay(w, &client, 2 * MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::FeeMismatch {
            expected: Uint128::new(3_000),
            received: Uint128::new(2 * MODEL_FEE)
        }
    );
    w.check();
}

/// The owner removes the host that signed a receipt in front of the payment: the payment is
/// refused (the signer is no host any more) and the payer keeps its tokens.
#[test]
fn attack_quote_host_removed_in_front_of_a_signed_payment() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let r = receipt(
        &w.s,
        &w.models,
        1,
        "h-1",
        &client,
        MODEL_FEE,
        shares(&[(1, 5_000), (2, 5_000)]),
    );
    let item = InferencePayment {
        model_id: 1,
        inference_id: "h-1".into(),
        attribution: Some(r.attribution.clone()),
        receipt_signature: Some(w.host.sign(&r)),
        io: None,
    };
    let other = HostKey::new("other-host");
    let hosts = vec![Host {
        address: w.s.addr("other-host").to_string(),
        pubkey: other.pubkey(),
    }];
    exec(&mut w, &owner, &update_model(1, None, None, Some(hosts))).unwrap();
    let hook = ReceiveMsg::PayInference(item);
    let e = refused(&mut w, |w| pay(w, &client, MODEL_FEE, &hook));
    assert_eq!(
        e,
        ContractError::InvalidReceiptSignature {
            model_id: 1,
            inference_id: "h-1".into()
        }
    );
    w.check();
}

/// Decided: the fee split is protocol configuration, not a term between payer and model. The
/// contract owner changes it between a `fee_quote` and the payment: the payer still pays
/// exactly the fee it was quoted (nothing else is possible), the new split applies to the
/// payment exactly, and `fee_quote` shows it from then on.
#[test]
fn attack_quote_fee_split_changed_in_front_costs_the_payer_nothing() {
    let mut w = world();
    let (client, owner, deployer) = (
        w.client.clone(),
        w.model_owner.clone(),
        w.s.deployer.clone(),
    );
    let quote = |w: &World| -> FeeQuoteResponse {
        w.s.app
            .wrap()
            .query_wasm_smart(
                &w.models,
                &QueryMsg::FeeQuote {
                    model_id: 1,
                    attribution: None,
                },
            )
            .unwrap()
    };
    let before = quote(&w);
    assert_eq!(before.split.model_owner.u128(), 200);
    let split = FeeSplit {
        datanets_bps: 6_000,
        model_owner_bps: 1_000,
        hosts_bps: 0,
        stakers_bps: 2_000,
        treasury_bps: 1_000,
    };
    exec(
        &mut w,
        &deployer,
        &ExecuteMsg::UpdateConfig {
            fee_split: Some(split),
            reward_pool: None,
            registry: None,
        },
    )
    .unwrap();
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    let now = quote(&w);
    pay(
        &mut w,
        &client,
        MODEL_FEE,
        &ReceiveMsg::PayInference(lineage("split-1")),
    )
    .unwrap();
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(&client, &models, 100);
    w.s.moved(&client, &pool, 900);
    w.check();
    assert_eq!(earnings(&w, &owner), now.split.model_owner.u128());
    assert_eq!(now.split.model_owner.u128(), 100);
    assert_eq!(w.datanets_received() - datanets, 600);
    assert_eq!(w.s.treasury() - treasury, 300);
}
