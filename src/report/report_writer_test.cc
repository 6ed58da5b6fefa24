// Golden-file tests of the Markdown and CSV writers on the fixed golden run,
// and structural checks of the HTML page. To accept intended changes, run the
// tests with CTXBENCH_UPDATE_GOLDEN=1 and review the diff of testdata/.
#include "core/source_dir.h"
#include "report/report_writer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/file.h"
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

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST_F(GoldenTest, HtmlIsSelfContainedWithOneChartPerPanelInEachSection) {
  std::string html = Render(*MakeHtmlWriter(), report_);
  EXPECT_EQ(Count(html, "<script"), 0u);
  EXPECT_EQ(Count(html, "http://") + Count(html, "https://"),
            Count(html, "xmlns=\"http://www.w3.org/2000/svg\""));  // no external resources
  EXPECT_EQ(Count(html, "class=\"chart-section\""), 5u);
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 5u);  // one panel: toy · sim · agentic
  EXPECT_NE(html.find("built-in sim experimenter"), std::string::npos);
  EXPECT_NE(html.find("toy · model sim (built-in sim experimenter, not an LLM) · agentic"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"traces/toy.window2.sim.agentic.s3.jsonl\""), std::string::npos);
}

TEST_F(GoldenTest, WriteReportWritesEveryFile) {
  std::vector<std::string> paths = WriteReport(report_.run.dir);
  ASSERT_EQ(paths.size(), 4u);
  for (const char* name : {"report.md", "report.html", "results.csv", "aggregate.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(report_.run.dir) / name)) << name;
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
