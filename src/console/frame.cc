#include "console/frame.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "console/text.h"
#include "run/progress.h"

namespace ctxbench {

namespace {

constexpr size_t kBarWidth = 20;
constexpr size_t kMaxIdColumns = 48;

std::string Printf(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Bar(const LiveSnapshot& s) {
  double share = s.total > 0 ? static_cast<double>(s.done) / static_cast<double>(s.total) : 0;
  size_t filled = static_cast<size_t>(std::floor(share * kBarWidth));
  return "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "]";
}

std::string Eta(const LiveSnapshot& s) { return s.eta_s ? FormatDuration(*s.eta_s) : "--"; }

std::string ProgressLine(const LiveSnapshot& s) {
  double pct = s.total > 0 ? 100.0 * static_cast<double>(s.done) / static_cast<double>(s.total) : 0;
  return Bar(s) + "  " + std::to_string(s.done) + "/" + std::to_string(s.total) + "  " +
         Printf("%.0f%%", pct) + "  " + Plural(s.successes, "success", "successes") + "  " +
         Plural(s.errors, "error", "errors") + "  elapsed " + FormatDuration(s.elapsed_s) +
         "  ETA " + Eta(s);
}

std::string TotalsLine(const LiveSnapshot& s) {
  std::string line = "calls " + std::to_string(s.calls) + " (" + Printf("%.1f", s.calls_per_s) +
                     "/s)  tokens " + FormatCount(s.tokens) + "  cost " +
                     Printf("$%.4f", s.cost_usd);
  if (s.cost_cap_usd > 0) line += " of " + Printf("$%.2f", s.cost_cap_usd);
  line += "  last minute: " + Plural(static_cast<size_t>(s.retries_last_min), "retry", "retries") +
          ", " + std::to_string(s.rate_limited_last_min) + " 429s";
  if (s.summarize_calls > 0) {
    line += "  summariser " + Plural(static_cast<size_t>(s.summarize_calls), "call", "calls") +
            " " + FormatDuration(s.summarize_s);
  }
  return line;
}

std::string ModelsLine(const LiveSnapshot& s) {
  std::string line = "models:";
  for (const ModelGauge& m : s.models) {
    line += "  " + m.name;
    if (!m.available) {
      line += " UNAVAILABLE";
    } else if (m.calls_server) {
      line += " " + std::to_string(m.connections) + "/" + std::to_string(m.max_connections) +
              " connections";
    } else {
      line += " (no server)";
    }
  }
  return line;
}

std::string EpisodeLine(const InFlightEpisode& e, size_t id_columns) {
  std::string line = "  " + PadColumns(e.episode, id_columns) + "  it " +
                     std::to_string(e.iteration) + " step " + std::to_string(e.step) + "  ctx " +
                     FormatCount(e.context_tokens) + "/" + FormatCount(e.context_budget) +
                     "  tok " + FormatCount(e.tokens) + "  " + Printf("$%.4f", e.cost_usd);
  if (!e.last_action.empty()) line += "  " + e.last_action;
  if (e.call_s) line += "  in call " + FormatDuration(*e.call_s);
  if (e.summarize_calls > 0) {
    line +=
        "  summariser " + std::to_string(e.summarize_calls) + "x " + FormatDuration(e.summarize_s);
  }
  return line;
}

}  // namespace

std::vector<FrameLine> RenderFrame(const LiveSnapshot& s, size_t width, size_t max_lines) {
  std::vector<FrameLine> head = {{ProgressLine(s)}, {TotalsLine(s)}, {ModelsLine(s)}};
  std::vector<FrameLine> tail;
  for (const ModelGauge& m : s.models) {
    if (!m.available) tail.push_back({"! model " + m.name + " unavailable: " + m.why, true});
  }
  if (s.warnings_total > s.warnings.size()) {
    tail.push_back({"! " + std::to_string(s.warnings_total) + " warnings, the latest " +
                        std::to_string(s.warnings.size()) + ":",
                    true});
  }
  for (const std::string& w : s.warnings) tail.push_back({"! " + w, true});

  std::vector<FrameLine> lines = head;
  if (!s.in_flight.empty()) {
    lines.push_back({"in flight " + std::to_string(s.in_flight.size()) + ":"});
    size_t room =
        max_lines > head.size() + 1 + tail.size() ? max_lines - head.size() - 1 - tail.size() : 0;
    size_t shown = s.in_flight.size() <= room ? s.in_flight.size() : (room > 0 ? room - 1 : 0);
    size_t id_columns = 0;
    for (size_t i = 0; i < shown; ++i) {
      id_columns = std::max(id_columns, Columns(s.in_flight[i].episode));
    }
    id_columns = std::min(id_columns, std::min(kMaxIdColumns, width / 2));
    for (size_t i = 0; i < shown; ++i) lines.push_back({EpisodeLine(s.in_flight[i], id_columns)});
    if (shown < s.in_flight.size()) {
      lines.push_back({"  ... and " + std::to_string(s.in_flight.size() - shown) + " more"});
    }
  }
  lines.insert(lines.end(), tail.begin(), tail.end());
  if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - max_lines);
  for (FrameLine& l : lines) l.text = FitColumns(SanitizeLine(l.text), width);
  return lines;
}

std::string SummaryLine(const LiveSnapshot& s) {
  std::string line =
      "progress: " + std::to_string(s.done) + "/" + std::to_string(s.total) + " done (" +
      Plural(s.successes, "success", "successes") + ", " + Plural(s.errors, "error", "errors") +
      "), " + std::to_string(s.in_flight.size()) + " in flight, " + std::to_string(s.calls) +
      " calls, " + FormatCount(s.tokens) + " tokens, " + Printf("$%.4f", s.cost_usd) +
      ", last minute " + Plural(static_cast<size_t>(s.retries_last_min), "retry", "retries") +
      " and " + std::to_string(s.rate_limited_last_min) + " 429s, elapsed " +
      FormatDuration(s.elapsed_s) + ", ETA " + Eta(s);
  double longest = 0;
  for (const InFlightEpisode& e : s.in_flight) longest = std::max(longest, e.call_s.value_or(0));
  if (longest > 0) line += ", longest call under way " + FormatDuration(longest);
  for (const ModelGauge& m : s.models) {
    if (!m.available) line += "; model " + m.name + " unavailable";
  }
  return SanitizeLine(line);
}

}  // namespace ctxbench
