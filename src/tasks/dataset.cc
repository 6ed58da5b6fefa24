#include "tasks/dataset.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>

#include "core/env.h"
#include "core/error.h"
#include "core/hash.h"
#include "tasks/csv.h"
#include "tasks/labelled_test.h"
#include "tasks/seeded_random.h"
#include "tasks/synthetic_data.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

bool ParseFloat(const std::string& cell, float* out) {
  if (cell.empty() || cell == "NA" || cell == "NaN" || cell == "nan") {
    *out = kMissing;
    return true;
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(cell.c_str(), &end);
  while (end != nullptr && (*end == ' ' || *end == '\t')) ++end;
  if (end == cell.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) return false;
  *out = static_cast<float>(v);
  return true;
}

bool IsMissing(const std::string& cell) {
  return cell.empty() || cell == "NA" || cell == "NaN" || cell == "nan";
}

}  // namespace

Dataset DatasetFromCsv(const CsvTable& table, const TaskSpec& task, const std::string& source) {
  int target = table.ColumnIndex(task.target_column);
  if (target < 0) {
    ThrowInput(source, "no target column '" + task.target_column + "' in the header (task " +
                           task.name + ": $.target_column)");
  }
  std::vector<int> others;  // the other target columns' indices
  for (const auto& name : task.other_target_columns) {
    int c = table.ColumnIndex(name);
    if (c < 0) {
      ThrowInput(source, "no target column '" + name + "' in the header (task " + task.name +
                             ": $.target_columns)");
    }
    others.push_back(c);
  }
  for (const auto& drop : task.drop_columns) {
    if (table.ColumnIndex(drop) < 0) {
      ThrowInput(source,
                 "no column '" + drop + "' to drop (task " + task.name + ": $.drop_columns)");
    }
  }
  std::vector<size_t> feature_cols;
  for (size_t c = 0; c < table.header.size(); ++c) {
    if (static_cast<int>(c) == target) continue;
    if (std::find(others.begin(), others.end(), static_cast<int>(c)) != others.end()) continue;
    if (std::find(task.drop_columns.begin(), task.drop_columns.end(), table.header[c]) !=
        task.drop_columns.end()) {
      continue;
    }
    feature_cols.push_back(c);
  }
  if (feature_cols.empty()) ThrowInput(source, "no feature columns left");

  // Rows with a missing target are skipped.
  std::vector<size_t> keep;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    bool missing = IsMissing(table.rows[r][target]);
    for (int c : others) missing = missing || IsMissing(table.rows[r][c]);
    if (!missing) keep.push_back(r);
  }
  if (keep.size() < 10) ThrowInput(source, "fewer than 10 rows with a target value");

  Dataset data;
  data.rows = keep.size();
  data.cols = feature_cols.size();
  data.target_name = task.target_column;
  data.x.resize(data.rows * data.cols);
  data.categories.assign(data.cols, {});
  for (size_t j = 0; j < feature_cols.size(); ++j) {
    size_t c = feature_cols[j];
    data.feature_names.push_back(table.header[c]);
    bool numeric = true;
    float v = 0;
    for (size_t r : keep) {
      if (!ParseFloat(table.rows[r][c], &v)) {
        numeric = false;
        break;
      }
    }
    std::map<std::string, int> codes;
    for (size_t i = 0; i < keep.size(); ++i) {
      const std::string& cell = table.rows[keep[i]][c];
      float& out = data.x[i * data.cols + j];
      if (numeric) {
        ParseFloat(cell, &out);
      } else if (IsMissing(cell)) {
        out = kMissing;
      } else {
        auto [it, added] = codes.emplace(cell, static_cast<int>(codes.size()));
        if (added) data.categories[j].push_back(cell);
        out = static_cast<float>(it->second);
      }
    }
  }

  data.y.resize(data.rows);
  if (task.problem == Problem::kRegression) {
    auto parse = [&](int column, const std::string& name, std::vector<float>* out) {
      for (size_t i = 0; i < keep.size(); ++i) {
        if (!ParseFloat(table.rows[keep[i]][column], &(*out)[i])) {
          ThrowInput(source, "data row " + std::to_string(keep[i] + 1) + ": target '" + name +
                                 "' = \"" + table.rows[keep[i]][column] +
                                 "\" is not a number (regression task)");
        }
      }
    };
    parse(target, task.target_column, &data.y);
    data.other_target_names = task.other_target_columns;
    data.other_y.assign(others.size(), std::vector<float>(data.rows));
    for (size_t k = 0; k < others.size(); ++k) {
      parse(others[k], task.other_target_columns[k], &data.other_y[k]);
    }
    return data;
  }
  // Classification: classes in sorted order of their labels (numeric labels numerically).
  std::vector<std::string> labels;
  for (size_t r : keep) labels.push_back(table.rows[r][target]);
  std::vector<std::string> names = labels;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  bool all_numeric = std::all_of(names.begin(), names.end(), [](const std::string& s) {
    float f;
    return ParseFloat(s, &f);
  });
  if (all_numeric) {
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
    });
  }
  size_t want = task.problem == Problem::kBinary ? 2 : 3;
  if (task.problem == Problem::kBinary && names.size() != 2) {
    ThrowInput(source, "binary task needs exactly 2 classes in '" + task.target_column +
                           "', found " + std::to_string(names.size()));
  }
  if (names.size() < want) {
    ThrowInput(source, "multiclass task needs at least 3 classes in '" + task.target_column +
                           "', found " + std::to_string(names.size()));
  }
  std::map<std::string, int> class_index;
  for (size_t k = 0; k < names.size(); ++k) class_index[names[k]] = static_cast<int>(k);
  for (size_t i = 0; i < labels.size(); ++i) data.y[i] = static_cast<float>(class_index[labels[i]]);
  data.num_classes = static_cast<int>(names.size());
  data.class_names = names;
  return data;
}

