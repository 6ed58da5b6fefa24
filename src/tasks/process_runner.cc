#include "tasks/process_runner.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "tasks/workspace.h"

namespace ctxbench {

void CappedOutput::Append(const char* data, size_t n) {
  total_ += static_cast<long long>(n);
  size_t i = 0;
  while (i < n && head_.size() < half_) head_.push_back(data[i++]);
  if (i == n || half_ == 0) return;
  if (tail_.size() < half_) tail_.reserve(half_);
  for (; i < n; ++i) {
    if (tail_.size() < half_) {
      tail_.push_back(data[i]);
    } else {
      tail_[tail_pos_] = data[i];
      tail_pos_ = (tail_pos_ + 1) % half_;
    }
  }
}

std::string CappedOutput::Text() const {
  std::string tail =
      tail_.size() < half_ ? tail_ : tail_.substr(tail_pos_) + tail_.substr(0, tail_pos_);
  long long elided = total_ - static_cast<long long>(head_.size() + tail.size());
  if (elided <= 0) return head_ + tail;
  return head_ + "\n[... " + std::to_string(elided) + " bytes elided ...]\n" + tail;
}

std::string ProcessResult::StatusLine(const ProcessLimits& limits) const {
  auto secs = [](double s) {
    std::string t = std::to_string(s);
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.') t.pop_back();
    return t + " s";
  };
  if (!ok) return "not started: " + error;
  if (timed_out) return "killed: wall-time limit of " + secs(limits.wall_seconds);
  if (output_limit) {
    return "killed: output limit of " + std::to_string(limits.output_kill_bytes) + " bytes";
  }
  if (disk_limit) return "killed: disk quota of " + std::to_string(limits.disk_bytes >> 20) + " MB";
  if (signal == SIGXCPU) return "killed: CPU-time limit of " + secs(limits.cpu_seconds);
  if (signal == SIGXFSZ) {
    return "killed: file-size limit of " + std::to_string(limits.file_bytes) + " bytes";
  }
  if (signal != 0)
    return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exit " + std::to_string(exit_code);
}

std::vector<std::string> ScrubbedEnvironment(const std::string& home) {
  return {"PATH=/usr/local/bin:/usr/bin:/bin",
          "HOME=" + home,
          "TMPDIR=" + home,
          "LANG=C.UTF-8",
          "LC_ALL=C.UTF-8",
          "PYTHONHASHSEED=0",
          "PYTHONDONTWRITEBYTECODE=1",
          "PYTHONUNBUFFERED=1",
          "OMP_NUM_THREADS=1",
          "OPENBLAS_NUM_THREADS=1",
          "MKL_NUM_THREADS=1",
          "MPLBACKEND=Agg"};
}

int DefaultSandboxUid() { return ::geteuid() == 0 ? 65534 : -1; }

std::string ResolveProgram(const std::string& program, const std::vector<std::string>& env) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = "/usr/bin:/bin";
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

long CountUserTasks(int uid) {
  long count = 0;
  DIR* proc = ::opendir("/proc");
  if (!proc) return 0;
  while (dirent* d = ::readdir(proc)) {
    if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
    std::ifstream status(std::string("/proc/") + d->d_name + "/status");
    std::string line;
    bool mine = false;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) == 0) mine = std::stol(line.substr(4)) == static_cast<long>(uid);
      if (line.rfind("Threads:", 0) == 0 && mine) count += std::stol(line.substr(8));
    }
  }
  ::closedir(proc);
  return count;
}

