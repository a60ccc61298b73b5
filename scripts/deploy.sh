#!/usr/bin/env bash
# Deploys the suite (artifacts/ from scripts/build.sh) to a chain and writes
# deployments/<chain-id>.json. Defaults to the local chain of scripts/chain.sh; any wasmd-based
# network is reached by setting CHAIN_BIN, CHAIN_HOME (keyring), CHAIN_NODE, CHAIN_ID,
# CHAIN_GAS_PRICE and DEPLOYER_KEY.
#
#   scripts/deploy.sh [--expect-unchanged]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/with-chain.sh" deploy "$@"
