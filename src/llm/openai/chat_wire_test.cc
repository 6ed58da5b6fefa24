#include "llm/openai/chat_wire.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

CompletionRequest AgentRequest() {
  CompletionRequest r;
  r.messages = {{Role::kSystem, "sys", {}, "", ""},
                {Role::kUser, "task", {}, "", ""},
                {Role::kAssistant, "", {{"call_1", "train", R"({"config":{"a":1}})"}}, "", ""},
                {Role::kTool, "Experiment 1: 0.5", {}, "call_1", "train"}};
  r.tools = {{"train", "Run one experiment.", {{"type", "object"}}}};
  r.max_tokens = 300;
  r.seed = 7;
  return r;
}

TEST(ChatWireTest, NativeBodyCarriesToolsAndToolMessages) {
  OpenAiOptions o;
  o.model = "gpt-4o-mini";
  Json body = ChatRequestBody(AgentRequest(), o);
  EXPECT_EQ(body["model"], "gpt-4o-mini");
  EXPECT_EQ(body["tools"][0]["function"]["name"], "train");
  EXPECT_EQ(body["tool_choice"], "auto");
  EXPECT_EQ(body["max_tokens"], 300);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["temperature"], 0.0);
  const Json& assistant = body["messages"][2];
  EXPECT_TRUE(assistant["content"].is_null());
  EXPECT_EQ(assistant["tool_calls"][0]["function"]["arguments"], R"({"config":{"a":1}})");
  EXPECT_EQ(body["messages"][3]["role"], "tool");
  EXPECT_EQ(body["messages"][3]["tool_call_id"], "call_1");
  EXPECT_FALSE(body.contains("stream"));
  EXPECT_FALSE(body.contains("response_format"));
}

TEST(ChatWireTest, OptionsOverrideParameters) {
  OpenAiOptions o;
  o.model = "m";
  o.temperature = 0.7;
  o.max_tokens = 50;
  o.max_tokens_field = "max_completion_tokens";
  o.send_seed = false;
  o.response_format = "json_object";
  CompletionRequest r;
  r.messages = {{Role::kUser, "hi", {}, "", ""}};
  r.output_schema = OutputSchema{"proposal", {{"type", "object"}}};
  Json body = ChatRequestBody(r, o);
  EXPECT_EQ(body["temperature"], 0.7);
  EXPECT_EQ(body["max_completion_tokens"], 50);
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_FALSE(body.contains("seed"));
  EXPECT_EQ(body["response_format"]["type"], "json_object");
}

TEST(ChatWireTest, StrictToolsOnlyWhenAsked) {
  OpenAiOptions o;
  o.model = "m";
  EXPECT_FALSE(ChatRequestBody(AgentRequest(), o)["tools"][0]["function"].contains("strict"));
  o.strict_tools = true;
  Json body = ChatRequestBody(AgentRequest(), o);
  EXPECT_EQ(body["tools"][0]["function"]["strict"], true);
  EXPECT_EQ(body["tools"][0]["function"]["parameters"], Json({{"type", "object"}}));
  o.tool_mode = ToolMode::kText;  // described in the prompt: no tools to mark
  EXPECT_FALSE(ChatRequestBody(AgentRequest(), o).contains("tools"));
}

TEST(ChatWireTest, ProposalsAskForTheirSchema) {
  Json schema = {{"type", "object"},
                 {"properties", {{"action", {{"type", "string"}}}}},
                 {"required", Json::array({"action"})},
                 {"additionalProperties", false}};
  CompletionRequest r;
  r.messages = {{Role::kUser, "next?", {}, "", ""}};
  OpenAiOptions o;
  o.model = "m";
  // No output schema (a summariser call): no response_format, whatever the option.
  EXPECT_FALSE(ChatRequestBody(r, o).contains("response_format"));
  r.output_schema = OutputSchema{"proposal", schema};
  Json format = ChatRequestBody(r, o)["response_format"];  // json_schema by default
  EXPECT_EQ(format["type"], "json_schema");
  EXPECT_EQ(format["json_schema"]["name"], "proposal");
  EXPECT_EQ(format["json_schema"]["strict"], true);
  EXPECT_EQ(format["json_schema"]["schema"], schema);
  o.response_format = "json_object";
  EXPECT_EQ(ChatRequestBody(r, o)["response_format"], Json({{"type", "json_object"}}));
  o.response_format = "none";
  EXPECT_FALSE(ChatRequestBody(r, o).contains("response_format"));
  // With tools the reply is a tool call: no response_format.
  o.response_format = "json_schema";
  CompletionRequest agentic = AgentRequest();
  agentic.output_schema = r.output_schema;
  EXPECT_FALSE(ChatRequestBody(agentic, o).contains("response_format"));
}

