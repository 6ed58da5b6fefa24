#include "tasks/process_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/test_scratch_dir.h"
#include "tasks/workspace.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// A world-traversable scratch folder (commands may run as nobody).
class ProcessRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path();
    fs::create_directories(dir_);
    ::chmod(dir_.c_str(), 0777);
    runner_ = MakePosixProcessRunner();
  }
  ProcessResult Sh(const std::string& script, ProcessLimits limits = {}) {
    ProcessRequest req;
    req.argv = {"sh", "-c", script};
    req.cwd = dir_.string();
    req.env = ScrubbedEnvironment(dir_.string());
    req.limits = limits;
    req.sandbox_uid = DefaultSandboxUid();
    return runner_->Run(req);
  }
  ProcessResult Py(const std::string& code, ProcessLimits limits = {}) {
    ProcessRequest req;
    req.argv = {"python3", "-c", code};
    req.cwd = dir_.string();
    req.env = ScrubbedEnvironment(dir_.string());
    req.limits = limits;
    req.sandbox_uid = DefaultSandboxUid();
    return runner_->Run(req);
  }

  ScratchDir scratch_;
  fs::path dir_;
  std::unique_ptr<ProcessRunner> runner_;
};

TEST(CappedOutputTest, KeepsHeadAndTail) {
  CappedOutput out(10);
  out.Append("0123456789abcdefghij", 20);
  EXPECT_EQ(out.total(), 20);
  EXPECT_EQ(out.Text(), "01234\n[... 10 bytes elided ...]\nfghij");
  CappedOutput small(10);
  small.Append("abc", 3);
  EXPECT_EQ(small.Text(), "abc");
}

TEST_F(ProcessRunnerTest, CapturesOutputAndExitCode) {
  ProcessResult r = Sh("echo hello; echo oops >&2; exit 3");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.output, "hello\noops\n");
  EXPECT_FALSE(r.succeeded());
  EXPECT_EQ(r.StatusLine({}), "exit 3");
}

TEST_F(ProcessRunnerTest, RunsInTheWorkspaceWithAScrubbedEnvironment) {
  ::setenv("CTXBENCH_TEST_SECRET", "sk-do-not-leak", 1);
  ProcessResult r = Sh("pwd; env");
  ::unsetenv("CTXBENCH_TEST_SECRET");
  ASSERT_TRUE(r.succeeded()) << r.output;
  EXPECT_EQ(r.output.rfind(dir_.string() + "\n", 0), 0u) << r.output;
  EXPECT_EQ(r.output.find("sk-do-not-leak"), std::string::npos);
  EXPECT_NE(r.output.find("HOME=" + dir_.string()), std::string::npos);
  EXPECT_NE(r.output.find("PYTHONHASHSEED=0"), std::string::npos);
}

TEST_F(ProcessRunnerTest, MissingProgramIsNotStarted) {
  ProcessRequest req;
  req.argv = {"no-such-program-ctxbench"};
  req.cwd = dir_.string();
  req.env = ScrubbedEnvironment(dir_.string());
  ProcessResult r = runner_->Run(req);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("not found"), std::string::npos);
}

TEST_F(ProcessRunnerTest, InfiniteLoopIsKilledAtTheWallLimit) {
  ProcessLimits limits;
  limits.wall_seconds = 0.5;
  ProcessResult r = Sh("while :; do :; done", limits);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.seconds, 15.0);  // stopped, not run forever (loose: loaded CI machines)
  EXPECT_EQ(r.StatusLine(limits), "killed: wall-time limit of 0.5 s");
}

TEST_F(ProcessRunnerTest, CpuLimitStopsABusyLoop) {
  ProcessLimits limits;
  limits.cpu_seconds = 1;
  limits.wall_seconds = 10;  // a loaded machine gives one CPU second slowly
  ProcessResult r = Sh("while :; do :; done", limits);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, SIGXCPU);
  EXPECT_EQ(r.StatusLine(limits), "killed: CPU-time limit of 1 s");
}

TEST_F(ProcessRunnerTest, BackgroundChildrenDoNotOutliveTheCommand) {
  ProcessLimits limits;
  limits.wall_seconds = 5;
  ProcessResult r = Sh("sleep 30 & echo started", limits);
  EXPECT_TRUE(r.succeeded()) << r.output;  // not killed at the 5 s wall limit
  EXPECT_FALSE(r.timed_out);
}

TEST_F(ProcessRunnerTest, ForkingIsBoundedByTheProcessLimit) {
  ProcessLimits limits;
  limits.processes = 8;
  limits.wall_seconds = 5;
  // A bounded bomb: up to 200 sleeping children, so a failing limit cannot
  // hurt the machine; the group is killed when the parent ends.
  ProcessResult r =
      Py("import os, time\n"
         "n = 0\n"
         "try:\n"
         "    for i in range(200):\n"
         "        if os.fork() == 0:\n"
         "            time.sleep(30); os._exit(0)\n"
         "        n += 1\n"
         "except OSError as e:\n"
         "    print('fork refused after', n, type(e).__name__)\n"
         "    raise SystemExit(1)\n"
         "print('forked', n)\n",
         limits);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(r.output.find("fork refused after"), std::string::npos) << r.output;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(r.timed_out);  // the sleeping children did not hold the command
}

