"""MLE-bench competitions end to end: a synthetic competition in MLE-bench's
prepared layout (public/, private/, leaderboard.csv) is imported with
`ctxbench data import-mlebench`, graded by `ctxbench grade` (checked against
an independent medal computation in this file), and run as a task with sim:
the score, medal and above-median reach op.final_evaluation, summary.json
and report.md, and no agent workspace holds the private answers. The grid
finds the task through a relative task_dirs (the evaluation's {task} paths
must still reach the task folder from inside the workspace)."""

import csv
import glob
import json
import math
import os
import unittest
import random
import subprocess

import harness

COMP = "synth-conductors"


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def rmsle(y, p):
    return math.sqrt(sum((math.log1p(a) - math.log1p(b)) ** 2 for a, b in zip(y, p)) / len(y))


def medal_rule(score, board):
    """MLE-bench's rank_score (grade_helpers.py), written out independently."""
    n = len(board)
    at = lambda pos: board[max(1, min(pos, n)) - 1]
    if n < 100:
        g, s, b = at(max(1, int(n * 0.1))), at(max(1, int(n * 0.2))), at(max(1, int(n * 0.4)))
    elif n < 250:
        g, s, b = at(10), at(max(1, int(n * 0.2))), at(max(1, int(n * 0.4)))
    elif n < 1000:
        g, s, b = at(10 + int(n * 0.002)), at(50), at(100)
    else:
        g, s, b = at(10 + int(n * 0.002)), at(max(1, int(n * 0.05))), at(max(1, int(n * 0.1)))
    lower = board[0] < board[-1]
    better_eq = (lambda x, t: x <= t) if lower else (lambda x, t: x >= t)
    ordered = sorted(board)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    score = round(score, 5)
    medal = "gold" if better_eq(score, g) else "silver" if better_eq(score, s) else \
        "bronze" if better_eq(score, b) else "none"
    above = score < median if lower else score > median
    return medal, above


def make_competition(root):
    """Two regression targets (NOMAD-like), answers in private/test.csv."""
    rng = random.Random(2018)
    comp = os.path.join(root, COMP)
    pub, priv = os.path.join(comp, "prepared", "public"), os.path.join(comp, "prepared", "private")
    os.makedirs(pub)
    os.makedirs(priv)

    def row(i):
        x = rng.uniform(0, 1)
        return [i, round(x, 4), round(0.2 + 0.1 * x + rng.uniform(0, 0.02), 4),
                round(2.0 + 1.5 * x + rng.uniform(0, 0.2), 4)]

    train = [row(i) for i in range(1, 161)]
    test = [row(i) for i in range(1, 41)]
    header = ["id", "x", "formation_energy_ev_natom", "bandgap_energy_ev"]
    write_csv(os.path.join(pub, "train.csv"), header, train)
    write_csv(os.path.join(pub, "test.csv"), header[:2], [r[:2] for r in test])
    write_csv(os.path.join(pub, "sample_submission.csv"), ["id"] + header[2:],
              [[r[0], 0.1779, 1.8892] for r in test])
    with open(os.path.join(pub, "description.md"), "w") as f:
        f.write("# Synthetic conductors\nPredict both energies; mean column-wise RMSLE.\n")
    write_csv(os.path.join(priv, "test.csv"), header, test)
    # A leaderboard of 60 teams, lower is better, spread around the scores a
    # constant guess and a good model reach.
    board = sorted(round(0.005 + 0.004 * i, 5) for i in range(60))
    write_csv(os.path.join(comp, "leaderboard.csv"), ["teamName", "score"],
              [[f"team{i}", s] for i, s in enumerate(board)])
    return os.path.join(comp, "prepared"), test, board


