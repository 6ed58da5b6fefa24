#include "core/hard_stop.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace ctxbench {
namespace {

TEST(HardStopTest, WithoutTheThreadTheCallerExitsItself) {
  // This test process never starts the thread (the child below does).
  EXPECT_FALSE(RequestHardStop());
}

TEST(HardStopTest, RunsTheLiveActionsNewestFirstThenExits) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(out[0]);
    if (!StartHardStopThread(42)) ::_exit(2);
    auto say = [&](char c) { return [fd = out[1], c] { (void)!::write(fd, &c, 1); }; };
    HardStopAction first(say('a'));
    { HardStopAction gone(say('x')); }  // unregistered: never runs
    HardStopAction second(say('b'));
    if (!RequestHardStop()) ::_exit(3);
    ::sleep(10);  // the thread ends the process first
    ::_exit(4);
  }
  ::close(out[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::string said;
  char buf[16];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) said.append(buf, n);
  ::close(out[0]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
  EXPECT_EQ(said, "ba");
}

}  // namespace
}  // namespace ctxbench
