#include "tasks/workspace.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = scratch_.path();
    fs::create_directories(base_ / "root" / "data");
    WriteFileAtomic((base_ / "root" / "train.py").string(), "A = 1\nB = 2\nA = 1\n");
    WriteFileAtomic((base_ / "root" / "data" / "train.csv").string(), "x,y\n1,2\n");
    WriteFileAtomic((base_ / "secret.txt").string(), "outside");
    ws_ = std::make_unique<Workspace>((base_ / "root").string(),
                                      std::vector<std::string>{"data/train.csv"});
  }
  // The error of a Status or Expected that must have failed; a failed
  // expectation (and the empty string) when it did not.
  template <typename Result>
  static std::string Refusal(const Result& result) {
    EXPECT_FALSE(result.ok()) << "succeeded where it should fail";
    return result.ok() ? std::string() : result.error();
  }
  ScratchDir scratch_;
  fs::path base_;
  std::unique_ptr<Workspace> ws_;
};

TEST_F(WorkspaceTest, ReadsWritesAndLists) {
  Expected<std::string> text = ws_->Read("train.py");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, "A = 1\nB = 2\nA = 1\n");
  Status wrote = ws_->Write("sub/new.py", "print(1)\n");
  EXPECT_TRUE(wrote.ok()) << wrote.error();
  EXPECT_EQ(wrote.error(), "");
  EXPECT_EQ(ReadFile((base_ / "root" / "sub" / "new.py").string()), "print(1)\n");
  Expected<std::string> listing = ws_->List();
  ASSERT_TRUE(listing.ok()) << listing.error();
  EXPECT_EQ(*listing,
            "data/train.csv (8 bytes) read-only\nsub/new.py (9 bytes)\ntrain.py (18 bytes)\n");
}

TEST_F(WorkspaceTest, RefusesEscapes) {
  EXPECT_NE(Refusal(ws_->Read("../secret.txt")).find("'..' is refused"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read("data/../../secret.txt")).find("'..' is refused"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read((base_ / "secret.txt").string())).find("absolute"),
            std::string::npos);
  EXPECT_NE(Refusal(ws_->Write("/tmp/x", "y")).find("absolute"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read(std::string("train.py\0.txt", 13))).find("NUL byte"),
            std::string::npos);
  EXPECT_NE(Refusal(ws_->Read(std::string(600, 'a'))).find("too long"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read(std::string(300, 'a'))).find("longer than 255"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read("")).find("empty"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read("missing.py")).find("does not exist"), std::string::npos);
}

TEST_F(WorkspaceTest, RefusesPlantedSymlinks) {
  fs::create_symlink(base_ / "secret.txt", base_ / "root" / "link.txt");
  fs::create_directory_symlink(base_, base_ / "root" / "up");
  EXPECT_NE(Refusal(ws_->Read("link.txt")).find("symbolic link"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Read("up/secret.txt")).find("symbolic link"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Write("link.txt", "pwned")).find("symbolic link"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Write("up/secret.txt", "pwned")).find("symbolic link"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Write("up/new.txt", "pwned")).find("symbolic link"), std::string::npos);
  EXPECT_EQ(ReadFile((base_ / "secret.txt").string()), "outside");
  EXPECT_FALSE(fs::exists(base_ / "new.txt"));
  Expected<std::string> listing = ws_->List();
  ASSERT_TRUE(listing.ok()) << listing.error();
  EXPECT_NE(listing->find("link.txt (symbolic link; refused)"), std::string::npos) << *listing;
}

TEST_F(WorkspaceTest, ReadOnlyFilesAreNotWritten) {
  EXPECT_NE(Refusal(ws_->Write("data/train.csv", "x")).find("read-only"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Write("./data//train.csv", "x")).find("read-only"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Edit("data/train.csv", "x", "z")).find("read-only"), std::string::npos);
}

TEST_F(WorkspaceTest, EditNeedsAUniqueMatchAndUndoRestores) {
  EXPECT_NE(Refusal(ws_->Edit("train.py", "C = 3", "C = 4")).find("not found"), std::string::npos);
  EXPECT_NE(Refusal(ws_->Edit("train.py", "A = 1", "A = 5")).find("occurs 2 times"),
            std::string::npos);
  EXPECT_TRUE(ws_->Edit("train.py", "B = 2", "B = 7").ok());
  EXPECT_TRUE(ws_->Write("train.py", "gone\n").ok());
  EXPECT_TRUE(ws_->Undo("train.py").ok());
  EXPECT_EQ(ws_->Read("train.py").value(), "A = 1\nB = 7\nA = 1\n");
  EXPECT_TRUE(ws_->Undo("train.py").ok());
  EXPECT_EQ(ws_->Read("train.py").value(), "A = 1\nB = 2\nA = 1\n");
  EXPECT_NE(Refusal(ws_->Undo("train.py")).find("no edit"), std::string::npos);
  EXPECT_TRUE(ws_->Write("fresh.py", "x").ok());
  EXPECT_TRUE(ws_->Undo("fresh.py").ok());
  EXPECT_FALSE(fs::exists(base_ / "root" / "fresh.py"));
}

