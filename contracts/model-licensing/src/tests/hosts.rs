//! Hosts' share of the fees: the signing host is paid, the owner when nobody signed; batches,
//! withdrawals, derived models, the configuration's bound and state stored by 0.3.0.

use super::*;

/// A split with a hosts' share: datanets 40 %, model owner 20 %, hosts 10 %, stakers 20 %,
/// treasury 10 %.
fn hosts_split() -> FeeSplit {
    FeeSplit {
        datanets_bps: 4_000,
        model_owner_bps: 2_000,
        hosts_bps: 1_000,
        stakers_bps: 2_000,
        treasury_bps: 1_000,
    }
}

/// The suite with the hosts' split configured by the contract owner.
fn suite_with_hosts() -> Suite {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            fee_split: Some(hosts_split()),
            reward_pool: None,
            registry: None,
        },
    )
    .unwrap();
    s
}

/// The second host of the tests' models and its key.
fn second_host(s: &Suite) -> (Addr, SigningKey) {
    (s.addr("host-2"), key(8))
}

/// Registers, as `owner`, a model over `lineage` at `fee` served by `hosts` (address, key).
fn register_hosted(
    s: &mut Suite,
    owner: &Addr,
    lineage: &[(u64, u32, u16)],
    fee: u128,
    hosts: &[(&Addr, &SigningKey)],
) -> u64 {
    let hosts = hosts.iter().map(|(a, k)| host_of(a, k)).collect();
    s.register_as(owner, new_model(lineage, fee, hosts))
}

/// A payment by the suite's payer carrying `attribution`, signed with `signer` over the right
/// receipt.
fn signed_with(
    s: &Suite,
    signer: &SigningKey,
    model_id: u64,
    inference_id: &str,
    fee: u128,
    attribution: &[(u64, u16)],
) -> InferencePayment {
    let receipt = s.receipt(model_id, inference_id, fee, attribution);
    InferencePayment {
        model_id,
        inference_id: inference_id.into(),
        attribution: Some(shares(attribution)),
        receipt_signature: Some(sign(signer, &receipt)),
        io: None,
    }
}

fn owed(s: &Suite) -> Uint128 {
    let solvency: LicensingSolvencyResponse = s.query(QueryMsg::Solvency {});
    solvency.owed_earnings
}

#[test]
fn a_signed_inference_credits_exactly_the_host_that_signed() {
    let mut s = suite_with_hosts();
    let (alice, host) = (s.alice.clone(), s.host.clone());
    let (host2, key2) = second_host(&s);
    let key1 = s.host_key.clone();
    let id = register_hosted(
        &mut s,
        &alice,
        &[(1, 1, 6_000), (2, 1, 4_000)],
        1_000,
        &[(&host, &key1), (&host2, &key2)],
    );

    // The second host signs: 1 000 → datanets 400 (all to datanet 1), owner 200, hosts 100 to
    // the second host, stakers 200, treasury 100; the pool receives 700.
    let item = signed_with(&s, &key2, id, "by-2", 1_000, &[(1, 10_000)]);
    let res = s.pay(1_000, item).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(700, allocations(&[(1, 400)], 200, 100))]
    );
    assert_eq!(s.earnings(&host2), Uint128::new(100));
    assert_eq!(s.earnings(&host), Uint128::zero());
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    assert_eq!(owed(&s), Uint128::new(300));
    assert_eq!(attr(&res, "hosts_amount"), "100");
    assert_eq!(attr(&res, "hosts"), format!("{host2}:100"));
    assert_eq!(attr(&res, "model_owner_amount"), "200");
    assert_eq!(attr(&res, "model_owners"), format!("{alice}:200"));
    assert_eq!(attr(&res, "pool_amount"), "700");
    assert_eq!(attr(&res, "signed"), "1");

    // The first host signs the next one: it is the one paid.
    let item = signed_with(&s, &key1, id, "by-1", 1_000, &[(2, 5_000), (1, 5_000)]);
    let res = s.pay(1_000, item).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(700, allocations(&[(1, 200), (2, 200)], 200, 100))]
    );
    assert_eq!(attr(&res, "hosts"), format!("{host}:100"));
    assert_eq!(
        (s.earnings(&host), s.earnings(&host2), s.earnings(&alice)),
        (Uint128::new(100), Uint128::new(100), Uint128::new(400))
    );
    assert_eq!(owed(&s), Uint128::new(600));
    let stats = s.stats(id);
    assert_eq!(
        (
            stats.paid_inferences,
            stats.inference_revenue,
            stats.hosts_revenue
        ),
        (2, Uint128::new(2_000), Uint128::new(200))
    );

    // A host removed by the owner is no longer paid: its signature is refused.
    s.exec(
        &alice,
        update_msg(id, None, None, Some(vec![host_of(&host, &key1)])),
    )
    .unwrap();
    let item = signed_with(&s, &key2, id, "by-2-removed", 1_000, &[(1, 10_000)]);
    assert_eq!(
        s.pay(1_000, item).unwrap_err(),
        ContractError::InvalidReceiptSignature {
            model_id: id,
            inference_id: "by-2-removed".into()
        }
    );
    assert_eq!(s.earnings(&host2), Uint128::new(100));
}

