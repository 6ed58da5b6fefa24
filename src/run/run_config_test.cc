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

TEST(RunConfigTest, HeaderValuesAreNotSavedAndARedactedOneIsRefused) {
  Json model = {{"name", "chat"},
                {"kind", "openai"},
                {"model", "m"},
                {"headers", {{"X-Api-Key", "tok-7c1e9a"}, {"X-Title", "ctxbench"}}}};
  RunConfig c = RunConfigFromJson(Config({{"models", Json::array({model})}}), "config.json");
  EXPECT_EQ(c.models[0].params["headers"]["X-Api-Key"], "tok-7c1e9a");  // sent as given
  Json saved = RunConfigToJson(c);
  EXPECT_EQ(saved["models"][0]["headers"],
            Json({{"X-Api-Key", "[redacted]"}, {"X-Title", "[redacted]"}}));
  EXPECT_EQ(saved.dump().find("tok-7c1e9a"), std::string::npos);
  try {
    RunConfigFromJson(saved, "run.json: config");
    FAIL() << "a redacted header was accepted";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("headers.X-Api-Key"), std::string::npos) << what;
    EXPECT_NE(what.find("redacted"), std::string::npos) << what;
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

namespace ctxbench {
namespace {

std::string LoadError(const std::string& text) {
  try {
    RunConfigFromJson(ParseJson(text, "config.json"), "config.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return "";
}

const char* kBase = R"("tasks": ["toy_tabular"], "models": ["sim"], "seeds": [1],
                       "context_policies": [{"name": "full"}])";

TEST(RunConfigLimitsTest, IntegersThatWouldWrapAreErrorsNamingTheField) {
  // 2^32 + 1 once ran as num_steps 1; 2^64 - 1 read as -1.
  for (const char* field : {"num_steps", "steps_per_iteration", "parallel", "learner_threads"}) {
    for (const char* value : {"4294967297", "18446744073709551615", "-4294967295"}) {
      std::string what =
          LoadError("{" + std::string(kBase) + ", \"" + field + "\": " + value + "}");
      EXPECT_NE(what.find(std::string("$.") + field), std::string::npos) << what;
    }
  }
  for (const char* field : {"context_tokens", "max_tokens"}) {
    std::string what = LoadError("{" + std::string(kBase) + ", \"budget\": {\"" + field +
                                 "\": 18446744073709551615}}");
    EXPECT_NE(what.find(std::string("$.budget.") + field), std::string::npos) << what;
  }
}

TEST(RunConfigLimitsTest, HugeNumbersAreInputErrorsNamingTheField) {
  std::string what =
      LoadError("{" + std::string(kBase) + ", \"budget\": {\"wall_seconds\": 1e400}}");
  EXPECT_NE(what.find("$.budget.wall_seconds"), std::string::npos) << what;
  what = LoadError("{" + std::string(kBase) + ", \"seeds\": [1, 2, 1e999]}");
  EXPECT_NE(what.find("$.seeds[2]"), std::string::npos) << what;
}

TEST(RunConfigLimitsTest, RunNamesThatLeaveTheOutputFolderAreRefused) {
  for (const char* name : {"../up", "a/b", "..", "x\\\\y", "", "tab\\there"}) {
    std::string what =
        LoadError("{" + std::string(kBase) + ", \"name\": \"" + std::string(name) + "\"}");
    EXPECT_NE(what.find("$.name"), std::string::npos) << name << ": " << what;
  }
  RunConfig ok = RunConfigFromJson(
      ParseJson("{" + std::string(kBase) + ", \"name\": \"study-1.v2\"}", "c"), "c");
  EXPECT_EQ(ok.name, "study-1.v2");
}

TEST(RunConfigLimitsTest, OverlongNamesAreRefused) {
  std::string long_name(65, 'a');
  EXPECT_NE(
      LoadError("{" + std::string(kBase) + ", \"name\": \"" + long_name + "\"}").find("$.name"),
      std::string::npos);
  std::string models = R"("models": [{"name": ")" + long_name + R"(", "kind": "sim"}])";
  std::string what = LoadError(R"({"tasks": ["toy_tabular"], "seeds": [1],
      "context_policies": [{"name": "full"}], )" +
                               models + "}");
  EXPECT_NE(what.find("$.models[0].name"), std::string::npos) << what;
}

TEST(ParseSeedsTest, TakesListsAndRanges) {
  EXPECT_EQ(ParseSeeds("1,2,5-7", "--seeds"), (std::vector<uint64_t>{1, 2, 5, 6, 7}));
  EXPECT_EQ(ParseSeeds("0", "--seeds"), (std::vector<uint64_t>{0}));
}

TEST(ParseSeedsTest, RefusesAnythingElseNamingTheFlag) {
  for (const char* bad : {"1..3", "1-3x", "3x", "1,", ",1", "1-", "x-y", "5-1", "1-2-3", " 1",
                          "99999999999999999999"}) {
    try {
      ParseSeeds(bad, "--seeds");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), 2);
      EXPECT_NE(std::string(e.what()).find("--seeds"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ctxbench
