#include "tasks/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ctxbench {
namespace {

TEST(MetricsTest, BinaryAccuracyAndLogLoss) {
  std::vector<float> y = {1, 0, 1, 0};
  std::vector<float> p = {0.9f, 0.2f, 0.4f, 0.6f};
  EXPECT_DOUBLE_EQ(Accuracy(y, p, 2), 0.5);
  // -(ln .9 + ln .8 + ln .4 + ln .4) / 4
  double want = -(std::log(0.9) + std::log(0.8) + std::log(0.4) + std::log(0.4)) / 4;
  EXPECT_NEAR(LogLoss(y, p, 2), want, 1e-6);
  EXPECT_NEAR(ComputeMetric("logloss", y, p, 2), want, 1e-6);
}

TEST(MetricsTest, MulticlassAccuracyAndLogLoss) {
  std::vector<float> y = {0, 2};
  std::vector<float> p = {0.7f, 0.2f, 0.1f, 0.5f, 0.3f, 0.2f};
  EXPECT_DOUBLE_EQ(Accuracy(y, p, 3), 0.5);
  EXPECT_NEAR(LogLoss(y, p, 3), -(std::log(0.7) + std::log(0.2)) / 2, 1e-6);
}

TEST(MetricsTest, LogLossClipsCertainMistakes) {
  std::vector<float> y = {1};
  std::vector<float> p = {0.0f};
  EXPECT_NEAR(LogLoss(y, p, 2), -std::log(1e-15), 1e-6);
}

TEST(MetricsTest, RegressionErrors) {
  std::vector<float> y = {1, 2, 3};
  std::vector<float> p = {2, 2, 5};
  EXPECT_DOUBLE_EQ(MeanAbsoluteError(y, p), 1.0);  // (1 + 0 + 2) / 3
  EXPECT_DOUBLE_EQ(RootMeanSquaredError(y, p), std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(ComputeMetric("mae", y, p, 0), 1.0);
}

TEST(MetricsTest, RocAucWithTies) {
  std::vector<float> y = {0, 0, 1, 1};
  std::vector<float> p = {0.1f, 0.4f, 0.35f, 0.8f};
  EXPECT_DOUBLE_EQ(RocAuc(y, p), 0.75);
  std::vector<float> tied = {0.5f, 0.5f, 0.5f, 0.5f};
  EXPECT_DOUBLE_EQ(RocAuc(y, tied), 0.5);
  std::vector<float> one_class = {1, 1};
  EXPECT_DOUBLE_EQ(RocAuc(one_class, {0.2f, 0.3f}), 0.5);
}

TEST(MetricsTest, RootMeanSquaredLogError) {
  std::vector<float> y = {0, 1};
  std::vector<float> p = {1, 1};
  // sqrt(((ln 2 - ln 1)^2 + 0) / 2)
  EXPECT_NEAR(ComputeMetric("rmsle", y, p, 0), std::log(2.0) / std::sqrt(2.0), 1e-6);
  EXPECT_TRUE(std::isnan(RootMeanSquaredLogError({0}, {-1})));
}

}  // namespace
}  // namespace ctxbench
