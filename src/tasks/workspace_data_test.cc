#include "tasks/workspace_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"
#include "tasks/csv.h"
#include "tasks/workspace_spec.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class WorkspaceDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = scratch_.path();
    fs::create_directories(base_ / "data" / "toy");
    std::string csv = "a,b,leak,y\n";
    for (int i = 0; i < 50; ++i) {
      csv += std::to_string(i) + "," + std::to_string(i * 2) + ",9," + std::to_string(i) + ".5\n";
    }
    WriteFileAtomic((base_ / "data" / "toy" / "train.csv").string(), csv);
    spec_.dataset = "toy";
    spec_.target_column = "y";
    spec_.drop_columns = {"leak"};
    spec_.split_seed = 7;
  }
  ScratchDir scratch_;
  fs::path base_;
  PreparedDataSpec spec_;
};

TEST_F(WorkspaceDataTest, SplitsIntoVisibleFilesAndHiddenLabels) {
  std::string ws = (base_ / "ws").string();
  WritePreparedData(spec_, "toy_py", (base_ / "data").string(), ws);
  CsvTable train = ReadCsvFile(ws + "/data/train.csv");
  CsvTable valid = ReadCsvFile(ws + "/data/valid_features.csv");
  CsvTable valid_labels = ReadCsvFile(HiddenDirFor(ws) + "/valid_labels.csv");
  CsvTable test = ReadCsvFile(ws + "/data/test_features.csv");
  CsvTable labels = ReadCsvFile(HiddenDirFor(ws) + "/test_labels.csv");
  EXPECT_EQ(train.header, (std::vector<std::string>{"a", "b", "y"}));
  EXPECT_EQ(test.header, (std::vector<std::string>{"a", "b"}));   // no target, no dropped column
  EXPECT_EQ(valid.header, (std::vector<std::string>{"a", "b"}));  // validation labels are hidden
  ASSERT_EQ(valid_labels.rows.size(), 10u);
  for (size_t i = 0; i < valid.rows.size(); ++i) {
    EXPECT_EQ(valid_labels.rows[i][0], valid.rows[i][0] + ".5");
  }
  EXPECT_EQ(labels.header, (std::vector<std::string>{"y"}));
  EXPECT_EQ(train.rows.size(), 30u);
  EXPECT_EQ(valid.rows.size(), 10u);
  ASSERT_EQ(test.rows.size(), 10u);
  ASSERT_EQ(labels.rows.size(), 10u);
  std::set<std::string> seen;
  for (const auto* t : {&train, &valid, &test}) {
    for (const auto& row : t->rows) seen.insert(row[0]);
  }
  EXPECT_EQ(seen.size(), 50u);  // every row once
  for (size_t i = 0; i < test.rows.size(); ++i) {
    EXPECT_EQ(labels.rows[i][0], test.rows[i][0] + ".5");  // labels follow the test rows
  }
  // Same seed, same split; another seed, another split.
  std::string again = (base_ / "ws2").string();
  WritePreparedData(spec_, "toy_py", (base_ / "data").string(), again);
  EXPECT_EQ(ReadFile(again + "/data/test_features.csv"), ReadFile(ws + "/data/test_features.csv"));
  spec_.split_seed = 8;
  std::string other = (base_ / "ws3").string();
  WritePreparedData(spec_, "toy_py", (base_ / "data").string(), other);
  EXPECT_NE(ReadFile(other + "/data/test_features.csv"), ReadFile(ws + "/data/test_features.csv"));
}

TEST_F(WorkspaceDataTest, MissingPreparedDataNamesTheFileAndTheCommand) {
  spec_.dataset = "nomad";
  try {
    WritePreparedData(spec_, "nomad_py", (base_ / "data").string(), (base_ / "ws").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find((base_ / "data" / "nomad" / "train.csv").string()), std::string::npos);
    EXPECT_NE(what.find("ctxbench data prepare nomad --raw DIR"), std::string::npos) << what;
    EXPECT_NE(what.find("nomad_py"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(base_ / "ws"));
}

TEST_F(WorkspaceDataTest, MissingColumnIsNamed) {
  spec_.target_column = "band_gap";
  EXPECT_THROW(
      {
        try {
          WritePreparedData(spec_, "toy_py", (base_ / "data").string(), (base_ / "ws").string());
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("'band_gap'"), std::string::npos);
          throw;
        }
      },
      Error);
}

TEST_F(WorkspaceDataTest, SpecAddsTheDataFilesAsReadOnly) {
  fs::create_directories(base_ / "task" / "starter");
  WriteFileAtomic((base_ / "task" / "starter" / "train.py").string(), "print(1)\n");
  Json j = {{"run", {"python3", "train.py"}},
            {"eval", {"python3", "{task}/eval.py", "{hidden}/test_labels.csv"}},
            {"prepared_data", {{"dataset", "toy"}, {"target_column", "y"}, {"split_seed", 3}}}};
  WorkspaceSpec w = ParseWorkspaceSpec(JsonReader(j, "task.json"), (base_ / "task").string());
  ASSERT_TRUE(w.prepared_data.has_value());
  EXPECT_EQ(w.prepared_data->split_seed, 3u);
  EXPECT_EQ(w.read_only, (std::vector<std::string>{"data/train.csv", "data/valid_features.csv",
                                                   "data/test_features.csv"}));
  EXPECT_EQ(w.eval_command[2], "{hidden}/test_labels.csv");  // filled in per episode

  std::string ws = (base_ / "episode").string();
  PrepareEpisodeWorkspace("toy_py", w, (base_ / "data").string(), ws, -1);
  EXPECT_TRUE(fs::is_regular_file(ws + "/train.py"));
  EXPECT_TRUE(fs::is_regular_file(ws + "/data/valid_features.csv"));
  EXPECT_EQ(fs::status(ws + "/data/valid_features.csv").permissions() & fs::perms::owner_write,
            fs::perms::none);

  Json bad = j;
  bad["prepared_data"]["valid_fraction"] = 0.9;
  EXPECT_THROW(ParseWorkspaceSpec(JsonReader(bad, "task.json"), (base_ / "task").string()), Error);
  EXPECT_EQ(HiddenDirFor("/r/workspaces/ep/"), "/r/workspaces/ep.hidden");
}

}  // namespace
}  // namespace ctxbench
