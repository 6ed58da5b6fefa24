#include "viewer/run_pages.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/json_limits.h"
#include "core/sqlite_db.h"
#include "report/stats.h"
#include "store/read_only_store.h"

namespace ctxbench {

namespace {

Json OptReal(const Statement& st, int column) {
  return st.IsNull(column) ? Json() : Json(st.Real(column));
}

Json OptInt(const Statement& st, int column) {
  return st.IsNull(column) ? Json() : Json(st.Int(column));
}

Json Names(const Json& config, const char* key) {
  Json out = Json::array();
  auto it = config.find(key);
  if (it == config.end() || !it->is_array()) return out;
  for (const Json& item : *it) {
    // A name, or an object with one; anything else (a corrupt config) is left out.
    const Json& name = item.is_object() && item.contains("name") ? item.at("name") : item;
    if (name.is_string()) out.push_back(name);
  }
  return out;
}

Json ReadRunJson(const RunFolder& run) {
  std::filesystem::path path = std::filesystem::path(run.dir) / "run.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Json::object();
  return ParseStoredObject(ReadFile(path.string()), path.string());
}

// The episode list's columns: name and SQL expression, in output order.
struct Column {
  const char* name;
  const char* sql;
  char kind;  // 't' text, 'n' number, 'b' boolean
};
constexpr Column kEpisodeColumns[] = {
    {"episode_id", "episode_id", 't'},
    {"task", "task", 't'},
    {"policy", "policy", 't'},
    {"model", "model", 't'},
    {"mode", "mode", 't'},
    {"seed", "seed", 'n'},
    {"status", "status", 't'},
    {"success", "success", 'b'},
    {"baseline_metric", "baseline_metric", 'n'},
    {"best_valid_metric", "best_valid_metric", 'n'},
    {"test_metric", "test_metric", 'n'},
    {"improvement_pct", "improvement_pct", 'n'},
    {"iterations", "iterations", 'n'},
    {"steps", "steps", 'n'},
    {"tokens", "prompt_tokens + completion_tokens", 'n'},
    {"cost_usd", "cost_usd", 'n'},
    {"stop_rule", "stop_rule", 't'},
    {"error", "error", 't'},
};

}  // namespace

Json ParseStoredObject(std::string_view text, const std::string& where) {
  std::string too_deep;
  Json j = ParseJsonWithin(text, kMaxStoredJsonDepth, &too_deep);
  if (!too_deep.empty()) ThrowRuntime(where, too_deep);
  if (j.is_discarded()) ThrowRuntime(where, "not valid JSON");
  if (!j.is_object())
    ThrowRuntime(where, std::string("a JSON ") + j.type_name() + ", not an object");
  return j;
}

int64_t IntParam(const QueryParams& query, const std::string& name, int64_t fallback, int64_t max) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    ThrowUsage(name,
               "expected an integer from 0 to " + std::to_string(max) + ", got '" + text + "'");
  }
  return value;
}

Json RunSummaryJson(const RunFolder& run) {
  auto db = OpenStoreReadOnly(run.db);
  Json out = {{"id", run.id}};
  Json run_json = ReadRunJson(run);
  Statement& r = db->Prepare(
      "SELECT run_id, name, config_json, started_at, finished_at, status, ctxbench_version "
      "FROM runs ORDER BY started_at LIMIT 1");
  Json config = Json::object();
  if (r.Step()) {
    out["run_id"] = r.Text(0);
    out["name"] = r.Text(1);
    config = ParseStoredObject(r.Text(2), run.db + ": the run's config_json");
    out["started_at"] = OptReal(r, 3);
    out["finished_at"] = OptReal(r, 4);
    out["status"] = r.Text(5);
    out["version"] = r.Text(6);
  }
  r.Reset();
  auto reason = run_json.find("status_reason");
  out["status_reason"] = reason != run_json.end() && reason->is_string() ? *reason : Json("");
  Statement& c = db->Prepare(
      "SELECT status, COUNT(*), TOTAL(cost_usd), TOTAL(prompt_tokens + completion_tokens) "
      "FROM episodes GROUP BY status");
  int64_t complete = 0, errors = 0, unfinished = 0, tokens = 0;
  double cost = 0;
  while (c.Step()) {
    std::string status = c.Text(0);
    (status == "complete" ? complete : status == "error" ? errors : unfinished) += c.Int(1);
    cost += c.Real(2);
    tokens += static_cast<int64_t>(c.Real(3));
  }
  c.Reset();
  auto planned_it = run_json.find("episodes_planned");
  int64_t planned = planned_it != run_json.end() && planned_it->is_number_integer()
                        ? planned_it->get<int64_t>()
                        : 0;
  out["planned"] = std::max(planned, complete + errors + unfinished);
  out["episodes"] = {{"complete", complete}, {"error", errors}, {"unfinished", unfinished}};
  out["cost_usd"] = cost;
  out["tokens"] = tokens;
  out["tasks"] = Names(config, "tasks");
  out["policies"] = Names(config, "context_policies");
  out["modes"] = Names(config, "reasoning_modes");
  out["models"] = Names(config, "models");
  out["seeds"] = config.value("seeds", Json::array());
  out["config"] = config;
  return out;
}

