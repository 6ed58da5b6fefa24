#!/usr/bin/env bash
# One command from a fresh clone: install dependencies, build, and run the
# main job (config.json: the built-in `sim` model on the bundled tasks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh ctxbench
exec ./build/ctxbench run --config config.json "$@"
