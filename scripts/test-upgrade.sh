#!/usr/bin/env bash
# The upgrade test on a real chain. A throw-away local chain (own home, own ports) gets the suite
# of an earlier release (UPGRADE_BASELINE, default 1a508d2: release 0.2.0, before the security
# fixes), deployed and driven with that release's own deploy tool and flows (datanet, model,
# escrow), plus a few transactions that leave stakes, unbonding, a licence, licensed and paid
# inferences, unwithdrawn earnings, unclaimed rewards and an escrow milestone submitted with a
# model fee but not yet approved behind. Then the current `openledger upgrade` migrates every
# contract in place, and:
#   - every account's and contract's OPEN balance and every query answer are exactly what they
#     were; responses gained only the new fields, with the values the migration wrote (the new
#     fields of scripts/cli/src/upgrade_check.rs); a query whose request changed (`inference` now
#     names its payer) answers the same; the cw2 versions moved to the current one;
#   - the rewards, staking rewards and earnings pending before the upgrade are paid after it;
#   - the milestone submitted under the old release (which recorded its model fee and pays it at
#     approval) is approved while its model is paused: the approval succeeds, the escrow's reply
#     to the refused fee returns it to the client, and every amount is exact;
#   - migrating a contract with another contract's code, or back to the older code, fails with
#     the contract's own error and changes nothing;
#   - an inference id paid under the old release is still refused to its payer (the old records
#     are read beside the per-payer ones), and free to another payer;
#   - the current deploy finds nothing new, and the current flows (datanet, influence on the
#     migrated pool, model, escrow) pass on the migrated contracts.
# The baseline is built from git (cargo state in target/upgrade-baseline); its artifacts and deploy
# tool are cached per commit in ~/.cache/openledger-cw/upgrade-baseline, so later runs reuse
# them. The chain is stopped and every temporary file removed however the script ends.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BASELINE="${UPGRADE_BASELINE:-1a508d2}"
t_start=$(date +%s)
log() { echo "[upgrade-test] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
passed=0
ok() { log "ok: $*"; passed=$((passed + 1)); }
timings=()
lap_start=$t_start
lap() { local now; now=$(date +%s); timings+=("$1 $((now - lap_start))s"); lap_start=$now; }

if ! git cat-file -e "$BASELINE^{commit}" 2>/dev/null && [ -f "$(git rev-parse --git-dir)/shallow" ]; then
  # A shallow clone lacks the history: fetch it once from the clone's origin.
  log "baseline $BASELINE is not in this shallow clone: fetching the history"
  git fetch --quiet --unshallow 2>/dev/null || true
fi
if ! git cat-file -e "$BASELINE^{commit}" 2>/dev/null; then
  log "baseline commit $BASELINE is not in this clone (a shallow clone?): run 'git fetch --unshallow' or set UPGRADE_BASELINE to a reachable release"
  exit 1
fi
commit="$(git rev-parse "$BASELINE^{commit}")"
old_version="$(git show "$commit:Cargo.toml" | sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p')"
new_version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
if [ -z "$old_version" ] || [ -z "$new_version" ]; then fail "cannot read the workspace versions"; fi
[ "$old_version" != "$new_version" ] || fail "the baseline $BASELINE has the current version $new_version: bump [workspace.package] version"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/openledger-upgrade-test.XXXXXX")"
export CHAIN_HOME="$WORK/chain" CHAIN_ID="openledger-upgrade-1"
export CHAIN_RPC_PORT="${UPGRADE_CHAIN_RPC_PORT:-45657}"
export DEPLOY_DIR="$WORK/deployments" OPENLEDGER_REPO="$ROOT"
chain_started=""
cleanup() {
  local rc=$?
  [ -n "$chain_started" ] && { scripts/chain.sh stop >/dev/null 2>&1 || true; }
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

# ---------------------------------------------------------------------------------------------
# The baseline release: artifacts built by its own scripts/build.sh and its deploy tool.
# ---------------------------------------------------------------------------------------------
# The finished artifacts and deploy tool of each baseline commit are kept in the per-user tool
# cache ($OPENLEDGER_CACHE/upgrade-baseline/<commit>, beside the tools of scripts/tools.sh) with a
# sums file written when they were built, so any clone on this machine reuses them once their
# sums check. cargo's state for the baseline's sources stays in target/upgrade-baseline/<commit>
# (gitignored), so a rebuild after the cache was cleared is incremental.
CACHE="${OPENLEDGER_CACHE:-$HOME/.cache/openledger-cw}"
BASE_ROOT="$ROOT/target/upgrade-baseline"
BASE_TARGET="$BASE_ROOT/$commit"
BASE="$CACHE/upgrade-baseline/$commit"
base_cached() {
  [ -x "$BASE/openledger" ] && [ -s "$BASE/sha256sums.txt" ] &&
    (cd "$BASE" && sha256sum --check --quiet sha256sums.txt >/dev/null 2>&1)
}
if base_cached; then
  log "baseline ${commit:0:7} (version $old_version): reusing $BASE"
else
  log "baseline ${commit:0:7} (version $old_version): building its artifacts and deploy tool into $BASE_TARGET"
  # Another baseline's build state is of no further use.
  find "$BASE_ROOT" -mindepth 1 -maxdepth 1 ! -name "$commit" -exec rm -rf {} + 2>/dev/null || true
  src="$WORK/baseline"
  mkdir -p "$src" "$BASE_TARGET"
  # An export of the commit rather than a worktree: nothing is added to .git, and its files keep
  # the commit's time, so cargo's state for this commit in $BASE_TARGET stays valid across runs
  # (cargo judges path crates by modification time: that is why each commit has its own folder).
  git archive "$commit" | tar -x -C "$src"
  # Its build.sh reads target/ of its own root: point that at the persistent folder.
  ln -s "$BASE_TARGET" "$src/target"
  b0=$(date +%s)
  (cd "$src" && unset CARGO_TARGET_DIR && scripts/build.sh) >"$WORK/baseline-build.log" 2>&1 ||
    fail "building the baseline failed: $(tail -5 "$WORK/baseline-build.log")"
  b1=$(date +%s)
  (cd "$src" && unset CARGO_TARGET_DIR && cargo build -q --locked -p openledger-cli) >>"$WORK/baseline-build.log" 2>&1 ||
    fail "building the baseline deploy tool failed: $(tail -5 "$WORK/baseline-build.log")"
  log "baseline built: artifacts $((b1 - b0)) s, deploy tool $(( $(date +%s) - b1 )) s"
  # Assembled beside its final place and moved there whole, so the cache never holds half of it.
  partial="$BASE.partial.$$"
  rm -rf "$partial"; mkdir -p "$partial"
  cp -r "$src/artifacts" "$partial/artifacts"
  cp "$BASE_TARGET/debug/openledger" "$partial/openledger"
  (cd "$partial" && find openledger artifacts -type f | sort | xargs sha256sum >sha256sums.txt)
  rm -rf "$BASE"; mv "$partial" "$BASE"
  log "baseline cached in $BASE"
fi
BASE_CLI="$BASE/openledger"
lap "baseline build"

cargo build -q --locked -p openledger-cli
CLI="$ROOT/target/debug/openledger"
mapfile -t CONTRACTS < <("$CLI" contracts)
# A copy of the current artifacts, checked against their checksums: a build running meanwhile
# cannot change what this test upgrades to.
for c in "${CONTRACTS[@]}"; do
  [ -f "artifacts/$c.wasm" ] || fail "artifacts/$c.wasm is missing: run scripts/build.sh"
done
cp -r artifacts "$WORK/artifacts"
(cd "$WORK/artifacts" && sha256sum --check --quiet checksums.txt >/dev/null 2>&1) ||
  fail "artifacts/ does not match artifacts/checksums.txt (a build running?): run scripts/build.sh"
export ARTIFACTS_DIR="$WORK/artifacts"
lap "current tool build"

# ---------------------------------------------------------------------------------------------
# Chain and helpers
# ---------------------------------------------------------------------------------------------
log "starting a throw-away chain on port $CHAIN_RPC_PORT"
chain_started=1
scripts/chain.sh start
eval "$(scripts/chain.sh env)"
export CHAIN_BIN CHAIN_HOME CHAIN_ID CHAIN_NODE
MANIFEST="$DEPLOY_DIR/$CHAIN_ID.json"
scripts/chain.sh accounts >"$WORK/accounts.txt"
addr_of() { awk -v n="$1" '$1 == n { print $2 }' "$WORK/accounts.txt"; }
lap "chain start"

# JSON fields, queries over the node's RPC, snapshots and their comparison: the tools crate
# (openledger json-field, query, cw2, snapshot, compare-snapshots).
field() { "$CLI" json-field "$@"; }
export MANIFEST ACCOUNTS="$WORK/accounts.txt"

TXFLAGS=(--home "$CHAIN_HOME" --keyring-backend "${CHAIN_KEYRING_BACKEND:-test}" --chain-id "$CHAIN_ID"
         --node "$CHAIN_NODE" --gas-prices "${CHAIN_GAS_PRICE:-500000000inj}" -b sync -y --output json)

# wait_tx HASH: prints the transaction's JSON once it is included.
wait_tx() {
  local out
  for _ in $(seq 240); do
    if out="$("$CHAIN_BIN" q tx "$1" --node "$CHAIN_NODE" --output json 2>/dev/null)"; then
      printf '%s\n' "$out"; return 0
    fi
    sleep 0.25
  done
  fail "transaction $1 not included within 60 s"
}

# tx KEY CONTRACT MSG: executes MSG on CONTRACT signed by KEY (gas simulated) and waits; any
# refusal fails the test; the included transaction is kept in $WORK/last-tx.json. A stale
# account sequence (the node indexes a transaction a moment before its state is visible to the
# next simulation) is retried.
tx() {
  local from="$1" contract="$2" msg="$3" out hash code
  for _ in $(seq 20); do
    out="$("$CHAIN_BIN" tx wasm execute "$contract" "$msg" --from "$from" --gas auto \
      --gas-adjustment 1.4 "${TXFLAGS[@]}" 2>&1)" || true
    if grep -q "account sequence mismatch" <<<"$out"; then sleep 0.25; continue; fi
    hash="$(field txhash <<<"$out" 2>/dev/null)" || hash=""
    code="$(field code <<<"$out" 2>/dev/null)" || code=""
    if [ -z "$hash" ] || [ "${code:-0}" != 0 ]; then fail "$from: $msg: $(tail -1 <<<"$out")"; fi
    out="$(wait_tx "$hash")"
    code="$(field code <<<"$out")"
    [ "${code:-0}" = 0 ] || fail "$from: $msg: $(field raw_log <<<"$out")"
    printf '%s\n' "$out" >"$WORK/last-tx.json"
    return 0
  done
  fail "$from: $msg: account sequence mismatch 20 times"
}

# send KEY CONTRACT AMOUNT HOOK: a cw20 send of OPEN with a hook.
send() {
  local hook; hook="$(printf '%s' "$4" | base64 -w0)"
  tx "$1" "$TOKEN" "{\"send\":{\"contract\":\"$2\",\"amount\":\"$3\",\"msg\":\"$hook\"}}"
}
balance() { "$CLI" query "$TOKEN" "{\"balance\":{\"address\":\"$1\"}}" | field balance; }
code_of() { "$CHAIN_BIN" q wasm contract "$1" --node "$CHAIN_NODE" --output json | field contract_info.code_id; }

# ---------------------------------------------------------------------------------------------
# 1. The baseline suite with state in every contract
# ---------------------------------------------------------------------------------------------
log "deploying the baseline suite ($old_version) with its own deploy tool"
base() { env ARTIFACTS_DIR="$BASE/artifacts" OPENLEDGER_REPO="$WORK" "$BASE_CLI" "$@"; }
base deploy
log "baseline flows: datanet, model with a signed inference and a batch of 50, escrow task"
base flow-datanet
base flow-model
base flow-escrow
lap "baseline deploy and flows"

TOKEN="$(field contracts.open_token.address <"$MANIFEST")"
POOL="$(field contracts.reward_pool.address <"$MANIFEST")"
REGISTRY="$(field contracts.datanet_registry.address <"$MANIFEST")"
MODELS="$(field contracts.model_licensing.address <"$MANIFEST")"
BASE_POOL_CODE="$(field contracts.reward_pool.code_id <"$MANIFEST")"

log "more state: stakes and an unbonding, a licence and a licensed inference, an unsigned paid inference, unclaimed rewards, a milestone with a recorded model fee"
tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of staker1)\",\"amount\":\"20000\"}}"
tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of staker2)\",\"amount\":\"10000\"}}"
tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of client)\",\"amount\":\"10000\"}}"
send staker1 "$POOL" 10000 '{"stake":{}}'
send staker2 "$POOL" 5000 '{"stake":{}}'
tx staker1 "$POOL" '{"unstake":{"amount":"2000"}}'
tx model_owner "$MODELS" '{"update_model":{"model_id":1,"tiers":[{"id":1,"price":"3000","duration":2592000,"inference_quota":100,"commercial":true}]}}'
send client "$MODELS" 3000 '{"purchase_license":{"model_id":1,"tier_id":1}}'
tx client "$MODELS" '{"record_licensed_inference":{"model_id":1,"inference_id":"upgrade-licensed-1"}}'
send client "$MODELS" 1000 '{"pay_inference":{"model_id":1,"inference_id":"upgrade-paid-1"}}'
send deployer "$POOL" 5000 '{"distribute":{"allocations":[{"datanet":{"id":1,"amount":"4000"}},{"stakers":{"amount":"600"}},{"treasury":{"amount":"400"}}]}}'
client_addr="$(addr_of client)"

