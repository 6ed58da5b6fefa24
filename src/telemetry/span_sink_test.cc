#include "telemetry/span_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "telemetry/test_span_attr.h"

namespace ctxbench {
namespace {

struct Recorder {
  std::vector<Span> spans;
  const Span& Named(const std::string& name, int nth = 0) const {
    for (const Span& s : spans) {
      if (s.name == name && nth-- == 0) return s;
    }
    ADD_FAILURE() << "no span " << name;
    return spans.front();
  }
};

Event Ev(EventType type, int iteration, double time, Json data = Json::object(),
         std::optional<Message> m = std::nullopt) {
  Event e;
  e.step = iteration == 0 ? 0 : 1;
  e.type = type;
  e.iteration = iteration;
  e.time = time;
  e.data = std::move(data);
  e.message = std::move(m);
  return e;
}

// An agentic episode: one iteration with a train call, then a final answer.
void FeedEpisode(SpanSink& sink, const EpisodeKey& key, bool fail_tool) {
  EventLog log(key, {&sink});
  Json train = ToolSpecToJson({"train", "Train one config", {{"type", "object"}}});
  log.Append(Ev(EventType::kEpisodeStart, 0, 100,
                {{"metric", "accuracy"}, {"policy_type", "full"}, {"tools", {train}}}));
  log.Append(Ev(EventType::kPrompt, 0, 100, {}, Message{Role::kSystem, "sys", {}, "", ""}));
  log.Append(Ev(EventType::kPrompt, 0, 100, {}, Message{Role::kUser, "the task", {}, "", ""}));
  log.Append(Ev(EventType::kObservation, 1, 101, {}, Message{Role::kUser, "iter 1", {}, "", ""}));
  log.Append(Ev(EventType::kContext, 1, 102,
                {{"manifest",
                  {{"policy", "full"},
                   {"kept", {1, 2, 3}},
                   {"messages", {{{"seq", 1}}, {{"seq", 2}}, {{"seq", 3}}}}}},
                 {"tokens", 50}}));
  Message reply{Role::kAssistant, "", {{"c1", "train", R"({"config":{"max_depth":4}})"}}, "", ""};
  log.Append(
      Ev(EventType::kLlmCall, 1, 103,
         {{"model", "sim"}, {"prompt_tokens", 40}, {"completion_tokens", 10}, {"cost_usd", 0.0}},
         reply));
  log.Append(Ev(EventType::kExperiment, 1, 104,
                {{"experiment", 1},
                 {"config", {{"max_depth", 4}}},
                 {"ok", !fail_tool},
                 {"valid_metric", 0.9}}));
  log.Append(Ev(EventType::kToolResult, 1, 105, {{"tool", "train"}, {"ok", !fail_tool}},
                Message{Role::kTool, "metric 0.9", {}, "c1", "train"}));
  log.Append(Ev(EventType::kIteration, 1, 105.5, {{"iteration", 1}}));
  log.Append(Ev(EventType::kObservation, 1, 106, {}, Message{Role::kUser, "final?", {}, "", ""}));
  // The policy's retrieved section: the experiment (seq 6) and an observation.
  Json retrieved = {{"items",
                     {{{"seq", 6}, {"kind", "experiment"}, {"bm25", -1.5}},
                      {{"seq", 3}, {"kind", "observation"}, {"bm25", -0.5}}}}};
  Event second =
      Ev(EventType::kContext, 1, 107,
         {{"manifest",
           {{"kept", {1, 2, 5, 7, 9}},
            {"masked", {3}},
            {"messages",
             {{{"seq", 1}},
              {{"seq", 2}},
              {{"section", "retrieved"}, {"content", "Retrieved: experiment 1"}},
              {{"seq", 3}, {"as", "masked"}, {"content", "[masked: observation of event 3]"}},
              {{"seq", 5}},
              {{"seq", 7}},
              {{"seq", 9}}}},
            {"extra", {{"sections", {{"retrieved", retrieved}}}}}}}});
  second.step = 2;
  log.Append(second);
  Message ret{Role::kAssistant, "", {{"c2", "retrieve", R"({"query":"depth"})"}}, "", ""};
  Event llm2 = Ev(EventType::kLlmCall, 1, 108, {{"model", "sim"}}, ret);
  llm2.step = 2;
  log.Append(llm2);
  Json hits = {{{"seq", 7}, {"kind", "observation"}, {"bm25", -2.25}, {"text", "metric 0.9"}},
               {{"seq", 3}, {"kind", "observation"}, {"bm25", -0.75}, {"text", "iter 1"}}};
  Event found =
      Ev(EventType::kToolResult, 1, 109, {{"tool", "retrieve"}, {"ok", true}, {"hits", hits}},
         Message{Role::kTool,
                 "Retrieved for \"depth\" (BM25, best first):\n[event 7, observation] "
                 "metric 0.9\n[event 3, observation] iter 1",
                 {},
                 "c2",
                 "retrieve"});
  found.step = 2;
  log.Append(found);
  log.Append(Ev(EventType::kEpisodeEnd, 1, 110, {{"outcome", {{"status", "complete"}}}}));
}

TEST(SpanSinkTest, BuildsTheOpenInferenceTree) {
  Recorder rec;
  TraceId trace = NewTraceId();
  SpanId run = NewSpanId();
  SpanSink sink(trace, run, {{"sim", {"sim", {{"temperature", 0}, {"api_key", "sk-x"}}}}},
                [&](Span s) { rec.spans.push_back(std::move(s)); });
  EpisodeKey key{"toy", "full", "sim", "agentic", 1};
  FeedEpisode(sink, key, /*fail_tool=*/false);

  const Span& ep = rec.Named("episode");
  EXPECT_EQ(ep.parent_span_id, run);
  EXPECT_EQ(Attr(ep, "openinference.span.kind"), "AGENT");
  EXPECT_EQ(Attr(ep, "session.id"), key.Id());
  EXPECT_EQ(Attr(ep, "input.value"), "the task");
  EXPECT_EQ(ep.status, SpanStatus::kOk);
  EXPECT_EQ(ep.start_unix_nano, 100000000000u);
  EXPECT_EQ(ep.end_unix_nano, 110000000000u);

  const Span& it = rec.Named("iteration");
  EXPECT_EQ(it.parent_span_id, ep.span_id);
  EXPECT_EQ(Attr(it, "openinference.span.kind"), "CHAIN");
  const Span& fin = rec.Named("final_answer_phase");
  EXPECT_EQ(fin.parent_span_id, ep.span_id);
  EXPECT_GE(fin.start_unix_nano, it.end_unix_nano);

  const Span& step = rec.Named("agent.step");
  EXPECT_EQ(step.parent_span_id, it.span_id);
  EXPECT_EQ(Attr(step, "ctxbench.step"), "1");
  const Span& step2 = rec.Named("agent.step", 1);
  EXPECT_EQ(step2.parent_span_id, fin.span_id);
  EXPECT_EQ(Attr(step2, "ctxbench.step"), "2");

  const Span& ctx = rec.Named("context");
  EXPECT_EQ(ctx.parent_span_id, step.span_id);
  EXPECT_NE(Attr(ctx, "metadata").find("\"kept\":[1,2,3]"), std::string::npos);

  const Span& llm = rec.Named("llm");
  EXPECT_EQ(llm.parent_span_id, step.span_id);
  EXPECT_EQ(Attr(llm, "openinference.span.kind"), "LLM");
  EXPECT_EQ(Attr(llm, "llm.model_name"), "sim");
  EXPECT_EQ(Attr(llm, "llm.provider"), "sim");
  EXPECT_EQ(Attr(llm, "llm.input_messages.0.message.role"), "system");
  EXPECT_EQ(Attr(llm, "llm.input_messages.2.message.content"), "iter 1");
  EXPECT_EQ(Attr(llm, "llm.output_messages.0.message.tool_calls.0.tool_call.function.name"),
            "train");
  EXPECT_EQ(Attr(llm, "llm.token_count.total"), "50");
  EXPECT_EQ(Attr(llm, "llm.invocation_parameters"), R"({"temperature":0,"seed":1})");
  EXPECT_EQ(llm.start_unix_nano, 102000000000u);

  const Span& tool = rec.Named("train");
  EXPECT_EQ(Attr(tool, "openinference.span.kind"), "TOOL");
  EXPECT_EQ(Attr(tool, "tool.name"), "train");
  EXPECT_EQ(tool.parent_span_id, step.span_id);
  EXPECT_EQ(Attr(tool, "tool.id"), "c1");
  EXPECT_EQ(Attr(tool, "tool.parameters"), R"({"type":"object"})");  // the definition
  EXPECT_EQ(Attr(tool, "tool.description"), "Train one config");
  EXPECT_EQ(Attr(tool, "input.value"), R"({"config":{"max_depth":4}})");  // the values
  EXPECT_EQ(Attr(tool, "output.value"), "metric 0.9");
  EXPECT_EQ(tool.start_unix_nano, 103000000000u);  // from the reply, experiment included

  const Span& llm2 = rec.Named("llm", 1);
  EXPECT_EQ(llm2.parent_span_id, step2.span_id);
  // As sent: the policy's section and the masked placeholder in their places.
  EXPECT_EQ(Attr(llm2, "llm.input_messages.2.message.content"), "Retrieved: experiment 1");
  EXPECT_EQ(Attr(llm2, "llm.input_messages.2.message.role"), "user");
  EXPECT_EQ(Attr(llm2, "llm.input_messages.3.message.content"), "[masked: observation of event 3]");
  EXPECT_EQ(Attr(llm2, "llm.input_messages.5.message.tool_call_id"), "c1");
  EXPECT_EQ(Attr(llm2, "llm.input_messages.6.message.content"), "final?");
  EXPECT_EQ(Attr(llm2, "llm.input_messages.7.message.content"), "<none>");

  const Span& ret = rec.Named("retrieve");
  EXPECT_EQ(Attr(ret, "openinference.span.kind"), "RETRIEVER");
  EXPECT_EQ(Attr(ret, "input.value"), "depth");
  EXPECT_EQ(Attr(ret, "retrieval.documents.0.document.id"), "7");
  EXPECT_EQ(Attr(ret, "retrieval.documents.0.document.content"), "metric 0.9");
  EXPECT_EQ(Attr(ret, "retrieval.documents.0.document.score"), "2.250000");  // -bm25
  EXPECT_EQ(Attr(ret, "retrieval.documents.0.document.metadata"),
            R"({"kind":"observation","bm25":-2.25})");
  EXPECT_EQ(Attr(ret, "retrieval.documents.1.document.id"), "3");
  EXPECT_EQ(Attr(ret, "retrieval.documents.1.document.content"), "iter 1");
  EXPECT_EQ(Attr(ret, "retrieval.documents.1.document.score"), "0.750000");
  EXPECT_EQ(Attr(ret, "retrieval.documents.2.document.id"), "<none>");

  // The policy's retrieved section: a RETRIEVER under the second context span.
  const Span& section = rec.Named("retrieved");
  EXPECT_EQ(section.parent_span_id, rec.Named("context", 1).span_id);
  EXPECT_EQ(Attr(section, "openinference.span.kind"), "RETRIEVER");
  EXPECT_EQ(Attr(section, "session.id"), key.Id());
  EXPECT_EQ(Attr(section, "retrieval.documents.0.document.id"), "6");
  EXPECT_EQ(Attr(section, "retrieval.documents.0.document.content"),
            "Experiment 1: config {\"max_depth\":4} -> validation accuracy = 0.9");
  EXPECT_EQ(Attr(section, "retrieval.documents.0.document.score"), "1.500000");
  EXPECT_EQ(Attr(section, "retrieval.documents.1.document.content"), "iter 1");
  EXPECT_EQ(Attr(section, "retrieval.documents.1.document.score"), "0.500000");
  EXPECT_EQ(section.end_unix_nano, 107000000000u);
  EXPECT_EQ(Attr(rec.Named("context"), "retrieval.documents.0.document.id"), "<none>");
  int sections = 0;
  for (const Span& sp : rec.spans) sections += sp.name == "retrieved";
  EXPECT_EQ(sections, 1);  // the first context had no retrieved section

  std::map<SpanId, const Span*> by_id;
  for (const Span& s : rec.spans) by_id[s.span_id] = &s;
  for (const Span& s : rec.spans) {
    EXPECT_EQ(s.trace_id, trace);
    if (s.parent_span_id != run) {
      ASSERT_TRUE(by_id.contains(s.parent_span_id)) << s.name << " has no parent";
      const Span& parent = *by_id[s.parent_span_id];
      EXPECT_GE(s.start_unix_nano, parent.start_unix_nano) << s.name << " in " << parent.name;
      EXPECT_LE(s.end_unix_nano, parent.end_unix_nano) << s.name << " in " << parent.name;
    }
    EXPECT_GE(s.end_unix_nano, s.start_unix_nano) << s.name;
    for (const Attribute& a : s.attributes) {
      if (auto v = std::get_if<std::string>(&a.value)) {
        EXPECT_EQ(v->find("sk-x"), std::string::npos) << a.key;
      }
    }
  }
}

TEST(SpanSinkTest, FailedToolAndErrorsBecomeErrorStatusWithException) {
  Recorder rec;
  SpanSink sink(NewTraceId(), NewSpanId(), {}, [&](Span s) { rec.spans.push_back(std::move(s)); });
  FeedEpisode(sink, {"toy", "full", "sim", "agentic", 2}, /*fail_tool=*/true);
  const Span& tool = rec.Named("train");
  EXPECT_EQ(tool.status, SpanStatus::kError);
  ASSERT_EQ(tool.events.size(), 1u);
  EXPECT_EQ(tool.events[0].name, "exception");

  EpisodeKey key{"toy", "full", "sim", "agentic", 3};
  EventLog log(key, {&sink});
  log.Append(Ev(EventType::kEpisodeStart, 0, 100));
  log.Append(Ev(EventType::kObservation, 1, 101, {}, Message{Role::kUser, "iter 1", {}, "", ""}));
  log.Append(Ev(EventType::kError, 1, 102, {{"message", "model failed"}}));
  log.Append(Ev(EventType::kEpisodeEnd, 1, 103, {{"outcome", {{"status", "error"}}}}));
  const Span& ep = rec.Named("episode", 1);
  EXPECT_EQ(ep.status, SpanStatus::kError);
  EXPECT_EQ(ep.status_message, "model failed");
  EXPECT_EQ(rec.Named("iteration", 1).status, SpanStatus::kError);
}

TEST(SpanSinkTest, NullFieldsInPayloadsAreTolerated) {
  // Workspace experiments carry null metrics; a retrieved section may name them.
  Recorder rec;
  SpanSink sink(NewTraceId(), NewSpanId(), {}, [&](Span s) { rec.spans.push_back(std::move(s)); });
  EventLog log({"ws", "retrieve", "sim", "agentic", 1}, {&sink});
  log.Append(Ev(EventType::kEpisodeStart, 0, 100, {{"metric", nullptr}}));
  log.Append(Ev(EventType::kExperiment, 1, 101,
                {{"experiment", 1}, {"config", nullptr}, {"ok", true}, {"valid_metric", nullptr}}));
  log.Append(Ev(EventType::kNote, 1, 102, {{"text", nullptr}}));
  Json items = {{{"seq", 1}, {"kind", "experiment"}, {"bm25", -1.0}}};
  log.Append(Ev(EventType::kContext, 2, 103,
                {{"manifest", {{"extra", {{"sections", {{"retrieved", {{"items", items}}}}}}}}}}));
  log.Append(Ev(EventType::kEpisodeEnd, 2, 104, {{"outcome", {{"status", "complete"}}}}));
  EXPECT_EQ(Attr(rec.Named("retrieved"), "retrieval.documents.0.document.content"),
            "Experiment 1: config {} -> validation metric = 0");
}

TEST(SpanSinkTest, UnfinishedEpisodesAreClosed) {
  Recorder rec;
  SpanSink sink(NewTraceId(), NewSpanId(), {}, [&](Span s) { rec.spans.push_back(std::move(s)); });
  EventLog log({"toy", "full", "sim", "agentic", 1}, {&sink});
  log.Append(Ev(EventType::kEpisodeStart, 0, 100));
  log.Append(Ev(EventType::kObservation, 1, 101, {}, Message{Role::kUser, "iter 1", {}, "", ""}));
  sink.CloseOpenEpisodes(200);
  ASSERT_EQ(rec.spans.size(), 3u);  // the step, the iteration, the episode
  for (const Span& s : rec.spans) EXPECT_EQ(s.end_unix_nano, 200000000000u) << s.name;
  EXPECT_EQ(rec.Named("episode").status, SpanStatus::kError);
  EXPECT_EQ(rec.Named("episode").end_unix_nano, 200000000000u);
}

// A hard stop ends the open episodes while their threads still append: every
// span emitted, before or after, hangs under the run or a span emitted too.
TEST(SpanSinkTest, AHardStopWhileEpisodesRunLeavesNoOrphan) {
  std::mutex mu;
  std::vector<Span> spans;
  SpanId run = NewSpanId();
  SpanSink sink(NewTraceId(), run, {}, [&](Span s) {
    std::lock_guard<std::mutex> lock(mu);
    spans.push_back(std::move(s));
  });
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    threads.emplace_back([&sink, &started, seed] {
      EventLog log({"toy", "full", "sim", "agentic", seed}, {&sink});
      log.Append(Ev(EventType::kEpisodeStart, 0, 100));
      ++started;
      for (int i = 1; i <= 300; ++i) {
        double t = 100 + i;
        for (EventType type :
             {EventType::kObservation, EventType::kContext, EventType::kIteration}) {
          Event e = Ev(type, i, t, {{"iteration", i}},
                       type == EventType::kObservation
                           ? std::optional<Message>(Message{Role::kUser, "go", {}, "", ""})
                           : std::nullopt);
          e.step = type == EventType::kObservation ? i - 1 : i;
          log.Append(std::move(e));
          t += 0.25;
        }
      }
      log.Append(Ev(EventType::kEpisodeEnd, 300, 500, {{"outcome", {{"status", "complete"}}}}));
    });
  }
  while (started < 4) std::this_thread::yield();
  sink.CloseOpenEpisodes(1000);
  for (std::thread& t : threads) t.join();

  std::map<SpanId, const Span*> by_id;
  for (const Span& s : spans) EXPECT_TRUE(by_id.emplace(s.span_id, &s).second) << "emitted twice";
  int episodes = 0;
  for (const Span& s : spans) {
    episodes += s.name == "episode";
    if (s.parent_span_id == run) continue;
    ASSERT_TRUE(by_id.contains(s.parent_span_id)) << s.name << " is an orphan";
    EXPECT_LE(s.end_unix_nano, by_id[s.parent_span_id]->end_unix_nano) << s.name;
  }
  EXPECT_EQ(episodes, 4);
}

}  // namespace
}  // namespace ctxbench
