// A run's telemetry: the run span, the span sink the episodes write to and
// the exporter behind it. The one thing run/runner.cc talks to.
//
// Errors: Start throws an input error for bad telemetry settings in the
// environment (named by variable, never by value); nothing after Start
// throws, nothing here fails a run because of the collector, and a collector
// that is down, hanging or rejecting adds at most telemetry.export.flush_seconds
// (2 s by default) to the end of a run.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/cancel.h"
#include "core/hard_stop.h"
#include "core/json.h"
#include "events/event.h"
#include "telemetry/http_poster.h"
#include "telemetry/span_sink.h"
#include "telemetry/telemetry_config.h"

namespace ctxbench {

class OtlpExporter;

struct RunSpanInfo {
  std::string run_id;
  std::string name;              // the config's name
  double started = 0;            // Unix seconds
  Json config = Json::object();  // recorded as the run span's input (secrets removed)
  std::map<std::string, SpanModelInfo> models;  // by model name
};

// The telemetry of a run: an EventSink (the spans of its episodes) whose
// OnRunStart registers HardStop as a hard-stop action (core/hard_stop.h) and
// whose OnRunEnd ends the run span and flushes (Finish), then unregisters it.
class RunTelemetry : public EventSink {
 public:
  // nullptr when telemetry is off (see ResolveOtlpTarget). `poster` defaults
  // to libcurl. A Ctrl-C that sets `cancel` (must outlive this) during
  // Finish's flush ends the flush at once.
  static std::unique_ptr<RunTelemetry> Start(const TelemetryConfig& config, const RunSpanInfo& info,
                                             const EnvLookup& env = GetEnv,
                                             std::unique_ptr<HttpPoster> poster = nullptr,
                                             const Cancellation* cancel = &Cancellation::Process());
  ~RunTelemetry() override;
  RunTelemetry(const RunTelemetry&) = delete;
  RunTelemetry& operator=(const RunTelemetry&) = delete;

  // Registers HardStop (at the system clock's wall time) for a hard stop
  // until OnRunEnd or destruction. Never throws.
  void OnRunStart(const RunStartInfo& run) override;
  // The episodes' spans (SpanSink). Never throws.
  void OnEvent(const EpisodeKey& key, const Event& event) override;
  // Finish(end.status, end.finished_at), with the events the spans left out
  // added to its warning; then a hard stop no longer sends spans.
  std::string OnRunEnd(const RunEndInfo& end) override;

  // The span sink alone (tests). Valid until Finish returns.
  EventSink* sink() { return sink_.get(); }

  // Ends the run span with `status` ("complete", ...), flushes within
  // telemetry.export.flush_seconds (saying so on stderr when that takes more
  // than a moment; a Ctrl-C ends it) and returns one line for the user:
  // a warning naming how many spans were not delivered and why, or "" when
  // all were. Call once, after every episode has stopped.
  std::string Finish(const std::string& status, double now);

  // The hard stop (a second Ctrl-C; core/hard_stop.h), while episodes may
  // still run: ends their open spans (ERROR, "episode did not finish") and
  // the run span (ctxbench.status "interrupted", ERROR "stopped at once"),
  // then sends what is queued within at most kHardStopFlushSeconds, so that
  // no span the collector holds lacks its parent. Does nothing once Finish
  // has begun; Finish blocks after it (the process is about to end).
  void HardStop(double now);
  static constexpr double kHardStopFlushSeconds = 2;

  // Spans delivered / handed over so far; for tests and the info line.
  size_t delivered() const { return delivered_; }
  size_t spans() const { return spans_; }

 private:
  RunTelemetry() = default;
  // Closes the open episodes, ends the run span and queues it.
  void EndRunSpan(const std::string& status, double now, bool hard_stop);
  TelemetryConfig config_;
  std::string url_;
  Span run_span_;
  std::unique_ptr<OtlpExporter> exporter_;
  std::unique_ptr<SpanSink> sink_;
  std::mutex finish_mu_;  // Finish or HardStop, whichever comes first
  bool finished_ = false;
  size_t delivered_ = 0;
  size_t spans_ = 0;
  // Last: unregistered before anything HardStop uses goes.
  std::optional<HardStopAction> hard_stop_;
};

}  // namespace ctxbench
