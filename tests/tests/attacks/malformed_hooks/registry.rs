use crate::setup::registry::*;

// ---------------------------------------------------------------------------------------------
// Unknown hook messages and malformed hook JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_hook_malformed_json() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| raw_send(s, &alice, BOND, b"{\"contribute\":"));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_empty_message() {
    let mut w = world();
    let alice = w.alice.clone();
    let e = refused::<RegError>(&mut w.s, |s| raw_send(s, &alice, BOND, b""));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_of_the_pool_sent_to_the_registry() {
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&alice, &registry, BOND, &PoolHook::Stake {})
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_contribute_missing_a_field() {
    let mut w = world();
    let alice = w.alice.clone();
    let msg = json!({ "contribute": { "datanet_id": 1, "data_hash": data_hash("m"), "uri": "x" } });
    let e = refused::<RegError>(&mut w.s, |s| {
        raw_send(s, &alice, BOND, msg.to_string().as_bytes())
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_create_datanet_naming_another_owner_in_an_unknown_field() {
    // Messages are strict (DESIGN §6): an `owner` field smuggled into the hook is refused with
    // an error naming it, and the fee stays with the sender. (0.2.0 ignored the field and
    // created the datanet for the account that paid.)
    let mut w = world();
    let (owner, mallory) = (w.owner.clone(), w.mallory.clone());
    let mut msg = serde_json::to_value(RegHook::CreateDatanet(new_datanet(
        "extra",
        0,
        AttributionMode::Weight,
        vec![],
    )))
    .unwrap();
    msg["create_datanet"]["owner"] = json!(owner.to_string());
    let e = refused::<RegError>(&mut w.s, |s| {
        raw_send(s, &mallory, FEE, msg.to_string().as_bytes())
    });
    match e {
        RegError::Hook(HookError::InvalidHook { reason }) => {
            assert!(reason.contains("unknown field `owner`"), "{reason}")
        }
        other => panic!("expected InvalidHook, got {other:?}"),
    }
    let config: ConfigResponse = w.s.query_registry(&RegQuery::Config {});
    assert_eq!(config.datanet_count, 2);
    w.s.check();
}

#[test]
fn attack_hook_execute_message_inside_a_send() {
    // An execute message (withdraw_bonds) is not a hook: tokens cannot ride along with it.
    let mut w = world();
    let (alice, registry) = (w.alice.clone(), w.s.registry.clone());
    let e = refused::<RegError>(&mut w.s, |s| {
        s.send(&alice, &registry, BOND, &RegExec::WithdrawBonds {})
    });
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}
