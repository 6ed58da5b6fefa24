#include "report/pareto.h"

#include <algorithm>

namespace ctxbench {

std::vector<size_t> ParetoFrontier(const std::vector<EfficiencyPoint>& points) {
  std::vector<size_t> out;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) {
      const EfficiencyPoint& a = points[j];
      const EfficiencyPoint& b = points[i];
      dominated = a.tokens <= b.tokens && a.improvement >= b.improvement &&
                  (a.tokens < b.tokens || a.improvement > b.improvement);
    }
    if (!dominated) out.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(),
                   [&](size_t a, size_t b) { return points[a].tokens < points[b].tokens; });
  return out;
}

}  // namespace ctxbench
