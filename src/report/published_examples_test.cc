// The report's statistical methods against worked examples printed in the
// literature (not only against scipy): each expected value is quoted with its
// source, to the digits the source prints.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "report/hypothesis_tests.h"
#include "report/intervals.h"
#include "report/resampling.h"
#include "report/stats.h"

namespace ctxbench {
namespace {

// Newcombe RG. Two-sided confidence intervals for the single proportion:
// comparison of seven methods. Stat Med 1998;17:857-872, Table I, method 3
// (Wilson score interval without continuity correction), 95%, four decimals.
// The rows 15/148, 0/20 and 1/29 are also what the R package ratesci's tests
// check (tests/testthat/test3.R, "Single proportion, Newcombe examples").
TEST(PublishedExamplesTest, WilsonIntervalMatchesNewcombe1998TableI) {
  struct Case {
    int k, n;
    double lo, hi;
  };
  for (const Case& c : std::vector<Case>{{81, 263, 0.2553, 0.3662},
                                         {15, 148, 0.0624, 0.1605},
                                         {0, 20, 0.0000, 0.1611},
                                         {1, 29, 0.0061, 0.1718},
                                         {29, 29, 0.8830, 1.0000}}) {
    Interval i = WilsonInterval(c.k, c.n);
    EXPECT_NEAR(i.lo, c.lo, 5e-5) << c.k << "/" << c.n;
    EXPECT_NEAR(i.hi, c.hi, 5e-5) << c.k << "/" << c.n;
  }
}

// Newcombe RG. Two-sided confidence intervals for the single proportion
// (as above), Table I, method 4 (Wilson score interval with continuity
// correction), 95%, four decimals. The same values are checked by the R
// package ratesci (github.com/petelaud/ratesci, tests/testthat/test3.R,
// "Single proportion, Newcombe examples", wilsonci(cc = 0.5)).
TEST(PublishedExamplesTest, ContinuityCorrectedWilsonMatchesNewcombe1998TableI) {
  struct Case {
    int k, n;
    double lo, hi;
  };
  for (const Case& c : std::vector<Case>{
           {15, 148, 0.0598, 0.1644}, {0, 20, 0.0000, 0.2005}, {1, 29, 0.0018, 0.1963}}) {
    Interval i = ContinuityCorrectedWilsonInterval(c.k, c.n);
    EXPECT_NEAR(i.lo, c.lo, 5e-5) << c.k << "/" << c.n;
    EXPECT_NEAR(i.hi, c.hi, 5e-5) << c.k << "/" << c.n;
  }
}

// Newcombe RG. Improved confidence intervals for the difference between
// binomial proportions based on paired data. Stat Med 1998;17:2635-2650: his
// first example is Armitage and Berry's culture media (below): of 50
// specimens e = 20 grew on both, f = 12 on A only, g = 2 on B only, h = 16 on
// neither (θ̂ = +0.2). Method 10 (plain Wilson limits, corrected φ) gives
// 0.0562 to 0.3292, method 8 (uncorrected φ) 0.0618 to 0.3242; these published
// figures are the ones ratesci's tests check (tests/testthat/test3.R,
// "example from Newcombe", moverpairci with corc = TRUE / FALSE). Method 11
// is method 10 with the continuity-corrected limits checked above, so no
// figure of its own is asserted here beyond its being the wider of the two.
// (An earlier version of this test used a table e = 36, f = 12, g = 2, h = 0
// recalled from memory, with the values our own code gave: not a source.)
TEST(PublishedExamplesTest, PairedDifferenceMatchesNewcombe1998Method10) {
  const PairedCounts media = {20, 12, 2, 16};
  Interval ten = PairedRateDifferenceInterval(media, kLevel, PairedMethod::kNewcombe10);
  EXPECT_NEAR(ten.lo, 0.0562, 5e-5);
  EXPECT_NEAR(ten.hi, 0.3292, 5e-5);
  // The order of the discordant cells only flips the sign.
  Interval flipped =
      PairedRateDifferenceInterval({20, 2, 12, 16}, kLevel, PairedMethod::kNewcombe10);
  EXPECT_NEAR(flipped.lo, -0.3292, 5e-5);
  EXPECT_NEAR(flipped.hi, -0.0562, 5e-5);
  // Method 8 is the same square-and-add with the plain φ (ad - bc = 296, no
  // correction of n/2): the correction is what separates the two.
  Interval w1 = WilsonInterval(32, 50), w2 = WilsonInterval(22, 50);
  double phi = 296 / std::sqrt(32.0 * 18 * 22 * 28);
  auto add = [phi](double a, double b) { return std::sqrt(a * a - 2 * phi * a * b + b * b); };
  EXPECT_NEAR(0.2 - add(0.64 - w1.lo, w2.hi - 0.44), 0.0618, 5e-5);
  EXPECT_NEAR(0.2 + add(w1.hi - 0.64, 0.44 - w2.lo), 0.3242, 5e-5);
  // Method 11 (the report's): the continuity correction only widens.
  Interval eleven = PairedRateDifferenceInterval(media);
  EXPECT_LT(eleven.lo, ten.lo);
  EXPECT_GT(eleven.hi, ten.hi);
}

// Armitage P, Berry G. Statistical Methods in Medical Research, 3rd ed.,
// 1994, p. 127: two media for culturing M. tuberculosis on 50 sputum
// specimens; 20 grew on both, 12 on medium A only, 2 on medium B only, 16 on
// neither. The exact (sign-test) McNemar two-sided P is 0.0129 (StatsDirect's
// worked example of this table, statsdirect.com/help/chi_square_tests/mat.htm,
// prints "P (two sided) = 0.0129"); 2·(1 + 14 + 91)/2^14.
TEST(PublishedExamplesTest, ExactMcNemarMatchesArmitageBerry) {
  EXPECT_NEAR(ExactMcNemarP(12, 2), 0.0129, 5e-5);
  EXPECT_NEAR(ExactMcNemarP(12, 2), 212.0 / 16384, 1e-15);
  EXPECT_DOUBLE_EQ(ExactMcNemarP(2, 12), ExactMcNemarP(12, 2));
}

// Fisher RA. The Design of Experiments, 1935, §21: Darwin's 15 pairs of
// cross- and self-fertilised Zea mays, differences in eighths of an inch.
// Of the 2^15 = 32,768 sign assignments, 863 give a sum at least the observed
// 314 and as many at most -314: two-sided p = 1726/32768 = 0.05267.
TEST(PublishedExamplesTest, SignFlipMatchesFishersDarwinExample) {
  std::vector<double> d = {49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48};
  EXPECT_DOUBLE_EQ(SignFlipPValue(d), 1726.0 / 32768);
  EXPECT_NEAR(SignFlipPValue(d), 0.05267, 5e-6);
  EXPECT_DOUBLE_EQ(MinSignFlipPValue(15), 2.0 / 32768);
}

// Holm S. A simple sequentially rejective multiple test procedure. Scand J
// Statist 1979;6:65-70: with m tests the smallest p is compared with α/m,
// the next with α/(m-1), and so on, stopping at the first that fails. The
// adjusted p-values are the smallest α at which each is rejected.
TEST(PublishedExamplesTest, HolmRejectsAsTheSequentialProcedure) {
  // 0.01 <= 0.05/4 is rejected; 0.02 > 0.05/3 stops the procedure there.
  std::vector<double> p = {0.01, 0.02, 0.03, 0.04};
  std::vector<double> adj = HolmAdjust(p);
  EXPECT_DOUBLE_EQ(adj[0], 0.04);
  EXPECT_DOUBLE_EQ(adj[1], 0.06);
  EXPECT_DOUBLE_EQ(adj[2], 0.06);
  EXPECT_DOUBLE_EQ(adj[3], 0.06);
  EXPECT_LT(adj[0], 0.05);
  EXPECT_GT(adj[1], 0.05);  // 0.02·3 = 0.06: Holm's step 2 compares 0.02 with 0.05/3
}

// The bootstrap on cases whose resampling distribution is known exactly:
// one value, and {0, 1} whose resampled mean is 0, ½ or 1 with probability
// ¼, ½, ¼, so the 2.5% and 97.5% percentiles are 0 and 1.
TEST(PublishedExamplesTest, BootstrapOnSmallKnownCases) {
  Interval one = BootstrapMean({4.5});
  EXPECT_DOUBLE_EQ(one.lo, 4.5);
  EXPECT_DOUBLE_EQ(one.hi, 4.5);
  Interval two = BootstrapMean({0, 1});
  EXPECT_DOUBLE_EQ(two.lo, 0);
  EXPECT_DOUBLE_EQ(two.hi, 1);
  // The sign-flip test of two equal positive differences: 2 of 4 assignments
  // reach |mean| = d, so p = 0.5; three: 2 of 8, p = 0.25.
  EXPECT_DOUBLE_EQ(SignFlipPValue({3, 3}), 0.5);
  EXPECT_DOUBLE_EQ(SignFlipPValue({3, 3, 3}), 0.25);
}

}  // namespace
}  // namespace ctxbench
