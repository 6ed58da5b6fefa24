// Running an agent's command: a child process with resource limits, a
// wall-clock timeout, a capped output and a scrubbed environment.
//
// Error channel: Run() never throws for what the command does (a crash, a
// timeout, a limit); those are fields of the result. It returns ok=false with
// `error` when the command cannot be started at all (no such program).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace ctxbench {

struct ProcessLimits {
  double wall_seconds = 60;            // the whole process group is killed after this
  double cpu_seconds = 60;             // RLIMIT_CPU
  long long memory_bytes = 2LL << 30;  // RLIMIT_AS
  long long file_bytes = 64LL << 20;   // RLIMIT_FSIZE: largest file the command may write
  int processes = 32;                  // RLIMIT_NPROC headroom over the sandbox user's count
  size_t output_bytes = 16 << 10;      // output kept: the first and last halves of this
  // Output beyond this many bytes stops the command ("output limit").
  long long output_kill_bytes = 64LL << 20;
  // > 0: the command is killed once `disk_dir` holds more than this many
  // bytes (apparent sizes, links not followed), checked every 0.5 s while it
  // runs, so it overshoots by at most what it writes in half a second. A
  // command that starts with the folder already over it may shrink it: it is
  // killed only above what the folder held at its start.
  long long disk_bytes = 0;
  std::string disk_dir;
};

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is looked up on the environment's PATH
  std::string cwd;                // absolute
  std::vector<std::string> env;   // "NAME=value", the command's whole environment
  ProcessLimits limits;
  // When the harness runs as root the command runs as this uid/gid (nobody),
  // so that RLIMIT_NPROC applies; -1 keeps the harness's user.
  int sandbox_uid = -1;
  // Sandboxed runs only: the working directory is mounted read-only (the
  // harness's evaluation reads the agent's outputs but cannot change them).
  bool workspace_read_only = false;
};

struct ProcessResult {
  bool ok = false;             // the command started (whatever its exit)
  std::string error;           // !ok: why it could not start
  int exit_code = -1;          // -1 when killed by a signal
  int signal = 0;              // the signal that ended it, 0 if none
  bool timed_out = false;      // killed at wall_seconds
  bool output_limit = false;   // killed at output_kill_bytes
  bool disk_limit = false;     // killed at disk_bytes
  std::string output;          // stdout and stderr interleaved, capped
  long long output_total = 0;  // bytes the command printed
  double seconds = 0;          // wall time from fork to reaping

  bool succeeded() const { return ok && exit_code == 0 && signal == 0; }
  // One line: "exit 0", "killed: wall-time limit of 2 s", "killed by signal 9 (CPU limit)".
  std::string StatusLine(const ProcessLimits& limits) const;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Thread-safe.
  virtual ProcessResult Run(const ProcessRequest& request) = 0;
};

// fork/exec with setsid, setrlimit, a scrubbed environment and all other file
// descriptors closed; kills the process group at the timeout and once the
// command exits (so no background child outlives it).
std::unique_ptr<ProcessRunner> MakePosixProcessRunner();

// The environment agent commands get: PATH, LANG, HOME and TMPDIR pointing
// into `home`, PYTHONHASHSEED=0, one thread for OpenMP/BLAS, and nothing
// inherited from the harness (no API keys).
std::vector<std::string> ScrubbedEnvironment(const std::string& home);

// Tasks (threads count for RLIMIT_NPROC) that `uid` runs now, read from /proc.
long CountUserTasks(int uid);

// Where a sandboxed command sees its workspace (its working directory).
inline constexpr char kSandboxWorkspace[] = "/workspace";

// The path of `program` on the PATH of `env` ("PATH=..."; /usr/bin:/bin
// without one), "" when not found there; a name with a '/' is returned as is.
std::string ResolveProgram(const std::string& program, const std::vector<std::string>& env);

// The uid commands run as by default: 65534 (nobody) when the harness is
// root, else -1 (unchanged).
int DefaultSandboxUid();

// Keeps the first and last `cap / 2` bytes of a stream and counts the rest.
class CappedOutput {
 public:
  explicit CappedOutput(size_t cap) : half_(cap / 2) {}
  void Append(const char* data, size_t n);
  long long total() const { return total_; }
  // head + "\n[... N bytes elided ...]\n" + tail, or everything when it fit.
  std::string Text() const;

 private:
  size_t half_;
  long long total_ = 0;
  std::string head_;
  std::string tail_;  // ring buffer of the last half_ bytes
  size_t tail_pos_ = 0;
};

}  // namespace ctxbench
