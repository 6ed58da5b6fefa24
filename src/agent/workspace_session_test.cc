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
  ProcessResult Run(const ProcessRequest& request) override {
    ProcessResult r;
    r.ok = true;
    r.seconds = seconds_;
    if (request.workspace_read_only) {  // the harness's evaluation
      evaluated_argv = request.argv;
      r.exit_code = 0;
      r.output = "scoring " + request.cwd + "\n{\"valid_metric\": 0.625, \"test_metric\": 0.5}\n";
      return r;
    }
    r.exit_code = fail_ ? 1 : 0;
    r.output = "cwd " + request.cwd + "\nsibling " + request.cwd + ".hidden/x\n";
    if (fail_) {
      r.output += "Traceback (most recent call last):\n  File \"" + request.cwd +
                  "/train.py\", line 3, in <module>\n    main()\nKeyError: 'dept'\n";
    } else {
      // The agent's code claims more than the evaluation finds.
      WriteFileAtomic((fs::path(request.cwd) / "metrics.json").string(), "{\"accuracy\": 0.999}");
    }
    return r;
  }

  std::vector<std::string> evaluated_argv;

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
  t.workspace.eval_command = {"python3", "/task/hidden/eval.py", "{hidden}/valid_labels.csv"};
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

TEST(WorkspaceSessionTest, TheHarnessEvaluationDecidesAndMetricsJsonIsOnlyAClaim) {
  ScratchDir scratch;
  std::string dir = scratch.Path("ws");
  fs::create_directories(dir);
  TaskSpec task = WorkspaceTask();
  PathEchoRunner runner(0.1, false);
  WorkspaceSession session(task, dir, &runner, -1);
  WorkspaceRun run = session.Run();
  ASSERT_TRUE(run.ok) << run.error;
  EXPECT_EQ(run.metric, 0.625);  // the evaluation's, not metrics.json's 0.999
  ASSERT_TRUE(run.reported_metric.has_value());
  EXPECT_EQ(*run.reported_metric, 0.999);
  Expected<double> test = session.HiddenTest();
  ASSERT_TRUE(test) << test.error();
  EXPECT_EQ(*test, 0.5);
  // Isolated Python, the episode's hidden folder filled in.
  ASSERT_GE(runner.evaluated_argv.size(), 4u);
  EXPECT_EQ(runner.evaluated_argv[1], "-I");
  EXPECT_EQ(runner.evaluated_argv[3], dir + ".hidden/valid_labels.csv");
  EXPECT_NE(WorkspaceRunText(1, task.metric, run).find("0.625"), std::string::npos);
}

TEST(WorkspaceSessionTest, ARunOverTheDiskQuotaFailsWithAnObservation) {
  ScratchDir scratch;
  std::string dir = scratch.Path("ws");
  fs::create_directories(dir);
  WriteFileAtomic((fs::path(dir) / "fill.bin").string(), std::string(3 << 20, 'x'));
  TaskSpec task = WorkspaceTask();
  task.workspace.disk_bytes = 2LL << 20;
  PathEchoRunner runner(0.1, false);
  WorkspaceSession session(task, dir, &runner, -1);
  WorkspaceRun run = session.Run();
  EXPECT_FALSE(run.ok);
  EXPECT_NE(run.error.find("disk quota exceeded"), std::string::npos) << run.error;
  EXPECT_NE(run.error.find("limit of 2 MB"), std::string::npos) << run.error;
  EXPECT_TRUE(runner.evaluated_argv.empty());
  EXPECT_NE(WorkspaceRunText(1, task.metric, run).find("disk quota"), std::string::npos);
}

TEST(WorkspaceSessionTest, AFailedRunIsNotEvaluated) {
  ScratchDir scratch;
  std::string dir = scratch.Path("ws");
  fs::create_directories(dir);
  TaskSpec task = WorkspaceTask();
  PathEchoRunner runner(0.1, true);
  WorkspaceSession session(task, dir, &runner, -1);
  WorkspaceRun run = session.Run();
  EXPECT_FALSE(run.ok);
  EXPECT_TRUE(runner.evaluated_argv.empty());
  Expected<double> test = session.HiddenTest();
  EXPECT_FALSE(test.ok());
  EXPECT_NE(test.error(), "");
}

}  // namespace
}  // namespace ctxbench
