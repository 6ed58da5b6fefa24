"""Installing: `cmake --install` lays out bin/ and share/ctxbench/, and the
installed binary, moved elsewhere and run from an unrelated folder, finds its
tasks and rank files beside itself (not in the source tree it was built from);
another CMake project builds against it with find_package(ctxbench), registers
its own context policy and runs a grid with it; no source path is compiled
into the installed binary."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest

import harness

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def _manifests(value):
    """Every context manifest in one trace record (any object with "policy" and "kept")."""
    if isinstance(value, dict):
        found = [value] if "policy" in value and "kept" in value else []
        for item in value.values():
            found += _manifests(item)
        return found
    if isinstance(value, list):
        return [m for item in value for m in _manifests(item)]
    return []


def _clean_env():
    env = dict(os.environ)
    for name in ("CTXBENCH_SHARE_DIR", "CTXBENCH_TASKS_DIR", "CTXBENCH_RANK_DIR"):
        env.pop(name, None)
    return env


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="ctxbench-install-")
        first = os.path.join(cls._tmp.name, "first")
        build_dir = os.path.dirname(harness.BINARY)
        proc = subprocess.run(["cmake", "--install", build_dir, "--prefix", first],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        # A task only the installed copy has: finding it proves where tasks come from.
        tasks = os.path.join(first, "share", "ctxbench", "tasks")
        probe = os.path.join(tasks, "installed_probe")
        shutil.copytree(os.path.join(tasks, "toy_tabular"), probe)
        with open(os.path.join(probe, "task.json")) as f:
            spec = json.load(f)
        spec["name"] = "installed_probe"
        with open(os.path.join(probe, "task.json"), "w") as f:
            json.dump(spec, f)
        # Moved after installing: the binary looks relative to itself.
        cls.prefix = os.path.join(cls._tmp.name, "moved")
        os.rename(first, cls.prefix)
        # The consumer builds while the installed binary's own checks run
        # (their names sort before test_user_project_*, which wait for it).
        cls._consumer = None
        if not os.environ.get("CTXBENCH_SANITIZED"):
            cls._consumer = threading.Thread(target=cls._build_consumer, daemon=True)
            cls._consumer.start()

    @classmethod
    def tearDownClass(cls):
        if cls._consumer:
            cls._consumer.join()
        cls._tmp.cleanup()

    def test_layout(self):
        share = os.path.join(self.prefix, "share", "ctxbench")
        for path in ("bin/ctxbench", "share/ctxbench/config.json",
                     "share/ctxbench/configs/workspace.json",
                     "share/ctxbench/tasks/toy_tabular/task.json",
                     "share/ctxbench/third_party/rank_files/o200k_base.tiktoken",
                     "include/ctxbench/context/policy.h",
                     "lib/cmake/ctxbench/ctxbenchConfig.cmake"):
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, path)), path)
        self.assertTrue(os.access(os.path.join(self.prefix, "bin", "ctxbench"), os.X_OK))
        self.assertFalse(os.path.exists(os.path.join(share, "tasks", "nomad", "__pycache__")))

    def test_moved_binary_runs_installed_task_from_unrelated_folder(self):
        config = harness.small_sim_grid("installed", 2)
        config["tasks"] = ["installed_probe"]
        config["token_counter"] = "o200k_base"  # the installed rank file
        with tempfile.TemporaryDirectory(prefix="ctxbench-elsewhere-") as cwd:
            with open(os.path.join(cwd, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([os.path.join(self.prefix, "bin", "ctxbench"), "run",
                                   "--config", "c.json"], cwd=cwd, env=_clean_env(),
                                  capture_output=True, text=True, timeout=600)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            runs = os.path.join(cwd, "runs")
            (run,) = os.listdir(runs)
            with open(os.path.join(runs, run, "summary.json")) as f:
                summary = json.load(f)
            self.assertEqual(summary["status"], "complete")
            self.assertEqual(summary["episodes_done"], summary["episodes_planned"])
            self.assertGreater(summary["episodes_planned"], 0)

    # The installed static libraries of a sanitizer build need the sanitizer
    # runtimes, which the exported targets do not carry.
    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "a sanitizer build's libraries need -fsanitize at link time")
    def test_user_project_example_consumer_builds_against_the_installed_package(self):
        build = self._consumer_build()
        proc = subprocess.run([os.path.join(build, "last_turns")], capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        types = [line.split()[0] for line in proc.stdout.splitlines()]
        self.assertEqual(types, ["last_turns", "window"])

    # The consumer's runner registers its `last_turns` policy and runs a config
    # naming it beside a built-in, through the library's run entry point.
    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "a sanitizer build's libraries need -fsanitize at link time")
    def test_user_project_example_consumer_runs_a_grid_with_its_own_policy(self):
        build = self._consumer_build()
        config = harness.small_sim_grid("consumer", 2)
        config["tasks"] = ["toy_tabular"]
        config["context_policies"] = [{"name": "mine", "type": "last_turns"},
                                      {"name": "window3", "type": "window", "max_turns": 3}]
        env = _clean_env()
        env["CTXBENCH_SHARE_DIR"] = os.path.join(self.prefix, "share", "ctxbench")
        with tempfile.TemporaryDirectory(prefix="ctxbench-consumer-") as cwd:
            with open(os.path.join(cwd, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([os.path.join(build, "run_grid"), "c.json"], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=600)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            runs = os.path.join(cwd, "runs")
            (run,) = os.listdir(runs)
            with open(os.path.join(runs, run, "summary.json")) as f:
                summary = json.load(f)
            self.assertEqual(summary["status"], "complete")
            self.assertEqual(summary["episodes_done"], summary["episodes_planned"])
            mine = [e for e in summary["episodes"] if e["policy"] == "mine"]
            self.assertEqual(len(mine), len(config["seeds"]))
            # Every context of its episodes was built by the consumer's policy.
            for episode in mine:
                manifests = []
                with open(os.path.join(runs, run, "traces", episode["episode_id"] + ".jsonl")) as f:
                    for line in f:
                        manifests += _manifests(json.loads(line))
                self.assertTrue(manifests, episode["episode_id"])
                self.assertEqual({m["policy"] for m in manifests}, {"last_turns"})

            # A parameter the policy does not take is refused before any run folder.
            config["context_policies"][0]["max_turns"] = 2
            with open(os.path.join(cwd, "bad.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([os.path.join(build, "run_grid"), "bad.json"], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn("max_turns", proc.stderr)
            self.assertEqual(len(os.listdir(runs)), 1)

        # The installed ctxbench itself does not know the consumer's type.
        with tempfile.TemporaryDirectory(prefix="ctxbench-elsewhere-") as cwd:
            with open(os.path.join(cwd, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([os.path.join(self.prefix, "bin", "ctxbench"), "run",
                                   "--config", "c.json"], cwd=cwd, env=_clean_env(),
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("unknown policy type 'last_turns'", proc.stderr)

    # The consumer's own ctxbench (CliMain from ctxbench::cli, its policy
    # registered first): every subcommand, and configs may name its type.
    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "a sanitizer build's libraries need -fsanitize at link time")
    def test_user_project_example_consumer_cli_knows_its_own_policy(self):
        build = self._consumer_build()
        binary = os.path.join(build, "my_ctxbench")
        env = _clean_env()
        env["CTXBENCH_SHARE_DIR"] = os.path.join(self.prefix, "share", "ctxbench")
        proc = subprocess.run([binary, "list", "policies"], env=env, capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        types = proc.stdout.split("Presets")[0].split()
        self.assertIn("last_turns", types)
        self.assertIn("window", types)

        config = harness.small_sim_grid("consumer_cli", 2)
        config["tasks"] = ["toy_tabular"]
        config["context_policies"] = [{"name": "mine", "type": "last_turns"}]
        with tempfile.TemporaryDirectory(prefix="ctxbench-consumer-cli-") as cwd:
            with open(os.path.join(cwd, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([binary, "run", "--config", "c.json"], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=600)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            runs = os.path.join(cwd, "runs")
            (run,) = os.listdir(runs)
            with open(os.path.join(runs, run, "summary.json")) as f:
                summary = json.load(f)
            self.assertEqual(summary["status"], "complete")
            self.assertEqual(summary["episodes_done"], len(config["seeds"]))
            self.assertEqual({e["policy"] for e in summary["episodes"]}, {"mine"})
            # The rest of the CLI works as the stock binary's: a report of that run.
            proc = subprocess.run([binary, "report", os.path.join(runs, run)], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertTrue(os.path.isfile(os.path.join(runs, run, "report.md")))
            # An unknown flag is a usage error, as with the stock binary.
            proc = subprocess.run([binary, "run", "--seed", "1"], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn("--seeds", proc.stderr)

    @unittest.skipIf(os.environ.get("CTXBENCH_SANITIZED"),
                     "a sanitized build keeps debug info, which names the source files")
    def test_installed_binary_holds_no_source_or_build_path(self):
        with open(os.path.join(self.prefix, "bin", "ctxbench"), "rb") as f:
            binary = f.read()
        self.assertGreater(len(binary), 0)
        for path in (SOURCE_DIR, os.path.dirname(harness.BINARY)):
            self.assertNotIn(os.fsencode(path), binary, path)
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "bin",
                                                     "ctxbench-source-dir.txt")))

    # A byte search misses a short path the compiler stores as immediates, so
    # this checks the behaviour: a lone copy of the installed binary, with no
    # share folder beside it and no $CTXBENCH_SHARE_DIR, does not find the
    # source tree's data; it names where an install would have it.
    def test_lone_installed_binary_does_not_fall_back_to_the_source_tree(self):
        config = harness.small_sim_grid("lone", 1)
        with tempfile.TemporaryDirectory(prefix="ctxbench-lone-") as tmp:
            os.makedirs(os.path.join(tmp, "bin"))
            binary = os.path.join(tmp, "bin", "ctxbench")
            shutil.copy2(os.path.join(self.prefix, "bin", "ctxbench"), binary)
            with open(os.path.join(tmp, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([binary, "run", "--config", "c.json"], cwd=tmp,
                                  env=_clean_env(), capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn(os.path.join(tmp, "share", "ctxbench") + "/", proc.stderr)
            self.assertNotIn(SOURCE_DIR, proc.stderr)
            self.assertFalse(os.path.exists(os.path.join(tmp, "runs")))

    @classmethod
    def _build_consumer(cls):
        """Builds examples/consumer against the installed prefix, as a user's
        project would (find_package(ctxbench) from CMAKE_PREFIX_PATH), and
        keeps the failing command's output in cls._consumer_error. With Ninja
        when installed (its programs compile and link at once), the gold
        linker when installed (binutils'; links the static libraries in a
        third of ld.bfd's CPU) and ccache when installed, paths hashed
        relative to this test's folder (so a rerun's compiles hit the cache;
        a changed header misses it)."""
        cls._consumer_error = "not built"
        build = os.path.join(cls._tmp.name, "consumer-build")
        source = os.path.join(SOURCE_DIR, "examples", "consumer")
        configure = ["cmake", "-S", source, "-B", build, f"-DCMAKE_PREFIX_PATH={cls.prefix}"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        if shutil.which("ld.gold"):
            configure.append("-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold")
        ccache = shutil.which("ccache")
        if ccache:
            launcher = [shutil.which("cmake"), "-E", "env", "CCACHE_BASEDIR=" + cls._tmp.name,
                        ccache]
            configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=" + ";".join(launcher))
        for cmd in (configure, ["cmake", "--build", build]):
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
            except subprocess.TimeoutExpired as e:
                cls._consumer_error = f"{cmd}: timed out after {e.timeout} s"
                return
            if proc.returncode != 0:
                cls._consumer_error = f"{cmd}: exit {proc.returncode}\n{proc.stdout}{proc.stderr}"
                return
        cls._consumer_error = None

    def _consumer_build(self):
        """The examples/consumer build folder, once the build started by
        setUpClass is done; fails the calling test when that build failed."""
        self._consumer.join()
        self.assertIsNone(self._consumer_error)
        return os.path.join(self._tmp.name, "consumer-build")

    def test_unknown_task_names_the_installed_folder(self):
        config = harness.small_sim_grid("missing", 1)
        config["tasks"] = ["no_such_task"]
        with tempfile.TemporaryDirectory(prefix="ctxbench-elsewhere-") as cwd:
            with open(os.path.join(cwd, "c.json"), "w") as f:
                json.dump(config, f)
            proc = subprocess.run([os.path.join(self.prefix, "bin", "ctxbench"), "run",
                                   "--config", "c.json"], cwd=cwd, env=_clean_env(),
                                  capture_output=True, text=True, timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(os.path.join(self.prefix, "share", "ctxbench", "tasks"), proc.stderr)


if __name__ == "__main__":
    harness.main()
