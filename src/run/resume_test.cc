#include "run/resume.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ctxbench {
namespace {

// A pid that was alive and is gone: a child that exited and was reaped.
long GonePid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(JudgeRunTest, APidIsJudgedOnlyOnTheHostThatWroteIt) {
  const long self = static_cast<long>(::getpid());
  const std::string here = HostName();
  ASSERT_FALSE(here.empty());
  EXPECT_EQ(JudgeRun("running", self, here, here), RunLiveness::kAlive);
  EXPECT_EQ(JudgeRun("running", GonePid(), here, here), RunLiveness::kStopped);
  // Another machine's pid says nothing here, alive or not.
  EXPECT_EQ(JudgeRun("running", self, "node-b", here), RunLiveness::kOtherHost);
  EXPECT_EQ(JudgeRun("running", GonePid(), "node-b", here), RunLiveness::kOtherHost);
  // A run.json from before hosts were recorded: judged by its pid.
  EXPECT_EQ(JudgeRun("running", self, "", here), RunLiveness::kAlive);
  // Only a run that says it is running can be running.
  EXPECT_EQ(JudgeRun("interrupted", self, here, here), RunLiveness::kStopped);
  EXPECT_EQ(JudgeRun("complete", self, "node-b", here), RunLiveness::kStopped);
}

}  // namespace
}  // namespace ctxbench