TEST_F(WorkspaceTest, WithoutItsFolderEveryOperationFails) {
  Workspace gone((base_ / "nope").string(), {});
  EXPECT_NE(Refusal(gone.List()).find("folder is missing"), std::string::npos);
  EXPECT_NE(Refusal(gone.Read("train.py")).find("folder is missing"), std::string::npos);
  EXPECT_NE(Refusal(gone.Write("train.py", "x")).find("folder is missing"), std::string::npos);
  EXPECT_NE(Refusal(gone.Remove("sub/x.py")).find("folder is missing"), std::string::npos);
}

TEST_F(WorkspaceTest, RemoveIsOkWhenAbsentAndRefusesEscapes) {
  EXPECT_TRUE(ws_->Remove("train.py").ok());
  EXPECT_FALSE(fs::exists(base_ / "root" / "train.py"));
  EXPECT_TRUE(ws_->Remove("train.py").ok());         // gone already
  EXPECT_TRUE(ws_->Remove("no/such/file.py").ok());  // nor its folder
  EXPECT_NE(Refusal(ws_->Remove("../secret.txt")).find("'..' is refused"), std::string::npos);
  EXPECT_TRUE(fs::exists(base_ / "secret.txt"));
  fs::create_directories(base_ / "root" / "out.json");
  EXPECT_FALSE(ws_->Remove("out.json").ok());  // a folder is not removed
}

TEST(CheckWorkspacePathTest, AcceptsRelativePathsAndSaysWhyNot) {
  EXPECT_TRUE(CheckWorkspacePath("data/train.csv").ok());
  EXPECT_TRUE(CheckWorkspacePath("./a//b.py").ok());
  Status up = CheckWorkspacePath("a/../../b");
  EXPECT_FALSE(up.ok());
  EXPECT_NE(up.error().find("'..' is refused"), std::string::npos) << up.error();
  Status root = CheckWorkspacePath("./");
  EXPECT_FALSE(root.ok());
  EXPECT_NE(root.error().find("names the workspace root"), std::string::npos) << root.error();
}

TEST_F(WorkspaceTest, PrepareCopiesStarterFiles) {
  fs::path dir = base_ / "episode";
  PrepareWorkspace((base_ / "root").string(), dir.string(), {"data/train.csv"}, -1);
  EXPECT_EQ(ReadFile((dir / "train.py").string()), "A = 1\nB = 2\nA = 1\n");
  EXPECT_EQ(fs::status(dir / "data" / "train.csv").permissions() & fs::perms::owner_write,
            fs::perms::none);
  EXPECT_THROW(PrepareWorkspace((base_ / "nope").string(), dir.string(), {}, -1), Error);
}

