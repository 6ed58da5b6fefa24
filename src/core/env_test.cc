#include "core/env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace ctxbench {
namespace {

TEST(EnvTest, UnsetAndEmptyAreNulloptASetValueIsReturned) {
  const std::string name = "CTXBENCH_ENV_TEST_VARIABLE";
  ::unsetenv(name.c_str());
  EXPECT_EQ(GetEnv(name), std::nullopt);
  EXPECT_FALSE(EnvIsSet(name));
  ::setenv(name.c_str(), "", 1);
  EXPECT_EQ(GetEnv(name), std::nullopt);
  EXPECT_TRUE(EnvIsSet(name));
  ::setenv(name.c_str(), "a value", 1);
  EXPECT_EQ(GetEnv(name), "a value");
  ::unsetenv(name.c_str());
}

}  // namespace
}  // namespace ctxbench
