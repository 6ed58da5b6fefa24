#include "store/sqlite_store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/error.h"
#include "core/sqlite_db.h"
#include "events/event_text.h"
#include "events/payloads.h"
#include "store/event_rows.h"
#include "store/read_only_store.h"
#include "store/store_schema.h"
#include "store/store_upgrade.h"

namespace ctxbench {

namespace {

// An `episodes.status` read back: "running" (nullopt) until the episode's
// episode.end, then its outcome's EpisodeStatusName. Throws an input error
// naming `where` and the value for any other.
std::optional<EpisodeStatus> ReadEpisodeRowStatus(const std::string& name,
                                                  const std::string& where) {
  if (name == "running") return std::nullopt;
  if (std::optional<EpisodeStatus> s = ParseEpisodeStatus(name)) return s;
  ThrowInput(where, "unknown episode status '" + name +
                        "' (expected running, complete, error or interrupted)");
}

constexpr int kBusyTimeoutMs = 10000;
// A group of events is committed at the latest this long after its first
// event, or when it holds this many events (docs/store.md, "Durability").
constexpr std::chrono::milliseconds kMaxCommitDelay{250};
constexpr int kMaxGroupEvents = 512;

// The event that ends a group: the end of an episode. An episode.end is
// committed before OnEvent returns, so a finished episode is durable before
// anyone is told it finished. Steps do not end groups: a step's events are
// lost in a crash either way until its episode ends (resume reruns an
// unfinished episode whole), and a commit per step cost about a fifth of a
// `sim` run's CPU (docs/store.md, "Durability").
bool EndsGroup(EventType type) { return type == EventType::kEpisodeEnd; }

bool IsStoreTable(const std::string& table) {
  for (const char* name : {"runs", "episodes", "steps", "llm_calls", "experiments", "events"}) {
    if (table == name) return true;
  }
  return false;
}

// One stored event row as read under the store's lock, parsed after it.
struct EventRow {
  int64_t seq = 0;
  std::optional<EventType> type;  // nullopt: a type this build does not know
  int iteration = 0;
  int step = 0;
  double time = 0;
  std::optional<std::string> json;  // nullopt: the payload is not read
};

// Reads the rows of `st` (bound; the store's mutex held), columns seq, type,
// iteration, step, time, json (NULL: the payload is not read), then resets it.
std::vector<EventRow> ReadEventRows(Statement& st) {
  std::vector<EventRow> rows;
  while (st.Step()) {
    EventRow row;
    row.seq = st.Int(0);
    row.type = ParseEventType(st.Text(1));
    if (!row.type) continue;  // a newer writer's type: skipped, as EventFromJson does
    row.iteration = static_cast<int>(st.Int(2));
    row.step = static_cast<int>(st.Int(3));
    row.time = st.Real(4);
    if (!st.IsNull(5)) row.json = st.Text(5);
    rows.push_back(std::move(row));
  }
  st.Reset();
  return rows;
}

// The events of `rows` in order: a row with its JSON parsed whole
// (EventFromJson), one without as its envelope alone. Errors name `db_path`.
std::vector<Event> ParseEventRows(std::vector<EventRow>& rows, const std::string& db_path,
                                  const std::string& episode_id) {
  std::vector<Event> events;
  events.reserve(rows.size());
  for (EventRow& row : rows) {
    if (!row.json) {
      Event e;
      e.seq = row.seq;
      e.type = *row.type;
      e.iteration = row.iteration;
      e.step = row.step;
      e.time = row.time;
      events.push_back(std::move(e));
      continue;
    }
    std::string where = db_path + ": events " + episode_id + " seq " + std::to_string(row.seq);
    if (std::optional<Event> event = EventFromJson(ParseJson(*row.json, where))) {
      events.push_back(std::move(*event));
    }
    row.json.reset();
  }
  return events;
}

// kEventRowsSql with the json column as `projection` wants it: NULL for a
// type it does not read, json_remove(json, paths...) for a type with paths
// to drop (when the text is valid JSON; else the text itself, so a malformed
// row fails in ParseJson as in Events()).
std::string ProjectedEventRowsSql(const EventProjection& projection) {
  auto quoted = [](const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  };
  if (projection.types.empty()) {
    return "SELECT seq, type, iteration, step, time, NULL FROM events WHERE episode_id = ?1 "
           "ORDER BY seq";
  }
  std::string column = "CASE type";
  for (EventType type : projection.types) {
    column += " WHEN " + quoted(EventTypeName(type)) + " THEN ";
    auto drop = projection.drop.find(type);
    if (drop == projection.drop.end() || drop->second.empty()) {
      column += "json";
      continue;
    }
    column += "CASE WHEN json_valid(json) THEN json_remove(json";
    for (const std::string& path : drop->second) column += ", " + quoted(path);
    column += ") ELSE json END";
  }
  column += " ELSE NULL END";
  return "SELECT seq, type, iteration, step, time, " + column +
         " FROM events WHERE episode_id = ?1 ORDER BY seq";
}

constexpr char kEventRowsSql[] =
    "SELECT seq, type, iteration, step, time, json FROM events WHERE episode_id = ?1 "
    "ORDER BY seq";

}  // namespace

struct SqliteStore::Impl {
  explicit Impl(const std::string& path) : owned(std::make_unique<SqliteDb>(path)), db(*owned) {}
  explicit Impl(std::unique_ptr<SqliteDb> opened) : owned(std::move(opened)), db(*owned) {}
  std::mutex mutex;
  std::unique_ptr<SqliteDb> owned;
  SqliteDb& db;
  std::string run_id;   // the run OnEvent attributes episodes to
  std::string failure;  // the first failure of a sink hook (they never throw)

