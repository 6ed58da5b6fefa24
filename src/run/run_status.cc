#include "run/run_status.h"

namespace ctxbench {

void CountEpisode(EpisodeStatus status, EpisodeCounts& counts) {
  if (status == EpisodeStatus::kComplete) ++counts.complete;
  if (status == EpisodeStatus::kError) ++counts.errors;
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

std::string CountsText(const EpisodeCounts& c) {
  return std::to_string(c.done()) + "/" + std::to_string(c.planned) + " episodes done, " +
         std::to_string(c.errors) + (c.errors == 1 ? " error, " : " errors, ") +
         std::to_string(c.unfinished()) + " unfinished";
}

}  // namespace ctxbench
