// The final evaluation of a workspace task runs the command again only when
// it could give something new: a file changed since the latest run, or that
// run failed. Otherwise the latest run's results are the final ones.
#include "agent/workspace_experimenter.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// Counts the task's commands; each run's metric is its number (1, 2, ...),
// scored by the "evaluation" from the predictions the command wrote. A run
// fails while `fail` is set.
class CountingRunner final : public ProcessRunner {
 public:
  ProcessResult Run(const ProcessRequest& request) override {
    ProcessResult r;
    r.ok = true;
    r.exit_code = 0;
    r.seconds = 1.5;
    fs::path predictions = fs::path(request.cwd) / "valid_predictions.csv";
    if (request.workspace_read_only) {  // the harness's evaluation
      ++evaluations;
      std::string n = ReadFile(predictions.string());
      r.output = "{\"valid_metric\": " + n + ", \"test_metric\": " + n + "}\n";
      return r;
    }
    ++runs;
    if (fail) {
      r.exit_code = 1;
      return r;
    }
    WriteFileAtomic(predictions.string(), std::to_string(runs));
    return r;
  }

  int runs = 0;
  int evaluations = 0;
  bool fail = false;
};

TaskSpec Task() {
  TaskSpec t;
  t.name = "ws";
  t.kind = "workspace";
  t.metric = "accuracy";
  t.workspace.run_command = {"python3", "train.py"};
  t.workspace.config_file = "params.json";
  t.workspace.eval_command = {"python3", "/task/hidden/eval.py"};
  t.workspace.tools = {"write_file", "run", "final_answer"};
  return t;
}

Action Write(const std::string& path, const std::string& content) {
  Action a;
  a.kind = Action::kWriteFile;
  a.args = {{"path", path}, {"content", content}};
  return a;
}

// A workspace folder holding a train.py.
std::string MakeWorkspace(const ScratchDir& scratch) {
  std::string dir = scratch.Path("ws");
  fs::create_directories(dir);
  WriteFileAtomic((fs::path(dir) / "train.py").string(), "print(1)\n");
  return dir;
}

struct Fixture {
  ScratchDir scratch;
  TaskSpec task = Task();
  CountingRunner runner;
  std::string dir = MakeWorkspace(scratch);
  WorkspaceExperimenter experimenter{task, Mode::kAgentic, dir, &runner, -1, ""};
};

TEST(WorkspaceExperimenterTest, AFinalAnswerRightAfterARunTakesThatRunsResults) {
  Fixture f;
  f.experimenter.Begin(2);
  ASSERT_TRUE(f.experimenter.FileTool(Write("params.json", "{\"a\": 1}")).ok);
  ASSERT_EQ(f.experimenter.Experiment(Action{}, 1).data.valid_metric, 2.0);
  FinalEvaluationData fin = f.experimenter.FinalEvaluation(Json());
  EXPECT_EQ(f.runner.runs, 2);  // the starter's and experiment 1: no third
  EXPECT_EQ(f.runner.evaluations, 2);
  EXPECT_EQ(fin.reused_run, 1);
  EXPECT_TRUE(fin.ok);
  EXPECT_EQ(fin.valid_metric, 2.0);
  EXPECT_EQ(fin.test_metric, 2.0);
  EXPECT_EQ(fin.config, Json::parse("{\"a\": 1}"));
  EXPECT_EQ(fin.train_seconds, 1.5);  // the reused run's, as a memo hit records
  EXPECT_EQ(fin.ToJson()["reused_run"], 1);
  EXPECT_EQ(FinalEvaluationData::FromJson(fin.ToJson()).reused_run, 1);
}

TEST(WorkspaceExperimenterTest, AFinalAnswerWithNoRunTakesTheStartersRun) {
  Fixture f;
  f.experimenter.Begin(2);
  FinalEvaluationData fin = f.experimenter.FinalEvaluation(Json());
  EXPECT_EQ(f.runner.runs, 1);
  EXPECT_EQ(fin.reused_run, 0);
  EXPECT_EQ(fin.valid_metric, 1.0);
}

TEST(WorkspaceExperimenterTest, AFileWrittenAfterTheLatestRunIsRunAgain) {
  Fixture f;
  f.experimenter.Begin(2);
  f.experimenter.Experiment(Action{}, 1);
  ASSERT_TRUE(f.experimenter.FileTool(Write("train.py", "print(2)\n")).ok);
  FinalEvaluationData fin = f.experimenter.FinalEvaluation(Json());
  EXPECT_EQ(f.runner.runs, 3);
  EXPECT_FALSE(fin.reused_run.has_value());
  EXPECT_FALSE(fin.ToJson().contains("reused_run"));
  EXPECT_EQ(fin.valid_metric, 3.0);
  EXPECT_EQ(fin.train_seconds, 1.5);
}

TEST(WorkspaceExperimenterTest, AFailedLatestRunIsRunAgain) {
  Fixture f;
  f.experimenter.Begin(2);
  f.runner.fail = true;
  EXPECT_FALSE(f.experimenter.Experiment(Action{}, 1).data.ok);
  f.runner.fail = false;
  FinalEvaluationData fin = f.experimenter.FinalEvaluation(Json());
  EXPECT_EQ(f.runner.runs, 3);
  EXPECT_FALSE(fin.reused_run.has_value());
  EXPECT_TRUE(fin.ok);
  EXPECT_EQ(fin.valid_metric, 3.0);
}

}  // namespace
}  // namespace ctxbench
