"""A run with a real model checks its key and endpoint before anything runs
(one GET /models per model): a wrong key, a wrong base_url, a server that is
down or a missing key fail in seconds with one line, leave no run folder and
never print the key."""

import os
import time

import chat_server
import harness

KEY = "sk-e2e-preflight-3b9d5f1a7c"


def _config(base_url, **extra):
    model = {"name": "gpt", "kind": "openai", "model": "fake-gpt", "base_url": base_url,
             "api_key_env": "E2E_PREFLIGHT_KEY", "cache": "off"}
    model.update(extra)
    return {"name": "preflight", "tasks": ["toy_tabular"], "models": [model],
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["controller"], "seeds": [1], "num_steps": 2}


class PreflightTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = chat_server.ChatServer()
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write(f"E2E_PREFLIGHT_KEY={KEY}\n")

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def expect_failure(self, config, code, *needles):
        start = time.monotonic()
        r = harness.run_ctxbench(self.workdir, "run", "--out", "out", config=config, timeout=60)
        took = time.monotonic() - start
        self.assertEqual(r.code, code, r.stderr)
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, r.stderr)
        for needle in needles:
            self.assertIn(needle, lines[0])
        self.assertNotIn(KEY, r.stdout + r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "out")), "a run folder was made")
        self.assertLess(took, 15)
        self.assertEqual(self.server.counts, {}, "no chat request was sent")
        return lines[0]

    def test_unauthorized(self):
        self.expect_failure(_config(self.server.base_url("unauthorized")), 2, "HTTP 401",
                            "E2E_PREFLIGHT_KEY")
        self.assertEqual(self.server.model_lists["unauthorized"], 1)

    def test_notfound(self):
        self.expect_failure(_config(self.server.base_url("notfound")), 2, "HTTP 404", "base_url")

    def test_down(self):
        self.expect_failure(_config(self.server.base_url("down")), 1, "does not answer", "503")

    def test_nothing_listening(self):
        self.expect_failure(_config(self.server.dead_base_url()), 1, "does not answer")

    def test_missing_key_for_openai(self):
        os.remove(os.path.join(self.workdir, ".env"))
        env_key = os.environ.pop("E2E_PREFLIGHT_KEY", None)
        try:
            line = self.expect_failure(_config("https://api.openai.com/v1"), 2,
                                       "E2E_PREFLIGHT_KEY is not set")
        finally:
            if env_key is not None:
                os.environ["E2E_PREFLIGHT_KEY"] = env_key
        self.assertIn(".env", line)

    def test_answering_server_runs_and_the_check_can_be_skipped(self):
        r = harness.run_ctxbench(self.workdir, "run", "--out", "out",
                                 config=_config(self.server.base_url("agent")))
        self.assertEqual(r.code, 0, r.stderr)
        self.assertEqual(self.server.model_lists["agent"], 1)
        r = harness.run_ctxbench(self.workdir, "run", "--out", "out2", "--quiet",
                                 config=_config(self.server.base_url("agent"), preflight=False))
        self.assertEqual(r.code, 0, r.stderr)
        self.assertEqual(self.server.model_lists["agent"], 1)


if __name__ == "__main__":
    harness.main()