  // The open group of events (one write transaction), if any.
  bool group_open = false;
  int group_events = 0;
  std::chrono::steady_clock::time_point group_since;
  // Set when a write or a commit failed: the group's events are lost, so
  // every later write fails with this error (the episodes in flight end in
  // error and rerun on resume; finished episodes were committed before).
  std::string broken;

  std::condition_variable wake;  // a group opened, or stopping
  bool stopping = false;
  std::thread flusher;

  // REQUIRES: mutex held. Throws the sticky error of an earlier failure.
  void ThrowIfBroken() const {
    if (!broken.empty()) ThrowRuntime(db.path(), broken);
  }
  // REQUIRES: mutex held. Commits the open group; on failure rolls back,
  // records the sticky error and throws.
  void CommitGroup() {
    if (!group_open) return;
    group_open = false;
    group_events = 0;
    try {
      db.Exec("COMMIT");
    } catch (const std::exception& e) {
      Fail(e.what());
      throw;
    }
  }
  // REQUIRES: mutex held. Rolls the open group back and breaks the store.
  void Fail(const std::string& what) {
    broken = "an earlier write failed, events since the last commit are lost: " + what;
    group_open = false;
    group_events = 0;
    try {
      db.Exec("ROLLBACK");
    } catch (const std::exception&) {  // SQLite may have rolled back already
    }
  }
  // Commits each group at most kMaxCommitDelay after it opened.
  void FlushLoop() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      if (!group_open) {
        wake.wait(lock);
        continue;
      }
      auto due = group_since + kMaxCommitDelay;
      if (std::chrono::steady_clock::now() < due) {
        wake.wait_until(lock, due);
        continue;
      }
      try {
        CommitGroup();
      } catch (const std::exception&) {  // recorded in `broken`; the next write throws it
      }
    }
  }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->flusher = std::thread([impl = impl_.get()] { impl->FlushLoop(); });
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
    try {
      impl_->CommitGroup();
    } catch (const std::exception&) {  // only unfinished episodes' events were pending
    }
  }
  impl_->wake.notify_all();
  impl_->flusher.join();
}

