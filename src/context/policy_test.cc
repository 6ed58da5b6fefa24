#include "context/policy.h"

#include <gtest/gtest.h>

#include <random>

#include "core/error.h"

namespace ctxbench {
namespace {

Event MessageEvent(EventType type, Role role, std::string content) {
  Event e;
  e.type = type;
  e.message = Message{role, std::move(content), {}, "", ""};
  return e;
}

// A log with a head and `turns` agentic turns: assistant tool call + tool result.
std::vector<Event> MakeLog(int turns, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::vector<Event> log;
  log.push_back(MessageEvent(EventType::kPrompt, Role::kSystem, "You are an ML experimenter."));
  log.push_back(MessageEvent(EventType::kPrompt, Role::kUser, "Task: tune max_depth."));
  for (int t = 0; t < turns; ++t) {
    Event call = MessageEvent(EventType::kLlmCall, Role::kAssistant, "");
    call.message->tool_calls.push_back({"c" + std::to_string(t), "train", "{\"max_depth\":3}"});
    log.push_back(call);
    Event result = MessageEvent(EventType::kToolResult, Role::kTool,
                                std::string(20 + rng() % 400, 'x') + " result " + std::to_string(t));
    result.message->tool_call_id = "c" + std::to_string(t);
    result.message->name = "train";
    log.push_back(result);
    log.push_back(Event{0, EventType::kExperiment, t + 1, 0, 0, std::nullopt, Json::object()});
  }
  for (size_t i = 0; i < log.size(); ++i) log[i].seq = static_cast<int64_t>(i);
  return log;
}

void ExpectInvariants(const Context& ctx, int budget) {
  ASSERT_GE(ctx.messages.size(), 2u);
  EXPECT_EQ(ctx.messages[0].role, Role::kSystem);
  EXPECT_EQ(ctx.messages[1].content, "Task: tune max_depth.");
  EXPECT_LE(ctx.manifest.total_tokens, budget);
  // Every tool result follows the assistant message that called it.
  for (size_t i = 0; i < ctx.messages.size(); ++i) {
    if (ctx.messages[i].role != Role::kTool) continue;
    bool found = false;
    for (size_t j = i; j-- > 0 && !found;) {
      for (const auto& c : ctx.messages[j].tool_calls) found |= c.id == ctx.messages[i].tool_call_id;
    }
    EXPECT_TRUE(found) << "orphan tool result at " << i;
  }
}

TEST(WindowPolicyTest, KeepsLastTurnsAndDropsOlderOnes) {
  auto policy = MakePolicy({"w", "window", {{"max_turns", 2}}}, "test");
  auto log = MakeLog(5);
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  Context ctx = policy->Build({log, 100000, counter, tools});
  ASSERT_EQ(ctx.messages.size(), 2u + 4u);
  EXPECT_EQ(ctx.messages.back().tool_call_id, "c4");
  EXPECT_EQ(ctx.messages[2].tool_calls[0].id, "c3");
  EXPECT_EQ(ctx.manifest.dropped.size(), 6u);
  EXPECT_EQ(ctx.manifest.extra["turns_kept"], 2);
}

TEST(PolicyTest, InvariantsHoldOverRandomLogsAndBudgets) {
  EstimateCounter counter;
  std::vector<ToolSpec> tools = {{"train", "Train a config", Json{{"type", "object"}}}};
  std::vector<PolicyConfig> configs = {
      {"full", "full", {{"context_window", 4000}}},
      {"w3", "window", {{"max_turns", 3}}},
      {"wt", "window", {{"max_tokens", 300}}},
  };
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    auto log = MakeLog(static_cast<int>(seed * 7 % 60), seed);
    for (const auto& pc : configs) {
      auto policy = MakePolicy(pc, "test");
      int budget = pc.type == "full" ? 4000 : 200 + static_cast<int>(seed * 37 % 2000);
      Context a = policy->Build({log, budget, counter, tools});
      ExpectInvariants(a, budget);
      Context b = policy->Build({log, budget, counter, tools});
      EXPECT_EQ(a.messages, b.messages) << "policy " << pc.name << " is not pure";
      EXPECT_EQ(a.manifest.kept.size() + a.manifest.dropped.size() + a.manifest.truncated.size(),
                2 + 2 * ((seed * 7) % 60));
    }
  }
}

TEST(PolicyTest, OversizedNewestTurnIsCutNotDropped) {
  auto log = MakeLog(1);
  log.back().message.reset();
  log[3].message->content = std::string(20000, 'y');
  EstimateCounter counter;
  std::vector<ToolSpec> tools;
  auto policy = MakePolicy({"w", "window", {{"max_turns", 4}}}, "test");
  Context ctx = policy->Build({log, 500, counter, tools});
  ExpectInvariants(ctx, 500);
  EXPECT_EQ(ctx.manifest.truncated.size(), 1u);
  EXPECT_NE(ctx.messages.back().content.find("characters cut"), std::string::npos);
}

TEST(PolicyTest, BadConfigNamesTheInput) {
  try {
    MakePolicy({"w", "window", {{"max_turn", 2}}}, "config.json: $.context_policies[1]");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("$.context_policies[1].max_turn"), std::string::npos);
  }
  EXPECT_THROW(MakePolicy({"x", "telepathy", {}}, "here"), Error);
  EXPECT_EQ(PresetPolicy("short_context", "flag").type, "window");
  EXPECT_EQ(PresetPolicy("long_context", "flag").type, "full");
}

}  // namespace
}  // namespace ctxbench
