#include "agent/outcome.h"

#include "core/error.h"
#include "core/json_field.h"

namespace ctxbench {

namespace {

Json OrNull(const std::optional<double>& value) { return value ? Json(*value) : Json(); }

}  // namespace

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
      {"status", EpisodeStatusName(status)},
      {"stop_rule", stop_rule ? StopRuleName(*stop_rule) : ""},
      {"metric", metric},
      {"higher_is_better", higher_is_better},
      {"baseline_metric", baseline_metric},
      {"baseline_test_metric", OrNull(baseline_test_metric)},
      {"target_metric", target_metric},
      {"best_valid_metric", best_valid_metric},
      {"best_config", best_config},
      {"improvement_pct", improvement_pct},
      {"success", success},
      {"final_answer_valid", final_answer_valid},
      {"final_config", final_config},
      {"claimed_metric", claimed_metric ? Json(*claimed_metric) : Json()},
      {"final_summary", final_summary},
      {"final_valid_metric", OrNull(final_valid_metric)},
      {"test_metric", OrNull(test_metric)},
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
  if (!baseline_test_error.empty()) j["baseline_test_error"] = baseline_test_error;
  if (!final_error.empty()) j["final_error"] = final_error;
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

namespace {

template <typename T>
void Read(const Json& json, const char* key, T& out, const std::string& where) {
  ReadJsonField(json, key, out, where, "outcome field ");
}

}  // namespace

Outcome OutcomeFromJson(const Json& j, const std::string& where) {
  if (!j.is_object()) ThrowInput(where, "outcome is not a JSON object");
  Outcome o;
  std::string status = EpisodeStatusName(o.status);
  Read(j, "status", status, where);
  std::optional<EpisodeStatus> parsed_status = ParseEpisodeStatus(status);
  if (!parsed_status) ThrowInput(where, "unknown episode status '" + status + "'");
  o.status = *parsed_status;
  Read(j, "error", o.error, where);
  std::string stop_rule;
  Read(j, "stop_rule", stop_rule, where);
  if (!stop_rule.empty()) {
    o.stop_rule = ParseStopRule(stop_rule);
    if (!o.stop_rule) ThrowInput(where, "unknown stop rule '" + stop_rule + "'");
  }
  Read(j, "metric", o.metric, where);
  Read(j, "higher_is_better", o.higher_is_better, where);
  Read(j, "baseline_metric", o.baseline_metric, where);
  Read(j, "baseline_test_metric", o.baseline_test_metric, where);
  Read(j, "baseline_test_error", o.baseline_test_error, where);
  Read(j, "target_metric", o.target_metric, where);
  Read(j, "best_valid_metric", o.best_valid_metric, where);
  o.best_config = j.value("best_config", Json());
  Read(j, "improvement_pct", o.improvement_pct, where);
  Read(j, "success", o.success, where);
  Read(j, "final_answer_valid", o.final_answer_valid, where);
  o.final_config = j.value("final_config", Json());
  double claimed = 0;
  if (j.contains("claimed_metric") && !j["claimed_metric"].is_null()) {
    Read(j, "claimed_metric", claimed, where);
    o.claimed_metric = claimed;
  }
  Read(j, "final_summary", o.final_summary, where);
  Read(j, "final_valid_metric", o.final_valid_metric, where);
  Read(j, "test_metric", o.test_metric, where);
  Read(j, "final_error", o.final_error, where);
  Read(j, "iterations", o.iterations, where);
  Read(j, "steps", o.steps, where);
  Read(j, "llm_calls", o.llm_calls, where);
  Read(j, "summaries", o.summaries, where);
  Read(j, "prompt_tokens", o.prompt_tokens, where);
  Read(j, "completion_tokens", o.completion_tokens, where);
  Read(j, "cost_usd", o.cost_usd, where);
  Read(j, "cache_hits", o.cache_hits, where);
  Read(j, "cache_hit_prompt_tokens", o.cache_hit_prompt_tokens, where);
  Read(j, "cache_hit_completion_tokens", o.cache_hit_completion_tokens, where);
  Read(j, "cache_hit_cost_usd", o.cache_hit_cost_usd, where);
  Read(j, "llm_retries", o.llm_retries, where);
  Read(j, "wall_seconds", o.wall_seconds, where);
  Read(j, "mean_context_tokens", o.mean_context_tokens, where);
  Read(j, "max_context_tokens", o.max_context_tokens, where);
  Read(j, "repeated_configs", o.repeated_configs, where);
  Read(j, "invalid_actions", o.invalid_actions, where);
  Read(j, "errors_recovered", o.errors_recovered, where);
  Read(j, "clarifications", o.clarifications, where);
  if (auto it = j.find("history"); it != j.end() && it->is_array()) {
    for (const Json& h : *it) {
      if (!h.is_object()) ThrowInput(where, "outcome history entry is not an object");
      ExperimentRecord r;
      Read(h, "number", r.number, where);
      Read(h, "iteration", r.iteration, where);
      r.config = h.value("config", Json());
      Read(h, "ok", r.ok, where);
      Read(h, "error", r.error, where);
      Read(h, "valid_metric", r.valid_metric, where);
      Read(h, "repeated", r.repeated, where);
      o.history.push_back(std::move(r));
    }
  }
  return o;
}

}  // namespace ctxbench
