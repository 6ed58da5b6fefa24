// The payload of each event type: one struct per type, written and read
// through ToJson / FromJson so writers and readers cannot disagree on a key or
// a type. The JSON keys are the trace format (docs/store.md).
//
// FromJson (error channel): missing keys keep their defaults (an older
// writer); unknown keys are ignored (a newer writer); a key of the wrong type
// throws an input Error naming the key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

// episode.start: the episode's key, task summary and baseline.
struct EpisodeStartData {
  Json key;  // {task, policy, model, mode, seed}
  std::string episode_id;
  std::string policy_type;
  std::string model_name;
  std::string metric;
  bool higher_is_better = false;
  // The baseline: absent when it could not be measured (the episode then
  // ends with an error).
  Json baseline_config;
  std::optional<double> baseline_metric;
  // The baseline's hidden-test score; absent when there is none, with the
  // reason (no hidden evaluation, or it failed).
  std::optional<double> baseline_test_metric;
  std::string baseline_test_error;
  std::optional<double> target_metric;
  int iterations = 0;
  int context_tokens = 0;
  std::string token_counter;
  Json final_answer_schema;
  Json tools;  // the tool definitions every agent call sends; null for none

  Json ToJson() const;
  static EpisodeStartData FromJson(const Json& json);
};

// op.llm: one model call, answered (the event's message is the reply) or
// failed after its attempts (no message; `error` set).
struct LlmCallData {
  std::string model;
  std::string purpose;
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long cached_prompt_tokens = 0;
  double cost_usd = 0;
  bool cache_hit = false;
  std::string finish_reason;
  bool estimated_tokens = false;
  int attempts = 0;                  // requests made: none for a cache hit
  std::vector<std::string> retried;  // why each retried attempt failed
  std::optional<std::string> error;  // a failed call: why
  std::optional<double> latency_s;
  std::optional<int> context_tokens;  // agent steps: the context's size
  Json messages;                      // summariser calls: the request; null otherwise

  bool failed() const { return error.has_value(); }
  Json ToJson() const;
  static LlmCallData FromJson(const Json& json);
};

// op.context: the manifest of the context just built.
struct ContextData {
  Json manifest;
  int tokens = 0;

  Json ToJson() const;
  static ContextData FromJson(const Json& json);
};

// One item the retrieve tool showed, best first (agent/memory_retriever.h).
struct RetrieveHit {
  int64_t seq = -1;  // the event it stands for
  std::string kind;  // the memory item's kind ("note", "experiment", ...)
  double bm25 = 0;   // as FTS5 reports it: lower is better
  std::string text;  // as shown to the agent
};

// op.tool and op.observation when they answer an action: the tool and
// whether it succeeded, plus tool-specific extras (retrieve: hits).
struct ResponseData {
  std::string tool;
  bool ok = false;
  // retrieve: the items shown (possibly none); absent for other tools.
  std::optional<std::vector<RetrieveHit>> hits;

  Json ToJson() const;
  // nullopt for an observation that answers no action (the iteration prompt).
  static std::optional<ResponseData> FromJson(const Json& json);
  // The tool `data` names, read in place without a copy: nullptr when it
  // names none (no `tool` string). For hot paths (context/draft.cc); the
  // pointer lives as long as `data` is unchanged. Never throws.
  static const std::string* ToolIn(const Json& data);
};

// What a workspace command run did (workspace experiments only).
struct ProcessFacts {
  int exit_code = 0;
  int signal = 0;
  bool timed_out = false;
  double overhead_seconds = 0;
  Json traceback;  // {type, message, file, line} or null
  std::string output;
  long long output_bytes = 0;
  std::string snapshot;  // the workspace copy's folder, when snapshots are kept
};

// op.experiment: one experiment (tune: a config trained; workspace: the
// workspace run). Number 0 is a workspace's baseline run.
struct ExperimentData {
  int experiment = 0;
  Json config;
  bool ok = false;
  std::string error;
  std::optional<double> valid_metric;  // absent when the run failed (workspace)
  std::optional<double> test_metric;   // tune: the learner's hidden score
  std::optional<bool> cached;          // tune: answered from the learner's cache
  double train_seconds = 0;
  bool repeated = false;                // the same config (or the baseline) was run before
  std::optional<ProcessFacts> process;  // workspace experiments
  // Workspace: the metric the run's own metrics.json reported. Only a report:
  // the harness's evaluation (valid_metric) decides. Absent when none was
  // written. JSON key `reported_metric`; traces written before the rename
  // spelled it `claimed_metric`, which FromJson still accepts. (Not the
  // outcome's `claimed_metric`, which is the agent's final-answer claim.)
  std::optional<double> reported_metric;

