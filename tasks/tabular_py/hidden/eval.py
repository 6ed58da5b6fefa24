"""Hidden evaluation: accuracy of the workspace's predictions.csv on the test labels.

Usage (in the workspace): python3 eval.py <test_labels.csv>
Prints {"test_metric": ...} as its last line.
"""
import json
import sys

import pandas as pd

labels = pd.read_csv(sys.argv[1])["churned"]
predictions = pd.read_csv("predictions.csv")["prediction"]
if len(predictions) != len(labels):
    raise SystemExit(f"predictions.csv has {len(predictions)} rows, expected {len(labels)}")
print(json.dumps({"test_metric": float((predictions.values == labels.values).mean())}))
