#include "tasks/task_spec.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "core/env.h"
#include "core/error.h"
#include "core/json_int.h"
#include "core/json_limits.h"
#include "core/metric_direction.h"
#include "core/share_dir.h"
#include "tasks/metric_registry.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// Learner params the learner sets itself; a task may not fix or expose them.
const std::vector<std::string> kReservedParams = {"objective", "num_class", "nthread", "seed",
                                                  "verbosity"};

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string RangeText(const Knob& knob) {
  if (knob.type == KnobType::kChoice) {
    std::string list;
    for (const auto& c : knob.choices) list += (list.empty() ? "" : ", ") + c;
    return "one of {" + list + "}";
  }
  return std::string(knob.type == KnobType::kInt ? "an integer" : "a number") + " in [" +
         FormatNumber(knob.min) + ", " + FormatNumber(knob.max) + "]";
}

Knob ParseKnob(const JsonReader& r) {
  r.RejectUnknown({"name", "type", "min", "max", "log", "choices", "description"});
  Knob knob;
  knob.name = r.String("name");
  if (knob.name.empty()) r.Fail("name", "must not be empty");
  if (std::find(kReservedParams.begin(), kReservedParams.end(), knob.name) !=
      kReservedParams.end()) {
    r.Fail("name", "'" + knob.name + "' is set by the learner and cannot be a knob");
  }
  std::string type = r.String("type");
  knob.description = r.String("description", "");
  if (type == "choice") {
    knob.type = KnobType::kChoice;
    knob.choices = r.Strings("choices");
    if (knob.choices.empty()) r.Fail("choices", "must list at least one choice");
    for (const char* k : {"min", "max", "log"}) {
      if (r.Has(k)) r.Fail(k, "not allowed for a choice knob");
    }
    return knob;
  }
  if (type == "int") {
    knob.type = KnobType::kInt;
    knob.min = static_cast<double>(r.Int("min"));
    knob.max = static_cast<double>(r.Int("max"));
  } else if (type == "float") {
    knob.type = KnobType::kFloat;
    knob.min = r.Number("min");
    knob.max = r.Number("max");
  } else {
    r.Fail("type", "expected \"int\", \"float\" or \"choice\", got \"" + type + "\"");
  }
  if (r.Has("choices")) r.Fail("choices", "only allowed for a choice knob");
  if (!(knob.min <= knob.max)) r.Fail("max", "must be >= min");
  knob.log = r.Bool("log", false);
  if (knob.log && knob.type != KnobType::kFloat) r.Fail("log", "only allowed for a float knob");
  if (knob.log && knob.min <= 0) r.Fail("min", "must be > 0 for a log-scale knob");
  return knob;
}

DataSource ParseDataSource(const JsonReader& r) {
  r.RejectUnknown({"kind", "path", "generator", "rows", "features"});
  DataSource d;
  d.kind = r.String("kind");
  if (d.kind == "synthetic") {
    d.generator = r.String("generator");
    if (d.generator != "classification") {
      r.Fail("generator", "expected \"classification\", got \"" + d.generator + "\"");
    }
    d.rows = static_cast<int>(IntInRange(r, "rows", 20, 1000000));
    d.features = static_cast<int>(IntInRange(r, "features", 4, 1000));
    if (r.Has("path")) r.Fail("path", "not allowed for synthetic data");
  } else if (d.kind == "csv" || d.kind == "prepared") {
    d.path = r.String("path");
    if (d.path.empty()) r.Fail("path", "must not be empty");
    for (const char* k : {"generator", "rows", "features"}) {
      if (r.Has(k)) r.Fail(k, "only allowed for synthetic data");
    }
  } else {
    r.Fail("kind", "expected \"synthetic\", \"csv\" or \"prepared\", got \"" + d.kind + "\"");
  }
  return d;
}

Budgets ParseBudgets(const JsonReader& r) {
  r.RejectUnknown({"iterations", "steps_per_iteration", "tokens", "wall_seconds", "cost_usd"});
  Budgets b;
  b.iterations = static_cast<int>(IntInRange(r, "iterations", 1, INT_MAX, b.iterations));
  b.steps_per_iteration =
      static_cast<int>(IntInRange(r, "steps_per_iteration", 1, INT_MAX, b.steps_per_iteration));
  b.tokens = r.Int("tokens", b.tokens);
  b.wall_seconds = r.Number("wall_seconds", b.wall_seconds);
  b.cost_usd = r.Number("cost_usd", b.cost_usd);
  if (b.tokens < 0) r.Fail("tokens", "must be >= 0 (0 = unlimited)");
  if (b.wall_seconds < 0) r.Fail("wall_seconds", "must be >= 0 (0 = unlimited)");
  if (b.cost_usd < 0) r.Fail("cost_usd", "must be >= 0 (0 = unlimited)");
  return b;
}

