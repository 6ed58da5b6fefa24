#include "llm/openai/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace ctxbench {

bool IsRetryableStatus(int status) {
  return status == 0 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

std::optional<double> ParseRetryAfter(const std::string& value, double now_epoch_s) {
  char* end = nullptr;
  double seconds = std::strtod(value.c_str(), &end);
  if (end != value.c_str() && *end == '\0') {
    if (seconds < 0 || !std::isfinite(seconds)) return std::nullopt;
    return seconds;
  }
  std::tm tm = {};
  std::istringstream in(value);
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S");
  if (in.fail()) return std::nullopt;
  double when = static_cast<double>(timegm(&tm));
  return std::max(0.0, when - now_epoch_s);
}

double BackoffSeconds(const RetryOptions& o, int retry, double jitter_unit,
                      std::optional<double> retry_after) {
  if (retry_after) return *retry_after;
  double base = std::min(o.max_backoff_s, o.initial_backoff_s * std::pow(2.0, retry));
  return base * (0.5 + 0.5 * std::clamp(jitter_unit, 0.0, 1.0));
}

}  // namespace ctxbench
