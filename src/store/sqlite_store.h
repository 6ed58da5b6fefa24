// The results database of a run (results.db): a SQLite view of the episode
// event logs. Schema and example queries: docs/store.md.
//
// Each event's raw JSON goes to `events`, and rows are derived into
// `episodes`, `steps`, `llm_calls` and `experiments` from its type and data.
// Events are committed in groups: a group (one transaction) ends at a
// step.summary or an episode.end event, after 512 events, or 250 ms after it
// began, whichever comes first. An episode.end is committed before OnEvent
// returns. A crash loses at most the open group, which holds only events of
// unfinished episodes (status 'running'); resume reruns those whole
// (docs/store.md, "Durability").
//
// Error channel: failures of the database itself (cannot open, disk full, a
// schema of another version) throw a runtime ctxbench::Error naming the file.
// Missing or mistyped fields in event data are never errors: they become NULL.
// A run or episode row whose status is no known name (Run, Episodes) is an
// input error naming the file, the row and the value.
//
// After a failed write or commit the store is broken: the open group is
// rolled back and every later write throws the same error.
//
// Thread safety: all methods may be called from any thread; writes and reads
// are serialized by one mutex (one episode thread per episode calls OnEvent).
// A background thread commits groups that reach their time limit. Reads
// through this store see every event; other connections see committed groups.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/payloads.h"  // EpisodeStatus

namespace ctxbench {

// What `episodes` holds of an episode beside its outcome: key, status and
// times. Every outcome fact (metric, success, tokens, ...) is read from
// `outcome_json` (StoredOutcome, agent/fold_outcome.h), never from a copy;
// the table's other columns are generated from it for SQL (docs/store.md).
struct EpisodeRow {
  std::string episode_id;
  std::string run_id;
  EpisodeKey key;
  // nullopt while running (no episode.end yet); then its outcome's status.
  // Stored as "running" or EpisodeStatusName; read back by that mapping (an
  // input error naming the file and the value for any other name).
  std::optional<EpisodeStatus> status;
  std::string outcome_json;  // the episode.end outcome object, "" while running
  std::optional<double> started_at;
  std::optional<double> ended_at;
};

// One row of `runs`.
struct RunRow {
  std::string run_id;
  std::string name;
  std::string config_json;
  std::optional<double> started_at;
  std::optional<double> finished_at;
  // nullopt while running; then what FinishRun recorded. Stored as
  // RecordedRunStatusName (events/run_status.h); read back by
  // ReadRecordedRunStatus (an input error naming the file and the value).
  std::optional<RunStatus> status;
  std::string ctxbench_version;
};

// What a reader needs of an episode's stored events (SqliteStore::Events).
struct EventProjection {
  // Types whose payload is read; events of other types carry their envelope.
  std::set<EventType> types;
  // Per type, JSON paths ("$.message", "$.data.manifest") left out of the
  // payload before it is parsed. Paths are code constants, not user input.
  std::map<EventType, std::vector<std::string>> drop;
};

class SqliteStore : public EventSink {
 public:
  // Opens or creates the database at `path` (its folder must exist), in WAL
  // mode with a busy timeout, and creates the schema if missing. A database
  // of an older schema version is upgraded in place in one transaction
  // (UpgradeStore, store/store_upgrade.h). Throws a runtime error naming
  // `path` if it cannot open it, if the file holds a newer schema version,
  // or if the upgrade would lose a stored value (nothing is changed then).
  static std::unique_ptr<SqliteStore> Open(const std::string& path);
  // Opens an existing database read-only (OpenStoreReadOnly): the reading
  // methods work, the writing ones throw a runtime error naming `path`.
  // Never changes the file or its folder.
  static std::unique_ptr<SqliteStore> OpenReadOnly(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Records the run (status 'running') and makes it the run that episodes
  // seen by OnEvent belong to. Calling it again for an existing run_id (a
  // resumed run) marks it running again and keeps its episodes.
  // `started_at` and every time in the store are Unix seconds.
  void BeginRun(const std::string& run_id, const std::string& name, const std::string& config_json,
                double started_at);
  // Sets the run's status (stored as its RunStatusName) and end time.
  void FinishRun(const std::string& run_id, RunStatus status, double finished_at);

  // Stores the event and the rows derived from it, in the open group of
  // events (committed as the class comment says). An episode.start for an
  // episode that already has rows replaces them (the episode is being rerun).
  // Never throws (EventSink): the first failure is kept (Failure()) and later
  // events are not stored, so the store never holds half of an episode
  // without the run saying it failed.
  void OnEvent(const EpisodeKey& key, const Event& event) override;
  // OnEvent with the event's text (EventJsonText(event)) already made, so
  // a caller that also writes it elsewhere serialises the event once
  // (TraceAndStore). Same rules as OnEvent.
  void OnEventText(const EpisodeKey& key, const Event& event, const std::string& json);
  // The sink's run hooks: BeginRun and FinishRun (of the run OnRunStart
  // began), their failures kept like OnEvent's.
  void OnRunStart(const RunStartInfo& run) override;
  std::string OnRunEnd(const RunEndInfo& end) override;
  std::string Failure() const override;
  // Commits the open group now, if any (other connections then see it).
  // Throws the store's sticky error if a write failed before.
  void Flush();

  // Ids of the run's episodes with status 'complete' (to skip on resume).
  std::set<std::string> CompletedEpisodes(const std::string& run_id);
  // Deletes every row of the episode in every table, so it can be rerun.
  void DiscardEpisode(const std::string& episode_id);

  std::optional<RunRow> Run(const std::string& run_id);
  // The run's episodes ordered by episode_id.
  std::vector<EpisodeRow> Episodes(const std::string& run_id);
  // The stored events of an episode in seq order, as the trace holds them.
  // Thread-safe; the JSON is parsed after the store's lock is released, so
  // readers on several threads parse at once.
  std::vector<Event> Events(const std::string& episode_id);
  // The same events as a reader that needs little of them sees them: only
  // the types in `projection.types` are parsed, without the JSON paths
  // `projection.drop` names for their type (removed by SQLite's json_remove
  // first, so they are never parsed); the others carry their envelope alone
  // (seq, type, iteration, step and time from the row's columns; no message,
  // data an empty object). Thread-safe like Events().
  std::vector<Event> Events(const std::string& episode_id, const EventProjection& projection);
  // Rows in `table` ("runs", "episodes", "steps", "llm_calls", "experiments",
  // "events"), all of them or only the episode's. Throws a usage error on any
  // other table name.
  int64_t CountRows(const std::string& table, const std::string& episode_id = "");

  const std::string& path() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxbench
