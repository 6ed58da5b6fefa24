#!/usr/bin/env bash
# One command from a fresh clone: install dependencies, build (warnings are
# errors) and run every test (unit and end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# puppeteer-core for the viewer's browser tests (drives Debian's chromium).
bash scripts/install-viewer-test-deps.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
