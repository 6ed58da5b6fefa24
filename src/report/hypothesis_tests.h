// The tests behind every "significant" the report prints, and what goes with
// them: the exact sign test (exact McNemar) on paired successes, the Holm
// adjustment across the comparisons made, the smallest p a test can reach,
// and the number of pairs a difference would need for 80% power.
// (The sign-flip permutation test of a mean difference is in resampling.h.)
//
// Pure functions, no errors.
#pragma once

#include <vector>

namespace ctxbench {

// Two-sided exact McNemar test, i.e. the exact sign test on the discordant
// pairs: `only_policy` pairs where only the policy succeeded, `only_control`
// where only the control did; p = min(1, 2·P(Bin(b + c, ½) <= min(b, c))).
// 1 when there is no discordant pair. Same as scipy.stats.binomtest(b, b+c).
double ExactMcNemarP(int only_policy, int only_control);

// Holm's step-down adjustment of `p` (one per test of the family, any order):
// sorted ascending, p_(i)·(m - i + 1), made monotone, capped at 1; returned in
// the input's order.
std::vector<double> HolmAdjust(const std::vector<double>& p);

// The smallest two-sided p-value the exact sign-flip test can give for these
// differences: 2 / 2^(nonzero differences), at most 1. Zero differences
// cannot move the statistic, so they do not count.
double SmallestSignFlipP(const std::vector<double>& differences);
// How many of `differences` are nonzero.
int NonzeroCount(const std::vector<double>& differences);

// Power of the two-sided one-sample t test at `alpha` with n values when the
// true mean is `effect` standard deviations from 0: the noncentral t
// probability of |T| > t_{1-α/2, n-1}, integrated numerically over the
// chi distribution of the sample sd (|error| < 1e-6). NaN for n < 2.
double TTestPower(int n, double effect, double alpha = 0.05);

// Pairs needed to detect a mean paired difference of `mean_difference` (sd of
// the differences `sd`) with that test at `alpha` and `power`: the smallest
// n >= 2 with TTestPower(n, |mean|/sd) >= power. 0 when the difference is 0
// or not finite (nothing to detect), 2 when sd is 0; capped at 100000 (past
// 2000 pairs the normal approximation is used).
int PairsForPower(double mean_difference, double sd, double alpha = 0.05, double power = 0.8);

// The sample standard deviation (n - 1); NaN for fewer than 2 values.
double SampleSd(const std::vector<double>& values);

}  // namespace ctxbench
