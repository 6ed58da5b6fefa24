#include "llm/openai/openai_options.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

OpenAiOptions Read(Json params) {
  params["model"] = "gpt-4o-mini";
  return ReadOpenAiOptions(JsonReader(params, "config.json", "$.models[0]"));
}

TEST(OpenAiOptionsTest, StructuredOutputDefaultsOnStrictToolsOff) {
  OpenAiOptions o = Read(Json::object());
  EXPECT_EQ(o.response_format, "json_schema");
  EXPECT_FALSE(o.strict_tools);
  o = Read({{"response_format", "none"}, {"strict_tools", true}});
  EXPECT_EQ(o.response_format, "none");
  EXPECT_TRUE(o.strict_tools);
  EXPECT_EQ(Read({{"response_format", "json_object"}}).response_format, "json_object");
}

TEST(OpenAiOptionsTest, UnknownResponseFormatIsAnInputError) {
  try {
    Read({{"response_format", "xml"}});
    FAIL() << "accepted response_format xml";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("response_format"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Read({{"strict_tools", "yes"}}), Error);
}

}  // namespace
}  // namespace ctxbench
