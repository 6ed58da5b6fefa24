"""Same config and seeds give an identical summary.json, whatever the
number of workers."""

import json
import os

import harness


class DeterminismTest(harness.E2ETest):
    def test_same_config_same_summary(self):
        config = dict(harness.SMALL_CONFIG)
        summaries = []
        for parallel in ("1", "2"):
            out = os.path.join(self.workdir, "out" + parallel)
            self.run_ok("run", "--config", "config.json", "--out", out, "--parallel", parallel,
                        config=config)
            (run_dir,) = [os.path.join(out, d) for d in os.listdir(out)]
            with open(os.path.join(run_dir, "summary.json")) as f:
                summary = json.load(f)
            summary["config"].pop("out_dir")
            summary["config"].pop("parallel")
            summaries.append(summary)
        self.assertEqual(summaries[0], summaries[1])
        self.assertGreater(len(summaries[0]["episodes"]), 0)


if __name__ == "__main__":
    harness.main()
