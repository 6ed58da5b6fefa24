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

TEST(ShareDir, BuildTreeBinaryUsesTheSourceTree) {
  // The test binary runs from the build folder, which has no share/ctxbench.
  if (std::getenv("CTXBENCH_SHARE_DIR") != nullptr) GTEST_SKIP() << "CTXBENCH_SHARE_DIR is set";
  EXPECT_EQ(ShareDir(), SourceDir());
  EXPECT_TRUE(fs::is_directory(ShareDir() + "/tasks"));
}

}  // namespace
}  // namespace ctxbench
