#include "telemetry/run_telemetry.h"

#include <cstdio>

#include "core/clock.h"
#include "core/log.h"
#include "telemetry/openinference.h"
#include "telemetry/otlp_exporter.h"

namespace ctxbench {

namespace {

// The run config without model params that could hold secrets.
Json SafeConfig(Json config) {
  if (config.contains("models") && config["models"].is_array()) {
    for (Json& m : config["models"]) m = SafeInvocationParameters(m);
  }
  return config;
}

}  // namespace

std::unique_ptr<RunTelemetry> RunTelemetry::Start(const TelemetryConfig& config,
                                                  const RunSpanInfo& info, const EnvLookup& env,
                                                  std::unique_ptr<HttpPoster> poster,
                                                  const Cancellation* cancel) {
  std::optional<OtlpTarget> target = ResolveOtlpTarget(config, env);
  if (!target) return nullptr;
  std::unique_ptr<RunTelemetry> t(new RunTelemetry());
  t->config_ = config;
  t->url_ = target->url;

  SpanSource source;
  source.resource.push_back({"service.name", std::string("ctxbench")});
  source.resource.push_back({"service.version", std::string(CTXBENCH_VERSION)});
  if (!target->project_name.empty()) {
    source.resource.push_back({oi::kProjectName, target->project_name});
  }
  source.scope_name = "ctxbench";
  source.scope_version = CTXBENCH_VERSION;
  t->exporter_ =
      std::make_unique<OtlpExporter>(std::move(*target), config, std::move(source),
                                     poster ? std::move(poster) : MakeCurlPoster(), cancel);

  Span& run = t->run_span_;
  run.trace_id = NewTraceId();
  run.span_id = NewSpanId();
  run.name = "run";
  run.start_unix_nano = ToUnixNano(info.started);
  SetSpanKind(run, oi::kChain);
  run.Set("ctxbench.run_id", info.run_id);
  run.Set("ctxbench.run_name", info.name);
  SetInput(run, SafeConfig(info.config));

  OtlpExporter* exporter = t->exporter_.get();
  t->sink_ = std::make_unique<SpanSink>(run.trace_id, run.span_id, info.models,
                                        [exporter](Span s) { exporter->Add(std::move(s)); });
  return t;
}

RunTelemetry::~RunTelemetry() = default;

void RunTelemetry::EndRunSpan(const std::string& status, double now, bool hard_stop) {
  sink_->CloseOpenEpisodes(now);
  run_span_.end_unix_nano = std::max(ToUnixNano(now), run_span_.start_unix_nano);
  run_span_.Set("ctxbench.status", status);
  SetOutput(run_span_, Json{{"status", status}});
  if (status == "failed" || status == "complete_with_errors") {
    run_span_.Fail("RunError", "run " + status, ToUnixNano(now));
  } else if (hard_stop) {
    run_span_.Fail("RunStopped",
                   "stopped at once (second Ctrl-C); unfinished episodes rerun on "
                   "--resume",
                   ToUnixNano(now));
  } else {
    run_span_.status = SpanStatus::kOk;
  }
  exporter_->Add(std::move(run_span_));
}

void RunTelemetry::HardStop(double now) {
  std::unique_lock<std::mutex> lock(finish_mu_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;  // Finish is under way
  finished_ = true;
  EndRunSpan("interrupted", now, /*hard_stop=*/true);
  exporter_->Shutdown(std::min(config_.flush_seconds, kHardStopFlushSeconds));
  lock.release();  // Finish waits for the process to end
}

void RunTelemetry::OnRunStart(const RunStartInfo&) {
  try {
    hard_stop_.emplace([this] { HardStop(SystemClock::Get().WallSeconds()); });
  } catch (const std::exception& e) {
    LogWarn(std::string("telemetry: a hard stop will not send the spans: ") + e.what());
  }
}

void RunTelemetry::OnEvent(const EpisodeKey& key, const Event& event) {
  sink_->OnEvent(key, event);
}

std::string RunTelemetry::OnRunEnd(const RunEndInfo& end) {
  std::string warning = Finish(RunStatusName(end.status), end.finished_at);
  hard_stop_.reset();
  std::string skipped = sink_->Skipped();
  if (skipped.empty()) return warning;
  return (warning.empty() ? "telemetry: " : warning + "; ") + skipped;
}

std::string RunTelemetry::Finish(const std::string& status, double now) {
  std::lock_guard<std::mutex> lock(finish_mu_);
  if (finished_) return "";
  EndRunSpan(status, now, /*hard_stop=*/false);
  finished_ = true;
  char wait[160];
  std::snprintf(wait, sizeof wait,
                "telemetry: waiting up to %g s for the collector (Ctrl-C to skip)",
                config_.flush_seconds);
  ExportReport r = exporter_->Shutdown(config_.flush_seconds, [&] { LogInfo(wait); });
  delivered_ = r.delivered;
  spans_ = r.spans;
  if (r.undelivered() == 0) {
    LogInfo("telemetry: " + std::to_string(r.spans) + " spans exported to " + RedactUrl(url_));
    return "";
  }
  return "telemetry: " + std::to_string(r.undelivered()) + " of " + std::to_string(r.spans) +
         " spans not delivered to " + RedactUrl(url_) + ": " + r.reason;
}

}  // namespace ctxbench
