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

// RFC 4180 section 2, rule by rule.
TEST(CsvRfc4180Test, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  CsvTable t = ParseCsv("a,b,c\r\n\"1,5\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n", "f.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1,5", "say \"hi\"", "two\r\nlines"}));
}

TEST(CsvRfc4180Test, LastRecordMayLackALineBreak) {
  EXPECT_EQ(ParseCsv("a,b\r\n1,2", "f.csv").rows[0], (std::vector<std::string>{"1", "2"}));
  // A quoted empty cell is a value, even as the last, unterminated line.
  CsvTable one = ParseCsv("a\nx\n\"\"", "f.csv");
  ASSERT_EQ(one.rows.size(), 2u);
  EXPECT_EQ(one.rows[1][0], "");
}

TEST(CsvRfc4180Test, EmptyFieldsAndSpacesArePartOfTheField) {
  CsvTable t = ParseCsv("a,b,c\n, x ,\"\"\n", "f.csv");
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"", " x ", ""}));
}

TEST(CsvRfc4180Test, AQuoteInsideAnUnquotedFieldIsLiteral) {
  // Once read as the start of a quoted field, it swallowed the rest of the file.
  CsvTable t = ParseCsv("size,n\n5\"4,1\n6,2\n", "f.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"5\"4", "1"}));
}

TEST(CsvRfc4180Test, TextAfterAClosingQuoteIsAnErrorNamingTheLine) {
  try {
    ParseCsv("a,b\n1,2\n\"x\"y,3\n", "f.csv");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("f.csv: line 3"), std::string::npos) << e.what();
  }
}

TEST(CsvTest, CsvLineRoundTrips) {
  std::vector<std::string> cells = {"plain", "a,b", "say \"hi\"", "", "cr\r\nlf", "q\"mid"};
  CsvTable t = ParseCsv("u,v,w,x,y,z\n" + CsvLine(cells), "f.csv");
  EXPECT_EQ(t.rows[0], cells);
}

}  // namespace
}  // namespace ctxbench
