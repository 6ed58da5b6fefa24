#include "core/expected.h"

#include <gtest/gtest.h>

#include <string>

namespace ctxbench {
namespace {

Expected<int> Half(int n) {
  if (n % 2 != 0) return Expected<int>::Failure(std::to_string(n) + " is odd");
  return n / 2;
}

TEST(ExpectedTest, HoldsAValueOrTheReason) {
  Expected<int> four = Half(8);
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(*four, 4);
  EXPECT_EQ(four.error(), "");
  Expected<int> none = Half(3);
  EXPECT_FALSE(none);
  EXPECT_EQ(none.error(), "3 is odd");
}

}  // namespace
}  // namespace ctxbench
