// `ctxbench grade`: scores a competition submission (an imported MLE-bench
// task's hidden evaluation, run by the harness in its own sandbox) and places
// it on the competition's leaderboard. Prints one JSON line:
// {"valid_metric": v, "test_metric": t, "grading": {...}}.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "core/file.h"
#include "core/json.h"
#include "tasks/competition_grade.h"
#include "tasks/csv.h"

namespace ctxbench {
namespace {

struct GradeOptions {
  std::string competition;
  std::string submission;
  std::string answers;
  std::string valid_submission;
  std::string valid_answers;
  std::string leaderboard;
};

// The submission's score, or the reason it has none (a missing or
// unparsable file is the submission's fault, not an input error).
SubmissionScore ScoreFile(const CompetitionSpec& spec, const std::string& path,
                          const CsvTable& answers) {
  if (!std::filesystem::is_regular_file(path)) {
    return {false, path + " does not exist (write it in the sample submission's format)", 0};
  }
  CsvTable sub;
  try {
    sub = ReadCsvFile(path);
  } catch (const Error& e) {
    return {false, e.what(), 0};
  }
  SubmissionScore s = ScoreSubmission(spec, sub, answers);
  if (!s.valid) s.error = path + ": " + s.error;
  return s;
}

int Grade(const GradeOptions& o) {
  CompetitionSpec spec =
      CompetitionSpec::FromJson(ParseJson(ReadFile(o.competition), o.competition), o.competition);
  Json out = Json::object();
  if (!o.valid_submission.empty()) {
    SubmissionScore v = ScoreFile(spec, o.valid_submission, ReadCsvFile(o.valid_answers));
    if (!v.valid) {
      std::fprintf(stderr, "ctxbench grade: %s\n", v.error.c_str());
      return 1;
    }
    out["valid_metric"] = v.score;
  }
  SubmissionScore t = ScoreFile(spec, o.submission, ReadCsvFile(o.answers));
  Json grading = {{"competition_id", spec.id},
                  {"metric", spec.metric},
                  {"valid_submission", t.valid},
                  {"score", t.valid ? Json(t.score) : Json()}};
  if (!t.valid) grading["error"] = t.error;
  if (!o.leaderboard.empty()) {
    MedalThresholds th = LeaderboardThresholds(ReadLeaderboardScores(o.leaderboard));
    MedalRank rank = t.valid ? RankOnLeaderboard(t.score, th) : MedalRank{"none", false};
    grading["medal"] = rank.medal;
    grading["above_median"] = rank.above_median;
    grading["gold_threshold"] = th.gold;
    grading["silver_threshold"] = th.silver;
    grading["bronze_threshold"] = th.bronze;
    grading["median_threshold"] = th.median;
    grading["is_lower_better"] = th.lower_is_better;
    grading["teams"] = th.teams;
  }
  if (t.valid) out["test_metric"] = t.score;
  if (o.valid_submission.empty() && t.valid) out["valid_metric"] = t.score;
  out["grading"] = grading;
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

void AddGradeCommand(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<GradeOptions>();
  CLI::App* grade = app.add_subcommand(
      "grade",
      "Score a competition submission and place it on the leaderboard (MLE-bench's medal rule); "
      "the hidden evaluation of tasks made by `data import-mlebench`");
  grade->add_option("--competition", opts->competition, "competition.json (metric, id, columns)")
      ->required();
  grade->add_option("--submission", opts->submission, "The submission CSV to score")->required();
  grade->add_option("--answers", opts->answers, "The answers CSV (id and target columns)")
      ->required();
  grade->add_option("--valid-submission", opts->valid_submission,
                    "Also score this CSV as the validation metric (needs --valid-answers)");
  grade->add_option("--valid-answers", opts->valid_answers, "The validation answers CSV");
  grade->add_option("--leaderboard", opts->leaderboard,
                    "The competition's leaderboard.csv (a 'score' column, best first): adds the "
                    "medal and above-median");
  grade->callback([opts, exit_code] {
    if (opts->valid_submission.empty() != opts->valid_answers.empty()) {
      ThrowUsage("--valid-submission", "needs --valid-answers (and the other way round)");
    }
    *exit_code = Grade(*opts);
  });
}

}  // namespace ctxbench
