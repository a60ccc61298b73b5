#!/usr/bin/env bash
# Runs `openledger <command> ...` against the configured chain: the local chain of
# scripts/chain.sh unless CHAIN_NODE is set (then CHAIN_BIN, CHAIN_HOME, CHAIN_ID, CHAIN_GAS_PRICE
# and DEPLOYER_KEY describe the network). scripts/deploy.sh, upgrade.sh and bench.sh call it.
#
#   scripts/with-chain.sh deploy|upgrade|bench|story|flow-*|... [ARGS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${CHAIN_NODE:-}" ]; then
  eval "$(scripts/chain.sh env)"
fi
export CHAIN_BIN CHAIN_HOME CHAIN_ID CHAIN_NODE
exec cargo run -q --locked -p openledger-cli -- "$@"
