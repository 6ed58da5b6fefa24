#include "telemetry/episode_spans.h"

#include <gtest/gtest.h>

#include <map>

#include "telemetry/test_span_attr.h"

namespace ctxbench {
namespace {

// Feeds events to an EpisodeSpans and keeps what it emits.
class Episode {
 public:
  Episode(EpisodeKey key, const SpanModelInfo* model = nullptr)
      : run_(NewSpanId()),
        spans_(NewTraceId(), run_, key, model, [this](Span s) { out_.push_back(std::move(s)); }) {}

  void Add(EventType type, int iteration, int step, double time, Json data = Json::object(),
           std::optional<Message> m = std::nullopt) {
    Event e;
    e.seq = seq_++;
    e.type = type;
    e.iteration = iteration;
    e.step = step;
    e.time = time;
    e.data = std::move(data);
    e.message = std::move(m);
    spans_.On(e);
  }

  const Span& Named(const std::string& name, int nth = 0) const {
    for (const Span& s : out_) {
      if (s.name == name && nth-- == 0) return s;
    }
    ADD_FAILURE() << "no span " << name;
    return out_.front();
  }
  const Span& Parent(const Span& s) const {
    for (const Span& p : out_) {
      if (p.span_id == s.parent_span_id) return p;
    }
    ADD_FAILURE() << "no parent of " << s.name;
    return s;
  }
  // Every span under the run, none before its parent or ending after it.
  void ExpectWellNested() const {
    for (const Span& s : out_) {
      if (s.parent_span_id == run_) continue;
      const Span& p = Parent(s);
      EXPECT_GE(s.start_unix_nano, p.start_unix_nano) << s.name << " in " << p.name;
      EXPECT_LE(s.end_unix_nano, p.end_unix_nano) << s.name << " in " << p.name;
    }
  }
  const std::vector<Span>& spans() const { return out_; }

 private:
  SpanId run_;
  std::vector<Span> out_;
  EpisodeSpans spans_;
  int64_t seq_ = 0;
};

Message User(std::string text) { return {Role::kUser, std::move(text), {}, "", ""}; }

Json Manifest(std::vector<int64_t> seqs) {
  Json messages = Json::array();
  for (int64_t s : seqs) messages.push_back({{"seq", s}});
  return {{"manifest", {{"messages", messages}}}, {"tokens", 10}};
}

TEST(EpisodeSpansTest, EverySpanCarriesThePrototypeContract) {
  // A --policy-type preset: the policy is named after it, its type is window.
  EpisodeKey key{"toy", "short_context", "sim", "controller", 7};
  Episode ep(key);
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "window"}});
  ep.Add(EventType::kPrompt, 0, 0, 100, {}, Message{Role::kSystem, "sys", {}, "", ""});
  ep.Add(EventType::kPrompt, 0, 0, 100, {}, User("the task"));
  ep.Add(EventType::kObservation, 1, 0, 101, {}, User("iteration 1"));
  Json context = Manifest({0, 1, 2});
  context["manifest"]["extra"] = {
      {"sections",
       {{"retrieved", {{"query", "max_depth"}, {"items", {{{"seq", 1}, {"bm25", -1.0}}}}}}}}};
  ep.Add(EventType::kContext, 1, 1, 102, context);
  ep.Add(EventType::kLlmCall, 1, 1, 103, {{"finish_reason", "stop"}},
         Message{Role::kAssistant, R"({"action":"train","config":{"max_depth":3}})", {}, "", ""});
  ep.Add(EventType::kStepSummary, 1, 1, 103, {{"step", 1}, {"action", "train"}});
  ep.Add(EventType::kExperiment, 1, 1, 104, {{"config", {{"max_depth", 3}}}, {"ok", true}});
  ep.Add(EventType::kObservation, 1, 1, 105, {{"tool", "train"}, {"ok", true}}, User("metric 1"));
  ep.Add(EventType::kEpisodeEnd, 1, 1, 106, {{"outcome", {{"status", "complete"}}}});

  ASSERT_GE(ep.spans().size(), 6u);
  for (const Span& s : ep.spans()) {
    EXPECT_EQ(Attr(s, "ctxbench.policy"), "short_context") << s.name;
    EXPECT_EQ(Attr(s, "ctxbench.policy_type"), "short_context") << s.name;
    EXPECT_EQ(Attr(s, "ctxbench.reasoning_mode"), "controller") << s.name;
    EXPECT_EQ(Attr(s, "ctxbench.task"), "toy") << s.name;
    EXPECT_EQ(Attr(s, "ctxbench.model"), "sim") << s.name;
    EXPECT_EQ(Attr(s, "ctxbench.seed"), "7") << s.name;
    EXPECT_EQ(Attr(s, "session.id"), key.Id()) << s.name;
  }
  const Span& step = ep.Named("agent.step");
  EXPECT_EQ(Attr(step, "openinference.span.kind"), "CHAIN");
  EXPECT_EQ(Attr(step, "ctxbench.step"), "1");
  EXPECT_EQ(ep.Parent(step).name, "iteration");
  EXPECT_NE(Attr(step, "output.value").find("\"action\":\"train\""), std::string::npos);
  for (const char* child : {"context", "llm", "train"}) {
    EXPECT_EQ(ep.Parent(ep.Named(child)).name, "agent.step") << child;
  }
  EXPECT_EQ(Attr(ep.Named("llm"), "llm.finish_reason"), "stop");
  EXPECT_EQ(Attr(ep.Named("llm"), "llm.model_name"), "sim");
  EXPECT_EQ(Attr(ep.Named("llm"), "llm.tools.0.tool.json_schema"), "<none>");  // controller
  // The retrieve policy's section: its query is the RETRIEVER's input.
  EXPECT_EQ(Attr(ep.Named("retrieved"), "input.value"), "max_depth");
  // Controller proposals have no tool definition: the values are the input.
  EXPECT_EQ(Attr(ep.Named("train"), "input.value"), R"({"config":{"max_depth":3}})");
  EXPECT_EQ(Attr(ep.Named("train"), "tool.parameters"), "<none>");
  ep.ExpectWellNested();
}