namespace {

// Copies the given rows of `data` into a new dataset with the same columns.
Dataset TakeRows(const Dataset& data, const std::vector<size_t>& rows) {
  Dataset out;
  out.feature_names = data.feature_names;
  out.num_classes = data.num_classes;
  out.class_names = data.class_names;
  out.target_name = data.target_name;
  out.other_target_names = data.other_target_names;
  out.categories = data.categories;
  out.rows = rows.size();
  out.cols = data.cols;
  out.x.resize(out.rows * out.cols);
  out.y.resize(out.rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(&data.x[rows[i] * data.cols], data.cols, &out.x[i * out.cols]);
    out.y[i] = data.y[rows[i]];
  }
  out.other_y.assign(data.other_y.size(), std::vector<float>(out.rows));
  for (size_t k = 0; k < data.other_y.size(); ++k) {
    for (size_t i = 0; i < rows.size(); ++i) out.other_y[k][i] = data.other_y[k][rows[i]];
  }
  return out;
}

}  // namespace

std::string DefaultDataDir() { return GetEnv("CTXBENCH_DATA_DIR").value_or("./data"); }

Dataset LoadTaskData(const TaskSpec& task, const std::string& data_dir, uint64_t seed) {
  const DataSource& src = task.data;
  if (src.kind == "synthetic") {
    int classes = task.problem == Problem::kMulticlass ? 3 : 2;
    Dataset d = MakeClassificationData(src.rows, src.features, classes, seed);
    d.target_name = task.target_column;
    return d;
  }
  std::string file;
  if (src.kind == "csv") {
    file = (fs::path(task.folder) / src.path).string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      ThrowInput(file, "task " + task.name + ": data file not found ($.data.path)");
    }
  } else if (src.kind == "prepared") {
    file = (fs::path(data_dir) / src.path / "train.csv").string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      ThrowInput(file, "prepared data for task " + task.name +
                           " not found; run `ctxbench data prepare " + src.path +
                           " --raw DIR` (or `ctxbench data fetch " + src.path +
                           "` to download it from Kaggle), or set CTXBENCH_DATA_DIR");
    }
  } else {
    ThrowInput("task " + task.name + ": $.data.kind", "unknown data kind '" + src.kind + "'");
  }
  return DatasetFromCsv(ReadCsvFile(file), task, file);
}

