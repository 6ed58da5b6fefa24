"""The harness's evaluation: mean absolute error of the workspace's predictions
of the band gap.

Usage (in the workspace, run by the harness in its own sandbox after every
run): python3 -I eval.py <valid_labels.csv> <test_labels.csv>
Both label files are written by the harness into the episode's hidden folder
when it splits the prepared data; they never enter the agent's workspace or
sandbox. Reads valid_predictions.csv and predictions.csv (column "prediction")
and prints {"valid_metric": ..., "test_metric": ...} as its last line.

The score is the one pandas.read_csv gives, bit for bit. A plain file of
decimal numbers (what the starter writes) is read without pandas, whose import
costs about a second of CPU per evaluation: each number is parsed as pandas
1.5's C reader parses it (`precise_xstrtod`: at most 17 digits, accumulated in
a double, then scaled by a power of ten), which is not always correctly
rounded (for about one in six of the numbers the starter writes it differs
from Python's float() in the last bit), and numpy takes the mean as before.
Any other file is read by pandas itself.
"""
import json
import re
import sys

import numpy as np

INTEGER = re.compile(r"[+-]?[0-9]+")
INT = re.compile(r"[+-]?[0-9]{1,19}")  # int64 has 19 digits; longer goes to pandas
NUMBER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?")
POWERS = [float("1e%d" % k) for k in range(309)]  # as C's literals 1e0 ... 1e308


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


def pandas_float(cell):
    """The double pandas 1.5's precise_xstrtod reads from `cell`, or None when
    it reads none (not a decimal number, out of range, NA, inf)."""
    m = NUMBER.fullmatch(cell)
    if m is None:
        return None
    sign, whole, fraction, exponent_text = m.groups()
    fraction = fraction or ""
    if not whole and not fraction:
        return None
    number, digits, exponent = 0.0, 0, 0
    for c in whole:
        if digits < 17:
            number = number * 10.0 + (ord(c) - 48)
            digits += 1
        else:
            exponent += 1
    taken = fraction[:max(0, 17 - digits)]
    for c in taken:
        number = number * 10.0 + (ord(c) - 48)
    exponent -= len(taken)
    if sign == "-":
        number = -number
    if exponent_text:
        exponent += int(exponent_text)
    if exponent > 308:
        return None
    if exponent > 0:
        number *= POWERS[exponent]
    elif exponent < -616:
        number = 0.0
    elif exponent < -308:
        number = number / POWERS[-308 - exponent] / POWERS[308]
    else:
        number /= POWERS[-exponent]
    return None if abs(number) == float("inf") else number


def column_values(path, name):
    """Column `name` as pandas.read_csv(path)[name].values: int64 when every
    cell is an integer, else float64; pandas itself reads a file that is not
    plain, a cell that is not a decimal number, or an integer beyond int64
    (which pandas may read as uint64 or text)."""
    cells = plain_column(path, name)
    if cells is not None:
        ints = [int(c) if INT.fullmatch(c) else None for c in cells]
        in_range = all(-2**63 <= v < 2**63 for v in ints if v is not None)
        if in_range and not any(INTEGER.fullmatch(c) and not INT.fullmatch(c) for c in cells):
            if None not in ints:
                return np.array(ints, dtype=np.int64)
            floats = [pandas_float(c) for c in cells]
            if None not in floats:
                return np.array(floats, dtype=np.float64)
    import pandas as pd

    return pd.read_csv(path)[name].values


def mae(predictions_file, labels_file):
    labels = column_values(labels_file, "bandgap_energy_ev")
    predictions = column_values(predictions_file, "prediction")
    if len(predictions) != len(labels):
        raise SystemExit(f"{predictions_file} has {len(predictions)} rows, expected {len(labels)}")
    return float((predictions - labels).__abs__().mean())


print(json.dumps({"valid_metric": mae("valid_predictions.csv", sys.argv[1]),
                  "test_metric": mae("predictions.csv", sys.argv[2])}))
