#include "sandbox/sandbox_runner.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

class SandboxRunner final : public ProcessRunner {
 public:
  SandboxRunner(SandboxSettings settings, std::unique_ptr<ProcessRunner> inner)
      : settings_(std::move(settings)), inner_(std::move(inner)) {}

  ProcessResult Run(const ProcessRequest& req) override {
    ProcessResult res;
    if (req.argv.empty()) {
      res.error = "empty command";
      return res;
    }
    // The sandbox's toolchain is the host's /usr: a bare name found on the
    // host's PATH is found inside.
    if (req.argv[0].find('/') == std::string::npos &&
        ResolveProgram(req.argv[0], req.env).empty()) {
      res.error = "'" + req.argv[0] + "' not found on PATH";
      return res;
    }
    if (settings_.privileged && req.sandbox_uid < 0) {
      res.error = "a sandbox run as root needs the episode's uid";
      return res;
    }
    int uid = req.sandbox_uid >= 0 ? req.sandbox_uid : static_cast<int>(::getuid());
    long nproc = CountUserTasks(uid) + req.limits.processes;
    ProcessRequest outer;
    outer.argv = BwrapCommand(settings_, req, nproc);
    outer.cwd = "/";
    outer.env = SandboxEnvironment(req.env, fs::path(req.cwd).lexically_normal().string());
    outer.limits = req.limits;
    res = inner_->Run(outer);
    // bubblewrap exits 128+N when the command died of signal N.
    if (res.ok && res.exit_code > 128 && res.exit_code <= 128 + SIGRTMAX) {
      res.signal = res.exit_code - 128;
      res.exit_code = -1;
    }
    return res;
  }

 private:
  SandboxSettings settings_;
  std::unique_ptr<ProcessRunner> inner_;
};

}  // namespace

std::unique_ptr<ProcessRunner> MakeSandboxRunner(const SandboxSettings& settings) {
  return std::make_unique<SandboxRunner>(settings, MakePosixProcessRunner());
}

Expected<std::unique_ptr<ProcessRunner>> MakeSandboxRunner() {
  SandboxSettings settings;
  settings.privileged = ::geteuid() == 0;
  return MakeCheckedSandboxRunner(settings);
}

Expected<std::unique_ptr<ProcessRunner>> MakeCheckedSandboxRunner(const SandboxSettings& settings) {
  using Result = Expected<std::unique_ptr<ProcessRunner>>;
  for (const std::string* tool : {&settings.bwrap, &settings.setpriv, &settings.prlimit}) {
    if (::access(tool->c_str(), X_OK) != 0) {
      return Result::Failure("workspace tasks run in a bubblewrap sandbox, but " + *tool +
                             " is missing (install the Debian packages bubblewrap and util-linux)");
    }
  }
  auto runner = MakeSandboxRunner(settings);
  char tmpl[] = "/tmp/ctxbench-sandbox-probe.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    return Result::Failure("cannot make a folder to check the sandbox in /tmp");
  }
  ::chmod(tmpl, 0755);
  ProcessRequest probe;
  probe.argv = {"true"};
  probe.cwd = tmpl;
  probe.env = ScrubbedEnvironment(tmpl);
  probe.limits.wall_seconds = 20;
  probe.sandbox_uid = DefaultSandboxUid();
  ProcessResult r = runner->Run(probe);
  std::error_code ec;
  fs::remove_all(tmpl, ec);
  if (!r.succeeded()) {
    std::string why = r.ok ? r.StatusLine(probe.limits) : r.error;
    std::string out = r.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (size_t nl = out.rfind('\n'); nl != std::string::npos) out = out.substr(nl + 1);
    return Result::Failure(
        "workspace tasks run in a bubblewrap sandbox, but bubblewrap cannot make one here (" + why +
        (out.empty() ? "" : ": " + out) +
        "); namespaces may be disabled (e.g. in a container without CAP_SYS_ADMIN)");
  }
  return Result(std::move(runner));
}

}  // namespace ctxbench
