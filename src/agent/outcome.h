// What an episode achieved and cost: the outcome metrics of DESIGN.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "events/payloads.h"  // EpisodeStatus, StopRule

namespace ctxbench {

struct ExperimentRecord {
  int number = 0;  // 1-based, in order of the episode's experiments
  int iteration = 0;
  Json config;
  bool ok = false;
  std::string error;
  double valid_metric = 0;
  bool repeated = false;  // the same config (or the baseline) was run before in this episode
};

// Made only by FoldOutcome (agent/fold_outcome.h) from the episode's events.
struct Outcome {
  // Complete, error or interrupted (events/payloads.h); in JSON by
  // EpisodeStatusName ("complete", "error", "interrupted").
  EpisodeStatus status = EpisodeStatus::kComplete;
  std::string error;  // when status is "error" or "interrupted"
  // The stop rule that fired (events/payloads.h); none without op.stop. In
  // JSON by StopRuleName (final_answer, target_met, iterations, tokens,
  // wall_seconds, cost, error, interrupted), "" for none.
  std::optional<StopRule> stop_rule;
  std::string metric;
  bool higher_is_better = false;

  double baseline_metric = 0;  // validation
  // Hidden; absent (JSON null) when there is none, with the reason.
  std::optional<double> baseline_test_metric;
  std::string baseline_test_error;
  double target_metric = 0;
  double best_valid_metric = 0;
  Json best_config;
  double improvement_pct = 0;  // of the best validation metric over the baseline
  // The final answer's config scores the target on validation, and the answer is valid.
  bool success = false;

  bool final_answer_valid = false;
  Json final_config;  // the answer's config, else the best measured one
  std::optional<double> claimed_metric;
  std::string final_summary;
  // The final evaluation's validation and hidden test metrics: absent (JSON
  // null) when the episode did not complete or the evaluation failed, with
  // the reason in final_error — never 0 for "no score".
  std::optional<double> final_valid_metric;
  std::optional<double> test_metric;
  std::string final_error;

  int iterations = 0;
  int steps = 0;
  int llm_calls = 0;  // agent steps and summariser calls
  int summaries = 0;  // summariser calls made by the policy
  // Every call's tokens and cost, cache hits included: what the episode used,
  // and what its budgets count, so a rerun from the cache behaves the same.
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  double cost_usd = 0;
  // The part of the above answered from a response cache (not paid again);
  // fresh calls are the rest. Like wall time, these describe how the run was
  // executed, not what the episode did, so ToJson(false) leaves them out.
  int cache_hits = 0;
  long long cache_hit_prompt_tokens = 0;
  long long cache_hit_completion_tokens = 0;
  double cache_hit_cost_usd = 0;
  int llm_retries = 0;  // failed attempts the model retried
  double wall_seconds = 0;
  double mean_context_tokens = 0;
  int max_context_tokens = 0;
  int repeated_configs = 0;
  int invalid_actions = 0;
  int errors_recovered = 0;
  int clarifications = 0;
  std::vector<ExperimentRecord> history;

  // Everything; `with_timing` false leaves out wall time, cache hits and
  // retries (how the run executed) so equal runs give equal JSON.
  Json ToJson(bool with_timing = true) const;
};

// The outcome ToJson wrote (a resumed run reads its finished episodes back
// from the store): ToJson(FromJson(j)) == j. Missing fields keep their
// defaults; a field of the wrong type, or a status or stop rule of no known
// name, throws an input error naming `where`.
Outcome OutcomeFromJson(const Json& json, const std::string& where);

}  // namespace ctxbench
