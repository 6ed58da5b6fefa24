// "What is and is not established": plain sentences generated from the tests
// the report ran, and only from them. Every claim names its test and its
// Holm-adjusted p-value; a difference that is not significant is said to be
// not established, with the interval and how many pairs 80% power would need.
#pragma once

#include <string>
#include <vector>

#include "report/policy_comparison.h"
#include "report/ranking.h"
#include "report/run_data.h"

namespace ctxbench {

// The tests of the family, the number of comparisons and tests, and the
// comparisons left out because they repeat identical data.
struct TestFamily {
  int comparisons = 0;  // distinct pooled comparisons
  int tests = 0;        // 3 per comparison: success, share of headroom, tokens
  int repeated = 0;     // comparisons with the same data as an earlier one
};

// Marks repeated comparisons (same_as) and sets every holm_* of `pooled`:
// Holm across success (exact McNemar), share of headroom and tokens ratio
// (sign-flip) of each distinct comparison.
TestFamily AdjustForMultipleTests(std::vector<PairedComparison>& pooled);

// The paragraph, as sentences: errors first when any episode errored, then
// which tests and unit the headline uses, what is established, what is not
// (with the power hint), the non-dominated sets, identical results and the
// pooling caveat. Plain text (Markdown-safe: no markup).
std::vector<std::string> Established(const RunData& run,
                                     const std::vector<PairedComparison>& pooled,
                                     const TestFamily& family,
                                     const std::vector<PolicyRanking>& rankings,
                                     const std::string& control);

}  // namespace ctxbench
