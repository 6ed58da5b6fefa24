#include "events/run_status.h"

#include "core/error.h"

namespace ctxbench {

namespace {

constexpr RunStatus kRunStatuses[] = {RunStatus::kComplete, RunStatus::kCompleteWithErrors,
                                      RunStatus::kFailed, RunStatus::kInterrupted};
constexpr const char* kRunning = "running";

}  // namespace

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

std::optional<RunStatus> ParseRunStatus(const std::string& name) {
  for (RunStatus s : kRunStatuses) {
    if (name == RunStatusName(s)) return s;
  }
  return std::nullopt;
}

std::string RecordedRunStatusName(const std::optional<RunStatus>& status) {
  return status ? RunStatusName(*status) : kRunning;
}

std::optional<RunStatus> ReadRecordedRunStatus(const std::string& name, const std::string& where) {
  if (name == kRunning) return std::nullopt;
  if (std::optional<RunStatus> s = ParseRunStatus(name)) return s;
  ThrowInput(where, "unknown run status '" + name +
                        "' (expected running, complete, complete_with_errors, failed or "
                        "interrupted)");
}

}  // namespace ctxbench