#[test]
fn the_quote_shows_the_hosts_part_and_a_payment_credits_exactly_it() {
    let mut s = suite_with_hosts();
    let id = s.register(&THIRDS, 1_001);
    let (alice, host) = (s.alice.clone(), s.host.clone());
    // 1 001: datanets 400 (133 + 133 + 133, dust 1), owner 200, hosts 100, stakers 200,
    // treasury 100 + split dust 1 + attribution dust 1.
    let q = s.quote(id, None);
    assert_eq!(
        q.split,
        FeeSplitAmounts {
            datanets: Uint128::new(399),
            model_owner: Uint128::new(200),
            hosts: Uint128::new(100),
            stakers: Uint128::new(200),
            treasury: Uint128::new(102),
            dust: Uint128::new(1),
        }
    );
    assert_eq!(q.attribution_dust, Uint128::new(1));
    let parts = &q.split;
    assert_eq!(
        parts.datanets + parts.model_owner + parts.hosts + parts.stakers + parts.treasury,
        q.fee
    );
    let attribution = [(1u64, 3_334u16), (2, 3_333), (3, 3_333)];
    let q = s.quote(id, Some(shares(&attribution)));
    let item = s.signed_item(id, "quoted", 1_001, &attribution);
    let res = s.pay(1_001, item).unwrap();
    let pool = q.fee - q.split.model_owner - q.split.hosts;
    assert_eq!(
        msgs(&res),
        vec![s.distribute(pool.u128(), allocations_of(&q))]
    );
    assert_eq!(s.earnings(&host), q.split.hosts);
    assert_eq!(s.earnings(&alice), q.split.model_owner);
}

#[test]
fn an_unsigned_inference_and_a_licence_purchase_credit_the_owner_with_the_hosts_part() {
    let mut s = suite_with_hosts();
    let (alice, host) = (s.alice.clone(), s.host.clone());
    let id = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);

    // Lineage weights, no receipt: datanets 240 + 160, owner 200 + hosts 100, stakers 200,
    // treasury 100.
    let res = s.pay(1_000, plain(id, "unsigned")).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(700, allocations(&[(1, 240), (2, 160)], 200, 100))]
    );
    assert_eq!(attr(&res, "model_owner_amount"), "200");
    assert_eq!(attr(&res, "hosts_amount"), "100");
    assert_eq!(attr(&res, "hosts"), format!("{alice}:100"));
    assert_eq!(s.earnings(&alice), Uint128::new(300));
    assert_eq!(s.earnings(&host), Uint128::zero());
    assert_eq!(s.stats(id).hosts_revenue, Uint128::zero());

    // A licence of 5 000: datanets 2 000 → 1 200 + 800, owner 1 000 + hosts 500, stakers 1 000,
    // treasury 500.
    let carol = s.addr("carol");
    let res = s.hook(&carol, 5_000, buy(id, 1)).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(3_500, allocations(&[(1, 1_200), (2, 800)], 1_000, 500))]
    );
    assert_eq!(attr(&res, "hosts_amount"), "500");
    assert_eq!(attr(&res, "hosts"), format!("{alice}:500"));
    assert_eq!(s.earnings(&alice), Uint128::new(1_800));
    assert_eq!(s.earnings(&host), Uint128::zero());
    assert_eq!(owed(&s), Uint128::new(1_800));
    assert_eq!(s.stats(id).hosts_revenue, Uint128::zero());
}

