#!/usr/bin/env bash
# Installs the heavy tools on first use into a per-user cache outside the repository and prints
# their paths. Later runs (and CI on the same machine) reuse them.
#
#   scripts/tools.sh [all|wasm-opt|cosmwasm-check|chain]   (default: all)
#
# Cache root: $OPENLEDGER_CACHE (default ~/.cache/openledger-cw). Each tool lives in a folder
# named after its pinned version, so bumping a version installs the new one beside the old.
set -euo pipefail

CACHE="${OPENLEDGER_CACHE:-$HOME/.cache/openledger-cw}"
BINARYEN_VERSION="132.0.0"
COSMWASM_CHECK_VERSION="2.2.10"
INJECTIVE_CORE_VERSION="1.20.1"

WASM_OPT_DIR="$CACHE/binaryen-$BINARYEN_VERSION"
CHECK_DIR="$CACHE/cosmwasm-check-$COSMWASM_CHECK_VERSION"
CHAIN_DIR="$CACHE/injective-core-$INJECTIVE_CORE_VERSION"

export WASM_OPT="$WASM_OPT_DIR/node_modules/.bin/wasm-opt"
export COSMWASM_CHECK="$CHECK_DIR/bin/cosmwasm-check"
export CHAIN_BIN="$CHAIN_DIR/venv/bin/injectived"

log() { echo "[tools] $*" >&2; }

# Runs an install into a temporary folder and moves it into place only when it succeeded, so an
# interrupted install never leaves a half-installed tool that later runs would trust.
install_atomically() {
  local final="$1"; shift
  local tmp="$final.partial.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  if ! "$@" "$tmp"; then
    rm -rf "$tmp"
    log "installing into $final failed"
    return 1
  fi
  rm -rf "$final"; mv "$tmp" "$final"
}

_install_wasm_opt() {
  command -v npm >/dev/null || { log "npm is required to install wasm-opt (binaryen)"; return 1; }
  npm install --prefix "$1" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >&2
}

_install_cosmwasm_check() {
  log "cargo install cosmwasm-check $COSMWASM_CHECK_VERSION (takes several minutes, once)"
  cargo install --locked --quiet --root "$1" "cosmwasm-check@$COSMWASM_CHECK_VERSION" >&2
}

_install_chain() {
  command -v python3 >/dev/null || { log "python3 is required to install the chain binary"; return 1; }
  python3 -m venv "$1/venv" >&2
  "$1/venv/bin/pip" install --quiet --disable-pip-version-check "injective-core==$INJECTIVE_CORE_VERSION" >&2
  # The wheel unpacks the node binary and libwasmvm on first use; trigger it here, once.
  "$1/venv/bin/injectived" version >/dev/null 2>&1 || true
  # The venv's scripts embed its path; it is moved into place, so rebuild them there.
}

ensure_wasm_opt() {
  [ -x "$WASM_OPT" ] && return 0
  log "installing wasm-opt (npm binaryen $BINARYEN_VERSION) into $WASM_OPT_DIR"
  install_atomically "$WASM_OPT_DIR" _install_wasm_opt
}

ensure_cosmwasm_check() {
  [ -x "$COSMWASM_CHECK" ] && return 0
  install_atomically "$CHECK_DIR" _install_cosmwasm_check
}

ensure_chain() {
  [ -x "$CHAIN_BIN" ] && "$CHAIN_BIN" version >/dev/null 2>&1 && return 0
  log "installing injectived (PyPI injective-core $INJECTIVE_CORE_VERSION) into $CHAIN_DIR"
  # A virtualenv cannot be moved after creation, so it is built in place behind a marker.
  rm -rf "$CHAIN_DIR"; mkdir -p "$CHAIN_DIR"
  if ! _install_chain "$CHAIN_DIR" || ! "$CHAIN_BIN" version >/dev/null 2>&1; then
    rm -rf "$CHAIN_DIR"
    log "installing the chain binary failed"
    return 1
  fi
}

main() {
  mkdir -p "$CACHE"
  case "${1:-all}" in
    wasm-opt) ensure_wasm_opt; echo "$WASM_OPT" ;;
    cosmwasm-check) ensure_cosmwasm_check; echo "$COSMWASM_CHECK" ;;
    chain) ensure_chain; echo "$CHAIN_BIN" ;;
    all) ensure_wasm_opt; ensure_chain; ensure_cosmwasm_check
         printf '%s\n' "$WASM_OPT" "$CHAIN_BIN" "$COSMWASM_CHECK" ;;
    *) log "unknown tool '$1' (wasm-opt | cosmwasm-check | chain | all)"; exit 2 ;;
  esac
}

# Sourcing the file only defines the functions and paths.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
