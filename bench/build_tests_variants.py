#!/usr/bin/env python3
"""Cold-compile CPU of the unit tests' own translation units (ctxbench_tests'
unity batches, not the libraries they link) under variants of optimisation
level, batch size and a precompiled header (see bench/README.md, "Whole
builds").

Usage: python3 bench/build_tests_variants.py BUILD_DIR VARIANT [VARIANT...]
           [--modules M,M...] [--rounds R]

BUILD_DIR is a configured build folder with the unity build on whose
Unity/*.cxx files exist (its compile_commands.json gives the flags and its
unity files the modules' test files, in order). A VARIANT is OPT:BATCH or
OPT:BATCH:pch, e.g. O3:4 (what the build did before), O1:8, O0:0 (0: one
batch per module). OPT replaces the build's -O level; BATCH regroups each
module's test files into batches of that many, as CMake's UNITY_BUILD_MODE
GROUP does; pch compiles GoogleTest, GoogleMock, nlohmann/json and common
standard headers once into a .gch (its CPU counted once per variant) and
includes it in every batch. Every compile runs without ccache into a scratch
object; CPU (user+sys) comes from the kernel; variants alternate order per
round. Prints each variant's sum per round and the medians.
"""
import argparse
import glob
import json
import os
import re
import statistics
import tempfile

from build_pch import compiler_args, cpu_of
from build_unity import retarget

PCH_HEADERS = ["gtest/gtest.h", "gmock/gmock.h", "nlohmann/json.hpp", "string", "vector",
               "map", "memory", "optional", "filesystem", "algorithm", "functional"]


def module_files(build):
    """{module: [test file, ...]} in the build's batch order."""
    files = {}
    unity = glob.glob(os.path.join(build, "CMakeFiles/ctxbench_tests.dir/Unity/unity_*_cxx.cxx"))
    for path in sorted(unity, key=lambda p: (re.search(r"unity_(\w+?)_(\d+)_cxx", p).group(1),
                                             int(re.search(r"_(\d+)_cxx", p).group(1)))):
        module = re.search(r"unity_(\w+?)_\d+_cxx", path).group(1)
        with open(path) as f:
            files.setdefault(module, []).extend(re.findall(r'#include "([^"]+)"', f.read()))
    # A folder reconfigured with another batch size keeps its old batches too.
    return {m: list(dict.fromkeys(paths)) for m, paths in files.items()}


def base_args(build):
    with open(os.path.join(build, "compile_commands.json")) as f:
        for e in json.load(f):
            if "ctxbench_tests.dir/Unity" in e["file"]:
                return compiler_args(e["command"]), e["directory"]
    raise SystemExit(f"no unity compile of ctxbench_tests in {build}")


def with_opt(args, opt):
    return [f"-{opt}" if re.fullmatch(r"-O[0-3sg]", a) else a for a in args]


def variant_cpu(variant, files, args, cwd, tmp):
    opt, batch, *rest = variant.split(":")
    batch = int(batch)
    args = with_opt(args, opt)
    cpu = 0.0
    out = os.path.join(tmp, "x.o")
    if rest == ["pch"]:
        header = os.path.join(tmp, f"pch_{opt}.hxx")
        with open(header, "w") as f:
            f.write("".join(f"#include <{h}>\n" for h in PCH_HEADERS))
        gch = retarget(args, header, header + ".gch")
        gch[gch.index("-c") - 2:gch.index("-c") - 2] = ["-x", "c++-header"]
        cpu += cpu_of(gch, cwd)
        args = args + ["-Winvalid-pch", "-include", header]
    compiles = 0
    for module, paths in files.items():
        size = batch or len(paths)
        for i in range(0, len(paths), size):
            source = os.path.join(tmp, f"unity_{module}_{i}.cxx")
            with open(source, "w") as f:
                f.write("".join(f'#include "{p}"\n' for p in paths[i:i + size]))
            cpu += cpu_of(retarget(args, source, out), cwd)
            compiles += 1
    return cpu, compiles


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--modules")
    parser.add_argument("--rounds", type=int, default=1)
    opts = parser.parse_args()
    build = os.path.abspath(opts.build)
    files = module_files(build)
    if opts.modules:
        files = {m: files[m] for m in opts.modules.split(",")}
    args, cwd = base_args(build)
    os.environ["CCACHE_DISABLE"] = "1"
    totals = {v: [] for v in opts.variants}
    print(f"{sum(len(p) for p in files.values())} test files of {', '.join(files)}")
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(opts.rounds):
            order = opts.variants if r % 2 == 0 else list(reversed(opts.variants))
            for v in order:
                cpu, compiles = variant_cpu(v, files, args, cwd, tmp)
                totals[v].append(cpu)
                print(f"round {r + 1} {v}: {cpu:.1f} s CPU, {compiles} compiles", flush=True)
    for v in opts.variants:
        print(f"{v}: median {statistics.median(totals[v]):.1f} s CPU")


if __name__ == "__main__":
    main()
