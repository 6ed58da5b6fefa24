// How an openai model's calls fail: fast and for every instance when the
// model is ruled out (401/403/404, the circuit breaker), at once on
// cancellation, and always with the attempts they made.
#include <gtest/gtest.h>

#include <thread>

#include "core/cancel.h"
#include "llm/model_call_error.h"
#include "llm/openai/fake_transport.h"
#include "llm/openai/openai_model.h"

namespace ctxbench {
namespace {

const char kFailureTestKey[] = "sk-test-0123456789abcdef";

std::string AnswerBody(const std::string& content) {
  return Json({{"choices",
                {{{"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", "stop"}}}},
               {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 2}}}})
      .dump();
}

HttpResponse Refused() {
  HttpResponse r;
  r.error = "Couldn't connect to server";
  r.connect_failed = true;
  return r;
}

class OpenAiModelFailureTest : public ::testing::Test {
 protected:
  std::unique_ptr<OpenAiModel> Make(OpenAiOptions o = {}) {
    o.model = "gpt-test";
    if (o.base_url == OpenAiOptions().base_url) o.base_url = "http://127.0.0.1:9/v1";
    OpenAiDeps d;
    d.transport = std::make_unique<FakeTransport>(shared_);
    d.clock = &clock_;
    d.sleep = [this](double s) {
      sleeps_.push_back(s);
      clock_.Advance(s);
      if (cancel_on_sleep_) cancel_.Request();
      if (unavailable_on_sleep_) health_->MarkUnavailable("HTTP 401 from elsewhere");
    };
    d.jitter = [] { return 0.0; };
    d.counter = std::make_shared<EstimateCounter>();
    d.api_key = kFailureTestKey;
    d.health = health_;
    d.cancel = &cancel_;
    return std::make_unique<OpenAiModel>("openai:gpt-test", o, std::move(d));
  }
  static CompletionRequest Request(const std::string& purpose = "agent") {
    CompletionRequest r;
    r.messages = {{Role::kUser, "hello", {}, "", ""}};
    r.max_tokens = 100;
    r.purpose = purpose;
    return r;
  }
  // The ModelCallError `model` throws for Request(purpose).
  static ModelCallError CallError(OpenAiModel& model, const std::string& purpose = "agent") {
    try {
      model.Complete(Request(purpose));
    } catch (const ModelCallError& e) {
      return e;
    }
    ADD_FAILURE() << "expected a ModelCallError";
    return ModelCallError("", "", {}, 0, "");
  }

  std::shared_ptr<FakeTransport::Shared> shared_ = std::make_shared<FakeTransport::Shared>();
  std::shared_ptr<ModelHealth> health_ = std::make_shared<ModelHealth>();
  Cancellation cancel_;
  bool cancel_on_sleep_ = false;
  bool unavailable_on_sleep_ = false;
  FakeClock clock_;
  std::vector<double> sleeps_;
};

