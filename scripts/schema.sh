#!/usr/bin/env bash
# Regenerates schema/: one folder per contract with its API (instantiate, execute, query,
# migrate, responses) and the schema of every hook message that travels inside a cw20 `send`.
#
#   scripts/schema.sh          regenerate schema/ (and the TypeScript client in ts/src)
#   scripts/schema.sh --check  fail if schema/ differs from what the code generates
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "[schema] $*" >&2; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for dir in contracts/*/; do
  c="$(basename "$dir")"
  mkdir -p "$out/$c"
  cargo build -q --locked -p "$c" --bin schema
  (cd "$out/$c" && "$ROOT/target/debug/schema" >/dev/null)
  # write_api writes into ./schema of its working directory.
  mv "$out/$c/schema/"* "$out/$c/" && rmdir "$out/$c/schema"
done

# Third-party types (cw20, cw20-base, cw-ownable) have undocumented fields: fill in their
# descriptions from scripts/schema-descriptions.json (in --check mode too, so schema/ stays fresh).
cargo build -q --locked -p openledger-cli
"$ROOT/target/debug/openledger" schema-describe "$out" scripts/schema-descriptions.json

if [ "${1:-}" = "--check" ]; then
  if ! diff -r "$out" schema >/dev/null 2>&1; then
    diff -r "$out" schema | head -40 >&2 || true
    log "schema/ is stale: run scripts/schema.sh and commit the result"
    exit 1
  fi
  log "schema/ is fresh"
else
  rm -rf schema
  cp -r "$out" schema
  log "wrote schema/ ($(find schema -name '*.json' | wc -l) files)"
  # The TypeScript client is generated from schema/: regenerate it too, so they never drift.
  scripts/ts-client.sh
fi
