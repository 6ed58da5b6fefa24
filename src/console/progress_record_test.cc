#include "console/progress_record.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(ProgressRecord, HasTheDocumentedFields) {
  LiveSnapshot s;
  s.elapsed_s = 12.34567;
  s.total = 8;
  s.done = 3;
  s.errors = 1;
  s.in_flight = {{"t.p.m.agentic.s1", 2, 5, 3000, 8000, 9000, 0.02, "train", 1.25},
                 {"t.p.m.agentic.s2", 0, 0, 0, 8000, 0, 0, "", std::nullopt}};
  s.calls = 10;
  s.retries = 2;
  s.cost_usd = 0.05;
  s.models = {{"m", true, 2, 4, true, ""}};
  Json j = ProgressRecord(s, false);
  EXPECT_EQ(j["type"], "progress");
  EXPECT_EQ(j["done"], 3);
  EXPECT_EQ(j["total"], 8);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["calls"], 10);
  EXPECT_EQ(j["retries"], 2);
  EXPECT_DOUBLE_EQ(j["cost_usd"].get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(j["elapsed_s"].get<double>(), 12.346);
  EXPECT_TRUE(j["eta_s"].is_null());  // unknown yet
  EXPECT_TRUE(j["cost_cap_usd"].is_null());
  EXPECT_EQ(j["final"], false);
  ASSERT_EQ(j["in_flight"].size(), 2u);
  const Json& e = j["in_flight"][0];
  for (const char* key :
       {"episode", "iteration", "step", "context_tokens", "tokens", "cost_usd", "call_s"}) {
    EXPECT_TRUE(e.contains(key)) << key;
  }
  EXPECT_EQ(e["episode"], "t.p.m.agentic.s1");
  EXPECT_EQ(e["step"], 5);
  EXPECT_DOUBLE_EQ(e["call_s"].get<double>(), 1.25);
  EXPECT_TRUE(j["in_flight"][1]["call_s"].is_null());  // not in a call
  EXPECT_EQ(j["models"][0]["connections"], 2);
  s.eta_s = 30;
  EXPECT_DOUBLE_EQ(ProgressRecord(s, true)["eta_s"].get<double>(), 30);
  EXPECT_EQ(ProgressRecord(s, true)["final"], true);
}

TEST(ProgressRecord, LogRecordTakesTheLevelFromThePrefix) {
  Json w = LogRecord(LogLevel::kWarn, "warning: collector down");
  EXPECT_EQ(w["type"], "log");
  EXPECT_EQ(w["level"], "warning");
  EXPECT_EQ(w["message"], "collector down");
  EXPECT_EQ(LogRecord(LogLevel::kWarn, "error: model gone")["level"], "error");
  Json i = LogRecord(LogLevel::kInfo, "error: in an info line is text");
  EXPECT_EQ(i["level"], "info");
  EXPECT_EQ(i["message"], "error: in an info line is text");
}

}  // namespace
}  // namespace ctxbench