std::unique_ptr<SqliteStore> SqliteStore::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>(path);
  SqliteDb& db = impl->db;
  db.Exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  Statement& version = db.Prepare("PRAGMA user_version");
  int64_t found = version.Step() ? version.Int(0) : 0;
  version.Reset();
  if (found < 0 || found > kStoreSchemaVersion) {
    ThrowRuntime(path, "results database has schema version " + std::to_string(found) +
                           ", this ctxbench writes version " + std::to_string(kStoreSchemaVersion) +
                           "; use a new output folder");
  }
  // WAL: readers never block the writer. synchronous=NORMAL: a committed event
  // survives a process crash (only a power loss can drop the last commits).
  db.Exec("PRAGMA journal_mode = WAL");
  db.Exec("PRAGMA synchronous = NORMAL");
  {
    Transaction tx(db);
    if (found != 0 && found < kStoreSchemaVersion) UpgradeStore(db, found, path);
    db.Exec(kStoreSchemaSql);
    db.Exec("PRAGMA user_version = " + std::to_string(kStoreSchemaVersion));
    tx.Commit();
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

std::unique_ptr<SqliteStore> SqliteStore::OpenReadOnly(const std::string& path) {
  auto impl = std::make_unique<Impl>(OpenStoreReadOnly(path));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

const std::string& SqliteStore::path() const { return impl_->db.path(); }

void SqliteStore::BeginRun(const std::string& run_id, const std::string& name,
                           const std::string& config_json, double started_at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->ThrowIfBroken();
  impl_->CommitGroup();
  SqliteDb& db = impl_->db;
  Transaction tx(db);
  db.Prepare(
        "INSERT INTO runs (run_id, name, config_json, started_at, status, ctxbench_version) "
        "VALUES (?1, ?2, ?3, ?4, 'running', ?5) ON CONFLICT (run_id) DO UPDATE SET "
        "name = excluded.name, config_json = excluded.config_json, status = 'running', "
        "finished_at = NULL, ctxbench_version = excluded.ctxbench_version")
      .Bind(1, run_id)
      .Bind(2, name)
      .Bind(3, config_json)
      .Bind(4, started_at)
      .Bind(5, std::string(CTXBENCH_VERSION))
      .Run();
  tx.Commit();
  impl_->run_id = run_id;
}

void SqliteStore::FinishRun(const std::string& run_id, RunStatus status, double finished_at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->ThrowIfBroken();
  impl_->CommitGroup();
  impl_->db.Prepare("UPDATE runs SET status = ?2, finished_at = ?3 WHERE run_id = ?1")
      .Bind(1, run_id)
      .Bind(2, std::string(RunStatusName(status)))
      .Bind(3, finished_at)
      .Run();
}

void SqliteStore::OnEvent(const EpisodeKey& key, const Event& event) {
  OnEventText(key, event, EventJsonText(event));
}

void SqliteStore::OnEventText(const EpisodeKey& key, const Event& event, const std::string& json) {
  // The text and the id are computed outside the lock (episodes on other
  // threads wait only for the writes themselves).
  const std::string id = key.Id();
  std::unique_lock<std::mutex> lock(impl_->mutex);
  Impl& s = *impl_;
  if (!s.failure.empty()) return;  // the store failed: the run will end failed
  try {
    s.ThrowIfBroken();
    bool opened = false;
    if (!s.group_open) {
      s.db.Exec("BEGIN IMMEDIATE");
      s.group_open = opened = true;
      s.group_since = std::chrono::steady_clock::now();
    }
    try {
      WriteEventRows(s.db, s.run_id, key, id, event, json);
    } catch (const std::exception& e) {
      s.Fail(e.what());
      throw;
    }
    if (++s.group_events >= kMaxGroupEvents || EndsGroup(event.type)) {
      s.CommitGroup();
    } else if (opened) {
      lock.unlock();
      s.wake.notify_one();
    }
  } catch (const std::exception& e) {
    s.failure = std::string("store: ") + e.what();
  }
}

void SqliteStore::Flush() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->ThrowIfBroken();
  impl_->CommitGroup();
}

void SqliteStore::OnRunStart(const RunStartInfo& run) {
  try {
    BeginRun(run.run_id, run.name, run.config_json, run.started_at);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->failure.empty()) impl_->failure = std::string("store: ") + e.what();
  }
}

std::string SqliteStore::OnRunEnd(const RunEndInfo& end) {
  try {
    FinishRun(impl_->run_id, end.status, end.finished_at);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->failure.empty()) impl_->failure = std::string("store: ") + e.what();
  }
  return "";
}

