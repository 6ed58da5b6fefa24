#include "report/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "report/resampling.h"

namespace ctxbench {
namespace {

TEST(StatsTest, MeanAndQuantiles) {
  EXPECT_DOUBLE_EQ(Mean({1, 2, 3, 10}), 4);
  EXPECT_TRUE(std::isnan(Mean({})));
  EXPECT_DOUBLE_EQ(Median({5, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  // Type 7: position q * (n - 1) = 0.25 * 4 = 1 -> second order statistic.
  EXPECT_DOUBLE_EQ(Quantile({10, 20, 30, 40, 50}, 0.25), 20);
  // 0.1 * 3 = 0.3 -> 1 + 0.3 * (2 - 1).
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 0.1), 1.3);
  EXPECT_TRUE(std::isnan(Median({})));
}

// Hand-computed: center = (p + z²/2n) / (1 + z²/n), half-width
// z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n), z = 1.959964.
TEST(StatsTest, WilsonIntervalMatchesHandComputedValues) {
  Interval a = WilsonInterval(7, 10);
  EXPECT_NEAR(a.lo, 0.396778, 1e-6);
  EXPECT_NEAR(a.hi, 0.892209, 1e-6);
  Interval none = WilsonInterval(0, 10);
  EXPECT_DOUBLE_EQ(none.lo, 0);
  EXPECT_NEAR(none.hi, 0.277533, 1e-6);
  Interval all = WilsonInterval(10, 10);
  EXPECT_NEAR(all.lo, 0.722467, 1e-6);
  EXPECT_NEAR(all.hi, 1, 1e-12);
  Interval one_of_three = WilsonInterval(1, 3);
  EXPECT_NEAR(one_of_three.lo, 0.061492, 1e-6);
  EXPECT_NEAR(one_of_three.hi, 0.792340, 1e-6);
  Interval empty = WilsonInterval(0, 0);
  EXPECT_EQ(empty.lo, 0);
  EXPECT_EQ(empty.hi, 1);
}

// The exact bootstrap distribution of the mean of {1,2,3,4,10} (all 5^5 =
// 3125 equally likely resamples, enumerated) has 2.5% and 97.5% quantiles
// 1.8 and 7.2; 20000 seeded resamples land on the same grid points within
// one step (0.2).
TEST(ResamplingTest, BootstrapMeanApproachesExactBootstrapQuantiles) {
  BootstrapOptions options;
  options.resamples = 20000;
  Interval ci = BootstrapMean({1, 2, 3, 4, 10}, options);
  EXPECT_NEAR(ci.lo, 1.8, 0.21);
  EXPECT_NEAR(ci.hi, 7.2, 0.21);
  // Median of resamples: exact quantiles are 1 and 10.
  Interval med = BootstrapMedian({1, 2, 3, 4, 10}, options);
  EXPECT_DOUBLE_EQ(med.lo, 1);
  EXPECT_DOUBLE_EQ(med.hi, 10);
}

TEST(ResamplingTest, BootstrapIsReproducibleAndHandlesDegenerateInputs) {
  std::vector<double> v = {0.5, 1.5, -2, 3, 7, 0};
  Interval a = BootstrapMean(v);
  Interval b = BootstrapMean(v);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  EXPECT_LT(a.lo, Mean(v));
  EXPECT_GT(a.hi, Mean(v));
  BootstrapOptions other;
  other.seed = 7;
  Interval c = BootstrapMean(v, other);
  EXPECT_TRUE(c.lo != a.lo || c.hi != a.hi);
  Interval constant = BootstrapMean({2, 2, 2});
  EXPECT_EQ(constant.lo, 2);
  EXPECT_EQ(constant.hi, 2);
  Interval single = BootstrapMean({4});
  EXPECT_EQ(single.lo, 4);
  EXPECT_EQ(single.hi, 4);
  EXPECT_TRUE(std::isnan(BootstrapMean({}).lo));
}

// Enumerated by hand: the 2^n sign assignments and their |sum|.
TEST(ResamplingTest, SignFlipPValueExactEnumeration) {
  // ±1±2±3: |sum| in {6,4,2,0,0,2,4,6}; |sum| >= 6 twice -> 2/8.
  EXPECT_DOUBLE_EQ(SignFlipPValue({1, 2, 3}), 0.25);
  // Six positive differences: only all-plus and all-minus reach |sum| = 21.
  EXPECT_DOUBLE_EQ(SignFlipPValue({1, 2, 3, 4, 5, 6}), 2.0 / 64);
  // Observed 1-2+3+4 = 6; sums 10 - 2·(flipped subset sum) reach |s| >= 6
  // for subset sums 0,1,2 and 8,9,10: 6 of 16.
  EXPECT_DOUBLE_EQ(SignFlipPValue({1, -2, 3, 4}), 6.0 / 16);
  // All zero: every assignment ties.
  EXPECT_DOUBLE_EQ(SignFlipPValue({0, 0, 0}), 1);
  EXPECT_DOUBLE_EQ(SignFlipPValue({}), 1);
  // Rounding noise counts as a tie: 0.1+0.2 vs 0.3.
  EXPECT_DOUBLE_EQ(SignFlipPValue({0.1, 0.2, -0.3}), 1);
}

TEST(ResamplingTest, SignFlipPValueMonteCarloForLargeN) {
  std::vector<double> all_positive(20, 1.0);
  // Exact p would be 2 / 2^20; Monte Carlo counts only the observed one.
  double p = SignFlipPValue(all_positive);
  EXPECT_LT(p, 0.001);
  EXPECT_GT(p, 0);
  std::vector<double> balanced;
  for (int i = 0; i < 20; ++i) balanced.push_back(i % 2 ? 1.0 : -1.0);
  EXPECT_GT(SignFlipPValue(balanced), 0.9);
  EXPECT_EQ(SignFlipPValue(balanced, 3), SignFlipPValue(balanced, 3));
}

// SignFlipPValue as it was first written: every assignment's sum formed by
// its own loop. The faster walk must give the same bits.
double SignFlipPValueByEveryAssignment(const std::vector<double>& differences, uint64_t seed,
                                       int monte_carlo) {
  const size_t n = differences.size();
  if (n == 0) return 1;
  double observed = 0;
  for (double d : differences) observed += d;
  observed = std::fabs(observed);
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
  uint64_t extreme = 1;
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

TEST(ResamplingTest, SignFlipPValueSameAsEveryAssignmentsOwnSum) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-1, 1);
  // Small integers tie often; tenths round; zeros and -0 test the mirror.
  for (size_t n = 1; n <= 24; ++n) {
    for (int trial = 0; trial < 6; ++trial) {
      std::vector<double> d(n);
      for (size_t i = 0; i < n; ++i) {
        switch (trial % 3) {
          case 0:
            d[i] = static_cast<double>(static_cast<int>(rng() % 7) - 3);
            break;
          case 1:
            d[i] = static_cast<int>(rng() % 21 - 10) / 10.0;
            break;
          default:
            d[i] = i % 5 == 0 ? -0.0 : uniform(rng);
            break;
        }
      }
      const int monte_carlo = n > static_cast<size_t>(kExactSignFlipMax) ? 500 : 20000;
      EXPECT_EQ(SignFlipPValue(d, 20240601 + trial, monte_carlo),
                SignFlipPValueByEveryAssignment(d, 20240601 + trial, monte_carlo))
          << "n=" << n << " trial=" << trial;
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (const std::vector<double>& odd : std::vector<std::vector<double>>{
           {1, std::nan("")}, {inf, 1, 2}, {inf, -inf}, {0.0, -0.0, 0.0}}) {
    EXPECT_EQ(SignFlipPValue(odd), SignFlipPValueByEveryAssignment(odd, 20240601, 20000));
  }
}

TEST(ResamplingTest, MinSignFlipPValue) {
  EXPECT_DOUBLE_EQ(MinSignFlipPValue(5), 0.0625);
  EXPECT_DOUBLE_EQ(MinSignFlipPValue(6), 0.03125);
  EXPECT_DOUBLE_EQ(MinSignFlipPValue(1), 1);
}

}  // namespace
}  // namespace ctxbench
