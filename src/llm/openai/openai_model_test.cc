#include "llm/openai/openai_model.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/test_scratch_dir.h"
#include "llm/openai/fake_transport.h"

namespace ctxbench {
namespace {

const char kKey[] = "sk-test-0123456789abcdef";

std::string Answer(const std::string& content, int prompt = 100, int completion = 10) {
  return Json({{"choices",
                {{{"message", {{"role", "assistant"}, {"content", content}}},
                  {"finish_reason", "stop"}}}},
               {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}}}})
      .dump();
}

class OpenAiModelTest : public ::testing::Test {
 protected:
  std::unique_ptr<OpenAiModel> Make(OpenAiOptions o = {}) {
    if (o.model.empty()) o.model = "gpt-test";
    o.base_url = "http://127.0.0.1:9/v1";
    o.prices.prompt_per_m = 1.0;
    o.prices.cached_prompt_per_m = 0.5;
    o.prices.completion_per_m = 4.0;
    OpenAiDeps d;
    d.transport = std::make_unique<FakeTransport>(shared_);
    d.clock = &clock_;
    d.sleep = [this](double s) {
      sleeps_.push_back(s);
      clock_.Advance(s);
    };
    d.jitter = [] { return 0.0; };
    d.cache = cache_;
    d.counter = std::make_shared<EstimateCounter>();
    d.api_key = kKey;
    return std::make_unique<OpenAiModel>("openai:gpt-test", o, std::move(d));
  }
  static CompletionRequest Request(const std::string& text = "hello") {
    CompletionRequest r;
    r.messages = {{Role::kUser, text, {}, "", ""}};
    r.max_tokens = 100;
    return r;
  }

  std::shared_ptr<FakeTransport::Shared> shared_ = std::make_shared<FakeTransport::Shared>();
  FakeClock clock_;
  std::vector<double> sleeps_;
  std::shared_ptr<ResponseCache> cache_;
};

TEST_F(OpenAiModelTest, SendsTheRequestAndCostsTheUsage) {
  OpenAiOptions o;
  o.organization = "org-1";
  o.headers = {{"X-Extra", "1"}};
  shared_->replies.push_back(Reply(200, R"({"choices":[{"message":{"content":"hi"},
      "finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":100,
      "prompt_tokens_details":{"cached_tokens":400}}})"));
  Completion c = Make(o)->Complete(Request());
  EXPECT_EQ(c.message.content, "hi");
  EXPECT_FALSE(c.cache_hit);
  EXPECT_DOUBLE_EQ(c.cost_usd, (600 * 1.0 + 400 * 0.5 + 100 * 4.0) / 1e6);
  ASSERT_EQ(shared_->requests.size(), 1u);
  const HttpRequest& r = shared_->requests[0];
  EXPECT_EQ(r.url, "http://127.0.0.1:9/v1/chat/completions");
  auto has = [&](const std::string& k, const std::string& v) {
    for (const auto& h : r.headers)
      if (h.first == k && h.second == v) return true;
    return false;
  };
  EXPECT_TRUE(has("Authorization", std::string("Bearer ") + kKey));
  EXPECT_TRUE(has("OpenAI-Organization", "org-1"));
  EXPECT_TRUE(has("X-Extra", "1"));
  EXPECT_EQ(Json::parse(r.body)["model"], "gpt-test");
}

TEST_F(OpenAiModelTest, RetriesHonouringRetryAfterThenSucceeds) {
  shared_->replies.push_back(
      Reply(429, R"({"error":{"message":"slow down"}})", {{"retry-after", "3"}}));
  shared_->replies.push_back(Reply(500, "oops"));
  HttpResponse timeout;
  timeout.error = "Timeout was reached";
  timeout.timed_out = true;
  shared_->replies.push_back(timeout);
  shared_->replies.push_back(Reply(200, "{not json"));
  shared_->replies.push_back(Reply(200, Answer("ok")));
  Completion c = Make()->Complete(Request());
  EXPECT_EQ(c.message.content, "ok");
  EXPECT_EQ(shared_->requests.size(), 5u);
  ASSERT_EQ(sleeps_.size(), 4u);
  EXPECT_DOUBLE_EQ(sleeps_[0], 3.0);  // Retry-After
  EXPECT_DOUBLE_EQ(sleeps_[1], 1.0);  // 2^1 * 1 s * 0.5 jitter
  EXPECT_DOUBLE_EQ(sleeps_[2], 2.0);
  ASSERT_EQ(c.retried.size(), 4u);
  EXPECT_EQ(c.retried[0], "HTTP 429: slow down");
  EXPECT_NE(c.retried[2].find("timed out"), std::string::npos);
  EXPECT_NE(c.retried[3].find("malformed"), std::string::npos);
}

