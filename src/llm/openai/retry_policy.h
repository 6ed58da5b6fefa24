// When to retry a chat-completions call and how long to wait: exponential
// backoff with jitter on 429, 500, 502, 503, 504 and transport failures,
// honouring the server's Retry-After. Pure functions.
#pragma once

#include <optional>
#include <string>

#include "llm/openai/openai_options.h"

namespace ctxbench {

// 429, 500, 502, 503, 504, or 0 (no HTTP response: connection refused,
// timeout, stalled body). Never 400, 401, 403, 404.
bool IsRetryableStatus(int status);

// Seconds from a Retry-After value: delta-seconds ("7", "1.5") or an
// HTTP-date relative to `now_epoch_s`. nullopt when unreadable.
std::optional<double> ParseRetryAfter(const std::string& value, double now_epoch_s);

// The wait before retry number `retry` (0-based): `retry_after` when the
// server gave one, else min(max, initial * 2^retry) scaled by a jitter factor
// in [0.5, 1) from `jitter_unit` in [0, 1).
double BackoffSeconds(const RetryOptions& options, int retry, double jitter_unit,
                      std::optional<double> retry_after);

}  // namespace ctxbench
