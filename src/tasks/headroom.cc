#include "tasks/headroom.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "core/metric_direction.h"

namespace ctxbench {
namespace {

Json Move(const TaskSpec& task, const Json& config, size_t knob_index, int direction) {
  const Knob& k = task.knobs[knob_index];
  Json out = config;
  if (k.type == KnobType::kChoice) {
    auto it = std::find(k.choices.begin(), k.choices.end(), config[k.name].get<std::string>());
    long i = (it - k.choices.begin()) + direction;
    if (i < 0 || i >= static_cast<long>(k.choices.size())) return config;
    out[k.name] = k.choices[i];
    return out;
  }
  double v = config[k.name].get<double>();
  if (k.type == KnobType::kInt) {
    double step = std::max(1.0, std::round((k.max - k.min) / 6));
    v += direction * step;
  } else if (k.log) {
    v = direction > 0 ? v * 3 : v / 3;
  } else {
    v += direction * (k.max - k.min) / 4;
  }
  v = std::clamp(v, k.min, k.max);
  if (k.type == KnobType::kInt) {
    out[k.name] = static_cast<long long>(std::llround(v));
  } else {
    out[k.name] = v;
  }
  return CanonicalConfig(task, out);
}

}  // namespace

HeadroomReport ProbeHeadroom(const TaskSpec& task, const Splits& splits, Learner& learner,
                             int iterations, uint64_t seed) {
  HeadroomReport report;
  Evaluation base = learner.Evaluate(task, splits, task.baseline, seed);
  if (!base.ok) ThrowRuntime("task " + task.name, "baseline failed: " + base.error);
  report.baseline_valid = base.valid_metric;
  report.baseline_test = base.test_metric;
  report.baseline_seconds = base.train_seconds;
  report.best_config = task.baseline;
  report.best_valid = base.valid_metric;
  report.best_test = base.test_metric;

  std::set<std::string> tried = {task.baseline.dump()};
  const MetricDirection metric_direction{task.higher_is_better};
  size_t knob = 0;
  int direction = 1;       // of the knob's next move
  size_t stale_moves = 0;  // consecutive moves that produced nothing new
  while (static_cast<int>(report.steps.size()) < iterations &&
         stale_moves < 2 * task.knobs.size()) {
    Json candidate = Move(task, report.best_config, knob, direction);
    bool fresh = tried.insert(candidate.dump()).second;
    bool improved = false;
    if (fresh) {
      stale_moves = 0;
      Evaluation e = learner.Evaluate(task, splits, candidate, seed);
      HeadroomStep step;
      step.config = candidate;
      step.valid_metric = e.ok ? e.valid_metric : std::nan("");
      improved = e.ok && metric_direction.Better(e.valid_metric, report.best_valid);
      if (improved) {
        report.best_config = candidate;
        report.best_valid = e.valid_metric;
        report.best_test = e.test_metric;
      }
      step.best_valid = report.best_valid;
      step.met_target = MeetsTarget(task, report.baseline_valid, report.best_valid);
      report.steps.push_back(step);
      if (step.met_target && report.first_success == 0) {
        report.first_success = static_cast<int>(report.steps.size());
      }
    } else {
      ++stale_moves;
    }
    if (!improved) {
      if (direction > 0) {
        direction = -1;
      } else {
        direction = 1;
        knob = (knob + 1) % task.knobs.size();
      }
    }
  }
  return report;
}

}  // namespace ctxbench