# An escrow milestone submitted under the old release with one model fee, not yet approved: the
# old escrow recorded the fee (quoted by model licensing) and pays it at approval, which section
# 4 does after the upgrade. The model is the one the escrow flow's agent declared; the task's
# agent is contributor4, registered here, so that the snapshot's questions about "agent" are
# the old ones (the migration reserves bond for a task in progress, which they would show).
ESCROW="$(field contracts.agent_escrow.address <"$MANIFEST")"
LEGACY_AGENT=contributor4 LEGACY_AMOUNT=10000 LEGACY_INFERENCE=upgrade-refund-1
legacy_agent_addr="$(addr_of "$LEGACY_AGENT")"
legacy_fee_task() {
  local models bond now hash task model_fee
  mapfile -t models < <("$CLI" query "$ESCROW" "{\"agent\":{\"address\":\"$(addr_of agent)\"}}" | field 'models.*')
  LEGACY_MODEL="${models[0]:-}"
  [ -n "$LEGACY_MODEL" ] || fail "the escrow flow's agent declared no model"
  bond="$("$CLI" query "$ESCROW" '{"config":{}}' | field min_agent_bond)"
  [ "$bond" -ge 1000 ] || bond=1000
  tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$legacy_agent_addr\",\"amount\":\"$bond\"}}"
  tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$client_addr\",\"amount\":\"$LEGACY_AMOUNT\"}}"
  send "$LEGACY_AGENT" "$ESCROW" "$bond" "{\"register_agent\":{\"name\":\"upgrade agent\",\"metadata_uri\":\"ipfs://upgrade-agent\",\"models\":[$LEGACY_MODEL]}}"
  now=$(date +%s)
  hash="$(printf 'upgrade-refund-spec' | sha256sum | cut -d' ' -f1)"
  send client "$ESCROW" "$LEGACY_AMOUNT" "{\"create_task\":{\"agent\":\"$legacy_agent_addr\",\"spec_hash\":\"$hash\",\"spec_uri\":\"ipfs://upgrade-refund\",\"milestones\":[{\"amount\":\"$LEGACY_AMOUNT\",\"description\":\"report\"}],\"accept_window\":3600,\"delivery_deadline\":$((now + 86400)),\"review_window\":86400,\"arbiter\":null}}"
  LEGACY_TASK="$("$CLI" query "$ESCROW" '{"config":{}}' | field task_count)"
  tx "$LEGACY_AGENT" "$ESCROW" "{\"accept_task\":{\"task_id\":$LEGACY_TASK}}"
  hash="$(printf 'upgrade-refund-result' | sha256sum | cut -d' ' -f1)"
  tx "$LEGACY_AGENT" "$ESCROW" "{\"submit_milestone\":{\"task_id\":$LEGACY_TASK,\"milestone\":0,\"result_hash\":\"$hash\",\"result_uri\":\"ipfs://upgrade-refund-result\",\"inferences\":[{\"model_id\":$LEGACY_MODEL,\"inference_id\":\"$LEGACY_INFERENCE\",\"attribution\":null,\"receipt_signature\":null}]}}"
  task="$("$CLI" query "$ESCROW" "{\"task\":{\"task_id\":$LEGACY_TASK}}")"
  LEGACY_FEE="$(field 'milestones.*.inferences.*.fee' <<<"$task")"
  model_fee="$("$CLI" query "$MODELS" "{\"model\":{\"model_id\":$LEGACY_MODEL}}" | field inference_fee)"
  [ "$(field 'milestones.*.inferences.*.status' <<<"$task")" = recorded ] && [ "${LEGACY_FEE:-0}" -gt 0 ] &&
    [ "$LEGACY_FEE" = "$model_fee" ] || fail "task $LEGACY_TASK: expected one recorded fee of $model_fee, got $task"
  log "task $LEGACY_TASK: $LEGACY_AGENT submitted its milestone of $LEGACY_AMOUNT with a model fee of $LEGACY_FEE recorded on model $LEGACY_MODEL"
}
legacy_fee_task
export EXTRA_QUERIES="models license 1 client|model_licensing|{\"license\":{\"model_id\":1,\"licensee\":\"$client_addr\"}};models inference upgrade-paid-1|model_licensing|{\"inference\":{\"model_id\":1,\"inference_id\":\"upgrade-paid-1\"}};models inference upgrade-licensed-1|model_licensing|{\"inference\":{\"model_id\":1,\"inference_id\":\"upgrade-licensed-1\"}}"
# The same questions in the current release's words (inference ids are per payer).
AFTER_QUERIES="models inference upgrade-paid-1|model_licensing|{\"inference\":{\"model_id\":1,\"payer\":\"$client_addr\",\"inference_id\":\"upgrade-paid-1\"}};models inference upgrade-licensed-1|model_licensing|{\"inference\":{\"model_id\":1,\"payer\":\"$client_addr\",\"inference_id\":\"upgrade-licensed-1\"}}"
lap "extra state"

