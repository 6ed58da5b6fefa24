// The bubblewrap command line that runs one command in a fresh sandbox.
//
// The sandbox: new mount, PID, network, IPC, UTS and cgroup namespaces (no
// network at all); the toolchain (/usr and Debian's merged-/usr symlinks, a
// few /etc files) read-only; a private /proc and /dev; /tmp a size-capped
// tmpfs with HOME at /tmp/home; the request's working directory bound
// read-write at kSandboxWorkspace (read-only when req.workspace_read_only:
// the harness's evaluation); and, read-only at their own paths, the
// files and folders the command line names by absolute path (a task's hidden
// evaluation script, the ctxbench binary). Nothing else of the host is
// visible: not the run folder's traces or results.db, not other episodes'
// workspaces. The command line comes from the task spec, never from the
// agent, so naming a path there is the harness's choice.
//
// As root (privileged) no user namespace is made: bubblewrap keeps only
// CAP_SETUID, CAP_SETGID and CAP_SETPCAP, and setpriv drops to the request's
// sandbox_uid with no capabilities, no groups and no_new_privs before the
// command runs. As another user, an unprivileged user namespace is used and
// the command keeps that user. prlimit sets RLIMIT_NPROC for the final user.
//
// Pure functions of their arguments (they read only whether paths exist).
#pragma once

#include <string>
#include <vector>

#include "tasks/process_runner.h"

namespace ctxbench {

struct SandboxSettings {
  std::string bwrap = "/usr/bin/bwrap";
  std::string setpriv = "/usr/bin/setpriv";
  std::string prlimit = "/usr/bin/prlimit";
  // The harness is root: setpriv drops to the request's sandbox_uid.
  bool privileged = true;
  long long tmp_bytes = 256LL << 20;  // size of the private /tmp
};

// The full argv: bwrap, its options, then [setpriv ... --] prlimit ... -- and
// the request's argv with workspace paths mapped to kSandboxWorkspace.
// `nproc` is the RLIMIT_NPROC the command gets. REQUIRES: req.cwd absolute,
// req.argv non-empty, req.sandbox_uid >= 0 when privileged.
std::vector<std::string> BwrapCommand(const SandboxSettings& settings, const ProcessRequest& req,
                                      long nproc);

// `env` as the sandboxed command sees it: HOME=/tmp/home, TMPDIR=/tmp,
// PYTHONNOUSERSITE=1 and the workspace's host path replaced by
// kSandboxWorkspace in every value.
std::vector<std::string> SandboxEnvironment(const std::vector<std::string>& env,
                                            const std::string& workspace);

// `arg` with the host workspace folder mapped to kSandboxWorkspace; other
// absolute paths lexically normalised; anything else unchanged.
std::string SandboxArgument(const std::string& arg, const std::string& workspace);

}  // namespace ctxbench
