// The limits on what a server sends back: a reply body over
// max_response_bytes (the real libcurl transport against a local server, and
// the stream assembler), and JSON nested deeper than kMaxJsonDepth in a body,
// a stream chunk or text-mode tool calls.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/json_limits.h"
#include "llm/openai/chat_stream.h"
#include "llm/openai/chat_wire.h"
#include "llm/openai/fake_chat_server.h"
#include "llm/openai/openai_model.h"

namespace ctxbench {
namespace {

std::string Nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

TEST(ReplyLimitsTest, ABodyNestedTooDeepIsRefusedWithTheReason) {
  std::string body =
      R"({"choices": [{"message": {"role": "assistant", "tool_calls": [{"id": "c",
      "function": {"name": "train", "arguments": )" +
      Nested(200000) + "}}]}}]}";
  Expected<Completion> c = ParseChatResponse(body, false);
  ASSERT_FALSE(c.ok());
  const std::string& error = c.error();
  EXPECT_NE(error.find("nested deeper than " + std::to_string(kMaxJsonDepth)), std::string::npos)
      << error;
  EXPECT_EQ(ServerErrorMessage(body).size(), 300u);  // the start of the body, not a crash
}

TEST(ReplyLimitsTest, DeepArgumentsAsAStringAreKeptForTheAgentToRefuse) {
  std::string args = "{\"config\": " + Nested(200000) + "}";
  Json body = {{"choices",
                {{{"message",
                   {{"role", "assistant"},
                    {"tool_calls",
                     {{{"id", "c"}, {"function", {{"name", "train"}, {"arguments", args}}}}}}}}}}}};
  Expected<Completion> c = ParseChatResponse(body.dump(), false);
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->message.tool_calls.size(), 1u);
  EXPECT_EQ(c->message.tool_calls[0].arguments, args);
}

TEST(ReplyLimitsTest, TextToolCallNestedTooDeepBecomesANamelessCall) {
  std::string deep = "{\"tool\": \"train\", \"arguments\": {\"config\": " + Nested(100000) + "}}";
  std::vector<ToolCall> calls = ToolCallsFromText("I will train. " + deep + " ok");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].name, "");
  EXPECT_EQ(calls[0].arguments, deep);
  // Beside a readable call, the deep object is skipped.
  calls = ToolCallsFromText(deep + "\n{\"tool\": \"note\", \"arguments\": {\"text\": \"hi\"}}");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].name, "note");
}

TEST(ReplyLimitsTest, StreamOverItsByteLimitFails) {
  ChatStreamAssembler stream(64);
  std::string chunk =
      "data: {\"choices\": [{\"delta\": {\"content\": \"" + std::string(40, 'x') + "\"}}]}\n\n";
  stream.Feed(chunk);
  stream.Feed("data: [DONE]\n\n");
  Expected<Completion> c = stream.Finish(false);
  ASSERT_FALSE(c.ok());
  const std::string& error = c.error();
  EXPECT_NE(error.find("max_response_bytes 64 bytes"), std::string::npos) << error;
}

TEST(ReplyLimitsTest, StreamChunkNestedTooDeepFails) {
  ChatStreamAssembler stream;
  stream.Feed("data: {\"choices\": " + Nested(100000) + "}\n\n");
  stream.Feed("data: [DONE]\n\n");
  Expected<Completion> c = stream.Finish(false);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("nested deeper than"), std::string::npos) << c.error();
}

TEST(ReplyLimitsTest, ReplyOverMaxResponseBytesFailsTheCallWithoutRetry) {
  FakeChatServer server;
  for (bool stream : {false, true}) {
    OpenAiOptions o;
    o.model = "fake-model";
    o.base_url = server.BaseUrl("ok");
    o.stream = stream;
    o.timeout_s = 5;
    o.retry.max_retries = 3;
    o.retry.initial_backoff_s = 0.01;
    o.max_response_bytes = 16;  // any answer of the server is longer
    OpenAiDeps d;
    d.transport = MakeCurlTransport();
    d.counter = std::make_shared<EstimateCounter>();
    OpenAiModel model("openai:fake-model", o, std::move(d));
    CompletionRequest r;
    r.messages = {{Role::kUser, "hello", {}, "", ""}};
    int before = server.Requests("ok");
    try {
      model.Complete(r);
      FAIL() << "expected the call to fail";
    } catch (const Error& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("max_response_bytes 16 bytes"), std::string::npos) << what;
      EXPECT_NE(what.find("not retried"), std::string::npos) << what;
    }
    EXPECT_EQ(server.Requests("ok") - before, 1) << "stream " << stream;
  }
}

}  // namespace
}  // namespace ctxbench
