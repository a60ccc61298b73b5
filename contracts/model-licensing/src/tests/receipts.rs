//! Receipt format (the test vector in the README).

use super::*;

#[test]
fn receipt_test_vector_matches_the_readme() {
    let receipt = Receipt {
        chain_id: "openledger-local-1".into(),
        contract: "inj1contract".into(),
        model_id: 3,
        inference_id: "inf-7".into(),
        payer: "inj1payer".into(),
        fee: Uint128::new(1_000),
        attribution: shares(&[(1, 6_000), (2, 4_000)]),
        io: None,
    };
    let sk = key(1);
    assert_eq!(
        String::from_utf8(receipt.canonical_json().unwrap()).unwrap(),
        r#"{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{"datanet_id":1,"weight_bps":6000},{"datanet_id":2,"weight_bps":4000}]}"#
    );
    assert_eq!(
        compressed(&sk).to_hex(),
        "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f"
    );
    let hash = HexBinary::from(receipt.hash().unwrap().to_vec());
    assert_eq!(
        hash.to_hex(),
        "328f70c89919a20c3a00838387251672045660fde941422349e92798af9afa20"
    );
    // RFC 6979 deterministic, low-S.
    let sig = sign(&sk, &receipt);
    assert_eq!(
        sig.to_hex(),
        "bbce95c99505ac54884828e1e95180301dc450bb443a1203791f1ef4f38b07d4\
         16141f7aee551d11220c214b583ef9daa32b8191983b223bd56afd8fd863c8d4"
    );
    let api = MockApi::default();
    assert_eq!(
        cosmwasm_std::Api::secp256k1_verify(
            &api,
            hash.as_slice(),
            sig.as_slice(),
            compressed(&sk).as_slice()
        ),
        Ok(true)
    );
}

/// The README's second vector: the first receipt committing to an input and an output (the
/// SHA-256 of `hello` and of `world`), signed by the same key.
#[test]
fn receipt_test_vector_with_io_matches_the_readme() {
    let receipt = Receipt {
        chain_id: "openledger-local-1".into(),
        contract: "inj1contract".into(),
        model_id: 3,
        inference_id: "inf-7".into(),
        payer: "inj1payer".into(),
        fee: Uint128::new(1_000),
        attribution: shares(&[(1, 6_000), (2, 4_000)]),
        io: Some(InferenceIo {
            input_hash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
            output_hash: "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7".into(),
        }),
    };
    let sk = key(1);
    assert_eq!(
        String::from_utf8(receipt.canonical_json().unwrap()).unwrap(),
        r#"{"chain_id":"openledger-local-1","contract":"inj1contract","model_id":3,"inference_id":"inf-7","payer":"inj1payer","fee":"1000","attribution":[{"datanet_id":1,"weight_bps":6000},{"datanet_id":2,"weight_bps":4000}],"io":{"input_hash":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","output_hash":"486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7"}}"#
    );
    let hash = HexBinary::from(receipt.hash().unwrap().to_vec());
    assert_eq!(
        hash.to_hex(),
        "7ecb97e1e9e742b95ac3a9142a9266e32866492b3c7f187cd13a10f083dc727d"
    );
    let sig = sign(&sk, &receipt);
    // RFC 6979 deterministic, low-S.
    assert_eq!(
        sig.to_hex(),
        "30e26822f05308afde9c6b6c86d2e2773dc97d09a8bec50c87e8d898970e9998\
         1cd58bed0bbb07dd21e0c5b3c92f0a4fcee57559d4270476f4d6eb5f23944474"
    );
    let api = MockApi::default();
    assert_eq!(
        cosmwasm_std::Api::secp256k1_verify(
            &api,
            hash.as_slice(),
            sig.as_slice(),
            compressed(&sk).as_slice()
        ),
        Ok(true)
    );
}

