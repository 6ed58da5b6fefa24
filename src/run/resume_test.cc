#include "run/resume.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

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
  EXPECT_EQ(JudgeRun(std::nullopt, self, here, here), RunLiveness::kAlive);
  EXPECT_EQ(JudgeRun(std::nullopt, GonePid(), here, here), RunLiveness::kStopped);
  // Another machine's pid says nothing here, alive or not.
  EXPECT_EQ(JudgeRun(std::nullopt, self, "node-b", here), RunLiveness::kOtherHost);
  EXPECT_EQ(JudgeRun(std::nullopt, GonePid(), "node-b", here), RunLiveness::kOtherHost);
  // A run.json from before hosts were recorded: judged by its pid.
  EXPECT_EQ(JudgeRun(std::nullopt, self, "", here), RunLiveness::kAlive);
  // Only a run that says it is running can be running.
  EXPECT_EQ(JudgeRun(RunStatus::kInterrupted, self, here, here), RunLiveness::kStopped);
  EXPECT_EQ(JudgeRun(RunStatus::kComplete, self, "node-b", here), RunLiveness::kStopped);
}

// run.json's status is parsed where it is read: a name no run writes is an
// input error naming run.json and the value (before the store is opened).
TEST(ReadResumableRunTest, AnUnknownStatusInRunJsonIsAnInputErrorNamingIt) {
  ScratchDir dir;
  const std::string run = dir.Path("run");
  fs::create_directories(run);
  WriteFileAtomic(run + "/results.db", "");
  WriteFileAtomic(run + "/run.json", R"({"run_id": "r", "status": "finished", "config": {}})");
  try {
    ReadResumableRun(run);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    std::string what = e.what();
    EXPECT_NE(what.find(run + "/run.json"), std::string::npos) << what;
    EXPECT_NE(what.find("unknown run status 'finished'"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace ctxbench
