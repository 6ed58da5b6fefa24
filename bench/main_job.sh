#!/usr/bin/env bash
# Times the main job: `ctxbench run --config config.json` (the default grid),
# RUNS times, and prints each wall time and the median.
# Usage: bench/main_job.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$build/ctxbench" run --config config.json --out "$out" -q >/dev/null
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
episodes=$(python3 -c "import json,glob; print(json.load(open(sorted(glob.glob('$out/*/summary.json'))[-1]))['episodes_done'])")
printf '%s\n' "${times[@]}" | sort -n | awk -v e="$episodes" '{t[NR]=$1} END {printf "runs: %s s\nepisodes per run: %d\nmedian: %.2f s (%.1f ms per episode)\n", t[1] (NR>1? " .. " t[NR] : ""), e, t[int((NR+1)/2)], 1000*t[int((NR+1)/2)]/e}'
