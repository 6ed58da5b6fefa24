#include "telemetry/otlp_exporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include "telemetry/gzip.h"
#include "telemetry/proto/otlp_trace.pb.h"

namespace ctxbench {
namespace {

// Answers with scripted replies (the last one repeats) and records requests.
struct Script {
  std::mutex mu;
  std::deque<HttpReply> replies;
  double delay_seconds = 0;
  std::vector<HttpHeaders> headers;
  std::vector<size_t> spans_per_request;
  std::vector<std::chrono::steady_clock::time_point> times;  // when each request arrived
};

class FakePoster final : public HttpPoster {
 public:
  explicit FakePoster(Script* s) : s_(s) {}
  HttpReply Post(const std::string&, const HttpHeaders& headers, const std::string& body,
                 double timeout, const std::atomic<bool>& abort) override {
    auto start = std::chrono::steady_clock::now();
    double delay;
    {
      std::lock_guard<std::mutex> lock(s_->mu);
      delay = s_->delay_seconds;
    }
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
           delay) {
      if (abort.load()) return {0, "aborted at the flush deadline"};
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
          timeout) {
        return {0, "timed out"};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->times.push_back(start);
    s_->headers.push_back(headers);
    otlp::ExportTraceServiceRequest req;
    bool gz = false;
    for (const auto& [k, v] : headers) gz = gz || (k == "Content-Encoding" && v == "gzip");
    EXPECT_TRUE(req.ParseFromString(gz ? GzipDecompress(body) : body));
    // One ResourceSpans per chunk of spans the exporter encoded.
    size_t spans = 0;
    for (const auto& rs : req.resource_spans()) {
      for (const auto& ss : rs.scope_spans()) spans += ss.spans_size();
    }
    s_->spans_per_request.push_back(spans);
    HttpReply r = s_->replies.front();
    if (s_->replies.size() > 1) s_->replies.pop_front();
    return r;
  }

