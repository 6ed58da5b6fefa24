#include "events/payloads.h"

#include <array>
#include <utility>

#include "core/error.h"
#include "core/json_field.h"

namespace ctxbench {

namespace {

// Reads `key` into `out` (a value or an optional) when present and not
// null; throws an input error naming the key when it has the wrong type.
template <typename T>
void Read(const Json& json, const char* key, T& out) {
  ReadJsonField(json, key, out, "event data");
}

// Any JSON value (null when absent).
Json Raw(const Json& json, const char* key) {
  if (!json.is_object()) return Json();
  auto it = json.find(key);
  return it == json.end() ? Json() : *it;
}

// The workspace run's metrics.json figure: `reported_metric`, or in traces
// written before the rename, `claimed_metric`.
void ReadReportedMetric(const Json& json, std::optional<double>& out) {
  Read(json, "reported_metric", out);
  if (!out) Read(json, "claimed_metric", out);
}

template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json();
}

}  // namespace

Json EpisodeStartData::ToJson() const {
  Json j = {{"key", key},
            {"episode_id", episode_id},
            {"policy_type", policy_type},
            {"model_name", model_name},
            {"metric", metric},
            {"higher_is_better", higher_is_better},
            {"baseline_config", baseline_config},
            {"iterations", iterations},
            {"context_tokens", context_tokens},
            {"token_counter", token_counter},
            {"final_answer_schema", final_answer_schema}};
  if (baseline_metric) j["baseline_metric"] = *baseline_metric;
  if (target_metric) j["target_metric"] = *target_metric;
  if (baseline_test_metric) j["baseline_test_metric"] = *baseline_test_metric;
  if (!baseline_test_error.empty()) j["baseline_test_error"] = baseline_test_error;
  if (!tools.is_null()) j["tools"] = tools;
  return j;
}

EpisodeStartData EpisodeStartData::FromJson(const Json& j) {
  EpisodeStartData d;
  d.key = Raw(j, "key");
  Read(j, "episode_id", d.episode_id);
  Read(j, "policy_type", d.policy_type);
  Read(j, "model_name", d.model_name);
  Read(j, "metric", d.metric);
  Read(j, "higher_is_better", d.higher_is_better);
  d.baseline_config = Raw(j, "baseline_config");
  Read(j, "baseline_metric", d.baseline_metric);
  Read(j, "baseline_test_metric", d.baseline_test_metric);
  Read(j, "baseline_test_error", d.baseline_test_error);
  Read(j, "target_metric", d.target_metric);
  Read(j, "iterations", d.iterations);
  Read(j, "context_tokens", d.context_tokens);
  Read(j, "token_counter", d.token_counter);
  d.final_answer_schema = Raw(j, "final_answer_schema");
  d.tools = Raw(j, "tools");
  return d;
}

Json LlmCallData::ToJson() const {
  Json j = {{"model", model}, {"purpose", purpose}, {"attempts", attempts}};
  if (error) {
    j["error"] = *error;
  } else {
    j["prompt_tokens"] = prompt_tokens;
    j["completion_tokens"] = completion_tokens;
    j["cached_prompt_tokens"] = cached_prompt_tokens;
    j["cost_usd"] = cost_usd;
    j["cache_hit"] = cache_hit;
    j["finish_reason"] = finish_reason;
    j["estimated_tokens"] = estimated_tokens;
  }
  if (!retried.empty()) j["retried"] = retried;
  if (latency_s) j["latency_s"] = *latency_s;
  if (context_tokens) j["context_tokens"] = *context_tokens;
  if (!messages.is_null()) j["messages"] = messages;
  return j;
}

