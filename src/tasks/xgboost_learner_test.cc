#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "tasks/learner.h"
#include "tasks/synthetic_data.h"

namespace ctxbench {
namespace {

TaskSpec SyntheticTask(const std::string& problem, const std::string& metric) {
  Json j = {
      {"name", "syn"},
      {"description", "d"},
      {"data",
       {{"kind", "synthetic"}, {"generator", "classification"}, {"rows", 400}, {"features", 8}}},
      {"problem", problem},
      {"metric", metric},
      {"knobs",
       {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 6}},
        {{"name", "eta"}, {"type", "float"}, {"min", 0.01}, {"max", 1}},
        {{"name", "num_round"}, {"type", "int"}, {"min", 1}, {"max", 200}}}},
      {"fixed_params", {{"tree_method", "hist"}}},
      {"baseline", {{"max_depth", 1}, {"eta", 0.05}, {"num_round", 5}}}};
  return TaskSpecFromJson(j, "t.json", ".");
}

Splits MakeSplits(int classes, uint64_t seed = 1) {
  return SplitDataset(MakeClassificationData(400, 8, classes, seed), 0.2, 0.2, seed);
}

TEST(XgboostLearnerTest, BinaryTrainingBeatsChanceAndBetterConfigHelps) {
  TaskSpec task = SyntheticTask("binary", "auc");
  Splits splits = MakeSplits(2);
  auto learner = MakeXgboostLearner(1);
  Evaluation weak = learner->Evaluate(task, splits, task.baseline, 1);
  ASSERT_TRUE(weak.ok) << weak.error;
  EXPECT_GT(weak.valid_metric, 0.55);
  EXPECT_GT(weak.train_seconds, 0);
  Json strong = {{"max_depth", 4}, {"eta", 0.2}, {"num_round", 100}};
  Evaluation better = learner->Evaluate(task, splits, strong, 1);
  ASSERT_TRUE(better.ok) << better.error;
  EXPECT_GT(better.valid_metric, weak.valid_metric);
  EXPECT_GT(better.test_metric, 0.5);
}

TEST(XgboostLearnerTest, IdenticalEvaluationsAreCached) {
  TaskSpec task = SyntheticTask("binary", "logloss");
  Splits splits = MakeSplits(2);
  auto learner = MakeXgboostLearner(2);
  Evaluation a = learner->Evaluate(task, splits, task.baseline, 3);
  ASSERT_TRUE(a.ok) << a.error;
  EXPECT_FALSE(a.cached);
  // Same config written differently: still a hit.
  Json same = {{"num_round", 5}, {"eta", 0.0500000001}, {"max_depth", 1.0}};
  Evaluation b = learner->Evaluate(task, splits, same, 3);
  EXPECT_TRUE(b.cached);
  EXPECT_EQ(a.valid_metric, b.valid_metric);
  EXPECT_FALSE(learner->Evaluate(task, splits, task.baseline, 4).cached);
  EXPECT_FALSE(learner->Evaluate(task, MakeSplits(2, 9), task.baseline, 3).cached);
}

TEST(XgboostLearnerTest, DeterministicAcrossLearnersAndThreads) {
  TaskSpec task = SyntheticTask("multiclass", "logloss");
  Splits splits = MakeSplits(3);
  Json config = {{"max_depth", 3}, {"eta", 0.3}, {"num_round", 20}};
  Evaluation a = MakeXgboostLearner(1)->Evaluate(task, splits, config, 5);
  ASSERT_TRUE(a.ok) << a.error;
  Evaluation b = MakeXgboostLearner(1)->Evaluate(task, splits, config, 5);
  EXPECT_EQ(a.valid_metric, b.valid_metric);
  EXPECT_EQ(a.test_metric, b.test_metric);
  EXPECT_LT(a.valid_metric, 1.0986);  // better than uniform over 3 classes

  auto shared = MakeXgboostLearner(1);
  std::vector<std::thread> threads;
  std::vector<Evaluation> out(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { out[i] = shared->Evaluate(task, splits, config, 5); });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : out) EXPECT_EQ(e.valid_metric, a.valid_metric);
}

