#include "core/hard_stop.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

namespace ctxbench {

namespace {

std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}
std::list<std::function<void()>>& Actions() {
  static std::list<std::function<void()>> actions;
  return actions;
}
std::atomic<int> g_write_fd{-1};  // the pipe's write end once the thread runs
static_assert(std::atomic<int>::is_always_lock_free, "RequestHardStop() must be signal-safe");

void Wait(int read_fd, int exit_code) {
  char byte;
  while (::read(read_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard<std::mutex> lock(Mu());  // held to the end: no action is removed
    for (auto it = Actions().rbegin(); it != Actions().rend(); ++it) (*it)();
    ::_exit(exit_code);
  }
}

}  // namespace

bool StartHardStopThread(int exit_code) {
  static std::once_flag once;
  static bool started = false;
  std::call_once(once, [exit_code] {
    int fds[2];
    // Close-on-exec: commands the harness starts (agent code) must not hold it.
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    try {
      std::thread(Wait, fds[0], exit_code).detach();
    } catch (const std::system_error&) {
      ::close(fds[0]);
      ::close(fds[1]);
      return;
    }
    g_write_fd.store(fds[1]);
    started = true;
  });
  return started;
}

bool RequestHardStop() noexcept {
  int fd = g_write_fd.load();
  if (fd < 0) return false;
  char byte = 1;
  return ::write(fd, &byte, 1) == 1;
}

HardStopAction::HardStopAction(std::function<void()> action) {
  std::lock_guard<std::mutex> lock(Mu());
  it_ = Actions().insert(Actions().end(), std::move(action));
}

HardStopAction::~HardStopAction() {
  std::lock_guard<std::mutex> lock(Mu());
  Actions().erase(it_);
}

}  // namespace ctxbench
