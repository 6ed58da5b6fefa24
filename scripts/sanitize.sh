#!/usr/bin/env bash
# The tests under AddressSanitizer + UndefinedBehaviorSanitizer, in a build
# folder of their own (build-asan, clang; shared with scripts/fuzz.sh). Runs
# the unit tests, then the end-to-end tests unless CTXBENCH_SANITIZE_E2E=0.
# Any sanitizer report fails the test that triggered it. Times: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${CTXBENCH_ASAN_BUILD:-build-asan}"
jobs="${CTXBENCH_JOBS:-$(nproc)}"
bash scripts/install-deps.sh
bash scripts/fetch-rank-files.sh
start=$SECONDS
# -O1 keeps the instrumented build and its tests reasonably fast; WERROR off:
# clang's warnings differ from the GCC build's, which CI checks with -Werror.
cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCTXBENCH_FUZZ=ON -DCTXBENCH_WERROR=OFF \
  -DCTXBENCH_BUILD_TESTS=ON -DCTXBENCH_TESTS_OPT=-O1 -DCTXBENCH_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$dir" -j"$jobs" --target ctxbench ctxbench_tests
echo "sanitize: build $((SECONDS - start)) s"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}"
# Tells the e2e tests the binary is sanitized: they skip the runs ASan
# cannot run (a binary started under RLIMIT_AS; a consumer linked without
# -fsanitize against the installed libraries).
export CTXBENCH_SANITIZED=1
start=$SECONDS
labels=(-LE e2e)
# e2e_telemetry_faults is left out: it asserts wall-time bounds (exit within
# 2 s, at most 2.5 s added by a hanging collector) that an ASan binary on a
# busy machine misses by tens of ms; it tests timing, not memory.
[ "${CTXBENCH_SANITIZE_E2E:-1}" = 0 ] || labels=(-E "^e2e_telemetry_faults$")
(cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 1200 "${labels[@]}")
echo "sanitize: tests $((SECONDS - start)) s"
