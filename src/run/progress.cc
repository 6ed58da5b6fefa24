#include "run/progress.h"

#include <cmath>
#include <cstdio>

#include "agent/prompt.h"
#include "core/log.h"

namespace ctxbench {

std::string FormatDuration(double seconds) {
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else {
    int s = static_cast<int>(std::lround(seconds));
    std::snprintf(buf, sizeof buf, "%dm%02ds", s / 60, s % 60);
  }
  return buf;
}

Progress::Progress(size_t total, const Clock& clock, bool enabled)
    : total_(total), clock_(clock), enabled_(enabled), start_(clock.MonotonicSeconds()) {}

void Progress::EpisodeDone(const EpisodeKey& key, const Outcome& o) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  successes_ += o.success;
  if (!enabled_) return;
  double elapsed = clock_.MonotonicSeconds() - start_;
  double eta =
      done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0;
  char head[64];
  std::snprintf(head, sizeof head, "[%zu/%zu %3.0f%%]", done_, total_,
                100.0 * static_cast<double>(done_) / static_cast<double>(total_));
  std::string line = std::string(head) + " " + key.Id() + ": ";
  if (o.status == EpisodeStatus::kError) {
    line += "ERROR " + o.error;
  } else {
    line += "best " + o.metric + " " + FormatMetric(o.best_valid_metric) + " (baseline " +
            FormatMetric(o.baseline_metric) + ", " + (o.improvement_pct >= 0 ? "+" : "") +
            FormatMetric(std::round(o.improvement_pct * 10) / 10) + "%) " +
            (o.success ? "success" : "no success") +
            ", stop: " + (o.stop_rule ? StopRuleName(*o.stop_rule) : "");
  }
  line += " | " + std::to_string(successes_) + " successes | elapsed " + FormatDuration(elapsed) +
          ", ETA " + FormatDuration(eta);
  LogInfo(line);
}

}  // namespace ctxbench
