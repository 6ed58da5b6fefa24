#include "datasets/kaggle_credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

// An environment made of a map, so the tests never read the real one.
EnvLookup MapEnv(const std::map<std::string, std::string>& vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

std::string ErrorOf(const EnvLookup& env) {
  try {
    FindKaggleCredentials(env);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

void WriteToken(const std::string& path, const std::string& text, mode_t mode) {
  WriteFileAtomic(path, text);
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST(KaggleCredentialsTest, EnvironmentWinsOverTheFile) {
  ScratchDir dir;
  WriteToken(dir.Path("kaggle.json"), R"({"username":"fileuser","key":"filekey"})", 0600);
  KaggleCredentials c = FindKaggleCredentials(MapEnv({{"KAGGLE_USERNAME", "envuser"},
                                                      {"KAGGLE_KEY", "envkey"},
                                                      {"KAGGLE_CONFIG_DIR", dir.Path()}}));
  EXPECT_EQ(c.username, "envuser");
  EXPECT_EQ(c.key, "envkey");
  EXPECT_EQ(c.source, "KAGGLE_USERNAME/KAGGLE_KEY");
}

TEST(KaggleCredentialsTest, ReadsKaggleJsonFromConfigDirThenHome) {
  ScratchDir dir;
  std::string conf = dir.Path("conf");
  std::filesystem::create_directories(conf);
  WriteToken(conf + "/kaggle.json", R"({"username":"alice","key":"k1"})", 0600);
  KaggleCredentials c = FindKaggleCredentials(MapEnv({{"KAGGLE_CONFIG_DIR", conf}}));
  EXPECT_EQ(c.username, "alice");
  EXPECT_EQ(c.key, "k1");
  EXPECT_EQ(c.source, conf + "/kaggle.json");

  std::string home = dir.Path("home");
  std::filesystem::create_directories(home + "/.kaggle");
  WriteToken(home + "/.kaggle/kaggle.json", R"({"username":"bob","key":"k2"})", 0400);
  EXPECT_EQ(FindKaggleCredentials(MapEnv({{"HOME", home}})).username, "bob");
  EXPECT_EQ(KaggleConfigDir(MapEnv({{"HOME", home}})), home + "/.kaggle");
}

TEST(KaggleCredentialsTest, RefusesAFileOthersCanRead) {
  ScratchDir dir;
  const std::string secret = "s3cr3t-key-value";
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    WriteToken(dir.Path("kaggle.json"), R"({"username":"u","key":")" + secret + R"("})", mode);
    std::string msg = ErrorOf(MapEnv({{"KAGGLE_CONFIG_DIR", dir.Path()}}));
    EXPECT_NE(msg.find("chmod 600"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(secret), std::string::npos) << msg;
  }
}

TEST(KaggleCredentialsTest, NoCredentialsSaysWhereToPutThem) {
  ScratchDir dir;
  std::string msg = ErrorOf(MapEnv({{"HOME", dir.Path()}}));
  EXPECT_NE(msg.find(dir.Path() + "/.kaggle/kaggle.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("KAGGLE_USERNAME"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".env"), std::string::npos) << msg;
}

TEST(KaggleCredentialsTest, HalfSetEnvironmentAndBadJsonAreErrors) {
  std::string msg = ErrorOf(MapEnv({{"KAGGLE_USERNAME", "u"}}));
  EXPECT_NE(msg.find("KAGGLE_KEY is not set"), std::string::npos) << msg;
  ScratchDir dir;
  WriteToken(dir.Path("kaggle.json"), R"({"username":"u","key":"abcdef0123"}x)", 0600);
  msg = ErrorOf(MapEnv({{"KAGGLE_CONFIG_DIR", dir.Path()}}));
  EXPECT_NE(msg.find("not valid JSON"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("abcdef0123"), std::string::npos) << msg;
  WriteToken(dir.Path("kaggle.json"), R"({"username":"u"})", 0600);
  msg = ErrorOf(MapEnv({{"KAGGLE_CONFIG_DIR", dir.Path()}}));
  EXPECT_NE(msg.find("\"key\""), std::string::npos) << msg;
}

}  // namespace
}  // namespace ctxbench
