#include "report/intervals.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/distributions.h"
#include "report/format.h"

namespace ctxbench {

namespace {
constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
}  // namespace

LabelledInterval MeanInterval(const std::vector<double>& values, double level) {
  LabelledInterval out;
  out.level = level;
  const size_t n = values.size();
  if (n < 2) {
    out.ci = {kNoValue, kNoValue};
    return out;
  }
  double mean = Mean(values);
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  double se = std::sqrt(ss / double(n - 1) / double(n));
  double t = StudentTQuantile(1 - (1 - level) / 2, double(n - 1));
  out.ci = {mean - t * se, mean + t * se};
  return out;
}

LabelledInterval MedianInterval(const std::vector<double>& values, double level) {
  LabelledInterval out;
  out.level = level;
  const int n = static_cast<int>(values.size());
  if (n == 0) {
    out.ci = {kNoValue, kNoValue};
    return out;
  }
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  // Coverage of [x_(k), x_(n+1-k)] is 1 - 2·P(Bin(n, ½) <= k - 1); it falls as k grows.
  int best = 0;
  for (int k = 1; 2 * k <= n + 1; ++k) {
    if (1 - 2 * FairCoinCdf(k - 1, n) >= level - 1e-12) best = k;
  }
  if (best == 0) {
    out.ci = {sorted.front(), sorted.back()};
    out.level = std::max(0.0, 1 - 2 * FairCoinCdf(0, n));
    out.is_range = true;
    return out;
  }
  out.ci = {sorted[best - 1], sorted[n - best]};
  return out;
}

Interval ContinuityCorrectedWilsonInterval(int k, int n, double z) {
  double p = double(k) / n, z2 = z * z, denom = 2 * (n + z2);
  double lo = k == 0
                  ? 0
                  : (2 * n * p + z2 - 1 -
                     z * std::sqrt(std::max(0.0, z2 - 2 - 1.0 / n + 4 * p * (n * (1 - p) + 1)))) /
                        denom;
  double hi = k == n
                  ? 1
                  : (2 * n * p + z2 + 1 +
                     z * std::sqrt(std::max(0.0, z2 + 2 - 1.0 / n + 4 * p * (n * (1 - p) - 1)))) /
                        denom;
  return {std::max(0.0, lo), std::min(1.0, hi)};
}

Interval PairedRateDifferenceInterval(const PairedCounts& c, double level, PairedMethod method) {
  const int n = c.n();
  if (n == 0) return {kNoValue, kNoValue};
  double z = NormalQuantile(1 - (1 - level) / 2);
  double p1 = double(c.both + c.only_policy) / n;
  double p2 = double(c.both + c.only_control) / n;
  auto wilson =
      method == PairedMethod::kNewcombe11 ? ContinuityCorrectedWilsonInterval : WilsonInterval;
  Interval w1 = wilson(c.both + c.only_policy, n, z);
  Interval w2 = wilson(c.both + c.only_control, n, z);
  double e = c.both + c.only_policy, f = c.only_control + c.neither;
  double g = c.both + c.only_control, h = c.only_policy + c.neither;
  double denom = e * f * g * h;
  double ad_bc = double(c.both) * c.neither - double(c.only_policy) * c.only_control;
  // Continuity-corrected correlation: without it, perfectly concordant pairs
  // (no discordant pair) would give a zero-width interval.
  if (ad_bc > 0) ad_bc = std::max(ad_bc - n / 2.0, 0.0);
  double phi = denom > 0 ? ad_bc / std::sqrt(denom) : 0;
  double diff = p1 - p2;
  double dl =
      std::sqrt(std::max(0.0, (p1 - w1.lo) * (p1 - w1.lo) - 2 * phi * (p1 - w1.lo) * (w2.hi - p2) +
                                  (w2.hi - p2) * (w2.hi - p2)));
  double du =
      std::sqrt(std::max(0.0, (w1.hi - p1) * (w1.hi - p1) - 2 * phi * (w1.hi - p1) * (p2 - w2.lo) +
                                  (p2 - w2.lo) * (p2 - w2.lo)));
  return {std::max(-1.0, diff - dl), std::min(1.0, diff + du)};
}

std::string IntervalLabel(const LabelledInterval& interval) {
  std::string pct = FormatFixed(100 * interval.level, 0) + "%";
  return interval.is_range ? "range (" + pct + " coverage)" : pct + " CI";
}

}  // namespace ctxbench
