// `ctxbench data import-mlebench`: turns an MLE-bench prepared competition
// folder into a ctxbench workspace task (docs/tasks.md, "MLE-bench
// competitions").
//
// The prepared folder is MLE-bench's layout: `public/` (train.csv, test.csv
// without labels, the sample submission, description.md and any other data
// files), `private/` (the answers: test.csv, or the only CSV there) and the
// competition's leaderboard.csv (beside public/, one folder up, or given).
//
// The task folder written:
//   task.json              workspace task; eval = `{ctxbench} grade ...`
//   starter/public/...     public/ with train.csv less a validation slice,
//                          valid.csv (that slice without targets)
//   starter/solution.py    baseline: the sample's values moved towards the
//                          train mean by params.json's "shrink"
//   starter/params.json
//   hidden/                competition.json, answers.csv, valid_answers.csv,
//                          leaderboard.csv (only the evaluation's sandbox
//                          mounts them)
//
// Error channel: throws ctxbench::Error (kInput/kUsage) naming the file or
// flag on any problem; writes nothing before every input is checked. Not
// thread-safe with another import into the same folder.
#pragma once

#include <cstddef>
#include <string>

namespace ctxbench {

struct MlebenchImportOptions {
  std::string prepared_dir;  // <id>/prepared, or a folder holding public/ and private/
  std::string competition;   // default: the folder's competition id (see .cc)
  std::string to_dir;        // default: ./tasks/<id>
  std::string metric;        // default: the known metric of `competition`
  std::string leaderboard;   // default: leaderboard.csv beside public/ or one up
  double valid_fraction = 0.2;
  unsigned seed = 2018;
};

struct MlebenchImport {
  std::string task_dir;
  std::string task_name;
  std::string metric;
  std::size_t train_rows = 0, valid_rows = 0, test_rows = 0, teams = 0;
};

// The metric MLE-bench grades `competition` with, when it is one of the Lite
// (low complexity) competitions whose submissions this registry can score;
// "" otherwise.
std::string KnownCompetitionMetric(const std::string& competition);

MlebenchImport ImportMlebench(const MlebenchImportOptions& options);

}  // namespace ctxbench