TEST_F(WorkspaceTest, PrepareHandsTheWorkspaceToTheEpisodeUid) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  fs::path dir = base_ / "episode";
  const int uid = 60123;
  PrepareWorkspace((base_ / "root").string(), dir.string(), {"data/train.csv"}, uid);
  struct stat st;
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  // Only the episode's user (by group) and root enter; sticky keeps root's files.
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_gid, static_cast<gid_t>(uid));
  EXPECT_EQ(st.st_mode & 07777, 01770u);
  ASSERT_EQ(::stat((dir / "train.py").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, static_cast<uid_t>(uid));
  ASSERT_EQ(::stat((dir / "data" / "train.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  // What the file tools write for the agent is the agent's too.
  Workspace ws(dir.string(), {"data/train.csv"}, uid);
  ASSERT_TRUE(ws.Write("out/new.py", "x = 1\n").ok());
  ASSERT_EQ(::stat((dir / "out" / "new.py").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, static_cast<uid_t>(uid));
  ASSERT_EQ(::stat((dir / "out").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, static_cast<uid_t>(uid));
  EXPECT_EQ(st.st_mode & 0777, 0770u);
}

TEST_F(WorkspaceTest, SnapshotCopiesWritableFilesNotLinks) {
  ASSERT_TRUE(ws_->Write("out/metrics.json", "{}").ok());
  fs::create_symlink(base_ / "secret.txt", base_ / "root" / "link.txt");
  fs::path dest = base_ / "snap" / "run-01";
  EXPECT_TRUE(
      CopyWorkspaceFiles((base_ / "root").string(), dest.string(), {"data/train.csv"}).ok());
  EXPECT_EQ(ReadFile((dest / "train.py").string()), "A = 1\nB = 2\nA = 1\n");
  EXPECT_EQ(ReadFile((dest / "out" / "metrics.json").string()), "{}");
  EXPECT_FALSE(fs::exists(dest / "data" / "train.csv"));  // read-only: same as the starter's
  EXPECT_FALSE(fs::exists(fs::symlink_status(dest / "link.txt")));
  EXPECT_NE(Refusal(CopyWorkspaceFiles((base_ / "root").string(), dest.string(), {}))
                .find("exists already"),
            std::string::npos);
}

TEST_F(WorkspaceTest, SnapshotsCopyOnlyChangedRegularFiles) {
  WorkspaceDigests digests;
  ASSERT_EQ(::mkfifo((base_ / "root" / "pipe").c_str(), 0666), 0);  // would block a plain read
  fs::path one = base_ / "snap" / "run-01";
  ASSERT_TRUE(CopyWorkspaceFiles((base_ / "root").string(), one.string(), {}, &digests).ok());
  EXPECT_TRUE(fs::is_regular_file(one / "train.py"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(one / "pipe")));
  ASSERT_TRUE(ws_->Write("params.json", "{}").ok());
  fs::path two = base_ / "snap" / "run-02";
  ASSERT_TRUE(CopyWorkspaceFiles((base_ / "root").string(), two.string(), {}, &digests).ok());
  EXPECT_TRUE(fs::is_regular_file(two / "params.json"));  // new
  EXPECT_FALSE(fs::exists(two / "train.py"));             // unchanged
  ASSERT_TRUE(ws_->Edit("train.py", "B = 2", "B = 3").ok());
  fs::path three = base_ / "snap" / "run-03";
  ASSERT_TRUE(CopyWorkspaceFiles((base_ / "root").string(), three.string(), {}, &digests).ok());
  EXPECT_EQ(ReadFile((three / "train.py").string()), "A = 1\nB = 3\nA = 1\n");
  EXPECT_FALSE(fs::exists(three / "params.json"));
}

TEST_F(WorkspaceTest, CountsTheBytesOfRegularFilesOnly) {
  long long before = WorkspaceBytes((base_ / "root").string());
  EXPECT_EQ(before, static_cast<long long>(
                        ReadFile((base_ / "root" / "train.py").string()).size() +
                        ReadFile((base_ / "root" / "data" / "train.csv").string()).size()));
  fs::create_symlink(base_ / "secret.txt", base_ / "root" / "link.txt");  // not followed
  ASSERT_TRUE(ws_->Write("sub/x.bin", std::string(1000, 'x')).ok());
  EXPECT_EQ(WorkspaceBytes((base_ / "root").string()), before + 1000);
  EXPECT_EQ(WorkspaceBytes((base_ / "nope").string()), -1);
}

// Blocks reserved past the end of a file (fallocate --keep-size) are real
// disk space that the file's size does not show: the quota counts them.
TEST_F(WorkspaceTest, CountsSpaceAllocatedPastAFilesSize) {
  long long before = WorkspaceBytes((base_ / "root").string());
  std::string path = (base_ / "root" / "reserved.bin").string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  int reserved = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8 << 20);
  int reason = errno;
  ::close(fd);
  if (reserved != 0 && reason == EOPNOTSUPP) GTEST_SKIP() << "no fallocate on this filesystem";
  ASSERT_EQ(reserved, 0) << std::strerror(reason);
  ASSERT_EQ(fs::file_size(path), 0u);
  EXPECT_GE(WorkspaceBytes((base_ / "root").string()), before + (8 << 20));
}

TEST_F(WorkspaceTest, RefusesNamesWithControlCharacters) {
  for (const std::string& name : {std::string("a\nb.py"), std::string("x\x1b[31m.py"),
                                  std::string("tab\there"), std::string("del\x7f")}) {
    std::string error = Refusal(ws_->Write(name, "x"));
    EXPECT_NE(error.find("control characters"), std::string::npos) << error;
    EXPECT_EQ(error.find_first_of("\n\x1b\t\x7f"), std::string::npos) << "echoed raw: " << error;
    EXPECT_NE(Refusal(ws_->Read(name)).find("control characters"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(base_ / "root" / "a\nb.py"));
}

TEST_F(WorkspaceTest, ListEscapesControlCharactersInNames) {
  // A command the agent ran may create such names; the listing shows them escaped.
  WriteFileAtomic((base_ / "root" / "evil\nname\x1b.txt").string(), "x");
  Expected<std::string> found = ws_->List();
  ASSERT_TRUE(found.ok()) << found.error();
  const std::string& listing = *found;
  EXPECT_NE(listing.find("evil\\nname\\x1b.txt (control characters in the name"), std::string::npos)
      << listing;
  EXPECT_EQ(listing.find('\x1b'), std::string::npos);
  EXPECT_NE(listing.find("train.py ("), std::string::npos);  // ordinary names unchanged
}

TEST(EscapeControlCharactersTest, EscapesOnlyControlCharacters) {
  EXPECT_EQ(EscapeControlCharacters("a\nb\rc\td\x1b\x01\x7f"), "a\\nb\\rc\\td\\x1b\\x01\\x7f");
  EXPECT_EQ(EscapeControlCharacters("plain/name_1.py \xc3\xa9"), "plain/name_1.py \xc3\xa9");
}

}  // namespace
}  // namespace ctxbench
