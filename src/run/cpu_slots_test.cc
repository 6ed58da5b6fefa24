#include "run/cpu_slots.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace ctxbench {
namespace {

TEST(CpuSlotsTest, AtMostSlotsHoldersAtOnce) {
  const int n = 3;
  CpuSlots slots(n);
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 12; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        CpuSlots::Hold hold(slots);
        int now = ++inside;
        for (int seen = peak.load(); now > seen && !peak.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        --inside;
      }
    });
  }
  for (auto& t : pool) t.join();
  EXPECT_LE(peak.load(), n);
  EXPECT_GE(peak.load(), 1);
}

TEST(CpuSlotsTest, AReleasedSlotLetsAWaiterIn) {
  CpuSlots slots(1);
  slots.Acquire();
  std::atomic<bool> in{false};
  std::thread waiter([&] {
    CpuSlots::Hold hold(slots);
    in = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(in.load());
  slots.Release();
  waiter.join();
  EXPECT_TRUE(in.load());
}

TEST(CpuSlotsTest, UsableCpusIsPositive) { EXPECT_GE(UsableCpus(), 1); }

}  // namespace
}  // namespace ctxbench
