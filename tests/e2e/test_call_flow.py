"""Model calls against a local chat-completions server: the number of paid
(fresh) calls and the results do not depend on --parallel (single-flight
cache, seed in the key), and a model's max_connections caps the requests in
flight across all episodes, which by default are as many as the connections."""

import json
import os
import re
import shutil

import chat_server
import harness


def _model(server, scenario, **extra):
    m = {"name": "gpt", "kind": "openai", "model": "fake-gpt",
         "base_url": server.base_url(scenario), "api_key_env": "",
         "prices": {"prompt": 2.0, "cached_prompt": 1.0, "completion": 8.0},
         "timeout_s": 5, "max_retries": 2, "initial_backoff_s": 0.01, "max_backoff_s": 0.05}
    m.update(extra)
    return m


def _config(model, seeds=(1, 2)):
    # full and window2 send identical first requests: concurrent twins.
    return {"name": "calls-e2e", "tasks": ["toy_tabular"], "models": [model],
            "context_policies": [{"name": "full", "type": "full"},
                                 {"name": "window2", "type": "window", "max_turns": 2}],
            "reasoning_modes": ["agentic", "controller"], "seeds": list(seeds),
            "num_steps": 3}


def _summary(run_dir):
    with open(os.path.join(run_dir, "summary.json")) as f:
        s = json.load(f)
    for key in ("parallel", "out_dir"):  # the settings the two runs differ in
        s["config"].pop(key)
    return s


class CallFlowTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = chat_server.ChatServer(delay_s=0.05)

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, out, *flags):
        r = self.run_ok("run", "--config", "config.json", "--out", out, *flags, config=config)
        (run_dir,) = [os.path.join(self.workdir, out, d)
                      for d in os.listdir(os.path.join(self.workdir, out))]
        return r, run_dir

    def test_paid_calls_and_results_do_not_depend_on_parallel(self):
        seen = {}
        for parallel in ("1", "8"):
            shutil.rmtree(os.path.join(self.workdir, "cache"), ignore_errors=True)
            # The answers' delay lets twins overlap at 8; one at a time, no
            # request overlaps another whatever the delay: none is needed.
            self.server.delay_s = 0.05 if parallel == "8" else 0.0
            model = _model(self.server, "slow", cache_path="cache/cache.db")
            before = len(self.server.requests)
            r, run_dir = self._run(_config(model), "p" + parallel, "--parallel", parallel)
            fresh = int(re.search(r"LLM calls: (\d+) fresh", r.stdout).group(1))
            seen[parallel] = (len(self.server.requests) - before, fresh, _summary(run_dir))
        self.assertGreater(seen["1"][0], 0)
        self.assertEqual(seen["1"][0], seen["8"][0])  # requests reaching the server
        self.assertEqual(seen["1"][1], seen["8"][1])  # fresh calls the run reports
        self.assertEqual(seen["1"][0], seen["1"][1])
        # Some requests were asked twice (twins across policies): the second
        # asker read the cache instead of paying, at either parallelism.
        calls = sum(e["outcome"]["llm_calls"] for e in seen["8"][2]["episodes"])
        self.assertLess(seen["8"][1], calls)
        self.assertEqual(seen["1"][2], seen["8"][2])
        for e in seen["8"][2]["episodes"]:
            self.assertEqual(e["outcome"]["status"], "complete", e)

    def test_unsent_seed_still_keys_the_cache(self):
        # With "seed": false the body has no seed; the cache key still does
        # (unit-tested in RequestKeyTest), and a rerun answers from it.
        model = _model(self.server, "agent", seed=False, cache_path="c/cache.db")
        one = _config(model, seeds=(1,))
        self._run(one, "one")
        calls = len(self.server.requests)
        self.assertGreater(calls, 0)
        for _, _, body in self.server.requests:
            self.assertNotIn("seed", body)
        _, again = self._run(one, "again")
        self.assertEqual(len(self.server.requests), calls)

    def test_max_connections_caps_requests_in_flight(self):
        model = _model(self.server, "slow", cache="off", max_connections=2)
        config = _config(model, seeds=(1, 2, 3))
        r, run_dir = self._run(config, "capped", "--parallel", "8")
        self.assertLessEqual(self.server.peak_in_flight, 2)
        self.assertEqual(self.server.peak_in_flight, 2)  # 8 episodes kept both busy
        # Without --parallel, episodes in flight default to the connections.
        self.server.peak_in_flight = 0
        model["max_connections"] = 3
        r, _ = self._run(config, "default")
        self.assertIn("3 in flight", r.stderr + r.stdout)
        self.assertLessEqual(self.server.peak_in_flight, 3)

    def test_adaptive_cap_keeps_429s_down(self):
        self.server.limit = 2  # 429 for a request arriving while 2 are in flight
        rejected = {}
        for adaptive in (False, True):
            # Patient retries: a static cap above the server's limit can lose
            # many races in a row on a loaded machine before it gets through.
            model = _model(self.server, "limited", cache="off", max_connections=4,
                           adaptive=adaptive, max_retries=200, max_backoff_s=0.1)
            before_req, before_rej = len(self.server.requests), self.server.rejected
            r, run_dir = self._run(_config(model, seeds=(1, 2, 3)), f"a{int(adaptive)}")
            for e in _summary(run_dir)["episodes"]:
                self.assertEqual(e["outcome"]["status"], "complete", e)
            requests = len(self.server.requests) - before_req
            rejected[adaptive] = (self.server.rejected - before_rej) / requests
            self.assertIn("answered 429", r.stderr)
        self.assertIn("connection cap", r.stderr)
        # How many fewer depends on timing (a loaded machine overlaps fewer
        # requests); bench/model_calls.py measures it on a quiet one.
        self.assertGreater(rejected[False], 0)
        self.assertLess(rejected[True], rejected[False], rejected)

    def test_bad_limits_fail_with_one_line_naming_the_field(self):
        for key, value in (("max_connections", 0), ("requests_per_minute", -5),
                           ("tokens_per_minute", 0), ("adaptive", "yes")):
            model = _model(self.server, "agent", **{key: value})
            r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json",
                                     config=_config(model))
            self.assertNotEqual(r.code, 0)
            self.assertIn(key, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)


if __name__ == "__main__":
    harness.main()
