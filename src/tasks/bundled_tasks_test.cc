// Every bundled task loads, trains its baseline quickly, and leaves room: a
// plain coordinate search does not meet the target at its first step but does
// within the task's iteration budget. (nomad needs prepared data; its spec is
// checked here and its data path in nomad_data_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>

#include "core/source_dir.h"
#include "tasks/dataset.h"
#include "tasks/headroom.h"
#include "tasks/learner.h"
#include "tasks/task_spec.h"

namespace ctxbench {
namespace {

const std::vector<std::string> kLocalTasks = {"toy_tabular", "breast_cancer", "diabetes",
                                              "penguins"};

TEST(BundledTasksTest, AllSpecsLoad) {
  std::vector<std::string> dirs = {SourceDir() + "/tasks"};
  std::vector<std::string> names = ListTasks(dirs);
  for (const auto& n : kLocalTasks) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "nomad"), names.end());
  for (const auto& n : names) {
    TaskSpec t = FindTask(n, dirs);
    EXPECT_GE(t.faq.size(), 3u) << n;
    EXPECT_LE(t.faq.size(), 6u) << n;
    EXPECT_FALSE(t.description.empty()) << n;
    EXPECT_TRUE(std::filesystem::exists(t.folder + "/SOURCE.md")) << n;
  }
  EXPECT_EQ(FindTask("nomad", dirs).data.kind, "prepared");
}

class BundledTaskHeadroomTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BundledTaskHeadroomTest, BaselineIsWeakButTargetReachable) {
  TaskSpec task = FindTask(GetParam(), {SourceDir() + "/tasks"});
  auto learner = MakeXgboostLearner(1);
  for (uint64_t seed : {1, 2, 3}) {
    Dataset data = LoadTaskData(task, "", seed);
    Splits splits = SplitDataset(data, task.valid_fraction, task.test_fraction, seed);
    HeadroomReport r = ProbeHeadroom(task, splits, *learner, task.budgets.iterations, seed);
    // A sanity bound, loose for loaded machines (speed: bench/learner_bench.cc).
    EXPECT_LT(r.baseline_seconds, 5.0) << "baseline training far too slow";
    ASSERT_FALSE(r.steps.empty());
    EXPECT_FALSE(r.steps[0].met_target) << GetParam() << " seed " << seed << ": first step "
                                        << r.steps[0].config.dump() << " already meets target";
    EXPECT_GT(r.first_success, 0) << GetParam() << " seed " << seed << ": baseline "
                                  << r.baseline_valid << ", best " << r.best_valid;
  }
}

INSTANTIATE_TEST_SUITE_P(Local, BundledTaskHeadroomTest, ::testing::ValuesIn(kLocalTasks));

}  // namespace
}  // namespace ctxbench
