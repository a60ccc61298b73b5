//! Messages are strict (DESIGN §6): an unknown or misspelled field is refused with an error
//! that names it, never ignored. 0.2.0 accepted `withdraw_treasury` with `"recipent"` (and
//! paid the owner instead of the intended recipient) and `claim` with `"datanet_id"` (and
//! claimed every datanet), because cosmwasm-schema 2 no longer adds `deny_unknown_fields`.
//!
//! The test walks the committed JSON schemas, builds a complete message of every variant of
//! every execute, query, hook, instantiate and migrate message of the five contracts (every
//! optional field filled, so nested objects are reached), checks that the contract's own Rust
//! type parses it exactly as the entry point does (`cosmwasm_std::from_json`), then adds a
//! misspelled field at every object of the message, one at a time, and checks that each is
//! refused with an error naming the field.
//!
//! One wrapper is not strict on purpose: `receive` (`Cw20ReceiveMsg`) is built by the token
//! contract, never by a wallet, and a `receive` from anyone but the configured token is
//! refused before it is read; the hook message inside it is strict and covered here.
//!
//! The escrow's workflow messages (delegation, evaluators, ratings, discovery) are also built
//! from their Rust types, so that they are covered whether or not the committed schemas list
//! them yet, and every variant the escrow's Rust types accept must be covered one way or the
//! other.

use cosmwasm_std::from_json;
use openledger_common::msg::agent_escrow as escrow;
use openledger_common::msg::datanet_registry as registry;
use openledger_common::msg::model_licensing as ml;
use openledger_common::msg::reward_pool as pool;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

const MISSPELLED: &str = "misspelled_field";

/// The error of parsing `bytes` as `T`, or `None` if it parses.
fn parse_error<T: DeserializeOwned>(bytes: &[u8]) -> Option<String> {
    from_json::<T>(bytes).err().map(|e| e.to_string())
}

/// Parses `bytes` with the Rust type of `section` of `contract`.
fn parse(contract: &str, section: &str, bytes: &[u8]) -> Option<String> {
    match (contract, section) {
        ("open-token", "execute") => parse_error::<open_token::ExecuteMsg>(bytes),
        ("open-token", "query") => parse_error::<open_token::QueryMsg>(bytes),
        ("open-token", "migrate") => parse_error::<open_token::contract::MigrateMsg>(bytes),
        ("datanet-registry", "execute") => parse_error::<registry::ExecuteMsg>(bytes),
        ("datanet-registry", "query") => parse_error::<registry::QueryMsg>(bytes),
        ("datanet-registry", "instantiate") => parse_error::<registry::InstantiateMsg>(bytes),
        ("datanet-registry", "migrate") => parse_error::<registry::MigrateMsg>(bytes),
        ("datanet-registry", "receive") => parse_error::<registry::ReceiveMsg>(bytes),
        ("reward-pool", "execute") => parse_error::<pool::ExecuteMsg>(bytes),
        ("reward-pool", "query") => parse_error::<pool::QueryMsg>(bytes),
        ("reward-pool", "instantiate") => parse_error::<pool::InstantiateMsg>(bytes),
        ("reward-pool", "migrate") => parse_error::<pool::MigrateMsg>(bytes),
        ("reward-pool", "receive") => parse_error::<pool::ReceiveMsg>(bytes),
        ("model-licensing", "execute") => parse_error::<ml::ExecuteMsg>(bytes),
        ("model-licensing", "query") => parse_error::<ml::QueryMsg>(bytes),
        ("model-licensing", "instantiate") => parse_error::<ml::InstantiateMsg>(bytes),
        ("model-licensing", "migrate") => parse_error::<ml::MigrateMsg>(bytes),
        ("model-licensing", "receive") => parse_error::<ml::ReceiveMsg>(bytes),
        ("agent-escrow", "execute") => parse_error::<escrow::ExecuteMsg>(bytes),
        ("agent-escrow", "query") => parse_error::<escrow::QueryMsg>(bytes),
        ("agent-escrow", "instantiate") => parse_error::<escrow::InstantiateMsg>(bytes),
        ("agent-escrow", "migrate") => parse_error::<escrow::MigrateMsg>(bytes),
        ("agent-escrow", "receive") => parse_error::<escrow::ReceiveMsg>(bytes),
        other => panic!("no parser for {other:?}"),
    }
}