namespace {

struct SplitRows {
  std::vector<size_t> train, valid, test;
};

// SplitDataset's choice of rows among the first `n` rows of `data`.
SplitRows SplitRowIndices(const Dataset& data, size_t n, double valid_fraction,
                          double test_fraction, uint64_t seed) {
  SeededRandom rng(seed ^ 0x5b11u);
  // Stratify classification data: split each class separately, then interleave.
  std::vector<std::vector<size_t>> groups(data.num_classes > 0 ? data.num_classes : 1);
  for (size_t i = 0; i < n; ++i) {
    size_t g = data.num_classes > 0 ? static_cast<size_t>(data.y[i]) : 0;
    if (g >= groups.size()) g = 0;
    groups[g].push_back(i);
  }
  SplitRows s;
  for (auto& group : groups) {
    for (size_t i = group.size(); i > 1; --i) std::swap(group[i - 1], group[rng.Below(i)]);
    size_t size = group.size();
    size_t n_test = static_cast<size_t>(std::llround(size * test_fraction));
    size_t n_valid = static_cast<size_t>(std::llround(size * valid_fraction));
    if (n_test + n_valid > size) n_valid = size - std::min(size, n_test);
    s.test.insert(s.test.end(), group.begin(), group.begin() + n_test);
    s.valid.insert(s.valid.end(), group.begin() + n_test, group.begin() + n_test + n_valid);
    s.train.insert(s.train.end(), group.begin() + n_test + n_valid, group.end());
  }
  if (s.train.empty() || s.valid.empty() || s.test.empty()) {
    ThrowInput("split", "too few rows (" + std::to_string(n) + ") for a train/valid/test split");
  }
  return s;
}

}  // namespace

Splits SplitDataset(const Dataset& data, double valid_fraction, double test_fraction,
                    uint64_t seed) {
  SplitRows s = SplitRowIndices(data, data.rows, valid_fraction, test_fraction, seed);
  // Row order within a split does not depend on the class layout.
  for (auto* part : {&s.train, &s.valid, &s.test}) std::sort(part->begin(), part->end());
  return Splits{TakeRows(data, s.train), TakeRows(data, s.valid), TakeRows(data, s.test)};
}

Splits LoadTaskSplits(const TaskSpec& task, const std::string& data_dir, uint64_t seed) {
  std::string labelled =
      task.data.kind == "prepared" ? LabelledTestFile(data_dir, task.data.path) : "";
  if (labelled.empty()) {
    return SplitDataset(LoadTaskData(task, data_dir, seed), task.valid_fraction, task.test_fraction,
                        seed);
  }
  std::string file = (fs::path(data_dir) / task.data.path / "train.csv").string();
  LoadTaskData(task, data_dir, seed);  // the missing-file error and hint
  CsvTable table = ReadCsvFile(file);
  CsvTable test = ReadCsvFile(labelled);
  if (test.header != table.header) {
    ThrowInput(labelled, "columns differ from " + file + "'s; prepare the dataset again");
  }
  // One table, so categorical codes agree between train and test.
  size_t n = table.rows.size();
  table.rows.insert(table.rows.end(), test.rows.begin(), test.rows.end());
  Dataset all = DatasetFromCsv(table, task, file + " + " + labelled);
  if (all.rows != table.rows.size()) {
    std::string targets = "'" + task.target_column + "'";
    for (const auto& c : task.other_target_columns) targets += ", '" + c + "'";
    ThrowInput(labelled, "rows without a value for the target " + targets +
                             " (here or in train.csv); prepare the dataset again, with labels "
                             "for every target of task " +
                             task.name);
  }
  SplitRows s = SplitRowIndices(all, n, task.valid_fraction, task.test_fraction, seed);
  s.train.insert(s.train.end(), s.test.begin(), s.test.end());
  s.test.clear();
  for (size_t i = n; i < all.rows; ++i) s.test.push_back(i);
  if (s.test.empty()) ThrowInput(labelled, "no data rows");
  for (auto* part : {&s.train, &s.valid}) std::sort(part->begin(), part->end());
  return Splits{TakeRows(all, s.train), TakeRows(all, s.valid), TakeRows(all, s.test)};
}

namespace {

// FNV-1a over 64-bit words instead of bytes (8x fewer steps: the learner
// fingerprints its splits at every evaluation), the tail byte-wise; the
// value is an in-memory identity only, never stored.
uint64_t HashFloats(const std::vector<float>& v, uint64_t h) {
  constexpr uint64_t kPrime = 1099511628211ULL;
  const char* p = reinterpret_cast<const char*>(v.data());
  size_t n = v.size() * sizeof(float), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    h = (h ^ word) * kPrime;
  }
  for (; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * kPrime;
  return h;
}

}  // namespace

uint64_t SplitsFingerprint(const Splits& splits) {
  uint64_t h = Fnv1a64("splits");
  for (const Dataset* d : {&splits.train, &splits.valid, &splits.test}) {
    h = Fnv1a64(std::to_string(d->rows) + "x" + std::to_string(d->cols), h);
    h = HashFloats(d->x, h);
    h = HashFloats(d->y, h);
    for (const auto& y : d->other_y) h = HashFloats(y, h);
  }
  return h;
}

}  // namespace ctxbench
