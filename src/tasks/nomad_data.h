// The NOMAD 2018 Kaggle data (transparent conductors): validating the raw
// competition CSVs and writing the prepared dataset the `nomad` task reads.
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

// Where to get the raw files, for error messages.
extern const char* const kNomadSourceHint;

// Columns train.csv must have (test.csv has all but the two targets).
const std::vector<std::string>& NomadTrainColumns();
const std::vector<std::string>& NomadTestColumns();

struct NomadPrepared {
  std::string folder;  // <data_dir>/nomad
  size_t train_rows = 0;
  size_t test_rows = 0;
  size_t labelled_test_rows = 0;  // rows of test_labeled.csv; 0 without test labels
};

struct NomadPrepareOptions {
  bool float32 = false;  // round values to float32 precision
  // The organisers' labels for test.csv (CSV with `id` and bandgap_energy_ev,
  // optionally formation_energy_ev_natom); "" for none.
  std::string test_labels;
};

// Validates <raw_dir>/train.csv and test.csv (present, expected columns, every
// cell a number) and writes <data_dir>/nomad/: train.csv (without `id`),
// test.csv (unlabelled), dataset_context.json (column stats of train.csv with
// bandgap_energy_ev as target) and prepared.json. With `float32`, values are
// rounded to float32 precision. With `test_labels`, also test_labeled.csv
// (tasks/labelled_test.h): test.csv's rows joined by id with their labels, in
// train.csv's columns, on which the nomad tasks then score their hidden test;
// without, an earlier test_labeled.csv is removed. train.csv is written last,
// so its presence means the folder is complete. Throws an input error naming
// the missing file or column (or unlabelled test id) and where to get the data.
NomadPrepared PrepareNomad(const std::string& raw_dir, const std::string& data_dir,
                           const NomadPrepareOptions& options);

// Copies train.csv and test.csv from a mirror folder into <data_dir>/nomad/raw/,
// then prepares them as above.
NomadPrepared FetchNomad(const std::string& local_source, const std::string& data_dir,
                         const NomadPrepareOptions& options);

}  // namespace ctxbench
