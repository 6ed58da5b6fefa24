#include "report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ctxbench {

double Mean(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  double pos = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  size_t below = static_cast<size_t>(std::floor(pos));
  size_t above = std::min(below + 1, values.size() - 1);
  double frac = pos - static_cast<double>(below);
  return values[below] + frac * (values[above] - values[below]);
}

Interval WilsonInterval(int successes, int n, double z) {
  if (n <= 0) return {0, 1};
  double nn = n;
  double p = successes / nn;
  double z2 = z * z;
  double denom = 1 + z2 / nn;
  double center = (p + z2 / (2 * nn)) / denom;
  double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  // The bounds at 0 and n are exactly 0 and 1 (not 5.55e-17 from rounding).
  return {successes == 0 ? 0.0 : std::max(0.0, center - half),
          successes == n ? 1.0 : std::min(1.0, center + half)};
}

}  // namespace ctxbench
