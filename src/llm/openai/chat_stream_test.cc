#include "llm/openai/chat_stream.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace ctxbench {
namespace {

std::string Chunk(const Json& j) { return "data: " + j.dump() + "\n\n"; }

std::string ToolCallStream() {
  std::string s = ": keep-alive\n\n";
  s += Chunk(
      {{"choices", {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", "Thinking"}}}}}}});
  s += Chunk({{"choices",
               {{{"index", 0},
                 {"delta",
                  {{"tool_calls",
                    {{{"index", 0},
                      {"id", "c1"},
                      {"type", "function"},
                      {"function", {{"name", "train"}, {"arguments", "{\"con"}}}}}}}}}}}});
  s += Chunk({{"choices",
               {{{"index", 0},
                 {"delta",
                  {{"tool_calls",
                    {{{"index", 1},
                      {"id", "c2"},
                      {"function", {{"name", "note"}, {"arguments", ""}}}}}}}}}}}});
  s += Chunk(
      {{"choices",
        {{{"index", 0},
          {"delta",
           {{"tool_calls", {{{"index", 0}, {"function", {{"arguments", "fig\": {}}"}}}}}}}}}}}});
  s += Chunk({{"choices",
               {{{"index", 0},
                 {"delta",
                  {{"tool_calls",
                    {{{"index", 1}, {"function", {{"arguments", "{\"text\":\"n\"}"}}}}}}}}}}}});
  s += Chunk(
      {{"choices", {{{"index", 0}, {"delta", Json::object()}, {"finish_reason", "tool_calls"}}}}});
  s += Chunk(
      {{"choices", Json::array()}, {"usage", {{"prompt_tokens", 50}, {"completion_tokens", 9}}}});
  s += "data: [DONE]\n\n";
  return s;
}

TEST(ChatStreamTest, AssemblesToolCallFragmentsFedInAnyPieces) {
  std::string stream = ToolCallStream();
  for (size_t piece : {1u, 3u, 17u, 1000u}) {
    ChatStreamAssembler a;
    for (size_t i = 0; i < stream.size(); i += piece) a.Feed(stream.substr(i, piece));
    Expected<Completion> finished = a.Finish(false);
    ASSERT_TRUE(finished.ok()) << finished.error();
    const Completion& c = *finished;
    EXPECT_TRUE(a.done());
    EXPECT_EQ(c.message.content, "Thinking");
    ASSERT_EQ(c.message.tool_calls.size(), 2u);
    EXPECT_EQ(c.message.tool_calls[0].id, "c1");
    EXPECT_EQ(c.message.tool_calls[0].arguments, "{\"config\": {}}");
    EXPECT_EQ(c.message.tool_calls[1].name, "note");
    EXPECT_EQ(c.message.tool_calls[1].arguments, "{\"text\":\"n\"}");
    EXPECT_EQ(c.finish_reason, "tool_calls");
    EXPECT_EQ(c.usage.prompt_tokens, 50);
    EXPECT_FALSE(c.estimated_tokens);
  }
}

TEST(ChatStreamTest, CrlfLinesAndNoUsage) {
  ChatStreamAssembler a;
  a.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\r\n\r\n");
  a.Feed(
      "data: {\"choices\":[{\"delta\":{\"content\":\"llo\"},\"finish_reason\":\"stop\"}]}\r\n\r\n");
  a.Feed("data: [DONE]\r\n\r\n");
  Expected<Completion> c = a.Finish(false);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->message.content, "hello");
  EXPECT_TRUE(c->estimated_tokens);
}

TEST(ChatStreamTest, TruncatedOrMalformedStreamsFail) {
  ChatStreamAssembler cut;
  cut.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\n\n");
  Expected<Completion> c = cut.Finish(false);
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error().find("ended before its last chunk"), std::string::npos) << c.error();
  ChatStreamAssembler bad;
  bad.Feed("data: {oops\n\ndata: [DONE]\n\n");
  c = bad.Finish(false);
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error().find("not JSON"), std::string::npos) << c.error();
  ChatStreamAssembler refused;
  refused.Feed("data: {\"error\": {\"message\": \"overloaded\"}}\n\ndata: [DONE]\n\n");
  c = refused.Finish(false);
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error().find("overloaded"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace ctxbench
