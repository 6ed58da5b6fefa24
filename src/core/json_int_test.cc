#include "core/json_int.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

long long Read(const std::string& text, long long lo, long long hi) {
  Json j = ParseJson(text, "test");
  return IntInRange(JsonReader(j, "c.json"), "n", lo, hi);
}

std::string Failure(const std::string& text, long long lo, long long hi) {
  try {
    Read(text, lo, hi);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  ADD_FAILURE() << text << " was accepted";
  return "";
}

TEST(IntInRangeTest, ReadsValuesInRange) {
  EXPECT_EQ(Read(R"({"n": 1})", 1, 1000), 1);
  EXPECT_EQ(Read(R"({"n": 1000})", 1, 1000), 1000);
  EXPECT_EQ(Read(R"({"n": -5})", -10, 10), -5);
}

TEST(IntInRangeTest, ValuesThatWouldWrapAreErrorsNamingTheField) {
  // 2^32 + 1 narrowed to int is 1; 2^64 - 1 read as long long is -1.
  for (const char* text :
       {R"({"n": 4294967297})", R"({"n": 18446744073709551615})", R"({"n": 9223372036854775808})",
        R"({"n": -9223372036854775808})", R"({"n": 0})", R"({"n": 1001})"}) {
    std::string what = Failure(text, 1, 1000);
    EXPECT_NE(what.find("c.json: $.n"), std::string::npos) << what;
    EXPECT_NE(what.find("[1, 1000]"), std::string::npos) << what;
  }
}

TEST(IntInRangeTest, NonIntegersAreErrors) {
  for (const char* text : {R"({"n": 1.5})", R"({"n": "3"})", R"({"n": true})"}) {
    EXPECT_NE(Failure(text, 1, 1000).find("$.n"), std::string::npos);
  }
}

TEST(IntInRangeTest, MissingFieldTakesTheFallback) {
  Json j = ParseJson("{}", "test");
  EXPECT_EQ(IntInRange(JsonReader(j, "c"), "n", 1, 10, 7), 7);
}

}  // namespace
}  // namespace ctxbench
