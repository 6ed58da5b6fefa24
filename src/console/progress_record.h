// The records of `ctxbench run --progress json`: one JSON object per line on
// stderr. docs/progress.md documents the fields; keep the two together.
//
//   {"type":"progress", "elapsed_s", "done", "total", "successes", "errors",
//    "in_flight":[{"episode","iteration","step","context_tokens",
//                  "context_budget","tokens","cost_usd","call_s"}],
//    "calls", "retries", "retries_last_min", "rate_limited_last_min",
//    "tokens", "cost_usd", "cost_cap_usd", "eta_s", "models":[...], "final"}
//   {"type":"log", "level":"info"|"warning"|"error"|"debug", "message"}
//
// Error channel: none.
#pragma once

#include <string>

#include "console/live_snapshot.h"
#include "core/json.h"
#include "core/log.h"

namespace ctxbench {

// `final`: the last record of the grid (after its last episode).
Json ProgressRecord(const LiveSnapshot& snapshot, bool final);

// A log line ("warning: model gpt ..."): the level from its prefix, the
// message without it.
Json LogRecord(LogLevel level, const std::string& line);

}  // namespace ctxbench
