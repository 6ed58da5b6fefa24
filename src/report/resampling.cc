#include "report/resampling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ctxbench {

Interval BootstrapInterval(const std::vector<double>& values,
                           const std::function<double(const std::vector<double>&)>& statistic,
                           const BootstrapOptions& options) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) return {nan, nan};
  if (values.size() == 1) return {values[0], values[0]};
  std::mt19937_64 rng(options.seed);
  std::vector<double> stats;
  stats.reserve(options.resamples);
  std::vector<double> sample(values.size());
  for (int b = 0; b < options.resamples; ++b) {
    for (double& s : sample) s = values[rng() % values.size()];
    stats.push_back(statistic(sample));
  }
  double alpha = (1 - options.level) / 2;
  return {Quantile(stats, alpha), Quantile(stats, 1 - alpha)};
}

double SignFlipPValue(const std::vector<double>& differences, uint64_t seed, int monte_carlo) {
  const size_t n = differences.size();
  if (n == 0) return 1;
  double observed = 0;
  for (double d : differences) observed += d;
  observed = std::fabs(observed);
  // Sums compared with a relative tolerance so ties from rounding count as ties.
  const double tol = 1e-9 * std::max(1.0, observed);
  auto flipped_sum = [&](auto sign_of) {
    double s = 0;
    for (size_t i = 0; i < n; ++i) s += sign_of(i) ? -differences[i] : differences[i];
    return std::fabs(s);
  };
  if (n <= static_cast<size_t>(kExactSignFlipMax)) {
    const uint64_t total = uint64_t{1} << n;
    uint64_t extreme = 0;
    for (uint64_t mask = 0; mask < total; ++mask) {
      if (flipped_sum([mask](size_t i) { return (mask >> i) & 1; }) >= observed - tol) ++extreme;
    }
    return static_cast<double>(extreme) / static_cast<double>(total);
  }
  std::mt19937_64 rng(seed);
  uint64_t extreme = 1;  // the observed assignment
  for (int r = 0; r < monte_carlo; ++r) {
    uint64_t bits = 0;
    int left = 0;
    if (flipped_sum([&](size_t) {
          if (left == 0) bits = rng(), left = 64;
          --left;
          return static_cast<bool>((bits >> left) & 1);
        }) >= observed - tol) {
      ++extreme;
    }
  }
  return static_cast<double>(extreme) / static_cast<double>(monte_carlo + 1);
}

double MinSignFlipPValue(int n) { return n <= 0 ? 1.0 : std::min(1.0, 2.0 / std::ldexp(1.0, n)); }

}  // namespace ctxbench