log "snapshot before the upgrade: $("$CLI" snapshot "$WORK/before.json")"
for c in "${CONTRACTS[@]}"; do
  v="$(field "cw2 $c.version" <"$WORK/before.json")"
  [ "$v" = "$old_version" ] || fail "$c runs cw2 version $v before the upgrade, expected $old_version"
done
# Everything pending must be non-zero, so that paying it after the upgrade proves something.
pending_c2="$(field "pool pending_rewards contributor2.total" <"$WORK/before.json")"
pending_c3="$(field "pool pending_rewards contributor3.total" <"$WORK/before.json")"
staking_s1="$(field "pool staker staker1.claimable_rewards" <"$WORK/before.json")"
earnings_mo="$(field "models earnings model_owner" <"$WORK/before.json")"
for v in "$pending_c2" "$pending_c3" "$staking_s1" "$earnings_mo"; do
  [ "${v:-0}" != 0 ] || fail "expected non-zero pending amounts before the upgrade (contributor2 $pending_c2, contributor3 $pending_c3, staker1 $staking_s1, model_owner $earnings_mo)"
done
lap "snapshot"

# ---------------------------------------------------------------------------------------------
# 2. The upgrade
# ---------------------------------------------------------------------------------------------
log "upgrading with the current tool and artifacts ($new_version)"
"$CLI" upgrade 2>&1 | tee "$WORK/upgrade.log" >&2
[ "${PIPESTATUS[0]}" = 0 ] || fail "openledger upgrade failed"
for c in "${CONTRACTS[@]}"; do
  grep -qE "^\[upgrade\] migrated $c \(.*\): code [0-9]+ -> [0-9]+, version $old_version -> $new_version$" "$WORK/upgrade.log" ||
    fail "the upgrade report has no migration of $c from $old_version to $new_version"
