"""kill -9 at random points of a run, then `ctxbench run --resume`: the
resumed run ends with the same results as a run that was never killed.

The store commits events in groups (docs/store.md, "Durability"); a SIGKILL
loses the open group, which only holds events of unfinished episodes, and
resume reruns those whole. The kill points are drawn from a seeded random
generator (printed; set CTXBENCH_CRASH_SEED to repeat one)."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import time

import harness
from test_resume import comparable_summary, episode_rows, read_json, table_counts, trace_events

# Two episodes in flight, so one group of events holds several episodes'.
CONFIG = dict(harness.SMALL_CONFIG, name="crash", seeds=[1, 2, 3], num_steps=6, parallel=2)
TRIALS = 4
MAX_TRIALS = 12  # more while no kill has landed mid-run (the run's speed varies with load)


def run_folder(out):
    names = os.listdir(out) if os.path.isdir(out) else []
    return os.path.join(out, names[0]) if names else None


class CrashResumeTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(CONFIG, f)

    def start(self, *args):
        return subprocess.Popen([harness.BINARY, *args], cwd=self.workdir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill_after(self, proc, run_json, delay):
        """Waits for `run_json` (the run has begun), then `delay` s more, then SIGKILL."""
        deadline = time.monotonic() + 120
        while not os.path.exists(run_json) and proc.poll() is None:
            self.assertLess(time.monotonic(), deadline, "no run.json within 120 s")
            time.sleep(0.005)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=300)

    def test_kill9_at_random_points_then_resume_matches_uninterrupted_run(self):
        seed = int(os.environ.get("CTXBENCH_CRASH_SEED", time.time_ns() % 1_000_000))
        print(f"CTXBENCH_CRASH_SEED={seed}")
        rng = random.Random(seed)
        out = os.path.join(self.workdir, "reference")
        start = time.monotonic()
        self.run_ok("run", "--config", "config.json", "--out", out)
        span = time.monotonic() - start
        reference = run_folder(out)

        killed_mid_run = 0
        late = 1.0  # shrinks after each kill that came after the run had ended
        for trial in range(MAX_TRIALS):
            if trial >= TRIALS and killed_mid_run > 0:
                break
            out = os.path.join(self.workdir, f"killed{trial}")
            proc = self.start("run", "--config", "config.json", "--out", out)
            # run.json appears once the run folder is set up; wait for the
            # folder first, since its name is the run id.
            deadline = time.monotonic() + 120
            while run_folder(out) is None and proc.poll() is None:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.005)
            run_dir = run_folder(out)
            self.assertIsNotNone(run_dir, "the run ended before making its folder")
            delay = rng.uniform(0, 0.6 * span) * late
            self.kill_after(proc, os.path.join(run_dir, "run.json"), delay)
            if not os.path.exists(os.path.join(run_dir, "run.json")):
                continue  # killed before the run began: nothing to resume
            status = read_json(os.path.join(run_dir, "run.json"))["status"]
            if status != "running":
                late /= 2
            if status == "running":
                killed_mid_run += 1
                # The database is whole after the kill.
                db = sqlite3.connect(os.path.join(run_dir, "results.db"))
                try:
                    self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                finally:
                    db.close()
                if trial % 2 == 1:
                    # Kill the resume too, at a random point, before resuming again.
                    proc = self.start("run", "--resume", run_dir)
                    self.kill_after(proc, os.path.join(run_dir, "run.json"),
                                    rng.uniform(0, 0.5 * span))
                if read_json(os.path.join(run_dir, "run.json"))["status"] == "running":
                    r = harness.run_ctxbench(self.workdir, "run", "--resume", run_dir)
                    self.assertEqual(r.code, 0, f"seed {seed}, trial {trial}:\n{r.stderr}")
            with self.subTest(trial=trial, delay=round(delay, 3), seed=seed):
                self.assertEqual(comparable_summary(run_dir), comparable_summary(reference))
                self.assertEqual(episode_rows(run_dir), episode_rows(reference))
                self.assertEqual(table_counts(run_dir), table_counts(reference))
                self.assertEqual(trace_events(run_dir), trace_events(reference))
        self.assertGreater(killed_mid_run, 0, f"seed {seed}: no kill landed mid-run")


if __name__ == "__main__":
    harness.main()
