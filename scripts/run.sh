#!/usr/bin/env bash
# The main job: build the artifacts, start the local chain, deploy the suite (a re-run uploads
# nothing already deployed), and tell the coordination story on it (openledger story). The
# separate flows run in the test command (scripts/test-chain.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { echo "==> $*" >&2; }

step "build the contracts into chain-accepted artifacts"
scripts/build.sh
step "start the local chain"
scripts/chain.sh start
step "deploy the suite"
scripts/deploy.sh
step "smoke: an OPEN transfer on the chain"
scripts/with-chain.sh smoke
step "the coordination story: datanets, curation, a model, licences and inferences, an agent's task, an attested root, stakers, then the paths that end things (withdrawals, removals, closing, refunds, slashes, voided roots, unbonding); every balance asserted"
# The attestor builds datanet B's tree with `openledger attribution-tree` (the story checks it
# against the tree it builds itself).
scripts/with-chain.sh story
step "done: the chain keeps running (scripts/chain.sh stop to stop it); manifest in deployments/"