Json GridJson(const RunFolder& run) {
  auto db = OpenStoreReadOnly(run.db);
  Statement& st = db->Prepare(
      "SELECT task, policy, mode, model, COUNT(*), "
      "SUM(status = 'complete'), SUM(status = 'error'), "
      "SUM(status = 'complete' AND success = 1), "
      "AVG(CASE WHEN status = 'complete' THEN prompt_tokens + completion_tokens END), "
      "AVG(CASE WHEN status = 'complete' THEN improvement_pct END), TOTAL(cost_usd) "
      "FROM episodes GROUP BY task, policy, mode, model ORDER BY task, policy, mode, model");
  Json cells = Json::array();
  while (st.Step()) {
    int64_t n = st.Int(4), complete = st.Int(5), errors = st.Int(6), successes = st.Int(7);
    Interval wilson = WilsonInterval(static_cast<int>(successes), static_cast<int>(complete));
    cells.push_back({{"task", st.Text(0)},
                     {"policy", st.Text(1)},
                     {"mode", st.Text(2)},
                     {"model", st.Text(3)},
                     {"episodes", n},
                     {"complete", complete},
                     {"errors", errors},
                     {"unfinished", n - complete - errors},
                     {"successes", successes},
                     {"success_rate", complete ? Json(double(successes) / complete) : Json()},
                     {"wilson_lo", complete ? Json(wilson.lo) : Json()},
                     {"wilson_hi", complete ? Json(wilson.hi) : Json()},
                     {"mean_tokens", OptReal(st, 8)},
                     {"mean_improvement_pct", OptReal(st, 9)},
                     {"cost_usd", st.Real(10)}});
  }
  st.Reset();
  return {{"run", run.id}, {"cells", cells}};
}

Json EpisodeListJson(const RunFolder& run, const QueryParams& query) {
  std::string where = " WHERE 1";
  std::vector<std::string> binds;
  for (const char* key : {"task", "policy", "mode", "model", "status"}) {
    auto it = query.find(key);
    if (it == query.end() || it->second.empty()) continue;
    binds.push_back(it->second);
    where += std::string(" AND ") + key + " = ?" + std::to_string(binds.size());
  }
  std::string order = "episode_id";
  if (auto it = query.find("sort"); it != query.end() && !it->second.empty()) {
    bool known = false;
    for (const Column& c : kEpisodeColumns) {
      if (it->second == c.name) {
        order = c.sql;
        known = true;
      }
    }
    if (!known) ThrowUsage("sort", "no episode column '" + it->second + "'");
  }
  auto dir = query.find("dir");
  std::string direction = dir != query.end() && dir->second == "desc" ? " DESC" : " ASC";
  int64_t offset = IntParam(query, "offset", 0, INT32_MAX);
  int64_t limit = IntParam(query, "limit", 200, 1000);

  auto db = OpenStoreReadOnly(run.db);
  Statement& count = db->Prepare("SELECT COUNT(*) FROM episodes" + where);
  for (size_t i = 0; i < binds.size(); ++i) count.Bind(static_cast<int>(i + 1), binds[i]);
  int64_t total = count.Step() ? count.Int(0) : 0;
  count.Reset();

  std::string sql = "SELECT ";
  for (const Column& c : kEpisodeColumns) sql += std::string(c.sql) + ", ";
  sql += "1 FROM episodes" + where + " ORDER BY " + order + direction + ", episode_id LIMIT " +
         std::to_string(limit) + " OFFSET " + std::to_string(offset);
  Statement& st = db->Prepare(sql);
  for (size_t i = 0; i < binds.size(); ++i) st.Bind(static_cast<int>(i + 1), binds[i]);
  Json rows = Json::array();
  while (st.Step()) {
    Json row = Json::object();
    int i = 0;
    for (const Column& c : kEpisodeColumns) {
      if (st.IsNull(i)) {
        row[c.name] = nullptr;
      } else if (c.kind == 'b') {
        row[c.name] = st.Int(i) != 0;
      } else if (c.kind == 'n') {
        // SQLite's text of an INTEGER is an integer, of a REAL a decimal.
        Json parsed = ParseJsonWithin(st.Text(i), kMaxStoredJsonDepth);
        row[c.name] = parsed.is_number() ? parsed : Json();
      } else {
        row[c.name] = st.Text(i);
      }
      ++i;
    }
    rows.push_back(std::move(row));
  }
  st.Reset();
  return {
      {"run", run.id}, {"total", total}, {"offset", offset}, {"limit", limit}, {"episodes", rows}};
}

