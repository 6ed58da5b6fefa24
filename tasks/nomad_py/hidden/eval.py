"""The harness's evaluation: mean absolute error of the workspace's predictions
of the band gap.

Usage (in the workspace, run by the harness in its own sandbox after every
run): python3 -I eval.py <valid_labels.csv> <test_labels.csv>
Both label files are written by the harness into the episode's hidden folder
when it splits the prepared data; they never enter the agent's workspace or
sandbox. Reads valid_predictions.csv and predictions.csv (column "prediction")
and prints {"valid_metric": ..., "test_metric": ...} as its last line.
"""
import json
import sys

import pandas as pd


def mae(predictions_file, labels_file):
    labels = pd.read_csv(labels_file)["bandgap_energy_ev"]
    predictions = pd.read_csv(predictions_file)["prediction"]
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    return float((predictions.values - labels.values).__abs__().mean())


print(json.dumps({"valid_metric": mae("valid_predictions.csv", sys.argv[1]),
                  "test_metric": mae("predictions.csv", sys.argv[2])}))
