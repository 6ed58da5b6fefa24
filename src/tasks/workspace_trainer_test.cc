#include "core/source_dir.h"
#include "tasks/workspace_trainer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class WorkspaceTrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = scratch_.path();
    fs::create_directories(base_);
    dirs_ = {SourceDir() + "/tasks"};
  }
  TrainRequest Request(const std::string& params) {
    std::string path = (base_ / "params.json").string();
    WriteFileAtomic(path, params);
    TrainRequest r;
    r.task = "toy_tabular";
    r.params_path = path;
    r.data_dir = (base_ / "data").string();
    return r;
  }

  // The error message of TrainFromParams, "" when it does not throw.
  std::string ErrorOf(const TrainRequest& r) {
    try {
      TrainFromParams(r, dirs_);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  ScratchDir scratch_;
  fs::path base_;
  std::vector<std::string> dirs_;
};

TEST_F(WorkspaceTrainerTest, TrainsTheBaselineWithTheParamsOnTop) {
  TrainReport r = TrainFromParams(Request(R"({"max_depth": 3, "num_round": 20})"), dirs_);
  EXPECT_EQ(r.task_name, "toy_tabular");
  EXPECT_EQ(r.config["max_depth"], 3);
  EXPECT_EQ(r.config["num_round"], 20);
  EXPECT_EQ(r.config["eta"], 0.05);  // the baseline's
  ASSERT_TRUE(r.evaluation.ok);
  EXPECT_GT(r.evaluation.valid_metric, 0.5);
  Json metrics = TrainMetricsJson(r);
  EXPECT_DOUBLE_EQ(metrics["accuracy"].get<double>(), r.evaluation.valid_metric);
  // Same params and seed, same metric; a task folder works as well as a name.
  TrainRequest by_folder = Request(R"({"max_depth": 3, "num_round": 20})");
  by_folder.task = dirs_[0] + "/toy_tabular";
  EXPECT_EQ(TrainFromParams(by_folder, dirs_).evaluation.valid_metric, r.evaluation.valid_metric);
}

TEST_F(WorkspaceTrainerTest, BadParamsNameTheFileAndKnob) {
  std::string params = (base_ / "params.json").string();
  std::string e = ErrorOf(Request(R"({"max_depth": 99})"));
  EXPECT_NE(e.find(params), std::string::npos) << e;
  EXPECT_NE(e.find("max_depth"), std::string::npos) << e;
  e = ErrorOf(Request(R"({"depth": 2})"));
  EXPECT_NE(e.find("unknown knob 'depth'"), std::string::npos) << e;
  e = ErrorOf(Request("[1, 2]"));
  EXPECT_NE(e.find("JSON object"), std::string::npos) << e;
  e = ErrorOf(Request("{not json"));
  EXPECT_NE(e.find(params), std::string::npos) << e;
  TrainRequest missing = Request("{}");
  missing.params_path = (base_ / "nope.json").string();
  e = ErrorOf(missing);
  EXPECT_NE(e.find("nope.json"), std::string::npos) << e;
}

TEST_F(WorkspaceTrainerTest, RefusesWorkspaceTasksAndUnknownTasks) {
  TrainRequest r = Request("{}");
  r.task = "tabular_py";
  EXPECT_NE(ErrorOf(r).find("workspace task"), std::string::npos);
  r.task = "no_such_task";
  EXPECT_NE(ErrorOf(r).find("unknown task"), std::string::npos);
  r.task = "toy_tabular";
  r.threads = 0;
  EXPECT_NE(ErrorOf(r).find("--threads"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