/// The schema a `$ref` points at.
fn resolve<'a>(defs: &'a Value, node: &'a Value) -> (&'a Value, Option<String>) {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        let def = defs.get(name).unwrap_or_else(|| panic!("undefined {r}"));
        let (inner, _) = resolve(defs, def);
        return (inner, Some(name.to_string()));
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        if all.len() == 1 {
            return resolve(defs, &all[0]);
        }
    }
    (node, None)
}

/// A complete instance of `node` at JSON pointer `at`: every property present, every option
/// filled, the first alternative of nested choices. The pointers of enum values written as a
/// one-key object (`{"variant": ...}`) go to `enums`: a second key there is refused as a
/// malformed variant, so its error cannot name a field.
fn instance(defs: &Value, node: &Value, at: &str, enums: &mut Vec<String>) -> Value {
    assert!(at.matches('/').count() < 32, "schema nesting too deep");
    let (node, name) = resolve(defs, node);
    if let Some(name) = name.as_deref() {
        match name {
            // Base64 and hex: the empty string is valid for both.
            "Binary" | "HexBinary" => return json!(""),
            // Opaque numbers in strings.
            "Uint64" | "Uint128" | "Uint256" | "Timestamp" | "Decimal" => return json!("1"),
            _ => {}
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = node.get(key).and_then(Value::as_array) {
            let chosen = options
                .iter()
                .find(|o| o.get("type") != Some(&json!("null")))
                .expect("a non-null alternative");
            let value = instance(defs, chosen, at, enums);
            if key == "oneOf" && value.as_object().is_some_and(|m| m.len() == 1) {
                enums.push(at.to_string());
            }
            return value;
        }
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return values[0].clone();
    }
    let ty = match node.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or(Value::Null),
        Some(t) => t.clone(),
        None => Value::Null,
    };
    match ty.as_str() {
        Some("object") => {
            let mut out = Map::new();
            if let Some(props) = node.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    out.insert(k.clone(), instance(defs, v, &format!("{at}/{k}"), enums));
                }
            }
            Value::Object(out)
        }
        Some("array") => match node.get("items") {
            Some(Value::Array(tuple)) => Value::Array(
                tuple
                    .iter()
                    .enumerate()
                    .map(|(i, item)| instance(defs, item, &format!("{at}/{i}"), enums))
                    .collect(),
            ),
            Some(item) => json!([instance(defs, item, &format!("{at}/0"), enums)]),
            None => json!([]),
        },
        Some("string") => json!("1"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("null") => Value::Null,
        _ => panic!("cannot build an instance of {node}"),
    }
}

