"""The progress of a running grid (docs/progress.md) against a local
OpenAI-protocol server that holds its answers until the test has seen what it
looks for (chat_server.py hold/allow/release): the live view inside a real
terminal (tmux: send-keys to start, capture-pane to read) shows the episodes in
flight and the totals before the first episode ends, survives resizes without
leaving stale lines on the screen or in the history, and is gone after the
run, also after one or two Ctrl-C; `--progress json` records have
the documented fields; `lines` (and `auto` on a pipe) never write a control
character; `--quiet` silences it all but the final table."""

import glob
import json
import os
import re
import shutil
import subprocess
import threading
import time
import types

import chat_server
import harness

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRAME_LINE = re.compile(r"(?m)^(in flight \d+:|models:  gpt|\[[#.]{20}\] )")  # the view's lines


def _ended(screen):
    return re.search(r"EXIT=\d", screen) is not None  # after a ^C the shell echoed, too


def _config(server, seeds=(1, 2), parallel=2):
    model = {"name": "gpt", "kind": "openai", "model": "fake-gpt",
             "base_url": server.base_url("slow"), "api_key_env": "", "cache": "off",
             "prices": {"prompt": 2.0, "completion": 8.0},
             "timeout_s": 120, "max_retries": 1, "initial_backoff_s": 0.01}
    return {"name": "live-e2e", "tasks": ["toy_tabular"], "models": [model],
            "context_policies": [{"name": "full", "type": "full"},
                                 {"name": "window2", "type": "window", "max_turns": 2}],
            "reasoning_modes": ["agentic"], "seeds": list(seeds), "num_steps": 3,
            "parallel": parallel}


def _documented_fields(table_marker):
    """{field: type text} of the table after `table_marker` in docs/progress.md."""
    with open(os.path.join(REPO, "docs", "progress.md")) as f:
        text = f.read()
    block = text.split(table_marker, 1)[1].split("<!--", 1)[0]
    fields = {}
    for row in block.splitlines():
        m = re.match(r"\| `(\w+)` \| ([^|]+) \|", row)
        if m:
            fields[m.group(1)] = m.group(2).strip()
    return fields


def _check_type(test, value, kind, where):
    allowed = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
               "array": list, "null": type(None)}
    types = tuple(t for k in kind.split(" or ") for t in
                  (allowed[k] if isinstance(allowed[k], tuple) else (allowed[k],)))
    test.assertIsInstance(value, types, where)
    if "integer" in kind.split(" or ") or "number" in kind.split(" or "):
        test.assertNotIsInstance(value, bool, where)


