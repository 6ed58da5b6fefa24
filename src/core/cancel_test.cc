#include "core/cancel.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ctxbench {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(CancellationTest, WaitsTheFullTimeWhenNotRequested) {
  Cancellation c;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.WaitFor(0.12));
  EXPECT_GE(SecondsSince(start), 0.12);
  EXPECT_FALSE(c.requested());
}

TEST(CancellationTest, AWaitEndsSoonAfterTheFlagIsSetFromAnotherThread) {
  Cancellation c;
  auto start = std::chrono::steady_clock::now();
  std::thread setter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    c.Request();
  });
  EXPECT_TRUE(c.WaitFor(30));
  setter.join();
  double waited = SecondsSince(start);
  EXPECT_GE(waited, 0.1);
  EXPECT_LT(waited, 1.0);  // one 50 ms slice after the request, with room for a busy machine
  EXPECT_TRUE(c.requested());
  c.Clear();
  EXPECT_FALSE(c.requested());
}

TEST(CancellationTest, AnAlreadySetFlagOrPredicateReturnsAtOnce) {
  Cancellation c;
  int polls = 0;
  EXPECT_TRUE(c.WaitFor(30, [&] { return ++polls >= 3; }));
  EXPECT_EQ(polls, 3);
  c.Request();
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitFor(30));
  EXPECT_LT(SecondsSince(start), 0.05);
}

TEST(CancellationTest, CancelledErrorIsARuntimeError) {
  try {
    throw CancelledError("model x", "interrupted");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kRuntime);
    EXPECT_STREQ(e.what(), "model x: interrupted");
  }
}

}  // namespace
}  // namespace ctxbench
