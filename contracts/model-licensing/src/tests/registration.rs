//! Registration.

use super::*;

#[test]
fn register_model_stores_it_with_lower_case_hash_and_indexes() {
    let mut s = Suite::new();
    let id = s.register(&[(1, 2, 6_000), (2, 1, 4_000)], 1_000);
    assert_eq!(id, 1);
    let m = s.model(id);
    assert_eq!(m.owner, s.alice);
    assert_eq!(
        m.weights_hash,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    assert_eq!(m.lineage, lineage_of(&[(1, 2, 6_000), (2, 1, 4_000)]));
    assert_eq!(m.status, ModelStatus::Active);
    assert_eq!(m.hosts, vec![host_of(&s.host, &s.host_key)]);
    assert_eq!(m.created_at, s.env.block.time);
    assert_eq!(s.config().model_count, 1);
    assert_eq!(
        s.stats(id),
        ModelStatsResponse {
            model_id: id,
            paid_inferences: 0,
            licensed_inferences: 0,
            licenses_sold: 0,
            inference_revenue: Uint128::zero(),
            license_revenue: Uint128::zero(),
            hosts_revenue: Uint128::zero(),
        }
    );
    let by_datanet: ModelsResponse = s.query(QueryMsg::Models {
        owner: None,
        datanet_id: Some(2),
        start_after: None,
        limit: None,
    });
    assert_eq!(
        by_datanet.models.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![1]
    );
}

#[test]
fn register_model_refuses_bad_lineage() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    type Lineage = Vec<(u64, u32, u16)>;
    let cases: Vec<(Lineage, ContractError)> = vec![
        (
            vec![(1, 1, 5_000), (2, 1, 4_999)],
            ContractError::Attribution(AttributionError::AttributionSum { sum: 9_999 }),
        ),
        (
            vec![(1, 1, 5_000), (1, 2, 5_000)],
            ContractError::Attribution(AttributionError::DuplicateDatanet { datanet_id: 1 }),
        ),
        (
            (1..=17)
                .map(|d| (d, 1, if d == 1 { 8_400 } else { 100 }))
                .collect(),
            ContractError::Attribution(AttributionError::AttributionSize { count: 17, max: 16 }),
        ),
        (
            vec![],
            ContractError::Attribution(AttributionError::AttributionSize { count: 0, max: 16 }),
        ),
        (
            vec![(1, 1, 10_000), (2, 1, 0)],
            ContractError::Attribution(AttributionError::ZeroShare { datanet_id: 2 }),
        ),
        (
            vec![(1, 1, 5_000), (2, 2, 5_000)],
            ContractError::LineageVersionNotPublished {
                datanet_id: 2,
                version: 2,
            },
        ),
        (
            vec![(99, 1, 10_000)],
            ContractError::LineageVersionNotPublished {
                datanet_id: 99,
                version: 1,
            },
        ),
    ];
    for (lineage, err) in cases {
        let new = s.model_msg(&lineage, 1_000);
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
    }
    assert_eq!(s.config().model_count, 0);
    assert_eq!(
        s.query_err(QueryMsg::Model { model_id: 1 }),
        ContractError::ModelNotFound { model_id: 1 }
    );
}

