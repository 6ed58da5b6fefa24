#include "core/json_limits.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

std::string Nested(int depth, char open, char close) {
  return std::string(static_cast<size_t>(depth), open) +
         std::string(static_cast<size_t>(depth), close);
}

TEST(JsonNestingDepthTest, CountsArraysAndObjects) {
  EXPECT_EQ(JsonNestingDepth("1", 10), 0);
  EXPECT_EQ(JsonNestingDepth("[1, [2], {\"a\": [3]}]", 10), 3);
  EXPECT_EQ(JsonNestingDepth(Nested(7, '[', ']'), 10), 7);
  EXPECT_EQ(JsonNestingDepth("{\"a\":{\"b\":{}}}", 10), 3);
}

TEST(JsonNestingDepthTest, StopsOncePastTheLimit) {
  EXPECT_EQ(JsonNestingDepth(Nested(200000, '[', ']'), 64), 65);
  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  EXPECT_EQ(JsonNestingDepth(objects, 64), 65);  // unterminated: still counted, no crash
}

TEST(JsonNestingDepthTest, BracketsInsideStringsDoNotCount) {
  std::string deep_string = "\"" + Nested(100000, '[', ']') + "\"";
  EXPECT_EQ(JsonNestingDepth(deep_string, 64), 0);
  EXPECT_EQ(JsonNestingDepth("{\"k\": \"" + Nested(1000, '{', '}') + "\"}", 64), 1);
}

TEST(JsonNestingDepthTest, EscapedQuotesDoNotEndAString) {
  // "a\"[[[" is one string; the brackets after the escaped quote are inside it.
  EXPECT_EQ(JsonNestingDepth(R"(["a\"[[[[", 1])", 3), 1);
  // An escaped backslash does end before the quote: the quote closes the string.
  EXPECT_EQ(JsonNestingDepth(R"(["a\\", [[1]]])", 5), 3);
}

TEST(CheckJsonLimitsTest, NamesTheLimitPassed) {
  EXPECT_TRUE(CheckJsonLimits("[[1]]", 100, 2).ok());
  Status deep = CheckJsonLimits("[[[1]]]", 100, 2);
  EXPECT_FALSE(deep.ok());
  EXPECT_NE(deep.error().find("deeper than 2 levels"), std::string::npos) << deep.error();
  Status long_text = CheckJsonLimits("[1, 2, 3]", 4, 2);
  EXPECT_FALSE(long_text.ok());
  EXPECT_NE(long_text.error().find("over the limit of 4 bytes"), std::string::npos)
      << long_text.error();
}

TEST(ParseJsonWithinTest, ParsesWithinTheLimitsAndDiscardsPastThem) {
  Json ok = ParseJsonWithin(Nested(kMaxJsonDepth, '[', ']'));
  ASSERT_FALSE(ok.is_discarded());
  EXPECT_TRUE(ok.is_array());

  std::string why;
  Json deep = ParseJsonWithin(Nested(200000, '[', ']'), kMaxJsonDepth, &why);
  EXPECT_TRUE(deep.is_discarded());
  EXPECT_NE(why.find("deeper than " + std::to_string(kMaxJsonDepth)), std::string::npos);

  Json bad = ParseJsonWithin("{\"a\": ", kMaxJsonDepth, &why);
  EXPECT_TRUE(bad.is_discarded());
  EXPECT_EQ(why, "");  // malformed, within the limits
}

TEST(ParseJsonTest, RefusesStoredJsonPastTheStoredDepth) {
  EXPECT_NO_THROW(ParseJson(Nested(kMaxStoredJsonDepth, '[', ']'), "x.json"));
  try {
    ParseJson(Nested(150000, '{', '}'), "x.json");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("x.json: JSON nested deeper than"), std::string::npos);
  }
}

TEST(ReadJsonInputTest, RefusesADeepFileInOneLine) {
  ScratchDir dir;
  std::string path = dir.Path("config.json");
  std::ofstream(path) << "{\"name\": " << Nested(150000, '[', ']') << "}";
  try {
    ReadJsonInput(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_NE(what.find(path + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth)),
              std::string::npos);
  }
  std::ofstream(path, std::ios::trunc) << "{\"name\": [[1]]}";
  EXPECT_EQ(ReadJsonInput(path)["name"][0][0], 1);
}

TEST(ReadJsonInputTest, RefusesAFileOverTheSizeLimit) {
  ScratchDir dir;
  std::string path = dir.Path("big.json");
  {
    std::ofstream out(path);
    out << "[\"" << std::string(kMaxJsonFileBytes, 'x') << "\"]";
  }
  try {
    ReadJsonInput(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("over the limit"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctxbench
