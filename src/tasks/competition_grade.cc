#include "tasks/competition_grade.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "core/error.h"
#include "tasks/metric_registry.h"

namespace ctxbench {

Json CompetitionSpec::ToJson() const {
  return {
      {"id", id}, {"metric", metric}, {"id_column", id_column}, {"target_columns", target_columns}};
}

CompetitionSpec CompetitionSpec::FromJson(const Json& json, const std::string& source) {
  JsonReader r(json, source);
  r.RejectUnknown({"id", "metric", "id_column", "target_columns"});
  CompetitionSpec s;
  s.id = r.String("id");
  s.metric = r.String("metric");
  if (FindCompetitionMetric(s.metric) == nullptr)
    r.Fail("metric", "unknown metric '" + s.metric + "'");
  s.id_column = r.String("id_column");
  s.target_columns = r.Strings("target_columns");
  if (s.target_columns.empty()) r.Fail("target_columns", "must list at least one column");
  return s;
}

namespace {

// Row index of each id; `error` set on a duplicate.
std::map<std::string, size_t> IdRows(const CsvTable& t, int id_col, std::string* error) {
  std::map<std::string, size_t> rows;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (!rows.emplace(t.rows[i][static_cast<size_t>(id_col)], i).second && error->empty()) {
      *error = "duplicate id on row " + std::to_string(i + 1);
    }
  }
  return rows;
}

}  // namespace

SubmissionScore ScoreSubmission(const CompetitionSpec& spec, const CsvTable& submission,
                                const CsvTable& answers) {
  SubmissionScore out;
  std::vector<std::string> wanted = {spec.id_column};
  wanted.insert(wanted.end(), spec.target_columns.begin(), spec.target_columns.end());
  for (const std::string& c : wanted) {
    if (answers.ColumnIndex(c) < 0) ThrowInput("answers", "no column '" + c + "'");
    if (submission.ColumnIndex(c) < 0) {
      out.error = "the submission has no column '" + c + "' (expected the sample's columns)";
      return out;
    }
  }
  if (submission.header.size() != wanted.size()) {
    out.error = "the submission has " + std::to_string(submission.header.size()) +
                " columns, expected the sample's " + std::to_string(wanted.size());
    return out;
  }
  if (submission.rows.size() != answers.rows.size()) {
    out.error = "the submission has " + std::to_string(submission.rows.size()) +
                " rows, expected " + std::to_string(answers.rows.size());
    return out;
  }
  std::string answer_error;
  auto answer_rows = IdRows(answers, answers.ColumnIndex(spec.id_column), &answer_error);
  if (!answer_error.empty()) ThrowInput("answers", answer_error);
  auto sub_rows = IdRows(submission, submission.ColumnIndex(spec.id_column), &out.error);
  if (!out.error.empty()) return out;
  size_t missing = 0;
  for (const auto& [id, row] : answer_rows) missing += sub_rows.count(id) ? 0 : 1;
  if (missing > 0) {
    out.error = std::to_string(missing) + " of the expected ids are missing from the submission";
    return out;
  }
  std::vector<std::vector<std::string>> truth, pred;
  for (const std::string& c : spec.target_columns) {
    int a = answers.ColumnIndex(c), s = submission.ColumnIndex(c);
    std::vector<std::string> tc, pc;
    for (const auto& [id, row] : answer_rows) {
      tc.push_back(answers.rows[row][static_cast<size_t>(a)]);
      pc.push_back(submission.rows[sub_rows[id]][static_cast<size_t>(s)]);
    }
    truth.push_back(std::move(tc));
    pred.push_back(std::move(pc));
  }
  try {
    out.score = ScoreCompetitionMetric(spec.metric, truth, pred);
  } catch (const Error& e) {
    if (e.where() == "answers") throw;
    out.error = e.what();
    return out;
  }
  if (!std::isfinite(out.score)) {
    out.error = "the score is not a finite number";
    return out;
  }
  out.valid = true;
  return out;
}

MedalThresholds LeaderboardThresholds(const std::vector<double>& scores) {
  size_t n = scores.size();
  if (n == 0) ThrowInput("leaderboard", "no teams");
  auto at = [&](size_t position) { return scores[std::clamp<size_t>(position, 1, n) - 1]; };
  auto share = [&](double f) { return static_cast<size_t>(static_cast<double>(n) * f); };
  MedalThresholds t;
  t.teams = n;
  t.lower_is_better = scores.front() < scores.back();
  if (n < 100) {
    t.gold = at(std::max<size_t>(1, share(0.1)));
    t.silver = at(std::max<size_t>(1, share(0.2)));
    t.bronze = at(std::max<size_t>(1, share(0.4)));
  } else if (n < 250) {
    t.gold = at(10);
    t.silver = at(std::max<size_t>(1, share(0.2)));
    t.bronze = at(std::max<size_t>(1, share(0.4)));
  } else if (n < 1000) {
    t.gold = at(10 + share(0.002));
    t.silver = at(50);
    t.bronze = at(100);
  } else {
    t.gold = at(10 + share(0.002));
    t.silver = at(std::max<size_t>(1, share(0.05)));
    t.bronze = at(std::max<size_t>(1, share(0.1)));
  }
  std::vector<double> present;
  for (double s : scores) {
    if (!std::isnan(s)) present.push_back(s);
  }
  if (present.empty()) ThrowInput("leaderboard", "no scores");
  std::sort(present.begin(), present.end());
  size_t m = present.size();
  t.median = m % 2 ? present[m / 2] : (present[m / 2 - 1] + present[m / 2]) / 2;
  return t;
}

std::vector<double> ReadLeaderboardScores(const std::string& path) {
  CsvTable t = ReadCsvFile(path);
  int col = t.ColumnIndex("score");
  if (col < 0) ThrowInput(path, "no 'score' column");
  std::vector<double> scores;
  for (const auto& row : t.rows) {
    const std::string& cell = row[static_cast<size_t>(col)];
    char* end = nullptr;
    double v = std::strtod(cell.c_str(), &end);
    scores.push_back(cell.empty() || end != cell.c_str() + cell.size() ? std::nan("") : v);
  }
  if (scores.empty()) ThrowInput(path, "no teams");
  return scores;
}

MedalRank RankOnLeaderboard(double score, const MedalThresholds& t) {
  double s = std::round(score * 1e5) / 1e5;
  auto reaches = [&](double threshold) {
    return t.lower_is_better ? s <= threshold : s >= threshold;
  };
  MedalRank r;
  if (reaches(t.gold)) {
    r.medal = "gold";
  } else if (reaches(t.silver)) {
    r.medal = "silver";
  } else if (reaches(t.bronze)) {
    r.medal = "bronze";
  } else {
    r.medal = "none";
  }
  r.above_median = t.lower_is_better ? s < t.median : s > t.median;
  return r;
}

}  // namespace ctxbench
