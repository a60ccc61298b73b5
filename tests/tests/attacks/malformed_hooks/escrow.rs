use crate::setup::escrow::*;

// ---------------------------------------------------------------------------------------------
// Unknown hook messages, malformed hook JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn attack_unknown_hook_variant() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, br#"{"steal":{}}"#));
    assert!(invalid_hook(e).contains("unknown variant"));
    w.check();
}

#[test]
fn attack_unknown_hook_malformed_json() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| {
        raw_send(w, &client, 1_000, br#"{"create_task":{"agent":"#)
    });
    invalid_hook(e);
    w.check();
}

#[test]
fn attack_unknown_hook_missing_field() {
    let mut w = world();
    let client = w.client.clone();
    let mut task = serde_json::to_value(w.new_task(&[1_000])).unwrap();
    task.as_object_mut().unwrap().remove("milestones");
    let msg = serde_json::to_vec(&serde_json::json!({ "create_task": task })).unwrap();
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, &msg));
    assert!(invalid_hook(e).contains("milestones"));
    w.check();
}

#[test]
fn attack_unknown_hook_execute_message_smuggled_as_hook() {
    let mut w = world();
    let id = w.create(&[1_000]);
    let client = w.client.clone();
    let msg = to_json_vec(&ExecuteMsg::CancelTask { task_id: id }).unwrap();
    let e = refused(&mut w, |w| raw_send(w, &client, 1, &msg));
    assert!(invalid_hook(e).contains("unknown variant"));
    assert_eq!(w.task(id).task.status, TaskStatus::Open);
    w.check();
}

#[test]
fn attack_unknown_hook_empty_message() {
    let mut w = world();
    let client = w.client.clone();
    let e = refused(&mut w, |w| raw_send(w, &client, 1_000, b""));
    invalid_hook(e);
    w.check();
}
