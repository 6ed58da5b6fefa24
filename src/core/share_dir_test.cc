#include "core/share_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/source_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class ShareDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ctxbench_share_dir_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
    std::ofstream(root_ / "bin" / "ctxbench") << "";
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string Exe() const { return (root_ / "bin" / "ctxbench").string(); }
  fs::path root_;
};

TEST_F(ShareDirTest, InstalledBinaryFindsTheShareFolderBesideIt) {
  fs::create_directories(root_ / "share" / "ctxbench" / "tasks");
  EXPECT_EQ(ResolveShareDir(Exe(), "/elsewhere", "/src"), (root_ / "share" / "ctxbench").string());
}

TEST_F(ShareDirTest, ShareFolderWithoutTasksIsNotTakenForAnInstall) {
  fs::create_directories(root_ / "share" / "ctxbench");
  EXPECT_EQ(ResolveShareDir(Exe(), nullptr, "/src"), "/src");
}

TEST_F(ShareDirTest, EnvironmentComesBeforeTheSourceTree) {
  EXPECT_EQ(ResolveShareDir(Exe(), "/elsewhere", "/src"), "/elsewhere");
  EXPECT_EQ(ResolveShareDir(Exe(), "", "/src"), "/src");
  EXPECT_EQ(ResolveShareDir("", "/elsewhere", "/src"), "/elsewhere");
}

TEST_F(ShareDirTest, WithNoSourceTreeTheInstallLocationIsNamed) {
  EXPECT_EQ(ResolveShareDir(Exe(), nullptr, ""), (root_ / "share" / "ctxbench").string());
}

TEST_F(ShareDirTest, SourceTreeFileIsReadBesideTheBinaryOrOneFolderUp) {
  fs::create_directories(root_ / "src" / "tasks");
  EXPECT_EQ(SourceDirOf(Exe()), "");  // no file: not a build-tree binary
  std::ofstream(root_ / kSourceDirFile) << (root_ / "src").string() << "/\n";
  EXPECT_EQ(SourceDirOf(Exe()), (root_ / "src").string());  // one folder up, '/' dropped
  std::ofstream(root_ / "bin" / kSourceDirFile) << (root_ / "src" / "tasks").string() << "\n";
  EXPECT_EQ(SourceDirOf(Exe()), (root_ / "src" / "tasks").string());  // beside it first
  fs::create_directories(root_ / "bin" / "a" / "b");
  EXPECT_EQ(SourceDirOf((root_ / "bin" / "a" / "b" / "x").string()), "");  // not two up
  EXPECT_EQ(SourceDirOf(""), "");
}

TEST_F(ShareDirTest, SourceTreeFileNamingNoFolderIsIgnored) {
  std::ofstream(root_ / "bin" / kSourceDirFile) << (root_ / "nowhere").string() << "\n";
  EXPECT_EQ(SourceDirOf(Exe()), "");
  std::ofstream(root_ / "bin" / kSourceDirFile) << "";
  EXPECT_EQ(SourceDirOf(Exe()), "");
}

TEST(ShareDir, BuildTreeBinaryUsesTheSourceTree) {
  // The test binary runs from the build folder, which has no share/ctxbench
  // but the file naming the source tree.
  if (std::getenv("CTXBENCH_SHARE_DIR") != nullptr) GTEST_SKIP() << "CTXBENCH_SHARE_DIR is set";
  ASSERT_FALSE(SourceDir().empty());
  EXPECT_TRUE(fs::is_regular_file(SourceDir() + "/src/core/source_dir.h"));
  EXPECT_EQ(ShareDir(), SourceDir());
  EXPECT_TRUE(fs::is_directory(ShareDir() + "/tasks"));
}

}  // namespace
}  // namespace ctxbench
