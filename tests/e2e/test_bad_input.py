"""Bad input: one clear line naming the input, exit code 2, and no run
folder left behind."""

import copy
import json
import os

import harness


class BadInputTest(harness.E2ETest):
    def expect_rejected(self, args, config, *needles):
        r = harness.run_ctxbench(self.workdir, *args, config=config)
        self.assertEqual(r.code, 2, f"expected exit 2, got {r.code}: {r.stderr}")
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, f"expected one line, got: {r.stderr!r}")
        for needle in needles:
            self.assertIn(needle, lines[0])
        self.assertEqual(r.run_dirs(), [], "a run folder was left behind")
        return lines[0]

    def config_with(self, **changes):
        c = copy.deepcopy(harness.SMALL_CONFIG)
        c.update(changes)
        return c

    def test_missing_config(self):
        self.expect_rejected(["run", "--config", "nope.json"], None, "nope.json")

    def test_malformed_config(self):
        with open(os.path.join(self.workdir, "bad.json"), "w") as f:
            f.write('{"tasks": [')
        self.expect_rejected(["run", "--config", "bad.json"], None, "bad.json", "malformed JSON")

    def test_unknown_task(self):
        self.expect_rejected(["run"], self.config_with(tasks=["no_such_task"]), "no_such_task",
                             "toy_tabular")

    def test_unknown_policy(self):
        self.expect_rejected(
            ["run"], self.config_with(context_policies=[{"name": "x", "type": "telepathy"}]),
            "telepathy", "$.context_policies[0]")

    def test_unknown_model(self):
        self.expect_rejected(["run"], self.config_with(models=[{"name": "m", "kind": "gpt9"}]),
                             "gpt9", "$.models[0]")

    def test_unknown_mode(self):
        self.expect_rejected(["run"], self.config_with(reasoning_modes=["telepathic"]),
                             "telepathic", "$.reasoning_modes[0]")

    def test_unknown_field(self):
        self.expect_rejected(["run"], self.config_with(sedes=[1]), "$.sedes", "unknown field")

    def test_knob_out_of_range(self):
        tasks = [{"name": "toy_tabular", "baseline": {"max_depth": 999}}]
        self.expect_rejected(["run"], self.config_with(tasks=tasks), "$.tasks[0].baseline",
                             "max_depth")

    def test_bad_fail_on_error(self):
        for bad in (0, -1, 2.5, "3", 1.5):
            self.expect_rejected(["run"], self.config_with(fail_on_error=bad), "$.fail_on_error",
                                 "fraction in (0, 1)")

    def test_bad_run_max_cost_usd(self):
        self.expect_rejected(["run"], self.config_with(budget={"run_max_cost_usd": -1}),
                             "$.budget.run_max_cost_usd", "0 (no limit) or more")

    def test_retry_errors_without_resume(self):
        self.expect_rejected(["run", "--retry-errors"], self.config_with(), "--retry-errors",
                             "--resume")

    def test_bad_flag_value(self):
        self.expect_rejected(["run", "--seeds", "x-y"], self.config_with(), "--seeds")
        self.expect_rejected(["run", "--reasoning-mode", "both"], self.config_with(),
                             "--reasoning-mode")
        # Zero and negative values are checked too, not taken for "not given".
        self.expect_rejected(["run", "--num-steps", "0"], self.config_with(), "--num-steps")
        self.expect_rejected(["run", "--parallel", "-1"], self.config_with(), "--parallel")

    def test_missing_data_files(self):
        env_data = os.path.join(self.workdir, "empty-data")
        os.makedirs(env_data)
        line = self.expect_rejected(["run"], self.config_with(tasks=["nomad"], data_dir=env_data),
                                    "nomad", "data prepare nomad")
        self.assertIn(env_data, line)

    def test_unwritable_output_folder(self):
        blocker = os.path.join(self.workdir, "a-file")
        with open(blocker, "w") as f:
            f.write("x")
        self.expect_rejected(["run", "--out", os.path.join(blocker, "runs")], self.config_with(),
                             "a-file")

    def test_integers_that_would_wrap_are_refused(self):
        # num_steps 2**32 + 1 once ran as 1.
        for field in ("num_steps", "parallel", "learner_threads", "steps_per_iteration"):
            for value in (2**32 + 1, 2**64 - 1):
                self.expect_rejected(["run"], self.config_with(**{field: value}), "$." + field)

    def test_run_name_outside_the_output_folder_is_refused(self):
        for name in ("../escaped", "a/b", "x" * 300):
            self.expect_rejected(["run"], self.config_with(name=name), "$.name")

    def test_number_too_large_for_a_double_names_the_field(self):
        text = json.dumps(self.config_with()).rstrip("}") + ', "budget": {"wall_seconds": 1e400}}'
        with open(os.path.join(self.workdir, "big.json"), "w") as f:
            f.write(text)
        self.expect_rejected(["run", "--config", "big.json"], None, "big.json",
                             "$.budget.wall_seconds")

    def test_deeply_nested_config_is_refused(self):
        with open(os.path.join(self.workdir, "deep.json"), "w") as f:
            f.write('{"tasks": ' + "[" * 100000 + "]" * 100000 + "}")
        self.expect_rejected(["run", "--config", "deep.json"], None, "deep.json", "nest")

    def test_seed_lists_with_garbage_are_refused(self):
        # Each once ran seed 1 only and exited 0.
        for bad in ("1..3", "1-3x", "3x", "1,", ",1", "1-", "1-2-3"):
            self.expect_rejected(["run", "--seeds", bad], self.config_with(), "--seeds", bad)

    def test_unknown_flag_names_the_nearest(self):
        line = self.expect_rejected(["run", "--seed", "1"], self.config_with(), "--seed")
        self.assertIn("did you mean --seeds?", line)
        line = self.expect_rejected(["run", "--num-step=3"], self.config_with(), "--num-step")
        self.assertIn("did you mean --num-steps?", line)

    def test_unknown_command_names_the_nearest(self):
        line = self.expect_rejected(["rn"], self.config_with(), "'rn'")
        self.assertIn("did you mean run?", line)

    def test_model_kind_typo_suggests_openai(self):
        line = self.expect_rejected(["run", "--model", "gpt4"], self.config_with(), "--model gpt4")
        self.assertIn("openai:gpt4", line)

    def test_missing_default_config_says_where_it_looked(self):
        line = self.expect_rejected(["run"], None, "config.json", "--config")
        self.assertIn(os.path.realpath(self.workdir), line)


