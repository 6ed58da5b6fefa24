#include "llm/openai/call_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>
#include <vector>

namespace ctxbench {
namespace {

CallLimits Limits(int connections, bool adaptive = false) {
  CallLimits l;
  l.max_connections = connections;
  l.adaptive = adaptive;
  return l;
}

TEST(CallGateTest, AnAcquireBeyondTheCapWaitsForAFinish) {
  const int cap = 3;
  CallGate gate(Limits(cap));
  std::vector<CallGate::Permit> held;
  for (int i = 0; i < cap; ++i) held.push_back(gate.Acquire(0));
  std::atomic<bool> through{false};
  std::thread late([&] {
    CallGate::Permit p = gate.Acquire(0);
    through = true;
    p.Finish(200);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(through.load());
  held.back().Finish(200);
  late.join();
  EXPECT_TRUE(through.load());
  EXPECT_EQ(gate.stats().calls, cap + 1);
  EXPECT_EQ(gate.stats().peak_in_flight, cap);
}

TEST(CallGateTest, ManyThreadsNeverExceedTheCap) {
  const int cap = 4;
  const int threads = 16;
  const int calls_each = 25;
  CallGate gate(Limits(cap));
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < calls_each; ++i) {
        CallGate::Permit p = gate.Acquire(0);
        int now = ++inside;
        for (int seen = peak.load(); now > seen && !peak.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --inside;
        p.Finish(200);
      }
    });
  }
  for (auto& t : pool) t.join();
  EXPECT_LE(peak.load(), cap);
  EXPECT_EQ(gate.stats().peak_in_flight, peak.load());
  EXPECT_EQ(gate.stats().calls, threads * calls_each);
}

TEST(CallGateTest, RequestsPerMinuteSpaceRequestsOnAFakeClock) {
  FakeClock clock;
  std::vector<double> waits;
  CallLimits limits = Limits(10);
  limits.requests_per_minute = 30;  // one every 2 s once the minute's allowance is used
  CallGate gate(limits, &clock, [&](double s) {
    waits.push_back(s);
    clock.Advance(s);
  });
  for (int i = 0; i < 30; ++i) gate.Acquire(0).Finish(200);
  EXPECT_TRUE(waits.empty());
  gate.Acquire(0).Finish(200);
  gate.Acquire(0).Finish(200);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_DOUBLE_EQ(waits[0], 2.0);
  EXPECT_DOUBLE_EQ(waits[1], 2.0);  // the clock moved by the first wait
}

TEST(CallGateTest, TokensPerMinuteChargeTheEstimate) {
  FakeClock clock;
  double waited = 0;
  CallLimits limits = Limits(10);
  limits.tokens_per_minute = 6000;  // 100 a second
  CallGate gate(limits, &clock, [&](double s) {
    waited += s;
    clock.Advance(s);
  });
  gate.Acquire(5000).Finish(200);
  EXPECT_EQ(waited, 0);
  gate.Acquire(3000).Finish(200);  // 1000 on hand, 2000 owed
  EXPECT_DOUBLE_EQ(waited, 20.0);
}

TEST(CallGateTest, AdaptiveHalvesOncePerOverload) {
  const int max = 8;
  CallGate gate(Limits(max, /*adaptive=*/true));
  std::vector<CallGate::Permit> burst;
  for (int i = 0; i < max; ++i) burst.push_back(gate.Acquire(0));
  for (auto& p : burst) p.Finish(429);  // one overload, eight rejections
  EXPECT_EQ(gate.stats().cap, max / 2);
  EXPECT_EQ(gate.stats().rate_limited, max);
  // The next overload halves again, never below one.
  for (int round = 0; round < 5; ++round) {
    std::vector<CallGate::Permit> more;
    for (int i = 0; i < gate.stats().cap; ++i) more.push_back(gate.Acquire(0));
    for (auto& p : more) p.Finish(429);
  }
  EXPECT_EQ(gate.stats().cap, 1);
}

TEST(CallGateTest, StaticCapIgnores429s) {
  CallGate gate(Limits(6));
  gate.Acquire(0).Finish(429);
  EXPECT_EQ(gate.stats().cap, 6);
  EXPECT_EQ(gate.stats().rate_limited, 1);
}

// Keeps the gate saturated (as many permits in flight as the cap allows),
// finishing the oldest with 200 each step; returns the cap after `steps`.
int RunSaturated(CallGate& gate, std::deque<CallGate::Permit>& flight, int steps) {
  for (int i = 0; i < steps; ++i) {
    while (static_cast<int>(flight.size()) < gate.stats().cap) flight.push_back(gate.Acquire(0));
    flight.front().Finish(200);
    flight.pop_front();
  }
  return gate.stats().cap;
}

TEST(CallGateTest, AdaptiveClimbsBackFastThenProbesAndStaysUnderMax) {
  const int max = 8;
  CallGate gate(Limits(max, /*adaptive=*/true));
  {
    std::vector<CallGate::Permit> burst;
    for (int i = 0; i < max; ++i) burst.push_back(gate.Acquire(0));
    burst.front().Finish(429);
  }
  ASSERT_EQ(gate.stats().cap, max / 2);
  std::deque<CallGate::Permit> flight;
  // Up to just below the level of the 429: about one success per step.
  EXPECT_EQ(RunSaturated(gate, flight, 2 * (max - 1 - max / 2)), max - 1);
  // From there, one more connection takes several round trips at the cap.
  EXPECT_EQ(RunSaturated(gate, flight, max - 1), max - 1);
  EXPECT_EQ(RunSaturated(gate, flight, 8 * max), max);
  // Never above max_connections, however long the server keeps up.
  EXPECT_EQ(RunSaturated(gate, flight, 50 * max), max);
  EXPECT_LE(gate.stats().peak_in_flight, max);
  for (auto& p : flight) p.Finish(200);
}

TEST(CallGateTest, AdaptiveUnderConcurrentRejectionsKeepsItsBounds) {
  const int max = 6;
  CallGate gate(Limits(max, /*adaptive=*/true));
  std::atomic<int> inside{0};
  std::atomic<bool> over{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < 12; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        CallGate::Permit p = gate.Acquire(0);
        int now = ++inside;
        if (now > max) over = true;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        // A "server" that rejects above three in flight.
        int status = now > 3 ? 429 : 200;
        --inside;
        if ((i + t) % 7 == 0) continue;  // some permits end unfinished: status 0
        p.Finish(status);
      }
    });
  }
  for (auto& t : pool) t.join();
  CallGateStats s = gate.stats();
  EXPECT_FALSE(over.load());
  EXPECT_EQ(s.calls, 12 * 40);
  EXPECT_GE(s.cap, 1);
  EXPECT_LE(s.cap, max);
}

}  // namespace
}  // namespace ctxbench
