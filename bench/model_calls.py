"""Model-call concurrency benchmarks against a local OpenAI-protocol server
(tests/e2e/chat_server.py, 127.0.0.1 only). See bench/README.md, section
"Model calls".

  connections: a server answering after 200 ms; 64 episodes with
               max_connections 32 vs 1 (episodes in flight follow the
               connections), and 32 with all 64 episodes in flight. Reports
               wall time, throughput and their ratio, and checks that all
               runs give identical results.
  adaptive:    the same server, but a request arriving while 8 others are in
               flight gets a 429. Static max_connections 4, 8 and 16 vs
               adaptive (starting at 16). Reports throughput relative to the
               best static setting and the share of requests rejected.

Runs are paired and interleaved: each round runs every setting once, the
order alternating between rounds. Usage:

  python3 bench/model_calls.py build/ctxbench [connections|adaptive|all] [ROUNDS]
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import chat_server  # noqa: E402


def grid(model, seeds):
    # 1 task x 2 policies x 2 modes x `seeds` seeds.
    return {"name": "bench-calls", "tasks": ["toy_tabular"], "models": [model],
            "context_policies": [{"name": "full", "type": "full"},
                                 {"name": "window2", "type": "window", "max_turns": 2}],
            "reasoning_modes": ["agentic", "controller"], "seeds": f"1-{seeds}",
            "num_steps": 2}


def model(server, scenario, **limits):
    m = {"name": "gpt", "kind": "openai", "model": "bench-gpt",
         "base_url": server.base_url(scenario), "api_key_env": "", "cache": "off",
         "timeout_s": 30, "max_retries": 20, "initial_backoff_s": 0.2, "max_backoff_s": 1,
         "deadline_s": 300}
    m.update(limits)
    return m


def run(binary, workdir, config, server):
    """Runs one grid; returns wall seconds, requests, 429s and the episodes."""
    path = os.path.join(workdir, "config.json")
    with open(path, "w") as f:
        json.dump(config, f)
    out = tempfile.mkdtemp(dir=workdir)
    requests, rejected = len(server.requests), server.rejected
    start = time.monotonic()
    proc = subprocess.run([binary, "run", "--config", path, "--out", out, "-q"],
                          cwd=workdir, capture_output=True, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"ctxbench failed:\n{proc.stderr}")
    (run_dir,) = os.listdir(out)
    with open(os.path.join(out, run_dir, "summary.json")) as f:
        episodes = json.load(f)["episodes"]
    if any(e["outcome"]["status"] != "complete" for e in episodes):
        sys.exit("an episode did not complete")
    return {"wall": wall, "requests": len(server.requests) - requests,
            "rejected": server.rejected - rejected, "episodes": episodes}


def rounds_of(binary, server, settings, rounds):
    """Runs every (name, config) once per round, alternating the order."""
    results = {name: [] for name, _ in settings}
    with tempfile.TemporaryDirectory(prefix="ctxbench-bench-calls-") as workdir:
        for r in range(rounds):
            order = settings if r % 2 == 0 else list(reversed(settings))
            for name, config in order:
                res = run(binary, workdir, config, server)
                results[name].append(res)
                print(f"  round {r + 1} {name}: {res['wall']:.2f} s, {res['requests']} requests,"
                      f" {res['rejected']} rejected", flush=True)
    return results


def connections(binary, rounds):
    server = chat_server.ChatServer(delay_s=0.2)
    try:
        settings = [(f"max_connections {n}", grid(model(server, "slow", max_connections=n), 16))
                    for n in (32, 1)]
        # Informational: all 64 episodes in flight on the 32 connections, so
        # episodes' CPU work overlaps other episodes' calls.
        wide = grid(model(server, "slow", max_connections=32), 16)
        wide["parallel"] = 64
        settings.append(("max_connections 32, parallel 64", wide))
        res = rounds_of(binary, server, settings, rounds)
    finally:
        server.stop()
    fast, slow = res["max_connections 32"], res["max_connections 1"]
    identical = all(a["episodes"] == fast[0]["episodes"] for a in fast + slow)
    print("\n| setting | episodes | requests | wall (median) | requests/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, rs in res.items():
        wall = statistics.median(r["wall"] for r in rs)
        print(f"| {name} | {len(rs[0]['episodes'])} | {rs[0]['requests']} | {wall:.2f} s |"
              f" {rs[0]['requests'] / wall:.1f} |")
    identical = identical and all(a["episodes"] == fast[0]["episodes"]
                                  for a in res["max_connections 32, parallel 64"])
    ratios = [s["wall"] / f["wall"] for f, s in zip(fast, slow)]
    print(f"\nthroughput ratio 32 vs 1, per pair: {', '.join(f'{x:.1f}x' for x in ratios)};"
          f" median {statistics.median(ratios):.1f}x; identical results: {identical}")
    wide = [s["wall"] / w["wall"] for w, s in zip(res["max_connections 32, parallel 64"], slow)]
    print(f"with parallel 64: {', '.join(f'{x:.1f}x' for x in wide)}")
    return identical and statistics.median(ratios) >= 20


def adaptive(binary, rounds):
    server = chat_server.ChatServer(delay_s=0.2, limit=8)
    try:
        settings = [(f"static {n}", grid(model(server, "limited", max_connections=n), 32))
                    for n in (4, 8, 16)]
        settings.append(("adaptive from 16", grid(model(server, "limited", max_connections=16,
                                                        adaptive=True), 32)))
        res = rounds_of(binary, server, settings, rounds)
    finally:
        server.stop()
    answered = {name: statistics.median((r["requests"] - r["rejected"]) / r["wall"] for r in rs)
                for name, rs in res.items()}
    best = max((n for n in answered if n.startswith("static")), key=answered.get)
    identical = all(r["episodes"] == res[best][0]["episodes"] for rs in res.values() for r in rs)
    print("\n| setting | requests | rejected (429) | wall (median) | answered/s | vs best static |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, rs in res.items():
        wall = statistics.median(r["wall"] for r in rs)
        req = sum(r["requests"] for r in rs)
        rej = sum(r["rejected"] for r in rs)
        print(f"| {name} | {req // len(rs)} | {rej / req:.1%} | {wall:.2f} s |"
              f" {answered[name]:.1f} | {answered[name] / answered[best]:.0%} |")
    a = res["adaptive from 16"]
    rejected = sum(r["rejected"] for r in a) / sum(r["requests"] for r in a)
    share = answered["adaptive from 16"] / answered[best]
    print(f"\nadaptive: {rejected:.1%} rejected, {share:.0%} of the best static ({best});"
          f" identical results: {identical}")
    return identical and rejected <= 0.05 and share >= 0.8


def main():
    binary = os.path.abspath(sys.argv[1])
    which = sys.argv[2] if len(sys.argv) > 2 else "all"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    ok = True
    if which in ("connections", "all"):
        print("## connections: 200 ms per call, 64 episodes")
        ok &= connections(binary, rounds)
    if which in ("adaptive", "all"):
        print("## adaptive: 429 above 8 concurrent requests")
        ok &= adaptive(binary, rounds)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
