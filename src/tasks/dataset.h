// Tabular data in memory and its deterministic splits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tasks/task_spec.h"

namespace ctxbench {

// A dense float matrix, row-major; NaN marks a missing value.
struct Dataset {
  std::vector<std::string> feature_names;
  std::vector<float> x;  // rows * cols
  std::vector<float> y;  // class index (0..k-1) or regression target
  // The values of the task's other target columns (TaskSpec::
  // other_target_columns), one vector of `rows` per column, in that order.
  std::vector<std::vector<float>> other_y;
  size_t rows = 0;
  size_t cols = 0;
  int num_classes = 0;  // 0 for regression
  std::vector<std::string> class_names;
  std::string target_name;
  std::vector<std::string> other_target_names;  // names of other_y's columns
  // Per feature column: category names by code; empty for a numeric column.
  std::vector<std::vector<std::string>> categories;
};

struct Splits {
  Dataset train, valid, test;
};

// Loads the task's data: synthetic from `seed`, a CSV in the task folder, or a
// prepared dataset under `data_dir`. Categorical columns become integer codes
// (in order of first appearance), missing cells NaN. Throws an input error
// naming the file (and, for prepared data, the command that prepares it).
Dataset LoadTaskData(const TaskSpec& task, const std::string& data_dir, uint64_t seed);

struct CsvTable;

// Builds a dataset from a parsed CSV per the task's target column, dropped
// columns and problem (the csv/prepared path of LoadTaskData). Rows with a
// missing target (any of a multi-target task's) are skipped; `source` names
// the file in errors.
Dataset DatasetFromCsv(const CsvTable& table, const TaskSpec& task, const std::string& source);

// The data folder for prepared datasets: CTXBENCH_DATA_DIR when set, else "./data".
std::string DefaultDataDir();

// A shuffled split by `seed`: same data and seed, same split. Classification
// data is stratified by class. Throws an input error when a split would be empty.
Splits SplitDataset(const Dataset& data, double valid_fraction, double test_fraction,
                    uint64_t seed);

// The splits a task trains and is scored on: SplitDataset(LoadTaskData(...))
// with the task's fractions, except for prepared data that carries the
// organisers' labelled test set (tasks/labelled_test.h): then the test split is
// that file's rows, the validation rows are the ones SplitDataset picks, and
// the other rows of train.csv (the held-out test slice included) train. Throws
// as LoadTaskData, and an input error when the labelled file's header differs
// from train.csv's.
Splits LoadTaskSplits(const TaskSpec& task, const std::string& data_dir, uint64_t seed);

// A content hash of the splits (values and labels of all three parts): the
// split identity used by caches.
uint64_t SplitsFingerprint(const Splits& splits);

}  // namespace ctxbench
