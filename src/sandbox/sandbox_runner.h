// A ProcessRunner that runs every command in a fresh bubblewrap sandbox
// (sandbox/bwrap_command.h says what the sandbox holds). Limits are those of
// the POSIX runner: rlimits, a wall-clock limit and an output cap; the wall
// limit kills bubblewrap, and with it the sandbox's PID namespace, so no
// process of the command (setsid daemons included) outlives it, its limit,
// the episode or ctxbench itself (--die-with-parent).
//
// Error channel as ProcessRunner: ok=false with `error` when the command
// cannot start (its program is not on the toolchain's PATH). A command killed
// by a signal inside the sandbox reports `signal` (bubblewrap's 128+N exit).
// Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/expected.h"
#include "sandbox/bwrap_command.h"
#include "tasks/process_runner.h"

namespace ctxbench {

// A sandbox runner for this machine: privileged when the harness is root.
// Checks that bubblewrap, setpriv and prlimit are installed and that a
// sandbox can be made here (namespaces allowed) by running one; fails with
// one line naming the cause when not (never null when ok; never throws).
Expected<std::unique_ptr<ProcessRunner>> MakeSandboxRunner();

// The same check with the given settings (MakeSandboxRunner() passes the
// defaults, privileged when the harness is root).
Expected<std::unique_ptr<ProcessRunner>> MakeCheckedSandboxRunner(const SandboxSettings& settings);

// The same with explicit settings and no check (tests).
std::unique_ptr<ProcessRunner> MakeSandboxRunner(const SandboxSettings& settings);

}  // namespace ctxbench
