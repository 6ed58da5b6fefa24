#include "llm/openai/replay_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/test_scratch_dir.h"
#include "llm/openai/openai_model.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class ReplayModelTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = scratch_.path(); }
  static CompletionRequest Request(const std::string& text) {
    CompletionRequest r;
    r.messages = {{Role::kUser, text, {}, "", ""}};
    return r;
  }
  ScratchDir scratch_;
  fs::path dir_;
  std::shared_ptr<const TokenCounter> counter_ = std::make_shared<EstimateCounter>();
};

TEST_F(ReplayModelTest, AnswersRecordedRequestsAndFailsOnAMiss) {
  OpenAiOptions o;
  o.model = "gpt-test";
  o.prices.completion_per_m = 2;
  auto cache = ResponseCache::Open((dir_ / "cache.db").string(), true);
  Json body = PreparedChatBody(Request("hi"), o, *counter_, "m");
  CachedResponse recorded{{Role::kAssistant, "recorded", {}, "", ""}, {10, 5, 0}, "stop", false};
  cache->Store(RequestKey(o.base_url, body, 0), body, recorded);

  ReplayModel model("replay", o, cache, nullptr, counter_);
  Completion c = model.Complete(Request("hi"));
  EXPECT_TRUE(c.cache_hit);
  EXPECT_EQ(c.message.content, "recorded");
  EXPECT_EQ(c.usage.completion_tokens, 5);
  EXPECT_DOUBLE_EQ(c.cost_usd, 10e-6);
  try {
    model.Complete(Request("never asked"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("replay miss"), std::string::npos);
  }
  OpenAiOptions other = o;
  other.base_url = "http://elsewhere/v1";
  EXPECT_THROW(ReplayModel("r", other, cache, nullptr, counter_).Complete(Request("hi")), Error);
}

TEST_F(ReplayModelTest, ReadsTheRecordedModelFromARunFolder) {
  fs::path run = dir_ / "run";
  fs::create_directories(run);
  std::ofstream(run / "run.json") << R"({"config": {"models": [
      {"name": "gpt", "kind": "openai", "model": "gpt-x", "base_url": "http://127.0.0.1:1/v1",
       "prices": {"prompt": 1, "completion": 2}, "cache": "off"}]}})";
  ResponseCache::Open((run / "calls.db").string(), true);
  ReplaySource s = ReadReplaySource("gpt", {{"from", run.string()}}, "models[0]", true);
  EXPECT_EQ(s.cache_path, (run / "calls.db").string());
  EXPECT_EQ(s.options.model, "gpt-x");
  EXPECT_EQ(s.options.base_url, "http://127.0.0.1:1/v1");
  EXPECT_DOUBLE_EQ(s.options.prices.completion_per_m, 2);

  EXPECT_THROW(ReadReplaySource("nope", {{"from", run.string()}}, "m", true), Error);
  ReplaySource named =
      ReadReplaySource("x", {{"from", run.string()}, {"recorded_model", "gpt"}}, "m", true);
  EXPECT_EQ(named.options.model, "gpt-x");
  EXPECT_THROW(
      ReadReplaySource("x", {{"from", (dir_ / "missing.db").string()}, {"model", "m"}}, "m", true),
      Error);
  EXPECT_THROW(ReadReplaySource("x", {{"model", "m"}}, "m", true), Error);  // no `from`
}

}  // namespace
}  // namespace ctxbench
