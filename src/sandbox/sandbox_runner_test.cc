// Runs a small scripted attacker in the real sandbox: each attack must be
// blocked. Skipped (with the reason) where bubblewrap cannot run.
#include "sandbox/sandbox_runner.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class SandboxRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Expected<std::unique_ptr<ProcessRunner>> made = MakeSandboxRunner();
    if (!made) GTEST_SKIP() << made.error();
    runner_ = std::move(made).value();
    // A run folder: the workspace, and beside it what the agent must not see.
    ws_ = scratch_.Path("run/workspaces/ep");
    fs::create_directories(ws_);
    ::chmod(ws_.c_str(), 01777);
    secret_ = scratch_.Path("run/results.db");
    std::ofstream(secret_) << "other episodes' scores\n";
    ::chmod(secret_.c_str(), 0644);
  }
  ProcessResult Sh(const std::string& script, ProcessLimits limits = {}) {
    ProcessRequest req;
    req.argv = {"sh", "-c", script};
    req.cwd = ws_;
    req.env = ScrubbedEnvironment(ws_);
    req.limits = limits;
    req.sandbox_uid = DefaultSandboxUid();
    return runner_->Run(req);
  }

  ScratchDir scratch_;
  std::string ws_;
  std::string secret_;
  std::unique_ptr<ProcessRunner> runner_;
};

TEST_F(SandboxRunnerTest, RunsInTheWorkspaceAsTheEpisodeUser) {
  std::ofstream(ws_ + "/in.txt") << "hello\n";
  ProcessResult r = Sh("pwd; cat in.txt; id -u; echo $HOME; echo made > out.txt");
  ASSERT_TRUE(r.succeeded()) << r.output;
  std::string uid = std::to_string(::geteuid() == 0 ? DefaultSandboxUid() : ::geteuid());
  EXPECT_EQ(r.output, "/workspace\nhello\n" + uid + "\n/tmp/home\n");
  std::ifstream out(ws_ + "/out.txt");
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, "made");
}

TEST_F(SandboxRunnerTest, ReportsExitCodesSignalsAndMissingPrograms) {
  EXPECT_EQ(Sh("exit 3").exit_code, 3);
  ProcessResult killed = Sh("kill -XCPU $$");
  EXPECT_EQ(killed.signal, SIGXCPU);
  EXPECT_NE(killed.StatusLine({}).find("CPU-time limit"), std::string::npos);
  ProcessRequest req;
  req.argv = {"no-such-program-xyz"};
  req.cwd = ws_;
  req.env = ScrubbedEnvironment(ws_);
  req.sandbox_uid = DefaultSandboxUid();
  ProcessResult missing = runner_->Run(req);
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.error.find("not found"), std::string::npos);
}

TEST_F(SandboxRunnerTest, CannotReadShadowOrTheRunFolder) {
  ProcessResult r = Sh("cat /etc/shadow; cat " + secret_ + "; ls /etc; ls " + scratch_.Path("run"));
  EXPECT_FALSE(r.succeeded());
  EXPECT_EQ(r.output.find("root:"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("scores"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("passwd"), std::string::npos) << r.output;
  // The run folder is not there at all (not just unreadable).
  EXPECT_NE(r.output.find("No such file"), std::string::npos) << r.output;
}

TEST_F(SandboxRunnerTest, CannotWriteOutsideTheWorkspaceAndTmp) {
  ProcessResult r = Sh("for d in / /usr /etc /home /var " + scratch_.Path("run") +
                       "; do touch $d/pwned 2>/dev/null && echo WROTE $d; done; echo x > /tmp/t && "
                       "echo tmp-ok");
  EXPECT_EQ(r.output, "tmp-ok\n");
  EXPECT_FALSE(fs::exists(scratch_.Path("run/pwned")));
  EXPECT_FALSE(fs::exists("/pwned"));
}

TEST_F(SandboxRunnerTest, HasNoNetwork) {
  // A real listener on the host's loopback: the sandbox's loopback is another.
  int server = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(server, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string port = std::to_string(ntohs(addr.sin_port));
  ProcessResult r =
      Sh("python3 -c \"import socket; s = socket.socket(); s.settimeout(3); "
         "s.connect(('127.0.0.1', " +
         port + ")); print('CONNECTED')\"");
  ::close(server);
  EXPECT_FALSE(r.succeeded());
  EXPECT_EQ(r.output.find("CONNECTED"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("refused"), std::string::npos) << r.output;
}

TEST_F(SandboxRunnerTest, NoProcessOutlivesTheCommand) {
  std::string marker = "ctxbench-sandbox-daemon-" + std::to_string(::getpid());
  ProcessResult r = Sh("setsid bash -c 'exec -a " + marker +
                       " sleep 300' </dev/null >/dev/null 2>&1 & "
                       "sleep 0.2; echo started");
  ASSERT_TRUE(r.succeeded()) << r.output;
  EXPECT_EQ(r.output, "started\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  bool found = false;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::ifstream cmd(e.path() / "cmdline");
    std::string text;
    std::getline(cmd, text);
    if (text.find(marker) != std::string::npos) found = true;
  }
  EXPECT_FALSE(found) << "a setsid daemon outlived its command";
}

TEST_F(SandboxRunnerTest, WallLimitKillsTheWholeSandbox) {
  ProcessLimits limits;
  limits.wall_seconds = 0.5;
  ProcessResult r = Sh("sleep 30 & sleep 30", limits);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.seconds, 20);  // not the 30 s sleeps (loose: loaded CI machines)
}

TEST_F(SandboxRunnerTest, HarnessPythonIgnoresAgentSiteFiles) {
  // An agent-written usercustomize.py in the old HOME (the workspace) and a
  // module shadowing json next to the command: neither is imported by -I.
  fs::create_directories(ws_ + "/.local/lib/python3.11/site-packages");
  std::ofstream(ws_ + "/.local/lib/python3.11/site-packages/usercustomize.py")
      << "print('FORGED')\n";
  std::ofstream(ws_ + "/json.py") << "print('SHADOWED')\n";
  ProcessRequest req;
  req.argv = {"python3", "-I", "-c", "import json; print('clean')"};
  req.cwd = ws_;
  req.env = ScrubbedEnvironment(ws_);
  req.sandbox_uid = DefaultSandboxUid();
  ProcessResult r = runner_->Run(req);
  ASSERT_TRUE(r.succeeded()) << r.output;
  EXPECT_EQ(r.output, "clean\n");
}

TEST(SandboxRunnerCheckTest, AMissingToolFailsWithItsName) {
  SandboxSettings settings;
  settings.setpriv = "/nonexistent/setpriv";
  Expected<std::unique_ptr<ProcessRunner>> made = MakeCheckedSandboxRunner(settings);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().find("/nonexistent/setpriv is missing"), std::string::npos)
      << made.error();
}

}  // namespace
}  // namespace ctxbench
