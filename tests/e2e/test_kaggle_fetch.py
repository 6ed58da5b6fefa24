"""`ctxbench data fetch` against a local Kaggle-protocol server (kaggle_server.py,
127.0.0.1 only) with small synthetic NOMAD-shaped archives made here: fetch
nomad end to end -> prepare -> `ctxbench run` (nomad, and nomad_kaggle scored
with Kaggle's mean column-wise RMSLE over both targets); `data prepare nomad
--test-labels` scoring the hidden test on the labelled test set; credentials
from the environment, .env and kaggle.json (a readable one refused); one-line
errors for 401, 403 (rules URL), 404, connection refused, a truncated transfer,
a corrupt archive, a zip-slip entry and a zip bomb over --max-unpacked-gb;
`--list` (the competition's file list, both answer shapes); `--file NAME` (one
data file: plain, zipped by Kaggle, a .zip kept, in a folder; 404, the cap and
unsafe names); Ctrl-C leaving nothing half-written;
and the key in no output or file."""

import io
import json
import os
import random
import signal
import socket
import subprocess
import time
import unittest
import zipfile

import harness
from kaggle_server import KaggleServer

USER = "e2e-user"
KEY = "e2e0123456789abcdefKEY"
NOMAD = "nomad2018-predict-transparent-conductors"
FEATURES = ["spacegroup", "number_of_total_atoms", "percent_atom_al", "percent_atom_ga",
            "percent_atom_in", "lattice_vector_1_ang", "lattice_vector_2_ang",
            "lattice_vector_3_ang", "lattice_angle_alpha_degree", "lattice_angle_beta_degree",
            "lattice_angle_gamma_degree"]
TARGETS = ["formation_energy_ev_natom", "bandgap_energy_ev"]


# The file list Kaggle gives for NOMAD 2018 (names; sizes made up here).
NOMAD_FILES = [("sample_submission.csv", 6900), ("test.csv.zip", 27000),
               ("train.csv.zip", 95000), ("test.zip", 3900000), ("train.zip", 20000000)]


def nomad_rows(rng, n, first_id):
    rows = []
    for i in range(n):
        al, ga, inn = rng.random(), rng.random(), rng.random()
        t = al + ga + inn
        al, ga, inn = al / t, ga / t, inn / t
        feats = [rng.choice([12, 33, 167, 194, 206, 227]), rng.choice([10, 20, 30, 40, 80]),
                 al, ga, inn, 5 + 20 * rng.random(), 5 + 10 * rng.random(),
                 5 + 15 * rng.random(), 90 + rng.random(), 90 + 15 * rng.random(),
                 90 + 30 * rng.random()]
        targets = [0.2 * rng.random(), 2.0 + 3.0 * al - 2.0 * inn + 0.05 * rng.gauss(0, 1)]
        rows.append((first_id + i, feats, targets))
    return rows


def csv_text(header, rows):
    def cell(v):
        return f"{v:.6g}" if isinstance(v, float) else str(v)
    return "\n".join([",".join(header)] + [",".join(cell(v) for v in r) for r in rows]) + "\n"


