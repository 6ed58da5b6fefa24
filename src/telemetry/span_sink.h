// The OTLP view of the event log: an EventSink that turns each episode's
// events into OpenInference spans under a run span:
//
//   run (CHAIN, made by RunTelemetry)
//   └─ episode (AGENT; session.id = episode id)
//      ├─ iteration (CHAIN; one per agent iteration) / final_answer_phase (CHAIN)
//      │  ├─ context (CHAIN; the policy's manifest as metadata)
//      │  ├─ llm (LLM; input messages rebuilt from the manifest, output, usage)
//      │  └─ <tool name> (TOOL) or retrieve (RETRIEVER)
//
// Spans are handed to `emit` as they end (children before parents).
// Span names and attributes are documented in docs/tracing.md.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "context/event.h"
#include "core/json.h"
#include "telemetry/span.h"

namespace ctxbench {

// What the sink knows of a model beyond its name, for LLM spans.
struct SpanModelInfo {
  std::string kind;              // "sim", "openai", ... → llm.provider
  Json params = Json::object();  // → llm.invocation_parameters, secrets removed
};

class SpanSink final : public EventSink {
 public:
  using Emit = std::function<void(Span)>;

  // Episode spans become children of `run_span` in trace `trace`. `models`
  // is keyed by the model name of EpisodeKey::model. `emit` must be
  // thread-safe.
  SpanSink(TraceId trace, SpanId run_span, std::map<std::string, SpanModelInfo> models, Emit emit);
  ~SpanSink() override;

  // Thread-safe across episodes; events of one episode come from one thread.
  void OnEvent(const EpisodeKey& key, const Event& event) override;

  // Ends and emits the spans of episodes that never reached episode.end
  // (status ERROR, "episode did not finish"). Call after all episodes stop.
  void CloseOpenEpisodes(double now);

 private:
  class Episode;
  Episode* Find(const EpisodeKey& key, bool create);

  const TraceId trace_;
  const SpanId run_span_;
  const std::map<std::string, SpanModelInfo> models_;
  const Emit emit_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Episode>> episodes_;
};

}  // namespace ctxbench
