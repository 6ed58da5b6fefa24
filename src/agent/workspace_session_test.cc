// What the agent sees of a workspace run does not depend on where the run
// folder is or how long the command took: paths are relative to the
// workspace, and no wall time is shown.
#include "agent/workspace_session.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// Answers every command with a Python-like traceback naming files by the
// absolute path of its working folder, after a "wall time" it is told.
class PathEchoRunner final : public ProcessRunner {
 public:
  explicit PathEchoRunner(double seconds, bool fail) : seconds_(seconds), fail_(fail) {}
  RunResult Run(const RunRequest& request) override {
    RunResult r;
    r.ok = true;
    r.seconds = seconds_;
    r.exit_code = fail_ ? 1 : 0;
    r.output = "cwd " + request.cwd + "\nsibling " + request.cwd + ".hidden/x\n";
    if (fail_) {
      r.output += "Traceback (most recent call last):\n  File \"" + request.cwd +
                  "/train.py\", line 3, in <module>\n    main()\nKeyError: 'dept'\n";
    } else {
      WriteFileAtomic((fs::path(request.cwd) / "metrics.json").string(), "{\"accuracy\": 0.5}");
    }
    return r;
  }

 private:
  double seconds_;
  bool fail_;
};

TaskSpec WorkspaceTask() {
  TaskSpec t;
  t.name = "ws";
  t.kind = "workspace";
  t.metric = "accuracy";
  t.workspace.run_command = {"python3", "train.py"};
  t.workspace.tools = {"run"};
  return t;
}

std::string SeenText(const std::string& dir, double seconds, bool fail) {
  fs::create_directories(dir);
  WriteFileAtomic((fs::path(dir) / "train.py").string(), "main()\n");
  TaskSpec task = WorkspaceTask();
  PathEchoRunner runner(seconds, fail);
  WorkspaceSession session(task, dir, &runner, -1);
  WorkspaceRun run = session.Run();
  return run.error + "\n" + WorkspaceRunText(1, task.metric, run);
}

TEST(WorkspaceSessionTest, RunTextsDoNotDependOnTheFolderOrTheWallTime) {
  ScratchDir scratch;
  for (bool fail : {false, true}) {
    std::string a = SeenText(scratch.Path("one/ws"), 0.123, fail);
    std::string b = SeenText(scratch.Path("elsewhere/two/ws"), 7.5, fail);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.find(scratch.Path()), std::string::npos) << a;
    EXPECT_EQ(a.find("0.12"), std::string::npos) << a;
    EXPECT_NE(a.find("cwd .\n"), std::string::npos) << a;  // the workspace itself: "."
    EXPECT_NE(a.find("sibling ../ws.hidden/x"), std::string::npos) << a;
    if (fail) {
      EXPECT_NE(a.find("File \"train.py\", line 3"), std::string::npos) << a;
    }
  }
}

}  // namespace
}  // namespace ctxbench
