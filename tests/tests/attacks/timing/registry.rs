use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Timing: the registry's only deadline is the expiry of an ownership offer
// ---------------------------------------------------------------------------------------------

/// Offers the registry to bob until `now + 100 s`; returns the world advanced to `t + offset`
/// where `t` is the expiry.
fn offer_then_wait(offset: i64) -> World {
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    let t = w.s.app.block_info().time.plus_seconds(100);
    w.s.registry_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": t }))),
    )
    .unwrap();
    w.s.advance((100 + offset) as u64);
    w
}

#[test]
fn attack_timing_ownership_offer_accepted_at_expiry_minus_one() {
    let mut w = offer_then_wait(-1);
    let bob = w.bob.clone();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), Some(bob.to_string()));
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry() {
    let mut w = offer_then_wait(0);
    let bob = w.bob.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    assert_eq!(registry_owner(&w.s), Some(w.s.deployer.to_string()));
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_refused_at_expiry_plus_one() {
    let mut w = offer_then_wait(1);
    let bob = w.bob.clone();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.check();
}

#[test]
fn attack_timing_ownership_offer_already_expired_when_made() {
    // cw-ownable takes an offer whose expiry has passed (it does not check it), but nobody can
    // ever accept it; the owner stays the owner and may offer again.
    let mut w = world();
    let (deployer, bob) = (w.s.deployer.clone(), w.bob.clone());
    let now = w.s.app.block_info().time;
    w.s.registry_exec(
        &deployer,
        &transfer_ownership(bob.as_str(), Some(json!({ "at_time": now }))),
    )
    .unwrap();
    let e = refused::<RegError>(&mut w.s, |s| {
        s.registry_exec(&bob, &ownership(json!("accept_ownership")))
    });
    assert_eq!(ownership_error(e), TRANSFER_EXPIRED);
    w.s.registry_exec(&deployer, &transfer_ownership(bob.as_str(), None))
        .unwrap();
    w.s.registry_exec(&bob, &ownership(json!("accept_ownership")))
        .unwrap();
    assert_eq!(registry_owner(&w.s), Some(bob.to_string()));
    w.s.check();
}
