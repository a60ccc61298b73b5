#!/usr/bin/env bash
# The upgrade test on a real chain. A throw-away local chain (own home, own ports) gets the suite
# of an earlier release (UPGRADE_BASELINE, default 1a508d2: release 0.2.0, before the security
# fixes), deployed and driven with that release's own deploy tool and flows (datanet, model,
# escrow), plus a few transactions that leave stakes, unbonding, a licence, licensed and paid
# inferences, unwithdrawn earnings and unclaimed rewards behind. Then the current
# `openledger upgrade` migrates every contract in place, and:
#   - every account's and contract's OPEN balance and every query answer are exactly what they
#     were; responses gained only the new fields, with the values the migration wrote (ADDED
#     below); a query whose request changed (`inference` now names its payer) answers the same;
#     the cw2 versions moved to the current one;
#   - the rewards, staking rewards and earnings pending before the upgrade are paid after it;
#   - migrating a contract with another contract's code, or back to the older code, fails with
#     the contract's own error and changes nothing;
#   - an inference id paid under the old release is still refused to its payer (the old records
#     are read beside the per-payer ones), and free to another payer;
#   - the current deploy finds nothing new, and the current flows (datanet, influence on the
#     migrated pool, model, escrow) pass on the migrated contracts.
# The baseline is built from git into target/upgrade-baseline (its artifacts and deploy tool are
# kept there per commit, so later runs reuse them). The chain is stopped and every temporary file
# removed however the script ends.
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
# One folder per baseline commit under target/upgrade-baseline (gitignored): cargo's state for
# that commit's sources, and the finished artifacts and deploy tool, reused by later runs.
BASE_ROOT="$ROOT/target/upgrade-baseline"
BASE_TARGET="$BASE_ROOT/$commit"
BASE="$BASE_TARGET/ready"
base_cached() {
  [ -x "$BASE/openledger" ] && [ -s "$BASE/artifacts/checksums.txt" ] &&
    (cd "$BASE/artifacts" && sha256sum --check --quiet checksums.txt >/dev/null 2>&1)
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
  rm -rf "$BASE.partial"; mkdir -p "$BASE.partial"
  cp -r "$src/artifacts" "$BASE.partial/artifacts"
  cp "$BASE_TARGET/debug/openledger" "$BASE.partial/openledger"
  rm -rf "$BASE"; mv "$BASE.partial" "$BASE"
fi
BASE_CLI="$BASE/openledger"
lap "baseline build"

cargo build -q --locked -p openledger-cli -p attribution-tree
CLI="$ROOT/target/debug/openledger"
# A copy of the current artifacts, checked against their checksums: a build running meanwhile
# cannot change what this test upgrades to.
for c in open_token reward_pool datanet_registry model_licensing agent_escrow; do
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

# JSON handling, snapshots and their comparison (python3 is a prerequisite of the project).
cat >"$WORK/upgrade_test.py" <<'PY'
import json, os, sys
from concurrent.futures import ThreadPoolExecutor

def first_json(text):
    start = text.find("{")
    if start < 0:
        raise SystemExit("no JSON in: " + text.strip()[-300:])
    return json.JSONDecoder().raw_decode(text[start:])[0]

# Queries go straight to the node's RPC (abci_query with the wasm module's gRPC paths, the
# request encoded by hand), not through the chain binary: a few ms each instead of a process.
def _field(num, data):
    out, n = bytearray([num << 3 | 2]), len(data)
    while n >= 0x80:
        out.append(n & 0x7F | 0x80); n >>= 7
    out.append(n)
    return bytes(out) + data

def _abci(method, addr, data):
    import base64, urllib.parse, urllib.request
    req = _field(1, addr.encode()) + _field(2, data)
    node = os.environ["CHAIN_NODE"].replace("tcp://", "http://")
    url = node + "/abci_query?" + urllib.parse.urlencode(
        {"path": f'"/cosmwasm.wasm.v1.Query/{method}"', "data": "0x" + req.hex()})
    res = json.load(urllib.request.urlopen(url, timeout=30))["result"]["response"]
    if res.get("code", 0) != 0:
        return None
    raw = base64.b64decode(res.get("value") or "")
    if not raw:
        return b""
    # The response is one length-delimited field 1 (data).
    i, n, shift = 1, 0, 0
    while True:
        b = raw[i]; i += 1
        n |= (b & 0x7F) << shift; shift += 7
        if b < 0x80:
            break
    return raw[i:i + n]

def smart(addr, msg):
    v = _abci("SmartContractState", addr, json.dumps(msg).encode())
    return None if v is None else json.loads(v)

def cw2(addr):
    # The cw2 record lives under the raw key "contract_info".
    v = _abci("RawContractState", addr, b"contract_info")
    return json.loads(v) if v else None

def snapshot(out_path):
    m = json.load(open(os.environ["MANIFEST"]))
    c = {k: v["address"] for k, v in m["contracts"].items()}
    accounts = [l.split() for l in open(os.environ["ACCOUNTS"]) if l.strip()]
    tok, reg, pool, mod = c["open_token"], c["datanet_registry"], c["reward_pool"], c["model_licensing"]
    q = {}  # name -> (contract, msg)
    for name, addr in accounts + [("contract:" + k, v) for k, v in c.items()]:
        q[f"balance {name}"] = (tok, {"balance": {"address": addr}})
    for name, addr in accounts:
        q[f"pool staker {name}"] = (pool, {"staker": {"address": addr}})
        q[f"pool pending_rewards {name}"] = (pool, {"pending_rewards": {"address": addr}})
        q[f"models earnings {name}"] = (mod, {"earnings": {"address": addr}})
        q[f"models licenses {name}"] = (mod, {"licenses": {"licensee": addr}})
        q[f"registry withdrawable_bonds {name}"] = (reg, {"withdrawable_bonds": {"address": addr}})
        q[f"registry contributions_by_contributor {name}"] = (reg, {"contributions_by_contributor": {"contributor": addr, "limit": 50}})
    q["token token_info"] = (tok, {"token_info": {}})
    q["registry config"] = (reg, {"config": {}})
    q["registry solvency"] = (reg, {"solvency": {}})
    q["pool config"] = (pool, {"config": {}})
    q["pool solvency"] = (pool, {"solvency": {}})
    q["pool staking_pool"] = (pool, {"staking_pool": {}})
    q["models config"] = (mod, {"config": {}})
    q["models solvency"] = (mod, {"solvency": {}})
    esc = c["agent_escrow"]
    q["escrow config"] = (esc, {"config": {}})
    q["escrow solvency"] = (esc, {"solvency": {}})
    agent = dict(accounts)["agent"]
    q["escrow agent agent"] = (esc, {"agent": {"address": agent}})
    for t in smart(esc, {"tasks_by_agent": {"agent": agent, "limit": 50}})["tasks"]:
        q[f"escrow task {t['id']}"] = (esc, {"task": {"task_id": t["id"]}})
    datanets = smart(reg, {"datanets": {"limit": 50}})["datanets"]
    for d in datanets:
        i = d["id"]
        q[f"registry datanet {i}"] = (reg, {"datanet": {"datanet_id": i}})
        q[f"registry versions {i}"] = (reg, {"versions": {"datanet_id": i, "limit": 50}})
        q[f"pool datanet_pool {i}"] = (pool, {"datanet_pool": {"datanet_id": i}})
        for status in ("pending", "accepted", "rejected", "withdrawn", "removed"):
            q[f"registry contributions {i} {status}"] = (reg, {"contributions_by_datanet": {"datanet_id": i, "status": status, "limit": 50}})
    contribution_ids = []
    for i in range(1, 1000):
        if smart(reg, {"contribution": {"contribution_id": i}}) is None:
            break
        contribution_ids.append(i)
        q[f"registry contribution {i}"] = (reg, {"contribution": {"contribution_id": i}})
    models = smart(mod, {"models": {"limit": 50}})["models"]
    for mdl in models:
        q[f"models model {mdl['id']}"] = (mod, {"model": {"model_id": mdl["id"]}})
        q[f"models model_stats {mdl['id']}"] = (mod, {"model_stats": {"model_id": mdl["id"]}})
    for spec in os.environ.get("EXTRA_QUERIES", "").split(";"):
        if spec.strip():
            name, contract, msg = spec.split("|")
            q[name] = (c[contract], json.loads(msg))
    with ThreadPoolExecutor(4) as ex:
        names = list(q)
        answers = list(ex.map(lambda n: smart(*q[n]), names))
        versions = list(ex.map(cw2, c.values()))
    snap = dict(zip(names, answers))
    for k, v in zip(c, versions):
        snap[f"cw2 {k}"] = v
    missing = [n for n, v in snap.items() if v is None]
    if missing:
        raise SystemExit("queries without an answer: " + ", ".join(missing))
    json.dump(snap, open(out_path, "w"), indent=1, sort_keys=True)
    print(f"{len(snap)} answers: {len(datanets)} datanets, {len(contribution_ids)} contributions, {len(models)} models, {len(accounts)} accounts, {len(c)} contracts")

# Fields the current release added to responses of the pool, with the values a migrated pool
# must report (the defaults its migration writes, and no bonds).
ADDED = {
}
# Fields the current release added to responses, wherever they appear, with the value every
# record written by the older release must show after the migration ("=bond": the answer's own
# bond, as free bond = bond - reserved with nothing reserved).
NEW_FIELDS = {
    "reserved": "0", "free": "=bond",                         # escrow agents: nothing reserved
    "bond_reserved": None, "min_agent_bond": None,            # escrow tasks of the old release:
    "max_model_fees": None, "min_bond_reserved": None,        #   no budget, no floor
    "committed_at": None, "displaced_by": None,               # contributions without commitments
    "challenger_reward_bps": 2000,                            # pool config
    "staking_reward_period": 604800,                          # written by the pool's migrate
    "challenge_rewards": "0", "staking_stream": "0",          # pool liabilities
    "remainders": {"contributors": "0", "stakers": "0"},      # pool solvency
    "streaming": "0", "stream_end": 0, "total_forfeited": "0",  # staking pool: no stream yet
}

def diff(before, after, added, path, errors, notes):
    if isinstance(before, dict) and isinstance(after, dict):
        for k in before:
            if k not in after:
                errors.append(f"{path}.{k}: gone (was {json.dumps(before[k])})")
            else:
                sub = added.get(k, {}) if isinstance(added, dict) else {}
                diff(before[k], after[k], sub, f"{path}.{k}", errors, notes)
        for k in after:
            if k not in before:
                want = added.get(k, NEW_FIELDS.get(k, "<absent>")) if isinstance(added, dict) else NEW_FIELDS.get(k, "<absent>")
                if want == "=bond":
                    want = after.get("bond")
                if want == after[k]:
                    notes.append(f"{path.split('.')[0]}: .{k} = {json.dumps(after[k])}")
                else:
                    errors.append(f"{path}.{k}: new field {json.dumps(after[k])}, expected {json.dumps(want)}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after)):
            diff(b, a, added, f"{path}[{i}]", errors, notes)
    elif before != after:
        errors.append(f"{path}: {json.dumps(before)} -> {json.dumps(after)}")

def compare(before_path, after_path, old_version, new_version):
    before, after = json.load(open(before_path)), json.load(open(after_path))
    errors, notes = [], []
    for name in sorted(before):
        if name.startswith("cw2 "):
            b, a = before[name], after.get(name)
            if b.get("version") != old_version:
                errors.append(f"{name}: {b} before the upgrade, expected version {old_version}")
            if a != {"contract": b.get("contract"), "version": new_version}:
                errors.append(f"{name}: {a} after the upgrade, expected {b.get('contract')} {new_version}")
            continue
        if name not in after:
            errors.append(f"{name}: not answered after the upgrade")
            continue
        diff(before[name], after[name], ADDED.get(name, {}), name, errors, notes)
    for n in sorted(set(notes)):
        print("added by the migration: " + n)
    if errors:
        print("\n".join("changed: " + e for e in errors))
        sys.exit(1)
    print(f"{len(before)} answers identical but for the new fields, each with the value the migration must give it")

def field(path):
    v = first_json(sys.stdin.read())
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    print("" if v is None else (v if isinstance(v, str) else json.dumps(v)))

cmd = sys.argv[1]
if cmd == "snapshot": snapshot(sys.argv[2])
elif cmd == "compare": compare(*sys.argv[2:6])
elif cmd == "field": field(sys.argv[2])
elif cmd == "smart": print(json.dumps(smart(sys.argv[2], json.loads(sys.argv[3])), sort_keys=True))
elif cmd == "cw2": print(json.dumps(cw2(sys.argv[2]), sort_keys=True))
PY
py() { python3 "$WORK/upgrade_test.py" "$@"; }
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
# refusal fails the test. A stale account sequence (the node indexes a transaction a moment
# before its state is visible to the next simulation) is retried.
tx() {
  local from="$1" contract="$2" msg="$3" out hash code
  for _ in $(seq 20); do
    out="$("$CHAIN_BIN" tx wasm execute "$contract" "$msg" --from "$from" --gas auto \
      --gas-adjustment 1.4 "${TXFLAGS[@]}" 2>&1)" || true
    if grep -q "account sequence mismatch" <<<"$out"; then sleep 0.25; continue; fi
    hash="$(py field txhash <<<"$out" 2>/dev/null)" || hash=""
    code="$(py field code <<<"$out" 2>/dev/null)" || code=""
    if [ -z "$hash" ] || [ "${code:-0}" != 0 ]; then fail "$from: $msg: $(tail -1 <<<"$out")"; fi
    out="$(wait_tx "$hash")"
    code="$(py field code <<<"$out")"
    [ "${code:-0}" = 0 ] || fail "$from: $msg: $(py field raw_log <<<"$out")"
    return 0
  done
  fail "$from: $msg: account sequence mismatch 20 times"
}

# send KEY CONTRACT AMOUNT HOOK: a cw20 send of OPEN with a hook.
send() {
  local hook; hook="$(printf '%s' "$4" | base64 -w0)"
  tx "$1" "$TOKEN" "{\"send\":{\"contract\":\"$2\",\"amount\":\"$3\",\"msg\":\"$hook\"}}"
}
balance() { py smart "$TOKEN" "{\"balance\":{\"address\":\"$1\"}}" | py field balance; }
code_of() { "$CHAIN_BIN" q wasm contract "$1" --node "$CHAIN_NODE" --output json | py field contract_info.code_id; }

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

TOKEN="$(py field contracts.open_token.address <"$MANIFEST")"
POOL="$(py field contracts.reward_pool.address <"$MANIFEST")"
REGISTRY="$(py field contracts.datanet_registry.address <"$MANIFEST")"
MODELS="$(py field contracts.model_licensing.address <"$MANIFEST")"
BASE_POOL_CODE="$(py field contracts.reward_pool.code_id <"$MANIFEST")"

log "more state: stakes and an unbonding, a licence and a licensed inference, an unsigned paid inference, unclaimed rewards"
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
export EXTRA_QUERIES="models license 1 client|model_licensing|{\"license\":{\"model_id\":1,\"licensee\":\"$client_addr\"}};models inference upgrade-paid-1|model_licensing|{\"inference\":{\"model_id\":1,\"inference_id\":\"upgrade-paid-1\"}};models inference upgrade-licensed-1|model_licensing|{\"inference\":{\"model_id\":1,\"inference_id\":\"upgrade-licensed-1\"}}"
# The same questions in the current release's words (inference ids are per payer).
AFTER_QUERIES="models inference upgrade-paid-1|model_licensing|{\"inference\":{\"model_id\":1,\"payer\":\"$client_addr\",\"inference_id\":\"upgrade-paid-1\"}};models inference upgrade-licensed-1|model_licensing|{\"inference\":{\"model_id\":1,\"payer\":\"$client_addr\",\"inference_id\":\"upgrade-licensed-1\"}}"
lap "extra state"

log "snapshot before the upgrade: $(py snapshot "$WORK/before.json")"
for c in open_token reward_pool datanet_registry model_licensing agent_escrow; do
  v="$(py field "cw2 $c.version" <"$WORK/before.json")"
  [ "$v" = "$old_version" ] || fail "$c runs cw2 version $v before the upgrade, expected $old_version"
done
# Everything pending must be non-zero, so that paying it after the upgrade proves something.
pending_c2="$(py field "pool pending_rewards contributor2.total" <"$WORK/before.json")"
pending_c3="$(py field "pool pending_rewards contributor3.total" <"$WORK/before.json")"
staking_s1="$(py field "pool staker staker1.claimable_rewards" <"$WORK/before.json")"
earnings_mo="$(py field "models earnings model_owner" <"$WORK/before.json")"
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
for c in open_token reward_pool datanet_registry model_licensing agent_escrow; do
  grep -qE "^\[upgrade\] migrated $c \(.*\): code [0-9]+ -> [0-9]+, version $old_version -> $new_version$" "$WORK/upgrade.log" ||
    fail "the upgrade report has no migration of $c from $old_version to $new_version"
done
grep -q "^\[upgrade\] migrated 5 of 5 contracts" "$WORK/upgrade.log" || fail "expected 5 of 5 contracts migrated"
ok "upgrade migrated all five contracts from $old_version to $new_version"
lap "upgrade"

log "snapshot after the upgrade: $(EXTRA_QUERIES="$EXTRA_QUERIES;$AFTER_QUERIES" py snapshot "$WORK/after.json")"
py compare "$WORK/before.json" "$WORK/after.json" "$old_version" "$new_version" >"$WORK/compare.log" ||
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
  before_code="$(code_of "$contract")"; before_cw2="$(py cw2 "$contract")"
  out="$("$CHAIN_BIN" tx wasm migrate "$contract" "$code" '{}' --from deployer --gas 2000000 "${TXFLAGS[@]}" 2>&1)" ||
    fail "$what: broadcast failed: $(tail -1 <<<"$out")"
  hash="$(py field txhash <<<"$out")"
  out="$(wait_tx "$hash")"
  [ "$(py field code <<<"$out")" != 0 ] || fail "$what: the migration succeeded (tx $hash)"
  log_line="$(py field raw_log <<<"$out")"
  grep -qF -- "$expected" <<<"$log_line" || fail "$what: expected '$expected' in: $log_line"
  [ "$(code_of "$contract")" = "$before_code" ] || fail "$what: the contract's code changed"
  [ "$(py cw2 "$contract")" = "$before_cw2" ] || fail "$what: the cw2 record changed"
  ok "$what -> $log_line"
}
expect_refused "registry migrated with the pool's code" "$REGISTRY" "$POOL_CODE" \
  "cannot migrate a crates.io:datanet-registry contract with crates.io:reward-pool code"
expect_refused "pool migrated back to the $old_version pool code" "$POOL" "$BASE_POOL_CODE" \
  "cannot migrate from version $new_version to the older version $old_version"
lap "refusals"

# ---------------------------------------------------------------------------------------------
# 4. What was pending before the upgrade is paid after it; the current suite works on it.
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

log "inference ids paid under $old_version: refused to their payer, free to another"
out="$("$CHAIN_BIN" tx wasm execute "$TOKEN" "{\"send\":{\"contract\":\"$MODELS\",\"amount\":\"1000\",\"msg\":\"$(printf '%s' '{"pay_inference":{"model_id":1,"inference_id":"upgrade-paid-1"}}' | base64 -w0)\"}}" \
  --from client --gas 2000000 "${TXFLAGS[@]}" 2>&1)" || fail "replay broadcast failed: $(tail -1 <<<"$out")"
out="$(wait_tx "$(py field txhash <<<"$out")")"
[ "$(py field code <<<"$out")" != 0 ] || fail "the client paid inference upgrade-paid-1 of model 1 a second time"
grep -qF "already paid" <<<"$(py field raw_log <<<"$out")" || fail "unexpected refusal of the replay: $(py field raw_log <<<"$out")"
ok "the $old_version record of upgrade-paid-1 still refuses its payer: $(py field raw_log <<<"$out" | grep -o 'inference[^;]*already paid[^;]*' | head -1)"
tx deployer "$TOKEN" "{\"transfer\":{\"recipient\":\"$(addr_of staker2)\",\"amount\":\"1000\"}}"
send staker2 "$MODELS" 1000 '{"pay_inference":{"model_id":1,"inference_id":"upgrade-paid-1"}}'
[ "$(py smart "$MODELS" "{\"inference\":{\"model_id\":1,\"payer\":\"$(addr_of staker2)\",\"inference_id\":\"upgrade-paid-1\"}}" | py field fee)" = 1000 ] ||
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
ATTRIBUTION_TREE_BIN="$ROOT/target/debug/attribution-tree" "$CLI" flow-influence
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