 private:
  Script* s_;
};

TelemetryConfig Fast() {
  TelemetryConfig c;
  c.backoff_seconds = 0.01;
  c.max_retries = 3;
  c.batch_spans = 4;
  c.timeout_seconds = 1;
  return c;
}

Span AnySpan() {
  Span s;
  s.trace_id = NewTraceId();
  s.span_id = NewSpanId();
  s.name = "x";
  return s;
}

ExportReport RunExport(Script* script, const TelemetryConfig& config, int spans,
                       double deadline = 5, const Cancellation* cancel = nullptr) {
  OtlpExporter exporter({"http://127.0.0.1:1/v1/traces", {{"authorization", "Bearer k"}}, ""},
                        config, SpanSource{}, std::make_unique<FakePoster>(script), cancel);
  for (int i = 0; i < spans; ++i) exporter.Add(AnySpan());
  return exporter.Shutdown(deadline);
}

TEST(OtlpExporterTest, BatchesAndSendsProtobufWithGzip) {
  Script s;
  s.replies = {{200, ""}};
  ExportReport r = RunExport(&s, Fast(), 10);
  EXPECT_EQ(r.spans, 10u);
  EXPECT_EQ(r.delivered, 10u);
  EXPECT_EQ(r.reason, "");
  size_t total = 0;
  for (size_t n : s.spans_per_request) {
    EXPECT_LE(n, 4u);
    total += n;
  }
  EXPECT_EQ(total, 10u);
  HttpHeaders want = {{"authorization", "Bearer k"},
                      {"Content-Type", "application/x-protobuf"},
                      {"Content-Encoding", "gzip"}};
  EXPECT_EQ(s.headers[0], want);
}

TEST(OtlpExporterTest, EncodesInChunksIntoOneRequestPerBatch) {
  Script s;
  s.replies = {{200, ""}};
  TelemetryConfig c = Fast();
  c.batch_spans = 100;
  for (bool gzip : {true, false}) {
    c.gzip = gzip;
    s.spans_per_request.clear();
    // 70 spans: chunks of 32, 32 and 6 in one request; 250: 100, 100, 50.
    EXPECT_EQ(RunExport(&s, c, 70).delivered, 70u);
    EXPECT_EQ(s.spans_per_request, std::vector<size_t>({70}));
    s.spans_per_request.clear();
    EXPECT_EQ(RunExport(&s, c, 250).delivered, 250u);
    EXPECT_EQ(s.spans_per_request, std::vector<size_t>({100, 100, 50}));
  }
}

TEST(OtlpExporterTest, GzipStreamEqualsOneShot) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "span " + std::to_string(i % 97) + " attribute value\n";
  GzipStream gz;
  for (size_t at = 0; at < text.size(); at += 1000)
    gz.Append(std::string_view(text).substr(at, 1000));
  EXPECT_EQ(GzipDecompress(gz.Finish()), text);
  gz.Append("again");  // reusable after Finish
  EXPECT_EQ(GzipDecompress(gz.Finish()), "again");
  EXPECT_EQ(GzipDecompress(GzipCompress(text)), text);
  EXPECT_EQ(GzipDecompress(GzipCompress("")), "");
}

TEST(OtlpExporterTest, RetriesServiceUnavailableThenDelivers) {
  Script s;
  s.replies = {{503, ""}, {503, ""}, {200, ""}};
  TelemetryConfig c = Fast();
  c.batch_spans = 100;
  ExportReport r = RunExport(&s, c, 3);
  EXPECT_EQ(r.delivered, 3u);
  EXPECT_EQ(r.requests, 3);
}

TEST(OtlpExporterTest, UnauthorizedIsPermanentWithHint) {
  Script s;
  s.replies = {{401, ""}};
  ExportReport r = RunExport(&s, Fast(), 10);
  EXPECT_EQ(r.delivered, 0u);
  EXPECT_EQ(r.undelivered(), 10u);
  EXPECT_EQ(r.requests, 1);  // no retry, and nothing more sent after a 401
  EXPECT_NE(r.reason.find("use a system key"), std::string::npos);
  EXPECT_EQ(r.reason.find("Bearer"), std::string::npos);
}

TEST(OtlpExporterTest, HintsFor404And415) {
  EXPECT_NE(DescribeFailure({404, ""}).find("endpoint must end in /v1/traces"), std::string::npos);
  EXPECT_NE(DescribeFailure({405, ""}).find("endpoint must end in /v1/traces"), std::string::npos);
  EXPECT_NE(DescribeFailure({415, ""}).find("application/x-protobuf"), std::string::npos);
  EXPECT_EQ(DescribeFailure({0, "Couldn't connect to server"}),
            "no response (Couldn't connect to server)");
  EXPECT_TRUE(IsRetryable({429, ""}));
  EXPECT_TRUE(IsRetryable({0, "refused"}));
  EXPECT_FALSE(IsRetryable({400, ""}));
}

TEST(OtlpExporterTest, RetriesRunOutAndSayHowMany) {
  Script s;
  s.replies = {{503, ""}};
  TelemetryConfig c = Fast();
  c.batch_spans = 100;
  ExportReport r = RunExport(&s, c, 2);
  EXPECT_EQ(r.undelivered(), 2u);
  EXPECT_EQ(r.requests, 4);
  EXPECT_NE(r.reason.find("HTTP 503"), std::string::npos);
  EXPECT_NE(r.reason.find("after 4 attempts"), std::string::npos);
}

TEST(OtlpExporterTest, SlowCollectorIsCutAtTheDeadline) {
  Script s;
  s.replies = {{200, ""}};
  s.delay_seconds = 30;
  TelemetryConfig c = Fast();
  c.timeout_seconds = 60;
  auto start = std::chrono::steady_clock::now();
  ExportReport r = RunExport(&s, c, 3, /*deadline=*/0.3);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(took, 2.0);
  EXPECT_EQ(r.undelivered(), 3u);
  EXPECT_FALSE(r.reason.empty());
}

TEST(OtlpExporterTest, FullQueueDropsAndCounts) {
  Script s;
  s.replies = {{200, ""}};
  s.delay_seconds = 0.2;
  TelemetryConfig c = Fast();
  c.queue_spans = 4;
  ExportReport r = RunExport(&s, c, 50);
  EXPECT_EQ(r.spans, 50u);
  EXPECT_LT(r.delivered, 50u);
  EXPECT_GT(r.delivered, 0u);
  EXPECT_NE(r.reason.find("queue full"), std::string::npos);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

HttpReply RetryAfter(int status, double seconds) {
  HttpReply r{status, ""};
  r.retry_after_seconds = seconds;
  return r;
}

// PlanRetry is pure: `remaining` stands for the clock.
TEST(PlanRetryTest, HonoursRetryAfterOn429And503Only) {
  RetryPlan p = PlanRetry(RetryAfter(503, 3), 1, 6, 0.5, 1e9);
  EXPECT_TRUE(p.retry);
  EXPECT_EQ(p.wait_seconds, 3);
  p = PlanRetry(RetryAfter(429, 0), 1, 6, 0.5, 1e9);
  EXPECT_TRUE(p.retry);
  EXPECT_EQ(p.wait_seconds, 0);
  p = PlanRetry(RetryAfter(502, 3), 1, 6, 0.5, 1e9);  // a 502's Retry-After is not a rule
  EXPECT_EQ(p.wait_seconds, 0.5);
  p = PlanRetry({503, ""}, 2, 6, 1, 1e9);  // no Retry-After: the backoff
  EXPECT_EQ(p.wait_seconds, 1);
}

TEST(PlanRetryTest, NoRetryPastTheDeadlineOrTheAttempts) {
  RetryPlan p = PlanRetry(RetryAfter(503, 3), 1, 6, 0.5, 2);
  EXPECT_FALSE(p.retry);
  EXPECT_EQ(p.why_not, "the collector asked to retry after 3 s, past the flush deadline");
  p = PlanRetry(RetryAfter(429, kMaxRetryAfterSeconds + 1), 1, 6, 0.5, 1e9);
  EXPECT_FALSE(p.retry);
  EXPECT_NE(p.why_not.find("asked to retry after"), std::string::npos);
  p = PlanRetry({0, "refused"}, 3, 6, 4, 2);
  EXPECT_FALSE(p.retry);
  EXPECT_EQ(p.why_not, "no time left for a retry before the flush deadline");
  p = PlanRetry({503, ""}, 6, 6, 0.5, 1e9);
  EXPECT_FALSE(p.retry);
  EXPECT_EQ(p.why_not, "after 6 attempts");
  p = PlanRetry({503, ""}, 1, 1, 0.5, 1e9);  // a struggling collector gets one attempt
  EXPECT_FALSE(p.retry);
  EXPECT_EQ(p.why_not, "");
  p = PlanRetry({400, ""}, 1, 6, 0.5, 1e9);
  EXPECT_FALSE(p.retry);
  EXPECT_EQ(p.why_not, "");
}

TEST(OtlpExporterTest, WaitsTheRetryAfterTheCollectorAsksFor) {
  Script s;
  s.replies = {RetryAfter(503, 0.3), {200, ""}};
  TelemetryConfig c = Fast();  // backoff 0.01 s
  c.batch_spans = 100;
  ExportReport r = RunExport(&s, c, 2);
  EXPECT_EQ(r.delivered, 2u);
  ASSERT_EQ(s.times.size(), 2u);
  EXPECT_GE(std::chrono::duration<double>(s.times[1] - s.times[0]).count(), 0.3);
}

TEST(OtlpExporterTest, RetryAfterPastTheDeadlineEndsTheFlushAtOnce) {
  Script s;
  s.replies = {RetryAfter(503, 5)};
  TelemetryConfig c = Fast();
  c.batch_spans = 100;
  auto start = std::chrono::steady_clock::now();
  ExportReport r = RunExport(&s, c, 2, /*deadline=*/1);
  EXPECT_LT(SecondsSince(start), 0.5);
  EXPECT_EQ(r.undelivered(), 2u);
  EXPECT_EQ(r.requests, 1);
  EXPECT_NE(r.reason.find("HTTP 503 (the collector asked to retry after 5 s, past the flush"),
            std::string::npos)
      << r.reason;
}

TEST(OtlpExporterTest, ACollectorFailingDuringTheRunIsNotWaitedForAtTheEnd) {
  Script s;
  s.replies = {{503, ""}};
  TelemetryConfig c = Fast();
  c.backoff_seconds = 5;  // the first batch waits 5 s for its retry when the run ends
  OtlpExporter exporter({"http://127.0.0.1:1/v1/traces", {}, ""}, c, SpanSource{},
                        std::make_unique<FakePoster>(&s));
  for (int i = 0; i < c.batch_spans; ++i) exporter.Add(AnySpan());
  for (bool sent = false; !sent;) {  // the batch goes out after the exporter's idle second
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<std::mutex> lock(s.mu);
    sent = !s.times.empty();
  }
  exporter.Add(AnySpan());
  auto start = std::chrono::steady_clock::now();
  ExportReport r = exporter.Shutdown(1);
  EXPECT_LT(SecondsSince(start), 0.5);
  EXPECT_EQ(r.undelivered(), static_cast<size_t>(c.batch_spans) + 1);
  EXPECT_EQ(r.requests, 2);  // the failed batch is dropped; the last one gets one attempt
  EXPECT_NE(r.reason.find("HTTP 503"), std::string::npos);
}

TEST(OtlpExporterTest, CancellationDuringTheFlushEndsItAtOnce) {
  Script s;
  s.replies = {{200, ""}};
  s.delay_seconds = 30;  // a collector that never answers
  TelemetryConfig c = Fast();
  c.timeout_seconds = 60;
  Cancellation cancel;
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.Request();
  });
  auto start = std::chrono::steady_clock::now();
  ExportReport r = RunExport(&s, c, 3, /*deadline=*/30, &cancel);
  double took = SecondsSince(start);
  ctrl_c.join();
  EXPECT_GE(took, 0.2);
  EXPECT_LT(took, 0.5);
  EXPECT_EQ(r.undelivered(), 3u);
  EXPECT_EQ(r.reason, "the flush was cut short by SIGINT/SIGTERM");
}

