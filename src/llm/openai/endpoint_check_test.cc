#include "llm/openai/endpoint_check.h"

#include <gtest/gtest.h>

#include "llm/openai/fake_transport.h"

namespace ctxbench {
namespace {

const std::string kCheckKey = "sk-endpoint-check-7d1e";

struct Check {
  std::shared_ptr<FakeTransport::Shared> shared = std::make_shared<FakeTransport::Shared>();
  OpenAiOptions options;

  Check() {
    options.base_url = "http://127.0.0.1:9/v1";
    options.model = "m1";
  }
  std::optional<EndpointProblem> Run(HttpResponse reply, const std::string& key = kCheckKey) {
    shared->replies.push_back(std::move(reply));
    FakeTransport transport(shared);
    return CheckEndpoint("m", options, key, transport);
  }
};

TEST(EndpointCheckTest, OneGetOfModelsWithTheKey) {
  Check c;
  EXPECT_FALSE(c.Run(Reply(200, R"({"data": [{"id": "m1"}]})")));
  ASSERT_EQ(c.shared->requests.size(), 1u);
  const HttpRequest& sent = c.shared->requests[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/v1/models");
  bool bearer = false;
  for (const auto& [name, value] : sent.headers) bearer |= value == "Bearer " + kCheckKey;
  EXPECT_TRUE(bearer);
  EXPECT_LE(sent.timeout_s, 10);
}

TEST(EndpointCheckTest, UnauthorizedNamesTheKeyVariableNotTheKey) {
  Check c;
  auto p = c.Run(Reply(401, R"({"error": {"message": "bad key sk-endpoint-check-7d1e"}})"));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->input);
  EXPECT_NE(p->line.find("401"), std::string::npos);
  EXPECT_NE(p->line.find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_EQ(p->line.find(kCheckKey), std::string::npos) << p->line;
}

TEST(EndpointCheckTest, NotFoundPointsAtBaseUrl) {
  Check c;
  auto p = c.Run(Reply(404, "not found"));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->input);
  EXPECT_NE(p->line.find("base_url"), std::string::npos);
}

TEST(EndpointCheckTest, DownOrUnreachableIsAServerProblem) {
  Check c;
  auto p = c.Run(Reply(503, R"({"error": {"message": "overloaded"}})"));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->input);
  EXPECT_NE(p->line.find("does not answer"), std::string::npos);
  HttpResponse refused;
  refused.connect_failed = true;
  refused.error = "connection refused";
  p = c.Run(refused);
  ASSERT_TRUE(p);
  EXPECT_NE(p->line.find("connection refused"), std::string::npos);
}

TEST(EndpointCheckTest, MissingKeyForOpenAiFailsWithoutARequest) {
  Check c;
  c.options.base_url = "https://api.openai.com/v1";
  FakeTransport transport(c.shared);
  auto p = CheckEndpoint("m", c.options, "", transport);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->input);
  EXPECT_NE(p->line.find("OPENAI_API_KEY is not set"), std::string::npos);
  EXPECT_TRUE(c.shared->requests.empty());
}

TEST(EndpointCheckTest, PreflightOffSendsNothing) {
  Check c;
  c.options.preflight = false;
  FakeTransport transport(c.shared);
  EXPECT_FALSE(CheckEndpoint("m", c.options, "", transport));
  EXPECT_TRUE(c.shared->requests.empty());
}

TEST(EndpointCheckTest, AnUnlistedModelIsNoProblem) {
  Check c;
  EXPECT_FALSE(c.Run(Reply(200, R"({"data": [{"id": "other"}]})")));
}

}  // namespace
}  // namespace ctxbench