FaqEntry ParseFaq(const JsonReader& r) {
  r.RejectUnknown({"keywords", "answer"});
  FaqEntry e;
  e.keywords = r.Strings("keywords");
  if (e.keywords.empty()) r.Fail("keywords", "must list at least one keyword");
  e.answer = r.String("answer");
  if (e.answer.empty()) r.Fail("answer", "must not be empty");
  return e;
}

Problem ParseProblem(const JsonReader& r) {
  std::string p = r.String("problem");
  if (p == "binary") return Problem::kBinary;
  if (p == "multiclass") return Problem::kMulticlass;
  if (p == "regression") return Problem::kRegression;
  r.Fail("problem", "expected \"binary\", \"multiclass\" or \"regression\", got \"" + p + "\"");
}

void CheckMetric(const JsonReader& r, TaskSpec& t) {
  const std::string& m = t.metric;
  bool classification = t.problem != Problem::kRegression;
  if (m == "accuracy" || m == "auc") {
    t.higher_is_better = true;
  } else if (m == "logloss" || m == "mae" || m == "rmse" || m == "rmsle") {
    t.higher_is_better = false;
  } else if (const CompetitionMetric* c = FindCompetitionMetric(m); c && t.is_workspace()) {
    // A workspace task's evaluation computes the metric: any competition
    // metric (tasks/metric_registry.h) names its direction.
    t.higher_is_better = c->higher_is_better;
    return;
  } else {
    r.Fail("metric",
           "expected \"accuracy\", \"auc\", \"logloss\", \"mae\", \"rmse\" or \"rmsle\" (workspace "
           "tasks: also a competition metric, see docs/tasks.md), got \"" +
               m + "\"");
  }
  if (classification && (m == "mae" || m == "rmse" || m == "rmsle")) {
    r.Fail("metric", "\"" + m + "\" is a regression metric; this task is classification");
  }
  if (!classification && (m == "accuracy" || m == "auc" || m == "logloss")) {
    r.Fail("metric", "\"" + m + "\" is a classification metric; this task is regression");
  }
  if (m == "auc" && t.problem != Problem::kBinary) {
    r.Fail("metric", "\"auc\" needs a binary problem");
  }
}

void CheckFixedParams(const JsonReader& r, const TaskSpec& t) {
  if (!t.fixed_params.is_object()) r.Fail("fixed_params", "expected an object");
  for (auto it = t.fixed_params.begin(); it != t.fixed_params.end(); ++it) {
    const std::string& k = it.key();
    std::string where = "fixed_params." + k;
    if (!(it->is_number() || it->is_string() || it->is_boolean())) {
      r.Fail(where, "expected a number, string or boolean");
    }
    if (std::find(kReservedParams.begin(), kReservedParams.end(), k) != kReservedParams.end()) {
      r.Fail(where, "set by the learner from the task's problem and the run; remove it");
    }
    for (const auto& knob : t.knobs) {
      if (knob.name == k) r.Fail(where, "is also a knob; a param is either fixed or a knob");
    }
  }
}

}  // namespace

