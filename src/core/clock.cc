#include "core/clock.h"

#include <ctime>

namespace ctxbench {

double SystemClock::MonotonicSeconds() const {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double SystemClock::WallSeconds() const {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

namespace {
std::string Format(double epoch_seconds, const char* fmt) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
}  // namespace

std::string FormatUtc(double epoch_seconds) { return Format(epoch_seconds, "%Y-%m-%dT%H:%M:%SZ"); }
std::string CompactUtc(double epoch_seconds) { return Format(epoch_seconds, "%Y%m%d-%H%M%S"); }

}  // namespace ctxbench
