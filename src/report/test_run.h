// Test support for the report module: a small fixed run folder (results.db
// and run.json) filled with synthetic episodes whose numbers are easy to
// check by hand, logged as a real episode logs them (its outcome is the fold
// of its events), or in the old run format. Used only by *_test.cc.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/fold_outcome.h"
#include "core/file.h"
#include "events/event.h"
#include "events/payloads.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"

namespace ctxbench::report_test {

using store_test::MakeEvent;
using store_test::ScratchDir;

// One episode: baseline accuracy 0.8, target 0.84, one experiment per
// iteration with the given validation metrics (NaN: a failed training).
struct SyntheticEpisode {
  EpisodeKey key;
  std::vector<double> metrics;
  int prompt_tokens_per_call = 100;  // grows by this much each step
  bool final_answer_valid = true;
  // The final answer's claim. With a valid answer and none named, AppendEpisode
  // claims the best measured metric (a real answer always claims one);
  // AppendOldFormatEpisode records no claim.
  std::optional<double> claimed;
  int invalid_actions = 0;
  int repeated_configs = 0;
  // Ends with status "error" (the infrastructure failed it) after its
  // experiments: its numbers must reach no statistic.
  bool errored = false;
  // False: the hidden test did not run (a workspace task's final run failed):
  // its test metric is missing, never 0.
  bool hidden_test_ran = true;
};

inline constexpr double kBaseline = 0.8;
inline constexpr double kTarget = 0.84;

// The events of `s` up to its end, as an episode logs them: the start, each
// step's context, model call and experiment, invalid actions, the final
// answer (when valid or claimed) and evaluation (unless errored), op.stop.
inline void AppendEpisodeEvents(EventLog& log, const SyntheticEpisode& s) {
  const EpisodeKey& k = log.key();
  log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0,
                       {{"episode_id", k.Id()},
                        {"baseline_config", {{"max_depth", 3}}},
                        {"baseline_metric", kBaseline},
                        {"baseline_test_metric", kBaseline - 0.01},
                        {"target_metric", kTarget},
                        {"metric", "accuracy"},
                        {"higher_is_better", true}}));
  double best = kBaseline;
  Json best_config = {{"max_depth", 3}};
  int n = static_cast<int>(s.metrics.size());
  for (int i = 1; i <= n; ++i) {
    int tokens = s.prompt_tokens_per_call * i;
    log.Append(
        MakeEvent(EventType::kContext, i, i, {{"manifest", Json::object()}, {"tokens", tokens}}));
    log.Append(
        MakeEvent(EventType::kLlmCall, i, i,
                  {{"prompt_tokens", tokens}, {"completion_tokens", 20}, {"purpose", "step"}}));
    double m = s.metrics[i - 1];
    bool ok = !std::isnan(m);
    Json exp = {{"experiment", i}, {"config", {{"max_depth", 3 + i}}},
                {"ok", ok},        {"error", ok ? "" : "training failed"},
                {"cached", false}, {"train_seconds", 0.1}};
    if (ok) exp["valid_metric"] = m, exp["test_metric"] = m - 0.01;
    if (i > n - s.repeated_configs) exp["repeated"] = true;  // the last ones repeat a config
    log.Append(MakeEvent(EventType::kExperiment, i, i, exp));
    if (ok && m > best) best = m, best_config = exp["config"];
    log.Append(MakeEvent(EventType::kStepSummary, i, i, {{"step", i}, {"context_tokens", tokens}}));
  }
  for (int i = 0; i < s.invalid_actions; ++i) {
    InvalidActionData invalid{"train", "max_depth out of range", "{}"};
    log.Append(MakeEvent(EventType::kInvalidAction, n, n, invalid.ToJson()));
  }
  if (!s.errored) {
    if (s.final_answer_valid || s.claimed) {
      // A real answer always claims a metric: a valid one whose data names
      // no claim claims what was measured.
      FinalAnswerData answer{best_config, s.claimed.value_or(best), "best config found",
                             s.final_answer_valid};
      log.Append(MakeEvent(EventType::kFinalAnswer, n, n, answer.ToJson()));
    }
    FinalEvaluationData fin;
    fin.config = best_config;
    fin.ok = true;
    fin.valid_metric = best;
    if (s.hidden_test_ran) {
      fin.test_metric = best - 0.01;
    } else {
      fin.error = "the hidden evaluation did not run";
    }
    log.Append(MakeEvent(EventType::kFinalEvaluation, n, n, fin.ToJson()));
  }
  StopData stop;
  stop.rule = s.errored ? StopRule::kError : StopRule::kIterations;
  stop.status = s.errored ? EpisodeStatus::kError : EpisodeStatus::kComplete;
  if (s.errored) stop.error = "model gpt: HTTP 401 Unauthorized";
  log.Append(MakeEvent(EventType::kStop, n, n, stop.ToJson()));
}

