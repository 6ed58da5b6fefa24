#include "run/run_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>

#include "agent/mode.h"
#include "core/error.h"
#include "core/json_int.h"
#include "core/json_limits.h"
#include "core/url.h"
#include "sandbox/uid_pool.h"

namespace ctxbench {

namespace {

const std::vector<std::string> kKnownFields = {"name",
                                               "tasks",
                                               "models",
                                               "context_policies",
                                               "policy_type",
                                               "reasoning_modes",
                                               "seeds",
                                               "num_steps",
                                               "steps_per_iteration",
                                               "budget",
                                               "parallel",
                                               "learner_threads",
                                               "out_dir",
                                               "data_dir",
                                               "token_counter",
                                               "task_dirs",
                                               "telemetry",
                                               "workspace",
                                               "fail_on_error"};

template <typename T>
void RequireUniqueNames(const std::vector<T>& items, const JsonReader& r, const std::string& key) {
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!seen.insert(items[i].name).second) {
      r.Fail(key + "[" + std::to_string(i) + "].name",
             "duplicate name '" + items[i].name + "'; names must be unique");
    }
  }
}

// A context budget no model comes near; an episode's token budget likewise.
constexpr long long kMaxTokens = 100'000'000;
constexpr long long kMaxEpisodeTokens = 1'000'000'000'000;
// Names become parts of folder and file names (run folders, episode ids in
// trace file names), which may be at most 255 bytes.
constexpr size_t kMaxNameLength = 64;

// "" when `name` may name a run, model or policy, else why not.
std::string NameProblem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > kMaxNameLength) {
    return "is " + std::to_string(name.size()) + " characters long; at most " +
           std::to_string(kMaxNameLength);
  }
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f) return "must not hold control characters";
  }
  return "";
}

// The run's name is part of its folder's name under out_dir: no '/', '\\'
// or "..", which would put the folder elsewhere.
void CheckRunName(const std::string& name, const JsonReader& r) {
  std::string problem = NameProblem(name);
  if (problem.empty() &&
      (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
       name.find("..") != std::string::npos)) {
    problem = "must not hold '/', '\\' or \"..\" (the run folder is made under out_dir)";
  }
  if (!problem.empty()) r.Fail("name", problem);
}

template <typename T>
void CheckNames(const std::vector<T>& items, const JsonReader& r, const std::string& key) {
  for (size_t i = 0; i < items.size(); ++i) {
    std::string problem = NameProblem(items[i].name);
    if (!problem.empty()) r.Fail(key + "[" + std::to_string(i) + "].name", problem);
  }
}

// fail_on_error: false (never), true (the first error), a count >= 1, or a
// fraction in (0, 1) of the planned episodes.
double FailOnError(const JsonReader& r) {
  const Json& v = r.value()["fail_on_error"];
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  const char* rule =
      "must be a count of errored episodes (1, 2, ...) or a fraction in (0, 1) of "
      "the planned episodes (or false)";
  if (!v.is_number()) r.Fail("fail_on_error", rule);
  double f = v.get<double>();
  if (!(f > 0) || (f >= 1 && f != std::floor(f)) || f > 1e9) r.Fail("fail_on_error", rule);
  return f;
}

}  // namespace

std::vector<uint64_t> ParseSeeds(const std::string& text, const std::string& where) {
  auto bad = [&] {
    ThrowUsage(where, "bad seed list '" + text +
                          "' (use e.g. 1,2,3 or 1-5: non-negative integers, "
                          "ranges with one '-', separated by commas)");
  };
  // The whole of `s` must be one decimal integer: "3x", "1..3" and "" are refused.
  auto number = [&](std::string_view s) {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) bad();
    return v;
  };
  std::vector<uint64_t> seeds;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma != std::string_view::npos && rest.empty()) bad();  // a trailing comma
    size_t dash = part.find('-');
    if (dash == std::string_view::npos) {
      seeds.push_back(number(part));
      continue;
    }
    uint64_t a = number(part.substr(0, dash)), b = number(part.substr(dash + 1));
    if (b < a || b - a > 10000) bad();
    for (uint64_t s = a; s <= b; ++s) seeds.push_back(s);
  }
  if (seeds.empty()) ThrowUsage(where, "no seeds given");
  return seeds;
}

