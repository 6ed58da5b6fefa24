"""`openai` models against a local chat-completions server: a grid completes
(native tools, text-free controller mode, streaming, retried 429s and 500s),
failures end their episodes and are recorded, the API key leaks nowhere, and
a run replays offline from its recorded calls to the identical summary."""

import json
import os
import re

import chat_server
import harness

KEY = "sk-e2e-4f9c2b7d1e8a6f3c5b0d"


def _model(server, name, scenario, **extra):
    m = {"name": name, "kind": "openai", "model": "fake-" + name,
         "base_url": server.base_url(scenario), "api_key_env": "E2E_OPENAI_KEY",
         "prices": {"prompt": 2.0, "cached_prompt": 1.0, "completion": 8.0},
         "timeout_s": 1, "max_retries": 2, "initial_backoff_s": 0.01, "max_backoff_s": 0.05}
    m.update(extra)
    return m


def _config(models):
    return {"name": "openai-e2e", "tasks": ["toy_tabular"], "models": models,
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["agentic", "controller"], "seeds": [1],
            "num_steps": 2, "parallel": 2}


def _summary(run_dir):
    with open(os.path.join(run_dir, "summary.json")) as f:
        s = json.load(f)
    s.pop("config")
    return s


class OpenAiModelTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = chat_server.ChatServer()
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write(f"E2E_OPENAI_KEY={KEY}\n")

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, *flags, out="out", code=0):
        """Runs the grid; `code` 3 when some episodes are expected to error
        (status complete_with_errors)."""
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out,
                                 *flags, config=config)
        self.assertEqual(r.code, code, r.stderr)
        (run_dir,) = [os.path.join(self.workdir, out, d)
                      for d in os.listdir(os.path.join(self.workdir, out))]
        return r, run_dir

    def test_grid_retries_failures_and_no_key(self):
        config = _config([
            _model(self.server, "gpt", "flaky"),
            _model(self.server, "streamer", "agent", stream=True, cache="off"),
            _model(self.server, "slow", "hang", timeout_s=0.3, max_retries=1),
            _model(self.server, "garbled", "malformed", max_retries=1),
        ])
        r, run_dir = self._run(config, code=3)  # slow and garbled error
        self.assertIn("complete_with_errors, 8/8 episodes done, 4 errors", r.stdout)
        self.assert_key_nowhere(KEY, r, run_dir)
        # The key was sent, read from .env.
        auth = [h.get("Authorization") for _, h, _ in self.server.requests]
        self.assertIn("Bearer " + KEY, auth)
        episodes = {(e["model"], e["mode"]): e["outcome"] for e in _summary(run_dir)["episodes"]}
        self.assertEqual(len(episodes), 8)
        for model in ("gpt", "streamer"):
            for mode in ("agentic", "controller"):
                o = episodes[(model, mode)]
                self.assertEqual(o["status"], "complete", o)
                self.assertTrue(o["final_answer_valid"], o)
                self.assertEqual(o["stop_rule"], "iterations")
                self.assertGreater(o["cost_usd"], 0)
        # (A 401 stops a model's whole grid: test_model_failures.py.)
        expectations = {"slow": "timed out", "garbled": "malformed body"}
        for model, text in expectations.items():
            for mode in ("agentic", "controller"):
                o = episodes[(model, mode)]
                self.assertEqual(o["status"], "error")
                self.assertIn(text, o["error"])
        self.assertEqual(self.server.counts["malformed"], 4)     # 2 episodes x 2 attempts
        # Retries are recorded on the calls they delayed.
        retried = 0
        for name in os.listdir(os.path.join(run_dir, "traces")):
            with open(os.path.join(run_dir, "traces", name)) as f:
                for line in f:
                    ev = json.loads(line)
                    retried += len(ev.get("data", {}).get("retried", []))
        self.assertGreater(retried, 0)
        # The closing line and the report's header give the same total.
        closing = re.search(r"(\d+) retried attempts", r.stdout)
        self.assertIsNotNone(closing, r.stdout)
        with open(os.path.join(run_dir, "report.md")) as f:
            md = f.read()
        header = re.search(r"Model calls[^\n]*?(\d+) retried attempts", md)
        self.assertIsNotNone(header, md[:2000])
        self.assertEqual(header.group(1), closing.group(1))
        self.assertGreater(int(closing.group(1)), 0)

    def test_header_values_are_sent_but_never_written(self):
        token = "tok-hdr-9e2d71c4b8"
        config = _config([_model(self.server, "gpt", "agent", cache="off",
                                 headers={"X-Api-Key": token, "X-Title": "e2e"})])
        r, run_dir = self._run(config)
        sent = [h.get("X-Api-Key") for _, h, _ in self.server.requests]
        self.assertIn(token, sent)
        self.assert_key_nowhere(token, r, run_dir)
        with open(os.path.join(run_dir, "run.json")) as f:
            headers = json.load(f)["config"]["models"][0]["headers"]
        self.assertEqual(headers, {"X-Api-Key": "[redacted]", "X-Title": "[redacted]"})

    def test_record_then_replay_offline(self):
        config = _config([_model(self.server, "gpt", "agent", cache="off")])
        _, recorded = self._run(config, out="rec")
        self.server.stop()
        self.server = chat_server.ChatServer()  # a fresh one that must see no request
        replay = _config([{"name": "gpt", "kind": "replay", "from": recorded}])
        r, replayed = self._run(replay, out="rep")
        self.assertEqual(_summary(recorded), _summary(replayed))
        self.assertEqual(self.server.requests, [])
        self.assertIn("LLM calls: 0 fresh", r.stdout)
        # A diverging config misses and fails its episodes with a clear message.
        diverged = dict(replay, num_steps=3)
        _, missed = self._run(diverged, out="miss", code=3)
        for e in _summary(missed)["episodes"]:
            self.assertEqual(e["outcome"]["status"], "error")
            self.assertIn("replay miss", e["outcome"]["error"])

    def test_rerun_answers_from_the_cache_and_cli_model(self):
        config = _config([{"name": "sim", "kind": "sim"}])
        flags = ("--model", "openai:fake-gpt", "--base-url", self.server.base_url("agent"))
        r1, first = self._run(config, *flags, out="one")
        calls = len(self.server.requests)
        self.assertGreater(calls, 0)
        r2, second = self._run(config, *flags, out="two")
        self.assertEqual(len(self.server.requests), calls)  # all from the user cache
        # The cache lives in $XDG_CACHE_HOME/ctxbench, never the current folder.
        self.assertTrue(os.path.isfile(os.path.join(os.environ["XDG_CACHE_HOME"], "ctxbench",
                                                    "cache.db")))
        self.assertFalse(os.path.exists(os.path.join(self.workdir, ".ctxbench")))
        self.assertEqual(_summary(first), _summary(second))
        self.assertEqual(_summary(first)["episodes"][0]["model"], "fake-gpt")
        self.assertIn("0 from the cache", r1.stdout)
        self.assertIn("0 fresh", r2.stdout)

    def test_cost_budget_stops_the_episode(self):
        # Each call costs (150*2 + 50*1 + 25*8) / 1e6 = 0.00055 USD.
        config = _config([_model(self.server, "gpt", "agent", cache="off")])
        config["budget"] = {"max_cost_usd": 0.001}
        config["num_steps"] = 5
        _, run_dir = self._run(config)
        for e in _summary(run_dir)["episodes"]:
            o = e["outcome"]
            self.assertEqual(o["stop_rule"], "cost", o)
            self.assertEqual(o["llm_calls"], 2)
            self.assertAlmostEqual(o["cost_usd"], 0.0011)


if __name__ == "__main__":
    harness.main()