/// What a test expects every party to hold: earnings here by address, the pool's allocations
/// by datanet version, stakers and treasury.
#[derive(Default)]
struct Expected {
    earnings: BTreeMap<Addr, u128>,
    datanets: BTreeMap<(u64, u32), u128>,
    stakers: u128,
    treasury: u128,
}

impl Expected {
    /// One payment of `fee` under `hosts_split()` over `attribution` (datanet, bps; each at
    /// version 1), computed by hand: every share rounded down, the dusts to the treasury.
    fn pay(&mut self, fee: u128, attribution: &[(u64, u16)], owner: &Addr, server: &Addr) {
        let part = |bps: u128| fee * bps / 10_000;
        let (datanets, owner_share, hosts, stakers) =
            (part(4_000), part(2_000), part(1_000), part(2_000));
        let mut placed = 0;
        for &(id, w) in attribution {
            let amount = datanets * u128::from(w) / 10_000;
            *self.datanets.entry((id, 1)).or_default() += amount;
            placed += amount;
        }
        *self.earnings.entry(owner.clone()).or_default() += owner_share;
        *self.earnings.entry(server.clone()).or_default() += hosts;
        self.stakers += stakers;
        self.treasury += fee - owner_share - hosts - stakers - placed;
    }

    fn credited(&self) -> u128 {
        self.earnings.values().sum()
    }

    fn allocations(&self) -> Vec<Allocation> {
        let mut out: Vec<Allocation> = self
            .datanets
            .iter()
            .filter(|(_, a)| **a > 0)
            .map(|(&(id, version), &amount)| dn(id, version, amount))
            .collect();
        out.push(Allocation::Stakers {
            amount: Uint128::new(self.stakers),
        });
        out.push(Allocation::Treasury {
            amount: Uint128::new(self.treasury),
        });
        out
    }
}

#[test]
fn a_batch_of_fifty_mixing_signed_and_unsigned_pays_every_party_exactly() {
    let mut s = suite_with_hosts();
    let (alice, bob, host) = (s.alice.clone(), s.addr("bob"), s.host.clone());
    let (host2, key2) = second_host(&s);
    let key1 = s.host_key.clone();
    let a_lineage = [(1u64, 6_000u16), (2, 4_000)];
    let b_lineage = [(2u64, 5_000u16), (3, 5_000)];
    let a = register_hosted(
        &mut s,
        &alice,
        &[(1, 1, 6_000), (2, 1, 4_000)],
        1_000,
        &[(&host, &key1), (&host2, &key2)],
    );
    let b = register_hosted(
        &mut s,
        &bob,
        &[(2, 1, 5_000), (3, 1, 5_000)],
        333,
        &[(&host2, &key2)],
    );

    // Even items pay model a, odd ones model b. Every third item is signed: a's by its two
    // hosts in turn, b's by its only host; the others use the lineage weights.
    let mut expected = Expected::default();
    let mut items = Vec::with_capacity(50);
    let mut total = 0u128;
    for i in 0..50u32 {
        let inference_id = format!("mix-{i}");
        let (model, fee, owner, lineage) = if i % 2 == 0 {
            (a, 1_000u128, &alice, &a_lineage[..])
        } else {
            (b, 333, &bob, &b_lineage[..])
        };
        total += fee;
        if i % 3 != 0 {
            items.push(plain(model, &inference_id));
            expected.pay(fee, lineage, owner, owner);
            continue;
        }
        let (signer, server, attribution): (&SigningKey, &Addr, &[(u64, u16)]) = if model == b {
            (&key2, &host2, &[(3, 10_000)])
        } else if i % 4 == 0 {
            (&key1, &host, &[(1, 7_000), (2, 3_000)])
        } else {
            (&key2, &host2, &[(2, 10_000)])
        };
        items.push(signed_with(
            &s,
            signer,
            model,
            &inference_id,
            fee,
            attribution,
        ));
        expected.pay(fee, attribution, owner, server);
    }
    assert_eq!(total, 25 * 1_000 + 25 * 333);

    let payer = s.payer.clone();
    let res = s
        .hook(&payer, total, ReceiveMsg::PayInferences { items })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(total - expected.credited(), expected.allocations())]
    );
    assert_eq!(attr(&res, "signed"), "17");
    for who in [&alice, &bob, &host, &host2] {
        assert_eq!(
            s.earnings(who).u128(),
            expected.earnings.get(who).copied().unwrap_or(0),
            "earnings of {who}"
        );
    }
    assert_eq!(owed(&s).u128(), expected.credited());
    // Every party together holds exactly the fees.
    assert_eq!(
        expected.credited()
            + expected.datanets.values().sum::<u128>()
            + expected.stakers
            + expected.treasury,
        total
    );
    // The figures a hand count gives: signed items are 0, 3, …, 48 (17); a's signed items are
    // the even ones (9: 0, 6, …, 48), of which those divisible by 4 (5: 0, 12, 24, 36, 48) go to
    // the first host; b's (8) and a's other 4 to the second host.
    assert_eq!(expected.earnings[&host], 5 * 100);
    assert_eq!(expected.earnings[&host2], 4 * 100 + 8 * 33);
    assert_eq!(expected.earnings[&alice], 25 * 200 + 16 * 100);
    assert_eq!(expected.earnings[&bob], 25 * 66 + 17 * 33);
    assert_eq!(
        s.stats(a).hosts_revenue,
        Uint128::new(9 * 100),
        "a's signed items"
    );
    assert_eq!(s.stats(b).hosts_revenue, Uint128::new(8 * 33));
    // In first-seen order: item 0 (a, signed by the first host), 1 (b, unsigned), 2 (a,
    // unsigned), 3 (b, signed by the second host).
    assert_eq!(
        attr(&res, "hosts"),
        format!("{host}:500,{bob}:561,{alice}:1600,{host2}:664")
    );
    assert_eq!(
        attr(&res, "hosts_amount"),
        (500 + 1_600 + 664 + 561).to_string()
    );
}