// Appends episode `s` as a real episode writes it: its events, then
// episode.end carrying FoldOutcome of them (what RunEpisode records).
inline void AppendEpisode(EventLog& log, const SyntheticEpisode& s) {
  AppendEpisodeEvents(log, s);
  int n = static_cast<int>(s.metrics.size());
  Outcome outcome = FoldOutcome(log.events());
  outcome.wall_seconds = 0.5 * n;
  log.Append(MakeEvent(EventType::kEpisodeEnd, n, n, EpisodeEndData{outcome.ToJson()}.ToJson()));
}

// Appends episode `s` as runs written before op.stop existed did: the same
// events without op.stop and episode.end carrying a hand-made outcome, so the
// readers fall back to `outcome_json` (StoredOutcome).
inline void AppendOldFormatEpisode(EventLog& log, const SyntheticEpisode& s) {
  const EpisodeKey& k = log.key();
  log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0,
                       {{"episode_id", k.Id()},
                        {"baseline_config", {{"max_depth", 3}}},
                        {"baseline_metric", kBaseline},
                        {"target_metric", kTarget},
                        {"metric", "accuracy"},
                        {"higher_is_better", true}}));
  double best = kBaseline;
  long long prompt = 0;
  int n = static_cast<int>(s.metrics.size());
  for (int i = 1; i <= n; ++i) {
    int tokens = s.prompt_tokens_per_call * i;
    prompt += tokens;
    log.Append(
        MakeEvent(EventType::kContext, i, i, {{"manifest", Json::object()}, {"tokens", tokens}}));
    log.Append(
        MakeEvent(EventType::kLlmCall, i, i,
                  {{"prompt_tokens", tokens}, {"completion_tokens", 20}, {"purpose", "step"}}));
    double m = s.metrics[i - 1];
    bool ok = !std::isnan(m);
    Json exp = {{"experiment", i}, {"config", {{"max_depth", 3 + i}}},
                {"ok", ok},        {"error", ok ? "" : "training failed"},
                {"cached", false}, {"train_seconds", 0.1}};
    if (ok) exp["valid_metric"] = m, exp["test_metric"] = m - 0.01;
    log.Append(MakeEvent(EventType::kExperiment, i, i, exp));
    if (ok) best = std::max(best, m);
    log.Append(MakeEvent(EventType::kStepSummary, i, i, {{"step", i}, {"context_tokens", tokens}}));
  }
  bool success = s.final_answer_valid && best >= kTarget;
  Json outcome = {{"status", s.errored ? "error" : "complete"},
                  {"stop_rule", s.errored ? "error" : "iterations"},
                  {"metric", "accuracy"},
                  {"higher_is_better", true},
                  {"baseline_metric", kBaseline},
                  {"baseline_test_metric", kBaseline - 0.01},
                  {"target_metric", kTarget},
                  {"best_valid_metric", best},
                  {"improvement_pct", (best - kBaseline) / kBaseline * 100},
                  {"success", success},
                  {"final_answer_valid", s.final_answer_valid},
                  {"final_valid_metric", best},
                  {"test_metric", s.hidden_test_ran ? Json(best - 0.01) : Json()},
                  {"claimed_metric", s.claimed ? Json(*s.claimed) : Json()},
                  {"iterations", n},
                  {"steps", n},
                  {"llm_calls", n},
                  {"prompt_tokens", prompt},
                  {"completion_tokens", 20 * n},
                  {"cost_usd", 0.0},
                  {"wall_seconds", 0.5 * n},
                  {"mean_context_tokens", n ? double(prompt) / n : 0.0},
                  {"max_context_tokens", s.prompt_tokens_per_call * n},
                  {"repeated_configs", s.repeated_configs},
                  {"invalid_actions", s.invalid_actions},
                  {"errors_recovered", 0},
                  {"clarifications", 0}};
  if (s.errored) outcome["error"] = "model gpt: HTTP 401 Unauthorized";
  if (!s.hidden_test_ran) {
    FinalEvaluationData fin;
    fin.ok = true;
    fin.valid_metric = best;
    fin.error = "the hidden evaluation did not run";
    log.Append(MakeEvent(EventType::kFinalEvaluation, n, n, fin.ToJson()));
  }
  log.Append(MakeEvent(EventType::kEpisodeEnd, n, n, {{"outcome", outcome}}));
}

