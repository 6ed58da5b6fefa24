#include "tasks/task_spec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/source_dir.h"
#include "core/test_scratch_dir.h"
#include "tasks/test_spec_error.h"

namespace ctxbench {
namespace {

Json MinimalSpec() {
  return ParseJson(R"({
    "name": "t", "description": "d",
    "data": {"kind": "csv", "path": "data.csv"},
    "target_column": "y", "problem": "regression", "metric": "mae",
    "knobs": [
      {"name": "max_depth", "type": "int", "min": 1, "max": 8},
      {"name": "eta", "type": "float", "min": 0.001, "max": 1, "log": true},
      {"name": "grow_policy", "type": "choice", "choices": ["depthwise", "lossguide"]}
    ],
    "baseline": {"max_depth": 2, "eta": 0.01, "grow_policy": "depthwise"},
    "budgets": {"iterations": 8, "tokens": 50000},
    "faq": [{"keywords": ["metric"], "answer": "MAE, lower is better."}]
  })",
                   "t.json");
}

TEST(TaskSpecTest, ParsesAllFields) {
  TaskSpec t = TaskSpecFromJson(MinimalSpec(), "t.json", "/x");
  EXPECT_EQ(t.name, "t");
  EXPECT_EQ(t.folder, "/x");
  EXPECT_EQ(t.problem, Problem::kRegression);
  EXPECT_FALSE(t.higher_is_better);
  ASSERT_EQ(t.knobs.size(), 3u);
  EXPECT_EQ(t.knobs[0].type, KnobType::kInt);
  EXPECT_TRUE(t.knobs[1].log);
  EXPECT_EQ(t.knobs[2].choices.size(), 2u);
  EXPECT_EQ(t.budgets.iterations, 8);
  EXPECT_EQ(t.budgets.tokens, 50000);
  EXPECT_EQ(t.budgets.steps_per_iteration, 4);
  ASSERT_EQ(t.faq.size(), 1u);
  EXPECT_EQ(t.faq[0].keywords[0], "metric");
  EXPECT_DOUBLE_EQ(t.target_improvement_pct, 10);
}

TEST(TaskSpecTest, MetricSetsDirection) {
  Json j = MinimalSpec();
  j["problem"] = "binary";
  j["metric"] = "accuracy";
  EXPECT_TRUE(TaskSpecFromJson(j, "t.json", ".").higher_is_better);
  j["metric"] = "auc";
  EXPECT_TRUE(TaskSpecFromJson(j, "t.json", ".").higher_is_better);
  j["metric"] = "logloss";
  EXPECT_FALSE(TaskSpecFromJson(j, "t.json", ".").higher_is_better);
}

TEST(TaskSpecTest, ErrorsNameFileAndJsonPath) {
  Json j = MinimalSpec();
  j["knobs"][1]["max"] = "big";
  EXPECT_EQ(SpecErrorOf(j), "t.json: $.knobs[1].max: expected a number");
  j = MinimalSpec();
  j["extra"] = 1;
  EXPECT_NE(SpecErrorOf(j).find("t.json: $.extra: unknown field"), std::string::npos);
  j = MinimalSpec();
  j["knobs"][0]["colour"] = 1;
  EXPECT_NE(SpecErrorOf(j).find("$.knobs[0].colour: unknown field"), std::string::npos);
  j = MinimalSpec();
  j["metric"] = "accuracy";
  EXPECT_NE(SpecErrorOf(j).find("$.metric: \"accuracy\" is a classification metric"),
            std::string::npos);
  j = MinimalSpec();
  j["problem"] = "ranking";
  EXPECT_NE(SpecErrorOf(j).find("$.problem: expected"), std::string::npos);
  j = MinimalSpec();
  j["knobs"][0]["type"] = "bool";
  EXPECT_NE(SpecErrorOf(j).find("$.knobs[0].type"), std::string::npos);
  j = MinimalSpec();
  j["knobs"][0]["min"] = 9;
  EXPECT_NE(SpecErrorOf(j).find("$.knobs[0].max: must be >= min"), std::string::npos);
  j = MinimalSpec();
  j["fixed_params"] = {{"objective", "reg:absoluteerror"}};
  EXPECT_NE(SpecErrorOf(j).find("$.fixed_params.objective"), std::string::npos);
  j = MinimalSpec();
  j["budgets"]["iterations"] = 0;
  EXPECT_NE(SpecErrorOf(j).find("$.budgets.iterations: must be an integer in [1, "),
            std::string::npos);
}

TEST(TaskSpecTest, BaselineMustPassCheckConfig) {
  Json j = MinimalSpec();
  j["baseline"]["max_depth"] = 20;
  EXPECT_EQ(SpecErrorOf(j),
            "t.json: $.baseline: knob 'max_depth' = 20: expected an integer in [1, 8]");
  j = MinimalSpec();
  j["baseline"].erase("eta");
  EXPECT_NE(SpecErrorOf(j).find("$.baseline: missing knob 'eta'"), std::string::npos);
}

