"""`ctxbench view` end to end: a small sim grid served to Debian's headless
chromium, driven by puppeteer-core (tests/e2e/viewer/, installed by
scripts/install-viewer-test-deps.sh; no browser download). Clicks runs ->
grid -> episodes -> episode -> X-ray, checks the X-ray's messages against the
manifest in the episode's trace and the token bar against its total, checks
compare, search and j/k keys, that `..` and %2e%2e paths are refused, that the
run folder is never written, that the Runs page follows a run in progress
without a reload (that run's model is chat_server.py, answering slowly), that
a run created while the viewer (and the page) is open is listed after a
reload, and that the static bundle opens from disk. The tests share one grid run, one node process and one chromium
(viewer/driver.js, started while the grid runs); each browser check works in
a browser context of its own.
Screenshots go to <build dir>/viewer-e2e/. Skips, saying so, only when
chromium or puppeteer-core is not installed."""

import http.client
import itertools
import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

import chat_server
import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIEWER_DIR = os.path.join(ROOT, "tests", "e2e", "viewer")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PUPPETEER = os.path.isdir(os.path.join(VIEWER_DIR, "node_modules", "puppeteer-core"))
NODE = shutil.which("node")

CONFIG = {
    "name": "viewer",
    "tasks": ["toy_tabular"],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [
        {"name": "full", "type": "full"},
        {"name": "window2", "type": "window", "max_turns": 2},
    ],
    "reasoning_modes": ["agentic"],
    "seeds": [1, 2],
    "num_steps": 6,
    "budget": {"context_tokens": 2500},
    "parallel": 2,
}

# The live run's model: chat_server.py's `slow` scenario (a real
# chat-completions server on 127.0.0.1) answering each call after this long.
LIVE_DELAY_S = 0.2


def live_model(server):
    return {"name": "slow", "kind": "openai", "model": "fake-gpt",
            "base_url": server.base_url("slow"), "api_key_env": "", "cache": "off",
            "timeout_s": 120, "max_retries": 1, "initial_backoff_s": 0.01}


def listing(folder):
    """Every file under `folder` with its size and modification time."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            st = os.stat(p)
            out[os.path.relpath(p, folder)] = (st.st_size, st.st_mtime_ns)
    return out


def sqlite_count(db, table):
    """Rows of `table`, read without writing (the run is still writing)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0
    finally:
        conn.close()


