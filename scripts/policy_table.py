#!/usr/bin/env python3
"""Prints the per-policy table of docs/policies.md from a run folder.

    python3 scripts/policy_table.py RUN_DIR

Reads RUN_DIR/results.db (the SQLite store of `ctxbench run`) and prints, for
each policy and mode, means per episode over all tasks and seeds: successes,
mean improvement, mean tokens (prompt + completion, summariser calls
included), mean context tokens per step, repeated configs per episode and
summariser calls.
"""
import json
import os
import sqlite3
import sys


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    db_path = os.path.join(argv[1], "results.db")
    if not os.path.isfile(db_path):
        print(f"policy_table: {db_path}: not found (is {argv[1]} a run folder?)", file=sys.stderr)
        return 2
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT policy, mode, success, improvement_pct, prompt_tokens + completion_tokens,"
        " repeated_configs, outcome_json FROM episodes ORDER BY rowid").fetchall()
    cells = {}
    for policy, mode, success, improvement, tokens, repeated, outcome in rows:
        o = json.loads(outcome or "{}")
        c = cells.setdefault((policy, mode), [])
        c.append((success or 0, improvement or 0.0, tokens or 0, o.get("mean_context_tokens", 0),
                  repeated or 0, o.get("summaries", 0)))
    print("| policy | mode | success | mean improvement | mean tokens |"
          " mean context tokens/step | repeated configs/episode | summariser calls |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (policy, mode), c in cells.items():
        n = len(c)
        mean = lambda i: sum(r[i] for r in c) / n  # noqa: E731
        print(f"| {policy} | {mode} | {sum(r[0] for r in c)}/{n} | {mean(1):+.1f}% |"
              f" {mean(2):.0f} | {mean(3):.0f} | {mean(4):.1f} | {sum(r[5] for r in c)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
