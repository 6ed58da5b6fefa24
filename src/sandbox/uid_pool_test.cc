#include "sandbox/uid_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace ctxbench {
namespace {

TEST(ParseUidRangeTest, AcceptsARangeAndOneUid) {
  UidRange r;
  EXPECT_EQ(ParseUidRange("60000-60999", &r), "");
  EXPECT_EQ(r.first, 60000);
  EXPECT_EQ(r.last, 60999);
  EXPECT_EQ(ParseUidRange("70000", &r), "");
  EXPECT_EQ(r.first, 70000);
  EXPECT_EQ(r.last, 70000);
}

TEST(ParseUidRangeTest, RefusesBadRangesAndRealUsers) {
  UidRange r;
  for (const char* bad : {"", "a-b", "600-700", "70000-60000", "-5", "60000-", "1-2147483647"}) {
    EXPECT_NE(ParseUidRange(bad, &r), "") << bad;
  }
  // nobody (65534) is a user of every Debian machine.
  std::string clash = ParseUidRange("65000-65534", &r);
  EXPECT_NE(clash.find("65534"), std::string::npos) << clash;
}

TEST(UidPoolTest, ConcurrentLeasesAreDistinctAndReturned) {
  UidPool pool({5000, 5002});
  std::set<int> seen;
  {
    UidPool::Lease a = pool.Acquire();
    UidPool::Lease b = pool.Acquire();
    UidPool::Lease c = pool.Acquire();
    seen = {a.uid(), b.uid(), c.uid()};
    EXPECT_EQ(pool.leased(), 3);
  }
  EXPECT_EQ(seen, (std::set<int>{5000, 5001, 5002}));
  EXPECT_EQ(pool.leased(), 0);
}

TEST(UidPoolTest, AcquireWaitsForAFreeUid) {
  UidPool pool({5000, 5000});
  std::atomic<int> got{-1};
  std::thread waiter;
  {
    UidPool::Lease held = pool.Acquire();
    waiter = std::thread([&] { got = pool.Acquire().uid(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(got.load(), -1);  // still waiting: the only uid is leased
  }
  waiter.join();
  EXPECT_EQ(got.load(), 5000);
}

TEST(UidPoolTest, ManyThreadsNeverShareAUid) {
  UidPool pool({5000, 5003});
  std::mutex mu;
  std::set<int> live;
  std::atomic<bool> clash{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        UidPool::Lease l = pool.Acquire();
        {
          std::lock_guard<std::mutex> lock(mu);
          if (!live.insert(l.uid()).second) clash = true;
        }
        std::this_thread::yield();
        std::lock_guard<std::mutex> lock(mu);
        live.erase(l.uid());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(clash.load());
  EXPECT_EQ(pool.leased(), 0);
}

}  // namespace
}  // namespace ctxbench
