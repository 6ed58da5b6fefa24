// Confidence intervals that hold at the sample sizes people run (3 seeds, a
// dozen pairs), each labelled with the coverage it actually has:
//
// * the mean: Student's t interval (exact under normality at every n; on
//   skewed data it under-covers a little at small n, measured in
//   intervals_test.cc's coverage simulation);
// * the median: the distribution-free order-statistic interval, whose
//   coverage is exact for any continuous distribution; below 6 values no
//   order-statistic interval reaches 95%, so it is the observed range with
//   its true coverage (75% for 3 values), labelled as a range;
// * a paired difference of two success rates: Newcombe's hybrid score
//   interval with continuity correction (method 11, Stat Med
//   1998;17:2635-2650), built from continuity-corrected Wilson intervals.
//
// Pure functions, no errors: too little data gives NaN bounds.
#pragma once

#include <string>
#include <vector>

#include "report/stats.h"

namespace ctxbench {

inline constexpr double kLevel = 0.95;

// An interval and the coverage it has: `level` is the stated level (0.95) or,
// for a range of too few values, the range's own coverage; `is_range` then.
struct LabelledInterval {
  Interval ci;
  double level = kLevel;
  bool is_range = false;
};

// Student's t interval for the mean of `values` at `level`: mean ± t·s/√n.
// NaN bounds for fewer than 2 values; a zero-variance sample gives [m, m].
LabelledInterval MeanInterval(const std::vector<double>& values, double level = kLevel);

// Order-statistic interval for the median: [x_(k), x_(n+1-k)] with the
// largest k whose coverage 1 - 2·P(Bin(n, ½) <= k-1) is at least `level`;
// when even the range [min, max] falls short (n < 6 at 95%), the range with
// is_range set and `level` its coverage 1 - 2^(1-n). NaN for no values.
LabelledInterval MedianInterval(const std::vector<double>& values, double level = kLevel);

// The four cells of paired binary outcomes (policy, control) over n pairs.
struct PairedCounts {
  int both = 0;          // both succeeded
  int only_policy = 0;   // b: the policy succeeded, the control did not
  int only_control = 0;  // c: the control succeeded, the policy did not
  int neither = 0;
  int n() const { return both + only_policy + only_control + neither; }
};

// Wilson score interval with continuity correction (Newcombe, Stat Med
// 1998;17:857-872, method 4) for `successes` out of `n` at the normal
// quantile `z`. REQUIRES: 0 <= successes <= n, n > 0.
Interval ContinuityCorrectedWilsonInterval(int successes, int n, double z = 1.959963984540054);

// Newcombe's (Stat Med 1998;17:2635-2650) square-and-add intervals for paired
// rates: method 10 combines plain Wilson limits, method 11 continuity-corrected
// ones; both use his continuity-corrected correlation φ.
enum class PairedMethod { kNewcombe10, kNewcombe11 };

// Newcombe's interval (method 11 unless told) for (b - c) / n, the paired
// difference of success rates, at the normal quantile of `level`. NaN bounds
// when n == 0.
Interval PairedRateDifferenceInterval(const PairedCounts& counts, double level = kLevel,
                                      PairedMethod method = PairedMethod::kNewcombe11);

// "95% CI" or "range (75% coverage)": how a table header or cell names it.
std::string IntervalLabel(const LabelledInterval& interval);

}  // namespace ctxbench
