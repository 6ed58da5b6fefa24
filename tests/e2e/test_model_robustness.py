"""Nothing a model sends crashes ctxbench: tool arguments nested 200k deep
(native and text tools, controller JSON, a reply body nesting that deep), a
reply over `max_response_bytes`, a config nested 150k deep; `--resume` and a
rerun from the response cache read the same replies back. Workspace tasks
show the agent paths relative to the workspace and no wall times, so a second
run in another --out folder is answered from the cache and replays offline."""

import json
import os
import re

import chat_server
import harness

DEPTH = 200_000
DEEP = "[" * DEPTH + "]" * DEPTH  # valid JSON, nested DEPTH deep
CAP = 100_000  # max_response_bytes of the "huge" model


class AdversarialServer(chat_server.ChatServer):
    """The e2e server plus scenarios that attack the harness:
    - deep: the first call of an episode (no tool result yet) gets a tool call
      (or, without tools, controller JSON) whose arguments nest DEPTH deep;
      later calls are answered as by `agent`.
    - deepbody: a 200 whose body nests DEPTH deep (arguments as an object).
    - huge: a 200 of about 3 x CAP bytes.
    - ws: a scripted workspace agent: list_files, read_file train.py, run,
      then final_answer; answers depend only on the request."""

    def __init__(self):
        super().__init__()
        # ctxbench hangs up on an oversized reply mid-send: not a server error.
        self.httpd.handle_error = lambda request, address: None

    def _handle(self, h):
        m = re.match(r"^/(\w+)/v1/chat/completions$", h.path)
        scenario = m.group(1) if m else ""
        if scenario not in ("deep", "deepbody", "huge", "ws"):
            return super()._handle(h)
        body = json.loads(h.rfile.read(int(h.headers.get("Content-Length", "0"))))
        with self.lock:
            self.requests.append((scenario, dict(h.headers), body))
            self.counts[scenario] = self.counts.get(scenario, 0) + 1
        if scenario == "huge":
            message = {"role": "assistant", "content": "x" * (3 * CAP)}
            return self._send(h, 200, chat_server._completion(message, "stop"))
        if scenario == "deepbody":
            data = ('{"choices": [{"index": 0, "finish_reason": "tool_calls", "message": '
                    '{"role": "assistant", "content": null, "tool_calls": [{"id": "c1", '
                    '"type": "function", "function": {"name": "train", "arguments": '
                    + DEEP + '}}]}}]}')
            return self._send(h, 200, data.encode())
        if scenario == "ws":
            return self._send(h, 200, chat_server._completion(*_workspace_step(body)))
        first = not any(m.get("role") == "assistant" for m in body["messages"])
        if not first:
            tool, args = chat_server._decide(body)
            return self._send(h, 200, chat_server._completion(*_reply(body, tool, args)))
        if body.get("tools"):
            call = {"id": "call_deep", "type": "function",
                    "function": {"name": "train", "arguments": '{"config": ' + DEEP + "}"}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            return self._send(h, 200, chat_server._completion(message, "tool_calls"))
        # Controller mode, or text tools: the deep JSON is in the content.
        message = {"role": "assistant",
                   "content": '{"action": "train", "tool": "train", "config": ' + DEEP + "}"}
        return self._send(h, 200, chat_server._completion(message, "stop"))


def _reply(body, tool, args):
    if body.get("tools"):
        call = {"id": f"call_{tool}", "type": "function",
                "function": {"name": tool, "arguments": json.dumps(args)}}
        return {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
    text = body["messages"][0]["content"] or ""
    if '"tool": NAME' in text:  # text tool mode
        return {"role": "assistant", "content": json.dumps({"tool": tool, "arguments": args})}, \
            "stop"
    return {"role": "assistant", "content": json.dumps({"action": tool, **args})}, "stop"


WORKSPACE_SCRIPT = [("list_files", {}), ("read_file", {"path": "train.py"}), ("run", {}),
                    ("list_files", {})]


def _workspace_step(body):
    done = sum(1 for m in body["messages"] if m.get("role") == "assistant")
    last = body["messages"][-1].get("content") or ""
    if done >= len(WORKSPACE_SCRIPT) or "Give your final answer now" in last:
        tool, args = "final_answer", {"config": {}, "metric": 0.5, "summary": "scripted"}
    else:
        tool, args = WORKSPACE_SCRIPT[done]
    call = {"id": f"call_{done}", "type": "function",
            "function": {"name": tool, "arguments": json.dumps(args)}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"


def _model(server, name, scenario, **extra):
    m = {"name": name, "kind": "openai", "model": "fake-" + name,
         "base_url": server.base_url(scenario), "api_key_env": "",
         "timeout_s": 20, "max_retries": 1, "initial_backoff_s": 0.01, "max_backoff_s": 0.05}
    m.update(extra)
    return m


def _summary(run_dir):
    with open(os.path.join(run_dir, "summary.json")) as f:
        s = json.load(f)
    s.pop("config")
    return s


def _events(run_dir):
    out = []
    for name in sorted(os.listdir(os.path.join(run_dir, "traces"))):
        with open(os.path.join(run_dir, "traces", name)) as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


class ModelRobustnessTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.server = AdversarialServer()

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, *flags, out="out", code=0):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out,
                                 *flags, config=config)
        self.assertEqual(r.code, code, r.stdout[-3000:] + r.stderr[-3000:])
        (run_dir,) = [os.path.join(self.workdir, out, d)
                      for d in os.listdir(os.path.join(self.workdir, out))]
        return r, run_dir

    def test_deep_and_huge_replies_never_crash(self):
        config = {"name": "robust", "tasks": ["toy_tabular"],
                  "models": [_model(self.server, "deep", "deep"),
                             _model(self.server, "deeptext", "deep", tool_mode="text"),
                             _model(self.server, "huge", "huge", max_response_bytes=CAP),
                             _model(self.server, "deepbody", "deepbody")],
                  "context_policies": [{"name": "full", "type": "full"}],
                  "reasoning_modes": ["agentic", "controller"], "seeds": [1],
                  "num_steps": 2, "parallel": 2}
        r, run_dir = self._run(config, out="one", code=3)  # huge and deepbody error
        self.assertIn("complete_with_errors, 8/8 episodes done, 4 errors", r.stdout)
        episodes = {(e["model"], e["mode"]): e["outcome"] for e in _summary(run_dir)["episodes"]}
        for model in ("deep", "deeptext"):
            for mode in ("agentic", "controller"):
                o = episodes[(model, mode)]
                self.assertEqual(o["status"], "complete", o)  # the agent saw an invalid action
                self.assertGreaterEqual(o["invalid_actions"], 1, o)
                self.assertTrue(o["final_answer_valid"], o)
        refusals = [e["data"].get("reason", "") for e in _events(run_dir)
                    if e.get("event") == "op.invalid_action"]
        self.assertTrue(any("nested deeper than 64 levels" in t for t in refusals), refusals)
        # The agent was told: the refusal reached the model in the next request
        # (the huge arguments cut to fit the context, not the refusal).
        told = [b for s, _, b in self.server.requests
                if s == "deep" and "nested deeper than 64 levels" in json.dumps(b)]
        self.assertGreaterEqual(len(told), 4)  # deep and deeptext, both modes
        for mode in ("agentic", "controller"):
            o = episodes[("huge", mode)]
            self.assertEqual(o["status"], "error", o)
            self.assertIn(f"max_response_bytes {CAP} bytes", o["error"])
            self.assertIn("not retried", o["error"])
            o = episodes[("deepbody", mode)]
            self.assertEqual(o["status"], "error", o)
            self.assertIn("nested deeper than 64 levels", o["error"])
        self.assertEqual(self.server.counts["huge"], 2)  # one attempt per episode
        with open(os.path.join(run_dir, "run.json")) as f:
            self.assertEqual(json.load(f)["status"], "complete_with_errors")

        # --resume reruns the errored episodes and keeps the rest; the deep
        # replies stay in the traces and the store it reads back.
        r = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir, "--retry-errors")
        self.assertEqual(r.code, 3, r.stderr[-3000:])
        self.assertIn("8/8 episodes done, 4 errors", r.stdout)

        # A rerun elsewhere answers the deep replies from the response cache.
        calls = self.server.counts["deep"]
        r, again = self._run(config, out="two", code=3)
        self.assertEqual(self.server.counts["deep"], calls)
        for model in ("deep", "deeptext"):
            for mode in ("agentic", "controller"):
                self.assertEqual(episodes[(model, mode)],
                                 {(e["model"], e["mode"]): e["outcome"]
                                  for e in _summary(again)["episodes"]}[(model, mode)])

    def test_config_nested_150k_deep_is_one_line_of_bad_input(self):
        deep = "[" * 150_000 + "]" * 150_000
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            f.write('{"name": "x", "tasks": ["toy_tabular"], "models": [{"name": "sim", '
                    '"kind": "sim", "x": ' + deep + '}]}')
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json")
        self.assertEqual(r.code, 2, r.stderr[-2000:])
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr[-2000:])
        self.assertIn("config.json: JSON nested deeper than 64 levels", r.stderr)


TASKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspace_tasks")


class WorkspaceCacheTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        os.chmod(self.workdir, 0o755)  # commands may run as nobody
        self.server = AdversarialServer()

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, out, code=0):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out,
                                 config=config)
        self.assertEqual(r.code, code, r.stdout[-3000:] + r.stderr[-3000:])
        (run_dir,) = [os.path.join(self.workdir, out, d)
                      for d in os.listdir(os.path.join(self.workdir, out))]
        return r, run_dir

    def test_second_run_elsewhere_is_answered_from_the_cache_and_replays(self):
        config = {"name": "ws-cache", "tasks": ["tiny_debug"], "task_dirs": [TASKS],
                  "models": [_model(self.server, "gpt", "ws")],
                  "context_policies": [{"name": "full", "type": "full"}],
                  "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 3, "parallel": 1}
        _, first = self._run(config, "one")
        calls = self.server.counts["ws"]
        self.assertGreaterEqual(calls, len(WORKSPACE_SCRIPT))
        # What the model saw: no absolute path of the run, no wall time.
        seen = json.dumps([b for _, _, b in self.server.requests])
        for path in (self.workdir, os.path.realpath(self.workdir)):
            at = seen.find(path)
            self.assertEqual(at, -1, "the model saw " + seen[max(0, at - 200):at + 200])
        timing = re.search(r"in \d+\.\d+ s", seen)
        self.assertIsNone(timing, timing and seen[timing.start() - 200:timing.end()])
        self.assertIn('File \\"train.py\\"', seen)  # the starter's traceback, relative

        r, second = self._run(config, "two")
        self.assertEqual(self.server.counts["ws"], calls)  # every call from the cache
        self.assertIn("0 fresh", r.stdout)
        self.assertEqual(_summary(first), _summary(second))

        r, replayed = self._run(dict(config, models=[{"name": "gpt", "kind": "replay",
                                                      "from": first}]), "rep")
        self.assertEqual(self.server.counts["ws"], calls)
        self.assertEqual(_summary(first), _summary(replayed))


if __name__ == "__main__":
    harness.main()
