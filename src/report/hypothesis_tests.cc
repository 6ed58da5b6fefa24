#include "report/hypothesis_tests.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <utility>
#include <vector>

#include "report/distributions.h"
#include "report/stats.h"

namespace ctxbench {

double ExactMcNemarP(int only_policy, int only_control) {
  int n = only_policy + only_control;
  if (n == 0) return 1;
  return std::min(1.0, 2 * FairCoinCdf(std::min(only_policy, only_control), n));
}

std::vector<double> HolmAdjust(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<double> out(m);
  double running = 0;
  for (size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, p[order[i]] * double(m - i)));
    out[order[i]] = running;
  }
  return out;
}

int NonzeroCount(const std::vector<double>& differences) {
  return static_cast<int>(
      std::count_if(differences.begin(), differences.end(), [](double d) { return d != 0; }));
}

double SmallestSignFlipP(const std::vector<double>& differences) {
  int k = NonzeroCount(differences);
  return k == 0 ? 1.0 : std::min(1.0, 2.0 / std::ldexp(1.0, k));
}

double SampleSd(const std::vector<double>& values) {
  if (values.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double m = Mean(values), ss = 0;
  for (double v : values) ss += (v - m) * (v - m);
  return std::sqrt(ss / double(values.size() - 1));
}

namespace {

constexpr int kPowerSteps = 4000;

// The Simpson-weighted density of the sample sd at TTestPower's grid points
// for df = n - 1: w_i * f(s_i), i = 0..kPowerSteps, and the step h. They
// depend on n alone, so a report's many powers at one n (different effects)
// share them; each value is computed exactly as TTestPower computed it
// inline, so the sums are bit for bit the same.
struct DensityGrid {
  double h = 0;
  std::vector<double> weighted;  // w_i * f(s_i)
};

DensityGrid MakeDensityGrid(int n) {
  const double df = n - 1;
  // T = (Z + delta) / S with S = sqrt(V / df), V ~ chi-square(df): the
  // density of S. The terms that do not depend on s are computed once.
  const double log2_term = (df / 2) * std::log(2.0), lgamma_term = std::lgamma(df / 2);
  auto log_density = [df, log2_term, lgamma_term](double s) {
    double x = df * s * s;
    return std::log(2 * df * s) + (df / 2 - 1) * std::log(x) - x / 2 - log2_term - lgamma_term;
  };
  const double hi = 1 + 14 / std::sqrt(df);
  DensityGrid grid;
  grid.h = hi / kPowerSteps;
  grid.weighted.resize(kPowerSteps + 1);
  for (int i = 0; i <= kPowerSteps; ++i) {
    double s = i * grid.h;
    double f =
        s > 0 ? std::exp(log_density(s)) : (df == 1 ? std::sqrt(2 / 3.14159265358979323846) : 0);
    double w = (i == 0 || i == kPowerSteps) ? 1 : (i % 2 ? 4 : 2);
    grid.weighted[i] = w * f;
  }
  return grid;
}

// The grid for n, kept for the first 512 values of n asked (32 KB each).
// Thread-safe.
std::shared_ptr<const DensityGrid> DensityGridFor(int n) {
  static std::mutex mutex;
  static std::map<int, std::shared_ptr<const DensityGrid>> grids;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = grids.find(n);
    if (it != grids.end()) return it->second;
  }
  auto grid = std::make_shared<const DensityGrid>(MakeDensityGrid(n));
  std::lock_guard<std::mutex> lock(mutex);
  if (grids.size() < 512) grids.emplace(n, grid);
  return grid;
}

// StudentTQuantile(1 - alpha / 2, n - 1), the two-sided critical value,
// kept for the first 4,096 (n, alpha) asked: the power search asks it again
// at every candidate n of every difference, and each answer inverts the t CDF
// (the same call, so the same bits). Thread-safe.
double CriticalTFor(int n, double alpha) {
  static std::mutex mutex;
  static std::map<std::pair<int, uint64_t>, double> crits;
  const std::pair<int, uint64_t> key{n, std::bit_cast<uint64_t>(alpha)};
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = crits.find(key);
    if (it != crits.end()) return it->second;
  }
  const double crit = StudentTQuantile(1 - alpha / 2, n - 1);
  std::lock_guard<std::mutex> lock(mutex);
  if (crits.size() < 4096) crits.emplace(key, crit);
  return crit;
}

}  // namespace

double TTestPower(int n, double effect, double alpha) {
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double delta = effect * std::sqrt(double(n));
  const double crit = CriticalTFor(n, alpha);
  // Integrate P(|T| > crit | S = s) over the density of S (Simpson's rule).
  std::shared_ptr<const DensityGrid> grid = DensityGridFor(n);
  const double h = grid->h;
  double sum = 0;
  for (int i = 0; i <= kPowerSteps; ++i) {
    double s = i * h;
    double reject = NormalCdf(-crit * s - delta) + (1 - NormalCdf(crit * s - delta));
    sum += grid->weighted[i] * reject;
  }
  return std::min(1.0, sum * h / 3);
}

namespace {

int PairsForPowerUncached(double mean_difference, double sd, double alpha, double power) {
  constexpr int kCap = 100000;
  if (mean_difference == 0 || !std::isfinite(mean_difference) || !std::isfinite(sd)) return 0;
  if (sd == 0) return 2;  // no spread: the smallest sample shows it
  const double effect = std::fabs(mean_difference) / sd;
  // The normal approximation never asks for more than the t test needs.
  double z = NormalQuantile(1 - alpha / 2) + NormalQuantile(power);
  double approx = std::ceil(std::pow(z / effect, 2));
  if (approx > 2000) return static_cast<int>(std::min<double>(approx, kCap));
  int n = std::max(2, static_cast<int>(approx));
  while (n < kCap && TTestPower(n, effect, alpha) < power) ++n;
  return n;
}

}  // namespace

int PairsForPower(double mean_difference, double sd, double alpha, double power) {
  // A report asks for the same differences several times (per-task and
  // pooled comparisons, the ranking, the findings), and each answer costs
  // thousands of integration steps per candidate n: answers are kept by the
  // exact bits of the arguments, so a repeat returns what the first computed.
  using Args = std::array<uint64_t, 4>;
  static std::mutex mutex;
  static std::map<Args, int> cache;
  Args args;
  const double values[4] = {mean_difference, sd, alpha, power};
  for (int i = 0; i < 4; ++i) std::memcpy(&args[i], &values[i], sizeof(double));
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(args);
    if (it != cache.end()) return it->second;
  }
  int n = PairsForPowerUncached(mean_difference, sd, alpha, power);
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() < 100000) cache.emplace(args, n);
  return n;
}

}  // namespace ctxbench
