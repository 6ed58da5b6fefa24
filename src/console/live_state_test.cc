#include "console/live_state.h"

#include <gtest/gtest.h>

#include "llm/model_health.h"
#include "llm/openai/call_gate.h"

namespace ctxbench {
namespace {

EpisodeKey Key(uint64_t seed) { return {"toy", "full", "gpt", "agentic", seed}; }

Event Make(EventType type, int iteration, int step, Json data = Json::object()) {
  Event e;
  e.type = type;
  e.iteration = iteration;
  e.step = step;
  e.data = std::move(data);
  return e;
}

class LiveStateTest : public ::testing::Test {
 protected:
  void Start(size_t episodes, std::vector<WatchedModel> models = {}) {
    state_.Start({episodes, 2, 5.0, std::move(models)});
  }
  void Begin(uint64_t seed, int iterations = 10) {
    state_.OnEvent(Key(seed), Make(EventType::kEpisodeStart, 0, 0,
                                   {{"context_tokens", 8000}, {"iterations", iterations}}));
  }
  void Step(uint64_t seed, int iteration, int step, int64_t ctx, double call_s, Json llm) {
    state_.OnEvent(Key(seed), Make(EventType::kContext, iteration, step, {{"tokens", ctx}}));
    clock_.Advance(call_s);
    state_.OnEvent(Key(seed), Make(EventType::kLlmCall, iteration, step, std::move(llm)));
    state_.OnEvent(Key(seed),
                   Make(EventType::kStepSummary, iteration, step, {{"action", "run_experiment"}}));
  }
  void End(uint64_t seed, const std::string& status, bool success) {
    state_.OnEvent(Key(seed), Make(EventType::kEpisodeEnd, 0, 0,
                                   {{"outcome", {{"status", status}, {"success", success}}}}));
  }

