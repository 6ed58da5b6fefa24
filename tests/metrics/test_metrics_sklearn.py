#!/usr/bin/env python3
"""Checks every competition metric of `ctxbench grade` against an independent
computation: scikit-learn (Debian's python3-sklearn) where it has the metric,
Kaggle's published apk formula for MAP@k. Inputs are generated (seeded); the
grade goes through the real command, so CSV reading, id matching and the
metric are all covered.

Usage: python3 tests/metrics/test_metrics_sklearn.py path/to/ctxbench
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from sklearn import metrics
except ImportError:
    # Debian's python3-sklearn lives in the system interpreter; a pyenv or
    # venv python3 first on PATH does not see it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

CTXBENCH = os.path.abspath(sys.argv[1])
TOL = 1e-9


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(str(c) for c in r) + "\n")


def grade(tmp, metric, targets, truth_rows, pred_rows, shuffle=True):
    """truth_rows/pred_rows: lists of target-value lists, one per id."""
    n = len(truth_rows)
    spec = {"id": "gen", "metric": metric, "id_column": "id", "target_columns": targets}
    with open(os.path.join(tmp, "competition.json"), "w") as f:
        json.dump(spec, f)
    write_csv(os.path.join(tmp, "answers.csv"), ["id"] + targets,
              [[i] + list(truth_rows[i]) for i in range(n)])
    order = list(range(n))
    if shuffle:
        random.shuffle(order)  # rows are matched by id, not position
    write_csv(os.path.join(tmp, "submission.csv"), ["id"] + targets,
              [[i] + list(pred_rows[i]) for i in order])
    out = subprocess.run([CTXBENCH, "grade", "--competition", os.path.join(tmp, "competition.json"),
                          "--submission", os.path.join(tmp, "submission.csv"),
                          "--answers", os.path.join(tmp, "answers.csv")],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["grading"]["valid_submission"], result
    return result["test_metric"]


def apk(actual, predicted, k):
    # Kaggle's ml_metrics.apk with one relevant item.
    predicted = predicted[:k]
    score, hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    return score / min(len(actual), k)


def main():
    random.seed(18)
    rng = np.random.default_rng(18)
    checked = []
    with tempfile.TemporaryDirectory() as tmp:
        def check(name, ours, want):
            assert math.isclose(ours, want, rel_tol=TOL, abs_tol=TOL), f"{name}: {ours} != {want}"
            checked.append(name)

        for n in (7, 60, 333):
            y = rng.uniform(0, 5, size=(n, 2))
            p = rng.uniform(0, 5, size=(n, 2))
            want = (math.sqrt(metrics.mean_squared_log_error(y[:, 0], p[:, 0])) +
                    math.sqrt(metrics.mean_squared_log_error(y[:, 1], p[:, 1]))) / 2
            check("mean-column-wise-rmsle",
                  grade(tmp, "mean-column-wise-rmsle", ["a", "b"], y.tolist(), p.tolist()), want)
            check("rmsle", grade(tmp, "rmsle", ["a"], y[:, :1].tolist(), p[:, :1].tolist()),
                  math.sqrt(metrics.mean_squared_log_error(y[:, 0], p[:, 0])))
            check("rmse", grade(tmp, "root-mean-squared-error", ["a"], y[:, :1].tolist(),
                                p[:, :1].tolist()),
                  math.sqrt(metrics.mean_squared_error(y[:, 0], p[:, 0])))
            check("mae", grade(tmp, "mae", ["a"], y[:, :1].tolist(), p[:, :1].tolist()),
                  metrics.mean_absolute_error(y[:, 0], p[:, 0]))

            yb = rng.integers(0, 2, size=n)
            yb[0], yb[1] = 0, 1
            pb = np.round(rng.uniform(0.02, 0.98, size=n), 2)  # rounding makes ties
            check("auc-roc", grade(tmp, "auc-roc", ["t"], [[v] for v in yb], [[v] for v in pb]),
                  metrics.roc_auc_score(yb, pb))
            check("log-loss", grade(tmp, "log-loss", ["t"], [[v] for v in yb], [[v] for v in pb]),
                  metrics.log_loss(yb, pb))
            yb2 = rng.integers(0, 2, size=n)
            yb2[0], yb2[1] = 0, 1
            pb2 = rng.uniform(0, 1, size=n)
            check("mean-column-wise-roc-auc",
                  grade(tmp, "mean-column-wise-roc-auc", ["t", "u"],
                        [[a, b] for a, b in zip(yb, yb2)], [[a, b] for a, b in zip(pb, pb2)]),
                  (metrics.roc_auc_score(yb, pb) + metrics.roc_auc_score(yb2, pb2)) / 2)
            lb = rng.integers(0, 2, size=n)
            check("f1", grade(tmp, "f1", ["t"], [[v] for v in yb], [[v] for v in lb]),
                  metrics.f1_score(yb, lb))

            classes = ["cat", "dog", "eel", "fox"]
            yc = [classes[i] for i in rng.integers(0, 4, size=n)]
            pc = [classes[i] for i in rng.integers(0, 4, size=n)]
            check("accuracy", grade(tmp, "accuracy", ["label"], [[v] for v in yc],
                                    [[v] for v in pc]), metrics.accuracy_score(yc, pc))
            check("macro-f1", grade(tmp, "macro-f1", ["label"], [[v] for v in yc],
                                    [[v] for v in pc]),
                  metrics.f1_score(yc, pc, average="macro"))

            yk = rng.integers(0, 5, size=n)
            pk = np.clip(yk + rng.integers(-2, 3, size=n), 0, 4)
            check("quadratic-weighted-kappa",
                  grade(tmp, "quadratic-weighted-kappa", ["g"], [[v] for v in yk], [[v] for v in pk]),
                  metrics.cohen_kappa_score(yk, pk, weights="quadratic"))

            idx = rng.integers(0, 4, size=n)
            onehot = np.eye(4, dtype=int)[idx]
            probs = rng.uniform(0.05, 1, size=(n, 4))
            probs = probs / probs.sum(axis=1, keepdims=True)
            probs = np.round(probs, 6)
            check("multi-class-log-loss",
                  grade(tmp, "multi-class-log-loss", classes, onehot.tolist(), probs.tolist()),
                  metrics.log_loss(onehot, probs))

            labels = ["a", "b", "c", "d", "e", "f"]
            truth = [random.choice(labels) for _ in range(n)]
            ranked = [" ".join(random.sample(labels, 4)) for _ in range(n)]
            for k in (1, 3, 5):
                want = sum(apk([t], r.split(), k) for t, r in zip(truth, ranked)) / n
                check(f"map@{k}", grade(tmp, f"map@{k}", ["pred"], [[t] for t in truth],
                                         [[r] for r in ranked]), want)

        # A submission with a missing id is refused, not scored.
        write_csv(os.path.join(tmp, "submission.csv"), ["id", "a"], [[0, 1.0]])
        out = subprocess.run([CTXBENCH, "grade", "--competition", os.path.join(tmp, "competition.json"),
                              "--submission", os.path.join(tmp, "submission.csv"),
                              "--answers", os.path.join(tmp, "answers.csv")],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert not result["grading"]["valid_submission"] and "test_metric" not in result, result

    names = sorted(set(checked))
    print(f"metrics_sklearn: {len(checked)} checks of {len(names)} metrics agree: {', '.join(names)}")


if __name__ == "__main__":
    main()
