#!/usr/bin/env bash
# The heavy quality checks, not run by CI: line coverage (cargo llvm-cov) of the contracts and the
# common package, and mutation testing (cargo mutants) of the code that moves funds or checks
# authority. Each rewrites its figures in docs/figures/.
#
#   scripts/quality.sh [coverage|mutants|all]   (default: all)
#   scripts/quality.sh mutants-report            (rewrite mutants.md from the kept runs)
#
# Tools are installed on first use into the per-user cache ($OPENLEDGER_CACHE, default
# ~/.cache/openledger-cw), in folders named after their pinned versions:
#   cargo-llvm-cov-<ver>, cargo-mutants-<ver>  (cargo install --locked)
#   llvm-<rustc's LLVM major>                  (llvm-cov and llvm-profdata matching rustc's LLVM)
# The LLVM tools are taken, in this order, from $LLVM_COV/$LLVM_PROFDATA when both are set, from
# the system when their major version matches rustc's, from the rustup component llvm-tools when
# it is installed, and otherwise from Debian's llvm-<major> package, unpacked into the cache
# without root (apt-get download + dpkg-deb -x).
#
# Knobs:
#   MUTANTS_FILES    space-separated files to mutate (default: the money and authority modules)
#   MUTANTS_TIMEOUT  seconds before a mutant's test run counts as a timeout (default 60)
#   MUTANTS_JOBS     parallel mutant builds (default 1; each needs its own build directory)
#   MUTANTS_TARGET_DIR  build directory of the mutants (default target/mutants-build); give
#                    two runs started side by side different ones
#   MUTANTS_ARGS     extra arguments for cargo mutants (e.g. "--re 'fn split'" or "--in-diff F")
#   OPENLEDGER_HEAVY=1 also runs the cross-contract tests of the tests crate against each mutant
#                    (--test-workspace); much slower, it catches mutants of the common package
#                    that only the contracts' tests see.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The tool cache and its atomic installs (install_atomically) are those of scripts/tools.sh.
# shellcheck source=scripts/tools.sh
source scripts/tools.sh
RESULTS="$ROOT/docs/figures"
LLVM_COV_TOOL_VERSION="0.9.1"
MUTANTS_TOOL_VERSION="27.1.0"
LLVM_COV_TOOL_DIR="$CACHE/cargo-llvm-cov-$LLVM_COV_TOOL_VERSION"
MUTANTS_TOOL_DIR="$CACHE/cargo-mutants-$MUTANTS_TOOL_VERSION"

# Crates that are tools, not contracts: neither measured nor mutated.
CLI_CRATES=(openledger-cli)
# Files left out of the coverage report: tests themselves, schema binaries, the CLI crates and
# the cross-contract test crate.
COVERAGE_IGNORE='(^|/)(scripts|tests)/|/tests\.rs$|_tests\.rs$|/src/bin/|/\.cargo/registry/|/rustc/'

# The modules that move funds or check authority: every contract's execute/reply/hook/split/math
# modules and the common helpers they rely on.
DEFAULT_MUTANTS_FILES=(
  contracts/reward-pool/src/execute.rs
  contracts/reward-pool/src/math.rs
  contracts/reward-pool/src/attribution.rs
  contracts/model-licensing/src/execute.rs
  contracts/model-licensing/src/split.rs
  contracts/agent-escrow/src/execute.rs
  contracts/agent-escrow/src/reply.rs
  contracts/datanet-registry/src/execute.rs
  contracts/open-token/src/contract.rs
  packages/common/src/fee.rs
  packages/common/src/attribution.rs
  packages/common/src/hook.rs
  packages/common/src/validate.rs
  packages/common/src/merkle.rs
  packages/common/src/bps.rs
)

# Surviving mutants that behave exactly like the original code, and why: one per line, the
# mutant's name as cargo mutants prints it, a tab, the reason. mutants.md lists them as
# equivalent; any other survivor is listed as not yet killed.
EQUIVALENT_MUTANTS="$(cat <<'EQ'
contracts/agent-escrow/src/reply.rs:18:20: replace > with >= in error_head	for an error of exactly MAX_ERROR_LEN bytes the branch cuts at MAX_ERROR_LEN, which is the end of the string and so a character boundary: truncate is a no-op and the result is the same
contracts/reward-pool/src/attribution.rs:75:26: replace < with <= in claimable_root	the match is only reached when the claimable root's epoch differs from the requested one (an equal epoch returned that root at the top), so < and <= choose the same arm
EQ
)"

