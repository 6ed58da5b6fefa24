// The task spec: what an ML experiment problem is. Loaded from a JSON file
// (documented in docs/tasks.md) and validated at load time.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "tasks/workspace_spec.h"

namespace ctxbench {

enum class KnobType { kInt, kFloat, kChoice };

// A hyperparameter the agent may set.
struct Knob {
  std::string name;
  KnobType type = KnobType::kFloat;
  double min = 0, max = 0;           // kInt, kFloat: inclusive range
  bool log = false;                  // kFloat: searched on a log scale
  std::vector<std::string> choices;  // kChoice
  std::string description;
};

enum class Problem { kBinary, kMulticlass, kRegression };

struct FaqEntry {
  std::vector<std::string> keywords;  // matched case-insensitively against a question
  std::string answer;
};

struct Budgets {
  int iterations = 10;          // experiments the agent may run (`--num-steps`)
  int steps_per_iteration = 4;  // model calls within one agentic iteration
  long long tokens = 0;         // prompt + completion tokens; 0 = unlimited
  double wall_seconds = 0;      // 0 = unlimited
  double cost_usd = 0;          // 0 = unlimited
};

struct DataSource {
  std::string kind;       // "synthetic", "csv" (shipped with the task) or "prepared" (data dir)
  std::string path;       // csv: relative to the task folder; prepared: dataset name
  std::string generator;  // synthetic: "classification"
  int rows = 0;           // synthetic
  int features = 0;       // synthetic
};

struct TaskSpec {
  std::string name;
  std::string kind = "tune";  // "tune" (knobs, built-in learner) or "workspace" (files, a command)
  std::string description;
  std::string folder;  // the folder the spec was loaded from
  DataSource data;
  std::string target_column;
  // A regression task's further target columns (JSON "target_columns" lists
  // target_column first, then these): the learner trains one model per
  // target and the metric is the mean over targets of the per-target metric
  // (Kaggle's "mean column-wise" scoring, e.g. NOMAD 2018's RMSLE). Empty for
  // a single-target task.
  std::vector<std::string> other_target_columns;
  std::vector<std::string> drop_columns;
  Problem problem = Problem::kRegression;
  // "accuracy", "logloss", "mae", "rmse", "rmsle"; a workspace task may also
  // name a competition metric (tasks/metric_registry.h).
  std::string metric;
  bool higher_is_better = false;  // derived from the metric
  std::vector<Knob> knobs;
  Json fixed_params = Json::object();  // learner params the agent cannot change
  Json baseline = Json::object();      // a full config over the knobs
  double target_improvement_pct = 10;  // success: this much better than baseline
  Budgets budgets;
  double valid_fraction = 0.2;
  double test_fraction = 0.2;
  std::vector<FaqEntry> faq;
  WorkspaceSpec workspace;  // kind "workspace" only; such tasks have no data, knobs or baseline

  bool is_workspace() const { return kind == "workspace"; }
};

// Loads and validates a spec file; errors name the file and JSON path.
TaskSpec LoadTaskSpec(const std::string& path);
TaskSpec TaskSpecFromJson(const Json& json, const std::string& source, const std::string& folder);

// Ok when `config` sets every knob within range (and nothing else), else
// failed with one line naming the first bad knob and its allowed range.
// Error channel: the returned Status (an expected failure: the agent's or a
// config file's values); never throws.
Status CheckConfig(const TaskSpec& task, const Json& config);

// The config with keys in knob order, ints as integers and floats rounded to
// 6 significant digits: equal configs give equal strings (`Canonical().dump()`).
Json CanonicalConfig(const TaskSpec& task, const Json& config);
// `base` with the keys of `changes` overwritten, canonicalised (not checked).
Json MergeConfig(const TaskSpec& task, const Json& base, const Json& changes);

// The value the target requires given the baseline metric (direction-aware).
double TargetMetric(const TaskSpec& task, double baseline_metric);
// Improvement over the baseline in percent, positive when better.
double ImprovementPct(const TaskSpec& task, double baseline_metric, double metric);
// True when `metric` reaches TargetMetric (direction-aware).
bool MeetsTarget(const TaskSpec& task, double baseline_metric, double metric);

// Finds a bundled or user task by name in `search_dirs` (each holding
// <name>/task.json); throws naming the known tasks when none matches.
TaskSpec FindTask(const std::string& name, const std::vector<std::string>& search_dirs);
// The bundled task folders: ShareDir()/tasks (core/share_dir.h), or CTXBENCH_TASKS_DIR when set
// (several folders separated by ':').
std::vector<std::string> DefaultTaskDirs();
// Names of the tasks found in `search_dirs`, sorted.
std::vector<std::string> ListTasks(const std::vector<std::string>& search_dirs);

}  // namespace ctxbench
