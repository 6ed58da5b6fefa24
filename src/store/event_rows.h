// Derives store rows from one event, private to the store module. The caller
// holds the store's lock and an open transaction.
#pragma once

#include <string>

#include "core/sqlite_db.h"
#include "events/event.h"

namespace ctxbench {

// Inserts the event into `events` and the rows its type derives into
// `episodes`, `steps`, `llm_calls` or `experiments`. `run_id` may be empty
// (stored as NULL). Missing data fields become NULL. `episode_id` is
// key.Id() and `json` the event's text (EventJsonText), both computed by
// the caller (outside the store's lock).
void WriteEventRows(SqliteDb& db, const std::string& run_id, const EpisodeKey& key,
                    const std::string& episode_id, const Event& event, const std::string& json);

// Deletes the episode's rows from every table.
void DeleteEpisodeRows(SqliteDb& db, const std::string& episode_id);

}  // namespace ctxbench
