// Grading a competition submission the way MLE-bench does: check the
// submission's shape and ids against the answers, score it with the
// competition's metric (tasks/metric_registry.h), and place the score on the
// competition's leaderboard (medal thresholds by Kaggle's rule for the number
// of teams, and the median). The rules are MLE-bench's (openai/mle-bench,
// mlebench/grade_helpers.py, MIT licence), reimplemented here.
//
// Error channel: a bad submission is a value (SubmissionScore.error); bad
// competition files (answers, leaderboard, competition.json) throw
// ctxbench::Error (kInput). Thread-safe (no state).
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "tasks/csv.h"

namespace ctxbench {

// A competition's grading rule (the imported task's hidden/competition.json).
struct CompetitionSpec {
  std::string id;                           // e.g. "nomad2018-predict-transparent-conductors"
  std::string metric;                       // a FindCompetitionMetric name
  std::string id_column;                    // the sample submission's first column
  std::vector<std::string> target_columns;  // the sample submission's other columns

  Json ToJson() const;
  // Throws an input error naming `source` on a missing field or unknown metric.
  static CompetitionSpec FromJson(const Json& json, const std::string& source);
};

struct SubmissionScore {
  bool valid = false;
  std::string error;  // why the submission is invalid (never an answer's value)
  double score = 0;   // when valid
};

// Scores `submission` against `answers` (both with spec's id and target
// columns; the submission may not have other columns, nor duplicate or
// missing ids). Rows are matched by id, so their order does not matter.
// Throws an input error when `answers` lacks a column.
SubmissionScore ScoreSubmission(const CompetitionSpec& spec, const CsvTable& submission,
                                const CsvTable& answers);

// The leaderboard's score thresholds (MLE-bench's rank_score).
struct MedalThresholds {
  bool lower_is_better = false;  // the top row's score is below the bottom row's
  double gold = 0, silver = 0, bronze = 0;
  double median = 0;
  size_t teams = 0;
};

// From the leaderboard's scores in rank order (best first). With N teams:
// N < 100: gold/silver/bronze at positions max(1, N*0.1|0.2|0.4);
// 100 <= N < 250: gold at 10, silver at N*0.2, bronze at N*0.4;
// 250 <= N < 1000: gold at 10 + N*0.002, silver at 50, bronze at 100;
// N >= 1000: gold at 10 + N*0.002, silver at N*0.05, bronze at N*0.1
// (products truncated); median over the non-missing scores. Throws an input
// error for an empty leaderboard.
MedalThresholds LeaderboardThresholds(const std::vector<double>& scores);

// Reads the "score" column of a leaderboard CSV in file order (missing cells
// are NaN). Throws an input error naming `path`.
std::vector<double> ReadLeaderboardScores(const std::string& path);

struct MedalRank {
  std::string medal;  // "gold", "silver", "bronze" or "none"
  bool above_median = false;
};

// Where `score` lands: the best medal whose threshold it reaches (equal
// counts), and whether it is strictly better than the median. The score is
// rounded to 5 decimals first, as MLE-bench does.
MedalRank RankOnLeaderboard(double score, const MedalThresholds& t);

}  // namespace ctxbench
