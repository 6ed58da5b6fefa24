"""`ctxbench slurm` on a real single-node Slurm cluster (Debian's slurm-wlm +
munge, started by scripts/slurm-cluster.sh, no systemd): a 4-shard job array
plus the dependent merge job give the same summary.json as a local run.

Skips, saying why, only where this machine cannot host the cluster (not
root, packages not installable: the script's exit code 77)."""

import glob
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import unittest

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = os.path.join(ROOT, "scripts", "slurm-cluster.sh")

CONFIG = harness.small_sim_grid("slurm", parallel=1)
SHARDS = 4


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env.update(extra)
    return env


class SlurmTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        started = time.monotonic()
        up = subprocess.run(["bash", CLUSTER, "up"], capture_output=True, text=True, timeout=300)
        if up.returncode == 77:
            raise unittest.SkipTest("no Slurm here: " + up.stderr.strip().splitlines()[-1])
        if up.returncode != 0:  # the script stopped what it had started
            raise AssertionError("scripts/slurm-cluster.sh up failed:\n" + up.stderr)
        cluster = up.stdout.strip().splitlines()[-1]
        # Always stop the daemons, even when a later step of the set-up fails.
        cls.addClassCleanup(subprocess.run, ["rm", "-rf", cluster])
        cls.addClassCleanup(subprocess.run, ["bash", CLUSTER, "down", cluster], timeout=120)
        cls.slurm_conf = os.path.join(cluster, "etc", "slurm.conf")
        print(f"cluster up in {time.monotonic() - started:.1f} s: {cluster}", flush=True)

    def setUp(self):
        # Slurm's daemons and jobs need every parent of their folders searchable.
        self.tmp = tempfile.mkdtemp(prefix="ctxslurm-e2e-", dir="/tmp")
        os.chmod(self.tmp, 0o755)

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.tmp])

    def make_work(self):
        work = os.path.join(self.tmp, "work")
        os.makedirs(work)
        os.chmod(work, 0o755)
        with open(os.path.join(work, "config.json"), "w") as f:
            json.dump(CONFIG, f)
        return work

    def test_array_of_shards_and_merge_job_equal_a_local_run(self):
        slurm_conf = self.slurm_conf
        work = self.make_work()

        jobs = os.path.join(work, "jobs")
        gen = subprocess.run([harness.BINARY, "slurm", "config.json", "--shards", str(SHARDS),
                              "--dir", jobs, "--time", "00:10:00", "--cpus-per-task", "1"],
                             cwd=work, env=clean_env(), capture_output=True, text=True,
                             timeout=60)
        self.assertEqual(gen.returncode, 0, gen.stderr)
        self.assertIn("submit.sh", gen.stdout)
        with open(os.path.join(jobs, "array.sbatch")) as f:
            self.assertIn(f"#SBATCH --array=0-{SHARDS - 1}", f.read())

        # The local run overlaps the cluster's work: its folder (<UTC>-slurm)
        # is not one the merge job reads (*-slurm-slurm-<array id>-shard-*).
        started = time.monotonic()
        local = subprocess.Popen([harness.BINARY, "run", "--quiet"], cwd=work, env=clean_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Slurm forgets a finished job MinJobAge (5) s after it ends: watch
        # squeue while the jobs run (and once after) and keep the last state
        # seen of each.
        seen = {}
        done = threading.Event()

        def watch():
            while True:
                last = done.is_set()
                listed = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i %j %T %u"],
                                        env=clean_env(SLURM_CONF=slurm_conf),
                                        capture_output=True, text=True, timeout=30).stdout
                for line in listed.splitlines():
                    job, _, state, user = line.split()
                    seen[job] = (state, user)
                if last:
                    return
                done.wait(0.5)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            submit = subprocess.run(["bash", os.path.join(jobs, "submit.sh"), "--wait"],
                                    cwd=work, env=clean_env(SLURM_CONF=slurm_conf),
                                    capture_output=True, text=True, timeout=240)
        finally:
            done.set()
            watcher.join()
        logs = ""
        for log in sorted(glob.glob(os.path.join(jobs, "logs", "*.out"))):
            with open(log) as f:
                logs += f"--- {log}\n{f.read()}"
        self.assertEqual(submit.returncode, 0,
                         f"submit.sh --wait failed:\n{submit.stdout}{submit.stderr}\n{logs}")
        print(f"array + merge done in {time.monotonic() - started:.1f} s", flush=True)
        local_err = local.communicate(timeout=300)[1]
        self.assertEqual(local.returncode, 0, local_err)
        print(f"local run done in {time.monotonic() - started:.1f} s", flush=True)
        (local_run,) = glob.glob(os.path.join(work, "runs", "*-slurm"))
        array_id = submit.stdout.split("array job ", 1)[1].split(":", 1)[0]

        shards = glob.glob(os.path.join(work, "runs", f"*-slurm-slurm-{array_id}-shard-*-of-{SHARDS}"))
        self.assertEqual(len(shards), SHARDS, os.listdir(os.path.join(work, "runs")))
        (merged,) = glob.glob(os.path.join(work, "runs", f"*-slurm-slurm-{array_id}"))
        with open(os.path.join(merged, "summary.json"), "rb") as a, \
                open(os.path.join(local_run, "summary.json"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        with open(os.path.join(merged, "run.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["status"], "complete")
        self.assertEqual(sorted(s["shard"]["index"] for s in meta["merged_from"]),
                         list(range(SHARDS)))
        self.assertTrue(os.path.isfile(os.path.join(merged, "report.html")))

        # Both jobs ran through the cluster: Slurm listed every array task and
        # the merge job as completed, run as root.
        merge_id = re.search(r"merge job (\d+): COMPLETED", submit.stdout).group(1)
        ours = [f"{array_id}_{i}" for i in range(SHARDS)] + [merge_id]
        self.assertEqual([seen.get(job) for job in ours], [("COMPLETED", "root")] * (SHARDS + 1),
                         seen)

    def test_a_failed_shard_cancels_the_merge_job(self):
        slurm_conf = self.slurm_conf
        work = self.make_work()
        # A ctxbench whose array task 2 fails; the other tasks succeed without running.
        wrapper = os.path.join(work, "flaky-ctxbench")
        with open(wrapper, "w") as f:
            f.write('#!/bin/bash\n[ "${SLURM_ARRAY_TASK_ID:-}" != 2 ]\n')
        os.chmod(wrapper, 0o755)
        jobs = os.path.join(work, "jobs")
        gen = subprocess.run([harness.BINARY, "slurm", "config.json", "--shards", str(SHARDS),
                              "--dir", jobs, "--ctxbench", wrapper], cwd=work, env=clean_env(),
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(gen.returncode, 0, gen.stderr)
        started = time.monotonic()
        submit = subprocess.run(["bash", os.path.join(jobs, "submit.sh"), "--wait"], cwd=work,
                                env=clean_env(SLURM_CONF=slurm_conf), capture_output=True,
                                text=True, timeout=240)
        print(f"merge job cancelled after {time.monotonic() - started:.1f} s", flush=True)
        # kill_invalid_depend: the merge job is cancelled instead of pending for ever.
        self.assertNotEqual(submit.returncode, 0, submit.stdout)
        self.assertIn(": CANCELLED", submit.stdout)
        self.assertFalse(os.path.exists(os.path.join(work, "runs")))  # no merged run


if __name__ == "__main__":
    harness.main()
