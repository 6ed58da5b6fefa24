#!/usr/bin/env bash
# Installs what is missing and builds ctxbench (Release) into ./build.
# Arguments are build targets (none: everything). Both README commands use
# this one configuration, so `scripts/test.sh` after `scripts/quickstart.sh`
# compiles only what the tests add. Warnings are errors everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/fetch-rank-files.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCTXBENCH_WERROR=ON \
  -DCTXBENCH_BUILD_TESTS=ON -DCTXBENCH_BUILD_BENCHMARKS=ON >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
