#include "console/progress_record.h"

#include <cmath>

namespace ctxbench {

namespace {

// Seconds to milliseconds, so records stay short.
double Round3(double seconds) { return std::round(seconds * 1000) / 1000; }

Json OrNull(const std::optional<double>& seconds) {
  return seconds ? Json(Round3(*seconds)) : Json();
}

}  // namespace

Json ProgressRecord(const LiveSnapshot& s, bool final) {
  Json in_flight = Json::array();
  for (const InFlightEpisode& e : s.in_flight) {
    in_flight.push_back({{"episode", e.episode},
                         {"iteration", e.iteration},
                         {"step", e.step},
                         {"context_tokens", e.context_tokens},
                         {"context_budget", e.context_budget},
                         {"tokens", e.tokens},
                         {"cost_usd", e.cost_usd},
                         {"last_action", e.last_action},
                         {"call_s", OrNull(e.call_s)},
                         {"summarize_calls", e.summarize_calls},
                         {"summarize_s", Round3(e.summarize_s)}});
  }
  Json models = Json::array();
  for (const ModelGauge& m : s.models) {
    Json j = {{"name", m.name}, {"available", m.available}};
    if (m.calls_server) {
      j["connections"] = m.connections;
      j["max_connections"] = m.max_connections;
    }
    if (!m.available) j["unavailable"] = m.why;
    models.push_back(std::move(j));
  }
  return {{"type", "progress"},
          {"elapsed_s", Round3(s.elapsed_s)},
          {"done", s.done},
          {"total", s.total},
          {"successes", s.successes},
          {"errors", s.errors},
          {"in_flight", std::move(in_flight)},
          {"calls", s.calls},
          {"summarize_calls", s.summarize_calls},
          {"summarize_s", Round3(s.summarize_s)},
          {"retries", s.retries},
          {"retries_last_min", s.retries_last_min},
          {"rate_limited_last_min", s.rate_limited_last_min},
          {"tokens", s.tokens},
          {"cost_usd", s.cost_usd},
          {"cost_cap_usd", s.cost_cap_usd > 0 ? Json(s.cost_cap_usd) : Json()},
          {"eta_s", OrNull(s.eta_s)},
          {"models", std::move(models)},
          {"final", final}};
}

Json LogRecord(LogLevel level, const std::string& line) {
  std::string name = "info";
  std::string message = line;
  for (const char* prefix : {"error: ", "warning: ", "debug: "}) {
    std::string p = prefix;
    if (level != LogLevel::kInfo && line.rfind(p, 0) == 0) {
      name = p.substr(0, p.size() - 2);
      message = line.substr(p.size());
      break;
    }
  }
  return {{"type", "log"}, {"level", name}, {"message", message}};
}

}  // namespace ctxbench