// The learner reuses a split's matrices (and their histogram index) across
// evaluations: reused, fresh and concurrent evaluations agree exactly, also
// when configs change the index (max_bin) between evaluations.
TEST(XgboostLearnerTest, ReusedMatricesGiveTheResultsOfFreshOnes) {
  TaskSpec coarse = SyntheticTask("binary", "logloss");
  coarse.fixed_params["max_bin"] = 16;
  TaskSpec fine = SyntheticTask("binary", "logloss");
  fine.fixed_params["max_bin"] = 128;
  Splits splits = MakeSplits(2, 4);
  struct Case {
    const TaskSpec* task;
    Json config;
  };
  std::vector<Case> cases = {{&coarse, {{"max_depth", 3}, {"eta", 0.3}, {"num_round", 15}}},
                             {&fine, {{"max_depth", 5}, {"eta", 0.1}, {"num_round", 25}}},
                             {&coarse, {{"max_depth", 2}, {"eta", 0.5}, {"num_round", 10}}}};
  std::vector<Evaluation> fresh;
  for (const Case& c : cases) {
    fresh.push_back(MakeXgboostLearner(1)->Evaluate(*c.task, splits, c.config, 1));
    ASSERT_TRUE(fresh.back().ok) << fresh.back().error;
  }
  EXPECT_NE(fresh[0].valid_metric, fresh[1].valid_metric);
  auto shared = MakeXgboostLearner(1);
  // Seeds differ, so the evaluation cache never answers; the matrices are reused.
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    for (size_t i = 0; i < cases.size(); ++i) {
      Evaluation e = shared->Evaluate(*cases[i].task, splits, cases[i].config, seed);
      ASSERT_TRUE(e.ok) << e.error;
      EXPECT_FALSE(e.cached);
      EXPECT_EQ(e.valid_metric, fresh[i].valid_metric) << i;
      EXPECT_EQ(e.test_metric, fresh[i].test_metric) << i;
    }
  }
  std::vector<std::thread> threads;
  std::vector<Evaluation> out(6);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      const Case& c = cases[t % cases.size()];
      out[t] = shared->Evaluate(*c.task, splits, c.config, 100 + t);
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < 6; ++t) {
    ASSERT_TRUE(out[t].ok) << out[t].error;
    EXPECT_EQ(out[t].valid_metric, fresh[t % cases.size()].valid_metric) << t;
    EXPECT_EQ(out[t].test_metric, fresh[t % cases.size()].test_metric) << t;
  }
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// What makes the learner's memo exact: with a fixed nthread and seed, XGBoost
// gives the same bits when it trains a config again, also with row and
// column sampling (its random draws); and a memo hit is those bits.
TEST(XgboostLearnerTest, TrainingTwiceGivesTheSameBits) {
  TaskSpec task = SyntheticTask("binary", "logloss");
  task.knobs.push_back(task.knobs[1]);
  task.knobs.back().name = "subsample";
  task.knobs.push_back(task.knobs[1]);
  task.knobs.back().name = "colsample_bytree";
  Splits splits = MakeSplits(2, 6);
  Json config = {{"max_depth", 4},
                 {"eta", 0.3},
                 {"num_round", 30},
                 {"subsample", 0.7},
                 {"colsample_bytree", 0.6}};
  auto unmemoised = MakeXgboostLearner(1, 0);
  Evaluation a = unmemoised->Evaluate(task, splits, config, 7);
  Evaluation b = unmemoised->Evaluate(task, splits, config, 7);
  ASSERT_TRUE(a.ok && b.ok) << a.error << b.error;
  EXPECT_FALSE(a.cached || b.cached);
  EXPECT_TRUE(SameBits(a.valid_metric, b.valid_metric));
  EXPECT_TRUE(SameBits(a.test_metric, b.test_metric));
  // Another seed draws other rows: the seed is part of the result.
  Evaluation other = unmemoised->Evaluate(task, splits, config, 8);
  EXPECT_FALSE(SameBits(a.valid_metric, other.valid_metric));

  auto memoised = MakeXgboostLearner(1);
  Evaluation first = memoised->Evaluate(task, splits, config, 7);
  Evaluation hit = memoised->Evaluate(task, splits, config, 7);
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(hit.cached);
  for (const Evaluation* e : {&first, &hit}) {
    EXPECT_TRUE(SameBits(e->valid_metric, a.valid_metric));
    EXPECT_TRUE(SameBits(e->test_metric, a.test_metric));
  }
  EXPECT_EQ(hit.train_seconds, first.train_seconds);  // the training that made it
}

// Single-flight: evaluations of one config asked at once train it once.
TEST(XgboostLearnerTest, ConcurrentIdenticalEvaluationsTrainOnce) {
  TaskSpec task = SyntheticTask("multiclass", "logloss");
  Splits splits = MakeSplits(3, 2);
  Json config = {{"max_depth", 5}, {"eta", 0.2}, {"num_round", 60}};
  auto shared = MakeXgboostLearner(1);
  std::vector<std::thread> threads;
  std::vector<Evaluation> out(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { out[i] = shared->Evaluate(task, splits, config, 2); });
  }
  for (auto& t : threads) t.join();
  int trained = 0;
  for (const Evaluation& e : out) {
    ASSERT_TRUE(e.ok) << e.error;
    trained += e.cached ? 0 : 1;
    EXPECT_TRUE(SameBits(e.valid_metric, out[0].valid_metric));
    EXPECT_EQ(e.train_seconds, out[0].train_seconds);
  }
  EXPECT_EQ(trained, 1);
}

TEST(XgboostLearnerTest, OutOfRangeConfigIsAnErrorValue) {
  TaskSpec task = SyntheticTask("binary", "accuracy");
  Splits splits = MakeSplits(2);
  auto learner = MakeXgboostLearner(1);
  Evaluation e =
      learner->Evaluate(task, splits, {{"max_depth", 60}, {"eta", 0.1}, {"num_round", 5}}, 1);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.error, "knob 'max_depth' = 60: expected an integer in [1, 6]");
}

TEST(XgboostLearnerTest, XgboostRejectionIsAnErrorValueNotACrash) {
  TaskSpec task = SyntheticTask("binary", "accuracy");
  task.fixed_params["tree_method"] = "no_such_method";
  auto learner = MakeXgboostLearner(1);
  Evaluation e = learner->Evaluate(task, MakeSplits(2), task.baseline, 1);
  EXPECT_FALSE(e.ok);
  EXPECT_NE(e.error.find("XGBoost"), std::string::npos) << e.error;
}

TEST(XgboostLearnerTest, RegressionMae) {
  TaskSpec task = SyntheticTask("binary", "accuracy");
  task.problem = Problem::kRegression;
  task.metric = "mae";
  Dataset d = MakeClassificationData(300, 6, 2, 2);
  d.num_classes = 0;
  for (size_t i = 0; i < d.rows; ++i) d.y[i] = 2.0f * d.x[i * d.cols] + 1.0f;
  Splits splits = SplitDataset(d, 0.2, 0.2, 2);
  Evaluation e = MakeXgboostLearner(1)->Evaluate(
      task, splits, {{"max_depth", 3}, {"eta", 0.3}, {"num_round", 50}}, 1);
  ASSERT_TRUE(e.ok) << e.error;
  EXPECT_LT(e.valid_metric, 0.3);
}

}  // namespace
}  // namespace ctxbench