#[test]
fn receipt_strings_escape_like_the_readme_says() {
    let receipt = Receipt {
        chain_id: "c".into(),
        contract: "k".into(),
        model_id: 1,
        inference_id: "a\"b\\c\n\u{1f}/é".into(),
        payer: "p".into(),
        fee: Uint128::new(1),
        attribution: shares(&[(1, 10_000)]),
        io: None,
    };
    let json = String::from_utf8(receipt.canonical_json().unwrap()).unwrap();
    assert!(
        json.contains(r#""inference_id":"a\"b\\c\n\u001F/é""#),
        "{json}"
    );
}

/// One payment's quote, built by hand so every field is known exactly.
fn hand_quote(
    fee: u128,
    datanets: &[(u64, u128)],
    owner: u128,
    hosts: u128,
    stakers: u128,
) -> FeeQuoteResponse {
    let spread: u128 = datanets.iter().map(|(_, a)| a).sum();
    let treasury = fee - spread - owner - hosts - stakers;
    FeeQuoteResponse {
        fee: Uint128::new(fee),
        split: FeeSplitAmounts {
            datanets: Uint128::new(spread),
            model_owner: Uint128::new(owner),
            hosts: Uint128::new(hosts),
            stakers: Uint128::new(stakers),
            treasury: Uint128::new(treasury),
            dust: Uint128::zero(),
        },
        datanets: datanets
            .iter()
            .map(|&(datanet_id, amount)| DatanetShare {
                datanet_id,
                version: 1,
                amount: Uint128::new(amount),
            })
            .collect(),
        royalties: vec![],
        attribution_dust: Uint128::zero(),
        royalty_dust: Uint128::zero(),
    }
}

#[test]
fn ledger_aggregates_payments_per_datanet_per_owner_and_per_host_in_first_seen_order() {
    use crate::split::Ledger;
    let api = MockApi::default();
    let (carol, dave, host) = (
        api.addr_make("carol"),
        api.addr_make("dave"),
        api.addr_make("host"),
    );
    let mut ledger = Ledger::default();
    // Dave's model, served by the host.
    ledger
        .add(
            &dave,
            Some(&host),
            &hand_quote(100, &[(5, 30), (2, 20)], 20, 5, 20),
        )
        .unwrap();
    // Carol's model without a receipt: carol served it.
    ledger
        .add(&carol, None, &hand_quote(60, &[(2, 10), (9, 5)], 15, 3, 12))
        .unwrap();
    // A hosts' part of 0 credits nobody.
    ledger
        .add(&dave, Some(&host), &hand_quote(7, &[(5, 3)], 1, 0, 1))
        .unwrap();
    // Dave's model served by carol as its host.
    ledger
        .add(&dave, Some(&carol), &hand_quote(10, &[(9, 4)], 2, 1, 2))
        .unwrap();

    assert_eq!(ledger.fees, Uint128::new(177));
    assert_eq!(
        ledger
            .datanets
            .iter()
            .map(|(id, a)| (*id, a.u128()))
            .collect::<Vec<_>>(),
        vec![((2, 1), 30), ((5, 1), 33), ((9, 1), 9)]
    );
    assert_eq!(ledger.stakers, Uint128::new(35));
    // Treasuries: 100-50-20-5-20 = 5, 60-15-15-3-12 = 15, 7-3-1-0-1 = 2, 10-4-2-1-2 = 1.
    assert_eq!(ledger.treasury, Uint128::new(23));
    assert_eq!(
        ledger.owners,
        vec![
            (dave.clone(), Uint128::new(23)),
            (carol.clone(), Uint128::new(15))
        ]
    );
    assert_eq!(
        ledger.hosts,
        vec![
            (host.clone(), Uint128::new(5)),
            (carol.clone(), Uint128::new(4))
        ]
    );
    assert_eq!(ledger.owners_total().unwrap(), Uint128::new(38));
    assert_eq!(ledger.hosts_total().unwrap(), Uint128::new(9));
    assert_eq!(ledger.credited_total().unwrap(), Uint128::new(47));
    // One credit per address, whatever its roles.
    assert_eq!(
        ledger.credits().unwrap(),
        BTreeMap::from([
            (carol, Uint128::new(19)),
            (dave, Uint128::new(23)),
            (host, Uint128::new(5)),
        ])
    );
    assert_eq!(ledger.datanets_total().unwrap(), Uint128::new(72));
    // Everything is accounted for: pool + owners + hosts = fees.
    assert_eq!(
        ledger.datanets_total().unwrap() + ledger.stakers + ledger.treasury,
        ledger.fees - ledger.credited_total().unwrap()
    );
    assert_eq!(
        ledger.allocations().unwrap(),
        allocations(&[(2, 30), (5, 33), (9, 9)], 35, 23)
    );
}

#[test]
fn ledger_leaves_zero_amounts_out_of_the_allocations_and_refuses_overflow() {
    use crate::split::Ledger;
    let owner = MockApi::default().addr_make("owner");
    let mut ledger = Ledger::default();
    // All to the owner: no datanet, staker or treasury allocation at all.
    ledger
        .add(&owner, None, &hand_quote(10, &[(3, 0)], 10, 0, 0))
        .unwrap();
    assert_eq!(ledger.allocations().unwrap(), vec![]);
    assert_eq!(ledger.datanets_total().unwrap(), Uint128::zero());
    assert_eq!(ledger.owners_total().unwrap(), Uint128::new(10));
    // Exactly 30 non-zero datanets fit next to the stakers and the treasury.
    let mut full = Ledger::default();
    for id in 1..=30u64 {
        full.datanets.insert((id, 1), Uint128::one());
    }
    full.stakers = Uint128::one();
    full.treasury = Uint128::one();
    assert_eq!(full.allocations().unwrap().len(), 32);
    // Sums are checked.
    let mut big = Ledger::default();
    big.add(&owner, None, &hand_quote(u128::MAX, &[], u128::MAX, 0, 0))
        .unwrap();
    assert_eq!(
        big.add(&owner, None, &hand_quote(1, &[], 1, 0, 0)),
        Err(cosmwasm_std::OverflowError::new(
            cosmwasm_std::OverflowOperation::Add
        ))
    );
    let mut two = Ledger {
        owners: vec![
            (owner.clone(), Uint128::MAX),
            (MockApi::default().addr_make("x"), Uint128::one()),
        ],
        ..Ledger::default()
    };
    two.datanets.insert((1, 1), Uint128::MAX);
    two.datanets.insert((2, 1), Uint128::one());
    assert!(two.owners_total().is_err());
    assert!(two.datanets_total().is_err());
}