class MlebenchTest(harness.E2ETest):
    def grade(self, task, submission):
        out = subprocess.run(
            [harness.BINARY, "grade", "--competition", f"{task}/hidden/competition.json",
             "--submission", submission, "--answers", f"{task}/hidden/answers.csv",
             "--leaderboard", f"{task}/hidden/leaderboard.csv"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])

    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "the evaluation runs `ctxbench grade` under RLIMIT_AS, where an ASan "
                     "binary cannot reserve its shadow memory")
    def test_import_grade_and_run(self):
        os.chmod(self.workdir, 0o755)  # commands may run as a sandbox uid
        prepared, test, board = make_competition(self.workdir)
        task = os.path.join(self.workdir, "tasks", COMP)
        proc = subprocess.run([harness.BINARY, "data", "import-mlebench", prepared,
                               "--metric", "mean-column-wise-rmsle", "--to", task],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("128 train, 32 valid, 40 test rows, leaderboard of 60 teams", proc.stdout)
        # Unknown competitions need --metric; the error says so.
        proc = subprocess.run([harness.BINARY, "data", "import-mlebench", prepared,
                               "--to", os.path.join(self.workdir, "other")],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--metric", proc.stderr)

        # Grading: perfect answers win gold; the sample's constants, against the
        # independent rule; a short submission is invalid (no score, no medal).
        answers = os.path.join(self.workdir, "perfect.csv")
        write_csv(answers, ["id", "formation_energy_ev_natom", "bandgap_energy_ev"],
                  [[r[0], r[2], r[3]] for r in test])
        g = self.grade(task, answers)
        self.assertEqual(g["test_metric"], 0)
        self.assertEqual(g["grading"]["medal"], "gold")
        self.assertTrue(g["grading"]["above_median"])
        g = self.grade(task, os.path.join(prepared, "public", "sample_submission.csv"))
        want = (rmsle([r[2] for r in test], [0.1779] * len(test)) +
                rmsle([r[3] for r in test], [1.8892] * len(test))) / 2
        self.assertAlmostEqual(g["test_metric"], want, places=9)
        medal, above = medal_rule(want, board)
        self.assertEqual((g["grading"]["medal"], g["grading"]["above_median"]), (medal, above))
        self.assertEqual(g["grading"]["teams"], 60)
        short = os.path.join(self.workdir, "short.csv")
        write_csv(short, ["id", "formation_energy_ev_natom", "bandgap_energy_ev"], [[1, 0.1, 1]])
        g = self.grade(task, short)
        self.assertFalse(g["grading"]["valid_submission"])
        self.assertNotIn("test_metric", g)
        self.assertEqual(g["grading"]["medal"], "none")

        # A tiny grid with sim.
        config = {"name": "e2e-mlebench", "tasks": [COMP], "task_dirs": ["tasks"],
                  "models": [{"name": "sim", "kind": "sim"}],
                  "context_policies": [{"name": "full", "type": "full"}],
                  "reasoning_modes": ["agentic"], "seeds": [1, 2], "num_steps": 6, "parallel": 2}
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        proc = subprocess.run([harness.BINARY, "run", "--config", "config.json", "--progress",
                               "none"], cwd=self.workdir, capture_output=True, text=True,
                              timeout=400)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        run_dir = glob.glob(os.path.join(self.workdir, "runs", "*"))[0]
        with open(os.path.join(run_dir, "summary.json")) as f:
            summary = json.load(f)
        self.assertEqual(len(summary["episodes"]), 2)
        medals = []
        for path in glob.glob(os.path.join(run_dir, "traces", "*.jsonl")):
            with open(path) as f:
                events = [json.loads(line) for line in f if line.strip()]
            (fin,) = [e["data"] for e in events if e.get("event") == "op.final_evaluation"]
            self.assertTrue(fin["ok"], fin)
            grading = fin["grading"]
            self.assertEqual(grading["score"], fin["test_metric"])
            self.assertEqual((grading["medal"], grading["above_median"]),
                             medal_rule(fin["test_metric"], board))
            medals.append(grading["medal"])
            # The agent never sees the grading: no model request carries it.
            requests = json.dumps([e for e in events if e.get("event") != "op.final_evaluation"])
            self.assertNotIn("above_median", requests)
        for ep in summary["episodes"]:
            self.assertIsNotNone(ep["outcome"]["test_metric"])

        # No workspace holds the private answers (nor a file named after them).
        answer_lines = {",".join(str(c) for c in r) for r in test}
        for ws in glob.glob(os.path.join(run_dir, "workspaces", "*")):
            if ws.endswith(".hidden"):
                continue
            for dirpath, _, files in os.walk(ws):
                for name in files:
                    self.assertNotIn(name, ("answers.csv", "valid_answers.csv"))
                    with open(os.path.join(dirpath, name), errors="replace") as f:
                        text = f.read()
                    for line in text.splitlines():
                        self.assertNotIn(line, answer_lines, os.path.join(dirpath, name))

        with open(os.path.join(run_dir, "report.md")) as f:
            report = f.read()
        self.assertIn("## Competition grading: medals", report)
        section = report.split("## Competition grading: medals", 1)[1]
        row = [line for line in section.splitlines() if line.startswith(f"| {COMP} ")][0]
        cells = [c.strip() for c in row.strip("|").split("|")]
        counts = [medals.count(m) for m in ("gold", "silver", "bronze")]
        self.assertEqual(cells[3:8], ["2", "2"] + [str(c) for c in counts])


if __name__ == "__main__":
    harness.main()
