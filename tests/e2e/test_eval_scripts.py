"""The bundled workspace tasks' hidden/eval.py (tabular_py, debug_py)
print the scores pandas.read_csv gives, bit for bit: they read a plain file
of integers without pandas and hand any other file to pandas. The reference is their former code, run in one process of an
interpreter that has pandas; skips, saying so, when none has it.

The ctxbench binary (argv[1]) is not used."""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The former eval.py of each task (pandas for everything), as a function.
REFERENCE = r'''
import json, os, sys
import pandas as pd

def accuracy(predictions_file, labels_file):
    labels = pd.read_csv(labels_file)["churned"]
    predictions = pd.read_csv(predictions_file)["prediction"]
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    return float((predictions.values == labels.values).mean())

out = {}
for case in json.load(sys.stdin):
    os.chdir(case["dir"])
    out[case["dir"]] = json.dumps({"valid_metric": accuracy("valid_predictions.csv", case["valid"]),
                                   "test_metric": accuracy("predictions.csv", case["test"])})
print(json.dumps(out))
'''


def python_with_pandas():
    """An interpreter that has pandas (the sandbox's is /usr/bin's), or None."""
    find = "import importlib.util, sys; sys.exit(importlib.util.find_spec('pandas') is None)"
    for python in ("/usr/bin/python3", sys.executable, shutil.which("python3")):
        if python and subprocess.run([python, "-c", find], capture_output=True).returncode == 0:
            return python
    return None


PYTHON = python_with_pandas()


def write(path, header, cells, newline="\n"):
    with open(path, "w", newline="") as f:
        f.write(header + newline + newline.join(cells) + newline)


@unittest.skipIf(PYTHON is None, "no python3 with pandas installed: the reference needs it")
class EvalScriptTest(harness.E2ETest):
    def check(self, task, labels, files, header):
        """Writes each of `files` ({name: (valid cells, test cells, newline)})
        as a workspace's two prediction files, runs the task's eval.py in each
        and compares its output with the reference's. Returns how many read
        pandas (the fallback)."""
        valid_labels = os.path.join(self.workdir, task + "-valid.csv")
        test_labels = os.path.join(self.workdir, task + "-test.csv")
        write(valid_labels, header, labels[0])
        write(test_labels, header, labels[1])
        cases = []
        for name, (valid, test, newline) in files.items():
            ws = os.path.join(self.workdir, task, name)
            os.makedirs(ws)
            write(os.path.join(ws, "valid_predictions.csv"), "prediction", valid, newline)
            write(os.path.join(ws, "predictions.csv"), "prediction", test, newline)
            cases.append({"dir": ws, "valid": valid_labels, "test": test_labels})
        ref = subprocess.run([PYTHON, "-I", "-c", REFERENCE], input=json.dumps(cases),
                             capture_output=True, text=True)
        self.assertEqual(ref.returncode, 0, ref.stderr)
        expected = json.loads(ref.stdout)
        script = os.path.join(ROOT, "tasks", task, "hidden", "eval.py")
        fallbacks = 0
        for case in cases:
            got = subprocess.run([PYTHON, "-I", "-X", "importtime", script, valid_labels,
                                  test_labels], cwd=case["dir"], capture_output=True, text=True)
            self.assertEqual(got.returncode, 0, got.stderr[-2000:])
            self.assertEqual(got.stdout.splitlines()[-1], expected[case["dir"]], case["dir"])
            fallbacks += "| pandas\n" in got.stderr
        return fallbacks

    def test_accuracy_tasks_score_as_pandas_did(self):
        with open(os.path.join(ROOT, "tasks", "tabular_py", "hidden", "eval.py"), "rb") as f:
            tabular = f.read()
        with open(os.path.join(ROOT, "tasks", "debug_py", "hidden", "eval.py"), "rb") as f:
            self.assertEqual(f.read(), tabular, "debug_py's eval.py is tabular_py's")
        rng = random.Random(17)
        labels = []
        for name in ("valid_labels.csv", "test_labels.csv"):
            with open(os.path.join(ROOT, "tasks", "tabular_py", "hidden", name)) as f:
                labels.append(f.read().split()[1:])
        guess = [[rng.choice("01") for _ in cells] for cells in labels]
        flipped = [["1" if c == "0" else "0" for c in cells] for cells in labels]
        files = {
            "guess": (guess[0], guess[1], "\n"),
            "exact": (labels[0], labels[1], "\n"),
            "flipped-crlf": (flipped[0], flipped[1], "\r\n"),
            "floats": ([c + ".0" for c in guess[0]], guess[1], "\n"),  # pandas reads these
        }
        fallbacks = self.check("tabular_py", labels, files, "churned")
        self.assertEqual(fallbacks, 1)


if __name__ == "__main__":
    harness.main()
