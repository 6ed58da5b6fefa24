#include "agent/fold_outcome.h"

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "core/metric_direction.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

void CountCall(const LlmCallData& c, Outcome& out) {
  out.llm_retries += static_cast<int>(c.retried.size());
  if (c.failed()) return;  // no reply: only its retried attempts count
  ++out.llm_calls;
  if (c.purpose == "summarize") ++out.summaries;
  out.prompt_tokens += c.prompt_tokens;
  out.completion_tokens += c.completion_tokens;
  out.cost_usd += c.cost_usd;
  if (c.cache_hit) {
    ++out.cache_hits;
    out.cache_hit_prompt_tokens += c.prompt_tokens;
    out.cache_hit_completion_tokens += c.completion_tokens;
    out.cache_hit_cost_usd += c.cost_usd;
  }
}

}  // namespace

Outcome FoldOutcome(const std::vector<Event>& events) {
  Outcome out;
  MetricDirection direction;
  double context_tokens_sum = 0;
  bool pending_error = false;  // the last response to an action failed
  std::optional<FinalEvaluationData> final_eval;
  Json answer_config;
  for (const Event& e : events) {
    out.iterations = std::max(out.iterations, e.iteration);
    out.steps = std::max(out.steps, e.step);
    switch (e.type) {
      case EventType::kEpisodeStart: {
        EpisodeStartData d = EpisodeStartData::FromJson(e.data);
        out.metric = d.metric;
        out.higher_is_better = d.higher_is_better;
        direction.higher_is_better = d.higher_is_better;
        out.baseline_metric = d.baseline_metric.value_or(0);
        out.baseline_test_metric = d.baseline_test_metric;
        out.baseline_test_error = d.baseline_test_error;
        out.target_metric = d.target_metric.value_or(0);
        out.best_valid_metric = out.baseline_metric;
        out.best_config = d.baseline_config;
        break;
      }
      case EventType::kLlmCall:
        CountCall(LlmCallData::FromJson(e.data), out);
        break;
      case EventType::kContext: {
        int tokens = ContextData::FromJson(e.data).tokens;
        context_tokens_sum += tokens;
        out.max_context_tokens = std::max(out.max_context_tokens, tokens);
        break;
      }
      case EventType::kExperiment: {
        ExperimentData x = ExperimentData::FromJson(e.data);
        if (x.experiment >= 1) {  // 0: a workspace's starter run, the baseline
          out.history.push_back({x.experiment, e.iteration, x.config, x.ok, x.error,
                                 x.valid_metric.value_or(0), x.repeated});
          if (x.repeated) ++out.repeated_configs;
        }
        if (x.ok && x.valid_metric && direction.Better(*x.valid_metric, out.best_valid_metric)) {
          out.best_valid_metric = *x.valid_metric;
          out.best_config = x.config;
        }
        break;
      }
      case EventType::kToolResult:
      case EventType::kObservation:
        if (std::optional<ResponseData> r = ResponseData::FromJson(e.data)) {
          if (!r->ok) {
            pending_error = true;
          } else if (pending_error) {
            ++out.errors_recovered;
            pending_error = false;
          }
        }
        break;
      case EventType::kInvalidAction:
        ++out.invalid_actions;
        break;
      case EventType::kClarification:
        ++out.clarifications;
        break;
      case EventType::kFinalAnswer: {
        FinalAnswerData a = FinalAnswerData::FromJson(e.data);
        out.final_answer_valid = a.valid;
        answer_config = a.config;
        out.final_config = a.config;
        out.claimed_metric = a.claimed_metric;
        out.final_summary = a.summary;
        break;
      }
      case EventType::kFinalEvaluation:
        final_eval = FinalEvaluationData::FromJson(e.data);
        break;
      case EventType::kStop: {
        StopData s = StopData::FromJson(e.data);
        out.status = s.status;
        out.stop_rule = s.rule;
        out.error = s.error;
        break;
      }
      case EventType::kEpisodeEnd:
        if (std::optional<double> w = EpisodeEndData::FromJson(e.data).wall_seconds()) {
          out.wall_seconds = *w;
        }
        break;
      default:
        break;
    }
  }
  out.mean_context_tokens = out.steps > 0 ? context_tokens_sum / out.steps : 0;
  if (final_eval) {
    // The answer's config when the answer named one, else the config evaluated.
    if (!out.final_answer_valid || !answer_config.is_object())
      out.final_config = final_eval->config;
    out.final_valid_metric = final_eval->valid_metric;
    out.test_metric = final_eval->test_metric;
    out.final_error = final_eval->error;
    out.improvement_pct = direction.ImprovementPct(out.baseline_metric, out.best_valid_metric);
    out.success = out.final_answer_valid && final_eval->ok && final_eval->valid_metric &&
                  direction.Meets(*final_eval->valid_metric, out.target_metric);
  }
  return out;
}

Outcome StoredOutcome(const std::vector<Event>& events, const std::string& outcome_json,
                      const std::string& where, ErrorCode code) {
  bool folded = outcome_json.empty() ||
                std::any_of(events.begin(), events.end(),
                            [](const Event& ev) { return ev.type == EventType::kStop; });
  try {
    return folded ? FoldOutcome(events) : OutcomeFromJson(ParseJson(outcome_json, where), where);
  } catch (const Error& error) {
    throw Error(code, where, error.what());
  }
}

}  // namespace ctxbench
