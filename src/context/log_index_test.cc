#include "context/log_index.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

Event Ev(int64_t seq, EventType type, Json data, std::optional<Message> message) {
  Event e;
  e.seq = seq;
  e.type = type;
  e.data = std::move(data);
  e.message = std::move(message);
  return e;
}

Message Reply(const std::string& text) { return {Role::kAssistant, text, {}, "", ""}; }

Json Call(const std::string& purpose) {
  LlmCallData d;
  d.purpose = purpose;
  return d.ToJson();
}

// An op.llm opens a turn when it is an agent step: purpose "agent", or no
// purpose at all (an older writer, the synthetic log). A summariser's call
// (any other purpose) is neither a turn nor in the conversation.
TEST(LogIndexTest, AnOpLlmWithoutAPurposeIsAnAgentStep) {
  std::vector<Event> events = {
      Ev(0, EventType::kPrompt, Json::object(), Message{Role::kSystem, "system", {}, "", ""}),
      Ev(1, EventType::kLlmCall, {{"prompt_tokens", 10}}, Reply("old writer")),
      Ev(2, EventType::kLlmCall, Call("summarize"), Reply("summary")),
      Ev(3, EventType::kLlmCall, Call("agent"), Reply("agent")),
  };
  LogIndex index;
  index.Update(events);
  EXPECT_EQ(index.turn_starts(), (std::vector<size_t>{1, 3}));
  EXPECT_TRUE(index.InConversation(1));
  EXPECT_FALSE(index.InConversation(2));
  EXPECT_TRUE(index.InConversation(3));
}

}  // namespace
}  // namespace ctxbench
