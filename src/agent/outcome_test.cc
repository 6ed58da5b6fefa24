#include "agent/outcome.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

Outcome FullOutcome() {
  Outcome o;
  o.status = EpisodeStatus::kError;
  o.error = "model failed";
  o.stop_rule = StopRule::kError;
  o.metric = "accuracy";
  o.higher_is_better = true;
  o.baseline_metric = 0.8125;
  o.baseline_test_metric = 0.79;
  o.target_metric = 0.85;
  o.best_valid_metric = 0.8437500000000001;
  o.best_config = {{"max_depth", 4}};
  o.improvement_pct = 3.846153846153846;
  o.final_answer_valid = true;
  o.final_config = {{"max_depth", 4}, {"eta", 0.1}};
  o.claimed_metric = 0.85;
  o.final_summary = "depth 4";
  o.final_valid_metric = 0.84;
  o.test_metric = 0.83;
  o.baseline_test_error = "hidden evaluation: exit 1";
  o.final_error = "the final config does not train";
  o.iterations = 3;
  o.steps = 7;
  o.llm_calls = 8;
  o.summaries = 1;
  o.prompt_tokens = 12345678901LL;
  o.completion_tokens = 77;
  o.cost_usd = 0.0123;
  o.cache_hits = 2;
  o.cache_hit_prompt_tokens = 100;
  o.cache_hit_completion_tokens = 10;
  o.cache_hit_cost_usd = 0.001;
  o.llm_retries = 1;
  o.wall_seconds = 1.5;
  o.mean_context_tokens = 512.25;
  o.max_context_tokens = 900;
  o.repeated_configs = 1;
  o.invalid_actions = 2;
  o.errors_recovered = 1;
  o.clarifications = 1;
  o.history.push_back({1, 1, {{"max_depth", 3}}, true, "", 0.82, false});
  o.history.push_back({2, 2, {{"max_depth", -1}}, false, "bad depth", 0, true});
  return o;
}

TEST(OutcomeTest, FromJsonRoundTripsEveryField) {
  Json j = FullOutcome().ToJson();
  Outcome back = OutcomeFromJson(j, "test");
  EXPECT_EQ(back.ToJson(), j);
  EXPECT_EQ(back.ToJson(false), FullOutcome().ToJson(false));
  ASSERT_TRUE(back.claimed_metric.has_value());
  EXPECT_EQ(back.history.size(), 2u);
  EXPECT_EQ(back.history[1].error, "bad depth");
}

TEST(OutcomeTest, FromJsonKeepsDefaultsForMissingFieldsAndNullClaim) {
  Outcome o = OutcomeFromJson({{"metric", "rmse"}, {"claimed_metric", nullptr}}, "test");
  EXPECT_EQ(o.metric, "rmse");
  EXPECT_EQ(o.status, EpisodeStatus::kComplete);
  EXPECT_FALSE(o.claimed_metric.has_value());
  EXPECT_TRUE(o.history.empty());
}

TEST(OutcomeTest, FromJsonNamesWhereOnWrongTypes) {
  try {
    OutcomeFromJson({{"iterations", "three"}}, "results.db: ep1");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("results.db: ep1"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("iterations"), std::string::npos);
  }
  EXPECT_THROW(OutcomeFromJson(Json::array(), "x"), Error);
}

}  // namespace
}  // namespace ctxbench
