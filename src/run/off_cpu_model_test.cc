#include "run/off_cpu_model.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/error.h"

namespace ctxbench {
namespace {

// A model whose calls wait (like a server round trip) and can fail.
class WaitingModel final : public Model {
 public:
  explicit WaitingModel(std::atomic<int>* waiting) : waiting_(waiting) {}
  std::string name() const override { return "waiting"; }
  Completion Complete(const CompletionRequest& request) override {
    ++*waiting_;
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    --*waiting_;
    if (request.purpose == "fail") ThrowRuntime("waiting", "server gone");
    Completion c;
    c.message = {Role::kAssistant, "ok", {}, "", ""};
    return c;
  }

 private:
  std::atomic<int>* waiting_;
};

CompletionRequest Request(const std::string& purpose = "agent") {
  CompletionRequest r;
  r.messages = {{Role::kUser, "hi", {}, "", ""}};
  r.purpose = purpose;
  return r;
}

TEST(OffCpuModelTest, CallsWaitWithoutHoldingTheSlot) {
  // One CPU slot, four episodes: their model calls overlap all the same.
  CpuSlots slots(1);
  std::atomic<int> waiting{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> episodes;
  for (int e = 0; e < 4; ++e) {
    episodes.emplace_back([&] {
      CpuSlots::Hold cpu(slots);
      OffCpuModel model(std::make_unique<WaitingModel>(&waiting), slots);
      std::thread watch([&] {
        for (int i = 0; i < 20; ++i) {
          int now = waiting.load();
          for (int seen = peak.load(); now > seen && !peak.compare_exchange_weak(seen, now);) {
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
      });
      EXPECT_EQ(model.Complete(Request()).message.content, "ok");
      watch.join();
    });
  }
  for (auto& t : episodes) t.join();
  EXPECT_GT(peak.load(), 1);
}

TEST(OffCpuModelTest, TakesTheSlotBackBeforeAnErrorPropagates) {
  CpuSlots slots(1);
  std::atomic<int> waiting{0};
  slots.Acquire();
  OffCpuModel model(std::make_unique<WaitingModel>(&waiting), slots);
  EXPECT_EQ(model.name(), "waiting");
  EXPECT_THROW(model.Complete(Request("fail")), Error);
  // The slot is held again: another thread cannot take it until released.
  std::atomic<bool> in{false};
  std::thread other([&] {
    CpuSlots::Hold hold(slots);
    in = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(in.load());
  slots.Release();
  other.join();
  EXPECT_TRUE(in.load());
}

}  // namespace
}  // namespace ctxbench