  FakeClock clock_;
  LiveState state_{clock_};
};

TEST_F(LiveStateTest, FollowsAnEpisodeInFlightFromItsEvents) {
  Start(4);
  Begin(1);
  Step(1, 1, 1, 1200, 2.0,
       {{"prompt_tokens", 1000}, {"completion_tokens", 50}, {"cost_usd", 0.01}});
  state_.OnEvent(Key(1), Make(EventType::kContext, 2, 2, {{"tokens", 2500}}));
  clock_.Advance(1.5);

  LiveSnapshot s = state_.Snapshot();
  ASSERT_EQ(s.in_flight.size(), 1u);
  const InFlightEpisode& e = s.in_flight[0];
  EXPECT_EQ(e.episode, Key(1).Id());
  EXPECT_EQ(e.iteration, 2);
  EXPECT_EQ(e.step, 2);
  EXPECT_EQ(e.context_tokens, 2500);
  EXPECT_EQ(e.context_budget, 8000);
  EXPECT_EQ(e.tokens, 1050);
  EXPECT_DOUBLE_EQ(e.cost_usd, 0.01);
  EXPECT_EQ(e.last_action, "run_experiment");
  ASSERT_TRUE(e.call_s.has_value());
  EXPECT_DOUBLE_EQ(*e.call_s, 1.5);
  EXPECT_EQ(s.calls, 1);
  EXPECT_EQ(s.tokens, 1050);
  EXPECT_DOUBLE_EQ(s.elapsed_s, 3.5);
  EXPECT_DOUBLE_EQ(s.cost_cap_usd, 5.0);
}

TEST_F(LiveStateTest, CountsTheSummarisersCallsAndTheirTime) {
  Start(2);
  Begin(1);
  Begin(2);
  Step(1, 1, 1, 1200, 2.0, {{"prompt_tokens", 100}, {"completion_tokens", 10}});
  // The summariser's calls come before the next context (the policy builds it).
  for (double latency : {1.25, 0.5}) {
    state_.OnEvent(Key(1), Make(EventType::kLlmCall, 2, 2,
                                {{"purpose", "summarize"},
                                 {"latency_s", latency},
                                 {"prompt_tokens", 300},
                                 {"completion_tokens", 40}}));
  }
  state_.OnEvent(Key(1), Make(EventType::kContext, 2, 2, {{"tokens", 900}}));
  LiveSnapshot s = state_.Snapshot();
  ASSERT_EQ(s.in_flight.size(), 2u);
  EXPECT_EQ(s.in_flight[0].summarize_calls, 2);
  EXPECT_DOUBLE_EQ(s.in_flight[0].summarize_s, 1.75);
  EXPECT_TRUE(s.in_flight[0].call_s.has_value());  // the agent's call under way
  EXPECT_EQ(s.in_flight[1].summarize_calls, 0);
  EXPECT_EQ(s.summarize_calls, 2);
  EXPECT_DOUBLE_EQ(s.summarize_s, 1.75);
  EXPECT_EQ(s.calls, 3);
  EXPECT_EQ(s.in_flight[0].tokens, 110 + 2 * 340);
}

TEST_F(LiveStateTest, CountsFinishedEpisodesAndLeavesInterruptedOnesUnfinished) {
  Start(3);
  for (uint64_t seed : {1, 2, 3}) Begin(seed);
  End(1, "complete", true);
  End(2, "error", false);
  End(3, "interrupted", false);
  LiveSnapshot s = state_.Snapshot();
  EXPECT_EQ(s.done, 2u);
  EXPECT_EQ(s.successes, 1u);
  EXPECT_EQ(s.errors, 1u);
  EXPECT_TRUE(s.in_flight.empty());
}

TEST_F(LiveStateTest, EtaMovesWithStepsBeforeAnyEpisodeFinishes) {
  Start(2);
  Begin(1, /*iterations=*/4);
  EXPECT_FALSE(state_.Snapshot().eta_s.has_value());
  Step(1, 1, 1, 100, 4.0, Json::object());
  EXPECT_FALSE(state_.Snapshot().eta_s.has_value());  // no iteration completed yet
  Step(1, 2, 2, 100, 6.0, Json::object());            // iteration 1 of 4 done in 10 s
  std::optional<double> eta = state_.Snapshot().eta_s;
  ASSERT_TRUE(eta.has_value());
  // 0.25 of 2 episodes took 10 s: 1.75 remain, at 40 s each.
  EXPECT_NEAR(*eta, 70.0, 1e-9);
  End(1, "complete", false);  // its 2 steps are now the mean
  Begin(2, 4);
  EXPECT_NEAR(*state_.Snapshot().eta_s, 10.0, 1e-9);  // 1 of 2 in 10 s
  Step(2, 1, 1, 100, 10.0, Json::object());  // half of episode 2 (1 of 2 steps) in 10 s more
  EXPECT_NEAR(*state_.Snapshot().eta_s, 20.0 * 0.5 / 1.5, 1e-9);
}

TEST_F(LiveStateTest, RetriesAndRateLimitsCountOverTheLastMinute) {
  CallGate gate(CallLimits{3, 0, 0, false}, &clock_, [this](double s) { clock_.Advance(s); });
  ModelHealth health;
  Start(1, {{"gpt", &gate, &health}, {"sim", nullptr, nullptr}});
  Begin(1);
  Step(1, 1, 1, 100, 1.0, {{"retried", {"HTTP 429: slow down", "timed out"}}});
  {
    CallGate::Permit p = gate.Acquire(0);
    p.Finish(429);
  }
  CallGate::Permit held = gate.Acquire(0);
  LiveSnapshot s = state_.Snapshot();
  EXPECT_EQ(s.retries, 2);
  EXPECT_EQ(s.retries_last_min, 2);
  EXPECT_EQ(s.rate_limited_last_min, 1);
  ASSERT_EQ(s.models.size(), 2u);
  EXPECT_TRUE(s.models[0].calls_server);
  EXPECT_EQ(s.models[0].connections, 1);
  EXPECT_EQ(s.models[0].max_connections, 3);
  EXPECT_FALSE(s.models[1].calls_server);

  clock_.Advance(61);
  health.MarkUnavailable("401 Unauthorized");
  s = state_.Snapshot();
  EXPECT_EQ(s.retries, 2);
  EXPECT_EQ(s.retries_last_min, 0);
  EXPECT_EQ(s.rate_limited_last_min, 0);
  EXPECT_FALSE(s.models[0].available);
  EXPECT_EQ(s.models[0].why, "401 Unauthorized");
}

TEST_F(LiveStateTest, KeepsTheLatestWarnings) {
  Start(1);
  for (int i = 1; i <= 5; ++i) state_.AddWarning("warning: " + std::to_string(i));
  LiveSnapshot s = state_.Snapshot();
  EXPECT_EQ(s.warnings_total, 5u);
  EXPECT_EQ(s.warnings, (std::vector<std::string>{"warning: 3", "warning: 4", "warning: 5"}));
}

}  // namespace
}  // namespace ctxbench
