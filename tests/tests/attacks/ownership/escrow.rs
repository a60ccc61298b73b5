use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Two-step ownership of the contract
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_ownership_accept_without_pending_transfer() {
    let mut w = world();
    let mallory = w.s.addr("mallory");
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&mallory, &msg));
    assert_eq!(ownership(e), "There isn't a pending ownership transfer");
    w.check();
}

#[test]
fn attack_ownership_accept_by_someone_else_than_the_pending_owner() {
    let mut w = world();
    let (deployer, heir, mallory) = (w.s.deployer.clone(), w.s.addr("heir"), w.s.addr("mallory"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&mallory, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's pending owner");
    w.check();
}

#[test]
fn attack_ownership_pending_owner_configures_before_accepting() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&heir, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_previous_owner_configures_after_handover() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": { "new_owner": heir.to_string(), "expiry": null }
        })),
    )
    .unwrap();
    w.exec(
        &heir,
        &update_ownership(serde_json::json!("accept_ownership")),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(ownership(e), "Caller is not the contract's current owner");
    w.check();
}

#[test]
fn attack_ownership_accept_at_expiry() {
    let mut w = world();
    let (deployer, heir) = (w.s.deployer.clone(), w.s.addr("heir"));
    let expiry = w.s.app.block_info().time.plus_seconds(100);
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!({
            "transfer_ownership": {
                "new_owner": heir.to_string(),
                "expiry": { "at_time": expiry.nanos().to_string() }
            }
        })),
    )
    .unwrap();
    w.at(expiry.seconds());
    let msg = update_ownership(serde_json::json!("accept_ownership"));
    let e = refused(&mut w, |w| w.exec(&heir, &msg));
    assert_eq!(
        ownership(e),
        "A pending ownership transfer exists but it has expired"
    );
    w.check();
}

#[test]
fn attack_ownership_config_after_renouncing() {
    let mut w = world();
    let deployer = w.s.deployer.clone();
    w.exec(
        &deployer,
        &update_ownership(serde_json::json!("renounce_ownership")),
    )
    .unwrap();
    let msg = settle_config(&w);
    let e = refused(&mut w, |w| w.exec(&deployer, &msg));
    assert_eq!(ownership(e), "Contract ownership has been renounced");
    w.check();
}
