#include "store/store_upgrade.h"

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json.h"
#include "store/store_schema.h"

namespace ctxbench {

namespace {

// The columns of a version 1 or 2 `episodes` row that version 3 generates:
// each must read the same after the upgrade.
constexpr const char* kGeneratedColumns[] = {
    "metric",          "higher_is_better",     "baseline_metric",
    "target_metric",   "best_valid_metric",    "improvement_pct",
    "success",         "final_answer_valid",   "test_metric",
    "claimed_metric",  "iterations",           "steps",
    "llm_calls",       "prompt_tokens",        "completion_tokens",
    "cost_usd",        "wall_seconds",         "repeated_configs",
    "invalid_actions", "errors_recovered",     "stop_rule",
    "error",           "baseline_config_json", "final_config_json"};

// Column `value` of `st`'s row as JSON by its SQLite type (`type`, the
// typeof() of it): a REAL keeps its exact double (nlohmann writes the
// shortest text that reads back to it; SQL's json_object would round it to
// 15 digits).
Json TypedValue(const Statement& st, int type, int value) {
  std::string name = st.Text(type);
  if (name == "null") return nullptr;
  if (name == "integer") return st.Int(value);
  if (name == "real") return st.Real(value);
  return st.Text(value);
}

// Sets each new row's start_json from the start columns of its old row: the
// facts version 3 generates those columns from. A row without any (an
// episode.end without its start) keeps a NULL start_json.
void FillStartJson(SqliteDb& db) {
  Statement& rows = db.Prepare(
      "SELECT episode_id, typeof(metric), metric, typeof(higher_is_better), higher_is_better, "
      "typeof(baseline_metric), baseline_metric, typeof(target_metric), target_metric, "
      "baseline_config_json FROM episodes_old WHERE metric IS NOT NULL OR higher_is_better IS "
      "NOT NULL OR baseline_metric IS NOT NULL OR target_metric IS NOT NULL OR "
      "baseline_config_json IS NOT NULL");
  std::vector<std::pair<std::string, std::string>> starts;  // episode_id, start_json
  while (rows.Step()) {
    Json start = {{"metric", TypedValue(rows, 1, 2)},
                  {"higher_is_better", TypedValue(rows, 3, 4)},
                  {"baseline_metric", TypedValue(rows, 5, 6)},
                  {"target_metric", TypedValue(rows, 7, 8)},
                  {"baseline_config", nullptr}};
    if (start["higher_is_better"].is_number_integer()) {
      start["higher_is_better"] = start["higher_is_better"].get<int64_t>() != 0;
    }
    if (!rows.IsNull(9)) {
      std::string config = rows.Text(9);
      try {
        start["baseline_config"] = ParseJson(config, "baseline_config_json");
      } catch (const Error&) {  // not JSON text: the string itself
        start["baseline_config"] = config;
      }
    }
    starts.emplace_back(rows.Text(0), start.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  rows.Reset();
  for (const auto& [episode_id, start_json] : starts) {
    db.Prepare("UPDATE episodes SET start_json = ?2 WHERE episode_id = ?1")
        .Bind(1, episode_id)
        .Bind(2, start_json)
        .Run();
  }
}

void UpgradeEpisodesToGeneratedColumns(SqliteDb& db, const std::string& path) {
  Statement& exists =
      db.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'episodes'");
  bool has_episodes = exists.Step() && exists.Int(0) > 0;
  exists.Reset();
  if (!has_episodes) return;  // kStoreSchemaSql creates it
  db.Exec("DROP INDEX IF EXISTS episodes_run; ALTER TABLE episodes RENAME TO episodes_old");
  db.Exec(kStoreSchemaSql);  // the new `episodes` (every other table exists)
  db.Exec(std::string("INSERT INTO episodes (") + kEpisodeStoredColumns +
          ") SELECT episode_id, run_id, task, policy, model, mode, seed, status, outcome_json, "
          "started_at, ended_at, NULL FROM episodes_old");
  FillStartJson(db);
  std::string differs = "CASE";
  for (const char* column : kGeneratedColumns) {
    differs += std::string(" WHEN o.") + column + " IS NOT n." + column + " THEN '" + column + "'";
  }
  differs += " END";
  Statement& check =
      db.Prepare("SELECT episode_id, differing FROM (SELECT o.episode_id, " + differs +
                 " AS differing FROM episodes_old o JOIN episodes n USING "
                 "(episode_id)) WHERE differing IS NOT NULL LIMIT 1");
  if (check.Step()) {
    std::string episode = check.Text(0), column = check.Text(1);
    check.Reset();
    ThrowRuntime(path, "cannot upgrade this results database to schema version " +
                           std::to_string(kStoreSchemaVersion) + ": episode " + episode +
                           " has a '" + column +
                           "' column that differs from its recorded outcome and would be lost; "
                           "resume the run with the ctxbench that wrote it (runs."
                           "ctxbench_version), or run into a new output folder");
  }
  check.Reset();
  db.Exec("DROP TABLE episodes_old");
}

}  // namespace

void UpgradeStore(SqliteDb& db, int64_t from, const std::string& path) {
  if (from == 1) db.Exec(kStoreUpgradeFrom1Sql);
  if (from == 1 || from == 2) UpgradeEpisodesToGeneratedColumns(db, path);
}

}  // namespace ctxbench
