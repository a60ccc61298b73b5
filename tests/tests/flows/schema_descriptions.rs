//! Every property of every JSON schema that integrators read in `schema/` carries a description.
//!
//! Walks `schema/*/raw/*.json` (the API of each contract: instantiate, execute, query, migrate and
//! every query response) and `schema/*/receive_msg.json` (the cw20 hook message of a contract), and
//! requires a `description` on each property of each object that has `properties`.
//!
//! The one exception is the single property of an externally tagged enum variant
//! (`{"description": …, "properties": {"variant": …}, "additionalProperties": false}`): the
//! variant's description sits on the object, and the property only carries the variant's payload.
//!
//! Our own types get their descriptions from `///` docs. Third-party types that we expose
//! (cw20-base's messages and responses, `Cw20ReceiveMsg`, cw-ownable's `Action`, …) get theirs
//! from `scripts/schema-descriptions.json`, applied by `scripts/schema.sh`.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The schema files under `schema/` that this test covers, sorted.
fn schema_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut contracts: Vec<PathBuf> = fs::read_dir(root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    contracts.sort();
    for contract in contracts {
        let raw = contract.join("raw");
        if raw.is_dir() {
            let mut raws: Vec<PathBuf> = fs::read_dir(&raw)
                .unwrap_or_else(|e| panic!("reading {}: {e}", raw.display()))
                .map(|entry| entry.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
                .collect();
            raws.sort();
            files.extend(raws);
        }
        let hook = contract.join("receive_msg.json");
        if hook.is_file() {
            files.push(hook);
        }
    }
    files
}

/// Escapes one JSON Pointer token (RFC 6901).
fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// An externally tagged enum variant with data: `{"description", "properties": {one}, "additionalProperties": false}`.
fn is_described_variant(object: &serde_json::Map<String, Value>) -> bool {
    object.contains_key("description")
        && object.get("additionalProperties") == Some(&Value::Bool(false))
        && object
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|props| props.len() == 1)
}

/// Collects the JSON Pointer of every property without a description, anywhere under `value`.
fn undescribed(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(props)) = object.get("properties") {
                if !is_described_variant(object) {
                    for (name, prop) in props {
                        let described = prop
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.trim().is_empty());
                        if !described {
                            out.push(format!("{path}/properties/{}", pointer_token(name)));
                        }
                    }
                }
            }
            for (key, child) in object {
                undescribed(child, &format!("{path}/{}", pointer_token(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                undescribed(child, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_schema_property_has_a_description() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let files = schema_files(&root);
    assert!(
        files.len() >= 4,
        "expected the schemas of every contract under {}, found {} files",
        root.display(),
        files.len()
    );

    let mut offenders = Vec::new();
    for file in &files {
        let text =
            fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()));
        let mut missing = Vec::new();
        undescribed(&json, "", &mut missing);
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        offenders.extend(missing.into_iter().map(|p| format!("schema/{shown}: {p}")));
    }

    assert!(
        offenders.is_empty(),
        "{} schema properties lack a description (add `///` docs to our types, or an entry in \
         scripts/schema-descriptions.json for a third-party type, then run scripts/schema.sh):\n  {}",
        offenders.len(),
        offenders.join("\n  ")
    );
}

#[test]
fn the_walker_flags_undescribed_properties_and_allows_described_variants() {
    let schema: Value = serde_json::json!({
        "oneOf": [
            {
                "description": "A documented variant: its single property needs no description.",
                "type": "object",
                "required": ["transfer"],
                "properties": { "transfer": { "$ref": "#/definitions/Transfer" } },
                "additionalProperties": false
            },
            {
                "type": "object",
                "required": ["burn"],
                "properties": { "burn": { "type": "object" } },
                "additionalProperties": false
            }
        ],
        "definitions": {
            "Transfer": {
                "type": "object",
                "properties": {
                    "amount": { "description": "How much.", "type": "string" },
                    "a/b": { "type": "string" },
                    "memo": { "description": " ", "type": "string" }
                }
            }
        }
    });
    let mut out = Vec::new();
    undescribed(&schema, "", &mut out);
    out.sort();
    assert_eq!(
        out,
        vec![
            "/definitions/Transfer/properties/a~1b".to_string(),
            "/definitions/Transfer/properties/memo".to_string(),
            "/oneOf/1/properties/burn".to_string(),
        ]
    );
}
