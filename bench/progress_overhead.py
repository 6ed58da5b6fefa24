"""Overhead of the progress display (docs/progress.md): wall and CPU time of
the same sim `ctxbench run` with `--progress none` and with `--progress live`
on a pseudo-terminal (120x40, read continuously, as a terminal emulator
would), and `--progress json` to a pipe; runs interleaved (none, live, json,
none, live, json, ...; the order rotates each round), each display run
compared with the `none` run of its own round; also the CPU time of the live
view's own thread ("ctxbench-view", read from /proc while the run goes).
With --instructions, each run goes under `valgrind --tool=callgrind` instead
and the script compares the instructions executed (every thread, user space):
a count that a loaded machine does not move the way it moves times. Under
valgrind the program runs some 50x slower while the view still redraws on its
wall-clock timer (4 frames a second), so the live view draws ~50x more frames
per unit of work than it would natively: the measured share is an upper bound.
See bench/README.md.

usage: python3 bench/progress_overhead.py BUILD_DIR [ROUNDS [SEEDS [NUM_STEPS]]]
       python3 bench/progress_overhead.py --instructions BUILD_DIR [ROUNDS [SEEDS [NUM_STEPS]]]"""

import fcntl
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time

from sim_grid import children_cpu, parse_args, quartiles, scratch_with_config, sim_config

CONFIG = sim_config("progress-overhead")


TICK = os.sysconf("SC_CLK_TCK")
view_cpu = [0.0]  # the live run's display thread, seconds of CPU (last sample)


def thread_cpu(pid, name):
    """CPU seconds (user + system) of `pid`'s thread called `name`, 0 if none."""
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            if stat[stat.index("(") + 1:stat.rindex(")")] == name:
                fields = stat[stat.rindex(")") + 2:].split()
                return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, ValueError):
        pass
    return 0.0


CALLGRIND = []  # the valgrind prefix with --instructions


def callgrind_total(path):
    """Instructions executed (Ir) in a callgrind output file."""
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    sys.exit("no totals in " + path)


def run(binary, work, out, mode):
    """Wall and CPU seconds of one run, and the bytes it wrote to stderr (with
    --instructions: the instructions it executed instead of the bytes)."""
    args = [binary, "run", "--config", "config.json", "--out", out, "--progress", mode]
    cg_out = None
    if CALLGRIND:
        cg_out = out + ".callgrind"
        args = CALLGRIND + ["--callgrind-out-file=" + cg_out] + args
    if mode == "json":
        args += ["--progress-interval", "0.25"]
    before = children_cpu()
    start = time.monotonic()
    if mode == "live":
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        got = bytearray()

        def drain():
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                got.extend(chunk)

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        env = dict(os.environ, TERM="xterm-256color")
        proc = subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=slave)
        while proc.poll() is None:
            view_cpu[0] = max(view_cpu[0], thread_cpu(proc.pid, "ctxbench-view"))
            time.sleep(0.02)
        os.close(slave)
        reader.join(5)
        os.close(master)
        err = bytes(got)
    else:
        proc = subprocess.run(args, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = proc.stderr
    took = time.monotonic() - start
    cpu = children_cpu() - before
    if proc.returncode != 0:
        sys.exit("run failed (%s):\n%s" % (mode, err.decode(errors="replace")[-2000:]))
    if cg_out:
        return took, cpu, callgrind_total(cg_out)
    return took, cpu, len(err)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--instructions":
        del sys.argv[1]
        CALLGRIND.extend(["valgrind", "--tool=callgrind", "--quiet"])
    binary, rounds = parse_args(CONFIG, 9)
    work = scratch_with_config("ctxbench-progress-bench-", CONFIG)
    modes = ["none", "live", "json"]
    wall = {m: [] for m in modes}
    cpu = {m: [] for m in modes}
    view_share = []  # the display thread's CPU over the live run's wall time
    written = {m: [] for m in modes}
    for i in range(rounds):
        order = modes[i % 3:] + modes[:i % 3]
        for mode in order:
            view_cpu[0] = 0.0
            t, c, n = run(binary, work, os.path.join(work, "%s%d" % (mode, i)), mode)
            if mode == "live":
                view_share.append(view_cpu[0] / t * 100)
            wall[mode].append(t)
            cpu[mode].append(c)
            written[mode].append(n)
    print("config: %s" % json.dumps(CONFIG))
    print("rounds: %d, each runs none, live and json once (order rotating)" % rounds)
    if CALLGRIND:
        for mode in modes:
            print("%-4s: instructions median %d (min %d, max %d), wall median %.1f s under valgrind" %
                  (mode, statistics.median(written[mode]), min(written[mode]),
                   max(written[mode]), statistics.median(wall[mode])))
        for mode in ("live", "json"):
            pairs = [(b - a) / a * 100 for a, b in zip(written["none"], written[mode])]
            print("%s vs none: instructions %+.3f%% (paired median; quartiles %+.3f%% .. %+.3f%%)"
                  % (mode, statistics.median(pairs), *quartiles(pairs)))
        same = [(b - a) / a * 100 for a, b in zip(written["none"], written["none"][1:])]
        if same:
            print("none vs the previous none: %+.3f%% .. %+.3f%% (the count's own spread)" %
                  (min(same), max(same)))
        print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
        return
    for mode in modes:
        print("%-4s: wall median %.3f s (min %.3f), cpu median %.3f s, stderr %.1f KiB" %
              (mode, statistics.median(wall[mode]), min(wall[mode]),
               statistics.median(cpu[mode]), statistics.median(written[mode]) / 1024))
    for mode in ("live", "json"):
        pairs = [(b - a) / a * 100 for a, b in zip(wall["none"], wall[mode])]
        cpairs = [(b - a) / a * 100 for a, b in zip(cpu["none"], cpu[mode])]
        print("%s vs none: wall %+.2f%% (paired median; quartiles %+.2f%% .. %+.2f%%), "
              "cpu %+.2f%% (quartiles %+.2f%% .. %+.2f%%)" %
              (mode, statistics.median(pairs), *quartiles(pairs),
               statistics.median(cpairs), *quartiles(cpairs)))
    print("live display thread: %.3f%% of a core over the run (median; max %.3f%%; "
          "sampled every 20 ms, resolution 1/%d s)" %
          (statistics.median(view_share), max(view_share), TICK))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
