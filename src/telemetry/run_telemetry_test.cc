#include "telemetry/run_telemetry.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "core/hard_stop.h"
#include "telemetry/gzip.h"
#include "telemetry/proto/otlp_trace.pb.h"

namespace ctxbench {
namespace {

// Keeps every request body, decompressed.
class RecordingPoster final : public HttpPoster {
 public:
  explicit RecordingPoster(std::vector<std::string>* bodies) : bodies_(bodies) {}
  HttpReply Post(const std::string&, const HttpHeaders&, const std::string& body, double,
                 const std::atomic<bool>&) override {
    bodies_->push_back(GzipDecompress(body));
    return {200, ""};
  }

 private:
  std::vector<std::string>* bodies_;
};

std::optional<std::string> Endpoint(const std::string& name) {
  if (name == "PHOENIX_COLLECTOR_ENDPOINT") return std::string("http://127.0.0.1:1");
  return std::nullopt;
}

TEST(RunTelemetryTest, UrlCredentialsOfAModelReachNoSpan) {
  const std::string url = "http://user:s3cret@127.0.0.1:9/v1";
  RunSpanInfo info;
  info.run_id = "r1";
  info.name = "n";
  info.started = 1.7e9;
  info.config = {{"models", Json::array({{{"name", "m"}, {"kind", "openai"}, {"base_url", url}}})}};
  info.models["m"] = {"openai", {{"base_url", url}, {"model", "gpt-4o-mini"}}};
  std::vector<std::string> bodies;
  Cancellation cancel;
  auto t =
      RunTelemetry::Start({}, info, Endpoint, std::make_unique<RecordingPoster>(&bodies), &cancel);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->Finish("complete", 1.7e9 + 1), "");
  ASSERT_EQ(bodies.size(), 1u);
  otlp::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(bodies[0]));
  std::string input;
  for (const auto& rs : req.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) {
      for (const auto& span : ss.spans()) {
        for (const auto& kv : span.attributes()) {
          if (span.name() == "run" && kv.key() == "input.value") input = kv.value().string_value();
        }
      }
    }
  }
  // The URL stays (without its user info), the password goes.
  EXPECT_NE(input.find("127.0.0.1:9/v1"), std::string::npos) << input;
  EXPECT_EQ(input.find("s3cret"), std::string::npos) << input;
  EXPECT_EQ(bodies[0].find("s3cret"), std::string::npos);
}

// Writes each request body, decompressed, to a pipe (a forked child's posts
// reach the parent): a 4-byte length, then the body.
class PipePoster final : public HttpPoster {
 public:
  explicit PipePoster(int fd) : fd_(fd) {}
  HttpReply Post(const std::string&, const HttpHeaders&, const std::string& body, double,
                 const std::atomic<bool>&) override {
    std::string plain = GzipDecompress(body);
    uint32_t n = static_cast<uint32_t>(plain.size());
    (void)!::write(fd_, &n, sizeof n);
    (void)!::write(fd_, plain.data(), plain.size());
    return {200, ""};
  }

 private:
  int fd_;
};

// The run span's ctxbench.status in each body a child posted before it
// ended; the child's exit code in `exit_code` (-1 if it did not exit).
std::vector<std::string> RunStatusesPostedBy(void (*child)(int fd), int* exit_code) {
  int out[2];
  if (::pipe(out) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(out[0]);
    child(out[1]);
    ::_exit(4);
  }
  ::close(out[1]);
  std::string all;
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) all.append(buf, n);
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::vector<std::string> statuses;
  for (size_t at = 0; at + 4 <= all.size();) {
    uint32_t n = 0;
    std::memcpy(&n, all.data() + at, 4);
    otlp::ExportTraceServiceRequest req;
    if (!req.ParseFromString(all.substr(at + 4, n))) break;
    at += 4 + n;
    for (const auto& rs : req.resource_spans()) {
      for (const auto& ss : rs.scope_spans()) {
        for (const auto& span : ss.spans()) {
          for (const auto& kv : span.attributes()) {
            if (span.name() == "run" && kv.key() == "ctxbench.status")
              statuses.push_back(kv.value().string_value());
          }
        }
      }
    }
  }
  return statuses;
}

std::unique_ptr<RunTelemetry> StartForHardStop(int fd) {
  RunSpanInfo info;
  info.run_id = "r1";
  info.name = "n";
  info.started = 1.7e9;
  static Cancellation cancel;
  return RunTelemetry::Start({}, info, Endpoint, std::make_unique<PipePoster>(fd), &cancel);
}

// The run hook registers the hard stop: a second Ctrl-C during the run sends
// the run span, "interrupted", before the process ends.
TEST(RunTelemetryTest, AHardStopDuringTheRunSendsTheRunSpan) {
  int exit_code = 0;
  std::vector<std::string> statuses = RunStatusesPostedBy(
      [](int fd) {
        if (!StartHardStopThread(42)) ::_exit(2);
        auto t = StartForHardStop(fd);
        if (!t) ::_exit(3);
        t->OnRunStart({"r1", "n", "{}", 1.7e9});
        if (!RequestHardStop()) ::_exit(3);
        ::sleep(10);  // the hard-stop thread ends the process first
      },
      &exit_code);
  EXPECT_EQ(exit_code, 42);
  EXPECT_EQ(statuses, std::vector<std::string>{"interrupted"});
}

// After OnRunEnd the hard stop is unregistered: it sends nothing more.
TEST(RunTelemetryTest, AHardStopAfterTheRunEndSendsNothingMore) {
  int exit_code = 0;
  std::vector<std::string> statuses = RunStatusesPostedBy(
      [](int fd) {
        if (!StartHardStopThread(42)) ::_exit(2);
        auto t = StartForHardStop(fd);
        if (!t) ::_exit(3);
        t->OnRunStart({"r1", "n", "{}", 1.7e9});
        t->OnRunEnd({RunStatus::kComplete, 1.7e9 + 1});
        if (!RequestHardStop()) ::_exit(3);
        ::sleep(10);
      },
      &exit_code);
  EXPECT_EQ(exit_code, 42);
  EXPECT_EQ(statuses, std::vector<std::string>{"complete"});
}

}  // namespace
}  // namespace ctxbench
