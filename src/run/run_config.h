// config.json: the grid a run executes (tasks × policies × models × modes ×
// seeds) and its budgets. Documented field by field in docs/config.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "context/policy.h"
#include "core/json.h"
#include "llm/model_factory.h"
#include "telemetry/telemetry_config.h"

namespace ctxbench {

struct RunConfig {
  std::string name = "run";
  std::string source;  // the file it came from
  std::vector<std::string> tasks;
  // Per-task changes from a `tasks` entry written as an object:
  // {"name": "toy_tabular", "baseline": {...}, "target_improvement_pct": 5}.
  struct TaskOverride {
    Json baseline;  // null: the task's own
    std::optional<double> target_improvement_pct;
    std::string where;  // JSON path of the entry, for errors
  };
  std::map<std::string, TaskOverride> task_overrides;
  std::vector<ModelConfig> models;
  std::vector<PolicyConfig> policies;
  std::vector<std::string> modes;  // "agentic", "controller"
  std::vector<uint64_t> seeds;
  std::optional<int> iterations;           // overrides each task's budget (--num-steps)
  std::optional<int> steps_per_iteration;  // overrides each task's budget
  long long max_tokens = 0;                // per episode, 0 = the task's budget
  double wall_seconds = 0;                 // per episode, 0 = the task's budget
  double max_cost_usd = 0;                 // per episode, 0 = the task's budget
  // Run-wide: once the finished episodes' summed cost reaches it, no new
  // episode starts and the run ends failed. 0 = no limit.
  double run_max_cost_usd = 0;
  // Once this many episodes errored (a count >= 1, or a fraction in (0, 1) of
  // the planned episodes), no new episode starts and the run ends failed.
  // 0 = never stop for errors.
  double fail_on_error = 0;
  int context_tokens = 8000;  // each policy's budget per model call
  int parallel = 0;           // episodes in flight; 0: models' connections (+ CPU slots)
  int learner_threads = 1;    // XGBoost threads per training
  std::string out_dir = "runs";
  std::string data_dir;                      // prepared datasets; "" = CTXBENCH_DATA_DIR or ./data
  std::string token_counter = "o200k_base";  // or cl100k_base, estimate
  std::vector<std::string> task_dirs;        // extra folders searched for tasks
  bool workspace_snapshots = false;          // copy each workspace after every run
  std::string sandbox_uids = "60000-60999";  // uids leased to running episodes (as root)
  // Span export (Phoenix / OTLP). Not part of the results: left out of
  // RunConfigToJson, so summary.json is the same with telemetry on or off.
  TelemetryConfig telemetry;
};

// Loads and validates; errors name the file and JSON path and exit 2.
RunConfig LoadRunConfig(const std::string& path);
RunConfig RunConfigFromJson(const Json& json, const std::string& source);

// Command-line overrides in the prototype's vocabulary.
struct RunOverrides {
  std::vector<std::string> tasks;        // --task (repeatable)
  // --model: a configured name, a kind (sim), or openai:MODEL_NAME (an
  // openai model; the config's settings for that model id are kept).
  std::vector<std::string> models;
  std::optional<std::string> base_url;   // --base-url: for the run's openai models
  std::optional<std::string> policy_type;  // --policy-type short_context|long_context
  std::vector<std::string> policies;       // --policy NAME (a configured name or a type)
  std::vector<std::string> modes;          // --reasoning-mode
  std::optional<int> num_steps;            // --num-steps (iterations)
  std::optional<std::string> seeds;        // --seeds "1,2,3" or "1-5"
  std::optional<std::string> out;          // --out
  std::optional<int> parallel;             // --parallel
};

// Applies overrides; throws a usage error naming the flag on a bad value.
void ApplyOverrides(const RunOverrides& overrides, RunConfig& config);

// "1,2,5-7" → {1,2,5,6,7}; throws naming `where`.
std::vector<uint64_t> ParseSeeds(const std::string& text, const std::string& where);

// The config as JSON (after overrides), recorded with the run.
Json RunConfigToJson(const RunConfig& config);

}  // namespace ctxbench
