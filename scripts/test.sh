#!/usr/bin/env bash
# Runs every check: the house rules, formatting, lints, unit, integration and adversarial tests,
# property tests over random action sequences and fuzz targets (with their figures), the wasm
# build and its checks, schema and TypeScript client freshness (and tsc), the tests on a real
# local chain, the upgrade test, and faults and load on a real chain. This is what CI runs
# (.ci/run). When every check passed it rewrites docs/figures/test-run.md with the time of each
# step and the figures the steps printed.
#
# OPENLEDGER_HEAVY=1 runs the heavy variants: 4 096 property cases, twenty times the fuzz
# executions, larger adversarial batches and 3 000 inferences in the load run. Coverage and
# mutation testing run separately: scripts/quality.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
start=$(date +%s)
LOGS="$ROOT/target/test-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
steps=()

# run NAME DESCRIPTION COMMAND...: runs one step, its output shown and kept in $LOGS/NAME.log.
run() {
  local name="$1" what="$2"; shift 2
  local t rc=0
  t=$(date +%s)
  echo "==> [$(( t - start ))s] $what" >&2
  { "$@" 2>&1; } | tee "$LOGS/$name.log" || rc=$?
  [ "$rc" -eq 0 ] || { echo "==> $what: FAILED (exit $rc)" >&2; exit "$rc"; }
  steps+=("| $what | $(( $(date +%s) - t )) s |")
}

# The property and fuzz tests print their figures; the whole output is shown only on failure.
props() {
  local rc=0
  cargo test --locked -p openledger-tests --test properties --test fuzz_messages -- --nocapture \
    >"$LOGS/properties-full.log" 2>&1 || rc=$?
  grep -E '^(properties:|fuzz:|fuzz target|test result)' "$LOGS/properties-full.log" || true
  [ "$rc" -eq 0 ] || { cat "$LOGS/properties-full.log"; echo "property or fuzz tests failed"; }
  return "$rc"
}

run house "house rules: file and function sizes, no Python, no jq" scripts/house.sh
run fmt "cargo fmt --check" cargo fmt --all -- --check
run clippy "cargo clippy --all-targets -D warnings" cargo clippy --locked --all-targets -- -D warnings
run tests "cargo test: unit, cross-contract, attack tests and the story on cw-multi-test" \
  cargo test --locked -- --skip random_action_sequences --skip every_message_boundary
run properties "property tests (random action sequences) and fuzz targets, with their figures" props
run build "wasm build, cosmwasm-check, size limits" scripts/build.sh
run schema "schema freshness" scripts/schema.sh --check
run ts "TypeScript client freshness and tsc" scripts/ts-client.sh --check
run chain "real chain: deploy, idempotent re-deploy, flows, the story with every path, failure cases" \
  scripts/test-chain.sh
run upgrade "upgrade on a real chain: baseline 1a508d2 (0.2.0) → current, state and balances survive" \
  scripts/test-upgrade.sh
run faults "faults on a real chain: SIGKILL during deploy and story, 1 000 paid inferences from 5 payers" \
  scripts/test-faults.sh
total=$(( $(date +%s) - start ))
echo "==> [${total}s] all checks passed" >&2

# The figures page: what this run measured.
figures() { grep -h -E "$1" "$LOGS/$2.log" | sed -E 's/\x1b\[[0-9;]*m//g; s/^/    /' || true; }
mkdir -p docs/figures
{
  echo "# The last full run of the test command"
  echo
  echo "Written by \`scripts/test.sh\` when every check passed (do not edit by hand)."
  echo
  echo "- commit: \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet 2>/dev/null || echo ' with uncommitted changes')"
  echo "- machine: $(nproc) cores; heavy variants: ${OPENLEDGER_HEAVY:-0}; CI: ${CI:-false}"
  echo "- total: $(( total / 60 )) min $(( total % 60 )) s"
  echo
  echo "| step | time |"
  echo "|---|---:|"
  printf '%s\n' "${steps[@]}"
  echo
  echo "Figures the steps printed:"
  echo
  echo "- tests (per test binary that holds any):"
  sed -E 's/\x1b\[[0-9;]*m//g' "$LOGS/tests.log" | awk '
    /^ *Running / { name = $2; if (name == "unittests") { name = $NF; sub(/.*deps\//, "", name); sub(/-[0-9a-f]+\)$/, "", name); name = name " (unit tests)" } }
    /^ *Doc-tests / { name = "doc-tests of " $2 }
    /^test result/ { if ($4 + $6 > 0) printf "    %s: %d passed, %d failed\n", name, $4, $6; p += $4; f += $6 }
    END { printf "    in all: %d passed, %d failed\n", p, f }' 
  echo "- properties and fuzzing:"
  figures '^(properties:|fuzz:)' properties
  echo "- real chain:"
  figures '\[chain-test\] [0-9]+ passed' chain
  echo "- upgrade:"
  figures '\[upgrade-test\] [0-9]+ passed' upgrade
  echo "- faults and load:"
  figures '(\[load\] inferences|passed, 0 failed)' faults
} > docs/figures/test-run.md
echo "figures written to docs/figures/test-run.md" >&2
