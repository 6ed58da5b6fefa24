#include "tasks/competition_grade.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace ctxbench {
namespace {

// Scores 1..n (higher better when descending).
std::vector<double> Board(size_t n, bool descending) {
  std::vector<double> s;
  for (size_t i = 0; i < n; ++i) {
    s.push_back(descending ? static_cast<double>(n - i) : static_cast<double>(i + 1));
  }
  return s;
}

// The score at 1-based `position` of Board(n, true).
double At(size_t n, size_t position) { return static_cast<double>(n + 1 - position); }

TEST(CompetitionGradeTest, ThresholdsFollowTheTeamCountRule) {
  struct Case {
    size_t teams, gold, silver, bronze;
  };
  for (Case c : {Case{5, 1, 1, 2}, Case{50, 5, 10, 20}, Case{150, 10, 30, 60},
                 Case{500, 11, 50, 100}, Case{2000, 14, 100, 200}}) {
    MedalThresholds t = LeaderboardThresholds(Board(c.teams, true));
    EXPECT_FALSE(t.lower_is_better);
    EXPECT_EQ(t.teams, c.teams);
    EXPECT_EQ(t.gold, At(c.teams, c.gold)) << c.teams;
    EXPECT_EQ(t.silver, At(c.teams, c.silver)) << c.teams;
    EXPECT_EQ(t.bronze, At(c.teams, c.bronze)) << c.teams;
    EXPECT_EQ(t.median, (static_cast<double>(c.teams) + 1) / 2) << c.teams;
  }
  EXPECT_THROW(LeaderboardThresholds({}), Error);
}

TEST(CompetitionGradeTest, RanksByDirectionWithEqualCounting) {
  MedalThresholds low = LeaderboardThresholds(Board(50, false));  // 1 is best
  EXPECT_TRUE(low.lower_is_better);
  EXPECT_EQ(RankOnLeaderboard(low.gold, low).medal, "gold");
  EXPECT_EQ(RankOnLeaderboard(low.gold + 0.5, low).medal, "silver");
  EXPECT_EQ(RankOnLeaderboard(low.bronze, low).medal, "bronze");
  EXPECT_EQ(RankOnLeaderboard(low.bronze + 0.5, low).medal, "none");
  EXPECT_TRUE(RankOnLeaderboard(low.median - 0.5, low).above_median);
  EXPECT_FALSE(RankOnLeaderboard(low.median, low).above_median);
  MedalThresholds high = LeaderboardThresholds(Board(50, true));
  EXPECT_EQ(RankOnLeaderboard(high.gold + 1, high).medal, "gold");
  EXPECT_EQ(RankOnLeaderboard(0, high).medal, "none");
}

CompetitionSpec Spec() {
  CompetitionSpec s;
  s.id = "toy";
  s.metric = "rmse";
  s.id_column = "id";
  s.target_columns = {"y"};
  return s;
}

CsvTable Table(std::vector<std::vector<std::string>> rows) {
  return CsvTable{{"id", "y"}, std::move(rows)};
}

TEST(CompetitionGradeTest, ScoresRowsMatchedById) {
  CsvTable answers = Table({{"1", "1"}, {"2", "2"}, {"3", "3"}});
  SubmissionScore s = ScoreSubmission(Spec(), Table({{"3", "3"}, {"1", "1"}, {"2", "4"}}), answers);
  ASSERT_TRUE(s.valid) << s.error;
  EXPECT_NEAR(s.score, std::sqrt(4.0 / 3), 1e-12);
}

TEST(CompetitionGradeTest, RefusesWrongShapesAndIds) {
  CsvTable answers = Table({{"1", "1"}, {"2", "2"}});
  EXPECT_NE(ScoreSubmission(Spec(), Table({{"1", "1"}}), answers).error.find("rows"),
            std::string::npos);
  EXPECT_NE(
      ScoreSubmission(Spec(), Table({{"1", "1"}, {"1", "2"}}), answers).error.find("duplicate"),
      std::string::npos);
  EXPECT_NE(ScoreSubmission(Spec(), Table({{"1", "1"}, {"9", "2"}}), answers).error.find("missing"),
            std::string::npos);
  CsvTable extra{{"id", "y", "z"}, {{"1", "1", "0"}, {"2", "2", "0"}}};
  EXPECT_NE(ScoreSubmission(Spec(), extra, answers).error.find("columns"), std::string::npos);
  CsvTable renamed{{"id", "target"}, {{"1", "1"}, {"2", "2"}}};
  EXPECT_NE(ScoreSubmission(Spec(), renamed, answers).error.find("'y'"), std::string::npos);
  EXPECT_FALSE(ScoreSubmission(Spec(), Table({{"1", "x"}, {"2", "2"}}), answers).valid);
}

TEST(CompetitionGradeTest, SpecRoundTripsAndRefusesUnknownMetric) {
  CompetitionSpec s = CompetitionSpec::FromJson(Spec().ToJson(), "competition.json");
  EXPECT_EQ(s.target_columns, Spec().target_columns);
  Json j = Spec().ToJson();
  j["metric"] = "bleu";
  EXPECT_THROW(CompetitionSpec::FromJson(j, "competition.json"), Error);
}

}  // namespace
}  // namespace ctxbench
