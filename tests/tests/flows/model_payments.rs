//! Register a model on published datanet versions → buy a licence → pay single and batched
//! inferences with signed receipts → the pool's datanet buckets, stakers and treasury receive
//! exactly the quoted split → contributors, stakers and the model owner are paid. Every amount
//! below is worked out by hand from the default split (datanets 50 %, owner 20 %, stakers 20 %,
//! treasury 10 %) and checked against every party's balance.

use cosmwasm_std::{coins, to_json_binary, Addr, Uint128};
use cw20::Cw20ExecuteMsg;
use cw_multi_test::Executor;
use model_licensing::ContractError as ModelError;
use openledger_common::attribution::{AttributionError, AttributionShare};
use openledger_common::fee::FeeSplitAmounts;
use openledger_common::msg::model_licensing::{
    DatanetShare, ExecuteMsg as ModelExec, FeeQuoteResponse, Host, InferencePayment,
    InferenceResponse, LicenseTerms, LicenseTier, LineageEntry, ModelStatsResponse, ModelStatus,
    NewModel, QueryMsg as ModelQuery, ReceiveMsg as ModelHook,
};
use openledger_common::msg::reward_pool::{
    DatanetPoolResponse, ExecuteMsg as PoolExec, QueryMsg as PoolQuery, ReceiveMsg as PoolHook,
};
use openledger_common::HookError;
use openledger_tests::models::{lineage_v1, receipt, shares, HostKey};
use openledger_tests::{data_hash, err, Suite, SuiteBuilder};

const FEE: u128 = 1_000;
const PRICE: u128 = 5_000;
const TERM: u64 = 3_600;

struct World {
    s: Suite,
    models: Addr,
    host: HostKey,
    model_owner: Addr,
    payer: Addr,
    contributors: [Addr; 3],
    staker: Addr,
}

/// Two datanets with published versions (datanet 1: c1 weight 100, c2 weight 300; datanet 2:
/// c3 weight 100), one staker, and model 1 on them (lineage 60 % / 40 %).
fn world() -> World {
    let mut s = SuiteBuilder::new().with_models().build();
    let models = s.models();
    let owner = s.addr("datanet-owner");
    let contributors = ["c1", "c2", "c3"].map(|n| s.addr(n));
    s.publish_datanets(
        &owner,
        &[
            (
                "speech",
                &[(&contributors[0], 100), (&contributors[1], 300)],
            ),
            ("medical", &[(&contributors[2], 100)]),
        ],
    );

    let staker = s.addr("staker");
    s.fund(&staker, 1_000);
    let pool = s.pool.clone();
    s.send(&staker, &pool, 1_000, &PoolHook::Stake {}).unwrap();
    s.moved(&staker, &pool, 1_000);

    let host = HostKey::new("host-1");
    let model_owner = s.addr("model-owner");
    let host_addr = s.addr("host");
    s.app
        .execute_contract(
            model_owner.clone(),
            models.clone(),
            &ModelExec::RegisterModel(NewModel {
                name: "speech-to-text".into(),
                parents: vec![],
                metadata_uri: "ipfs://model".into(),
                weights_hash: data_hash("weights"),
                base_model: Some("whisper-small".into()),
                lineage: lineage_v1(&[(1, 6_000), (2, 4_000)]),
                inference_fee: Uint128::new(FEE),
                tiers: vec![LicenseTier {
                    id: 1,
                    price: Uint128::new(PRICE),
                    duration: TERM,
                    inference_quota: Some(2),
                    commercial: true,
                }],
                hosts: vec![Host {
                    address: host_addr.to_string(),
                    pubkey: host.pubkey(),
                }],
            }),
            &[],
        )
        .unwrap();
    let payer = s.addr("payer");
    s.fund(&payer, 200_000);
    World {
        s,
        models,
        host,
        model_owner,
        payer,
        contributors,
        staker,
    }
}

fn payment(w: &World, id: &str, attribution: Option<Vec<AttributionShare>>) -> InferencePayment {
    let receipt_signature = attribution.as_ref().map(|a| {
        w.host
            .sign(&receipt(&w.s, &w.models, 1, id, &w.payer, FEE, a.clone()))
    });
    InferencePayment {
        model_id: 1,
        inference_id: id.into(),
        attribution,
        receipt_signature,
        io: None,
    }
}