LlmCallData LlmCallData::FromJson(const Json& j) {
  LlmCallData d;
  Read(j, "model", d.model);
  Read(j, "purpose", d.purpose);
  Read(j, "prompt_tokens", d.prompt_tokens);
  Read(j, "completion_tokens", d.completion_tokens);
  Read(j, "cached_prompt_tokens", d.cached_prompt_tokens);
  Read(j, "cost_usd", d.cost_usd);
  Read(j, "cache_hit", d.cache_hit);
  Read(j, "finish_reason", d.finish_reason);
  Read(j, "estimated_tokens", d.estimated_tokens);
  Read(j, "attempts", d.attempts);
  Read(j, "retried", d.retried);
  Read(j, "error", d.error);
  Read(j, "latency_s", d.latency_s);
  Read(j, "context_tokens", d.context_tokens);
  d.messages = Raw(j, "messages");
  return d;
}

Json ContextData::ToJson() const { return {{"manifest", manifest}, {"tokens", tokens}}; }

ContextData ContextData::FromJson(const Json& j) {
  ContextData d;
  d.manifest = Raw(j, "manifest");
  Read(j, "tokens", d.tokens);
  return d;
}

Json ResponseData::ToJson() const {
  Json j = {{"tool", tool}, {"ok", ok}};
  if (hits) {
    Json list = Json::array();
    for (const RetrieveHit& h : *hits) {
      list.push_back({{"seq", h.seq}, {"kind", h.kind}, {"bm25", h.bm25}, {"text", h.text}});
    }
    j["hits"] = std::move(list);
  }
  return j;
}

std::optional<ResponseData> ResponseData::FromJson(const Json& j) {
  if (!j.is_object() || !j.contains("ok")) return std::nullopt;
  ResponseData d;
  Read(j, "tool", d.tool);
  Read(j, "ok", d.ok);
  if (auto list = j.find("hits"); list != j.end() && list->is_array()) {
    d.hits.emplace();
    for (const Json& item : *list) {
      if (!item.is_object()) continue;
      RetrieveHit h;
      Read(item, "seq", h.seq);
      Read(item, "kind", h.kind);
      Read(item, "bm25", h.bm25);
      Read(item, "text", h.text);
      d.hits->push_back(std::move(h));
    }
  }
  return d;
}

