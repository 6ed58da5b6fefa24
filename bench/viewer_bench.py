"""Timings of `ctxbench view` on a large sim run (bench/README.md, ## Viewer).

Usage: python3 bench/viewer_bench.py BUILD_DIR [EPISODES] [--from RUN_DIR]
           [--baseline BINARY] [--browser N]

Makes (once, then reuses) a run of EPISODES episodes (default 10,000) under
/tmp/ctxbench-viewer-bench-EPISODES: a real sim run of every episode
(toy_tabular x full/window2 x agentic x EPISODES/2 seeds, 4 steps each,
parallel 2), or, with --from, a copy of the finished episodes of RUN_DIR whose
rows in every table are replicated under new episode ids (`<id>.rK`,
seed + K * 10^6) until the store holds EPISODES episodes.

Then serves it with `ctxbench view --port 0` and times each API page the app
loads (20 requests each, median and max) from the client side of a loopback
socket. With --baseline BINARY (e.g. a build of the previous commit) it serves
the run with both binaries and times them paired and interleaved: request i
goes to one server then the other, alternating which goes first. With
--browser N also runs the e2e puppeteer script N times against each server
(interleaved) and prints the browser's runs, grid and X-ray times.
"""

import http.client
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


TABLES = ["episodes", "steps", "llm_calls", "experiments", "events"]


def replicate(db_path, episodes):
    """Copies every table's rows under new episode ids until `episodes` rows."""
    db = sqlite3.connect(db_path)
    db.execute("DELETE FROM episodes WHERE status NOT IN ('complete', 'error')")
    n = db.execute("SELECT COUNT(*) FROM episodes").fetchone()[0]
    ids = [r[0] for r in db.execute("SELECT episode_id FROM episodes ORDER BY episode_id")]
    k = 0
    while n < episodes:
        k += 1
        take = ids[: episodes - n]
        db.execute("CREATE TEMP TABLE IF NOT EXISTS pick (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM pick")
        db.executemany("INSERT INTO pick VALUES (?)", [(i,) for i in take])
        for table in TABLES:
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            sel = [f"episode_id || '.r{k}'" if c == "episode_id" else
                   f"seed + {k} * 1000000" if (table == "episodes" and c == "seed") else c
                   for c in cols]
            db.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(sel)} "
                       f"FROM {table} WHERE episode_id IN (SELECT id FROM pick)")
        n += len(take)
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return n


def make_run(binary, work, episodes, source):
    runs = os.path.join(work, "runs")
    if os.path.isdir(runs) and os.listdir(runs):
        return os.path.join(runs, sorted(os.listdir(runs))[-1]), None
    os.makedirs(runs, exist_ok=True)
    t = time.perf_counter()
    if source:
        run_dir = os.path.join(runs, os.path.basename(source.rstrip("/")))
        shutil.copytree(source, run_dir, ignore=shutil.ignore_patterns("traces", "workspaces"))
    else:
        config = {
            "name": f"viewer-bench-{episodes}",
            "tasks": ["toy_tabular"],
            "models": [{"name": "sim", "kind": "sim"}],
            "context_policies": [{"name": "full", "type": "full"},
                                 {"name": "window2", "type": "window", "max_turns": 2}],
            "reasoning_modes": ["agentic"],
            "seeds": list(range(1, episodes // 2 + 1)),
            "num_steps": 4,
            "parallel": 2,
        }
        with open(os.path.join(work, "config.json"), "w") as f:
            json.dump(config, f)
        subprocess.run([binary, "run", "--config", "config.json", "--quiet"], cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        run_dir = os.path.join(runs, sorted(os.listdir(runs))[-1])
    n = replicate(os.path.join(run_dir, "results.db"), episodes)
    return run_dir, (time.perf_counter() - t, n)


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t = time.perf_counter()
    conn.request("GET", path)
    res = conn.getresponse()
    body = res.read()
    ms = (time.perf_counter() - t) * 1000
    conn.close()
    assert res.status == 200, (path, res.status, body[:200])
    return ms, len(body)


def serve(binary, run_dir):
    proc = subprocess.Popen([binary, "view", run_dir, "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    port = int(re.search(r":(\d+)/", proc.stdout.readline()).group(1))
    return proc, port


def first_episode(port, run, policy):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/api/runs/{run}/episodes?limit=1&policy={policy}")
    rows = json.loads(conn.getresponse().read())["episodes"]
    return rows[0]["episode_id"] if rows else None


def browser_timings(port, run, a, b, shots):
    r = subprocess.run(["node", os.path.join(ROOT, "tests/e2e/viewer/viewer_e2e.js"),
                        f"http://127.0.0.1:{port}/", run, a, b, "3", shots],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("browser run failed: " + r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])["timings"]


def main():
    build = sys.argv[1]
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 10000
    source = sys.argv[sys.argv.index("--from") + 1] if "--from" in sys.argv else None
    baseline = sys.argv[sys.argv.index("--baseline") + 1] if "--baseline" in sys.argv else None
    browser_runs = int(sys.argv[sys.argv.index("--browser") + 1]) if "--browser" in sys.argv else 0
    binary = os.path.join(build, "ctxbench")
    work = f"/tmp/ctxbench-viewer-bench-{episodes}"
    run_dir, made = make_run(binary, work, episodes, source)
    if made is not None:
        print(f"made the {made[1]}-episode run in {made[0]:.1f} s: {run_dir}")
    run = os.path.basename(run_dir)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    servers = [("this build", *serve(binary, run_dir))]
    if baseline:
        servers.append(("baseline", *serve(baseline, run_dir)))
    try:
        port = servers[0][2]
        a = first_episode(port, run, "full")
        b = first_episode(port, run, "window2") or a
        pages = [
            ("runs", "/api/runs"),
            ("grid", f"/api/runs/{run}/grid"),
            ("episode list (1000 of a cell)",
             f"/api/runs/{run}/episodes?limit=1000&mode=agentic&model=sim&policy=full&task=toy_tabular"),
            ("episode", f"/api/runs/{run}/episodes/{a}"),
            ("X-ray of step 4", f"/api/runs/{run}/episodes/{a}/xray/4"),
            ("compare", f"/api/runs/{run}/compare?a={a}&b={b}&iteration=3"),
            ("search (50 hits)", f"/api/runs/{run}/search?q=max_depth"),
        ]
        names = [n for n, _, _ in servers]
        print("| page | " + " | ".join(f"{n} median | {n} max" for n in names) + " | bytes |")
        print("| --- |" + " ---: | ---: |" * len(names) + " ---: |")
        for name, path in pages:
            times = {n: [] for n in names}
            size = 0
            for i in range(20):  # paired, interleaved, alternating which goes first
                order = servers if i % 2 == 0 else servers[::-1]
                for n, _, p in order:
                    ms, size = get(p, path)
                    times[n].append(ms)
            cols = " | ".join(f"{statistics.median(times[n]):.1f} ms | {max(times[n]):.1f} ms"
                              for n in names)
            print(f"| {name} | {cols} | {size:,} |")
        for i in range(browser_runs):
            order = servers if i % 2 == 0 else servers[::-1]
            for n, _, p in order:
                shots = os.path.join(work, "shots-" + n.replace(" ", "-"))
                os.makedirs(shots, exist_ok=True)
                print(f"browser {n} (ms):", browser_timings(p, run, a, b, shots))
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        for _, proc, _ in servers:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
