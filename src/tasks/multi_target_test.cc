// Multi-target tune tasks ("target_columns"; the bundled nomad_kaggle):
// spec parsing, the dataset's other targets, one model per target in the
// learner, and the score as the mean over targets of the per-target metric,
// cross-checked against the competition metric registry (itself checked
// against scikit-learn by tests/metrics/test_metrics_sklearn.py).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/source_dir.h"
#include "tasks/csv.h"
#include "tasks/dataset.h"
#include "tasks/dataset_context.h"
#include "tasks/learner.h"
#include "tasks/metric_registry.h"
#include "tasks/metrics.h"
#include "tasks/seeded_random.h"
#include "tasks/task_spec.h"
#include "tasks/test_spec_error.h"

namespace ctxbench {
namespace {

// A regression task over `targets` (one: target_column, more:
// target_columns), other target columns of the CSV dropped.
TaskSpec RegressionTask(const std::vector<std::string>& targets,
                        const std::vector<std::string>& drop, const std::string& metric) {
  Json j = {{"name", "mt"},
            {"description", "d"},
            {"data", {{"kind", "csv"}, {"path", "data.csv"}}},
            {"problem", "regression"},
            {"metric", metric},
            {"knobs",
             {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 6}},
              {{"name", "num_round"}, {"type", "int"}, {"min", 1}, {"max", 200}}}},
            {"fixed_params", {{"tree_method", "hist"}}},
            {"baseline", {{"max_depth", 2}, {"num_round", 20}}}};
  if (targets.size() == 1) {
    j["target_column"] = targets[0];
  } else {
    j["target_columns"] = targets;
  }
  if (!drop.empty()) j["drop_columns"] = drop;
  return TaskSpecFromJson(j, "t.json", ".");
}

// 300 rows: id, two features, targets `f` (small, like a formation energy)
// and `g` (larger, like a band gap), both functions of the features plus noise.
std::string TwoTargetCsv() {
  SeededRandom rng(18);
  std::string csv = "id,a,b,f,g\n";
  char line[160];
  for (int i = 0; i < 300; ++i) {
    double a = rng.Uniform(), b = rng.Uniform();
    double f = 0.05 + 0.3 * a * b + 0.02 * rng.Uniform();
    double g = 1.0 + 3.0 * a - 1.5 * b + 0.1 * rng.Uniform();
    std::snprintf(line, sizeof line, "%d,%.6f,%.6f,%.6f,%.6f\n", i, a, b, f, g);
    csv += line;
  }
  return csv;
}

TEST(MultiTargetTest, SpecListsTargetsFirstThenOthers) {
  TaskSpec t = RegressionTask({"f", "g"}, {"id"}, "rmsle");
  EXPECT_EQ(t.target_column, "f");
  EXPECT_EQ(t.other_target_columns, (std::vector<std::string>{"g"}));
  EXPECT_FALSE(t.higher_is_better);
  EXPECT_TRUE(RegressionTask({"g"}, {"id", "f"}, "rmsle").other_target_columns.empty());
}

TEST(MultiTargetTest, SpecErrorsNameTheField) {
  Json j = {{"name", "mt"},
            {"description", "d"},
            {"data", {{"kind", "csv"}, {"path", "data.csv"}}},
            {"problem", "regression"},
            {"metric", "rmse"},
            {"target_columns", {"f", "g"}},
            {"knobs", {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 6}}}},
            {"baseline", {{"max_depth", 2}}}};
  EXPECT_EQ(SpecErrorOf(j), "");
  Json both = j;
  both["target_column"] = "f";
  EXPECT_NE(SpecErrorOf(both).find("$.target_columns"), std::string::npos) << SpecErrorOf(both);
  Json one = j;
  one["target_columns"] = {"f"};
  EXPECT_NE(SpecErrorOf(one).find("two or more"), std::string::npos) << SpecErrorOf(one);
  Json twice = j;
  twice["target_columns"] = {"f", "f"};
  EXPECT_NE(SpecErrorOf(twice).find("listed twice"), std::string::npos) << SpecErrorOf(twice);
  Json classes = j;
  classes["problem"] = "multiclass";
  classes["metric"] = "accuracy";
  EXPECT_NE(SpecErrorOf(classes).find("regression"), std::string::npos) << SpecErrorOf(classes);
}

TEST(MultiTargetTest, DatasetKeepsEveryTargetOutOfTheFeatures) {
  std::string csv = TwoTargetCsv() + "300,0.5,0.5,,2.0\n";  // a missing target: row skipped
  Dataset d =
      DatasetFromCsv(ParseCsv(csv, "d.csv"), RegressionTask({"f", "g"}, {"id"}, "rmse"), "d.csv");
  EXPECT_EQ(d.rows, 300u);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.target_name, "f");
  EXPECT_EQ(d.other_target_names, (std::vector<std::string>{"g"}));
  ASSERT_EQ(d.other_y.size(), 1u);
  CsvTable table = ParseCsv(csv, "d.csv");
  EXPECT_FLOAT_EQ(d.y[7], std::stof(table.rows[7][3]));
  EXPECT_FLOAT_EQ(d.other_y[0][7], std::stof(table.rows[7][4]));
  // Splits carry each row's targets together.
  Splits s = SplitDataset(d, 0.2, 0.2, 3);
  for (const Dataset* part : {&s.train, &s.valid, &s.test}) {
    ASSERT_EQ(part->other_y.size(), 1u);
    ASSERT_EQ(part->other_y[0].size(), part->rows);
    for (size_t i = 0; i < part->rows; ++i) {
      // f and g are both determined by (a, b) up to noise; here: the row's
      // own values, found again by its features.
      for (size_t r = 0; r < d.rows; ++r) {
        if (d.x[r * 2] == part->x[i * 2] && d.x[r * 2 + 1] == part->x[i * 2 + 1]) {
          EXPECT_EQ(part->y[i], d.y[r]);
          EXPECT_EQ(part->other_y[0][i], d.other_y[0][r]);
          break;
        }
      }
    }
  }
  EXPECT_NE(DescribeDataset(d).find("Target 'g' is numeric"), std::string::npos)
      << DescribeDataset(d);
  // Another split fingerprint when only the other target differs.
  Dataset changed = d;
  changed.other_y[0][0] += 1;
  EXPECT_NE(SplitsFingerprint(SplitDataset(changed, 0.2, 0.2, 3)), SplitsFingerprint(s));
}

