#include "telemetry/run_telemetry.h"

#include <gtest/gtest.h>

#include <mutex>

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

}  // namespace
}  // namespace ctxbench