log() { echo "[quality] $*" >&2; }
die() { log "error: $*"; exit 1; }

_cargo_install() { # crate version root
  cargo install --locked --quiet --root "$3" "$1@$2" >&2
}

ensure_cargo_tool() { # crate version dir
  local crate="$1" version="$2" dir="$3"
  [ -x "$dir/bin/$crate" ] && return 0
  command -v cargo >/dev/null || die "cargo is required to install $crate"
  log "cargo install $crate $version into $dir (several minutes, once)"
  install_atomically "$dir" _cargo_install "$crate" "$version" \
    || die "could not install $crate $version (cargo install --locked $crate@$version failed; is crates.io reachable?)"
}

rustc_llvm_major() {
  rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p'
}

llvm_tool_major() { # path
  "$1" --version 2>/dev/null | sed -n 's/.*LLVM version \([0-9]*\).*/\1/p' | head -n1
}

_install_llvm_deb() { # major dest
  local major="$1" dest="$2" debs="$2/debs"
  command -v apt-get >/dev/null || { log "apt-get is required to fetch llvm-$major"; return 1; }
  command -v dpkg-deb >/dev/null || { log "dpkg-deb is required to unpack llvm-$major"; return 1; }
  mkdir -p "$debs"
  if ! (cd "$debs" && apt-get download "llvm-$major" "libllvm$major" >&2); then
    log "apt-get download llvm-$major libllvm$major failed; trying again after apt-get update"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 || true; fi
    (cd "$debs" && apt-get download "llvm-$major" "libllvm$major" >&2) || return 1
  fi
  local deb
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
  rm -rf "$debs"
  # The binaries look for libLLVM in $ORIGIN/../lib, which Debian provides through its own
  # package layout; link it there so no LD_LIBRARY_PATH is needed.
  local lib
  lib="$(find "$dest/root/usr/lib" -maxdepth 2 -name "libLLVM.so.$major*" | head -n1)"
  [ -n "$lib" ] || { log "libLLVM.so.$major not found in the unpacked packages"; return 1; }
  local libdir="$dest/root/usr/lib/llvm-$major/lib"
  mkdir -p "$libdir"
  ln -sf "$(realpath --relative-to="$libdir" "$lib")" "$libdir/$(basename "$lib")"
  "$dest/root/usr/lib/llvm-$major/bin/llvm-profdata" --version >/dev/null
}

# Exports LLVM_COV and LLVM_PROFDATA matching rustc's LLVM.
ensure_llvm_tools() {
  local major
  major="$(rustc_llvm_major)"
  [ -n "$major" ] || die "cannot read rustc's LLVM version (rustc -vV)"
  if [ -n "${LLVM_COV:-}" ] && [ -n "${LLVM_PROFDATA:-}" ]; then
    log "using LLVM_COV=$LLVM_COV LLVM_PROFDATA=$LLVM_PROFDATA"
    return 0
  fi
  local sys_cov sys_prof
  sys_cov="$(command -v "llvm-cov-$major" || command -v llvm-cov || true)"
  sys_prof="$(command -v "llvm-profdata-$major" || command -v llvm-profdata || true)"
  if [ -n "$sys_cov" ] && [ -n "$sys_prof" ] && [ "$(llvm_tool_major "$sys_cov")" = "$major" ]; then
    export LLVM_COV="$sys_cov" LLVM_PROFDATA="$sys_prof"
    log "using the system's LLVM $major tools"
    return 0
  fi
  local sysroot host
  sysroot="$(rustc --print sysroot)"
  host="$(rustc -vV | sed -n 's/^host: //p')"
  if [ -x "$sysroot/lib/rustlib/$host/bin/llvm-cov" ]; then
    log "using the rustup component llvm-tools"
    return 0 # cargo-llvm-cov finds it by itself
  fi
  local dir="$CACHE/llvm-$major"
  local bin="$dir/root/usr/lib/llvm-$major/bin"
  if ! [ -x "$bin/llvm-cov" ] || ! "$bin/llvm-cov" --version >/dev/null 2>&1; then
    log "installing llvm-cov/llvm-profdata $major from Debian's llvm-$major into $dir"
    install_atomically "$dir" _install_llvm_deb "$major" \
      || die "could not obtain LLVM $major tools: install Debian's llvm-$major, or the rustup component llvm-tools, or set LLVM_COV and LLVM_PROFDATA"
  fi
  "$bin/llvm-cov" --version >/dev/null 2>&1 || die "$bin/llvm-cov does not run"
  export LLVM_COV="$bin/llvm-cov" LLVM_PROFDATA="$bin/llvm-profdata"
  log "using $(llvm_tool_major "$LLVM_COV" | sed 's/^/LLVM /') tools from $bin"
}

# ---------------------------------------------------------------------------------------------
# Coverage

run_coverage() {
  ensure_cargo_tool cargo-llvm-cov "$LLVM_COV_TOOL_VERSION" "$LLVM_COV_TOOL_DIR"
  ensure_llvm_tools
  export PATH="$LLVM_COV_TOOL_DIR/bin:$PATH"
  local excludes=() c
  for c in "${CLI_CRATES[@]}"; do excludes+=(--exclude "$c"); done
  local out="$ROOT/target/quality"
  mkdir -p "$out" "$RESULTS"
  local test_cmd="cargo llvm-cov --no-report --locked --workspace ${excludes[*]}"
  local report_args=(--ignore-filename-regex "$COVERAGE_IGNORE")
  log "$test_cmd"
  local t0 t1
  t0=$(date +%s)
  cargo llvm-cov clean --workspace >&2
  # Test failures are reported but do not hide the figures of the tests that ran.
  local test_status=0
  RUST_BACKTRACE=0 cargo llvm-cov --no-report --locked --workspace "${excludes[@]}" --no-fail-fast \
    >"$out/coverage-tests.log" 2>&1 || test_status=$?
  t1=$(date +%s)
  grep -E '^test result:|FAILED|panicked' "$out/coverage-tests.log" >&2 || true
  cargo llvm-cov report --json --summary-only "${report_args[@]}" >"$out/coverage.json"
  cargo llvm-cov report --show-missing-lines "${report_args[@]}" >"$out/coverage.txt"
  local passed failed
  passed=$(grep '^test result:' "$out/coverage-tests.log" | grep -o '[0-9]* passed' | awk '{s += $1} END {print s + 0}')
  failed=$(grep '^test result:' "$out/coverage-tests.log" | grep -o '[0-9]* failed' | awk '{s += $1} END {print s + 0}')
  "$OPENLEDGER" coverage-table "$out/coverage.json" "$out/coverage.txt" "$RESULTS/coverage.md" "$ROOT" \
    "$test_cmd" "$(( t1 - t0 ))" "${passed:-0}" "${failed:-0}"
  log "wrote $RESULTS/coverage.md (contracts line coverage: $(grep -o '\*\*contracts (all five)\*\*.*' "$RESULTS/coverage.md" | sed -n 's/.*| \*\*\([0-9.]*\)\*\* |.*/\1/p') %)"
  [ "$test_status" = 0 ] || die "some tests failed under coverage (see $out/coverage-tests.log)"
}

# ---------------------------------------------------------------------------------------------
# Mutation testing