fn pay(
    w: &mut World,
    amount: u128,
    hook: &ModelHook,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    let (payer, models) = (w.payer.clone(), w.models.clone());
    w.s.send(&payer, &models, amount, hook)
}

fn datanet_total(s: &Suite, datanet_id: u64) -> u128 {
    let p: DatanetPoolResponse = s.query_pool(&PoolQuery::DatanetPool { datanet_id });
    p.total_distributed.u128()
}

#[test]
fn license_and_inferences_split_exactly_down_to_contributors() {
    let mut w = world();
    let (models, pool, payer) = (w.models.clone(), w.s.pool.clone(), w.payer.clone());

    // The quote for a payment with the lineage weights: 500 to datanets (300 / 200), 200 to the
    // owner, 200 to stakers, 100 to the treasury.
    let quote: FeeQuoteResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &models,
                &ModelQuery::FeeQuote {
                    model_id: 1,
                    attribution: None,
                },
            )
            .unwrap();
    assert_eq!(
        quote.split,
        FeeSplitAmounts {
            datanets: Uint128::new(500),
            model_owner: Uint128::new(200),
            hosts: Uint128::zero(),
            stakers: Uint128::new(200),
            treasury: Uint128::new(100),
            dust: Uint128::zero(),
        }
    );
    assert_eq!(
        quote.datanets,
        vec![
            DatanetShare {
                datanet_id: 1,
                version: 1,
                amount: Uint128::new(300)
            },
            DatanetShare {
                datanet_id: 2,
                version: 1,
                amount: Uint128::new(200)
            }
        ]
    );
    // With 33.33 % / 66.67 %: 166 + 333 and one unit of dust for the treasury.
    let odd = shares(&[(1, 3_333), (2, 6_667)]);
    let quote_odd: FeeQuoteResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &models,
                &ModelQuery::FeeQuote {
                    model_id: 1,
                    attribution: Some(odd.clone()),
                },
            )
            .unwrap();
    assert_eq!(
        quote_odd.datanets,
        vec![
            DatanetShare {
                datanet_id: 1,
                version: 1,
                amount: Uint128::new(166)
            },
            DatanetShare {
                datanet_id: 2,
                version: 1,
                amount: Uint128::new(333)
            }
        ]
    );
    assert_eq!(
        (
            quote_odd.attribution_dust.u128(),
            quote_odd.split.treasury.u128()
        ),
        (1, 101)
    );

    // One inference with the lineage weights.
    {
        let p = payment(&w, "inf-1", None);
        pay(&mut w, FEE, &ModelHook::PayInference(p))
    }
    .unwrap();
    w.s.moved(&payer, &pool, 800);
    w.s.moved(&payer, &models, 200);
    assert_eq!((datanet_total(&w.s, 1), datanet_total(&w.s, 2)), (300, 200));
    w.s.check();

    // One inference with a host-signed attribution of 25 % / 75 %.
    {
        let p = payment(&w, "inf-2", Some(shares(&[(1, 2_500), (2, 7_500)])));
        pay(&mut w, FEE, &ModelHook::PayInference(p))
    }
    .unwrap();
    w.s.moved(&payer, &pool, 800);
    w.s.moved(&payer, &models, 200);
    assert_eq!(
        (datanet_total(&w.s, 1), datanet_total(&w.s, 2)),
        (300 + 125, 200 + 375)
    );
    let record: InferenceResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(
                &models,
                &ModelQuery::Inference {
                    model_id: 1,
                    payer: payer.to_string(),
                    inference_id: "inf-2".into(),
                },
            )
            .unwrap();
    assert_eq!(
        (record.payer, record.fee.u128(), record.licensed),
        (payer.clone(), FEE, false)
    );
    assert_eq!(record.attribution, Some(shares(&[(1, 2_500), (2, 7_500)])));
    w.s.check();

    // A batch of 50: even items with the lineage weights, odd items signed 33.33 % / 66.67 %.
    let items: Vec<_> = (0..50)
        .map(|i| payment(&w, &format!("batch-{i}"), (i % 2 == 1).then(|| odd.clone())))
        .collect();
    pay(&mut w, 50 * FEE, &ModelHook::PayInferences { items }).unwrap();
    // Owner 50 × 200 stays in model licensing; the pool gets the other 40 000.
    w.s.moved(&payer, &pool, 40_000);
    w.s.moved(&payer, &models, 10_000);
    // Datanet 1: 25 × 300 + 25 × 166; datanet 2: 25 × 200 + 25 × 333.
    assert_eq!(
        (datanet_total(&w.s, 1), datanet_total(&w.s, 2)),
        (425 + 11_650, 575 + 13_325)
    );
    w.s.check();

    // A licence: its price is split with the lineage weights too.
    pay(&mut w, PRICE, &buy()).unwrap();
    w.s.moved(&payer, &pool, 4_000);
    w.s.moved(&payer, &models, 1_000);
    assert_eq!(
        (datanet_total(&w.s, 1), datanet_total(&w.s, 2)),
        (13_575, 14_900)
    );
    for i in 0..2 {
        w.s.app
            .execute_contract(
                payer.clone(),
                models.clone(),
                &ModelExec::RecordLicensedInference {
                    model_id: 1,
                    inference_id: format!("lic-{i}"),
                },
                &[],
            )
            .unwrap();
    }
    let stats: ModelStatsResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(&models, &ModelQuery::ModelStats { model_id: 1 })
            .unwrap();
    assert_eq!(
        (
            stats.paid_inferences,
            stats.licensed_inferences,
            stats.licenses_sold,
            stats.inference_revenue.u128(),
            stats.license_revenue.u128()
        ),
        (52, 2, 1, 52 * FEE, PRICE)
    );
    // Treasury: 100 + 100 + (50 × 100 + 25 dust) + 500.
    assert_eq!(w.s.treasury(), 5_725);
    w.s.check();

    // Everyone is paid: c1 holds 100/400 of datanet 1, c2 300/400, c3 all of datanet 2; the
    // staker all of 200 + 200 + 10 000 + 1 000; the owner 200 + 200 + 10 000 + 1 000.
    let [c1, c2, c3] = w.contributors.clone();
    for (who, expected) in [(&c1, 3_393u128), (&c2, 10_181), (&c3, 14_900)] {
        w.s.pool_exec(who, &PoolExec::Claim { datanet_ids: None })
            .unwrap();
        w.s.moved(&pool, who, expected);
    }
    // The stakers' shares stream over the staking reward period: let it pass.
    w.s.advance(openledger_common::msg::reward_pool::DEFAULT_STAKING_REWARD_PERIOD);
    let staker = w.staker.clone();
    w.s.pool_exec(&staker, &PoolExec::ClaimStakingRewards {})
        .unwrap();
    w.s.moved(&pool, &staker, 11_400);
    let owner = w.model_owner.clone();
    w.s.app
        .execute_contract(
            owner.clone(),
            models.clone(),
            &ModelExec::WithdrawEarnings {},
            &[],
        )
        .unwrap();
    w.s.moved(&models, &owner, 11_400);
    w.s.check();
    assert_eq!(w.s.balance(&models), 0);
}

