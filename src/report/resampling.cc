#include "report/resampling.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
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

namespace {

// `d` with its sign bit flipped when `flip` is 1: exactly -d, without a branch
// (the random signs of the Monte Carlo test would mispredict half the time).
inline double FlipSign(double d, uint64_t flip) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(d) ^ (flip << 63));
}

// The number of sign assignments to `d` that keep d[0]'s sign and whose sum
// has |sum| >= threshold. Each assignment's sum is formed by the same
// additions in the same order as a loop over all indices forms it (s = 0;
// s += +-d[0]; s += +-d[1]; ...), so the values are bit for bit the loop's.
// The assignments are visited in binary order with d[n-1]'s sign as the low
// bit, so consecutive ones share the partial sums up to the first sign that
// changes (about 2 additions per assignment instead of n). 1 <= n <= 63.
uint64_t CountExtremeKeepingFirstSign(const std::vector<double>& d, double threshold) {
  const size_t n = d.size();
  std::vector<double> partial(n + 1);  // partial[k]: the sum of the first k terms
  partial[0] = 0;
  partial[1] = partial[0] + d[0];
  const uint64_t count = uint64_t{1} << (n - 1);
  uint64_t extreme = 0;
  for (uint64_t mask = 0; mask < count; ++mask) {
    // The signs that changed from mask - 1: d[first..n-1].
    size_t first = mask == 0 ? 1 : n - 1 - static_cast<size_t>(std::countr_zero(mask));
    for (size_t k = first; k < n; ++k) {
      partial[k + 1] = partial[k] + FlipSign(d[k], (mask >> (n - 1 - k)) & 1);
    }
    if (std::fabs(partial[n]) >= threshold) ++extreme;
  }
  return extreme;
}

}  // namespace

double SignFlipPValue(const std::vector<double>& differences, uint64_t seed, int monte_carlo) {
  const size_t n = differences.size();
  if (n == 0) return 1;
  double observed = 0;
  for (double d : differences) observed += d;
  observed = std::fabs(observed);
  // Sums compared with a relative tolerance so ties from rounding count as ties.
  const double tol = 1e-9 * std::max(1.0, observed);
  const double threshold = observed - tol;
  if (n <= static_cast<size_t>(kExactSignFlipMax)) {
    const uint64_t total = uint64_t{1} << n;
    // Flipping every sign negates every partial sum exactly (rounding to
    // nearest is symmetric; an exact 0 is +0 either way), so an assignment and
    // its mirror have the same |sum|: count those that keep d[0]'s sign, twice.
    const uint64_t extreme = 2 * CountExtremeKeepingFirstSign(differences, threshold);
    return static_cast<double>(extreme) / static_cast<double>(total);
  }
  std::mt19937_64 rng(seed);
  uint64_t extreme = 1;  // the observed assignment
  for (int r = 0; r < monte_carlo; ++r) {
    // Signs are taken from each 64-bit draw from its high bit down.
    uint64_t bits = 0;
    int left = 0;
    double s = 0;
    for (size_t i = 0; i < n; ++i) {
      if (left == 0) bits = rng(), left = 64;
      --left;
      s += FlipSign(differences[i], (bits >> left) & 1);
    }
    if (std::fabs(s) >= threshold) ++extreme;
  }
  return static_cast<double>(extreme) / static_cast<double>(monte_carlo + 1);
}

double MinSignFlipPValue(int n) { return n <= 0 ? 1.0 : std::min(1.0, 2.0 / std::ldexp(1.0, n)); }

}  // namespace ctxbench
