// Resuming a run folder (`ctxbench run --resume DIR`): the run's saved config
// and identity, read back and checked before anything is changed.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "agent/outcome.h"
#include "events/run_status.h"
#include "run/run_config.h"
#include "run/shard.h"

namespace ctxbench {

class SqliteStore;

struct ResumableRun {
  std::string dir;
  std::string run_id;
  // run.json's status: complete (nothing to do), complete_with_errors
  // (nothing to do unless errored episodes are retried), interrupted,
  // failed, or nullopt ("running") when the process that wrote it is gone
  // (killed).
  std::optional<RunStatus> status;
  double started_at = 0;           // the first start, from results.db
  RunConfig config;                // the saved config; `source` is the original file's name
  std::optional<ShardSpec> shard;  // run.json's "shard": the folder holds one shard
  size_t plan_size = 0;            // the whole plan's size (a shard's run.json says it)
};

// This machine's host name (gethostname), as run.json records it beside the
// pid; "" when it cannot be read.
std::string HostName();

enum class RunLiveness {
  kStopped,    // not running, or its process is gone
  kAlive,      // its process (pid on this host) is alive
  kOtherHost,  // written on another host: its pid says nothing here
};

// Whether a run whose run.json says `status`, `pid` and `host` may still be
// running, seen from `this_host`. A pid is judged only on the host that wrote
// it; a run.json without a host (written before hosts were recorded) is
// judged by its pid. Pure apart from kill(pid, 0); thread-safe.
RunLiveness JudgeRun(const std::optional<RunStatus>& status, long pid, const std::string& host,
                     const std::string& this_host);

// Reads DIR/run.json and DIR/results.db. Throws an input error naming the path
// for a missing folder, a folder without run.json or results.db (not a run
// folder), a run.json without a config or a config that does not load, or a
// store that does not hold the run, a malformed "shard" object, a status of
// no known name (naming run.json and the value); a runtime error for a store of
// another schema version (naming results.db) and for a run whose status is "running" while the
// process run.json names is still alive (JudgeRun: kAlive). A "running" run
// written on another host is not judged by its pid: a warning says so and the
// run is read.
ResumableRun ReadResumableRun(const std::string& dir);

// The finished episodes of the run in `store` (those that reached
// episode.end with status "complete" or "error"; not "interrupted" ones,
// whose model calls were cut short), by episode id, with the outcome
// FoldOutcome makes of its stored events (the recorded outcome_json for a
// run written before events held the whole outcome). Throws an input error
// naming the store and episode for events or an outcome that do not parse.
std::map<std::string, Outcome> FinishedOutcomes(SqliteStore& store, const std::string& run_id);

}  // namespace ctxbench
