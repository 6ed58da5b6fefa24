#include "core/expected.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
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

TEST(ExpectedTest, AsOptionalIsTheValueOrNothing) {
  EXPECT_EQ(Half(8).as_optional(), std::optional<int>(4));
  Expected<int> none = Half(3);
  EXPECT_FALSE(none.as_optional().has_value());
  EXPECT_EQ(none.error(), "3 is odd");
}

TEST(ExpectedTest, HoldsMoveOnlyValues) {
  Expected<std::unique_ptr<int>> made = std::make_unique<int>(7);
  ASSERT_TRUE(made.ok());
  std::unique_ptr<int> taken = std::move(made).value();
  EXPECT_EQ(*taken, 7);
  Expected<std::unique_ptr<int>> failed = Expected<std::unique_ptr<int>>::Failure("no memory");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error(), "no memory");
}

}  // namespace
}  // namespace ctxbench
