#include "llm/memo_counter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace ctxbench {
namespace {

// Counts bytes / 3 and how often it was asked.
class CountingCounter final : public TokenCounter {
 public:
  int Count(std::string_view text) const override {
    ++calls;
    return static_cast<int>(text.size() / 3);
  }
  bool exact() const override { return true; }
  std::string name() const override { return "thirds"; }
  mutable std::atomic<int> calls{0};
};

std::string Text(int i) {
  return "a text long enough to be remembered, number " + std::to_string(i);
}

TEST(MemoCounterTest, GivesTheInnerCountsAndCountsEachTextOnce) {
  auto inner = std::make_shared<CountingCounter>();
  MemoCounter memo(inner);
  EXPECT_EQ(memo.name(), "thirds");
  EXPECT_TRUE(memo.exact());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 50; ++i)
      EXPECT_EQ(memo.Count(Text(i)), static_cast<int>(Text(i).size() / 3));
  }
  EXPECT_EQ(inner->calls.load(), 50);
}

TEST(MemoCounterTest, ShortTextsAreCountedDirectly) {
  auto inner = std::make_shared<CountingCounter>();
  MemoCounter memo(inner);
  std::string short_text(MemoCounter::kMinBytes - 1, 'x');
  EXPECT_EQ(memo.Count(short_text), static_cast<int>(short_text.size() / 3));
  EXPECT_EQ(memo.Count(short_text), static_cast<int>(short_text.size() / 3));
  EXPECT_EQ(inner->calls.load(), 2);
}

TEST(MemoCounterTest, ForgetsBeyondItsBoundAndStillAnswersRight) {
  auto inner = std::make_shared<CountingCounter>();
  MemoCounter memo(inner, /*max_bytes=*/1024);  // about 64 bytes a shard
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 200; ++i)
      EXPECT_EQ(memo.Count(Text(i)), static_cast<int>(Text(i).size() / 3));
  }
  EXPECT_GT(inner->calls.load(), 200);  // some were forgotten and counted again
}

TEST(MemoCounterTest, ThreadsGetTheSameCounts) {
  auto inner = std::make_shared<CountingCounter>();
  MemoCounter memo(inner);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (memo.Count(Text(i % 100)) != static_cast<int>(Text(i % 100).size() / 3)) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(inner->calls.load(), 4 * 100);
}

}  // namespace
}  // namespace ctxbench
