#!/usr/bin/env bash
# Runs a real single-node Cosmos chain with CosmWasm (injectived, Cosmos SDK 0.50) on this machine,
# for deploys and tests.
#
#   scripts/chain.sh start|stop|status|reset|accounts|env
#
#   start     initialise CHAIN_HOME if needed (genesis with a funded key per protocol actor), start
#             the node in the background and wait until it produces blocks
#   stop      stop the node (SIGTERM, then SIGKILL after 10 s)
#   status    running/stopped, height, chain id, RPC; exit 0 running and producing blocks,
#             1 running but not answering / not producing blocks, 3 stopped
#   reset     stop the node and delete CHAIN_HOME
#   accounts  print "name address" for every key (stdout)
#   env       print export lines for CHAIN_BIN, CHAIN_HOME, CHAIN_ID, CHAIN_NODE (stdout), for
#             eval "$(scripts/chain.sh env)"
#
# Environment (defaults in brackets):
#   CHAIN_HOME      node home                                    [<repo>/.localchain]
#   CHAIN_ID        chain id                                     [openledger-local-1]
#   CHAIN_RPC_PORT  CometBFT RPC port; the other ports move with it by the same offset:
#                   P2P = RPC-1 [36656], gRPC [39090], REST API [31317]   [36657]
#   CHAIN_P2P_PORT, CHAIN_GRPC_PORT, CHAIN_API_PORT   override one derived port
#   CHAIN_BIN       chain binary; unset = injectived from scripts/tools.sh, installed on first use
#   CHAIN_START_TIMEOUT  seconds to wait for the first blocks    [60]
#   CHAIN_LOG_LEVEL      node log level                          [info]
#
# Every listener binds 127.0.0.1; servers the protocol does not need (EVM JSON-RPC and its
# websocket, gRPC-web, pprof, Prometheus, CometBFT gRPC, injective websocket, chainstream) are
# disabled. Keys use the "test" keyring backend inside CHAIN_HOME; CHAIN_HOME/keys.jsonl keeps the
# output of "keys add" (address and mnemonic) for tools that sign on their own.
# Messages go to stderr, prefixed [chain]; only `accounts` and `env` write to stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# tools.sh exports its own CHAIN_BIN; keep the caller's choice.
USER_CHAIN_BIN="${CHAIN_BIN:-}"
# shellcheck source=scripts/tools.sh
source "$SCRIPT_DIR/tools.sh"
DEFAULT_CHAIN_BIN="$CHAIN_BIN"

