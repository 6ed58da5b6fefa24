#include "sandbox/bwrap_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

bool HasSequence(const std::vector<std::string>& argv, const std::vector<std::string>& seq) {
  return std::search(argv.begin(), argv.end(), seq.begin(), seq.end()) != argv.end();
}

TEST(SandboxArgumentTest, MapsTheWorkspaceAndNormalisesOtherPaths) {
  EXPECT_EQ(SandboxArgument("/r/ws/train.py", "/r/ws"), "/workspace/train.py");
  EXPECT_EQ(SandboxArgument("/r/ws", "/r/ws"), "/workspace");
  EXPECT_EQ(SandboxArgument("/r/ws.hidden/labels.csv", "/r/ws"), "/r/ws.hidden/labels.csv");
  EXPECT_EQ(SandboxArgument("/t/a_ws/../a", "/r/ws"), "/t/a");
  EXPECT_EQ(SandboxArgument("params.json", "/r/ws"), "params.json");
  EXPECT_EQ(SandboxArgument("--seed", "/r/ws"), "--seed");
}

TEST(SandboxEnvironmentTest, HomeAndTmpLeaveTheWorkspace) {
  std::vector<std::string> env =
      SandboxEnvironment({"HOME=/r/ws", "TMPDIR=/r/ws", "X=/r/ws/a:/r/ws/b", "LANG=C"}, "/r/ws");
  EXPECT_EQ(
      env, (std::vector<std::string>{"HOME=/tmp/home", "TMPDIR=/tmp", "X=/workspace/a:/workspace/b",
                                     "LANG=C", "PYTHONNOUSERSITE=1"}));
}

TEST(BwrapCommandTest, PrivilegedDropsToTheEpisodeUidWithoutAUserNamespace) {
  ScratchDir scratch;
  ProcessRequest req;
  req.argv = {"python3", scratch.Path("eval.py"), scratch.Path("ws") + "/x.csv"};
  req.cwd = scratch.Path("ws");
  req.sandbox_uid = 200123;
  std::filesystem::create_directories(scratch.Path("ws"));
  { std::ofstream(scratch.Path("eval.py")) << "print(1)\n"; }
  SandboxSettings s;
  std::vector<std::string> argv = BwrapCommand(s, req, 40);
  EXPECT_EQ(argv.front(), s.bwrap);
  for (const char* flag : {"--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                           "--die-with-parent", "--new-session"}) {
    EXPECT_TRUE(HasSequence(argv, {flag})) << flag;
  }
  EXPECT_FALSE(HasSequence(argv, {"--unshare-user"}));
  EXPECT_FALSE(HasSequence(argv, {"--unshare-all"}));  // would add a user namespace
  EXPECT_TRUE(HasSequence(argv, {"--bind", scratch.Path("ws"), "/workspace"}));
  EXPECT_TRUE(HasSequence(argv, {"--ro-bind", scratch.Path("eval.py"), scratch.Path("eval.py")}));
  EXPECT_TRUE(HasSequence(argv, {"--chdir", "/workspace"}));
  EXPECT_TRUE(HasSequence(argv, {"--reuid=200123", "--regid=200123", "--clear-groups"}));
  EXPECT_TRUE(HasSequence(argv, {"--no-new-privs"}));
  EXPECT_TRUE(HasSequence(
      argv, {"--nproc=40", "--", "python3", scratch.Path("eval.py"), "/workspace/x.csv"}));
  // The run folder holding the workspace is never bound.
  EXPECT_FALSE(HasSequence(argv, {"--ro-bind", scratch.Path(), scratch.Path()}));
}

TEST(BwrapCommandTest, UnprivilegedUsesAUserNamespaceAndNoSetpriv) {
  ProcessRequest req;
  req.argv = {"sh", "-c", "true"};
  req.cwd = "/r/ws";
  SandboxSettings s;
  s.privileged = false;
  std::vector<std::string> argv = BwrapCommand(s, req, 10);
  EXPECT_TRUE(HasSequence(argv, {"--unshare-user"}));
  EXPECT_FALSE(HasSequence(argv, {s.setpriv}));
  EXPECT_FALSE(HasSequence(argv, {"--cap-add"}));
}

}  // namespace
}  // namespace ctxbench
