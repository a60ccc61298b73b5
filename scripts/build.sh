#!/usr/bin/env bash
# Builds every contract into an optimized wasm a Cosmos chain accepts:
#   artifacts/<contract>.wasm, artifacts/checksums.txt (sha256), artifacts/sizes.txt
# then runs cosmwasm-check against the capabilities of the target chain and fails if any
# artifact exceeds MAX_WASM_KB (default 800).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

MAX_WASM_KB="${MAX_WASM_KB:-800}"
# What the local chain's VM offers (injective-core 1.20: up to cosmwasm_2_1, not 2_2).
CAPABILITIES="${WASM_CAPABILITIES:-iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1}"
log() { echo "[build] $*" >&2; }

mkdir -p "${OPENLEDGER_CACHE:-$HOME/.cache/openledger-cw}"
ensure_wasm_opt
ensure_cosmwasm_check
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

contracts=()
for dir in contracts/*/; do contracts+=("$(basename "$dir")"); done
pkgs=(); for c in "${contracts[@]}"; do pkgs+=(-p "$c"); done

log "compiling ${contracts[*]}"
RUSTFLAGS="-C link-arg=-s" cargo build --release --locked --lib \
  --target wasm32-unknown-unknown "${pkgs[@]}" >&2

mkdir -p artifacts
rm -f artifacts/*.wasm artifacts/checksums.txt artifacts/sizes.txt
for c in "${contracts[@]}"; do
  name="${c//-/_}"
  # Rust >= 1.87 emits bulk-memory and other post-MVP instructions that the chain's VM refuses;
  # wasm-opt lowers them back to MVP instructions while it optimizes.
  # The chain's VM refuses a function with more than 100 locals. Inlining every single-caller
  # handler into `execute` summed their locals past that limit (104 in the reward pool), so
  # only functions up to 1 000 bytes are inlined into their single caller (pool 86 locals at
  # most, ~500 bytes larger; the call that remains costs a few wasm instructions).
  "$WASM_OPT" -Os --one-caller-inline-max-function-size=1000 --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --llvm-memory-copy-fill-lowering --signext-lowering --llvm-nontrapping-fptoint-lowering \
    "target/wasm32-unknown-unknown/release/$name.wasm" -o "artifacts/$name.wasm"
done

(cd artifacts && sha256sum ./*.wasm | sed 's# \./# #' > checksums.txt)

log "cosmwasm-check (capabilities: $CAPABILITIES)"
"$COSMWASM_CHECK" --available-capabilities "$CAPABILITIES" artifacts/*.wasm >&2

status=0
: > artifacts/sizes.txt
for f in artifacts/*.wasm; do
  bytes=$(stat -c %s "$f")
  kb=$(( (bytes + 1023) / 1024 ))
  printf '%-28s %8d bytes %5d KB\n' "$(basename "$f")" "$bytes" "$kb" | tee -a artifacts/sizes.txt >&2
  if (( kb > MAX_WASM_KB )); then
    log "$(basename "$f") is $kb KB, above the $MAX_WASM_KB KB limit"
    status=1
  fi
done
exit "$status"
