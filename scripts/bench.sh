#!/usr/bin/env bash
# The gas benchmark in one command: builds the artifacts, starts the local chain (if it is not
# running), deploys the suite (nothing is re-deployed when it is current), and measures every
# user step once on the chain. Writes docs/figures/gas.json and gas.md: each figure is
# `gas_used` and its ratio to a plain OPEN transfer measured in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/build.sh
scripts/chain.sh start
scripts/deploy.sh
scripts/with-chain.sh bench