RunConfig RunConfigFromJson(const Json& json, const std::string& source) {
  JsonReader r(json, source);
  r.RejectUnknown(kKnownFields);
  RunConfig c;
  c.source = source;
  c.name = r.String("name", "run");
  CheckRunName(c.name, r);
  if (json.contains("tasks") && json["tasks"].is_array()) {
    JsonReader tasks = r.Child("tasks");
    for (size_t i = 0; i < tasks.Size(); ++i) {
      JsonReader t = tasks.At(i);
      if (t.value().is_string()) {
        c.tasks.push_back(t.value().get<std::string>());
        continue;
      }
      if (!t.value().is_object()) t.Fail("", "expected a task name or an object with \"name\"");
      t.RejectUnknown({"name", "baseline", "target_improvement_pct"});
      RunConfig::TaskOverride o;
      o.where = t.Where();
      if (t.Has("baseline")) o.baseline = t.Child("baseline").value();
      if (t.Has("target_improvement_pct")) {
        o.target_improvement_pct = t.Number("target_improvement_pct");
        if (*o.target_improvement_pct <= 0) t.Fail("target_improvement_pct", "must be positive");
      }
      c.tasks.push_back(t.String("name"));
      c.task_overrides[c.tasks.back()] = o;
    }
  } else {
    c.tasks = r.Strings("tasks");
  }
  if (c.tasks.empty()) r.Fail("tasks", "name at least one task");

  JsonReader models = r.Child("models");
  for (size_t i = 0; i < models.Size(); ++i) {
    c.models.push_back(ModelConfigFromJson(models.At(i)));
    ValidateModelConfig(c.models.back(), models.At(i).Where());
  }
  if (c.models.empty()) r.Fail("models", "name at least one model");
  RequireUniqueNames(c.models, r, "models");
  CheckNames(c.models, r, "models");

  if (r.Has("context_policies")) {
    JsonReader policies = r.Child("context_policies");
    for (size_t i = 0; i < policies.Size(); ++i) {
      c.policies.push_back(PolicyConfigFromJson(policies.At(i)));
      MakePolicy(c.policies.back(), policies.At(i).Where());  // validates
    }
    RequireUniqueNames(c.policies, r, "context_policies");
    CheckNames(c.policies, r, "context_policies");
  }
  if (r.Has("policy_type")) {
    c.policies.push_back(PresetPolicy(r.String("policy_type"), r.Where("policy_type")));
  }
  if (c.policies.empty()) r.Fail("context_policies", "name at least one policy (or policy_type)");

  c.modes = r.Has("reasoning_modes") ? r.Strings("reasoning_modes")
                                     : std::vector<std::string>{"controller"};
  for (size_t i = 0; i < c.modes.size(); ++i) {
    ParseMode(c.modes[i], r.Where("reasoning_modes[" + std::to_string(i) + "]"));
  }
  if (!r.Has("seeds")) r.Fail("seeds", "missing required field (e.g. [1, 2, 3])");
  const Json& seeds = json["seeds"];
  if (seeds.is_string()) {
    c.seeds = ParseSeeds(seeds.get<std::string>(), r.Where("seeds"));
  } else if (seeds.is_array()) {
    for (size_t i = 0; i < seeds.size(); ++i) {
      if (!seeds[i].is_number_unsigned()) {
        r.Fail("seeds[" + std::to_string(i) + "]", "expected a non-negative integer");
      }
      c.seeds.push_back(seeds[i].get<uint64_t>());
    }
  } else {
    r.Fail("seeds", "expected an array of integers or a string like \"1-5\"");
  }
  if (c.seeds.empty()) r.Fail("seeds", "name at least one seed");

  if (r.Has("num_steps")) c.iterations = static_cast<int>(IntInRange(r, "num_steps", 1, 1000));
  if (r.Has("steps_per_iteration")) {
    c.steps_per_iteration = static_cast<int>(IntInRange(r, "steps_per_iteration", 1, 100));
  }
  if (r.Has("budget")) {
    JsonReader b = r.Child("budget");
    b.RejectUnknown(
        {"context_tokens", "max_tokens", "wall_seconds", "max_cost_usd", "run_max_cost_usd"});
    c.context_tokens =
        static_cast<int>(IntInRange(b, "context_tokens", 256, kMaxTokens, c.context_tokens));
    c.max_tokens = IntInRange(b, "max_tokens", 0, kMaxEpisodeTokens, 0);
    c.wall_seconds = b.Number("wall_seconds", 0);
    c.max_cost_usd = b.Number("max_cost_usd", 0);
    c.run_max_cost_usd = b.Number("run_max_cost_usd", 0);
    if (c.wall_seconds < 0) b.Fail("wall_seconds", "must be 0 (task budget) or more");
    if (c.max_cost_usd < 0) b.Fail("max_cost_usd", "must be 0 (task budget) or more");
    if (c.run_max_cost_usd < 0) b.Fail("run_max_cost_usd", "must be 0 (no limit) or more");
  }
  if (r.Has("fail_on_error")) c.fail_on_error = FailOnError(r);
  c.parallel = static_cast<int>(IntInRange(r, "parallel", 0, 256, 0));
  c.learner_threads = static_cast<int>(IntInRange(r, "learner_threads", 1, 256, 1));
  c.out_dir = r.String("out_dir", c.out_dir);
  c.data_dir = r.String("data_dir", "");
  c.token_counter = r.String("token_counter", c.token_counter);
  if (r.Has("task_dirs")) c.task_dirs = r.Strings("task_dirs");
  if (r.Has("telemetry")) c.telemetry = TelemetryConfigFromJson(r.Child("telemetry"));
  if (r.Has("workspace")) {
    JsonReader w = r.Child("workspace");
    w.RejectUnknown({"snapshots", "sandbox_uids"});
    c.workspace_snapshots = w.Bool("snapshots", false);
    c.sandbox_uids = w.String("sandbox_uids", c.sandbox_uids);
    Expected<UidRange> range = ParseUidRange(c.sandbox_uids);
    if (!range) w.Fail("sandbox_uids", range.error());
  }
  return c;
}

