#include "console/cursor_report.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <string>

namespace ctxbench {

namespace {

// The terminal a query has quiet (-1: none) and its settings before.
std::atomic<int> g_quiet_tty{-1};
struct termios g_saved_settings;
static_assert(std::atomic<int>::is_always_lock_free, "read in a signal handler");

}  // namespace

std::optional<size_t> ParseCursorReport(std::string_view bytes) {
  for (size_t at = bytes.find("\x1b["); at != std::string_view::npos;
       at = bytes.find("\x1b[", at + 1)) {
    size_t i = at + 2, row = 0, digits = 0;
    for (; i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '9' && digits < 6; ++i, ++digits) {
      row = row * 10 + static_cast<size_t>(bytes[i] - '0');
    }
    if (digits == 0 || row == 0 || i >= bytes.size() || bytes[i] != ';') continue;
    size_t column_digits = 0;
    for (++i; i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '9'; ++i) ++column_digits;
    if (column_digits > 0 && i < bytes.size() && bytes[i] == 'R') return row - 1;
  }
  return std::nullopt;
}

std::optional<size_t> QueryCursorRow(int fd, double timeout_s) {
  if (!::isatty(fd)) return std::nullopt;
  // Only the foreground job may read its terminal (a background one would be
  // stopped by SIGTTIN). -1: not our controlling terminal, so no job control.
  pid_t foreground = ::tcgetpgrp(fd);
  if (foreground != -1 && foreground != ::getpgrp()) return std::nullopt;
  const char* name = ::ttyname(fd);
  if (name == nullptr) return std::nullopt;
  int tty = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (tty < 0) return std::nullopt;
  std::optional<size_t> row;
  struct termios saved;
  if (::tcgetattr(tty, &saved) == 0) {
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    quiet.c_cc[VMIN] = 0;
    quiet.c_cc[VTIME] = 0;
    g_saved_settings = saved;
    g_quiet_tty.store(tty);
    if (::tcsetattr(tty, TCSANOW, &quiet) == 0) {
      static constexpr char kAsk[] = "\x1b[6n";
      if (::write(tty, kAsk, sizeof kAsk - 1) == static_cast<ssize_t>(sizeof kAsk - 1)) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
        std::string answer;
        while (!row && answer.size() < 4096) {
          auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
              deadline - std::chrono::steady_clock::now());
          if (left.count() <= 0) break;
          struct pollfd p = {tty, POLLIN, 0};
          int ready = ::poll(&p, 1, static_cast<int>(left.count()));
          if (ready < 0 && errno == EINTR) continue;
          if (ready <= 0) break;
          char buf[256];
          ssize_t n = ::read(tty, buf, sizeof buf);
          if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
          if (n <= 0) break;
          answer.append(buf, static_cast<size_t>(n));
          row = ParseCursorReport(answer);
        }
      }
    }
    g_quiet_tty.store(-1);
    ::tcsetattr(tty, TCSANOW, &saved);
  }
  ::close(tty);
  return row;
}

void RestoreTerminalAfterQuery() noexcept {
  int tty = g_quiet_tty.load();
  if (tty >= 0) ::tcsetattr(tty, TCSANOW, &g_saved_settings);
}

}  // namespace ctxbench