TEST(OtlpExporterTest, ACancellationFromBeforeTheFlushDoesNotEndIt) {
  Script s;
  s.replies = {{200, ""}};
  s.delay_seconds = 0.2;
  Cancellation cancel;
  cancel.Request();  // the run was interrupted; its spans still go out
  ExportReport r = RunExport(&s, Fast(), 3, /*deadline=*/5, &cancel);
  EXPECT_EQ(r.delivered, 3u);
  EXPECT_EQ(r.reason, "");
}

TEST(OtlpExporterTest, SaysOnceThatTheFlushIsWaiting) {
  for (double delay : {0.0, 0.6}) {
    Script s;
    s.replies = {{200, ""}};
    s.delay_seconds = delay;
    OtlpExporter exporter({"http://127.0.0.1:1/v1/traces", {}, ""}, Fast(), SpanSource{},
                          std::make_unique<FakePoster>(&s));
    exporter.Add(AnySpan());
    int notices = 0;
    ExportReport r = exporter.Shutdown(5, [&] { ++notices; });
    EXPECT_EQ(r.delivered, 1u);
    EXPECT_EQ(notices, delay > OtlpExporter::kSlowFlushNoticeSeconds ? 1 : 0) << delay;
  }
}

}  // namespace
}  // namespace ctxbench
