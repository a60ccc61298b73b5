#!/usr/bin/env bash
# The attribution-tree commands of the tools crate under their own name, for the flows and the
# story (ATTRIBUTION_TREE_BIN) and for attestors:
#
#   scripts/attribution-tree.sh build|proof|verify|generate ...   = openledger attribution-tree ...
#
# Runs the built tool (OPENLEDGER_BIN, default target/debug/openledger; build it with
# `cargo build -p openledger-cli`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "${OPENLEDGER_BIN:-$ROOT/target/debug/openledger}" attribution-tree "$@"