TEST_F(OpenAiModelTest, UnauthorizedEndsTheCallWithoutRetryOrKey) {
  shared_->replies.push_back(Reply(
      401,
      Json({{"error", {{"message", std::string("Incorrect API key provided: ") + kKey}}}}).dump()));
  try {
    Make()->Complete(Request());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kRuntime);
    EXPECT_NE(what.find("HTTP 401"), std::string::npos);
    EXPECT_NE(what.find("Incorrect API key provided: [redacted]"), std::string::npos) << what;
    EXPECT_EQ(what.find("0123456789abcdef"), std::string::npos);
  }
  EXPECT_EQ(shared_->requests.size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(OpenAiModelTest, GivesUpAfterMaxRetriesOrTheDeadline) {
  OpenAiOptions o;
  o.retry.max_retries = 2;
  for (int i = 0; i < 5; ++i) shared_->replies.push_back(Reply(503, "busy"));
  EXPECT_THROW(Make(o)->Complete(Request()), Error);
  EXPECT_EQ(shared_->requests.size(), 3u);

  shared_->requests.clear();
  shared_->replies.clear();
  OpenAiOptions d;
  d.retry.deadline_s = 5;
  shared_->replies.push_back(Reply(429, "", {{"retry-after", "60"}}));
  try {
    Make(d)->Complete(Request());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("deadline"), std::string::npos) << e.what();
  }
  EXPECT_EQ(shared_->requests.size(), 1u);
}

TEST_F(OpenAiModelTest, StreamsAndEstimatesMissingUsage) {
  OpenAiOptions o;
  o.stream = true;
  shared_->replies.push_back(
      Reply(200,
            "data: {\"choices\":[{\"delta\":{\"content\":\"stre\"}}]}\n\n"
            "data: {\"choices\":[{\"delta\":{\"content\":\"amed\"},\"finish_reason\":\"stop\"}]}"
            "\n\ndata: [DONE]\n\n"));
  Completion c = Make(o)->Complete(Request());
  EXPECT_EQ(c.message.content, "streamed");
  EXPECT_TRUE(c.estimated_tokens);
  EXPECT_GT(c.usage.prompt_tokens, 0);
  EXPECT_GT(c.usage.completion_tokens, 0);
  Json body = Json::parse(shared_->requests[0].body);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
}

TEST_F(OpenAiModelTest, CacheAnswersRepeatsAsHits) {
  ScratchDir scratch;
  std::string path = scratch.Path("cache.db");
  cache_ = ResponseCache::Open(path, true);
  shared_->replies.push_back(Reply(200, Answer("first", 1000, 100)));
  auto model = Make();
  Completion a = model->Complete(Request());
  Completion b = model->Complete(Request());
  EXPECT_FALSE(a.cache_hit);
  EXPECT_TRUE(b.cache_hit);
  EXPECT_EQ(b.message, a.message);
  EXPECT_EQ(b.usage.prompt_tokens, 1000);
  EXPECT_DOUBLE_EQ(b.cost_usd, a.cost_usd);
  EXPECT_EQ(shared_->requests.size(), 1u);
  shared_->replies.push_back(Reply(200, Answer("other")));
  EXPECT_FALSE(model->Complete(Request("different")).cache_hit);
  EXPECT_EQ(cache_->Size(), 2);

  OpenAiOptions read_only;
  read_only.cache = CacheMode::kReadOnly;
  shared_->replies.push_back(Reply(200, Answer("third")));
  EXPECT_FALSE(Make(read_only)->Complete(Request("new")).cache_hit);
  EXPECT_EQ(cache_->Size(), 2);
}

TEST_F(OpenAiModelTest, ContextWindowIsCheckedBeforeTheCall) {
  OpenAiOptions o;
  o.context_window = 60;
  shared_->replies.push_back(Reply(200, Answer("ok")));
  Make(o)->Complete(Request());
  EXPECT_LT(Json::parse(shared_->requests[0].body)["max_tokens"].get<int>(), 60);
  EXPECT_THROW(Make(o)->Complete(Request(std::string(1000, 'x'))), Error);
  EXPECT_EQ(shared_->requests.size(), 1u);
}

TEST(RedactKeyTest, RemovesTheKeyAndKeyShapedWords) {
  EXPECT_EQ(RedactKey("key abc123secret here", "abc123secret"), "key [redacted] here");
  EXPECT_EQ(RedactKey("Incorrect API key provided: sk-proj-****abcd.", ""),
            "Incorrect API key provided: [redacted].");
  EXPECT_EQ(RedactKey("task-based", ""), "task-based");
}

TEST(RedactKeyTest, RemovesUrlCredentials) {
  EXPECT_EQ(RedactKey("connect to http://user:s3cret@127.0.0.1:9/v1/chat/completions failed", ""),
            "connect to http://[redacted]@127.0.0.1:9/v1/chat/completions failed");
}

}  // namespace
}  // namespace ctxbench