class Running:
    """`ctxbench ARGS` started in `workdir`; its stderr read line by line as it
    comes (wait_for), its stdout kept for the end (finish)."""

    def __init__(self, workdir, *args):
        self.workdir = workdir
        self.proc = subprocess.Popen([harness.BINARY, *args], cwd=workdir, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = []
        self._cond = threading.Condition()
        self._out = []
        self._readers = [threading.Thread(target=self._read_err, daemon=True),
                         threading.Thread(target=lambda: self._out.append(self.proc.stdout.read()),
                                          daemon=True)]
        for t in self._readers:
            t.start()

    def _read_err(self):
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self.lines.append(None)  # the end
            self._cond.notify_all()

    def wait_for(self, done, timeout=120):
        """Blocks until `done(lines so far)` is true; False if the output
        ended or `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not done([l for l in self.lines if l is not None]):
                left = deadline - time.monotonic()
                if (self.lines and self.lines[-1] is None) or left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def finish(self, timeout=300):
        """(exit code, stdout, stderr) once the process ended."""
        try:
            self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        for t in self._readers:
            t.join(timeout)
        return (self.proc.returncode, "".join(self._out),
                "".join(l for l in self.lines if l is not None))

    def result(self):
        """finish() as a harness.RunResult."""
        code, out, err = self.finish()
        return harness.RunResult(
            types.SimpleNamespace(returncode=code, stdout=out, stderr=err), self.workdir)


class Tmux:
    """A tmux server of our own (its socket in `folder`), one window."""

    def __init__(self, folder, width, height, name="tmux.sock"):
        if shutil.which("tmux") is None:
            raise AssertionError("tmux is missing: scripts/install-deps.sh installs it")
        self.socket = os.path.join(folder, name)
        # An interactive bash without the user's start-up files: a ~/.bashrc
        # that sets up a tool (pyenv, conda) can take seconds to start, and
        # the test would wait on it for nothing.
        self._tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
                   "-c", folder, "bash --norc --noprofile")

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout

    def send(self, line):
        self._tmux("send-keys", "-t", "t", line, "Enter")

    def keys(self, *keys):
        """Keys without Enter (e.g. "C-c")."""
        self._tmux("send-keys", "-t", "t", *keys)

    def screen(self):
        return self._tmux("capture-pane", "-p", "-t", "t")

    def everything(self):
        """The scrollback and the screen."""
        return self._tmux("capture-pane", "-p", "-t", "t", "-S", "-", "-E", "-")

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))

    def kill(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


class LiveProgressTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        # Answers at once, or while held (hold()) when the test lets them go.
        self.server = chat_server.ChatServer(delay_s=0)

    def tearDown(self):
        self.server.stop()
        super().tearDown()

    def _write_config(self, config):
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)

    def test_live_view_in_a_terminal(self):
        # 4 episodes, 2 at a time. The server holds the model's answers, so
        # the run stays in progress while the test looks at the view, and lets
        # them through one at a time, then all.
        self.server.hold()
        self._write_config(_config(self.server))
        tmux = Tmux(self.workdir, 120, 40)
        try:
            tmux.send(f"{harness.BINARY} run --config config.json --out runs; echo EXIT=$?")
            seen = None
            deadline = time.time() + 120
            while time.time() < deadline and seen is None:
                screen = tmux.screen()
                if _ended(screen) or re.search(r"^\[1/4", screen, re.M):
                    break  # too late: an episode ended first
                if ("in call" in screen and re.search(r"^calls \d+ \(", screen, re.M)
                        and "in flight 2:" in screen):
                    seen = screen
                time.sleep(0.05)
            self.assertIsNotNone(seen, "no live view before the first episode ended:\n"
                                 + tmux.screen())
            episodes = re.findall(r"^  (toy_tabular\.\S+) +it (\d+) step (\d+)  ctx \S+/8\.0k",
                                  seen, re.M)
            self.assertEqual(len(episodes), 2, seen)
            self.assertRegex(seen, r"(?m)^\[\.{20}\]  0/4  0%  0 successes  0 errors  elapsed ")
            self.assertIn("models:  gpt ", seen)

            every = tmux.everything()  # before any resize: one view, nothing stale
            self.assertEqual(len(re.findall(r"(?m)^\[[#.]{20}\] ", every)), 1, every)

            # Width changes while it runs, narrower and wider again: each
            # time one whole view on the screen, no line wider than the
            # terminal, and no row of an earlier frame in the history (on a
            # narrowing tmux moves the screen's top rows into it: the view
            # sits at the bottom, so those are older output). The height is
            # kept: a taller window pulls rows back out of the history.
            # After each resize one more answer goes through: the view
            # showing that many calls was drawn after the resize (and shows
            # the run's progress while both episodes are in flight).
            for calls, width in enumerate((70, 120, 50, 120), start=1):
                tmux.resize(width, 40)
                self.server.allow(1)
                screen = tmux.screen()
                while (time.time() < deadline and not _ended(screen)
                       and not re.search(rf"(?m)^calls {calls} \(", screen)):
                    time.sleep(0.05)
                    screen = tmux.screen()
                self.assertRegex(screen, rf"(?m)^calls {calls} \(", screen)
                # A draw that read the width just before the resize and the
                # calls after it is redrawn on the resize's own tick (50 ms).
                settle = time.time() + 5
                while (time.time() < settle
                       and len(re.findall(r"(?m)^\[[#.]{20}\] ", screen)) != 1):
                    time.sleep(0.05)
                    screen = tmux.screen()
                self.assertIn("in flight 2:", screen)
                self.assertEqual(len(re.findall(r"(?m)^\[[#.]{20}\] ", screen)), 1, screen)
                self.assertEqual(len(re.findall(r"(?m)^calls \d+ \(", screen)), 1, screen)
                self.assertEqual(len(re.findall(r"(?m)^in flight \d+:$", screen)), 1, screen)
                self.assertEqual(len(re.findall(r"(?m)^models:  gpt", screen)), 1, screen)
                every = tmux.everything()
                self.assertEqual(len(re.findall(r"(?m)^\[[#.]{20}\] ", every)), 1, every)
                self.assertEqual(len(re.findall(r"(?m)^in flight \d+:$", every)), 1, every)
                lines = screen.rstrip("\n").splitlines()
                for line in lines:
                    self.assertLessEqual(len(line), width, line)
                # The view is the last thing on the screen: its lines, then nothing.
                bar = max(i for i, l in enumerate(lines) if re.match(r"\[[#.]{20}\] ", l))
                for line in lines[bar + 4:]:
                    self.assertRegex(line, r"^(  toy_tabular\.|  \.\.\. and|! |$)", screen)

            self.server.release()
            while time.time() < deadline and not _ended(tmux.screen()):
                time.sleep(0.05)
            screen, every = tmux.screen(), tmux.everything()
            self.assertRegex(screen, r"(?m)^EXIT=0$")
            self.assertIsNone(FRAME_LINE.search(screen), screen)  # the view was erased
            for n in range(1, 5):  # the log lines stayed, above the final table
                self.assertRegex(every, rf"(?m)^\[{n}/4 ")
            self.assertIn("Run folder: runs/", every)
        finally:
            tmux.kill()

    def test_ctrl_c_notice_leaves_no_frame_in_the_scrollback(self):
        # The first Ctrl-C's notice is printed above the view (not under it),
        # so when the grid has stopped neither the screen nor the scrollback
        # holds a frame; the notice shows once, and the run says interrupted.
        # The answers are held: both episodes are in a model call at the ^C.
        self.server.hold()
        self._write_config(_config(self.server))
        tmux, deadline = self._start_with_two_in_flight("runs")
        try:
            tmux.keys("C-c")
            while time.time() < deadline and not _ended(tmux.screen()):
                time.sleep(0.05)
            every = tmux.everything()
            self.assertRegex(every, r"(?m)^EXIT=130$", every)
            self.assertEqual(every.count("ctxbench: stopping after the running episodes"), 1, every)
            self.assertIsNone(FRAME_LINE.search(every), every)  # nothing of a frame is left
        finally:
            tmux.kill()

    def test_second_ctrl_c_notice_leaves_no_frame_either(self):
        # A second Ctrl-C ends the process at once: its notice is printed in
        # place of the view (by the view's hard-stop action, or straight to
        # the terminal once the grid has ended), so no frame is left on the
        # screen or in the scrollback, and each notice shows once.
        # Sim episodes that keep going (an unreachable target, many steps):
        # the first Ctrl-C lets them run on, so the second one lands while the
        # view is up. (With a model, the first cuts the calls short and the
        # grid can end before the second arrives.) A try whose second ^C
        # still came after the closing lines proves nothing and is made
        # again, up to three times.
        self._write_config({
            "name": "live-e2e", "tasks": [{"name": "toy_tabular", "target_improvement_pct": 1000}],
            "models": [{"name": "sim", "kind": "sim"}],
            "context_policies": [{"name": "full", "type": "full"},
                                 {"name": "window2", "type": "window", "max_turns": 2}],
            "reasoning_modes": ["agentic"], "seeds": [1, 2], "num_steps": 400, "parallel": 2})
        for attempt in range(3):
            every = self._two_ctrl_c(f"runs{attempt}")
            late = re.search(r"LLM calls:[^\n]*\n[\s\S]*\^C", every)
            if "ctxbench: stopped at once" not in every and late:
                continue
            break
        self.assertRegex(every, r"(?m)EXIT=130$", every)
        self.assertEqual(every.count("ctxbench: stopping after the running episodes"), 1, every)
        self.assertEqual(every.count("ctxbench: stopped at once"), 1, every)
        self.assertIsNone(FRAME_LINE.search(every), every)  # nothing of a frame is left

    def _start_with_two_in_flight(self, out):
        """A tmux server of its own (one per `out`) running the config into
        `out`, returned once the view shows two episodes in flight, with the
        deadline for the rest of the test."""
        tmux = Tmux(self.workdir, 120, 40, name=f"{out}.sock")
        try:
            tmux.send(f"{harness.BINARY} run --config config.json --out {out}; echo EXIT=$?")
            deadline = time.time() + 120
            while time.time() < deadline and "in flight 2:" not in tmux.screen():
                time.sleep(0.05)
            self.assertIn("in flight 2:", tmux.screen())
        except BaseException:
            tmux.kill()
            raise
        return tmux, deadline

    def _two_ctrl_c(self, out):
        tmux, deadline = self._start_with_two_in_flight(out)
        try:
            tmux.keys("C-c")
            # The second after the first was handled (two at once may merge
            # into one signal).
            while (time.time() < deadline and "stopping after the running" not in tmux.screen()
                   and not _ended(tmux.screen())):
                time.sleep(0.01)
            tmux.keys("C-c")
            while time.time() < deadline and not _ended(tmux.screen()):
                time.sleep(0.05)
            time.sleep(0.3)  # the shell echoes a ^C that came after the run
            return tmux.everything()
        finally:
            tmux.kill()

    def test_json_records_have_the_documented_shape(self):
        fields = _documented_fields("<!-- progress-record-fields")
        in_flight_fields = _documented_fields("<!-- in-flight-fields -->")
        self.assertIn("eta_s", fields)
        self.assertIn("call_s", in_flight_fields)
        # The answers are held until four records have caught an episode in a
        # model call, then go at once.
        self._write_config(_config(self.server, seeds=(1,)))
        self.server.hold()
        run = Running(self.workdir, "run", "--config", "config.json", "--out", "runs",
                      "--progress", "json", "--progress-interval", "0.1")
        try:
            def calling(lines):
                records = [json.loads(line) for line in lines if line.startswith("{")]
                return len([rec for rec in records if rec["type"] == "progress" and any(
                    e["call_s"] is not None for e in rec["in_flight"])]) >= 4
            caught = run.wait_for(calling)
        finally:
            self.server.release()
        code, _, stderr = run.finish()
        self.assertTrue(caught, stderr)
        self.assertEqual(code, 0, stderr)
        records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
        progress = [rec for rec in records if rec["type"] == "progress"]
        logs = [rec for rec in records if rec["type"] == "log"]
        self.assertGreater(len(progress), 3)
        for rec in progress:
            self.assertEqual(set(rec), set(fields), rec)
            for key, kind in fields.items():
                _check_type(self, rec[key], kind, key)
            for e in rec["in_flight"]:
                self.assertEqual(set(e), set(in_flight_fields), e)
                for key, kind in in_flight_fields.items():
                    _check_type(self, e[key], kind, key)
        calling = [e for rec in progress for e in rec["in_flight"] if e["call_s"] is not None]
        self.assertTrue(calling, "no record caught an episode in a model call")
        self.assertEqual(progress[0]["done"], 0)
        self.assertEqual([rec["final"] for rec in progress].count(True), 1)
        last = progress[-1]
        self.assertTrue(last["final"])
        self.assertEqual((last["done"], last["total"], last["errors"]), (2, 2, 0))
        self.assertEqual(last["in_flight"], [])
        self.assertEqual(last["eta_s"], 0)
        (run_dir,) = glob.glob(os.path.join(self.workdir, "runs", "*"))
        with open(os.path.join(run_dir, "summary.json")) as f:
            summary = json.load(f)
        calls = sum(e["outcome"]["llm_calls"] for e in summary["episodes"])
        self.assertEqual(last["calls"], calls)
        self.assertEqual(last["calls"], len(self.server.requests))
        # Each finished episode's log line came as a log record.
        done_lines = [rec for rec in logs if re.match(r"\[\d/2 ", rec["message"])]
        self.assertEqual(len(done_lines), 2, logs)
        for rec in logs:
            self.assertIn(rec["level"], ("info", "warning", "error", "debug"))

    def test_lines_mode_writes_summaries_and_no_control_characters(self):
        # `--progress lines` into a, and `auto` on a pipe into b, at the same
        # time: two grids whose answers are held until the first has written
        # a summary line.
        self._write_config(_config(self.server, seeds=(1,)))
        self.server.hold()
        lines_run = Running(self.workdir, "run", "--config", "config.json", "--out", "a",
                            "--progress", "lines", "--progress-interval", "0.1")
        auto_run = Running(self.workdir, "run", "--config", "config.json", "--out", "b")
        try:
            lines_run.wait_for(lambda lines: any(l.startswith("progress: ") for l in lines))
        finally:
            self.server.release()
        r = lines_run.result()
        auto = auto_run.result()
        self.assertEqual(r.code, 0, r.stderr)
        summaries = re.findall(r"(?m)^progress: \d+/2 done .* in flight, .*, ETA \S+", r.stderr)
        self.assertGreater(len(summaries), 0, r.stderr)
        self.assertRegex(r.stderr, r"(?m)^\[2/2 100%\] ")
        # `auto` on a pipe is `lines` (with its default 30 s interval).
        self.assertEqual(auto.code, 0, auto.stderr)
        self.assertRegex(auto.stderr, r"(?m)^\[2/2 100%\] ")
        for out in (r.stderr, auto.stderr):
            self.assertIsNone(re.search(r"[\x00-\x09\x0b-\x1f\x7f]", out), repr(out))
        self.assertIsNone(FRAME_LINE.search(auto.stderr), auto.stderr)

    def test_quiet_silences_the_progress_but_not_the_table(self):
        # The answers are held for five records' time once both episodes
        # have called.
        self._write_config(_config(self.server, seeds=(1,)))
        self.server.hold()
        run = Running(self.workdir, "run", "--config", "config.json", "--out", "q",
                      "--quiet", "--progress", "json", "--progress-interval", "0.1")
        try:
            deadline = time.monotonic() + 120
            while (len(self.server.requests) < 2 and run.proc.poll() is None
                   and time.monotonic() < deadline):
                time.sleep(0.02)
            time.sleep(0.5)
        finally:
            self.server.release()
        r = run.result()
        self.assertEqual(r.code, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("Run folder: q/", r.stdout)
        self.assertRegex(r.stdout, r"(?m)^toy_tabular +full +agentic +gpt +1 ")


if __name__ == "__main__":
    harness.main()
