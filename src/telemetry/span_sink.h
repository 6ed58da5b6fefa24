// The OTLP view of the event log: an EventSink that turns each episode's
// events into OpenInference spans (EpisodeSpans, telemetry/episode_spans.h)
// under a run span made by RunTelemetry:
//
//   run (CHAIN)
//   └─ episode (AGENT) ─ iteration / final_answer_phase ─ agent.step ─ llm, context, tools
//
// Spans are handed to `emit` as they end (children before parents).
// Span names and attributes are documented in docs/tracing.md.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "events/event.h"
#include "telemetry/episode_spans.h"
#include "telemetry/span.h"

namespace ctxbench {

class SpanSink final : public EventSink {
 public:
  using Emit = std::function<void(Span)>;

  // Episode spans become children of `run_span` in trace `trace`. `models`
  // is keyed by the model name of EpisodeKey::model. `emit` must be
  // thread-safe.
  SpanSink(TraceId trace, SpanId run_span, std::map<std::string, SpanModelInfo> models, Emit emit);
  ~SpanSink() override;

  // Thread-safe across episodes; events of one episode come from one thread.
  // Never throws (EventSink): an event the spans cannot take (a malformed
  // payload) is skipped and counted in Skipped().
  void OnEvent(const EpisodeKey& key, const Event& event) override;
  // "" or one line: how many events were skipped, and the first reason.
  std::string Skipped() const;

  // Ends and emits the spans of episodes that never reached episode.end
  // (status ERROR, "episode did not finish"). Every later event is ignored
  // (no new episode spans either). Thread-safe, also while episodes still
  // run (a hard stop).
  void CloseOpenEpisodes(double now);

 private:
  struct Open {
    std::mutex mu;  // serialises the episode's events with CloseOpenEpisodes
    std::unique_ptr<EpisodeSpans> spans;
  };
  std::shared_ptr<Open> Find(const EpisodeKey& key, bool create);

  const TraceId trace_;
  const SpanId run_span_;
  const std::map<std::string, SpanModelInfo> models_;
  const Emit emit_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Open>> episodes_;
  int skipped_ = 0;          // events On() refused
  std::string skip_reason_;  // the first one's reason
  bool closed_ = false;      // CloseOpenEpisodes was called
};

}  // namespace ctxbench
