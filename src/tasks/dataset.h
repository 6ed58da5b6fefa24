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
  size_t rows = 0;
  size_t cols = 0;
  int num_classes = 0;  // 0 for regression
  std::vector<std::string> class_names;
};

struct Splits {
  Dataset train, valid, test;
};

// Loads the task's data: synthetic from `seed`, a CSV in the task folder, or a
// prepared dataset under `data_dir`. Categorical columns become integer codes
// (in order of first appearance), missing cells NaN. Throws an input error
// naming the file (and, for prepared data, the command that prepares it).
Dataset LoadTaskData(const TaskSpec& task, const std::string& data_dir, uint64_t seed);

// A shuffled split by `seed`: same data and seed, same split.
Splits SplitDataset(const Dataset& data, double valid_fraction, double test_fraction,
                    uint64_t seed);

}  // namespace ctxbench
