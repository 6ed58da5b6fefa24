#include "run/run_wide_limits.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

Outcome Episode(const std::string& status, double cost) {
  Outcome o;
  o.status = *ParseEpisodeStatus(status);
  o.cost_usd = cost;
  return o;
}

TEST(RunWideLimitsTest, NoLimitsNeverStop) {
  RunConfig c;
  RunWideLimits limits(c, 10);
  for (int i = 0; i < 10; ++i) limits.Add(Episode("error", 100));
  EXPECT_EQ(limits.StopReason(), "");
  EXPECT_EQ(limits.EndReason(0), "");
}

TEST(RunWideLimitsTest, ErrorLimitIsTheCountOrTheFractionOfPlannedRoundedUp) {
  EXPECT_EQ(RunWideLimits::ErrorLimit(0, 48), 0u);
  EXPECT_EQ(RunWideLimits::ErrorLimit(1, 48), 1u);
  EXPECT_EQ(RunWideLimits::ErrorLimit(5, 48), 5u);
  EXPECT_EQ(RunWideLimits::ErrorLimit(0.1, 48), 5u);    // 4.8 -> 5
  EXPECT_EQ(RunWideLimits::ErrorLimit(0.25, 48), 12u);  // exactly 12
  EXPECT_EQ(RunWideLimits::ErrorLimit(0.01, 10), 1u);   // at least one
}

TEST(RunWideLimitsTest, FailOnErrorStopsOnceTheErrorsReachTheLimit) {
  RunConfig c;
  c.fail_on_error = 2;
  RunWideLimits limits(c, 10);
  limits.Add(Episode("error", 0));
  limits.Add(Episode("complete", 0));
  EXPECT_EQ(limits.StopReason(), "");
  limits.Add(Episode("error", 0));
  std::string reason = limits.StopReason();
  EXPECT_NE(reason.find("fail_on_error reached: 2 episodes errored (limit 2)"), std::string::npos)
      << reason;
  EXPECT_NE(reason.find("--retry-errors"), std::string::npos) << reason;
  // Passed even by the last episodes: the run had too many errors.
  EXPECT_EQ(limits.EndReason(0), reason);
}

TEST(RunWideLimitsTest, FractionOfPlannedEpisodes) {
  RunConfig c;
  c.fail_on_error = 0.5;
  RunWideLimits limits(c, 4);
  limits.Add(Episode("error", 0));
  EXPECT_EQ(limits.StopReason(), "");
  limits.Add(Episode("error", 0));
  EXPECT_NE(limits.StopReason(), "");
}

TEST(RunWideLimitsTest, RunCostLimitStopsOnceTheSummedCostReachesIt) {
  RunConfig c;
  c.run_max_cost_usd = 0.01;
  RunWideLimits limits(c, 10);
  limits.Add(Episode("complete", 0.004));
  limits.Add(Episode("error", 0.004));  // errored episodes were paid for too
  EXPECT_EQ(limits.StopReason(), "");
  limits.Add(Episode("complete", 0.004));
  std::string reason = limits.StopReason();
  EXPECT_NE(reason.find("budget.run_max_cost_usd reached: the episodes cost $0.0120 (limit "
                        "$0.0100)"),
            std::string::npos)
      << reason;
  // Reached by the last episode it stopped nothing; with episodes left it did.
  EXPECT_EQ(limits.EndReason(0), "");
  EXPECT_NE(limits.EndReason(7).find("7 episodes not started"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
