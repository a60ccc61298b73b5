#!/usr/bin/env bash
# Faults and load on a real chain: a throw-away local chain (own home, own ports, 127.0.0.1
# only) is started, and
#   1. the node is SIGKILLed in the middle of a deploy; after a restart the deploy resumes from
#      the chain's state: no code stored twice, every contract instantiated once, wired, and a
#      further deploy has nothing new;
#   2. the node is SIGKILLed in the middle of the story; after a restart every transaction the
#      story logged is included with its effects or absent with none, OPEN's supply is unchanged
#      and held by known accounts only, every contract is solvent; the story then passes;
#   3. five payers pay 1 000 signed inferences at once (3 000 with OPENLEDGER_HEAVY=1), which
#      reconcile exactly; throughput and gas are printed.
# The chain is stopped and its home removed however the script ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/openledger-faults.XXXXXX")"
export CHAIN_HOME="$WORK/chain" CHAIN_ID="openledger-faults-1" CHAIN_RPC_PORT="${TEST_FAULTS_RPC_PORT:-47657}"
export DEPLOY_DIR="$WORK/deployments" OPENLEDGER_REPO="$ROOT"
BG_PID=""
cleanup() {
  local rc=$?
  [ -n "$BG_PID" ] && kill "$BG_PID" 2>/dev/null || true
  scripts/chain.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

started=$SECONDS
log() { echo "[faults] [$((SECONDS - started))s] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
check=0
ok() { check=$((check + 1)); log "ok: $check. $*"; }

cargo build -q --locked -p openledger-cli
CLI="$ROOT/target/debug/openledger"
export ATTRIBUTION_TREE_BIN="$ROOT/scripts/attribution-tree.sh"
mapfile -t CONTRACTS < <("$CLI" contracts)
for a in "${CONTRACTS[@]}"; do
  [ -f "artifacts/$a.wasm" ] || scripts/build.sh
done

scripts/chain.sh start
eval "$(scripts/chain.sh env)"
export CHAIN_BIN CHAIN_HOME CHAIN_ID CHAIN_NODE
MANIFEST="$DEPLOY_DIR/$CHAIN_ID.json"
q() { "$CHAIN_BIN" q "$@" --node "$CHAIN_NODE" --home "$CHAIN_HOME" --output json; }
# field PATH: one field of the JSON on standard input (openledger json-field).
field() { "$CLI" json-field "$@"; }
smart() { "$CLI" query "$1" "$2"; }

# kill_node_when FILE PATTERN COUNT: SIGKILLs the node once FILE has COUNT lines matching
# PATTERN (or fails if the background job BG_PID ends first).
kill_node_when() {
  local file="$1" pattern="$2" count="$3" n pid
  while :; do
    n="$(grep -cE -- "$pattern" "$file" 2>/dev/null || true)"
    [ "${n:-0}" -ge "$count" ] && break
    kill -0 "$BG_PID" 2>/dev/null || fail "the job ended before $count lines matching '$pattern' in $file: $(tail -3 "$file")"
    sleep 0.2
  done
  pid="$(cat "$CHAIN_HOME/node.pid")"
  kill -9 "$pid"
  log "SIGKILLed the node (pid $pid) after $n lines matching '$pattern'"
}

# ---------------------------------------------------------------------------------------------
log "1. deploy, SIGKILL the node after the second code upload is confirmed"
"$CLI" deploy >"$WORK/deploy1.log" 2>&1 &
BG_PID=$!
kill_node_when "$WORK/deploy1.log" 'stored as code' 2
rc=0; wait "$BG_PID" || rc=$?; BG_PID=""
[ "$rc" -ne 0 ] || fail "the deploy succeeded although its node was killed: $(cat "$WORK/deploy1.log")"
log "the interrupted deploy failed: $(grep '^error:' "$WORK/deploy1.log" | head -1)"
scripts/chain.sh start
"$CLI" deploy 2>&1 | tee "$WORK/deploy2.log" >&2
codes="$(q wasm list-code)"
n_art=$(find artifacts -maxdepth 1 -name '*.wasm' | wc -l)
[ "$(field --length code_infos <<<"$codes")" -eq "$n_art" ] ||
  fail "the chain holds $(field --length code_infos <<<"$codes") codes for $n_art artifacts: $codes"
for f in artifacts/*.wasm; do
  sum="$(sha256sum "$f" | cut -d' ' -f1)"
  found="$(field 'code_infos.*.data_hash|checksum' <<<"$codes" | tr 'A-F' 'a-f' | grep -c "^$sum$" || true)"
  [ "$found" -eq 1 ] || fail "$(basename "$f") (checksum $sum) is stored $found times"
done
for id in $(field 'code_infos.*.code_id' <<<"$codes"); do
  n="$(q wasm list-contract-by-code "$id" | field --length contracts)"
  [ "$n" -eq 1 ] || fail "code $id has $n contracts, expected exactly 1"
done
addr() { field "contracts.$1.address" "$MANIFEST"; }
for c in "${CONTRACTS[@]}"; do
  [ "$(q wasm contract "$(addr "$c")" | field contract_info.code_id)" = "$(field "codes.$c.code_id" "$MANIFEST")" ] ||
    fail "$c does not run the manifest's code"
done
[ "$(smart "$(addr reward_pool)" '{"config":{}}' | field registry)" = "$(addr datanet_registry)" ] ||
  fail "the reward pool is not wired to the registry"
[ "$(smart "$(addr model_licensing)" '{"config":{}}' | field reward_pool)" = "$(addr reward_pool)" ] ||
  fail "model licensing is not wired to the reward pool"
[ "$(smart "$(addr agent_escrow)" '{"config":{}}' | field model_licensing)" = "$(addr model_licensing)" ] ||
  fail "the escrow is not wired to model licensing"
"$CLI" deploy --expect-unchanged 2>&1 | tee "$WORK/deploy3.log" >&2
grep -q "nothing new" "$WORK/deploy3.log" || fail "a further deploy did not print 'nothing new'"
ok "deploy survived a SIGKILL: $n_art codes stored once each, one contract per code, wired; resumed: $(grep -F '[deploy] stored' "$WORK/deploy2.log" | sed 's/.*\] //;s/; manifest.*//'); a further deploy: nothing new"

mv "$MANIFEST" "$WORK/manifest.lost"
"$CLI" deploy 2>&1 | tee "$WORK/deploy4.log" >&2
grep -qF 'stored [], instantiated [], migrated [], wired [], recovered from the chain ["open_token code", "open_token", "reward_pool code", "reward_pool", "datanet_registry code", "datanet_registry", "model_licensing code", "model_licensing", "agent_escrow code", "agent_escrow"]' "$WORK/deploy4.log" ||
  fail "a deploy without its manifest did not recover everything from the chain"
[ "$(q wasm list-code | field --length code_infos)" -eq "$n_art" ] || fail "a deploy without its manifest stored code again"
for c in "${CONTRACTS[@]}"; do
  [ "$(addr "$c")" = "$(field "contracts.$c.address" "$WORK/manifest.lost")" ] ||
    fail "the recovered manifest has another $c"
done
"$CLI" deploy --expect-unchanged >"$WORK/deploy5.log" 2>&1 || fail "a deploy after the recovery changed something: $(tail -1 "$WORK/deploy5.log")"
grep -q "nothing new" "$WORK/deploy5.log" || fail "a deploy after the recovery did not print nothing new"
ok "a deploy without its manifest finds every code by checksum and every contract by code, label and creator: stores and instantiates nothing, records the same addresses"

# ---------------------------------------------------------------------------------------------
log "2. story, SIGKILL the node after 12 of its transactions were accepted"
supply="$(smart "$(addr open_token)" '{"token_info":{}}' | field total_supply)"
export OPENLEDGER_TX_LOG="$WORK/story-tx.jsonl"
: >"$OPENLEDGER_TX_LOG"
"$CLI" story >"$WORK/story1.log" 2>&1 &
BG_PID=$!
kill_node_when "$OPENLEDGER_TX_LOG" '"hash"' 12
rc=0; wait "$BG_PID" || rc=$?; BG_PID=""
[ "$rc" -ne 0 ] || fail "the story succeeded although its node was killed"
log "the interrupted story failed at: $(grep -E '^\[story\] [0-9]+/' "$WORK/story1.log" | tail -1 || echo 'its first step')"
scripts/chain.sh start
"$CLI" reconcile --tx-log "$OPENLEDGER_TX_LOG" --supply "$supply" 2>&1 | tee "$WORK/reconcile.log" >&2
unset OPENLEDGER_TX_LOG
ok "story crash reconciled: $(grep -F 'logged transactions' "$WORK/reconcile.log" | sed 's/^\[reconcile\] //'); $(grep -F 'supply' "$WORK/reconcile.log" | sed 's/^\[reconcile\] //')"
"$CLI" story 2>&1 | tee "$WORK/story2.log" >&2
ok "the story, rerun after the crash, passes: $(grep -F 'told in' "$WORK/story2.log" | sed 's/^\[story\] //')"

# ---------------------------------------------------------------------------------------------
inferences=1000
# The node keeps at most 500 transactions waiting (mempool size); the load submits everything
# before waiting, so a run must stay below ~4 000 inferences (~9 per transaction).
[ "${OPENLEDGER_HEAVY:-}" = 1 ] && inferences=3000
log "3. load: $inferences paid inferences from 5 payers at once"
"$CLI" load --inferences "$inferences" --payers 5 2>&1 | tee "$WORK/load.log" >&2
grep -q '^\[load\] reconciled' "$WORK/load.log" || fail "the load did not reconcile"
ok "load: $(grep -F '[load] inferences' "$WORK/load.log" | sed 's/^\[load\] //')"

log "$check passed, 0 failed, in $((SECONDS - started)) s"
