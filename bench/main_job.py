#!/usr/bin/env python3
"""Times the main job, `ctxbench run --config config.json` (the default grid),
paired and interleaved against another ctxbench binary (e.g. main's), and
checks that both give the same results.

  bench/main_job.py OURS_BINARY [BASE_BINARY] [--rounds N] [--config config.json]

Each round runs both binaries once, in alternating order (so both sides of a
pair see about the same machine load), and measures each run's wall time and
CPU time (user + system of the child). It prints the median of each side, the
median and quartiles of the per-pair speedup (base wall / ours wall), the
episodes per second, and the load average. Results must agree: summary.json
(without `out_dir`) and results.csv (without the `wall_seconds` column) of
every run are compared with the first run's; a difference exits 1.
With one binary, it times that binary alone.
"""
import argparse
import csv
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(binary, config, out):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, "run", "--config", config, "--out", out, "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    (name,) = os.listdir(out)
    return wall, cpu, os.path.join(out, name)


def results_of(run_dir):
    """What must not differ between runs: summary.json and results.csv, timings left out."""
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    summary["config"].pop("out_dir", None)
    with open(os.path.join(run_dir, "results.csv"), newline="") as f:
        rows = list(csv.reader(f))
    drop = rows[0].index("wall_seconds")
    table = [[c for i, c in enumerate(row) if i != drop] for row in rows]
    return json.dumps(summary, sort_keys=True), table, summary.get("episodes_done")


def quartiles(values):
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ours")
    ap.add_argument("base", nargs="?")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--config", default="config.json")
    args = ap.parse_args()
    sides = {"ours": os.path.abspath(args.ours)}
    if args.base:
        sides["base"] = os.path.abspath(args.base)
    work = tempfile.mkdtemp(prefix="ctxbench-main-job-")
    wall = {s: [] for s in sides}
    cpu = {s: [] for s in sides}
    reference = None
    episodes = None
    try:
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(list(sides)))
            for side in order:
                out = os.path.join(work, f"{side}{r}")
                w, c, run_dir = run_once(sides[side], args.config, out)
                wall[side].append(w)
                cpu[side].append(c)
                summary, table, episodes = results_of(run_dir)
                if reference is None:
                    reference = (summary, table)
                elif (summary, table) != reference:
                    print(f"results differ: {side} round {r} ({run_dir})", file=sys.stderr)
                    return 1
                shutil.rmtree(out)
            print(f"round {r + 1}: " + "  ".join(
                f"{s} {wall[s][-1]:.2f} s wall, {cpu[s][-1]:.2f} s CPU" for s in sides),
                flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"episodes per run: {episodes}; results identical across all runs")
    for s in sides:
        mw, mc = statistics.median(wall[s]), statistics.median(cpu[s])
        print(f"{s}: median {mw:.2f} s wall ({episodes / mw:.1f} episodes/s), "
              f"{mc:.2f} s CPU; runs {min(wall[s]):.2f} .. {max(wall[s]):.2f} s")
    if "base" in sides:
        ratios = [b / o for b, o in zip(wall["base"], wall["ours"])]
        cpu_ratios = [b / o for b, o in zip(cpu["base"], cpu["ours"])]
        lo, hi = quartiles(ratios)
        print(f"speedup (base wall / ours wall, per pair): median {statistics.median(ratios):.2f}x "
              f"(quartiles {lo:.2f}-{hi:.2f}); CPU: median {statistics.median(cpu_ratios):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