/// Runs `attempt`, which must fail, and checks that no balance and no pool total moved.
fn refused<T>(w: &mut World, attempt: impl FnOnce(&mut World) -> T) -> T {
    let totals = (
        datanet_total(&w.s, 1),
        datanet_total(&w.s, 2),
        w.s.treasury(),
    );
    let stats: ModelStatsResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(&w.models, &ModelQuery::ModelStats { model_id: 1 })
            .unwrap();
    let out = attempt(w);
    assert_eq!(
        (
            datanet_total(&w.s, 1),
            datanet_total(&w.s, 2),
            w.s.treasury()
        ),
        totals
    );
    let after: ModelStatsResponse =
        w.s.app
            .wrap()
            .query_wasm_smart(&w.models, &ModelQuery::ModelStats { model_id: 1 })
            .unwrap();
    assert_eq!(after, stats);
    w.s.check();
    out
}

/// A purchase of tier 1 stating the terms the world's model sells it with.
fn buy() -> ModelHook {
    ModelHook::PurchaseLicense {
        model_id: 1,
        tier_id: 1,
        terms: LicenseTerms {
            price: Uint128::new(PRICE),
            duration: TERM,
            inference_quota: Some(2),
            commercial: true,
        },
    }
}

fn inference_unknown(w: &World, id: &str) {
    let r = w.s.app.wrap().query_wasm_smart::<InferenceResponse>(
        &w.models,
        &ModelQuery::Inference {
            model_id: 1,
            payer: w.payer.to_string(),
            inference_id: id.into(),
        },
    );
    let expected = ModelError::InferenceNotFound {
        model_id: 1,
        payer: w.payer.to_string(),
        inference_id: id.into(),
    }
    .to_string();
    match r {
        Err(e) => assert!(e.to_string().contains(&expected), "{e}"),
        Ok(record) => panic!("inference {id} was recorded: {record:?}"),
    }
}

