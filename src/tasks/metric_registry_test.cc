#include "tasks/metric_registry.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

// Hand-computed cases; tests/metrics/test_metrics_sklearn.py checks every
// metric against scikit-learn on generated inputs.
namespace ctxbench {
namespace {

using Cols = std::vector<std::vector<std::string>>;

TEST(MetricRegistryTest, FindsCanonicalNamesAndAliases) {
  EXPECT_EQ(FindCompetitionMetric("root-mean-squared-error")->name, "rmse");
  EXPECT_EQ(FindCompetitionMetric("multi-class-classification-accuracy")->name, "accuracy");
  EXPECT_EQ(FindCompetitionMetric("map@5")->name, "map@k");
  EXPECT_EQ(FindCompetitionMetric("map@k"), nullptr);
  EXPECT_EQ(FindCompetitionMetric("map@0"), nullptr);
  EXPECT_EQ(FindCompetitionMetric("bleu"), nullptr);
  EXPECT_FALSE(FindCompetitionMetric("mean-column-wise-rmsle")->higher_is_better);
  EXPECT_TRUE(FindCompetitionMetric("auc-roc")->higher_is_better);
  for (const CompetitionMetric& m : CompetitionMetrics()) {
    if (m.name != "map@k") {
      EXPECT_EQ(FindCompetitionMetric(m.name), &m);
    }
  }
}

TEST(MetricRegistryTest, MeanColumnWiseRmsleAveragesColumns) {
  Cols truth = {{"0", "1"}, {"2", "3"}};
  Cols pred = {{"1", "1"}, {"2", "3"}};
  // Column 1: sqrt((ln 2)^2 / 2); column 2: 0.
  double want = std::sqrt(std::log(2.0) * std::log(2.0) / 2) / 2;
  EXPECT_NEAR(ScoreCompetitionMetric("mean-column-wise-rmsle", truth, pred), want, 1e-12);
}

TEST(MetricRegistryTest, RegressionMetrics) {
  Cols truth = {{"1", "2", "3"}};
  Cols pred = {{"2", "2", "5"}};
  EXPECT_NEAR(ScoreCompetitionMetric("rmse", truth, pred), std::sqrt(5.0 / 3), 1e-12);
  EXPECT_NEAR(ScoreCompetitionMetric("mae", truth, pred), 1.0, 1e-12);
}

TEST(MetricRegistryTest, ClassificationMetrics) {
  Cols truth = {{"1", "0", "1", "0"}};
  Cols scores = {{"0.9", "0.2", "0.4", "0.6"}};
  EXPECT_DOUBLE_EQ(ScoreCompetitionMetric("auc-roc", truth, scores), 0.75);
  double ll = -(std::log(0.9) + std::log(0.8) + std::log(0.4) + std::log(0.4)) / 4;
  EXPECT_NEAR(ScoreCompetitionMetric("log-loss", truth, scores), ll, 1e-12);
  Cols labels = {{"1.0", "0", "1", "1"}};  // "1.0" is label 1
  EXPECT_DOUBLE_EQ(ScoreCompetitionMetric("accuracy", truth, labels), 0.75);
  // Label 1: tp 2, fp 1, fn 0 -> 0.8; label 0: tp 1, fp 0, fn 1 -> 2/3.
  EXPECT_NEAR(ScoreCompetitionMetric("f1", truth, labels), 0.8, 1e-12);
  EXPECT_NEAR(ScoreCompetitionMetric("macro-f1", truth, labels), (0.8 + 2.0 / 3) / 2, 1e-12);
}

TEST(MetricRegistryTest, KappaAndMapAtK) {
  Cols same = {{"0", "1", "2"}};
  EXPECT_DOUBLE_EQ(ScoreCompetitionMetric("quadratic-weighted-kappa", same, same), 1.0);
  Cols truth = {{"a", "b", "c"}};
  Cols ranked = {{"a b c", "c b", "x y z"}};
  EXPECT_NEAR(ScoreCompetitionMetric("map@3", truth, ranked), (1 + 0.5 + 0) / 3, 1e-12);
  EXPECT_NEAR(ScoreCompetitionMetric("map@1", truth, ranked), 1.0 / 3, 1e-12);
}

TEST(MetricRegistryTest, MulticlassLogLossRenormalisesRows) {
  Cols truth = {{"1", "0"}, {"0", "1"}};
  Cols pred = {{"0.4", "0.25"}, {"0.4", "0.25"}};  // rows sum to 0.8 and 0.5
  double want = -(std::log(0.5) + std::log(0.5)) / 2;
  EXPECT_NEAR(ScoreCompetitionMetric("multi-class-log-loss", truth, pred), want, 1e-12);
}

TEST(MetricRegistryTest, BadSubmissionCellsThrowWithoutAnswerValues) {
  Cols truth = {{"0.123456", "1"}};
  try {
    ScoreCompetitionMetric("rmse", truth, {{"abc", "1"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "submission");
    EXPECT_EQ(std::string(e.what()).find("0.123456"), std::string::npos);
  }
  EXPECT_THROW(ScoreCompetitionMetric("log-loss", {{"1", "0"}}, {{"1.5", "0"}}), Error);
  EXPECT_THROW(ScoreCompetitionMetric("rmsle", {{"1", "0"}}, {{"-2", "0"}}), Error);
  EXPECT_THROW(ScoreCompetitionMetric("auc-roc", {{"1", "1"}}, {{"0.5", "0.2"}}), Error);
}

}  // namespace
}  // namespace ctxbench