TaskSpec TaskSpecFromJson(const Json& json, const std::string& source, const std::string& folder) {
  JsonReader r(json, source);
  TaskSpec t;
  t.folder = folder;
  t.kind = r.String("kind", "tune");
  if (t.kind == "workspace") {
    r.RejectUnknown({"name", "kind", "description", "problem", "metric", "target_improvement_pct",
                     "budgets", "faq", "workspace"});
  } else if (t.kind == "tune") {
    r.RejectUnknown({"name", "kind", "description", "data", "target_column", "target_columns",
                     "drop_columns", "problem", "metric", "knobs", "fixed_params", "baseline",
                     "target_improvement_pct", "budgets", "valid_fraction", "test_fraction",
                     "faq"});
  } else {
    r.Fail("kind", "expected \"tune\" or \"workspace\", got \"" + t.kind + "\"");
  }
  t.name = r.String("name");
  if (t.name.empty() || t.name.find_first_of("/\\ ") != std::string::npos) {
    r.Fail("name", "expected a non-empty name without spaces or slashes");
  }
  if (t.is_workspace()) {
    t.description = r.String("description");
    t.problem = ParseProblem(r);
    t.metric = r.String("metric");
    CheckMetric(r, t);
    t.target_improvement_pct = r.Number("target_improvement_pct", t.target_improvement_pct);
    if (r.Has("budgets")) t.budgets = ParseBudgets(r.Child("budgets"));
    if (r.Has("faq")) {
      JsonReader faq = r.Child("faq");
      for (size_t i = 0; i < faq.Size(); ++i) t.faq.push_back(ParseFaq(faq.At(i)));
    }
    t.workspace = ParseWorkspaceSpec(r.Child("workspace"), folder);
    return t;
  }
  t.description = r.String("description");
  t.data = ParseDataSource(r.Child("data"));
  t.problem = ParseProblem(r);
  if (t.data.kind == "synthetic") {
    if (t.problem == Problem::kRegression) {
      r.Fail("problem", "synthetic \"classification\" data needs binary or multiclass");
    }
    t.target_column = r.String("target_column", "label");
  } else if (r.Has("target_columns")) {
    if (r.Has("target_column")) r.Fail("target_columns", "give target_column or target_columns");
    std::vector<std::string> targets = r.Strings("target_columns");
    if (targets.size() < 2) r.Fail("target_columns", "expected two or more columns");
    if (t.problem != Problem::kRegression) {
      r.Fail("target_columns", "several targets need a regression problem");
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      if (std::find(targets.begin(), targets.begin() + i, targets[i]) != targets.begin() + i) {
        r.Fail("target_columns", "column '" + targets[i] + "' is listed twice");
      }
    }
    t.target_column = targets[0];
    t.other_target_columns.assign(targets.begin() + 1, targets.end());
  } else {
    t.target_column = r.String("target_column");
  }
  if (r.Has("drop_columns")) t.drop_columns = r.Strings("drop_columns");
  t.metric = r.String("metric");
  CheckMetric(r, t);

  JsonReader knobs = r.Child("knobs");
  if (knobs.Size() == 0) r.Fail("knobs", "must list at least one knob");
  for (size_t i = 0; i < knobs.Size(); ++i) {
    Knob k = ParseKnob(knobs.At(i));
    for (const auto& other : t.knobs) {
      if (other.name == k.name) knobs.At(i).Fail("name", "duplicate knob '" + k.name + "'");
    }
    t.knobs.push_back(std::move(k));
  }
  if (r.Has("fixed_params")) t.fixed_params = r.Child("fixed_params").value();
  CheckFixedParams(r, t);

  t.baseline = r.Child("baseline").value();
  if (Status bad = CheckConfig(t, t.baseline); !bad.ok()) r.Fail("baseline", bad.error());
  t.baseline = CanonicalConfig(t, t.baseline);

  t.target_improvement_pct = r.Number("target_improvement_pct", t.target_improvement_pct);
  if (!(t.target_improvement_pct > 0 && t.target_improvement_pct < 1000)) {
    r.Fail("target_improvement_pct", "expected a number in (0, 1000)");
  }
  if (r.Has("budgets")) t.budgets = ParseBudgets(r.Child("budgets"));
  t.valid_fraction = r.Number("valid_fraction", t.valid_fraction);
  t.test_fraction = r.Number("test_fraction", t.test_fraction);
  if (!(t.valid_fraction > 0 && t.valid_fraction < 0.9)) {
    r.Fail("valid_fraction", "expected a number in (0, 0.9)");
  }
  if (!(t.test_fraction > 0 && t.test_fraction < 0.9)) {
    r.Fail("test_fraction", "expected a number in (0, 0.9)");
  }
  if (t.valid_fraction + t.test_fraction > 0.8) {
    r.Fail("test_fraction", "valid_fraction + test_fraction must leave >= 20% for training");
  }
  if (r.Has("faq")) {
    JsonReader faq = r.Child("faq");
    for (size_t i = 0; i < faq.Size(); ++i) t.faq.push_back(ParseFaq(faq.At(i)));
  }
  return t;
}

TaskSpec LoadTaskSpec(const std::string& path) {
  Json json = ReadJsonInput(path);
  std::string folder = fs::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  return TaskSpecFromJson(json, path, folder);
}

