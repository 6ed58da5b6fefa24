#include "report/run_data.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <thread>

#include "agent/fold_outcome.h"
#include "core/error.h"
#include "core/file.h"
#include "core/json_limits.h"
#include "core/metric_direction.h"
#include "events/event.h"
#include "events/payloads.h"
#include "store/sqlite_store.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

double Num(const Json& j, const char* key, double fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

// Threads that read episodes' events at once.
constexpr size_t kLoadThreads = 4;

// What the report reads of an episode's events: the payloads of the types
// that FoldOutcome, ReadEvents and ReadWorkspaceStats look into, without
// the parts none of them read (messages, context manifests, schemas, and of
// episode.end's copy of the outcome all but wall time, which is all
// FoldOutcome reads of it); the other types by their envelope alone (their
// type and position are all FoldOutcome counts of op.invalid_action and
// op.clarification). So FoldOutcome of the projected events is FoldOutcome
// of the whole log, field for field (run_data_test checks it).
const EventProjection& ReportProjection() {
  static const EventProjection kProjection = [] {
    EventProjection p;
    p.types = {EventType::kEpisodeStart, EventType::kLlmCall,         EventType::kContext,
               EventType::kExperiment,   EventType::kToolResult,      EventType::kObservation,
               EventType::kFinalAnswer,  EventType::kFinalEvaluation, EventType::kStop,
               EventType::kEpisodeEnd};
    p.drop[EventType::kEpisodeStart] = {"$.data.final_answer_schema", "$.data.tools"};
    p.drop[EventType::kLlmCall] = {"$.message", "$.data.messages"};
    p.drop[EventType::kContext] = {"$.data.manifest"};
    p.drop[EventType::kToolResult] = {"$.message"};
    p.drop[EventType::kObservation] = {"$.message"};
    p.drop[EventType::kEpisodeEnd] = {"$.data.outcome.history", "$.data.outcome.best_config",
                                      "$.data.outcome.final_config",
                                      "$.data.outcome.final_summary"};
    return p;
  }();
  return kProjection;
}

// Fills the series and the counts that only the events hold, from the
// events and e.outcome (read first).
void ReadEvents(const std::vector<Event>& events, EpisodeData& e) {
  const Outcome& o = e.outcome;
  MetricDirection direction{o.higher_is_better};
  double best = o.baseline_metric;
  double tokens = 0;
  e.best_by_iteration = {{0, best}};
  e.best_by_tokens = {{0, best}};
  for (const Event& ev : events) {
    switch (ev.type) {
      case EventType::kLlmCall: {
        LlmCallData call = LlmCallData::FromJson(ev.data);
        tokens += double(call.prompt_tokens) + double(call.completion_tokens);
        break;
      }
      case EventType::kContext:
        if (ev.step > 0) {
          e.context_by_step.push_back(
              {double(ev.step), double(ContextData::FromJson(ev.data).tokens)});
        }
        break;
      case EventType::kExperiment: {
        ++e.experiments;
        ExperimentData x = ExperimentData::FromJson(ev.data);
        if (!x.ok || !x.valid_metric) break;
        double m = *x.valid_metric;
        if (std::isnan(m) || !direction.Better(m, best)) break;
        best = m;
        e.best_by_tokens.push_back({tokens, best});
        if (!e.best_by_iteration.empty() && e.best_by_iteration.back().x == ev.iteration) {
          e.best_by_iteration.back().y = best;
        } else {
          e.best_by_iteration.push_back({double(ev.iteration), best});
        }
        if (!e.iterations_to_target && direction.Meets(best, o.target_metric)) {
          e.iterations_to_target = ev.iteration;
        }
        break;
      }
      default:
        break;
    }
  }
  // Close both series at the episode's end so a flat tail is drawn.
  if (o.iterations > e.best_by_iteration.back().x) {
    e.best_by_iteration.push_back({double(o.iterations), best});
  }
  if (tokens > e.best_by_tokens.back().x) e.best_by_tokens.push_back({tokens, best});
}

std::vector<std::string> Strings(const Json& config, const char* key, const char* name_key) {
  std::vector<std::string> out;
  auto it = config.find(key);
  if (it == config.end() || !it->is_array()) return out;
  for (const Json& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    if (item.is_object() && item.contains(name_key) && item[name_key].is_string()) {
      out.push_back(item[name_key].get<std::string>());
    }
  }
  return out;
}

// "window, max_turns 3": a policy's parameters in one line, from its config
// entry (type first, the name left out; nested stages as type(params)).
std::string ParamsLine(const Json& item) {
  if (item.is_string()) return "preset";
  if (!item.is_object()) return "";
  std::string type = ValueOr(item, "type", std::string());
  std::string params;
  for (const auto& [k, v] : item.items()) {
    if (k == "name" || k == "type") continue;
    std::string value;
    if (k == "stages" && v.is_array()) {
      for (const Json& stage : v) {
        std::string inner = ParamsLine(stage);
        size_t comma = inner.find(", ");
        std::string head = comma == std::string::npos ? inner : inner.substr(0, comma);
        std::string rest = comma == std::string::npos ? "" : inner.substr(comma + 2);
        value += (value.empty() ? "" : " then ") + head + (rest.empty() ? "" : "(" + rest + ")");
      }
    } else {
      value = v.is_string() ? v.get<std::string>() : v.dump();
    }
    params += ", " + k + " " + value;
  }
  return (type.empty() ? "?" : type) + (params.empty() ? " (its defaults)" : params);
}

}  // namespace

