"""The bundled workspace tasks beyond tabular_py/debug_py, end to end with sim:
nomad_py on a small synthetic NOMAD-shaped dataset made here (a minimised
metric, prepared data split into the workspace, a hidden test split),
toy_tabular_ws whose command is `ctxbench train` (with per-run snapshots), the
`ctxbench train` command itself, and the report's workspace section."""

import glob
import json
import os
import random
import stat
import subprocess
import unittest

import harness

NOMAD_COLUMNS = ["spacegroup", "number_of_total_atoms", "percent_atom_al", "percent_atom_ga",
                 "percent_atom_in", "lattice_vector_1_ang", "lattice_vector_2_ang",
                 "lattice_vector_3_ang", "lattice_angle_alpha_degree",
                 "lattice_angle_beta_degree", "lattice_angle_gamma_degree",
                 "formation_energy_ev_natom", "bandgap_energy_ev"]


def write_synthetic_nomad(data_dir, rows=400):
    """A prepared-looking <data_dir>/nomad/train.csv: NOMAD's columns, made-up
    values; the band gap depends on products of the composition fractions,
    which depth-1 trees (the starter's) cannot model."""
    rng = random.Random(7)
    os.makedirs(os.path.join(data_dir, "nomad"))
    lines = [",".join(NOMAD_COLUMNS)]
    for _ in range(rows):
        al, ga = rng.random(), rng.random()
        inn = rng.random()
        total = al + ga + inn
        al, ga, inn = al / total, ga / total, inn / total
        row = [rng.choice([12, 33, 167, 194, 206, 227]), rng.choice([10, 20, 30, 40, 60, 80]),
               al, ga, inn, 5 + 20 * rng.random(), 5 + 10 * rng.random(), 5 + 15 * rng.random(),
               90 + rng.random(), 90 + 15 * rng.random(), 90 + 30 * rng.random(),
               0.2 * rng.random(), 2.0 + 6.0 * al * ga - 5.0 * inn * ga + 0.02 * rng.gauss(0, 1)]
        lines.append(",".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row))
    with open(os.path.join(data_dir, "nomad", "train.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def config(name, tasks, **extra):
    c = {"name": name, "tasks": tasks, "models": [{"name": "sim", "kind": "sim"}],
         "context_policies": [{"name": "full", "type": "full"}],
         "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 5, "parallel": 1}
    c.update(extra)
    return c


def read_trace(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class WorkspaceTasksTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        os.chmod(self.workdir, 0o755)  # commands may run as nobody

    def only_run_dir(self):
        dirs = glob.glob(os.path.join(self.workdir, "runs", "*"))
        self.assertEqual(len(dirs), 1)
        return dirs[0]

    def test_nomad_py_on_synthetic_prepared_data(self):
        data_dir = os.path.join(self.workdir, "data")
        write_synthetic_nomad(data_dir)
        self.run_ok("run", "--config", "config.json",
                    config=config("nomad", ["nomad_py"], data_dir=data_dir, num_steps=1))
        run_dir = self.only_run_dir()
        with open(os.path.join(run_dir, "summary.json")) as f:
            (ep,) = json.load(f)["episodes"]
        out = ep["outcome"]
        self.assertFalse(out["higher_is_better"])
        self.assertEqual(out["metric"], "mae")
        self.assertLess(out["best_valid_metric"], out["baseline_metric"])  # minimised
        self.assertLess(out["target_metric"], out["baseline_metric"])
        # Success is judged downwards: the final validation MAE at or below the target.
        self.assertEqual(out["success"], out["final_answer_valid"]
                         and out["final_valid_metric"] <= out["target_metric"], out)
        self.assertGreater(out["test_metric"], 0)  # the hidden evaluation ran

        ws = os.path.join(run_dir, "workspaces", ep["episode_id"])
        for name in ["train.csv", "valid_features.csv", "test_features.csv"]:
            mode = os.stat(os.path.join(ws, "data", name)).st_mode
            self.assertFalse(mode & stat.S_IWUSR, name)  # read-only
        with open(os.path.join(ws, "data", "test_features.csv")) as f:
            header = f.readline()
        self.assertNotIn("bandgap_energy_ev", header)
        self.assertNotIn("formation_energy_ev_natom", header)
        with open(os.path.join(ws, "data", "valid_features.csv")) as f:
            self.assertNotIn("bandgap_energy_ev", f.readline())  # validation labels are hidden too
        for name in ["valid_labels.csv", "test_labels.csv"]:
            with open(os.path.join(ws + ".hidden", name)) as f:
                self.assertEqual(len(f.read().splitlines()), 1 + 80)  # 20% of 400
        with open(os.path.join(run_dir, "report.md")) as f:
            report = f.read()
        self.assertIn("## Workspace tasks: edits, runs and tracebacks", report)
        self.assertIn("| nomad_py | sim | full | mae (lower) |", report)

    def test_nomad_py_without_prepared_data_names_the_command(self):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json",
                                 config=config("nomad", ["nomad_py"],
                                               data_dir=os.path.join(self.workdir, "nodata")))
        self.assertEqual(r.code, 2, r.stderr)
        self.assertIn(os.path.join(self.workdir, "nodata", "nomad", "train.csv"), r.stderr)
        self.assertIn("ctxbench data prepare nomad --raw DIR", r.stderr)
        self.assertEqual(r.run_dirs(), [])  # fails before the run folder exists

    # The workspace runs this binary as `ctxbench train` under the task's memory
    # limit (RLIMIT_AS); an ASan build cannot reserve its shadow memory there.
    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "ASan cannot start under the workspace's RLIMIT_AS memory limit")
    def test_toy_tabular_ws_runs_ctxbench_train_with_snapshots(self):
        self.run_ok("run", "--config", "config.json",
                    config=config("trainer", ["toy_tabular_ws"], workspace={"snapshots": True},
                                  num_steps=2))
        run_dir = self.only_run_dir()
        with open(os.path.join(run_dir, "summary.json")) as f:
            (ep,) = json.load(f)["episodes"]
        out = ep["outcome"]
        self.assertTrue(out["final_answer_valid"])
        self.assertGreater(out["best_valid_metric"], out["baseline_metric"])
        self.assertGreater(out["test_metric"], 0.5)  # `ctxbench train --hidden-test`

        (trace,) = glob.glob(os.path.join(run_dir, "traces", "*.jsonl"))
        events = read_trace(trace)
        runs = [e["data"] for e in events if e.get("event") == "op.experiment"
                and isinstance(e["data"]["experiment"], int) and e["data"]["experiment"] > 0]
        self.assertGreaterEqual(len(runs), 2)
        self.assertTrue(any(r["ok"] for r in runs))
        self.assertTrue(any("validation accuracy" in r["output"] for r in runs))
        snaps = os.path.join(run_dir, "workspaces", ep["episode_id"] + ".snapshots")
        for r in runs:
            folder = os.path.join(run_dir, r["snapshot"])
            self.assertTrue(folder.startswith(snaps), r["snapshot"])
            with open(os.path.join(folder, "params.json")) as f:
                self.assertEqual(json.load(f), r["config"])  # the params that run used
        self.assertEqual(len(os.listdir(snaps)), len(runs))

    def test_unknown_workspace_option_is_named(self):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json",
                                 config=config("bad", ["toy_tabular_ws"],
                                               workspace={"snapshot": True}))
        self.assertEqual(r.code, 2, r.stderr)
        self.assertIn("$.workspace.snapshot", r.stderr)

    def test_train_command(self):
        self.assertEqual(harness.run_ctxbench(self.workdir, "train", "--help").code, 0)
        params = os.path.join(self.workdir, "params.json")
        with open(params, "w") as f:
            json.dump({"max_depth": 3, "num_round": 30}, f)
        r = self.run_ok("train", "--task", "toy_tabular", "--params", "params.json",
                        "--metrics", "m.json", "--seed", "2", "--threads", "1", "--hidden-test")
        with open(os.path.join(self.workdir, "m.json")) as f:
            metrics = json.load(f)
        self.assertGreater(metrics["accuracy"], 0.5)
        self.assertIn("test_metric", json.loads(r.stdout.strip().splitlines()[-1]))

        with open(params, "w") as f:
            json.dump({"max_depth": 99}, f)
        r = harness.run_ctxbench(self.workdir, "train", "--task", "toy_tabular",
                                 "--params", "params.json", "--metrics", "m2.json")
        self.assertEqual(r.code, 2)
        self.assertIn("params.json", r.stderr)
        self.assertIn("max_depth", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "m2.json")))


if __name__ == "__main__":
    harness.main()
