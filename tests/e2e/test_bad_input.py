"""Bad input: one clear line naming the input, exit code 2, and no run
folder left behind."""

import copy
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


if __name__ == "__main__":
    harness.main()
