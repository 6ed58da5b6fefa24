#include "llm/openai/gated_transport.h"

#include <gtest/gtest.h>

#include "llm/openai/fake_transport.h"

namespace ctxbench {
namespace {

TEST(GatedTransportTest, PassesTheGateAndReportsTheStatus) {
  auto shared = std::make_shared<FakeTransport::Shared>();
  shared->replies = {Reply(429, "{}"), Reply(200, "{}")};
  CallLimits limits;
  limits.max_connections = 2;
  auto gate = std::make_shared<CallGate>(limits);
  GatedTransport transport(std::make_unique<FakeTransport>(shared), gate,
                           std::make_shared<EstimateCounter>());
  HttpRequest request;
  request.body = "{}";
  EXPECT_EQ(transport.Post(request, {}).status, 429);
  EXPECT_EQ(transport.Post(request, {}).status, 200);
  CallGateStats s = gate->stats();
  EXPECT_EQ(s.calls, 2);
  EXPECT_EQ(s.rate_limited, 1);
  EXPECT_EQ(shared->requests.size(), 2u);
}

TEST(GatedTransportTest, StreamPassesTheGateToo) {
  auto shared = std::make_shared<FakeTransport::Shared>();
  shared->replies = {Reply(429, "{}"), Reply(200, "streamed body")};
  auto gate = std::make_shared<CallGate>(CallLimits{});
  GatedTransport transport(std::make_unique<FakeTransport>(shared), gate,
                           std::make_shared<EstimateCounter>());
  HttpRequest request;
  std::string received;
  auto sink = [&](std::string_view chunk) {
    received += chunk;
    return true;
  };
  EXPECT_EQ(transport.Stream(request, sink).status, 429);
  HttpResponse ok = transport.Stream(request, sink);
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.body.empty());
  EXPECT_EQ(received, "streamed body");
  CallGateStats s = gate->stats();
  EXPECT_EQ(s.calls, 2);
  EXPECT_EQ(s.rate_limited, 1);
}

TEST(GatedTransportTest, ChargesTheTokenEstimateToTheTokensBucket) {
  FakeClock clock;
  double waited = 0;
  CallLimits limits;
  limits.tokens_per_minute = 600;  // 10 a second
  auto gate = std::make_shared<CallGate>(limits, &clock, [&](double s) {
    waited += s;
    clock.Advance(s);
  });
  auto shared = std::make_shared<FakeTransport::Shared>();
  shared->replies = {Reply(200, "{}"), Reply(200, "{}")};
  auto counter = std::make_shared<EstimateCounter>();
  GatedTransport transport(std::make_unique<FakeTransport>(shared), gate, counter);
  HttpRequest request;
  request.body = R"({"messages": [{"role": "user", "content": "hello there"}], "max_tokens": 500})";
  double estimate = RequestTokenEstimate(*counter, request.body);
  transport.Post(request, {});
  transport.Post(request, {});
  EXPECT_DOUBLE_EQ(waited, (2 * estimate - 600) / 10);
}

TEST(GatedTransportTest, EstimateCountsMessagesToolsAndCompletionAllowance) {
  EstimateCounter counter;
  std::string bare = R"({"messages": [{"role": "user", "content": "x"}]})";
  std::string with_allowance =
      R"({"messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 300})";
  std::string with_tools =
      R"({"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function",
          "function": {"name": "train", "parameters": {"type": "object"}}}]})";
  double base = RequestTokenEstimate(counter, bare);
  EXPECT_GT(base, counter.Count("x"));  // per-message overhead
  EXPECT_DOUBLE_EQ(RequestTokenEstimate(counter, with_allowance), base + 300);
  EXPECT_GT(RequestTokenEstimate(counter, with_tools), base);
  EXPECT_DOUBLE_EQ(RequestTokenEstimate(counter, "not json!"), 9.0 / 4);
}

}  // namespace
}  // namespace ctxbench
