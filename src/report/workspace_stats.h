// What a workspace episode's experiment events say about the edit-run-fix
// loop: runs, failed runs, Python tracebacks seen and fixed, and the final
// workspace's validation and hidden test metrics (docs/workspace.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/event.h"

namespace ctxbench {

struct WorkspaceStats {
  int runs = 0;         // the agent's runs (not the starter's nor the final one)
  int failed_runs = 0;  // of those, the ones that failed
  // Distinct tracebacks (type, message, file, line) of failed runs, the
  // starter's included; fixed: a run succeeded after the traceback's last
  // occurrence.
  int tracebacks_seen = 0;
  int tracebacks_fixed = 0;
  std::optional<double> final_valid;  // the final workspace's run, when it succeeded
  std::optional<double> hidden_test;  // the hidden evaluation of the final workspace
  // A competition task's grading of the final workspace's submission (the
  // final evaluation's "grading"): the medal ("gold", "silver", "bronze",
  // "none") and whether the score beats the leaderboard's median; nullopt for
  // other tasks and for a final run that failed.
  std::optional<std::string> medal;
  bool above_median = false;
};

// nullopt when the events are not a workspace episode's (no experiment event
// carries an exit code).
std::optional<WorkspaceStats> ReadWorkspaceStats(const std::vector<Event>& events);

}  // namespace ctxbench
