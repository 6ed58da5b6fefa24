"""The harness's evaluation: accuracy of the workspace's predictions.

Usage (in the workspace, run by the harness in its own sandbox after every
run): python3 -I eval.py <valid_labels.csv> <test_labels.csv>
Reads valid_predictions.csv and predictions.csv (column "prediction") and
prints {"valid_metric": ..., "test_metric": ...} as its last line. The labels
never enter the agent's workspace or sandbox.

The score is the one pandas.read_csv gives, bit for bit. A plain file of
integers (what the starter writes) is read without pandas, whose import costs
about a second of CPU per evaluation; any other file is read by pandas itself.
"""
import json
import re
import sys

INT = re.compile(r"[+-]?[0-9]{1,19}")  # int64 has 19 digits; longer goes to pandas


def plain_column(path, name):
    """The cells of column `name` of the CSV at `path` when the file is plain:
    UTF-8, lines ending in \\n or \\r\\n, no quote, no blank line, a header
    naming `name` once, every row as many fields as the header, at least one
    row. None for any other file (or one that cannot be read), whose reading
    by pandas (blank lines skipped, quoting, an index column, ...) is not
    copied here."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except (OSError, UnicodeError):
        return None
    text = text.replace("\r\n", "\n")
    if any(c in text for c in "\r\"\0"):
        return None
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    header = lines[0].split(",")
    if header.count(name) != 1 or len(lines) < 2:
        return None
    column, cells = header.index(name), []
    for line in lines[1:]:
        fields = line.split(",")
        if line == "" or len(fields) != len(header):
            return None
        cells.append(fields[column])
    return cells


def int_column(path, name):
    """Column `name` as ints when the file is plain and pandas reads the
    column as int64 (every cell an integer that fits); None otherwise."""
    cells = plain_column(path, name)
    if cells is None or not all(INT.fullmatch(c) for c in cells):
        return None
    values = [int(c) for c in cells]
    if not all(-2**63 <= v < 2**63 for v in values):
        return None
    return values


def pandas_accuracy(predictions_file, labels_file):
    import pandas as pd

    labels = pd.read_csv(labels_file)["churned"]
    predictions = pd.read_csv(predictions_file)["prediction"]
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    return float((predictions.values == labels.values).mean())


def accuracy(predictions_file, labels_file):
    labels = int_column(labels_file, "churned")
    predictions = int_column(predictions_file, "prediction")
    if labels is None or predictions is None:
        return pandas_accuracy(predictions_file, labels_file)
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    # numpy's mean of the equality mask: an exact count over the row count.
    return sum(p == y for p, y in zip(predictions, labels)) / len(labels)


print(json.dumps({"valid_metric": accuracy("valid_predictions.csv", sys.argv[1]),
                  "test_metric": accuracy("predictions.csv", sys.argv[2])}))
