// Executing a run: validate everything, make the run folder, run the grid on a
// pool of workers, and write summary.json.
//
// The run folder (<out_dir>/<UTC time>-<name>/) holds run.json (status
// "running" until the end, then "complete", "interrupted" or "failed" with a
// `reason`; "failed" also when a model became unavailable: a 401/403/404 or
// an open circuit breaker, after which its episodes are not started),
// results.db, traces/<episode>.jsonl and summary.json (written atomically at
// the end). Bad input is found before the folder is made. A resumed run
// (RunOptions::resume) writes into its existing folder.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "run/results_table.h"
#include "run/resume.h"
#include "run/run_config.h"

namespace ctxbench {

struct RunOutcome {
  std::string dir;
  std::string status;                   // "complete", "interrupted" or "failed"
  std::string reason;                   // why the run is not complete ("" when it is)
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
};

RunOutcome ExecuteRun(const RunConfig& config, const RunOptions& options);

// summary.json's content: the run and, per episode, its key and outcome
// without timing, so equal configs and seeds give equal files.
Json SummaryJson(const RunConfig& config, const RunOutcome& run);

}  // namespace ctxbench
