#include "tasks/nomad_data.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "core/error.h"
#include "core/file.h"
#include "core/json.h"
#include "tasks/csv.h"
#include "tasks/dataset.h"
#include "tasks/dataset_context.h"
#include "tasks/labelled_test.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTarget = "bandgap_energy_ev";

// The shortest text that reads back as the same float32.
std::string Float32Text(double v) {
  float f = static_cast<float>(v);
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f) break;
  }
  return buf;
}

bool IsNumber(const std::string& cell) {
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(cell.c_str(), &end);
  return !cell.empty() && *end == '\0' && errno != ERANGE && std::isfinite(v);
}

// Reads a raw file, checks its columns and that every cell is a number; returns
// the table with columns reordered to `columns`.
CsvTable ReadRaw(const std::string& path, const std::vector<std::string>& columns) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    ThrowInput(path, std::string("NOMAD file not found; ") + kNomadSourceHint);
  }
  CsvTable raw = ReadCsvFile(path);
  std::string missing;
  std::vector<int> index;
  for (const auto& c : columns) {
    index.push_back(raw.ColumnIndex(c));
    if (index.back() < 0) missing += (missing.empty() ? "" : ", ") + c;
  }
  if (!missing.empty()) {
    ThrowInput(path, "missing NOMAD column(s): " + missing +
                         " (is this the Kaggle nomad2018 file? " + kNomadSourceHint + ")");
  }
  if (raw.rows.empty()) ThrowInput(path, "no data rows");
  CsvTable out;
  out.header = columns;
  for (size_t r = 0; r < raw.rows.size(); ++r) {
    std::vector<std::string> row;
    for (size_t j = 0; j < columns.size(); ++j) {
      const std::string& cell = raw.rows[r][index[j]];
      if (!IsNumber(cell)) {
        ThrowInput(path, "data row " + std::to_string(r + 1) + ", column " + columns[j] +
                             ": expected a number, got \"" + cell + "\"");
      }
      row.push_back(cell);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string WriteCsv(const CsvTable& table, bool float32, const std::string& skip_column) {
  std::vector<size_t> keep;
  for (size_t j = 0; j < table.header.size(); ++j) {
    if (table.header[j] != skip_column) keep.push_back(j);
  }
  std::string out;
  std::vector<std::string> cells;
  for (size_t j : keep) cells.push_back(table.header[j]);
  out += CsvLine(cells);
  for (const auto& row : table.rows) {
    cells.clear();
    for (size_t j : keep) {
      bool round = float32 && !row[j].empty();
      cells.push_back(round ? Float32Text(std::strtod(row[j].c_str(), nullptr)) : row[j]);
    }
    out += CsvLine(cells);
  }
  return out;
}

// The join key of an id: numbers compare by value ("7" and "7.0" match).
std::string IdKey(const std::string& id) {
  if (!IsNumber(id)) return id;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", std::strtod(id.c_str(), nullptr));
  return buf;
}

// test.csv's rows (with `id`) joined with the organisers' labels, in
// NomadTrainColumns() order. Every test id needs exactly one label row and
// every label row a test id.
CsvTable JoinTestLabels(const CsvTable& test, const std::string& labels_path) {
  std::error_code ec;
  if (!fs::is_regular_file(labels_path, ec)) ThrowInput(labels_path, "test labels file not found");
  CsvTable labels = ReadCsvFile(labels_path);
  int id = labels.ColumnIndex("id");
  int gap = labels.ColumnIndex(kTarget);
  int formation = labels.ColumnIndex("formation_energy_ev_natom");
  if (id < 0 || gap < 0) {
    ThrowInput(labels_path, std::string("expected columns id and ") + kTarget +
                                " (and optionally formation_energy_ev_natom)");
  }
  std::map<std::string, size_t> by_id;
  for (size_t r = 0; r < labels.rows.size(); ++r) {
    const auto& row = labels.rows[r];
    std::string where = "data row " + std::to_string(r + 1);
    if (!by_id.emplace(IdKey(row[id]), r).second) {
      ThrowInput(labels_path, where + ": id " + row[id] + " appears twice");
    }
    if (!IsNumber(row[gap]) || (formation >= 0 && !IsNumber(row[formation]))) {
      ThrowInput(labels_path, where + ": expected a number for each label");
    }
  }
  CsvTable out;
  out.header = NomadTrainColumns();
  for (const auto& row : test.rows) {
    auto it = by_id.find(IdKey(row[0]));
    if (it == by_id.end()) {
      ThrowInput(labels_path, "no label for test.csv id " + row[0] +
                                  " (is this the labelled test set of the same competition?)");
    }
    const auto& label = labels.rows[it->second];
    std::vector<std::string> joined = row;
    joined.push_back(formation >= 0 ? label[formation] : "");
    joined.push_back(label[gap]);
    out.rows.push_back(std::move(joined));
    by_id.erase(it);
  }
  if (!by_id.empty()) {
    ThrowInput(labels_path, "id " + labels.rows[by_id.begin()->second][id] + " (and " +
                                std::to_string(by_id.size() - 1) + " more) not in test.csv");
  }
  return out;
}

}  // namespace

const char* const kNomadSourceHint =
    "fetch them with `ctxbench data fetch nomad` (Kaggle credentials needed), or "
    "download train.csv and test.csv from the Kaggle competition "
    "\"nomad2018-predict-transparent-conductors\" "
    "(https://www.kaggle.com/c/nomad2018-predict-transparent-conductors/data), or copy them "
    "from a mirror with `ctxbench data fetch nomad --local-source DIR`";

const std::vector<std::string>& NomadTestColumns() {
  static const std::vector<std::string> kColumns = {"id",
                                                    "spacegroup",
                                                    "number_of_total_atoms",
                                                    "percent_atom_al",
                                                    "percent_atom_ga",
                                                    "percent_atom_in",
                                                    "lattice_vector_1_ang",
                                                    "lattice_vector_2_ang",
                                                    "lattice_vector_3_ang",
                                                    "lattice_angle_alpha_degree",
                                                    "lattice_angle_beta_degree",
                                                    "lattice_angle_gamma_degree"};
  return kColumns;
}

const std::vector<std::string>& NomadTrainColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> c = NomadTestColumns();
    c.push_back("formation_energy_ev_natom");
    c.push_back(kTarget);
    return c;
  }();
  return kColumns;
}

