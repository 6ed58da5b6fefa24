// Which way a task's metric improves: the one definition of "better than"
// and "meets the target" that the episode, the outcome fold, the report, the
// headroom check and the `sim` model (llm/sim_view.h, from the direction its
// messages state) share. In core so that both tasks and llm may use it.
// Pure, header-only, thread-safe.
#pragma once

#include <cmath>
#include <limits>

namespace ctxbench {

struct MetricDirection {
  bool higher_is_better = true;

  // `value` is strictly better than `than`.
  bool Better(double value, double than) const {
    return higher_is_better ? value > than : value < than;
  }
  // `value` reaches `target` (equal counts).
  bool Meets(double value, double target) const {
    return higher_is_better ? value >= target : value <= target;
  }
  // The gain of `value` over `baseline` in % of |baseline| (positive: better);
  // ±infinity for a gain over a zero baseline, 0 for no gain.
  double ImprovementPct(double baseline, double value) const {
    double gain = higher_is_better ? value - baseline : baseline - value;
    if (gain == 0) return 0;
    double scale = std::fabs(baseline);
    if (scale < 1e-12) {
      return gain > 0 ? std::numeric_limits<double>::infinity()
                      : -std::numeric_limits<double>::infinity();
    }
    return 100.0 * gain / scale;
  }
};

}  // namespace ctxbench