msg() { printf '[chain] %s\n' "$*" >&2; }
die() { msg "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------
CHAIN_HOME="${CHAIN_HOME:-$REPO_ROOT/.localchain}"
case "$CHAIN_HOME" in /*) ;; *) CHAIN_HOME="$PWD/$CHAIN_HOME" ;; esac
while [ "${#CHAIN_HOME}" -gt 1 ] && [ "${CHAIN_HOME%/}" != "$CHAIN_HOME" ]; do CHAIN_HOME="${CHAIN_HOME%/}"; done
CHAIN_ID="${CHAIN_ID:-openledger-local-1}"
CHAIN_RPC_PORT="${CHAIN_RPC_PORT:-36657}"
START_TIMEOUT="${CHAIN_START_TIMEOUT:-60}"
LOG_LEVEL="${CHAIN_LOG_LEVEL:-info}"

MONIKER="openledger-local"
KEYRING=(--keyring-backend test)
FUNDS="1000000000000000000000000inj,1000000000000000000000000stake"
SELF_DELEGATION="1000000000000000000000stake"
# One funded key per actor of the protocol; "validator" signs the gentx.
ACTORS=(deployer curator1 curator2 contributor1 contributor2 contributor3 contributor4 model_owner
        host agent client arbiter attestor staker1 staker2 treasury validator)

PID_FILE="$CHAIN_HOME/node.pid"
LOG_FILE="$CHAIN_HOME/node.log"
MARKER="$CHAIN_HOME/.openledger-chain"   # written last by a complete initialisation
TMP_HOME=""

is_port() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

is_port "$CHAIN_RPC_PORT" || die "CHAIN_RPC_PORT must be a port number (1-65535), not '$CHAIN_RPC_PORT'"
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "CHAIN_START_TIMEOUT must be a number of seconds, not '$START_TIMEOUT'"
PORT_OFFSET=$((CHAIN_RPC_PORT - 36657))
RPC_PORT="$CHAIN_RPC_PORT"
P2P_PORT="${CHAIN_P2P_PORT:-$((36656 + PORT_OFFSET))}"
GRPC_PORT="${CHAIN_GRPC_PORT:-$((39090 + PORT_OFFSET))}"
API_PORT="${CHAIN_API_PORT:-$((31317 + PORT_OFFSET))}"
# Ports the node listens on, as "port:what:variable".
PORTS=("$RPC_PORT:RPC:CHAIN_RPC_PORT" "$P2P_PORT:P2P:CHAIN_P2P_PORT" "$GRPC_PORT:gRPC:CHAIN_GRPC_PORT"
       "$API_PORT:REST API:CHAIN_API_PORT")
port_list=""
for entry in "${PORTS[@]}"; do
  IFS=: read -r port what var <<<"$entry"
  is_port "$port" || die "$what port '$port' is not a port number 1-65535 (CHAIN_RPC_PORT=$CHAIN_RPC_PORT); set $var"
  port_list="${port_list:+$port_list, }$what $port"
done
if [ "$(printf '%s\n' "${PORTS[@]%%:*}" | sort -u | wc -l)" -ne "${#PORTS[@]}" ]; then
  die "the node's ports must differ ($port_list)"
fi
CHAIN_NODE="tcp://127.0.0.1:$RPC_PORT"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
cleanup() {
  if [ -n "$TMP_HOME" ] && [ -d "$TMP_HOME" ]; then rm -rf "$TMP_HOME"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sets CHAIN_BIN. $1 = install: install the default binary if it is missing.
resolve_bin() {
  if [ -n "$USER_CHAIN_BIN" ] && [ "$USER_CHAIN_BIN" != "$DEFAULT_CHAIN_BIN" ]; then
    local path="$USER_CHAIN_BIN"
    if [[ "$path" != */* ]]; then
      path="$(command -v -- "$path" 2>/dev/null)" || die "chain binary not found: $USER_CHAIN_BIN"
    fi
    [ -f "$path" ] || die "chain binary not found: $USER_CHAIN_BIN"
    [ -x "$path" ] || die "chain binary is not executable: $path"
    CHAIN_BIN="$path"
  else
    CHAIN_BIN="$DEFAULT_CHAIN_BIN"
    if [ "${1:-}" = install ]; then
      ensure_chain || die "could not install the chain binary (see the messages above)"
    fi
  fi
}

# Serialises start/stop/reset on one CHAIN_HOME (the lock file lives outside the repository).
take_lock() {
  command -v flock >/dev/null || return 0
  local sum lock
  sum="$(printf '%s' "$CHAIN_HOME" | cksum | cut -d' ' -f1)"
  lock="${TMPDIR:-/tmp}/openledger-chain.$(id -u).$sum.lock"
  exec 9>"$lock"
  if ! flock -n 9; then
    msg "another scripts/chain.sh is working on $CHAIN_HOME; waiting for it"
    flock -w 300 9 || die "timed out waiting for the other scripts/chain.sh ($lock)"
  fi
}

# Runs a command quietly; on failure prints one line with its last line of output and exits.
run_step() {
  local what="$1" out last
  shift
  if ! out="$("$@" 2>&1)"; then
    last="$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$' | tail -n 1 || true)"
    die "$what failed: ${last:-no output}"
  fi
  printf '%s' "$out"
}

# Is this pid a live (non-zombie) process?
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  stat="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$stat" ] && [[ "$stat" != Z* ]]
}

# Prints the pid of this home's node if it runs (pid file + matching command line).
node_pid() {
  local pid args
  [ -f "$PID_FILE" ] || return 1
  pid="$(head -n 1 "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  args="$(ps -o args= -p "$pid" 2>/dev/null || true)"
  [[ "$args" == *" start "*"--home $CHAIN_HOME "* ]] || return 1
  printf '%s\n' "$pid"
}

