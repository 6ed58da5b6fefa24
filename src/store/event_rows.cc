#include "store/event_rows.h"

#include <cstdint>
#include <vector>

#include "events/payloads.h"

namespace ctxbench {

namespace {

const Json& Field(const Json& json, const char* key) {
  static const Json kNull;
  if (!json.is_object()) return kNull;
  auto it = json.find(key);
  return it == json.end() ? kNull : *it;
}

void BindOptText(Statement& st, int index, const std::string& text) {
  if (text.empty()) {
    st.BindNull(index);
  } else {
    st.Bind(index, text);
  }
}

// Binds the key columns (episode_id, run_id, task, policy, model, mode, seed)
// at 1..7.
void BindKey(Statement& st, const std::string& run_id, const EpisodeKey& key,
             const std::string& id) {
  st.Bind(1, id);
  BindOptText(st, 2, run_id);
  st.Bind(3, key.task).Bind(4, key.policy).Bind(5, key.model).Bind(6, key.mode);
  st.Bind(7, static_cast<int64_t>(key.seed));
}

// Compact JSON text of `json`, NULL for null: the text SQLite's json_extract
// reads the episode's generated columns from.
void BindJsonText(Statement& st, int index, const Json& json) {
  if (json.is_null()) {
    st.BindNull(index);
  } else {
    st.Bind(index, json.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
}

void WriteEpisodeStart(SqliteDb& db, const std::string& run_id, const EpisodeKey& key,
                       const std::string& id, const Event& event) {
  DeleteEpisodeRows(db, id);
  Statement& st = db.Prepare(
      "INSERT INTO episodes (episode_id, run_id, task, policy, model, mode, seed, status, "
      "start_json, started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8, ?9)");
  BindKey(st, run_id, key, id);
  // The start's facts; the agent's interface (tool and answer schemas, most
  // of the text) stays in `events` alone.
  Json start = EpisodeStartData::FromJson(event.data).ToJson();
  start.erase("tools");
  start.erase("final_answer_schema");
  BindJsonText(st, 8, start);
  st.Bind(9, event.time);
  st.Run();
}

// "complete", "error" or "interrupted": the outcome's status if it is one of
// these, else "error" when the outcome names an error, else "complete".
std::string EndStatus(const Json& outcome) {
  const Json& status = Field(outcome, "status");
  if (status == "complete" || status == "error" || status == "interrupted") {
    return status.get<std::string>();
  }
  const Json& error = Field(outcome, "error");
  if (error.is_string() && !error.get<std::string>().empty()) return "error";
  return "complete";
}

void WriteEpisodeEnd(SqliteDb& db, const std::string& run_id, const EpisodeKey& key,
                     const std::string& id, const Event& event) {
  const Json outcome = EpisodeEndData::FromJson(event.data).outcome;
  Statement& st = db.Prepare(
      "INSERT INTO episodes (episode_id, run_id, task, policy, model, mode, seed, status, "
      "outcome_json, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (episode_id) DO UPDATE SET status = excluded.status, "
      "outcome_json = excluded.outcome_json, ended_at = excluded.ended_at");
  BindKey(st, run_id, key, id);
  st.Bind(8, EndStatus(outcome));
  BindJsonText(st, 9, outcome);
  st.Bind(10, event.time);
  st.Run();
}

void WriteContext(SqliteDb& db, const std::string& id, const Event& event) {
  Statement& st = db.Prepare(
      "INSERT INTO steps (episode_id, step, iteration, context_tokens, manifest_json, time) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (episode_id, step) DO UPDATE SET "
      "iteration = excluded.iteration, context_tokens = excluded.context_tokens, "
      "manifest_json = excluded.manifest_json, time = COALESCE(time, excluded.time)");
  st.Bind(1, id).Bind(2, static_cast<int64_t>(event.step));
  st.Bind(3, static_cast<int64_t>(event.iteration));
  ContextData context = ContextData::FromJson(event.data);
  st.Bind(4, int64_t{context.tokens});
  st.BindJson(5, context.manifest.is_null() ? nullptr : &context.manifest);
  st.Bind(6, event.time).Run();
}

void WriteStepSummary(SqliteDb& db, const std::string& id, const Event& event) {
  Statement& st = db.Prepare(
      "INSERT INTO steps (episode_id, step, iteration, context_tokens, action, prompt_tokens, "
      "completion_tokens, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (episode_id, step) DO UPDATE SET iteration = excluded.iteration, "
      "context_tokens = COALESCE(excluded.context_tokens, context_tokens), "
      "action = excluded.action, prompt_tokens = excluded.prompt_tokens, "
      "completion_tokens = excluded.completion_tokens, time = COALESCE(time, excluded.time)");
  StepSummaryData d = StepSummaryData::FromJson(event.data);
  st.Bind(1, id);
  st.Bind(2, int64_t{d.step > 0 ? d.step : event.step});
  st.Bind(3, static_cast<int64_t>(event.iteration));
  st.Bind(4, int64_t{d.context_tokens}).Bind(5, d.action);
  st.Bind(6, static_cast<int64_t>(d.prompt_tokens))
      .Bind(7, static_cast<int64_t>(d.completion_tokens));
  st.Bind(8, event.time).Run();
}

// A column of a per-event table and the event data field it is read from
// (null: the field of the column's name).
struct DataColumn {
  const char* column;
  const char* field = nullptr;
};

// "INSERT OR REPLACE INTO `table`" of the row keyed (episode_id, seq), with
// the event's position (iteration, step, time) at ?3..?5, then
// `data_columns`, then `extra` columns, numbered on. Each caller builds its
// statement's text once (a static).
std::string EventRowSql(const std::string& table, const std::vector<DataColumn>& data_columns,
                        const std::vector<const char*>& extra) {
  std::string columns = "episode_id, seq, iteration, step, time", values = "?1, ?2, ?3, ?4, ?5";
  int index = 6;
  for (const DataColumn& c : data_columns) {
    columns += std::string(", ") + c.column;
    values += ", ?" + std::to_string(index++);
  }
  for (const char* column : extra) {
    columns += std::string(", ") + column;
    values += ", ?" + std::to_string(index++);
  }
  return "INSERT OR REPLACE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
}

// Prepares `sql` (from EventRowSql) and binds all but its extra columns:
// the key and position, then `data_columns` from `data` (the event's
// payload as its struct writes it). Returns the statement and, in `next`,
// the first extra index.
Statement& PrepareEventRow(SqliteDb& db, const std::string& sql, const std::string& id,
                           const Event& event, const Json& data,
                           const std::vector<DataColumn>& data_columns, int* next) {
  Statement& st = db.Prepare(sql);
  st.Bind(1, id).Bind(2, event.seq).Bind(3, static_cast<int64_t>(event.iteration));
  st.Bind(4, static_cast<int64_t>(event.step)).Bind(5, event.time);
  int index = 6;
  for (const DataColumn& c : data_columns) {
    st.BindField(index++, data, c.field ? c.field : c.column);
  }
  if (next) *next = index;
  return st;
}

void WriteLlmCall(SqliteDb& db, const std::string& id, const Event& event) {
  static const std::vector<DataColumn> kColumns = {
      {"purpose"},          {"prompt_tokens"}, {"completion_tokens"}, {"cached_prompt_tokens"},
      {"cost_usd"},         {"latency_s"},     {"cache_hit"},         {"context_tokens"},
      {"estimated_tokens"}, {"finish_reason"}, {"attempts"},          {"error"}};
  static const std::string kSql = EventRowSql("llm_calls", kColumns, {"reply", "tool_calls_json"});
  int next = 0;
  const Json data = LlmCallData::FromJson(event.data).ToJson();
  Statement& st = PrepareEventRow(db, kSql, id, event, data, kColumns, &next);
  if (event.message) {
    st.Bind(next, event.message->content);
    Json message = MessageToJson(*event.message);
    st.BindField(next + 1, message, "tool_calls");
  } else {
    st.BindNull(next).BindNull(next + 1);
  }
  st.Run();
}

void WriteExperiment(SqliteDb& db, const std::string& id, const Event& event) {
  static const std::vector<DataColumn> kColumns = {
      {"experiment"},   {"config_json", "config"}, {"ok"},     {"error"},
      {"valid_metric"}, {"test_metric"},           {"cached"}, {"train_seconds"}};
  static const std::string kSql = EventRowSql("experiments", kColumns, {});
  const Json data = ExperimentData::FromJson(event.data).ToJson();
  PrepareEventRow(db, kSql, id, event, data, kColumns, nullptr).Run();
}

}  // namespace

void WriteEventRows(SqliteDb& db, const std::string& run_id, const EpisodeKey& key,
                    const std::string& episode_id, const Event& event, const std::string& json) {
  // episode.start first: it clears the rows of an earlier attempt.
  switch (event.type) {
    case EventType::kEpisodeStart:
      WriteEpisodeStart(db, run_id, key, episode_id, event);
      break;
    case EventType::kEpisodeEnd:
      WriteEpisodeEnd(db, run_id, key, episode_id, event);
      break;
    case EventType::kContext:
      WriteContext(db, episode_id, event);
      break;
    case EventType::kStepSummary:
      WriteStepSummary(db, episode_id, event);
      break;
    case EventType::kLlmCall:
      WriteLlmCall(db, episode_id, event);
      break;
    case EventType::kExperiment:
      WriteExperiment(db, episode_id, event);
      break;
    default:
      break;
  }
  static const std::string kSql = EventRowSql("events", {}, {"type", "json"});
  int next = 0;
  Statement& st = PrepareEventRow(db, kSql, episode_id, event, Json(), {}, &next);
  st.Bind(next, EventTypeName(event.type));
  st.Bind(next + 1, json).Run();
}

void DeleteEpisodeRows(SqliteDb& db, const std::string& episode_id) {
  for (const char* table : {"episodes", "steps", "llm_calls", "experiments", "events"}) {
    db.Prepare(std::string("DELETE FROM ") + table + " WHERE episode_id = ?1")
        .Bind(1, episode_id)
        .Run();
  }
}

}  // namespace ctxbench
