// The report's answer: per model × mode, the policies ranked over every task
// (success rate, then mean tokens), each with its paired comparison against
// the control, and the non-dominated set judged with the paired tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/policy_comparison.h"
#include "report/run_data.h"

namespace ctxbench {

// The rule the ranking follows, stated in the report.
inline constexpr char kRankingRule[] =
    "ranked by success rate, then by fewer mean tokens per episode";

struct RankedPolicy {
  std::string policy;
  int episodes = 0;  // complete, over every task and seed
  int successes = 0;
  int errors = 0;
  double success_rate = 0;
  Interval success_ci;  // Wilson 95%
  double mean_tokens = 0;
  double mean_cost = 0;
  std::optional<PairedComparison> vs_control;  // none for the control itself
  // Not dominated: no other policy has at least its success and at most its
  // tokens with one of the two advantages significant (paired test, Holm-
  // adjusted across the ranking's dominance tests, 5%).
  bool non_dominated = true;
  std::string dominated_by;  // the policy that dominates it, if any
  // Policies whose means would dominate it but not distinguishably.
  std::vector<std::string> tied_with;
  // An earlier policy of this model and mode whose episodes had identical results.
  std::string same_as;
};

struct PolicyRanking {
  std::string model;
  std::string mode;
  std::vector<RankedPolicy> rows;  // in rank order
  // The dominance family: one test per advantage (success: exact McNemar;
  // tokens: sign-flip of log ratios) of every pair of distinct results where
  // one policy's means weakly dominate the other's. Holm runs across them.
  int dominance_tests = 0;
};

// One ranking per model × mode with complete episodes, in config order.
// `pooled`: the pooled comparisons against `control` (ComparePoliciesAcrossTasks).
std::vector<PolicyRanking> RankPolicies(const RunData& run,
                                        const std::vector<PairedComparison>& pooled,
                                        const std::string& control);
// The same in two parts, so the first can run before `pooled` exists (the
// report computes both at once): RankPolicies(run, {}, control) ranks and
// judges dominance (which does not read `pooled`) with every vs_control
// unset; AttachControlComparisons then sets each row's vs_control from
// `pooled` as RankPolicies(run, pooled, control) would have. Same result.
void AttachControlComparisons(std::vector<PolicyRanking>& rankings,
                              const std::vector<PairedComparison>& pooled,
                              const std::string& control);

// Sentences naming results that are the same data: policies of one model and
// mode with identical episodes, and a policy whose episodes are identical
// across modes. Empty when there are none.
std::vector<std::string> IdenticalResults(const RunData& run);

}  // namespace ctxbench
