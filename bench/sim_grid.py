"""The paired-run prologue the overhead benchmarks share (progress_overhead.py,
telemetry_overhead.py): the small sim grid they both run, their command line
(BUILD_DIR [ROUNDS [SEEDS [NUM_STEPS]]]), a scratch folder holding the
config, the CPU time of finished children, and quartiles of paired
differences."""

import atexit
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile


def sim_config(name):
    """The grid: toy_tabular x {full, window2} x {agentic, controller} x
    seeds 1-8, 10 steps, 2 in parallel, on the built-in sim model."""
    return {
        "name": name,
        "tasks": ["toy_tabular"],
        "models": [{"name": "sim", "kind": "sim"}],
        "context_policies": [{"name": "full", "type": "full"},
                             {"name": "window2", "type": "window", "max_turns": 2}],
        "reasoning_modes": ["agentic", "controller"],
        "seeds": "1-8",
        "num_steps": 10,
        "parallel": 2,
    }


def parse_args(config, default_rounds):
    """(ctxbench binary, rounds) from argv; SEEDS and NUM_STEPS, when given,
    change `config` in place."""
    if len(sys.argv) < 2:
        sys.exit(sys.modules["__main__"].__doc__)
    binary = os.path.abspath(os.path.join(sys.argv[1], "ctxbench"))
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else default_rounds
    if len(sys.argv) > 3:
        config["seeds"] = sys.argv[3]
    if len(sys.argv) > 4:
        config["num_steps"] = int(sys.argv[4])
    return binary, rounds


def scratch_with_config(prefix, config):
    """A new folder (removed at exit) holding config.json."""
    work = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, work, True)
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(config, f)
    return work


def children_cpu():
    """User + system CPU seconds of this process's finished children so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def quartiles(values):
    """First and third quartiles; min and max below four values."""
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]
