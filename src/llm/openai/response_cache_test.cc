#include "llm/openai/response_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

CachedResponse CachedAnswer(const std::string& text) {
  return {{Role::kAssistant, text, {}, "", ""}, {10, 5, 0}, "stop", false};
}

TEST(RequestKeyTest, TheSeedIsPartOfTheKeyEvenWhenNotSent) {
  Json unseeded = {{"model", "m"}, {"messages", Json::array()}};
  EXPECT_NE(RequestKey("http://h/v1", unseeded, 1), RequestKey("http://h/v1", unseeded, 2));
  Json seeded = unseeded;
  seeded["seed"] = 1;
  // A body with its seed keys on it alone (the key caches always had).
  EXPECT_EQ(RequestKey("http://h/v1", seeded, 1), RequestKey("http://h/v1", seeded, 7));
  EXPECT_NE(RequestKey("http://h/v1", seeded, 1), RequestKey("http://h/v1", unseeded, 1));
}

class ResponseCacheTest : public ::testing::Test {
 protected:
  ScratchDir scratch_;
  std::shared_ptr<ResponseCache> cache_ =
      ResponseCache::Open(scratch_.Path("cache.db"), /*create=*/true);
};

TEST_F(ResponseCacheTest, AClaimedKeyMakesOthersWaitThenReadTheStoredAnswer) {
  ResponseCache::Claim claim;
  ASSERT_FALSE(cache_->FindOrClaim("k", &claim));
  ASSERT_TRUE(claim.held());
  std::atomic<bool> answered{false};
  std::optional<CachedResponse> seen;
  ResponseCache::Claim other;
  std::thread waiter([&] {
    seen = cache_->FindOrClaim("k", &other);
    answered = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(answered.load());  // waiting for the first caller's fetch
  cache_->Store("k", Json::object(), CachedAnswer("fetched once"));
  claim = ResponseCache::Claim();  // ends the claim
  waiter.join();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->message.content, "fetched once");
  EXPECT_FALSE(other.held());
}

TEST_F(ResponseCacheTest, AnAbandonedClaimPassesTheKeyToOneWaiter) {
  auto claim = std::make_unique<ResponseCache::Claim>();
  ASSERT_FALSE(cache_->FindOrClaim("k", claim.get()));
  ResponseCache::Claim second;
  std::optional<CachedResponse> seen;
  std::thread waiter([&] { seen = cache_->FindOrClaim("k", &second); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  claim.reset();  // the fetch failed: nothing stored
  waiter.join();
  EXPECT_FALSE(seen);
  EXPECT_TRUE(second.held());  // the waiter fetches now
}

TEST_F(ResponseCacheTest, ConcurrentIdenticalRequestsFetchOnce) {
  const int threads = 8;
  std::atomic<int> fetches{0};
  std::vector<std::thread> pool;
  std::vector<std::string> answers(threads);
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ResponseCache::Claim claim;
      std::optional<CachedResponse> r = cache_->FindOrClaim("same", &claim);
      if (!r) {
        ++fetches;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        r = CachedAnswer("the answer");
        cache_->Store("same", Json::object(), *r);
      }
      answers[t] = r->message.content;
    });
  }
  for (auto& t : pool) t.join();
  EXPECT_EQ(fetches.load(), 1);
  for (const auto& a : answers) EXPECT_EQ(a, "the answer");
}

}  // namespace
}  // namespace ctxbench