// How MakeRunFolder writes its episodes.
enum class RunFormat {
  kFolded,  // as a real episode does (AppendEpisode)
  kOld,     // as runs before op.stop did (AppendOldFormatEpisode)
};

inline const char* kRunId = "20231114-221320-golden";

// The fixed golden run: task toy, sim model, agentic mode, policies full and
// window2, seeds 1-3. window2 sends half the tokens; on seed 3 it never
// reaches the target.
inline std::vector<SyntheticEpisode> GoldenEpisodes() {
  auto key = [](const std::string& policy, uint64_t seed) {
    return EpisodeKey{"toy", policy, "sim", "agentic", seed};
  };
  return {
      {key("full", 1), {0.82, 0.85, 0.84}, 100, true, 0.86, 0, 0},
      {key("full", 2), {0.81, 0.83, 0.86}, 100, true, 0.86, 0, 1},
      {key("full", 3), {0.84, NAN, 0.845}, 100, true, 0.845, 1, 0},
      {key("window2", 1), {0.82, 0.86, 0.86}, 50, true, 0.85, 0, 1},
      {key("window2", 2), {0.83, 0.84, 0.83}, 50, true, 0.84, 0, 0},
      {key("window2", 3), {0.80, 0.81, 0.82}, 50, false, std::nullopt, 2, 1},
  };
}

// The golden episodes plus errored ones whose numbers would change every
// statistic if counted (full s4: best 0.95 with 10x the tokens; window2 s4:
// no improvement; full s5), and a complete window2 s5 whose control errored.
// Statistics must equal those of the same run without the errored episodes;
// comparisons drop the pairs of seeds 4 (both sides errored) and 5.
inline std::vector<SyntheticEpisode> GoldenEpisodesWithErrors() {
  auto key = [](const std::string& policy, uint64_t seed) {
    return EpisodeKey{"toy", policy, "sim", "agentic", seed};
  };
  std::vector<SyntheticEpisode> eps = GoldenEpisodes();
  SyntheticEpisode full4{key("full", 4), {0.95, 0.95}, 1000, true, 0.95, 3, 2, true};
  SyntheticEpisode window4{key("window2", 4), {0.6}, 10, false, std::nullopt, 0, 0, true};
  SyntheticEpisode full5{key("full", 5), {0.9}, 500, true, std::nullopt, 0, 0, true};
  SyntheticEpisode window5{key("window2", 5), {0.83}, 50, true, 0.83, 0, 0, false};
  eps.push_back(full4);
  eps.push_back(window4);
  eps.push_back(full5);
  eps.push_back(window5);
  return eps;
}

// Writes a run folder `dir`/kRunId holding `episodes`; returns its path.
inline std::string MakeRunFolder(const std::string& dir,
                                 const std::vector<SyntheticEpisode>& episodes,
                                 RunFormat format = RunFormat::kFolded) {
  std::string run_dir = (std::filesystem::path(dir) / kRunId).string();
  std::filesystem::create_directories(run_dir);
  Json config = {{"name", "golden"},
                 {"tasks", {"toy"}},
                 {"models", {{{"name", "sim"}, {"kind", "sim"}}}},
                 {"context_policies",
                  {{{"name", "full"}, {"type", "full"}},
                   {{"name", "window2"}, {"type", "window"}, {"max_turns", 2}}}},
                 {"reasoning_modes", {"agentic"}},
                 {"seeds", {1, 2, 3}}};
  WriteFileAtomic(run_dir + "/run.json", Json{{"run_id", kRunId}, {"config", config}}.dump(2));
  auto store = SqliteStore::Open(run_dir + "/results.db");
  store->BeginRun(kRunId, "golden", config.dump(), 1.7e9);
  for (const SyntheticEpisode& s : episodes) {
    EventLog log(s.key, {store.get()});
    if (format == RunFormat::kOld) {
      AppendOldFormatEpisode(log, s);
    } else {
      AppendEpisode(log, s);
    }
  }
  store->FinishRun(kRunId, RunStatus::kComplete, 1.7e9 + 60);
  return run_dir;
}

}  // namespace ctxbench::report_test
