// Resuming a run folder (`ctxbench run --resume DIR`): the run's saved config
// and identity, read back and checked before anything is changed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "agent/outcome.h"
#include "run/run_config.h"
#include "run/shard.h"

namespace ctxbench {

class SqliteStore;

struct ResumableRun {
  std::string dir;
  std::string run_id;
  // run.json's status: "complete" (nothing to do), "complete_with_errors"
  // (nothing to do unless errored episodes are retried), "interrupted",
  // "failed", or "running" when the process that wrote it is gone (killed).
  std::string status;
  double started_at = 0;           // the first start, from results.db
  RunConfig config;                // the saved config; `source` is the original file's name
  std::optional<ShardSpec> shard;  // run.json's "shard": the folder holds one shard
  size_t plan_size = 0;            // the whole plan's size (a shard's run.json says it)
};

// Reads DIR/run.json and DIR/results.db. Throws an input error naming the path
// for a missing folder, a folder without run.json or results.db (not a run
// folder), a run.json without a config or a config that does not load, or a
// store that does not hold the run, a malformed "shard" object; a runtime error for a store of
// another schema version (naming results.db) and for a run whose status is "running" while the
// process run.json names is still alive.
ResumableRun ReadResumableRun(const std::string& dir);

// The finished episodes of the run in `store` (those that reached
// episode.end with status "complete" or "error"; not "interrupted" ones,
// whose model calls were cut short), by episode id, with the outcome
// FoldOutcome makes of its stored events (the recorded outcome_json for a
// run written before events held the whole outcome). Throws an input error
// naming the store and episode for events or an outcome that do not parse.
std::map<std::string, Outcome> FinishedOutcomes(SqliteStore& store, const std::string& run_id);

}  // namespace ctxbench
