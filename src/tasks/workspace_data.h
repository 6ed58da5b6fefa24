// Prepared data copied into a workspace task's episode: a dataset from the
// data dir (`ctxbench data prepare`), split by a fixed seed into the train and
// validation and test features the agent reads; the validation and test
// labels go to the episode's hidden folder, for the harness's evaluation only.
// docs/workspace.md documents the JSON ("prepared_data").
//
// Error channel: throws ctxbench::Error (input errors name the file or JSON
// path); this runs on the harness's input, before and outside the episode.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

struct PreparedDataSpec {
  std::string dataset;                    // reads <data dir>/<dataset>/train.csv
  std::string into = "data";              // workspace folder the split files go to
  std::string target_column;              // kept in train/valid, held out of the test features
  std::vector<std::string> drop_columns;  // removed from every file
  double valid_fraction = 0.2;
  double test_fraction = 0.2;
  uint64_t split_seed = 0;  // same seed, same split in every episode

  // The workspace files it writes, relative: <into>/train.csv (with the
  // target), valid_features.csv, test_features.csv. Read-only for the agent.
  std::vector<std::string> Files() const;
};

PreparedDataSpec ParsePreparedData(const JsonReader& r);

// The prepared file the spec reads; throws an input error naming it and the
// command that prepares it when it is absent.
std::string PreparedDataFile(const PreparedDataSpec& spec, const std::string& task_name,
                             const std::string& data_dir);

// The episode's hidden folder (outside the workspace) for a workspace folder:
// "<dir>.hidden". `{hidden}` in a task's eval command names it.
std::string HiddenDirFor(const std::string& workspace_dir);

// Splits the prepared file and writes Files() under `workspace_dir` and
// valid_labels.csv and test_labels.csv (the target column of those rows, in
// the order of the features files) under HiddenDirFor(workspace_dir). When the
// dataset carries the organisers' labelled test set (tasks/labelled_test.h),
// the test rows are that file's and the held-out slice trains. Throws naming
// the file when a column is missing or a split would be empty.
void WritePreparedData(const PreparedDataSpec& spec, const std::string& task_name,
                       const std::string& data_dir, const std::string& workspace_dir);

}  // namespace ctxbench
