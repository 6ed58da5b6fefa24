#include "core/json_field.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(ReadJsonFieldTest, MissingOrNullLeavesTheTargetAndAPresentFieldSetsIt) {
  Json j = {{"n", 3}, {"none", nullptr}};
  int n = 7, none = 7, absent = 7;
  ReadJsonField(j, "n", n, "here");
  ReadJsonField(j, "none", none, "here");
  ReadJsonField(j, "absent", absent, "here");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(none, 7);
  EXPECT_EQ(absent, 7);
  std::optional<double> x, y;
  ReadJsonField(j, "n", x, "here");
  ReadJsonField(j, "none", y, "here");
  EXPECT_EQ(x, 3.0);
  EXPECT_FALSE(y.has_value());
  int from_array = 7;
  ReadJsonField(Json::array({1}), "n", from_array, "here");
  EXPECT_EQ(from_array, 7);
}

TEST(ReadJsonFieldTest, AWrongTypeIsAnInputErrorNamingWhereAndTheField) {
  Json j = {{"n", "three"}};
  int n = 0;
  try {
    ReadJsonField(j, "n", n, "event data");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    EXPECT_NE(std::string(e.what()).find("event data"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'n' has the wrong type"), std::string::npos) << e.what();
  }
  std::optional<int> o;
  try {
    ReadJsonField(j, "n", o, "outcome.json", "outcome field ", "n.inner");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("outcome field 'n.inner' has the wrong type"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(o.has_value());
}

}  // namespace
}  // namespace ctxbench