# Prints the RPC's /status (JSON) or fails.
rpc_status() { "$CHAIN_BIN" status --node "$CHAIN_NODE" 2>/dev/null; }
json_field() { # json key -> first string value of "key":"value"
  printf '%s' "$1" | grep -o "\"$2\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4
}
rpc_height() {
  local out h
  out="$(rpc_status)" || return 1
  h="$(json_field "$out" latest_block_height)"
  [[ "$h" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$h"
}

show_log_tail() {
  [ -f "$LOG_FILE" ] || return 0
  msg "last lines of $LOG_FILE:"
  tail -n 25 "$LOG_FILE" | sed 's/^/[chain] | /' >&2
}

# Prints "what" for a port something listens on, or fails if it is free.
port_user() {
  local port="$1" line proc
  if command -v ss >/dev/null; then
    line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n 1)"
    [ -n "$line" ] || return 1
    proc="$(printf '%s' "$line" | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 || true)"
    if [ -n "$proc" ]; then
      printf '%s pid %s\n' "$(printf '%s' "$proc" | cut -d'"' -f2)" "${proc##*pid=}"
    else
      printf 'another process, on %s\n' "$(printf '%s' "$line" | awk '{print $4}')"
    fi
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
    printf 'another process\n'
  fi
}

check_ports() {
  local entry port what by
  for entry in "${PORTS[@]}"; do
    IFS=: read -r port what _ <<<"$entry"
    if by="$(port_user "$port")"; then
      die "port $port ($what) is already in use (by $by); set CHAIN_RPC_PORT to move all ports"
    fi
  done
}

# set_toml FILE SECTION KEY VALUE: sets KEY = VALUE (a TOML literal) in [SECTION] ("" = top);
# returns 2 if the key is not there.
set_toml() {
  local file="$1" section="$2" key="$3" value="$4" tmp
  tmp="$file.tmp.$$"
  if awk -v sec="$section" -v key="$key" -v val="$value" '
      BEGIN { cur = ""; done = 0 }
      /^[[:space:]]*\[/ { line = $0; gsub(/^[[:space:]]*\[+|\]+[[:space:]]*$/, "", line); cur = line }
      !done && cur == sec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { print key " = " val; done = 1; next }
      { print }
      END { exit(done ? 0 : 2) }' "$file" >"$tmp"; then
    mv -f "$tmp" "$file"
  else
    rm -f "$tmp"
    return 2
  fi
}
# must_set fails loudly (core settings); try_set ignores keys another binary version lacks.
must_set() { set_toml "$@" || die "cannot set [$2] $3 in $1 (unexpected config format)"; }
try_set() { set_toml "$@" || true; }

# Binds every listener to 127.0.0.1 and switches off the servers the protocol does not need.
# Run on every start, so a changed CHAIN_RPC_PORT takes effect.
configure_home() {
  local home="$1" cfg app client
  cfg="$home/config/config.toml"; app="$home/config/app.toml"; client="$home/config/client.toml"

  must_set "$cfg" rpc laddr "\"tcp://127.0.0.1:$RPC_PORT\""
  must_set "$cfg" rpc pprof_laddr '""'
  must_set "$cfg" p2p laddr "\"tcp://127.0.0.1:$P2P_PORT\""
  must_set "$cfg" p2p external_address '""'
  must_set "$cfg" p2p seeds '""'
  must_set "$cfg" p2p persistent_peers '""'
  must_set "$cfg" p2p pex false
  must_set "$cfg" consensus timeout_commit '"500ms"'
  must_set "$cfg" consensus timeout_propose '"1s"'
  must_set "$cfg" instrumentation prometheus false
  must_set "$cfg" instrumentation prometheus_listen_addr '"127.0.0.1:26660"'
  try_set "$cfg" grpc laddr '""'
  try_set "$cfg" grpc.privileged laddr '""'

  must_set "$app" "" minimum-gas-prices '"0inj"'
  must_set "$app" api enable true
  must_set "$app" api address "\"tcp://127.0.0.1:$API_PORT\""
  must_set "$app" api enabled-unsafe-cors false
  must_set "$app" grpc enable true
  must_set "$app" grpc address "\"127.0.0.1:$GRPC_PORT\""
  try_set "$app" grpc-web enable false
  try_set "$app" json-rpc enable false
  try_set "$app" json-rpc address '"127.0.0.1:8545"'
  try_set "$app" json-rpc ws-address '"127.0.0.1:8546"'
  try_set "$app" json-rpc enable-indexer false
  try_set "$app" json-rpc metrics false
  try_set "$app" json-rpc metrics-address '"127.0.0.1:6065"'
  try_set "$app" json-rpc-debug enable false
  try_set "$app" json-rpc-debug address '"127.0.0.1:8547"'
  try_set "$app" injective-websocket address '""'
  try_set "$app" chainstream server '""'
  try_set "$app" metrics metrics-enabled false
  try_set "$app" metrics tracing-enabled false

  try_set "$client" "" chain-id "\"$CHAIN_ID\""
  try_set "$client" "" keyring-backend '"test"'
  try_set "$client" "" node "\"$CHAIN_NODE\""
}

remove_stale_partials() {
  local dir pid
  for dir in "$CHAIN_HOME".partial.*; do
    [ -d "$dir" ] || continue
    pid="${dir##*.partial.}"
    if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid"; then continue; fi
    rm -rf "$dir"
  done
}

# Prints none | ready | foreign.
home_state() {
  if [ ! -e "$CHAIN_HOME" ]; then echo none
  elif [ -f "$MARKER" ]; then echo ready
  elif [ -d "$CHAIN_HOME" ] && [ -z "$(ls -A "$CHAIN_HOME")" ]; then echo none
  else echo foreign
  fi
}

check_home() {
  local state home_id
  state="$(home_state)"
  case "$state" in
    none) ;;
    ready)
      home_id="$(sed -n 's/^chain_id=//p' "$MARKER")"
      [ "$home_id" = "$CHAIN_ID" ] ||
        die "$CHAIN_HOME holds chain '$home_id', not CHAIN_ID=$CHAIN_ID; run 'scripts/chain.sh reset' or set CHAIN_ID=$home_id" ;;
    *) die "$CHAIN_HOME exists but is not a complete chain home made by this script; move it away or pick another CHAIN_HOME" ;;
  esac
}

