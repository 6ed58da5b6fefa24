"""The report of a real (small) run: written at the end of `ctxbench run`,
rewritten by `ctxbench report`, consistent with the store; `ctxbench compare`
puts two runs side by side."""

import csv
import os
import sqlite3

import harness

REPORT_FILES = ["report.html", "report.md", "results.csv", "aggregate.csv"]


class ReportTest(harness.E2ETest):
    def test_run_writes_report_consistent_with_store(self):
        r = self.run_ok("run", "--config", "config.json", config=harness.SMALL_CONFIG)
        run_dir = r.run_dirs()[0]
        for name in REPORT_FILES:
            self.assertTrue(os.path.isfile(os.path.join(run_dir, name)), name)

        db = sqlite3.connect(os.path.join(run_dir, "results.db"))
        store = {row[0]: row for row in db.execute(
            "SELECT episode_id, success, improvement_pct, prompt_tokens + completion_tokens "
            "FROM episodes")}
        with open(os.path.join(run_dir, "results.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), len(store))
        for row in rows:
            eid, success, improvement, tokens = store[row["episode_id"]]
            self.assertEqual(int(row["success"]), success)
            self.assertAlmostEqual(float(row["improvement_pct"]), improvement, places=6)
            self.assertEqual(int(row["total_tokens"]), tokens)
            self.assertTrue(os.path.isfile(os.path.join(run_dir, row["trace"])))

        with open(os.path.join(run_dir, "aggregate.csv"), newline="") as f:
            groups = list(csv.DictReader(f))
        self.assertEqual(len(groups), 4)  # 1 task x 1 model x 2 modes x 2 policies
        for g in groups:
            members = [x for x in rows if all(x[k] == g[k] for k in ("task", "model", "mode",
                                                                       "policy"))]
            self.assertEqual(int(g["episodes"]), len(members))
            self.assertEqual(int(g["successes"]), sum(int(x["success"]) for x in members))
            mean = sum(float(x["improvement_pct"]) for x in members) / len(members)
            self.assertAlmostEqual(float(g["mean_improvement_pct"]), mean, places=6)
            self.assertLessEqual(float(g["success_ci_lo"]), float(g["success_rate"]))
            self.assertGreaterEqual(float(g["success_ci_hi"]), float(g["success_rate"]))

        with open(os.path.join(run_dir, "report.md")) as f:
            md = f.read()
        self.assertIn("built-in sim experimenter", md)
        # The first screen, then the per-task detail.
        self.assertLess(md.index("## Conditions"), md.index("## The answer"))
        self.assertLess(md.index("## The answer"), md.index("## What is and is not established"))
        self.assertIn("- policy window2: window, max_turns 2", md)
        self.assertIn("## Per task: paired comparisons against full", md)
        self.assertIn("cannot reach 0.05", md)  # 2 seeds: too few to test

        # `ctxbench report` rewrites the same files, identically.
        before = {n: open(os.path.join(run_dir, n)).read() for n in REPORT_FILES}
        os.remove(os.path.join(run_dir, "report.md"))
        out = self.run_ok("report", run_dir)
        self.assertIn("report.md", out.stdout)
        for name in REPORT_FILES:
            with open(os.path.join(run_dir, name)) as f:
                self.assertEqual(f.read(), before[name], name)

    def test_report_with_another_control_writes_new_files(self):
        r = self.run_ok("run", "--config", "config.json", config=harness.SMALL_CONFIG)
        run_dir = r.run_dirs()[0]
        before = {n: open(os.path.join(run_dir, n)).read() for n in REPORT_FILES}
        out = self.run_ok("report", run_dir, "--control", "window2")
        self.assertIn("report-vs-window2.md", out.stdout)
        self.assertIn("report-vs-window2.html", out.stdout)
        for name in REPORT_FILES:  # the run's own report is left as it was
            with open(os.path.join(run_dir, name)) as f:
                self.assertEqual(f.read(), before[name], name)
        with open(os.path.join(run_dir, "report-vs-window2.md")) as f:
            self.assertIn("Control: window2.", f.read())

    def test_report_of_a_folder_without_store_fails_cleanly(self):
        r = harness.run_ctxbench(self.workdir, "report", self.workdir)
        self.assertEqual(r.code, 2)
        self.assertIn("no results.db", r.stderr)

    def test_compare_two_runs(self):
        self.run_ok("run", "--config", "config.json", config=harness.SMALL_CONFIG)
        config = dict(harness.SMALL_CONFIG, name="other", num_steps=2)
        self.run_ok("run", "--config", "config.json", config=config)
        a, b = harness.RunResult.run_dirs(harness.run_ctxbench(self.workdir, "--version"))
        out_file = os.path.join(self.workdir, "compare.md")
        r = self.run_ok("compare", a, b, "--out", out_file)
        self.assertIn("# ctxbench compare:", r.stdout)
        # It opens with a one-paragraph summary: what changed, what differs.
        summary = [l for l in r.stdout.splitlines() if l.startswith("Summary: ")]
        self.assertEqual(len(summary), 1, r.stdout)
        self.assertIn("differ in improvement at p < 0.05 after Holm's adjustment", summary[0])
        lines = [l for l in r.stdout.splitlines() if l.startswith("| toy_tabular")]
        self.assertEqual(len(lines), 4)  # 2 modes x 2 policies
        for line in lines:
            self.assertIn("| 2 |", line)  # both seeds paired
        with open(out_file) as f:
            self.assertEqual(f.read(), r.stdout)


if __name__ == "__main__":
    harness.main()
