#!/usr/bin/env bash
# Regenerates the TypeScript client in ts/src from schema/ (ts/codegen.mjs: @cosmwasm/ts-codegen for
# each contract's types and clients, json-schema-to-typescript for the cw20 hook messages), then
# type-checks it and the README's examples with `tsc --noEmit`.
#
#   scripts/ts-client.sh          regenerate ts/src, then tsc
#   scripts/ts-client.sh --check  fail if ts/src differs from what schema/ generates, then tsc
#
# The tools are pinned in ts/package.json and ts/package-lock.json and installed project-locally
# into ts/node_modules with `npm ci` on first use, and again whenever either file changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "[ts-client] $*" >&2; }

mode="${1:-}"
case "$mode" in
  "" | --check) ;;
  *) echo "usage: scripts/ts-client.sh [--check]" >&2; exit 2 ;;
esac

for tool in node npm; do
  command -v "$tool" >/dev/null || { log "$tool is required (Node.js 18 or later with npm)"; exit 1; }
done

# Install on first use; skip when ts/node_modules was installed from this very package.json + lock.
lock_hash="$(cat ts/package.json ts/package-lock.json | sha256sum | cut -d' ' -f1)"
stamp="ts/node_modules/.lock-hash"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  log "installing the pinned tools into ts/node_modules (npm ci)"
  (cd ts && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node ts/codegen.mjs schema "$tmp/src"

if [ "$mode" = "--check" ]; then
  if ! diff -r "$tmp/src" ts/src >/dev/null 2>&1; then
    diff -r "$tmp/src" ts/src | head -40 >&2 || true
    log "ts/src is stale: run scripts/schema.sh (or scripts/ts-client.sh) and commit the result"
    exit 1
  fi
  log "ts/src is fresh"
else
  rm -rf ts/src
  cp -r "$tmp/src" ts/src
  log "wrote ts/src ($(find ts/src -name '*.ts' | wc -l) files)"
fi

ts/node_modules/.bin/tsc --noEmit -p ts
log "tsc --noEmit: ok"
