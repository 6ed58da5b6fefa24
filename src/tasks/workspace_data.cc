#include "tasks/workspace_data.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "tasks/csv.h"
#include "tasks/labelled_test.h"
#include "tasks/seeded_random.h"
#include "tasks/workspace.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

// The table's columns `keep` of rows `rows`, as CSV text.
std::string Subset(const CsvTable& t, const std::vector<size_t>& keep,
                   const std::vector<size_t>& rows) {
  std::vector<std::string> cells;
  for (size_t j : keep) cells.push_back(t.header[j]);
  std::string out = CsvLine(cells);
  for (size_t r : rows) {
    cells.clear();
    for (size_t j : keep) cells.push_back(t.rows[r][j]);
    out += CsvLine(cells);
  }
  return out;
}

}  // namespace

std::vector<std::string> PreparedDataSpec::Files() const {
  return {into + "/train.csv", into + "/valid_features.csv", into + "/test_features.csv"};
}

PreparedDataSpec ParsePreparedData(const JsonReader& r) {
  r.RejectUnknown({"dataset", "into", "target_column", "drop_columns", "valid_fraction",
                   "test_fraction", "split_seed"});
  PreparedDataSpec d;
  d.dataset = r.String("dataset");
  if (Status valid = CheckWorkspacePath(d.dataset); !valid) r.Fail("dataset", valid.error());
  d.into = r.String("into", d.into);
  if (Status valid = CheckWorkspacePath(d.into); !valid) r.Fail("into", valid.error());
  d.target_column = r.String("target_column");
  if (r.Has("drop_columns")) d.drop_columns = r.Strings("drop_columns");
  d.valid_fraction = r.Number("valid_fraction", d.valid_fraction);
  d.test_fraction = r.Number("test_fraction", d.test_fraction);
  if (d.valid_fraction <= 0 || d.valid_fraction >= 1) r.Fail("valid_fraction", "must be in (0, 1)");
  if (d.test_fraction <= 0 || d.valid_fraction + d.test_fraction >= 1) {
    r.Fail("test_fraction", "must be > 0 and leave training rows with valid_fraction");
  }
  long long seed = r.Int("split_seed", 0);
  if (seed < 0) r.Fail("split_seed", "must be >= 0");
  d.split_seed = static_cast<uint64_t>(seed);
  return d;
}

std::string PreparedDataFile(const PreparedDataSpec& spec, const std::string& task_name,
                             const std::string& data_dir) {
  std::string file = (fs::path(data_dir) / spec.dataset / "train.csv").string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    ThrowInput(file,
               "prepared data for workspace task " + task_name +
                   " not found; run `ctxbench data prepare " + spec.dataset +
                   " --raw DIR` (or `ctxbench data fetch " + spec.dataset +
                   "` to download it from Kaggle), or point CTXBENCH_DATA_DIR (or data_dir in "
                   "config.json) at the data dir that holds " +
                   spec.dataset + "/");
  }
  return file;
}

std::string HiddenDirFor(const std::string& workspace_dir) {
  std::string dir = workspace_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + ".hidden";
}

void WritePreparedData(const PreparedDataSpec& spec, const std::string& task_name,
                       const std::string& data_dir, const std::string& workspace_dir) {
  std::string file = PreparedDataFile(spec, task_name, data_dir);
  CsvTable t = ReadCsvFile(file);
  int target = t.ColumnIndex(spec.target_column);
  if (target < 0) {
    ThrowInput(file, "no column '" + spec.target_column + "' (task " + task_name +
                         ": $.workspace.prepared_data.target_column)");
  }
  std::vector<size_t> keep, features;
  for (size_t j = 0; j < t.header.size(); ++j) {
    if (std::find(spec.drop_columns.begin(), spec.drop_columns.end(), t.header[j]) !=
        spec.drop_columns.end()) {
      continue;
    }
    keep.push_back(j);
    if (static_cast<int>(j) != target) features.push_back(j);
  }
  for (const std::string& c : spec.drop_columns) {
    if (t.ColumnIndex(c) < 0) {
      ThrowInput(file, "no column '" + c + "' (task " + task_name +
                           ": $.workspace.prepared_data.drop_columns)");
    }
  }
  std::vector<size_t> order(t.rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  SeededRandom rng(spec.split_seed ^ 0x3a11u);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  size_t n = order.size();
  size_t n_test = static_cast<size_t>(std::llround(static_cast<double>(n) * spec.test_fraction));
  size_t n_valid = static_cast<size_t>(std::llround(static_cast<double>(n) * spec.valid_fraction));
  if (n_test == 0 || n_valid == 0 || n_test + n_valid >= n) {
    ThrowInput(file, "too few rows (" + std::to_string(n) + ") for a train/valid/test split");
  }
  std::vector<size_t> test(order.begin(), order.begin() + static_cast<long>(n_test));
  std::vector<size_t> valid(order.begin() + static_cast<long>(n_test),
                            order.begin() + static_cast<long>(n_test + n_valid));
  std::vector<size_t> train(order.begin() + static_cast<long>(n_test + n_valid), order.end());
  // The organisers' labelled test set, when prepared with the data, replaces
  // the held-out slice (whose rows go back to training).
  std::string labelled = LabelledTestFile(data_dir, spec.dataset);
  if (!labelled.empty()) {
    CsvTable l = ReadCsvFile(labelled);
    if (l.header != t.header) {
      ThrowInput(labelled, "columns differ from " + file + "'s; prepare the dataset again");
    }
    if (l.rows.empty()) ThrowInput(labelled, "no data rows");
    train.insert(train.end(), test.begin(), test.end());
    test.clear();
    for (size_t i = 0; i < l.rows.size(); ++i) test.push_back(n + i);
    t.rows.insert(t.rows.end(), l.rows.begin(), l.rows.end());
  }
  for (auto* part : {&train, &valid, &test}) std::sort(part->begin(), part->end());

  std::vector<std::string> files = spec.Files();
  MakeWritableDir((fs::path(workspace_dir) / spec.into).string());
  WriteFileAtomic((fs::path(workspace_dir) / files[0]).string(), Subset(t, keep, train));
  WriteFileAtomic((fs::path(workspace_dir) / files[1]).string(), Subset(t, features, valid));
  WriteFileAtomic((fs::path(workspace_dir) / files[2]).string(), Subset(t, features, test));
  std::string hidden = HiddenDirFor(workspace_dir);
  MakeWritableDir(hidden);
  std::string valid_labels = (fs::path(hidden) / "valid_labels.csv").string();
  WriteFileAtomic(valid_labels, Subset(t, {static_cast<size_t>(target)}, valid));
  std::string labels = (fs::path(hidden) / "test_labels.csv").string();
  WriteFileAtomic(labels, Subset(t, {static_cast<size_t>(target)}, test));
  // Only the harness enters the hidden folder; the evaluation's sandbox binds
  // the label file itself, readable by the sandbox user, not writable.
  ::chmod(hidden.c_str(), 0700);
  ::chmod(valid_labels.c_str(), 0444);
  ::chmod(labels.c_str(), 0444);
}

}  // namespace ctxbench
