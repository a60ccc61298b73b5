#!/usr/bin/env bash
# Tests on a real chain: a throw-away local chain (own home, own ports) is started, the suite is
# deployed, a re-deploy must change nothing, the flows run with their balances asserted, and
# the bad situations must each fail with one clear line and change nothing. The chain is stopped
# and its home removed however the script ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/openledger-chain-test.XXXXXX")"
export CHAIN_HOME="$WORK/chain" CHAIN_ID="openledger-test-1" CHAIN_RPC_PORT="${TEST_CHAIN_RPC_PORT:-46657}"
export DEPLOY_DIR="$WORK/deployments" OPENLEDGER_REPO="$ROOT"
HTTP_PID=""
cleanup() {
  local rc=$?
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null || true
  scripts/chain.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

log() { echo "[chain-test] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
passed=0

# expect_fail "what" "expected text" command...: the command must exit non-zero and print the
# expected text on exactly one error line.
expect_fail() {
  local what="$1" expected="$2"; shift 2
  local out rc=0
  out="$("$@" 2>&1 >/dev/null)" || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: succeeded, expected a failure"
  local errors
  errors="$(grep -cE '^(error:|\[chain\] )' <<<"$out" || true)"
  grep -qF -- "$expected" <<<"$out" || fail "$what: expected '$expected' in: $out"
  [ "$(grep -E '^error:' <<<"$out" | wc -l)" -le 1 ] || fail "$what: more than one error line: $out"
  log "ok: $what -> $(grep -F -- "$expected" <<<"$out" | head -1)"
  passed=$((passed + 1))
  : "$errors"
}

cargo build -q --locked -p openledger-cli
CLI="$ROOT/target/debug/openledger"

log "bad situations before the chain exists"
expect_fail "chain binary missing" "chain binary not found: /nonexistent/injectived" \
  env CHAIN_BIN=/nonexistent/injectived scripts/chain.sh start
[ ! -e "$CHAIN_HOME" ] || fail "a failed start created $CHAIN_HOME"

"$CLI" hold-port "$CHAIN_RPC_PORT" >/dev/null 2>&1 &
HTTP_PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$CHAIN_RPC_PORT") 2>/dev/null && break; sleep 0.1; done
expect_fail "port in use" "port $CHAIN_RPC_PORT (RPC) is already in use" scripts/chain.sh start
[ ! -e "$CHAIN_HOME" ] || fail "a start refused for a busy port created $CHAIN_HOME"
kill "$HTTP_PID"; wait "$HTTP_PID" 2>/dev/null || true; HTTP_PID=""

log "starting a throw-away chain on port $CHAIN_RPC_PORT"
scripts/chain.sh start
eval "$(scripts/chain.sh env)"
export CHAIN_BIN CHAIN_HOME CHAIN_ID CHAIN_NODE
MANIFEST="$DEPLOY_DIR/$CHAIN_ID.json"

log "bad situations against the chain"
expect_fail "deploy against a stopped chain" "is not reachable" \
  env CHAIN_NODE="tcp://127.0.0.1:$((CHAIN_RPC_PORT + 7))" "$CLI" deploy
expect_fail "missing key" "key 'nobody' not found" env DEPLOYER_KEY=nobody "$CLI" deploy
[ ! -e "$MANIFEST" ] || fail "a failed deploy wrote $MANIFEST"

# An artifact built without the bulk-memory lowering: the chain's VM refuses it.
mkdir -p "$WORK/raw-artifacts"
cp target/wasm32-unknown-unknown/release/open_token.wasm "$WORK/raw-artifacts/open_token.wasm"
expect_fail "artifact the chain rejects" "the chain rejected" \
  env ARTIFACTS_DIR="$WORK/raw-artifacts" "$CLI" deploy
if [ -e "$MANIFEST" ] && grep -q '"code_id": [0-9]' "$MANIFEST"; then
  fail "a rejected artifact was recorded as stored: $(cat "$MANIFEST")"
fi

log "deploy, then re-deploy: the second run must upload and instantiate nothing"
"$CLI" deploy
"$CLI" deploy --expect-unchanged
passed=$((passed + 2))

log "OPEN transfer round trip"
"$CLI" smoke
passed=$((passed + 1))

log "datanet flow: create, contribute with bond, accept, distribute, claim"
"$CLI" flow-datanet
passed=$((passed + 1))

log "influence flow: attested roots of 2^4 and 2^20 leaves, challenge window, proof claims, gas"
ATTRIBUTION_TREE_BIN="$ROOT/scripts/attribution-tree.sh" "$CLI" flow-influence
passed=$((passed + 1))

log "model flow: register on a published version, pay a signed inference and a batch of 50"
"$CLI" flow-model
passed=$((passed + 1))

log "escrow flow: two-milestone task with model fees, approval, dispute and ruling"
"$CLI" flow-escrow
passed=$((passed + 1))

log "story: the whole coordination story with every balance asserted"
ATTRIBUTION_TREE_BIN="$ROOT/scripts/attribution-tree.sh" "$CLI" story
passed=$((passed + 1))

log "$passed passed, 0 failed"