# Builds the whole home in a sibling temporary folder and renames it into place at the end, so
# an interrupted initialisation never leaves a home that a later start would trust.
init_home() {
  local tmp out addr name
  tmp="$CHAIN_HOME.partial.$$"
  TMP_HOME="$tmp"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$CHAIN_HOME")"
  msg "initialising $CHAIN_ID in $CHAIN_HOME (${#ACTORS[@]} funded keys)"

  run_step "init" "$CHAIN_BIN" init "$MONIKER" --chain-id "$CHAIN_ID" --home "$tmp" >/dev/null
  : >"$tmp/keys.jsonl"
  chmod 600 "$tmp/keys.jsonl"
  for name in "${ACTORS[@]}"; do
    out="$(run_step "keys add $name" "$CHAIN_BIN" keys add "$name" "${KEYRING[@]}" --home "$tmp" --output json)"
    addr="$(json_field "$out" address)"
    [[ "$addr" == inj1* ]] || die "keys add $name printed no inj1 address"
    printf '%s\n' "$out" | grep '^{' >>"$tmp/keys.jsonl" || true
    run_step "add-genesis-account $name" "$CHAIN_BIN" genesis add-genesis-account "$addr" "$FUNDS" \
      --chain-id "$CHAIN_ID" --home "$tmp" >/dev/null
  done
  run_step "gentx" "$CHAIN_BIN" genesis gentx validator "$SELF_DELEGATION" \
    --chain-id "$CHAIN_ID" "${KEYRING[@]}" --home "$tmp" >/dev/null
  run_step "collect-gentxs" "$CHAIN_BIN" genesis collect-gentxs --home "$tmp" >/dev/null
  run_step "genesis validate" "$CHAIN_BIN" genesis validate "$tmp/config/genesis.json" --home "$tmp" >/dev/null
  configure_home "$tmp"

  printf 'chain_id=%s\ncreated=%s\n' "$CHAIN_ID" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$tmp/.openledger-chain"
  if [ -d "$CHAIN_HOME" ]; then rmdir "$CHAIN_HOME"; fi   # only ever an empty folder here
  [ ! -e "$CHAIN_HOME" ] || die "$CHAIN_HOME appeared while initialising; not replacing it"
  mv "$tmp" "$CHAIN_HOME"   # a rename within one folder: the home appears complete or not at all
  TMP_HOME=""
}

