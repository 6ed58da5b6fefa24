#!/usr/bin/env bash
# One learner evaluation on the real NOMAD data, paired and interleaved:
# ctxbench's XGBoost learner (C API, via ctxbench_bench_learner; a fresh
# learner each time, and a reused one as in a run) against scikit-learn's
# HistGradientBoostingRegressor at equal rounds (200), depth (6), learning rate
# (0.1), bins (255) and threads, on the same train/valid/test split. Every
# figure is wall time; each round runs both sides, the order alternating, and
# the speedup is the median of the per-round ratios.
#
#   bench/learner_compare.sh [BUILD_DIR] [ROUNDS] [THREADS...]   (default: build, 5, "1 2")
# Env: CTXBENCH_NOMAD_RAW = folder with the Kaggle train.csv (default ../shared/data/nomad)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rounds="${2:-5}"
thread_counts="${*:3}"
thread_counts="${thread_counts:-1 2}"
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
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $CTXBENCH_NOMAD_RAW/train.csv (bandgap_energy_ev; split 60/20/20, seed 1)"
ours() {  # threads -> "fresh_ms reused_ms valid_mae"
  OMP_NUM_THREADS=$1 CTXBENCH_EXPORT_SPLIT="$split" "$bench" \
    --benchmark_filter="BM_XgboostNomadEvaluation(Reused)?/$1/" --benchmark_min_time=0.5 \
    --benchmark_format=json 2>/dev/null | "$py" -c '
import json, sys
b = {x["name"].split("/")[0]: x for x in json.load(sys.stdin)["benchmarks"]}
f, r = b["BM_XgboostNomadEvaluation"], b["BM_XgboostNomadEvaluationReused"]
print("%.2f %.2f %.4f" % (f["real_time"], r["real_time"], f["valid_mae"]))'
}
theirs() {  # threads -> "ms valid_mae"
  OMP_NUM_THREADS=$1 "$py" "$root/bench/sklearn_hgb.py" "$split" --threads "$1" --repeats 3 |
    sed -n 's/.*ms_per_eval=\([0-9.]*\).*valid_mae=\([0-9.]*\).*/\1 \2/p'
}
for threads in $thread_counts; do
  ours "$threads" >/dev/null  # exports the split for sklearn
  rows=""
  for r in $(seq "$rounds"); do
    if [ $((r % 2)) -eq 1 ]; then o="$(ours "$threads")"; t="$(theirs "$threads")"
    else t="$(theirs "$threads")"; o="$(ours "$threads")"; fi
    rows+="$o $t"$'\n'
  done
  printf '%s' "$rows" | "$py" -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
fresh, reused, mae, skl, skl_mae = zip(*rows)
med = statistics.median
print("threads=%s  rounds=%d  xgboost fresh %.1f ms, reused %.1f ms (valid MAE %.4f)  sklearn_hgb %.1f ms (valid MAE %.4f)  "
      "speedup per pair (median): fresh %.2fx, reused %.2fx" % (sys.argv[1], len(rows), med(fresh), med(reused), mae[0],
      med(skl), skl_mae[0], med([s / f for s, f in zip(skl, fresh)]), med([s / r for s, r in zip(skl, reused)])))' "$threads"
done
