"""Shared helpers for the end-to-end tests: run the ctxbench binary in a
temporary folder and read what it wrote."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

BINARY = None  # set from argv by main()

SMALL_CONFIG = {
    "name": "e2e",
    "tasks": ["toy_tabular"],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [
        {"name": "full", "type": "full"},
        {"name": "window2", "type": "window", "max_turns": 2},
    ],
    "reasoning_modes": ["agentic", "controller"],
    "seeds": [1, 2],
    "num_steps": 4,
    "parallel": 2,
}


class RunResult:
    def __init__(self, proc, workdir):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.workdir = workdir

    def run_dirs(self):
        runs = os.path.join(self.workdir, "runs")
        if not os.path.isdir(runs):
            return []
        return sorted(os.path.join(runs, d) for d in os.listdir(runs))


def run_ctxbench(workdir, *args, config=None, timeout=300):
    """Runs `ctxbench ARGS` in `workdir`, writing `config` to config.json first."""
    if config is not None:
        with open(os.path.join(workdir, "config.json"), "w") as f:
            json.dump(config, f)
    try:
        proc = subprocess.run([BINARY, *args], cwd=workdir, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:  # say how far it got
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        raise AssertionError("ctxbench %s: still running after %d s; its stderr so far:\n%s"
                             % (" ".join(args), timeout, err[-3000:])) from None
    return RunResult(proc, workdir)


class E2ETest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="ctxbench-e2e-")
        self.workdir = self._tmp.name
        # Each test its own response cache (ctxbench keeps it in
        # $XDG_CACHE_HOME/ctxbench), as each had in its own folder.
        self._xdg = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = os.path.join(self.workdir, ".cache")

    def tearDown(self):
        if self._xdg is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = self._xdg
        self._tmp.cleanup()

    def run_ok(self, *args, config=None):
        r = run_ctxbench(self.workdir, *args, config=config)
        self.assertEqual(r.code, 0, f"ctxbench {' '.join(args)} failed:\n{r.stderr}")
        return r

    def assert_key_nowhere(self, key, r, run_dir):
        """`key` is in neither the output of `r` nor any file of `run_dir`."""
        self.assertNotIn(key, r.stdout + r.stderr)
        for root, _, files in os.walk(run_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    self.assertNotIn(key.encode(), f.read(), os.path.join(root, name))


def small_sim_grid(name, parallel):
    """The default sim grid, reduced: 2 tasks x 2 policies x 2 seeds (agentic)."""
    return {
        "name": name,
        "tasks": ["toy_tabular", "breast_cancer"],
        "models": [{"name": "sim", "kind": "sim"}],
        "context_policies": [
            {"name": "full", "type": "full"},
            {"name": "window3", "type": "window", "max_turns": 3},
        ],
        "reasoning_modes": ["agentic"],
        "seeds": [1, 2],
        "num_steps": 4,
        "budget": {"context_tokens": 2000, "max_tokens": 60000},
        "parallel": parallel,
    }


# CTest reports an entry that exits with this code as skipped, not passed
# (SKIP_RETURN_CODE in tests/e2e/CMakeLists.txt).
SKIPPED = 77


def main():
    global BINARY
    BINARY = os.path.abspath(sys.argv.pop(1))
    result = unittest.main(verbosity=2, exit=False).result
    if not result.wasSuccessful():
        sys.exit(1)
    # Every test skipped (no chromium, say): a skip, not a pass.
    if result.testsRun and len(result.skipped) == result.testsRun:
        sys.exit(SKIPPED)
    sys.exit(0)
