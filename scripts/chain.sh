#!/usr/bin/env bash
# Runs a real single-node Cosmos chain with CosmWasm (injectived, Cosmos SDK 0.50) on this machine,
# for deploys and tests: builds the tools crate and runs `openledger chain` (scripts/cli/src/localchain/).
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
# Every listener binds 127.0.0.1. Messages go to stderr, prefixed [chain]; only `accounts` and
# `env` write to stdout.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Built in the repository (its rust-toolchain.toml) without leaving the caller's folder, which a
# relative CHAIN_HOME is resolved against; cargo's own output goes to stderr: callers eval what
# `env` prints.
(cd "$REPO_ROOT" && cargo build -q --locked -p openledger-cli) >&2
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$REPO_ROOT/$TARGET" ;; esac
OPENLEDGER_REPO="$REPO_ROOT" exec "$TARGET/debug/openledger" chain "$@"
