use crate::setup::models::*;

// ---------------------------------------------------------------------------------------------
// Remainders: every unit of a fee reaches someone; dust goes to the treasury
// ---------------------------------------------------------------------------------------------

/// A fee of 1 (every floor is 0) goes wholly to the treasury: the protocol's share of a
/// non-zero fee is never 0 (the treasury takes `fee − Σ floors ≥ ⌈fee × treasury_bps⌉`).
#[test]
fn rounding_fee_of_one_goes_to_the_treasury() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    exec(&mut w, &owner, &update_model(1, Some(1), None, None)).unwrap();
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    pay(
        &mut w,
        &client,
        1,
        &ReceiveMsg::PayInference(lineage("one")),
    )
    .unwrap();
    let pool = w.s.pool.clone();
    w.s.moved(&client, &pool, 1);
    assert_eq!(w.s.treasury() - treasury, 1);
    assert_eq!(w.datanets_received(), datanets);
    assert_eq!(earnings(&w, &owner), 0);
    // Fifty of them in one batch: 50 to the treasury, nothing dropped.
    let items = (0..50).map(|i| lineage(&format!("one-{i}"))).collect();
    pay(&mut w, &client, 50, &ReceiveMsg::PayInferences { items }).unwrap();
    w.s.moved(&client, &pool, 50);
    assert_eq!(w.s.treasury() - treasury, 51);
    w.check();
}

/// A licence price of 7 over the 60 / 40 lineage: datanets 3 → 1 + 1 (1 of attribution dust),
/// owner 1, stakers 1, treasury 0 + 2 of split dust + 1 = 3; the pool gets 6, the sum is 7.
#[test]
fn rounding_licence_price_of_seven_sums_exactly() {
    let mut w = world();
    let (client, owner) = (w.client.clone(), w.model_owner.clone());
    let cheap = LicenseTier {
        price: Uint128::new(7),
        ..tier(1)
    };
    set_tiers(&mut w, vec![cheap.clone()]);
    let (treasury, datanets) = (w.s.treasury(), w.datanets_received());
    pay(&mut w, &client, 7, &purchase(1, &cheap)).unwrap();
    let (models, pool) = (w.models.clone(), w.s.pool.clone());
    w.s.moved(&client, &models, 1);
    w.s.moved(&client, &pool, 6);
    w.check();
    assert_eq!(earnings(&w, &owner), 1);
    assert_eq!(w.datanets_received() - datanets, 2);
    // Treasury 3, plus the stakers' 1 (nobody staked).
    assert_eq!(w.s.treasury() - treasury, 4);
}

/// The terms type round-trips the tier's fields (what a wallet copies from `model`).
#[test]
fn tier_terms_are_the_tiers_fields() {
    assert_eq!(
        tier(3).terms(),
        LicenseTerms {
            price: Uint128::new(PRICE),
            duration: TERM,
            inference_quota: Some(QUOTA),
            commercial: true,
        }
    );
}