#[test]
fn register_model_refuses_bad_fields() {
    let mut s = Suite::new();
    let alice = s.alice.clone();
    let base = s.model_msg(&[(1, 1, 10_000)], 1_000);
    let host2 = s.addr("host2");

    let mut cases: Vec<(NewModel, ContractError)> = vec![];
    cases.push((
        NewModel {
            inference_fee: Uint128::zero(),
            ..base.clone()
        },
        ContractError::ZeroFee,
    ));
    let mut dup_tier = tiers();
    dup_tier[1].id = 1;
    cases.push((
        NewModel {
            tiers: dup_tier,
            ..base.clone()
        },
        ContractError::DuplicateTier { id: 1 },
    ));
    let mut free_tier = tiers();
    free_tier[0].price = Uint128::zero();
    cases.push((
        NewModel {
            tiers: free_tier,
            ..base.clone()
        },
        ContractError::ZeroTierPrice { tier_id: 1 },
    ));
    let mut instant_tier = tiers();
    instant_tier[1].duration = 0;
    cases.push((
        NewModel {
            tiers: instant_tier,
            ..base.clone()
        },
        ContractError::TierDurationOutOfRange {
            tier_id: 2,
            duration: 0,
            min: 60,
            max: 315_360_000,
        },
    ));
    let nine_tiers: Vec<LicenseTier> = (1..=9)
        .map(|id| LicenseTier {
            id,
            ..tiers()[0].clone()
        })
        .collect();
    cases.push((
        NewModel {
            tiers: nine_tiers,
            ..base.clone()
        },
        ContractError::TooManyTiers { got: 9, max: 8 },
    ));
    // A 32-byte key, a compressed key with the uncompressed prefix, an uncompressed key with
    // a compressed prefix.
    let mut short_key = compressed(&key(9)).to_vec();
    short_key.pop();
    let mut wrong_prefix = compressed(&key(9)).to_vec();
    wrong_prefix[0] = 0x04;
    let mut long_wrong = s
        .host_key
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    long_wrong[0] = 0x02;
    for pubkey in [short_key, wrong_prefix, long_wrong] {
        cases.push((
            NewModel {
                hosts: vec![Host {
                    address: host2.to_string(),
                    pubkey: HexBinary::from(pubkey),
                }],
                ..base.clone()
            },
            ContractError::InvalidPubkey {
                host: host2.to_string(),
            },
        ));
    }
    cases.push((
        NewModel {
            hosts: vec![host_of(&host2, &key(1)), host_of(&host2, &key(2))],
            ..base.clone()
        },
        ContractError::DuplicateHost {
            host: host2.to_string(),
        },
    ));
    cases.push((
        NewModel {
            hosts: (1..=9)
                .map(|i| host_of(&s.addr(&format!("h{i}")), &key(i)))
                .collect(),
            ..base.clone()
        },
        ContractError::TooManyHosts { got: 9, max: 8 },
    ));
    cases.push((
        NewModel {
            name: String::new(),
            ..base.clone()
        },
        ContractError::Validation(ValidationError::InvalidText {
            field: "name".into(),
            min: 1,
            max: 64,
        }),
    ));
    cases.push((
        NewModel {
            metadata_uri: "u".repeat(513),
            ..base.clone()
        },
        ContractError::Validation(ValidationError::InvalidText {
            field: "metadata_uri".into(),
            min: 0,
            max: 512,
        }),
    ));
    cases.push((
        NewModel {
            base_model: Some("b".repeat(129)),
            ..base.clone()
        },
        ContractError::Validation(ValidationError::InvalidText {
            field: "base_model".into(),
            min: 1,
            max: 128,
        }),
    ));
    cases.push((
        NewModel {
            weights_hash: "abc".into(),
            ..base.clone()
        },
        ContractError::Validation(ValidationError::InvalidHash {
            field: "weights_hash".into(),
            value: "abc".into(),
        }),
    ));
    for (new, err) in cases {
        assert_eq!(
            s.exec(&alice, ExecuteMsg::RegisterModel(new)).unwrap_err(),
            err
        );
    }
    assert_eq!(s.config().model_count, 0);

    // An uncompressed (65-byte, 04) key is accepted and verifies receipts.
    let uncompressed = HexBinary::from(
        s.host_key
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes(),
    );
    let id = s.register_as(
        &alice,
        NewModel {
            hosts: vec![Host {
                address: s.host.to_string(),
                pubkey: uncompressed,
            }],
            ..base
        },
    );
    let item = s.signed_item(id, "u-1", 1_000, &[(1, 10_000)]);
    s.pay(1_000, item).unwrap();
}
