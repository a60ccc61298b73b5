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
eval "$(scripts/chain.sh env)"; export CHAIN_BIN CHAIN_HOME CHAIN_ID CHAIN_NODE
cargo run -q --locked -p openledger-cli -- smoke
step "the coordination story: datanets, curation, a model, licences and inferences, an agent's task, an attested root, stakers; every balance asserted"
# The attestor builds datanet B's tree with the attribution-tree tool (the story checks it
# against the tree it builds itself).
cargo build -q --locked -p attribution-tree
ATTRIBUTION_TREE_BIN="$ROOT/target/debug/attribution-tree" cargo run -q --locked -p openledger-cli -- story
step "done: the chain keeps running (scripts/chain.sh stop to stop it); manifest in deployments/"
