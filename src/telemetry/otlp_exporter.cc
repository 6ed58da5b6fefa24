#include "telemetry/otlp_exporter.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "telemetry/gzip.h"

namespace ctxbench {

namespace {

constexpr double kIdleFlushSeconds = 1.0;  // send a partial batch after this long
constexpr size_t kChunkSpans = 32;         // spans encoded at a time
constexpr double kMaxBackoffSeconds = 8.0;

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", s);
  return buf;
}

}  // namespace

std::string DescribeFailure(const HttpReply& reply) {
  if (reply.status == 0) return "no response (" + reply.error + ")";
  std::string code = "HTTP " + std::to_string(reply.status);
  switch (reply.status) {
    case 401:
    case 403:
      return code + " (unauthorized: check PHOENIX_API_KEY; use a system key, not a user key)";
    case 404:
    case 405:
      return code +
             " (endpoint must end in /v1/traces; set PHOENIX_COLLECTOR_ENDPOINT to the "
             "collector's base URL)";
    case 415:
      return code +
             " (unsupported media type: the collector wants Content-Type "
             "application/x-protobuf)";
    case 413:
      return code + " (request too large: lower telemetry.export.batch_spans)";
    default:
      return code;
  }
}

bool IsRetryable(const HttpReply& reply) {
  return reply.status == 0 || reply.status == 429 || reply.status == 502 || reply.status == 503 ||
         reply.status == 504;
}

RetryPlan PlanRetry(const HttpReply& reply, int attempt, int attempts, double backoff_seconds,
                    double remaining_seconds) {
  RetryPlan plan;
  if (!IsRetryable(reply)) return plan;
  if (attempt >= attempts) {
    if (attempts > 1) plan.why_not = "after " + std::to_string(attempt) + " attempts";
    return plan;
  }
  bool asked = (reply.status == 429 || reply.status == 503) && reply.retry_after_seconds >= 0;
  double wait = asked ? reply.retry_after_seconds : std::max(0.0, backoff_seconds);
  if (asked && wait > kMaxRetryAfterSeconds) {
    plan.why_not = "the collector asked to retry after " + Seconds(wait) + " s";
    return plan;
  }
  if (wait >= remaining_seconds) {
    plan.why_not = asked ? "the collector asked to retry after " + Seconds(wait) +
                               " s, past the flush deadline"
                         : "no time left for a retry before the flush deadline";
    return plan;
  }
  plan.retry = true;
  plan.wait_seconds = wait;
  return plan;
}

OtlpExporter::OtlpExporter(OtlpTarget target, const TelemetryConfig& config, SpanSource source,
                           std::unique_ptr<HttpPoster> poster, const Cancellation* cancel)
    : target_(std::move(target)),
      config_(config),
      source_(std::move(source)),
      poster_(std::move(poster)),
      cancel_(cancel) {
  thread_ = std::thread([this] { Loop(); });
}

OtlpExporter::~OtlpExporter() {
  if (thread_.joinable()) Shutdown(0);
}

void OtlpExporter::Add(Span span) {
  std::lock_guard<std::mutex> lock(mu_);
  ++report_.spans;
  if (stopping_ || rejected_) return;  // counted undelivered; the reason is already set
  if (queue_.size() >= static_cast<size_t>(config_.queue_spans)) {
    if (report_.reason.empty()) {
      report_.reason = "export queue full (" + std::to_string(config_.queue_spans) +
                       " spans waiting); the collector is too slow";
    }
    return;
  }
  queue_.push_back(std::move(span));
  if (queue_.size() == std::min(kChunkSpans, static_cast<size_t>(config_.queue_spans))) {
    cv_.notify_all();  // a chunk to encode
  }
}

double OtlpExporter::Remaining() const {
  if (deadline_ == Clock::time_point::max()) return 1e9;
  return std::chrono::duration<double>(deadline_ - Clock::now()).count();
}

void OtlpExporter::Fail(const std::string& reason, bool permanent) {
  // Caller holds mu_. A permanent reason (401, 404, 415, ...) wins over a
  // transient one, since it is what the user must fix.
  if (permanent) {
    if (permanent_reason_.empty()) permanent_reason_ = reason;
    rejected_ = true;
    queue_.clear();
  }
  report_.reason = permanent_reason_.empty() ? reason : permanent_reason_;
}

