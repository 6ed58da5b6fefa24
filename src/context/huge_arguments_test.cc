// A model may send megabytes of tool-call arguments (e.g. JSON nested 200k
// deep, refused as an invalid action): every policy stays within its budget
// by cutting them, and the agent still sees why the call was refused.
#include <gtest/gtest.h>

#include "context/policy.h"
#include "context/synthetic_log.h"

namespace ctxbench {
namespace {

TEST(HugeArgumentsTest, PoliciesCutHugeArgumentsAndKeepTheRefusal) {
  std::vector<Event> log = MakeSyntheticLog(3, 1);
  Event call;
  call.type = EventType::kLlmCall;
  std::string huge = "{\"config\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  call.message = Message{Role::kAssistant, "", {{"deep", "train", huge}}, "", ""};
  log.push_back(call);
  Event refusal;
  refusal.type = EventType::kToolResult;
  const std::string reason =
      "Invalid action: the arguments are JSON nested deeper than 64 levels (the limit)";
  refusal.message = Message{Role::kTool, reason, {}, "deep", "train"};
  log.push_back(refusal);
  for (size_t i = 0; i < log.size(); ++i) log[i].seq = static_cast<int64_t>(i);

  EstimateCounter counter;
  std::vector<ToolSpec> tools = {{"train", "Train a config", Json{{"type", "object"}}}};
  for (const PolicyConfig& pc : std::vector<PolicyConfig>{
           {"full", "full", {{"context_window", 4000}}},  // full: its window is the budget
           {"window3", "window", {{"max_turns", 3}}},
           {"mask", "mask", {{"after_turns", 2}}}}) {
    const int budget = 4000;
    Context ctx = MakePolicy(pc, "test")->Build({log, budget, counter, tools});
    EXPECT_LE(ctx.manifest.total_tokens, budget) << pc.name;
    EXPECT_LE(CountMessagesTokens(counter, ctx.messages) + CountToolTokens(counter, tools), budget)
        << pc.name;
    ASSERT_GE(ctx.messages.size(), 2u) << pc.name;
    EXPECT_EQ(ctx.messages.back().content, reason) << pc.name;
    const Message& sent_call = ctx.messages[ctx.messages.size() - 2];
    ASSERT_EQ(sent_call.tool_calls.size(), 1u) << pc.name;
    EXPECT_LT(sent_call.tool_calls[0].arguments.size(), huge.size()) << pc.name;
    // The manifest records the cut arguments as sent.
    const Json record = ctx.manifest.ToJson()["messages"][ctx.messages.size() - 2];
    ASSERT_TRUE(record.contains("arguments")) << pc.name << ": " << record.dump();
    EXPECT_EQ(record["arguments"][0], sent_call.tool_calls[0].arguments) << pc.name;
  }
}

}  // namespace
}  // namespace ctxbench