const std::string* ResponseData::ToolIn(const Json& data) {
  if (!data.is_object()) return nullptr;
  auto it = data.find("tool");
  return it != data.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

Json ExperimentData::ToJson() const {
  Json j = {{"experiment", experiment},
            {"config", config},
            {"ok", ok},
            {"error", error},
            {"valid_metric", OrNull(valid_metric)},
            {"train_seconds", train_seconds},
            {"repeated", repeated}};
  if (test_metric) j["test_metric"] = *test_metric;
  if (cached) j["cached"] = *cached;
  if (reported_metric) j["reported_metric"] = *reported_metric;
  if (process) {
    const ProcessFacts& p = *process;
    j["exit_code"] = p.exit_code;
    j["signal"] = p.signal;
    j["timed_out"] = p.timed_out;
    j["overhead_seconds"] = p.overhead_seconds;
    j["traceback"] = p.traceback;
    j["output"] = p.output;
    j["output_bytes"] = p.output_bytes;
    if (!p.snapshot.empty()) j["snapshot"] = p.snapshot;
  }
  return j;
}

ExperimentData ExperimentData::FromJson(const Json& j) {
  ExperimentData d;
  Read(j, "experiment", d.experiment);
  d.config = Raw(j, "config");
  Read(j, "ok", d.ok);
  Read(j, "error", d.error);
  Read(j, "valid_metric", d.valid_metric);
  Read(j, "test_metric", d.test_metric);
  Read(j, "cached", d.cached);
  Read(j, "train_seconds", d.train_seconds);
  Read(j, "repeated", d.repeated);
  ReadReportedMetric(j, d.reported_metric);
  if (j.is_object() && j.contains("exit_code")) {
    ProcessFacts p;
    Read(j, "exit_code", p.exit_code);
    Read(j, "signal", p.signal);
    Read(j, "timed_out", p.timed_out);
    Read(j, "overhead_seconds", p.overhead_seconds);
    p.traceback = Raw(j, "traceback");
    Read(j, "output", p.output);
    Read(j, "output_bytes", p.output_bytes);
    Read(j, "snapshot", p.snapshot);
    d.process = std::move(p);
  }
  return d;
}

Json FinalEvaluationData::ToJson() const {
  Json j = {{"config", config},
            {"ok", ok},
            {"error", error},
            {"valid_metric", OrNull(valid_metric)},
            {"test_metric", OrNull(test_metric)},
            {"train_seconds", train_seconds}};
  if (reported_metric) j["reported_metric"] = *reported_metric;
  if (grading.is_object()) j["grading"] = grading;
  if (reused_run) j["reused_run"] = *reused_run;
  return j;
}

FinalEvaluationData FinalEvaluationData::FromJson(const Json& j) {
  FinalEvaluationData d;
  d.config = Raw(j, "config");
  Read(j, "ok", d.ok);
  Read(j, "error", d.error);
  Read(j, "valid_metric", d.valid_metric);
  Read(j, "test_metric", d.test_metric);
  ReadReportedMetric(j, d.reported_metric);
  Read(j, "train_seconds", d.train_seconds);
  if (j.contains("grading") && j["grading"].is_object()) d.grading = j["grading"];
  if (j.contains("reused_run") && j["reused_run"].is_number_integer()) {
    d.reused_run = j["reused_run"].get<int>();
  }
  return d;
}

Json ClarificationData::ToJson() const {
  return {{"question", question}, {"answer", answer}, {"source", source}};
}

ClarificationData ClarificationData::FromJson(const Json& j) {
  ClarificationData d;
  Read(j, "question", d.question);
  Read(j, "answer", d.answer);
  Read(j, "source", d.source);
  return d;
}

Json SummaryData::ToJson() const {
  return {{"text", text}, {"covers_to", covers_to}, {"tokens", tokens}};
}

SummaryData SummaryData::FromJson(const Json& j) {
  SummaryData d;
  Read(j, "text", d.text);
  Read(j, "covers_to", d.covers_to);
  Read(j, "tokens", d.tokens);
  return d;
}

Json NoteData::ToJson() const { return {{"text", text}}; }

NoteData NoteData::FromJson(const Json& j) {
  NoteData d;
  Read(j, "text", d.text);
  return d;
}

Json FinalAnswerData::ToJson() const {
  return {{"config", config},
          {"claimed_metric", claimed_metric},
          {"summary", summary},
          {"valid", valid}};
}

FinalAnswerData FinalAnswerData::FromJson(const Json& j) {
  FinalAnswerData d;
  d.config = Raw(j, "config");
  Read(j, "claimed_metric", d.claimed_metric);
  Read(j, "summary", d.summary);
  Read(j, "valid", d.valid);
  return d;
}

Json InvalidActionData::ToJson() const {
  return {{"tool", tool}, {"reason", reason}, {"raw", raw}};
}

InvalidActionData InvalidActionData::FromJson(const Json& j) {
  InvalidActionData d;
  Read(j, "tool", d.tool);
  Read(j, "reason", d.reason);
  Read(j, "raw", d.raw);
  return d;
}

Json ErrorData::ToJson() const {
  Json j = {{"message", message}};
  if (!purpose.empty()) j["purpose"] = purpose;
  return j;
}

ErrorData ErrorData::FromJson(const Json& j) {
  ErrorData d;
  Read(j, "message", d.message);
  Read(j, "purpose", d.purpose);
  return d;
}

Json IterationData::ToJson() const {
  return {{"iteration", iteration},
          {"best_valid_metric", best_valid_metric},
          {"best_config", best_config},
          {"experiment", OrNull(experiment)}};
}

IterationData IterationData::FromJson(const Json& j) {
  IterationData d;
  Read(j, "iteration", d.iteration);
  Read(j, "best_valid_metric", d.best_valid_metric);
  d.best_config = Raw(j, "best_config");
  Read(j, "experiment", d.experiment);
  return d;
}

Json StepSummaryData::ToJson() const {
  return {{"step", step},
          {"context_tokens", context_tokens},
          {"action", action},
          {"prompt_tokens", prompt_tokens},
          {"completion_tokens", completion_tokens}};
}

StepSummaryData StepSummaryData::FromJson(const Json& j) {
  StepSummaryData d;
  Read(j, "step", d.step);
  Read(j, "context_tokens", d.context_tokens);
  Read(j, "action", d.action);
  Read(j, "prompt_tokens", d.prompt_tokens);
  Read(j, "completion_tokens", d.completion_tokens);
  return d;
}

namespace {

constexpr std::array<std::pair<EpisodeStatus, const char*>, 3> kStatusNames = {{
    {EpisodeStatus::kComplete, "complete"},
    {EpisodeStatus::kError, "error"},
    {EpisodeStatus::kInterrupted, "interrupted"},
}};

constexpr std::array<std::pair<StopRule, const char*>, 8> kStopNames = {{
    {StopRule::kFinalAnswer, "final_answer"},
    {StopRule::kTargetMet, "target_met"},
    {StopRule::kIterations, "iterations"},
    {StopRule::kTokens, "tokens"},
    {StopRule::kCost, "cost"},
    {StopRule::kWallSeconds, "wall_seconds"},
    {StopRule::kError, "error"},
    {StopRule::kInterrupted, "interrupted"},
}};

template <typename Enum, size_t N>
std::string NameOf(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, const char*>, N>& names,
                          const std::string& name) {
  for (const auto& [v, n] : names) {
    if (name == n) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string EpisodeStatusName(EpisodeStatus status) { return NameOf(kStatusNames, status); }
std::optional<EpisodeStatus> ParseEpisodeStatus(const std::string& name) {
  return Parse(kStatusNames, name);
}
std::string StopRuleName(StopRule rule) { return NameOf(kStopNames, rule); }
std::optional<StopRule> ParseStopRule(const std::string& name) { return Parse(kStopNames, name); }

Json StopData::ToJson() const {
  Json j = {{"rule", StopRuleName(rule)}, {"status", EpisodeStatusName(status)}};
  if (!error.empty()) j["error"] = error;
  return j;
}

StopData StopData::FromJson(const Json& j) {
  StopData d;
  std::string rule, status;
  Read(j, "rule", rule);
  Read(j, "status", status);
  Read(j, "error", d.error);
  auto r = ParseStopRule(rule);
  auto s = ParseEpisodeStatus(status);
  if (!r) ThrowInput("event data", "unknown stop rule '" + rule + "'");
  if (!s) ThrowInput("event data", "unknown episode status '" + status + "'");
  d.rule = *r;
  d.status = *s;
  return d;
}

Json EpisodeEndData::ToJson() const { return {{"outcome", outcome}}; }

EpisodeEndData EpisodeEndData::FromJson(const Json& j) { return {Raw(j, "outcome")}; }

std::optional<EpisodeStatus> EpisodeEndData::status() const {
  std::optional<std::string> name;
  Read(outcome, "status", name);
  if (!name) return std::nullopt;
  std::optional<EpisodeStatus> s = ParseEpisodeStatus(*name);
  if (!s) ThrowInput("event data", "unknown episode status '" + *name + "'");
  return s;
}

std::optional<std::string> EpisodeEndData::error() const {
  std::optional<std::string> e;
  Read(outcome, "error", e);
  return e;
}

bool EpisodeEndData::success() const {
  bool s = false;
  Read(outcome, "success", s);
  return s;
}

std::optional<double> EpisodeEndData::wall_seconds() const {
  std::optional<double> w;
  Read(outcome, "wall_seconds", w);
  return w;
}

}  // namespace ctxbench
