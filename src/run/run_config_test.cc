#include "run/run_config.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

Json Config(const Json& changes) {
  Json j = ParseJson(R"({"tasks": ["toy_tabular"], "models": ["sim"],
                         "context_policies": [{"name": "full"}], "seeds": [1]})",
                     "test config");
  j.update(changes);
  return j;
}

TEST(RunConfigTest, RunWideLimitsDefaultToNoneAndStayOutOfTheSavedConfig) {
  RunConfig c = RunConfigFromJson(Config(Json::object()), "config.json");
  EXPECT_EQ(c.fail_on_error, 0);
  EXPECT_EQ(c.run_max_cost_usd, 0);
  Json saved = RunConfigToJson(c);
  EXPECT_FALSE(saved.contains("fail_on_error"));
  EXPECT_FALSE(saved["budget"].contains("run_max_cost_usd"));
}

TEST(RunConfigTest, FailOnErrorIsACountAFractionOrABoolean) {
  EXPECT_EQ(RunConfigFromJson(Config({{"fail_on_error", 3}}), "c").fail_on_error, 3);
  EXPECT_EQ(RunConfigFromJson(Config({{"fail_on_error", 0.1}}), "c").fail_on_error, 0.1);
  EXPECT_EQ(RunConfigFromJson(Config({{"fail_on_error", true}}), "c").fail_on_error, 1);
  EXPECT_EQ(RunConfigFromJson(Config({{"fail_on_error", false}}), "c").fail_on_error, 0);
}

TEST(RunConfigTest, RunWideLimitsSurviveTheSavedConfig) {
  RunConfig c = RunConfigFromJson(
      Config({{"fail_on_error", 0.25}, {"budget", {{"run_max_cost_usd", 2.5}}}}), "c");
  RunConfig back = RunConfigFromJson(RunConfigToJson(c), "run.json: config");
  EXPECT_EQ(back.fail_on_error, 0.25);
  EXPECT_EQ(back.run_max_cost_usd, 2.5);
}

TEST(RunConfigTest, BadRunWideLimitsNameTheField) {
  for (const Json& bad : {Json(0), Json(-1), Json(2.5), Json("3"), Json(1.5)}) {
    try {
      RunConfigFromJson(Config({{"fail_on_error", bad}}), "config.json");
      FAIL() << bad.dump();
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), 2);
      EXPECT_NE(std::string(e.what()).find("$.fail_on_error"), std::string::npos) << e.what();
    }
  }
  try {
    RunConfigFromJson(Config({{"budget", {{"run_max_cost_usd", -1}}}}), "config.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("$.budget.run_max_cost_usd"), std::string::npos)
        << e.what();
  }
}

TEST(RunConfigTest, UrlCredentialsAreNotSavedAndARedactedUrlIsRefused) {
  Json model = {{"name", "chat"},
                {"kind", "openai"},
                {"model", "m"},
                {"base_url", "http://user:s3cret@127.0.0.1:9/v1"}};
  RunConfig c = RunConfigFromJson(Config({{"models", Json::array({model})}}), "config.json");
  Json saved = RunConfigToJson(c);
  EXPECT_EQ(saved["models"][0]["base_url"], "http://[redacted]@127.0.0.1:9/v1");
  EXPECT_EQ(saved.dump().find("s3cret"), std::string::npos);
  try {
    RunConfigFromJson(saved, "run.json: config");
    FAIL() << "a redacted base_url was accepted";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("base_url"), std::string::npos) << what;
    EXPECT_NE(what.find("api_key_env"), std::string::npos) << what;
  }
  model["base_url"] = "http://127.0.0.1:port/v1";
  Json bad = Config({{"models", Json::array({model})}});
  EXPECT_THROW(RunConfigFromJson(bad, "config.json"), Error);
}

}  // namespace
}  // namespace ctxbench
