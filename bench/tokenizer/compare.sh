#!/usr/bin/env bash
# Compares ctxbench's tokenizer with the npm `tiktoken` package on the same
# inputs in one run: English prose (the GPL-3 text, repeated to ~1 MB) and code
# (ctxbench's own C++ sources, repeated to ~1 MB). Prints MB/s and the ratio.
#
# Usage: bash bench/tokenizer/compare.sh [BUILD_DIR]   (default: build)
# Needs: the rank files (bash scripts/fetch-rank-files.sh), node + npm (the
# tiktoken package is installed here on first use), and a build of
# ctxbench_bench_tokenizer.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build}" && pwd)"  # absolute: node runs from $HERE
BENCH="$BUILD/bench/ctxbench_bench_tokenizer"
[ -x "$BENCH" ] || { echo "compare.sh: $BENCH not built; run: cmake --build $BUILD --target ctxbench_bench_tokenizer" >&2; exit 1; }
[ -d "$HERE/node_modules/tiktoken" ] || (cd "$HERE" && npm ci --no-audit --no-fund --silent)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
repeat_to_1mb() {  # concatenates the files given, repeated until >= 1 MiB
  local out="$1"; shift
  : > "$out"
  while [ "$(stat -c %s "$out")" -lt 1048576 ]; do cat "$@" >> "$out"; done
}
repeat_to_1mb "$TMP/prose.txt" /usr/share/common-licenses/GPL-3
mapfile -t CODE < <(find "$ROOT/src" -name '*.cc' -o -name '*.h' | sort)
repeat_to_1mb "$TMP/code.txt" "${CODE[@]}"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "node $(node --version), tiktoken $(node -p "require('$HERE/node_modules/tiktoken/package.json').version")"
(cd "$HERE" && node compare.mjs "$BENCH" "$TMP/prose.txt" "$TMP/code.txt")
