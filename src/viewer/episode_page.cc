#include "viewer/episode_page.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "agent/fold_outcome.h"
#include "context/policy.h"
#include "core/error.h"
#include "core/sqlite_db.h"
#include "events/payloads.h"
#include "store/read_only_store.h"
#include "viewer/file_edits.h"
#include "viewer/run_pages.h"

namespace ctxbench {

namespace {

constexpr size_t kMaxText = 4000;

std::string Cut(const std::string& text) {
  if (text.size() <= kMaxText) return text;
  size_t end = kMaxText;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "… [" + std::to_string(text.size() - end) + " more characters]";
}

Json CutStrings(const Json& value) {
  if (value.is_string()) return Cut(value.get<std::string>());
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto& item : out) item = CutStrings(item);
    return out;
  }
  return value;
}

// An op.context event's data without the manifest's message records (the
// X-ray shows those): the counts of what it kept, masked, cut and dropped.
// An op.context without a manifest shows its tokens only; a manifest of an
// older writer shows the defaults of the fields it lacks.
Json ContextCounts(const ContextData& context) {
  Json out = {{"tokens", context.tokens}};
  if (context.manifest.is_null()) return out;
  const Manifest m = Manifest::FromJson(context.manifest);
  out["policy"] = m.policy;
  out["budget_tokens"] = m.budget_tokens;
  out["total_tokens"] = m.total_tokens;
  out["section_tokens"] = m.section_tokens;
  out["kept"] = m.kept.size();
  out["masked"] = m.masked.size();
  out["truncated"] = m.truncated.size();
  out["dropped"] = m.dropped_ranges.size();
  return out;
}

}  // namespace

std::vector<Event> ReadEpisodeEvents(const RunFolder& run, const std::string& episode_id) {
  auto db = OpenStoreReadOnly(run.db);
  Statement& st = db->Prepare("SELECT json FROM events WHERE episode_id = ?1 ORDER BY seq");
  st.Bind(1, episode_id);
  std::vector<Event> events;
  while (st.Step()) {
    Json j = ParseStoredObject(st.Text(0), run.db + ": an event of " + episode_id);
    // An event of a type this ctxbench does not know is not shown.
    if (std::optional<Event> e = EventFromJson(j)) events.push_back(std::move(*e));
  }
  st.Reset();
  if (events.empty()) ThrowInput(episode_id, "no such episode in " + run.id);
  return events;
}

Json EpisodeJson(const RunFolder& run, const std::string& episode_id) {
  auto db = OpenStoreReadOnly(run.db);
  Statement& row = db->Prepare(
      "SELECT json_object('episode_id', episode_id, 'task', task, 'policy', policy, "
      "'model', model, 'mode', mode, 'seed', seed, 'status', status, "
      "'started_at', started_at, 'ended_at', ended_at), "
      "outcome_json FROM episodes WHERE episode_id = ?1");
  row.Bind(1, episode_id);
  if (!row.Step()) ThrowInput(episode_id, "no such episode in " + run.id);
  Json episode = ParseStoredObject(row.Text(0), run.db + ": the episode row of " + episode_id);
  std::string outcome_json = row.IsNull(1) ? "" : row.Text(1);  // "": in progress
  Json outcome = outcome_json.empty()
                     ? Json::object()
                     : ParseStoredObject(outcome_json, run.db + ": the outcome of " + episode_id);
  row.Reset();

  std::vector<Event> events = ReadEpisodeEvents(run, episode_id);
  // Every outcome field, by the rule the report reads it with (for an
  // episode in progress, the fold of its events so far); the status stays
  // the row's (it says "running" for an episode in progress). A corrupt
  // store is the server's error (500), not the request's.
  Json facts =
      StoredOutcome(events, outcome_json, run.db + ": episode " + episode_id, ErrorCode::kRuntime)
          .ToJson();
  facts.erase("status");
  episode.update(facts);
  std::map<int64_t, Json> diffs;  // by the seq of the tool result
  for (const FileEditDiff& d : FileEditDiffs(events)) diffs[d.seq] = FileEditDiffToJson(d);
  Json timeline = Json::array();
  Json steps = Json::array();
  Json best = Json::array();
  // Until episode.start says otherwise (an episode that failed at its
  // start), higher counts as better.
  bool higher = true;
  double tokens = 0;
  std::optional<double> best_value;
  for (const Event& e : events) {
    Json item = {{"seq", e.seq},
                 {"type", EventTypeName(e.type)},
                 {"iteration", e.iteration},
                 {"step", e.step},
                 {"time", e.time}};
    if (e.message) {
      Json m = MessageToJson(*e.message);
      item["role"] = m.value("role", "");
      item["content"] = Cut(e.message->content);
      if (!e.message->name.empty()) item["name"] = e.message->name;
      if (m.contains("tool_calls")) item["tool_calls"] = CutStrings(m["tool_calls"]);
    }
    switch (e.type) {
      case EventType::kContext: {
        item["data"] = ContextCounts(ContextData::FromJson(e.data));
        if (e.step > 0) {
          steps.push_back({{"step", e.step},
                           {"iteration", e.iteration},
                           {"seq", e.seq},
                           {"tokens", item["data"].value("tokens", Json())},
                           {"budget", item["data"].value("budget_tokens", Json())}});
        }
        break;
      }
      case EventType::kEpisodeStart: {
        EpisodeStartData start = EpisodeStartData::FromJson(e.data);
        higher = start.higher_is_better;
        if (start.baseline_metric) {
          best_value = *start.baseline_metric;
          best.push_back({{"iteration", 0}, {"tokens", 0}, {"value", *best_value}});
        }
        item["data"] = CutStrings(e.data);
        break;
      }
      case EventType::kLlmCall: {
        LlmCallData call = LlmCallData::FromJson(e.data);
        tokens += static_cast<double>(call.prompt_tokens + call.completion_tokens);
        item["data"] = CutStrings(e.data);
        break;
      }
      case EventType::kExperiment: {
        item["data"] = CutStrings(e.data);
        ExperimentData x = ExperimentData::FromJson(e.data);
        double v = x.valid_metric.value_or(std::nan(""));
        if (x.ok && !std::isnan(v) &&
            (!best_value || (higher ? v > *best_value : v < *best_value))) {
          best_value = v;
          best.push_back({{"iteration", e.iteration}, {"tokens", tokens}, {"value", v}});
        }
        break;
      }
      default:
        item["data"] = CutStrings(e.data);
    }
    if (auto d = diffs.find(e.seq); d != diffs.end()) item["diff"] = std::move(d->second);
    timeline.push_back(std::move(item));
  }
  return {{"run", run.id},        {"episode", episode}, {"outcome", outcome},
          {"timeline", timeline}, {"steps", steps},     {"best_so_far", best}};
}

}  // namespace ctxbench
