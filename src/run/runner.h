// Executing a run: validate everything, make the run folder, run the grid on a
// pool of workers, and write summary.json.
//
// The run folder (<out_dir>/<UTC time>-<name>/) holds run.json (status
// "running" until the end, then one of run_status.h: "complete",
// "complete_with_errors", "failed" or "interrupted", with the counts; "failed"
// also when a model became unavailable: a 401/403/404 or an open circuit
// breaker, after which its episodes are not started),
// results.db, traces/<episode>.jsonl and summary.json (written atomically at
// the end). Bad input is found before the folder is made (thrown, exit 2).
// What goes wrong once the folder exists (a thrown failure, a run-wide
// limit) ends the run `failed` in RunOutcome, not as an exception. A resumed
// run (RunOptions::resume) writes into its existing folder; a shard
// (RunOptions::shard) runs only its part of the plan.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "run/results_table.h"
#include "run/resume.h"
#include "run/run_config.h"
#include "run/run_status.h"
#include "run/run_watcher.h"
#include "run/shard.h"

namespace ctxbench {

struct RunOutcome {
  std::string dir;
  RunEnd end;                           // the status and why it is not complete
  EpisodeCounts counts;                 // planned, complete, errors
  std::vector<EpisodeResult> episodes;  // in plan order, finished ones only
  size_t planned = 0;
};

struct RunOptions {
  bool progress = true;
  // Set to true (e.g. from a signal handler) to stop starting new episodes.
  // (Model calls in flight stop on Cancellation::Process(), which the CLI's
  // handler sets too; their episodes end "interrupted" and stay unfinished.)
  const std::atomic<bool>* stop = nullptr;
  // Continue this run (from ReadResumableRun; `config` is its saved config)
  // in its own folder instead of making a new one: its finished episodes are
  // kept and not run again, the others are discarded and run; summary.json,
  // run.json and the report then cover all episodes.
  const ResumableRun* resume = nullptr;
  // With `resume`: errored episodes are discarded and run again too (else
  // they are kept as they are).
  bool retry_errors = false;
  // Run only this shard's part of the plan (run/shard.h): the folder name
  // ends with ShardFolderSuffix, run.json records the shard and the whole
  // plan's size, and `planned`, summary.json and the report cover the shard's
  // episodes only. `ctxbench merge` joins the shards into one run.
  std::optional<ShardSpec> shard;
  // Told the grid's start and end and fed every event (a live view of the
  // run, console/live_display.h); null: none.
  RunWatcher* watcher = nullptr;
};

RunOutcome ExecuteRun(const RunConfig& config, const RunOptions& options);

// summary.json's content: the run and, per episode, its key and outcome
// without timing, so equal configs and seeds give equal files.
Json SummaryJson(const RunConfig& config, const RunOutcome& run);

}  // namespace ctxbench