TEST(ChatWireTest, TextModeDescribesToolsAndFlattensCalls) {
  OpenAiOptions o;
  o.model = "m";
  o.tool_mode = ToolMode::kText;
  Json body = ChatRequestBody(AgentRequest(), o);
  EXPECT_FALSE(body.contains("tools"));
  std::string system = body["messages"][0]["content"];
  EXPECT_NE(system.find("- train: Run one experiment."), std::string::npos);
  EXPECT_NE(body["messages"][2]["content"].get<std::string>().find(R"("tool":"train")"),
            std::string::npos);
  EXPECT_EQ(body["messages"][3]["role"], "user");
  EXPECT_EQ(body["messages"][3]["content"], "Result of train: Experiment 1: 0.5");
}

TEST(ChatWireTest, ParsesToolCallsUsageAndKeepsMalformedArguments) {
  std::string body = R"({"choices":[{"message":{"role":"assistant","content":null,
    "tool_calls":[{"id":"a","type":"function","function":{"name":"note","arguments":"{\"text\":\"x\"}"}},
                  {"id":"b","type":"function","function":{"name":"train","arguments":"{not json"}}]},
    "finish_reason":"tool_calls"}],
    "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":64}}})";
  Expected<Completion> parsed = ParseChatResponse(body, false);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const Completion& c = *parsed;
  ASSERT_EQ(c.message.tool_calls.size(), 2u);
  EXPECT_EQ(c.message.tool_calls[0].name, "note");
  EXPECT_EQ(c.message.tool_calls[1].arguments, "{not json");
  EXPECT_EQ(c.finish_reason, "tool_calls");
  EXPECT_EQ(c.usage.prompt_tokens, 100);
  EXPECT_EQ(c.usage.completion_tokens, 20);
  EXPECT_EQ(c.usage.cached_prompt_tokens, 64);
  EXPECT_FALSE(c.estimated_tokens);
}

TEST(ChatWireTest, MissingUsageIsFlaggedAndBadBodiesAreErrors) {
  Expected<Completion> c =
      ParseChatResponse(R"({"choices":[{"message":{"content":"hi"}}]})", false);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->message.content, "hi");
  EXPECT_TRUE(c->estimated_tokens);
  c = ParseChatResponse("{\"choices\": [", false);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "the response is not JSON");
  c = ParseChatResponse(R"({"choices":[]})", false);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "the response has no choices[0].message");
  c = ParseChatResponse("[1]", false);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "the response is not JSON");
}

TEST(ChatWireTest, TextToolCallsAreFoundAmongProse) {
  auto calls = ToolCallsFromText(
      "I will train.\n{\"tool\": \"train\", \"arguments\": {\"config\": {\"s\": \"}{\"}}}\n"
      "{\"other\": 1}\n{\"tool\": \"note\", \"arguments\": {\"text\": \"t\"}}");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].name, "train");
  EXPECT_EQ(Json::parse(calls[0].arguments)["config"]["s"], "}{");
  EXPECT_EQ(calls[1].name, "note");
  EXPECT_EQ(calls[1].id, "call_text_2");
  Expected<Completion> c = ParseChatResponse(
      R"({"choices":[{"message":{"content":"{\"tool\":\"summarize\"}"}}]})", true);
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->message.tool_calls.size(), 1u);
  EXPECT_EQ(c->message.tool_calls[0].arguments, "{}");
}

TEST(ChatWireTest, ServerErrorMessage) {
  EXPECT_EQ(ServerErrorMessage(R"({"error":{"message":"bad key","type":"x"}})"), "bad key");
  EXPECT_EQ(ServerErrorMessage("<html>oops</html>"), "<html>oops</html>");
  EXPECT_EQ(ServerErrorMessage(""), "(empty body)");
}

}  // namespace
}  // namespace ctxbench