done
grep -q "^\[upgrade\] migrated 5 of 5 contracts" "$WORK/upgrade.log" || fail "expected 5 of 5 contracts migrated"
ok "upgrade migrated all five contracts from $old_version to $new_version"
lap "upgrade"

log "snapshot after the upgrade: $(EXTRA_QUERIES="$EXTRA_QUERIES;$AFTER_QUERIES" "$CLI" snapshot "$WORK/after.json")"
"$CLI" compare-snapshots "$WORK/before.json" "$WORK/after.json" "$old_version" "$new_version" >"$WORK/compare.log" ||
  fail "state changed by the upgrade: $(tr '\n' ';' <"$WORK/compare.log")"
sed 's/^/[upgrade-test]   /' "$WORK/compare.log" >&2
ok "every balance, query answer and cw2 record is as before (versions now $new_version)"
lap "compare"

out="$("$CLI" upgrade 2>&1)" || fail "a second upgrade failed: $out"
grep -q "^\[upgrade\] migrated 0 of 5 contracts" <<<"$out" || fail "a second upgrade changed something: $out"
ok "a second upgrade migrates nothing"

# ---------------------------------------------------------------------------------------------
# 3. Refused migrations: the chain includes the transaction (fixed gas, no simulation) and the
#    contract's migrate refuses it; code and cw2 record stay.
# ---------------------------------------------------------------------------------------------
POOL_CODE="$(code_of "$POOL")"
expect_refused() {
  local what="$1" contract="$2" code="$3" expected="$4" out hash before_code before_cw2 log_line
  before_code="$(code_of "$contract")"; before_cw2="$("$CLI" cw2 "$contract")"
  out="$("$CHAIN_BIN" tx wasm migrate "$contract" "$code" '{}' --from deployer --gas 2000000 "${TXFLAGS[@]}" 2>&1)" ||
    fail "$what: broadcast failed: $(tail -1 <<<"$out")"
  hash="$(field txhash <<<"$out")"
  out="$(wait_tx "$hash")"
  [ "$(field code <<<"$out")" != 0 ] || fail "$what: the migration succeeded (tx $hash)"
  log_line="$(field raw_log <<<"$out")"
  grep -qF -- "$expected" <<<"$log_line" || fail "$what: expected '$expected' in: $log_line"
  [ "$(code_of "$contract")" = "$before_code" ] || fail "$what: the contract's code changed"
  [ "$("$CLI" cw2 "$contract")" = "$before_cw2" ] || fail "$what: the cw2 record changed"
  ok "$what -> $log_line"
}
expect_refused "registry migrated with the pool's code" "$REGISTRY" "$POOL_CODE" \
  "cannot migrate a crates.io:datanet-registry contract with crates.io:reward-pool code"
