#include "tasks/dataset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"
#include "tasks/csv.h"
#include "tasks/synthetic_data.h"

namespace ctxbench {
namespace {

TaskSpec CsvTask(const std::string& folder, Problem problem, const std::string& metric) {
  Json j = {{"name", "t"},
            {"description", "d"},
            {"data", {{"kind", "csv"}, {"path", "data.csv"}}},
            {"target_column", "y"},
            {"drop_columns", {"id"}},
            {"problem", problem == Problem::kRegression ? "regression" : "multiclass"},
            {"metric", metric},
            {"knobs", {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 6}}}},
            {"baseline", {{"max_depth", 2}}}};
  return TaskSpecFromJson(j, "t.json", folder);
}

TEST(DatasetTest, CategoricalsBecomeCodesAndEmptyCellsNaN) {
  std::string csv = "id,island,mass,y\n";
  const char* islands[] = {"Biscoe", "Dream", "", "Biscoe", "Torgersen"};
  const char* species[] = {"b", "a", "c", "a", "c"};
  for (int r = 0; r < 20; ++r) {
    csv += std::to_string(r) + "," + islands[r % 5] + "," + (r % 7 == 3 ? "" : std::to_string(r)) +
           "," + species[r % 5] + "\n";
  }
  csv += "99,Dream,5,\n";  // missing target: skipped
  Dataset d = DatasetFromCsv(ParseCsv(csv, "p.csv"), CsvTask(".", Problem::kMulticlass, "accuracy"),
                             "p.csv");
  EXPECT_EQ(d.rows, 20u);
  EXPECT_EQ(d.cols, 2u);
  EXPECT_EQ(d.feature_names, (std::vector<std::string>{"island", "mass"}));
  EXPECT_EQ(d.categories[0], (std::vector<std::string>{"Biscoe", "Dream", "Torgersen"}));
  EXPECT_TRUE(d.categories[1].empty());
  EXPECT_EQ(d.x[0], 0.0f);                  // Biscoe
  EXPECT_EQ(d.x[2], 1.0f);                  // Dream
  EXPECT_TRUE(std::isnan(d.x[4]));          // empty island
  EXPECT_TRUE(std::isnan(d.x[3 * 2 + 1]));  // empty mass on row 3
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(d.y[0], 1.0f);  // "b"
}

TEST(DatasetTest, ErrorsNameTheFileAndColumn) {
  ScratchDir scratch;
  std::string dir = scratch.Path();
  TaskSpec t = CsvTask(dir, Problem::kRegression, "mae");
  try {
    LoadTaskData(t, "", 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/data.csv: task t: data file not found"),
              std::string::npos);
  }
  WriteFileAtomic(dir + "/data.csv", "id,a,z\n1,2,3\n");
  EXPECT_THROW(LoadTaskData(t, "", 1), Error);  // no target column y
  std::string rows = "id,a,y\n";
  for (int i = 0; i < 12; ++i) rows += "1,2,x\n";
  WriteFileAtomic(dir + "/data.csv", rows);
  EXPECT_THROW(LoadTaskData(t, "", 1), Error);  // regression target not a number
}

TEST(DatasetTest, PreparedDataMissingNamesTheCommand) {
  Json j = {{"name", "nomad"},
            {"description", "d"},
            {"data", {{"kind", "prepared"}, {"path", "nomad"}}},
            {"target_column", "y"},
            {"problem", "regression"},
            {"metric", "mae"},
            {"knobs", {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 6}}}},
            {"baseline", {{"max_depth", 2}}}};
  TaskSpec t = TaskSpecFromJson(j, "t.json", ".");
  try {
    LoadTaskData(t, "/nonexistent/data", 1);
    FAIL();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("/nonexistent/data/nomad/train.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ctxbench data prepare nomad --raw DIR"), std::string::npos) << msg;
  }
}

TEST(DatasetTest, SyntheticDataIsSeededAndBalanced) {
  Dataset a = MakeClassificationData(400, 12, 2, 7);
  Dataset b = MakeClassificationData(400, 12, 2, 7);
  Dataset c = MakeClassificationData(400, 12, 2, 8);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_NE(a.x, c.x);
  double ones = 0;
  for (float y : a.y) ones += y;
  EXPECT_NEAR(ones / 400, 0.5, 0.06);
  Dataset m = MakeClassificationData(300, 8, 3, 1);
  std::set<float> classes(m.y.begin(), m.y.end());
  EXPECT_EQ(classes.size(), 3u);
}

TEST(DatasetTest, SplitIsDeterministicStratifiedAndDisjoint) {
  Dataset d = MakeClassificationData(500, 6, 2, 3);
  Splits s1 = SplitDataset(d, 0.2, 0.2, 11);
  Splits s2 = SplitDataset(d, 0.2, 0.2, 11);
  Splits s3 = SplitDataset(d, 0.2, 0.2, 12);
  EXPECT_EQ(s1.valid.x, s2.valid.x);
  EXPECT_EQ(SplitsFingerprint(s1), SplitsFingerprint(s2));
  EXPECT_NE(SplitsFingerprint(s1), SplitsFingerprint(s3));
  EXPECT_EQ(s1.train.rows + s1.valid.rows + s1.test.rows, 500u);
  EXPECT_EQ(s1.valid.rows, 100u);
  EXPECT_EQ(s1.test.rows, 100u);
  double ones = 0;
  for (float y : s1.valid.y) ones += y;
  double all = 0;
  for (float y : d.y) all += y;
  EXPECT_NEAR(ones / 100, all / 500, 0.011);
  // Rows are disjoint: every row's first value appears in exactly one part.
  std::multiset<float> seen;
  for (const Dataset* p : {&s1.train, &s1.valid, &s1.test}) {
    for (size_t i = 0; i < p->rows; ++i) seen.insert(p->x[i * p->cols]);
  }
  for (size_t i = 0; i < d.rows; ++i) EXPECT_EQ(seen.count(d.x[i * d.cols]), 1u);
}

TEST(DatasetTest, TooFewRowsToSplitIsAnError) {
  Dataset d = MakeClassificationData(20, 4, 2, 1);
  EXPECT_THROW(SplitDataset(d, 0.01, 0.01, 1), Error);
}

TEST(DatasetTest, DefaultDataDir) {
  ::setenv("CTXBENCH_DATA_DIR", "/d", 1);
  EXPECT_EQ(DefaultDataDir(), "/d");
  ::unsetenv("CTXBENCH_DATA_DIR");
  EXPECT_EQ(DefaultDataDir(), "./data");
}

}  // namespace
}  // namespace ctxbench
