use crate::setup::pool::*;

// ---------------------------------------------------------------------------------------------
// Unknown hook messages and malformed hook JSON
// ---------------------------------------------------------------------------------------------

fn hook_refused(w: &mut World, msg: &[u8]) {
    let alice = w.alice.clone();
    let e = refused::<PoolError>(&mut w.s, |s| raw_send(s, &alice, 100, msg));
    assert!(is_invalid_hook(&e), "{e:?}");
    w.s.check();
}

#[test]
fn attack_hook_malformed_json() {
    let mut w = world();
    hook_refused(&mut w, b"{\"stake\":{}");
}

#[test]
fn attack_hook_empty_message() {
    let mut w = world();
    hook_refused(&mut w, b"");
}

#[test]
fn attack_hook_of_the_registry_sent_to_the_pool() {
    let mut w = world();
    let msg = to_json_binary(&RegHook::Contribute(NewContribution {
        datanet_id: 1,
        data_hash: data_hash("x"),
        uri: "ipfs://x".into(),
        size_bytes: 1,
        license_note: None,
    }))
    .unwrap();
    hook_refused(&mut w, msg.as_slice());
}

#[test]
fn attack_hook_distribute_without_allocations_field() {
    let mut w = world();
    hook_refused(&mut w, br#"{"distribute":{}}"#);
}

#[test]
fn attack_hook_amount_as_a_json_number() {
    let mut w = world();
    hook_refused(
        &mut w,
        br#"{"distribute":{"allocations":[{"treasury":{"amount":100}}]}}"#,
    );
}

#[test]
fn attack_hook_unknown_allocation_kind() {
    let mut w = world();
    hook_refused(
        &mut w,
        br#"{"distribute":{"allocations":[{"attacker":{"amount":"100"}}]}}"#,
    );
}

#[test]
fn attack_hook_execute_message_inside_a_send() {
    let mut w = world();
    let msg = to_json_binary(&PoolExec::Claim { datanet_ids: None }).unwrap();
    hook_refused(&mut w, msg.as_slice());
}