std::string SqliteStore::Failure() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  // A group the background flush failed to commit breaks the store too.
  if (impl_->failure.empty() && !impl_->broken.empty()) return "store: " + impl_->broken;
  return impl_->failure;
}

std::set<std::string> SqliteStore::CompletedEpisodes(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare(
      "SELECT episode_id FROM episodes WHERE run_id = ?1 AND status = 'complete'");
  st.Bind(1, run_id);
  std::set<std::string> ids;
  while (st.Step()) ids.insert(st.Text(0));
  st.Reset();
  return ids;
}

void SqliteStore::DiscardEpisode(const std::string& episode_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->ThrowIfBroken();
  impl_->CommitGroup();
  Transaction tx(impl_->db);
  DeleteEpisodeRows(impl_->db, episode_id);
  tx.Commit();
}

std::optional<RunRow> SqliteStore::Run(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare(
      "SELECT run_id, name, config_json, started_at, finished_at, status, ctxbench_version "
      "FROM runs WHERE run_id = ?1");
  st.Bind(1, run_id);
  std::optional<RunRow> row;
  std::string status;
  if (st.Step()) {
    row = RunRow{st.Text(0),    st.Text(1),   st.Text(2), st.OptReal(3),
                 st.OptReal(4), std::nullopt, st.Text(6)};
    status = st.Text(5);
  }
  st.Reset();
  if (row) {
    row->status = ReadRecordedRunStatus(status, impl_->db.path() + ": the runs row of " + run_id);
  }
  return row;
}

std::vector<EpisodeRow> SqliteStore::Episodes(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Statement& st = impl_->db.Prepare(
      "SELECT episode_id, run_id, task, policy, model, mode, seed, status, outcome_json, "
      "started_at, ended_at FROM episodes WHERE run_id = ?1 ORDER BY episode_id");
  st.Bind(1, run_id);
  std::vector<EpisodeRow> rows;
  while (st.Step()) {
    EpisodeRow r;
    r.episode_id = st.Text(0);
    r.run_id = st.Text(1);
    r.key = EpisodeKey{st.Text(2), st.Text(3), st.Text(4), st.Text(5),
                       static_cast<uint64_t>(st.Int(6))};
    r.status = ReadEpisodeRowStatus(st.Text(7),
                                    impl_->db.path() + ": the episodes row of " + r.episode_id);
    r.outcome_json = st.Text(8);
    r.started_at = st.OptReal(9);
    r.ended_at = st.OptReal(10);
    rows.push_back(std::move(r));
  }
  st.Reset();
  return rows;
}

std::vector<Event> SqliteStore::Events(const std::string& episode_id) {
  std::vector<EventRow> rows;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Statement& st = impl_->db.Prepare(kEventRowsSql);
    st.Bind(1, episode_id);
    rows = ReadEventRows(st);
  }
  // Parsed outside the lock: readers on other threads parse at the same time.
  return ParseEventRows(rows, impl_->db.path(), episode_id);
}

std::vector<Event> SqliteStore::Events(const std::string& episode_id,
                                       const EventProjection& projection) {
  std::vector<EventRow> rows;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Statement& st = impl_->db.Prepare(ProjectedEventRowsSql(projection));
    st.Bind(1, episode_id);
    rows = ReadEventRows(st);
  }
  return ParseEventRows(rows, impl_->db.path(), episode_id);
}

int64_t SqliteStore::CountRows(const std::string& table, const std::string& episode_id) {
  if (!IsStoreTable(table)) ThrowUsage("CountRows", "unknown store table '" + table + "'");
  if (table == "runs" && !episode_id.empty()) {
    ThrowUsage("CountRows", "table 'runs' has no episode_id");
  }
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::string sql = "SELECT COUNT(*) FROM " + table;
  if (!episode_id.empty()) sql += " WHERE episode_id = ?1";
  Statement& st = impl_->db.Prepare(sql);
  if (!episode_id.empty()) st.Bind(1, episode_id);
  int64_t count = st.Step() ? st.Int(0) : 0;
  st.Reset();
  return count;
}

}  // namespace ctxbench