#[test]
fn a_host_withdraws_its_earnings_with_withdraw_earnings() {
    let mut s = suite_with_hosts();
    let (alice, host) = (s.alice.clone(), s.host.clone());
    let id = s.register(&[(1, 1, 10_000)], 1_000);
    assert_eq!(
        s.exec(&host, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
    for n in 0..3 {
        let item = s.signed_item(id, &format!("w-{n}"), 1_000, &[(1, 10_000)]);
        s.pay(1_000, item).unwrap();
    }
    assert_eq!(s.earnings(&host), Uint128::new(300));
    assert_eq!(s.earnings(&alice), Uint128::new(600));
    assert_eq!(owed(&s), Uint128::new(900));

    let res = s.exec(&host, ExecuteMsg::WithdrawEarnings {}).unwrap();
    assert_eq!(
        msgs(&res),
        vec![TokenHandle(s.token.clone())
            .transfer(&host, Uint128::new(300))
            .unwrap()]
    );
    assert_eq!(attr(&res, "recipient"), host.to_string());
    assert_eq!(attr(&res, "amount"), "300");
    assert_eq!(s.earnings(&host), Uint128::zero());
    assert_eq!(s.earnings(&alice), Uint128::new(600));
    assert_eq!(owed(&s), Uint128::new(600));
    assert_eq!(
        s.exec(&host, ExecuteMsg::WithdrawEarnings {}).unwrap_err(),
        ContractError::NothingToWithdraw
    );
}

#[test]
fn a_host_that_owns_the_model_is_credited_once_for_both_parts() {
    let mut s = suite_with_hosts();
    let alice = s.alice.clone();
    let key = key(9);
    let id = register_hosted(&mut s, &alice, &[(1, 1, 10_000)], 1_000, &[(&alice, &key)]);
    let items = vec![
        signed_with(&s, &key, id, "own-1", 1_000, &[(1, 10_000)]),
        plain(id, "own-2"),
    ];
    let payer = s.payer.clone();
    let res = s
        .hook(&payer, 2_000, ReceiveMsg::PayInferences { items })
        .unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(1_400, allocations(&[(1, 800)], 400, 200))]
    );
    assert_eq!(attr(&res, "model_owners"), format!("{alice}:400"));
    assert_eq!(attr(&res, "hosts"), format!("{alice}:200"));
    assert_eq!(s.earnings(&alice), Uint128::new(600));
    assert_eq!(owed(&s), Uint128::new(600));
}

