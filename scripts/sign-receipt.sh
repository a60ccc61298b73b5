#!/usr/bin/env bash
# Signs an inference receipt as a model host, offline: prints the receipt's canonical JSON, its
# SHA-256, the host's compressed public key and the 64-byte signature (hex).
#
#   scripts/sign-receipt.sh --secret HEX|--secret-file PATH --chain-id C --contract ADDR \
#     --model-id N --inference-id ID --payer ADDR --fee AMOUNT --attribution 1:6000,2:4000 \
#     [--input-hash SHA256 --output-hash SHA256]
#
# With --input-hash and --output-hash (both or neither; 64 hex characters each) the receipt also
# commits to the inference's input and output (its `io`, lower-cased): the payment must then
# carry the same hashes in its `io`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec cargo run -q --locked --manifest-path "$ROOT/Cargo.toml" -p openledger-cli -- sign-receipt "$@"