TEST(EpisodeSpansTest, APolicyNamedLikeAPresetButOfAnotherTypeKeepsItsType) {
  Episode ep({"toy", "long_context", "sim", "agentic", 1});
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "window"}});
  ep.Add(EventType::kEpisodeEnd, 0, 0, 101, {{"outcome", {{"status", "complete"}}}});
  EXPECT_EQ(Attr(ep.Named("episode"), "ctxbench.policy_type"), "window");
}

// The summariser runs inside the policy's build: its LLM span shows its own
// request, sits in the step that asked for it and starts when it was sent.
TEST(EpisodeSpansTest, ASummariserCallShowsItsOwnRequestWithinItsStep) {
  Episode ep({"toy", "sum", "sim", "agentic", 1});
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "summarize"}});
  ep.Add(EventType::kPrompt, 0, 0, 100, {}, Message{Role::kSystem, "agent system", {}, "", ""});
  ep.Add(EventType::kPrompt, 0, 0, 100, {}, User("the task"));
  ep.Add(EventType::kObservation, 1, 0, 101, {}, User("iteration 1"));
  ep.Add(EventType::kContext, 1, 1, 102, Manifest({0, 1, 2}));
  ep.Add(EventType::kLlmCall, 1, 1, 103, {{"purpose", "agent"}},
         Message{Role::kAssistant, "thinking", {}, "", ""});
  ep.Add(EventType::kIteration, 1, 1, 104, {{"iteration", 1}});
  ep.Add(EventType::kObservation, 2, 1, 110, {}, User("iteration 2"));
  Json request = Json::array({MessageToJson({Role::kSystem, "You summarise", {}, "", ""}),
                              MessageToJson(User("Events to add: thinking"))});
  ep.Add(EventType::kLlmCall, 2, 2, 113,
         {{"purpose", "summarize"},
          {"latency_s", 1.5},
          {"messages", request},
          {"finish_reason", "stop"}},
         Message{Role::kAssistant, "a summary", {}, "", ""});
  ep.Add(EventType::kSummary, 2, 2, 113, {{"text", "a summary"}});
  ep.Add(EventType::kContext, 2, 2, 114, Manifest({0, 1}));
  ep.Add(EventType::kLlmCall, 2, 2, 115, {{"purpose", "agent"}},
         Message{Role::kAssistant, "go on", {}, "", ""});
  ep.Add(EventType::kEpisodeEnd, 2, 2, 116, {{"outcome", {{"status", "complete"}}}});

  const Span& sum = ep.Named("llm", 1);
  EXPECT_EQ(Attr(sum, "llm.input_messages.0.message.content"), "You summarise");
  EXPECT_EQ(Attr(sum, "llm.input_messages.1.message.content"), "Events to add: thinking");
  EXPECT_EQ(Attr(sum, "llm.input_messages.2.message.content"), "<none>");
  EXPECT_EQ(Attr(sum, "input.value"), "Events to add: thinking");
  EXPECT_EQ(Attr(sum, "output.value"), "a summary");
  EXPECT_NE(Attr(sum, "metadata").find("\"purpose\":\"summarize\""), std::string::npos);
  EXPECT_EQ(sum.start_unix_nano, 111500000000u);  // ended at 113 after 1.5 s
  EXPECT_EQ(sum.end_unix_nano, 113000000000u);
  const Span& step2 = ep.Named("agent.step", 1);
  EXPECT_EQ(sum.parent_span_id, step2.span_id);
  EXPECT_EQ(Attr(step2, "ctxbench.step"), "2");
  EXPECT_EQ(ep.Parent(step2).name, "iteration");
  EXPECT_EQ(Attr(ep.Parent(step2), "ctxbench.iteration"), "2");

  // The agent's call after it still shows the context the policy built.
  const Span& agent = ep.Named("llm", 2);
  EXPECT_EQ(Attr(agent, "llm.input_messages.0.message.content"), "agent system");
  EXPECT_EQ(Attr(agent, "llm.input_messages.2.message.content"), "<none>");
  EXPECT_EQ(agent.start_unix_nano, 114000000000u);
  ep.ExpectWellNested();
}

