#!/usr/bin/env bash
# One command from a fresh clone: install dependencies, build (warnings are
# errors) and run every test (unit and end-to-end) with CTest. It builds what
# the tests run, `ctxbench` and `ctxbench_tests`, not the benchmark programs
# (no test runs them; CI builds them after this script, .ci/run). CTest runs
# the unit tests one suite a process and the e2e scripts (docs/build.md, "Tests").
#
# The end-to-end tests (CTest label `e2e`) run only the `ctxbench` binary, so
# they run while the unit tests compile: they spend about half their wall
# waiting (servers, Chromium, Slurm, sandboxes), which the compiler fills
# (bench/README.md, "test.sh: the e2e tests during the tests' build"). Their
# output is kept in build/Testing/e2e.log and printed once the build is done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh ctxbench
# puppeteer-core for the viewer's browser tests (drives Debian's chromium).
bash scripts/install-viewer-test-deps.sh
cd build
mkdir -p Testing
jobs=$(nproc)

echo "test.sh: the e2e tests run while ctxbench_tests builds (output: build/Testing/e2e.log)"
ctest -L e2e --output-on-failure -j"$jobs" --timeout 600 >Testing/e2e.log 2>&1 &
e2e_pid=$!
trap 'kill "$e2e_pid" 2>/dev/null || true' INT TERM

build_rc=0
cmake --build . -j"$jobs" --target ctxbench_tests || build_rc=$?
e2e_rc=0
wait "$e2e_pid" || e2e_rc=$?
trap - INT TERM

echo
echo "test.sh: the e2e tests (run during the build)"
cat Testing/e2e.log
if [ "$build_rc" -ne 0 ]; then
  echo "test.sh: ctxbench_tests did not build (exit $build_rc); the unit tests did not run" >&2
  exit "$build_rc"
fi

echo
echo "test.sh: the unit tests and the other checks"
# One more than the cores: the checks that start Python wait too.
rest_rc=0
ctest -LE e2e --output-on-failure -j"$((jobs + 1))" --timeout 600 || rest_rc=$?

if [ "$e2e_rc" -ne 0 ] || [ "$rest_rc" -ne 0 ]; then
  echo "test.sh: FAILED (e2e tests: exit $e2e_rc, the others: exit $rest_rc;" \
    "the e2e output is above and in build/Testing/e2e.log)" >&2
  exit 1
fi
echo "test.sh: every test passed (e2e and the rest)"
