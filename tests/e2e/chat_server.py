"""A local chat-completions server for the end-to-end tests (127.0.0.1,
ephemeral port). The first path segment picks the behaviour:
/<scenario>/v1/chat/completions.

- agent: drives a real episode. Agentic requests (with tools) get a `train`
  tool call with the task's baseline config, and a `final_answer` call when
  the harness asks for one; controller requests get the same as JSON content.
  Answers depend only on the request, so reruns and replays match.
- flaky: as agent, but every third request gets a 429 (Retry-After: 0) and
  every fifth a 500 before the client retries; the same request fails at
  most twice, so two retries always get through, whatever the interleaving
  of concurrent episodes.
- unauthorized: 401 quoting the bearer token.
- notfound: 404 "model not found", as OpenAI answers for an unknown model.
- hang: answers after 3 s (past the client's timeout).
- silent: reads the request and never answers (until the server stops).
- down: 503 while `server.down` is true (the default), then as agent.
- malformed: 200 with a body that is not JSON.
- slow: as agent, answered after `delay_s` (default 0.2 s), and while the
  server is held (`hold()`) not before the test lets it through (`allow(n)`
  lets n answers go, `release()` all of them from then on).
- limited: as slow, but a request arriving while `limit` (default 8) others
  are in flight gets an immediate 429 (no Retry-After), like a provider's
  concurrency limit.
The server counts requests in flight (`in_flight`, `peak_in_flight`) and the
429s of `limited` (`rejected`). `dead_base_url()` names a port where nothing
listens (connection refused).
GET /<scenario>/v1/models answers as _handle_get says (counted in
`model_lists`, not in `requests`).
Streaming requests ("stream": true) get SSE with the tool-call arguments split
into fragments.
"""

import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _decide(body):
    messages = body["messages"]
    text = "\n".join(m.get("content") or "" for m in messages)
    baseline = json.loads(re.search(r"Baseline config: (\{.*\})", text).group(1))
    metric = float(re.search(r"Baseline validation \S+: (\S+)", text).group(1))
    last = messages[-1].get("content") or ""
    if "Give your final answer now" in last:
        return "final_answer", {"config": baseline, "metric": metric,
                                "summary": "the baseline held up"}
    return "train", {"config": baseline}


