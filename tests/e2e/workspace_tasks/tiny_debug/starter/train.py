"""A tiny stand-in for a training script: pure Python, so the test is fast.

Reads params.json and data/train.csv, prints the environment variable the test
plants (it must not be visible), and writes a "score" that grows with width and
depth to metrics.json.
"""
import csv
import json
import os

COLUMNS = ["width", "dept"]


def main():
    with open("params.json") as f:
        params = json.load(f)
    with open("data/train.csv") as f:
        rows = list(csv.DictReader(f))
    print("secret:", os.environ.get("CTXBENCH_E2E_SECRET", "<unset>"))
    scale = sum(float(r[c]) for r in rows for c in COLUMNS)
    accuracy = min(0.99, 0.5 + 0.004 * params["width"] * params["depth"] + scale * 0)
    print(f"validation accuracy: {accuracy:.4f}")
    with open("metrics.json", "w") as f:
        json.dump({"accuracy": accuracy}, f)
    with open("predictions.csv", "w") as f:
        f.write("prediction\n1\n")


main()
