// The organisers' labelled test set a prepared dataset may carry:
// <data dir>/<dataset>/test_labeled.csv, in train.csv's columns (written by
// `ctxbench data prepare nomad --test-labels FILE`). When it is there, a task
// reading that dataset scores its hidden test on it instead of on a held-out
// slice of train.csv (whose rows then go back to training; the validation
// rows stay the same).
#pragma once

#include <string>

namespace ctxbench {

extern const char* const kLabelledTestFile;  // "test_labeled.csv"

// <data_dir>/<dataset>/test_labeled.csv when that file exists, else "".
std::string LabelledTestFile(const std::string& data_dir, const std::string& dataset);

}  // namespace ctxbench
