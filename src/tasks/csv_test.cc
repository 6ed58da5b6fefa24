#include "tasks/csv.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(CsvTest, ParsesQuotesEmptyCellsAndCrlf) {
  CsvTable t = ParseCsv("a,b,c\r\n1,\"x, \"\"y\"\"\",\r\n\"multi\nline\",,3\n", "f.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1", "x, \"y\"", ""}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"multi\nline", "", "3"}));
  EXPECT_EQ(t.ColumnIndex("c"), 2);
  EXPECT_EQ(t.ColumnIndex("z"), -1);
}

TEST(CsvTest, NoTrailingNewlineAndBlankLines) {
  CsvTable t = ParseCsv("\xEF\xBB\xBFh1,h2\n\n1,2", "f.csv");
  EXPECT_EQ(t.header[0], "h1");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][1], "2");
}

TEST(CsvTest, RaggedRowsAndOpenQuotesAreErrors) {
  try {
    ParseCsv("a,b\n1,2\n3\n", "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "f.csv: data row 2: expected 2 cells, got 1");
  }
  EXPECT_THROW(ParseCsv("a\n\"open\n", "f.csv"), Error);
  EXPECT_THROW(ParseCsv("", "f.csv"), Error);
}

TEST(CsvTest, CsvLineRoundTrips) {
  std::vector<std::string> cells = {"plain", "a,b", "say \"hi\"", ""};
  CsvTable t = ParseCsv("w,x,y,z\n" + CsvLine(cells), "f.csv");
  EXPECT_EQ(t.rows[0], cells);
}

}  // namespace
}  // namespace ctxbench
