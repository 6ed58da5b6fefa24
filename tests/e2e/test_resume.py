"""Interrupting a run with SIGINT/SIGTERM and `ctxbench run --resume`: the
resumed run ends with the same results as a run that was never interrupted
(the sim model is deterministic per seed), and bad --resume input is refused."""

import glob
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import harness

# Enough episodes, run one at a time, that a signal lands mid-run.
CONFIG = dict(harness.SMALL_CONFIG, name="resume", seeds=[1, 2, 3], num_steps=6, parallel=1)
PLANNED = 2 * 2 * 3

# Two episodes: the first ends, the signals land in the second. The second
# is long (about 1 s on an idle machine: an unreachable target keeps it going
# for every iteration, and the full policy's context grows with each), so that
# a second signal lands while it runs; the first is short (a window policy's
# context stays small: ~0.1 s), as nothing needs to land in it. Each is run
# three times (uninterrupted, interrupted, resumed), all CPU.
SLOW_CONFIG = {
    "name": "resume-slow",
    "tasks": [{"name": "toy_tabular", "target_improvement_pct": 1000}],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [{"name": "window2", "type": "window", "max_turns": 2},
                         {"name": "full", "type": "full"}],
    "reasoning_modes": ["agentic"],
    "seeds": [1],
    "num_steps": 80,
    "parallel": 1,
}
SLOW_PLANNED = 2

# Episode columns that describe what the episode did (not when or how fast).
EPISODE_COLUMNS = (
    "episode_id, status, metric, baseline_metric, target_metric, best_valid_metric, "
    "improvement_pct, success, final_answer_valid, final_config_json, test_metric, "
    "claimed_metric, iterations, steps, llm_calls, prompt_tokens, completion_tokens, cost_usd, "
    "repeated_configs, invalid_actions, errors_recovered, stop_rule, error")