Json SearchJson(const RunFolder& run, const QueryParams& query) {
  auto q = query.find("q");
  if (q == query.end() || q->second.empty()) ThrowUsage("q", "empty search");
  if (q->second.size() > 200) ThrowUsage("q", "longer than 200 characters");
  int64_t offset = IntParam(query, "offset", 0, INT32_MAX);
  int64_t limit = IntParam(query, "limit", 50, 500);
  std::string pattern = "%";
  for (char ch : q->second) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  pattern += "%";
  auto db = OpenStoreReadOnly(run.db);
  Statement& st = db->Prepare(
      "SELECT episode_id, seq, type, iteration, step, "
      "substr(json, max(1, instr(lower(json), lower(?2)) - 80), 240) "
      "FROM events WHERE json LIKE ?1 ESCAPE '\\' ORDER BY episode_id, seq LIMIT ?3 OFFSET ?4");
  st.Bind(1, pattern).Bind(2, q->second).Bind(3, limit + 1).Bind(4, offset);
  Json hits = Json::array();
  while (st.Step()) {
    hits.push_back({{"episode_id", st.Text(0)},
                    {"seq", st.Int(1)},
                    {"type", st.Text(2)},
                    {"iteration", OptInt(st, 3)},
                    {"step", OptInt(st, 4)},
                    {"snippet", st.Text(5)}});
  }
  st.Reset();
  bool more = static_cast<int64_t>(hits.size()) > limit;
  if (more) hits.erase(hits.end() - 1);
  return {{"run", run.id},  {"q", q->second}, {"offset", offset},
          {"limit", limit}, {"more", more},   {"hits", hits}};
}

Json EventPageJson(const RunFolder& run, const QueryParams& query) {
  int64_t offset = IntParam(query, "offset", 0, INT32_MAX);
  int64_t limit = IntParam(query, "limit", 1000, 5000);
  auto db = OpenStoreReadOnly(run.db);
  Statement& st = db->Prepare(
      "SELECT episode_id, seq, type, iteration, step, json FROM events "
      "ORDER BY episode_id, seq LIMIT ?1 OFFSET ?2");
  st.Bind(1, limit + 1).Bind(2, offset);
  Json events = Json::array();
  while (st.Step()) {
    events.push_back({{"episode_id", st.Text(0)},
                      {"seq", st.Int(1)},
                      {"type", st.Text(2)},
                      {"iteration", OptInt(st, 3)},
                      {"step", OptInt(st, 4)},
                      {"json", st.Text(5)}});
  }
  st.Reset();
  bool more = static_cast<int64_t>(events.size()) > limit;
  if (more) events.erase(events.end() - 1);
  return {
      {"run", run.id}, {"offset", offset}, {"limit", limit}, {"more", more}, {"events", events}};
}

}  // namespace ctxbench
