// One HTTP POST behind an interface so the exporter can be tested with a
// fake. The real one uses libcurl (no curl types here).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "telemetry/telemetry_config.h"

namespace ctxbench {

struct HttpReply {
  int status = 0;     // HTTP status; 0 when no response arrived
  std::string error;  // why no response arrived ("timed out", ...); never holds header values
  // The reply's Retry-After (delta-seconds, or an HTTP date made relative to
  // now), in seconds; negative when absent or unreadable.
  double retry_after_seconds = -1;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  // POSTs `body`. Never throws. Returns early (within about 50 ms) with an
  // error when `abort` becomes true. Thread-compatible: one caller at a time.
  virtual HttpReply Post(const std::string& url, const HttpHeaders& headers,
                         const std::string& body, double timeout_seconds,
                         const std::atomic<bool>& abort) = 0;
};

std::unique_ptr<HttpPoster> MakeCurlPoster();

}  // namespace ctxbench