class Running:
    """`ctxbench ARGS` started in the background; stderr is collected as it comes."""

    def __init__(self, workdir, *args):
        self.proc = subprocess.Popen([harness.BINARY, *args], cwd=workdir,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stdout = []
        self._stdout_reader = threading.Thread(
            target=lambda: self._stdout.append(self.proc.stdout.read()), daemon=True)
        self._stdout_reader.start()

    def _read(self):
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self.lines.append(None)  # end of output
            self._cond.notify_all()

    def wait_for(self, pattern, timeout=120):
        """Blocks until a stderr line matches `pattern`; returns the match."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                while seen < len(self.lines):
                    line = self.lines[seen]
                    seen += 1
                    if line is None:
                        raise AssertionError(f"ctxbench ended before {pattern!r}:\n" +
                                             "".join(l for l in self.lines if l))
                    m = re.search(pattern, line)
                    if m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {pattern!r} within {timeout}s")
                self._cond.wait(left)

    def finish(self, timeout=300):
        # Not communicate(): it would read stderr too, racing the reader thread.
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout)
        self._stdout_reader.join(timeout)
        return self.proc.returncode, "".join(self._stdout), "".join(l for l in self.lines if l)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def episode_rows(run_dir):
    db = sqlite3.connect(os.path.join(run_dir, "results.db"))
    try:
        return db.execute(f"SELECT {EPISODE_COLUMNS} FROM episodes ORDER BY episode_id").fetchall()
    finally:
        db.close()


def wait_for_a_running_episode(out, timeout=120):
    """Blocks until an episode of the run in `out` has written events to its
    trace (past the run.start header and the episode's start) and not its end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for traces in glob.glob(os.path.join(out, "*", "traces")):
            for name in os.listdir(traces):
                with open(os.path.join(traces, name)) as f:
                    lines = f.read().splitlines()
                if len(lines) > 3 and not any('"episode.end"' in l for l in lines):
                    return
        time.sleep(0.02)
    raise AssertionError(f"no episode seen running in {out} within {timeout}s")


def table_counts(run_dir):
    db = sqlite3.connect(os.path.join(run_dir, "results.db"))
    try:
        return {t: db.execute(f"SELECT episode_id, COUNT(*) FROM {t} GROUP BY episode_id "
                              "ORDER BY episode_id").fetchall()
                for t in ("steps", "llm_calls", "experiments", "events")}
    finally:
        db.close()


def trace_events(run_dir):
    """Per trace file, the event names after the run.start header."""
    out = {}
    traces = os.path.join(run_dir, "traces")
    for name in sorted(os.listdir(traces)):
        with open(os.path.join(traces, name)) as f:
            lines = [json.loads(line) for line in f]
        assert lines[0]["event"] == "run.start", name
        out[name] = [line["event"] for line in lines[1:]]
    return out


def comparable_summary(run_dir):
    summary = read_json(os.path.join(run_dir, "summary.json"))
    summary["config"].pop("out_dir")
    return summary


class ResumeTest(harness.E2ETest):
    _reference = None  # the class's uninterrupted run of CONFIG (reference_run)

    @classmethod
    def tearDownClass(cls):
        if cls._reference is not None:
            cls._reference.cleanup()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        for name, config in (("config.json", CONFIG), ("slow.json", SLOW_CONFIG)):
            with open(os.path.join(self.workdir, name), "w") as f:
                json.dump(config, f)

    def reference_run(self):
        """The run folder of CONFIG run without interruption. Made once for
        the class (the sim model makes every run of it the same) and only
        read: a test that changes it works on its own copy."""
        cls = type(self)
        if cls._reference is None:
            folder = tempfile.TemporaryDirectory(prefix="ctxbench-e2e-reference-")
            out = os.path.join(folder.name, "reference")
            r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json", "--out", out)
            if r.code != 0:
                folder.cleanup()
                self.fail("the reference run failed:\n" + r.stderr)
            cls._reference = folder
        out = os.path.join(cls._reference.name, "reference")
        (name,) = os.listdir(out)
        return os.path.join(out, name)

    def start_run(self, config="config.json"):
        out = os.path.join(self.workdir, "interrupted")
        running = Running(self.workdir, "run", "--config", config, "--out", out)
        return running, out

    def assert_same_results(self, run_dir, reference):
        self.assertEqual(comparable_summary(run_dir), comparable_summary(reference))
        self.assertEqual(episode_rows(run_dir), episode_rows(reference))
        self.assertEqual(table_counts(run_dir), table_counts(reference))
        self.assertEqual(trace_events(run_dir), trace_events(reference))
        for name in ("report.md", "report.html", "results.csv"):
            self.assertTrue(os.path.isfile(os.path.join(run_dir, name)), name)

    def resume(self, run_dir):
        r = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir)
        self.assertEqual(r.code, 0, r.stderr)
        return r

    def test_sigint_then_resume_matches_uninterrupted_run(self):
        reference = self.reference_run()
        running, out = self.start_run()
        running.wait_for(r"\[2/%d " % PLANNED)  # two episodes finished
        running.proc.send_signal(signal.SIGINT)
        code, stdout, stderr = running.finish()
        self.assertEqual(code, 130, stderr)
        (name,) = os.listdir(out)
        run_dir = os.path.join(out, name)
        run = read_json(os.path.join(run_dir, "run.json"))
        self.assertEqual(run["status"], "interrupted")
        done = run["episodes_done"]
        self.assertGreaterEqual(done, 2)
        self.assertLess(done, PLANNED)
        self.assertIn(f"interrupted, {done}/{PLANNED} episodes", stdout)
        # The finished episodes are in the store and their traces are whole.
        rows = episode_rows(run_dir)
        complete = [r[0] for r in rows if r[1] == "complete"]
        self.assertEqual(len(complete), done)
        reference_rows = {r[0]: r for r in episode_rows(reference)}
        for row in rows:
            self.assertEqual(row, reference_rows[row[0]])
        events = trace_events(run_dir)
        for eid in complete:
            self.assertEqual(events[eid + ".jsonl"][-1], "episode.end")
        summary = read_json(os.path.join(run_dir, "summary.json"))
        self.assertEqual(summary["status"], "interrupted")
        self.assertEqual(len(summary["episodes"]), done)

        r = self.resume(run_dir)
        self.assertIn(f"skipping {done} of {PLANNED} episodes", r.stderr)
        self.assertIn(f"complete, {PLANNED}/{PLANNED} episodes", r.stdout)
        self.assertEqual(read_json(os.path.join(run_dir, "run.json"))["status"], "complete")
        self.assertEqual(read_json(os.path.join(run_dir, "run.json"))["started_at"],
                         run["started_at"])
        self.assert_same_results(run_dir, reference)

        # Resuming a complete run does nothing and says so.
        again = self.resume(run_dir)
        self.assertIn("already complete", again.stdout)

    def test_second_sigterm_stops_at_once_and_resume_reruns_unfinished(self):
        # The uninterrupted run, meanwhile (a core the interrupted run leaves
        # free): it shares nothing with the others but the config file.
        reference_out = os.path.join(self.workdir, "reference")
        uninterrupted = Running(self.workdir, "run", "--config", "slow.json",
                                "--out", reference_out)
        try:
            run_dir = self.interrupt_twice()
        except BaseException:
            uninterrupted.proc.kill()
            uninterrupted.finish()
            raise
        code, _, stderr = uninterrupted.finish()
        self.assertEqual(code, 0, stderr)
        (name,) = os.listdir(reference_out)
        reference = os.path.join(reference_out, name)
        # Killed mid-episode: nothing wrote the end of the run.
        self.assertEqual(read_json(os.path.join(run_dir, "run.json"))["status"], "running")
        self.assertFalse(os.path.exists(os.path.join(run_dir, "summary.json")))
        # The episode cut short may have written its start (status running)
        # or nothing yet; either way it is not complete.
        statuses = [r[1] for r in episode_rows(run_dir)]
        self.assertGreaterEqual(statuses.count("complete"), 1)
        self.assertLess(statuses.count("complete"), SLOW_PLANNED)

        r = self.resume(run_dir)
        skipped = int(re.search(r"skipping (\d+) of", r.stderr).group(1))
        self.assertEqual(skipped, statuses.count("complete"))
        self.assert_same_results(run_dir, reference)

    def interrupt_twice(self):
        """Runs slow.json and sends SIGTERM twice while an episode runs;
        returns the run folder, once the run said it stopped at once (exit
        130)."""
        # Both signals must land while an episode runs: the first is sent once
        # an episode is seen running (its trace has events and no end), the
        # second once the first was acknowledged. If that episode still ended
        # in between (the test process stalled on a loaded machine), the run
        # ended by itself, and the whole try is made again, up to 3 times.
        tries = []
        for attempt in range(3):
            out = os.path.join(self.workdir, "interrupted-%d" % attempt)
            running = Running(self.workdir, "run", "--config", "slow.json", "--out", out)
            running.wait_for(r"\[1/%d " % SLOW_PLANNED)
            wait_for_a_running_episode(out)
            running.proc.send_signal(signal.SIGTERM)
            running.wait_for(r"stopping after the running episodes")
            running.proc.send_signal(signal.SIGTERM)
            code, _, stderr = running.finish()
            if "stopped at once" in stderr:
                break
            print("try %d: the run ended before the second SIGTERM; trying again" % (attempt + 1))
            tries.append(stderr)
        else:
            self.fail("the run ended before the second SIGTERM in 3 tries:\n" +
                      "\n---\n".join(tries))
        self.assertEqual(code, 130, stderr)
        (name,) = os.listdir(out)
        return os.path.join(out, name)

    def test_bad_resume_input_is_refused_naming_the_path(self):
        missing = os.path.join(self.workdir, "no-such-run")
        r = harness.run_ctxbench(self.workdir, "run", "--resume", missing)
        self.assertEqual(r.code, 2)
        self.assertIn(missing, r.stderr)
        self.assertIn("no such run folder", r.stderr)

        not_a_run = os.path.join(self.workdir, "plain")
        os.mkdir(not_a_run)
        r = harness.run_ctxbench(self.workdir, "run", "--resume", not_a_run)
        self.assertEqual(r.code, 2)
        self.assertIn(not_a_run, r.stderr)
        self.assertIn("not a run folder", r.stderr)

        reference = os.path.join(self.workdir, "reference")  # a copy: changed below
        shutil.copytree(self.reference_run(), reference)
        r = harness.run_ctxbench(self.workdir, "run", "--resume", reference, "--seeds", "1")
        self.assertEqual(r.code, 2)
        self.assertIn("--seeds", r.stderr)

        db = sqlite3.connect(os.path.join(reference, "results.db"))
        db.execute("PRAGMA user_version = 99")
        db.commit()
        db.close()
        run_json = os.path.join(reference, "run.json")
        run = read_json(run_json)
        run["status"] = "interrupted"
        with open(run_json, "w") as f:
            json.dump(run, f)
        r = harness.run_ctxbench(self.workdir, "run", "--resume", reference)
        self.assertEqual(r.code, 1)
        self.assertIn(os.path.join(reference, "results.db"), r.stderr)
        self.assertIn("schema version 99", r.stderr)


if __name__ == "__main__":
    harness.main()