expect_refused "pool migrated back to the $old_version pool code" "$POOL" "$BASE_POOL_CODE" \
  "cannot migrate from version $new_version to the older version $old_version"
lap "refusals"

# ---------------------------------------------------------------------------------------------
# 4. What was pending before the upgrade is paid after it; the current suite works on it (a
#    datanet of the old release backfills its event log and publishes a provable version).
# ---------------------------------------------------------------------------------------------
claim_check() { # claim_check KEY EXPECTED CONTRACT MSG
  local a b0 b1; a="$(addr_of "$1")"; b0="$(balance "$a")"
  tx "$1" "$3" "$4"
  b1="$(balance "$a")"
  [ "$((b1 - b0))" = "$2" ] || fail "$1 received $((b1 - b0)) after the upgrade; $2 was pending before it"
  ok "$1 received the $2 pending before the upgrade"
}
claim_check contributor2 "$pending_c2" "$POOL" '{"claim":{}}'
claim_check contributor3 "$pending_c3" "$POOL" '{"claim":{}}'
claim_check staker1 "$staking_s1" "$POOL" '{"claim_staking_rewards":{}}'
claim_check model_owner "$earnings_mo" "$MODELS" '{"withdraw_earnings":{}}'
lap "pending paid"

# A datanet of the old release: its accepted contributions get their leaves in the event log
# (backfill_version_tree, by anyone), then it publishes a provable version; a fee for that
# version reaches its contributors, and a contribution of the old release is proven in it.
versions_after_backfill() {
  local reg c2 w total v proof got
  c2="$(addr_of contributor2)"
  reg="$("$CLI" query "$REGISTRY" '{"datanet":{"datanet_id":1}}')"
  [ "$(field backfill_remaining <<<"$reg")" != null ] || fail "datanet 1 owes no backfill after the upgrade: $reg"
  tx deployer "$REGISTRY" '{"backfill_version_tree":{"datanet_id":1}}'
  tx curator1 "$REGISTRY" '{"publish_version":{"datanet_id":1}}'
  reg="$("$CLI" query "$REGISTRY" '{"datanet":{"datanet_id":1}}')"
  v="$(field version_count <<<"$reg")"; total="$(field total_weight <<<"$reg")"
  w="$("$CLI" query "$REGISTRY" "{\"contributor\":{\"datanet_id\":1,\"address\":\"$c2\"}}" | field weight)"
  proof="$WORK/proof.json"
  "$CLI" query "$REGISTRY" "{\"contribution_proof\":{\"contribution_id\":1,\"version\":$v}}" >"$proof"
  got="$("$CLI" attribution-tree verify-contribution --proof "$proof")" || fail "the proof of contribution 1 in version $v does not verify: $got"
  # total · 10 units: exactly 10 per unit of weight.
  tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of staker2)\",\"amount\":\"$((total * 10))\"}}"
  send staker2 "$POOL" "$((total * 10))" "{\"distribute\":{\"allocations\":[{\"datanet\":{\"id\":1,\"amount\":\"$((total * 10))\",\"version\":$v}}]}}"
  claim_check contributor2 "$((w * 10))" "$POOL" '{"claim":{}}'
  ok "datanet 1 backfilled its old contributions and published version $v; contribution 1 is proven in it ($got)"
}
versions_after_backfill
lap "backfill and a provable version"

