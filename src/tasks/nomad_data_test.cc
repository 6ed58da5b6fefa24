#include "tasks/nomad_data.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/json.h"
#include "core/test_scratch_dir.h"
#include "tasks/csv.h"
#include "tasks/dataset.h"
#include "tasks/task_spec.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// A small NOMAD-shaped file: the competition's columns with made-up values.
std::string FakeNomadCsv(bool with_targets, int rows) {
  std::vector<std::string> header = with_targets ? NomadTrainColumns() : NomadTestColumns();
  std::string out = CsvLine(header);
  for (int r = 0; r < rows; ++r) {
    std::vector<std::string> cells;
    for (size_t j = 0; j < header.size(); ++j) {
      double v = j == 0 ? r + 1 : (r * 7 + j * 3) % 11 + 0.125 * j;
      if (header[j] == "bandgap_energy_ev") v = 1.0 + 0.1 * (r % 30);
      cells.push_back(std::to_string(v));
    }
    out += CsvLine(cells);
  }
  return out;
}

// Fills `scratch` with raw/train.csv and raw/test.csv; returns its path.
std::string RawFolder(const ScratchDir& scratch) {
  std::string dir = scratch.Path();
  MakeWritableDir(dir + "/raw");
  WriteFileAtomic(dir + "/raw/train.csv", FakeNomadCsv(true, 60));
  WriteFileAtomic(dir + "/raw/test.csv", FakeNomadCsv(false, 15));
  return dir;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "";
}

TEST(NomadDataTest, PreparesTrainTestAndContext) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  NomadPrepared p = PrepareNomad(dir + "/raw", dir + "/data", false);
  EXPECT_EQ(p.folder, dir + "/data/nomad");
  EXPECT_EQ(p.train_rows, 60u);
  EXPECT_EQ(p.test_rows, 15u);
  CsvTable train = ReadCsvFile(p.folder + "/train.csv");
  EXPECT_EQ(train.rows.size(), 60u);
  EXPECT_EQ(train.ColumnIndex("id"), -1);
  EXPECT_GE(train.ColumnIndex("bandgap_energy_ev"), 0);
  Json ctx = ReadJsonFile(p.folder + "/dataset_context.json");
  EXPECT_EQ(ctx["rows"], 60);
  EXPECT_EQ(ctx["cols"], 11);  // id, formation energy and target left out
  EXPECT_EQ(ctx["target"]["name"], "bandgap_energy_ev");
  Json manifest = ReadJsonFile(p.folder + "/prepared.json");
  EXPECT_EQ(manifest["train_rows"], 60);
  EXPECT_TRUE(fs::exists(p.folder + "/test.csv"));
}

TEST(NomadDataTest, Float32RoundsValues) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  WriteFileAtomic(dir + "/raw/train.csv", FakeNomadCsv(true, 30) +
                                              "99,33,80.0,0.1,0.2,0.7,1.123456789012,2,3,90,90,90,"
                                              "0.1,2.5\n");
  PrepareNomad(dir + "/raw", dir + "/data", true);
  std::string text = ReadFile(dir + "/data/nomad/train.csv");
  EXPECT_NE(text.find(",1.1234568,"), std::string::npos);  // shortest float32 text
  EXPECT_EQ(text.find("1.123456789012"), std::string::npos);
}

TEST(NomadDataTest, MissingFilesAndColumnsAreClearErrors) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  std::string msg = ErrorOf([&] { PrepareNomad(dir + "/nowhere", dir + "/data", false); });
  EXPECT_NE(msg.find("nomad2018-predict-transparent-conductors"), std::string::npos) << msg;
  fs::remove(dir + "/raw/test.csv");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", false); });
  EXPECT_NE(msg.find(dir + "/raw/test.csv: NOMAD file not found"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--local-source"), std::string::npos) << msg;
  WriteFileAtomic(dir + "/raw/test.csv", "id,spacegroup\n1,33\n");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", false); });
  EXPECT_NE(msg.find("missing NOMAD column(s): number_of_total_atoms"), std::string::npos) << msg;
  WriteFileAtomic(dir + "/raw/test.csv", FakeNomadCsv(false, 3));
  WriteFileAtomic(dir + "/raw/train.csv", FakeNomadCsv(true, 3) + "4,x,1,1,1,1,1,1,1,1,1,1,1,1\n");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", false); });
  EXPECT_NE(msg.find("data row 4, column spacegroup: expected a number, got \"x\""),
            std::string::npos)
      << msg;
  EXPECT_FALSE(fs::exists(dir + "/data/nomad/train.csv"));
}

TEST(NomadDataTest, FetchCopiesFromMirrorThenPrepares) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  NomadPrepared p = FetchNomad(dir + "/raw", dir + "/data", false);
  EXPECT_TRUE(fs::exists(dir + "/data/nomad/raw/train.csv"));
  EXPECT_EQ(p.train_rows, 60u);
  std::string msg = ErrorOf([&] { FetchNomad(dir + "/none", dir + "/data", false); });
  EXPECT_NE(msg.find("mirror folder not found"), std::string::npos);
}

TEST(NomadDataTest, BundledTaskLoadsPreparedData) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  PrepareNomad(dir + "/raw", dir + "/data", false);
  TaskSpec task = FindTask("nomad", DefaultTaskDirs());
  Dataset d = LoadTaskData(task, dir + "/data", 1);
  EXPECT_EQ(d.rows, 60u);
  EXPECT_EQ(d.cols, 11u);
  EXPECT_EQ(d.num_classes, 0);
}

}  // namespace
}  // namespace ctxbench