# Starts the node detached from this shell; prints its pid.
launch_node() {
  local launcher=() pid=""
  if command -v setsid >/dev/null; then launcher=(setsid); fi
  if [ -f "$LOG_FILE" ]; then mv -f "$LOG_FILE" "$LOG_FILE.prev"; fi
  rm -f "$PID_FILE"
  # The inner shell writes its own pid, which exec keeps for the node (the PyPI wrapper execs
  # the real binary too). fd 9 (the lock) must not be inherited by the node.
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  nohup "${launcher[@]}" bash -c 'echo "$$" >"$1"; shift; exec "$@"' chain-node "$PID_FILE" \
    "$CHAIN_BIN" start --home "$CHAIN_HOME" --minimum-gas-prices 0inj \
    --log-level "$LOG_LEVEL" --log-no-color \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  for _ in $(seq 1 50); do
    pid="$(head -n 1 "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && break
    sleep 0.1
  done
  [[ "$pid" =~ ^[0-9]+$ ]] || die "the node did not start (no pid file after 5 s; see $LOG_FILE)"
  printf '%s\n' "$pid"
}

# Waits until the node has made block 2 and, on a restart, a block beyond the stored height; on
# failure shows the log, stops the node and exits 1.
wait_for_blocks() {
  local pid="$1" deadline h first=""
  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! alive "$pid"; then
      show_log_tail
      rm -f "$PID_FILE"
      die "the node exited during startup (log: $LOG_FILE)"
    fi
    if h="$(rpc_height)"; then
      first="${first:-$h}"
      if [ "$h" -ge 2 ] && [ "$h" -gt "$first" ]; then return 0; fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail
      stop_node "$pid"
      die "no blocks after ${START_TIMEOUT}s; stopped the node (log: $LOG_FILE)"
    fi
    sleep 0.5
  done
}

# Fails (after stopping the node) if the node listens on anything but 127.0.0.1.
check_listeners() {
  local pid="$1" addrs bad
  command -v ss >/dev/null || return 0
  addrs="$(ss -Htulnp 2>/dev/null | grep "pid=$pid," | awk '{print $5}' || true)"
  [ -n "$addrs" ] || return 0   # no process information (not permitted): nothing to check
  bad="$(printf '%s\n' "$addrs" | grep -v '^127\.0\.0\.1:' | tr '\n' ' ' || true)"
  if [ -n "$bad" ]; then
    stop_node "$pid"
    die "the node listened on non-loopback addresses (${bad% }); stopped it, check $CHAIN_HOME/config"
  fi
}

stop_node() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    msg "node (pid $pid) still running after 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do
      alive "$pid" || break
      sleep 0.2
    done
  fi
  alive "$pid" && die "could not stop the node (pid $pid)"
  rm -f "$PID_FILE"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
cmd_start() {
  local pid h started
  take_lock
  resolve_bin
  if pid="$(node_pid)"; then
    if h="$(rpc_height)"; then
      msg "already running (pid $pid, height $h, chain $CHAIN_ID, RPC $CHAIN_NODE)"
      return 0
    fi
    msg "node (pid $pid) is running but its RPC does not answer yet; waiting for blocks"
    wait_for_blocks "$pid"
    msg "running (pid $pid, chain $CHAIN_ID, RPC $CHAIN_NODE)"
    return 0
  fi
  check_home
  check_ports
  resolve_bin install
  remove_stale_partials
  rm -f "$PID_FILE"
  started=$SECONDS
  if [ "$(home_state)" = none ]; then init_home; fi
  configure_home "$CHAIN_HOME"
  pid="$(launch_node)"
  msg "node started (pid $pid, log $LOG_FILE); waiting for blocks"
  wait_for_blocks "$pid"
  check_listeners "$pid"
  h="$(rpc_height || echo '?')"
  msg "chain $CHAIN_ID is producing blocks (height $h) after $((SECONDS - started)) s; RPC $CHAIN_NODE, gRPC 127.0.0.1:$GRPC_PORT, API http://127.0.0.1:$API_PORT"
}

