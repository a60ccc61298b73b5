#!/usr/bin/env bash
# Runs every check: formatting, lints, unit, integration and adversarial tests, property tests
# over random action sequences and fuzz targets (with their figures), the wasm build and its
# checks, schema and TypeScript client freshness (and tsc), the tests on a real local chain, the
# upgrade test, and faults and load on a real chain. This is what CI runs (.ci/run).
#
# OPENLEDGER_HEAVY=1 runs the heavy variants: 4 096 property cases, twenty times the fuzz
# executions, larger adversarial batches and 3 000 inferences in the load run. Coverage and
# mutation testing run separately: scripts/quality.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
start=$(date +%s)
step() { echo "==> [$(( $(date +%s) - start ))s] $*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy --all-targets -D warnings"
cargo clippy --locked --all-targets -- -D warnings
step "cargo test: unit, cross-contract and adversarial tests"
cargo test --locked -- --skip random_action_sequences --skip every_message_boundary
step "property tests (random action sequences) and fuzz targets, with their figures"
log="$(mktemp)"
rc=0
cargo test --locked -p openledger-tests --test properties --test fuzz_messages -- --nocapture \
  >"$log" 2>&1 || rc=$?
grep -E '^(properties:|fuzz:|fuzz target|test result)' "$log" || true
if [ "$rc" -ne 0 ]; then cat "$log"; rm -f "$log"; echo "property or fuzz tests failed" >&2; exit 1; fi
rm -f "$log"
step "wasm build, cosmwasm-check, size limits"
scripts/build.sh
step "schema freshness"
scripts/schema.sh --check
step "TypeScript client freshness and tsc"
scripts/ts-client.sh --check
step "real chain: deploy, idempotent re-deploy, flows, failure cases"
scripts/test-chain.sh
step "upgrade on a real chain: baseline 1a508d2 (0.2.0) → current, state and balances survive"
scripts/test-upgrade.sh
step "faults on a real chain: SIGKILL during deploy and story, 1 000 paid inferences from 5 payers"
scripts/test-faults.sh
step "all checks passed"
