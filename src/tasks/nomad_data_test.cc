#include "tasks/nomad_data.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/json.h"
#include "core/test_scratch_dir.h"
#include "tasks/csv.h"
#include "tasks/dataset.h"
#include "tasks/labelled_test.h"
#include "tasks/task_spec.h"
#include "tasks/workspace_data.h"

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
  NomadPrepared p = PrepareNomad(dir + "/raw", dir + "/data", {});
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
  PrepareNomad(dir + "/raw", dir + "/data", {.float32 = true, .test_labels = ""});
  std::string text = ReadFile(dir + "/data/nomad/train.csv");
  EXPECT_NE(text.find(",1.1234568,"), std::string::npos);  // shortest float32 text
  EXPECT_EQ(text.find("1.123456789012"), std::string::npos);
}

TEST(NomadDataTest, MissingFilesAndColumnsAreClearErrors) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  std::string msg = ErrorOf([&] { PrepareNomad(dir + "/nowhere", dir + "/data", {}); });
  EXPECT_NE(msg.find("nomad2018-predict-transparent-conductors"), std::string::npos) << msg;
  fs::remove(dir + "/raw/test.csv");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", {}); });
  EXPECT_NE(msg.find(dir + "/raw/test.csv: NOMAD file not found"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--local-source"), std::string::npos) << msg;
  WriteFileAtomic(dir + "/raw/test.csv", "id,spacegroup\n1,33\n");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", {}); });
  EXPECT_NE(msg.find("missing NOMAD column(s): number_of_total_atoms"), std::string::npos) << msg;
  WriteFileAtomic(dir + "/raw/test.csv", FakeNomadCsv(false, 3));
  WriteFileAtomic(dir + "/raw/train.csv", FakeNomadCsv(true, 3) + "4,x,1,1,1,1,1,1,1,1,1,1,1,1\n");
  msg = ErrorOf([&] { PrepareNomad(dir + "/raw", dir + "/data", {}); });
  EXPECT_NE(msg.find("data row 4, column spacegroup: expected a number, got \"x\""),
            std::string::npos)
      << msg;
  EXPECT_FALSE(fs::exists(dir + "/data/nomad/train.csv"));
}

TEST(NomadDataTest, FetchCopiesFromMirrorThenPrepares) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  NomadPrepared p = FetchNomad(dir + "/raw", dir + "/data", {});
  EXPECT_TRUE(fs::exists(dir + "/data/nomad/raw/train.csv"));
  EXPECT_EQ(p.train_rows, 60u);
  std::string msg = ErrorOf([&] { FetchNomad(dir + "/none", dir + "/data", {}); });
  EXPECT_NE(msg.find("mirror folder not found"), std::string::npos);
}

TEST(NomadDataTest, BundledTaskLoadsPreparedData) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  PrepareNomad(dir + "/raw", dir + "/data", {});
  TaskSpec task = FindTask("nomad", DefaultTaskDirs());
  Dataset d = LoadTaskData(task, dir + "/data", 1);
  EXPECT_EQ(d.rows, 60u);
  EXPECT_EQ(d.cols, 11u);
  EXPECT_EQ(d.num_classes, 0);
}

// Labels for the 15 rows of FakeNomadCsv(false, 15): band gap 50 + id, far
// from every train value, so a test row is recognised by its label.
std::string TestLabelsCsv(int first, int last) {
  std::string out = "id,formation_energy_ev_natom,bandgap_energy_ev\n";
  for (int id = first; id <= last; ++id) {
    out += std::to_string(id) + ",0.5," + std::to_string(50 + id) + "\n";
  }
  return out;
}

TEST(NomadDataTest, TestLabelsReplaceTheHeldOutSlice) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  std::string data = dir + "/data";
  TaskSpec task = FindTask("nomad", DefaultTaskDirs());
  PrepareNomad(dir + "/raw", data, {});
  Splits plain = LoadTaskSplits(task, data, 3);
  Splits reference =
      SplitDataset(LoadTaskData(task, data, 3), task.valid_fraction, task.test_fraction, 3);
  EXPECT_EQ(SplitsFingerprint(plain), SplitsFingerprint(reference));  // no labels: unchanged

  WriteFileAtomic(dir + "/labels.csv", TestLabelsCsv(1, 15));
  NomadPrepared p =
      PrepareNomad(dir + "/raw", data, {.float32 = false, .test_labels = dir + "/labels.csv"});
  EXPECT_EQ(p.labelled_test_rows, 15u);
  ASSERT_NE(LabelledTestFile(data, "nomad"), "");
  Json manifest = Json::parse(ReadFile(data + "/nomad/prepared.json"));
  EXPECT_EQ(manifest["labelled_test_rows"], 15);

  Splits labelled = LoadTaskSplits(task, data, 3);
  ASSERT_EQ(labelled.test.rows, 15u);
  for (size_t i = 0; i < labelled.test.rows; ++i) {
    EXPECT_FLOAT_EQ(labelled.test.y[i], 50.0f + static_cast<float>(i + 1));
  }
  // The same validation rows; the held-out slice trains.
  EXPECT_EQ(labelled.valid.y, reference.valid.y);
  EXPECT_EQ(labelled.valid.x, reference.valid.x);
  EXPECT_EQ(labelled.train.rows, reference.train.rows + reference.test.rows);

  // nomad_py's split: the hidden test labels are the organisers'.
  PreparedDataSpec spec;
  spec.dataset = "nomad";
  spec.target_column = "bandgap_energy_ev";
  spec.drop_columns = {"formation_energy_ev_natom"};
  spec.split_seed = 2018;
  WritePreparedData(spec, "nomad_py", data, dir + "/ws");
  CsvTable labels = ReadCsvFile(dir + "/ws.hidden/test_labels.csv");
  ASSERT_EQ(labels.rows.size(), 15u);
  EXPECT_EQ(std::stod(labels.rows[0][0]), 51.0);
  EXPECT_EQ(ReadCsvFile(dir + "/ws/data/test_features.csv").rows.size(), 15u);
  EXPECT_EQ(ReadCsvFile(dir + "/ws/data/train.csv").rows.size() +
                ReadCsvFile(dir + "/ws/data/valid_features.csv").rows.size(),
            60u);

  // Preparing again without labels restores the held-out slice.
  PrepareNomad(dir + "/raw", data, {});
  EXPECT_EQ(LabelledTestFile(data, "nomad"), "");
  EXPECT_EQ(SplitsFingerprint(LoadTaskSplits(task, data, 3)), SplitsFingerprint(reference));
}

TEST(NomadDataTest, TestLabelsMustCoverEveryTestIdOnce) {
  ScratchDir scratch;
  std::string dir = RawFolder(scratch);
  auto prepare = [&](const std::string& labels) {
    WriteFileAtomic(dir + "/labels.csv", labels);
    return ErrorOf([&] {
      PrepareNomad(dir + "/raw", dir + "/data",
                   {.float32 = false, .test_labels = dir + "/labels.csv"});
    });
  };
  EXPECT_NE(prepare(TestLabelsCsv(2, 15)).find("no label for test.csv id 1"), std::string::npos);
  EXPECT_NE(prepare(TestLabelsCsv(1, 16)).find("id 16 (and 0 more) not in test.csv"),
            std::string::npos);
  EXPECT_NE(prepare(TestLabelsCsv(1, 15) + "3,0.1,1.0\n").find("id 3 appears twice"),
            std::string::npos);
  EXPECT_NE(prepare("id,other\n1,2\n").find("expected columns id and bandgap_energy_ev"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir + "/data/nomad/test_labeled.csv"));
}

}  // namespace
}  // namespace ctxbench
