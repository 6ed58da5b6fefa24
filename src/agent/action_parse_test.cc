// ParseActions on what a model may send: JSON nested far too deep becomes an
// invalid action with the reason, never a crash.
#include <gtest/gtest.h>

#include <string>

#include "agent/action.h"
#include "core/json_limits.h"

namespace ctxbench {
namespace {

std::string Nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

Message Reply(std::string content, std::vector<ToolCall> calls = {}) {
  Message m;
  m.role = Role::kAssistant;
  m.content = std::move(content);
  m.tool_calls = std::move(calls);
  return m;
}

TEST(ActionParseTest, ToolArgumentsNestedTooDeepAreAnInvalidAction) {
  std::string args = "{\"config\": " + Nested(200000) + "}";
  std::vector<Action> actions =
      ParseActions(Reply("", {ToolCall{"c1", "train", args}}), Mode::kAgentic);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::kInvalid);
  EXPECT_EQ(actions[0].call_id, "c1");
  EXPECT_NE(actions[0].error.find("nested deeper than " + std::to_string(kMaxJsonDepth)),
            std::string::npos)
      << actions[0].error;
  EXPECT_EQ(actions[0].raw, args);  // kept as sent, for the trace
}

TEST(ActionParseTest, ArgumentsAtTheDepthLimitAreRead) {
  // {"config": {"k": [[...]]}}: the arrays take the levels the two objects leave.
  std::string args = "{\"config\": {\"k\": " + Nested(kMaxJsonDepth - 2) + "}}";
  std::vector<Action> actions =
      ParseActions(Reply("", {ToolCall{"c1", "train", args}}), Mode::kAgentic);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::kTrain) << actions[0].error;
}

TEST(ActionParseTest, ControllerJsonNestedTooDeepIsAnInvalidAction) {
  std::string text = "Here: {\"action\": \"train\", \"config\": " + Nested(150000) + "} done";
  std::vector<Action> actions = ParseActions(Reply(text), Mode::kController);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::kInvalid);
  EXPECT_NE(actions[0].error.find("nested deeper than"), std::string::npos) << actions[0].error;
}

TEST(ActionParseTest, DeepBracketsInsideAStringAreJustText) {
  std::string args = "{\"text\": \"" + Nested(100000) + "\"}";
  std::vector<Action> actions =
      ParseActions(Reply("", {ToolCall{"c1", "note", args}}), Mode::kAgentic);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::kNote) << actions[0].error;
}

}  // namespace
}  // namespace ctxbench
