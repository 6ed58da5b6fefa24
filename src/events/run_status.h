// A run's status and its one name<->enum mapping, low enough for the sinks
// (RunEndInfo, events/event.h), the store's run rows and the runner to share.
// How a run's status is decided and what exit code each gives:
// run/run_status.h. Pure functions, thread-safe.
//
// On disk (run.json, results.db's `runs.status`) a run is "running" until it
// ends, then one of the RunStatus names; a reader holds that as
// std::optional<RunStatus>, nullopt while running.
#pragma once

#include <optional>
#include <string>

namespace ctxbench {

enum class RunStatus { kComplete, kCompleteWithErrors, kFailed, kInterrupted };

// "complete", "complete_with_errors", "failed", "interrupted".
const char* RunStatusName(RunStatus status);
// The RunStatus of a name RunStatusName gives; nullopt for any other.
std::optional<RunStatus> ParseRunStatus(const std::string& name);

// The name a run folder records: "running" for nullopt, else RunStatusName.
std::string RecordedRunStatusName(const std::optional<RunStatus>& status);
// RecordedRunStatusName's inverse, for a status read from a file: throws an
// input Error naming `where` (the file) and the value for a name that is
// neither "running" nor a RunStatus name.
std::optional<RunStatus> ReadRecordedRunStatus(const std::string& name, const std::string& where);

}  // namespace ctxbench
