#include "tasks/mlebench_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"
#include "tasks/competition_grade.h"
#include "tasks/csv.h"
#include "tasks/task_spec.h"

namespace ctxbench {
namespace {
namespace fs = std::filesystem;

// A small competition in MLE-bench's prepared layout: <root>/toy-comp/prepared
// with public/ and private/, and leaderboard.csv one folder up.
std::string MakeCompetition(const ScratchDir& scratch, int train_rows, int test_rows) {
  fs::path comp = scratch.path() / "toy-comp";
  fs::path pub = comp / "prepared" / "public", priv = comp / "prepared" / "private";
  fs::create_directories(pub);
  fs::create_directories(priv);
  std::string train = "id,x,a,b\n", test = "id,x\n", answers = "id,x,a,b\n", sample = "id,a,b\n";
  for (int i = 1; i <= train_rows; ++i) {
    train += std::to_string(i) + "," + std::to_string(i % 7) + "," + std::to_string(i % 3) + "," +
             std::to_string(i % 5) + "\n";
  }
  for (int i = 1; i <= test_rows; ++i) {
    test += std::to_string(i) + "," + std::to_string(i % 7) + "\n";
    answers += std::to_string(i) + "," + std::to_string(i % 7) + ",1,2\n";
    sample += std::to_string(i) + ",0.5,0.5\n";
  }
  WriteFileAtomic((pub / "train.csv").string(), train);
  WriteFileAtomic((pub / "test.csv").string(), test);
  WriteFileAtomic((pub / "sample_submission.csv").string(), sample);
  WriteFileAtomic((pub / "description.md").string(), "# Toy\nPredict a and b.\n");
  WriteFileAtomic((priv / "test.csv").string(), answers);
  std::string board = "teamName,score\n";
  for (int i = 1; i <= 20; ++i)
    board += "t" + std::to_string(i) + "," + std::to_string(0.01 * i) + "\n";
  WriteFileAtomic((comp / "leaderboard.csv").string(), board);
  return (comp / "prepared").string();
}

TEST(MlebenchImportTest, WritesAWorkspaceTaskWithoutTheAnswersInTheStarter) {
  ScratchDir scratch;
  MlebenchImportOptions o;
  o.prepared_dir = MakeCompetition(scratch, 50, 12);
  o.metric = "mean-column-wise-rmsle";
  o.to_dir = scratch.Path("task");
  MlebenchImport r = ImportMlebench(o);
  EXPECT_EQ(r.task_name, "toy-comp");
  EXPECT_EQ(r.valid_rows, 10u);
  EXPECT_EQ(r.train_rows, 40u);
  EXPECT_EQ(r.test_rows, 12u);
  EXPECT_EQ(r.teams, 20u);

  TaskSpec task = LoadTaskSpec(scratch.Path("task/task.json"));
  EXPECT_TRUE(task.is_workspace());
  EXPECT_EQ(task.metric, "mean-column-wise-rmsle");
  EXPECT_FALSE(task.higher_is_better);
  EXPECT_EQ(task.workspace.eval_command[1], "grade");

  // The starter: public files, the validation slice without targets, no answers.
  CsvTable valid = ReadCsvFile(scratch.Path("task/starter/public/valid.csv"));
  EXPECT_EQ(valid.header, (std::vector<std::string>{"id", "x"}));
  EXPECT_EQ(ReadCsvFile(scratch.Path("task/starter/public/train.csv")).rows.size(), 40u);
  for (auto it = fs::recursive_directory_iterator(scratch.Path("task/starter")); it != fs::end(it);
       ++it) {
    if (it->is_regular_file()) {
      EXPECT_EQ(ReadFile(it->path().string()).find("id,x,a,b\n1,1,1,2"), std::string::npos)
          << it->path();
    }
  }
  // The hidden side: answers, the slice's targets, the leaderboard and the spec.
  CsvTable valid_answers = ReadCsvFile(scratch.Path("task/hidden/valid_answers.csv"));
  EXPECT_EQ(valid_answers.header, (std::vector<std::string>{"id", "a", "b"}));
  EXPECT_EQ(valid_answers.rows.size(), 10u);
  EXPECT_EQ(ReadCsvFile(scratch.Path("task/hidden/answers.csv")).rows.size(), 12u);
  CompetitionSpec spec = CompetitionSpec::FromJson(
      ParseJson(ReadFile(scratch.Path("task/hidden/competition.json")), "competition.json"),
      "competition.json");
  EXPECT_EQ(spec.target_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ReadLeaderboardScores(scratch.Path("task/hidden/leaderboard.csv")).size(), 20u);

  // A second import into the same folder is refused.
  EXPECT_THROW(ImportMlebench(o), Error);
}

TEST(MlebenchImportTest, RefusesWhatItCannotGrade) {
  ScratchDir scratch;
  MlebenchImportOptions o;
  o.prepared_dir = MakeCompetition(scratch, 50, 5);
  o.to_dir = scratch.Path("task");
  EXPECT_THROW(ImportMlebench(o), Error);  // toy-comp has no known metric
  o.metric = "bleu";
  EXPECT_THROW(ImportMlebench(o), Error);
  o.metric = "rmse";
  o.leaderboard = scratch.Path("missing.csv");
  EXPECT_THROW(ImportMlebench(o), Error);
  o.leaderboard.clear();
  o.prepared_dir = scratch.Path();
  EXPECT_THROW(ImportMlebench(o), Error);  // no public/ and private/
  EXPECT_FALSE(fs::exists(scratch.Path("task/task.json")));
  EXPECT_EQ(KnownCompetitionMetric("nomad2018-predict-transparent-conductors"),
            "mean-column-wise-rmsle");
}

}  // namespace
}  // namespace ctxbench
