"""Phoenix / OTLP export of a real `ctxbench run`, checked by a local OTLP
receiver (127.0.0.1, ephemeral port) that enforces Phoenix's content-type rule
(exactly application/x-protobuf, else 415), inflates gzip, and decodes the
body with python3-protobuf from message classes compiled here from the
test's own transcription of the OTLP specification (not the project's .proto).
Failure cases (down, 401, 415, 503-then-OK, slow) must leave the run's
summary.json identical to a telemetry-off run and print one clear warning."""

import atexit
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

# The decoder is Debian's python3-protobuf, installed for the system Python;
# when CTest found another interpreter (e.g. pyenv's), rerun under that one.
try:
    import google.protobuf  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

import chat_server  # noqa: E402
import harness  # noqa: E402

# opentelemetry-proto v1, as the OTLP specification numbers the fields.
OTLP_PROTO = """
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
                double double_value = 4; ArrayValue array_value = 5;
                KeyValueList kvlist_value = 6; bytes bytes_value = 7; }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2;
  repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Status { string message = 2; int32 code = 3; }
message Span {
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3;
                  uint32 dropped_attributes_count = 4; }
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
  fixed32 flags = 16; string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10; repeated Event events = 11;
  uint32 dropped_events_count = 12; uint32 dropped_links_count = 14; Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
"""

SECRET = "sk-e2e-secret-7f3a"

CONFIG = {
    "name": "e2e-otlp",
    "tasks": ["toy_tabular"],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [{"name": "full", "type": "full"},
                         {"name": "window2", "type": "window", "max_turns": 2}],
    "reasoning_modes": ["agentic", "controller"],
    "seeds": [1],
    "num_steps": 3,
    "parallel": 2,
}
FAST_EXPORT = {"timeout_seconds": 0.5, "flush_seconds": 4, "max_retries": 3,
               "backoff_seconds": 0.05, "batch_spans": 64}

_pb = None


