#!/usr/bin/env python3
"""The report's statistical methods checked against an independent computation
(Debian's python3-scipy, plus plain enumeration where scipy has no function).

    python3 tests/stats/test_stats_scipy.py BUILD/ctxbench_tests   # check
    python3 tests/stats/test_stats_scipy.py --write                # refresh the fixed cases

It draws random cases (seeded), computes the expected value of every method
with scipy, writes them to a JSON file and runs the C++ test
`ScipyCasesTest.*` of ctxbench_tests on that file (CTXBENCH_SCIPY_CASES); the
C++ side compares its own numbers with them. `--write` stores the cases in
src/report/testdata/scipy_cases.json, which the same C++ test reads when run
without the variable (so `ctest` checks them even where scipy is missing).
Methods: normal and Student t quantiles and CDF, the t interval of a mean,
the order-statistic interval of a median, Newcombe's paired interval of a
difference of success rates, the exact McNemar test, the exact sign-flip
test, Holm's adjustment and the pairs needed for 80% power (checked also
against the exact noncentral-t power).
"""
import itertools
import warnings
import json
import math
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy import stats
except ImportError:  # pragma: no cover
    # Debian's python3-scipy lives under the system interpreter; another
    # python3 may come first on PATH.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("test_stats_scipy: SKIPPED: python3-scipy is not installed "
          "(scripts/install-deps.sh installs it)")
    sys.exit(0)

warnings.simplefilter("ignore", RuntimeWarning)  # scipy nct at extreme arguments
HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = os.path.join(HERE, "..", "..", "src", "report", "testdata", "scipy_cases.json")


def wilson_cc(k, n, z):
    """Wilson score interval with continuity correction (Newcombe 1998, method 4)."""
    p = k / n
    denom = 2 * (n + z * z)
    lo = 0.0 if k == 0 else (2 * n * p + z * z - 1 - z * math.sqrt(
        max(0.0, z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1)))) / denom
    hi = 1.0 if k == n else (2 * n * p + z * z + 1 + z * math.sqrt(
        max(0.0, z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1)))) / denom
    return max(0.0, lo), min(1.0, hi)


def newcombe11(a, b, c, d, level=0.95):
    """Newcombe (1998, paired) method 11, written from the paper's formulas."""
    n = a + b + c + d
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_cc(a + b, n, z)
    l2, u2 = wilson_cc(a + c, n, z)
    denom = (a + b) * (c + d) * (a + c) * (b + d)
    num = a * d - b * c
    if num > 0:
        num = max(num - n / 2, 0)
    phi = num / math.sqrt(denom) if denom > 0 else 0.0
    dl = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    du = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return max(-1.0, p1 - p2 - dl), min(1.0, p1 - p2 + du)


def median_interval(values, level=0.95):
    x = sorted(values)
    n = len(x)
    best = 0
    for k in range(1, (n + 1) // 2 + 1):
        if 1 - 2 * stats.binom.cdf(k - 1, n, 0.5) >= level - 1e-12:
            best = k
    if best == 0:
        return x[0], x[-1], max(0.0, 1 - 2 * 0.5 ** n), True
    return x[best - 1], x[n - best], level, False


def sign_flip_p(d):
    obs = abs(sum(d))
    tol = 1e-9 * max(1.0, obs)
    hits = sum(1 for signs in itertools.product((1, -1), repeat=len(d))
               if abs(sum(s * v for s, v in zip(signs, d))) >= obs - tol)
    return hits / 2 ** len(d)


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, p[i] * (m - rank)))
        out[i] = running
    return out


def exact_power(n, effect, alpha=0.05):
    """Power of the two-sided one-sample t test: noncentral t."""
    df, nc = n - 1, effect * math.sqrt(n)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)


def cases(rng):
    out = {"normal_quantile": [], "t_cdf": [], "t_quantile": [], "mean_interval": [],
           "median_interval": [], "paired_rate": [], "mcnemar": [], "sign_flip": [],
           "holm": [], "power": []}
    for p in [0.001, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999]:
        out["normal_quantile"].append([p, float(stats.norm.ppf(p))])
    for _ in range(20):
        df = rng.choice([1, 2, 3, 5, 11, 30, 200])
        t = rng.uniform(-6, 6)
        out["t_cdf"].append([t, df, float(stats.t.cdf(t, df))])
        p = rng.choice([0.8, 0.9, 0.95, 0.975, 0.995, 0.05])
        out["t_quantile"].append([p, df, float(stats.t.ppf(p, df))])
    for _ in range(20):
        n = rng.choice([2, 3, 5, 10, 12, 40])
        values = [round(rng.gauss(0, 5), 4) for _ in range(n)]
        lo, hi = stats.t.interval(0.95, n - 1, loc=np.mean(values), scale=stats.sem(values))
        out["mean_interval"].append({"values": values, "lo": float(lo), "hi": float(hi)})
        lo, hi, level, is_range = median_interval(values)
        out["median_interval"].append({"values": values, "lo": lo, "hi": hi, "level": level,
                                       "is_range": is_range})
    for _ in range(25):
        cells = [rng.randint(0, 12) for _ in range(4)]
        if sum(cells) == 0:
            cells[0] = 1
        lo, hi = newcombe11(*cells)
        out["paired_rate"].append({"cells": cells, "lo": lo, "hi": hi})
        b, c = cells[1], cells[2]
        p = 1.0 if b + c == 0 else float(stats.binomtest(b, b + c, 0.5).pvalue)
        out["mcnemar"].append([b, c, p])
    for _ in range(15):
        n = rng.choice([3, 4, 6, 9, 12])
        d = [rng.choice([0, 0, round(rng.gauss(1, 3), 3)]) for _ in range(n)]
        out["sign_flip"].append({"d": d, "p": sign_flip_p(d)})
    for _ in range(10):
        p = [rng.random() ** 2 for _ in range(rng.randint(1, 9))]
        out["holm"].append({"p": p, "adj": holm(p)})
    for _ in range(12):
        mean, sd = rng.uniform(0.3, 5), rng.uniform(0.5, 6)
        # The smallest n whose exact (noncentral t) power reaches 80%.
        n = 2
        while exact_power(n, mean / sd) < 0.8:
            n += 1
        out["power"].append({"mean": mean, "sd": sd, "n": n,
                             "power": float(exact_power(n, mean / sd))})
    return out


def main(argv):
    data = cases(random.Random(20261129))
    if argv[1:] == ["--write"]:
        with open(FIXED, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(f"wrote {FIXED}")
        return 0
    if len(argv) != 2:
        print(__doc__.strip())
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.json")
        with open(path, "w") as f:
            json.dump(data, f)
        env = dict(os.environ, CTXBENCH_SCIPY_CASES=path)
        r = subprocess.run([argv[1], "--gtest_filter=ScipyCasesTest.*"], env=env,
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout[-4000:])
        sys.stderr.write(r.stderr[-4000:])
        if r.returncode != 0 or "[  PASSED  ]" not in r.stdout:
            print("test_stats_scipy: FAILED", file=sys.stderr)
            return 1
    print("test_stats_scipy: every method agrees with scipy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