def nomad_archive(train_n=160, test_n=40):
    """A NOMAD-shaped download-all archive: train.csv and test.csv each zipped
    inside it (as Kaggle packs them) beside a plain sample_submission.csv.
    Returns (archive bytes, test rows)."""
    rng = random.Random(18)
    train = nomad_rows(rng, train_n, 1)
    test = nomad_rows(rng, test_n, 1)
    files = {
        "train.csv": csv_text(["id"] + FEATURES + TARGETS, [[i] + f + t for i, f, t in train]),
        "test.csv": csv_text(["id"] + FEATURES, [[i] + f for i, f, _ in test]),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as iz:
                iz.writestr(name, text)
            z.writestr(name + ".zip", inner.getvalue())
        z.writestr("sample_submission.csv",
                   csv_text(["id"] + TARGETS, [[i, 0.1, 1.0] for i, _, _ in test]))
    return out.getvalue(), test


def plain_archive(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in entries.items():
            z.writestr(name, text)
    return out.getvalue()


def deflated_archive(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def run_config(name, tasks, data_dir):
    return {"name": name, "tasks": tasks, "models": [{"name": "sim", "kind": "sim"}],
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 3, "parallel": 1,
            "data_dir": data_dir}


class KaggleFetchTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.archive, self.test_rows = nomad_archive()
        big = os.urandom(400000)
        self.server = KaggleServer(USER, KEY, {
            NOMAD: ("zip", self.archive),
            "plain-comp": ("zip", plain_archive({"a.csv": "x\n1\n", "sub/b.txt": "hi\n"})),
            "needs-rules": "rules",
            "cut-off": ("truncated", big),
            "corrupt": ("zip", self.archive[:len(self.archive) // 2]),
            "slip": ("zip", plain_archive({"ok.csv": "1\n", "../escaped.csv": "pwned\n"})),
            "slow": ("slow", big),
            # 8 MiB of zeros that deflate to a few kB (a small zip bomb).
            "bomb": ("zip", deflated_archive({"zeros.csv": b"0" * (8 << 20)})),
        }, file_lists={NOMAD: NOMAD_FILES}, data_files={"plain-comp": {
            "a.csv": b"x\n1\n",
            # Kaggle sends a large CSV zipped, under the CSV's name.
            "train.csv": deflated_archive({"train.csv": b"id,y\n" + b"1,2\n" * 1000}),
            "kept.zip": plain_archive({"inner.csv": "1\n"}),
            "sub/b c.txt": b"hi\n",
            "big.csv": b"9" * 4000,
        }})
        self.outputs = []  # every command's stdout+stderr, checked for the key
        self.env = dict(os.environ)
        for k in ["KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"]:
            self.env.pop(k, None)
        self.env["HOME"] = os.path.join(self.workdir, "home")  # no real kaggle.json
        self.env["KAGGLE_API_BASE"] = self.server.base
        os.makedirs(self.env["HOME"])

    def tearDown(self):
        self.server.close()
        for out in self.outputs:
            self.assertNotIn(KEY, out)
        for root, _, files in os.walk(self.workdir):
            for name in files:
                path = os.path.join(root, name)
                if path.endswith("kaggle.json") or name == ".env":
                    continue  # where the user put the key
                with open(path, "rb") as f:
                    self.assertNotIn(KEY.encode(), f.read(), path)
        super().tearDown()

    def ctxbench(self, *args, env=None, config=None):
        if config is not None:
            with open(os.path.join(self.workdir, "config.json"), "w") as f:
                json.dump(config, f)
        p = subprocess.run([harness.BINARY, *args], cwd=self.workdir, capture_output=True,
                           text=True, timeout=300, env=env or self.env)
        self.outputs.append(p.stdout + p.stderr)
        return p

    def with_env_key(self):
        env = dict(self.env)
        env["KAGGLE_USERNAME"], env["KAGGLE_KEY"] = USER, KEY
        return env

    def fails(self, args, code, *needles, env=None):
        p = self.ctxbench(*args, env=env or self.with_env_key())
        self.assertEqual(p.returncode, code, p.stderr)
        # One line: the error (after any progress lines of the download).
        errors = [l for l in p.stderr.splitlines() if l.startswith("ctxbench:")]
        self.assertEqual(len(errors), 1, p.stderr)
        self.assertEqual(p.stderr.rstrip("\n").splitlines()[-1], errors[0])
        for n in needles:
            self.assertIn(n, errors[0])
        return errors[0]

    def outcome(self, run_root):
        (run,) = os.listdir(run_root)
        with open(os.path.join(run_root, run, "summary.json")) as f:
            summary = json.load(f)
        self.assertEqual(summary["status"], "complete")
        self.assertEqual(summary["episodes_errors"], 0)
        (ep,) = summary["episodes"]
        out = ep["outcome"]
        # The hidden test's score: of the final answer, else of the baseline.
        out["test"] = out["test_metric"] if out["test_metric"] is not None \
            else out["baseline_test_metric"]
        self.assertIsNotNone(out["test"], out)
        return out

    def test_fetch_nomad_prepare_and_run_then_test_labels(self):
        data = os.path.join(self.workdir, "data")
        p = self.ctxbench("data", "fetch", "nomad", "--to", data, env=self.with_env_key())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("prepared nomad: 160 train rows, 40 test rows", p.stdout)
        self.assertIn(f"{NOMAD}.zip: downloaded", p.stderr)  # the progress line (a pipe)
        raw = os.path.join(data, "nomad", "raw")
        self.assertEqual(sorted(os.listdir(raw)),
                         ["sample_submission.csv", "test.csv", "train.csv"])
        paths = [path for path, _ in self.server.requests]
        self.assertEqual(paths, [f"/api/v1/competitions/data/download-all/{NOMAD}",
                                 f"/storage/{NOMAD}.zip"])
        with open(os.path.join(data, "nomad", "prepared.json")) as f:
            self.assertIsNone(json.load(f)["test_labels"])

        p = self.ctxbench("run", "--config", "config.json", "--out", "runs-held-out",
                          config=run_config("nomad", ["nomad"], data))
        self.assertEqual(p.returncode, 0, p.stderr)
        held_out = self.outcome(os.path.join(self.workdir, "runs-held-out"))
        self.assertLess(held_out["test"], 5)  # band gaps of 0..5 eV, MAE
        # nomad_kaggle: both targets, Kaggle's mean column-wise RMSLE.
        p = self.ctxbench("run", "--config", "config.json", "--out", "runs-kaggle-held-out",
                          config=run_config("nomad-kaggle", ["nomad_kaggle"], data))
        self.assertEqual(p.returncode, 0, p.stderr)
        kaggle_held_out = self.outcome(os.path.join(self.workdir, "runs-kaggle-held-out"))
        self.assertLess(kaggle_held_out["test"], 1)

        # The organisers' labels: far from every train value, so a test MAE
        # near 100 shows the hidden test was scored on them.
        labels = os.path.join(self.workdir, "test_labels.csv")
        with open(labels, "w") as f:
            f.write(csv_text(["id", "formation_energy_ev_natom", "bandgap_energy_ev"],
                             [[i, 0.1, 100.0] for i, _, _ in self.test_rows]))
        p = self.ctxbench("data", "prepare", "nomad", "--raw", raw, "--out", data,
                          "--test-labels", labels)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("40 labelled", p.stdout)
        p = self.ctxbench("run", "--config", "config.json", "--out", "runs-labelled",
                          config=run_config("nomad", ["nomad"], data))
        self.assertEqual(p.returncode, 0, p.stderr)
        labelled = self.outcome(os.path.join(self.workdir, "runs-labelled"))
        self.assertGreater(labelled["test"], 90)
        self.assertLess(labelled["baseline_metric"], 5)  # validation stays on train.csv rows
        # nomad_kaggle on the labelled test: band gaps of 100 eV give an RMSLE
        # near ln(101) - ln(3) = 3.5 for that target, so a mean above 1.5.
        p = self.ctxbench("run", "--config", "config.json", "--out", "runs-kaggle-labelled",
                          config=run_config("nomad-kaggle", ["nomad_kaggle"], data))
        self.assertEqual(p.returncode, 0, p.stderr)
        kaggle_labelled = self.outcome(os.path.join(self.workdir, "runs-kaggle-labelled"))
        self.assertGreater(kaggle_labelled["test"], 1.5)
        self.assertLess(kaggle_labelled["baseline_metric"], 1)

        # Labels of the band gap alone do for nomad but not for nomad_kaggle,
        # which refuses to start, naming the targets.
        with open(labels, "w") as f:
            f.write(csv_text(["id", "bandgap_energy_ev"],
                             [[i, 1.0] for i, _, _ in self.test_rows]))
        p = self.ctxbench("data", "prepare", "nomad", "--raw", raw, "--out", data,
                          "--test-labels", labels)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.ctxbench("run", "--config", "config.json", "--out", "runs-kaggle-no-labels",
                          config=run_config("nomad-kaggle", ["nomad_kaggle"], data))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("formation_energy_ev_natom", p.stderr)
        self.assertIn("labels for every target of task nomad_kaggle", p.stderr)

        # A labels file that misses a test id is refused, naming it.
        with open(labels, "w") as f:
            f.write(csv_text(["id", "bandgap_energy_ev"],
                             [[i, 1.0] for i, _, _ in self.test_rows[1:]]))
        p = self.ctxbench("data", "prepare", "nomad", "--raw", raw, "--out", data,
                          "--test-labels", labels)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"no label for test.csv id {self.test_rows[0][0]}", p.stderr)

    def test_kaggle_competition_to_folder_with_dotenv_credentials(self):
        with open(os.path.join(self.workdir, ".env"), "w") as f:
            f.write(f"KAGGLE_USERNAME={USER}\nKAGGLE_KEY='{KEY}'\n")
        out = os.path.join(self.workdir, "plain")
        p = self.ctxbench("data", "fetch", "kaggle:plain-comp", "--to", out, "--quiet")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")  # --quiet: no progress
        self.assertIn("2 files", p.stdout)
        with open(os.path.join(out, "sub", "b.txt")) as f:
            self.assertEqual(f.read(), "hi\n")
        self.assertEqual(sorted(os.listdir(out)), ["a.csv", "sub"])  # the zip is gone

    def test_kaggle_json_is_read_and_a_readable_one_refused(self):
        conf = os.path.join(self.workdir, "kconf")
        os.makedirs(conf)
        token = os.path.join(conf, "kaggle.json")
        with open(token, "w") as f:
            json.dump({"username": USER, "key": KEY}, f)
        env = dict(self.env, KAGGLE_CONFIG_DIR=conf)
        os.chmod(token, 0o644)
        line = self.fails(["data", "fetch", "kaggle:plain-comp", "--to", "x"], 2,
                          f"chmod 600 {token}", env=env)
        self.assertIn("readable by other users", line)
        self.assertEqual(self.server.requests, [])  # refused before any request
        os.chmod(token, 0o600)
        p = self.ctxbench("data", "fetch", "kaggle:plain-comp", "--to", "x", env=env)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_no_credentials_says_where_to_put_them(self):
        self.fails(["data", "fetch", "nomad", "--to", "d"], 2,
                   os.path.join(self.env["HOME"], ".kaggle", "kaggle.json"), "KAGGLE_USERNAME",
                   env=self.env)

    def test_status_codes_are_one_line_errors(self):
        bad = dict(self.with_env_key(), KAGGLE_KEY="wrong-key")
        self.fails(["data", "fetch", "nomad", "--to", "d"], 2, "HTTP 401", "check the username",
                   env=bad)
        self.fails(["data", "fetch", "kaggle:needs-rules", "--to", "d"], 2, "HTTP 403",
                   "accept its rules at https://www.kaggle.com/c/needs-rules/rules")
        self.fails(["data", "fetch", "kaggle:no-such-thing", "--to", "d"], 2, "HTTP 404",
                   "kaggle:no-such-thing")
        self.fails(["data", "fetch", "kaggle:../x", "--to", "d"], 2, "not a competition name")
        d = os.path.join(self.workdir, "d")
        self.assertEqual([n for _, _, fs in os.walk(d) for n in fs], [])  # no file left

    def test_network_down_truncated_corrupt_and_zip_slip(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        env = dict(self.with_env_key(), KAGGLE_API_BASE=f"http://127.0.0.1:{port}/api/v1")
        self.fails(["data", "fetch", "nomad", "--to", "d"], 1, "connection refused", env=env)
        self.fails(["data", "fetch", "kaggle:cut-off", "--to", "d"], 2, "ended early",
                   "truncated")
        self.fails(["data", "fetch", "kaggle:corrupt", "--to", "d"], 2, "truncated or corrupt")
        self.fails(["data", "fetch", "kaggle:slip", "--to", "d/in"], 2, "zip-slip",
                   "../escaped.csv")
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "d", "escaped.csv")))
        # Zip-bomb cap: 8 MiB unpacked against a 1 MiB cap, refused before writing.
        self.fails(["data", "fetch", "kaggle:bomb", "--to", "d", "--max-unpacked-gb",
                    str(1 / 1024)], 2, "bomb.zip", "declare more than the 1048576 bytes cap",
                   "--max-unpacked-gb")
        self.fails(["data", "fetch", "kaggle:bomb", "--to", "d", "--max-unpacked-gb", "0"], 2,
                   "--max-unpacked-gb")
        d = os.path.join(self.workdir, "d")
        leftovers = [os.path.join(r, n) for r, _, fs in os.walk(d) for n in fs]
        self.assertEqual(leftovers, [])  # no partial download, archive or unpacked file

    def test_list_files(self):
        for paged in (False, True):
            self.server.paged = paged  # the v1 array, then the paged object form
            self.server.requests.clear()
            p = self.ctxbench("data", "fetch", f"kaggle:{NOMAD}", "--list",
                              env=self.with_env_key())
            self.assertEqual(p.returncode, 0, p.stderr)
            lines = p.stdout.splitlines()
            self.assertEqual([l.split("\t")[0] for l in lines[:-1]],
                             [n for n, _ in NOMAD_FILES])
            self.assertEqual(lines[2].split("\t")[1], "95.0 kB")
            self.assertEqual(lines[-1], f"kaggle:{NOMAD}: 5 files, 24.0 MB")
            pages = 3 if paged else 1
            self.assertEqual(len(self.server.requests), pages)
            self.assertTrue(all(path.startswith(f"/api/v1/competitions/data/list/{NOMAD}")
                                for path, _ in self.server.requests))
        # nomad names the same competition; nothing is downloaded.
        p = self.ctxbench("data", "fetch", "nomad", "--list", env=self.with_env_key())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("5 files", p.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "data")))
        self.fails(["data", "fetch", "kaggle:no-such-thing", "--list"], 2, "HTTP 404")
        self.fails(["data", "fetch", "kaggle:needs-rules", "--list"], 2, "HTTP 403",
                   "accept its rules")
        bad = dict(self.with_env_key(), KAGGLE_KEY="wrong-key")
        self.fails(["data", "fetch", "nomad", "--list"], 2, "HTTP 401", env=bad)

    def test_one_file(self):
        out = os.path.join(self.workdir, "one")
        env = self.with_env_key()
        for name, want in [("a.csv", b"x\n1\n"), ("train.csv", b"id,y\n" + b"1,2\n" * 1000),
                           ("sub/b c.txt", b"hi\n")]:
            p = self.ctxbench("data", "fetch", "kaggle:plain-comp", "--file", name, "--to", out,
                              "--quiet", env=env)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout.splitlines()[0], os.path.join(out, name))
            self.assertIn("1 file ->", p.stdout)
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(), want, name)
        # A name ending in .zip is kept as sent.
        p = self.ctxbench("data", "fetch", "kaggle:plain-comp", "--file", "kept.zip", "--to", out,
                          env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        with zipfile.ZipFile(os.path.join(out, "kept.zip")) as z:
            self.assertEqual(z.namelist(), ["inner.csv"])
        self.assertEqual(sorted(os.listdir(out)), ["a.csv", "kept.zip", "sub", "train.csv"])
        self.assertEqual(os.listdir(os.path.join(out, "sub")), ["b c.txt"])
        fetched = [p for p, _ in self.server.requests if "/data/download/" in p]
        self.assertIn("/api/v1/competitions/data/download/plain-comp/sub%2Fb%20c.txt", fetched)

        d = os.path.join(self.workdir, "d")
        self.fails(["data", "fetch", "kaggle:plain-comp", "--file", "nope.csv", "--to", d], 2,
                   "HTTP 404", 'no data file "nope.csv"', "--list")
        kib = str(1 / (1 << 20))  # --max-unpacked-gb of 1 KiB
        self.fails(["data", "fetch", "kaggle:plain-comp", "--file", "big.csv", "--to", d,
                    "--max-unpacked-gb", kib], 2, "big.csv is larger than 1.0 kB",
                   "nothing was kept")
        # Zipped by Kaggle: small to download, but unpacks past the cap.
        self.fails(["data", "fetch", "kaggle:plain-comp", "--file", "train.csv", "--to", d,
                    "--max-unpacked-gb", kib], 2, "declare more than the 1024 bytes cap")
        self.fails(["data", "fetch", "kaggle:plain-comp", "--file", "../a.csv", "--to", d], 2,
                   "not a data file name")
        self.fails(["data", "fetch", "nomad", "--file", "train.csv"], 2, "--file")
        self.fails(["data", "fetch", "kaggle:plain-comp", "--file", "a.csv", "--list"], 2,
                   "--file")
        leftovers = [os.path.join(r, n) for r, _, fs in os.walk(d) for n in fs]
        self.assertEqual(leftovers, [])
        self.assertFalse(os.path.exists(os.path.join(self.workdir, "a.csv")))

    def test_ctrl_c_leaves_nothing_half_written(self):
        out = os.path.join(self.workdir, "slow")
        proc = subprocess.Popen([harness.BINARY, "data", "fetch", "kaggle:slow", "--to", out],
                                cwd=self.workdir, env=self.with_env_key(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.isdir(out) and any(".part-" in n for n in os.listdir(out)):
                break
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        self.outputs.append(stdout + stderr)
        self.assertEqual(proc.returncode, 130, stderr)
        self.assertIn("interrupted", stderr)
        self.assertEqual(os.listdir(out), [])


if __name__ == "__main__":
    harness.main()