TEST(EpisodeSpansTest, AFailedCallIsAnErrorLlmSpanWithoutCredentials) {
  SpanModelInfo model{"openai",
                      {{"model", "gpt-4o-mini"},
                       {"base_url", "http://user:hunter2@127.0.0.1:9/v1?key=abc"},
                       {"api_key_env", "KEY"}}};
  Episode ep({"toy", "full", "gpt", "agentic", 1}, &model);
  Json tools = Json::array({ToolSpecToJson({"train", "Train", {{"type", "object"}}}),
                            ToolSpecToJson({"note", "Note", {{"type", "object"}}})});
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "full"}, {"tools", tools}});
  ep.Add(EventType::kObservation, 1, 0, 101, {}, User("iteration 1"));
  ep.Add(EventType::kContext, 1, 1, 102, Manifest({0}));
  ep.Add(EventType::kLlmCall, 1, 1, 103, {{"model", "gpt"}, {"finish_reason", "tool_calls"}},
         Message{Role::kAssistant, "", {{"call_9", "train", "not json"}}, "", ""});
  ep.Add(EventType::kInvalidAction, 1, 1, 103, {{"tool", "train"}, {"reason", "bad arguments"}});
  ep.Add(EventType::kToolResult, 1, 1, 103, {{"tool", ""}, {"ok", false}},
         Message{Role::kTool, "Invalid action: bad arguments", {}, "call_9", ""});
  ep.Add(EventType::kContext, 1, 2, 104, Manifest({0}));
  std::string error =
      "HTTP 500 from http://user:hunter2@127.0.0.1:9/v1/chat/completions?key=abc (Bearer sk-zz)";
  ep.Add(EventType::kLlmCall, 1, 2, 105, {{"model", "gpt"}, {"attempts", 3}, {"error", error}});
  ep.Add(EventType::kError, 1, 2, 105, {{"message", error}});
  ep.Add(EventType::kEpisodeEnd, 1, 2, 106, {{"outcome", {{"status", "error"}}}});

  const Span& ok = ep.Named("llm");
  EXPECT_EQ(Attr(ok, "llm.model_name"), "gpt-4o-mini");
  EXPECT_EQ(Attr(ok, "llm.finish_reason"), "tool_calls");
  EXPECT_EQ(Attr(ok, "llm.tools.0.tool.name"), "train");
  EXPECT_EQ(Attr(ok, "llm.tools.1.tool.json_schema"),
            ToolSpecToJson({"note", "Note", {{"type", "object"}}}).dump());
  // The invalid call's TOOL span names the tool the model asked for.
  const Span& invalid = ep.Named("train");
  EXPECT_EQ(Attr(invalid, "tool.name"), "train");
  EXPECT_EQ(Attr(invalid, "tool.id"), "call_9");
  EXPECT_EQ(Attr(invalid, "input.value"), "not json");
  EXPECT_EQ(invalid.status, SpanStatus::kError);

  const Span& failed = ep.Named("llm", 1);
  EXPECT_EQ(failed.status, SpanStatus::kError);
  EXPECT_EQ(Attr(failed, "output.value"), "<none>");
  EXPECT_NE(failed.status_message.find("HTTP 500 from http://[redacted]@127.0.0.1:9/v1/chat/"
                                       "completions?key=[redacted] (Bearer [redacted])"),
            std::string::npos)
      << failed.status_message;
  ASSERT_EQ(failed.events.size(), 1u);
  EXPECT_EQ(failed.events[0].name, "exception");
  EXPECT_EQ(ep.Parent(failed).name, "agent.step");
  EXPECT_EQ(ep.Named("agent.step", 1).status, SpanStatus::kError);
  for (const Span& s : ep.spans()) {
    std::string all = s.status_message;
    for (const Attribute& a : s.attributes) {
      if (auto v = std::get_if<std::string>(&a.value)) all += *v;
    }
    for (const SpanEvent& e : s.events) {
      for (const Attribute& a : e.attributes) {
        if (auto v = std::get_if<std::string>(&a.value)) all += *v;
      }
    }
    for (const char* secret : {"hunter2", "key=abc", "sk-zz"}) {
      EXPECT_EQ(all.find(secret), std::string::npos) << s.name << ": " << secret;
    }
  }
  ep.ExpectWellNested();
}

