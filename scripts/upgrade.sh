#!/usr/bin/env bash
# Upgrades a deployed suite in place: uploads the current artifacts (artifacts/ from
# scripts/build.sh) and migrates every contract of deployments/<chain-id>.json whose code
# differs. It never instantiates: a contract missing from the manifest or from the chain is an
# error and nothing is sent. Configured like scripts/deploy.sh (CHAIN_BIN, CHAIN_HOME, CHAIN_NODE,
# CHAIN_ID, CHAIN_GAS_PRICE, DEPLOYER_KEY, DEPLOY_DIR, ARTIFACTS_DIR).
#
#   scripts/upgrade.sh [NAME...]   (default: every contract in the manifest)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/with-chain.sh" upgrade "$@"
