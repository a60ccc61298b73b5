//! `openledger schema-describe SCHEMA_DIR [TABLE]`: fills in the descriptions that third-party
//! types lack in generated schemas.
//!
//! SCHEMA_DIR holds one folder per contract, as `scripts/schema.sh` writes it (`<contract>.json`,
//! the cosmwasm-schema IDL; `raw/*.json`; `receive_msg.json`). TABLE defaults to
//! `scripts/schema-descriptions.json`:
//!
//! ```text
//! {scope: {type: {"properties": {prop: text}} | {"variants": {variant: {prop: text}}}}}
//! ```
//!
//! where scope is `*` (every contract) or a contract folder name, and type is a definition name
//! or the title of a root schema (each raw file, each message and response inside the IDL,
//! `receive_msg.json`). Only missing descriptions are filled, so our own `///` docs and any docs
//! upstream adds always win. An entry that matches no schema anywhere (a renamed type, variant
//! or property) is an error, so the table cannot silently go stale. Files are rewritten only
//! when they change, in the layout cosmwasm-schema writes (2-space indented JSON, key order
//! kept), so regeneration is deterministic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, ensure, Context, Result};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The arguments of `openledger schema-describe`.
#[derive(clap::Args, Debug)]
pub struct DescribeArgs {
    /// The generated schemas: one folder per contract.
    schema_dir: PathBuf,
    /// The table of descriptions (default: scripts/schema-descriptions.json).
    table: Option<PathBuf>,
}

