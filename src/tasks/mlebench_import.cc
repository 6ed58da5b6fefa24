#include "tasks/mlebench_import.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/file.h"
#include "core/json.h"
#include "tasks/competition_grade.h"
#include "tasks/csv.h"
#include "tasks/metric_registry.h"

namespace ctxbench {
namespace fs = std::filesystem;

namespace {

// The starter's baseline: the sample submission's values, each numeric target
// moved towards the training mean by params.json's "shrink" (0: the sample
// itself). Python's standard library only, so any python3 runs it.
constexpr const char* kSolution =
    R"PY("""Baseline for an imported MLE-bench competition (ctxbench data import-mlebench).

Writes submission.csv (for public/test.csv) and valid_submission.csv (for
public/valid.csv) in the sample submission's format: every row gets the
sample's values, each numeric target moved towards its training mean by
params.json's "shrink" (0 keeps the sample, 1 predicts the mean).
Replace it with a real model.
"""
import csv
import json

SAMPLE = "public/%SAMPLE%"
ID = "%ID%"

params = json.load(open("params.json"))
shrink = float(params.get("shrink", 0.0))
with open(SAMPLE, newline="") as f:
    sample = list(csv.DictReader(f))
columns = list(sample[0].keys())
targets = columns[1:]
with open("public/train.csv", newline="") as f:
    train = list(csv.DictReader(f))


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


guess = {}
for t in targets:
    base = number(sample[0][t])
    values = [number(r.get(t)) for r in train]
    if base is None or not values or any(v is None for v in values):
        guess[t] = sample[0][t]
    else:
        guess[t] = base + shrink * (sum(values) / len(values) - base)


def write(path, ids):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for i in ids:
            w.writerow([i] + [guess[t] for t in targets])


write("submission.csv", [r[ID] for r in sample])
with open("public/valid.csv", newline="") as f:
    write("valid_submission.csv", [r[ID] for r in csv.DictReader(f)])
print(json.dumps({"shrink": shrink}))
)PY";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string CsvText(const std::vector<std::string>& header,
                    const std::vector<std::vector<std::string>>& rows) {
  std::string text = CsvLine(header);
  for (const auto& r : rows) text += CsvLine(r);
  return text;
}

// The rows' cells in `columns`' order.
std::vector<std::vector<std::string>> Project(const CsvTable& t,
                                              const std::vector<std::string>& columns,
                                              const std::vector<size_t>& rows) {
  std::vector<int> idx;
  for (const std::string& c : columns) idx.push_back(t.ColumnIndex(c));
  std::vector<std::vector<std::string>> out;
  for (size_t r : rows) {
    std::vector<std::string> cells;
    for (int i : idx) cells.push_back(t.rows[r][static_cast<size_t>(i)]);
    out.push_back(std::move(cells));
  }
  return out;
}

fs::path FindSample(const fs::path& pub) {
  if (fs::is_regular_file(pub / "sample_submission.csv")) return pub / "sample_submission.csv";
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(pub)) {
    std::string name = e.path().filename().string();
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (e.is_regular_file() && lower.find("sample") != std::string::npos && lower.size() > 4 &&
        lower.substr(lower.size() - 4) == ".csv") {
      found.push_back(e.path());
    }
  }
  if (found.size() != 1) {
    ThrowInput(pub.string(), found.empty() ? "no sample submission (sample_submission.csv)"
                                           : "more than one sample submission CSV");
  }
  return found[0];
}

fs::path FindAnswers(const fs::path& priv) {
  if (fs::is_regular_file(priv / "test.csv")) return priv / "test.csv";
  if (fs::is_regular_file(priv / "answers.csv")) return priv / "answers.csv";
  std::vector<fs::path> csvs;
  for (const auto& e : fs::directory_iterator(priv)) {
    if (e.is_regular_file() && e.path().extension() == ".csv") csvs.push_back(e.path());
  }
  if (csvs.size() != 1) ThrowInput(priv.string(), "expected test.csv (the answers)");
  return csvs[0];
}

std::string ProblemOf(const CompetitionMetric& m, size_t targets) {
  if (m.columns == "numeric") return "regression";
  if (m.columns == "binary" && targets == 1) return "binary";
  return m.name == "f1" ? "binary" : "multiclass";
}

}  // namespace

std::string KnownCompetitionMetric(const std::string& competition) {
  static const std::vector<std::pair<std::string, std::string>> known = {
      {"nomad2018-predict-transparent-conductors", "mean-column-wise-rmsle"},
      {"tabular-playground-series-dec-2021", "accuracy"},
      {"tabular-playground-series-may-2022", "auc-roc"},
      {"new-york-city-taxi-fare-prediction", "rmse"},
  };
  for (const auto& [id, metric] : known) {
    if (id == competition) return metric;
  }
  return "";
}

MlebenchImport ImportMlebench(const MlebenchImportOptions& o) {
  fs::path dir = fs::absolute(o.prepared_dir).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  if (!fs::is_directory(dir / "public") && fs::is_directory(dir / "prepared" / "public")) {
    dir = dir / "prepared";
  }
  fs::path pub = dir / "public", priv = dir / "private";
  if (!fs::is_directory(pub) || !fs::is_directory(priv)) {
    ThrowInput(o.prepared_dir, "expected MLE-bench's prepared layout: public/ and private/");
  }
  std::string id = o.competition;
  if (id.empty()) {
    id = (dir.filename() == "prepared" ? dir.parent_path() : dir).filename().string();
  }
  if (id.empty() || id.find_first_of("/\\ ") != std::string::npos) {
    ThrowUsage("--id", "expected a competition id without spaces or slashes, got '" + id + "'");
  }
  std::string metric_name = o.metric.empty() ? KnownCompetitionMetric(id) : o.metric;
  if (metric_name.empty()) {
    ThrowUsage("--metric", "competition '" + id +
                               "' has no known metric here; name one (ctxbench data "
                               "import-mlebench --help lists them)");
  }
  const CompetitionMetric* metric = FindCompetitionMetric(metric_name);
  if (metric == nullptr) ThrowUsage("--metric", "unknown metric '" + metric_name + "'");
  if (!(o.valid_fraction > 0 && o.valid_fraction < 1)) {
    ThrowUsage("--valid-fraction", "expected a fraction in (0, 1)");
  }

  fs::path leaderboard = o.leaderboard;
  if (leaderboard.empty()) {
    for (const fs::path& p : {dir / "leaderboard.csv", dir.parent_path() / "leaderboard.csv"}) {
      if (fs::is_regular_file(p)) {
        leaderboard = p;
        break;
      }
    }
  }
  if (leaderboard.empty()) {
    ThrowInput(o.prepared_dir,
               "no leaderboard.csv beside public/ or one folder up; pass --leaderboard (MLE-bench "
               "keeps it in mlebench/competitions/" +
                   id + "/leaderboard.csv)");
  }
  std::vector<double> scores = ReadLeaderboardScores(leaderboard.string());
  MedalThresholds thresholds = LeaderboardThresholds(scores);

  fs::path sample_path = FindSample(pub);
  CsvTable sample = ReadCsvFile(sample_path.string());
  if (sample.header.size() < 2)
    ThrowInput(sample_path.string(), "expected an id and a target column");
  CompetitionSpec spec;
  spec.id = id;
  spec.metric = metric_name;
  spec.id_column = sample.header[0];
  spec.target_columns.assign(sample.header.begin() + 1, sample.header.end());
  fs::path answers_path = FindAnswers(priv);
  CsvTable answers = ReadCsvFile(answers_path.string());
  std::vector<std::string> wanted = sample.header;
  for (const std::string& c : wanted) {
    if (answers.ColumnIndex(c) < 0) ThrowInput(answers_path.string(), "no column '" + c + "'");
  }
  if (!fs::is_regular_file(pub / "train.csv")) ThrowInput(pub.string(), "no train.csv");
  CsvTable train = ReadCsvFile((pub / "train.csv").string());
  for (const std::string& c : wanted) {
    if (train.ColumnIndex(c) < 0) {
      ThrowInput((pub / "train.csv").string(),
                 "no column '" + c +
                     "': the validation slice needs the sample submission's "
                     "columns in train.csv (this competition cannot be imported yet)");
    }
  }
  if (train.rows.size() < 10) ThrowInput((pub / "train.csv").string(), "fewer than 10 rows");

  // The validation slice: a seeded shuffle of train.csv's rows.
  std::vector<size_t> order(train.rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(o.seed);
  for (size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[std::uniform_int_distribution<size_t>(0, i)(rng)]);
  }
  size_t n_valid = std::max<size_t>(
      1, static_cast<size_t>(static_cast<double>(order.size()) * o.valid_fraction));
  std::vector<size_t> valid_rows(order.begin(), order.begin() + static_cast<long>(n_valid));
  std::vector<size_t> train_rows(order.begin() + static_cast<long>(n_valid), order.end());
  std::sort(valid_rows.begin(), valid_rows.end());
  std::sort(train_rows.begin(), train_rows.end());
  std::set<std::string> targets(spec.target_columns.begin(), spec.target_columns.end());
  std::vector<std::string> features;
  for (const std::string& c : train.header) {
    if (!targets.count(c)) features.push_back(c);
  }

  fs::path to = o.to_dir.empty() ? fs::path("tasks") / id : fs::path(o.to_dir);
  to = fs::absolute(to).lexically_normal();
  if (fs::exists(to / "task.json")) ThrowUsage("--to", to.string() + " already holds a task");
  fs::path starter = to / "starter", hidden = to / "hidden";
  fs::create_directories(starter);
  fs::create_directories(hidden);
  fs::copy(pub, starter / "public",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  WriteFileAtomic((starter / "public" / "train.csv").string(),
                  CsvText(train.header, Project(train, train.header, train_rows)));
  WriteFileAtomic((starter / "public" / "valid.csv").string(),
                  CsvText(features, Project(train, features, valid_rows)));
  WriteFileAtomic((hidden / "valid_answers.csv").string(),
                  CsvText(wanted, Project(train, wanted, valid_rows)));
  std::vector<size_t> all(answers.rows.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  WriteFileAtomic((hidden / "answers.csv").string(),
                  CsvText(wanted, Project(answers, wanted, all)));
  fs::copy_file(leaderboard, hidden / "leaderboard.csv", fs::copy_options::overwrite_existing);
  WriteFileAtomic((hidden / "competition.json").string(), spec.ToJson().dump(2) + "\n");
  std::string sample_name = sample_path.filename().string();
  WriteFileAtomic((starter / "solution.py").string(),
                  Replace(Replace(kSolution, "%SAMPLE%", sample_name), "%ID%", spec.id_column));
  WriteFileAtomic((starter / "params.json").string(), "{\"shrink\": 0.1}\n");

  std::vector<std::string> read_only;
  for (auto it = fs::recursive_directory_iterator(starter / "public"); it != fs::end(it); ++it) {
    if (it->is_regular_file()) read_only.push_back(fs::relative(it->path(), starter).string());
  }
  std::sort(read_only.begin(), read_only.end());
  std::string task_name = id;
  std::replace(task_name.begin(), task_name.end(), '.', '_');
  std::string direction = metric->higher_is_better ? "higher" : "lower";
  Json eval = {"{ctxbench}",         "grade",
               "--competition",      "{task}/hidden/competition.json",
               "--submission",       "submission.csv",
               "--answers",          "{task}/hidden/answers.csv",
               "--valid-submission", "valid_submission.csv",
               "--valid-answers",    "{task}/hidden/valid_answers.csv",
               "--leaderboard",      "{task}/hidden/leaderboard.csv"};
  Json task = {
      {"name", task_name},
      {"kind", "workspace"},
      {"description",
       "MLE-bench competition " + id +
           ": read public/description.md. Write submission.csv "
           "(predictions for public/test.csv) and valid_submission.csv (predictions for "
           "public/valid.csv, a slice of the original train.csv held out by the harness) in the "
           "format of public/" +
           sample_name +
           ". solution.py is a constant baseline; "
           "`python3 solution.py` is the experiment. The harness scores both files with the "
           "competition's metric (" +
           metric_name + ", " + direction +
           " is better); the test "
           "answers are not in the workspace. Success is a validation score 10% better than the "
           "baseline's."},
      {"problem", ProblemOf(*metric, spec.target_columns.size())},
      {"metric", metric->name},
      {"target_improvement_pct", 10},
      {"budgets", {{"iterations", 8}, {"steps_per_iteration", 4}}},
      {"workspace",
       {{"starter", "starter"},
        {"read_only", read_only},
        {"run", {"python3", "solution.py"}},
        {"metrics_file", "metrics.json"},
        {"config_file", "params.json"},
        {"eval", eval},
        {"tools",
         {"list_files", "read_file", "write_file", "edit_file", "undo_edit", "run", "note",
          "retrieve", "ask", "final_answer"}},
        {"limits",
         {{"wall_seconds", 300},
          {"cpu_seconds", 300},
          {"memory_mb", 2048},
          {"file_mb", 256},
          {"processes", 32},
          {"output_bytes", 8192}}}}},
      {"faq",
       {{{"keywords", {"metric", "score", "grade", "medal"}},
         {"answer",
          "The competition's metric " + metric_name + " (" + metric->summary + "), " + direction +
              " is better. The hidden test score is placed on the "
              "competition's leaderboard of " +
              std::to_string(thresholds.teams) + " teams for a medal, as MLE-bench does."}},
        {{"keywords", {"data", "rows", "columns", "valid"}},
         {"answer", "public/train.csv holds " + std::to_string(train_rows.size()) +
                        " rows with targets; public/valid.csv " + std::to_string(n_valid) +
                        " rows without them; public/test.csv " +
                        std::to_string(answers.rows.size()) +
                        " rows. The targets are the "
                        "sample submission's columns after " +
                        spec.id_column + "."}}}}};
  WriteFileAtomic((to / "task.json").string(), task.dump(2) + "\n");

  MlebenchImport out;
  out.task_dir = to.string();
  out.task_name = task_name;
  out.metric = metric_name;
  out.train_rows = train_rows.size();
  out.valid_rows = n_valid;
  out.test_rows = answers.rows.size();
  out.teams = thresholds.teams;
  return out;
}

}  // namespace ctxbench