Status CheckConfig(const TaskSpec& task, const Json& config) {
  if (!config.is_object()) return Status::Failure("config must be a JSON object of knob values");
  for (auto it = config.begin(); it != config.end(); ++it) {
    bool known = std::any_of(task.knobs.begin(), task.knobs.end(),
                             [&](const Knob& k) { return k.name == it.key(); });
    if (!known) {
      std::string list;
      for (const auto& k : task.knobs) list += (list.empty() ? "" : ", ") + k.name;
      return Status::Failure("unknown knob '" + it.key() + "' (knobs: " + list + ")");
    }
  }
  for (const auto& knob : task.knobs) {
    if (!config.contains(knob.name)) {
      return Status::Failure("missing knob '" + knob.name + "': expected " + RangeText(knob));
    }
    const Json& v = config.at(knob.name);
    std::string bad = "knob '" + knob.name + "' = " + v.dump() + ": expected " + RangeText(knob);
    if (knob.type == KnobType::kChoice) {
      if (!v.is_string()) return Status::Failure(bad);
      if (std::find(knob.choices.begin(), knob.choices.end(), v.get<std::string>()) ==
          knob.choices.end()) {
        return Status::Failure(bad);
      }
      continue;
    }
    if (!v.is_number()) return Status::Failure(bad);
    double d = v.get<double>();
    if (!std::isfinite(d)) return Status::Failure(bad);
    if (knob.type == KnobType::kInt && d != std::floor(d)) return Status::Failure(bad);
    if (d < knob.min || d > knob.max) return Status::Failure(bad);
  }
  return Status::Ok();
}

Json CanonicalConfig(const TaskSpec& task, const Json& config) {
  Json out = Json::object();
  if (!config.is_object()) return out;
  for (const auto& knob : task.knobs) {
    if (!config.contains(knob.name)) continue;
    const Json& v = config.at(knob.name);
    if (knob.type == KnobType::kInt && v.is_number()) {
      out[knob.name] = static_cast<long long>(std::llround(v.get<double>()));
    } else if (knob.type == KnobType::kFloat && v.is_number()) {
      out[knob.name] = std::strtod(FormatNumber(v.get<double>()).c_str(), nullptr);
    } else {
      out[knob.name] = v;
    }
  }
  // Keys that are not knobs keep their values, sorted, so invalid configs stay distinct.
  std::vector<std::string> extra;
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (!out.contains(it.key())) extra.push_back(it.key());
  }
  std::sort(extra.begin(), extra.end());
  for (const auto& k : extra) out[k] = config.at(k);
  return out;
}

Json MergeConfig(const TaskSpec& task, const Json& base, const Json& changes) {
  Json out = base.is_object() ? base : Json::object();
  if (changes.is_object()) {
    for (auto it = changes.begin(); it != changes.end(); ++it) out[it.key()] = it.value();
  }
  return CanonicalConfig(task, out);
}

double TargetMetric(const TaskSpec& task, double baseline_metric) {
  double delta = std::fabs(baseline_metric) * task.target_improvement_pct / 100.0;
  return task.higher_is_better ? baseline_metric + delta : baseline_metric - delta;
}

double ImprovementPct(const TaskSpec& task, double baseline_metric, double metric) {
  return MetricDirection{task.higher_is_better}.ImprovementPct(baseline_metric, metric);
}

bool MeetsTarget(const TaskSpec& task, double baseline_metric, double metric) {
  return MetricDirection{task.higher_is_better}.Meets(metric, TargetMetric(task, baseline_metric));
}

std::vector<std::string> ListTasks(const std::vector<std::string>& search_dirs) {
  std::vector<std::string> names;
  for (const auto& dir : search_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_directory() && fs::exists(entry.path() / "task.json")) {
        std::string name = entry.path().filename().string();
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TaskSpec FindTask(const std::string& name, const std::vector<std::string>& search_dirs) {
  for (const auto& dir : search_dirs) {
    fs::path file = fs::path(dir) / name / "task.json";
    std::error_code ec;
    if (name.empty() || name.find('/') != std::string::npos || !fs::is_regular_file(file, ec)) {
      continue;
    }
    TaskSpec t = LoadTaskSpec(file.string());
    if (t.name != name) {
      ThrowInput(file.string() + ": $.name",
                 "is \"" + t.name + "\" but the folder is \"" + name + "\"; make them equal");
    }
    return t;
  }
  std::string known;
  for (const auto& n : ListTasks(search_dirs)) known += (known.empty() ? "" : ", ") + n;
  std::string dirs;
  for (const auto& d : search_dirs) dirs += (dirs.empty() ? "" : ", ") + d;
  ThrowUsage("task '" + name + "'", "unknown task (known: " + (known.empty() ? "none" : known) +
                                        "; searched " + (dirs.empty() ? "no folders" : dirs) + ")");
}

std::vector<std::string> DefaultTaskDirs() {
  if (std::optional<std::string> env = GetEnv("CTXBENCH_TASKS_DIR")) {
    std::vector<std::string> dirs;
    std::string all = *env;
    size_t start = 0;
    while (start <= all.size()) {
      size_t end = all.find(':', start);
      if (end == std::string::npos) end = all.size();
      if (end > start) dirs.push_back(all.substr(start, end - start));
      start = end + 1;
    }
    return dirs;
  }
  return {ShareDir() + "/tasks"};
}

}  // namespace ctxbench
