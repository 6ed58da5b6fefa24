// Summary statistics for the report: means, quantiles and the Wilson score
// interval for a success rate. Pure functions of their inputs; no errors
// (empty inputs give NaN, documented per function).
#pragma once

#include <vector>

namespace ctxbench {

// A two-sided confidence interval [lo, hi].
struct Interval {
  double lo = 0;
  double hi = 0;
};

// Arithmetic mean; NaN for an empty input.
double Mean(const std::vector<double>& values);

// The q-quantile (0 <= q <= 1) by linear interpolation between order
// statistics (R's type 7, NumPy's default); NaN for an empty input.
double Quantile(std::vector<double> values, double q);
inline double Median(std::vector<double> values) { return Quantile(std::move(values), 0.5); }

// Wilson score interval for `successes` out of `n` trials at the normal
// quantile `z` (1.959964 for 95%). REQUIRES: 0 <= successes <= n. For n == 0
// the interval is [0, 1] (nothing is known).
Interval WilsonInterval(int successes, int n, double z = 1.959963984540054);

}  // namespace ctxbench