#[test]
fn a_derived_models_fee_pays_its_host_whole_and_its_ancestors_exactly() {
    let mut s = Suite::new();
    let (alice, bob, host) = (s.alice.clone(), s.addr("bob"), s.host.clone());
    let (host2, key2) = second_host(&s);
    // P (alice, datanet 1, the suite's host); bob buys its commercial tier and derives C
    // (datanet 2, the second host) with a 2 000 bps royalty.
    let p = s.register(&[(1, 1, 10_000)], 1_000);
    s.buy_commercial(&bob, p);
    let mut new = new_model(&[(2, 1, 10_000)], 999, vec![host_of(&host2, &key2)]);
    new.parents = parents_of(&[(p, 2_000)]);
    let c = s.register_as(&bob, new);
    let owner = s.owner.clone();
    s.exec(
        &owner,
        ExecuteMsg::UpdateConfig {
            fee_split: Some(hosts_split()),
            reward_pool: None,
            registry: None,
        },
    )
    .unwrap();
    let before = (s.earnings(&alice), s.earnings(&bob), s.earnings(&host));

    // 999: datanets 399, owner 199, hosts 99, stakers 199, treasury 99 + split dust 4. C keeps
    // 8 000 bps of the creator value: owner 159, data 319; P has 2 000: owner 39 (credited to
    // alice in the pool), data 79. Royalty dust 1 + 1 to the treasury: 105. The hosts' 99 are
    // not creator value: all of it goes to C's host.
    let pool_allocations = vec![
        dn(1, 1, 79),
        dn(2, 1, 319),
        account(&alice, p, 39),
        Allocation::Stakers {
            amount: Uint128::new(199),
        },
        Allocation::Treasury {
            amount: Uint128::new(105),
        },
    ];
    let q = s.quote(c, None);
    assert_eq!(q.split.hosts, Uint128::new(99));
    assert_eq!(q.split.model_owner, Uint128::new(159));
    assert_eq!(q.royalty_dust, Uint128::new(2));
    assert_eq!(
        q.royalties,
        vec![RoyaltyShare {
            model_id: p,
            owner: alice.clone(),
            share_bps: 2_000,
            owner_amount: Uint128::new(39),
            datanets_amount: Uint128::new(79),
        }]
    );
    assert_eq!(allocations_of(&q), pool_allocations);

    let item = signed_with(&s, &key2, c, "derived-signed", 999, &[(2, 10_000)]);
    let res = s.pay(999, item).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(741, pool_allocations.clone())]
    );
    assert_eq!(attr(&res, "hosts"), format!("{host2}:99"));
    assert_eq!(attr(&res, "royalties_amount"), "39");
    assert_eq!(s.earnings(&host2), Uint128::new(99));
    assert_eq!(s.earnings(&bob), before.1 + Uint128::new(159));
    assert_eq!(s.earnings(&alice), before.0);
    assert_eq!(s.earnings(&host), before.2);

    // Without a receipt, C's owner takes the hosts' part; the ancestors' parts are the same.
    let res = s.pay(999, plain(c, "derived-plain")).unwrap();
    assert_eq!(msgs(&res), vec![s.distribute(741, pool_allocations)]);
    assert_eq!(attr(&res, "hosts"), format!("{bob}:99"));
    assert_eq!(s.earnings(&bob), before.1 + Uint128::new(159 + 159 + 99));
    assert_eq!(s.earnings(&host2), Uint128::new(99));
    assert_eq!(s.earnings(&alice), before.0);
    assert_eq!(s.stats(c).hosts_revenue, Uint128::new(99));
}