std::optional<double> EpisodeData::claim_gap() const {
  if (!outcome.claimed_metric || !outcome.final_valid_metric) return std::nullopt;
  return std::fabs(*outcome.claimed_metric - *outcome.final_valid_metric);
}

std::vector<const EpisodeData*> RunData::Finished() const {
  // Sorted by id, each id built once (ids are unique: the same order as
  // comparing a->key.Id() < b->key.Id()).
  std::vector<std::pair<std::string, const EpisodeData*>> keyed;
  keyed.reserve(episodes.size() + errored.size());
  for (const EpisodeData& e : episodes) keyed.emplace_back(e.key.Id(), &e);
  for (const EpisodeData& e : errored) keyed.emplace_back(e.key.Id(), &e);
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const EpisodeData*> out;
  out.reserve(keyed.size());
  for (const auto& [id, e] : keyed) out.push_back(e);
  return out;
}

ModelInfo RunData::Model(const std::string& name) const {
  for (const ModelInfo& m : models) {
    if (m.name == name) return m;
  }
  return {name, "", ""};
}

bool IsSimModel(const RunData& run, const std::string& model) {
  return run.Model(model).kind == "sim";
}

std::string ModelLabel(const RunData& run, const std::string& model) {
  ModelInfo m = run.Model(model);
  if (m.kind == "sim") return m.name + " (built-in sim experimenter, not an LLM)";
  if (!m.model.empty() && m.model != m.name) return m.name + " (" + m.model + ")";
  return m.name;
}

