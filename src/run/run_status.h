// How a run ended: its status, from the counts of its planned episodes and
// what stopped it, and the exit code `ctxbench run` gives for each status.
// Pure functions, thread-safe.
//
//   complete              every planned episode finished with status complete  exit 0
//   complete_with_errors  every planned episode finished, some with error      exit 3
//   failed                the run could not go on: a failure thrown while
//                         running, fail_on_error or budget.run_max_cost_usd
//                         reached (no new episodes started), or episodes left
//                         unfinished without a signal                          exit 1
//   interrupted           a signal stopped it before every episode finished    exit 130
// (Exit 2, bad input, happens before a run exists.)
#pragma once

#include <cstddef>
#include <string>

#include "events/payloads.h"    // EpisodeStatus
#include "events/run_status.h"  // RunStatus and its names

namespace ctxbench {

// The planned episodes by how they ended. unfinished() is the rest: never
// started, cut short, or ended with another status (e.g. interrupted).
struct EpisodeCounts {
  size_t planned = 0;
  size_t complete = 0;  // finished with status complete: the statistics' input
  size_t errors = 0;    // finished with status error: outside the statistics

  size_t done() const { return complete + errors; }
  size_t unfinished() const { return planned > done() ? planned - done() : 0; }
};

// Adds one episode that ended with `status` (complete, error; interrupted
// counts as unfinished).
void CountEpisode(EpisodeStatus status, EpisodeCounts& counts);

struct RunEnd {
  RunStatus status = RunStatus::kComplete;
  std::string reason;  // why the run is not complete; "" when it is
};

// `stop_reason`: why the run stopped starting episodes early (a thrown
// failure, a run-wide limit), "" if nothing did; it wins over everything.
// `interrupted`: a signal asked the run to stop; it matters only when
// episodes are unfinished (a signal after the last episode started changes
// nothing).
RunEnd DecideRunEnd(const EpisodeCounts& counts, const std::string& stop_reason, bool interrupted);

// 0, 3, 1, 130 (see the table above).
int RunExitCode(RunStatus status);

// "12/12 episodes done, 3 errors, 0 unfinished": the counts every place that
// states a run's status shows beside it.
std::string CountsText(const EpisodeCounts& counts);

}  // namespace ctxbench
