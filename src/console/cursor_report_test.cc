#include "console/cursor_report.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace ctxbench {
namespace {

TEST(CursorReport, ParsesTheFirstWholeReportAmongOtherBytes) {
  EXPECT_EQ(ParseCursorReport("\x1b[12;5R"), 11u);
  EXPECT_EQ(ParseCursorReport("typed\x1b[A\x1b[3;80R\x1b[9;1R"), 2u);
  EXPECT_EQ(ParseCursorReport("\x1b[1;1R"), 0u);
  EXPECT_FALSE(ParseCursorReport("\x1b[12;").has_value());
  EXPECT_FALSE(ParseCursorReport("\x1b[12R").has_value());
  EXPECT_FALSE(ParseCursorReport("\x1b[0;1R").has_value());
  EXPECT_FALSE(ParseCursorReport("").has_value());
}

// A pseudo-terminal: the test plays the terminal on the master side.
class Pty {
 public:
  Pty() { EXPECT_EQ(::openpty(&master_, &slave_, nullptr, nullptr, nullptr), 0); }
  ~Pty() {
    ::close(master_);
    ::close(slave_);
  }
  int master() const { return master_; }
  int slave() const { return slave_; }
  // What the program wrote to the terminal within `timeout_ms`.
  std::string Written(int timeout_ms) {
    std::string out;
    struct pollfd p = {master_, POLLIN, 0};
    while (out.find('n') == std::string::npos && ::poll(&p, 1, timeout_ms) > 0) {
      char buf[64];
      ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int master_ = -1;
  int slave_ = -1;
};

TEST(CursorReport, AsksTheTerminalAndRestoresItsSettings) {
  Pty pty;
  struct termios before;
  ASSERT_EQ(::tcgetattr(pty.slave(), &before), 0);
  ASSERT_TRUE(before.c_lflag & ECHO);
  std::string asked;
  std::thread terminal([&] {
    asked = pty.Written(5000);
    const char answer[] = "x\x1b[9;1R";  // a key typed first, then the report
    (void)!::write(pty.master(), answer, sizeof answer - 1);
  });
  std::optional<size_t> row = QueryCursorRow(pty.slave(), 5);
  terminal.join();
  EXPECT_EQ(asked, "\x1b[6n");
  EXPECT_EQ(row, 8u);
  struct termios after;
  ASSERT_EQ(::tcgetattr(pty.slave(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
}

TEST(CursorReport, NoAnswerWithinTheTimeoutOrNoTerminal) {
  Pty pty;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(QueryCursorRow(pty.slave(), 0.2).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));  // bounded
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(QueryCursorRow(fds[1], 0.2).has_value());
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(CursorReport, AHardStopPutsTheSettingsBackDuringAQuery) {
  Pty pty;
  struct termios before;
  ASSERT_EQ(::tcgetattr(pty.slave(), &before), 0);
  RestoreTerminalAfterQuery();  // no query under way: nothing to do
  std::optional<size_t> row;
  std::thread query([&] { row = QueryCursorRow(pty.slave(), 5); });
  EXPECT_EQ(pty.Written(5000), "\x1b[6n");  // asked: echo is off now
  struct termios during;
  ASSERT_EQ(::tcgetattr(pty.slave(), &during), 0);
  EXPECT_FALSE(during.c_lflag & ECHO);
  RestoreTerminalAfterQuery();  // as a hard stop does before the process ends
  struct termios after;
  ASSERT_EQ(::tcgetattr(pty.slave(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  // Line editing is back on: the answer reaches the query with its newline.
  const char answer[] = "\x1b[4;1R\n";
  (void)!::write(pty.master(), answer, sizeof answer - 1);
  query.join();
  EXPECT_EQ(row, 3u);
}

}  // namespace
}  // namespace ctxbench
