#include "core/json.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(JsonReaderTest, ReadsTypedFields) {
  Json j = ParseJson(R"({"a": 1, "b": "x", "c": [1, 2], "d": true, "e": 2.5})", "t.json");
  JsonReader r(j, "t.json");
  EXPECT_EQ(r.Int("a"), 1);
  EXPECT_EQ(r.String("b"), "x");
  EXPECT_EQ(r.Child("c").Size(), 2u);
  EXPECT_TRUE(r.Bool("d", false));
  EXPECT_DOUBLE_EQ(r.Number("e"), 2.5);
  EXPECT_EQ(r.Int("missing", 7), 7);
}

TEST(JsonReaderTest, ErrorsNameTheJsonPath) {
  Json j = ParseJson(R"({"budget": {"tokens": "many"}})", "config.json");
  JsonReader r(j, "config.json");
  try {
    r.Child("budget").Int("tokens");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "config.json: $.budget.tokens: expected an integer");
    EXPECT_EQ(e.exit_code(), 2);
  }
}

TEST(JsonReaderTest, RejectsUnknownFields) {
  Json j = ParseJson(R"({"name": "x", "nmae": "y"})", "c.json");
  JsonReader r(j, "c.json");
  EXPECT_THROW(r.RejectUnknown({"name"}), Error);
  EXPECT_NO_THROW(r.RejectUnknown({"name", "nmae"}));
}

TEST(JsonReaderTest, MalformedJsonNamesSourceAndOffset) {
  try {
    ParseJson("{\"a\": ", "bad.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json: malformed JSON at byte"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctxbench
