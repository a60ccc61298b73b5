#!/usr/bin/env bash
# The house rules the test command enforces on the tracked tree: outside tests and generated
# code, no Rust file over 600 lines and no function over 100 lines; no Python program and no jq
# anywhere (the tools crate, scripts/cli, does what they did). Prints each breach and fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MAX_FILE_LINES=600
MAX_FN_LINES=100
bad=0
breach() { echo "[house] $*" >&2; bad=$((bad + 1)); }

# Non-test Rust sources: not under tests/, not a tests.rs / *_tests.rs / tests/ module.
mapfile -t sources < <(git ls-files --cached --others --exclude-standard '*.rs' |
  grep -v -E '(^tests/|/tests/|/tests\.rs$|_tests\.rs$)' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
for f in "${sources[@]}"; do
  n=$(wc -l <"$f")
  [ "$n" -le "$MAX_FILE_LINES" ] || breach "$f has $n lines (at most $MAX_FILE_LINES)"
done
# A function starts at `fn name` and ends at the first `}` at its own indentation (rustfmt's
# layout); a `#[cfg(test)]` module ends the scan of a file.
while IFS= read -r line; do breach "$line"; done < <(
  for f in "${sources[@]}"; do
    awk -v file="$f" -v max="$MAX_FN_LINES" '
      /^[[:space:]]*#\[cfg\(test\)\]/ { exit }
      !open && /^[[:space:]]*(pub(\([a-z]+\))? )?(const )?(async )?(unsafe )?fn [A-Za-z0-9_]+/ {
        indent = $0; sub(/[^[:space:]].*/, "", indent)
        name = $0; sub(/^[[:space:]]*/, "", name); sub(/\(.*/, "", name)
        start = NR; open = 1; next
      }
      open && $0 == indent "}" {
        if (NR - start + 1 > max) printf "%s:%d %s has %d lines (at most %d)\n", file, start, name, NR - start + 1, max
        open = 0
      }' "$f"
  done)

while IFS= read -r f; do breach "$f is a Python program"; done < <(git ls-files '*.py')
while IFS= read -r f; do breach "$f runs Python code"; done < <(
  git ls-files 'scripts/*' '.ci/*' | xargs grep -l -E 'python3? +(-c |- |-$|[^ -][^ ]*\.py)' 2>/dev/null || true)
while IFS= read -r f; do breach "$f uses jq"; done < <(
  git ls-files 'scripts/*' '.ci/*' | xargs grep -l -E '(^|[|$( ])jq ' 2>/dev/null || true)

[ "$bad" -eq 0 ] || { echo "[house] $bad breaches" >&2; exit 1; }
echo "[house] ${#sources[@]} Rust files within $MAX_FILE_LINES lines, every function within $MAX_FN_LINES lines; no Python, no jq" >&2
