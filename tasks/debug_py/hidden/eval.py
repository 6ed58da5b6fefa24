"""The harness's evaluation: accuracy of the workspace's predictions.

Usage (in the workspace, run by the harness in its own sandbox after every
run): python3 -I eval.py <valid_labels.csv> <test_labels.csv>
Reads valid_predictions.csv and predictions.csv (column "prediction") and
prints {"valid_metric": ..., "test_metric": ...} as its last line. The labels
never enter the agent's workspace or sandbox.
"""
import json
import sys

import pandas as pd


def accuracy(predictions_file, labels_file):
    labels = pd.read_csv(labels_file)["churned"]
    predictions = pd.read_csv(predictions_file)["prediction"]
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    return float((predictions.values == labels.values).mean())


print(json.dumps({"valid_metric": accuracy("valid_predictions.csv", sys.argv[1]),
                  "test_metric": accuracy("predictions.csv", sys.argv[2])}))