TEST(MultiTargetTest, MissingOtherTargetColumnIsAnInputError) {
  std::string csv = "id,a,b,f\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + ",1,2,3\n";
  try {
    DatasetFromCsv(ParseCsv(csv, "d.csv"), RegressionTask({"f", "g"}, {"id"}, "rmse"), "d.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no target column 'g'"), std::string::npos) << e.what();
  }
}

// The learner's score of a two-target task is the mean of what each target
// scores as its own single-target task (one model per target, same config and
// seed), for each regression metric.
TEST(MultiTargetTest, LearnerScoresTheMeanOverTargetsOfOneModelEach) {
  CsvTable table = ParseCsv(TwoTargetCsv(), "d.csv");
  auto learner = MakeXgboostLearner(1);
  for (const std::string metric : {"rmsle", "mae", "rmse"}) {
    TaskSpec both = RegressionTask({"f", "g"}, {"id"}, metric);
    TaskSpec f_only = RegressionTask({"f"}, {"id", "g"}, metric);
    TaskSpec g_only = RegressionTask({"g"}, {"id", "f"}, metric);
    Splits sb = SplitDataset(DatasetFromCsv(table, both, "d.csv"), 0.2, 0.2, 5);
    Splits sf = SplitDataset(DatasetFromCsv(table, f_only, "d.csv"), 0.2, 0.2, 5);
    Splits sg = SplitDataset(DatasetFromCsv(table, g_only, "d.csv"), 0.2, 0.2, 5);
    Json config = {{"max_depth", 3}, {"num_round", 30}};
    Evaluation eb = learner->Evaluate(both, sb, config, 7);
    Evaluation ef = learner->Evaluate(f_only, sf, config, 7);
    Evaluation eg = learner->Evaluate(g_only, sg, config, 7);
    ASSERT_TRUE(eb.ok && ef.ok && eg.ok) << eb.error << ef.error << eg.error;
    EXPECT_DOUBLE_EQ(eb.valid_metric, (ef.valid_metric + eg.valid_metric) / 2) << metric;
    EXPECT_DOUBLE_EQ(eb.test_metric, (ef.test_metric + eg.test_metric) / 2) << metric;
    EXPECT_NE(ef.valid_metric, eg.valid_metric) << metric;  // two different models
  }
}

// Averaging ComputeMetric("rmsle") over columns is the registry's
// mean-column-wise-rmsle (MLE-bench's grader for NOMAD 2018).
TEST(MultiTargetTest, MeanOfRmsleIsTheCompetitionsMeanColumnWiseRmsle) {
  SeededRandom rng(2018);
  std::vector<std::vector<float>> truth(2), pred(2);
  std::vector<std::vector<std::string>> truth_s(2), pred_s(2);
  char buf[32];
  for (int c = 0; c < 2; ++c) {
    for (int i = 0; i < 50; ++i) {
      float t = static_cast<float>((c == 0 ? 0.6 : 5.0) * rng.Uniform());
      float p = static_cast<float>(t + 0.3 * (rng.Uniform() - 0.5));
      if (p < 0) p = 0;
      truth[c].push_back(t);
      pred[c].push_back(p);
      std::snprintf(buf, sizeof buf, "%.9g", t);
      truth_s[c].push_back(buf);
      std::snprintf(buf, sizeof buf, "%.9g", p);
      pred_s[c].push_back(buf);
    }
  }
  double mean = (ComputeMetric("rmsle", truth[0], pred[0], 0) +
                 ComputeMetric("rmsle", truth[1], pred[1], 0)) /
                2;
  EXPECT_NEAR(mean, ScoreCompetitionMetric("mean-column-wise-rmsle", truth_s, pred_s), 1e-6);
}

TEST(MultiTargetTest, BundledNomadKaggleScoresBothTargetsWithRmsle) {
  TaskSpec t = FindTask("nomad_kaggle", {SourceDir() + "/tasks"});
  EXPECT_EQ(t.metric, "rmsle");
  EXPECT_EQ(t.target_column, "formation_energy_ev_natom");
  EXPECT_EQ(t.other_target_columns, (std::vector<std::string>{"bandgap_energy_ev"}));
  EXPECT_EQ(t.data.path, "nomad");  // the same prepared data as nomad
  TaskSpec nomad = FindTask("nomad", {SourceDir() + "/tasks"});
  EXPECT_EQ(nomad.metric, "mae");  // the default task is unchanged
  EXPECT_TRUE(nomad.other_target_columns.empty());
}

}  // namespace
}  // namespace ctxbench
