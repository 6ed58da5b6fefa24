#!/usr/bin/env bash
# Runs each libFuzzer target (fuzz/) for a bounded time under ASan+UBSan,
# starting from its checked-in corpus (fuzz/corpus/<target>/). New inputs go
# to a scratch folder, never into the corpus; a crash leaves its input in
# fuzz-crashes/ and fails the script (turn it into a regression test).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 20)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(config task_spec dotenv action openai_response sse)
dir="${CTXBENCH_ASAN_BUILD:-build-asan}"
jobs="${CTXBENCH_JOBS:-$(nproc)}"
cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCTXBENCH_FUZZ=ON -DCTXBENCH_WERROR=OFF \
  -DCTXBENCH_BUILD_TESTS=ON -DCTXBENCH_TESTS_OPT=-O1 -DCTXBENCH_BUILD_BENCHMARKS=OFF >/dev/null
build=()
for t in "${targets[@]}"; do build+=(--target "fuzz_$t"); done
cmake --build "$dir" -j"$jobs" "${build[@]}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p fuzz-crashes
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  echo "fuzz: $t for ${seconds} s"
  if ! "$dir/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="fuzz-crashes/$t-" -print_final_stats=1 "$scratch/$t" "fuzz/corpus/$t" \
      2>"$scratch/$t.log"; then
    tail -n 60 "$scratch/$t.log"
    failed+=("$t")
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$scratch/$t.log" | tr '\n' ' '
    echo
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]} (inputs in fuzz-crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in ${targets[*]}"
