#!/usr/bin/env bash
# One command from a fresh clone: install dependencies, build (warnings are
# errors) and run every test (unit and end-to-end) with CTest. It builds what
# the tests run, `ctxbench` and `ctxbench_tests`, not the benchmark programs
# (no test runs them; CI builds them after this script, .ci/run). CTest runs
# the unit tests one suite a process and the e2e scripts (docs/build.md, "Tests").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh ctxbench ctxbench_tests
# puppeteer-core for the viewer's browser tests (drives Debian's chromium).
bash scripts/install-viewer-test-deps.sh
cd build
# One more test than cores: 10% shorter than -j2 on 2 cores (bench/README.md,
# "ctest -j3 on 2 cores"); the cores are then ~94% busy, so running the e2e
# tests during the tests' build does not pay ("The e2e tests are CPU-bound").
ctest --output-on-failure -j"$(($(nproc) + 1))" --timeout 600
