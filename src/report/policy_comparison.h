// Paired comparisons of each policy against a control policy on the same
// task and seed (same model and mode): success (exact McNemar, Newcombe
// interval), improvement in points and in share of headroom, tokens (ratio
// and difference), each with a t interval and a sign-flip p-value over the
// pairs, and, pooled over tasks, the same test with the task as the unit.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/aggregate.h"
#include "report/intervals.h"
#include "report/run_data.h"
#include "report/stats.h"

namespace ctxbench {

// A paired difference (policy minus control, one value per pair).
struct PairedDiff {
  double mean = 0;
  LabelledInterval ci;    // Student t over the pairs
  double p = 1;           // two-sided exact sign-flip test over the pairs
  int nonzero = 0;        // pairs whose difference is not 0
  double smallest_p = 1;  // the smallest p the test could give (2 / 2^nonzero)
  // The task as the unit (pooled comparisons only): the sign-flip test of the
  // per-task mean differences; NaN with fewer than 2 tasks.
  double task_p = 0;
  double smallest_task_p = 1;  // 2 / 2^(tasks with a nonzero mean difference)
  int pairs_for_power = 0;     // pairs for 80% power at the observed mean and sd; 0: none
  // Can the pair test reach p < 0.05 at all?
  bool testable() const { return smallest_p < 0.05; }
};
PairedDiff TestPairedDiff(const std::vector<double>& differences,
                          const std::vector<std::string>& task_of_pair = {});

// Success on paired episodes: the 2x2 counts, the difference of rates with
// Newcombe's interval, the exact McNemar p, and the per-task test.
struct SuccessDiff {
  PairedCounts counts;
  double diff = 0;  // (only_policy - only_control) / pairs
  Interval ci;
  double p = 1;  // exact McNemar
  double task_p = 0;
  double smallest_task_p = 1;
  int pairs_for_power = 0;  // at α = 0.05
  double sd = 0;            // of the paired differences in {-1, 0, 1}
  bool testable() const { return counts.only_policy + counts.only_control >= 6; }
};

// Tokens of the policy over the control's: the geometric mean of the
// per-pair ratios, its t interval on the log scale, and the sign-flip p of
// the log ratios.
struct TokensRatio {
  double ratio = 0;
  Interval ci;
  double p = 1;
  double task_p = 0;
};

struct PairedComparison {
  GroupKey key;         // the policy compared (key.policy)
  std::string control;  // the control policy
  int pairs = 0;        // task x seed both policies completed: what the numbers are over
  int tasks = 0;        // distinct tasks among the pairs
  // Seeds both policies finished where either side errored: left out (an
  // errored episode is not a result), counted here.
  int dropped_pairs = 0;
  SuccessDiff success;
  PairedDiff improvement;  // in improvement percentage points
  // In percentage points of the task's headroom: (best - baseline) /
  // (reference best - baseline), the reference best being the best
  // validation metric any episode of the run reached on the task. Comparable
  // across metrics of different kinds; the pooled headline uses it.
  PairedDiff headroom;
  PairedDiff tokens;  // tokens per episode
  TokensRatio tokens_ratio;
  double success_rate = 0;          // of the policy over the pairs
  double control_success_rate = 0;  // of the control over the pairs
  // An earlier comparison ("policy (mode)") with identical paired data, set
  // by BuildReport; "" if none. Counted once in the Holm family.
  std::string same_as;
  // The paired data, for finding identical comparisons.
  std::string fingerprint;
  // Holm-adjusted p-values of success (McNemar), headroom and tokens ratio
  // across every test of the report's family; NaN when not in it.
  double holm_success = 0, holm_headroom = 0, holm_tokens = 0;
};

// One comparison per group whose policy is not `control` and whose task,
// model and mode also ran `control`; in Aggregate's order. A comparison whose
// every pair was dropped is kept with pairs 0 (its numbers NaN) so the
// dropped pairs show.
std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control);

// The task of a comparison pooled over every task of the run.
inline constexpr char kAllTasks[] = "all tasks";

// The same comparisons pooled over tasks: one per model × mode × policy, each
// pair a (task, seed) both policies finished; key.task is kAllTasks. For a
// run with a single task they are that task's comparisons relabelled.
std::vector<PairedComparison> ComparePoliciesAcrossTasks(const RunData& run,
                                                         const std::string& control);

// `policy` against `other` pooled over tasks within one model and mode (for
// the dominance test between any two policies); pairs 0 if none.
PairedComparison ComparePooled(const RunData& run, const std::string& model,
                               const std::string& mode, const std::string& policy,
                               const std::string& other);

// An episode's outcome in one string (success, improvement, tokens, best
// metric): two episodes with the same print gave the same result.
std::string EpisodePrint(const EpisodeData& e);

// Share of headroom reached by `e` in %: 100 (best - baseline) / (reference -
// baseline); NaN when the reference equals the baseline.
double HeadroomShare(const EpisodeData& e, double reference_best);
// The best validation metric any complete episode of the run reached per task.
std::map<std::string, double> ReferenceBest(const RunData& run);

}  // namespace ctxbench