TEST(EpisodeSpansTest, CutToolArgumentsAreShownAsTheModelGotThem) {
  Episode ep({"ws", "window", "sim", "agentic", 1});
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "window"}});
  ep.Add(EventType::kPrompt, 0, 0, 100, {}, Message{Role::kSystem, "sys", {}, "", ""});
  ep.Add(EventType::kObservation, 1, 0, 101, {}, User("iteration 1"));
  std::string whole = R"({"path":"a.py","content":")" + std::string(5000, 'x') + R"("})";
  ep.Add(EventType::kContext, 1, 1, 102, Manifest({1, 2}));  // seq 3
  ep.Add(EventType::kLlmCall, 1, 1, 103, {},
         Message{Role::kAssistant, "", {{"c1", "write_file", whole}}, "", ""});  // seq 4
  ep.Add(EventType::kToolResult, 1, 1, 104, {{"tool", "write_file"}, {"ok", true}},
         Message{Role::kTool, "written", {}, "c1", "write_file"});  // seq 5
  std::string cut = R"({"path":"a.py","content":"xxx…"})";
  Json context = Manifest({1, 2});
  context["manifest"]["messages"].push_back(
      {{"seq", 4}, {"as", "truncated"}, {"content", ""}, {"arguments", {cut}}});
  context["manifest"]["messages"].push_back({{"seq", 5}});
  ep.Add(EventType::kContext, 1, 2, 105, context);
  ep.Add(EventType::kLlmCall, 1, 2, 106, {}, Message{Role::kAssistant, "done", {}, "", ""});
  ep.Add(EventType::kEpisodeEnd, 1, 2, 107, {{"outcome", {{"status", "complete"}}}});

  const std::string key = "llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments";
  EXPECT_EQ(Attr(ep.Named("llm", 0),
                 "llm.output_messages.0.message.tool_calls.0.tool_call."
                 "function.arguments"),
            whole);                                               // what the model wrote
  EXPECT_EQ(Attr(ep.Named("llm", 1), key), cut);                  // what it was given back
  EXPECT_EQ(Attr(ep.Named("write_file"), "input.value"), whole);  // what the tool ran with
}

TEST(EpisodeSpansTest, TheFinalAnswerIsTheFinalPhasesOutput) {
  Episode ep({"toy", "full", "sim", "agentic", 1});
  ep.Add(EventType::kEpisodeStart, 0, 0, 100, {{"policy_type", "full"}});
  ep.Add(EventType::kObservation, 1, 0, 101, {}, User("iteration 1"));
  ep.Add(EventType::kIteration, 1, 0, 102, {{"iteration", 1}, {"best_valid_metric", 0.5}});
  ep.Add(EventType::kObservation, 1, 0, 103, {}, User("Give your final answer now"));
  ep.Add(EventType::kContext, 1, 1, 104, Manifest({}));
  ep.Add(EventType::kLlmCall, 1, 1, 105, {},
         Message{Role::kAssistant, "", {{"c1", "final_answer", "{}"}}, "", ""});
  Json answer = {{"config", {{"max_depth", 3}}}, {"claimed_metric", 0.5}, {"valid", true}};
  ep.Add(EventType::kFinalAnswer, 1, 1, 106, answer);
  ep.Add(EventType::kToolResult, 1, 1, 106, {{"tool", "final_answer"}, {"ok", true}},
         Message{Role::kTool, "Final answer recorded.", {}, "c1", "final_answer"});
  ep.Add(EventType::kEpisodeEnd, 1, 1, 107, {{"outcome", {{"status", "complete"}}}});
  EXPECT_EQ(Attr(ep.Named("final_answer_phase"), "output.value"), answer.dump());
  EXPECT_EQ(Attr(ep.Named("final_answer_phase"), "output.mime_type"), "application/json");
  EXPECT_NE(Attr(ep.Named("iteration"), "output.value").find("best_valid_metric"),
            std::string::npos);
  ep.ExpectWellNested();
}

}  // namespace
}  // namespace ctxbench