def _completion(message, finish):
    return {"id": "chatcmpl-e2e", "object": "chat.completion",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 200, "completion_tokens": 25,
                      "prompt_tokens_details": {"cached_tokens": 50}}}


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # many episodes connect at once
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hung up before its answer (a run stopped by Ctrl-C,
        # a call cut short) is expected; anything else is printed as usual.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class ChatServer:
    def __init__(self, delay_s=0.2, limit=8):
        self.requests = []  # (scenario, headers dict, body)
        self.counts = {}
        self.model_lists = {}  # scenario -> GET /models requests
        self.lock = threading.Lock()
        self.down = True
        self.stopping = threading.Event()
        self.delay_s = delay_s
        self.limit = limit
        self.in_flight = 0
        self.peak_in_flight = 0
        self.rejected = 0
        self.flaky_tries = {}  # request body -> attempts
        self._gate = threading.Condition()  # guards _held and _passes
        self._held = False
        self._passes = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once, no 40 ms stall

            def log_message(self, *args):
                pass

            def do_POST(self):
                server._handle(self)

            def do_GET(self):
                server._handle_get(self)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def base_url(self, scenario):
        return f"http://127.0.0.1:{self.port}/{scenario}/v1"

    @staticmethod
    def dead_base_url():
        """A base URL on 127.0.0.1 where nothing listens."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    def hold(self):
        """From now on, slow and limited answers wait for allow() or release()."""
        with self._gate:
            self._held = True

    def allow(self, n):
        """Lets `n` held answers (waiting or still to come) go."""
        with self._gate:
            self._passes += n
            self._gate.notify_all()

    def release(self):
        """Lets every answer go, now and from now on."""
        with self._gate:
            self._held = False
            self._gate.notify_all()

    def _pass_gate(self):
        with self._gate:
            while self._held and self._passes == 0 and not self.stopping.is_set():
                self._gate.wait()
            if self._held and self._passes:
                self._passes -= 1

    def stop(self):
        self.stopping.set()
        with self._gate:
            self._gate.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _send(self, h, status, payload, headers=None, content_type="application/json"):
        if getattr(h, "counted", False):  # out of flight before the client hears back
            h.counted = False
            with self.lock:
                self.in_flight -= 1
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _handle_get(self, h):
        """GET /<scenario>/v1/models, which ctxbench asks before a run: 401 for
        unauthorized, 404 for notfound, 503 for down while down, else the list
        (empty: this server answers for any model name). Not counted in
        `requests` or `counts`."""
        m = re.match(r"^/(\w+)/v1/models$", h.path)
        if not m:
            return self._send(h, 404, {"error": {"message": "not found"}})
        scenario = m.group(1)
        with self.lock:
            self.model_lists[scenario] = self.model_lists.get(scenario, 0) + 1
        if scenario == "unauthorized":
            return self._send(h, 401, {"error": {"message": "Incorrect API key provided: " +
                                                 h.headers.get("Authorization", "")}})
        if scenario == "notfound":
            return self._send(h, 404, {"error": {"message": "not found"}})
        if scenario == "down" and self.down:
            return self._send(h, 503, {"error": {"message": "down"}})
        return self._send(h, 200, {"object": "list", "data": []})

    def _handle(self, h):
        m = re.match(r"^/(\w+)/v1/chat/completions$", h.path)
        raw = h.rfile.read(int(h.headers.get("Content-Length", "0")))
        if not m:
            return self._send(h, 404, {"error": {"message": "not found"}})
        scenario = m.group(1)
        body = json.loads(raw)
        with self.lock:
            self.requests.append((scenario, dict(h.headers), body))
            n = self.counts[scenario] = self.counts.get(scenario, 0) + 1
            over = self.in_flight >= self.limit
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            h.counted = True
            if scenario == "limited" and over:
                self.rejected += 1
        if scenario == "limited" and over:
            return self._send(h, 429, {"error": {"message": "too many concurrent requests"}})
        if scenario in ("slow", "limited"):
            time.sleep(self.delay_s)
            self._pass_gate()
        if scenario == "unauthorized":
            return self._send(h, 401, {"error": {
                "message": "Incorrect API key provided: " + h.headers.get("Authorization", "")}})
        if scenario == "notfound":
            model = body.get("model", "")
            return self._send(h, 404, {"error": {
                "message": f"The model `{model}` does not exist or you do not have access to it.",
                "type": "invalid_request_error", "code": "model_not_found"}})
        if scenario == "silent":
            self.stopping.wait()
            return
        if scenario == "down" and self.down:
            return self._send(h, 503, {"error": {"message": "service unavailable"}})
        if scenario == "hang":
            time.sleep(3)
            return self._send(h, 200, {})
        if scenario == "malformed":
            return self._send(h, 200, b'{"choices": [')
        if scenario == "flaky":  # the same request fails at most twice, however calls interleave
            with self.lock:
                tries = self.flaky_tries[raw] = self.flaky_tries.get(raw, 0) + 1
            if tries > 2:
                n = 0
        if scenario == "flaky" and n % 3 == 1:
            return self._send(h, 429, {"error": {"message": "rate limited"}}, {"Retry-After": "0"})
        if scenario == "flaky" and n % 5 == 2:
            return self._send(h, 500, {"error": {"message": "internal error"}})
        tool, args = _decide(body)
        if body.get("tools"):
            call = {"id": f"call_{tool}", "type": "function",
                    "function": {"name": tool, "arguments": json.dumps(args)}}
            message = {"role": "assistant", "content": None, "tool_calls": [call]}
            finish = "tool_calls"
        else:
            message = {"role": "assistant", "content": json.dumps({"action": tool, **args})}
            finish = "stop"
        if not body.get("stream"):
            return self._send(h, 200, _completion(message, finish))
        chunks = []
        if "tool_calls" in message:
            args_text = message["tool_calls"][0]["function"]["arguments"]
            first = {"index": 0, "id": f"call_{tool}", "type": "function",
                     "function": {"name": tool, "arguments": ""}}
            chunks.append({"choices": [{"index": 0, "delta": {"role": "assistant",
                                                             "tool_calls": [first]}}]})
            for i in range(0, len(args_text), 9):
                piece = {"index": 0, "function": {"arguments": args_text[i:i + 9]}}
                chunks.append({"choices": [{"index": 0, "delta": {"tool_calls": [piece]}}]})
        else:
            content = message["content"]
            for i in range(0, len(content), 9):
                chunks.append({"choices": [{"index": 0, "delta": {"content": content[i:i + 9]}}]})
        chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        chunks.append({"choices": [], "usage": {"prompt_tokens": 200, "completion_tokens": 25}})
        data = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        self._send(h, 200, data.encode(), content_type="text/event-stream")
