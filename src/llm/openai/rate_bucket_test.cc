#include "llm/openai/rate_bucket.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(RateBucketTest, StartsFullThenPacesAtTheRate) {
  const double per_minute = 60;  // one a second
  RateBucket bucket(per_minute);
  for (int i = 0; i < per_minute; ++i) EXPECT_EQ(bucket.Take(0, 1), 0) << i;
  // Empty: the next one waits one refill interval, the one after two.
  EXPECT_DOUBLE_EQ(bucket.Take(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(bucket.Take(0, 1), 2.0);
  // Three seconds later the debt (2) is paid and one more is covered.
  EXPECT_DOUBLE_EQ(bucket.Take(3, 1), 0.0);
}

TEST(RateBucketTest, NeverHoldsMoreThanAMinute) {
  RateBucket bucket(120);
  EXPECT_EQ(bucket.Take(0, 120), 0);
  // An hour idle refills one minute's worth, not sixty.
  EXPECT_EQ(bucket.Take(3600, 120), 0);
  EXPECT_DOUBLE_EQ(bucket.Take(3600, 2), 1.0);
}

TEST(RateBucketTest, ALargerRequestThanTheAllowanceWaitsItsShare) {
  RateBucket tokens(600);                       // 10 tokens a second
  EXPECT_DOUBLE_EQ(tokens.Take(0, 900), 30.0);  // 600 on hand, 300 owed
  EXPECT_DOUBLE_EQ(tokens.Take(30, 10), 1.0);   // the debt is paid at 30 s
}

}  // namespace
}  // namespace ctxbench
