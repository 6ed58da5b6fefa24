// The competition grading section: the medal read from a workspace episode's
// final evaluation, and the table counting medals per task × model × policy.
#include "report/grading_section.h"

#include <gtest/gtest.h>

#include "events/payloads.h"
#include "report/test_run.h"
#include "report/workspace_stats.h"

namespace ctxbench {
namespace {

using report_test::MakeEvent;

std::vector<Event> GradedEvents(const std::string& medal, bool above_median, double score) {
  Json run = {{"experiment", 0}, {"config", Json::object()}, {"ok", true},
              {"error", ""},     {"valid_metric", 0.5},      {"exit_code", 0}};
  FinalEvaluationData fin;
  fin.config = Json::object();
  fin.ok = true;
  fin.valid_metric = 0.5;
  fin.test_metric = score;
  fin.grading = {{"score", score}, {"medal", medal}, {"above_median", above_median}};
  return {MakeEvent(EventType::kExperiment, 0, 0, run),
          MakeEvent(EventType::kFinalEvaluation, 1, 1, fin.ToJson())};
}

EpisodeData Episode(const std::string& policy, const std::string& medal, bool above, double s) {
  EpisodeData e;
  e.key = EpisodeKey{"comp", policy, "sim", "agentic", 1};
  e.workspace = ReadWorkspaceStats(GradedEvents(medal, above, s));
  return e;
}

TEST(GradingSectionTest, ReadsTheMedalOfTheFinalEvaluation) {
  std::optional<WorkspaceStats> s = ReadWorkspaceStats(GradedEvents("silver", true, 0.1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->medal, "silver");
  EXPECT_TRUE(s->above_median);
  EXPECT_EQ(s->hidden_test, 0.1);
}

TEST(GradingSectionTest, CountsMedalsPerPolicy) {
  Report report;
  EXPECT_TRUE(GradingTable(report).rows.empty());  // no competition task, no section
  report.run.episodes = {Episode("full", "gold", true, 0.05), Episode("full", "none", false, 0.3),
                         Episode("window", "bronze", true, 0.2)};
  TextTable t = GradingTable(report);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"comp", "sim", "full", "2", "2", "1", "0", "0",
                                                 "1/2", "0.17500"}));
  EXPECT_EQ(t.rows[1][7], "1");  // window's bronze
  EXPECT_EQ(t.rows[1][8], "1/1");
}

}  // namespace
}  // namespace ctxbench
