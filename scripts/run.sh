#!/usr/bin/env bash
# The main job: build the artifacts, start the local chain, deploy the suite (a re-run uploads
# nothing already deployed), and run the coordination story when it exists.
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
step "datanet flow: create, contribute with bond, accept, distribute OPEN, claim"
cargo run -q --locked -p openledger-cli -- flow-datanet
step "model flow: a model on a published datanet version, signed inferences paid singly and in a batch of 50"
cargo run -q --locked -p openledger-cli -- flow-model
step "influence flow: attested attribution roots of 2^4 and 2^20 leaves, claimed with Merkle proofs"
cargo build -q --locked -p attribution-tree
cargo run -q --locked -p openledger-cli -- flow-influence
step "escrow flow: an agent's two-milestone task with model fees, an approval, a dispute and a ruling"
cargo run -q --locked -p openledger-cli -- flow-escrow
step "done: the chain keeps running (scripts/chain.sh stop to stop it); manifest in deployments/"
