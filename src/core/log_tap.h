// Redirecting the log (core/log.h) while a live display owns the terminal:
// with a tap installed, every line that would be written to stderr is handed
// to the tap instead, already filtered by the log level and prefixed
// ("warning: ...").
//
// Thread safety: SetLogTap and the Log* functions may be called from any
// thread. The tap is called outside the log's lock, from the logging thread;
// it must not log itself. After SetLogTap(nullptr) returns, calls already in
// the old tap may still be finishing: keep what it uses alive until the
// owner stops it (console/live_display.h does).
#pragma once

#include <functional>
#include <string>

#include "core/log.h"

namespace ctxbench {

using LogTap = std::function<void(LogLevel level, const std::string& line)>;

// Installs `tap` (an empty function: write to stderr again).
void SetLogTap(LogTap tap);

}  // namespace ctxbench
