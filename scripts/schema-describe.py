#!/usr/bin/env python3
"""Fills in the descriptions that third-party types lack in generated schemas.

    scripts/schema-describe.py SCHEMA_DIR [TABLE]

SCHEMA_DIR holds one folder per contract, as scripts/schema.sh writes it (<contract>.json, the
cosmwasm-schema IDL; raw/*.json; receive_msg.json). TABLE defaults to scripts/schema-descriptions.json:

    {scope: {type: {"properties": {prop: text}} | {"variants": {variant: {prop: text}}}}}

where scope is "*" (every contract) or a contract folder name, and type is a definition name or the
title of a root schema (each raw file, each message and response inside the IDL, receive_msg.json).
Only missing descriptions are filled, so our own `///` docs and any docs upstream adds always win.
An entry that matches no schema anywhere (a renamed type, variant or property) is an error, so the
table cannot silently go stale. Files are rewritten only when they change, in the same layout
cosmwasm-schema writes (2-space indented JSON, key order kept), so regeneration is deterministic.
"""

import json
import sys
from pathlib import Path


def fail(message):
    print(f"[schema-describe] error: {message}", file=sys.stderr)
    sys.exit(1)


def described(prop):
    return isinstance(prop.get("description"), str) and prop["description"].strip() != ""


def with_description(prop, text):
    """The property with `text` as its description, placed first as schemars does.

    A bare `$ref` becomes `allOf: [$ref]` (again as schemars does), since draft-07 ignores the
    siblings of `$ref`."""
    rest = dict(prop)
    if set(rest) == {"$ref"}:
        rest = {"allOf": [{"$ref": rest["$ref"]}]}
    return {"description": text, **rest}


def fill(obj, texts, where, used, key):
    """Fills the described properties of the object schema `obj` from `texts` ({prop: text})."""
    props = obj.get("properties")
    if not isinstance(props, dict):
        fail(f"{where}: has no properties, but the table describes {sorted(texts)}")
    changed = False
    for name, text in texts.items():
        if name not in props:
            fail(f"{where}: has no property `{name}` (properties: {sorted(props)}); update the table")
        used.add(key + (name,))
        if not described(props[name]):
            props[name] = with_description(props[name], text)
            changed = True
    return changed


def variant_payload(schema, variant, where):
    """The inline object schema of the struct variant `variant` of the enum `schema`."""
    for alternative in schema.get("oneOf", []) + schema.get("anyOf", []):
        props = alternative.get("properties")
        if isinstance(props, dict) and list(props) == [variant]:
            payload = props[variant]
            if "$ref" in payload or "allOf" in payload:
                fail(f"{where}: variant `{variant}` refers to a definition; describe that definition instead")
            return payload
    fail(f"{where}: has no variant `{variant}`; update the table")
    return None


def apply_type(schema, name, table_entries, where, used):
    changed = False
    for scope, entry in table_entries:
        key = (scope, name)
        used.add(key)
        if "properties" in entry:
            changed |= fill(schema, entry["properties"], where, used, key + ("properties",))
        for variant, texts in entry.get("variants", {}).items():
            payload = variant_payload(schema, variant, where)
            changed |= fill(payload, texts, f"{where} variant `{variant}`", used, key + ("variants", variant))
    return changed


def apply_root(root, entries_for, where, used):
    """Applies the table to a root schema (by title) and to its definitions (by name)."""
    changed = False
    title = root.get("title")
    if isinstance(title, str) and entries_for(title):
        changed |= apply_type(root, title, entries_for(title), f"{where} (root `{title}`)", used)
    for name, definition in (root.get("definitions") or {}).items():
        if entries_for(name):
            changed |= apply_type(definition, name, entries_for(name), f"{where} #/definitions/{name}", used)
    return changed


def roots_of(document):
    """The root schemas inside a schema file: the IDL's messages and responses, or the file itself."""
    if "idl_version" in document:
        roots = [(key, document[key]) for key in ("instantiate", "execute", "query", "migrate", "sudo")
                 if isinstance(document.get(key), dict)]
        for query, response in (document.get("responses") or {}).items():
            roots.append((f"responses.{query}", response))
        return roots
    return [("", document)]


def table_keys(table):
    """Every (scope, type[, kind[, variant], prop]) the table names, to find the unused ones."""
    keys = set()
    for scope, types in table.items():
        if scope.startswith("//"):
            continue
        for name, entry in types.items():
            keys.add((scope, name))
            for prop in entry.get("properties", {}):
                keys.add((scope, name, "properties", prop))
            for variant, texts in entry.get("variants", {}).items():
                for prop in texts:
                    keys.add((scope, name, "variants", variant, prop))
            unknown = set(entry) - {"properties", "variants"}
            if unknown:
                fail(f"table entry {scope}/{name}: unknown keys {sorted(unknown)}")
    return keys


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: schema-describe.py SCHEMA_DIR [TABLE]")
    schema_dir = Path(sys.argv[1])
    table_path = Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).with_name("schema-descriptions.json")
    table = json.loads(table_path.read_text(encoding="utf-8"))
    wanted = table_keys(table)
    used = set()
    rewritten = 0

    for contract_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
        contract = contract_dir.name

        def entries_for(name, contract=contract):
            return [(scope, table[scope][name]) for scope in ("*", contract)
                    if name in table.get(scope, {})]

        for path in sorted(contract_dir.rglob("*.json")):
            text = path.read_text(encoding="utf-8")
            document = json.loads(text)
            changed = False
            for label, root in roots_of(document):
                where = f"{path.relative_to(schema_dir)}" + (f" {label}" if label else "")
                changed |= apply_root(root, entries_for, where, used)
            if changed:
                out = json.dumps(document, indent=2, ensure_ascii=False)
                if text.endswith("\n"):
                    out += "\n"
                path.write_text(out, encoding="utf-8")
                rewritten += 1

    stale = sorted(wanted - used)
    if stale:
        fail("table entries that match no schema (remove or fix them in "
             f"{table_path.name}): " + ", ".join("/".join(k) for k in stale))
    print(f"[schema-describe] filled third-party descriptions in {rewritten} files", file=sys.stderr)


if __name__ == "__main__":
    main()
