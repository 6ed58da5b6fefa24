#include "tasks/evaluation_memo.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ctxbench {
namespace {

Evaluation Result(double metric, bool ok = true) {
  Evaluation e;
  e.ok = ok;
  e.valid_metric = metric;
  e.test_metric = metric / 2;
  e.train_seconds = 0.25;
  if (!ok) e.error = "failed";
  return e;
}

TEST(EvaluationMemoTest, ComputesOnceAndAnswersRepeatsAsCached) {
  EvaluationMemo memo(8);
  int calls = 0;
  auto compute = [&] { return Result(++calls); };
  Evaluation first = memo.GetOrCompute("a", compute);
  Evaluation again = memo.GetOrCompute("a", compute);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.valid_metric, first.valid_metric);
  EXPECT_EQ(again.test_metric, first.test_metric);
  EXPECT_EQ(again.train_seconds, first.train_seconds);
  EXPECT_EQ(memo.GetOrCompute("b", compute).valid_metric, 2);
  EXPECT_EQ(memo.size(), 2u);
}

TEST(EvaluationMemoTest, ZeroEntriesTurnsItOff) {
  EvaluationMemo memo(0);
  int calls = 0;
  auto compute = [&] { return Result(++calls); };
  EXPECT_FALSE(memo.GetOrCompute("a", compute).cached);
  EXPECT_FALSE(memo.GetOrCompute("a", compute).cached);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(memo.size(), 0u);
}

TEST(EvaluationMemoTest, KeepsAtMostItsBoundDroppingTheOldestFirst) {
  EvaluationMemo memo(2);
  int calls = 0;
  auto compute = [&] { return Result(++calls); };
  for (const char* key : {"a", "b", "c"}) memo.GetOrCompute(key, compute);
  EXPECT_EQ(memo.size(), 2u);
  EXPECT_TRUE(memo.GetOrCompute("c", compute).cached);
  EXPECT_TRUE(memo.GetOrCompute("b", compute).cached);
  EXPECT_EQ(calls, 3);
  EXPECT_FALSE(memo.GetOrCompute("a", compute).cached);  // dropped, computed again
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(memo.size(), 2u);
}

TEST(EvaluationMemoTest, FailuresAndExceptionsAreNotKept) {
  EvaluationMemo memo(8);
  int calls = 0;
  auto fail = [&] { return Result(++calls, /*ok=*/false); };
  EXPECT_FALSE(memo.GetOrCompute("a", fail).ok);
  EXPECT_FALSE(memo.GetOrCompute("a", fail).cached);
  EXPECT_EQ(calls, 2);
  EXPECT_THROW(memo.GetOrCompute("b", [&]() -> Evaluation { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(memo.size(), 0u);
  EXPECT_TRUE(memo.GetOrCompute("b", [] { return Result(5); }).ok);
}

// Callers asking for a key while it is computed wait for that computation.
TEST(EvaluationMemoTest, ConcurrentCallersOfOneKeyComputeItOnce) {
  EvaluationMemo memo(8);
  std::atomic<int> calls{0};
  std::atomic<bool> go{false};
  auto slow = [&] {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return Result(7);
  };
  std::vector<Evaluation> out(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < out.size(); ++i) {
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      out[i] = memo.GetOrCompute("k", slow);
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(calls, 1);
  int computed = 0;
  for (const Evaluation& e : out) {
    EXPECT_EQ(e.valid_metric, 7);
    computed += e.cached ? 0 : 1;
  }
  EXPECT_EQ(computed, 1);
}

// A failure reaches the callers that were waiting for it, then is dropped.
TEST(EvaluationMemoTest, WaitersGetAFailureThatIsThenForgotten) {
  EvaluationMemo memo(8);
  std::atomic<bool> started{false}, release{false};
  Evaluation waiter_result;
  std::thread computer([&] {
    memo.GetOrCompute("k", [&] {
      started = true;
      while (!release) std::this_thread::yield();
      return Result(1, /*ok=*/false);
    });
  });
  while (!started) std::this_thread::yield();
  std::thread waiter([&] { waiter_result = memo.GetOrCompute("k", [] { return Result(2); }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  computer.join();
  waiter.join();
  // The waiter either waited (the failure, cached) or came after it was
  // dropped (its own computation); never a kept failure afterwards.
  if (waiter_result.cached) {
    EXPECT_FALSE(waiter_result.ok);
  } else {
    EXPECT_TRUE(waiter_result.ok);
  }
  EXPECT_TRUE(memo.GetOrCompute("k", [] { return Result(3); }).ok);
}

}  // namespace
}  // namespace ctxbench