/// A JSON value whose objects keep their key order, so a rewritten schema differs from the
/// generated one only where a description was added.
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Scalar(serde_json::Value),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(m) => m.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Scalar(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Json)] {
        match self {
            Json::Object(m) => m,
            _ => &[],
        }
    }

    fn keys(&self) -> Vec<&str> {
        self.entries().iter().map(|(k, _)| k.as_str()).collect()
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> std::result::Result<Json, E> {
                Ok(Json::Scalar(serde_json::Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = a.next_element()? {
                    out.push(v);
                }
                Ok(Json::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> std::result::Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(kv) = a.next_entry()? {
                    out.push(kv);
                }
                Ok(Json::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Json::Scalar(v) => v.serialize(s),
            Json::Array(a) => a.serialize(s),
            Json::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A table entry's key: scope, type, and then `properties`/`variants`, variant, property.
type Key = Vec<String>;

fn key(parts: &[&str]) -> Key {
    parts.iter().map(|s| s.to_string()).collect()
}

fn described(prop: &Json) -> bool {
    prop.get("description")
        .and_then(Json::as_str)
        .is_some_and(|d| !d.trim().is_empty())
}

/// The property with `text` as its description, placed first as schemars does. A bare `$ref`
/// becomes `allOf: [$ref]` (again as schemars does), since draft-07 ignores its siblings.
fn with_description(prop: &Json, text: &str) -> Json {
    let mut rest = prop.entries().to_vec();
    if prop.keys() == ["$ref"] {
        rest = vec![("allOf".into(), Json::Array(vec![prop.clone()]))];
    }
    rest.insert(0, ("description".into(), Json::Scalar(text.into())));
    Json::Object(rest)
}

/// Fills the properties of the object schema `obj` named in `texts` ({prop: text}).
fn fill(obj: &mut Json, texts: &Json, at: &str, used: &mut BTreeSet<Key>, k: &Key) -> Result<bool> {
    let Some(Json::Object(props)) = obj.get_mut("properties") else {
        bail!(
            "{at}: has no properties, but the table describes {:?}",
            texts.keys()
        );
    };
    let mut changed = false;
    for (name, text) in texts.entries() {
        let names: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        let Some(i) = props.iter().position(|(p, _)| p == name) else {
            bail!("{at}: has no property `{name}` (properties: {names:?}); update the table");
        };
        used.insert([k.clone(), vec![name.clone()]].concat());
        if !described(&props[i].1) {
            props[i].1 = with_description(&props[i].1, text.as_str().unwrap_or_default());
            changed = true;
        }
    }
    Ok(changed)
}

/// The inline object schema of the struct variant `variant` of the enum `schema`.
fn variant_payload<'a>(schema: &'a mut Json, variant: &str, at: &str) -> Result<&'a mut Json> {
    let is_variant = |alt: &Json| alt.get("properties").is_some_and(|p| p.keys() == [variant]);
    let list = ["oneOf", "anyOf"]
        .into_iter()
        .find(|list| match schema.get(list) {
            Some(Json::Array(alts)) => alts.iter().any(is_variant),
            _ => false,
        });
    let alternatives = match list.and_then(|l| schema.get_mut(l)) {
        Some(Json::Array(alts)) => alts,
        _ => bail!("{at}: has no variant `{variant}`; update the table"),
    };
    let payload = alternatives
        .iter_mut()
        .find(|alt| is_variant(alt))
        .and_then(|alt| alt.get_mut("properties"))
        .and_then(|p| p.get_mut(variant))
        .context("variant vanished")?;
    ensure!(
        payload.get("$ref").is_none() && payload.get("allOf").is_none(),
        "{at}: variant `{variant}` refers to a definition; describe that definition instead"
    );
    Ok(payload)
}

/// Applies the table's entries for the type `name` to `schema`.
fn apply_type(
    schema: &mut Json,
    name: &str,
    entries: &[(String, Json)],
    at: &str,
    used: &mut BTreeSet<Key>,
) -> Result<bool> {
    let mut changed = false;
    for (scope, entry) in entries {
        used.insert(key(&[scope, name]));
        if let Some(texts) = entry.get("properties") {
            changed |= fill(schema, texts, at, used, &key(&[scope, name, "properties"]))?;
        }
        for (variant, texts) in entry.get("variants").map(Json::entries).unwrap_or_default() {
            let payload = variant_payload(schema, variant, at)?;
            let k = key(&[scope, name, "variants", variant]);
            changed |= fill(
                payload,
                texts,
                &format!("{at} variant `{variant}`"),
                used,
                &k,
            )?;
        }
    }
    Ok(changed)
}

/// The entries of the table for type `name` in `contract`: scope `*`, then the contract's.
fn entries_for(table: &Json, contract: &str, name: &str) -> Vec<(String, Json)> {
    ["*", contract]
        .iter()
        .filter_map(|scope| Some((scope.to_string(), table.get(scope)?.get(name)?.clone())))
        .collect()
}

/// Applies the table to a root schema (by title) and to its definitions (by name).
fn apply_root(
    root: &mut Json,
    table: &Json,
    contract: &str,
    at: &str,
    used: &mut BTreeSet<Key>,
) -> Result<bool> {
    let mut changed = false;
    if let Some(title) = root.get("title").and_then(Json::as_str).map(str::to_string) {
        let entries = entries_for(table, contract, &title);
        if !entries.is_empty() {
            changed |= apply_type(
                root,
                &title,
                &entries,
                &format!("{at} (root `{title}`)"),
                used,
            )?;
        }
    }
    if let Some(Json::Object(defs)) = root.get_mut("definitions") {
        for (name, definition) in defs.iter_mut() {
            let entries = entries_for(table, contract, name);
            if !entries.is_empty() {
                let at = format!("{at} #/definitions/{name}");
                changed |= apply_type(definition, name, &entries, &at, used)?;
            }
        }
    }
    Ok(changed)
}

/// Applies the table to every root schema of a document: the IDL's messages and responses, or
/// the file itself.
fn apply_document(
    doc: &mut Json,
    table: &Json,
    contract: &str,
    at: &str,
    used: &mut BTreeSet<Key>,
) -> Result<bool> {
    if doc.get("idl_version").is_none() {
        return apply_root(doc, table, contract, at, used);
    }
    let mut changed = false;
    for (label, root) in doc.entries().to_vec() {
        let is_msg =
            ["instantiate", "execute", "query", "migrate", "sudo"].contains(&label.as_str());
        if is_msg && matches!(root, Json::Object(_)) {
            let root = doc.get_mut(&label).context("root vanished")?;
            changed |= apply_root(root, table, contract, &format!("{at} {label}"), used)?;
        }
    }
    if let Some(Json::Object(responses)) = doc.get_mut("responses") {
        for (query, response) in responses.iter_mut() {
            let at = format!("{at} responses.{query}");
            changed |= apply_root(response, table, contract, &at, used)?;
        }
    }
    Ok(changed)
}

/// Every key the table names, to find the unused ones.
fn table_keys(table: &Json) -> Result<BTreeSet<Key>> {
    let mut keys = BTreeSet::new();
    for (scope, types) in table.entries().iter().filter(|(s, _)| !s.starts_with("//")) {
        for (name, entry) in types.entries() {
            keys.insert(key(&[scope, name]));
            let props = entry
                .get("properties")
                .map(Json::entries)
                .unwrap_or_default();
            for (prop, _) in props {
                keys.insert(key(&[scope, name, "properties", prop]));
            }
            for (variant, texts) in entry.get("variants").map(Json::entries).unwrap_or_default() {
                for (prop, _) in texts.entries() {
                    keys.insert(key(&[scope, name, "variants", variant, prop]));
                }
            }
            let unknown: Vec<&str> = entry
                .keys()
                .into_iter()
                .filter(|k| !["properties", "variants"].contains(k))
                .collect();
            ensure!(
                unknown.is_empty(),
                "table entry {scope}/{name}: unknown keys {unknown:?}"
            );
        }
    }
    Ok(keys)
}

/// The `.json` files under `dir`, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(json_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Rewrites one schema file if the table fills anything in it; true if it did.
fn describe_file(
    path: &Path,
    dir: &Path,
    table: &Json,
    contract: &str,
    used: &mut BTreeSet<Key>,
) -> Result<bool> {
    let text = std::fs::read_to_string(path)?;
    let mut doc: Json =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let at = path.strip_prefix(dir).unwrap_or(path).display().to_string();
    if !apply_document(&mut doc, table, contract, &at, used)? {
        return Ok(false);
    }
    let mut out = serde_json::to_string_pretty(&doc)?;
    if text.ends_with('\n') {
        out.push('\n');
    }
    std::fs::write(path, out)?;
    Ok(true)
}

/// `openledger schema-describe`.
pub fn run(a: &DescribeArgs) -> Result<()> {
    let table_path = a
        .table
        .clone()
        .unwrap_or_else(|| crate::repo_root().join("scripts/schema-descriptions.json"));
    let table: Json = serde_json::from_str(&std::fs::read_to_string(&table_path)?)
        .with_context(|| format!("{} is not JSON", table_path.display()))?;
    let wanted = table_keys(&table)?;
    let mut used = BTreeSet::new();
    let mut rewritten = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&a.schema_dir)?
        .map(|e| Ok(e?.path()))
        .collect::<Result<Vec<_>>>()?;
    dirs.retain(|p| p.is_dir());
    dirs.sort();
    for dir in dirs {
        let contract = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for path in json_files(&dir)? {
            if describe_file(&path, &a.schema_dir, &table, &contract, &mut used)? {
                rewritten += 1;
            }
        }
    }
    let stale: Vec<String> = wanted.difference(&used).map(|k| k.join("/")).collect();
    let name = table_path.file_name().unwrap_or_default().to_string_lossy();
    ensure!(
        stale.is_empty(),
        "table entries that match no schema (remove or fix them in {name}): {}",
        stale.join(", ")
    );
    eprintln!("[schema-describe] filled third-party descriptions in {rewritten} files");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_numbers_survive_a_round_trip() {
        let text = "{\n  \"z\": 0.0,\n  \"a\": [\n    1,\n    \"é\\n\"\n  ],\n  \"m\": {}\n}";
        let v: Json = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string_pretty(&v).unwrap(), text);
    }

    #[test]
    fn a_bare_ref_gets_all_of_and_the_description_first() {
        let prop: Json = serde_json::from_str(r##"{"$ref": "#/definitions/Uint128"}"##).unwrap();
        let out = serde_json::to_string(&with_description(&prop, "d")).unwrap();
        assert_eq!(
            out,
            r##"{"description":"d","allOf":[{"$ref":"#/definitions/Uint128"}]}"##
        );
    }
}
