// Golden-file tests of the Markdown and CSV writers on the fixed golden run,
// and structural checks of the HTML page. To accept intended changes, run the
// tests with CTXBENCH_UPDATE_GOLDEN=1 and review the diff of testdata/.
#include "report/report_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/file.h"
#include "core/source_dir.h"
#include "report/report_tables.h"
#include "report/test_run.h"

namespace ctxbench {
namespace {

using report_test::GoldenEpisodes;
using report_test::MakeRunFolder;
using report_test::ScratchDir;

std::string Render(const ReportWriter& writer, const Report& report) {
  std::ostringstream out;
  writer.Write(report, out);
  return out.str();
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  std::string path = SourceDir() + "/src/report/testdata/" + name;
  if (std::getenv("CTXBENCH_UPDATE_GOLDEN")) {
    WriteFileAtomic(path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << path << " missing; run with CTXBENCH_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, ReadFile(path))
      << "differs from " << path << " (CTXBENCH_UPDATE_GOLDEN=1 rewrites it)";
}

class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    report_ = BuildReport(LoadRunData(MakeRunFolder(dir_.Path(), GoldenEpisodes())));
  }
  ScratchDir dir_;
  Report report_;
};

TEST_F(GoldenTest, Markdown) {
  ExpectGolden("golden_report.md", Render(*MakeMarkdownWriter(), report_));
}
TEST_F(GoldenTest, ResultsCsv) {
  ExpectGolden("golden_results.csv", Render(*MakeResultsCsvWriter(), report_));
}
TEST_F(GoldenTest, AggregateCsv) {
  ExpectGolden("golden_aggregate.csv", Render(*MakeAggregateCsvWriter(), report_));
}

// A run written before events held the whole outcome (no op.stop; each
// episode's hand-made outcome_json is what the readers use) gives the same
// report files as the same episodes logged as real episodes log them.
TEST(GoldenOldFormatTest, TheOldRunFormatGivesTheSameFiles) {
  ScratchDir dir;
  Report old_format = BuildReport(
      LoadRunData(MakeRunFolder(dir.Path(), GoldenEpisodes(), report_test::RunFormat::kOld)));
  ExpectGolden("golden_report.md", Render(*MakeMarkdownWriter(), old_format));
  ExpectGolden("golden_results.csv", Render(*MakeResultsCsvWriter(), old_format));
  ExpectGolden("golden_aggregate.csv", Render(*MakeAggregateCsvWriter(), old_format));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST_F(GoldenTest, HtmlIsSelfContainedWithOneChartPerPanelInEachSection) {
  std::string html = Render(*MakeHtmlWriter(), report_);
  EXPECT_EQ(Count(html, "<script"), 1u);  // the inline table sorter, nothing loaded
  EXPECT_EQ(Count(html, "<script src"), 0u);
  // No external resources: the only other absolute links open episodes in
  // `ctxbench view` on this machine.
  EXPECT_EQ(Count(html, "http://") + Count(html, "https://"),
            Count(html, "xmlns=\"http://www.w3.org/2000/svg\"") +
                Count(html, "href=\"http://127.0.0.1:8765/#/run/"));
  EXPECT_EQ(Count(html, "class=\"chart-section\""), 5u);
  // One panel (toy · sim · agentic): the answer's figure and one per section.
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 6u);
  EXPECT_EQ(Count(html, "<table class=\"sortable ranked\">"), 1u);
  EXPECT_LT(html.find("id=\"answer\""), html.find("<details>"));  // the answer comes first
  EXPECT_NE(html.find("built-in sim experimenter"), std::string::npos);
  EXPECT_NE(html.find("toy · model sim (built-in sim experimenter, not an LLM) · agentic"),
            std::string::npos);
  // Episodes link to their page in the viewer (docs/viewer.md#deep-links).
  EXPECT_NE(html.find("href=\"http://127.0.0.1:8765/#/run/" + std::string(report_test::kRunId) +
                      "/episode/toy.window2.sim.agentic.s3\""),
            std::string::npos);
}

TEST_F(GoldenTest, WriteReportWritesEveryFile) {
  std::vector<std::string> paths = WriteReport(report_.run.dir);
  ASSERT_EQ(paths.size(), 4u);
  for (const char* name : {"report.md", "report.html", "results.csv", "aggregate.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(report_.run.dir) / name)) << name;
  }
}

// `ctxbench report` reads a run folder and never writes its store: the
// results.db bytes and mtime are as before, and no -wal, -shm or -journal
// file appears beside it (a read-write open would switch it to WAL and write
// user_version).
TEST(ReportTest, WriteReportLeavesResultsDbBytesAndMtimeUnchanged) {
  namespace fs = std::filesystem;
  ScratchDir dir;
  std::string run_dir = MakeRunFolder(dir.Path(), GoldenEpisodes());
  fs::path db = fs::path(run_dir) / "results.db";
  ASSERT_TRUE(fs::exists(db));
  std::string bytes = ReadFile(db.string());
  fs::file_time_type mtime = fs::last_write_time(db);
  std::vector<std::string> paths = WriteReport(run_dir);
  EXPECT_EQ(paths.size(), 4u);
  EXPECT_EQ(ReadFile(db.string()), bytes);
  EXPECT_EQ(fs::last_write_time(db), mtime);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(fs::exists(db.string() + suffix)) << suffix;
  }
}

// The report of a run with errored episodes: every table has the errors,
// and apart from the errors columns shows what the run without them shows.
TEST(ReportTest, ErroredEpisodesAreCountedInEveryTableAndInNoNumber) {
  ScratchDir dir;
  auto eps = report_test::GoldenEpisodesWithErrors();
  auto without_errors = eps;
  std::erase_if(without_errors, [](const report_test::SyntheticEpisode& e) { return e.errored; });
  Report with = BuildReport(LoadRunData(MakeRunFolder(dir.Path() + "/with", eps)));
  Report without = BuildReport(LoadRunData(MakeRunFolder(dir.Path() + "/without", without_errors)));
  // Drops the column named `name` from every row.
  auto drop = [](TextTable t, const std::string& name) {
    size_t i = std::find(t.headers.begin(), t.headers.end(), name) - t.headers.begin();
    EXPECT_LT(i, t.headers.size()) << name;
    t.headers.erase(t.headers.begin() + i);
    for (auto& row : t.rows) row.erase(row.begin() + i);
    return t;
  };
  TextTable outcome = OutcomeTable(with);
  ASSERT_EQ(outcome.rows.size(), 2u);
  EXPECT_EQ(outcome.headers[5], "errors");
  EXPECT_EQ(outcome.rows[0][5], "2");  // full: seeds 4 and 5
  EXPECT_EQ(outcome.rows[1][5], "1");  // window2: seed 4
  for (auto table : {OutcomeTable, EfficiencyTable}) {
    TextTable a = drop(table(with), "errors"), b = drop(table(without), "errors");
    EXPECT_EQ(a.headers, b.headers);
    EXPECT_EQ(a.rows, b.rows);
  }
  TextTable comparison = ComparisonTable(with);
  ASSERT_EQ(comparison.rows.size(), 1u);
  EXPECT_EQ(comparison.headers[5], "dropped pairs");
  EXPECT_EQ(comparison.rows[0][5], "2");
  EXPECT_EQ(drop(comparison, "dropped pairs").rows,
            drop(ComparisonTable(without), "dropped pairs").rows);

  std::string md = Render(*MakeMarkdownWriter(), with);
  EXPECT_NE(md.find("3 of 10 finished episodes errored"), std::string::npos) << md;
  EXPECT_NE(md.find("toy (sim, agentic, full) 2, toy (sim, agentic, window2) 1"), std::string::npos)
      << md;
  EXPECT_NE(md.find("(complete, 10/10 episodes done, 3 errors, 0 unfinished)"), std::string::npos)
      << md;
  // results.csv keeps every episode with its status and error.
  std::string csv = Render(*MakeResultsCsvWriter(), with);
  EXPECT_EQ(Count(csv, "\n"), 11u);            // header + 10 episodes
  EXPECT_EQ(Count(csv, ",error,error,"), 3u);  // status, stop rule
  EXPECT_EQ(Count(csv, "HTTP 401 Unauthorized"), 3u);
  std::string html = Render(*MakeHtmlWriter(), with);
  EXPECT_NE(html.find("/episode/toy.full.sim.agentic.s4\""), std::string::npos);
  EXPECT_NE(html.find("3 of 10 finished episodes errored"), std::string::npos);
}

// A value that was never measured is an empty cell, never 0 (on an MAE task 0
// would read as a perfect score).
TEST(ReportTest, MissingValuesAreEmptyNeverZero) {
  ScratchDir dir;
  std::vector<report_test::SyntheticEpisode> eps = GoldenEpisodes();
  eps[0].hidden_test_ran = false;
  Report r = BuildReport(LoadRunData(MakeRunFolder(dir.Path(), eps)));
  std::string csv = Render(*MakeResultsCsvWriter(), r);
  std::istringstream lines(csv);
  std::string header, row;
  std::getline(lines, header);
  std::vector<std::string> names, cells;
  for (std::istringstream h(header); std::getline(h, row, ',');) names.push_back(row);
  size_t col = std::find(names.begin(), names.end(), "test_metric") - names.begin();
  ASSERT_LT(col, names.size());
  std::string id = eps[0].key.Id();
  bool found = false;
  while (std::getline(lines, row)) {
    if (row.rfind(id + ",", 0) != 0) continue;
    found = true;
    cells.clear();
    for (std::istringstream c(row); std::getline(c, header, ',');) cells.push_back(header);
    cells.resize(names.size());
    EXPECT_EQ(cells[col], "") << row;
  }
  EXPECT_TRUE(found);
  // The group's mean hidden test metric is over the episodes whose test ran.
  const GroupStats& g = r.groups[0];
  EXPECT_EQ(g.tested, g.episodes - 1);
  std::string aggregate = Render(*MakeAggregateCsvWriter(), r);
  EXPECT_EQ(aggregate.find(",nan"), std::string::npos);
  TextTable outcome = OutcomeTable(r);
  for (const auto& cells_row : outcome.rows) {
    for (const std::string& cell : cells_row) EXPECT_NE(cell, "n/a");
  }
}

TEST(ReportTest, MissingControlFallsBackToFirstPolicyAndSaysSo) {
  ScratchDir dir;
  ReportOptions options;
  options.control_policy = "state";
  Report r = BuildReport(LoadRunData(MakeRunFolder(dir.Path(), GoldenEpisodes())), options);
  EXPECT_EQ(r.control, "full");
  EXPECT_NE(r.control_note.find("no episodes of policy 'state'"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
