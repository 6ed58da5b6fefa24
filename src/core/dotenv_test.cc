#include "core/dotenv.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace ctxbench {
namespace {

TEST(DotenvTest, ParsesQuotesCommentsAndExport) {
  auto vars = ParseDotenv(
      "# comment\nexport A=1\nB = 'two words'\nC=\"x=y\"\nD=plain # trailing\n\n", ".env");
  EXPECT_EQ(vars.at("A"), "1");
  EXPECT_EQ(vars.at("B"), "two words");
  EXPECT_EQ(vars.at("C"), "x=y");
  EXPECT_EQ(vars.at("D"), "plain");
}

TEST(DotenvTest, MalformedLineNamesLineButNotItsContent) {
  try {
    ParseDotenv("A=1\nsk-secret-value\n", ".env");
    FAIL();
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(".env:2"), std::string::npos);
    EXPECT_EQ(what.find("sk-secret"), std::string::npos);
  }
}

TEST(DotenvTest, EnvironmentWinsOverFile) {
  auto path = std::filesystem::temp_directory_path() / "ctxbench_dotenv_test.env";
  std::ofstream(path) << "CTXBENCH_T_KEEP=file\nCTXBENCH_T_NEW=file\n";
  ::setenv("CTXBENCH_T_KEEP", "env", 1);
  ::unsetenv("CTXBENCH_T_NEW");
  EXPECT_EQ(LoadDotenv(path.string()), 1);
  EXPECT_STREQ(std::getenv("CTXBENCH_T_KEEP"), "env");
  EXPECT_STREQ(std::getenv("CTXBENCH_T_NEW"), "file");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ctxbench
