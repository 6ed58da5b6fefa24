"""Workspace tasks end to end with sim: a tiny pure-Python task whose starter
crashes on a misspelt column. Traces must show the traceback, the fix (an
edit), config writes and runs; the final workspace is kept; a secret in
ctxbench's environment is not visible to the agent's command."""

import glob
import json
import os
import subprocess

import harness

TASKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspace_tasks")

CONFIG = {
    "name": "e2e-workspace",
    "tasks": ["tiny_debug"],
    "task_dirs": [TASKS],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [
        {"name": "full", "type": "full"},
        {"name": "window2", "type": "window", "max_turns": 2},
    ],
    "reasoning_modes": ["agentic"],
    "seeds": [1],
    "num_steps": 6,
    "parallel": 2,
}


def read_trace(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class WorkspaceTest(harness.E2ETest):
    def test_sim_fixes_the_bug_and_improves(self):
        os.chmod(self.workdir, 0o755)  # commands may run as nobody
        env = dict(os.environ, CTXBENCH_E2E_SECRET="sk-e2e-do-not-leak")
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(CONFIG, f)
        proc = subprocess.run([harness.BINARY, "run", "--config", "config.json"],
                              cwd=self.workdir, capture_output=True, text=True, timeout=300,
                              env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        run_dir = glob.glob(os.path.join(self.workdir, "runs", "*"))[0]
        with open(os.path.join(run_dir, "summary.json")) as f:
            summary = json.load(f)
        self.assertEqual(len(summary["episodes"]), 2)
        for ep in summary["episodes"]:
            out = ep["outcome"]
            self.assertTrue(out["final_answer_valid"], ep["episode_id"])
            self.assertGreater(out["final_valid_metric"], 0)  # the fix survives to the end
            if ep["policy"] == "full":  # sees every result: the search goes uphill
                self.assertTrue(out["success"], ep["episode_id"])
                self.assertGreater(out["best_valid_metric"], out["baseline_metric"])

        traces = glob.glob(os.path.join(run_dir, "traces", "*.jsonl"))
        self.assertEqual(len(traces), 2)
        for path in traces:
            events = read_trace(path)
            text = json.dumps(events)
            self.assertNotIn("sk-e2e-do-not-leak", text)
            self.assertIn("secret: <unset>", text)
            tools = [c["name"] for e in events if e.get("message")
                     for c in e["message"].get("tool_calls", [])]
            self.assertIn("edit_file", tools)
            self.assertIn("write_file", tools)
            self.assertIn("run", tools)
            experiments = [e for e in events if e.get("event") == "op.experiment"]
            starter = experiments[0]["data"]
            self.assertFalse(starter["ok"])
            self.assertEqual(starter["traceback"]["type"], "KeyError")
            self.assertEqual(starter["traceback"]["file"], "train.py")
            self.assertTrue(any(e["data"]["ok"] for e in experiments[1:]))

        workspaces = glob.glob(os.path.join(run_dir, "workspaces", "*"))
        self.assertEqual(len(workspaces), 2)
        for ws in workspaces:
            with open(os.path.join(ws, "train.py")) as f:
                self.assertIn('"depth"', f.read())


if __name__ == "__main__":
    harness.main()
