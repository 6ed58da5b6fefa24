#include "core/status.h"

#include <gtest/gtest.h>

#include <string>

namespace ctxbench {
namespace {

Status Even(int n) {
  if (n % 2 != 0) return Status::Failure(std::to_string(n) + " is odd");
  return Status::Ok();
}

TEST(StatusTest, IsOkOrCarriesTheReason) {
  Status four = Even(4);
  EXPECT_TRUE(four.ok());
  EXPECT_TRUE(static_cast<bool>(four));
  EXPECT_EQ(four.error(), "");
  Status three = Even(3);
  EXPECT_FALSE(three.ok());
  EXPECT_FALSE(static_cast<bool>(three));
  EXPECT_EQ(three.error(), "3 is odd");
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.error(), "");
}

TEST(StatusTest, AFailureWithoutWordsIsStillAFailure) {
  // An empty message breaks the REQUIRES, but must not read as success.
  Status s = Status::Failure("");
  EXPECT_FALSE(s.ok());
}

TEST(StatusTest, CopiesKeepTheOutcome) {
  Status failed = Status::Failure("disk full");
  Status copy = failed;
  EXPECT_FALSE(copy.ok());
  EXPECT_EQ(copy.error(), "disk full");
  copy = Status::Ok();
  EXPECT_TRUE(copy.ok());
  EXPECT_EQ(copy.error(), "");
  EXPECT_EQ(failed.error(), "disk full");
}

}  // namespace
}  // namespace ctxbench
