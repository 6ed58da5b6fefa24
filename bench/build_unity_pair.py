#!/usr/bin/env python3
"""Paired cold-compile CPU of targets as the build compiles them with the
unity build on and off (see bench/README.md, "Build").

Usage: python3 bench/build_unity_pair.py UNITY_BUILD_DIR FILES_BUILD_DIR
           TARGET [TARGET...] [--rounds R] [--module M]

Both folders are configured builds of the same tree, one with
-DCTXBENCH_UNITY_BUILD=ON and one with OFF (their compile_commands.json are
read; nothing in them is written; the unity folder's generated Unity/*.cxx
files must exist, i.e. it was built or at least generated). For each TARGET
(e.g. ctxbench_cli) every compile command of that target in each folder is
run without ccache into a scratch object: the unity batches plus any file
kept out of them, against every file one by one. The order alternates per
round. CPU time (user+sys) of each compile is taken from the kernel. Prints
per target and round the sums, and the medians over the rounds. --module M
keeps only module M's compiles of ctxbench_tests (its unity groups
unity_M_<n>, against its test files under src/M/), to measure the tests a
module at a time.
"""
import argparse
import json
import os
import statistics
import tempfile

from build_pch import compiler_args, cpu_of  # one copy of the CPU-time and argv helpers
from build_unity import retarget


def entries_of(build, target, module=None):
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    found = [e for e in db if f"CMakeFiles/{target}.dir/" in e["command"]]
    if module:
        found = [e for e in found if f"/unity_{module}_" in e["file"] or
                 f"/src/{module}/" in e["file"]]
    if not found:
        raise SystemExit(f"no compile commands of target {target} in {build}")
    return found


def cpu_of_entries(entries, out):
    return sum(cpu_of(retarget(compiler_args(e["command"]), e["file"], out), e["directory"])
               for e in entries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("unity_build")
    parser.add_argument("files_build")
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--module")
    opts = parser.parse_args()
    os.environ["CCACHE_DISABLE"] = "1"
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.o")
        for target in opts.targets:
            unity = entries_of(os.path.abspath(opts.unity_build), target, opts.module)
            files = entries_of(os.path.abspath(opts.files_build), target, opts.module)
            variants = [("files", files), ("unity", unity)]
            for r in range(opts.rounds):
                order = variants if r % 2 == 0 else list(reversed(variants))
                got = {name: cpu_of_entries(e, out) for name, e in order}
                for name, cpu in got.items():
                    totals.setdefault((target, name), []).append(cpu)
                print(f"{target} ({len(files)} files, {len(unity)} unity compiles) round {r + 1}: "
                      f"files {got['files']:.1f} s, unity {got['unity']:.1f} s", flush=True)
    print()
    for target in opts.targets:
        f = statistics.median(totals[(target, "files")])
        u = statistics.median(totals[(target, "unity")])
        print(f"{target}: median CPU files {f:.1f} s, unity {u:.1f} s ({100 * (u - f) / f:+.0f}%)")


if __name__ == "__main__":
    main()
