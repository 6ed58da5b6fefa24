"""Server-side timings of `ctxbench view` on a large sim run (bench/README.md,
## Viewer).

Usage: python3 bench/viewer_bench.py BUILD_DIR [EPISODES] [--browser]

Makes (once, then reuses) a sim run of EPISODES episodes (default 10,000:
toy_tabular x 2 policies x agentic x EPISODES/2 seeds, 4 steps each) under
/tmp/ctxbench-viewer-bench, serves it with `ctxbench view --port 0`, and
times each API page the app loads (20 requests each, median and max), from
the client side of a loopback socket. With --browser also runs the e2e
puppeteer script against it and prints the browser's grid and X-ray times.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_run(binary, work, episodes):
    runs = os.path.join(work, "runs")
    if os.path.isdir(runs) and os.listdir(runs):
        return os.path.join(runs, sorted(os.listdir(runs))[-1]), None
    os.makedirs(work, exist_ok=True)
    config = {
        "name": f"viewer-bench-{episodes}",
        "tasks": ["toy_tabular"],
        "models": [{"name": "sim", "kind": "sim"}],
        "context_policies": [{"name": "full", "type": "full"},
                             {"name": "window2", "type": "window", "max_turns": 2}],
        "reasoning_modes": ["agentic"],
        "seeds": list(range(1, episodes // 2 + 1)),
        "num_steps": 4,
    }
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(config, f)
    t = time.perf_counter()
    subprocess.run([binary, "run", "--config", "config.json", "--quiet"], cwd=work,
                   check=True, stdout=subprocess.DEVNULL)
    made = time.perf_counter() - t
    return os.path.join(runs, sorted(os.listdir(runs))[-1]), made


def timed_get(port, path, n=20):
    times = []
    size = 0
    for _ in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t = time.perf_counter()
        conn.request("GET", path)
        res = conn.getresponse()
        body = res.read()
        times.append((time.perf_counter() - t) * 1000)
        conn.close()
        assert res.status == 200, (path, res.status, body[:200])
        size = len(body)
    return statistics.median(times), max(times), size


def main():
    build = sys.argv[1]
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 10000
    binary = os.path.join(build, "ctxbench")
    work = f"/tmp/ctxbench-viewer-bench-{episodes}"
    run_dir, made = make_run(binary, work, episodes)
    if made is not None:
        print(f"made the {episodes}-episode sim run in {made:.1f} s: {run_dir}")
    run = os.path.basename(run_dir)
    proc = subprocess.Popen([binary, "view", run_dir, "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    port = int(re.search(r":(\d+)/", proc.stdout.readline()).group(1))
    try:
        a = "toy_tabular.full.sim.agentic.s1"
        pages = [
            ("runs", "/api/runs"),
            ("grid", f"/api/runs/{run}/grid"),
            ("episode list (1000 of a cell)",
             f"/api/runs/{run}/episodes?limit=1000&mode=agentic&model=sim&policy=full&task=toy_tabular"),
            ("episode", f"/api/runs/{run}/episodes/{a}"),
            ("X-ray of step 4", f"/api/runs/{run}/episodes/{a}/xray/4"),
            ("compare", f"/api/runs/{run}/compare?a={a}&b=toy_tabular.window2.sim.agentic.s1&iteration=3"),
            ("search (50 hits)", f"/api/runs/{run}/search?q=max_depth"),
        ]
        print(f"| page | median | max | bytes |\n| --- | ---: | ---: | ---: |")
        for name, path in pages:
            med, worst, size = timed_get(port, path)
            print(f"| {name} | {med:.1f} ms | {worst:.1f} ms | {size:,} |")
        if "--browser" in sys.argv:
            shots = os.path.join(work, "shots")
            os.makedirs(shots, exist_ok=True)
            r = subprocess.run(["node", os.path.join(ROOT, "tests/e2e/viewer/viewer_e2e.js"),
                                f"http://127.0.0.1:{port}/", run, a,
                                "toy_tabular.window2.sim.agentic.s1", "3", shots],
                               capture_output=True, text=True, timeout=600)
            if r.returncode == 0:
                print("browser (ms):", json.loads(r.stdout.strip().splitlines()[-1])["timings"])
            else:
                print("browser run failed:", r.stderr[-2000:])
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