class ListTest(harness.E2ETest):
    def test_list_prints_what_exists(self):
        tasks = harness.run_ctxbench(self.workdir, "list", "tasks")
        self.assertEqual(tasks.code, 0, tasks.stderr)
        self.assertIn("toy_tabular", tasks.stdout)
        policies = harness.run_ctxbench(self.workdir, "list", "policies")
        self.assertEqual(policies.code, 0, policies.stderr)
        for name in ("full", "window", "mask", "summarize", "retrieve", "state", "mix",
                     "short_context", "long_context"):
            self.assertIn(name, policies.stdout)
        models = harness.run_ctxbench(self.workdir, "list", "models")
        self.assertEqual(models.code, 0, models.stderr)
        for name in ("sim", "openai:MODEL_NAME", "replay"):
            self.assertIn(name, models.stdout)

    def test_list_names_what_a_config_configures(self):
        config = copy.deepcopy(harness.SMALL_CONFIG)
        config["models"] = [{"name": "my-sim", "kind": "sim"}]
        r = harness.run_ctxbench(self.workdir, "list", "models", "--config", "config.json",
                                 config=config)
        self.assertEqual(r.code, 0, r.stderr)
        self.assertIn("my-sim", r.stdout)

    def test_list_of_nothing_known_is_refused(self):
        r = harness.run_ctxbench(self.workdir, "list", "wizards")
        self.assertEqual(r.code, 2)
        self.assertIn("wizards", r.stderr)


if __name__ == "__main__":
    harness.main()
