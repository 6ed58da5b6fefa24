#include "agent/experiment_summary.h"

#include <optional>

#include "context/result_text.h"
#include "core/metric_direction.h"
#include "events/payloads.h"

namespace ctxbench {

std::string SummarizeExperiments(const std::vector<Event>& events, const TaskSpec& task) {
  std::string out = "Experiments so far:";
  int n = 0;
  std::optional<double> best;
  Json best_config;
  for (const Event& e : events) {
    if (e.type != EventType::kExperiment) continue;
    ++n;
    ExperimentData d = ExperimentData::FromJson(e.data);
    if (d.ok) {
      double v = d.valid_metric.value_or(0);
      out += "\n" + ExperimentResultText(d.experiment, task.metric, d.config, v);
      if (!best || MetricDirection{task.higher_is_better}.Better(v, *best)) {
        best = v;
        best_config = d.config;
      }
    } else {
      out += "\n" + ExperimentFailedText(d.experiment, d.config, d.error);
    }
  }
  if (n == 0) return "No experiments yet.";
  if (best) out += "\nBest: config " + best_config.dump() + " with " + FormatMetric(*best);
  return out;
}

}  // namespace ctxbench
