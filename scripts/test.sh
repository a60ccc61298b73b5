#!/usr/bin/env bash
# Runs every check: formatting, lints, unit and integration tests, the wasm build and its checks,
# schema and TypeScript client freshness (and tsc), and the tests on a real local chain. This is
# what CI runs (.ci/run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
start=$(date +%s)
step() { echo "==> [$(( $(date +%s) - start ))s] $*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy --all-targets -D warnings"
cargo clippy --locked --all-targets -- -D warnings
step "cargo test"
cargo test --locked
step "wasm build, cosmwasm-check, size limits"
scripts/build.sh
step "schema freshness"
scripts/schema.sh --check
step "TypeScript client freshness and tsc"
scripts/ts-client.sh --check
step "real chain: deploy, idempotent re-deploy, flows, failure cases"
scripts/test-chain.sh
step "upgrade on a real chain: baseline d922747 → current, state and balances survive"
scripts/test-upgrade.sh
step "all checks passed"
