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
# One more test than cores: the e2e tests spend about half their wall waiting
# (servers, Chromium, Slurm, sandboxes), so a third one fills the gaps
# (bench/README.md, "ctest -j3 on 2 cores").
ctest --output-on-failure -j"$(($(nproc) + 1))" --timeout 600