namespace {

void SetLimit(int resource, rlim_t soft, rlim_t hard) {
  rlimit r{soft, hard};
  ::setrlimit(resource, &r);
}

[[noreturn]] void ChildFail(int fd, const char* what) {
  int err = errno;
  char buf[256];
  int n = std::snprintf(buf, sizeof buf, "%s: %s", what, std::strerror(err));
  if (n > 0) (void)!::write(fd, buf, static_cast<size_t>(std::min(n, 255)));
  ::_exit(127);
}

class PosixProcessRunner final : public ProcessRunner {
 public:
  ProcessResult Run(const ProcessRequest& req) override {
    ProcessResult res;
    if (req.argv.empty()) {
      res.error = "empty command";
      return res;
    }
    std::string program = ResolveProgram(req.argv[0], req.env);
    if (program.empty()) {
      res.error = "'" + req.argv[0] + "' not found on PATH";
      return res;
    }
    // Everything the child needs is prepared before fork: after fork only
    // async-signal-safe calls are made (the harness is multithreaded).
    std::vector<char*> argv, envp;
    for (const auto& a : req.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : req.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    const ProcessLimits& lim = req.limits;
    uid_t task_uid = req.sandbox_uid >= 0 ? static_cast<uid_t>(req.sandbox_uid) : ::getuid();
    rlim_t nproc = static_cast<rlim_t>(CountUserTasks(static_cast<int>(task_uid)) + lim.processes);
    rlim_t cpu = static_cast<rlim_t>(std::max(1.0, lim.cpu_seconds));

    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      res.error = std::string("pipe: ") + std::strerror(errno);
      return res;
    }
    // A command that starts over the quota (an earlier run filled the disk)
    // may delete files, not add any: it is killed above what it started with.
    long long disk_allowed = lim.disk_bytes;
    if (disk_allowed > 0) disk_allowed = std::max(disk_allowed, WorkspaceBytes(lim.disk_dir));
    double start = Now();
    pid_t pid = ::fork();
    if (pid < 0) {
      res.error = std::string("fork: ") + std::strerror(errno);
      for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
      return res;
    }
    if (pid == 0) {
      ::setsid();
      int devnull = ::open("/dev/null", O_RDONLY);
      if (devnull < 0 || ::dup2(devnull, 0) < 0) ChildFail(err[1], "stdin");
      if (::dup2(out[1], 1) < 0 || ::dup2(out[1], 2) < 0) ChildFail(err[1], "stdout");
      ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
      SetLimit(RLIMIT_CPU, cpu, cpu + 1);
      SetLimit(RLIMIT_AS, static_cast<rlim_t>(lim.memory_bytes),
               static_cast<rlim_t>(lim.memory_bytes));
      SetLimit(RLIMIT_FSIZE, static_cast<rlim_t>(lim.file_bytes),
               static_cast<rlim_t>(lim.file_bytes));
      SetLimit(RLIMIT_CORE, 0, 0);
      if (req.sandbox_uid >= 0) {
        gid_t gid = static_cast<gid_t>(req.sandbox_uid);
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0) ChildFail(err[1], "setgid");
        SetLimit(RLIMIT_NPROC, nproc, nproc);
        if (::setuid(task_uid) != 0) ChildFail(err[1], "setuid");
      } else {
        SetLimit(RLIMIT_NPROC, nproc, nproc);
      }
      if (::chdir(req.cwd.c_str()) != 0) ChildFail(err[1], "cannot enter the workspace");
      ::execve(program.c_str(), argv.data(), envp.data());
      ChildFail(err[1], "exec");
    }
    ::close(out[1]);
    ::close(err[1]);
    char ebuf[256];
    ssize_t en = ::read(err[0], ebuf, sizeof ebuf);  // EOF at a successful exec
    ::close(err[0]);
    if (en > 0) {
      int status;
      ::waitpid(pid, &status, 0);
      ::close(out[0]);
      res.error = std::string(ebuf, static_cast<size_t>(en));
      return res;
    }
    res.ok = true;
    Supervise(pid, out[0], lim, disk_allowed, start, &res);
    ::close(out[0]);
    return res;
  }

 private:
  // Reads output until the child exits or a limit fires (the disk quota when
  // the folder holds more than `disk_allowed` bytes); kills the group and
  // reaps the child.
  static void Supervise(pid_t pid, int out_fd, const ProcessLimits& lim, long long disk_allowed,
                        double start, ProcessResult* res) {
    CappedOutput output(lim.output_bytes);
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    double deadline = start + lim.wall_seconds;
    constexpr double kDiskEvery = 0.5;
    double next_disk_check = lim.disk_bytes > 0 ? start + kDiskEvery : 1e300;
    bool out_open = true;
    bool exited = false;
    char buf[65536];
    while (!exited) {
      double left = deadline - Now();
      if (left <= 0) {
        res->timed_out = true;
        break;
      }
      double now = Now();
      if (now >= next_disk_check) {
        if (WorkspaceBytes(lim.disk_dir) > disk_allowed) {
          res->disk_limit = true;
          break;
        }
        next_disk_check = now + kDiskEvery;
      }
      pollfd fds[2] = {{out_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
      double wait_ms =
          std::min({left * 1000 + 1, pidfd >= 0 ? 1e9 : 20.0, (next_disk_check - now) * 1000 + 1});
      int timeout_ms = static_cast<int>(wait_ms);
      int n = ::poll(out_open ? fds : fds + 1, out_open ? 2 : 1, timeout_ms);
      if (n < 0 && errno != EINTR) break;
      if (out_open && (fds[0].revents & (POLLIN | POLLHUP))) {
        ssize_t r = ::read(out_fd, buf, sizeof buf);
        if (r > 0) {
          output.Append(buf, static_cast<size_t>(r));
        } else if (r == 0) {
          out_open = false;
        }
        if (output.total() > lim.output_kill_bytes) {
          res->output_limit = true;
          break;
        }
      }
      if (pidfd < 0 || (fds[1].revents & POLLIN) || !out_open) {
        siginfo_t info{};
        info.si_pid = 0;
        // WNOWAIT: the zombie keeps the pid (and group) from being reused
        // until the group is killed below.
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid) {
          exited = true;
        } else if (!out_open && pidfd < 0) {
          ::usleep(5000);
        }
      }
    }
    ::kill(-pid, SIGKILL);  // the command and anything it left behind
    int status = 0;
    ::waitpid(pid, &status, 0);
    // Drain what the group wrote before it died.
    ::fcntl(out_fd, F_SETFL, O_NONBLOCK);
    double drain_until = Now() + 0.2;
    while (out_open && Now() < drain_until && output.total() <= lim.output_kill_bytes) {
      pollfd fd = {out_fd, POLLIN, 0};
      if (::poll(&fd, 1, 20) <= 0) continue;
      ssize_t r = ::read(out_fd, buf, sizeof buf);
      if (r <= 0) break;
      output.Append(buf, static_cast<size_t>(r));
    }
    if (pidfd >= 0) ::close(pidfd);
    res->seconds = Now() - start;
    res->output = output.Text();
    res->output_total = output.total();
    if (WIFEXITED(status)) {
      res->exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      res->signal = WTERMSIG(status);
    }
  }
};

}  // namespace

std::unique_ptr<ProcessRunner> MakePosixProcessRunner() {
  return std::make_unique<PosixProcessRunner>();
}

}  // namespace ctxbench