TEST(TaskSpecTest, CheckConfig) {
  TaskSpec t = TaskSpecFromJson(MinimalSpec(), "t.json", ".");
  Json ok = {{"max_depth", 8}, {"eta", 1.0}, {"grow_policy", "lossguide"}};
  EXPECT_TRUE(CheckConfig(t, ok).ok());
  Json c = ok;
  c["max_depth"] = 2.5;
  EXPECT_EQ(CheckConfig(t, c).error(), "knob 'max_depth' = 2.5: expected an integer in [1, 8]");
  c = ok;
  c["max_depth"] = 3.0;
  EXPECT_TRUE(CheckConfig(t, c).ok());
  c = ok;
  c["eta"] = 0.0001;
  EXPECT_EQ(CheckConfig(t, c).error(), "knob 'eta' = 0.0001: expected a number in [0.001, 1]");
  c = ok;
  c["grow_policy"] = "wide";
  EXPECT_EQ(CheckConfig(t, c).error(),
            "knob 'grow_policy' = \"wide\": expected one of {depthwise, lossguide}");
  c = ok;
  c["gamma"] = 1;
  EXPECT_EQ(CheckConfig(t, c).error(), "unknown knob 'gamma' (knobs: max_depth, eta, grow_policy)");
  EXPECT_EQ(CheckConfig(t, Json::array()).error(), "config must be a JSON object of knob values");
}

TEST(TaskSpecTest, CanonicalConfigIsOrderAndPrecisionIndependent) {
  TaskSpec t = TaskSpecFromJson(MinimalSpec(), "t.json", ".");
  Json a = ParseJson(R"({"eta": 0.1000000001, "grow_policy": "depthwise", "max_depth": 3.0})", "a");
  Json b = ParseJson(R"({"max_depth": 3, "grow_policy": "depthwise", "eta": 0.1})", "b");
  EXPECT_EQ(CanonicalConfig(t, a).dump(), CanonicalConfig(t, b).dump());
  EXPECT_EQ(CanonicalConfig(t, b).dump(), R"({"max_depth":3,"eta":0.1,"grow_policy":"depthwise"})");
  Json merged = MergeConfig(t, t.baseline, {{"max_depth", 5}});
  EXPECT_EQ(merged["max_depth"], 5);
  EXPECT_EQ(merged["grow_policy"], "depthwise");
}

TEST(TaskSpecTest, TargetAndImprovementAreDirectionAware) {
  TaskSpec lower = TaskSpecFromJson(MinimalSpec(), "t.json", ".");
  EXPECT_DOUBLE_EQ(TargetMetric(lower, 0.2), 0.18);
  EXPECT_DOUBLE_EQ(ImprovementPct(lower, 0.2, 0.15), 25);
  EXPECT_DOUBLE_EQ(ImprovementPct(lower, 0.2, 0.3), -50);
  EXPECT_TRUE(MeetsTarget(lower, 0.2, 0.18));
  EXPECT_FALSE(MeetsTarget(lower, 0.2, 0.181));
  Json j = MinimalSpec();
  j["problem"] = "binary";
  j["metric"] = "accuracy";
  j["target_improvement_pct"] = 5;
  TaskSpec higher = TaskSpecFromJson(j, "t.json", ".");
  EXPECT_DOUBLE_EQ(TargetMetric(higher, 0.8), 0.84);
  EXPECT_DOUBLE_EQ(ImprovementPct(higher, 0.8, 0.88), 10);
  // Relative to |baseline|, so a negative baseline still improves upwards.
  EXPECT_DOUBLE_EQ(ImprovementPct(higher, -2, -1), 50);
  EXPECT_EQ(ImprovementPct(higher, 0.8, 0.8), 0);
}

TEST(TaskSpecTest, FindTaskListsKnownTasks) {
  namespace fs = std::filesystem;
  ScratchDir scratch;
  std::string dir = scratch.Path();
  MakeWritableDir(dir + "/t");
  WriteFileAtomic(dir + "/t/task.json", MinimalSpec().dump());
  TaskSpec t = FindTask("t", {dir});
  EXPECT_EQ(t.folder, dir + "/t");
  try {
    FindTask("nope", {dir});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown task (known: t;"), std::string::npos);
    EXPECT_EQ(e.exit_code(), 2);
  }
  MakeWritableDir(dir + "/u");
  WriteFileAtomic(dir + "/u/task.json", MinimalSpec().dump());
  EXPECT_THROW(FindTask("u", {dir}), Error);  // name "t" in folder "u"
  EXPECT_EQ(ListTasks({dir}), (std::vector<std::string>{"t", "u"}));
}

TEST(TaskSpecTest, DefaultTaskDirsHonoursEnv) {
  ::setenv("CTXBENCH_TASKS_DIR", "/a:/b", 1);
  EXPECT_EQ(DefaultTaskDirs(), (std::vector<std::string>{"/a", "/b"}));
  ::unsetenv("CTXBENCH_TASKS_DIR");
  EXPECT_EQ(DefaultTaskDirs(), (std::vector<std::string>{SourceDir() + "/tasks"}));
}

}  // namespace
}  // namespace ctxbench
