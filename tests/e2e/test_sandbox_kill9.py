"""The adversarial suite of issue 13, its last attack: a `kill -9` of
ctxbench while the scripted malicious agent's command has started a `setsid`
daemon and a double-forked one leaves no sandbox process on the host.
Split from test_sandbox_attacks.py (which holds the agent and its server) so
that CTest runs the two at the same time."""

import json
import os
import subprocess
import time

import harness
from test_sandbox_attacks import MARKER, Attacker, host_processes_named, serve


def daemons_asleep(marker):
    """The pids whose argv[0] is marker or marker-2: the sleeper's daemons
    once they reached `sleep`. A process between two execs briefly shows an
    empty /proc cmdline, so counting any process naming the marker can see
    two and then one while a daemon is still starting."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv0 = f.read().split(b"\0")[0]
        except OSError:
            continue
        if argv0 in (marker.encode(), (marker + "-2").encode()):
            found.append(pid)
    return found


class SandboxKill9Test(harness.E2ETest):
    def test_kill_9_of_ctxbench_leaves_no_sandbox_process(self):
        attacker = Attacker("", "", 0, sleeper=True)
        httpd = serve(attacker)
        config = {
            "name": "kill9", "tasks": ["tabular_py"],
            "models": [{"name": "attacker", "kind": "openai", "model": "attacker",
                        "base_url": "http://127.0.0.1:%d/v1" % httpd.server_address[1],
                        "api_key_env": "E2E_ATTACK_KEY"}],
            "context_policies": [{"name": "full", "type": "full"}],
            "reasoning_modes": ["agentic"], "seeds": [1], "num_steps": 2,
        }
        with open(os.path.join(self.workdir, "config.json"), "w") as f:
            json.dump(config, f)
        env = dict(os.environ, E2E_ATTACK_KEY="sk-attack-test")
        with open(os.path.join(self.workdir, "stderr.txt"), "w") as stderr:
            proc = subprocess.Popen([harness.BINARY, "run", "--config", "config.json"],
                                    cwd=self.workdir, env=env, stdout=subprocess.DEVNULL,
                                    stderr=stderr)
        try:
            deadline = time.time() + 90
            while len(daemons_asleep(MARKER)) < 2 and time.time() < deadline:
                time.sleep(0.2)
            with open(os.path.join(self.workdir, "stderr.txt")) as f:
                log = f.read()
            self.assertEqual(len(daemons_asleep(MARKER)), 2, "no daemons: " + log[-2000:])
            proc.kill()  # SIGKILL: no chance to clean up
            proc.wait()
            deadline = time.time() + 10
            while host_processes_named(MARKER) and time.time() < deadline:
                time.sleep(0.1)
            self.assertEqual(host_processes_named(MARKER), [])
        finally:
            if proc.poll() is None:
                proc.kill()
            httpd.shutdown()


if __name__ == "__main__":
    harness.main()
