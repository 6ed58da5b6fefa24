#!/usr/bin/env python3
"""Paired CPU cost of compiling translation units with and without the
precompiled header (see bench/README.md, "Build").

Usage: python3 bench/build_pch.py BUILD_DIR [SAMPLE] [SEED]

BUILD_DIR is a configured and built build folder with CTXBENCH_PCH=ON (its
compile_commands.json and .gch files are used). SAMPLE translation units
(default 24, spread over the library, the CLI and the tests) are each compiled
twice without ccache, once as the build does (-include cmake_pch.hxx) and once
without the precompiled header, in alternating order; the CPU time (user+sys)
of each compile is taken from the kernel. Also compiles each .gch once.
Prints the per-file figures, the means and an estimate for the whole build.
"""
import json
import os
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile


def cpu_of(cmd, cwd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"compile failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compiler_args(command):
    args = shlex.split(command)
    # Drop the launcher (cmake -E env ... ccache): start at the compiler.
    start = next(i for i, a in enumerate(args) if re.search(r"(^|/)(c\+\+|g\+\+|clang\+\+)", a))
    return args[start:]


def without_pch(args):
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-include" :
            skip = True
            continue
        if a == "-Winvalid-pch":
            continue
        out.append(a)
    return out


def with_output(args, path):
    args = list(args)
    args[args.index("-o") + 1] = path
    return args


def main():
    build = os.path.abspath(sys.argv[1])
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = [e for e in json.load(f) if "-include" in e["command"]
                   and e["file"].endswith(".cc")]
    by_target = {}
    for e in entries:
        target = re.search(r"CMakeFiles/([^/]+)\.dir/", e["command"]).group(1)
        by_target.setdefault(target, []).append(e)
    counts = {t: len(v) for t, v in by_target.items()}
    total = sum(counts.values())
    chosen = []
    for t, v in sorted(by_target.items()):  # proportional, at least one per target
        n = max(1, round(sample * len(v) / total))
        chosen += rng.sample(v, min(n, len(v)))
    env_note = os.environ.get("CCACHE_DISABLE")
    os.environ["CCACHE_DISABLE"] = "1"
    pch, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.o")
        for i, e in enumerate(chosen):
            args = with_output(compiler_args(e["command"]), out)
            runs = [("pch", args), ("plain", without_pch(args))]
            if i % 2:
                runs.reverse()
            got = {name: cpu_of(cmd, e["directory"]) for name, cmd in runs}
            pch.append(got["pch"])
            plain.append(got["plain"])
            print(f"{os.path.relpath(e['file'], build + '/..'):50s} "
                  f"plain {got['plain']:6.2f} s  pch {got['pch']:6.2f} s", flush=True)
        gch_cost = {}
        for t in sorted(by_target):
            gch_cmds = [c for c in json.load(open(os.path.join(build, "compile_commands.json")))
                        if c["file"].endswith(f"{t}.dir/cmake_pch.hxx.cxx")]
            if gch_cmds:
                args = with_output(compiler_args(gch_cmds[0]["command"]),
                                   os.path.join(tmp, "x.gch"))
                gch_cost[t] = cpu_of(args, gch_cmds[0]["directory"])
    if env_note is None:
        del os.environ["CCACHE_DISABLE"]
    mean_plain = sum(plain) / len(plain)
    mean_pch = sum(pch) / len(pch)
    print(f"\n{len(chosen)} files: mean CPU plain {mean_plain:.2f} s, with pch {mean_pch:.2f} s "
          f"({100 * (mean_pch - mean_plain) / mean_plain:+.0f}%)")
    print("precompiled headers (CPU s): " +
          ", ".join(f"{t} {c:.1f}" for t, c in gch_cost.items()))
    print(f"files using a pch: {total} ({', '.join(f'{t} {n}' for t, n in sorted(counts.items()))})")
    est_plain = mean_plain * total
    est_pch = mean_pch * total + sum(gch_cost.values())
    print(f"estimate for those files: plain {est_plain:.0f} s CPU, with pch {est_pch:.0f} s CPU "
          f"(incl. the .gch compiles)")


if __name__ == "__main__":
    main()
