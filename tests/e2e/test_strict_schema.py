"""Tool schemas and structured outputs against a local OpenAI-protocol server
that builds every reply from the schema it is sent and nothing else, as a
strict-mode server does: tool-call arguments from the tool's JSON Schema
(every required property, numbers within minimum/maximum, enum members, short
random strings) and controller proposals from response_format's json_schema.

- With the knob schemas, a small grid (a tune task in both modes, a workspace
  task) has zero invalid actions, every final answer is valid, tools carry
  "strict": true when the model config asks for it, and controller requests
  carry response_format json_schema (strict).
- With the old untyped config schema ({"type": "object"}), reproduced by the
  server, the same filling gives {"config": {}} and every experiment is
  rejected ("missing knob").
"""

import json
import os
import random
import re
import zlib

import chat_server
import harness

UNTYPED_CONFIG = {"type": "object",
                  "description": "knob name -> value, for the knobs the task lists"}


def instance(schema, rng):
    """A random value `schema` allows (the strict subset: type or type list,
    enum, anyOf, properties, items, minimum, maximum)."""
    if "anyOf" in schema:
        return instance(rng.choice(schema["anyOf"]), rng)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    types = schema.get("type", "object")
    kind = rng.choice(types) if isinstance(types, list) else types
    if kind == "null":
        return None
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        return "".join(rng.choice("abcdefghij") for _ in range(rng.randint(0, 10)))
    if kind in ("number", "integer"):
        lo, hi = schema.get("minimum", -1000), schema.get("maximum", 1000)
        v = rng.choice([lo, hi, rng.uniform(lo, hi)])
        if kind == "integer":
            return min(int(-(-v // 1)), int(hi // 1))  # ceil, kept within hi
        return v
    if kind == "array":
        return [instance(schema["items"], rng) for _ in range(rng.randint(0, 2))]
    return {k: instance(s, rng) for k, s in schema.get("properties", {}).items()}


class StrictSchemaServer(chat_server.ChatServer):
    """Scenarios: `strict` fills replies from the schemas it is sent;
    `untyped` first replaces each tool's `config` schema with the old
    untyped one."""

    def _handle(self, h):
        m = re.match(r"^/(\w+)/v1/chat/completions$", h.path)
        raw = h.rfile.read(int(h.headers.get("Content-Length", "0")))
        if not m:
            return self._send(h, 404, {"error": {"message": "not found"}})
        scenario = m.group(1)
        body = json.loads(raw)
        with self.lock:
            self.requests.append((scenario, dict(h.headers), body))
        # Answers depend only on the request.
        rng = random.Random(zlib.crc32(json.dumps(body["messages"]).encode()))
        last = body["messages"][-1].get("content") or ""
        final = "Give your final answer now" in last
        if body.get("tools"):
            tools = {t["function"]["name"]: t["function"] for t in body["tools"]}
            if final:
                name = "final_answer"
            else:
                name = rng.choice(sorted(n for n in tools if n != "final_answer"))
            params = json.loads(json.dumps(tools[name]["parameters"]))
            if scenario == "untyped" and "config" in params.get("properties", {}):
                params["properties"]["config"] = UNTYPED_CONFIG
            args = instance(params, rng)
            call = {"id": f"call_{len(self.requests)}", "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            finish = "tool_calls"
        else:
            schema = body["response_format"]["json_schema"]["schema"]
            proposal = instance(schema, rng)
            proposal["action"] = "final_answer" if final else "train"
            message = {"role": "assistant", "content": json.dumps(proposal)}
            finish = "stop"
        self._send(h, 200, chat_server._completion(message, finish))


def _model(server, name, scenario, **extra):
    m = {"name": name, "kind": "openai", "model": "strict-" + name,
         "base_url": server.base_url(scenario), "api_key_env": "",
         "timeout_s": 5, "max_retries": 0, "cache": "off"}
    m.update(extra)
    return m


class StrictSchemaTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        os.chmod(self.workdir, 0o755)  # workspace commands may run as nobody
        self.server = StrictSchemaServer()

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _run(self, config, out="out"):
        r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out,
                                 config=config)
        self.assertEqual(r.code, 0, r.stdout + r.stderr)
        (run,) = os.listdir(os.path.join(self.workdir, out))
        with open(os.path.join(self.workdir, out, run, "summary.json")) as f:
            return json.load(f)

    def test_schema_filled_replies_are_never_invalid(self):
        config = {"name": "strict-e2e", "tasks": ["toy_tabular"],
                  "models": [_model(self.server, "strict", "strict", strict_tools=True)],
                  "context_policies": [{"name": "full", "type": "full"},
                                       {"name": "window2", "type": "window", "max_turns": 2}],
                  "reasoning_modes": ["agentic", "controller"], "seeds": [1, 2],
                  "num_steps": 3, "parallel": 2}
        episodes = self._run(config, "tune")["episodes"]
        # A workspace task (agentic only): file tools, run, final_answer without a config.
        # Its runs start this binary under RLIMIT_AS, where an ASan build cannot start.
        sanitized = bool(os.environ.get("CTXBENCH_SANITIZED"))
        if not sanitized:
            config.update(tasks=["toy_tabular_ws"], reasoning_modes=["agentic"])
            episodes += self._run(config, "workspace")["episodes"]
        self.assertEqual(len(episodes), 8 if sanitized else 12)
        for ep in episodes:
            out = ep["outcome"]
            self.assertEqual(out["status"], "complete", ep["episode_id"])
            self.assertEqual(out["invalid_actions"], 0, ep["episode_id"])
            self.assertTrue(out["final_answer_valid"], ep["episode_id"])
        self.assertGreater(sum(len(ep["outcome"]["history"]) for ep in episodes), 12)

        bodies = [b for s, _, b in self.server.requests if s == "strict"]
        agentic = [b for b in bodies if b.get("tools")]
        controller = [b for b in bodies if not b.get("tools")]
        self.assertTrue(agentic and controller)
        for b in agentic:
            for t in b["tools"]:
                self.assertIs(t["function"].get("strict"), True, t["function"]["name"])
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "tasks", "toy_tabular",
                               "task.json")) as f:
            knobs = [k["name"] for k in json.load(f)["knobs"]]
        for b in controller:
            fmt = b["response_format"]
            self.assertEqual(fmt["type"], "json_schema")
            self.assertIs(fmt["json_schema"]["strict"], True)
            self.assertEqual(fmt["json_schema"]["schema"]["properties"]["config"]["required"],
                             knobs)
        train = [t["function"]["parameters"] for b in agentic for t in b["tools"]
                 if t["function"]["name"] == "train"]
        self.assertTrue(train)
        for params in train:
            self.assertEqual(params["properties"]["config"]["required"], knobs)
            self.assertIs(params["properties"]["config"]["additionalProperties"], False)

    def test_untyped_config_schema_fails(self):
        config = {"name": "untyped-e2e", "tasks": ["toy_tabular"],
                  "models": [_model(self.server, "untyped", "untyped")],
                  "context_policies": [{"name": "full", "type": "full"}],
                  "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 3}
        (ep,) = self._run(config)["episodes"]
        out = ep["outcome"]
        self.assertGreater(out["invalid_actions"], 0)
        self.assertFalse(out["final_answer_valid"])
        self.assertTrue(all(not h["ok"] for h in out["history"]) or not out["history"])
        # strict_tools defaults to off.
        for _, _, b in self.server.requests:
            for t in b.get("tools", []):
                self.assertNotIn("strict", t["function"])


if __name__ == "__main__":
    harness.main()
