#!/usr/bin/env python3
"""Paired CPU cost of compiling a module's files one by one, as a unity build
(CMAKE_UNITY_BUILD: batches of files #included into one translation unit),
and one by one with another compiler (see bench/README.md, "Build").

Usage: python3 bench/build_unity.py BUILD_DIR TARGET [TARGET...]
           [--batch N] [--rounds R] [--compiler clang++]

BUILD_DIR is a configured build folder (its compile_commands.json is used;
nothing in it is written). For each TARGET (e.g. ctxbench_context) every
.cc of that target is compiled without ccache: once per file as the build
does ("files"), once as unity translation units of N files each, in the
order of the compile database, the way CMake writes them ("unity"), and,
with --compiler, once per file with that compiler ("other": -Werror and
GCC-only warning flags dropped). The order of the variants alternates per
round. CPU time (user+sys) of each compile is taken from the kernel.
Prints per target and round the sums, and the medians over the rounds.
"""
import argparse
import json
import os
import statistics
import tempfile

from build_pch import compiler_args, cpu_of  # one copy of the CPU-time and argv helpers




def retarget(args, source, output):
    """The same flags compiling `source` into `output` (no dependency file)."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-c", "-MF", "-MT"):
            skip = True
            continue
        if a == "-MD" or a.endswith(".cc"):
            continue
        out.append(a)
    return out + ["-o", output, "-c", source]


def for_other(args, compiler):
    gcc_only = ("-Wno-restrict", "-Werror")
    return [compiler] + [a for a in args[1:] if a not in gcc_only]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--compiler")
    opts = parser.parse_args()
    build = os.path.abspath(opts.build)
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    with open(os.path.join(build, "ctxbench-source-dir.txt")) as f:
        src = os.path.join(f.read().strip(), "src") + "/"
    os.environ["CCACHE_DISABLE"] = "1"
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.o")
        for target in opts.targets:
            entries = [e for e in db if f"CMakeFiles/{target}.dir/" in e["command"]
                       and e["file"].endswith(".cc") and e["file"].startswith(src)]
            if not entries:
                raise SystemExit(f"no .cc files of target {target} in the compile database")
            base = compiler_args(entries[0]["command"])
            cwd = entries[0]["directory"]
            units = []
            for i in range(0, len(entries), opts.batch):
                unit = os.path.join(tmp, f"{target}_unity_{i // opts.batch}.cc")
                with open(unit, "w") as f:
                    for e in entries[i:i + opts.batch]:
                        f.write(f'#include "{e["file"]}"\n')
                units.append(unit)

            def files():
                return sum(cpu_of(retarget(compiler_args(e["command"]), e["file"], out), cwd)
                           for e in entries)

            def unity():
                return sum(cpu_of(retarget(base, u, out), cwd) for u in units)

            def other():
                return sum(cpu_of(for_other(retarget(compiler_args(e["command"]), e["file"], out),
                                            opts.compiler), cwd) for e in entries)

            variants = [("files", files), ("unity", unity)]
            if opts.compiler:
                variants.append(("other", other))
            for r in range(opts.rounds):
                order = variants if r % 2 == 0 else list(reversed(variants))
                got = {name: fn() for name, fn in order}
                for name, cpu in got.items():
                    totals.setdefault((target, name), []).append(cpu)
                print(f"{target} ({len(entries)} files, {len(units)} unity units) round {r + 1}: "
                      + ", ".join(f"{n} {got[n]:.1f} s" for n, _ in variants), flush=True)
    print()
    for target in opts.targets:
        med = {n: statistics.median(v) for (t, n), v in totals.items() if t == target}
        line = ", ".join(f"{n} {c:.1f} s ({100 * (c - med['files']) / med['files']:+.0f}%)"
                         for n, c in med.items())
        print(f"{target}: median CPU {line}")


if __name__ == "__main__":
    main()
