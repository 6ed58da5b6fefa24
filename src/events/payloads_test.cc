#include "events/payloads.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "events/event.h"

namespace ctxbench {
namespace {

TEST(PayloadsTest, ExperimentRoundTripsWithProcessFacts) {
  ExperimentData d;
  d.experiment = 3;
  d.config = {{"max_depth", 4}};
  d.ok = false;
  d.error = "exit 1";
  d.repeated = true;
  d.process = ProcessFacts{1, 0, false, 0.25, Json{{"type", "KeyError"}}, "out", 3, ""};
  Json j = d.ToJson();
  EXPECT_TRUE(j["valid_metric"].is_null());  // a failed run has no metric, not 0
  ExperimentData back = ExperimentData::FromJson(j);
  EXPECT_EQ(back.ToJson(), j);
  ASSERT_TRUE(back.process.has_value());
  EXPECT_EQ(back.process->traceback["type"], "KeyError");
}

TEST(PayloadsTest, ReportedMetricIsWrittenUnderItsOwnNameAndReadUnderTheOld) {
  ExperimentData d;
  d.reported_metric = 0.999;
  Json j = d.ToJson();
  EXPECT_EQ(j["reported_metric"], 0.999);
  EXPECT_FALSE(j.contains("claimed_metric"));  // the outcome's word, not this one
  Json old = j;
  old.erase("reported_metric");
  old["claimed_metric"] = 0.75;  // a trace written before the rename
  EXPECT_EQ(ExperimentData::FromJson(old).reported_metric.value_or(-1), 0.75);
  FinalEvaluationData f;
  f.reported_metric = 0.5;
  Json fj = f.ToJson();
  EXPECT_EQ(fj["reported_metric"], 0.5);
  EXPECT_FALSE(fj.contains("claimed_metric"));
  fj.erase("reported_metric");
  fj["claimed_metric"] = 0.25;
  EXPECT_EQ(FinalEvaluationData::FromJson(fj).reported_metric.value_or(-1), 0.25);
}

TEST(PayloadsTest, ExperimentNumberIsAlwaysAnInteger) {
  Json j = ExperimentData{}.ToJson();
  EXPECT_TRUE(j["experiment"].is_number_integer());
  j["experiment"] = "final";  // what the workspace's final run once wrote
  EXPECT_THROW(ExperimentData::FromJson(j), Error);
}

TEST(PayloadsTest, FinalEvaluationWithoutScoresWritesNulls) {
  FinalEvaluationData d;
  d.ok = false;
  d.error = "the run failed";
  Json j = d.ToJson();
  EXPECT_TRUE(j["valid_metric"].is_null());
  EXPECT_TRUE(j["test_metric"].is_null());
  FinalEvaluationData back = FinalEvaluationData::FromJson(j);
  EXPECT_FALSE(back.test_metric.has_value());
  EXPECT_EQ(back.error, "the run failed");
}

TEST(PayloadsTest, LlmCallFailedAndAnsweredShapes) {
  LlmCallData failed;
  failed.model = "m";
  failed.purpose = "agent";
  failed.attempts = 3;
  failed.error = "HTTP 500";
  failed.retried = {"HTTP 500", "HTTP 500"};
  Json j = failed.ToJson();
  EXPECT_FALSE(j.contains("prompt_tokens"));  // no usage for a call without a reply
  EXPECT_TRUE(LlmCallData::FromJson(j).failed());
  LlmCallData answered;
  answered.prompt_tokens = 10;
  answered.cost_usd = 0.5;
  EXPECT_FALSE(LlmCallData::FromJson(answered.ToJson()).failed());
  EXPECT_EQ(LlmCallData::FromJson(answered.ToJson()).prompt_tokens, 10);
}

TEST(PayloadsTest, MissingKeysKeepDefaultsUnknownKeysAreIgnored) {
  NoteData n = NoteData::FromJson({{"newer_field", 1}});
  EXPECT_EQ(n.text, "");
  EXPECT_THROW(NoteData::FromJson({{"text", 5}}), Error);
}

TEST(PayloadsTest, StopRuleAndStatusNamesRoundTrip) {
  for (StopRule r :
       {StopRule::kFinalAnswer, StopRule::kTargetMet, StopRule::kIterations, StopRule::kTokens,
        StopRule::kCost, StopRule::kWallSeconds, StopRule::kError, StopRule::kInterrupted}) {
    EXPECT_EQ(ParseStopRule(StopRuleName(r)), r);
  }
  StopData s{StopRule::kTokens, EpisodeStatus::kComplete, ""};
  EXPECT_EQ(StopData::FromJson(s.ToJson()).rule, StopRule::kTokens);
  EXPECT_FALSE(ParseStopRule("steps").has_value());
  EXPECT_THROW(StopData::FromJson({{"rule", "bogus"}, {"status", "complete"}}), Error);
}

TEST(PayloadsTest, RetrieveHitsRoundTripInTheTraceShape) {
  ResponseData d;
  d.tool = "retrieve";
  d.ok = true;
  d.hits = std::vector<RetrieveHit>{{3, "note", -1.5, "Note: deeper trees overfit"}};
  Json j = d.ToJson();
  // The trace shape: [{seq, kind, bm25, text}] (docs/store.md).
  EXPECT_EQ(j["hits"], Json::parse(R"([{"seq":3,"kind":"note","bm25":-1.5,
                                        "text":"Note: deeper trees overfit"}])"));
  std::optional<ResponseData> back = ResponseData::FromJson(j);
  ASSERT_TRUE(back && back->hits);
  EXPECT_EQ(back->ToJson(), j);
  EXPECT_EQ((*back->hits)[0].kind, "note");
  d.hits = std::vector<RetrieveHit>{};  // retrieved nothing: an empty list, not none
  EXPECT_TRUE(d.ToJson()["hits"].is_array());
  EXPECT_TRUE(ResponseData::FromJson(d.ToJson())->hits.has_value());
  d.hits.reset();  // another tool: no hits
  EXPECT_FALSE(d.ToJson().contains("hits"));
  EXPECT_FALSE(ResponseData::FromJson(d.ToJson())->hits.has_value());
}

TEST(PayloadsTest, ToolInReadsTheToolInPlace) {
  Json j = ResponseData{"train", true, std::nullopt}.ToJson();
  const std::string* tool = ResponseData::ToolIn(j);
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(*tool, "train");
  EXPECT_EQ(tool, &j["tool"].get_ref<const std::string&>());  // no copy
  EXPECT_EQ(ResponseData::ToolIn(Json::object()), nullptr);   // an observation of no action
  EXPECT_EQ(ResponseData::ToolIn({{"tool", 5}}), nullptr);
  EXPECT_EQ(ResponseData::ToolIn(Json()), nullptr);
}

TEST(PayloadsTest, EpisodeEndReadsTheOutcomesStatusFacts) {
  EpisodeEndData end{
      {{"status", "error"}, {"error", "HTTP 401"}, {"success", false}, {"wall_seconds", 2.5}}};
  EpisodeEndData back = EpisodeEndData::FromJson(end.ToJson());
  EXPECT_EQ(back.status(), EpisodeStatus::kError);
  EXPECT_EQ(back.error(), "HTTP 401");
  EXPECT_FALSE(back.success());
  EXPECT_EQ(back.wall_seconds(), 2.5);
  EpisodeEndData bare{Json::object()};  // an outcome without these facts
  EXPECT_FALSE(bare.status().has_value());
  EXPECT_FALSE(bare.error().has_value());
  EXPECT_FALSE(bare.success());
  EXPECT_FALSE(bare.wall_seconds().has_value());
  EpisodeEndData running{{{"status", "running"}}};  // a store row's word, not an outcome's
  EXPECT_THROW(running.status(), Error);
  EpisodeEndData wrong{{{"success", "yes"}}};
  EXPECT_THROW(wrong.success(), Error);
}

TEST(EventTest, ReadersSkipUnknownEventTypes) {
  Json unknown = {{"seq", 4}, {"event", "op.from_the_future"}, {"data", Json::object()}};
  EXPECT_FALSE(EventFromJson(unknown).has_value());
  Event e;
  e.type = EventType::kFinalEvaluation;
  e.data = FinalEvaluationData{}.ToJson();
  std::optional<Event> back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->type, EventType::kFinalEvaluation);
}

}  // namespace
}  // namespace ctxbench