class BrowserDriver:
    """viewer/driver.js: one node process and one headless chromium for every
    browser check of this file. `start` sends a check; its messages and its
    result come back by the check's id (a thread sorts driver.js's output).
    Not thread-safe: one test thread uses it."""

    def __init__(self):
        self.proc = subprocess.Popen([NODE, os.path.join(VIEWER_DIR, "driver.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "CHROMIUM": CHROMIUM})
        self._ids = itertools.count(1)
        self._inbox = {0: queue.Queue()}  # 0: driver.js's own lines (ready)
        self._stderr = []
        self._done = set()  # checks that returned or failed
        self._threads = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._threads:
            t.start()

    def _read_stdout(self):
        for line in self.proc.stdout:
            msg = json.loads(line)
            self._inbox.setdefault(msg.get("id", 0), queue.Queue()).put(msg)
        for q in list(self._inbox.values()):  # driver.js ended: wake every waiter
            q.put(None)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self._stderr.append(line)

    def _get(self, id_, timeout):
        try:
            msg = self._inbox[id_].get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"driver.js: no answer in {timeout} s") from None
        if msg is None:
            raise AssertionError("driver.js ended:\n" + "".join(self._stderr[-50:]))
        if "error" in msg or "result" in msg:
            self._done.add(id_)
        if "error" in msg:
            raise AssertionError("browser check failed:\n" + msg["error"])
        return msg

    def _send(self, msg):
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def wait_ready(self, timeout=120):
        """Returns once chromium is up; AssertionError if it did not start."""
        self._get(0, timeout)

    def start(self, check, *args):
        """Starts `check` (viewer/<check>.js) with `args`; returns its id."""
        id_ = next(self._ids)
        self._inbox[id_] = queue.Queue()
        self._send({"id": id_, "check": check, "args": [str(a) for a in args]})
        return id_

    def said(self, id_, timeout=300):
        """The next message check `id_` sent (io.say); AssertionError if it failed."""
        msg = self._get(id_, timeout)
        if "say" not in msg:
            raise AssertionError(f"expected a message, got {msg!r}")
        return msg["say"]

    def answer(self, id_, text):
        self._send({"id": id_, "answer": text})

    def result(self, id_, timeout=300):
        """What check `id_` returned; AssertionError if it failed."""
        while True:
            msg = self._get(id_, timeout)
            if "result" in msg:
                return msg["result"]

    def finish(self, id_):
        """Ends check `id_` if it still runs (an empty answer ends a check that
        waits for one) and waits for its end, whatever it returns."""
        if id_ in self._done:
            return
        self.answer(id_, "")
        try:
            self.result(id_)
        except AssertionError:
            pass

    def run(self, check, *args):
        return self.result(self.start(check, *args))

    def close(self):
        """Ends driver.js (the end of its stdin closes chromium)."""
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for t in self._threads:
            t.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()


def trace_events(run_dir, episode):
    with open(os.path.join(run_dir, "traces", episode + ".jsonl")) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [e for e in lines if "seq" in e]


def expected_messages(events, step):
    """The messages of `step`'s context, resolved from the trace's manifest."""
    ctx = [e for e in events if e["event"] == "op.context" and e["step"] == step][-1]
    by_seq = {e["seq"]: e for e in events}
    out = []
    for rec in ctx["data"]["manifest"]["messages"]:
        if "section" in rec:
            out.append({"role": "user", "content": rec["content"], "arguments": []})
            continue
        msg = by_seq[rec["seq"]]["message"]
        calls = msg.get("tool_calls") or []
        args = [c.get("arguments", "") for c in calls]
        if "arguments" in rec:
            args = rec["arguments"]
        out.append({"role": msg["role"], "content": rec.get("content", msg.get("content", "")),
                    "arguments": args})
    return ctx, out


@unittest.skipIf(CHROMIUM is None or NODE is None or not PUPPETEER,
                 "chromium, node or puppeteer-core is missing (scripts/install-deps.sh and "
                 "scripts/install-viewer-test-deps.sh install them): SKIPPING the browser test")
class ViewerTest(harness.E2ETest):
    """The tests share one grid run (none writes to it: each checks that) and
    one node process with one headless chromium (driver.js): each browser
    check works in a browser context of its own, as a fresh profile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._shared = tempfile.TemporaryDirectory(prefix="ctxbench-e2e-viewer-")
        cls.shared = cls._shared.name
        cls.shots = os.path.join(os.path.dirname(harness.BINARY), "viewer-e2e")
        os.makedirs(cls.shots, exist_ok=True)
        cls.browser = None
        xdg = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = os.path.join(cls.shared, ".cache")  # as E2ETest does
        try:
            cls.browser = BrowserDriver()  # chromium starts while the grid runs
            r = harness.run_ctxbench(cls.shared, "run", "--config", "config.json", config=CONFIG)
            if r.code != 0:
                raise AssertionError("ctxbench run failed:\n" + r.stderr)
            (cls.run_dir,) = r.run_dirs()
            cls.run_id = os.path.basename(cls.run_dir)
            cls.before = listing(cls.run_dir)
            cls.browser.wait_ready()
        except BaseException:
            cls.tearDownClass()
            raise
        finally:
            if xdg is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = xdg

    @classmethod
    def tearDownClass(cls):
        if cls.browser is not None:
            cls.browser.close()
        cls._shared.cleanup()
        super().tearDownClass()

    def serve(self, folder=None):
        proc = subprocess.Popen([harness.BINARY, "view", folder or self.run_dir, "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            proc.kill()
            self.fail("no URL printed: " + line + proc.stderr.read())
        return proc, int(m.group(1))

    def stop(self, proc):
        """Ctrl-C the viewer, as a user stops it; returns its exit code and stderr."""
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        errors = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        return code, errors

    def browse(self, *args):
        return self.browser.run("viewer_e2e", *args)

    def status_of(self, port, raw_path):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", raw_path)  # sent exactly as written
        res = conn.getresponse()
        body = res.read()
        conn.close()
        return res.status, body

    def test_pages_in_a_real_browser(self):
        a, b, step = "toy_tabular.full.sim.agentic.s1", "toy_tabular.window2.sim.agentic.s1", 4
        proc, port = self.serve()
        try:
            # Traversal: refused, whatever the spelling.
            secret = os.path.join(self.shared, "config.json")  # beside runs/
            for raw in [f"/files/{self.run_id}/../config.json",
                        f"/files/{self.run_id}/%2e%2e/config.json",
                        f"/files/{self.run_id}/%2E%2E%2Fconfig.json",
                        f"/files/{self.run_id}/..%2f..%2f..%2fetc%2fpasswd",
                        f"/files/{self.run_id}/../../../../../../etc/passwd",
                        "/files/%2e%2e/config.json", "/assets/../../config.json"]:
                status, body = self.status_of(port, raw)
                self.assertEqual(status, 404, raw)
                with open(secret, "rb") as f:
                    self.assertNotIn(f.read()[:40], body, raw)
                self.assertNotIn(b"root:", body, raw)
            self.assertEqual(self.status_of(port, f"/files/{self.run_id}/run.json")[0], 200)

            out = self.browse(f"http://127.0.0.1:{port}/", self.run_id, a, b, str(step),
                              self.shots)
        finally:
            code, errors = self.stop(proc)
            self.assertEqual(code, 0, errors)

        self.assertEqual(out["problems"], [])
        self.assertEqual(out["runs_rows"], 1)
        self.assertEqual(len(out["grid_rows"]), 2)  # one task x two policies
        self.assertIn(out["sorted"], ("ascending", "descending"))
        self.assertEqual(out["filtered_rows"], 1)
        self.assertEqual(out["episode_rows"], 2)  # the cell's two seeds
        self.assertEqual(out["selected_after_jjkj"], "step-1")  # start, 1, start, 1

        # The X-ray shows exactly the messages of the manifest, in order.
        events = trace_events(self.run_dir, a)
        ctx, expected = expected_messages(events, step)
        shown = out["xray"]["messages"]
        self.assertEqual(len(shown), len(expected))
        for i, (got, want) in enumerate(zip(shown, expected)):
            self.assertEqual(got["role"], want["role"], i)
            self.assertEqual(got["content"], want["content"], i)
            self.assertEqual(got["arguments"], want["arguments"], i)
        manifest = ctx["data"]["manifest"]
        self.assertEqual(sum(s["tokens"] for s in out["xray"]["segments"]),
                         manifest["total_tokens"])
        self.assertIn(f"{manifest['total_tokens']:,}", out["xray"]["barTitle"])
        # ... and the model call of that step was sent that many tokens.
        llm = [e for e in events if e["event"] == "op.llm" and e["step"] == step][0]
        self.assertEqual(llm["data"]["context_tokens"], manifest["total_tokens"])
        self.assertEqual(len(out["xray"]["strip"]), ctx["seq"])
        self.assertTrue(out["after_l"].endswith(f"/xray/{step + 1}"))
        self.assertLessEqual(out["narrow_overflow"], 0)

        # Compare: the full context holds turns the window dropped.
        only_a, only_b = out["compare"]["only"]
        self.assertGreater(len(only_a), 0)
        self.assertIn(f"{len(only_a)} messages only in A", out["compare"]["summary"])
        self.assertEqual(out["compare"]["curves"], 2)
        self.assertGreater(out["search_rows"], 0)

        self.assertEqual(listing(self.run_dir), self.before, "the viewer wrote to the run folder")
        print("browser timings (ms):", out["timings"])

    def test_runs_page_follows_a_run_in_progress(self):
        # A grid still running for the whole check (up to its 120 s), stopped
        # (SIGINT, status interrupted) once the page has shown it progress.
        # Its model is a local chat server answering each call after
        # LIVE_DELAY_S: an episode every second or two, a rising count at the
        # page's 2 s polls, and a run that waits instead of spinning a core
        # through sim episodes.
        server = chat_server.ChatServer(delay_s=LIVE_DELAY_S)
        live = os.path.join(self.workdir, "live")
        os.makedirs(live)
        with open(os.path.join(live, "config.json"), "w") as f:
            json.dump({**CONFIG, "name": "live", "models": [live_model(server)],
                       "seeds": list(range(1, 101)), "parallel": 1}, f)
        run = subprocess.Popen([harness.BINARY, "run", "--config", "config.json", "--quiet"],
                               cwd=live, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
        proc = None
        try:
            runs = os.path.join(live, "runs")
            deadline = time.time() + 120
            while time.time() < deadline:  # the run folder and its first episode
                dirs = os.listdir(runs) if os.path.isdir(runs) else []
                db = os.path.join(runs, dirs[0], "results.db") if dirs else None
                if db and os.path.exists(db) and sqlite_count(db, "episodes") > 0:
                    break
                time.sleep(0.2)
            else:
                self.fail("the live run wrote no episode in 120 s")
            self.assertIsNone(run.poll(), "the run ended before the viewer opened")
            proc, port = self.serve(runs)
            seen = self.browser.run("live_e2e", f"http://127.0.0.1:{port}/", dirs[0], self.shots)
        finally:
            if proc is not None:
                self.stop(proc)
            run.send_signal(signal.SIGINT)
            try:
                run.wait(timeout=120)
            except subprocess.TimeoutExpired:
                run.kill()
                run.wait()
            run.stderr.close()
            server.stop()
        self.assertEqual(seen["problems"], [])
        self.assertEqual(seen["seen"][0]["status"], "running")
        # The finished count rose on the page while it stayed loaded.
        self.assertGreater(len(seen["seen"]), 1, seen)
        done = [int(s["done"].split("/")[0]) for s in seen["seen"]]
        self.assertGreater(done[-1], done[0], seen)
        self.assertTrue(seen["not_reloaded"])

    def test_a_run_created_after_the_viewer_started_is_listed(self):
        # A runs folder of this test's own, holding a copy of the shared run.
        runs = os.path.join(self.workdir, "runs")
        old_dir = os.path.join(runs, self.run_id)
        shutil.copytree(self.run_dir, old_dir)
        old_before = listing(old_dir)
        proc, port = self.serve(runs)
        page = self.browser.start("new_run_e2e", f"http://127.0.0.1:{port}/", self.run_id,
                                  self.shots)
        try:
            ready = self.browser.said(page)
            self.assertEqual(ready.get("ready"), [self.run_id],
                             "the Runs page did not show the run")
            # The page is open; now a new run is made beside the first.
            r = self.run_ok("run", "--config", "config.json",
                            config={**CONFIG, "name": "viewer-new", "seeds": [1]})
            new_dir = [d for d in r.run_dirs() if d != old_dir]
            self.assertEqual(len(new_dir), 1)
            new_id = os.path.basename(new_dir[0])
            new_before = listing(new_dir[0])
            self.browser.answer(page, new_id)
            seen = self.browser.result(page)
        finally:
            self.browser.finish(page)
            code, errors = self.stop(proc)
            self.assertEqual(code, 0, errors)
        self.assertEqual(seen["problems"], [])
        self.assertEqual(sorted(seen["after"]), sorted([self.run_id, new_id]))
        self.assertIn("viewer-new", seen["grid_heading"])
        self.assertEqual(seen["grid_rows"], 2)  # one task x two policies
        self.assertEqual(listing(old_dir), old_before, "the viewer wrote to the run folder")
        self.assertEqual(listing(new_dir[0]), new_before, "the viewer wrote to the new run")

    def get_json(self, port, path):
        status, body = self.status_of(port, path)
        self.assertEqual(status, 200, path)
        return json.loads(body)

    def test_static_bundle_opens_from_disk(self):
        a, b, step = "toy_tabular.window2.sim.agentic.s2", "toy_tabular.full.sim.agentic.s2", 3
        bundle = os.path.join(self.workdir, "bundle")
        r = self.run_ok("view", self.run_dir, "--bundle", bundle)
        self.assertIn("index.html", r.stdout)
        out = self.browse("-", self.run_id, a, b, str(step), self.shots,
                          os.path.join(bundle, "index.html"))
        self.assertEqual(out["problems"], [])
        _, expected = expected_messages(trace_events(self.run_dir, a), step)
        self.assertEqual([m["content"] for m in out["bundle_xray"]["messages"]],
                         [m["content"] for m in expected])
        # Search and compare in the bundle answer what the server answers.
        proc, port = self.serve()
        try:
            search = self.get_json(port, f"/api/runs/{self.run_id}/search?q=max_depth")
            compare = self.get_json(
                port, f"/api/runs/{self.run_id}/compare?a={a}&b={b}&iteration={step}")
        finally:
            self.stop(proc)
        self.assertGreater(len(search["hits"]), 0)
        self.assertEqual(out["bundle_search"],
                         [f"{h['episode_id']}#{h['seq']}" for h in search["hits"]])
        self.assertEqual(out["bundle_search_more"], search["more"])
        self.assertGreater(compare["only_a"], 0)
        self.assertIn(f"{compare['only_a']} messages only in A, {compare['only_b']} only in B",
                      out["bundle_compare"]["summary"])
        for side, shown in zip(("a", "b"), out["bundle_compare"]["only"]):
            self.assertEqual(shown, [m.get("content", "") for m in compare[side]["messages"]
                                     if m["only_here"]])
        self.assertEqual(listing(self.run_dir), self.before)


if __name__ == "__main__":
    harness.main()