NomadPrepared PrepareNomad(const std::string& raw_dir, const std::string& data_dir,
                           const NomadPrepareOptions& options) {
  const bool float32 = options.float32;
  std::error_code ec;
  if (!fs::is_directory(raw_dir, ec)) {
    ThrowInput(raw_dir, std::string("raw NOMAD folder not found; ") + kNomadSourceHint);
  }
  std::string train_path = (fs::path(raw_dir) / "train.csv").string();
  std::string test_path = (fs::path(raw_dir) / "test.csv").string();
  CsvTable train = ReadRaw(train_path, NomadTrainColumns());
  CsvTable test = ReadRaw(test_path, NomadTestColumns());
  std::optional<CsvTable> labelled;
  if (!options.test_labels.empty()) labelled = JoinTestLabels(test, options.test_labels);

  NomadPrepared result;
  result.folder = (fs::path(data_dir) / "nomad").string();
  result.train_rows = train.rows.size();
  result.test_rows = test.rows.size();
  result.labelled_test_rows = labelled ? labelled->rows.size() : 0;
  MakeWritableDir(result.folder);

  std::string train_csv = WriteCsv(train, float32, "id");
  TaskSpec view;
  view.name = "nomad";
  view.target_column = kTarget;
  view.problem = Problem::kRegression;
  view.drop_columns = {"formation_energy_ev_natom"};  // a second target, unknown at test time
  std::string out_train = (fs::path(result.folder) / "train.csv").string();
  Dataset data = DatasetFromCsv(ParseCsv(train_csv, out_train), view, out_train);
  Json context = DatasetContext(data);
  context["dataset"] = "nomad";
  context["description"] = DescribeDataset(data);

  Json manifest = {
      {"dataset", "nomad"},
      {"source", fs::absolute(raw_dir).lexically_normal().string()},
      {"train_rows", result.train_rows},
      {"test_rows", result.test_rows},
      {"float32", float32},
      {"test_labels",
       labelled ? Json(fs::absolute(options.test_labels).lexically_normal().string()) : Json()},
      {"labelled_test_rows", result.labelled_test_rows},
      {"target", kTarget},
      {"train_columns", Json::array()}};
  for (const auto& c : NomadTrainColumns()) {
    if (c != "id") manifest["train_columns"].push_back(c);
  }

  WriteFileAtomic((fs::path(result.folder) / "test.csv").string(), WriteCsv(test, float32, ""));
  std::string labelled_path = (fs::path(result.folder) / kLabelledTestFile).string();
  if (labelled) {
    WriteFileAtomic(labelled_path, WriteCsv(*labelled, float32, "id"));
  } else {
    fs::remove(labelled_path, ec);
  }
  WriteFileAtomic((fs::path(result.folder) / "dataset_context.json").string(),
                  context.dump(2) + "\n");
  WriteFileAtomic((fs::path(result.folder) / "prepared.json").string(), manifest.dump(2) + "\n");
  WriteFileAtomic(out_train, train_csv);
  return result;
}

NomadPrepared FetchNomad(const std::string& local_source, const std::string& data_dir,
                         const NomadPrepareOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(local_source, ec)) {
    ThrowInput(local_source, "mirror folder not found (expected train.csv and test.csv in it)");
  }
  std::string raw = (fs::path(data_dir) / "nomad" / "raw").string();
  MakeWritableDir(raw);
  for (const char* name : {"train.csv", "test.csv"}) {
    std::string from = (fs::path(local_source) / name).string();
    if (!fs::is_regular_file(from, ec)) {
      ThrowInput(from, std::string("not in the mirror folder; ") + kNomadSourceHint);
    }
    WriteFileAtomic((fs::path(raw) / name).string(), ReadFile(from));
  }
  return PrepareNomad(raw, data_dir, options);
}

}  // namespace ctxbench
