"""Sharded runs and `ctxbench merge`: a grid run as 3 shards and merged equals
the same grid run in one go (summary.json byte for byte), and merge refuses
missing, duplicated and mismatched shards with one clear line (exit 2)."""

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

import harness

CONFIG = harness.small_sim_grid("shard", parallel=2)
PLANNED = 2 * 2 * 2
SHARDS = 3


def run(workdir, *args, env=None):
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("SLURM_", "JOB_COMPLETION_INDEX"))}
    full_env.update(env or {})
    return subprocess.run([harness.BINARY, *args], cwd=workdir, capture_output=True, text=True,
                          timeout=300, env=full_env)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class ShardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="ctxbench-shard-")
        cls.dir = cls.tmp.name
        with open(os.path.join(cls.dir, "config.json"), "w") as f:
            json.dump(CONFIG, f)
        # The same out_dir for all: it is part of the config summary.json records.
        whole = run(cls.dir, "run", "--quiet")
        assert whole.returncode == 0, whole.stderr
        (cls.whole,) = glob.glob(os.path.join(cls.dir, "runs", "*-shard"))
        cls.shards = []
        for i in range(SHARDS):
            r = run(cls.dir, "run", "--quiet", "--shard", f"{i}/{SHARDS}")
            assert r.returncode == 0, r.stderr
            (d,) = glob.glob(os.path.join(cls.dir, "runs", f"*-shard-shard-{i}-of-{SHARDS}"))
            cls.shards.append(d)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def merge(self, out, *dirs):
        return run(self.dir, "merge", os.path.join(self.dir, out), *dirs)

    def test_each_shard_records_its_part_of_the_plan(self):
        sizes = []
        for i, d in enumerate(self.shards):
            meta = json.loads(read(os.path.join(d, "run.json")))
            self.assertEqual(meta["shard"], {"index": i, "count": SHARDS, "plan_size": PLANNED})
            self.assertEqual(meta["status"], "complete")
            summary = json.loads(read(os.path.join(d, "summary.json")))
            ids = [e["episode_id"] for e in summary["episodes"]]
            self.assertEqual(meta["episodes_planned"], len(ids))
            sizes.append(len(ids))
        self.assertEqual(sum(sizes), PLANNED)
        self.assertLessEqual(max(sizes) - min(sizes), 1)

    def test_merged_run_equals_the_unsharded_run(self):
        r = self.merge("merged", *self.shards)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = os.path.join(self.dir, "merged")
        self.assertIn(f"Merged {SHARDS} shards ({PLANNED} episodes)", r.stdout)
        self.assertEqual(read(os.path.join(out, "summary.json")),
                         read(os.path.join(self.whole, "summary.json")))
        meta = json.loads(read(os.path.join(out, "run.json")))
        self.assertEqual(meta["status"], "complete")
        self.assertEqual(meta["run_id"], "merged")
        self.assertEqual(meta["episodes_done"], PLANNED)
        self.assertEqual(len(meta["merged_from"]), SHARDS)
        self.assertEqual(sorted(os.listdir(os.path.join(out, "traces"))),
                         sorted(os.listdir(os.path.join(self.whole, "traces"))))
        for name in ("report.html", "report.md", "results.csv"):
            self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
        # The store holds every episode's rows, as the unsharded store does.
        tables = ("episodes", "steps", "llm_calls", "experiments", "events")
        with sqlite3.connect(os.path.join(out, "results.db")) as merged, \
                sqlite3.connect(os.path.join(self.whole, "results.db")) as whole:
            for table in tables:
                self.assertEqual(merged.execute(f"SELECT count(*) FROM {table}").fetchone(),
                                 whole.execute(f"SELECT count(*) FROM {table}").fetchone(), table)
            self.assertEqual(merged.execute("SELECT DISTINCT run_id FROM episodes").fetchall(),
                             [("merged",)])
            columns = "episode_id, status, best_valid_metric, test_metric, steps, stop_rule"
            query = f"SELECT {columns} FROM episodes ORDER BY episode_id"
            self.assertEqual(merged.execute(query).fetchall(), whole.execute(query).fetchall())
        # The merged folder is a normal run folder: `ctxbench report` reads it.
        again = run(self.dir, "report", out)
        self.assertEqual(again.returncode, 0, again.stderr)

    def test_a_missing_shard_is_named(self):
        r = self.merge("missing", self.shards[0], self.shards[2])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("episodes of the plan are in no shard", r.stderr)
        self.assertIn("shards not given: 1/3", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "missing")))

    def test_a_duplicated_shard_is_named(self):
        r = self.merge("dup", *self.shards, self.shards[1])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("in more than one shard", r.stderr)
        self.assertIn("(shard 1/3)", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "dup")))

    def test_shards_of_another_config_are_refused(self):
        other = dict(CONFIG, seeds=[1, 3])
        with tempfile.TemporaryDirectory(prefix="ctxbench-shard-other-") as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(other, f)
            r = run(d, "run", "--quiet", "--shard", "1/3")
            self.assertEqual(r.returncode, 0, r.stderr)
            (odd,) = glob.glob(os.path.join(d, "runs", "*-shard-1-of-3"))
            m = self.merge("mixed", self.shards[0], odd, self.shards[2])
        self.assertEqual(m.returncode, 2, m.stderr)
        self.assertIn("ran another config", m.stderr)
        self.assertIn("seeds", m.stderr)

    def test_an_unsharded_folder_is_not_a_shard(self):
        r = self.merge("plain", self.whole)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("not a shard", r.stderr)

    def test_slurm_array_environment_applies_only_when_asked(self):
        env = {"SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5",
               "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_JOB_ID": "55"}
        with tempfile.TemporaryDirectory(prefix="ctxbench-shard-env-") as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(CONFIG, f)
            plain = run(d, "run", "--quiet", "--out", "plain", env=env)
            self.assertEqual(plain.returncode, 0, plain.stderr)
            (full,) = glob.glob(os.path.join(d, "plain", "*"))
            meta = json.loads(read(os.path.join(full, "run.json")))
            self.assertNotIn("shard", meta)
            self.assertEqual(meta["episodes_planned"], PLANNED)

            auto = run(d, "run", "--quiet", "--out", "auto", "--shards", "auto", env=env)
            self.assertEqual(auto.returncode, 0, auto.stderr)
            (part,) = glob.glob(os.path.join(d, "auto", "*-shard-slurm-55-shard-1-of-3"))
            meta = json.loads(read(os.path.join(part, "run.json")))
            self.assertEqual(meta["shard"]["index"], 1)
            self.assertEqual(meta["shard"]["group"], "slurm-55")
            # The same episodes as `--shard 1/3`.
            self.assertEqual(
                [e["episode_id"] for e in json.loads(read(os.path.join(part, "summary.json")))["episodes"]],
                [e["episode_id"] for e in json.loads(read(os.path.join(self.shards[1], "summary.json")))["episodes"]])

    def test_a_resumed_shard_stays_a_shard(self):
        with tempfile.TemporaryDirectory(prefix="ctxbench-shard-resume-") as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(CONFIG, f)
            r = run(d, "run", "--quiet", "--shard", "2/3")
            self.assertEqual(r.returncode, 0, r.stderr)
            (part,) = glob.glob(os.path.join(d, "runs", "*-shard-2-of-3"))
            before = read(os.path.join(part, "summary.json"))
            # Make it look cut short: one episode unfinished, the run interrupted.
            first = json.loads(before)["episodes"][0]["episode_id"]
            with sqlite3.connect(os.path.join(part, "results.db")) as db:
                for table in ("episodes", "steps", "llm_calls", "experiments", "events"):
                    db.execute(f"DELETE FROM {table} WHERE episode_id = ?", (first,))
            meta = json.loads(read(os.path.join(part, "run.json")))
            meta["status"] = "interrupted"
            with open(os.path.join(part, "run.json"), "w") as f:
                json.dump(meta, f)
            resumed = run(d, "run", "--resume", part)
            self.assertEqual(resumed.returncode, 0, resumed.stderr)
            self.assertIn("skipping 1 of 2 episodes", resumed.stderr)
            self.assertEqual(read(os.path.join(part, "summary.json")), before)
            meta = json.loads(read(os.path.join(part, "run.json")))
            self.assertEqual(meta["shard"], {"index": 2, "count": SHARDS, "plan_size": PLANNED})
            self.assertEqual(len(os.listdir(os.path.join(d, "runs"))), 1)

    def test_slurm_writes_job_scripts_and_refuses_empty_shards(self):
        with tempfile.TemporaryDirectory(prefix="ctxbench-shard-slurm-") as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump(CONFIG, f)
            too_many = run(d, "slurm", "config.json", "--shards", str(PLANNED + 1))
            self.assertEqual(too_many.returncode, 2, too_many.stderr)
            self.assertIn("would leave shards empty", too_many.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "slurm")))
            r = run(d, "slurm", "config.json", "--shards", "2", "--dir", "jobs")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("jobs/submit.sh", r.stdout)
            for name in ("array.sbatch", "merge.sbatch", "submit.sh"):
                path = os.path.join(d, "jobs", name)
                self.assertTrue(os.access(path, os.X_OK), name)
                self.assertEqual(subprocess.run(["bash", "-n", path]).returncode, 0, name)
            again = run(d, "slurm", "config.json", "--shards", "2", "--dir", "jobs")
            self.assertEqual(again.returncode, 2, again.stderr)
            self.assertIn("already holds job scripts", again.stderr)

    def test_bad_shard_flags_are_usage_errors(self):
        for args in (["--shard", "3/3"], ["--shard", "1-3"], ["--shards", "3"],
                     ["--shards", "auto"], ["--shard", "0/3", "--shards", "3"]):
            r = run(self.dir, "run", "--quiet", "--out", "bad", *args)
            self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
            self.assertIn("shard", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "bad")))


if __name__ == "__main__":
    harness.main()
