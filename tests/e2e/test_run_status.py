"""Run status and exit codes against a local OpenAI-protocol server: errored
episodes make a run `complete_with_errors` (exit 3) and stay out of the
statistics; `--resume --retry-errors` with the server fixed ends `complete`
(exit 0) with the summary of a run that never errored; `fail_on_error` and
`budget.run_max_cost_usd` stop starting episodes (`failed`, exit 1)."""

import csv
import json
import os
import sqlite3

import chat_server
import harness

GOOD_KEY = "sk-good-7e1d9c3a5b2f4e6d8c0a"
WRONG_KEY = "sk-wrong-0b9a8c7d6e5f4a3b2c1d"


class KeyedServer(chat_server.ChatServer):
    """As chat_server.ChatServer; scenario `keyed` answers 500 (quoting the
    bearer token) unless the request carries GOOD_KEY: with retries exhausted
    each call fails its episode (`error`) without ruling the model out, as a
    401 would (tests/e2e/test_model_failures.py covers that)."""

    def _handle(self, h):
        if h.path.startswith("/keyed/") and h.headers.get("Authorization") != "Bearer " + GOOD_KEY:
            h.rfile.read(int(h.headers.get("Content-Length", "0")))
            with self.lock:
                self.counts["keyed-500"] = self.counts.get("keyed-500", 0) + 1
            return self._send(h, 500, {"error": {
                "message": "upstream failed for key " + h.headers.get("Authorization", "")}})
        return super()._handle(h)


def _model(server, name, scenario, key_env):
    return {"name": name, "kind": "openai", "model": "fake-" + name,
            "base_url": server.base_url(scenario), "api_key_env": key_env, "cache": "off",
            "prices": {"prompt": 2.0, "cached_prompt": 1.0, "completion": 8.0},
            "timeout_s": 2, "max_retries": 1, "initial_backoff_s": 0.01, "max_backoff_s": 0.02}


def _read_json(path):
    with open(path) as f:
        return json.load(f)


def _comparable(run_dir):
    s = _read_json(os.path.join(run_dir, "summary.json"))
    s["config"].pop("out_dir")
    return s


def _groups(run_dir):
    """aggregate.csv's rows without the one column that depends on timing."""
    with open(os.path.join(run_dir, "aggregate.csv")) as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row.pop("mean_wall_seconds")
    return rows


def _db_status(run_dir):
    db = sqlite3.connect(os.path.join(run_dir, "results.db"))
    try:
        return db.execute("SELECT status FROM runs").fetchone()[0]
    finally:
        db.close()


class RunStatusTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = KeyedServer()

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def write_env(self, keyed_key):
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write(f"E2E_OPEN_KEY=sk-any\nE2E_KEYED_KEY={keyed_key}\n")

    def config(self, **changes):
        c = {"name": "status", "tasks": ["toy_tabular"],
             "models": [_model(self.server, "open", "agent", "E2E_OPEN_KEY"),
                        _model(self.server, "keyed", "keyed", "E2E_KEYED_KEY")],
             "context_policies": [{"name": "full", "type": "full"},
                                  {"name": "window2", "type": "window", "max_turns": 2}],
             "reasoning_modes": ["agentic", "controller"], "seeds": [1, 2],
             "num_steps": 2, "parallel": 2}
        c.update(changes)
        return c

    def run_grid(self, out, config=None, *flags):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out,
                                 *flags, config=config)
        dirs = os.listdir(os.path.join(self.workdir, out))
        self.assertEqual(len(dirs), 1, r.stderr)
        return r, os.path.join(self.workdir, out, dirs[0])

    def assert_status_everywhere(self, r, run_dir, status, done, errors, unfinished):
        planned = done + unfinished
        for name in ("run.json", "summary.json"):
            j = _read_json(os.path.join(run_dir, name))
            self.assertEqual(j["status"], status, name)
            self.assertEqual((j["episodes_planned"], j["episodes_done"], j["episodes_errors"],
                              j["episodes_unfinished"]), (planned, done, errors, unfinished), name)
        self.assertEqual(_db_status(run_dir), status)
        counts = f"{done}/{planned} episodes done, {errors} errors, {unfinished} unfinished"
        with open(os.path.join(run_dir, "report.md")) as f:
            self.assertIn(f"({status}, {counts})", f.read())
        self.assertIn(f"({status}, {counts})", r.stdout)

    def test_errors_then_retry_errors_equals_a_run_that_never_errored(self):
        config = self.config()
        self.write_env(GOOD_KEY)
        ok = self.run_ok("run", "--config", "config.json", "--out", "reference", config=config)
        (ref,) = [os.path.join(self.workdir, "reference", d)
                  for d in os.listdir(os.path.join(self.workdir, "reference"))]
        self.assert_status_everywhere(ok, ref, "complete", 16, 0, 0)

        self.write_env(WRONG_KEY)
        r, run_dir = self.run_grid("errored")
        self.assertEqual(r.code, 3, r.stderr)
        self.assert_status_everywhere(r, run_dir, "complete_with_errors", 16, 8, 0)
        self.assertIn("--resume " + os.path.relpath(run_dir, self.workdir) + " --retry-errors",
                      r.stdout)
        self.assert_key_nowhere(WRONG_KEY, r, run_dir)

        # The errors are counted beside the statistics, never in them.
        groups, ref_groups = _groups(run_dir), _groups(ref)
        self.assertEqual(len(groups), len(ref_groups))
        for g, rg in zip(groups, ref_groups):
            if g["model"] == "keyed":
                self.assertEqual((g["episodes"], g["errors"]), ("0", "2"))
                self.assertEqual(g["success_rate"], "")  # no statistic from errors
            else:
                self.assertEqual(g, rg)
        with open(os.path.join(run_dir, "results.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 16)
        errored = [row for row in rows if row["status"] == "error"]
        self.assertEqual(len(errored), 8)
        self.assertTrue(all("HTTP 500" in row["error"] for row in errored))
        with open(os.path.join(run_dir, "report.md")) as f:
            md = f.read()
        self.assertIn("8 of 16 finished episodes errored", md)
        self.assertIn("| n | errors |", md)
        self.assertIn("dropped pairs", md)
        self.assertRegex(r.stdout, r"complete\s+errors\s+success")

        # Plain --resume keeps the errored episodes and says so.
        again = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir)
        self.assertEqual(again.code, 3, again.stderr)
        self.assertIn("already complete_with_errors; nothing to resume", again.stdout)
        self.assertIn("--retry-errors", again.stdout)

        # With the key fixed, --retry-errors reruns exactly the errored ones.
        self.write_env(GOOD_KEY)
        fixed = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir, "--retry-errors")
        self.assertEqual(fixed.code, 0, fixed.stderr)
        self.assertIn("skipping 8 of 16 episodes (finished, errored ones rerun)", fixed.stderr)
        self.assert_status_everywhere(fixed, run_dir, "complete", 16, 0, 0)
        self.assertEqual(_comparable(run_dir), _comparable(ref))
        self.assertEqual(_groups(run_dir), _groups(ref))
        traces = sorted(os.listdir(os.path.join(run_dir, "traces")))
        self.assertEqual(traces, sorted(os.listdir(os.path.join(ref, "traces"))))

    def test_fail_on_error_count_stops_starting_episodes(self):
        self.write_env(WRONG_KEY)
        config = self.config(models=[_model(self.server, "keyed", "keyed", "E2E_KEYED_KEY")],
                             parallel=1, fail_on_error=2)
        r, run_dir = self.run_grid("out", config)
        self.assertEqual(r.code, 1, r.stderr)
        self.assert_status_everywhere(r, run_dir, "failed", 2, 2, 6)
        self.assertIn("fail_on_error reached: 2 episodes errored (limit 2)", r.stderr)
        self.assertIn("fail_on_error reached",
                      _read_json(os.path.join(run_dir, "run.json"))["status_reason"])
        # Two attempts (max_retries 1) for each of two episodes: no third started.
        self.assertEqual(self.server.counts["keyed-500"], 4)

        # Resumed without --retry-errors the kept errors still pass the limit;
        # with it, the errored and the unstarted episodes run.
        again = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir)
        self.assertEqual(again.code, 1, again.stderr)
        self.write_env(GOOD_KEY)
        fixed = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir, "--retry-errors")
        self.assertEqual(fixed.code, 0, fixed.stderr)
        self.assert_status_everywhere(fixed, run_dir, "complete", 8, 0, 0)

    def test_fail_on_error_fraction_of_planned(self):
        self.write_env(WRONG_KEY)
        config = self.config(models=[_model(self.server, "keyed", "keyed", "E2E_KEYED_KEY")],
                             parallel=1, fail_on_error=0.25)  # 8 planned: the 2nd error
        r, run_dir = self.run_grid("out", config)
        self.assertEqual(r.code, 1, r.stderr)
        self.assert_status_everywhere(r, run_dir, "failed", 2, 2, 6)

    def test_run_cost_limit_stops_starting_episodes(self):
        self.write_env(GOOD_KEY)
        # Each call costs (150*2 + 50*1 + 25*8) / 1e6 = 0.00055 USD; an
        # episode makes at least two calls, so one episode reaches the limit.
        config = self.config(models=[_model(self.server, "open", "agent", "E2E_OPEN_KEY")],
                             parallel=1, budget={"run_max_cost_usd": 0.001})
        r, run_dir = self.run_grid("out", config)
        self.assertEqual(r.code, 1, r.stderr)
        self.assert_status_everywhere(r, run_dir, "failed", 1, 0, 7)
        self.assertIn("budget.run_max_cost_usd reached", r.stderr)
        self.assertIn("7 episodes not started", r.stderr)


if __name__ == "__main__":
    harness.main()
