#include "run/run_status.h"

namespace ctxbench {

void CountEpisode(const std::string& status, EpisodeCounts& counts) {
  if (status == "complete") ++counts.complete;
  if (status == "error") ++counts.errors;
}

RunEnd DecideRunEnd(const EpisodeCounts& c, const std::string& stop_reason, bool interrupted) {
  if (!stop_reason.empty()) return {RunStatus::kFailed, stop_reason};
  if (c.unfinished() > 0) {
    std::string n = std::to_string(c.unfinished()) + " of " + std::to_string(c.planned) +
                    " episodes unfinished";
    if (interrupted) return {RunStatus::kInterrupted, "stopped by a signal; " + n};
    return {RunStatus::kFailed, n};
  }
  if (c.errors > 0) {
    return {RunStatus::kCompleteWithErrors, std::to_string(c.errors) + " of " +
                                                std::to_string(c.planned) +
                                                " episodes errored (left out of the statistics)"};
  }
  return {RunStatus::kComplete, ""};
}

const char* RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kComplete:
      return "complete";
    case RunStatus::kCompleteWithErrors:
      return "complete_with_errors";
    case RunStatus::kFailed:
      return "failed";
    case RunStatus::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

int RunExitCode(RunStatus status) {
  switch (status) {
    case RunStatus::kComplete:
      return 0;
    case RunStatus::kCompleteWithErrors:
      return 3;
    case RunStatus::kFailed:
      return 1;
    case RunStatus::kInterrupted:
      return 130;
  }
  return 1;
}

int RunExitCode(const std::string& status_name) {
  for (RunStatus s : {RunStatus::kComplete, RunStatus::kCompleteWithErrors, RunStatus::kFailed,
                      RunStatus::kInterrupted}) {
    if (status_name == RunStatusName(s)) return RunExitCode(s);
  }
  return 1;
}

std::string CountsText(const EpisodeCounts& c) {
  return std::to_string(c.done()) + "/" + std::to_string(c.planned) + " episodes done, " +
         std::to_string(c.errors) + (c.errors == 1 ? " error, " : " errors, ") +
         std::to_string(c.unfinished()) + " unfinished";
}

}  // namespace ctxbench
