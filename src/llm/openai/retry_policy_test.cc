#include "llm/openai/retry_policy.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(RetryPolicyTest, RetryableStatuses) {
  for (int s : {0, 429, 500, 502, 503, 504}) EXPECT_TRUE(IsRetryableStatus(s)) << s;
  for (int s : {200, 400, 401, 403, 404, 422}) EXPECT_FALSE(IsRetryableStatus(s)) << s;
}

TEST(RetryPolicyTest, RetryAfterSecondsAndDates) {
  EXPECT_EQ(ParseRetryAfter("7", 0), 7.0);
  EXPECT_EQ(ParseRetryAfter("0.25", 0), 0.25);
  EXPECT_FALSE(ParseRetryAfter("-1", 0));
  EXPECT_FALSE(ParseRetryAfter("soon", 0));
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480.
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10.0);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0.0);
}

TEST(RetryPolicyTest, ExponentialBackoffWithJitterAndCap) {
  RetryOptions o;
  o.initial_backoff_s = 1;
  o.max_backoff_s = 10;
  EXPECT_DOUBLE_EQ(BackoffSeconds(o, 0, 0.0, std::nullopt), 0.5);
  EXPECT_DOUBLE_EQ(BackoffSeconds(o, 2, 0.0, std::nullopt), 2.0);
  EXPECT_LT(BackoffSeconds(o, 2, 0.999, std::nullopt), 4.0);
  EXPECT_GE(BackoffSeconds(o, 2, 0.999, std::nullopt), 3.9);
  EXPECT_LT(BackoffSeconds(o, 20, 0.999, std::nullopt), 10.0);
  EXPECT_DOUBLE_EQ(BackoffSeconds(o, 3, 0.5, 30.0), 30.0);
}

}  // namespace
}  // namespace ctxbench
