#!/usr/bin/env bash
# One learner evaluation on the real NOMAD data, side by side in one run:
# ctxbench's XGBoost learner (C API, via ctxbench_bench_learner) and
# scikit-learn's HistGradientBoostingRegressor at equal rounds (200), depth (6),
# learning rate (0.1), bins (255) and threads, on the same train/valid/test split.
#
#   bench/learner_compare.sh [BUILD_DIR]     (default: build)
# Env: CTXBENCH_NOMAD_RAW = folder with the Kaggle train.csv (default ../shared/data/nomad)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
export CTXBENCH_NOMAD_RAW="${CTXBENCH_NOMAD_RAW:-$root/../shared/data/nomad}"
if [ ! -f "$CTXBENCH_NOMAD_RAW/train.csv" ]; then
  echo "learner_compare: skipped: no $CTXBENCH_NOMAD_RAW/train.csv (set CTXBENCH_NOMAD_RAW)"
  exit 0
fi
bench="$build/bench/ctxbench_bench_learner"
[ -x "$bench" ] || { echo "learner_compare: build $bench first" >&2; exit 2; }
# Debian's python3-sklearn lives under /usr/bin/python3 (a pyenv python may shadow it).
py=/usr/bin/python3
[ -x "$py" ] || py=python3

split="$(mktemp -d)"
trap 'rm -rf "$split"' EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "data: $CTXBENCH_NOMAD_RAW/train.csv (bandgap_energy_ev; split 60/20/20, seed 1)"
for threads in 1 2; do
  out="$(OMP_NUM_THREADS=$threads CTXBENCH_EXPORT_SPLIT="$split" "$bench" \
    --benchmark_filter="BM_XgboostNomadEvaluation/$threads/" --benchmark_repetitions=3 --benchmark_min_time=0.5 \
    --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null)"
  ours_ms="$(printf '%s' "$out" | "$py" -c '
import json, sys
d = json.load(sys.stdin)
b = [x for x in d["benchmarks"] if x.get("aggregate_name") == "median"][0]
print("%.1f %.4f" % (b["real_time"], b["valid_mae"]))')"
  theirs="$(OMP_NUM_THREADS=$threads "$py" "$root/bench/sklearn_hgb.py" "$split" --threads "$threads" --repeats 5)"
  theirs_ms="$(printf '%s' "$theirs" | sed -n 's/.*ms_per_eval=\([0-9.]*\).*/\1/p')"
  theirs_mae="$(printf '%s' "$theirs" | sed -n 's/.*valid_mae=\([0-9.]*\).*/\1/p')"
  set -- $ours_ms
  ratio="$(awk -v a="$1" -v b="$theirs_ms" 'BEGIN { printf "%.2f", b / a }')"
  printf 'threads=%s  xgboost_c_api %7s ms/eval (valid MAE %s)  sklearn_hgb %7s ms/eval (valid MAE %s)  speedup %sx\n' \
    "$threads" "$1" "$2" "$theirs_ms" "$theirs_mae" "$ratio"
done
