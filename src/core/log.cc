#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>

#include "core/log_tap.h"

namespace ctxbench {

namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mu;
std::shared_ptr<const LogTap> g_tap;  // guarded by g_mu; null: stderr

void Emit(LogLevel level, const char* prefix, const std::string& message) {
  if (static_cast<int>(level) > g_level.load()) return;
  std::shared_ptr<const LogTap> tap;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    tap = g_tap;
    if (!tap) {
      std::fprintf(stderr, "%s%s\n", prefix, message.c_str());
      std::fflush(stderr);
      return;
    }
  }
  (*tap)(level, prefix + message);
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }
void LogError(const std::string& message) { Emit(LogLevel::kWarn, "error: ", message); }
void LogWarn(const std::string& message) { Emit(LogLevel::kWarn, "warning: ", message); }
void LogInfo(const std::string& message) { Emit(LogLevel::kInfo, "", message); }
void LogDebug(const std::string& message) { Emit(LogLevel::kDebug, "debug: ", message); }

void SetLogTap(LogTap tap) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_tap = tap ? std::make_shared<const LogTap>(std::move(tap)) : nullptr;
}

}  // namespace ctxbench