RunConfig LoadRunConfig(const std::string& path) {
  return RunConfigFromJson(ReadJsonInput(path), path);
}

void ApplyOverrides(const RunOverrides& o, RunConfig& c) {
  if (!o.tasks.empty()) c.tasks = o.tasks;
  if (!o.models.empty()) {
    std::vector<ModelConfig> chosen;
    for (const std::string& m : o.models) {
      auto it = std::find_if(c.models.begin(), c.models.end(),
                             [&](const ModelConfig& mc) { return mc.name == m; });
      if (it != c.models.end()) {
        chosen.push_back(*it);
      } else if (m.rfind("openai:", 0) == 0) {
        std::string id = m.substr(7);
        if (id.empty()) ThrowUsage("--model " + m, "name the model: openai:MODEL_NAME");
        ModelConfig mc{id, "openai", Json{{"model", id}}};
        for (const ModelConfig& known : c.models) {
          if (known.kind == "openai" && known.params.value("model", "") == id) mc = known;
        }
        chosen.push_back(mc);
      } else if (m == "sim" || m == "replay") {
        ModelConfig mc{m, m, Json::object()};
        ValidateModelConfig(mc, "--model " + m);
        chosen.push_back(mc);
      } else {
        std::string names;
        for (const auto& mc : c.models) names += (names.empty() ? "" : ", ") + mc.name;
        ThrowUsage("--model " + m,
                   "no model of that name in the config (configured: " + names +
                       ") and no model kind '" + m +
                       "' (kinds: sim, replay, openai:MODEL_NAME); "
                       "for a model an OpenAI-compatible server serves, write --model openai:" +
                       (m.rfind("openai", 0) == 0 ? std::string("MODEL_NAME") : m));
      }
    }
    c.models = chosen;
  }
  if (o.base_url) {
    bool any = false;
    for (ModelConfig& mc : c.models) {
      if (mc.kind != "openai") continue;
      mc.params["base_url"] = *o.base_url;
      any = true;
    }
    if (!any) ThrowUsage("--base-url", "applies to openai models, and the run has none");
  }
  for (const ModelConfig& mc : c.models) {
    if (mc.kind == "openai") ValidateModelConfig(mc, "--model " + mc.name);
  }
  if (o.policy_type) c.policies = {PresetPolicy(*o.policy_type, "--policy-type")};
  if (!o.policies.empty()) {
    std::vector<PolicyConfig> chosen;
    for (const std::string& p : o.policies) {
      auto it = std::find_if(c.policies.begin(), c.policies.end(),
                             [&](const PolicyConfig& pc) { return pc.name == p; });
      if (it != c.policies.end()) {
        chosen.push_back(*it);
        continue;
      }
      std::string names;
      for (const auto& pc : c.policies) names += (names.empty() ? "" : ", ") + pc.name;
      if (p == "full") {
        chosen.push_back({"full", "full", Json::object()});
      } else {
        ThrowUsage("--policy " + p, "no policy of that name in the config (configured: " + names +
                                        "; or use --policy full)");
      }
    }
    c.policies = chosen;
  }
  if (!o.modes.empty()) {
    for (const std::string& m : o.modes) ParseMode(m, "--reasoning-mode");
    c.modes = o.modes;
  }
  if (o.num_steps) {
    if (*o.num_steps < 1 || *o.num_steps > 1000) ThrowUsage("--num-steps", "must be in [1, 1000]");
    c.iterations = *o.num_steps;
  }
  if (o.seeds) c.seeds = ParseSeeds(*o.seeds, "--seeds");
  if (o.out) c.out_dir = *o.out;
  if (o.parallel) {
    if (*o.parallel < 0 || *o.parallel > 256) ThrowUsage("--parallel", "must be in [0, 256]");
    c.parallel = *o.parallel;
  }
}