# The milestone submitted under the old release pays its recorded fee at approval, in a
# submessage replied to on error. With the model paused, model licensing refuses the fee: the
# approval still succeeds, and the reply returns the fee to the client.
log "approving the $old_version milestone of task $LEGACY_TASK while model $LEGACY_MODEL is paused"
model_status() { "$CLI" query "$MODELS" "{\"model\":{\"model_id\":$LEGACY_MODEL}}" | field status; }
balances_of() { local a; for a in "$@"; do balance "$a"; done | tr '\n' ' '; }
legacy_fee_refund() {
  local parties b0 b1 stats0 solvency0 task bps protocol agent_share expected got out
  [ "$("$CLI" query "$MODELS" "{\"model\":{\"model_id\":$LEGACY_MODEL}}" | field owner)" = "$(addr_of model_owner)" ] ||
    fail "model $LEGACY_MODEL is not model_owner's"
  tx model_owner "$MODELS" "{\"set_model_status\":{\"model_id\":$LEGACY_MODEL,\"status\":\"paused\"}}"
  [ "$(model_status)" = paused ] || fail "model $LEGACY_MODEL is $(model_status), expected paused"
  parties=("$client_addr" "$legacy_agent_addr" "$POOL" "$MODELS" "$ESCROW")
  read -ra b0 <<<"$(balances_of "${parties[@]}")"
  stats0="$("$CLI" query "$MODELS" "{\"model_stats\":{\"model_id\":$LEGACY_MODEL}}")"
  solvency0="$("$CLI" query "$ESCROW" '{"solvency":{}}')"
  tx client "$ESCROW" "{\"approve_milestone\":{\"task_id\":$LEGACY_TASK,\"milestone\":0}}"
  # (read whole first: `grep -q` ending the pipe early would fail it under pipefail)
  out="$(field 'events.*.attributes.*.value' <"$WORK/last-tx.json")"
  grep -qx model_fee_refunded <<<"$out" || fail "the approval's events show no model_fee_refunded"
  read -ra b1 <<<"$(balances_of "${parties[@]}")"
  task="$("$CLI" query "$ESCROW" "{\"task\":{\"task_id\":$LEGACY_TASK}}")"
  # Approval settles the whole amount A: protocol fee P = ceil(A x bps), capped by what the
  # recorded fee F leaves; the agent A - F - P; nothing of A is the client's but the refused F.
  bps="$(field task.protocol_fee_bps <<<"$task")"
  protocol=$(( (LEGACY_AMOUNT * bps + 9999) / 10000 ))
  [ "$protocol" -le $((LEGACY_AMOUNT - LEGACY_FEE)) ] || protocol=$((LEGACY_AMOUNT - LEGACY_FEE))
  agent_share=$((LEGACY_AMOUNT - LEGACY_FEE - protocol))
  expected="$LEGACY_FEE $agent_share $protocol 0 -$LEGACY_AMOUNT"
  got="$((b1[0] - b0[0])) $((b1[1] - b0[1])) $((b1[2] - b0[2])) $((b1[3] - b0[3])) $((b1[4] - b0[4]))"
  [ "$got" = "$expected" ] ||
    fail "the approval moved $got; expected $expected (client, $LEGACY_AGENT, pool, models, escrow)"
  out="status $(field task.status <<<"$task"), milestone $(field 'milestones.*.status' <<<"$task"), fee $(field 'milestones.*.inferences.*.status' <<<"$task")"
  out="$out, refunded $(field task.model_fees_refunded <<<"$task"), paid $(field task.model_fees_paid <<<"$task")"
  out="$out, agent $(field task.paid_to_agent <<<"$task"), protocol $(field task.protocol_fees <<<"$task"), escrowed $(field task.escrowed <<<"$task")"
  [ "$out" = "status completed, milestone approved, fee refunded, refunded $LEGACY_FEE, paid 0, agent $agent_share, protocol $protocol, escrowed 0" ] ||
    fail "task $LEGACY_TASK after the approval: $out"
  [ "$("$CLI" query "$MODELS" "{\"model_stats\":{\"model_id\":$LEGACY_MODEL}}")" = "$stats0" ] ||
    fail "model $LEGACY_MODEL's stats changed: the refused fee was counted"
  out="$("$CLI" query "$MODELS" "{\"inference\":{\"model_id\":$LEGACY_MODEL,\"payer\":\"$ESCROW\",\"inference_id\":\"$LEGACY_INFERENCE\"}}" 2>&1)" &&
    fail "model licensing recorded the refused inference $LEGACY_INFERENCE: $out"
  grep -q "refused the query" <<<"$out" || fail "the inference query failed: $out"
  out="$("$CLI" query "$ESCROW" '{"solvency":{}}')"
  [ "$(field solvent <<<"$out")" = true ] || fail "the escrow is insolvent after the refund: $out"
  [ "$(( $(field escrowed <<<"$solvency0") - $(field escrowed <<<"$out") ))" = "$LEGACY_AMOUNT" ] ||
    fail "the escrow's escrowed went from $(field escrowed <<<"$solvency0") to $(field escrowed <<<"$out")"
  tx model_owner "$MODELS" "{\"set_model_status\":{\"model_id\":$LEGACY_MODEL,\"status\":\"active\"}}"
  [ "$(model_status)" = active ] || fail "model $LEGACY_MODEL is $(model_status) after its owner reactivated it"
  ok "the $old_version fee of $LEGACY_FEE refused by paused model $LEGACY_MODEL went back to the client in the reply ($(field 'milestones.*.inferences.*.error' <<<"$task")); $LEGACY_AGENT +$agent_share, pool +$protocol (protocol fee only), models +0, escrow -$LEGACY_AMOUNT, solvent"
}
legacy_fee_refund
lap "model-fee refund"

log "inference ids paid under $old_version: refused to their payer, free to another"
out="$("$CHAIN_BIN" tx wasm execute "$TOKEN" "{\"send\":{\"contract\":\"$MODELS\",\"amount\":\"1000\",\"msg\":\"$(printf '%s' '{"pay_inference":{"model_id":1,"inference_id":"upgrade-paid-1"}}' | base64 -w0)\"}}" \
  --from client --gas 2000000 "${TXFLAGS[@]}" 2>&1)" || fail "replay broadcast failed: $(tail -1 <<<"$out")"
out="$(wait_tx "$(field txhash <<<"$out")")"
[ "$(field code <<<"$out")" != 0 ] || fail "the client paid inference upgrade-paid-1 of model 1 a second time"
grep -qF "already paid" <<<"$(field raw_log <<<"$out")" || fail "unexpected refusal of the replay: $(field raw_log <<<"$out")"
ok "the $old_version record of upgrade-paid-1 still refuses its payer: $(field raw_log <<<"$out" | grep -o 'inference[^;]*already paid[^;]*' | head -1)"
tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of staker2)\",\"amount\":\"1000\"}}"
send staker2 "$MODELS" 1000 '{"pay_inference":{"model_id":1,"inference_id":"upgrade-paid-1"}}'
[ "$("$CLI" query "$MODELS" "{\"inference\":{\"model_id\":1,\"payer\":\"$(addr_of staker2)\",\"inference_id\":\"upgrade-paid-1\"}}" | field fee)" = 1000 ] ||
  fail "staker2's inference upgrade-paid-1 is not recorded"
ok "another payer pays the same id upgrade-paid-1 (ids are per payer)"
lap "inference ids"

log "current deploy: nothing new"
"$CLI" deploy 2>&1 | tee "$WORK/deploy.log" >&2
[ "${PIPESTATUS[0]}" = 0 ] || fail "the current deploy failed"
grep -q "nothing new" "$WORK/deploy.log" || fail "the current deploy changed something on the upgraded suite"
ok "current deploy found nothing new"
lap "current deploy"

log "current flows on the migrated contracts"
"$CLI" flow-datanet
ok "flow-datanet"
lap "flow-datanet"
ATTRIBUTION_TREE_BIN="$ROOT/scripts/attribution-tree.sh" "$CLI" flow-influence
ok "flow-influence on the migrated pool"
lap "flow-influence"
"$CLI" flow-model
ok "flow-model"
lap "flow-model"
"$CLI" flow-escrow
ok "flow-escrow on the migrated escrow"
lap "flow-escrow"

log "timings: ${timings[*]}"
log "$passed passed, 0 failed ($(( $(date +%s) - t_start ))s)"