TEST_F(ProcessRunnerTest, MemoryHogGetsAMemoryError) {
  ProcessLimits limits;
  limits.memory_bytes = 256LL << 20;
  ProcessResult r = Py("x = bytearray(1 << 30)\n", limits);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(r.output.find("MemoryError"), std::string::npos) << r.output;
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(ProcessRunnerTest, GigabytesOfOutputAreCappedAndStopped) {
  ProcessLimits limits;
  limits.output_bytes = 1000;
  limits.output_kill_bytes = 8 << 20;
  limits.wall_seconds = 60;
  ProcessResult r = Sh("yes 0123456789", limits);  // would print forever
  EXPECT_TRUE(r.output_limit);  // stopped by the output limit, not the wall limit
  EXPECT_FALSE(r.timed_out);
  EXPECT_GT(r.output_total, 8 << 20);
  EXPECT_LT(r.output.size(), 1100u);
  EXPECT_NE(r.output.find("bytes elided"), std::string::npos);
}

TEST_F(ProcessRunnerTest, FileSizeLimitStopsABigWrite) {
  ProcessLimits limits;
  limits.file_bytes = 1 << 20;
  ProcessResult r = Sh("head -c 5000000 /dev/zero > big.bin", limits);
  EXPECT_FALSE(r.succeeded());
  EXPECT_LE(fs::file_size(dir_ / "big.bin"), 1u << 20);
}

TEST_F(ProcessRunnerTest, DiskQuotaStopsACommandWhileItWrites) {
  ProcessLimits limits;
  limits.wall_seconds = 30;
  limits.disk_dir = dir_.string();
  limits.disk_bytes = 4 << 20;
  // 1 MB files, one every 50 ms: past 4 MB in about 0.2 s, 30 MB by the wall limit.
  ProcessResult r =
      Sh("i=0; while [ $i -lt 30 ]; do head -c 1048576 /dev/zero > f$i; "
         "i=$((i+1)); sleep 0.05; done",
         limits);
  EXPECT_TRUE(r.disk_limit);
  EXPECT_FALSE(r.succeeded());
  EXPECT_EQ(r.StatusLine(limits), "killed: disk quota of 4 MB");
  EXPECT_LT(WorkspaceBytes(dir_.string()), 30LL << 20);  // stopped early
}

TEST_F(ProcessRunnerTest, DiskQuotaLeavesACommandUnderItAlone) {
  ProcessLimits limits;
  limits.disk_dir = dir_.string();
  limits.disk_bytes = 4 << 20;
  ProcessResult r = Sh("head -c 1048576 /dev/zero > one.bin; sleep 0.7", limits);
  EXPECT_TRUE(r.succeeded()) << r.StatusLine(limits);
  EXPECT_FALSE(r.disk_limit);
}

// Space reserved past a file's end (size 0, real blocks) counts too.
TEST_F(ProcessRunnerTest, DiskQuotaStopsACommandReservingSpaceWithoutSize) {
  ProcessLimits limits;
  limits.wall_seconds = 30;
  limits.disk_dir = dir_.string();
  limits.disk_bytes = 4 << 20;
  ProcessResult r = Sh(": > reserved.bin && fallocate -n -l 8M reserved.bin && sleep 20", limits);
  if (r.exit_code != 0 && !r.disk_limit && r.output.find("not supported") != std::string::npos) {
    GTEST_SKIP() << "no fallocate on this filesystem: " << r.output;
  }
  EXPECT_TRUE(r.disk_limit) << r.StatusLine(limits) << " " << r.output;
  EXPECT_EQ(r.StatusLine(limits), "killed: disk quota of 4 MB");
  EXPECT_LT(r.seconds, 20);  // stopped early
}

// The recovery the quota's message asks for: the next run deletes what the
// last one left. It is not killed for the folder it was handed, however long
// it takes to start (the sleep stands in for a slow start under load).
TEST_F(ProcessRunnerTest, DiskQuotaLetsACommandStartedOverItDeleteFiles) {
  { std::ofstream(dir_ / "fill.bin") << std::string(6 << 20, 'x'); }
  ProcessLimits limits;
  limits.disk_dir = dir_.string();
  limits.disk_bytes = 4 << 20;
  ProcessResult r = Sh("sleep 0.8; rm fill.bin; head -c 1048576 /dev/zero > one.bin", limits);
  EXPECT_TRUE(r.succeeded()) << r.StatusLine(limits);
  EXPECT_FALSE(r.disk_limit);
  EXPECT_FALSE(fs::exists(dir_ / "fill.bin"));
}

TEST_F(ProcessRunnerTest, DiskQuotaStopsACommandStartedOverItThatWritesMore) {
  { std::ofstream(dir_ / "fill.bin") << std::string(6 << 20, 'x'); }
  ProcessLimits limits;
  limits.wall_seconds = 30;
  limits.disk_dir = dir_.string();
  limits.disk_bytes = 4 << 20;
  ProcessResult r =
      Sh("i=0; while [ $i -lt 30 ]; do head -c 1048576 /dev/zero > f$i; "
         "i=$((i+1)); sleep 0.05; done",
         limits);
  EXPECT_TRUE(r.disk_limit);
  EXPECT_EQ(r.StatusLine(limits), "killed: disk quota of 4 MB");
  EXPECT_LT(WorkspaceBytes(dir_.string()), 36LL << 20);  // stopped early
}

}  // namespace
}  // namespace ctxbench