Json RunConfigToJson(const RunConfig& c) {
  Json models = Json::array();
  for (const auto& m : c.models) {
    Json j = {{"name", m.name}, {"kind", m.kind}};
    for (auto it = m.params.begin(); it != m.params.end(); ++it) j[it.key()] = it.value();
    // A password in a URL is never written (run.json, summary.json, results.db).
    if (j.contains("base_url") && j["base_url"].is_string()) {
      j["base_url"] = RedactUrlCredentials(j["base_url"].get<std::string>());
    }
    // Nor a header's value (a token, often): the names stay, for the record.
    if (j.contains("headers") && j["headers"].is_object()) {
      Json& headers = j["headers"];
      for (auto it = headers.begin(); it != headers.end(); ++it) it.value() = "[redacted]";
    }
    models.push_back(j);
  }
  Json policies = Json::array();
  for (const auto& p : c.policies) {
    Json j = {{"name", p.name}, {"type", p.type}};
    for (auto it = p.params.begin(); it != p.params.end(); ++it) j[it.key()] = it.value();
    policies.push_back(j);
  }
  Json tasks = Json::array();
  for (const auto& t : c.tasks) {
    auto o = c.task_overrides.find(t);
    if (o == c.task_overrides.end()) {
      tasks.push_back(t);
      continue;
    }
    Json entry = {{"name", t}};
    if (!o->second.baseline.is_null()) entry["baseline"] = o->second.baseline;
    if (o->second.target_improvement_pct) {
      entry["target_improvement_pct"] = *o->second.target_improvement_pct;
    }
    tasks.push_back(entry);
  }
  Json j = {{"name", c.name},
            {"tasks", tasks},
            {"models", models},
            {"context_policies", policies},
            {"reasoning_modes", c.modes},
            {"seeds", c.seeds},
            {"budget",
             {{"context_tokens", c.context_tokens},
              {"max_tokens", c.max_tokens},
              {"wall_seconds", c.wall_seconds},
              {"max_cost_usd", c.max_cost_usd}}},
            {"parallel", c.parallel},
            {"learner_threads", c.learner_threads},
            {"out_dir", c.out_dir},
            {"data_dir", c.data_dir},
            {"token_counter", c.token_counter}};
  if (c.iterations) j["num_steps"] = *c.iterations;
  if (c.steps_per_iteration) j["steps_per_iteration"] = *c.steps_per_iteration;
  if (!c.task_dirs.empty()) j["task_dirs"] = c.task_dirs;
  if (c.workspace_snapshots) j["workspace"]["snapshots"] = true;
  if (c.sandbox_uids != kDefaultSandboxUids) j["workspace"]["sandbox_uids"] = c.sandbox_uids;
  // Written only when set, so summary.json of a config without them is unchanged.
  if (c.run_max_cost_usd > 0) j["budget"]["run_max_cost_usd"] = c.run_max_cost_usd;
  if (c.fail_on_error > 0) j["fail_on_error"] = c.fail_on_error;
  return j;
}

}  // namespace ctxbench
