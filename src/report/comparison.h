// Paired comparisons of each policy against a control policy on the same
// seeds (same task, model and mode): differences in improvement and tokens
// with paired bootstrap intervals and sign-flip permutation p-values.
#pragma once

#include <string>
#include <vector>

#include "report/aggregate.h"
#include "report/run_data.h"
#include "report/stats.h"

namespace ctxbench {

// Below this many pairs the exact sign-flip test cannot reach p < 0.05
// (MinSignFlipPValue(5) = 0.0625): the comparison is marked too few seeds.
inline constexpr int kMinPairsForTest = 6;

// A paired difference (policy minus control, one value per pair): its mean,
// paired bootstrap 95% interval and two-sided sign-flip p-value.
struct PairedDiff {
  double mean = 0;
  Interval ci;
  double p = 1;
};
PairedDiff TestPairedDiff(const std::vector<double>& differences);

struct PairedComparison {
  GroupKey key;         // the policy compared (key.policy)
  std::string control;  // the control policy
  int pairs = 0;        // seeds both policies completed: what the numbers are over
  // Seeds both policies finished where either side errored: left out (an
  // errored episode is not a result), counted here.
  int dropped_pairs = 0;
  bool too_few_seeds = true;  // pairs < kMinPairsForTest
  PairedDiff improvement;     // in improvement percentage points
  PairedDiff tokens;          // tokens per episode
  // Policy's tokens over control's, ratio of the means over the pairs.
  double tokens_ratio = 0;
  double success_rate = 0;          // of the policy over the pairs
  double control_success_rate = 0;  // of the control over the pairs
};

// One comparison per group whose policy is not `control` and whose task,
// model and mode also ran `control`; in Aggregate's order. A comparison whose
// every pair was dropped is kept with pairs 0 (its numbers NaN) so the
// dropped pairs show.
std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control);

// The task of a comparison pooled over every task of the run.
inline constexpr char kAllTasks[] = "all tasks";

// The same comparisons pooled over tasks: one per model × mode × policy, each
// pair a (task, seed) both policies finished; key.task is kAllTasks.
// Differences in improvement points are comparable across tasks, so pooling
// gives a test the per-task comparisons (a few seeds each) cannot. Empty when
// the run has a single task.
std::vector<PairedComparison> ComparePoliciesAcrossTasks(const RunData& run,
                                                         const std::string& control);

}  // namespace ctxbench