TEST_F(OpenAiModelFailureTest, AWrongKeyRulesTheModelOutForEveryInstance) {
  OpenAiOptions o;
  o.base_url = "https://user:secret-pass@api.example.test/v1";
  shared_->replies.push_back(Reply(
      401, Json({{"error",
                  {{"message", std::string("Incorrect API key provided: ") + kFailureTestKey}}}})
               .dump()));
  auto first = Make(o);
  auto second = Make(o);  // another episode's instance of the same model
  ModelCallError e = CallError(*first);
  EXPECT_EQ(e.attempts(), 1);
  ASSERT_FALSE(health_->available());
  std::string why = health_->Unavailable().value_or("");
  EXPECT_NE(why.find("HTTP 401 from https://api.example.test/v1/chat/completions"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("Incorrect API key provided: [redacted]"), std::string::npos) << why;
  EXPECT_EQ(why.find("0123456789abcdef"), std::string::npos) << why;
  EXPECT_EQ(why.find("secret-pass"), std::string::npos) << why;

  ModelCallError later = CallError(*second, "summarize");
  EXPECT_EQ(later.attempts(), 0);
  EXPECT_EQ(later.purpose(), "summarize");
  EXPECT_NE(std::string(later.what()).find("model unavailable: " + why), std::string::npos)
      << later.what();
  EXPECT_EQ(shared_->requests.size(), 1u);  // the second instance sent nothing
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(OpenAiModelFailureTest, ForbiddenAndModelNotFoundRuleItOutButABadRequestDoesNot) {
  for (int status : {403, 404}) {
    health_ = std::make_shared<ModelHealth>();
    shared_->replies.push_back(Reply(status, R"({"error":{"message":"no"}})"));
    CallError(*Make());
    EXPECT_FALSE(health_->available()) << status;
  }
  health_ = std::make_shared<ModelHealth>();
  shared_->replies.push_back(Reply(400, R"({"error":{"message":"bad field"}})"));
  EXPECT_EQ(CallError(*Make()).attempts(), 1);
  EXPECT_TRUE(health_->available());
}

TEST_F(OpenAiModelFailureTest, ConnectionFailuresInARowOpenTheCircuitBreaker) {
  OpenAiOptions o;
  o.retry.max_retries = 10;
  o.circuit_breaker_failures = 3;
  for (int i = 0; i < 10; ++i) shared_->replies.push_back(Refused());
  ModelCallError e = CallError(*Make(o));
  EXPECT_EQ(e.attempts(), 3);
  EXPECT_EQ(e.retries(), 2);  // the breaker opened on the third: not retried
  EXPECT_EQ(shared_->requests.size(), 3u);
  EXPECT_NE(std::string(e.what()).find("circuit breaker open after 3 connection failures"),
            std::string::npos)
      << e.what();
  EXPECT_NE(std::string(e.what()).find("Couldn't connect to server"), std::string::npos);
  EXPECT_EQ(CallError(*Make(o)).attempts(), 0);  // later calls: at once, no request
  EXPECT_EQ(shared_->requests.size(), 3u);
}

TEST_F(OpenAiModelFailureTest, AnAnswerBetweenConnectionFailuresKeepsTheBreakerClosed) {
  OpenAiOptions o;
  o.retry.max_retries = 10;
  o.circuit_breaker_failures = 2;
  shared_->replies = {Refused(), Reply(503, "busy"), Refused(), Reply(200, AnswerBody("ok"))};
  Completion c = Make(o)->Complete(Request());
  EXPECT_EQ(c.message.content, "ok");
  EXPECT_EQ(c.retried.size(), 3u);
  EXPECT_TRUE(health_->available());
}

TEST_F(OpenAiModelFailureTest, AFailedCallCarriesEveryAttempt) {
  OpenAiOptions o;
  o.retry.max_retries = 2;
  for (int i = 0; i < 3; ++i) shared_->replies.push_back(Reply(503, "busy"));
  ModelCallError e = CallError(*Make(o));
  EXPECT_EQ(e.attempts(), 3);
  EXPECT_EQ(e.retries(), 2);
  EXPECT_EQ(sleeps_.size(), 2u);
  ASSERT_EQ(e.failures().size(), 3u);
  EXPECT_EQ(e.failures()[0], "HTTP 503: busy");
  EXPECT_NE(std::string(e.what()).find("gave up after 3 attempts (max_retries 2)"),
            std::string::npos)
      << e.what();
  EXPECT_TRUE(health_->available());  // the server answered: not the breaker's business
}

TEST_F(OpenAiModelFailureTest, AWaitCutShortByAnotherInstanceCountsTheScheduledRetry) {
  auto model = Make();
  shared_->replies = {Reply(503, "busy"), Reply(200, AnswerBody("never sent"))};
  // While this call waits to retry, another instance gets a 401.
  unavailable_on_sleep_ = true;
  ModelCallError e = CallError(*model);
  EXPECT_EQ(e.attempts(), 1);
  EXPECT_EQ(e.retries(), 1);  // as many as "retrying in" lines
  EXPECT_EQ(shared_->requests.size(), 1u);
}

TEST_F(OpenAiModelFailureTest, CancellationDuringABackoffWaitEndsTheCall) {
  cancel_on_sleep_ = true;
  shared_->replies = {Reply(503, "busy"), Reply(200, AnswerBody("too late"))};
  EXPECT_THROW(Make()->Complete(Request()), CancelledError);
  EXPECT_EQ(shared_->requests.size(), 1u);
  // Once cancelled, a call does not even start.
  EXPECT_THROW(Make()->Complete(Request()), CancelledError);
  EXPECT_EQ(shared_->requests.size(), 1u);
}

TEST_F(OpenAiModelFailureTest, CancellationAbortsATransferInFlight) {
  shared_->replies.push_back(Reply(-1, ""));  // a silent server
  std::thread canceller([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    cancel_.Request();
  });
  EXPECT_THROW(Make()->Complete(Request()), CancelledError);
  canceller.join();
  EXPECT_EQ(shared_->requests.size(), 1u);
}

TEST_F(OpenAiModelFailureTest, ATimeoutCutByTheRetryDeadlineNamesTheDeadline) {
  OpenAiOptions o;
  o.timeout_s = 30;
  o.retry.deadline_s = 5;
  o.retry.max_retries = 0;
  HttpResponse timeout;
  timeout.timed_out = true;
  timeout.timeout_limit = "timeout_s";
  timeout.error = "timed out: no complete answer within timeout_s 5 s";
  shared_->replies.push_back(timeout);
  ModelCallError e = CallError(*Make(o));
  EXPECT_DOUBLE_EQ(shared_->requests[0].timeout_s, 5);
  EXPECT_NE(std::string(e.what()).find("the retry deadline_s 5 s passed"), std::string::npos)
      << e.what();
}

TEST(UrlWithoutCredentialsTest, DropsUserAndPasswordOnly) {
  EXPECT_EQ(UrlWithoutCredentials("https://u:p@host:8/v1?x=a@b"), "https://host:8/v1?x=a@b");
  EXPECT_EQ(UrlWithoutCredentials("http://127.0.0.1:9/v1"), "http://127.0.0.1:9/v1");
  EXPECT_EQ(UrlWithoutCredentials("http://host/v1/a@b"), "http://host/v1/a@b");
}

}  // namespace
}  // namespace ctxbench