RunData LoadRunData(const std::string& run_dir) {
  fs::path db = fs::path(run_dir) / "results.db";
  if (!fs::is_regular_file(db)) ThrowInput(run_dir, "not a run folder (no results.db)");
  RunData run;
  run.dir = run_dir;
  run.run_id = fs::path(run_dir).lexically_normal().filename().string();
  if (run.run_id.empty())
    run.run_id = fs::path(run_dir).lexically_normal().parent_path().filename();
  fs::path run_json = fs::path(run_dir) / "run.json";
  if (fs::is_regular_file(run_json)) {
    Json j = ParseJsonWithin(ReadFile(run_json.string()), kMaxStoredJsonDepth);
    if (j.is_object() && j.contains("run_id") && j["run_id"].is_string()) {
      run.run_id = j["run_id"].get<std::string>();
    }
    if (j.is_object() && j.contains("episodes_planned") && j["episodes_planned"].is_number()) {
      run.planned = j["episodes_planned"].get<size_t>();
    }
    if (j.is_object() && j.contains("status_reason") && j["status_reason"].is_string()) {
      run.status_reason = j["status_reason"].get<std::string>();
    }
  }
  auto store = SqliteStore::OpenReadOnly(db.string());
  std::optional<RunRow> row = store->Run(run.run_id);
  if (!row) ThrowInput(db.string(), "holds no run '" + run.run_id + "'");
  run.name = row->name;
  run.status = RecordedRunStatusName(row->status);
  run.version = row->ctxbench_version;
  run.started_at = row->started_at.value_or(0);
  run.finished_at = row->finished_at.value_or(0);
  Json config = ParseJsonWithin(row->config_json, kMaxStoredJsonDepth);
  if (config.is_object()) {
    run.tasks = Strings(config, "tasks", "name");
    run.policies = Strings(config, "context_policies", "name");
    run.modes = Strings(config, "reasoning_modes", "name");
    if (auto it = config.find("context_policies"); it != config.end() && it->is_array()) {
      for (const Json& item : *it) {
        std::string name =
            item.is_string() ? item.get<std::string>() : ValueOr(item, "name", std::string());
        if (!name.empty()) run.policy_params.push_back({name, ParamsLine(item)});
      }
    }
    run.num_steps = static_cast<int>(Num(config, "num_steps"));
    if (auto it = config.find("budget"); it != config.end() && it->is_object()) {
      run.context_budget = static_cast<long long>(Num(*it, "context_tokens"));
      run.max_tokens = static_cast<long long>(Num(*it, "max_tokens"));
    }
    run.token_counter = ValueOr(config, "token_counter", std::string());
    if (config.contains("seeds") && config["seeds"].is_array()) {
      for (const Json& s : config["seeds"]) {
        if (s.is_number_unsigned()) run.seeds.push_back(s.get<uint64_t>());
      }
    }
    if (config.contains("models") && config["models"].is_array()) {
      for (const Json& m : config["models"]) {
        if (!m.is_object()) continue;
        ModelInfo info;
        info.name = ValueOr(m, "name", std::string());
        info.kind = ValueOr(m, "kind", std::string());
        info.model = ValueOr(m, "model", std::string());
        run.models.push_back(info);
      }
    }
  }
  std::vector<EpisodeRow> rows;
  for (EpisodeRow& r : store->Episodes(run.run_id)) {
    // Unfinished: still running (a crashed run), or cut short by a signal.
    if (r.status == EpisodeStatus::kComplete || r.status == EpisodeStatus::kError) {
      rows.push_back(std::move(r));
    }
  }
  // Each episode's events are read and folded on a few threads (the store
  // parses outside its lock); the episodes keep the store's order, and an
  // error is the first episode's in that order, as when read one by one.
  std::vector<EpisodeData> loaded(rows.size());
  std::vector<std::exception_ptr> errors(rows.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < rows.size(); i = next++) {
      const EpisodeRow& r = rows[i];
      try {
        std::vector<Event> events = store->Events(r.episode_id, ReportProjection());
        loaded[i].key = r.key;
        loaded[i].outcome =
            StoredOutcome(events, r.outcome_json, db.string() + ": episode " + r.episode_id);
        ReadEvents(events, loaded[i]);
        loaded[i].workspace = ReadWorkspaceStats(events);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  size_t threads = std::min<size_t>(
      {kLoadThreads, std::max(1u, std::thread::hardware_concurrency()), rows.size()});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    (loaded[i].outcome.status == EpisodeStatus::kComplete ? run.episodes : run.errored)
        .push_back(std::move(loaded[i]));
  }
  run.planned = std::max(run.planned, run.episodes.size() + run.errored.size());
  return run;
}

}  // namespace ctxbench