#[test]
fn update_config_refuses_a_hosts_share_above_the_bound_and_a_split_not_summing_to_whole() {
    let mut s = Suite::new();
    let owner = s.owner.clone();
    let update = |split: FeeSplit| ExecuteMsg::UpdateConfig {
        fee_split: Some(split),
        reward_pool: None,
        registry: None,
    };
    let above = FeeSplit {
        datanets_bps: 2_999,
        hosts_bps: 2_001,
        ..FeeSplit::default()
    };
    assert_eq!(
        s.exec(&owner, update(above)).unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::HostsShareTooLarge {
            hosts_bps: 2_001,
            max: 2_000
        })
    );
    let over_whole = FeeSplit {
        hosts_bps: 1_000,
        ..FeeSplit::default()
    };
    assert_eq!(
        s.exec(&owner, update(over_whole)).unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 11_000 })
    );
    let under_whole = FeeSplit {
        datanets_bps: 3_000,
        hosts_bps: 1_000,
        ..FeeSplit::default()
    };
    assert_eq!(
        s.exec(&owner, update(under_whole)).unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::SplitSum { sum: 9_000 })
    );
    assert_eq!(s.config().fee_split, FeeSplit::default());

    // The bound itself is accepted.
    let at_bound = FeeSplit {
        datanets_bps: 3_000,
        hosts_bps: 2_000,
        ..FeeSplit::default()
    };
    let res = s.exec(&owner, update(at_bound.clone())).unwrap();
    assert_eq!(
        attr(&res, "fee_split"),
        "datanets:3000,model_owner:2000,hosts:2000,stakers:2000,treasury:1000"
    );
    assert_eq!(s.config().fee_split, at_bound);

    // Instantiation checks the bound too.
    let mut deps = mock_dependencies();
    let sender = deps.api.addr_make("owner");
    let addr = |name: &str| deps.api.addr_make(name).to_string();
    let msg = InstantiateMsg {
        owner: None,
        token: addr("token"),
        registry: addr("registry"),
        reward_pool: addr("pool"),
        fee_split: Some(FeeSplit {
            datanets_bps: 2_500,
            hosts_bps: 2_500,
            ..FeeSplit::default()
        }),
    };
    assert_eq!(
        instantiate(deps.as_mut(), mock_env(), message_info(&sender, &[]), msg).unwrap_err(),
        ContractError::FeeSplit(FeeSplitError::HostsShareTooLarge {
            hosts_bps: 2_500,
            max: 2_000
        })
    );
}

/// A configuration and counters stored by 0.3.0 (no `hosts_bps`, no `hosts_revenue`) load
/// through `migrate` with a hosts' share of 0, and every payment splits exactly as before: a
/// signing host is credited nothing until the owner configures a share.
#[test]
fn a_config_stored_by_0_3_0_migrates_with_no_hosts_share() {
    use crate::state::{CONFIG, MODEL_STATS};
    use cosmwasm_std::Storage;
    let mut s = Suite::new();
    let (alice, host) = (s.alice.clone(), s.host.clone());
    let id = s.register(&[(1, 1, 6_000), (2, 1, 4_000)], 1_000);
    let config = format!(
        r#"{{"token":"{}","registry":"{}","reward_pool":"{}","fee_split":{{"datanets_bps":5000,"model_owner_bps":2000,"stakers_bps":2000,"treasury_bps":1000}}}}"#,
        s.token, s.registry, s.pool
    );
    let stats = r#"{"paid_inferences":4,"licensed_inferences":0,"licenses_sold":0,"inference_revenue":"4000","license_revenue":"0"}"#;
    s.deps.storage.set(CONFIG.as_slice(), config.as_bytes());
    s.deps.storage.set(&MODEL_STATS.key(id), stats.as_bytes());
    cw2::set_contract_version(&mut s.deps.storage, CONTRACT_NAME, "0.3.0").unwrap();

    migrate(s.deps.as_mut(), s.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(
        s.deps.storage.get(CONFIG.as_slice()),
        Some(config.into_bytes())
    );
    let c = s.config();
    assert_eq!(c.fee_split.hosts_bps, 0);
    assert_eq!(c.fee_split, FeeSplit::default());
    let st = s.stats(id);
    assert_eq!(
        (st.paid_inferences, st.inference_revenue, st.hosts_revenue),
        (4, Uint128::new(4_000), Uint128::zero())
    );

    // Exactly as 0.3.0 paid: datanets 300 + 200, owner 200, stakers 200, treasury 100; the
    // signing host is credited nothing.
    let item = s.signed_item(id, "after", 1_000, &[(1, 6_000), (2, 4_000)]);
    let res = s.pay(1_000, item).unwrap();
    assert_eq!(
        msgs(&res),
        vec![s.distribute(800, allocations(&[(1, 300), (2, 200)], 200, 100))]
    );
    assert_eq!(attr(&res, "hosts_amount"), "0");
    assert_eq!(attr(&res, "hosts"), "");
    assert_eq!(s.earnings(&alice), Uint128::new(200));
    assert_eq!(s.earnings(&host), Uint128::zero());
    assert_eq!(s.stats(id).paid_inferences, 5);
}
