#include "events/event.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/event_text.h"

namespace ctxbench {
namespace {

std::string TreeText(const Event& e) {
  return EventToJson(e).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Events of every shape a sink sees: with and without a message, tool calls,
// nested data, doubles that need all their digits, negative and large
// integers, escapes and invalid UTF-8.
std::vector<Event> SampleEvents() {
  std::vector<Event> events;
  Event start;
  start.type = EventType::kEpisodeStart;
  start.time = 1764460800.123456789;
  start.data = {{"metric", "accuracy"}, {"baseline_metric", 0.1 + 0.2}, {"nested", {1, -2, 3.5}}};
  events.push_back(start);

  Event llm;
  llm.seq = 7;
  llm.type = EventType::kLlmCall;
  llm.iteration = 3;
  llm.step = 12;
  llm.time = 0;
  llm.message =
      Message{Role::kAssistant, "quote \" backslash \\ tab \t newline \n ctl \x01", {}, "", ""};
  llm.message->tool_calls.push_back({"call_1", "run_experiment", R"({"max_depth": 4})"});
  llm.data = {{"prompt_tokens", int64_t{9007199254740993}}, {"cost_usd", 1e-9}, {"error", nullptr}};
  events.push_back(llm);

  Event tool;
  tool.seq = 8;
  tool.type = EventType::kToolResult;
  tool.time = -1.5;
  tool.message =
      Message{Role::kTool, "bad utf-8: \xff\xfe end; ok: \xc3\xa9", {}, "call_1", "tool"};
  tool.data = {{"tool", "run_experiment"}, {"ok", true}, {"text", "\xc3"}};
  events.push_back(tool);

  Event empty;
  empty.seq = 9;
  empty.type = EventType::kNote;
  empty.data = Json();  // null data
  events.push_back(empty);

  Event end;
  end.seq = 10;
  end.type = EventType::kEpisodeEnd;
  end.time = 123456789.000001;
  end.data = {{"outcome", {{"status", "complete"}, {"success", false}, {"list", Json::array()}}}};
  events.push_back(end);
  return events;
}

TEST(EventJsonTextTest, SameBytesAsTheJsonTree) {
  for (const Event& e : SampleEvents()) {
    EXPECT_EQ(EventJsonText(e), TreeText(e)) << EventTypeName(e.type);
  }
}

TEST(EventJsonTextTest, ParsesBackToTheSameEvent) {
  for (const Event& e : SampleEvents()) {
    Json parsed = Json::parse(EventJsonText(e));
    std::optional<Event> back = EventFromJson(parsed);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->seq, e.seq);
    EXPECT_EQ(back->type, e.type);
    EXPECT_EQ(back->time, e.time);
    EXPECT_EQ(back->message.has_value(), e.message.has_value());
  }
}

}  // namespace
}  // namespace ctxbench