/// JSON pointers of every object in `v` that a wallet writes (not the token-built `receive`
/// wrapper).
fn objects(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if at == "/receive" {
                return;
            }
            out.push(at.clone());
            for (k, child) in m {
                objects(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                objects(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every variant of a message schema (an enum has `oneOf`; a struct is its own single variant),
/// with the pointers of the enum values inside it.
fn variants(schema: &Value) -> Vec<(Value, Vec<String>)> {
    let defs = schema.get("definitions").cloned().unwrap_or(json!({}));
    let one = |node: &Value| {
        let mut enums = Vec::new();
        let v = instance(&defs, node, "", &mut enums);
        (v, enums)
    };
    match schema.get("oneOf").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .map(|v| {
                let (msg, mut enums) = one(v);
                if msg.is_object() {
                    enums.push(String::new());
                }
                (msg, enums)
            })
            .collect(),
        None => vec![one(schema)],
    }
}

fn load(path: &str) -> Value {
    let full = format!("{}/../schema/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}")))
        .unwrap()
}

#[test]
fn every_message_refuses_a_misspelled_field_naming_it() {
    let contracts = [
        "open-token",
        "datanet-registry",
        "reward-pool",
        "model-licensing",
        "agent-escrow",
    ];
    let mut checked_messages = 0;
    let mut checked_objects = 0;
    for contract in contracts {
        let api = load(&format!("{contract}/{contract}.json"));
        let mut sections: Vec<(&str, Value)> = Vec::new();
        for section in ["execute", "query", "instantiate", "migrate"] {
            // OPEN's instantiate is cw20-base's, sent once by the deployer.
            if contract == "open-token" && section == "instantiate" {
                continue;
            }
            if api[section].is_object() {
                sections.push((section, api[section].clone()));
            }
        }
        if contract != "open-token" {
            sections.push(("receive", load(&format!("{contract}/receive_msg.json"))));
        }
        for (section, schema) in sections {
            for (msg, enums) in variants(&schema) {
                let bytes = serde_json::to_vec(&msg).unwrap();
                if let Some(err) = parse(contract, section, &bytes) {
                    panic!(
                        "{contract} {section}: the complete message {msg} does not parse: {err}"
                    );
                }
                checked_messages += 1;
                let mut pointers = Vec::new();
                objects(&msg, String::new(), &mut pointers);
                for p in pointers {
                    let mut bad = msg.clone();
                    let target = if p.is_empty() {
                        &mut bad
                    } else {
                        bad.pointer_mut(&p).unwrap()
                    };
                    target
                        .as_object_mut()
                        .unwrap()
                        .insert(MISSPELLED.to_string(), json!(null));
                    let bytes = serde_json::to_vec(&bad).unwrap();
                    match parse(contract, section, &bytes) {
                        None => panic!(
                            "{contract} {section}: a misspelled field at '{p}' was accepted: {bad}"
                        ),
                        Some(err) => {
                            // An enum value is a one-key object: a second key is refused as a
                            // malformed variant rather than as a named field.
                            assert!(
                                enums.contains(&p) || err.contains(MISSPELLED),
                                "{contract} {section}: the error for '{p}' does not name the field: {err}"
                            );
                        }
                    }
                    checked_objects += 1;
                }
            }
        }
    }
    println!("strict messages: {checked_messages} messages, {checked_objects} objects refused");
    assert!(checked_messages > 150, "{checked_messages} messages");
}

/// The two messages the review misspelled, exactly.
#[test]
fn the_reviewed_misspellings_are_refused() {
    let err = parse(
        "reward-pool",
        "execute",
        br#"{"withdraw_treasury":{"amount":"100","recipent":"inj1xyz"}}"#,
    )
    .unwrap();
    assert!(err.contains("unknown field `recipent`"), "{err}");
    let err = parse("reward-pool", "execute", br#"{"claim":{"datanet_id":1}}"#).unwrap();
    assert!(err.contains("unknown field `datanet_id`"), "{err}");
    let err = parse(
        "open-token",
        "execute",
        br#"{"increase_allowance":{"spender":"inj1xyz","amount":"1","expire":{"never":{}}}}"#,
    )
    .unwrap();
    assert!(err.contains("unknown field `expire`"), "{err}");
    let err = parse(
        "reward-pool",
        "execute",
        br#"{"update_ownership":{"transfer_ownership":{"new_owner":"inj1xyz","expiri":{"never":{}}}}}"#,
    )
    .unwrap();
    assert!(err.contains("unknown field `expiri`"), "{err}");
}

/// The variants of the Rust message `T`, as serde lists them when it refuses an unknown one.
fn rust_variants<T: DeserializeOwned>() -> Vec<String> {
    let err = serde_json::from_str::<T>(r#"{"no_such_variant":{}}"#)
        .err()
        .expect("an unknown variant is refused")
        .to_string();
    let list = err
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no variant list in: {err}"));
    let mut names: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// The variant names a committed message schema lists.
fn schema_variant_names(schema: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for one in schema["oneOf"].as_array().into_iter().flatten() {
        for key in ["required", "enum"] {
            for name in one[key].as_array().into_iter().flatten() {
                names.push(name.as_str().unwrap_or_default().to_string());
            }
        }
    }
    names
}

/// The JSON of a message.
fn value<T: serde::Serialize>(msg: &T) -> Value {
    serde_json::to_value(msg).expect("a message serializes")
}

/// A new task with every optional field filled (evaluator and named arbiter included).
fn complete_task() -> escrow::NewTask {
    escrow::NewTask {
        agent: "agent".into(),
        spec_hash: "ab".repeat(32),
        spec_uri: "ipfs://spec".into(),
        milestones: vec![escrow::NewMilestone {
            amount: 1_000u128.into(),
            description: "all of it".into(),
        }],
        accept_window: 1,
        delivery_deadline: 2,
        review_window: 1,
        arbiter: Some("arbiter".into()),
        max_model_fees: 1u128.into(),
        min_bond_reserved: Some(1u128.into()),
        evaluator: Some("evaluator".into()),
        evaluation_window: Some(1),
        max_evaluation_fee: None,
        max_arbitration_fee: None,
    }
}

/// Every message of the escrow's workflows (delegation, evaluators, ratings, capabilities,
/// discovery), complete, by section.
fn workflow_messages() -> Vec<(&'static str, Value)> {
    let tags = || Some(vec!["code-review".to_string()]);
    let execute = [
        value(&escrow::ExecuteMsg::DelegateTask {
            task_id: 1,
            milestone: 0,
            task: complete_task(),
        }),
        value(&escrow::ExecuteMsg::EvaluateMilestone {
            task_id: 1,
            milestone: 0,
            result_hash: "ab".repeat(32),
            approve: true,
            reason_hash: "cd".repeat(32),
        }),
        value(&escrow::ExecuteMsg::Escalate {
            task_id: 1,
            milestone: 0,
        }),
        value(&escrow::ExecuteMsg::ResignOversight { task_id: 1 }),
        value(&escrow::ExecuteMsg::GiveFeedback {
            task_id: 1,
            subject: escrow::FeedbackSubject::Evaluator,
            rating: 100,
            tag: "on-time".into(),
        }),
        value(&escrow::ExecuteMsg::UpdateEvaluator {
            name: Some("judge".into()),
            metadata_uri: Some("ipfs://judge".into()),
            capabilities: tags(),
            fee: Some(1u128.into()),
        }),
        value(&escrow::ExecuteMsg::UnbondEvaluator {}),
        value(&escrow::ExecuteMsg::WithdrawEvaluatorBond {}),
        value(&escrow::ExecuteMsg::SubmitMilestone {
            task_id: 1,
            milestone: 0,
            result_hash: "ab".repeat(32),
            result_uri: "ipfs://result".into(),
            inferences: vec![],
            input_hash: Some("ef".repeat(32)),
        }),
        value(&escrow::ExecuteMsg::UpdateAgent {
            name: Some("agent".into()),
            metadata_uri: Some("ipfs://agent".into()),
            models: Some(vec![1]),
            capabilities: tags(),
        }),
    ];
    let receive = [
        value(&escrow::ReceiveMsg::RegisterAgent {
            name: "agent".into(),
            metadata_uri: "ipfs://agent".into(),
            models: vec![1],
            capabilities: tags(),
        }),
        value(&escrow::ReceiveMsg::RegisterEvaluator {
            name: "judge".into(),
            metadata_uri: "ipfs://judge".into(),
            capabilities: vec!["code-review".into()],
            fee: 1u128.into(),
        }),
        value(&escrow::ReceiveMsg::TopUpEvaluatorBond {}),
        value(&escrow::ReceiveMsg::CreateTask(complete_task())),
    ];
    let page = || (Some("inj1xyz".to_string()), Some(10));
    let query = [
        value(&escrow::QueryMsg::Evaluator {
            address: "judge".into(),
        }),
        value(&escrow::QueryMsg::Evaluators {
            start_after: page().0,
            limit: page().1,
        }),
        value(&escrow::QueryMsg::Reputation {
            address: "agent".into(),
        }),
        value(&escrow::QueryMsg::AgentsByCapability {
            capability: "code-review".into(),
            start_after: page().0,
            limit: page().1,
        }),
        value(&escrow::QueryMsg::EvaluatorsByCapability {
            capability: "code-review".into(),
            start_after: page().0,
            limit: page().1,
        }),
        value(&escrow::QueryMsg::Workflow {
            task_id: 1,
            start_after: Some(1),
            limit: Some(10),
        }),
        value(&escrow::QueryMsg::Feedback { task_id: 1 }),
    ];
    let mut all = Vec::new();
    all.extend(execute.into_iter().map(|v| ("execute", v)));
    all.extend(receive.into_iter().map(|v| ("receive", v)));
    all.extend(query.into_iter().map(|v| ("query", v)));
    all
}

/// The escrow's workflow messages are strict too, whether or not the committed schemas list
/// them yet: each is built complete from its Rust type, parses, and refuses a misspelled field
/// at every object it holds with an error naming the field. Every variant the escrow's Rust
/// types accept is covered either by the committed schemas (the test above) or here.
#[test]
fn the_workflow_messages_refuse_a_misspelled_field_naming_it() {
    let messages = workflow_messages();
    let mut checked = 0;
    for (section, msg) in &messages {
        let bytes = serde_json::to_vec(msg).unwrap();
        if let Some(err) = parse("agent-escrow", section, &bytes) {
            panic!("agent-escrow {section}: {msg} does not parse: {err}");
        }
        let mut pointers = Vec::new();
        objects(msg, String::new(), &mut pointers);
        for p in pointers {
            let mut bad = msg.clone();
            let target = if p.is_empty() {
                &mut bad
            } else {
                bad.pointer_mut(&p).unwrap()
            };
            target
                .as_object_mut()
                .unwrap()
                .insert(MISSPELLED.to_string(), json!(null));
            let err = parse("agent-escrow", section, &serde_json::to_vec(&bad).unwrap())
                .unwrap_or_else(|| panic!("agent-escrow {section}: accepted {bad}"));
            // The top level is the enum itself: a second key is a malformed variant.
            assert!(
                p.is_empty() || err.contains(MISSPELLED),
                "agent-escrow {section}: the error for '{p}' does not name the field: {err}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 2 * messages.len(), "{checked} objects");

    let api = load("agent-escrow/agent-escrow.json");
    for (section, rust) in [
        ("execute", rust_variants::<escrow::ExecuteMsg>()),
        ("receive", rust_variants::<escrow::ReceiveMsg>()),
        ("query", rust_variants::<escrow::QueryMsg>()),
    ] {
        let schema = match section {
            "receive" => load("agent-escrow/receive_msg.json"),
            _ => api[section].clone(),
        };
        let built: Vec<String> = messages
            .iter()
            .filter(|(s, _)| *s == section)
            .filter_map(|(_, m)| m.as_object().and_then(|o| o.keys().next().cloned()))
            .collect();
        assert!(
            built.iter().all(|v| rust.contains(v)),
            "agent-escrow {section}: {built:?} are not all among {rust:?}"
        );
        let mut covered = schema_variant_names(&schema);
        covered.extend(built);
        for variant in &rust {
            assert!(
                covered.contains(variant),
                "agent-escrow {section} `{variant}` is covered by no strictness test"
            );
        }
    }
}
