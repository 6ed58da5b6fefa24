#!/usr/bin/env python3
"""Times scikit-learn's HistGradientBoostingRegressor (the prototype's learner)
on the split ctxbench_bench_learner exported, at the same rounds, depth,
learning rate and thread count, and prints ms per evaluation (fit + predict
on validation and test) and the validation MAE.

  sklearn_hgb.py SPLIT_DIR --threads N [--rounds 200 --depth 6 --eta 0.1 --repeats 10]
"""
import argparse
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("split_dir")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--eta", type=float, default=0.1)
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    # OpenMP reads this at start-up; threadpoolctl below enforces it as well.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)

    import numpy as np
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    def load(name):
        data = np.loadtxt(os.path.join(args.split_dir, name), delimiter=",", skiprows=1,
                          dtype=np.float64)
        return data[:, :-1], data[:, -1]

    x_train, y_train = load("train.csv")
    x_valid, y_valid = load("valid.csv")
    x_test, _ = load("test.csv")

    def evaluate():
        model = HistGradientBoostingRegressor(
            max_iter=args.rounds, max_depth=args.depth, learning_rate=args.eta,
            max_leaf_nodes=None, min_samples_leaf=1, l2_regularization=0.0, max_bins=255,
            early_stopping=False, random_state=1)
        model.fit(x_train, y_train)
        pred = model.predict(x_valid)
        model.predict(x_test)
        return float(np.mean(np.abs(pred - y_valid)))

    with threadpool_limits(limits=args.threads):
        evaluate()  # warm-up
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            mae = evaluate()
            times.append(time.perf_counter() - start)
    times.sort()
    print(f"sklearn_hgb threads={args.threads} ms_per_eval={1000 * times[len(times) // 2]:.1f} "
          f"(median of {args.repeats}) valid_mae={mae:.4f}")


if __name__ == "__main__":
    sys.exit(main())