bool OtlpExporter::Send(const std::string& body, size_t spans) {
  HttpHeaders headers = target_.headers;
  headers.emplace_back("Content-Type", "application/x-protobuf");
  if (config_.gzip) headers.emplace_back("Content-Encoding", "gzip");
  int attempts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    attempts = 1 + (struggling_ ? 0 : config_.max_retries);
  }
  double backoff = config_.backoff_seconds;
  for (int attempt = 1;; ++attempt) {
    double timeout;
    {
      std::lock_guard<std::mutex> lock(mu_);
      timeout = std::min(config_.timeout_seconds, Remaining());
      if (timeout > 0) ++report_.requests;
    }
    HttpReply reply;
    if (timeout <= 0) {
      reply.error = "flush deadline reached";
    } else {
      reply = poster_->Post(target_.url, headers, body, timeout, abort_);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (reply.ok()) {
      report_.delivered += spans;
      struggling_ = false;
      return true;
    }
    RetryPlan plan =
        abort_.load() ? RetryPlan{} : PlanRetry(reply, attempt, attempts, backoff, Remaining());
    if (plan.retry) {
      // Wait, but give up at once if the flush starts and its deadline comes
      // before the retry would.
      Clock::time_point wake = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(plan.wait_seconds));
      cv_.wait_until(lock, wake, [&] { return abort_.load() || deadline_ <= wake; });
      if (abort_.load() || deadline_ <= wake) {
        plan = {false, 0, "no time left for a retry before the flush deadline"};
      }
    }
    if (!plan.retry) {
      std::string reason = DescribeFailure(reply);
      if (!plan.why_not.empty()) reason += " (" + plan.why_not + ")";
      Fail(reason, !IsRetryable(reply));
      struggling_ = true;
      return false;
    }
    backoff = std::min(backoff * 2, kMaxBackoffSeconds);
  }
}

void OtlpExporter::Loop() {
  const size_t batch_spans = static_cast<size_t>(std::max(1, config_.batch_spans));
  GzipStream gzip;
  std::string body;  // the request being built (uncompressed when gzip is off)
  std::unique_lock<std::mutex> lock(mu_);
  while (!abort_.load()) {
    bool woken = cv_.wait_for(lock, std::chrono::duration<double>(kIdleFlushSeconds), [this] {
      return stopping_ || abort_.load() ||
             queue_.size() >= std::min(kChunkSpans, static_cast<size_t>(config_.queue_spans));
    });
    if (abort_.load() || (rejected_ && stopping_)) break;
    if (rejected_) {
      unsent_ = 0;  // the body will never be sent
      continue;
    }
    size_t n = std::min({queue_.size(), kChunkSpans, batch_spans - unsent_});
    std::vector<Span> chunk(std::make_move_iterator(queue_.begin()),
                            std::make_move_iterator(queue_.begin() + n));
    queue_.erase(queue_.begin(), queue_.begin() + n);
    unsent_ += n;
    // Send when the batch is full, when the run is ending and nothing more
    // waits, or after a quiet second.
    bool send = unsent_ > 0 && (unsent_ >= batch_spans || (stopping_ && queue_.empty()) || !woken);
    size_t spans = unsent_;
    idle_ = false;
    lock.unlock();
    if (n > 0) {
      std::string encoded = EncodeExportRequest(source_, chunk);
      chunk.clear();
      if (config_.gzip) {
        gzip.Append(encoded);
      } else {
        body += encoded;
      }
    }
    if (send) {
      if (config_.gzip) body = gzip.Finish();
      Send(body, spans);
      body.clear();
    }
    lock.lock();
    if (send) unsent_ = 0;
    idle_ = true;
    cv_.notify_all();
    if (stopping_ && queue_.empty() && unsent_ == 0) break;
  }
  idle_ = true;
  cv_.notify_all();
}

ExportReport OtlpExporter::Shutdown(double deadline_seconds, const std::function<void()>& waiting) {
  std::unique_lock<std::mutex> lock(mu_);
  stopping_ = true;
  deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(std::max(0.0, deadline_seconds)));
  cv_.notify_all();
  // A Ctrl-C already given when the flush starts interrupted the run, not the
  // flush; one that comes during the flush ends it.
  const bool cancelled_before = cancel_ && cancel_->requested();
  bool cancelled = false;
  std::string reason_before_cancel;
  auto drained_now = [this] { return ((queue_.empty() && unsent_ == 0) || rejected_) && idle_; };
  bool drained = false;
  const Clock::time_point notice =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(kSlowFlushNoticeSeconds));
  bool noticed = !waiting;
  while (!drained) {
    Clock::time_point slice = std::min(deadline_, Clock::now() + std::chrono::milliseconds(50));
    drained = cv_.wait_until(lock, slice, drained_now);
    if (drained || Clock::now() >= deadline_) break;
    if (!noticed && Clock::now() >= notice) {
      noticed = true;
      lock.unlock();
      waiting();
      lock.lock();
      continue;
    }
    if (cancel_ && !cancelled_before && cancel_->requested()) {
      cancelled = true;
      reason_before_cancel = report_.reason;  // the abort below adds its own
      break;
    }
  }
  if (!drained) {
    abort_ = true;
    cv_.notify_all();
  }
  lock.unlock();
  if (thread_.joinable()) thread_.join();
  lock.lock();
  if (cancelled && report_.undelivered() > 0 && permanent_reason_.empty()) {
    report_.reason = "the flush was cut short by SIGINT/SIGTERM" +
                     (reason_before_cancel.empty() ? "" : "; before that: " + reason_before_cancel);
  }
  if (report_.undelivered() > 0 && report_.reason.empty()) {
    report_.reason = "the flush deadline (" + Seconds(deadline_seconds) +
                     " s) passed before the collector took them";
  }
  if (!drained && !cancelled && report_.undelivered() > 0 && permanent_reason_.empty() &&
      report_.reason.find("deadline") == std::string::npos) {
    report_.reason += "; the flush deadline passed";
  }
  return report_;
}

}  // namespace ctxbench
