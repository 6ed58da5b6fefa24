// Resampling statistics with a fixed seed, so a report is reproducible:
// percentile bootstrap intervals and the paired sign-flip permutation test.
//
// Random draws use std::mt19937_64 (fully specified by the standard) and plain
// modulo reduction, never std::*_distribution (implementation-defined), so the
// same seed gives the same numbers with every standard library.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "report/stats.h"

namespace ctxbench {

struct BootstrapOptions {
  int resamples = 2000;
  double level = 0.95;
  uint64_t seed = 20240601;
};

// Percentile bootstrap interval of `statistic` over `values` (resampled with
// replacement, same size). An empty input gives [NaN, NaN]; one value v gives
// [v, v].
Interval BootstrapInterval(const std::vector<double>& values,
                           const std::function<double(const std::vector<double>&)>& statistic,
                           const BootstrapOptions& options = {});
inline Interval BootstrapMean(const std::vector<double>& values,
                              const BootstrapOptions& options = {}) {
  return BootstrapInterval(values, Mean, options);
}
inline Interval BootstrapMedian(const std::vector<double>& values,
                                const BootstrapOptions& options = {}) {
  return BootstrapInterval(
      values, [](const std::vector<double>& v) { return Median(v); }, options);
}

// Two-sided p-value of the paired sign-flip permutation test of "the mean
// paired difference is 0": the share of sign assignments to `differences`
// whose |mean| is at least the observed |mean|. Exact enumeration of all 2^n
// assignments for n <= kExactSignFlipMax, else `monte_carlo` random
// assignments (seeded; the observed one counted, so p > 0). Empty input: 1.
inline constexpr int kExactSignFlipMax = 16;
double SignFlipPValue(const std::vector<double>& differences, uint64_t seed = 20240601,
                      int monte_carlo = 20000);

// The smallest p-value SignFlipPValue can return for n pairs (exact test):
// 2 / 2^n. With n <= 5 it is above 0.05, so no difference can be significant.
double MinSignFlipPValue(int n);

}  // namespace ctxbench
