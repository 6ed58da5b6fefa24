#include "agent/outcome.h"

namespace ctxbench {

Json Outcome::ToJson(bool with_timing) const {
  Json history_json = Json::array();
  for (const ExperimentRecord& r : history) {
    Json h = {{"number", r.number}, {"iteration", r.iteration}, {"config", r.config}, {"ok", r.ok}};
    if (r.ok) h["valid_metric"] = r.valid_metric;
    if (!r.ok) h["error"] = r.error;
    if (r.repeated) h["repeated"] = true;
    history_json.push_back(h);
  }
  Json j = {
      {"status", status},
      {"stop_rule", stop_rule},
      {"metric", metric},
      {"higher_is_better", higher_is_better},
      {"baseline_metric", baseline_metric},
      {"baseline_test_metric", baseline_test_metric},
      {"target_metric", target_metric},
      {"best_valid_metric", best_valid_metric},
      {"best_config", best_config},
      {"improvement_pct", improvement_pct},
      {"success", success},
      {"final_answer_valid", final_answer_valid},
      {"final_config", final_config},
      {"claimed_metric", claimed_metric ? Json(*claimed_metric) : Json()},
      {"final_summary", final_summary},
      {"final_valid_metric", final_valid_metric},
      {"test_metric", test_metric},
      {"iterations", iterations},
      {"steps", steps},
      {"llm_calls", llm_calls},
      {"summaries", summaries},
      {"prompt_tokens", prompt_tokens},
      {"completion_tokens", completion_tokens},
      {"cost_usd", cost_usd},
      {"mean_context_tokens", mean_context_tokens},
      {"max_context_tokens", max_context_tokens},
      {"repeated_configs", repeated_configs},
      {"invalid_actions", invalid_actions},
      {"errors_recovered", errors_recovered},
      {"clarifications", clarifications},
      {"history", history_json},
  };
  if (!error.empty()) j["error"] = error;
  if (with_timing) {
    j["wall_seconds"] = wall_seconds;
    j["cache_hits"] = cache_hits;
    j["cache_hit_prompt_tokens"] = cache_hit_prompt_tokens;
    j["cache_hit_completion_tokens"] = cache_hit_completion_tokens;
    j["cache_hit_cost_usd"] = cache_hit_cost_usd;
    j["fresh_cost_usd"] = cost_usd - cache_hit_cost_usd;
    j["llm_retries"] = llm_retries;
  }
  return j;
}

}  // namespace ctxbench
