// Progress and warnings on stderr, one line each, safe from several threads.
#pragma once

#include <string>

namespace ctxbench {

enum class LogLevel { kQuiet = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
void LogError(const std::string& message);  // shown at kWarn and above, as "error: ..."
void LogWarn(const std::string& message);
void LogInfo(const std::string& message);
void LogDebug(const std::string& message);

}  // namespace ctxbench
