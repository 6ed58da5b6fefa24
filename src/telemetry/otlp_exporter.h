// Sends spans to an OTLP/HTTP collector from a background thread: batches,
// gzip, retries with backoff on 429/502/503/504 and network errors (a
// Retry-After on 429/503 replaces the backoff), a bounded queue, and a flush
// with a deadline that nothing outlasts: no retry is scheduled past it, a
// request in flight is cut at it, and a Ctrl-C during the flush ends it. The thread encodes and
// compresses spans in small chunks as they arrive (a request body is the concatenation of one
// encoded ExportTraceServiceRequest per chunk, which protobuf reads as one
// request with a ResourceSpans per chunk), so that at the end of a run only
// the last few spans are left to encode. A collector that is down, slow or
// rejecting never blocks or fails the caller: spans that cannot be delivered
// are counted, with the reason, in the report Shutdown returns.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/cancel.h"
#include "telemetry/http_poster.h"
#include "telemetry/otlp_encoder.h"
#include "telemetry/span.h"
#include "telemetry/telemetry_config.h"

namespace ctxbench {

struct ExportReport {
  size_t spans = 0;      // handed to Add
  size_t delivered = 0;  // acknowledged with 2xx
  size_t undelivered() const { return spans - delivered; }
  std::string reason;  // why some were not delivered ("" when all were)
  int requests = 0;    // POSTs made, retries included
};

class OtlpExporter {
 public:
  // Starts the background thread. `cancel` (may be null; must outlive the
  // exporter) ends Shutdown's flush at once when it becomes requested during
  // the flush; one already requested when Shutdown starts does not (the run
  // was interrupted: its spans still get the flush deadline).
  OtlpExporter(OtlpTarget target, const TelemetryConfig& config, SpanSource source,
               std::unique_ptr<HttpPoster> poster, const Cancellation* cancel = nullptr);
  // Shuts down with no wait if Shutdown was not called.
  ~OtlpExporter();
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  // Queues a finished span. Thread-safe; never waits for the network. A span
  // that finds the queue full (or comes after Shutdown) is dropped and counted.
  void Add(Span span);

  // Sends what is queued, waiting at most `deadline_seconds` (less on a
  // Ctrl-C, see the constructor), then stops the thread (aborting a request in
  // flight within about 50 ms) and reports. A retry that would come after the
  // deadline is not waited for. `waiting` (may be empty) is called once,
  // from the caller's thread, if the flush is still going after
  // kSlowFlushNoticeSeconds. Call once.
  static constexpr double kSlowFlushNoticeSeconds = 0.25;
  ExportReport Shutdown(double deadline_seconds, const std::function<void()>& waiting = {});

 private:
  using Clock = std::chrono::steady_clock;
  void Loop();
  // Sends one request body of `spans` spans with retries; true when delivered.
  bool Send(const std::string& body, size_t spans);
  void Fail(const std::string& reason, bool permanent);
  double Remaining() const;  // seconds to the flush deadline; large before Shutdown

  const OtlpTarget target_;
  const TelemetryConfig config_;
  const SpanSource source_;
  std::unique_ptr<HttpPoster> poster_;
  const Cancellation* const cancel_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Span> queue_;
  bool stopping_ = false;
  bool idle_ = true;         // the thread holds no span taken from the queue
  size_t unsent_ = 0;        // spans encoded into the body being built
  bool rejected_ = false;    // a permanent error: send nothing more
  bool struggling_ = false;  // the last batch failed: no retries until one succeeds
  Clock::time_point deadline_ = Clock::time_point::max();
  ExportReport report_;
  std::string permanent_reason_;
  std::atomic<bool> abort_{false};
  std::thread thread_;
};

// The human reason for a failed POST, with the hints users need:
// 401/403 → use a system key; 404/405 → endpoint must end in /v1/traces;
// 415 → content type. Names no URL or header (the caller names the URL).
std::string DescribeFailure(const HttpReply& reply);
// True for replies worth retrying: 429, 502, 503, 504, and no response.
bool IsRetryable(const HttpReply& reply);

// What to do after a failed attempt.
struct RetryPlan {
  bool retry = false;
  double wait_seconds = 0;  // before the next attempt, when retrying
  std::string why_not;      // when a retryable reply is not retried: "after 6 attempts", ...
};
// The plan after failed attempt `attempt` (1-based) of at most `attempts`,
// with `backoff_seconds` the backoff due and `remaining_seconds` left before
// the flush deadline (large before the flush starts). The wait is the
// reply's Retry-After on 429/503 when it has one, else the backoff; a
// Retry-After above kMaxRetryAfterSeconds, or a wait that would end at or
// after the deadline, means no retry. Pure: the clock is the caller's.
constexpr double kMaxRetryAfterSeconds = 60;
RetryPlan PlanRetry(const HttpReply& reply, int attempt, int attempts, double backoff_seconds,
                    double remaining_seconds);

}  // namespace ctxbench