run_mutants() {
  ensure_cargo_tool cargo-mutants "$MUTANTS_TOOL_VERSION" "$MUTANTS_TOOL_DIR"
  export PATH="$MUTANTS_TOOL_DIR/bin:$PATH"
  local files=()
  if [ -n "${MUTANTS_FILES:-}" ]; then read -r -a files <<<"$MUTANTS_FILES"; else files=("${DEFAULT_MUTANTS_FILES[@]}"); fi
  # The common package is built unoptimized here: its opt-level 3 dev override (for the big
  # attribution trees of the cross-contract tests) would make each of its mutants a slow
  # optimized build, and its own unit tests do not need the speed.
  local args=(--no-shuffle --colors never -j "${MUTANTS_JOBS:-1}" --timeout "${MUTANTS_TIMEOUT:-60}"
    --build-timeout 900 --exclude '**/tests.rs' --exclude '**/*_tests.rs' --exclude '**/query.rs'
    --exclude '**/src/bin/**' --exclude '**/msg/**'
    --cargo-arg=--config=profile.dev.package.openledger-common.opt-level=0)
  local f
  for f in "${files[@]}"; do
    [ -f "$f" ] || die "no such file to mutate: $f"
    args+=(--file "$f")
  done
  if [ "${OPENLEDGER_HEAVY:-}" = 1 ]; then args+=(--test-workspace true); fi
  local extra=()
  if [ -n "${MUTANTS_ARGS:-}" ]; then eval "extra=(${MUTANTS_ARGS})"; fi
  # A full run replaces the earlier results; a partial one (chosen files or extra arguments,
  # e.g. re-running the survivors with --re) is merged over them, later outcomes winning.
  local runs="$ROOT/target/quality/mutants-runs"
  if [ -z "${MUTANTS_FILES:-}" ] && [ -z "${MUTANTS_ARGS:-}" ]; then rm -rf "$runs"; fi
  local run
  run="$runs/$(date +%Y%m%d-%H%M%S)-$$"
  mkdir -p "$run" "$RESULTS"
  # Lighter test builds: no debug info (much faster links), incremental, and a build directory
  # of its own that survives between runs so the dependencies are compiled once.
  export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0 CARGO_INCREMENTAL=1
  export CARGO_TARGET_DIR="${MUTANTS_TARGET_DIR:-$ROOT/target/mutants-build}" RUST_BACKTRACE=0
  local shown=() a
  for a in "${args[@]}" "${extra[@]}"; do shown+=("$(printf '%q' "$a")"); done
  local cmd="CARGO_PROFILE_DEV_DEBUG=0 CARGO_TARGET_DIR=${CARGO_TARGET_DIR#"$ROOT"/} nice -n 10 cargo mutants ${shown[*]}"
  log "$cmd"
  printf '%s\n' "$cmd" >"$run/command.txt"
  # cargo mutants copies the tree it is given for every build: give it a snapshot of the sources
  # only, so build folders, node modules and edits made meanwhile stay out of the run.
  local snapshot="$run/src"
  mkdir -p "$snapshot"
  tar -C "$ROOT" --exclude='./target*' --exclude='./.git' --exclude='*/node_modules' \
    --exclude='./node_modules' --exclude='./artifacts' --exclude='./.localchain' -cf - . \
    | tar -C "$snapshot" -xf -
  local t0 t1 status=0
  t0=$(date +%s)
  nice -n 10 cargo mutants --dir "$snapshot" "${args[@]}" "${extra[@]}" --output "$run" \
    >"$run/run.log" 2>&1 || status=$?
  rm -rf "$snapshot"
  t1=$(date +%s)
  tail -n 5 "$run/run.log" >&2
  # cargo mutants exits 2 when mutants survived, 3 on timeouts: the figures are still written.
  case "$status" in 0|2|3) ;; *) die "cargo mutants failed (exit $status, see $run/run.log)" ;; esac
  echo "$(( t1 - t0 ))" >"$run/seconds.txt"
  write_mutants_report "$runs"/*/
}

# Rewrites mutants.md from the outcomes of the given runs (each a folder holding command.txt,
# seconds.txt and mutants.out/outcomes.json), a later run's outcome for a mutant replacing an
# earlier one's.
write_mutants_report() {
  "$OPENLEDGER" mutants-table "$RESULTS/mutants.md" <(printf '%s\n' "$EQUIVALENT_MUTANTS") "$@"
  log "wrote $RESULTS/mutants.md"
}

main() {
  mkdir -p "$CACHE"
  # The tables are written by the tools crate, built before any run changes CARGO_TARGET_DIR.
  cargo build -q --locked -p openledger-cli
  OPENLEDGER="${CARGO_TARGET_DIR:-$ROOT/target}/debug/openledger"
  case "${1:-all}" in
    coverage) run_coverage ;;
    mutants) run_mutants ;;
    mutants-report) write_mutants_report "$ROOT"/target/quality/mutants-runs/*/ ;;
    all) run_coverage; run_mutants ;;
    -h|--help) sed -n '2,27p' "$0" ;;
    *) log "unknown check '$1' (coverage | mutants | all)"; exit 2 ;;
  esac
}

main "$@"
