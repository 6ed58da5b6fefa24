"""The span contract of a real `ctxbench run`, decoded by the local OTLP
receiver of test_telemetry.py: the prototype's attributes on every episode
span, agent.step spans, summariser calls with their own request, the
OpenInference attributes of openai-protocol calls, and no orphan span after
one or two Ctrl-C. (Split from test_telemetry.py, whose receiver, config and
fixture it uses.)"""

import json
import os
import signal
import subprocess
import time

import chat_server
import harness
from test_telemetry import (CONFIG, FAST_EXPORT, SECRET, Receiver, TelemetryCase, attrs,
                            check_tree, read_traces)


class SpanContractTest(TelemetryCase):
    def test_span_contract_steps_and_summariser_calls(self):
        """The prototype's contract on every span, agent.step spans, llm.tools,
        tool.id, the final answer, and summariser calls with their own input."""
        rec = Receiver()
        config = dict(CONFIG, name="e2e-contract", num_steps=6, policy_type="short_context",
                      context_policies=[{"name": "sum", "type": "summarize", "keep_turns": 1,
                                         "trigger_tokens": 600, "summary_tokens": 120}],
                      telemetry={"export": FAST_EXPORT})
        try:
            proc = self.run_exporting(config, rec.port)
        finally:
            rec.close()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.warnings(proc), [])
        spans = [s for _, _, s in rec.spans]
        run, by_id = check_tree(self, spans)
        (run_dir,) = [os.path.join(self.workdir, "out", d)
                      for d in os.listdir(os.path.join(self.workdir, "out"))]
        traces = read_traces(run_dir)

        types = {}
        for s in spans:
            a = attrs(s.attributes)
            if s.name == "episode":
                types[a["ctxbench.policy"]] = a["ctxbench.policy_type"]
        self.assertEqual(types, {"sum": "summarize", "short_context": "short_context"})

        # One agent.step per step, under its iteration; calls and tools under it.
        steps = {}
        for s in spans:
            if s.name == "agent.step":
                a = attrs(s.attributes)
                steps.setdefault(a["session.id"], []).append(a["ctxbench.step"])
                self.assertEqual(a["openinference.span.kind"], "CHAIN")
                self.assertIn(by_id[s.parent_span_id].name, ("iteration", "final_answer_phase"))
        for episode, events in traces.items():
            (end,) = [e for e in events if e["event"] == "episode.end"]
            self.assertEqual(sorted(steps[episode]), list(range(1, end["data"]["outcome"]["steps"] + 1)))
        for s in spans:
            if s.name in ("llm", "context", "train", "final_answer", "note", "ask"):
                self.assertEqual(by_id[s.parent_span_id].name, "agent.step", s.name)

        # Summariser calls: their request is in the trace and is the span's input.
        requests = {}
        for episode, events in traces.items():
            for e in events:
                if e["event"] == "op.llm" and e["data"].get("purpose") == "summarize":
                    self.assertEqual(e["data"]["messages"][0]["role"], "system")
                    self.assertIn("latency_s", e["data"])
                    requests.setdefault(episode, []).append(e["data"]["messages"])
        self.assertTrue(requests, "the summarize policy summarised")
        seen = {}
        for s in spans:
            a = attrs(s.attributes)
            if s.name != "llm":
                continue
            purpose = json.loads(a["metadata"]).get("purpose")
            if purpose == "summarize":
                seen.setdefault(a["session.id"], []).append(
                    [a["llm.input_messages.%d.message.content" % i] for i in range(2)])
                self.assertTrue(a["llm.input_messages.0.message.content"]
                                .startswith("You summarise"))
                self.assertNotIn("llm.tools.0.tool.json_schema", a)
            else:
                self.assertFalse(a["llm.input_messages.0.message.content"]
                                 .startswith("You summarise"))
            self.assertIn(a["llm.finish_reason"], ("stop", "tool_calls", "length"))
        self.assertEqual({k: sorted(v) for k, v in seen.items()},
                         {k: sorted([m["content"] for m in r] for r in v)
                          for k, v in requests.items()})

        # Agentic calls advertise the tools of episode.start; TOOL spans name
        # their call and hold the tool's definition.
        for s in spans:
            a = attrs(s.attributes)
            if a.get("ctxbench.reasoning_mode") != "agentic":
                continue
            start = traces[a["session.id"]][0]
            self.assertEqual(start["event"], "episode.start")
            if s.name == "llm" and json.loads(a["metadata"]).get("purpose") != "summarize":
                schemas = [json.loads(a["llm.tools.%d.tool.json_schema" % i])
                           for i in range(len(start["data"]["tools"]))]
                self.assertEqual(schemas, start["data"]["tools"])
            if a["openinference.span.kind"] == "TOOL":
                self.assertTrue(a["tool.id"])
                (tool,) = [t for t in start["data"]["tools"]
                           if t["function"]["name"] == a["tool.name"]]
                self.assertEqual(json.loads(a["tool.parameters"]), tool["function"]["parameters"])
        finals = [attrs(s.attributes) for s in spans if s.name == "final_answer_phase"]
        self.assertTrue(finals)
        for a in finals:
            if "output.value" in a:
                self.assertIn("config", json.loads(a["output.value"]))
        self.assertTrue(any("output.value" in a for a in finals))

    def test_openai_protocol_spans(self):
        """Against a local chat server: llm.model_name is the API's name,
        llm.finish_reason as the server said, and a call that failed (401) is
        an LLM span with status ERROR whose message holds no key."""
        chat = chat_server.ChatServer()
        rec = Receiver()
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write("E2E_CHAT_KEY=%s\n" % SECRET)
        config = dict(CONFIG, name="e2e-openai", reasoning_modes=["agentic"], num_steps=2,
                      parallel=1, context_policies=[{"name": "full", "type": "full"}],
                      models=[{"name": "chat", "kind": "openai", "model": "gpt-4o-mini",
                               "base_url": chat.base_url("agent"), "api_key_env": "E2E_CHAT_KEY",
                               "timeout_s": 5},
                              {"name": "locked", "kind": "openai", "model": "gpt-4o-mini",
                               "base_url": chat.base_url("unauthorized"),
                               "api_key_env": "E2E_CHAT_KEY", "timeout_s": 5,
                               "preflight": False}],
                      telemetry={"export": FAST_EXPORT})
        try:
            proc = self.run_exporting(config, rec.port)
        finally:
            rec.close()
            chat.stop()
        self.assertNotEqual(proc.returncode, 0, "a run with an errored episode fails")
        spans = [s for _, _, s in rec.spans]
        check_tree(self, spans)
        llms = [(s, attrs(s.attributes)) for s in spans if s.name == "llm"]
        ok = [a for s, a in llms if a["ctxbench.model"] == "chat"]
        self.assertTrue(ok)
        for a in ok:
            self.assertEqual(a["llm.model_name"], "gpt-4o-mini")
            self.assertEqual(a["llm.finish_reason"], "tool_calls")
            self.assertEqual(a["llm.provider"], "openai")
        failed = [(s, a) for s, a in llms if a["ctxbench.model"] == "locked"]
        self.assertEqual(len(failed), 1)
        s, a = failed[0]
        self.assertEqual(s.status.code, 2)  # ERROR
        self.assertIn("401", s.status.message)
        self.assertNotIn("llm.output_messages.0.message.role", a)
        self.assertEqual(a["llm.model_name"], "gpt-4o-mini")
        for s in spans:
            blob = s.SerializeToString()
            self.assertNotIn(SECRET.encode(), blob, s.name)

    def interrupted_run(self, signals):
        """A run stopped by `signals` SIGINTs while episodes run; returns the
        exit code, stderr and the spans received."""
        rec = Receiver()
        config = dict(CONFIG, name="e2e-stop", tasks=[{"name": "toy_tabular",
                                                       "target_improvement_pct": 1000}],
                      reasoning_modes=["agentic"], context_policies=[{"name": "full",
                                                                      "type": "full"}],
                      seeds=[1, 2, 3, 4, 5, 6], num_steps=60, parallel=2,
                      telemetry={"export": dict(FAST_EXPORT, batch_spans=16)})
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOENIX_", "OTEL_"))}
        env.update(self.env_for(rec.port))
        proc = subprocess.Popen([harness.BINARY, "run", "--config", "config.json", "--out",
                                 "out"], cwd=self.workdir, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env=env)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:  # episodes are running and spans sent
                with rec.lock:
                    if any(s.name == "iteration" for _, _, s in rec.spans):
                        break
                time.sleep(0.05)
            for i in range(signals):
                proc.send_signal(signal.SIGINT)
                time.sleep(0.2)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
            rec.close()
        return proc.returncode, stderr, [s for _, _, s in rec.spans]

    def test_no_orphans_after_one_ctrl_c(self):
        code, stderr, spans = self.interrupted_run(1)
        self.assertEqual(code, 130, stderr)
        run, _ = check_tree(self, spans)
        self.assertEqual(attrs(run.attributes)["ctxbench.status"], "interrupted")

    def test_no_orphans_after_two_ctrl_c(self):
        code, stderr, spans = self.interrupted_run(2)
        self.assertEqual(code, 130, stderr)
        self.assertIn("stopped at once", stderr)
        run, _ = check_tree(self, spans)
        self.assertEqual(attrs(run.attributes)["ctxbench.status"], "interrupted")
        self.assertEqual(run.status.code, 2)  # ERROR: stopped at once
        unfinished = [s for s in spans if s.name == "episode" and
                      s.status.message == "episode did not finish"]
        self.assertTrue(unfinished, "the running episodes were cut short")


if __name__ == "__main__":
    harness.main()
