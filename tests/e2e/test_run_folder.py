"""A small run: the run folder is complete and its views agree
(store rows = traces = summary)."""

import json
import os
import sqlite3

import harness


class RunFolderTest(harness.E2ETest):
    def test_store_traces_and_summary_agree(self):
        r = self.run_ok("run", "--config", "config.json", config=harness.SMALL_CONFIG)
        dirs = r.run_dirs()
        self.assertEqual(len(dirs), 1)
        run_dir = dirs[0]
        with open(os.path.join(run_dir, "run.json")) as f:
            run = json.load(f)
        self.assertEqual(run["status"], "complete")
        with open(os.path.join(run_dir, "summary.json")) as f:
            summary = json.load(f)
        planned = 1 * 2 * 1 * 2 * 2
        self.assertEqual(summary["episodes_planned"], planned)
        self.assertEqual(len(summary["episodes"]), planned)

        db = sqlite3.connect(os.path.join(run_dir, "results.db"))
        rows = db.execute(
            "SELECT episode_id, status, best_valid_metric, success, iterations FROM episodes"
        ).fetchall()
        self.assertEqual(len(rows), planned)
        # Every step records what its reply did.
        actions = {a for (a,) in db.execute("SELECT action FROM steps")}
        self.assertNotIn(None, actions)
        self.assertIn("train", actions)
        self.assertIn("final_answer", actions)
        by_id = {row[0]: row for row in rows}
        traces = sorted(os.listdir(os.path.join(run_dir, "traces")))
        self.assertEqual(len(traces), planned)
        for ep in summary["episodes"]:
            eid = ep["episode_id"]
            out = ep["outcome"]
            row = by_id[eid]
            self.assertEqual(row[1], "complete")
            self.assertAlmostEqual(row[2], out["best_valid_metric"], places=9)
            self.assertEqual(bool(row[3]), out["success"])
            self.assertEqual(row[4], out["iterations"])
            # Every stored event is a trace line after the run.start header.
            with open(os.path.join(run_dir, "traces", eid + ".jsonl")) as f:
                lines = [json.loads(line) for line in f]
            self.assertEqual(lines[0]["event"], "run.start")
            self.assertEqual(lines[-1]["event"], "episode.end")
            n_events = db.execute("SELECT COUNT(*) FROM events WHERE episode_id = ?",
                                  (eid,)).fetchone()[0]
            self.assertEqual(n_events, len(lines) - 1)
            experiments = db.execute("SELECT COUNT(*) FROM experiments WHERE episode_id = ?",
                                     (eid,)).fetchone()[0]
            self.assertEqual(experiments, len(out["history"]))
            llm_calls = db.execute("SELECT COUNT(*) FROM llm_calls WHERE episode_id = ?",
                                   (eid,)).fetchone()[0]
            self.assertEqual(llm_calls, out["llm_calls"])
            self.assertGreater(out["llm_calls"], 0)
            # The agent never saw the hidden test metric.
            for line in lines:
                msg = line.get("message")
                if msg and "test" in msg.get("content", "").lower():
                    self.assertNotIn("test_metric", msg["content"])

        # The final table names every policy and mode, and the model is labelled.
        for word in ("full", "window2", "agentic", "controller", "success"):
            self.assertIn(word, r.stdout)
        self.assertIn("sim", r.stdout)

    def test_policies_change_what_sim_sees(self):
        r = self.run_ok("run", "--config", "config.json", "--reasoning-mode", "controller",
                        "--num-steps", "8", config=harness.SMALL_CONFIG)
        with open(os.path.join(r.run_dirs()[0], "summary.json")) as f:
            summary = json.load(f)
        by_policy = {}
        for ep in summary["episodes"]:
            by_policy.setdefault(ep["policy"], []).append(ep["outcome"])
        mean_ctx = {p: sum(o["mean_context_tokens"] for o in outs) / len(outs)
                    for p, outs in by_policy.items()}
        self.assertLess(mean_ctx["window2"], mean_ctx["full"])

    def test_overrides_select_one_cell(self):
        r = self.run_ok("run", "--config", "config.json", "--policy-type", "short_context",
                        "--reasoning-mode", "controller", "--seeds", "3", "--num-steps", "2",
                        config=harness.SMALL_CONFIG)
        with open(os.path.join(r.run_dirs()[0], "summary.json")) as f:
            summary = json.load(f)
        self.assertEqual(len(summary["episodes"]), 1)
        ep = summary["episodes"][0]
        self.assertEqual((ep["policy"], ep["mode"], ep["seed"]), ("short_context", "controller", 3))
        self.assertLessEqual(ep["outcome"]["iterations"], 2)


if __name__ == "__main__":
    harness.main()