  Json ToJson() const;
  static ExperimentData FromJson(const Json& json);
};

// op.final_evaluation: the final config run once more, and its hidden score.
// A missing score is absent with the reason in `error`, never 0.
struct FinalEvaluationData {
  Json config;
  bool ok = false;
  std::string error;
  std::optional<double> valid_metric;
  std::optional<double> test_metric;
  std::optional<double> reported_metric;  // workspace: as in ExperimentData
  double train_seconds = 0;
  // Workspace: the evaluation's "grading" object when it printed one (an
  // imported MLE-bench competition: score, medal, above_median, thresholds);
  // null otherwise. Hidden from the agent like test_metric.
  Json grading;
  // Workspace: set when no file changed since run N (0: the starter's run)
  // and that run succeeded: its results are the final evaluation's, and the
  // command was not run again (train_seconds is that run's).
  std::optional<int> reused_run;

  Json ToJson() const;
  static FinalEvaluationData FromJson(const Json& json);
};

// op.clarification: an `ask` and its answer.
struct ClarificationData {
  std::string question;
  std::string answer;
  std::string source;  // "faq", "data" or "none"

  Json ToJson() const;
  static ClarificationData FromJson(const Json& json);
};

// op.summary: a rolling summary of what fell out of the window.
struct SummaryData {
  std::string text;
  int64_t covers_to = 0;
  int tokens = 0;

  Json ToJson() const;
  static SummaryData FromJson(const Json& json);
};

// op.note: the agent's note.
struct NoteData {
  std::string text;

  Json ToJson() const;
  static NoteData FromJson(const Json& json);
};

// op.final_answer: a valid final answer.
struct FinalAnswerData {
  Json config;
  double claimed_metric = 0;
  std::string summary;
  bool valid = true;

  Json ToJson() const;
  static FinalAnswerData FromJson(const Json& json);
};

// op.invalid_action: an action refused, and why.
struct InvalidActionData {
  std::string tool;
  std::string reason;
  std::string raw;

  Json ToJson() const;
  static InvalidActionData FromJson(const Json& json);
};

// op.error: an error; `purpose` "summarize" for a summariser failure the
// episode survives, empty for the error that ended the episode.
struct ErrorData {
  std::string message;
  std::string purpose;

  Json ToJson() const;
  static ErrorData FromJson(const Json& json);
};

// agent.iteration: the end of an iteration.
struct IterationData {
  int iteration = 0;
  double best_valid_metric = 0;
  Json best_config;
  std::optional<int> experiment;  // the experiment this iteration ran

  Json ToJson() const;
  static IterationData FromJson(const Json& json);
};

// step.summary: one agent step.
struct StepSummaryData {
  int step = 0;
  int context_tokens = 0;
  std::string action;  // the actions' names, comma-separated
  long long prompt_tokens = 0;
  long long completion_tokens = 0;

  Json ToJson() const;
  static StepSummaryData FromJson(const Json& json);
};

// How an episode ended (the vocabulary of DESIGN.md).
enum class EpisodeStatus { kComplete, kError, kInterrupted };
std::string EpisodeStatusName(EpisodeStatus status);
// nullopt for a name that is none of "complete", "error", "interrupted".
std::optional<EpisodeStatus> ParseEpisodeStatus(const std::string& name);

// The stop rule that ended an episode's loop.
enum class StopRule {
  kFinalAnswer,  // the agent answered
  kTargetMet,    // an experiment met the target
  kIterations,   // the iteration budget is spent
  kTokens,
  kCost,
  kWallSeconds,
  kError,
  kInterrupted,
};
std::string StopRuleName(StopRule rule);
std::optional<StopRule> ParseStopRule(const std::string& name);

// op.stop: why the loop ended.
struct StopData {
  StopRule rule = StopRule::kFinalAnswer;
  EpisodeStatus status = EpisodeStatus::kComplete;
  std::string error;  // status error or interrupted: why

  Json ToJson() const;
  static StopData FromJson(const Json& json);
};

// episode.end: the outcome (Outcome::ToJson, agent/outcome.h).
struct EpisodeEndData {
  Json outcome;

  Json ToJson() const;
  static EpisodeEndData FromJson(const Json& json);

  // The outcome's facts that readers below `agent` (which owns Outcome) need,
  // read from `outcome`; above it, OutcomeFromJson reads the whole. Each
  // throws an input Error when its key has the wrong type (or, for status,
  // names no EpisodeStatus); a missing key gives nullopt or false.
  std::optional<EpisodeStatus> status() const;
  std::optional<std::string> error() const;
  bool success() const;
  std::optional<double> wall_seconds() const;
};

}  // namespace ctxbench
