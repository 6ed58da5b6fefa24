"""Overhead of Phoenix/OTLP export: wall time of the same `ctxbench run` with
export off and on (to a local OTLP/HTTP receiver on 127.0.0.1 that answers 200
to every POST), alternating off/on runs, median of each; also the CPU time
(user + system) of each run, which a shared machine's load disturbs less than
the wall time. See bench/README.md.

usage: python3 bench/telemetry_overhead.py BUILD_DIR [REPEATS [SEEDS [NUM_STEPS]]]"""

import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time

from sim_grid import children_cpu, parse_args, quartiles, scratch_with_config, sim_config

CONFIG = sim_config("overhead")


class Sink(http.server.BaseHTTPRequestHandler):
    requests = 0
    bytes = 0

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        Sink.requests += 1
        Sink.bytes += n
        self.send_response(200 if self.headers.get("Content-Type") == "application/x-protobuf"
                           else 415)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    binary, repeats = parse_args(CONFIG, 5)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = scratch_with_config("ctxbench-otlp-bench-", CONFIG)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOENIX_", "OTEL_"))}
    on_env = dict(base_env, PHOENIX_COLLECTOR_ENDPOINT="http://127.0.0.1:%d" % server.server_address[1])
    times = {"off": [], "on": []}
    cpu = {"off": [], "on": []}
    for i in range(repeats):
        for label, env in (("off", base_env), ("on", on_env)):
            out = os.path.join(work, "%s%d" % (label, i))
            before = children_cpu()
            start = time.monotonic()
            proc = subprocess.run([binary, "run", "--config", "config.json", "--out", out, "-q"],
                                  cwd=work, env=env, capture_output=True, text=True)
            took = time.monotonic() - start
            cpu[label].append(children_cpu() - before)
            if proc.returncode != 0 or "telemetry" in proc.stderr:
                sys.exit("run failed or warned:\n" + proc.stderr)
            times[label].append(took)
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    print("config: %s" % json.dumps(CONFIG))
    print("runs: %d off + %d on, alternating" % (repeats, repeats))
    print("export off: median %.2f s (min %.2f)" % (off, min(times["off"])))
    print("export on:  median %.2f s (min %.2f)" % (on, min(times["on"])))
    print("ratio on/off: %.3f (median), %.3f (min)" % (on / off, min(times["on"]) / min(times["off"])))
    # Each on run comes right after its off run: the ratio within a pair sees
    # the same machine load, so the median of the pair ratios is steadier.
    pairs = [b / a for a, b in zip(times["off"], times["on"])]
    print("paired ratio on/off: median %.3f (quartiles %.3f-%.3f)" %
          (statistics.median(pairs), *quartiles(pairs)))
    coff, con = statistics.median(cpu["off"]), statistics.median(cpu["on"])
    print("cpu (user+sys) off: median %.3f s, on: median %.3f s, ratio %.3f" % (coff, con, con / coff))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    print("receiver: %d requests, %.1f KiB (gzip) per run" %
          (Sink.requests / repeats, Sink.bytes / repeats / 1024))
    server.shutdown()


if __name__ == "__main__":
    main()
