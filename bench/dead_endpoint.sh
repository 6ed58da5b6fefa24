#!/usr/bin/env bash
# Times a grid against a dead endpoint: the default grid (config.json, 192
# episodes) with its model replaced by an `openai` model whose base_url is a
# 127.0.0.1 port where nothing listens, default retry settings. The circuit
# breaker should end it in seconds with a non-zero exit and one clear line.
# Prints each run's wall time, exit code and the "is unavailable" lines.
# Usage: bench/dead_endpoint.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$out/config.json" "$port" <<'PY'
import json, sys
c = json.load(open("config.json"))
c["models"] = [{"name": "dead", "kind": "openai", "model": "any",
                "base_url": f"http://127.0.0.1:{sys.argv[2]}/v1", "cache": "off"}]
json.dump(c, open(sys.argv[1], "w"))
PY
episodes=$(python3 -c "import json; c=json.load(open('config.json')); print(len(c['tasks'])*len(c['context_policies'])*len(c['reasoning_modes'])*len(c['seeds']))")
echo "grid: $episodes episodes, model base_url http://127.0.0.1:$port/v1 (nothing listens)"
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  set +e
  "$build/ctxbench" run --config "$out/config.json" --out "$out/runs" -q >/dev/null 2>"$out/stderr"
  code=$?
  set -e
  end=$(date +%s.%N)
  printf 'run %d: %.2f s, exit %d, %d "is unavailable" line(s)\n' "$i" \
    "$(echo "$end - $start" | bc)" "$code" "$(grep -c 'is unavailable' "$out/stderr" || true)"
done
grep -m1 'is unavailable' "$out/stderr" || true