class MemoryChatServer(chat_server.ChatServer):
    """A chat model that uses its memory tools: each iteration it notes,
    retrieves with BM25 (the retrieve tool), then trains the baseline."""

    def _handle(self, h):
        body = json.loads(h.rfile.read(int(h.headers.get("Content-Length", "0"))))
        text = "\n".join(m.get("content") or "" for m in body["messages"])
        baseline = json.loads(re.search(r"Baseline config: (\{.*\})", text).group(1))
        last = body["messages"][-1].get("content") or ""
        if "Give your final answer now" in last:
            metric = float(re.search(r"Baseline validation \S+: (\S+)", text).group(1))
            tool, args = "final_answer", {"config": baseline, "metric": metric,
                                          "summary": "the baseline held up"}
        elif last.startswith("Noted."):
            tool, args = "retrieve", {"query": "which max_depth looked promising"}
        elif last.startswith("Retrieved"):
            tool, args = "train", {"config": baseline}
        else:
            tool, args = "note", {"text": "max_depth near the baseline looked promising"}
        call = {"id": "call_" + tool, "type": "function",
                "function": {"name": tool, "arguments": json.dumps(args)}}
        self._send(h, 200, chat_server._completion(
            {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"))


def otlp_module():
    global _pb
    if _pb is None:
        tmp = tempfile.mkdtemp(prefix="ctxbench-otlp-proto-")
        atexit.register(shutil.rmtree, tmp, True)
        with open(os.path.join(tmp, "otlp_spec.proto"), "w") as f:
            f.write(OTLP_PROTO)
        subprocess.run(["protoc", "-I" + tmp, "--python_out=" + tmp,
                        os.path.join(tmp, "otlp_spec.proto")], check=True)
        sys.path.insert(0, tmp)
        import otlp_spec_pb2  # noqa: E402
        _pb = otlp_spec_pb2
    return _pb


class Receiver:
    """An OTLP/HTTP receiver. `script` is a list of statuses answered in turn
    (the last repeats); `delay` seconds before each answer. A request whose
    body equals one already taken is a batch the exporter sent again after
    its wait for our answer timed out (OTLP delivers at least once, as a
    collector would see it on a loaded machine): it is counted in `resent`,
    its spans are not added twice."""

    def __init__(self, script=(200,), delay=0.0):
        self.script = list(script)
        self.delay = delay
        self.requests = []  # (path, headers dict, decoded request or None)
        self.spans = []
        self.resent = 0
        self._bodies = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    status = receiver.script[0]
                    if len(receiver.script) > 1:
                        receiver.script.pop(0)
                    decoded = None
                    if self.headers.get("Content-Type") != "application/x-protobuf":
                        status = 415  # Phoenix's rule: exactly this type
                    elif status == 200:
                        if self.headers.get("Content-Encoding") == "gzip":
                            body = gzip.decompress(body)
                        decoded = otlp_module().ExportTraceServiceRequest()
                        decoded.ParseFromString(body)
                        if body in receiver._bodies:
                            receiver.resent += 1
                            decoded.ClearField("resource_spans")
                        receiver._bodies.add(body)
                        for rs in decoded.resource_spans:
                            for ss in rs.scope_spans:
                                for s in ss.spans:
                                    receiver.spans.append((rs.resource, ss.scope, s))
                    receiver.requests.append((self.path, self.headers, decoded))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def attrs(kvs):
    out = {}
    for kv in kvs:
        which = kv.value.WhichOneof("value")
        out[kv.key] = getattr(kv.value, which) if which else None
    return out


CONTRACT = ("ctxbench.task", "ctxbench.policy", "ctxbench.policy_type", "ctxbench.reasoning_mode",
            "ctxbench.model", "ctxbench.seed")


def check_tree(test, spans):
    """One root named run; every other span's parent was received; no child
    starts before its parent or ends after it; every span under an episode
    carries the prototype's contract. Returns (root, spans by id)."""
    by_id = {s.span_id: s for s in spans}
    test.assertEqual(len(by_id), len(spans), "span ids are unique")
    roots = [s for s in spans if not s.parent_span_id]
    test.assertEqual([r.name for r in roots], ["run"])
    for s in spans:
        if not s.parent_span_id:
            continue
        test.assertIn(s.parent_span_id, by_id, "orphan span %s" % s.name)
        parent = by_id[s.parent_span_id]
        test.assertLessEqual(parent.start_time_unix_nano, s.start_time_unix_nano,
                             "%s starts before its parent %s" % (s.name, parent.name))
        test.assertGreaterEqual(parent.end_time_unix_nano, s.end_time_unix_nano,
                                "%s ends after its parent %s" % (s.name, parent.name))
        a = attrs(s.attributes)
        for key in CONTRACT:
            test.assertIn(key, a, s.name)
        task, policy, model, mode, seed = a["session.id"].rsplit(".", 4)
        test.assertEqual((a["ctxbench.task"], a["ctxbench.policy"], a["ctxbench.model"],
                          a["ctxbench.reasoning_mode"], "s%d" % a["ctxbench.seed"]),
                         (task, policy, model, mode, seed), s.name)
    return roots[0], by_id


def read_traces(run_dir):
    out = {}
    for name in os.listdir(os.path.join(run_dir, "traces")):
        with open(os.path.join(run_dir, "traces", name)) as f:
            out[name[:-len(".jsonl")]] = [json.loads(line) for line in f][1:]
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class TelemetryCase(harness.E2ETest):
    """The fixture: a run with telemetry settings, its summary and wall time."""

    def run_with(self, out, env_extra, telemetry=None):
        config = dict(CONFIG)
        if telemetry is not None:
            config["telemetry"] = telemetry
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PHOENIX_", "OTEL_"))}
        env.update(env_extra)
        start = time.monotonic()
        proc = subprocess.run([harness.BINARY, "run", "--config", "config.json", "--out", out],
                              cwd=self.workdir, capture_output=True, text=True, env=env,
                              timeout=300)
        took = time.monotonic() - start
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn(SECRET, proc.stderr + proc.stdout)
        (run_dir,) = [os.path.join(out, d) for d in os.listdir(out)]
        with open(os.path.join(run_dir, "summary.json")) as f:
            summary = json.load(f)
        summary["config"].pop("out_dir")
        for root, _, files in os.walk(run_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    self.assertNotIn(SECRET.encode(), f.read(), name)
        return proc, summary, took

    def baseline(self):
        """The summary of CONFIG run without telemetry. The sim model makes it
        the same every time, so it is run once per test class (by the first
        test that asks) and kept for the others."""
        cls = type(self)
        if "_baseline" not in cls.__dict__:
            _, cls._baseline, _ = self.run_with(os.path.join(self.workdir, "off"), {})
        return cls._baseline

    def env_for(self, port):
        return {"PHOENIX_COLLECTOR_ENDPOINT": "http://127.0.0.1:%d" % port,  # bare host
                "PHOENIX_API_KEY": SECRET, "PHOENIX_PROJECT_NAME": "e2e-proj"}

    def run_exporting(self, config, port):
        """`ctxbench run` of `config` into out/, exporting to a receiver on `port`."""
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOENIX_", "OTEL_"))}
        env.update(self.env_for(port))
        return subprocess.run([harness.BINARY, "run", "--config", "config.json", "--out", "out"],
                              cwd=self.workdir, capture_output=True, text=True, env=env,
                              timeout=300)

    def warnings(self, proc):
        return [l for l in proc.stderr.splitlines() if l.startswith("warning: telemetry:")]


class TelemetryTest(TelemetryCase):

    def test_spans_of_a_real_run(self):
        rec = Receiver()
        try:
            proc, summary, _ = self.run_with(os.path.join(self.workdir, "on"),
                                             self.env_for(rec.port),
                                             {"export": FAST_EXPORT})
        finally:
            rec.close()
        self.assertEqual(self.warnings(proc), [])
        self.assertEqual(summary, self.baseline())
        self.assertTrue(rec.requests)
        for path, headers, _ in rec.requests:
            self.assertEqual(path, "/v1/traces")
            self.assertEqual(headers.get("Content-Type"), "application/x-protobuf")
            self.assertEqual(headers.get("Content-Encoding"), "gzip")
            self.assertEqual(headers.get("Authorization"), "Bearer " + SECRET)
        resource, scope, _ = rec.spans[0]
        self.assertEqual(attrs(resource.attributes)["openinference.project.name"], "e2e-proj")
        self.assertEqual(scope.name, "ctxbench")

        spans = [s for _, _, s in rec.spans]
        by_id = {s.span_id: s for s in spans}
        self.assertEqual(len(by_id), len(spans), "span ids are unique")
        kinds = {}
        for s in spans:
            self.assertEqual(len(s.trace_id), 16)
            self.assertEqual(len(s.span_id), 8)
            self.assertEqual(s.trace_id, spans[0].trace_id, "one trace per run")
            self.assertEqual(s.kind, 1)  # INTERNAL
            self.assertGreater(s.start_time_unix_nano, 1.6e18)
            self.assertGreaterEqual(s.end_time_unix_nano, s.start_time_unix_nano)
            a = attrs(s.attributes)
            kinds.setdefault(s.name, set()).add(a["openinference.span.kind"])
            for v in a.values():
                self.assertNotIn(SECRET, str(v))
            if s.parent_span_id:
                parent = by_id[s.parent_span_id]
                self.assertLessEqual(parent.start_time_unix_nano, s.start_time_unix_nano)
                self.assertGreaterEqual(parent.end_time_unix_nano, s.end_time_unix_nano)
        (run,) = [s for s in spans if not s.parent_span_id]
        self.assertEqual(run.name, "run")
        self.assertEqual(kinds["run"], {"CHAIN"})
        self.assertEqual(kinds["episode"], {"AGENT"})
        self.assertEqual(kinds["iteration"], {"CHAIN"})
        self.assertEqual(kinds["context"], {"CHAIN"})
        self.assertEqual(kinds["llm"], {"LLM"})
        self.assertEqual(kinds["train"], {"TOOL"})

        episodes = [s for s in spans if s.name == "episode"]
        self.assertEqual(len(episodes), 4)
        ids = sorted(attrs(e.attributes)["session.id"] for e in episodes)
        self.assertEqual(ids, sorted(e["episode_id"] for e in summary["episodes"]))
        for e in episodes:
            self.assertEqual(e.parent_span_id, run.span_id)
            a = attrs(e.attributes)
            meta = json.loads(a["metadata"])
            self.assertEqual(meta["task"], "toy_tabular")
            self.assertIn(meta["mode"], ("agentic", "controller"))
            self.assertEqual(e.status.code, 1)  # OK

        for s in spans:
            parent = by_id.get(s.parent_span_id)
            if s.name == "iteration":
                self.assertEqual(parent.name, "episode")
            if s.name in ("llm", "context", "train"):
                self.assertEqual(parent.name, "agent.step")
            if s.name == "agent.step":
                self.assertIn(parent.name, ("iteration", "final_answer_phase"))
        llms = [attrs(s.attributes) for s in spans if s.name == "llm"]
        for a in llms:
            self.assertEqual(a["llm.model_name"], "sim")
            self.assertEqual(a["llm.provider"], "sim")
            self.assertEqual(a["llm.input_messages.0.message.role"], "system")
            self.assertEqual(a["llm.output_messages.0.message.role"], "assistant")
            self.assertEqual(a["llm.token_count.total"],
                             a["llm.token_count.prompt"] + a["llm.token_count.completion"])
            self.assertIn("seed", json.loads(a["llm.invocation_parameters"]))
        calls = sum(e["outcome"]["llm_calls"] for e in summary["episodes"])
        self.assertEqual(len(llms), calls)
        self.assertTrue(any("llm.output_messages.0.message.tool_calls.0.tool_call.function.name"
                            in a for a in llms), "agentic calls carry tool calls")
        tools = [attrs(s.attributes) for s in spans if s.name == "train"]
        self.assertTrue(all(a["tool.name"] == "train" for a in tools))
        self.assertTrue(any("tool.parameters" in a for a in tools))
        for a in tools:  # a definition (JSON schema), the values are the input
            if "tool.parameters" in a:
                self.assertEqual(json.loads(a["tool.parameters"])["type"], "object")
            self.assertIn("config", json.loads(a["input.value"]))
        contexts = [attrs(s.attributes) for s in spans if s.name == "context"]
        self.assertEqual(len(contexts), calls)
        self.assertIn("kept", json.loads(contexts[0]["metadata"]))

    def test_retrieval_spans(self):
        """RETRIEVER spans with BM25 scores: the agent's retrieve tool (a chat
        model that calls it) and the retrieve policy's retrieved section."""
        chat = MemoryChatServer()
        rec = Receiver()
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write("E2E_CHAT_KEY=sk-chat\n")
        config = dict(CONFIG, name="e2e-retrieval", reasoning_modes=["agentic"], num_steps=3,
                      context_policies=[{"name": "ret", "type": "retrieve", "keep_turns": 1,
                                         "k": 3}],
                      models=[{"name": "sim", "kind": "sim"},
                              {"name": "chat", "kind": "openai", "model": "fake-chat",
                               "base_url": chat.base_url("memory"),
                               "api_key_env": "E2E_CHAT_KEY", "timeout_s": 5}],
                      telemetry={"export": FAST_EXPORT})
        try:
            proc = self.run_exporting(config, rec.port)
        finally:
            rec.close()
            chat.stop()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.warnings(proc), [])
        spans = [s for _, _, s in rec.spans]
        by_id = {s.span_id: s for s in spans}

        def documents(a):
            docs = {}
            for k, v in a.items():
                m = re.match(r"retrieval\.documents\.(\d+)\.document\.(\w+)$", k)
                if m:
                    docs.setdefault(int(m.group(1)), {})[m.group(2)] = v
            return [docs[i] for i in sorted(docs)]

        # The retrieve tool: documents from the recorded hits, best first.
        tools = [s for s in spans if s.name == "retrieve"]
        self.assertTrue(tools, "the chat model called retrieve")
        for s in tools:
            a = attrs(s.attributes)
            self.assertEqual(a["openinference.span.kind"], "RETRIEVER")
            self.assertEqual(a["input.value"], "which max_depth looked promising")
            self.assertEqual(by_id[s.parent_span_id].name, "agent.step")
        docs = [documents(attrs(s.attributes)) for s in tools]
        self.assertTrue(any(docs), "a retrieve found the note")
        for d in docs:
            scores = [x["score"] for x in d]
            self.assertEqual(scores, sorted(scores, reverse=True))
            for x in d:
                meta = json.loads(x["metadata"])
                self.assertAlmostEqual(x["score"], -meta["bm25"])
                self.assertGreater(x["score"], 0)
                self.assertTrue(x["content"])
                self.assertTrue(x["id"].isdigit())
        self.assertTrue(any(x["content"].startswith("Note: max_depth") for d in docs for x in d))

        # The same hits are in the trace and the store (op.tool data.hits).
        (run_dir,) = [os.path.join(self.workdir, "out", d)
                      for d in os.listdir(os.path.join(self.workdir, "out"))]
        trace = os.path.join(run_dir, "traces", "toy_tabular.ret.chat.agentic.s1.jsonl")
        with open(trace) as f:
            events = [json.loads(line) for line in f]
        hits = [e["data"]["hits"] for e in events
                if e.get("event") == "op.tool" and e["data"].get("tool") == "retrieve"]
        self.assertEqual([[h["text"] for h in x] for x in hits],
                         [[x["content"] for x in d] for d in docs])

        # The retrieve policy's retrieved section: a RETRIEVER under a context span.
        sections = [s for s in spans if s.name == "retrieved"]
        self.assertTrue(sections, "the retrieve policy retrieved something")
        for s in sections:
            self.assertEqual(by_id[s.parent_span_id].name, "context")
            a = attrs(s.attributes)
            self.assertEqual(a["openinference.span.kind"], "RETRIEVER")
            d = documents(a)
            self.assertTrue(d)
            manifest = json.loads(attrs(by_id[s.parent_span_id].attributes)["metadata"])
            items = manifest["extra"]["sections"]["retrieved"]["items"]
            self.assertEqual([x["id"] for x in d], [str(i["seq"]) for i in items])
            for x, i in zip(d, items):
                self.assertAlmostEqual(x["score"], -i["bm25"])
                self.assertTrue(x["content"])

    def check_failure(self, rec_or_port, telemetry, *needles):
        port = rec_or_port if isinstance(rec_or_port, int) else rec_or_port.port
        proc, summary, took = self.run_with(os.path.join(self.workdir, "on"),
                                            self.env_for(port), telemetry)
        self.assertEqual(summary, self.baseline())
        warnings = self.warnings(proc)
        self.assertEqual(len(warnings), 1, proc.stderr)
        self.assertRegex(warnings[0], r"telemetry: \d+ of \d+ spans not delivered to http://127")
        for n in needles:
            self.assertIn(n, warnings[0])
        return warnings[0], took

    def test_collector_down(self):
        self.check_failure(free_port(), {"export": FAST_EXPORT}, "no response")

    def test_unauthorized(self):
        rec = Receiver(script=[401])
        try:
            self.check_failure(rec, {"export": FAST_EXPORT}, "HTTP 401", "use a system key")
            self.assertEqual(len(rec.requests), 1, "no more requests after a 401")
        finally:
            rec.close()

    def test_unsupported_media_type(self):
        rec = Receiver(script=[415])
        try:
            self.check_failure(rec, {"export": FAST_EXPORT}, "HTTP 415",
                               "application/x-protobuf")
        finally:
            rec.close()

    def test_service_unavailable_then_ok(self):
        rec = Receiver(script=[503, 503, 200])
        try:
            proc, summary, _ = self.run_with(os.path.join(self.workdir, "on"),
                                             self.env_for(rec.port), {"export": FAST_EXPORT})
        finally:
            rec.close()
        self.assertEqual(self.warnings(proc), [])
        self.assertEqual(summary, self.baseline())
        self.assertGreaterEqual(len(rec.requests), 3)
        self.assertTrue(any(s.name == "run" for _, _, s in rec.spans))

    def test_slow_collector(self):
        rec = Receiver(delay=2.0)
        try:
            warning, took = self.check_failure(rec, {"export": FAST_EXPORT}, "timed out")
        finally:
            rec.close()
        # Export waits at most flush_seconds (4) past the run's own work.
        self.assertLess(took, 60)

    def test_bad_endpoint_fails_before_the_run_folder(self):
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(CONFIG, f)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOENIX_", "OTEL_"))}
        env["PHOENIX_COLLECTOR_ENDPOINT"] = "localhost:6006"
        env["PHOENIX_CLIENT_HEADERS"] = "api_key=" + SECRET
        proc = subprocess.run([harness.BINARY, "run", "--config", "config.json", "--out", "out"],
                              cwd=self.workdir, capture_output=True, text=True, env=env,
                              timeout=120)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("PHOENIX_COLLECTOR_ENDPOINT", proc.stderr)
        self.assertNotIn(SECRET, proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "out")) and
                         os.listdir(os.path.join(self.workdir, "out")))


if __name__ == "__main__":
    harness.main()
