"""`openai` models that cannot answer, against local servers: a wrong key or
an unknown model stops the model's grid at once with one clear line; a dead
endpoint opens the circuit breaker within seconds; Ctrl-C cuts retry waits
and silent calls short (exit 130 within 2 s, `--resume` finishes the run); a
timeout fires on time and names its limit; retried attempts are counted."""

import json
import os
import signal
import sqlite3
import subprocess
import time

import chat_server
import harness

KEY = "sk-e2e-9d8c7b6a5f4e3d2c1b0a"


def _model(base_url, **extra):
    m = {"name": "gpt", "kind": "openai", "model": "fake-gpt", "base_url": base_url,
         "api_key_env": "E2E_OPENAI_KEY", "cache": "off",
         # These tests are about failures in the middle of a run: no check before it
         # (test_preflight.py tests that).
         "preflight": False}
    m.update(extra)
    return m


def _config(model, seeds=1, parallel=2):
    return {"name": "failures", "tasks": ["toy_tabular"], "models": [model],
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["agentic", "controller"], "seeds": list(range(1, seeds + 1)),
            "num_steps": 2, "parallel": parallel}


def _read_json(path):
    with open(path) as f:
        return json.load(f)


class ModelFailuresTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = chat_server.ChatServer()
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write(f"E2E_OPENAI_KEY={KEY}\n")

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, *flags):
        start = time.monotonic()
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", "out",
                                 *flags, config=config, timeout=120)
        return r, time.monotonic() - start

    def _run_dir(self):
        (name,) = os.listdir(os.path.join(self.workdir, "out"))
        return os.path.join(self.workdir, "out", name)

    def _assert_stopped_at_once(self, r, took, planned, reason_text):
        run_dir = self._run_dir()
        self.assertEqual(r.code, 1, r.stderr)
        lines = [l for l in r.stderr.splitlines() if "is unavailable" in l]
        self.assertEqual(len(lines), 1, r.stderr)  # once, not per episode
        self.assertIn(reason_text, lines[0])
        self.assertTrue(lines[0].startswith("error: model gpt is unavailable"), lines[0])
        run = _read_json(os.path.join(run_dir, "run.json"))
        self.assertEqual(run["status"], "failed")
        self.assertIn("model gpt unavailable: ", run["status_reason"])
        self.assertIn(reason_text, run["status_reason"])
        self.assertLess(run["episodes_done"], planned)  # the rest were not started
        self.assertLess(took, 30)
        self.assert_key_nowhere(KEY, r, run_dir)
        return run_dir

    def test_wrong_key_stops_the_grid_at_once(self):
        config = _config(_model(self.server.base_url("unauthorized")), seeds=24, parallel=4)
        r, took = self._run(config)
        run_dir = self._assert_stopped_at_once(r, took, 48, "HTTP 401 from http://127.0.0.1:")
        self.assertIn("Incorrect API key provided: Bearer [redacted]", r.stderr)
        self.assertLessEqual(self.server.counts["unauthorized"], 4)  # one per episode in flight
        # The skipped episodes are unfinished: --resume runs them (and fails fast again).
        r2 = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir, timeout=120)
        self.assertEqual(r2.code, 1, r2.stderr)
        self.assertIn("resuming run", r2.stderr)

    def test_unknown_model_stops_the_grid_at_once(self):
        config = _config(_model(self.server.base_url("notfound")), seeds=24, parallel=4)
        r, took = self._run(config)
        self._assert_stopped_at_once(r, took, 48, "HTTP 404")
        self.assertIn("fake-gpt` does not exist", r.stderr)

    def test_dead_endpoint_opens_the_circuit_breaker(self):
        # Default retry settings: without the breaker this grid retries ~45 s per episode.
        config = _config(_model(self.server.dead_base_url()), seeds=24, parallel=4)
        r, took = self._run(config)
        self._assert_stopped_at_once(r, took, 48, "circuit breaker open after 5 connection")
        self.assertLess(took, 15)
        # Every attempt is counted, failed calls included, and agrees with the store.
        run_dir = self._run_dir()
        db = sqlite3.connect(os.path.join(run_dir, "results.db"))
        attempts, failed = db.execute(
            "SELECT SUM(attempts), COUNT(error) FROM llm_calls").fetchone()
        self.assertGreaterEqual(attempts, 5)
        self.assertGreater(failed, 0)
        # The closing line counts the retries the run printed (it said 0 before).
        printed = r.stderr.count("; retrying in ")
        self.assertGreater(printed, 0)  # 4 workers: the 5th failure is some call's retry
        self.assertIn(f"{printed} retried attempts", r.stdout)

    def _start(self, config):
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        return subprocess.Popen([harness.BINARY, "run", "--config", "config.json", "--out", "out"],
                                cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def _interrupt_when(self, proc, ready):
        deadline = time.monotonic() + 30
        while not ready():
            self.assertIsNone(proc.poll(), "the run ended before the signal")
            self.assertLess(time.monotonic(), deadline, "the server never saw the calls")
            time.sleep(0.05)
        time.sleep(0.3)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        return time.monotonic() - sent, proc.returncode, out, err

    def test_sigint_during_retries_interrupts_and_resume_finishes(self):
        model = _model(self.server.base_url("down"), max_retries=1000, initial_backoff_s=0.5,
                       max_backoff_s=2)
        proc = self._start(_config(model))
        took, code, out, err = self._interrupt_when(proc, lambda: self.server.counts.get("down", 0) >= 4)
        self.assertEqual(code, 130, err)
        self.assertLess(took, 2.0)
        run_dir = self._run_dir()
        run = _read_json(os.path.join(run_dir, "run.json"))
        self.assertEqual(run["status"], "interrupted")
        self.assertEqual(run["episodes_done"], 0)
        self.server.down = False
        r = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir, timeout=120)
        self.assertEqual(r.code, 0, r.stderr)
        run = _read_json(os.path.join(run_dir, "run.json"))
        self.assertEqual(run["status"], "complete")
        self.assertEqual(run["episodes_done"], 2)
        for e in _read_json(os.path.join(run_dir, "summary.json"))["episodes"]:
            self.assertEqual(e["outcome"]["status"], "complete", e)

    def test_sigint_while_a_server_is_silent(self):
        proc = self._start(_config(_model(self.server.base_url("silent"))))
        took, code, _, err = self._interrupt_when(
            proc, lambda: self.server.counts.get("silent", 0) >= 2)
        self.assertEqual(code, 130, err)
        self.assertLess(took, 2.0)
        run = _read_json(os.path.join(self._run_dir(), "run.json"))
        self.assertEqual(run["status"], "interrupted")

    def test_timeout_fires_on_time_and_is_named(self):
        model = _model(self.server.base_url("silent"), timeout_s=2, max_retries=0)
        config = _config(model)
        config["reasoning_modes"] = ["controller"]
        r, _ = self._run(config)
        run_dir = self._run_dir()
        (e,) = _read_json(os.path.join(run_dir, "summary.json"))["episodes"]
        self.assertEqual(e["outcome"]["status"], "error")
        self.assertIn("no complete answer within timeout_s 2 s", e["outcome"]["error"])
        # From the context built for the call to the error: the call's duration.
        (trace,) = os.listdir(os.path.join(run_dir, "traces"))
        with open(os.path.join(run_dir, "traces", trace)) as f:
            events = [json.loads(line) for line in f]
        context = [ev for ev in events if ev.get("event") == "op.context"][-1]
        error = [ev for ev in events if ev.get("event") == "op.error"][-1]
        self.assertGreaterEqual(error["time"] - context["time"], 2.0)
        self.assertLess(error["time"] - context["time"], 3.0)


if __name__ == "__main__":
    harness.main()