cmd_stop() {
  local pid
  take_lock
  if ! pid="$(node_pid)"; then
    rm -f "$PID_FILE"
    msg "not running ($CHAIN_HOME)"
    return 0
  fi
  msg "stopping the node (pid $pid)"
  stop_node "$pid"
  msg "stopped"
}

cmd_status() {
  local pid h1 h2 out network
  if ! pid="$(node_pid)"; then
    msg "status:   stopped"
    msg "chain id: $CHAIN_ID"
    msg "rpc:      $CHAIN_NODE"
    msg "home:     $CHAIN_HOME ($(home_state | sed 's/^ready$/initialised/;s/^none$/not initialised/'))"
    exit 3
  fi
  resolve_bin
  if ! out="$(rpc_status)" || ! h1="$(rpc_height)"; then
    msg "status:   running (pid $pid) but the RPC at $CHAIN_NODE does not answer"
    exit 1
  fi
  network="$(json_field "$out" network)"
  h2="$h1"
  for _ in $(seq 1 10); do   # up to ~5 s for the next block
    sleep 0.5
    h2="$(rpc_height || echo "$h1")"
    [ "$h2" -gt "$h1" ] && break
  done
  if [ "$h2" -gt "$h1" ]; then msg "status:   running (pid $pid), producing blocks"
  else msg "status:   running (pid $pid) but NOT producing blocks (height stays $h1)"
  fi
  msg "height:   $h2"
  msg "chain id: ${network:-$CHAIN_ID}"
  msg "rpc:      $CHAIN_NODE"
  msg "home:     $CHAIN_HOME"
  [ "$h2" -gt "$h1" ] || exit 1
}

cmd_reset() {
  local pid
  take_lock
  if pid="$(node_pid)"; then
    msg "stopping the node (pid $pid)"
    stop_node "$pid"
  fi
  remove_stale_partials
  if [ ! -e "$CHAIN_HOME" ]; then
    msg "nothing to reset ($CHAIN_HOME does not exist)"
    return 0
  fi
  case "$CHAIN_HOME" in
    / | "$HOME" | "$REPO_ROOT") die "refusing to delete $CHAIN_HOME" ;;
  esac
  if [ ! -f "$MARKER" ] && [ ! -f "$CHAIN_HOME/config/genesis.json" ] && [ -n "$(ls -A "$CHAIN_HOME")" ]; then
    die "refusing to delete $CHAIN_HOME: it does not look like a chain home"
  fi
  rm -rf "$CHAIN_HOME"
  msg "deleted $CHAIN_HOME"
}

cmd_accounts() {
  local out
  [ "$(home_state)" = ready ] || die "$CHAIN_HOME is not initialised; run 'scripts/chain.sh start' first"
  resolve_bin
  out="$(run_step "keys list" "$CHAIN_BIN" keys list "${KEYRING[@]}" --home "$CHAIN_HOME" --output text)"
  # YAML list items "- address: ..." / "  name: ...": print the protocol actors first, in order.
  printf '%s\n' "$out" | awk -v order="${ACTORS[*]}" '
    function flush() { if (name != "") { addr_of[name] = addr; names[++n] = name }; name = ""; addr = "" }
    /^- / { flush(); sub(/^- /, "  ") }
    /^  address:/ { addr = $2 }
    /^  name:/ { name = $2 }
    END {
      flush()
      k = split(order, actors, " ")
      for (i = 1; i <= k; i++) if (actors[i] in addr_of) { print actors[i], addr_of[actors[i]]; seen[actors[i]] = 1 }
      for (i = 1; i <= n; i++) if (!(names[i] in seen)) print names[i], addr_of[names[i]]
    }'
}

cmd_env() {
  resolve_bin install
  printf 'export CHAIN_BIN=%q\n' "$CHAIN_BIN"
  printf 'export CHAIN_HOME=%q\n' "$CHAIN_HOME"
  printf 'export CHAIN_ID=%q\n' "$CHAIN_ID"
  printf 'export CHAIN_NODE=%q\n' "$CHAIN_NODE"
}

usage() { msg "usage: scripts/chain.sh start|stop|status|reset|accounts|env"; }

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  accounts) cmd_accounts ;;
  env) cmd_env ;;
  -h | --help | help) usage ;;
  "") usage; exit 2 ;;
  *) msg "unknown command '$1'"; usage; exit 2 ;;
esac
