// Per-group statistics over seeds: one row per task × model × mode × policy.
#pragma once

#include <string>
#include <vector>

#include "report/intervals.h"
#include "report/run_data.h"
#include "report/stats.h"

namespace ctxbench {

// The grid coordinates shared by the episodes of a group (seed left out).
struct GroupKey {
  std::string task;
  std::string model;
  std::string mode;
  std::string policy;
  auto operator<=>(const GroupKey&) const = default;
};

struct GroupStats {
  GroupKey key;
  std::string metric;
  bool higher_is_better = true;
  int episodes = 0;  // complete episodes: the ones every statistic below is over
  int errors = 0;    // errored episodes of the group, left out of every statistic
  int successes = 0;
  double success_rate = 0;
  Interval success_ci;  // Wilson 95%
  double mean_improvement_pct = 0;
  LabelledInterval mean_improvement_ci;  // Student t 95%
  double median_improvement_pct = 0;
  // Order-statistic 95%, or the range (with its coverage) below 6 episodes.
  LabelledInterval median_improvement_ci;
  double mean_best_valid_metric = 0;
  // Hidden test metric of the final config, over the episodes whose hidden
  // test ran (`tested`); NaN if none did.
  double mean_test_metric = 0;
  int tested = 0;
  double mean_baseline_test_metric = 0;
  double mean_tokens = 0;  // prompt + completion, all LLM calls
  double mean_cost_usd = 0;
  double mean_wall_seconds = 0;
  double mean_llm_calls = 0;
  double mean_iterations = 0;
  int reached_target = 0;                  // episodes whose best-so-far met the target
  double median_iterations_to_target = 0;  // over those; NaN if none
  double invalid_action_rate = 0;          // invalid actions per step
  double repeated_config_rate = 0;         // repeated configs per experiment
  double mean_errors_recovered = 0;
  double final_answer_valid_rate = 0;
  int claims = 0;                  // episodes whose answer claimed a metric
  double mean_claim_gap = 0;       // mean |claimed - measured|; NaN if no claims
  double mean_context_tokens = 0;  // mean over episodes of their per-step mean
};

// Groups in the order of the run's config (task, model, mode, policy), so
// tables read like the grid; a group whose episodes all errored is there
// with episodes 0 (its statistics NaN).
std::vector<GroupStats> Aggregate(const RunData& run);
// The keys of those groups (complete or errored episodes), in the same
// order, without computing statistics.
std::vector<GroupKey> GroupKeys(const RunData& run);

// Complete episodes of one group, in episode-id order.
std::vector<const EpisodeData*> GroupEpisodes(const RunData& run, const GroupKey& key);
// Errored episodes of one group, in episode-id order.
std::vector<const EpisodeData*> GroupErrored(const RunData& run, const GroupKey& key);

// Sorts `values` by their position in `order`, unknown ones last by name.
void SortByOrder(std::vector<std::string>& values, const std::vector<std::string>& order);

}  // namespace ctxbench
