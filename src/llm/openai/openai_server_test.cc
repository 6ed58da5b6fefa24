// The real client (libcurl transport) against a local chat-completions server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "llm/openai/fake_chat_server.h"
#include "llm/openai/openai_model.h"

namespace ctxbench {
namespace {

const char kServerTestKey[] = "sk-servertest-abcdefghijklmnop";

class OpenAiServerTest : public ::testing::Test {
 protected:
  Completion Call(const std::string& scenario, bool stream = false) {
    return Make(scenario, stream)->Complete(Request());
  }
  std::unique_ptr<OpenAiModel> Make(const std::string& scenario, bool stream = false) {
    OpenAiOptions o;
    o.model = "fake-model";
    o.base_url = server_.BaseUrl(scenario);
    o.stream = stream;
    o.timeout_s = 0.5;
    o.stall_timeout_s = 1;
    o.retry.max_retries = 2;
    o.retry.initial_backoff_s = 0.01;
    o.retry.max_backoff_s = 0.02;
    o.prices.prompt_per_m = 10;
    o.prices.completion_per_m = 20;
    OpenAiDeps d;
    d.transport = MakeCurlTransport();
    d.counter = std::make_shared<EstimateCounter>();
    d.api_key = kServerTestKey;
    return std::make_unique<OpenAiModel>("openai:fake-model", o, std::move(d));
  }
  static CompletionRequest Request() {
    CompletionRequest r;
    r.messages = {{Role::kSystem, "be brief", {}, "", ""}, {Role::kUser, "hello", {}, "", ""}};
    r.tools = {{"train", "Run one experiment.", {{"type", "object"}}}};
    return r;
  }
  std::string ErrorOf(const std::string& scenario, bool stream = false) {
    try {
      Call(scenario, stream);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  FakeChatServer server_;
};

TEST_F(OpenAiServerTest, PlainAnswerWithUsageAndCost) {
  Completion c = Call("ok");
  EXPECT_EQ(c.message.content, "echo: hello");
  EXPECT_EQ(c.usage.prompt_tokens, 120);
  EXPECT_EQ(c.usage.cached_prompt_tokens, 20);
  EXPECT_DOUBLE_EQ(c.cost_usd, (100 * 10.0 + 30 * 20.0) / 1e6);  // cached tokens priced at 0
}

TEST_F(OpenAiServerTest, SeveralToolCallsAndMalformedArgumentsKept) {
  Completion c = Call("tools");
  ASSERT_EQ(c.message.tool_calls.size(), 2u);
  EXPECT_EQ(c.message.tool_calls[0].name, "note");
  EXPECT_EQ(c.message.tool_calls[1].arguments, "{broken");
  EXPECT_EQ(c.finish_reason, "tool_calls");
}

TEST_F(OpenAiServerTest, StreamedToolCallIsAssembled) {
  Completion c = Call("stream", /*stream=*/true);
  EXPECT_EQ(c.message.content, "Let me ");
  ASSERT_EQ(c.message.tool_calls.size(), 1u);
  EXPECT_EQ(c.message.tool_calls[0].arguments, "{\"config\": {}}");
  EXPECT_EQ(c.usage.completion_tokens, 7);
}

TEST_F(OpenAiServerTest, RetriesRateLimitsAndServerErrors) {
  Completion a = Call("flaky429");
  EXPECT_EQ(a.message.content, "recovered");
  EXPECT_EQ(a.retried.size(), 1u);
  EXPECT_EQ(server_.Requests("flaky429"), 2);
  Completion b = Call("flaky500");
  EXPECT_EQ(b.retried.size(), 2u);
  EXPECT_EQ(server_.Requests("flaky500"), 3);
}

TEST_F(OpenAiServerTest, HangingStalledAndMalformedResponsesEndAfterRetries) {
  std::string hang = ErrorOf("hang");
  EXPECT_NE(hang.find("gave up after 3 attempts"), std::string::npos) << hang;
  EXPECT_NE(hang.find("timed out"), std::string::npos) << hang;
  std::string stall = ErrorOf("stall", /*stream=*/true);
  EXPECT_NE(stall.find("gave up"), std::string::npos) << stall;
  std::string malformed = ErrorOf("malformed");
  EXPECT_NE(malformed.find("malformed body"), std::string::npos) << malformed;
  EXPECT_EQ(server_.Requests("malformed"), 3);
}

TEST_F(OpenAiServerTest, UnauthorizedIsNotRetriedAndTheKeyIsRedacted) {
  std::string e = ErrorOf("unauthorized");
  EXPECT_NE(e.find("HTTP 401"), std::string::npos) << e;
  EXPECT_EQ(e.find(kServerTestKey), std::string::npos) << e;
  EXPECT_EQ(e.find("abcdefghijklmnop"), std::string::npos) << e;
  EXPECT_EQ(server_.Requests("unauthorized"), 1);
  EXPECT_NE(ErrorOf("nosuch").find("HTTP 404"), std::string::npos);
}

TEST(CurlTransportTest, ConnectionRefusedIsATransportError) {
  HttpRequest r;
  r.url = "http://127.0.0.1:1/v1/chat/completions";
  r.body = "{}";
  r.timeout_s = 2;
  HttpResponse resp = MakeCurlTransport()->Post(r, {});
  EXPECT_EQ(resp.status, 0);
  EXPECT_FALSE(resp.error.empty());
  EXPECT_TRUE(resp.connect_failed);
  EXPECT_FALSE(resp.timed_out);
}

// Seconds `post` takes.
template <typename F>
double Timed(F post) {
  auto start = std::chrono::steady_clock::now();
  post();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class CurlLimitsTest : public ::testing::Test {
 protected:
  HttpRequest Request(const std::string& scenario) const {
    HttpRequest r;
    r.url = server_.BaseUrl(scenario) + "/chat/completions";
    r.body = R"({"messages":[{"role":"user","content":"hi"}]})";
    r.headers = {{"Content-Type", "application/json"}};
    return r;
  }
  FakeChatServer server_;  // "hang" answers after 5 s; "stall" stops its stream for 5 s
};

TEST_F(CurlLimitsTest, TheTimeoutFiresOnTimeAndIsNamed) {
  HttpRequest r = Request("hang");
  r.timeout_s = 0.6;
  r.stall_timeout_s = 4;
  HttpResponse resp;
  double took = Timed([&] { resp = MakeCurlTransport()->Post(r, {}); });
  EXPECT_TRUE(resp.timed_out);
  EXPECT_EQ(resp.timeout_limit, "timeout_s");
  EXPECT_NE(resp.error.find("timeout_s 0.6 s"), std::string::npos) << resp.error;
  // curl counts from its own start, a little after ours may: a few ms early is on time.
  EXPECT_GE(took, 0.55);
  EXPECT_LT(took, 1.2);
}

TEST_F(CurlLimitsTest, AStalledBodyIsNamedAsSuch) {
  HttpRequest r = Request("stall");
  r.timeout_s = 4;
  r.stall_timeout_s = 0.5;
  HttpResponse resp;
  double took = Timed([&] { resp = MakeCurlTransport()->Post(r, {}); });
  EXPECT_TRUE(resp.timed_out);
  EXPECT_EQ(resp.timeout_limit, "stall_timeout_s");
  EXPECT_GE(took, 0.5);
  EXPECT_LT(took, 2.0);  // the check runs at least once a second while nothing moves
}

TEST_F(CurlLimitsTest, AbortStopsATransferWaitingOnASilentServer) {
  HttpRequest r = Request("hang");
  r.timeout_s = 4;
  r.stall_timeout_s = 4;
  std::atomic<bool> stop{false};
  r.abort = [&] { return stop.load(); };
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  HttpResponse resp;
  double took = Timed([&] { resp = MakeCurlTransport()->Post(r, {}); });
  stopper.join();
  EXPECT_TRUE(resp.aborted);
  EXPECT_EQ(resp.status, 0);
  EXPECT_FALSE(resp.timed_out);
  EXPECT_LT(took, 1.5);
}

}  // namespace
}  // namespace ctxbench