#[test]
fn payment_attacks_bounce_and_record_nothing() {
    let mut w = world();
    let models = w.models.clone();
    let mine = |id: &str| (1u64, id.to_string());

    let e = refused(&mut w, |w| {
        pay(w, FEE - 1, &ModelHook::PayInference(payment(w, "a", None)))
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::FeeMismatch {
            expected: Uint128::new(FEE),
            received: Uint128::new(FEE - 1)
        }
    );
    inference_unknown(&w, "a");

    {
        let p = payment(&w, "paid", None);
        pay(&mut w, FEE, &ModelHook::PayInference(p))
    }
    .unwrap();
    let (payer, pool) = (w.payer.clone(), w.s.pool.clone());
    w.s.moved(&payer, &pool, 800);
    w.s.moved(&payer, &models, 200);
    let e = refused(&mut w, |w| {
        pay(w, FEE, &ModelHook::PayInference(payment(w, "paid", None)))
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::InferenceAlreadyPaid {
            model_id: 1,
            payer: w.payer.to_string(),
            inference_id: "paid".into()
        }
    );

    let a = shares(&[(1, 5_000), (2, 5_000)]);
    // Signed by a key that is not the model's host.
    let mut p = payment(&w, "b", Some(a.clone()));
    p.receipt_signature = Some(HostKey::new("intruder").sign(&receipt(
        &w.s,
        &models,
        1,
        "b",
        &w.payer,
        FEE,
        a.clone(),
    )));
    let e = refused(&mut w, |w| pay(w, FEE, &ModelHook::PayInference(p)));
    let (model_id, inference_id) = mine("b");
    assert_eq!(
        err::<ModelError>(e),
        ModelError::InvalidReceiptSignature {
            model_id,
            inference_id
        }
    );
    // Signed over another fee.
    let mut p = payment(&w, "c", Some(a.clone()));
    p.receipt_signature = Some(w.host.sign(&receipt(
        &w.s,
        &models,
        1,
        "c",
        &w.payer,
        FEE - 1,
        a.clone(),
    )));
    let e = refused(&mut w, |w| pay(w, FEE, &ModelHook::PayInference(p)));
    let (model_id, inference_id) = mine("c");
    assert_eq!(
        err::<ModelError>(e),
        ModelError::InvalidReceiptSignature {
            model_id,
            inference_id
        }
    );
    // Signed over another attribution.
    let mut p = payment(&w, "d", Some(a.clone()));
    p.attribution = Some(shares(&[(1, 9_000), (2, 1_000)]));
    let e = refused(&mut w, |w| pay(w, FEE, &ModelHook::PayInference(p)));
    let (model_id, inference_id) = mine("d");
    assert_eq!(
        err::<ModelError>(e),
        ModelError::InvalidReceiptSignature {
            model_id,
            inference_id
        }
    );
    // Attribution outside the lineage, or not summing to 10 000 (signed by the real host).
    let e = refused(&mut w, |w| {
        pay(
            w,
            FEE,
            &ModelHook::PayInference(payment(w, "e", Some(shares(&[(1, 5_000), (3, 5_000)])))),
        )
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::AttributionOutsideLineage {
            model_id: 1,
            datanet_id: 3
        }
    );
    let e = refused(&mut w, |w| {
        pay(
            w,
            FEE,
            &ModelHook::PayInference(payment(w, "f", Some(shares(&[(1, 5_000), (2, 4_999)])))),
        )
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::Attribution(AttributionError::AttributionSum { sum: 9_999 })
    );
    for id in ["b", "c", "d", "e", "f"] {
        inference_unknown(&w, id);
    }

    // Another token, and native coins.
    let alice = w.payer.clone();
    let fake = w.s.fake_token(&alice, 10_000);
    let send = Cw20ExecuteMsg::Send {
        contract: models.to_string(),
        amount: Uint128::new(FEE),
        msg: to_json_binary(&ModelHook::PayInference(payment(&w, "g", None))).unwrap(),
    };
    let e = refused(&mut w, |w| {
        w.s.app
            .execute_contract(alice.clone(), fake.clone(), &send, &[])
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::Hook(HookError::UnexpectedToken {
            expected: w.s.token.to_string(),
            received: fake.to_string()
        })
    );
    w.s.app.init_modules(|router, _, storage| {
        router
            .bank
            .init_balance(storage, &alice, coins(10, "inj"))
            .unwrap()
    });
    let e = refused(&mut w, |w| {
        w.s.app.execute_contract(
            alice.clone(),
            models.clone(),
            &ModelExec::WithdrawEarnings {},
            &coins(1, "inj"),
        )
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::Payment(cw_utils::PaymentError::NonPayable {})
    );

    // Paused, then retired.
    let owner = w.model_owner.clone();
    for status in [ModelStatus::Paused, ModelStatus::Retired] {
        w.s.app
            .execute_contract(
                owner.clone(),
                models.clone(),
                &ModelExec::SetModelStatus {
                    model_id: 1,
                    status,
                },
                &[],
            )
            .unwrap();
        let e = refused(&mut w, |w| {
            pay(w, FEE, &ModelHook::PayInference(payment(w, "h", None)))
        });
        assert_eq!(
            err::<ModelError>(e),
            ModelError::ModelNotActive {
                model_id: 1,
                status
            }
        );
    }
    inference_unknown(&w, "h");
}

#[test]
fn licence_term_and_quota_are_enforced() {
    let mut w = world();
    let (models, payer, pool) = (w.models.clone(), w.payer.clone(), w.s.pool.clone());
    pay(&mut w, PRICE, &buy()).unwrap();
    w.s.moved(&payer, &pool, 4_000);
    w.s.moved(&payer, &models, 1_000);
    let start = w.s.app.block_info().time;
    let record = |id: &str| ModelExec::RecordLicensedInference {
        model_id: 1,
        inference_id: id.into(),
    };
    w.s.app
        .execute_contract(payer.clone(), models.clone(), &record("l1"), &[])
        .unwrap();
    w.s.app
        .execute_contract(payer.clone(), models.clone(), &record("l2"), &[])
        .unwrap();
    let e = refused(&mut w, |w| {
        w.s.app
            .execute_contract(payer.clone(), models.clone(), &record("l3"), &[])
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::QuotaExhausted {
            model_id: 1,
            quota: 2
        }
    );

    // A second licence of the same tier extends the term and adds its quota.
    pay(&mut w, PRICE, &buy()).unwrap();
    w.s.moved(&payer, &pool, 4_000);
    w.s.moved(&payer, &models, 1_000);
    w.s.advance(2 * TERM - 1);
    w.s.app
        .execute_contract(payer.clone(), models.clone(), &record("l3"), &[])
        .unwrap();
    w.s.advance(1);
    let e = refused(&mut w, |w| {
        w.s.app
            .execute_contract(payer.clone(), models.clone(), &record("l4"), &[])
    });
    assert_eq!(
        err::<ModelError>(e),
        ModelError::LicenseExpired {
            model_id: 1,
            expired_at: start.plus_seconds(2 * TERM)
        }
    );
}

#[test]
fn lineage_on_an_unpublished_version_is_refused() {
    let mut w = world();
    let (owner, models) = (w.model_owner.clone(), w.models.clone());
    let msg = ModelExec::RegisterModel(NewModel {
        name: "next".into(),
        parents: vec![],
        metadata_uri: String::new(),
        weights_hash: data_hash("w2"),
        base_model: None,
        lineage: vec![LineageEntry {
            datanet_id: 1,
            version: 2,
            weight_bps: 10_000,
        }],
        inference_fee: Uint128::new(FEE),
        tiers: vec![],
        hosts: vec![],
    });
    let e = w.s.app.execute_contract(owner, models, &msg, &[]);
    assert_eq!(
        err::<ModelError>(e),
        ModelError::LineageVersionNotPublished {
            datanet_id: 1,
            version: 2
        }
    );
}
