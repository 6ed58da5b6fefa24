"""Hidden evaluation: mean absolute error of the workspace's predictions.csv on
the hidden test split's band gaps.

Usage (in the workspace): python3 eval.py <test_labels.csv>
test_labels.csv is written by the harness into the episode's hidden folder when
it splits the prepared data. Prints {"test_metric": ...} as its last line.
"""
import json
import sys

import pandas as pd

labels = pd.read_csv(sys.argv[1])["bandgap_energy_ev"]
predictions = pd.read_csv("predictions.csv")["prediction"]
if len(predictions) != len(labels):
    raise SystemExit(f"predictions.csv has {len(predictions)} rows, expected {len(labels)}")
print(json.dumps({"test_metric": float((predictions.values - labels.values).__abs__().mean())}))
